package routing

import (
	"errors"
	"strings"
	"testing"

	"talap/portal/court"
	"talap/portal/lang"
)

func text(en string) lang.Text { return lang.Text{KK: en + " (kk)", RU: en + " (ru)", EN: en} }

// testCourts has a region court "63" and a city court "6341" carved out of it, to test that the
// longest prefix wins.
var testCourts = []court.Court{
	{ID: "smas-astana", Name: text("Astana Court"), City: text("Astana"), KATOPrefixes: []string{"71"}},
	{ID: "smas-almaty", Name: text("Almaty Court"), City: text("Almaty"), KATOPrefixes: []string{"75"}},
	{ID: "smas-karaganda-region", Name: text("Karaganda Court"), City: text("Karaganda"), KATOPrefixes: []string{"35"}},
	{ID: "smas-east-kazakhstan-region", Name: text("East Kazakhstan Court"), City: text("Oskemen"), KATOPrefixes: []string{"63"}},
	{ID: "smas-semey", Name: text("Semey Court"), City: text("Semey"), KATOPrefixes: []string{"6341"}},
}

const (
	katoAstana    = "711110000"
	katoAlmaty    = "751110000"
	katoKaraganda = "351010000"
	katoEast      = "631010000"
	katoSemey     = "634130000"
	katoNowhere   = "990000000"
)

