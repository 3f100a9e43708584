// Package duty computes the state duty on a claim (Tax Code, as read on egov.kz; see DOMAIN.md):
// an individual's non-property claim against a state body costs 0.3 MCI; a property claim costs 1%
// of the amount claimed. The MCI is configuration.
package duty

import (
	"fmt"
	"math"

	"talap/portal/lang"
)

// Statuses of the duty on a claim.
const (
	Paid   = "paid"   // proof of payment is attached
	Exempt = "exempt" // an exemption ground was chosen
	Unpaid = "unpaid"
)

// Duty is what a claim owes and where it stands.
type Duty struct {
	Amount   float64   `json:"amount"` // tenge, to the tiyn
	Currency string    `json:"currency"`
	Status   string    `json:"status"`
	Basis    lang.Text `json:"basis"`
}

// Compute returns the duty for a claim by an individual. claimAmount is the property claim's amount
// in tenge (0 for a non-property claim).
func Compute(mci float64, claimAmount int64, paid bool, exemption string) Duty {
	d := Duty{Currency: "KZT", Status: Unpaid}
	if claimAmount > 0 {
		d.Amount = round(float64(claimAmount) * 0.01)
		d.Basis = lang.Text{
			KK: fmt.Sprintf("Мүліктік талап: талап сомасының 1%%-ы (%d ₸)", claimAmount),
			RU: fmt.Sprintf("Имущественный иск: 1%% от суммы иска (%d ₸)", claimAmount),
			EN: fmt.Sprintf("Property claim: 1%% of the amount claimed (%d ₸)", claimAmount),
		}
	} else {
		d.Amount = round(0.3 * mci)
		d.Basis = lang.Text{
			KK: fmt.Sprintf("Мемлекеттік органның актісіне немесе әрекетіне жеке тұлғаның шағымы: 0,3 АЕК (1 АЕК = %.0f ₸)", mci),
			RU: fmt.Sprintf("Жалоба физического лица на акт или действие госоргана: 0,3 МРП (1 МРП = %.0f ₸)", mci),
			EN: fmt.Sprintf("An individual's complaint against an act or action of a state body: 0.3 MCI (1 MCI = %.0f ₸)", mci),
		}
	}
	switch {
	case paid:
		d.Status = Paid
	case exemption != "":
		d.Status = Exempt
	}
	return d
}

func round(v float64) float64 { return math.Round(v*100) / 100 }
