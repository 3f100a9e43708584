package web

// The steps of the claim form, their fields, and how a step's answers become the claim's.

import (
	"slices"
	"strconv"
	"strings"

	"talap/portal/claim"
)

// formStep is a page of the form.
type formStep struct {
	name string
	// posts are the fields the step's form posts, named by their JSON path, in the order asked;
	// none for a page without a form of answers (documents, check).
	posts []string
	// controls are the page's other controls that a problem can point at (the upload form's).
	controls []string
	// aliases are the API's names for what the step answers, each with the control that answers it.
	aliases map[string]string
	// required: going on needs this step's questions answered (Missing), not only valid answers.
	required bool
}

// formStepTable is the form, in the order the steps are asked. Submitting is the last action of
// the check page. The step order, the fields each step posts, the order of an error summary and
// the step that asks for a field all derive from it.
var formStepTable = []formStep{
	{name: "category", posts: []string{"category"}},
	{name: "respondent", posts: []string{"respondent_bin"}},
	{name: "kind", posts: []string{"kind"}},
	{name: "act", required: true, posts: []string{"contested_act.number", "contested_act.issued_on", "contested_act.received_on",
		"act_abroad", "act_electronic", "investment_dispute"}},
	{name: "pretrial", posts: []string{"pretrial", "pretrial.complaint_filed_on", "pretrial.decision_received_on"},
		aliases: map[string]string{"pretrial.exempt_reason": "pretrial"}},
	{name: "details", required: true, posts: []string{"subject", "grounds", "demands"}},
	{name: "contacts", required: true, posts: []string{"claimant.residence_kato", "claimant.phone", "claimant.email",
		"hear_at_residence", "property_kato", "claim_amount"}},
	{name: "documents", controls: []string{"documents", "doc_kind", "file"}},
	{name: "duty", posts: []string{"duty"}, aliases: map[string]string{"duty_exemption": "duty", "state_duty": "duty"}},
	{name: "check"},
}

var (
	// formSteps are the steps' names in order.
	formSteps []string
	// formStepFields are the fields each step that has a form of answers posts.
	formStepFields = map[string][]string{}
	// formFieldOrder orders an error summary as the questions are asked.
	formFieldOrder []string
	// formFieldAlias points the API's field names at the form control that answers them.
	formFieldAlias = map[string]string{}
	// formFieldStep names the step of every field, control and alias.
	formFieldStep = map[string]string{}
)

func init() {
	for _, st := range formStepTable {
		formSteps = append(formSteps, st.name)
		if len(st.posts) > 0 {
			formStepFields[st.name] = st.posts
		}
		for _, f := range slices.Concat(st.posts, st.controls) {
			formFieldOrder = append(formFieldOrder, f)
			formFieldStep[f] = st.name
		}
		for api, control := range st.aliases {
			formFieldAlias[api] = control
			formFieldStep[api] = st.name
		}
	}
}

// formStepOf names the step that asks for a field: the step that lists it, or for a part of a
// group ("claimant.phone") the step that asks the group's questions; "check" for anything else.
func formStepOf(field string) string {
	if step, ok := formFieldStep[field]; ok {
		return step
	}
	if group, _, ok := strings.Cut(field, "."); ok {
		for f, step := range formFieldStep {
			if strings.HasPrefix(f, group+".") {
				return step
			}
		}
	}
	return "check"
}

// formStepMissing is what Missing says about the questions of this step that must be answered
// before going on.
func formStepMissing(step string, cl claim.Claim) claim.FieldErrors {
	out := claim.FieldErrors{}
	if i := slices.IndexFunc(formStepTable, func(st formStep) bool { return st.name == step }); i < 0 || !formStepTable[i].required {
		return out
	}
	for k, v := range Missing(cl) {
		if formStepOf(k) == step {
			out[k] = v
		}
	}
	return out
}

