// Package deadline computes the filing periods of administrative claims under the Administrative
// Procedural Code (APPK, Code No. 350-VI) and related court deadlines, from a working-day calendar.
//
// # Counting
//
// Periods are counted as in the Civil Procedure Code, Arts. 122-123 (applied where the APPK is
// silent):
//   - a period starts on the day after the event that starts it;
//   - a period in months ends on the same-numbered day of its last month, or on that month's last
//     day if it has no such day (31 Jan + 1 month = 28 or 29 Feb); a period in years ends on the
//     same month and day of its last year (29 Feb + 1 year = 28 Feb);
//   - if the last day is a non-working day, the period ends on the next working day;
//   - an act may be done until 24:00 Asia/Almaty time on the last day, electronic filings included.
//
// # Dates and instants
//
// Every date field (…On) and every instant (FiledAt, routedAt) is turned into a civil date in
// Kazakhstan with calendar.AlmatyDate. So a date may be given as 00:00 UTC (as pgx returns a date
// column), as any time of that day in Asia/Almaty, or as the instant the event happened. Dates in
// results are 00:00 UTC (see package calendar).
//
// # Never refuse
//
// A late claim or a missing pre-trial step is flagged, with the reason in plain words in Kazakh,
// Russian and English; it is never refused here. The court decides.
package deadline

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"talap/portal/calendar"
	"talap/portal/lang"
)

// Input describes a claim for FilingDeadline.
type Input struct {
	// Kind is one of KindChallenge, KindCoercion, KindAction, KindRecognition.
	Kind string
	// ActReceivedOn is when the act was delivered or made known to the claimant; for an action
	// claim, when the claimant learned of the action (or the period the law sets for the action
	// ended).
	ActReceivedOn *time.Time
	// ActIssuedOn is when the act was issued; for a recognition claim, when the legal relationship
	// arose (ActReceivedOn is used if it is nil).
	ActIssuedOn *time.Time
	// PretrialFiledOn is when the pre-trial complaint was filed, nil if none was.
	PretrialFiledOn *time.Time
	// PretrialDecisionOn is when the decision on the pre-trial complaint was delivered, nil if
	// none was.
	PretrialDecisionOn *time.Time
	// PretrialExempt is set when a law provides no pre-trial step or there is no complaint body.
	PretrialExempt bool
	// ComplaintBodyDays is the complaint body's own deadline in working days, used for a deemed
	// refusal; 0 means DefaultComplaintBodyDays (unverified, see there).
	ComplaintBodyDays int
	// FiledAt is the instant the claim was filed; zero if it has not been filed yet.
	FiledAt time.Time
}

// Result is a computed period.
type Result struct {
	RuleID  string `json:"rule_id"`
	Article string `json:"article"`
	// Start is the date of the event that starts the clock; the period runs from the day after.
	Start time.Time `json:"start"`
	// LastDay is the last day of the period, after moving off a non-working day. Filing until
	// 24:00 Asia/Almaty time on it is on time (see EndOfDay).
	LastDay time.Time `json:"last_day"`
	// Late is true when the filing (FiledAt, complaintFiledOn) is after LastDay.
	Late bool `json:"late"`
	// DaysLate is the number of calendar days the filing came after LastDay (0 if on time).
	DaysLate int `json:"days_late"`
	// Provisional is true when LastDay is the plain calendar date because the working-day calendar
	// does not cover its year yet; the real last day may be later if it is a non-working day.
	// Only set when the filing is on time either way (or not filed yet); otherwise a missing year
	// is an error.
	Provisional bool `json:"provisional"`
	// Explanation says in plain words what was computed from which dates under which article.
	Explanation lang.Text `json:"explanation"`
	// Applicable is false when no filing period runs (a required pre-trial step was not taken);
	// Start and LastDay are then zero and Late is false.
	Applicable bool `json:"applicable"`
}

// Maximum working days the judge may set (APPK Art. 138).
const (
	MaxResponseWorkingDays   = 10 // Art. 138(5): response and administrative file
	MaxCorrectionWorkingDays = 10 // Art. 138(4)(1): curing defects ("as a rule")
)

// ErrMissingDate is matched (errors.Is) when the date a rule needs is not in the Input.
var ErrMissingDate = errors.New("deadline: a date the rule needs is missing")

