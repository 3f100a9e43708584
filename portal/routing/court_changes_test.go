package routing

import (
	"strings"
	"testing"

	"talap/portal/court"
	"talap/portal/lang"
)

func TestCourtChangesAreWordedInEveryLanguage(t *testing.T) {
	rule, why := AfterCorrection()
	if rule != "same_court_after_correction" {
		t.Errorf("rule = %q", rule)
	}
	from := court.Court{ID: "a", Name: lang.Text{KK: "А соты", RU: "Суд А", EN: "court A"}}
	to := court.Court{ID: "b", Name: lang.Text{KK: "Б соты", RU: "Суд Б", EN: "court B"}}
	moved := Transfer(from, to, "подсудность")
	tests := []struct {
		name string
		text lang.Text
		want [3]string // kk, ru, en
	}{
		{"after correction", why, [3]string{"қозғалыссыз", "без движения", "without motion"}},
		{"transfer", moved, [3]string{"А соты талапты Б соты сотына берді (ӘРПК 108-бабы): подсудность",
			"Суд А передал иск в Суд Б (ст. 108 АППК): подсудность", "The court A transferred the claim to the court B (APPK Art. 108): подсудность"}},
	}
	for _, tt := range tests {
		for i, got := range []string{tt.text.KK, tt.text.RU, tt.text.EN} {
			if !strings.Contains(got, tt.want[i]) {
				t.Errorf("%s [%d] = %q, want it to hold %q", tt.name, i, got, tt.want[i])
			}
		}
	}
}
