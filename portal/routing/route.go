package routing

import (
	"fmt"
	"strconv"
	"strings"

	"talap/portal/court"
	"talap/portal/lang"
	"talap/portal/locale"
)

// Input is what routing needs to know about a claim.
type Input struct {
	Category          string // claims.category: "", "housing", "tax", "land"
	InvestmentDispute bool   // the claimant is an investor (APPK Art. 102(3))
	ActAbroad         bool   // the act was issued abroad (Art. 106(2))
	ActElectronic     bool   // the act was issued as an electronic document (Art. 106(3))
	HearAtResidence   bool   // the claimant asks for the court of their residence (Art. 102)
	ResidenceKATO     string // the claimant's residence (or location)
	PropertyKATO      string // where the land or real estate is
	// RespondentKATO is where the respondent is located, or, for a claim arising from a branch or
	// territorial unit, where that unit is (Art. 106(1)). With several respondents (Art. 107(1))
	// the caller passes the location of the one the claimant chose.
	RespondentKATO string
}

// Decision is the court chosen, by which rule and why.
type Decision struct {
	CourtID     string
	Rule        string    // the id of the rule that decided
	Basis       string    // that rule's legal basis
	KATO        string    // the KATO the rule used; empty for the capital's court
	Explanation lang.Text // for the citizen: the court, the rule, the territory, and any Skipped
	Skipped     []Skip    // earlier rules the claim called for but which could not decide
}

// Why a rule the claim called for did not decide.
const (
	SkipDisabled   = "disabled"    // the rule is switched off
	SkipNoKATO     = "no_kato"     // the KATO the rule needs was not given
	SkipException  = "exception"   // the KATO is in the rule's exceptions
	SkipNotCovered = "not_covered" // no court in the registry covers the KATO
)

// Skip records a rule that the claim called for (the claimant asked for the residence court, the
// act was electronic, the claim is about land, ...) but that did not decide, so a later rule did.
type Skip struct {
	Rule string
	Why  string    // one of the Skip* constants
	KATO string    // the KATO concerned, if any
	Note lang.Text // one sentence for the citizen
}

// NoCourtError means no court in the registry can take the claim; it goes to the administrators'
// queue (claim status "unroutable").
type NoCourtError struct {
	Rule    string    // the rule that needed a court and found none
	Reason  lang.Text // for the citizen and the administrators
	Skipped []Skip    // earlier rules that fell through, as in Decision
}

func (e *NoCourtError) Error() string {
	return "routing: no court: " + e.Reason.EN
}

// Route chooses the court for a claim. It walks the enabled rules in order and the first that
// applies decides:
//   - investment_dispute (Input.InvestmentDispute) and act_abroad (Input.ActAbroad) choose the
//     court with id rules.CapitalCourtID; if courts has no such court the result is *NoCourtError
//     (these rules are exclusive, so Route does not fall through to another court);
//   - claimant_residence (Input.HearAtResidence; Input.ResidenceKATO), property_location
//     (Input.Category == "land"; Input.PropertyKATO) and electronic_act (Input.ActElectronic;
//     Input.ResidenceKATO) choose the court covering their KATO (longest prefix wins). When the
//     KATO is missing, matches one of the rule's exceptions or is covered by no court, the rule
//     falls through to the next one and a Skip is recorded;
//   - respondent_location chooses the court covering Input.RespondentKATO, or returns
//     *NoCourtError.
//
// A rule the claim calls for but which is switched off is also recorded as a Skip. Route never
// returns a court id that is not in courts. Invalid rules give a plain (not *NoCourtError) error.
func Route(rules Rules, courts []court.Court, in Input) (Decision, error) {
	if err := rules.Validate(); err != nil {
		return Decision{}, err
	}
	var skipped []Skip
	for _, r := range rules.List {
		called, kato := calledFor(r.ID, in)
		if !called {
			continue
		}
		if !r.Enabled {
			skipped = append(skipped, skip(r.ID, SkipDisabled, kato))
			continue
		}
		switch ruleKind[r.ID] {
		case kindCapital:
			c, ok := byID(courts, rules.CapitalCourtID)
			if !ok {
				return Decision{}, &NoCourtError{Rule: r.ID, Reason: capitalMissing(r, rules.CapitalCourtID, skipped), Skipped: skipped}
			}
			return decide(r, c, "", "", skipped), nil
		case kindOptional:
			if kato == "" {
				skipped = append(skipped, skip(r.ID, SkipNoKATO, ""))
				continue
			}
			if excepted(r.Exceptions, kato) {
				skipped = append(skipped, skip(r.ID, SkipException, kato))
				continue
			}
			c, prefix, ok := court.Covering(courts, kato)
			if !ok {
				skipped = append(skipped, skip(r.ID, SkipNotCovered, kato))
				continue
			}
			return decide(r, c, kato, prefix, skipped), nil
		default: // respondent_location
			c, prefix, ok := court.Covering(courts, kato)
			if !ok {
				return Decision{}, &NoCourtError{Rule: r.ID, Reason: respondentUncovered(kato, skipped), Skipped: skipped}
			}
			return decide(r, c, kato, prefix, skipped), nil
		}
	}
	// Unreachable: Validate makes respondent_location the last rule, enabled, and it always decides.
	return Decision{}, fmt.Errorf("routing rules: no rule decided")
}

