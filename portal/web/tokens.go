package web

import (
	"errors"
	"strings"

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
	if want == "" || !p.OfficerOf(want) {
		return "", s.forbidden(c)
	}
	return want, nil
}

func (s *Server) tokensPage(c *fiber.Ctx) error {
	return s.renderTokens(c, "", "")
}

func (s *Server) renderTokens(c *fiber.Ctx, created, bin string) error {
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
	return s.render(c, "tokens", fiber.Map{"Bodies": list, "Created": created, "CreatedFor": bin})
}

// createToken makes a token for the officer's body and shows it once; only its hash is kept.
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
	token := "tlp_" + session.Token()
	if _, err := s.DB.CreateAPIToken(c.UserContext(), p.IIN, bin, name, hashToken(token)); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !wantsHTML(c) {
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": token, "body_bin": bin, "name": name})
	}
	return s.renderTokens(c, token, bin)
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
