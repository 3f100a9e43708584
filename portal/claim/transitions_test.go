package claim

import (
	"errors"
	"testing"
)

var allStatuses = []Status{StatusDraft, StatusSubmitted, StatusValidating, StatusRouted, StatusRegistered, StatusNeedsCorrection,
	StatusLeftWithoutMotion, StatusReturned, StatusWithdrawn, StatusUnroutable}

func TestTransitions(t *testing.T) {
	allowed := map[string]map[Status]Status{
		"submit":                 {StatusDraft: StatusSubmitted, StatusNeedsCorrection: StatusSubmitted, StatusLeftWithoutMotion: StatusSubmitted},
		"withdraw":               {StatusSubmitted: StatusWithdrawn, StatusValidating: StatusWithdrawn, StatusRouted: StatusWithdrawn, StatusNeedsCorrection: StatusWithdrawn, StatusLeftWithoutMotion: StatusWithdrawn, StatusUnroutable: StatusWithdrawn},
		ActionRegister:           {StatusRouted: StatusRegistered},
		ActionReturn:             {StatusRouted: StatusReturned, StatusLeftWithoutMotion: StatusReturned},
		ActionLeaveWithoutMotion: {StatusRouted: StatusLeftWithoutMotion},
		ActionTransfer:           {StatusRouted: StatusRouted},
		"auto_return":            {StatusLeftWithoutMotion: StatusReturned},
	}
	// Every (action, status) pair: allowed ones lead where the table says, all others are refused.
	for action, ok := range allowed {
		for _, from := range allStatuses {
			got, err := Next(from, action)
			want, isAllowed := ok[from]
			switch {
			case isAllowed && (err != nil || got != want):
				t.Errorf("%s from %s = %s, %v; want %s", action, from, got, err, want)
			case !isAllowed:
				var te *ErrTransition
				if !errors.As(err, &te) {
					t.Errorf("%s from %s = %s, want refused", action, from, got)
				}
			}
		}
	}
	if _, err := Next(StatusRouted, "dance"); err == nil {
		t.Error("unknown action allowed")
	}
}

func TestCourtActions(t *testing.T) {
	for _, a := range []string{ActionRegister, ActionReturn, ActionLeaveWithoutMotion, ActionTransfer} {
		if !CourtAction(a) {
			t.Errorf("%s should be a court action", a)
		}
	}
	for _, a := range []string{"submit", "withdraw", "auto_return", "x"} {
		if CourtAction(a) {
			t.Errorf("%s should not be a court action", a)
		}
	}
}
