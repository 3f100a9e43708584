package web

// Tracking pages: "My claims" and the claim page with its timeline, problems, flags, court,
// documents, state duty, receipt, and withdrawal.

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"talap/infra/seed"
	"talap/portal/audit"
	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/storage"
)

// fmtDate writes a civil date in the language: "5 March 2026", "5 марта 2026 г.", "2026 ж. 5 наурыз".
func (s *Server) fmtDate(l string, t time.Time) string {
	return s.tr.T(l, "track.date", "Day", t.Day(), "Month", s.tr.T(l, "track.month."+strconv.Itoa(int(t.Month()))), "Year", t.Year())
}

// fmtDateTime writes an instant as date and time in Asia/Almaty, the time the law counts in.
func (s *Server) fmtDateTime(l string, t time.Time) string {
	a := t.In(calendar.Almaty())
	return s.tr.T(l, "track.datetime", "Date", s.fmtDate(l, a), "Time", a.Format("15:04"))
}

// claimTitle names a claim for a person: its number, or "Draft of <date>".
func (s *Server) claimTitle(l string, cl claim.Claim) string {
	if cl.Number != "" {
		return cl.Number
	}
	return s.tr.T(l, "track.draft_of", "Date", s.fmtDate(l, cl.CreatedAt.In(calendar.Almaty())))
}

// justFiled are the statuses in which the claim page still confirms a filing (?filed=1).
var justFiled = []claim.Status{claim.StatusSubmitted, claim.StatusValidating, claim.StatusRouted}

// withdrawable are the statuses in which the claimant may still withdraw (before registration).
var withdrawable = []claim.Status{claim.StatusSubmitted, claim.StatusValidating, claim.StatusRouted,
	claim.StatusNeedsCorrection, claim.StatusLeftWithoutMotion, claim.StatusUnroutable}

type claimRow struct {
	ID, Title, Subject, Category, Respondent, Status, StatusCode, Next, Created, Submitted string
	Draft, Correct                                                                         bool
}

// claimsPage lists the person's own claims, newest first.
func (s *Server) claimsPage(c *fiber.Ctx) error {
	p := principalOf(c)
	l := langOf(c)
	ctx := c.UserContext()
	list, err := s.DB.ClaimsOf(ctx, p.IIN, nil, 200)
	if err != nil {
		return err
	}
	names := map[string]string{}
	rows := make([]claimRow, len(list))
	for i, it := range list {
		r := claimRow{ID: it.ID, Subject: it.Subject, Status: s.tr.T(l, "track.status."+string(it.Status)), StatusCode: string(it.Status),
			Next: s.tr.T(l, "next."+string(it.Status)), Created: s.fmtDateTime(l, it.CreatedAt),
			Draft: it.Status == claim.StatusDraft, Correct: it.Status.Editable() && it.Status != claim.StatusDraft}
		r.Title = it.Number
		if r.Title == "" {
			r.Title = s.tr.T(l, "track.draft_of", "Date", s.fmtDate(l, it.CreatedAt.In(calendar.Almaty())))
		}
		if it.Category != "" {
			r.Category = s.tr.T(l, "category."+it.Category)
		}
		if it.SubmittedAt != nil {
			r.Submitted = s.fmtDateTime(l, *it.SubmittedAt)
		}
		if it.RespondentBIN != "" {
			if _, ok := names[it.RespondentBIN]; !ok {
				if b, err := s.DB.Body(ctx, it.RespondentBIN); err == nil {
					names[it.RespondentBIN] = b.Name.In(l)
				}
			}
			r.Respondent = names[it.RespondentBIN]
		}
		rows[i] = r
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "claims_list", fiber.Map{"Claims": rows, "Saved": c.Query("saved") != "", "Deleted": c.Query("deleted") != ""})
}

type eventView struct {
	When, What, Who, Detail string
}

