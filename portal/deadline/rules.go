package deadline

import (
	"slices"
	"sync"

	"talap/portal/lang"
	"talap/portal/locale"
)

// Claim kinds (APPK Art. 131(1)), as used in Input.Kind.
const (
	KindChallenge   = "challenge"   // иск об оспаривании, Art. 132
	KindCoercion    = "coercion"    // иск о принуждении, Art. 133
	KindAction      = "action"      // иск о совершении действия, Art. 134
	KindRecognition = "recognition" // иск о признании, Art. 135
)

var kinds = []string{KindChallenge, KindCoercion, KindAction, KindRecognition}

// Kinds returns the claim kinds FilingDeadline understands.
func Kinds() []string { return slices.Clone(kinds) }

// Unit is the unit a period is counted in.
type Unit string

// Units of a period.
const (
	Months      Unit = "months"       // ends on the same-numbered day of the last month (clamped to its end)
	Years       Unit = "years"        // ends on the same month and day of the last year (29 Feb -> 28 Feb)
	Days        Unit = "days"         // calendar days
	WorkingDays Unit = "working_days" // the n-th working day after the event
)

// Period is a length of time, e.g. {1, Months}.
type Period struct {
	N    int  `json:"n"`
	Unit Unit `json:"unit"`
}

// Condition says when a rule applies.
type Condition string

// Conditions of the rules.
const (
	AfterComplaintDecision Condition = "after_complaint_decision" // a pre-trial complaint was decided
	AfterDeemedRefusal     Condition = "after_deemed_refusal"     // a pre-trial complaint was filed, no decision given
	NoPretrial             Condition = "no_pretrial"              // no pre-trial step by law, or no complaint body
	ActionNoComplaint      Condition = "action"                   // action claim, no pre-trial complaint
	Recognition            Condition = "recognition"              // recognition claim
	PretrialMissing        Condition = "pretrial_missing"         // pre-trial step required but not taken
	PretrialComplaint      Condition = "pretrial_complaint"       // the pre-trial complaint itself (Art. 92)
)

// ClockStart names the event whose date starts the clock; the period runs from the day after.
type ClockStart string

// Events that start a clock, and the Input field each is read from.
const (
	ComplaintDecisionDelivered ClockStart = "complaint_decision_delivered"  // Input.PretrialDecisionOn
	ComplaintBodyDeadlineEnded ClockStart = "complaint_body_deadline_ended" // Input.PretrialFiledOn + Input.ComplaintBodyDays working days
	ActDelivered               ClockStart = "act_delivered"                 // Input.ActReceivedOn
	ActionLearned              ClockStart = "action_learned"                // Input.ActReceivedOn
	RelationshipArose          ClockStart = "relationship_arose"            // Input.ActIssuedOn, else Input.ActReceivedOn
	ActLearned                 ClockStart = "act_learned"                   // actReceivedOn of PretrialComplaintDeadline
	NoClock                    ClockStart = ""                              // no period runs
)

// Rule is one filing period of the APPK, held as data.
type Rule struct {
	ID string `json:"id"`
	// Article is the provision in English, e.g. "APPK Art. 136(1)"; Cite is the same in each
	// language as written inside a sentence.
	Article    string     `json:"article"`
	Cite       lang.Text  `json:"cite"`
	Kinds      []string   `json:"kinds"`
	Condition  Condition  `json:"condition"`
	Period     Period     `json:"period"` // zero for a rule under which no period runs
	ClockStart ClockStart `json:"clock_start"`
	// Explanation says what the rule provides, in plain words.
	Explanation lang.Text `json:"explanation"`
}

