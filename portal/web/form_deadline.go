package web

// The filing-period hint on the act, pre-trial and check pages, and its live version for form.js.

import (
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/deadline"
)

// deadlineView is the filing-period hint shown on the act, pre-trial and check pages. It never
// blocks: the court decides on a late claim.
type deadlineView struct {
	Level   string `json:"level"` // ok, soon, late or warn (no filing period runs yet)
	Heading string `json:"heading"`
	Text    string `json:"text"`
	Advice  string `json:"advice,omitempty"`
	Note    string `json:"note,omitempty"`
}

var formCalendar = sync.OnceValues(calendar.Load)

// formDeadline computes the filing period of the draft as it stands, as if filed today; nil when
// the dates it needs are not given yet.
func (s *Server) formDeadline(l string, d claim.Draft, now time.Time) *deadlineView {
	if !slices.Contains(claim.Kinds, d.Kind) {
		return nil
	}
	cal, err := formCalendar()
	if err != nil {
		s.Log.Warn("calendar", "error", err)
		return nil
	}
	// The same Input, with the same configured complaint-body period, as the court's flags
	// (intake.Flags); not filed yet.
	in := deadline.ForDraft(d, s.Config.ComplaintBodyDays, time.Time{})
	res, err := deadline.FilingDeadline(cal, in)
	if err != nil {
		return nil
	}
	v := &deadlineView{Text: res.Explanation.In(l)}
	today := calendar.AlmatyDate(now)
	switch {
	case !res.Applicable && d.Pretrial.ExemptReason == "":
		// The pre-trial question is not answered yet: nothing to warn about so far.
		return nil
	case !res.Applicable:
		v.Level, v.Heading = "warn", s.tr.T(l, "form.deadline.pretrial_missing")
		v.Advice = s.tr.T(l, "form.deadline.pretrial_advice")
	case today.After(res.LastDay):
		v.Level, v.Heading = "late", s.tr.T(l, "form.deadline.late", "Date", s.fmtDate(l, res.LastDay))
		v.Advice = s.tr.T(l, "form.deadline.late_advice")
	default:
		days := int(res.LastDay.Sub(today).Hours() / 24)
		v.Level, v.Heading = "ok", s.tr.T(l, "form.deadline.ok", "Date", s.fmtDate(l, res.LastDay), "Days", days)
		if days <= 7 {
			v.Level, v.Heading = "soon", s.tr.T(l, "form.deadline.soon", "Date", s.fmtDate(l, res.LastDay), "Days", days)
		}
	}
	if pr, late := deadline.LatePretrialComplaint(cal, in); late {
		v.Note = pr.Explanation.In(l)
	}
	return v
}

// stepDeadline is the deadline hint for a draft; a claim being corrected was filed already, so
// a period counted to today would mislead.
func (s *Server) stepDeadline(l string, cl claim.Claim) *deadlineView {
	if cl.Status != claim.StatusDraft {
		return nil
	}
	return s.formDeadline(l, cl.Draft, time.Now())
}

// deadlineHint answers form.js with the deadline hint for answers being typed, without saving them.
func (s *Server) deadlineHint(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	step := c.Query("step")
	if step != "act" && step != "pretrial" {
		return c.JSON(fiber.Map{})
	}
	answers, _ := formAnswers(step, func(n string) string { return c.Query(n) }, cl)
	if step == "pretrial" && c.Query("pretrial") == "" {
		delete(answers, "pretrial")
	}
	body, err := json.Marshal(answers)
	if err != nil {
		return err
	}
	d, err := claim.Apply(cl.Draft, body, time.Now())
	if err != nil {
		return c.JSON(fiber.Map{})
	}
	if v := s.formDeadline(langOf(c), d, time.Now()); v != nil {
		return c.JSON(v)
	}
	return c.JSON(fiber.Map{})
}
