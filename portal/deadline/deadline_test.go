package deadline

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"talap/portal/calendar"
)

var almaty = calendar.Almaty()

func loadCal(t *testing.T) *calendar.Calendar {
	t.Helper()
	c, err := calendar.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func day(s string) time.Time {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func ptr(s string) *time.Time { d := day(s); return &d }

func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, almaty)
}

type filingCase struct {
	name        string
	in          Input
	rule        string
	start, last string // "" for zero
	late        bool
	daysLate    int
	provisional bool
	notApplic   bool
	text        []string // fragments the English explanation must contain
	err         error    // errors.Is target; nil = success
}

func runFiling(t *testing.T, tests []filingCase) {
	t.Helper()
	cal := loadCal(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FilingDeadline(cal, tt.in)
			if tt.err != nil {
				if err == nil || (tt.err != errAny && !errors.Is(err, tt.err)) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, got, tt)
		})
	}
}

func checkResult(t *testing.T, got Result, tt filingCase) {
	t.Helper()
	if got.RuleID != tt.rule {
		t.Errorf("RuleID = %s, want %s", got.RuleID, tt.rule)
	}
	if r, ok := RuleByID(got.RuleID); !ok || r.Article != got.Article {
		t.Errorf("Article = %q, want the rule's (%q)", got.Article, r.Article)
	}
	fmtDay := func(d time.Time) string {
		if d.IsZero() {
			return ""
		}
		return d.Format("2006-01-02")
	}
	if fmtDay(got.Start) != tt.start {
		t.Errorf("Start = %s, want %s", fmtDay(got.Start), tt.start)
	}
	if fmtDay(got.LastDay) != tt.last {
		t.Errorf("LastDay = %s, want %s", fmtDay(got.LastDay), tt.last)
	}
	if got.Late != tt.late || got.DaysLate != tt.daysLate {
		t.Errorf("Late, DaysLate = %v, %d; want %v, %d", got.Late, got.DaysLate, tt.late, tt.daysLate)
	}
	if got.Provisional != tt.provisional {
		t.Errorf("Provisional = %v, want %v", got.Provisional, tt.provisional)
	}
	if got.Applicable == tt.notApplic {
		t.Errorf("Applicable = %v, want %v", got.Applicable, !tt.notApplic)
	}
	ex := got.Explanation
	if ex.KK == "" || ex.RU == "" || ex.EN == "" {
		t.Fatalf("explanation missing a language: %+v", ex)
	}
	if got.Applicable {
		r, _ := RuleByID(got.RuleID)
		last := got.LastDay
		for lang, pair := range map[string][2]string{
			"kk": {ex.KK, r.Cite.KK + "|" + last.Format("02.01.2006")},
			"ru": {ex.RU, r.Cite.RU + "|" + last.Format("02.01.2006")},
			"en": {ex.EN, r.Cite.EN + "|" + last.Format("2006-01-02")},
		} {
			for _, want := range strings.Split(pair[1], "|") {
				if !strings.Contains(pair[0], want) {
					t.Errorf("%s explanation lacks %q: %s", lang, want, pair[0])
				}
			}
		}
	}
	for _, frag := range tt.text {
		if !strings.Contains(ex.EN, frag) {
			t.Errorf("explanation lacks %q:\n%s", frag, ex.EN)
		}
	}
}

