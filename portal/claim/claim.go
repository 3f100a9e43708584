// Package claim holds the administrative claim: its statuses and the facts that travel with it.
package claim

import (
	"time"

	"talap/portal/lang"
)

// Status is where a claim stands.
type Status string

// Claim statuses (ARCHITECTURE.md): draft → submitted → validating → routed → registered, with the
// side paths needs_correction, left_without_motion, returned and withdrawn. unroutable means no court
// in the registry covers the claim; it waits in the administrators' queue.
const (
	Draft             Status = "draft"
	Submitted         Status = "submitted"
	Validating        Status = "validating"
	Routed            Status = "routed"
	Registered        Status = "registered"
	NeedsCorrection   Status = "needs_correction"
	LeftWithoutMotion Status = "left_without_motion"
	Returned          Status = "returned"
	Withdrawn         Status = "withdrawn"
	Unroutable        Status = "unroutable"
)

// Routable reports whether a claim in status s is waiting to be routed.
func (s Status) Routable() bool { return s == Submitted || s == Validating }

// Routing records which court was chosen, by which rule and why.
type Routing struct {
	CourtID     string    `json:"court_id"`
	Rule        string    `json:"rule"`
	Explanation lang.Text `json:"explanation"`
}

// Claim is the part of a claim the pipeline works on.
type Claim struct {
	ID            string     `json:"id"`
	Number        string     `json:"number,omitempty"`
	ClaimantIIN   string     `json:"claimant_iin"`
	Status        Status     `json:"status"`
	Category      string     `json:"category"`
	Kind          string     `json:"kind"`
	RespondentBIN string     `json:"respondent_bin,omitempty"`
	Subject       string     `json:"subject"`
	Routing       *Routing   `json:"routing,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
}
