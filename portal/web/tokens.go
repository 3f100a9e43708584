package web

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"talap/portal/party"
	"talap/portal/session"
	"talap/portal/storage"
)

// officerBody picks the body an officer acts for: the ?body= (or form body) they name, or their only one.
func (s *Server) officerBody(c *fiber.Ctx, p *Principal) (string, error) {
	want := c.FormValue("body", c.Query("body"))
	if want == "" && len(p.Officer) == 1 {
		want = p.Officer[0]
	}
	for _, b := range p.Officer {
		if want != "" && b == want {
			return b, nil // the principal's copy, not the request's bytes
		}
	}
	return "", s.forbidden(c)
}

func (s *Server) tokensPage(c *fiber.Ctx) error {
	return s.renderTokens(c, "", party.APIToken{})
}

// renderTokens shows the officer's bodies' tokens: when each expires, when it was last used and
// whether it still works; and, just after creation, the new token (shown once) with its expiry.
func (s *Server) renderTokens(c *fiber.Ctx, created string, tok party.APIToken) error {
	p := principalOf(c)
	if len(p.Officer) == 0 {
		return s.forbidden(c)
	}
	type bodyTokens struct {
		Body   party.Body
		Tokens []party.APIToken
	}
	var list []bodyTokens
	for _, b := range p.Officer {
		body, err := s.DB.Body(c.UserContext(), b)
		if err != nil {
			return err
		}
		toks, err := s.DB.APITokens(c.UserContext(), b)
		if err != nil {
			return err
		}
		list = append(list, bodyTokens{Body: body, Tokens: toks})
	}
	days := int((s.Config.APITokenTTL + 24*time.Hour - 1) / (24 * time.Hour))
	return s.render(c, "tokens", fiber.Map{"Bodies": list, "Created": created, "CreatedFor": tok.BodyBIN,
		"CreatedToken": tok, "LifetimeDays": days})
}

// createToken makes a token for the officer's body and shows it once; only its hash is kept. It
// works for the configured lifetime (TALAP_API_TOKEN_TTL), and only while its creator remains an
// officer of the body.
func (s *Server) createToken(c *fiber.Ctx) error {
	p := principalOf(c)
	bin, err := s.officerBody(c, p)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if name == "" || len(name) > 100 {
		name = "API"
	}
	name = strings.Clone(name) // kept by the audit event and the answer after fiber reuses the buffer
	token := "tlp_" + session.Token()
	tok, err := s.DB.CreateAPIToken(c.UserContext(), p.IIN, bin, name, hashToken(token), s.Config.APITokenTTL)
	if errors.Is(err, storage.ErrNotMember) {
		return s.forbidden(c) // the membership ended after this request was authenticated
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !wantsHTML(c) {
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": token, "id": tok.ID, "body_bin": bin, "name": name,
			"expires_at": tok.ExpiresAt.UTC().Format(time.RFC3339)})
	}
	return s.renderTokens(c, token, tok)
}

func (s *Server) revokeToken(c *fiber.Ctx) error {
	p := principalOf(c)
	bin, err := s.officerBody(c, p)
	if err != nil {
		return err
	}
	err = s.DB.RevokeAPIToken(c.UserContext(), p.IIN, bin, c.Params("id"))
	if errors.Is(err, storage.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	if !wantsHTML(c) {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect("/account/tokens", fiber.StatusSeeOther)
}
