package routing

import (
	"talap/portal/court"
	"talap/portal/lang"
	"talap/portal/locale"
)

// RuleAfterCorrection names the rule that sends a corrected claim back to its court.
const RuleAfterCorrection = "same_court_after_correction"

// AfterCorrection is the routing of a claim corrected after the court left it without motion
// (APPK Art. 137): the same court, which left it without motion, takes it up again.
func AfterCorrection() (rule string, explanation lang.Text) {
	return RuleAfterCorrection, locale.Text("routing.after_correction")
}

// Transfer words a court's transfer of a claim to another court (APPK Art. 108), with the
// clerk's reason.
func Transfer(from, to court.Court, reason string) lang.Text {
	return locale.Text("routing.transfer", "From", from.Name, "To", to.Name, "Reason", reason)
}
