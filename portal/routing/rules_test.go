package routing

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	routingdata "talap/infra/routing"
	"talap/infra/seed"
	"talap/portal/court"
	"talap/portal/lang"
)

func TestLoadShippedRules(t *testing.T) {
	r := loadRules(t)
	if r.CapitalCourtID != "smas-astana" {
		t.Errorf("CapitalCourtID = %q, want smas-astana", r.CapitalCourtID)
	}
	if !strings.Contains(r.Source, "Talap") || !strings.Contains(strings.ToLower(r.Source), "unverified") {
		t.Errorf("source should say it is Talap's reading with unverified parts: %q", r.Source)
	}
	want := []struct {
		id                string
		enabled, verified bool
		basis             string
	}{
		{RuleInvestmentDispute, true, true, "APPK Art. 102(3)"},
		{RuleActAbroad, true, true, "APPK Art. 106(2)"},
		{RuleClaimantResidence, true, false, "APPK Art. 102 (claimant's request)"},
		{RulePropertyLocation, false, false, ""},
		{RuleElectronicAct, true, true, "APPK Art. 106(3)"},
		{RuleRespondentLocation, true, true, "APPK Art. 106(1)"},
	}
	if len(r.List) != len(want) {
		t.Fatalf("got %d rules, want %d", len(r.List), len(want))
	}
	for i, w := range want {
		got := r.List[i]
		if got.ID != w.id || got.Enabled != w.enabled || got.Verified != w.verified {
			t.Errorf("rule %d = %s enabled=%v verified=%v, want %s enabled=%v verified=%v",
				i+1, got.ID, got.Enabled, got.Verified, w.id, w.enabled, w.verified)
		}
		if w.basis != "" && got.Basis != w.basis {
			t.Errorf("%s: basis %q, want %q", got.ID, got.Basis, w.basis)
		}
		for what, x := range map[string]lang.Text{"description": got.Description, "explanation": got.Explanation} {
			if strings.TrimSpace(x.KK) == "" || strings.TrimSpace(x.RU) == "" || strings.TrimSpace(x.EN) == "" {
				t.Errorf("%s: %s missing in some language: %+v", got.ID, what, x)
			}
			if x.KK == x.RU || x.RU == x.EN || x.KK == x.EN {
				t.Errorf("%s: %s not translated: %+v", got.ID, what, x)
			}
		}
		if !got.Verified && !strings.Contains(strings.ToLower(got.Description.EN), "unverified") {
			t.Errorf("%s: unverified rule should say so in its description: %q", got.ID, got.Description.EN)
		}
	}
	if !strings.Contains(strings.ToLower(r.List[3].Basis), "unverified") {
		t.Errorf("property_location basis should say it is unverified: %q", r.List[3].Basis)
	}
	// The residence rule carries its (empty) exception list in the file, for staff to fill in.
	var raw struct {
		Rules []map[string]json.RawMessage `json:"rules"`
	}
	if err := json.Unmarshal(routingdata.Rules, &raw); err != nil {
		t.Fatal(err)
	}
	if string(raw.Rules[2]["exceptions"]) != "[]" {
		t.Errorf("claimant_residence should ship with \"exceptions\": [], got %s", raw.Rules[2]["exceptions"])
	}
}

// drop marks a rule for rulesJSON to leave out.
const drop = "test: drop"

