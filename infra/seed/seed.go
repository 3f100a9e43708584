// Package seed holds Talap's starting registry data: the specialised inter-district administrative
// courts (СМАС), public bodies that can be respondents, and the KATO territory list for the
// claimant's residence picker.
//
// The data is the project's reading of public sources (office.sud.kz, egov.kz, stat.gov.kz),
// unverified, and meant to be loaded into the database and edited by staff. Each file says so in
// its top-level "source" field. The BINs in bodies.json are generated demo numbers with a valid
// check digit, not the bodies' real BINs.
package seed

import (
	"talap/portal/lang"

	"bytes"
	"embed"
	"encoding/json"
	"fmt"
)

// FS holds courts.json, bodies.json and kato.json.
//
//go:embed *.json
var FS embed.FS

// Text is a name in Kazakh, Russian and English.
type Text = lang.Text

// Court is a specialised inter-district administrative court and the KATO prefixes it covers.
type Court struct {
	ID           string   `json:"id"`
	Name         Text     `json:"name"`
	City         Text     `json:"city"` // seat of the court
	KATOPrefixes []string `json:"kato_prefixes"`
}

// Body is a public body that can be named as respondent. Level is "central", "regional" or
// "district"; ParentBIN is empty for top-level bodies.
type Body struct {
	BIN       string `json:"bin"`
	Name      Text   `json:"name"`
	KATO      string `json:"kato"`
	Level     string `json:"level"`
	ParentBIN string `json:"parent_bin"`
}

// Region is a first-level KATO unit (oblast or city of republican significance).
type Region struct {
	Code      string     `json:"code"`
	Prefix    string     `json:"prefix"`
	Name      Text       `json:"name"`
	Districts []District `json:"districts"`
}

// District is a city, city district or rural district inside a region.
type District struct {
	Code string `json:"code"`
	Name Text   `json:"name"`
}

// Levels of public bodies.
const (
	LevelCentral  = "central"
	LevelRegional = "regional"
	LevelDistrict = "district"
)

// Courts returns the court registry from courts.json.
func Courts() ([]Court, error) {
	var f struct {
		Source string  `json:"source"`
		Courts []Court `json:"courts"`
	}
	if err := load("courts.json", &f); err != nil {
		return nil, err
	}
	return f.Courts, nil
}

// Bodies returns the public bodies from bodies.json.
func Bodies() ([]Body, error) {
	var f struct {
		Source string `json:"source"`
		Bodies []Body `json:"bodies"`
	}
	if err := load("bodies.json", &f); err != nil {
		return nil, err
	}
	return f.Bodies, nil
}

// Regions returns the KATO territory list from kato.json.
func Regions() ([]Region, error) {
	var f struct {
		Source  string   `json:"source"`
		Regions []Region `json:"regions"`
	}
	if err := load("kato.json", &f); err != nil {
		return nil, err
	}
	return f.Regions, nil
}

// Source returns the "source" note of one of the embedded files, to show users whose reading the
// data is.
func Source(file string) (string, error) {
	var f struct {
		Source string `json:"source"`
	}
	b, err := FS.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("seed: %w", err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return "", fmt.Errorf("seed: %s: %w", file, err)
	}
	return f.Source, nil
}

func load(file string, v any) error {
	b, err := FS.ReadFile(file)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("seed: %s: %w", file, err)
	}
	return nil
}

// Persona is a demo person of the national-eID simulator; the portal grants demo memberships from
// the officers, clerks and administrators among them.
type Persona struct {
	IIN     string     `json:"iin"`
	Name    string     `json:"name"`
	Kind    string     `json:"kind"`
	BodyBIN string     `json:"body_bin,omitempty"`
	CourtID string     `json:"court_id,omitempty"`
	Org     *lang.Text `json:"org,omitempty"`
}

// Personas returns the demo personas from personas.json.
func Personas() ([]Persona, error) {
	var f struct {
		Personas []Persona `json:"personas"`
	}
	b, err := FS.ReadFile("personas.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("personas.json: %w", err)
	}
	return f.Personas, nil
}

// Choice is one entry of a list to pick from. Return grounds also carry their number in APPK
// Art. 138(2) and whether the claim may be filed again (Art. 138(3)).
type Choice struct {
	Code   string    `json:"code"`
	Label  lang.Text `json:"label"`
	Number int       `json:"number,omitempty"`
	Refile bool      `json:"refile,omitempty"`
}

// Choices are the lists held as data: state duty exemption grounds and pre-trial reasons.
type Choices struct {
	Source          string   `json:"source"`
	DutyExemptions  []Choice `json:"duty_exemptions"`
	PretrialReasons []Choice `json:"pretrial_reasons"`
	ReturnGrounds   []Choice `json:"return_grounds"`
	Defects         []Choice `json:"defects"`
}

// LoadChoices returns choices.json.
func LoadChoices() (Choices, error) {
	var c Choices
	b, err := FS.ReadFile("choices.json")
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("choices.json: %w", err)
	}
	return c, nil
}
