package web

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"talap/portal/party"
	"talap/portal/session"
	"talap/portal/storage"
)

const (
	sessionCookie = "talap_session"
	ctxPrincipal  = "principal"
	ctxBody       = "body" // the request body stream, when middleware has read its start
)

// Principal is who is calling: a signed-in person (with the roles their memberships give) or an
// organisation's system using an API token.
type Principal struct {
	IIN       string
	Name      string
	SessionID string
	CSRF      string
	Officer   []string // BINs of the bodies the person works for
	Clerk     []string // ids of the courts the person works for
	Admin     bool
	TokenBody string // set when the caller used an API token: the body's BIN
}

// Roles lists the principal's roles for /api/v1/me.
func (p *Principal) Roles() []fiber.Map {
	if p.TokenBody != "" {
		return []fiber.Map{{"role": "api_token", "body_bin": p.TokenBody}}
	}
	roles := []fiber.Map{{"role": party.RoleCitizen}}
	for _, b := range p.Officer {
		roles = append(roles, fiber.Map{"role": party.RoleOfficer, "body_bin": b})
	}
	for _, c := range p.Clerk {
		roles = append(roles, fiber.Map{"role": party.RoleClerk, "court_id": c})
	}
	if p.Admin {
		roles = append(roles, fiber.Map{"role": party.RoleAdmin})
	}
	return roles
}

// OfficerOf reports whether the caller acts for the body, as its officer or with its token.
func (p *Principal) OfficerOf(bin string) bool {
	if p.TokenBody != "" {
		return p.TokenBody == bin
	}
	for _, b := range p.Officer {
		if b == bin {
			return true
		}
	}
	return false
}

// ClerkOf reports whether the caller works for the court.
func (p *Principal) ClerkOf(courtID string) bool {
	for _, c := range p.Clerk {
		if c == courtID {
			return true
		}
	}
	return false
}

func principalOf(c *fiber.Ctx) *Principal {
	p, _ := c.Locals(ctxPrincipal).(*Principal)
	return p
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// authenticate finds the caller from an API token or the session cookie. Roles are read from the
// portal's memberships on each request, so a revocation takes effect at once.
func (s *Server) authenticate(c *fiber.Ctx) error {
	if auth := c.Get(fiber.HeaderAuthorization); auth != "" {
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || token == "" {
			return s.unauthorized(c)
		}
		bin, err := s.DB.APITokenBody(c.UserContext(), hashToken(token))
		if errors.Is(err, storage.ErrNotFound) {
			return s.unauthorized(c)
		}
		if err != nil {
			return err
		}
		c.Locals(ctxPrincipal, &Principal{TokenBody: bin, IIN: "token:" + bin})
		return c.Next()
	}
	id := c.Cookies(sessionCookie)
	if id == "" {
		return c.Next()
	}
	d, err := s.sessions.Get(c.UserContext(), id)
	if errors.Is(err, session.ErrNotFound) {
		s.clearSessionCookie(c)
		return c.Next()
	}
	if err != nil {
		return err
	}
	p := &Principal{IIN: d.IIN, Name: d.Name, SessionID: id, CSRF: d.CSRF}
	ms, err := s.DB.Memberships(c.UserContext(), d.IIN)
	if err != nil {
		return err
	}
	for _, m := range ms {
		switch m.Role {
		case party.RoleOfficer:
			p.Officer = append(p.Officer, m.BodyBIN)
		case party.RoleClerk:
			p.Clerk = append(p.Clerk, m.CourtID)
		case party.RoleAdmin:
			p.Admin = true
		}
	}
	c.Locals(ctxPrincipal, p)
	return c.Next()
}

// csrf refuses unsafe requests made with a session cookie unless they carry the session's token:
// in the X-CSRF-Token header, the _csrf field of a urlencoded form, or the first part of a
// multipart form (the no-JavaScript upload forms put it before the file). Never from the query
// string, where it would end up in logs, history and Referer headers. Token callers need none:
// browsers do not send their Authorization header by themselves.
func (s *Server) csrf(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	p := principalOf(c)
	if p == nil || p.TokenBody != "" {
		return c.Next()
	}
	sent := c.Get("X-CSRF-Token")
	if sent == "" {
		switch ct := c.Get(fiber.HeaderContentType); {
		case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
			// Reading the form reads the whole body: only a small one, with a declared length.
			if n := c.Request().Header.ContentLength(); n >= 0 && n <= maxJSONBody {
				sent = string(c.Request().PostArgs().Peek("_csrf"))
			}
		case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
			sent = s.csrfFromMultipart(c)
		}
	}
	if subtle.ConstantTimeCompare([]byte(sent), []byte(p.CSRF)) != 1 {
		c.Context().SetConnectionClose() // the body may be left unread
		return &Error{Status: fiber.StatusForbidden, Code: "csrf", Message: s.tr.T(langOf(c), "api.csrf")}
	}
	return c.Next()
}

// csrfPrefix is how much of a multipart body is read to find a leading _csrf field.
const csrfPrefix = 4 << 10

// csrfFromMultipart reads the first part of a streamed multipart body and returns it when it is
// the _csrf field. The bytes read are put back in front of the stream (requestBody), so the
// handler sees the whole body; nothing else is read ahead.
func (s *Server) csrfFromMultipart(c *fiber.Ctx) string {
	_, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || params["boundary"] == "" {
		return ""
	}
	body := requestBody(c)
	var seen bytes.Buffer
	mr := multipart.NewReader(io.TeeReader(io.LimitReader(body, csrfPrefix), &seen), params["boundary"])
	token := ""
	if part, err := mr.NextPart(); err == nil && part.FormName() == "_csrf" && part.FileName() == "" {
		if b, err := io.ReadAll(io.LimitReader(part, 128)); err == nil {
			token = string(b)
		}
	}
	c.Locals(ctxBody, io.MultiReader(&seen, body))
	return token
}

// requestBody is the request's body as a stream, including anything middleware read and put back.
func requestBody(c *fiber.Ctx) io.Reader {
	if r, ok := c.Locals(ctxBody).(io.Reader); ok {
		return r
	}
	if r := c.Context().RequestBodyStream(); r != nil {
		return r
	}
	return bytes.NewReader(c.Body())
}

func (s *Server) unauthorized(c *fiber.Ctx) error {
	return &Error{Status: fiber.StatusUnauthorized, Code: "unauthorized", Message: s.tr.T(langOf(c), "api.unauthorized")}
}

// mustSignIn lets signed-in callers through; others get 401, or for a page, the sign-in redirect.
func (s *Server) mustSignIn(c *fiber.Ctx) error {
	if principalOf(c) != nil {
		return c.Next()
	}
	if wantsHTML(c) && c.Method() == fiber.MethodGet {
		return c.Redirect("/auth/login?return_to="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	return s.unauthorized(c)
}

// mustBePerson keeps API tokens out of what only people may do (their own claims, settings).
func (s *Server) mustBePerson(c *fiber.Ctx) error {
	if p := principalOf(c); p != nil && p.TokenBody != "" {
		return s.forbidden(c)
	}
	return s.mustSignIn(c)
}

// mustBeAdmin lets administrators through.
func (s *Server) mustBeAdmin(c *fiber.Ctx) error {
	p := principalOf(c)
	if p == nil {
		return s.mustSignIn(c)
	}
	if !p.Admin {
		return s.forbidden(c)
	}
	return c.Next()
}

func (s *Server) forbidden(c *fiber.Ctx) error {
	return &Error{Status: fiber.StatusForbidden, Code: "forbidden", Message: s.tr.T(langOf(c), "api.forbidden")}
}
