package duty

import (
	"testing"

	"talap/infra/seed"
	"talap/portal/lang"
	"talap/portal/locale"
)

func TestCompute(t *testing.T) {
	tests := []struct {
		name       string
		amount     int64
		paid       bool
		exemption  string
		want       float64
		wantStatus string
	}{
		{"non-property claim is 0.3 MCI", 0, false, "", 1297.5, Unpaid},
		{"property claim is 1% of the amount", 2_500_000, false, "", 25000, Unpaid},
		{"odd amount rounds to the tiyn", 12_345, false, "", 123.45, Unpaid},
		{"proof attached", 0, true, "", 1297.5, Paid},
		{"exemption ground chosen", 0, false, "disability", 1297.5, Exempt},
		{"proof wins over exemption", 0, true, "disability", 1297.5, Paid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Compute(4325, tt.amount, tt.paid, tt.exemption)
			if d.Amount != tt.want || d.Status != tt.wantStatus || d.Currency != "KZT" || d.Basis.RU == "" {
				t.Fatalf("Compute = %+v, want %v %s", d, tt.want, tt.wantStatus)
			}
		})
	}
}

// The basis is stored and shown in all three languages, worded from the catalogs.
func TestComputeBasis(t *testing.T) {
	tests := []struct {
		name   string
		mci    float64
		amount int64
		want   lang.Text
	}{
		{"non-property", 4325, 0, lang.Text{
			KK: "Мемлекеттік органның актісіне немесе әрекетіне жеке тұлғаның шағымы: 0,3 АЕК (1 АЕК = 4325 ₸)",
			RU: "Жалоба физического лица на акт или действие госоргана: 0,3 МРП (1 МРП = 4325 ₸)",
			EN: "An individual's complaint against an act or action of a state body: 0.3 MCI (1 MCI = 4325 ₸)",
		}},
		{"non-property, MCI in whole tenge", 3932.4, 0, lang.Text{
			KK: "Мемлекеттік органның актісіне немесе әрекетіне жеке тұлғаның шағымы: 0,3 АЕК (1 АЕК = 3932 ₸)",
			RU: "Жалоба физического лица на акт или действие госоргана: 0,3 МРП (1 МРП = 3932 ₸)",
			EN: "An individual's complaint against an act or action of a state body: 0.3 MCI (1 MCI = 3932 ₸)",
		}},
		{"property", 4325, 2_500_000, lang.Text{
			KK: "Мүліктік талап: талап сомасының 1%-ы (2500000 ₸)",
			RU: "Имущественный иск: 1% от суммы иска (2500000 ₸)",
			EN: "Property claim: 1% of the amount claimed (2500000 ₸)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compute(tt.mci, tt.amount, false, "").Basis; got != tt.want {
				t.Errorf("Basis =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
	tr := locale.Shared()
	for _, id := range []string{"duty.basis.property", "duty.basis.non_property"} {
		for _, l := range lang.Supported {
			if !tr.Has(l, id) {
				t.Errorf("%s.json lacks %s", l, id)
			}
		}
	}
}

func TestStatusAndSatisfied(t *testing.T) {
	tests := []struct {
		name      string
		paid      bool
		exemption string
		status    string
		satisfied bool
	}{
		{"nothing", false, "", Unpaid, false},
		{"paid", true, "", Paid, true},
		{"exempt", false, "veteran", Exempt, true},
		{"paid and exempt", true, "veteran", Paid, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Status(tt.paid, tt.exemption); got != tt.status {
				t.Errorf("Status = %q, want %q", got, tt.status)
			}
			if got := Satisfied(tt.paid, tt.exemption); got != tt.satisfied {
				t.Errorf("Satisfied = %v, want %v", got, tt.satisfied)
			}
			if got := Compute(4325, 0, tt.paid, tt.exemption).Status; got != tt.status {
				t.Errorf("Compute status = %q, want %q", got, tt.status)
			}
		})
	}
}

func TestPaymentKind(t *testing.T) {
	// Stored in documents.kind and named in links (?kind=duty_payment) and the catalogs
	// (doctype.duty_payment): the value must not change.
	if PaymentKind != "duty_payment" {
		t.Errorf("PaymentKind = %q", PaymentKind)
	}
	tr := locale.Shared()
	for _, l := range lang.Supported {
		if !tr.Has(l, "doctype."+PaymentKind) {
			t.Errorf("%s.json has no name for the document kind %s", l, PaymentKind)
		}
	}
}

func TestExemption(t *testing.T) {
	ch, err := seed.LoadChoices()
	if err != nil {
		t.Fatal(err)
	}
	list, err := Exemptions()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 || len(list) != len(ch.DutyExemptions) {
		t.Fatalf("Exemptions = %d grounds, choices.json has %d", len(list), len(ch.DutyExemptions))
	}
	tests := []struct {
		code string
		ok   bool
	}{
		{"disability", true},
		{"veteran", true},
		{list[len(list)-1].Code, true},
		{"", false},
		{"Disability", false},
		{"not_filed", false}, // a pre-trial reason, not a duty exemption
		{"unknown", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			e, ok, err := Exemption(tt.code)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.ok {
				t.Fatalf("Exemption(%q) ok = %v, want %v", tt.code, ok, tt.ok)
			}
			if ok && (e.Code != tt.code || e.Label.KK == "" || e.Label.RU == "" || e.Label.EN == "") {
				t.Errorf("Exemption(%q) = %+v, want the ground with its label in three languages", tt.code, e)
			}
		})
	}
}
