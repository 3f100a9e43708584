package routing

import (
	"time"

	"talap/portal/claim"
	"talap/portal/lang"
)

// ClaimInput is what routing a filed claim needs to know: the claim and its respondent's place.
type ClaimInput struct {
	Claim          claim.Claim
	RespondentKATO string
}

// Outcome is what routing a claim decided: a court, or no court with a reason for the
// administrators, with when the respondent's response is due and when to remind it.
type Outcome struct {
	Routing         *claim.Routing
	UnroutableWhy   lang.Text
	ResponseDue     *time.Time
	RemindAt        *time.Time
	AlreadyFinished bool // the claim was past routing already: nothing was changed
}
