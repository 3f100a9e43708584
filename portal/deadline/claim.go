package deadline

import (
	"time"

	"talap/portal/calendar"
	"talap/portal/claim"
)

// NotFiledReason is the pre-trial answer "I did not complain" (claim.Pretrial.ExemptReason): no
// complaint and no exemption, so APPK Art. 91(5) applies. Every other reason is an exemption.
const NotFiledReason = "not_filed"

// ForDraft is the Input for a claim's answers: the claim form's hint (a draft, not filed yet:
// filedAt zero) and the court's flags (a filed claim: claim.Claim embeds its Draft) both take it
// from here, so that they count the same period. complaintBodyDays is the configured complaint
// body's deadline (TALAP_COMPLAINT_BODY_DAYS; 0 means DefaultComplaintBodyDays).
func ForDraft(d claim.Draft, complaintBodyDays int, filedAt time.Time) Input {
	return Input{
		Kind:               d.Kind,
		ActReceivedOn:      timeOf(d.ContestedAct.ReceivedOn),
		ActIssuedOn:        timeOf(d.ContestedAct.IssuedOn),
		PretrialFiledOn:    timeOf(d.Pretrial.ComplaintFiledOn),
		PretrialDecisionOn: timeOf(d.Pretrial.DecisionReceivedOn),
		PretrialExempt:     d.Pretrial.ExemptReason != "" && d.Pretrial.ExemptReason != NotFiledReason,
		ComplaintBodyDays:  complaintBodyDays,
		FiledAt:            filedAt,
	}
}

func timeOf(d *claim.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := d.Time
	return &t
}

// LatePretrialComplaint reports whether the claim's pre-trial complaint itself came after the
// 3-month period of APPK Art. 92(1) (see PretrialComplaintDeadline), with that period. It is
// false when the complaint or the act's delivery date is not given, or the period cannot be
// computed.
func LatePretrialComplaint(cal *calendar.Calendar, in Input) (Result, bool) {
	if in.PretrialFiledOn == nil || in.ActReceivedOn == nil {
		return Result{}, false
	}
	res, err := PretrialComplaintDeadline(cal, *in.ActReceivedOn, *in.PretrialFiledOn)
	if err != nil || !res.Late {
		return Result{}, false
	}
	return res, true
}

// ResponseSchedule is when a routed claim's response is due and when the respondent is reminded.
type ResponseSchedule struct {
	// Due is the last day for the response (see ResponseDue: APPK Art. 138(5)).
	Due time.Time
	// RemindAt is the instant of the reminder: remindBefore working days before Due, at the
	// configured time of day in Almaty; nil when that day cannot be computed (remindBefore larger
	// than the period, or a year the calendar does not cover).
	RemindAt *time.Time
}

// Respond computes the response schedule of a claim routed at routedAt (an instant or a date):
// the response is due workingDays working days later (TALAP_RESPONSE_DAYS), and the reminder goes
// out remindBefore working days before that (TALAP_REMIND_BEFORE_DAYS) at the time of day
// reminderAt, an offset from midnight Almaty time (TALAP_REMINDER_AT). It fails when Due cannot
// be computed (see ResponseDue).
func Respond(cal *calendar.Calendar, routedAt time.Time, workingDays, remindBefore int, reminderAt time.Duration) (ResponseSchedule, error) {
	due, err := ResponseDue(cal, routedAt, workingDays)
	if err != nil {
		return ResponseSchedule{}, err
	}
	out := ResponseSchedule{Due: due}
	if day, err := cal.AddWorkingDays(calendar.AlmatyDate(routedAt), workingDays-remindBefore); err == nil {
		y, m, d := day.Date()
		at := time.Date(y, m, d, int(reminderAt/time.Hour), int(reminderAt%time.Hour/time.Minute),
			int(reminderAt%time.Minute/time.Second), 0, calendar.Almaty())
		out.RemindAt = &at
	}
	return out, nil
}
