package filing

import (
	"context"
	"slices"
	"strings"

	"talap/infra/seed"
	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/court"
	"talap/portal/deadline"
	"talap/portal/routing"
)

// Decision is a clerk's decision as the API takes it.
type Decision struct {
	Action        string   `json:"action"`
	Reason        string   `json:"reason"`
	Reasons       []string `json:"reasons"`
	CorrectionDue string   `json:"correction_due"`
	CourtID       string   `json:"court_id"`
}

// Decide applies a clerk's decision after checking its fields against the lists held as data:
// register, return (APPK Art. 138), leave without motion with a correction date (Art. 137), or
// transfer to another court (Art. 108).
func (s *Service) Decide(ctx context.Context, v claim.Viewer, claimID string, in Decision) (claim.Claim, error) {
	cl, err := s.Visible(ctx, v, claimID)
	if err != nil {
		return cl, err
	}
	if !slices.Contains(v.Clerk, cl.CourtID) {
		return cl, ErrForbidden
	}
	fe := claim.FieldErrors{}
	if !claim.CourtAction(in.Action) {
		fe["action"] = "unknown_choice"
	}
	if len([]rune(in.Reason)) > claim.MaxText {
		fe["reason"] = "too_long"
	}
	ch, err := seed.LoadChoices()
	if err != nil {
		return cl, err
	}
	d := claim.Decision{Action: in.Action, Reasons: in.Reasons, Text: strings.TrimSpace(in.Reason)}
	switch in.Action {
	case claim.ActionReturn, claim.ActionLeaveWithoutMotion:
		grounds := ch.ReturnGrounds
		if in.Action == claim.ActionLeaveWithoutMotion {
			grounds = ch.Defects
		}
		if !allIn(in.Reasons, grounds) {
			fe["reasons"] = "unknown_choice"
		}
		if len(in.Reasons) == 0 && d.Text == "" {
			fe["reasons"] = "required"
		}
		if in.Action == claim.ActionLeaveWithoutMotion {
			s.correctionDue(in.CorrectionDue, &d, fe)
		}
	case claim.ActionTransfer:
		d.ToCourt = in.CourtID
		courts, err := s.Store.Courts(ctx)
		if err != nil {
			return cl, err
		}
		var from, to court.Court
		for _, ct := range courts {
			if ct.ID == in.CourtID {
				to = ct
			}
			if ct.ID == cl.CourtID {
				from = ct
			}
		}
		if to.ID == "" || in.CourtID == cl.CourtID {
			fe["court_id"] = "unknown_choice"
		}
		if d.Text == "" {
			fe["reason"] = "required"
		}
		d.Explanation = routing.Transfer(from, to, d.Text)
	}
	if len(fe) > 0 {
		return cl, fe
	}
	return s.Store.Decide(ctx, claimID, cl.CourtID, v.IIN, d)
}

// correctionDue checks the date a claim left without motion must be corrected by and sets when
// the claim is checked: at the end of that day (or, in tests and demonstrations only, after the
// configured correction timer).
func (s *Service) correctionDue(date string, d *claim.Decision, fe claim.FieldErrors) {
	// A date at 00:00 UTC, as calendar.AlmatyDate gives today: parsed at Almaty midnight it would
	// fall on the day before, and today would be refused.
	due, err := calendar.ParseDate(date)
	switch {
	case date == "":
		fe["correction_due"] = "required"
	case err != nil:
		fe["correction_due"] = "invalid_date"
	case due.Before(calendar.AlmatyDate(s.Now())):
		fe["correction_due"] = "date_out_of_range"
	default:
		d.CorrectionDue = &due
		at := deadline.EndOfDay(due)
		if s.Config.CorrectionTimer > 0 {
			at = s.Now().Add(s.Config.CorrectionTimer)
		}
		d.CheckAt = &at
	}
}

// Respond records the respondent's response, whose documents are already in object storage. It is
// accepted after the due date too, and then flagged late. The caller must act for the respondent.
func (s *Service) Respond(ctx context.Context, v claim.Viewer, cl claim.Claim, text string, docs []claim.Document) (claim.Response, error) {
	if !actsFor(v, cl.RespondentBIN) {
		return claim.Response{}, ErrForbidden
	}
	late := cl.ResponseDue != nil && s.Now().After(deadline.EndOfDay(cl.ResponseDue.Time))
	return s.Store.AddResponse(ctx, cl.ID, cl.RespondentBIN, v.IIN, text, docs, s.Config.MaxResponses, late)
}

// actsFor reports whether the viewer acts for the body: as its officer, or with its API token.
func actsFor(v claim.Viewer, bin string) bool {
	if v.TokenBody != "" {
		return v.TokenBody == bin
	}
	return slices.Contains(v.Officer, bin)
}