// FilingDeadline finds the rule that governs the claim, computes its filing period and says
// whether the claim (if filed) is late. It fails for an unknown kind, a missing date the rule
// needs, or a year the calendar does not cover (except as described for Result.Provisional).
func FilingDeadline(cal *calendar.Calendar, in Input) (Result, error) {
	if cal == nil {
		return Result{}, errors.New("deadline: nil calendar")
	}
	if !slices.Contains(kinds, in.Kind) {
		return Result{}, fmt.Errorf("deadline: unknown claim kind %q", in.Kind)
	}
	if in.ComplaintBodyDays < 0 {
		return Result{}, fmt.Errorf("deadline: negative ComplaintBodyDays %d", in.ComplaintBodyDays)
	}
	filed := dateOrZero(in.FiledAt)
	day := func(p *time.Time, field string) (time.Time, error) {
		if p == nil || p.IsZero() {
			return time.Time{}, fmt.Errorf("%w: %s", ErrMissingDate, field)
		}
		return calendar.AlmatyDate(*p), nil
	}

	if in.Kind == KindRecognition {
		p, field := in.ActIssuedOn, "ActIssuedOn"
		if p == nil {
			p, field = in.ActReceivedOn, "ActIssuedOn or ActReceivedOn"
		}
		ev, err := day(p, field)
		if err != nil {
			return Result{}, err
		}
		return compute(cal, mustRule(RuleRecognition), ev, filed, claimDoc, nil)
	}

	switch {
	case in.PretrialDecisionOn != nil:
		ev, err := day(in.PretrialDecisionOn, "PretrialDecisionOn")
		if err != nil {
			return Result{}, err
		}
		id := RuleComplaintDecision
		if in.Kind == KindAction {
			id = RuleActionComplaintDecision
		}
		return compute(cal, mustRule(id), ev, filed, claimDoc, nil)

	case in.PretrialFiledOn != nil:
		complaint, err := day(in.PretrialFiledOn, "PretrialFiledOn")
		if err != nil {
			return Result{}, err
		}
		n := in.ComplaintBodyDays
		if n == 0 {
			n = DefaultComplaintBodyDays
		}
		ev, err := cal.AddWorkingDays(complaint, n)
		if err != nil {
			return Result{}, fmt.Errorf("deadline: end of the complaint body's deadline: %w", err)
		}
		return compute(cal, mustRule(RuleDeemedRefusal), ev, filed, claimDoc,
			&deemed{complaintFiled: complaint, days: n})

	case in.Kind == KindAction:
		ev, err := day(in.ActReceivedOn, "ActReceivedOn")
		if err != nil {
			return Result{}, err
		}
		return compute(cal, mustRule(RuleAction), ev, filed, claimDoc, nil)

	case in.PretrialExempt:
		ev, err := day(in.ActReceivedOn, "ActReceivedOn")
		if err != nil {
			return Result{}, err
		}
		return compute(cal, mustRule(RuleNoPretrial), ev, filed, claimDoc, nil)

	default:
		return pretrialMissing(cal, in), nil
	}
}

// pretrialMissing is the result when a challenge or coercion claim has no pre-trial complaint
// and no exemption: no filing period runs; say when the complaint itself is due, if known.
func pretrialMissing(cal *calendar.Calendar, in Input) Result {
	r := mustRule(RulePretrialMissing)
	var complaintDue *Result
	if in.ActReceivedOn != nil && !in.ActReceivedOn.IsZero() {
		if res, err := PretrialComplaintDeadline(cal, *in.ActReceivedOn, time.Time{}); err == nil {
			complaintDue = &res
		}
	}
	return Result{
		RuleID:      r.ID,
		Article:     r.Article,
		Explanation: explainPretrialMissing(complaintDue),
		Applicable:  false,
	}
}

// PretrialComplaintDeadline computes the 3-month period of APPK Art. 92(1) for the pre-trial
// complaint, counted from the day the participant learned of the act (actReceivedOn). Late is
// true if complaintFiledOn is after the last day; a zero complaintFiledOn means not filed yet.
// A late complaint is still accepted (Art. 92(3)); the explanation says so.
func PretrialComplaintDeadline(cal *calendar.Calendar, actReceivedOn, complaintFiledOn time.Time) (Result, error) {
	if cal == nil {
		return Result{}, errors.New("deadline: nil calendar")
	}
	if actReceivedOn.IsZero() {
		return Result{}, fmt.Errorf("%w: actReceivedOn", ErrMissingDate)
	}
	return compute(cal, mustRule(RulePretrialComplaint), calendar.AlmatyDate(actReceivedOn),
		dateOrZero(complaintFiledOn), complaintDoc, nil)
}

