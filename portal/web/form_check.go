package web

// The check-your-answers page of the claim form, and filing the claim from it.

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"talap/infra/seed"
	"talap/portal/claim"
	"talap/portal/filing"
	"talap/portal/storage"
)

// checkRow is one answer on the check page.
type checkRow struct {
	Label, Value, Href string
	Lines              []string
	Empty, Long        bool
}

type checkSection struct {
	Heading string
	Rows    []checkRow
}

// checkData adds the check-your-answers summary, what is missing and the submit form.
func (s *Server) checkData(c *fiber.Ctx, cl claim.Claim, data fiber.Map) error {
	l := langOf(c)
	ctx := c.UserContext()
	T := func(id string, pairs ...any) string { return s.tr.T(l, id, pairs...) }
	row := func(field, value string) checkRow {
		r := checkRow{Label: T("form.label." + field), Value: value, Href: stepURL(cl.ID, formStepOf(field)) + "?from=check#" + formFieldID(field)}
		if value == "" {
			r.Value, r.Empty = T("form.check.not_answered"), true
		}
		return r
	}
	date := func(d *claim.Date) string {
		if d == nil {
			return ""
		}
		return s.fmtDate(l, d.Time)
	}
	label := func(prefix, code string) string {
		if code == "" {
			return ""
		}
		return T(prefix + code)
	}
	d := cl.Draft
	respondent := d.RespondentBIN
	if b, err := s.DB.Body(ctx, d.RespondentBIN); err == nil {
		respondent = b.Name.In(l) + " (" + T("form.bin") + " " + b.BIN + ")"
	}
	var flags []string
	for _, f := range []struct {
		on    bool
		field string
	}{{d.ActAbroad, "act_abroad"}, {d.ActElectronic, "act_electronic"}, {d.InvestmentDispute, "investment_dispute"}} {
		if f.on {
			flags = append(flags, T("form.label."+f.field))
		}
	}
	flagRow := row("act_flags", strings.Join(flags, "; "))
	if len(flags) == 0 {
		flagRow.Value, flagRow.Empty = T("form.check.none"), false
	}
	flagRow.Href = stepURL(cl.ID, "act") + "?from=check#" + formFieldID("act_abroad")
	ch, err := seed.LoadChoices()
	if err != nil {
		return err
	}
	pretrial := ""
	switch {
	case d.Pretrial.ComplaintFiledOn != nil:
		pretrial = T("form.check.complained", "Date", date(d.Pretrial.ComplaintFiledOn))
		if d.Pretrial.DecisionReceivedOn != nil {
			pretrial += " " + T("form.check.decision", "Date", date(d.Pretrial.DecisionReceivedOn))
		} else {
			pretrial += " " + T("form.check.no_decision")
		}
	case d.Pretrial.ExemptReason != "":
		for _, r := range ch.PretrialReasons {
			if r.Code == d.Pretrial.ExemptReason {
				pretrial = r.Label.In(l)
			}
		}
	}
	yes := func(b bool) string {
		if b {
			return T("form.yes")
		}
		return T("form.no")
	}
	amount := ""
	if d.ClaimAmount != nil {
		amount = formatMoney(l, float64(*d.ClaimAmount))
	}
	long := func(r checkRow) checkRow {
		if !r.Empty {
			r.Lines, r.Long = strings.Split(r.Value, "\n"), true
		}
		return r
	}
	about := []checkRow{row("category", label("category.", d.Category)), row("respondent_bin", respondent), row("kind", label("kind.", d.Kind))}
	act := []checkRow{row("contested_act.number", d.ContestedAct.Number), row("contested_act.issued_on", date(d.ContestedAct.IssuedOn)),
		row("contested_act.received_on", date(d.ContestedAct.ReceivedOn)), flagRow, row("pretrial", pretrial)}
	claimRows := []checkRow{row("subject", d.Subject), long(row("grounds", d.Grounds)), long(row("demands", d.Demands))}
	you := []checkRow{row("claimant.residence_kato", placeName(l, d.Claimant.ResidenceKATO)), row("claimant.phone", d.Claimant.Phone),
		row("claimant.email", d.Claimant.Email), row("hear_at_residence", yes(d.HearAtResidence))}
	if d.Category == "land" {
		r := row("property_kato", placeName(l, d.PropertyKATO))
		if d.PropertyKATO == "" {
			r.Value = T("form.check.not_given")
		}
		you = append(you, r)
	}
	you = append(you, row("claim_amount", amount))
	if d.ClaimAmount == nil {
		you[len(you)-1].Value, you[len(you)-1].Empty = T("form.check.no_amount"), false
	}
	dv := s.dutyView(l, cl)
	dutyText := dv.Amount + " — " + dv.Status
	if dv.Exemption != "" {
		dutyText += ": " + dv.Exemption
	}
	docsRow := row("documents", "")
	if len(cl.Documents) > 0 {
		docsRow.Empty, docsRow.Long, docsRow.Value = false, true, ""
		for _, dv := range s.docViews(l, cl) {
			docsRow.Lines = append(docsRow.Lines, dv.Name+" ("+dv.Kind+", "+dv.Size+")")
		}
	}
	data["Sections"] = []checkSection{
		{Heading: T("form.check.about"), Rows: about},
		{Heading: T("form.check.act"), Rows: act},
		{Heading: T("form.check.claim"), Rows: claimRows},
		{Heading: T("form.check.you"), Rows: you},
		{Heading: T("form.check.files"), Rows: []checkRow{docsRow, row("duty", dutyText)}},
	}
	missing, _ := s.formErrors(l, cl.ID, "", s.formMessages(l, Missing(cl)))
	data["Missing"] = missing
	data["Deadline"] = s.stepDeadline(l, cl)
	if cl.Status != claim.StatusDraft {
		// Correcting a filed claim: say again what the court or the checks asked for.
		for _, n := range cl.Problems {
			data["Problems"] = append(asStrings(data["Problems"]), n.Message.In(l))
		}
		if cl.CorrectionDue != nil {
			data["CorrectionDue"] = s.fmtDate(l, cl.CorrectionDue.Time)
		}
		if cl.RoutedAt != nil {
			decisions, err := s.decisionViews(c, cl)
			if err != nil {
				return err
			}
			if len(decisions) > 0 {
				data["LastDecision"] = decisions[0]
			}
		}
	}
	return nil
}

// submitClaim files the claim from the check page. A second click, or a claim already filed, just
// shows the claim: it is never filed twice.
func (s *Server) submitClaim(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	if !cl.Status.Editable() {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	_, err = s.Submit(c.UserContext(), principalOf(c), cl.ID)
	var inc *filing.IncompleteError
	switch {
	case errors.As(err, &inc):
		l := langOf(c)
		summary, beside := s.formErrors(l, cl.ID, "", s.formMessages(l, inc.Missing))
		return s.renderStepWith(c, cl, "check", formValues(cl), summary, beside, fiber.StatusUnprocessableEntity, func(data fiber.Map) error {
			return s.checkData(c, cl, data)
		})
	case errors.Is(err, storage.ErrConflict):
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	return c.Redirect(claimURL(cl.ID)+"?filed=1", fiber.StatusSeeOther)
}