// rulesJSON marshals the shipped rules back to the file format, after change.
func rulesJSON(t *testing.T, change func(m map[string]any, rules []map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(routingdata.Rules, &m); err != nil {
		t.Fatal(err)
	}
	var rules []map[string]any
	for _, r := range m["rules"].([]any) {
		rules = append(rules, r.(map[string]any))
	}
	change(m, rules)
	var list []any
	for _, r := range rules {
		if r[drop] == nil {
			list = append(list, r)
		}
	}
	m["rules"] = list
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseStrict(t *testing.T) {
	if _, err := Parse(rulesJSON(t, func(map[string]any, []map[string]any) {})); err != nil {
		t.Fatalf("round trip of the shipped file: %v", err)
	}
	tests := []struct {
		name   string
		change func(m map[string]any, rules []map[string]any)
		raw    string
		want   string
	}{
		{name: "unknown top-level field", change: func(m map[string]any, _ []map[string]any) { m["courts"] = 1 }, want: "unknown field"},
		{name: "unknown rule field", change: func(_ map[string]any, r []map[string]any) { r[0]["priority"] = 1 }, want: "unknown field"},
		{name: "unknown language", change: func(_ map[string]any, r []map[string]any) {
			r[0]["description"].(map[string]any)["de"] = "x"
		}, want: "unknown field"},
		{name: "unknown rule id", change: func(_ map[string]any, r []map[string]any) { r[1]["id"] = "several_respondents" }, want: "unknown rule id"},
		{name: "duplicate rule", change: func(_ map[string]any, r []map[string]any) { r[1]["id"] = RuleInvestmentDispute }, want: "twice"},
		{name: "respondent_location missing", change: func(_ map[string]any, r []map[string]any) { r[5][drop] = true }, want: "last"},
		{name: "respondent_location not last", change: func(_ map[string]any, r []map[string]any) {
			r[4], r[5] = r[5], r[4]
		}, want: "last"},
		{name: "respondent_location off", change: func(_ map[string]any, r []map[string]any) { r[5]["enabled"] = false }, want: "cannot be switched off"},
		{name: "enabled missing", change: func(_ map[string]any, r []map[string]any) { delete(r[2], "enabled") }, want: "required"},
		{name: "verified missing", change: func(_ map[string]any, r []map[string]any) { delete(r[2], "verified") }, want: "required"},
		{name: "basis missing", change: func(_ map[string]any, r []map[string]any) { r[2]["basis"] = " " }, want: "basis"},
		{name: "capital missing", change: func(m map[string]any, _ []map[string]any) { m["capital_court_id"] = "" }, want: "capital_court_id"},
		{name: "source missing", change: func(m map[string]any, _ []map[string]any) { delete(m, "source") }, want: "source"},
		{name: "text missing in a language", change: func(_ map[string]any, r []map[string]any) {
			r[3]["explanation"].(map[string]any)["kk"] = ""
		}, want: "missing in kk"},
		{name: "unknown placeholder", change: func(_ map[string]any, r []map[string]any) {
			r[5]["explanation"].(map[string]any)["en"] = "{court} {kato} {respondent}"
		}, want: "unknown placeholder {respondent}"},
		{name: "kato placeholder in a capital rule", change: func(_ map[string]any, r []map[string]any) {
			r[0]["explanation"].(map[string]any)["ru"] = "{court} {kato}"
		}, want: "unknown placeholder {kato}"},
		{name: "explanation without the court", change: func(_ map[string]any, r []map[string]any) {
			r[0]["explanation"].(map[string]any)["en"] = "The capital's court."
		}, want: "must name {court}"},
		{name: "explanation without the KATO", change: func(_ map[string]any, r []map[string]any) {
			r[2]["explanation"].(map[string]any)["en"] = "{court}"
		}, want: "must name {kato}"},
		{name: "unclosed brace", change: func(_ map[string]any, r []map[string]any) {
			r[5]["explanation"].(map[string]any)["en"] = "{court} {kato"
		}, want: "without"},
		{name: "exceptions on a capital rule", change: func(_ map[string]any, r []map[string]any) {
			r[0]["exceptions"] = []any{"75"}
		}, want: "exceptions"},
		{name: "bad exception prefix", change: func(_ map[string]any, r []map[string]any) {
			r[2]["exceptions"] = []any{"7a"}
		}, want: "not a KATO prefix"},
		{name: "trailing data", raw: string(routingdata.Rules) + "{}", want: "after the rules"},
		{name: "not JSON", raw: "rules: []", want: "routing rules"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b []byte
			if tc.raw != "" {
				b = []byte(tc.raw)
			} else {
				b = rulesJSON(t, tc.change)
			}
			_, err := Parse(b)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

// TestRouteSeedCourts routes against the real court registry: a respondent in each of the 20
// regions reaches that region's court, and the capital rules reach the Astana court.
func TestRouteSeedCourts(t *testing.T) {
	rules := loadRules(t)
	sc, err := seed.Courts()
	if err != nil {
		t.Fatal(err)
	}
	courts := make([]court.Court, len(sc))
	for i, c := range sc {
		courts[i] = court.Court(c)
	}
	regions := []string{
		"10", "11", "15", "19", "23", "27", "31", "33", "35", "39",
		"43", "47", "55", "59", "61", "62", "63", "71", "75", "79",
	}
	chosen := map[string]string{}
	for _, p := range regions {
		kato := p + "1010000"
		d, err := Route(rules, courts, Input{RespondentKATO: kato})
		if err != nil {
			t.Errorf("region %s: %v", p, err)
			continue
		}
		c, _ := byID(courts, d.CourtID)
		if d.Rule != RuleRespondentLocation || !contains(c.KATOPrefixes, p) {
			t.Errorf("region %s went to %s (%v) by %s", p, d.CourtID, c.KATOPrefixes, d.Rule)
		}
		if prev, dup := chosen[d.CourtID]; dup {
			t.Errorf("regions %s and %s both went to %s", prev, p, d.CourtID)
		}
		chosen[d.CourtID] = p
		for _, l := range lang.Supported {
			if !strings.Contains(d.Explanation.In(l), c.Name.In(l)) || !strings.Contains(d.Explanation.In(l), kato) {
				t.Errorf("region %s: %s explanation lacks the court or KATO: %q", p, l, d.Explanation.In(l))
			}
		}
		// The residence rule reaches the same court from a claimant living there.
		d2, err := Route(rules, courts, Input{HearAtResidence: true, ResidenceKATO: kato, RespondentKATO: "711110000"})
		if err != nil || d2.CourtID != d.CourtID || d2.Rule != RuleClaimantResidence {
			t.Errorf("region %s by residence: %+v, %v", p, d2, err)
		}
	}
	if len(chosen) != 20 {
		t.Errorf("%d distinct courts reached, want 20", len(chosen))
	}
	for _, in := range []Input{{InvestmentDispute: true, RespondentKATO: "751110000"}, {ActAbroad: true}} {
		d, err := Route(rules, courts, in)
		if err != nil || d.CourtID != "smas-astana" {
			t.Errorf("%+v: got %+v, %v; want smas-astana", in, d, err)
		}
	}
	_, err = Route(rules, courts, Input{RespondentKATO: "990000000"})
	var nc *NoCourtError
	if !errors.As(err, &nc) {
		t.Errorf("KATO 99: want *NoCourtError, got %v", err)
	}
}
