// Package routing chooses the specialised administrative court (СМАС) for a claim and says, in
// Kazakh, Russian and English, which rule chose it and why.
//
// The rules are data (talap/infra/routing, rules.json): their order, whether each is switched on,
// their legal basis, whether Talap's reading of it is verified, and the words of the explanation.
// Route walks the enabled rules in order and the first rule that applies decides. Route is pure: it
// reads nothing but its arguments.
//
// Decisions taken here (see Route for details):
//   - investment_dispute and act_abroad send the claim to the capital's court (Rules.CapitalCourtID).
//     These are exclusive rules: if that court is not in the registry, Route returns *NoCourtError
//     rather than fall through to a court the law does not name.
//   - claimant_residence, property_location and electronic_act fall through to the next rule when
//     they cannot decide (switched off, no KATO given, KATO in the rule's exceptions, or no court
//     covers the KATO). Each such fall-through is recorded in Decision.Skipped and told to the
//     citizen at the end of the explanation.
//   - respondent_location (APPK Art. 106(1)) is the default; it must be the last rule and enabled.
//     If no court covers the respondent's KATO, Route returns *NoCourtError.
package routing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	routingdata "talap/infra/routing"
	"talap/portal/lang"
)

// Rule ids. A rules file naming any other id is rejected.
const (
	RuleInvestmentDispute  = "investment_dispute"  // APPK Art. 102(3): investors' claims → capital
	RuleActAbroad          = "act_abroad"          // APPK Art. 106(2): act issued abroad → capital
	RuleClaimantResidence  = "claimant_residence"  // APPK Art. 102, at the claimant's request
	RulePropertyLocation   = "property_location"   // land / real estate → where the property is (unverified)
	RuleElectronicAct      = "electronic_act"      // APPK Art. 106(3): electronic act → claimant's residence
	RuleRespondentLocation = "respondent_location" // APPK Art. 106(1): the default, always last
)

// CategoryLand is the claim category (claims.category) the property_location rule applies to.
const CategoryLand = "land"

// Rule is one routing rule as configured.
type Rule struct {
	ID       string `json:"id"`
	Enabled  bool   `json:"enabled"`
	Basis    string `json:"basis"`    // legal basis, e.g. "APPK Art. 106(1)"
	Verified bool   `json:"verified"` // false: Talap's reading of the law is unverified
	// Description says what the rule does, for staff and for help pages.
	Description lang.Text `json:"description"`
	// Explanation is the template told to the citizen when the rule decides. Placeholders:
	// {court} and {city} (the court's name and seat, in the same language), and for rules that
	// choose by territory {kato} (the KATO used) and {prefix} (the court's matching KATO prefix).
	Explanation lang.Text `json:"explanation"`
	// Exceptions are KATO prefixes where the rule does not apply. Only claimant_residence,
	// property_location and electronic_act may have them; they are matched against the KATO the
	// rule uses (residence or property).
	Exceptions []string `json:"exceptions,omitempty"`
}

// Rules is the whole routing configuration.
type Rules struct {
	Source         string `json:"source"`           // whose reading this is, and how sure
	CapitalCourtID string `json:"capital_court_id"` // court for investment_dispute and act_abroad
	List           []Rule `json:"rules"`            // in the order they are tried
}

// Load parses the rules shipped in talap/infra/routing (rules.json).
func Load() (Rules, error) {
	return Parse(routingdata.Rules)
}

// fileRule mirrors Rule with the flags as pointers, so that a missing "enabled" or "verified"
// is an error instead of a silent false.
type fileRule struct {
	ID          string    `json:"id"`
	Enabled     *bool     `json:"enabled"`
	Basis       string    `json:"basis"`
	Verified    *bool     `json:"verified"`
	Description lang.Text `json:"description"`
	Explanation lang.Text `json:"explanation"`
	Exceptions  []string  `json:"exceptions"`
}

type file struct {
	Source         string     `json:"source"`
	CapitalCourtID string     `json:"capital_court_id"`
	Rules          []fileRule `json:"rules"`
}

// Parse reads a rules file strictly: unknown fields, unknown or repeated rule ids, missing flags
// or texts, unknown placeholders and trailing data are errors, and respondent_location must be
// the last rule and enabled. Use it to check a file staff have edited before using it.
func Parse(data []byte) (Rules, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return Rules{}, fmt.Errorf("routing rules: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Rules{}, errors.New("routing rules: unexpected data after the rules object")
	}
	r := Rules{Source: f.Source, CapitalCourtID: f.CapitalCourtID}
	for i, fr := range f.Rules {
		if fr.Enabled == nil || fr.Verified == nil {
			return Rules{}, fmt.Errorf("routing rules: rule %d (%q): \"enabled\" and \"verified\" are required", i+1, fr.ID)
		}
		r.List = append(r.List, Rule{
			ID:          fr.ID,
			Enabled:     *fr.Enabled,
			Basis:       fr.Basis,
			Verified:    *fr.Verified,
			Description: fr.Description,
			Explanation: fr.Explanation,
			Exceptions:  fr.Exceptions,
		})
	}
	if err := r.Validate(); err != nil {
		return Rules{}, err
	}
	return r, nil
}

