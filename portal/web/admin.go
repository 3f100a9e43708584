package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"talap/portal/ident"
	"talap/portal/party"
	"talap/portal/storage"
)

func (s *Server) membershipsPage(c *fiber.Ctx) error {
	return s.renderMemberships(c, "", fiber.StatusOK)
}

func (s *Server) renderMemberships(c *fiber.Ctx, problem string, status int) error {
	ms, err := s.DB.Memberships(c.UserContext(), "")
	if err != nil {
		return err
	}
	courts, err := s.DB.Courts(c.UserContext())
	if err != nil {
		return err
	}
	c.Status(status)
	return s.render(c, "memberships", fiber.Map{"Memberships": ms, "Courts": courts, "Problem": problem})
}

// grantMembership adds a role to a person; the change is audited in storage.
func (s *Server) grantMembership(c *fiber.Ctx) error {
	m := party.Membership{IIN: strings.TrimSpace(c.FormValue("iin")), Role: c.FormValue("role"),
		BodyBIN: strings.TrimSpace(c.FormValue("body_bin")), CourtID: c.FormValue("court_id")}
	l := langOf(c)
	if ident.ValidateIIN(m.IIN) != nil {
		return s.membershipProblem(c, s.tr.T(l, "admin.bad_iin"))
	}
	switch m.Role {
	case party.RoleOfficer:
		m.CourtID = ""
	case party.RoleClerk:
		m.BodyBIN = ""
	case party.RoleAdmin:
		m.BodyBIN, m.CourtID = "", ""
	default:
		return s.membershipProblem(c, s.tr.T(l, "admin.bad_role"))
	}
	err := s.DB.Grant(c.UserContext(), principalOf(c).IIN, m)
	if errors.Is(err, storage.ErrInvalid) {
		return s.membershipProblem(c, s.tr.T(l, "admin.bad_target"))
	}
	if err != nil {
		return err
	}
	if !wantsHTML(c) {
		return c.SendStatus(fiber.StatusCreated)
	}
	return c.Redirect("/admin/memberships", fiber.StatusSeeOther)
}

func (s *Server) membershipProblem(c *fiber.Ctx, msg string) error {
	if !wantsHTML(c) {
		return &Error{Status: fiber.StatusUnprocessableEntity, Code: "invalid", Message: msg}
	}
	return s.renderMemberships(c, msg, fiber.StatusUnprocessableEntity)
}

func (s *Server) revokeMembership(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.DB.Revoke(c.UserContext(), principalOf(c).IIN, id); err != nil {
		return err
	}
	if !wantsHTML(c) {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect("/admin/memberships", fiber.StatusSeeOther)
}
