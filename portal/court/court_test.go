package court

import "testing"

func TestCoveringPicksTheLongestPrefix(t *testing.T) {
	courts := []Court{
		{ID: "region", KATOPrefixes: []string{"63"}},
		{ID: "city", KATOPrefixes: []string{"6341", "6342"}},
		{ID: "astana", KATOPrefixes: []string{"71"}},
	}
	tests := []struct {
		kato, want, prefix string
		ok                 bool
	}{
		{"631010000", "region", "63", true},
		{"634110000", "city", "6341", true},
		{"634210000", "city", "6342", true},
		{"711110000", "astana", "71", true},
		{"751110000", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		c, p, ok := Covering(courts, tt.kato)
		if ok != tt.ok || c.ID != tt.want || p != tt.prefix {
			t.Errorf("Covering(%q) = %q %q %v, want %q %q %v", tt.kato, c.ID, p, ok, tt.want, tt.prefix, tt.ok)
		}
	}
}