// calledFor reports whether the claim calls for rule id, and the KATO the rule would use.
func calledFor(id string, in Input) (bool, string) {
	switch id {
	case RuleInvestmentDispute:
		return in.InvestmentDispute, ""
	case RuleActAbroad:
		return in.ActAbroad, ""
	case RuleClaimantResidence:
		return in.HearAtResidence, in.ResidenceKATO
	case RulePropertyLocation:
		return in.Category == CategoryLand, in.PropertyKATO
	case RuleElectronicAct:
		return in.ActElectronic, in.ResidenceKATO
	case RuleRespondentLocation:
		return true, in.RespondentKATO
	}
	return false, ""
}

func byID(courts []court.Court, id string) (court.Court, bool) {
	for _, c := range courts {
		if c.ID == id {
			return c, true
		}
	}
	return court.Court{}, false
}

func excepted(exceptions []string, kato string) bool {
	for _, p := range exceptions {
		if p != "" && strings.HasPrefix(kato, p) {
			return true
		}
	}
	return false
}

func decide(r Rule, c court.Court, kato, prefix string, skipped []Skip) Decision {
	fill := func(tpl, name, city string) string {
		return strings.NewReplacer("{court}", name, "{city}", city, "{kato}", kato, "{prefix}", prefix).Replace(tpl)
	}
	ex := lang.Text{
		KK: fill(r.Explanation.KK, c.Name.In("kk"), c.City.In("kk")),
		RU: fill(r.Explanation.RU, c.Name.In("ru"), c.City.In("ru")),
		EN: fill(r.Explanation.EN, c.Name.In("en"), c.City.In("en")),
	}
	return Decision{
		CourtID:     c.ID,
		Rule:        r.ID,
		Basis:       r.Basis,
		KATO:        kato,
		Explanation: withNotes(ex, skipped),
		Skipped:     skipped,
	}
}

// withNotes appends each skipped rule's note to t.
func withNotes(t lang.Text, skipped []Skip) lang.Text {
	for _, s := range skipped {
		t.KK += " " + s.Note.KK
		t.RU += " " + s.Note.RU
		t.EN += " " + s.Note.EN
	}
	return t
}

// The sentences below come from the catalogs (frontend/locales, keys routing.*), rendered in all
// three languages at once because the explanation is stored with the claim as lang.Text.

// called names the catalog message that says what in the claim called for rule id.
func called(id string) locale.Msg { return locale.M("routing.called." + id) }

func skip(id, why, kato string) Skip {
	return Skip{Rule: id, Why: why, KATO: kato, Note: locale.Text("routing.skip_note",
		"Called", called(id), "Reason", locale.M("routing.skip."+why, "KATO", kato))}
}

// adminWillAssign ends every reason why no court could be chosen.
func adminWillAssign(t lang.Text) lang.Text {
	a := locale.Text("routing.admin_will_assign")
	return lang.Text{KK: t.KK + " " + a.KK, RU: t.RU + " " + a.RU, EN: t.EN + " " + a.EN}
}

func capitalMissing(r Rule, capitalID string, skipped []Skip) lang.Text {
	t := locale.Text("routing.capital_missing", "Called", called(r.ID),
		"Basis", locale.M("routing.basis."+r.ID), "CourtID", strconv.Quote(capitalID))
	return withNotes(adminWillAssign(t), skipped)
}

func respondentUncovered(kato string, skipped []Skip) lang.Text {
	t := locale.Text("routing.respondent_not_covered", "KATO", kato)
	if kato == "" {
		t = locale.Text("routing.respondent_unknown")
	}
	return withNotes(adminWillAssign(t), skipped)
}
