package claim

import "fmt"

// Decision actions a court takes on a routed claim.
const (
	ActionRegister           = "register"
	ActionReturn             = "return"
	ActionLeaveWithoutMotion = "leave_without_motion"
	ActionTransfer           = "transfer"
)

// Transition is one allowed change of status, with who may make it.
type Transition struct {
	Action string
	From   []Status
	To     Status
	By     string // claimant | court | system
}

// Transitions is the claim's state machine after filing, in one place. The pipeline's own steps
// (submitted → validating → routed / needs_correction / unroutable) are done by the worker in
// storage under the same statuses.
var Transitions = []Transition{
	{Action: "submit", From: []Status{StatusDraft, StatusNeedsCorrection, StatusLeftWithoutMotion}, To: StatusSubmitted, By: "claimant"},
	{Action: "withdraw", From: []Status{StatusSubmitted, StatusValidating, StatusRouted, StatusNeedsCorrection, StatusLeftWithoutMotion, StatusUnroutable}, To: StatusWithdrawn, By: "claimant"},
	{Action: ActionRegister, From: []Status{StatusRouted}, To: StatusRegistered, By: "court"},
	{Action: ActionReturn, From: []Status{StatusRouted, StatusLeftWithoutMotion}, To: StatusReturned, By: "court"},
	{Action: ActionLeaveWithoutMotion, From: []Status{StatusRouted}, To: StatusLeftWithoutMotion, By: "court"},
	{Action: ActionTransfer, From: []Status{StatusRouted}, To: StatusRouted, By: "court"},
	{Action: "auto_return", From: []Status{StatusLeftWithoutMotion}, To: StatusReturned, By: "system"},
}

// ErrTransition is returned for an action not allowed from the claim's current status.
type ErrTransition struct {
	Action string
	From   Status
}

func (e *ErrTransition) Error() string {
	return fmt.Sprintf("%s is not allowed while the claim is %s", e.Action, e.From)
}

// Next returns the status an action leads to from status from, or an *ErrTransition.
func Next(from Status, action string) (Status, error) {
	for _, t := range Transitions {
		if t.Action != action {
			continue
		}
		for _, f := range t.From {
			if f == from {
				return t.To, nil
			}
		}
	}
	return "", &ErrTransition{Action: action, From: from}
}

// CourtAction reports whether action is one a court takes.
func CourtAction(action string) bool {
	for _, t := range Transitions {
		if t.Action == action {
			return t.By == "court"
		}
	}
	return false
}
