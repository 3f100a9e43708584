package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/oauth2"

	"talap/portal/ident"
	"talap/portal/session"
)

// relyingParty signs people in with the national eID (or any OpenID Connect provider configured).
// The provider is discovered on first use, so the portal can start before the provider does.
type relyingParty struct {
	mu       sync.Mutex
	provider *oidc.Provider
	endSess  string
}

func (s *Server) oidc(ctx context.Context) (*oidc.Provider, string, error) {
	s.rp.mu.Lock()
	defer s.rp.mu.Unlock()
	if s.rp.provider != nil {
		return s.rp.provider, s.rp.endSess, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(ctx, s.Config.OIDCIssuer)
	if err != nil {
		return nil, "", err
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = p.Claims(&extra)
	s.rp.provider, s.rp.endSess = p, extra.EndSession
	return p, extra.EndSession, nil
}

func (s *Server) oauth2Config(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     s.Config.OIDCClientID,
		ClientSecret: s.Config.OIDCClientSecret,
		Endpoint:     p.Endpoint(),
		RedirectURL:  strings.TrimRight(s.Config.BaseURL, "/") + "/auth/callback",
		Scopes:       []string{oidc.ScopeOpenID, "profile"},
	}
}

// safeReturn keeps only local paths, so sign-in cannot be used to send people elsewhere. It takes
// printable ASCII only (browsers drop tabs and newlines and read backslashes as slashes, which turns
// "/\t/evil.example" into "//evil.example"; a local path needs nothing else, since browsers
// percent-encode the rest), and only what url.Parse reads as a bare path: no scheme, no host, no
// user, and a path with no backslash, no empty segment and no dot segment once decoded.
func safeReturn(to string) string {
	const home = "/claims"
	if to == "" || len(to) > 2048 || to[0] != '/' {
		return home
	}
	for i := 0; i < len(to); i++ {
		if b := to[i]; b < 0x21 || b > 0x7e || b == '\\' {
			return home
		}
	}
	u, err := url.Parse(to)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(to, "//") || strings.ContainsAny(u.Path, "\\\x00\t\r\n") {
		return home
	}
	// "/.//evil.example" is "//evil.example" once a browser or a proxy normalises it.
	for _, seg := range strings.Split(u.Path[1:], "/") {
		if seg == "." || seg == ".." || (seg == "" && len(u.Path) > 1) {
			return home
		}
	}
	return to
}

// login sends the person to the provider with state, nonce and a PKCE S256 challenge, remembering
// all three server-side for ten minutes.
func (s *Server) login(c *fiber.Ctx) error {
	if err := s.rateLimit(c, "login:"+s.clientIP(c), s.Config.RateLogin); err != nil {
		return err
	}
	p, _, err := s.oidc(c.UserContext())
	if err != nil {
		s.Log.Warn("identity provider unavailable", "error", err)
		return s.authFailure(c, fiber.StatusServiceUnavailable, "auth.unavailable")
	}
	state, nonce, verifier := session.Token(), session.Token(), oauth2.GenerateVerifier()
	browser := s.loginBrowser(c)
	if err := s.sessions.SavePreLogin(c.UserContext(), state, session.PreLogin{Nonce: nonce, Verifier: verifier, ReturnTo: safeReturn(c.Query("return_to")), Lang: langOf(c),
		Browser: hashToken(browser)}); err != nil {
		return err
	}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("ui_locales", langOf(c))}
	if hint := c.Query("login_hint"); hint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", hint))
	}
	return c.Redirect(s.oauth2Config(p).AuthCodeURL(state, opts...), fiber.StatusFound)
}