// kinds of rule, by what they need.
const (
	kindCapital    = iota // sends to Rules.CapitalCourtID; exclusive
	kindOptional          // chooses by a KATO; falls through when it cannot decide
	kindRespondent        // the default, last
)

var ruleKind = map[string]int{
	RuleInvestmentDispute:  kindCapital,
	RuleActAbroad:          kindCapital,
	RuleClaimantResidence:  kindOptional,
	RulePropertyLocation:   kindOptional,
	RuleElectronicAct:      kindOptional,
	RuleRespondentLocation: kindRespondent,
}

// Validate checks a configuration the way Parse does. Route calls it first.
func (r Rules) Validate() error {
	if strings.TrimSpace(r.Source) == "" {
		return errors.New("routing rules: \"source\" is required")
	}
	if strings.TrimSpace(r.CapitalCourtID) == "" {
		return errors.New("routing rules: \"capital_court_id\" is required")
	}
	if len(r.List) == 0 {
		return errors.New("routing rules: no rules")
	}
	seen := map[string]bool{}
	for i, rule := range r.List {
		kind, known := ruleKind[rule.ID]
		if !known {
			return fmt.Errorf("routing rules: rule %d: unknown rule id %q", i+1, rule.ID)
		}
		if seen[rule.ID] {
			return fmt.Errorf("routing rules: rule %q appears twice", rule.ID)
		}
		seen[rule.ID] = true
		if strings.TrimSpace(rule.Basis) == "" {
			return fmt.Errorf("routing rules: %s: \"basis\" is required", rule.ID)
		}
		if err := checkText(rule.Description, nil, nil); err != nil {
			return fmt.Errorf("routing rules: %s: description: %w", rule.ID, err)
		}
		allowed := []string{"court", "city"}
		required := []string{"court"}
		if kind != kindCapital {
			allowed = append(allowed, "kato", "prefix")
			required = append(required, "kato")
		}
		if err := checkText(rule.Explanation, allowed, required); err != nil {
			return fmt.Errorf("routing rules: %s: explanation: %w", rule.ID, err)
		}
		if len(rule.Exceptions) > 0 && kind != kindOptional {
			return fmt.Errorf("routing rules: %s: only %s, %s and %s may have exceptions",
				rule.ID, RuleClaimantResidence, RulePropertyLocation, RuleElectronicAct)
		}
		for _, p := range rule.Exceptions {
			if !isDigits(p) || len(p) > 9 {
				return fmt.Errorf("routing rules: %s: exception %q is not a KATO prefix (1 to 9 digits)", rule.ID, p)
			}
		}
	}
	last := r.List[len(r.List)-1]
	if last.ID != RuleRespondentLocation {
		return fmt.Errorf("routing rules: %s must be the last rule", RuleRespondentLocation)
	}
	if !last.Enabled {
		return fmt.Errorf("routing rules: %s is the default and cannot be switched off", RuleRespondentLocation)
	}
	return nil
}

// checkText requires t in all three languages, with only the allowed {placeholders} and each
// required one present in every language. With allowed nil, no placeholder is allowed.
func checkText(t lang.Text, allowed, required []string) error {
	for _, l := range []struct{ code, s string }{{"kk", t.KK}, {"ru", t.RU}, {"en", t.EN}} {
		if strings.TrimSpace(l.s) == "" {
			return fmt.Errorf("missing in %s", l.code)
		}
		names, err := placeholders(l.s)
		if err != nil {
			return fmt.Errorf("%s: %w", l.code, err)
		}
		for _, n := range names {
			if !contains(allowed, n) {
				return fmt.Errorf("%s: unknown placeholder {%s}", l.code, n)
			}
		}
		for _, n := range required {
			if !contains(names, n) {
				return fmt.Errorf("%s: must name {%s}", l.code, n)
			}
		}
	}
	return nil
}

// placeholders lists the {names} in s; a lone brace is an error.
func placeholders(s string) ([]string, error) {
	var names []string
	for {
		i := strings.IndexAny(s, "{}")
		if i < 0 {
			return names, nil
		}
		if s[i] == '}' {
			return nil, errors.New("'}' without '{'")
		}
		j := strings.IndexAny(s[i+1:], "{}")
		if j < 0 || s[i+1+j] != '}' {
			return nil, errors.New("'{' without '}'")
		}
		names = append(names, s[i+1:i+1+j])
		s = s[i+1+j+1:]
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