func loadRules(t *testing.T) Rules {
	t.Helper()
	r, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

// with returns a copy of r with change applied to rule id.
func with(t *testing.T, r Rules, id string, change func(*Rule)) Rules {
	t.Helper()
	list := make([]Rule, len(r.List))
	copy(list, r.List)
	for i := range list {
		if list[i].ID == id {
			change(&list[i])
			r.List = list
			return r
		}
	}
	t.Fatalf("no rule %q", id)
	return r
}

func off(r *Rule) { r.Enabled = false }
func on(r *Rule)  { r.Enabled = true }

func withoutCourt(courts []court.Court, id string) []court.Court {
	var out []court.Court
	for _, c := range courts {
		if c.ID != id {
			out = append(out, c)
		}
	}
	return out
}

func TestRoute(t *testing.T) {
	def := loadRules(t)
	type skipWant struct{ rule, why string }
	tests := []struct {
		name      string
		rules     Rules
		courts    []court.Court // testCourts if nil
		in        Input
		court     string // want CourtID; "" means want *NoCourtError
		rule      string // the rule that decided (or, for NoCourtError, failed)
		kato      string // the KATO the decision used
		skipped   []skipWant
		mentionEN string // text the English explanation (or reason) must contain
	}{
		{
			name: "respondent location by default", rules: def,
			in:    Input{RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			mentionEN: "APPK Art. 106(1)",
		},
		{
			name: "investment dispute goes to the capital", rules: def,
			in:    Input{InvestmentDispute: true, RespondentKATO: katoKaraganda, HearAtResidence: true, ResidenceKATO: katoAlmaty},
			court: "smas-astana", rule: RuleInvestmentDispute,
			mentionEN: "APPK Art. 102(3)",
		},
		{
			name: "investment dispute switched off falls to the next rule", rules: with(t, def, RuleInvestmentDispute, off),
			in:    Input{InvestmentDispute: true, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped: []skipWant{{RuleInvestmentDispute, SkipDisabled}},
		},
		{
			name: "act abroad goes to the capital", rules: def,
			in:    Input{ActAbroad: true, RespondentKATO: katoKaraganda},
			court: "smas-astana", rule: RuleActAbroad,
			mentionEN: "APPK Art. 106(2)",
		},
		{
			name: "act abroad switched off falls to the next rule", rules: with(t, def, RuleActAbroad, off),
			in:    Input{ActAbroad: true, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped: []skipWant{{RuleActAbroad, SkipDisabled}},
		},
		{
			name: "the capital court id is data", rules: func() Rules { r := def; r.CapitalCourtID = "smas-almaty"; return r }(),
			in:    Input{ActAbroad: true, RespondentKATO: katoKaraganda},
			court: "smas-almaty", rule: RuleActAbroad,
		},
		{
			name: "claimant residence on request", rules: def,
			in:    Input{HearAtResidence: true, ResidenceKATO: katoAlmaty, RespondentKATO: katoKaraganda},
			court: "smas-almaty", rule: RuleClaimantResidence, kato: katoAlmaty,
			mentionEN: "(KATO " + katoAlmaty + ")",
		},
		{
			name: "residence not requested", rules: def,
			in:    Input{ResidenceKATO: katoAlmaty, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
		},
		{
			name: "claimant residence switched off", rules: with(t, def, RuleClaimantResidence, off),
			in:    Input{HearAtResidence: true, ResidenceKATO: katoAlmaty, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped:   []skipWant{{RuleClaimantResidence, SkipDisabled}},
			mentionEN: "You asked for the court of your place of residence, but Talap does not currently choose the court on that ground",
		},
		{
			name: "residence requested but not covered by any court", rules: def,
			in:    Input{HearAtResidence: true, ResidenceKATO: katoNowhere, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped:   []skipWant{{RuleClaimantResidence, SkipNotCovered}},
			mentionEN: "no court in the registry covers KATO " + katoNowhere,
		},
		{
			name: "residence requested without a KATO", rules: def,
			in:    Input{HearAtResidence: true, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped: []skipWant{{RuleClaimantResidence, SkipNoKATO}},
		},
		{
			name:  "residence in an exception prefix",
			rules: with(t, def, RuleClaimantResidence, func(r *Rule) { r.Exceptions = []string{"75"} }),
			in:    Input{HearAtResidence: true, ResidenceKATO: katoAlmaty, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped:   []skipWant{{RuleClaimantResidence, SkipException}},
			mentionEN: "does not apply in that territory (KATO " + katoAlmaty + ")",
		},
		{
			name:  "residence outside the exception prefixes",
			rules: with(t, def, RuleClaimantResidence, func(r *Rule) { r.Exceptions = []string{"71", "7511"} }),
			in:    Input{HearAtResidence: true, ResidenceKATO: "751310000", RespondentKATO: katoKaraganda},
			court: "smas-almaty", rule: RuleClaimantResidence, kato: "751310000",
		},
		{
			name: "land claim: property rule is off by default", rules: def,
			in:    Input{Category: CategoryLand, PropertyKATO: katoAlmaty, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped: []skipWant{{RulePropertyLocation, SkipDisabled}},
		},
		{
			name: "land claim: property rule on", rules: with(t, def, RulePropertyLocation, on),
			in:    Input{Category: CategoryLand, PropertyKATO: katoAlmaty, RespondentKATO: katoKaraganda},
			court: "smas-almaty", rule: RulePropertyLocation, kato: katoAlmaty,
			mentionEN: "land or real estate",
		},
		{
			name: "property rule on, but the claim is not about land", rules: with(t, def, RulePropertyLocation, on),
			in:    Input{Category: "tax", PropertyKATO: katoAlmaty, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
		},
		{
			name: "property rule on, land claim without a property KATO", rules: with(t, def, RulePropertyLocation, on),
			in:    Input{Category: CategoryLand, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped: []skipWant{{RulePropertyLocation, SkipNoKATO}},
		},
		{
			name: "property rule on, property not covered", rules: with(t, def, RulePropertyLocation, on),
			in:    Input{Category: CategoryLand, PropertyKATO: katoNowhere, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped: []skipWant{{RulePropertyLocation, SkipNotCovered}},
		},
		{
			name: "electronic act goes to the claimant's residence", rules: def,
			in:    Input{ActElectronic: true, ResidenceKATO: katoAlmaty, RespondentKATO: katoKaraganda},
			court: "smas-almaty", rule: RuleElectronicAct, kato: katoAlmaty,
			mentionEN: "APPK Art. 106(3)",
		},
		{
			name: "electronic act switched off", rules: with(t, def, RuleElectronicAct, off),
			in:    Input{ActElectronic: true, ResidenceKATO: katoAlmaty, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped: []skipWant{{RuleElectronicAct, SkipDisabled}},
		},
		{
			name: "electronic act, residence not covered", rules: def,
			in:    Input{ActElectronic: true, ResidenceKATO: katoNowhere, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped: []skipWant{{RuleElectronicAct, SkipNotCovered}},
		},
		{
			name: "residence request comes before electronic act and both fall through", rules: def,
			in:    Input{HearAtResidence: true, ActElectronic: true, ResidenceKATO: katoNowhere, RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
			skipped: []skipWant{{RuleClaimantResidence, SkipNotCovered}, {RuleElectronicAct, SkipNotCovered}},
		},
		{
			name: "property rule on: land claim goes by property before electronic act", rules: with(t, def, RulePropertyLocation, on),
			in:    Input{Category: CategoryLand, PropertyKATO: katoAstana, ActElectronic: true, ResidenceKATO: katoAlmaty, RespondentKATO: katoKaraganda},
			court: "smas-astana", rule: RulePropertyLocation, kato: katoAstana,
		},
		{
			name: "longest prefix: city court carved out of the region", rules: def,
			in:    Input{RespondentKATO: katoSemey},
			court: "smas-semey", rule: RuleRespondentLocation, kato: katoSemey,
			mentionEN: "Semey Court",
		},
		{
			name: "longest prefix: rest of the region", rules: def,
			in:    Input{RespondentKATO: katoEast},
			court: "smas-east-kazakhstan-region", rule: RuleRespondentLocation, kato: katoEast,
		},
		{
			name: "longest prefix for the residence rule too", rules: def,
			in:    Input{HearAtResidence: true, ResidenceKATO: katoSemey, RespondentKATO: katoEast},
			court: "smas-semey", rule: RuleClaimantResidence, kato: katoSemey,
		},
		{
			name: "unroutable: respondent not covered", rules: def,
			in:   Input{RespondentKATO: katoNowhere},
			rule: RuleRespondentLocation, mentionEN: "(KATO " + katoNowhere + ")",
		},
		{
			name: "unroutable: respondent KATO unknown", rules: def,
			in:   Input{},
			rule: RuleRespondentLocation, mentionEN: "not known",
		},
		{
			name: "unroutable keeps the earlier fall-throughs", rules: def,
			in:      Input{HearAtResidence: true, ResidenceKATO: katoNowhere, RespondentKATO: katoNowhere},
			rule:    RuleRespondentLocation,
			skipped: []skipWant{{RuleClaimantResidence, SkipNotCovered}},
		},
		{
			name: "capital court missing: investment dispute", rules: def, courts: withoutCourt(testCourts, "smas-astana"),
			in:   Input{InvestmentDispute: true, RespondentKATO: katoKaraganda},
			rule: RuleInvestmentDispute, mentionEN: `"smas-astana"`,
		},
		{
			name: "capital court missing: act abroad", rules: def, courts: withoutCourt(testCourts, "smas-astana"),
			in:   Input{ActAbroad: true, RespondentKATO: katoKaraganda},
			rule: RuleActAbroad, mentionEN: "administrative court of the capital (APPK Art. 106(2))",
		},
		{
			name: "capital court missing but not needed", rules: def, courts: withoutCourt(testCourts, "smas-astana"),
			in:    Input{RespondentKATO: katoKaraganda},
			court: "smas-karaganda-region", rule: RuleRespondentLocation, kato: katoKaraganda,
		},
		{
			name: "no courts at all", rules: def, courts: []court.Court{},
			in:   Input{HearAtResidence: true, ResidenceKATO: katoAlmaty, RespondentKATO: katoAlmaty},
			rule: RuleRespondentLocation, skipped: []skipWant{{RuleClaimantResidence, SkipNotCovered}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			courts := tc.courts
			if courts == nil {
				courts = testCourts
			}
			d, err := Route(tc.rules, courts, tc.in)
			var skipped []Skip
			var said lang.Text
			if tc.court == "" {
				var nc *NoCourtError
				if !errors.As(err, &nc) {
					t.Fatalf("want *NoCourtError, got decision %+v, err %v", d, err)
				}
				if d.CourtID != "" {
					t.Errorf("court %q returned with an error", d.CourtID)
				}
				if nc.Rule != tc.rule {
					t.Errorf("NoCourtError.Rule = %q, want %q", nc.Rule, tc.rule)
				}
				if !strings.Contains(nc.Error(), nc.Reason.EN) {
					t.Errorf("Error() = %q does not carry the reason", nc.Error())
				}
				skipped, said = nc.Skipped, nc.Reason
			} else {
				if err != nil {
					t.Fatalf("Route: %v", err)
				}
				if d.CourtID != tc.court || d.Rule != tc.rule || d.KATO != tc.kato {
					t.Fatalf("got court %q rule %q kato %q, want %q %q %q", d.CourtID, d.Rule, d.KATO, tc.court, tc.rule, tc.kato)
				}
				c, ok := byID(courts, d.CourtID)
				if !ok {
					t.Fatalf("court %q is not in the registry", d.CourtID)
				}
				var basis string
				for _, r := range tc.rules.List {
					if r.ID == d.Rule {
						basis = r.Basis
					}
				}
				if d.Basis != basis {
					t.Errorf("Basis = %q, want the rule's %q", d.Basis, basis)
				}
				for _, l := range lang.Supported {
					if !strings.Contains(d.Explanation.In(l), c.Name.In(l)) {
						t.Errorf("%s explanation does not name the court %q: %q", l, c.Name.In(l), d.Explanation.In(l))
					}
					if d.KATO != "" && !strings.Contains(d.Explanation.In(l), d.KATO) {
						t.Errorf("%s explanation does not name the KATO %s: %q", l, d.KATO, d.Explanation.In(l))
					}
				}
				skipped, said = d.Skipped, d.Explanation
			}
			for _, l := range lang.Supported {
				s := said.In(l)
				if strings.TrimSpace(s) == "" || strings.ContainsAny(s, "{}") {
					t.Errorf("%s text empty or with a placeholder left: %q", l, s)
				}
			}
			if said.KK == said.RU || said.RU == said.EN {
				t.Errorf("texts are not translated: %+v", said)
			}
			if tc.mentionEN != "" && !strings.Contains(said.EN, tc.mentionEN) {
				t.Errorf("English text %q does not mention %q", said.EN, tc.mentionEN)
			}
			if len(skipped) != len(tc.skipped) {
				t.Fatalf("skipped = %+v, want %v", skipped, tc.skipped)
			}
			for i, s := range skipped {
				if s.Rule != tc.skipped[i].rule || s.Why != tc.skipped[i].why {
					t.Errorf("skipped[%d] = %s/%s, want %s/%s", i, s.Rule, s.Why, tc.skipped[i].rule, tc.skipped[i].why)
				}
				for _, l := range lang.Supported {
					if s.Note.In(l) == "" || !strings.Contains(said.In(l), s.Note.In(l)) {
						t.Errorf("skip note for %s missing from the %s text: %q", s.Rule, l, said.In(l))
					}
				}
			}
		})
	}
}

// TestRouteNeverInventsACourt tries every combination of flags and KATOs: Route either returns a
// court from the registry or *NoCourtError.
func TestRouteNeverInventsACourt(t *testing.T) {
	def := loadRules(t)
	all := with(t, def, RulePropertyLocation, on)
	katos := []string{"", katoAlmaty, katoSemey, katoNowhere, "x"}
	registries := [][]court.Court{testCourts, withoutCourt(testCourts, "smas-astana"), nil}
	for _, rules := range []Rules{def, all} {
		for _, courts := range registries {
			for mask := 0; mask < 32; mask++ {
				for _, res := range katos {
					for _, prop := range katos {
						for _, resp := range katos {
							in := Input{
								InvestmentDispute: mask&1 != 0, ActAbroad: mask&2 != 0, ActElectronic: mask&4 != 0,
								HearAtResidence: mask&8 != 0, ResidenceKATO: res, PropertyKATO: prop, RespondentKATO: resp,
							}
							if mask&16 != 0 {
								in.Category = CategoryLand
							}
							d, err := Route(rules, courts, in)
							var nc *NoCourtError
							switch {
							case errors.As(err, &nc):
							case err != nil:
								t.Fatalf("%+v: unexpected error %v", in, err)
							default:
								if _, ok := byID(courts, d.CourtID); !ok {
									t.Fatalf("%+v: court %q not in the registry", in, d.CourtID)
								}
							}
						}
					}
				}
			}
		}
	}
}

func TestRouteRejectsInvalidRules(t *testing.T) {
	def := loadRules(t)
	bad := def
	bad.List = def.List[:len(def.List)-1] // no respondent_location
	_, err := Route(bad, testCourts, Input{RespondentKATO: katoAlmaty})
	var nc *NoCourtError
	if err == nil || errors.As(err, &nc) {
		t.Fatalf("want a configuration error, got %v", err)
	}
	if _, err := Route(Rules{}, testCourts, Input{RespondentKATO: katoAlmaty}); err == nil {
		t.Fatal("empty rules accepted")
	}
}
