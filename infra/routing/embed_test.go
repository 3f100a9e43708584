package routingdata

import (
	"encoding/json"
	"strings"
	"testing"
)

// The strict checks live in talap/portal/routing (Parse); here only that the file is embedded,
// is JSON and says whose reading it is.
func TestRulesEmbedded(t *testing.T) {
	var f struct {
		Source string            `json:"source"`
		Rules  []json.RawMessage `json:"rules"`
	}
	if err := json.Unmarshal(Rules, &f); err != nil {
		t.Fatalf("rules.json: %v", err)
	}
	if len(f.Rules) == 0 {
		t.Error("rules.json has no rules")
	}
	if !strings.Contains(f.Source, "Talap") || !strings.Contains(strings.ToLower(f.Source), "unverified") {
		t.Errorf("source should say it is Talap's reading with unverified parts: %q", f.Source)
	}
}
