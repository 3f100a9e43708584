package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"talap/infra/seed"
	"talap/portal/claim"
	"talap/portal/filing"
	"talap/portal/storage"
)

// bodyPage is a public body's workspace: the claims filed against it, with filters.
func (s *Server) bodyPage(c *fiber.Ctx) error {
	bin := c.Params("bin")
	lp, err := s.bodyClaims(c, bin)
	if err != nil {
		return err
	}
	body, err := s.DB.Body(c.UserContext(), bin)
	if err != nil {
		return err
	}
	return s.render(c, "body_claims", fiber.Map{"Body": body, "Items": lp.Items, "Next": lp.Next, "Filter": lp.Filter,
		"Statuses":   []claim.Status{claim.StatusRouted, claim.StatusRegistered, claim.StatusLeftWithoutMotion, claim.StatusReturned, claim.StatusWithdrawn},
		"Categories": claim.Categories, "DueBefore": c.Query("due_before")})
}

// queuePage is a court's intake queue: routed claims, oldest first, with filters and counts.
func (s *Server) queuePage(c *fiber.Ctx) error {
	courtID := c.Params("court")
	lp, err := s.courtQueue(c, courtID)
	if err != nil {
		return err
	}
	courtName := courtID
	if courts, err := s.DB.Courts(c.UserContext()); err == nil {
		for _, ct := range courts {
			if ct.ID == courtID {
				courtName = ct.Name.In(langOf(c))
			}
		}
	}
	return s.render(c, "court_queue", fiber.Map{"CourtID": courtID, "CourtName": courtName, "Items": lp.Items, "Counts": lp.Counts,
		"Next": lp.Next, "Filter": lp.Filter, "Categories": claim.Categories,
		"FlagCodes": []string{"late", "pretrial_missing", "pretrial_late", "duplicate", "deadline_unknown"}})
}

// workspacePage sends each person to their workspaces.
func (s *Server) workspacePage(c *fiber.Ctx) error {
	p := principalOf(c)
	type link struct{ Href, Label string }
	var links []link
	for _, bin := range p.Officer {
		if b, err := s.DB.Body(c.UserContext(), bin); err == nil {
			links = append(links, link{"/bodies/" + bin + "/claims", b.Name.In(langOf(c))})
		}
	}
	if courts, err := s.DB.Courts(c.UserContext()); err == nil {
		for _, ct := range courts {
			if p.ClerkOf(ct.ID) {
				links = append(links, link{"/courts/" + ct.ID + "/queue", ct.Name.In(langOf(c))})
			}
		}
	}
	return s.render(c, "workspace", fiber.Map{"Links": links})
}

// decidePage shows the decision form for a clerk of the claim's court; POST applies it.
func (s *Server) decidePage(c *fiber.Ctx) error {
	p := principalOf(c)
	cl, err := s.visibleClaim(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	if !p.ClerkOf(cl.CourtID) {
		return storage.ErrNotFound
	}
	var problems map[string]string
	in := filing.Decision{}
	if c.Method() == fiber.MethodPost {
		in = filing.Decision{Action: c.FormValue("action"), Reason: c.FormValue("reason"), CorrectionDue: c.FormValue("correction_due"), CourtID: c.FormValue("court_id")}
		for _, r := range strings.Split(string(c.Request().PostArgs().Peek("reasons")), ",") {
			if r != "" {
				in.Reasons = append(in.Reasons, r)
			}
		}
		c.Request().PostArgs().VisitAll(func(k, v []byte) {
			if string(k) == "reason_code" {
				in.Reasons = append(in.Reasons, string(v))
			}
		})
		_, err := s.filing.Decide(c.UserContext(), p.viewer(), cl.ID, in)
		if err == nil {
			return c.Redirect("/courts/"+cl.CourtID+"/queue", fiber.StatusSeeOther)
		}
		var fe claim.FieldErrors
		switch {
		case errors.As(err, &fe):
			problems = map[string]string{}
			for k, v := range fe {
				problems[k] = s.tr.T(langOf(c), "field."+v)
			}
			c.Status(fiber.StatusUnprocessableEntity)
		case errors.Is(err, storage.ErrConflict):
			problems = map[string]string{"action": s.tr.T(langOf(c), "api.conflict")}
			c.Status(fiber.StatusConflict)
		default:
			return err
		}
	}
	ch, err := seed.LoadChoices()
	if err != nil {
		return err
	}
	courts, err := s.DB.Courts(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "decide", fiber.Map{"Claim": cl, "Problems": problems, "Input": in, "ReturnGrounds": ch.ReturnGrounds,
		"Defects": ch.Defects, "Courts": courts})
}

// respondPage shows the response form to the respondent's officers; the form posts to the API
// upload (multipart) with the CSRF token in the query, and comes back here.
func (s *Server) respondPage(c *fiber.Ctx) error {
	p := principalOf(c)
	cl, err := s.visibleClaim(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	if !p.OfficerOf(cl.RespondentBIN) {
		return storage.ErrNotFound
	}
	var problem string
	if c.Method() == fiber.MethodPost {
		_, err := s.SubmitResponse(c, p, cl.ID)
		if err == nil {
			return c.Redirect("/bodies/"+cl.RespondentBIN+"/claims", fiber.StatusSeeOther)
		}
		var apiErr *Error
		var fe claim.FieldErrors
		switch {
		case errors.As(err, &apiErr):
			problem = apiErr.Message
			c.Status(apiErr.Status)
		case errors.As(err, &fe):
			problem = s.tr.T(langOf(c), "api.invalid")
			c.Status(fiber.StatusUnprocessableEntity)
		case errors.Is(err, storage.ErrConflict):
			problem = s.tr.T(langOf(c), "api.conflict")
			c.Status(fiber.StatusConflict)
		default:
			return err
		}
	}
	return s.render(c, "respond", fiber.Map{"Claim": cl, "Problem": problem})
}
