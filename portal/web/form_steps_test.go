package web

import (
	"slices"
	"testing"
)

// The step table gives the step order, the fields each step posts, the order of an error summary
// and the step that asks for a field.
func TestFormStepTable(t *testing.T) {
	if want := []string{"category", "respondent", "kind", "act", "pretrial", "details", "contacts", "documents", "duty", "check"}; !slices.Equal(formSteps, want) {
		t.Errorf("steps = %v, want %v", formSteps, want)
	}
	if _, ok := formStepFields["documents"]; ok {
		t.Error("the documents step has no form of answers, yet posts fields")
	}
	if _, ok := formStepFields["check"]; ok {
		t.Error("the check step has no form of answers, yet posts fields")
	}
	if got := formStepFields["pretrial"]; !slices.Equal(got, []string{"pretrial", "pretrial.complaint_filed_on", "pretrial.decision_received_on"}) {
		t.Errorf("pretrial posts %v", got)
	}
	wantOrder := []string{"category", "respondent_bin", "kind",
		"contested_act.number", "contested_act.issued_on", "contested_act.received_on", "act_abroad", "act_electronic", "investment_dispute",
		"pretrial", "pretrial.complaint_filed_on", "pretrial.decision_received_on",
		"subject", "grounds", "demands",
		"claimant.residence_kato", "claimant.phone", "claimant.email", "hear_at_residence", "property_kato", "claim_amount",
		"documents", "doc_kind", "file", "duty"}
	if !slices.Equal(formFieldOrder, wantOrder) {
		t.Errorf("field order = %v\nwant %v", formFieldOrder, wantOrder)
	}
	for field, step := range map[string]string{
		"category": "category", "respondent_bin": "respondent", "kind": "kind",
		"contested_act.number": "act", "contested_act.other": "act", "investment_dispute": "act",
		"pretrial": "pretrial", "pretrial.exempt_reason": "pretrial", "pretrial.decision_received_on": "pretrial",
		"demands": "details", "claimant.email": "contacts", "claimant.anything": "contacts", "claim_amount": "contacts",
		"documents": "documents", "doc_kind": "documents", "file": "documents",
		"duty": "duty", "duty_exemption": "duty", "state_duty": "duty",
		"claimant": "check", "duty.amount": "check", "status": "check", "": "check",
	} {
		if got := formStepOf(field); got != step {
			t.Errorf("formStepOf(%q) = %q, want %q", field, got, step)
		}
	}
	for api, control := range map[string]string{"pretrial.exempt_reason": "pretrial", "duty_exemption": "duty", "state_duty": "duty"} {
		if formFieldAlias[api] != control {
			t.Errorf("alias of %s = %q, want %q", api, formFieldAlias[api], control)
		}
	}
}
