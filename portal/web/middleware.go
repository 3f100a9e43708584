package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"talap/portal/lang"
)

const (
	ctxRequestID = "request_id"
	ctxLang      = "lang"
	langCookie   = "talap_lang"
)

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// requestID takes a sane X-Request-ID from the caller or makes one, and echoes it back.
func (s *Server) requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if len(id) == 0 || len(id) > 64 {
		id = newID()
	}
	c.Locals(ctxRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

// recover turns a panic into a 500 without a stack trace for the user; the log keeps the stack.
func (s *Server) recover(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.Log.Error("panic", "request_id", c.Locals(ctxRequestID), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Next()
}

// accessLog writes one JSON line per request. The query string is left out: it can hold codes and tokens.
func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.handleError(c, err); herr != nil {
			return herr
		}
	}
	status := c.Response().StatusCode()
	// The route's path belongs to the router; the method is fiber's view of the request buffer,
	// reused by the next request, so the metric (which keeps its labels) gets a copy.
	route := c.Route().Path
	s.metrics.observe(utils.CopyString(c.Method()), route, status, time.Since(start))
	if c.Path() == "/healthz" || c.Path() == "/metrics" {
		return nil
	}
	s.Log.Info("request", "request_id", c.Locals(ctxRequestID), "method", c.Method(), "path", logPath(c),
		"route", route, "status", status, "duration_ms", time.Since(start).Milliseconds())
	return nil
}

// logPath is the request's path as logs may hold it: a receipt's verification token is left out.
func logPath(c *fiber.Ctx) string {
	if strings.HasPrefix(c.Path(), "/verify/") {
		return "/verify/:number"
	}
	return c.Path()
}

// language picks the page language: ?lang= (remembered in a cookie), the cookie, then Accept-Language.
func (s *Server) language(c *fiber.Ctx) error {
	l := c.Query("lang")
	if lang.Valid(l) {
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: "Lax", HTTPOnly: true})
	} else if ck := c.Cookies(langCookie); lang.Valid(ck) {
		l = ck
	} else {
		l = lang.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage))
	}
	c.Locals(ctxLang, l)
	c.Set(fiber.HeaderContentLanguage, l)
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
	return c.Next()
}

func langOf(c *fiber.Ctx) string {
	if l, ok := c.Locals(ctxLang).(string); ok {
		return l
	}
	return lang.Default
}

type langLink struct {
	Code, Label string
	Current     bool
}

var langLabels = map[string]string{"kk": "Қазақша", "ru": "Русский", "en": "English"}

// render executes a page in the request's language inside the layout.
func (s *Server) render(c *fiber.Ctx, page string, data fiber.Map) error {
	l := langOf(c)
	t, ok := s.pages[l][page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	if data == nil {
		data = fiber.Map{}
	}
	data["Lang"] = l
	links := make([]langLink, 0, len(lang.Supported))
	for _, code := range lang.Supported {
		links = append(links, langLink{Code: code, Label: langLabels[code], Current: code == l})
	}
	data["Languages"] = links
	if p := principalOf(c); p != nil {
		data["Me"] = p
		data["CSRF"] = p.CSRF
		if n, err := s.DB.UnreadNotices(c.UserContext(), p.IIN); err == nil {
			data["Unread"] = n
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Type("html", "utf-8")
	return c.Send(buf.Bytes())
}

// securityHeaders keep pages from being framed or sniffed and limit what the browser may load. In
// production (always https) browsers are told to use nothing but https for a year.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	if s.Config.Production() {
		c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000; includeSubDomains")
	}
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	csp := "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self' " + s.Config.OIDCIssuer
	if strings.HasPrefix(c.Path(), "/admin/queues") {
		// asynqmon's bundled page needs inline scripts and styles; it is for administrators only.
		csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; font-src 'self' data: https://fonts.gstatic.com; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
	}
	c.Set("Content-Security-Policy", csp)
	return c.Next()
}

// clientIP is the address a request comes from, for rate limits. Behind trusted reverse proxies
// (TALAP_TRUSTED_PROXIES, checked by fiber against the connection's peer) it is the right-most
// address in the proxy header lines that is not itself a trusted proxy: what lies to the left, and
// any earlier header line, is whatever the client chose to send. Otherwise it is the peer. An IPv6
// client is counted by its /64, the block one subscriber holds.
func (s *Server) clientIP(c *fiber.Ctx) string {
	ip := c.Context().RemoteIP()
	if len(s.proxies) > 0 && c.IsProxyTrusted() {
		ip = s.forwardedFor(c, ip)
	}
	if ip.To4() == nil && len(ip) == net.IPv6len {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// forwardedFor walks the proxy header lines from the last one backwards, each from its end.
func (s *Server) forwardedFor(c *fiber.Ctx, peer net.IP) net.IP {
	lines := c.Request().Header.PeekAll(s.Config.ProxyHeader)
	for i := len(lines) - 1; i >= 0; i-- {
		hops := strings.Split(string(lines[i]), ",")
		for j := len(hops) - 1; j >= 0; j-- {
			ip := net.ParseIP(strings.TrimSpace(hops[j]))
			if ip == nil {
				return peer // not what a trusted proxy writes: count the proxy
			}
			if !s.trustedProxy(ip) {
				return ip
			}
		}
	}
	return peer
}

func (s *Server) trustedProxy(ip net.IP) bool {
	for _, n := range s.proxies {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// parseProxies reads TALAP_TRUSTED_PROXIES: addresses (taken as single-host ranges) and CIDRs.
func parseProxies(list []string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, p := range list {
		if ip := net.ParseIP(p); ip != nil {
			bits := 8 * len(ip.To16())
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return nil, fmt.Errorf("TALAP_TRUSTED_PROXIES: %q is neither an address nor a CIDR range", p)
		}
		out = append(out, n)
	}
	return out, nil
}
