// Package duty holds the state duty rule, in one place: what a claim owes (Tax Code, as read on
// egov.kz; see DOMAIN.md), how proof of payment is attached (a document of kind PaymentKind), which
// exemption grounds exist (the list held as data in infra/seed/choices.json), and when the duty is
// settled so that the claim may be filed (Satisfied).
//
// An individual's non-property claim against a state body costs 0.3 MCI; a property claim costs 1%
// of the amount claimed. The MCI is configuration.
package duty

import (
	"fmt"
	"math"

	"talap/infra/seed"
	"talap/portal/lang"
	"talap/portal/locale"
)

// Statuses of the duty on a claim.
const (
	Paid   = "paid"   // proof of payment is attached
	Exempt = "exempt" // an exemption ground was chosen
	Unpaid = "unpaid"
)

// PaymentKind is the kind of the document that proves the duty is paid (claim.Document.Kind).
const PaymentKind = "duty_payment"

// Duty is what a claim owes and where it stands.
type Duty struct {
	Amount   float64   `json:"amount"` // tenge, to the tiyn
	Currency string    `json:"currency"`
	Status   string    `json:"status"`
	Basis    lang.Text `json:"basis"`
}

// Compute returns the duty for a claim by an individual. claimAmount is the property claim's amount
// in tenge (0 for a non-property claim); paid says whether a document of PaymentKind is attached,
// exemption is the chosen exemption ground's code ("" for none).
func Compute(mci float64, claimAmount int64, paid bool, exemption string) Duty {
	d := Duty{Currency: "KZT", Status: Status(paid, exemption)}
	if claimAmount > 0 {
		d.Amount = round(float64(claimAmount) * 0.01)
		d.Basis = locale.Text("duty.basis.property", "Amount", fmt.Sprintf("%d", claimAmount))
	} else {
		d.Amount = round(0.3 * mci)
		d.Basis = locale.Text("duty.basis.non_property", "MCI", fmt.Sprintf("%.0f", mci))
	}
	return d
}

// Status says where the duty stands: Paid when proof of payment is attached (even if an
// exemption was also chosen), Exempt when an exemption ground was chosen, Unpaid otherwise.
func Status(paid bool, exemption string) string {
	switch {
	case paid:
		return Paid
	case exemption != "":
		return Exempt
	}
	return Unpaid
}

// Satisfied reports whether the duty no longer stands in the way of filing: proof of payment is
// attached, or an exemption ground was chosen. Whether the ground is on the list is checked when
// the claimant chooses it (Exemption), not here.
func Satisfied(paid bool, exemption string) bool { return Status(paid, exemption) != Unpaid }

// Exemptions returns the exemption grounds a claimant may choose, in the order they are offered.
func Exemptions() ([]seed.Choice, error) {
	ch, err := seed.LoadChoices()
	if err != nil {
		return nil, err
	}
	return ch.DutyExemptions, nil
}

// Exemption returns the exemption ground named code and whether the list has it: the check a
// chosen ground must pass, and its label for the pages.
func Exemption(code string) (seed.Choice, bool, error) {
	list, err := Exemptions()
	if err != nil {
		return seed.Choice{}, false, err
	}
	for _, e := range list {
		if e.Code == code {
			return e, true, nil
		}
	}
	return seed.Choice{}, false, nil
}

func round(v float64) float64 { return math.Round(v*100) / 100 }
