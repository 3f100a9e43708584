// Package claim holds the administrative claim: its statuses and the facts that travel with it.
package claim

import (
	"fmt"
	"time"

	"talap/portal/calendar"
	"talap/portal/duty"
	"talap/portal/lang"
)

// Status is where a claim stands.
type Status string

// Claim statuses (ARCHITECTURE.md): draft → submitted → validating → routed → registered, with the
// side paths needs_correction, left_without_motion, returned and withdrawn. unroutable means no court
// in the registry covers the claim; it waits in the administrators' queue.
const (
	StatusDraft             Status = "draft"
	StatusSubmitted         Status = "submitted"
	StatusValidating        Status = "validating"
	StatusRouted            Status = "routed"
	StatusRegistered        Status = "registered"
	StatusNeedsCorrection   Status = "needs_correction"
	StatusLeftWithoutMotion Status = "left_without_motion"
	StatusReturned          Status = "returned"
	StatusWithdrawn         Status = "withdrawn"
	StatusUnroutable        Status = "unroutable"
)

// Routable reports whether a claim in status s is waiting to be routed.
func (s Status) Routable() bool { return s == StatusSubmitted || s == StatusValidating }

// Routing records which court was chosen, by which rule and why.
type Routing struct {
	CourtID     string    `json:"court_id"`
	Rule        string    `json:"rule"`
	Explanation lang.Text `json:"explanation"`
}

// Editable reports whether the claimant may change a claim in status s.
func (s Status) Editable() bool {
	return s == StatusDraft || s == StatusNeedsCorrection || s == StatusLeftWithoutMotion
}

// Notice is a flag for the court or a problem for the claimant, with its message in each language.
type Notice struct {
	Code    string    `json:"code"`
	Message lang.Text `json:"message"`
}

// Document is a file attached to a claim.
type Document struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	SHA256      string    `json:"sha256"`
	UploadedBy  string    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
	Key         string    `json:"-"`
	VersionID   string    `json:"-"`
}

// Response is a respondent's answer (отзыв) to a claim.
type Response struct {
	ID          string     `json:"id"`
	BodyBIN     string     `json:"body_bin"`
	Text        string     `json:"text"`
	Documents   []Document `json:"documents"`
	SubmittedAt time.Time  `json:"submitted_at"`
	Late        bool       `json:"late"`
	SubmittedBy string     `json:"-"`
}

// DocumentKinds are what an uploaded document can be.
var DocumentKinds = []string{"evidence", "contested_act", "pretrial_decision", duty.PaymentKind, "power_of_attorney", "other"}

// Claim is a claim with everything the claimant answered and what the pipeline added.
type Claim struct {
	ID          string `json:"id"`
	Number      string `json:"number,omitempty"`
	ClaimantIIN string `json:"claimant_iin"`
	Status      Status `json:"status"`
	Draft
	CourtID       string     `json:"court_id,omitempty"`
	Routing       *Routing   `json:"routing,omitempty"`
	Flags         []Notice   `json:"flags"`
	Problems      []Notice   `json:"problems"`
	Documents     []Document `json:"documents"`
	CaseNumber    string     `json:"case_number,omitempty"`
	ResponseDue   *Date      `json:"response_due,omitempty"`
	CorrectionDue *Date      `json:"correction_due,omitempty"`
	Responses     []Response `json:"responses,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
	RoutedAt      *time.Time `json:"routed_at,omitempty"`
}

// HasDocumentKind reports whether a document of kind is attached.
func (c Claim) HasDocumentKind(kind string) bool {
	for _, d := range c.Documents {
		if d.Kind == kind {
			return true
		}
	}
	return false
}

// DutyPaid reports whether proof that the state duty is paid is attached.
func (c Claim) DutyPaid() bool { return c.HasDocumentKind(duty.PaymentKind) }

// DutySatisfied reports whether the state duty no longer stands in the way of filing (duty.Satisfied).
func (c Claim) DutySatisfied() bool { return duty.Satisfied(c.DutyPaid(), c.DutyExemption) }

// Duty returns what the claim owes in state duty and where it stands, at the given MCI (tenge).
func (c Claim) Duty(mci float64) duty.Duty {
	var amount int64
	if c.ClaimAmount != nil {
		amount = *c.ClaimAmount
	}
	return duty.Compute(mci, amount, c.DutyPaid(), c.DutyExemption)
}

// Viewer is who asks to see a claim.
type Viewer struct {
	IIN       string
	Officer   []string // bodies the viewer works for (or the token's body)
	Clerk     []string // courts the viewer works for
	Admin     bool
	TokenBody string
}

// VisibleTo says who may see a claim: the claimant always; once routed, the respondent's officers
// (or its API token) and the clerks of the court it is with; administrators once it is filed.
// A draft is the claimant's alone.
func (c Claim) VisibleTo(v Viewer) bool {
	if v.TokenBody == "" && v.IIN == c.ClaimantIIN {
		return true
	}
	if c.Status == StatusDraft {
		return false
	}
	if c.RoutedAt != nil && c.RespondentBIN != "" && (v.TokenBody == c.RespondentBIN || (v.TokenBody == "" && contains(v.Officer, c.RespondentBIN))) {
		return true
	}
	if v.TokenBody == "" && c.CourtID != "" && contains(v.Clerk, c.CourtID) {
		return true
	}
	return v.TokenBody == "" && v.Admin
}

// Decision is what a court clerk decides on a filed claim.
type Decision struct {
	Action        string
	Reasons       []string // codes from the lists held as data
	Text          string   // free text, shown to the claimant word for word
	CorrectionDue *time.Time
	ToCourt       string
	// CheckAt is when to look whether a claim left without motion was corrected (normally the end
	// of CorrectionDue, Almaty time).
	CheckAt *time.Time
	// Explanation is the routing explanation a transfer records.
	Explanation lang.Text
}

// NumberFor is the number of a claim filed at at, the seq-th filed on Talap: TLP-<year in Almaty>-
// <seq, at least six digits>, e.g. TLP-2026-000123.
func NumberFor(at time.Time, seq int64) string {
	return fmt.Sprintf("TLP-%d-%06d", at.In(calendar.Almaty()).Year(), seq)
}
