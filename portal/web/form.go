package web

// The guided claim form: one question a page, every answer saved to the draft through the same
// validation as the JSON API, and all of it working without JavaScript. static/form.js only adds
// upload progress, a live deadline hint and a guard against double clicks.
//
// form.go has the handlers that move through the steps; form_steps.go the steps and their fields,
// form_render.go the step pages, form_check.go the check page and submitting, form_documents.go
// the documents step, form_deadline.go the filing-period hint and form_helpers.go small helpers.

import (
	"encoding/json"
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"talap/portal/claim"
	"talap/portal/duty"
	"talap/portal/storage"
)

// ownClaim loads a claim of the signed-in claimant's; anyone else's is not found.
func (s *Server) ownClaim(c *fiber.Ctx) (claim.Claim, error) {
	p := principalOf(c)
	cl, err := s.visibleClaim(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return cl, err
	}
	if cl.ClaimantIIN != p.IIN {
		return cl, storage.ErrNotFound
	}
	return cl, nil
}

// newClaim starts an empty draft and opens its first question.
func (s *Server) newClaim(c *fiber.Ctx) error {
	cl, err := s.CreateDraft(c.UserContext(), principalOf(c), []byte(`{}`))
	if err != nil {
		return err
	}
	return c.Redirect(stepURL(cl.ID, formSteps[0]), fiber.StatusSeeOther)
}

// continueClaim opens the first question still to answer, or the check page.
func (s *Server) continueClaim(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	if !cl.Status.Editable() {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	first := len(formSteps) - 1
	for field := range Missing(cl) {
		if i := slices.Index(formSteps, formStepOf(field)); i >= 0 && i < first {
			first = i
		}
	}
	return c.Redirect(stepURL(cl.ID, formSteps[first]), fiber.StatusSeeOther)
}

// stepPage shows one question of the form with the saved answers.
func (s *Server) stepPage(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	step := c.Params("step")
	if !slices.Contains(formSteps, step) {
		return storage.ErrNotFound
	}
	if !cl.Status.Editable() {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	return s.renderStep(c, cl, step, formValues(cl), nil, 0)
}

// stepSave saves a step's answers to the draft and goes on to the next question. A problem
// re-shows the page with the person's input and what to fix (422); nothing is lost.
func (s *Server) stepSave(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	step := c.Params("step")
	i := slices.Index(formSteps, step)
	if i < 0 {
		return storage.ErrNotFound
	}
	if !cl.Status.Editable() {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	next := stepURL(cl.ID, formSteps[min(i+1, len(formSteps)-1)])
	if formFrom(c) == "check" {
		next = stepURL(cl.ID, "check")
	}
	if _, asks := formStepFields[step]; !asks {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	later := c.FormValue("action") == "later"
	answers, local := formAnswers(step, func(n string) string { return c.FormValue(n) }, cl)
	if later {
		// Saving for later does not insist on answers, only on answers that make sense.
		for k, v := range local {
			if v != "form.err.amount" {
				delete(local, k)
			}
		}
	}
	posted := formValues(cl)
	for _, f := range formStepFields[step] {
		posted[f] = c.FormValue(f)
	}
	body, err := json.Marshal(answers)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	// Check everything first, so that every problem of the page is shown at once.
	d, aerr := s.applyAnswers(ctx, cl.Draft, body)
	fe := claim.FieldErrors{}
	var apiFE claim.FieldErrors
	if aerr != nil && !errors.As(aerr, &apiFE) {
		return aerr
	}
	for k, v := range apiFE {
		fe[k] = v
	}
	for k, v := range local {
		fe[k] = v
	}
	if len(fe) > 0 {
		// Nothing is saved: the page comes back with the person's input and what to fix.
		if !later {
			would := cl
			would.Draft = d
			for k, v := range formStepMissing(step, would) {
				if _, ok := fe[k]; !ok {
					fe[k] = v
				}
			}
		}
		return s.renderStep(c, cl, step, posted, fe, fiber.StatusUnprocessableEntity)
	}
	saved, err := s.UpdateDraft(ctx, principalOf(c), cl.ID, body)
	switch {
	case errors.As(err, &apiFE):
		return s.renderStep(c, cl, step, posted, apiFE, fiber.StatusUnprocessableEntity)
	case errors.Is(err, storage.ErrConflict):
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	if later {
		return c.Redirect("/claims?saved=1", fiber.StatusSeeOther)
	}
	if miss := formStepMissing(step, saved); len(miss) > 0 {
		return s.renderStep(c, saved, step, formValues(saved), miss, fiber.StatusUnprocessableEntity)
	}
	if step == "duty" && c.FormValue("duty") == "paid" && !saved.DutyPaid() {
		return c.Redirect(stepURL(cl.ID, "documents")+"?kind="+duty.PaymentKind+"#upload", fiber.StatusSeeOther)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// deleteDraftPage asks to confirm deleting a draft.
func (s *Server) deleteDraftPage(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	if cl.Status != claim.StatusDraft {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	return s.render(c, "form_delete", fiber.Map{"Claim": cl, "Title": s.claimTitle(langOf(c), cl)})
}

// deleteDraft deletes a draft and its documents.
func (s *Server) deleteDraft(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	err = s.filing.DeleteDraft(c.UserContext(), principalOf(c).IIN, cl.ID)
	switch {
	case errors.Is(err, storage.ErrConflict):
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	return c.Redirect("/claims?deleted=1", fiber.StatusSeeOther)
}
