package claim

import (
	"testing"

	"talap/portal/duty"
)

func TestClaimDuty(t *testing.T) {
	amount := int64(2_500_000)
	tests := []struct {
		name      string
		kinds     []string
		exemption string
		amount    *int64
		paid      bool
		status    string
		satisfied bool
		owed      float64
	}{
		{"nothing attached", []string{"evidence"}, "", nil, false, duty.Unpaid, false, 1297.5},
		{"proof of payment", []string{"evidence", duty.PaymentKind}, "", nil, true, duty.Paid, true, 1297.5},
		{"exemption", nil, "disability", nil, false, duty.Exempt, true, 1297.5},
		{"both", []string{duty.PaymentKind}, "disability", nil, true, duty.Paid, true, 1297.5},
		{"property claim", nil, "", &amount, false, duty.Unpaid, false, 25000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Claim{}
			c.DutyExemption, c.ClaimAmount = tt.exemption, tt.amount
			for _, k := range tt.kinds {
				c.Documents = append(c.Documents, Document{Kind: k})
			}
			if got := c.DutyPaid(); got != tt.paid {
				t.Errorf("DutyPaid = %v, want %v", got, tt.paid)
			}
			if got := c.DutySatisfied(); got != tt.satisfied {
				t.Errorf("DutySatisfied = %v, want %v", got, tt.satisfied)
			}
			d := c.Duty(4325)
			if d.Status != tt.status || d.Amount != tt.owed {
				t.Errorf("Duty = %+v, want %s %v", d, tt.status, tt.owed)
			}
			_, missing := c.Draft.Missing(len(c.Documents) > 0, c.DutyPaid())["state_duty"]
			if missing == tt.satisfied {
				t.Errorf("Missing names state_duty: %v, want %v", missing, !tt.satisfied)
			}
		})
	}
}

func TestPaymentIsADocumentKind(t *testing.T) {
	if !contains(DocumentKinds, duty.PaymentKind) {
		t.Errorf("DocumentKinds %v lack %q", DocumentKinds, duty.PaymentKind)
	}
}