// callback finishes sign-in: the state must be one we issued and not yet used, the code is exchanged
// with the PKCE verifier, and the ID token's signature, issuer, audience, expiry and nonce are
// checked, as is the IIN's check digit. Only then is a new session created.
func (s *Server) callback(c *fiber.Ctx) error {
	if err := s.rateLimit(c, "login:"+s.clientIP(c), s.Config.RateLogin); err != nil {
		return err
	}
	ctx := c.UserContext()
	pre, err := s.sessions.TakePreLogin(ctx, c.Query("state"))
	if errors.Is(err, session.ErrNotFound) {
		return s.authFailure(c, fiber.StatusBadRequest, "auth.bad_state")
	}
	if err != nil {
		return err
	}
	// Login CSRF: the state must come back to the browser that asked for it. A callback URL made
	// by someone else's sign-in, opened here, would otherwise sign this browser in as them.
	if subtle.ConstantTimeCompare([]byte(hashToken(c.Cookies(s.preLoginCookie()))), []byte(pre.Browser)) != 1 {
		s.Log.Info("sign-in refused: finished in another browser", "request_id", c.Locals(ctxRequestID))
		return s.authFailure(c, fiber.StatusBadRequest, "auth.other_browser")
	}
	if pre.Lang != "" {
		c.Locals(ctxLang, pre.Lang)
	}
	if e := c.Query("error"); e != "" {
		s.Log.Info("sign-in refused by provider", "request_id", c.Locals(ctxRequestID), "error", e)
		return s.authFailure(c, fiber.StatusUnauthorized, "auth.refused")
	}
	p, _, err := s.oidc(ctx)
	if err != nil {
		return s.authFailure(c, fiber.StatusServiceUnavailable, "auth.unavailable")
	}
	exchCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	tok, err := s.oauth2Config(p).Exchange(exchCtx, c.Query("code"), oauth2.VerifierOption(pre.Verifier))
	if err != nil {
		s.Log.Info("code exchange failed", "request_id", c.Locals(ctxRequestID), "error", err)
		return s.authFailure(c, fiber.StatusUnauthorized, "auth.failed")
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: s.Config.OIDCClientID}).Verify(ctx, raw)
	if err != nil {
		s.Log.Info("ID token refused", "request_id", c.Locals(ctxRequestID), "error", err)
		return s.authFailure(c, fiber.StatusUnauthorized, "auth.failed")
	}
	if idt.Nonce != pre.Nonce {
		s.Log.Info("ID token refused: nonce mismatch", "request_id", c.Locals(ctxRequestID))
		return s.authFailure(c, fiber.StatusUnauthorized, "auth.failed")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return s.authFailure(c, fiber.StatusUnauthorized, "auth.failed")
	}
	iin, _ := claims[s.Config.OIDCIINClaim].(string)
	name, _ := claims["name"].(string)
	if err := ident.ValidateIIN(iin); err != nil {
		s.Log.Info("ID token refused: IIN invalid", "request_id", c.Locals(ctxRequestID), "reason", err.Error())
		return s.authFailure(c, fiber.StatusUnauthorized, "auth.bad_iin")
	}
	// Per person, strictly: the per-address limit is generous, since an office or a mobile
	// network puts many people behind one address.
	if err := s.rateLimit(c, "login-person:"+iin, s.Config.RateLoginPerson); err != nil {
		return err
	}
	if name == "" {
		name = iin
	}
	if err := s.DB.TouchPerson(ctx, iin, name, langOf(c)); err != nil {
		return err
	}
	// A fresh id at every sign-in: a session id planted before sign-in is worthless.
	if old := c.Cookies(sessionCookie); old != "" {
		_ = s.sessions.Delete(ctx, old)
	}
	id, _, err := s.sessions.Create(ctx, session.Data{IIN: iin, Name: name, IDToken: raw})
	if err != nil {
		return err
	}
	s.setSessionCookie(c, id)
	s.clearCookie(c, s.preLoginCookie(), "/")
	s.Log.Info("signed in", "request_id", c.Locals(ctxRequestID))
	return c.Redirect(safeReturn(pre.ReturnTo), fiber.StatusSeeOther)
}