// ResponseDue returns the last day for the respondent's response and administrative file: the
// workingDays-th working day after the day the claim was routed to it (APPK Art. 138(5):
// at most 10 working days). routedAt is an instant or a date.
func ResponseDue(cal *calendar.Calendar, routedAt time.Time, workingDays int) (time.Time, error) {
	return workingDue(cal, routedAt, workingDays, MaxResponseWorkingDays, "response (APPK Art. 138(5))")
}

// CorrectionDue returns the last day for curing a claim's defects: the workingDays-th working day
// after from, the day the judge's demand was delivered (APPK Art. 138(4)(1): as a rule at most 10
// working days). from is an instant or a date.
func CorrectionDue(cal *calendar.Calendar, from time.Time, workingDays int) (time.Time, error) {
	return workingDue(cal, from, workingDays, MaxCorrectionWorkingDays, "correction (APPK Art. 138(4))")
}

func workingDue(cal *calendar.Calendar, from time.Time, n, limit int, what string) (time.Time, error) {
	if cal == nil {
		return time.Time{}, errors.New("deadline: nil calendar")
	}
	if from.IsZero() {
		return time.Time{}, fmt.Errorf("%w: start of the %s period", ErrMissingDate, what)
	}
	if n < 1 || n > limit {
		return time.Time{}, fmt.Errorf("deadline: %s period must be 1 to %d working days, not %d", what, limit, n)
	}
	return cal.AddWorkingDays(calendar.AlmatyDate(from), n)
}

// EndOfDay returns the instant a period whose last day is lastDay runs out: 24:00 Asia/Almaty
// time on that day (00:00 of the next day). A filing before it is on time.
func EndOfDay(lastDay time.Time) time.Time {
	y, m, d := lastDay.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, calendar.Almaty())
}

// AddMonths returns the date n months after d, on the same-numbered day, or on the last day of
// the month if it has no such day (31 Jan + 1 = 28/29 Feb). It does not move off non-working days.
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := calendar.Day(y, m+time.Month(n), 1)
	if last := first.AddDate(0, 1, -1).Day(); day > last {
		day = last
	}
	return calendar.Day(first.Year(), first.Month(), day)
}

// rawEnd is the last day of a period counted from ev, before moving off a non-working day.
func rawEnd(cal *calendar.Calendar, ev time.Time, p Period) (time.Time, error) {
	switch p.Unit {
	case Months:
		return AddMonths(ev, p.N), nil
	case Years:
		return AddMonths(ev, 12*p.N), nil
	case Days:
		return ev.AddDate(0, 0, p.N), nil
	case WorkingDays:
		return cal.AddWorkingDays(ev, p.N)
	}
	return time.Time{}, fmt.Errorf("deadline: unknown period unit %q", p.Unit)
}

type deemed struct {
	complaintFiled time.Time
	days           int
}

func compute(cal *calendar.Calendar, r Rule, ev, filed time.Time, doc docKind, dr *deemed) (Result, error) {
	raw, err := rawEnd(cal, ev, r.Period)
	if err != nil {
		return Result{}, fmt.Errorf("deadline: %s: %w", r.ID, err)
	}
	f := facts{rule: r, event: ev, raw: raw, filed: filed, doc: doc, deemed: dr}
	last, err := cal.NextWorkingDay(raw)
	var yerr *calendar.YearNotCoveredError
	switch {
	case err == nil:
	case errors.As(err, &yerr) && yerr.Year == raw.Year() && (filed.IsZero() || !filed.After(raw)):
		// The last day falls in a year the calendar does not cover, and the filing is on time
		// whatever that year's calendar says: give the calendar date and say so.
		last, f.provisionalYear = raw, yerr.Year
	default:
		return Result{}, fmt.Errorf("deadline: %s: last day of the period: %w", r.ID, err)
	}
	f.last = last
	if !last.Equal(raw) {
		if h, ok := cal.HolidayOn(raw); ok {
			f.holiday = &h.Name
		}
	}
	res := Result{
		RuleID:      r.ID,
		Article:     r.Article,
		Start:       ev,
		LastDay:     last,
		Provisional: f.provisionalYear != 0,
		Applicable:  true,
	}
	if !filed.IsZero() && filed.After(last) {
		res.Late = true
		res.DaysLate = int(filed.Sub(last).Hours()/24 + 0.5)
		f.daysLate = res.DaysLate
	}
	res.Explanation = explain(f)
	return res, nil
}

func dateOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return calendar.AlmatyDate(t)
}