// eventViews is the claim's timeline, newest first, in words.
func (s *Server) eventViews(l string, cl claim.Claim, viewerIsClaimant bool, events []audit.Event) []eventView {
	out := make([]eventView, 0, len(events))
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		what := s.tr.T(l, "track.event."+e.Event)
		if what == "track.event."+e.Event {
			what = s.tr.T(l, "track.event_other", "Event", e.Event)
		}
		actor := actorLabel(e, cl)
		who := s.tr.T(l, "track.actor."+actor)
		if who == "track.actor."+actor {
			who = s.tr.T(l, "track.actor.staff")
		}
		if actor == "claimant" && viewerIsClaimant {
			who = s.tr.T(l, "track.actor.you")
		}
		v := eventView{When: s.fmtDateTime(l, e.At), What: what, Who: who}
		var data map[string]any
		if json.Unmarshal([]byte(e.Data), &data) == nil {
			if id, ok := data["document_id"].(string); ok {
				for _, d := range cl.Documents {
					if d.ID == id {
						v.Detail = d.Name
					}
				}
			}
			if n, ok := data["number"].(string); ok && v.Detail == "" {
				v.Detail = n
			}
		}
		out = append(out, v)
	}
	return out
}

// claimPage shows a claim to those who may see it: where it stands, what happened, what to do.
func (s *Server) claimPage(c *fiber.Ctx) error {
	p := principalOf(c)
	l := langOf(c)
	ctx := c.UserContext()
	cl, err := s.visibleClaim(ctx, p, c.Params("id"))
	if err != nil {
		return err
	}
	own := cl.ClaimantIIN == p.IIN
	events, err := s.DB.ClaimEvents(ctx, cl.ID)
	if err != nil {
		return err
	}
	data := fiber.Map{
		"Claim": cl, "Title": s.claimTitle(l, cl), "Own": own,
		"Status": s.tr.T(l, "track.status."+string(cl.Status)), "StatusCode": string(cl.Status), "Next": s.tr.T(l, "next."+string(cl.Status)),
		// The "filed" confirmation belongs to the filing: a later reload of that address, once the
		// court has decided, would contradict the status.
		"Filed": c.Query("filed") != "" && cl.Number != "" && slices.Contains(justFiled, cl.Status), "Withdrawn": c.Query("withdrawn") != "" && cl.Status == claim.StatusWithdrawn,
		"Events": s.eventViews(l, cl, own, events), "Docs": s.docViews(l, cl), "Duty": s.dutyView(l, cl),
		"CanContinue": own && cl.Status == claim.StatusDraft,
		"CanCorrect":  own && cl.Status.Editable() && cl.Status != claim.StatusDraft,
		"CanWithdraw": own && slices.Contains(withdrawable, cl.Status),
		"HasReceipt":  cl.Number != "" && cl.SubmittedAt != nil,
	}
	if data["VerifyPath"], err = s.verifyPath(ctx, cl); err != nil {
		return err
	}
	if cl.Category != "" {
		data["Category"] = s.tr.T(l, "category."+cl.Category)
	}
	if cl.Kind != "" {
		data["Kind"] = s.tr.T(l, "kind."+cl.Kind)
	}
	if cl.RespondentBIN != "" {
		name := cl.RespondentBIN
		if b, err := s.DB.Body(ctx, cl.RespondentBIN); err == nil {
			name = b.Name.In(l) + " (" + s.tr.T(l, "form.bin") + " " + b.BIN + ")"
		}
		data["Respondent"] = name
	}
	if cl.SubmittedAt != nil {
		data["SubmittedAt"] = s.fmtDateTime(l, *cl.SubmittedAt)
	}
	if cl.Routing != nil {
		data["CourtWhy"] = cl.Routing.Explanation.In(l)
		data["Court"] = cl.CourtID
		if ct, err := s.DB.Court(ctx, cl.CourtID); err == nil {
			data["Court"] = ct.Name.In(l)
		}
	}
	problems := make([]string, len(cl.Problems))
	for i, n := range cl.Problems {
		problems[i] = n.Message.In(l)
	}
	flags := make([]string, len(cl.Flags))
	for i, n := range cl.Flags {
		flags[i] = n.Message.In(l)
	}
	data["Problems"], data["Flags"] = problems, flags
	if cl.CorrectionDue != nil && cl.Status.Editable() {
		data["CorrectionDue"] = s.fmtDate(l, cl.CorrectionDue.Time)
	}
	if cl.RoutedAt != nil {
		decisions, err := s.decisionViews(c, cl)
		if err != nil {
			return err
		}
		responses, err := s.DB.Responses(ctx, cl.ID)
		if err != nil {
			return err
		}
		rv := make([]responseView, len(responses))
		for i, r := range responses {
			rv[i] = responseView{At: s.fmtDateTime(l, r.SubmittedAt), Text: strings.Split(r.Text, "\n"), Late: r.Late}
			for _, d := range r.Documents {
				rv[i].Docs = append(rv[i].Docs, docView{ID: d.ID, Name: d.Name, Size: s.formSize(l, d.Size), SHA256: d.SHA256,
					URL: "/api/v1/claims/" + cl.ID + "/documents/" + d.ID, Kind: s.tr.T(l, "track.response_document")})
			}
		}
		data["Decisions"], data["Responses"] = decisions, rv
	}
	if own && cl.Status.Editable() {
		missing, _ := s.formErrors(l, cl.ID, "", s.formMessages(l, Missing(cl)))
		data["Missing"] = missing
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "claim_page", data)
}

