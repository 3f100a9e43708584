package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

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
	route := c.Route().Path
	s.metrics.observe(c.Method(), route, status, time.Since(start))
	if c.Path() == "/healthz" || c.Path() == "/metrics" {
		return nil
	}
	s.Log.Info("request", "request_id", c.Locals(ctxRequestID), "method", c.Method(), "path", c.Path(),
		"route", route, "status", status, "duration_ms", time.Since(start).Milliseconds())
	return nil
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

// securityHeaders keep pages from being framed or sniffed and limit what the browser may load.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
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
