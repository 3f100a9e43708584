// Package party holds the parties to a claim: public bodies (respondents) and people.
package party

import "talap/portal/lang"

// Body levels.
const (
	Central  = "central"
	Regional = "regional"
	District = "district"
)

// Body is a public body that can be sued: a ministry, a revenue department, an akimat.
type Body struct {
	BIN       string    `json:"bin"`
	Name      lang.Text `json:"name"`
	KATO      string    `json:"kato"`
	Level     string    `json:"level"`
	ParentBIN string    `json:"parent_bin,omitempty"`
}