func TestMonthEndsAndLeapYears(t *testing.T) {
	runFiling(t, []filingCase{
		{name: "31 Jan 2025 + 1 month = 28 Feb (Fri)",
			in:   Input{Kind: KindChallenge, PretrialExempt: true, ActReceivedOn: ptr("2025-01-31")},
			rule: RuleNoPretrial, start: "2025-01-31", last: "2025-02-28",
			text: []string{"runs from 2025-02-01", "its last day is 2025-02-28", "by 24:00 Almaty time on 2025-02-28"}},
		{name: "31 Jan 2028 + 1 month = 29 Feb (leap year, Tue)",
			in:   Input{Kind: KindCoercion, PretrialExempt: true, ActReceivedOn: ptr("2028-01-31")},
			rule: RuleNoPretrial, start: "2028-01-31", last: "2028-02-29"},
		{name: "31 Jan 2027 + 1 month = 28 Feb, a Sunday, so Mon 1 Mar",
			in:   Input{Kind: KindChallenge, PretrialExempt: true, ActReceivedOn: ptr("2027-01-31")},
			rule: RuleNoPretrial, start: "2027-01-31", last: "2027-03-01",
			text: []string{"would have ended on 2027-02-28, a non-working day (Sunday)"}},
		{name: "31 Mar 2026 + 1 month = 30 Apr",
			in:   Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2026-03-31")},
			rule: RuleComplaintDecision, start: "2026-03-31", last: "2026-04-30"},
	})
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2028-01-31", 1, "2028-02-29"},
		{"2027-01-31", 1, "2027-02-28"},
		{"2026-03-31", 1, "2026-04-30"},
		{"2026-12-31", 2, "2027-02-28"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-01-15", 1, "2026-02-15"},
		{"2026-01-15", 0, "2026-01-15"},
		{"2026-10-31", 3, "2027-01-31"},
		{"2028-02-29", 12, "2029-02-28"},
		{"2028-02-29", 60, "2033-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
	}
	for _, tt := range tests {
		if got := AddMonths(day(tt.from), tt.n).Format("2006-01-02"); got != tt.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestHolidaysAndWeekends(t *testing.T) {
	runFiling(t, []filingCase{
		{name: "ends on 16 Dec (Independence Day) -> 17 Dec",
			in:   Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2026-11-16")},
			rule: RuleComplaintDecision, start: "2026-11-16", last: "2026-12-17",
			text: []string{"2026-12-16, a non-working day (Independence Day)"}},
		{name: "ends on 1 May 2026 (Fri) -> Mon 4 May",
			in:   Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2026-04-01")},
			rule: RuleComplaintDecision, start: "2026-04-01", last: "2026-05-04",
			text: []string{"(Unity Day of the People of Kazakhstan)"}},
		{name: "ends on Nauryz Sat 21 Mar 2026 -> Thu 26 Mar",
			in:   Input{Kind: KindCoercion, PretrialDecisionOn: ptr("2026-02-21")},
			rule: RuleComplaintDecision, start: "2026-02-21", last: "2026-03-26",
			text: []string{"(Nauryz)"}},
		{name: "ends on Nauryz Mon 23 Mar 2026 -> Thu 26 Mar (24-25 Mar are moved days off)",
			in:   Input{Kind: KindCoercion, PretrialDecisionOn: ptr("2026-02-23")},
			rule: RuleComplaintDecision, start: "2026-02-23", last: "2026-03-26"},
		{name: "ends on Saturday 4 Apr 2026 -> Monday 6 Apr",
			in:   Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2026-03-04")},
			rule: RuleComplaintDecision, start: "2026-03-04", last: "2026-04-06",
			text: []string{"2026-04-04, a non-working day (Saturday)"}},
		{name: "ends on 8 Mar 2026 (Sun); 9 Mar is its moved day off -> 10 Mar",
			in:   Input{Kind: KindChallenge, PretrialExempt: true, ActReceivedOn: ptr("2026-02-08")},
			rule: RuleNoPretrial, start: "2026-02-08", last: "2026-03-10",
			text: []string{"(International Women's Day)"}},
		{name: "ends on Mon 9 Mar 2026, the moved day off -> 10 Mar",
			in:   Input{Kind: KindChallenge, PretrialExempt: true, ActReceivedOn: ptr("2026-02-09")},
			rule: RuleNoPretrial, start: "2026-02-09", last: "2026-03-10",
			text: []string{"2026-03-09, a non-working day, so"}},
		{name: "ends on 7 Jan 2026 (Christmas, Wed) -> 8 Jan",
			in:   Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2025-12-07")},
			rule: RuleComplaintDecision, start: "2025-12-07", last: "2026-01-08"},
		{name: "ends on Kurban Ait Sun 16 May 2027, not moved -> Mon 17 May",
			in:   Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2027-04-16")},
			rule: RuleComplaintDecision, start: "2027-04-16", last: "2027-05-17"},
		{name: "ends on 6 Jul 2026 (Capital City Day) -> 7 Jul; action claim",
			in:   Input{Kind: KindAction, ActReceivedOn: ptr("2026-06-06")},
			rule: RuleAction, start: "2026-06-06", last: "2026-07-07",
			text: []string{"the claimant learned of the action"}},
		{name: "working day: no move",
			in:   Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2026-03-01")},
			rule: RuleComplaintDecision, start: "2026-03-01", last: "2026-04-01"},
	})
}

func TestLateness(t *testing.T) {
	base := Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2026-03-01")} // last day Wed 1 Apr 2026
	with := func(filed time.Time) Input { in := base; in.FiledAt = filed; return in }
	runFiling(t, []filingCase{
		{name: "23:59 Almaty on the last day is on time", in: with(at(2026, 4, 1, 23, 59)),
			rule: RuleComplaintDecision, start: "2026-03-01", last: "2026-04-01",
			text: []string{"filed on 2026-04-01, within the period"}},
		{name: "00:00 Almaty the next day is late", in: with(at(2026, 4, 2, 0, 0)),
			rule: RuleComplaintDecision, start: "2026-03-01", last: "2026-04-01", late: true, daysLate: 1,
			text: []string{"1 day late", "motion to restore"}},
		{name: "18:59:59 UTC (23:59:59 +05) on the last day is on time", in: with(time.Date(2026, 4, 1, 18, 59, 59, 0, time.UTC)),
			rule: RuleComplaintDecision, start: "2026-03-01", last: "2026-04-01"},
		{name: "19:00 UTC (00:00 +05) is late", in: with(time.Date(2026, 4, 1, 19, 0, 0, 0, time.UTC)),
			rule: RuleComplaintDecision, start: "2026-03-01", last: "2026-04-01", late: true, daysLate: 1},
		{name: "two days late", in: with(at(2026, 4, 3, 10, 0)),
			rule: RuleComplaintDecision, start: "2026-03-01", last: "2026-04-01", late: true, daysLate: 2,
			text: []string{"The 1-month period of APPK Art. 136(1) runs from 2026-03-02 (the day after the complaint decision was received on 2026-03-01); its last day is 2026-04-01.",
				"The claim was filed on 2026-04-03, 2 days late. A motion to restore the period is needed (APPK Art. 136(7)); the court decides."}},
		{name: "filed early", in: with(at(2026, 3, 2, 9, 0)),
			rule: RuleComplaintDecision, start: "2026-03-01", last: "2026-04-01"},
		{name: "on the moved last day, 23:59", in: Input{Kind: KindChallenge, PretrialExempt: true, ActReceivedOn: ptr("2026-02-08"), FiledAt: at(2026, 3, 10, 23, 59)},
			rule: RuleNoPretrial, start: "2026-02-08", last: "2026-03-10"},
		{name: "the day after the moved last day", in: Input{Kind: KindChallenge, PretrialExempt: true, ActReceivedOn: ptr("2026-02-08"), FiledAt: at(2026, 3, 11, 0, 0)},
			rule: RuleNoPretrial, start: "2026-02-08", last: "2026-03-10", late: true, daysLate: 1},
	})
	// The Russian and Kazakh texts say the same.
	cal := loadCal(t)
	got, err := FilingDeadline(cal, with(at(2026, 4, 3, 10, 0)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"с пропуском срока на 2 дня", "ч. 7 ст. 136 АППК"} {
		if !strings.Contains(got.Explanation.RU, want) {
			t.Errorf("RU lacks %q: %s", want, got.Explanation.RU)
		}
	}
	for _, want := range []string{"2 күн кешіктірілді", "ӘРПК 136-бабының 7-бөлігі"} {
		if !strings.Contains(got.Explanation.KK, want) {
			t.Errorf("KK lacks %q: %s", want, got.Explanation.KK)
		}
	}
}

func TestEndOfDay(t *testing.T) {
	end := EndOfDay(day("2026-04-01"))
	if want := time.Date(2026, 4, 1, 19, 0, 0, 0, time.UTC); !end.Equal(want) {
		t.Fatalf("EndOfDay = %v, want %v", end, want)
	}
	if !at(2026, 4, 1, 23, 59).Before(end) || at(2026, 4, 2, 0, 0).Before(end) {
		t.Error("23:59 must be before the end, 00:00 not")
	}
}

func TestPretrialPaths(t *testing.T) {
	runFiling(t, []filingCase{
		{name: "decision given wins over exemption",
			in:   Input{Kind: KindCoercion, PretrialExempt: true, PretrialFiledOn: ptr("2026-02-02"), PretrialDecisionOn: ptr("2026-03-01"), ActReceivedOn: ptr("2026-01-10")},
			rule: RuleComplaintDecision, start: "2026-03-01", last: "2026-04-01"},
		{name: "action after a complaint decision: Art. 136(6)",
			in:   Input{Kind: KindAction, PretrialDecisionOn: ptr("2026-03-01"), ActReceivedOn: ptr("2026-01-10")},
			rule: RuleActionComplaintDecision, start: "2026-03-01", last: "2026-04-01"},
		{name: "deemed refusal, default 20 working days (unverified)",
			// 20 working days after Mon 2 Mar 2026: 3-6, 10-13, 16-20, 26-27, 30-31 Mar, 1-3 Apr.
			// 3 May 2026 is a Sunday -> Mon 4 May.
			in:   Input{Kind: KindChallenge, PretrialFiledOn: ptr("2026-03-02")},
			rule: RuleDeemedRefusal, start: "2026-04-03", last: "2026-05-04",
			text: []string{"20 working days after the complaint was filed on 2026-03-02, that is 2026-04-03", "assumptions Talap has not verified"}},
		{name: "deemed refusal, 15 working days configured: still an unverified reading, and said so",
			in:   Input{Kind: KindCoercion, PretrialFiledOn: ptr("2026-03-02"), ComplaintBodyDays: 15, FiledAt: at(2026, 4, 28, 0, 1)},
			rule: RuleDeemedRefusal, start: "2026-03-27", last: "2026-04-27", late: true, daysLate: 1,
			text: []string{"15 working days after", "The 15-working-day figure", "assumptions Talap has not verified"}},
		{name: "deemed refusal for an action claim",
			in:   Input{Kind: KindAction, PretrialFiledOn: ptr("2026-03-02"), ActReceivedOn: ptr("2026-02-01")},
			rule: RuleDeemedRefusal, start: "2026-04-03", last: "2026-05-04"},
		{name: "no complaint and no exemption: flagged, not applicable",
			in:        Input{Kind: KindChallenge, ActReceivedOn: ptr("2026-01-05"), FiledAt: at(2026, 2, 1, 12, 0)},
			rule:      RulePretrialMissing,
			notApplic: true,
			text:      []string{"No pre-trial complaint was filed", "APPK Art. 91(5)", "The last day for the complaint itself is 2026-04-06"}},
		{name: "no complaint, no exemption, no act date",
			in:        Input{Kind: KindCoercion},
			rule:      RulePretrialMissing,
			notApplic: true},
	})
}

func TestRecognition(t *testing.T) {
	runFiling(t, []filingCase{
		{name: "5 years; 10 May 2027 is the moved 9 May day off -> 11 May",
			in:   Input{Kind: KindRecognition, ActIssuedOn: ptr("2022-05-10"), ActReceivedOn: ptr("2022-06-01")},
			rule: RuleRecognition, start: "2022-05-10", last: "2027-05-11",
			text: []string{"5-year period of APPK Art. 136(3)", "legal relationship arose on 2022-05-10"}},
		{name: "ActReceivedOn used when ActIssuedOn is missing; 7 Jan 2028 (Fri) -> Mon 10 Jan",
			in:   Input{Kind: KindRecognition, ActReceivedOn: ptr("2023-01-07")},
			rule: RuleRecognition, start: "2023-01-07", last: "2028-01-10"},
		{name: "last day in a year the calendar lacks: provisional, not filed",
			in:   Input{Kind: KindRecognition, ActIssuedOn: ptr("2025-06-01")},
			rule: RuleRecognition, start: "2025-06-01", last: "2030-06-01", provisional: true,
			text: []string{"calendar for 2030 is not loaded yet"}},
		{name: "last day in a year the calendar lacks: provisional, filed on time",
			in:   Input{Kind: KindRecognition, ActIssuedOn: ptr("2025-06-01"), FiledAt: at(2026, 6, 1, 12, 0)},
			rule: RuleRecognition, start: "2025-06-01", last: "2030-06-01", provisional: true},
	})
}

func TestErrors(t *testing.T) {
	runFiling(t, []filingCase{
		{name: "unknown kind", in: Input{Kind: "annulment", ActReceivedOn: ptr("2026-01-05")}, err: errAny},
		{name: "exempt without act date", in: Input{Kind: KindChallenge, PretrialExempt: true}, err: ErrMissingDate},
		{name: "action without date", in: Input{Kind: KindAction}, err: ErrMissingDate},
		{name: "recognition without dates", in: Input{Kind: KindRecognition}, err: ErrMissingDate},
		{name: "zero decision date", in: Input{Kind: KindChallenge, PretrialDecisionOn: &time.Time{}}, err: ErrMissingDate},
		{name: "negative complaint body days", in: Input{Kind: KindChallenge, PretrialFiledOn: ptr("2026-03-02"), ComplaintBodyDays: -1}, err: errAny},
		{name: "deemed refusal counted in 2024, not in the calendar",
			in: Input{Kind: KindChallenge, PretrialFiledOn: ptr("2024-12-02")}, err: calendar.ErrYearNotCovered},
		{name: "filed after a last day in an uncovered year",
			in: Input{Kind: KindRecognition, ActIssuedOn: ptr("2024-06-01"), FiledAt: at(2029, 6, 5, 12, 0)}, err: calendar.ErrYearNotCovered},
		{name: "last day in a covered year but its next working day is not",
			// 30 Dec 2028 is a Saturday; the next working day is in 2029.
			in: Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2028-11-30")}, err: calendar.ErrYearNotCovered},
		{name: "1 month into 2029 filed late", in: Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2028-12-10"), FiledAt: at(2029, 1, 20, 9, 0)}, err: calendar.ErrYearNotCovered},
	})
	if _, err := FilingDeadline(nil, Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2026-03-01")}); err == nil {
		t.Error("nil calendar: want error")
	}
}

// errAny as filingCase.err accepts any non-nil error.
var errAny = errors.New("any error")

func TestPretrialComplaintDeadline(t *testing.T) {
	cal := loadCal(t)
	tests := []struct {
		name         string
		received     time.Time
		filed        time.Time
		last         string
		late         bool
		daysLate     int
		provisional  bool
		wantText     string
		wantRUText   string
		wantKKText   string
		wantErr      bool
		wantNotCover bool
	}{
		{name: "not filed yet; 5 Apr 2026 is a Sunday", received: day("2026-01-05"), last: "2026-04-06",
			wantText: "A complaint filed by the end of 2026-04-06 is on time."},
		{name: "filed on the last day", received: day("2026-01-05"), filed: at(2026, 4, 6, 23, 59), last: "2026-04-06",
			wantText: "within the period"},
		{name: "filed 2 days late", received: day("2026-01-05"), filed: day("2026-04-08"), last: "2026-04-06", late: true, daysLate: 2,
			wantText: "2 days late", wantRUText: "ч. 3 ст. 92 АППК", wantKKText: "ӘРПК 92-бабының 2-бөлігі"},
		{name: "30 Nov + 3 months = 28 Feb 2027 (Sun) -> 1 Mar", received: day("2026-11-30"), last: "2027-03-01"},
		{name: "22 Dec 2025 + 3 months = 22 Mar 2026 (Nauryz) -> 26 Mar", received: day("2025-12-22"), last: "2026-03-26"},
		{name: "received as an instant late in the evening UTC", received: time.Date(2026, 1, 4, 20, 0, 0, 0, time.UTC), last: "2026-04-06"},
		{name: "last day in 2029: provisional", received: day("2028-11-15"), last: "2029-02-15", provisional: true},
		{name: "zero received date", wantErr: true},
		{name: "late in an uncovered year", received: day("2028-11-15"), filed: day("2029-03-01"), wantErr: true, wantNotCover: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PretrialComplaintDeadline(cal, tt.received, tt.filed)
			if tt.wantErr {
				if err == nil {
					t.Fatal("want error")
				}
				if tt.wantNotCover && !errors.Is(err, calendar.ErrYearNotCovered) {
					t.Fatalf("err = %v, want ErrYearNotCovered", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.RuleID != RulePretrialComplaint || got.Article != "APPK Art. 92(1)" || !got.Applicable {
				t.Errorf("rule = %s %s %v", got.RuleID, got.Article, got.Applicable)
			}
			if got.LastDay.Format("2006-01-02") != tt.last || got.Late != tt.late || got.DaysLate != tt.daysLate || got.Provisional != tt.provisional {
				t.Errorf("got last %s late %v (%d) provisional %v; want %s %v (%d) %v",
					got.LastDay.Format("2006-01-02"), got.Late, got.DaysLate, got.Provisional, tt.last, tt.late, tt.daysLate, tt.provisional)
			}
			for text, want := range map[string]string{got.Explanation.EN: tt.wantText, got.Explanation.RU: tt.wantRUText, got.Explanation.KK: tt.wantKKText} {
				if !strings.Contains(text, want) {
					t.Errorf("explanation lacks %q: %s", want, text)
				}
			}
		})
	}
}

func TestResponseAndCorrectionDue(t *testing.T) {
	cal := loadCal(t)
	tests := []struct {
		name string
		fn   func(*calendar.Calendar, time.Time, int) (time.Time, error)
		from time.Time
		n    int
		want string // "" = error
	}{
		// Fri 20 Mar 2026; then Nauryz and its moved days off to 25 Mar: 26, 27, 30, 31 Mar, 1-3, 6-8 Apr.
		{"response across Nauryz", ResponseDue, at(2026, 3, 20, 10, 0), 10, "2026-04-08"},
		{"routed 01:00 Almaty = 20:00 UTC the day before", ResponseDue, time.Date(2026, 3, 19, 20, 0, 0, 0, time.UTC), 10, "2026-04-08"},
		{"routed 23:00 Almaty on Thu 19 Mar", ResponseDue, time.Date(2026, 3, 19, 18, 0, 0, 0, time.UTC), 10, "2026-04-07"},
		{"response, 5 working days", ResponseDue, day("2026-05-06"), 5, "2026-05-15"}, // 7 May holiday, 11 May moved day off
		{"response over 10 days", ResponseDue, day("2026-05-06"), 11, ""},
		{"response zero days", ResponseDue, day("2026-05-06"), 0, ""},
		{"response zero time", ResponseDue, time.Time{}, 5, ""},
		{"response in 2024", ResponseDue, day("2024-05-06"), 5, ""},
		// Fri 26 Dec 2025: 29-31 Dec, (1-2 Jan holidays), 5, 6, (7 Jan), 8, 9, 12, 13, 14 Jan.
		{"correction across New Year", CorrectionDue, day("2025-12-26"), 10, "2026-01-14"},
		{"correction across New Year 2028", CorrectionDue, day("2027-12-30"), 2, "2028-01-05"},
		{"correction over 10 days", CorrectionDue, day("2025-12-26"), 11, ""},
		{"correction negative", CorrectionDue, day("2025-12-26"), -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.fn(cal, tt.from, tt.n)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("want error, got %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Format("2006-01-02") != tt.want {
				t.Errorf("got %s, want %s", got.Format("2006-01-02"), tt.want)
			}
		})
	}
	if _, err := ResponseDue(nil, day("2026-05-06"), 5); err == nil {
		t.Error("nil calendar: want error")
	}
}

func TestRuleTable(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Rules() {
		if r.ID == "" || ids[r.ID] {
			t.Errorf("rule id %q empty or repeated", r.ID)
		}
		ids[r.ID] = true
		if !strings.HasPrefix(r.Article, "APPK Art. ") || r.Cite.EN != r.Article || r.Cite.RU == "" || r.Cite.KK == "" {
			t.Errorf("%s: article %q / cite %+v", r.ID, r.Article, r.Cite)
		}
		if r.Explanation.KK == "" || r.Explanation.RU == "" || r.Explanation.EN == "" {
			t.Errorf("%s: explanation missing a language", r.ID)
		}
		if len(r.Kinds) == 0 {
			t.Errorf("%s: no kinds", r.ID)
		}
		for _, k := range r.Kinds {
			if !slices.Contains(Kinds(), k) {
				t.Errorf("%s: unknown kind %q", r.ID, k)
			}
		}
		if (r.Condition == PretrialMissing) != (r.Period.N == 0) || (r.Period.N == 0) != (r.ClockStart == NoClock) {
			t.Errorf("%s: only the pre-trial-missing rule has no period and no clock", r.ID)
		}
		if r.Period.N != 0 && !slices.Contains([]Unit{Months, Years, Days, WorkingDays}, r.Period.Unit) {
			t.Errorf("%s: unit %q", r.ID, r.Period.Unit)
		}
	}
	// Rules returns a copy.
	rs := Rules()
	rs[0].Kinds[0] = "changed"
	rs[0].ID = "changed"
	if r := Rules()[0]; r.ID == "changed" || r.Kinds[0] == "changed" {
		t.Error("Rules() exposes the table")
	}
	if _, ok := RuleByID("nope"); ok {
		t.Error("RuleByID found an unknown id")
	}
}

func TestRawEndUnits(t *testing.T) {
	cal := loadCal(t)
	tests := []struct {
		p    Period
		from string
		want string
	}{
		{Period{1, Months}, "2026-01-31", "2026-02-28"},
		{Period{5, Years}, "2028-02-29", "2033-02-28"},
		{Period{10, Days}, "2026-03-01", "2026-03-11"},
		{Period{10, WorkingDays}, "2026-03-20", "2026-04-08"},
	}
	for _, tt := range tests {
		got, err := rawEnd(cal, day(tt.from), tt.p)
		if err != nil || got.Format("2006-01-02") != tt.want {
			t.Errorf("rawEnd(%s, %+v) = %v, %v; want %s", tt.from, tt.p, got, err, tt.want)
		}
	}
	if _, err := rawEnd(cal, day("2026-01-01"), Period{1, "fortnights"}); err == nil {
		t.Error("unknown unit: want error")
	}
}

func TestRuPlural(t *testing.T) {
	for n, want := range map[int]string{1: "день", 2: "дня", 4: "дня", 5: "дней", 11: "дней", 12: "дней", 14: "дней", 21: "день", 22: "дня", 25: "дней", 101: "день", 111: "дней"} {
		if got := ruPlural(n, "день", "дня", "дней"); got != want {
			t.Errorf("ruPlural(%d) = %s, want %s", n, got, want)
		}
	}
}

// TestEveryRuleCovered checks that each rule in the table is reachable, with one input each.
func TestEveryRuleCovered(t *testing.T) {
	cal := loadCal(t)
	inputs := map[string]func() (Result, error){
		RuleComplaintDecision: func() (Result, error) {
			return FilingDeadline(cal, Input{Kind: KindChallenge, PretrialDecisionOn: ptr("2026-03-01")})
		},
		RuleNoPretrial: func() (Result, error) {
			return FilingDeadline(cal, Input{Kind: KindCoercion, PretrialExempt: true, ActReceivedOn: ptr("2026-03-01")})
		},
		RuleAction: func() (Result, error) {
			return FilingDeadline(cal, Input{Kind: KindAction, ActReceivedOn: ptr("2026-03-01")})
		},
		RuleRecognition: func() (Result, error) {
			return FilingDeadline(cal, Input{Kind: KindRecognition, ActIssuedOn: ptr("2022-03-01")})
		},
		RuleActionComplaintDecision: func() (Result, error) {
			return FilingDeadline(cal, Input{Kind: KindAction, PretrialDecisionOn: ptr("2026-03-01")})
		},
		RuleDeemedRefusal: func() (Result, error) {
			return FilingDeadline(cal, Input{Kind: KindChallenge, PretrialFiledOn: ptr("2026-03-01")})
		},
		RulePretrialMissing: func() (Result, error) {
			return FilingDeadline(cal, Input{Kind: KindChallenge, ActReceivedOn: ptr("2026-03-01")})
		},
		RulePretrialComplaint: func() (Result, error) {
			return PretrialComplaintDeadline(cal, day("2026-03-01"), time.Time{})
		},
	}
	rs := Rules()
	if len(inputs) != len(rs) {
		t.Errorf("%d inputs for %d rules", len(inputs), len(rs))
	}
	for _, r := range rs {
		run, ok := inputs[r.ID]
		if !ok {
			t.Errorf("no input for rule %s", r.ID)
			continue
		}
		got, err := run()
		if err != nil {
			t.Errorf("%s: %v", r.ID, err)
			continue
		}
		if got.RuleID != r.ID || got.Article != r.Article {
			t.Errorf("%s: got rule %s (%s)", r.ID, got.RuleID, got.Article)
		}
		if got.Applicable != (r.Period.N > 0) {
			t.Errorf("%s: Applicable = %v", r.ID, got.Applicable)
		}
		if got.Applicable && !slices.Contains(r.Kinds, kindOf(r)) {
			t.Errorf("%s: kinds %v", r.ID, r.Kinds)
		}
	}
}

// kindOf is the kind used for the rule's input above.
func kindOf(r Rule) string {
	switch r.ID {
	case RuleAction, RuleActionComplaintDecision:
		return KindAction
	case RuleRecognition:
		return KindRecognition
	case RuleNoPretrial:
		return KindCoercion
	}
	return KindChallenge
}