// formValues are the claim's answers as the form shows them.
func formValues(cl claim.Claim) map[string]string {
	d := cl.Draft
	v := map[string]string{
		"category": d.Category, "kind": d.Kind, "respondent_bin": d.RespondentBIN,
		"subject": d.Subject, "grounds": d.Grounds, "demands": d.Demands,
		"contested_act.number": d.ContestedAct.Number, "contested_act.issued_on": dateValue(d.ContestedAct.IssuedOn),
		"contested_act.received_on": dateValue(d.ContestedAct.ReceivedOn),
		"act_abroad":                onIf(d.ActAbroad), "act_electronic": onIf(d.ActElectronic), "investment_dispute": onIf(d.InvestmentDispute),
		"pretrial.complaint_filed_on":   dateValue(d.Pretrial.ComplaintFiledOn),
		"pretrial.decision_received_on": dateValue(d.Pretrial.DecisionReceivedOn),
		"claimant.residence_kato":       d.Claimant.ResidenceKATO, "claimant.phone": d.Claimant.Phone, "claimant.email": d.Claimant.Email,
		"hear_at_residence": onIf(d.HearAtResidence), "property_kato": d.PropertyKATO, "claim_amount": "",
	}
	if d.ClaimAmount != nil {
		v["claim_amount"] = strconv.FormatInt(*d.ClaimAmount, 10)
	}
	switch {
	case d.Pretrial.ComplaintFiledOn != nil:
		v["pretrial"] = "complained"
	case d.Pretrial.ExemptReason != "":
		v["pretrial"] = d.Pretrial.ExemptReason
	}
	switch {
	case d.DutyExemption != "":
		v["duty"] = d.DutyExemption
	case cl.DutyPaid():
		v["duty"] = "paid"
	}
	return v
}

// formAnswers turns a step's form fields into the JSON answers claim.Apply takes. The field
// problems it returns are questions left unanswered or numbers that are not numbers; everything
// else is checked by the same validation as the API.
func formAnswers(step string, get func(string) string, cl claim.Claim) (map[string]any, claim.FieldErrors) {
	fe := claim.FieldErrors{}
	a := map[string]any{}
	on := func(name string) bool { v := get(name); return v == "on" || v == "true" || v == "1" }
	choose := func(field string) {
		v := strings.TrimSpace(get(field))
		a[field] = v
		if v == "" {
			fe[field] = "form.err.choose_" + field
		}
	}
	switch step {
	case "category", "kind":
		choose(step)
	case "respondent":
		choose("respondent_bin")
	case "act":
		a["contested_act"] = map[string]any{"number": get("contested_act.number"),
			"issued_on": get("contested_act.issued_on"), "received_on": get("contested_act.received_on")}
		a["act_abroad"], a["act_electronic"], a["investment_dispute"] = on("act_abroad"), on("act_electronic"), on("investment_dispute")
	case "pretrial":
		switch choice := get("pretrial"); choice {
		case "":
			fe["pretrial"] = "pretrial_unanswered"
		case "complained":
			filed := strings.TrimSpace(get("pretrial.complaint_filed_on"))
			a["pretrial"] = map[string]any{"complaint_filed_on": filed,
				"decision_received_on": get("pretrial.decision_received_on"), "exempt_reason": ""}
			if filed == "" {
				fe["pretrial.complaint_filed_on"] = "required"
			}
		default:
			a["pretrial"] = map[string]any{"complaint_filed_on": "", "decision_received_on": "", "exempt_reason": choice}
		}
	case "details":
		a["subject"], a["grounds"], a["demands"] = get("subject"), get("grounds"), get("demands")
	case "contacts":
		a["claimant"] = map[string]any{"residence_kato": get("claimant.residence_kato"), "phone": get("claimant.phone"), "email": get("claimant.email")}
		a["hear_at_residence"] = on("hear_at_residence")
		a["property_kato"] = ""
		if cl.Category == "land" {
			a["property_kato"] = get("property_kato")
		}
		raw := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\u00a0' || r == '\u202f' || r == ',' || r == '_' {
				return -1
			}
			return r
		}, get("claim_amount"))
		raw = strings.TrimSuffix(strings.TrimSpace(raw), "₸")
		switch n, err := strconv.ParseInt(raw, 10, 64); {
		case raw == "":
			a["claim_amount"] = 0
		case err != nil:
			fe["claim_amount"] = "form.err.amount"
		default:
			a["claim_amount"] = n
		}
	case "duty":
		switch v := get("duty"); v {
		case "":
			fe["duty"] = "duty_required"
		case "paid":
			a["duty_exemption"] = ""
		default:
			a["duty_exemption"] = v
		}
	}
	return a, fe
}