// Rule IDs.
const (
	RuleComplaintDecision       = "appk-136-1-complaint-decision"
	RuleNoPretrial              = "appk-136-1-no-pretrial"
	RuleAction                  = "appk-136-2-action"
	RuleRecognition             = "appk-136-3-recognition"
	RuleActionComplaintDecision = "appk-136-6-action-complaint-decision"
	RuleDeemedRefusal           = "appk-136-6-deemed-refusal"
	RulePretrialMissing         = "appk-91-5-pretrial-missing"
	RulePretrialComplaint       = "appk-92-1-pretrial-complaint"
)

// DefaultComplaintBodyDays is the complaint body's own deadline, in working days from receipt of
// the complaint, used for a deemed refusal when Input.ComplaintBodyDays is 0. It is APPK Art. 99 as
// read from a mirror of the Code's text as amended to 30.12.2022 (quyse/kz-laws, rus/144260.md:
// "двадцать рабочих дней со дня поступления жалобы"). Later amendments are UNVERIFIED, and so is
// counting it from the day the complaint was filed rather than the day the complaint body received
// it (Art. 91(4) lets the first body take up to 3 working days to forward it).
const DefaultComplaintBodyDays = 20

// The article texts were read from the same mirror (APPK as amended to 30.12.2022); later
// amendments are unverified. Each rule's citation and explanation are in the catalogs
// (frontend/locales): deadline.cite.<cite> and deadline.rule.<id>. Kazakh and Russian wording is
// Talap's and should be checked by a lawyer fluent in each.
var table = []struct {
	id, article, cite string
	kinds             []string
	condition         Condition
	period            Period
	clock             ClockStart
}{
	{RuleComplaintDecision, "APPK Art. 136(1)", "appk_136_1", []string{KindChallenge, KindCoercion}, AfterComplaintDecision, Period{1, Months}, ComplaintDecisionDelivered},
	{RuleNoPretrial, "APPK Art. 136(1) para. 2", "appk_136_1_2", []string{KindChallenge, KindCoercion}, NoPretrial, Period{1, Months}, ActDelivered},
	{RuleAction, "APPK Art. 136(2)", "appk_136_2", []string{KindAction}, ActionNoComplaint, Period{1, Months}, ActionLearned},
	{RuleRecognition, "APPK Art. 136(3)", "appk_136_3", []string{KindRecognition}, Recognition, Period{5, Years}, RelationshipArose},
	{RuleActionComplaintDecision, "APPK Art. 136(6)", "appk_136_6", []string{KindAction}, AfterComplaintDecision, Period{1, Months}, ComplaintDecisionDelivered},
	{RuleDeemedRefusal, "APPK Art. 136(6)", "appk_136_6", []string{KindChallenge, KindCoercion, KindAction}, AfterDeemedRefusal, Period{1, Months}, ComplaintBodyDeadlineEnded},
	{RulePretrialMissing, "APPK Art. 91(5)", "appk_91_5", []string{KindChallenge, KindCoercion}, PretrialMissing, Period{}, NoClock},
	{RulePretrialComplaint, "APPK Art. 92(1)", "appk_92_1", []string{KindChallenge, KindCoercion, KindAction}, PretrialComplaint, Period{3, Months}, ActLearned},
}

// rules is the table with each rule's texts rendered from the catalogs, built on first use.
var rules = sync.OnceValue(func() []Rule {
	out := make([]Rule, len(table))
	for i, r := range table {
		out[i] = Rule{ID: r.id, Article: r.article, Cite: locale.Text("deadline.cite." + r.cite), Kinds: r.kinds,
			Condition: r.condition, Period: r.period, ClockStart: r.clock, Explanation: locale.Text("deadline.rule." + r.id)}
	}
	return out
})

// Rules returns the rule table (a copy).
func Rules() []Rule {
	out := make([]Rule, len(table))
	for i, r := range rules() {
		r.Kinds = slices.Clone(r.Kinds)
		out[i] = r
	}
	return out
}

// RuleByID returns the rule with the given ID.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

func mustRule(id string) Rule {
	r, ok := RuleByID(id)
	if !ok {
		panic("deadline: no rule " + id)
	}
	return r
}