// logout ends the session and sends the person to the provider's end-session endpoint.
func (s *Server) logout(c *fiber.Ctx) error {
	target := strings.TrimRight(s.Config.BaseURL, "/") + "/"
	p := principalOf(c)
	if p == nil || p.SessionID == "" {
		return c.Redirect(target, fiber.StatusSeeOther)
	}
	d, _ := s.sessions.Get(c.UserContext(), p.SessionID)
	if err := s.sessions.Delete(c.UserContext(), p.SessionID); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	if _, endSession, err := s.oidc(c.UserContext()); err == nil && endSession != "" {
		q := url.Values{"post_logout_redirect_uri": {target}, "client_id": {s.Config.OIDCClientID}}
		if d.IDToken != "" {
			q.Set("id_token_hint", d.IDToken)
		}
		return c.Redirect(endSession+"?"+q.Encode(), fiber.StatusSeeOther)
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

func (s *Server) me(c *fiber.Ctx) error {
	p := principalOf(c)
	return c.JSON(fiber.Map{"iin": p.IIN, "name": p.Name, "roles": p.Roles(), "csrf_token": p.CSRF})
}

// secureCookies: cookies are Secure unless the portal runs on plain-HTTP localhost.
func (s *Server) secureCookies() bool {
	u, err := url.Parse(s.Config.BaseURL)
	if err != nil {
		return true
	}
	h := u.Hostname()
	return !(u.Scheme == "http" && (h == "localhost" || h == "127.0.0.1" || h == "::1"))
}

func (s *Server) setSessionCookie(c *fiber.Ctx, id string) {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: id, Path: "/", HTTPOnly: true, Secure: s.secureCookies(), SameSite: "Lax"})
}

func (s *Server) clearSessionCookie(c *fiber.Ctx) { s.clearCookie(c, sessionCookie, "/") }

func (s *Server) clearCookie(c *fiber.Ctx, name, path string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: path, HTTPOnly: true, Secure: s.secureCookies(), SameSite: "Lax", MaxAge: -1, Expires: time.Unix(1, 0)})
}

// preLoginCookie ties a sign-in's state to the browser that started it (see callback). Over https
// it carries the __Host- prefix, so no other host (a sibling subdomain) can plant one.
func (s *Server) preLoginCookie() string {
	if s.secureCookies() {
		return "__Host-talap_login"
	}
	return "talap_login"
}

// loginBrowser returns this browser's pre-login secret, made at its first sign-in attempt and kept
// for the ten minutes a state lives, so sign-ins started in two tabs both finish. Only its hash is
// stored with the state. SameSite=Lax: the provider's redirect back is a top-level GET, which
// carries it.
func (s *Server) loginBrowser(c *fiber.Ctx) string {
	v := c.Cookies(s.preLoginCookie())
	if len(v) != 43 {
		v = session.Token()
	} else {
		v = strings.Clone(v)
	}
	c.Cookie(&fiber.Cookie{Name: s.preLoginCookie(), Value: v, Path: "/", MaxAge: int(session.PreLoginTTL.Seconds()), HTTPOnly: true,
		Secure: s.secureCookies(), SameSite: "Lax"})
	return v
}

// authFailure shows a clear page in the person's language (or JSON for programs); no session is made.
func (s *Server) authFailure(c *fiber.Ctx, status int, key string) error {
	l := langOf(c)
	if !wantsHTML(c) && c.Get(fiber.HeaderAccept) != "" && !strings.Contains(c.Get(fiber.HeaderAccept), "*/*") {
		return &Error{Status: status, Code: strings.TrimPrefix(key, "auth."), Message: s.tr.T(l, key)}
	}
	c.Status(status)
	return s.render(c, "error", fiber.Map{"Heading": s.tr.T(l, "auth.heading"), "Message": s.tr.T(l, key), "Retry": true})
}

// rateLimit counts one request against key and answers 429 with Retry-After over the limit.
func (s *Server) rateLimit(c *fiber.Ctx, key string, limit int) error {
	ok, wait, err := s.limiter.Allow(c.UserContext(), key, limit)
	if err != nil {
		// Redis down: fail open for rate limiting; readiness reports Redis.
		s.Log.Warn("rate limiter unavailable", "error", err)
		return nil
	}
	if ok {
		return nil
	}
	c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(wait.Seconds())+1))
	return &Error{Status: fiber.StatusTooManyRequests, Code: "rate_limited", Message: s.tr.T(langOf(c), "api.rate_limited")}
}

// apiRateLimit limits API calls per person (or token), and per IP for anonymous callers.
func (s *Server) apiRateLimit(c *fiber.Ctx) error {
	key := "api-ip:" + s.clientIP(c)
	if p := principalOf(c); p != nil {
		key = "api:" + p.IIN
	}
	if err := s.rateLimit(c, key, s.Config.RateAPI); err != nil {
		return err
	}
	return c.Next()
}
