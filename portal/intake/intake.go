// Package intake holds the checks a filed claim goes through before routing: technical problems
// that send it back to the claimant, and legal doubts that are flagged for the court, which alone
// decides. It is pure: the worker gathers the facts (document re-hashes, possible duplicates).
package intake

import (
	"slices"
	"time"

	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/deadline"
	"talap/portal/locale"
)

// AllowedTypes are the document types a court accepts.
var AllowedTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// notice is the problem or flag code with its message from the catalogs (frontend/locales, key
// intake.<code>), rendered in all three languages because it is stored with the claim. pairs are
// the message's template data, as for locale.Text.
func notice(code string, pairs ...any) claim.Notice {
	return claim.Notice{Code: code, Message: locale.Text("intake."+code, pairs...)}
}

// DocCheck is what re-reading a document from storage found.
type DocCheck struct {
	Missing bool   // the object is gone
	SHA256  string // the hash of what is stored now
}

// Problems lists what the claimant must fix before the claim can go on: documents missing or
// changed in storage, a type the court does not accept, and an unpaid duty with no exemption.
func Problems(c claim.Claim, checks map[string]DocCheck) []claim.Notice {
	var out []claim.Notice
	for _, d := range c.Documents {
		chk := checks[d.ID]
		switch {
		case chk.Missing:
			out = append(out, notice("document_missing", "Name", d.Name))
		case chk.SHA256 != d.SHA256:
			out = append(out, notice("document_changed", "Name", d.Name))
		}
		if !slices.Contains(AllowedTypes, d.ContentType) {
			out = append(out, notice("document_type", "Name", d.Name, "Type", d.ContentType))
		}
	}
	if !c.DutySatisfied() {
		out = append(out, notice("duty_unpaid"))
	}
	return out
}

// Flags lists the legal doubts for the court: a late claim (APPK Art. 136), no pre-trial
// complaint (Art. 91), a late pre-trial complaint (Art. 92), and a likely duplicate. Each says
// what was computed from which dates under which article. duplicateOf is the number of an earlier
// claim with the same claimant, respondent and contested act, or "".
func Flags(cal *calendar.Calendar, c claim.Claim, filedAt time.Time, complaintBodyDays int, duplicateOf string) []claim.Notice {
	var out []claim.Notice
	in := deadline.ForDraft(c.Draft, complaintBodyDays, filedAt)
	if res, err := deadline.FilingDeadline(cal, in); err == nil {
		switch {
		case !res.Applicable:
			out = append(out, claim.Notice{Code: "pretrial_missing", Message: res.Explanation})
		case res.Late:
			out = append(out, claim.Notice{Code: "late", Message: res.Explanation})
		}
	} else if c.Kind != "" {
		out = append(out, notice("deadline_unknown"))
	}
	if res, late := deadline.LatePretrialComplaint(cal, in); late {
		out = append(out, claim.Notice{Code: "pretrial_late", Message: res.Explanation})
	}
	if duplicateOf != "" {
		out = append(out, notice("duplicate", "Number", c.ContestedAct.Number, "Of", duplicateOf))
	}
	return out
}
