package deadline

import (
	"errors"
	"testing"
	"time"

	"talap/portal/claim"
)

func cdate(s string) *claim.Date {
	d, err := claim.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func fmtPtr(p *time.Time) string {
	if p == nil {
		return "nil"
	}
	return p.Format("2006-01-02")
}

func TestForDraft(t *testing.T) {
	filed := at(2026, 6, 15, 10, 0)
	act := claim.Act{IssuedOn: cdate("2026-03-01"), ReceivedOn: cdate("2026-03-02")}
	tests := []struct {
		name                            string
		d                               claim.Draft
		received, issued, pFiled, pDone string
		exempt                          bool
	}{
		{"nothing answered", claim.Draft{}, "nil", "nil", "nil", "nil", false},
		{"complaint with a decision", claim.Draft{Kind: KindChallenge, ContestedAct: act,
			Pretrial: claim.Pretrial{ComplaintFiledOn: cdate("2026-04-01"), DecisionReceivedOn: cdate("2026-05-04")}},
			"2026-03-02", "2026-03-01", "2026-04-01", "2026-05-04", false},
		{"complaint, no decision", claim.Draft{Kind: KindCoercion, ContestedAct: act, Pretrial: claim.Pretrial{ComplaintFiledOn: cdate("2026-04-01")}},
			"2026-03-02", "2026-03-01", "2026-04-01", "nil", false},
		{"a law exempts: exempt", claim.Draft{Kind: KindChallenge, ContestedAct: act, Pretrial: claim.Pretrial{ExemptReason: "law_exempts"}},
			"2026-03-02", "2026-03-01", "nil", "nil", true},
		{"did not complain: not exempt (Art. 91(5))", claim.Draft{Kind: KindChallenge, ContestedAct: act, Pretrial: claim.Pretrial{ExemptReason: NotFiledReason}},
			"2026-03-02", "2026-03-01", "nil", "nil", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ForDraft(tt.d, 30, filed)
			if in.Kind != tt.d.Kind || in.ComplaintBodyDays != 30 || !in.FiledAt.Equal(filed) {
				t.Errorf("Kind, ComplaintBodyDays, FiledAt = %q, %d, %v", in.Kind, in.ComplaintBodyDays, in.FiledAt)
			}
			got := [4]string{fmtPtr(in.ActReceivedOn), fmtPtr(in.ActIssuedOn), fmtPtr(in.PretrialFiledOn), fmtPtr(in.PretrialDecisionOn)}
			if want := [4]string{tt.received, tt.issued, tt.pFiled, tt.pDone}; got != want {
				t.Errorf("dates = %v, want %v", got, want)
			}
			if in.PretrialExempt != tt.exempt {
				t.Errorf("PretrialExempt = %v, want %v", in.PretrialExempt, tt.exempt)
			}
		})
	}
}

// The configured complaint-body period reaches the rule: a complaint with no decision counts as
// refused after that many working days (APPK Arts. 100(5), 136(6)).
func TestForDraftCarriesTheComplaintBodyPeriod(t *testing.T) {
	cal := loadCal(t)
	d := claim.Draft{Kind: KindChallenge, ContestedAct: claim.Act{ReceivedOn: cdate("2026-06-01")},
		Pretrial: claim.Pretrial{ComplaintFiledOn: cdate("2026-06-10")}}
	tests := []struct {
		days        int
		start, last string
	}{
		// DefaultComplaintBodyDays (20) after 10 June, 6 July (Capital Day) not counted: 9 July;
		// a month later is Sun 9 August, so Mon 10 August.
		{0, "2026-07-09", "2026-08-10"},
		{20, "2026-07-09", "2026-08-10"},
		{30, "2026-07-23", "2026-08-24"}, // 23 August is a Sunday
	}
	for _, tt := range tests {
		res, err := FilingDeadline(cal, ForDraft(d, tt.days, time.Time{}))
		if err != nil {
			t.Fatal(err)
		}
		if res.RuleID != RuleDeemedRefusal || res.Start.Format("2006-01-02") != tt.start || res.LastDay.Format("2006-01-02") != tt.last {
			t.Errorf("%d days: %s from %s to %s, want %s from %s to %s", tt.days, res.RuleID,
				res.Start.Format("2006-01-02"), res.LastDay.Format("2006-01-02"), RuleDeemedRefusal, tt.start, tt.last)
		}
	}
}

