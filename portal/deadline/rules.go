package deadline

import (
	"slices"

	"talap/portal/lang"
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
// amendments are unverified. Kazakh and Russian wording is Talap's and should be checked by a
// lawyer fluent in each.
var rules = []Rule{
	{
		ID:         RuleComplaintDecision,
		Article:    "APPK Art. 136(1)",
		Cite:       lang.Text{KK: "ӘРПК 136-бабының 1-бөлігі", RU: "ч. 1 ст. 136 АППК", EN: "APPK Art. 136(1)"},
		Kinds:      []string{KindChallenge, KindCoercion},
		Condition:  AfterComplaintDecision,
		Period:     Period{1, Months},
		ClockStart: ComplaintDecisionDelivered,
		Explanation: lang.Text{
			KK: "Сотқа дейінгі шағымнан кейін дау айту және мәжбүрлеу туралы талап қоюлар шағым бойынша шешім тапсырылған күннен бастап бір ай ішінде беріледі.",
			RU: "Иски об оспаривании и о принуждении после досудебной жалобы подаются в течение месяца со дня вручения решения по жалобе.",
			EN: "Challenge and coercion claims after a pre-trial complaint are filed within 1 month of the day the decision on the complaint is delivered.",
		},
	},
	{
		ID:         RuleNoPretrial,
		Article:    "APPK Art. 136(1) para. 2",
		Cite:       lang.Text{KK: "ӘРПК 136-бабы 1-бөлігінің екінші абзацы", RU: "ч. 1 ст. 136 АППК (второй абзац)", EN: "APPK Art. 136(1) para. 2"},
		Kinds:      []string{KindChallenge, KindCoercion},
		Condition:  NoPretrial,
		Period:     Period{1, Months},
		ClockStart: ActDelivered,
		Explanation: lang.Text{
			KK: "Заңда сотқа дейінгі тәртіп көзделмесе немесе шағымды қарайтын орган болмаса, дау айту және мәжбүрлеу туралы талап қоюлар әкімшілік акт тапсырылған немесе хабарланған күннен бастап бір ай ішінде беріледі.",
			RU: "Если законом не предусмотрен досудебный порядок или отсутствует орган, рассматривающий жалобу, иски об оспаривании и о принуждении подаются в течение одного месяца со дня вручения административного акта или доведения его до сведения.",
			EN: "Where a law provides no pre-trial step, or there is no complaint body, challenge and coercion claims are filed within 1 month of the day the act is delivered or made known.",
		},
	},
	{
		ID:         RuleAction,
		Article:    "APPK Art. 136(2)",
		Cite:       lang.Text{KK: "ӘРПК 136-бабының 2-бөлігі", RU: "ч. 2 ст. 136 АППК", EN: "APPK Art. 136(2)"},
		Kinds:      []string{KindAction},
		Condition:  ActionNoComplaint,
		Period:     Period{1, Months},
		ClockStart: ActionLearned,
		Explanation: lang.Text{
			KK: "Әрекет жасау туралы талап қою тұлға әрекет туралы білген күннен, сондай-ақ заңнамада әрекет жасауға белгіленген мерзім өткен күннен бастап бір ай ішінде беріледі.",
			RU: "Иск о совершении действия подаётся в течение месяца со дня, когда лицу стало известно о совершении действия, а также когда истёк срок, установленный законодательством для совершения действия.",
			EN: "An action claim is filed within 1 month of the day the claimant learned of the action, or of the end of the period the law sets for the action.",
		},
	},
	{
		ID:         RuleRecognition,
		Article:    "APPK Art. 136(3)",
		Cite:       lang.Text{KK: "ӘРПК 136-бабының 3-бөлігі", RU: "ч. 3 ст. 136 АППК", EN: "APPK Art. 136(3)"},
		Kinds:      []string{KindRecognition},
		Condition:  Recognition,
		Period:     Period{5, Years},
		ClockStart: RelationshipArose,
		Explanation: lang.Text{
			KK: "Тану туралы талап қою тиісті құқықтық қатынас пайда болған кезден бастап бес жыл ішінде беріледі.",
			RU: "Иск о признании подаётся в течение пяти лет с момента возникновения соответствующего правоотношения.",
			EN: "A recognition claim is filed within 5 years of when the legal relationship arose.",
		},
	},
	{
		ID:         RuleActionComplaintDecision,
		Article:    "APPK Art. 136(6)",
		Cite:       lang.Text{KK: "ӘРПК 136-бабының 6-бөлігі", RU: "ч. 6 ст. 136 АППК", EN: "APPK Art. 136(6)"},
		Kinds:      []string{KindAction},
		Condition:  AfterComplaintDecision,
		Period:     Period{1, Months},
		ClockStart: ComplaintDecisionDelivered,
		Explanation: lang.Text{
			KK: "Сотқа дейінгі шағым берген тұлға шағым бойынша шешім тапсырылған кезден бастап бір ай ішінде сотқа талап қоюмен жүгіне алады.",
			RU: "Лицо, подавшее жалобу, вправе обратиться с иском в суд в течение месяца с момента вручения решения по жалобе.",
			EN: "A person who filed a pre-trial complaint may file a claim within 1 month of the delivery of the decision on the complaint.",
		},
	},
	{
		ID:         RuleDeemedRefusal,
		Article:    "APPK Art. 136(6)",
		Cite:       lang.Text{KK: "ӘРПК 136-бабының 6-бөлігі", RU: "ч. 6 ст. 136 АППК", EN: "APPK Art. 136(6)"},
		Kinds:      []string{KindChallenge, KindCoercion, KindAction},
		Condition:  AfterDeemedRefusal,
		Period:     Period{1, Months},
		ClockStart: ComplaintBodyDeadlineEnded,
		Explanation: lang.Text{
			KK: "Шағым бойынша шешім қабылданбаса, шағымды қарау мерзімі өткен соң шағым қанағаттандырылмады деп есептеледі, және талап қою сол мерзім өткеннен кейін бір ай ішінде беріледі.",
			RU: "Если решение по жалобе не принято, по истечении срока её рассмотрения жалоба считается отклонённой, и иск подаётся в течение месяца после истечения этого срока.",
			EN: "If the complaint is not decided, it counts as refused when the complaint body's deadline ends, and the claim is filed within 1 month of that.",
		},
	},
	{
		ID:         RulePretrialMissing,
		Article:    "APPK Art. 91(5)",
		Cite:       lang.Text{KK: "ӘРПК 91-бабының 5-бөлігі", RU: "ч. 5 ст. 91 АППК", EN: "APPK Art. 91(5)"},
		Kinds:      []string{KindChallenge, KindCoercion},
		Condition:  PretrialMissing,
		ClockStart: NoClock,
		Explanation: lang.Text{
			KK: "Заңда өзгеше көзделмесе, сотқа сотқа дейінгі шағымнан кейін жүгінеді. Шағым берілмесе, талап қою мерзімі басталмайды; шағым беру мүмкіндігі жойылмаған кезде сот талап қою арызын қайтара алады.",
			RU: "Если законом не предусмотрено иное, обращение в суд допускается после досудебного обжалования. Без жалобы срок на подачу иска не начинается; пока такая возможность не утрачена, суд может вернуть иск.",
			EN: "Unless a law says otherwise, a claim goes to court after a pre-trial complaint. Without one no filing period runs; while a complaint is still possible the court may return the claim.",
		},
	},
	{
		ID:         RulePretrialComplaint,
		Article:    "APPK Art. 92(1)",
		Cite:       lang.Text{KK: "ӘРПК 92-бабының 1-бөлігі", RU: "ч. 1 ст. 92 АППК", EN: "APPK Art. 92(1)"},
		Kinds:      []string{KindChallenge, KindCoercion, KindAction},
		Condition:  PretrialComplaint,
		Period:     Period{3, Months},
		ClockStart: ActLearned,
		Explanation: lang.Text{
			KK: "Сотқа дейінгі шағым әкімшілік акт қабылданғаны немесе әрекет (әрекетсіздік) жасалғаны белгілі болған күннен бастап үш айдан кешіктірілмей беріледі; дәлелді себеппен өткізілген мерзімді шағымды қарайтын орган қалпына келтіре алады.",
			RU: "Досудебная жалоба подаётся не позднее трёх месяцев со дня, когда стало известно о принятии административного акта или совершении действия (бездействия); пропущенный по уважительной причине срок может восстановить орган, рассматривающий жалобу.",
			EN: "A pre-trial complaint is filed within 3 months of the day the person learned of the act or action; the complaint body may restore a period missed for a good reason.",
		},
	},
}

// Rules returns the rule table (a copy).
func Rules() []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
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
