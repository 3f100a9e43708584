package intake

import (
	"strings"
	"testing"
	"time"

	"talap/portal/calendar"
	"talap/portal/claim"
)

func date(s string) *claim.Date {
	d, err := claim.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func codes(ns []claim.Notice) string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Code)
	}
	return strings.Join(out, ",")
}

func TestProblems(t *testing.T) {
	doc := claim.Document{ID: "d1", Name: "a.pdf", ContentType: "application/pdf", SHA256: "aa"}
	tests := []struct {
		name   string
		c      claim.Claim
		checks map[string]DocCheck
		want   string
	}{
		{"all good, duty exempt", claim.Claim{Documents: []claim.Document{doc}, Draft: claim.Draft{DutyExemption: "disability"}}, map[string]DocCheck{"d1": {SHA256: "aa"}}, ""},
		{"duty paid by document", claim.Claim{Documents: []claim.Document{doc, {ID: "d2", Kind: "duty_payment", ContentType: "image/png", SHA256: "bb"}}}, map[string]DocCheck{"d1": {SHA256: "aa"}, "d2": {SHA256: "bb"}}, ""},
		{"document missing", claim.Claim{Documents: []claim.Document{doc}, Draft: claim.Draft{DutyExemption: "x"}}, map[string]DocCheck{"d1": {Missing: true}}, "document_missing"},
		{"document changed", claim.Claim{Documents: []claim.Document{doc}, Draft: claim.Draft{DutyExemption: "x"}}, map[string]DocCheck{"d1": {SHA256: "ff"}}, "document_changed"},
		{"type not allowed", claim.Claim{Documents: []claim.Document{{ID: "d1", Name: "x.gif", ContentType: "image/gif", SHA256: "aa"}}, Draft: claim.Draft{DutyExemption: "x"}}, map[string]DocCheck{"d1": {SHA256: "aa"}}, "document_type"},
		{"duty unpaid", claim.Claim{Documents: []claim.Document{doc}}, map[string]DocCheck{"d1": {SHA256: "aa"}}, "duty_unpaid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Problems(tt.c, tt.checks)
			if codes(got) != tt.want {
				t.Fatalf("problems = %s, want %s", codes(got), tt.want)
			}
			for _, p := range got {
				if p.Message.KK == "" || p.Message.RU == "" || p.Message.EN == "" {
					t.Errorf("%s: message missing a language", p.Code)
				}
			}
		})
	}
}

func TestFlags(t *testing.T) {
	cal, err := calendar.Load()
	if err != nil {
		t.Fatal(err)
	}
	filed := time.Date(2026, 6, 15, 10, 0, 0, 0, calendar.Almaty())
	tests := []struct {
		name string
		d    claim.Draft
		dup  string
		want string
	}{
		{"on time, exempt from pre-trial", claim.Draft{Kind: "challenge", ContestedAct: claim.Act{IssuedOn: date("2026-06-01"), ReceivedOn: date("2026-06-02")}, Pretrial: claim.Pretrial{ExemptReason: "law_exempts"}}, "", ""},
		{"late after the act", claim.Draft{Kind: "challenge", ContestedAct: claim.Act{IssuedOn: date("2026-03-01"), ReceivedOn: date("2026-03-02")}, Pretrial: claim.Pretrial{ExemptReason: "law_exempts"}}, "", "late"},
		{"pre-trial complaint not filed", claim.Draft{Kind: "challenge", ContestedAct: claim.Act{IssuedOn: date("2026-06-01"), ReceivedOn: date("2026-06-02")}, Pretrial: claim.Pretrial{ExemptReason: "not_filed"}}, "", "pretrial_missing"},
		{"on time after the complaint decision", claim.Draft{Kind: "challenge", ContestedAct: claim.Act{IssuedOn: date("2026-03-01"), ReceivedOn: date("2026-03-02")}, Pretrial: claim.Pretrial{ComplaintFiledOn: date("2026-04-01"), DecisionReceivedOn: date("2026-06-01")}}, "", ""},
		{"pre-trial complaint itself late", claim.Draft{Kind: "challenge", ContestedAct: claim.Act{IssuedOn: date("2025-12-01"), ReceivedOn: date("2025-12-02")}, Pretrial: claim.Pretrial{ComplaintFiledOn: date("2026-05-01"), DecisionReceivedOn: date("2026-06-01")}}, "", "pretrial_late"},
		{"likely duplicate", claim.Draft{Kind: "challenge", ContestedAct: claim.Act{Number: "7", IssuedOn: date("2026-06-01"), ReceivedOn: date("2026-06-02")}, Pretrial: claim.Pretrial{ExemptReason: "law_exempts"}}, "TLP-2026-000001", "duplicate"},
		{"dates missing", claim.Draft{Kind: "challenge", Pretrial: claim.Pretrial{ExemptReason: "law_exempts"}}, "", "deadline_unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Flags(cal, claim.Claim{Draft: tt.d}, filed, 20, tt.dup)
			if codes(got) != tt.want {
				t.Fatalf("flags = %s, want %s", codes(got), tt.want)
			}
			for _, f := range got {
				if f.Message.EN == "" || f.Message.RU == "" || f.Message.KK == "" {
					t.Errorf("%s: message missing a language", f.Code)
				}
			}
		})
	}
}

// A pre-trial complaint with no decision counts as refused when the complaint body's deadline
// ends (APPK Arts. 100(5), 136(6)): the configured number of working days decides lateness.
func TestFlagsCountTheConfiguredComplaintBodyPeriod(t *testing.T) {
	cal, err := calendar.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := claim.Claim{Draft: claim.Draft{Kind: "challenge", ContestedAct: claim.Act{ReceivedOn: date("2026-02-20")},
		Pretrial: claim.Pretrial{ComplaintFiledOn: date("2026-03-02")}}}
	filed := time.Date(2026, 5, 10, 12, 0, 0, 0, calendar.Almaty())
	tests := []struct {
		days int
		want string
	}{
		{20, "late"}, // refused on 3 April; the month ended on Mon 4 May
		{30, ""},     // refused on 17 April; the month ends on Mon 18 May
	}
	for _, tt := range tests {
		if got := codes(Flags(cal, c, filed, tt.days, "")); got != tt.want {
			t.Errorf("%d working days: flags = %q, want %q", tt.days, got, tt.want)
		}
	}
}