func TestLatePretrialComplaint(t *testing.T) {
	cal := loadCal(t)
	tests := []struct {
		name     string
		received string
		filed    string
		late     bool
	}{
		{"no complaint", "2026-01-05", "", false},
		{"no delivery date", "", "2026-06-01", false},
		{"within 3 months (Art. 92(1))", "2026-01-05", "2026-04-06", false},
		{"after 3 months", "2026-01-05", "2026-04-07", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in Input
			if tt.received != "" {
				in.ActReceivedOn = ptr(tt.received)
			}
			if tt.filed != "" {
				in.PretrialFiledOn = ptr(tt.filed)
			}
			res, late := LatePretrialComplaint(cal, in)
			if late != tt.late {
				t.Fatalf("late = %v, want %v", late, tt.late)
			}
			if late && (res.RuleID != RulePretrialComplaint || !res.Late || res.Explanation.EN == "") {
				t.Errorf("result = %+v", res)
			}
		})
	}
}

func TestRespond(t *testing.T) {
	cal := loadCal(t)
	tests := []struct {
		name         string
		routedAt     time.Time
		days, before int
		at           time.Duration
		due          string
		remind       time.Time // zero: no reminder
		err          bool
	}{
		// Mon 1 June 2026 + 10 working days = Mon 15 June; 2 before = Thu 11 June.
		{"default 09:00", at(2026, 6, 1, 16, 30), 10, 2, 9 * time.Hour, "2026-06-15", at(2026, 6, 11, 9, 0), false},
		{"configured 14:30", at(2026, 6, 1, 16, 30), 10, 2, 14*time.Hour + 30*time.Minute, "2026-06-15", at(2026, 6, 11, 14, 30), false},
		{"midnight", at(2026, 6, 1, 16, 30), 10, 2, 0, "2026-06-15", at(2026, 6, 11, 0, 0), false},
		// 19:30 UTC on 31 May is 00:30 on 1 June in Almaty: the clock starts on 1 June.
		{"instant read in Almaty", time.Date(2026, 5, 31, 19, 30, 0, 0, time.UTC), 10, 2, 9 * time.Hour, "2026-06-15", at(2026, 6, 11, 9, 0), false},
		// Mon 6 July 2026 (Capital Day) is not a working day: Fri 3 July + 5 = Mon 13 July.
		{"over a holiday", at(2026, 7, 3, 10, 0), 5, 1, 9 * time.Hour, "2026-07-13", at(2026, 7, 10, 9, 0), false},
		{"reminder on the routing day", at(2026, 6, 1, 10, 0), 2, 2, 9 * time.Hour, "2026-06-03", at(2026, 6, 1, 9, 0), false},
		{"reminder before routing: none", at(2026, 6, 1, 10, 0), 2, 3, 9 * time.Hour, "2026-06-03", time.Time{}, false},
		{"more than Art. 138(5) allows", at(2026, 6, 1, 10, 0), 11, 2, 9 * time.Hour, "", time.Time{}, true},
		{"no routing time", time.Time{}, 10, 2, 9 * time.Hour, "", time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Respond(cal, tt.routedAt, tt.days, tt.before, tt.at)
			if tt.err {
				if err == nil {
					t.Fatalf("no error, got %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Due.Format("2006-01-02") != tt.due {
				t.Errorf("Due = %s, want %s", got.Due.Format("2006-01-02"), tt.due)
			}
			switch {
			case tt.remind.IsZero() && got.RemindAt != nil:
				t.Errorf("RemindAt = %v, want none", got.RemindAt)
			case !tt.remind.IsZero() && (got.RemindAt == nil || !got.RemindAt.Equal(tt.remind)):
				t.Errorf("RemindAt = %v, want %v", got.RemindAt, tt.remind)
			}
		})
	}
}

func TestRespondNeedsACalendar(t *testing.T) {
	if _, err := Respond(nil, at(2026, 6, 1, 10, 0), 10, 2, 9*time.Hour); err == nil || errors.Is(err, ErrMissingDate) {
		t.Fatalf("err = %v, want a nil-calendar error", err)
	}
}
