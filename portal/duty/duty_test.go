package duty

import "testing"

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