type decisionView struct {
	At, What, Due, Court string
	Reasons              []string
	Text                 []string
}

type responseView struct {
	At   string
	Text []string
	Late bool
	Docs []docView
}

// decisionViews are the court's decisions on the claim in words, with each reason as listed in
// the data and the judge's own text word for word.
func (s *Server) decisionViews(c *fiber.Ctx, cl claim.Claim) ([]decisionView, error) {
	l := langOf(c)
	list, err := s.DB.Decisions(c.UserContext(), cl.ID)
	if err != nil {
		return nil, err
	}
	ch, err := seed.LoadChoices()
	if err != nil {
		return nil, err
	}
	labels := map[string]string{}
	for _, g := range ch.ReturnGrounds {
		labels[g.Code] = g.Label.In(l)
		if g.Number > 0 {
			labels[g.Code] = s.tr.T(l, "track.ground", "Number", g.Number, "Label", g.Label.In(l))
		}
		if g.Refile {
			labels[g.Code] += " " + s.tr.T(l, "track.refile_allowed")
		}
	}
	for _, d := range ch.Defects {
		labels[d.Code] = d.Label.In(l)
	}
	courts := map[string]string{}
	if cs, err := s.DB.Courts(c.UserContext()); err == nil {
		for _, ct := range cs {
			courts[ct.ID] = ct.Name.In(l)
		}
	}
	out := make([]decisionView, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		d := list[i]
		what := s.tr.T(l, "track.decision."+d.Action)
		if what == "track.decision."+d.Action {
			what = s.tr.T(l, "track.decision_other")
		}
		v := decisionView{At: s.fmtDateTime(l, d.DecidedAt), What: what}
		for _, r := range d.Reasons {
			if lb, ok := labels[r]; ok {
				r = lb
			}
			v.Reasons = append(v.Reasons, r)
		}
		if strings.TrimSpace(d.Text) != "" {
			v.Text = strings.Split(d.Text, "\n")
		}
		if d.CorrectionDue != nil {
			v.Due = s.fmtDate(l, *d.CorrectionDue)
		}
		if d.ToCourt != "" {
			v.Court = courts[d.ToCourt]
			if v.Court == "" {
				v.Court = d.ToCourt
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// withdrawPage asks to confirm a withdrawal.
func (s *Server) withdrawPage(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	if !slices.Contains(withdrawable, cl.Status) {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	return s.render(c, "form_withdraw", fiber.Map{"Claim": cl, "Title": s.claimTitle(langOf(c), cl)})
}

// withdrawClaim withdraws a filed claim before registration (APPK Art. 142(2)).
func (s *Server) withdrawClaim(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	_, err = s.filing.Withdraw(c.UserContext(), principalOf(c).IIN, cl.ID)
	switch {
	case errors.Is(err, storage.ErrConflict):
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	return c.Redirect(claimURL(cl.ID)+"?withdrawn=1", fiber.StatusSeeOther)
}
