package idpsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"talap/portal/ident"
	"talap/portal/lang"
)

// Kind is what a persona is in the demo world. The portal derives roles from its own records; the
// kind only groups the personas on the picker page and in GET /personas.
type Kind string

// The persona kinds, in the order the picker shows them.
const (
	KindCitizen Kind = "citizen"
	KindOfficer Kind = "officer"
	KindClerk   Kind = "clerk"
	KindAdmin   Kind = "admin"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindCitizen, KindOfficer, KindClerk, KindAdmin}

func (k Kind) valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Persona is a demo person who can sign in. IIN is the subject of every token issued for them.
type Persona struct {
	IIN     string `json:"iin"`
	Name    string `json:"name"`
	Kind    Kind   `json:"kind"`
	BodyBIN string `json:"body_bin,omitempty"` // officers: the public body they act for
	CourtID string `json:"court_id,omitempty"` // clerks: the court they work at
	// Org optionally names the body or court in kk/ru/en, for the picker page.
	Org *lang.Text `json:"org,omitempty"`
}

// Birthdate returns the birth date encoded in the IIN as YYYY-MM-DD.
func (p Persona) Birthdate() string {
	t, err := ident.IINBirthDate(p.IIN)
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02")
}

// personasFile is the shape of infra/seed/personas.json.
type personasFile struct {
	Personas []Persona `json:"personas"`
}

// LoadPersonas reads a personas file: {"personas": [...]}. It does not validate them; New does.
func LoadPersonas(path string) ([]Persona, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("idpsim: read personas: %w", err)
	}
	var f personasFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("idpsim: parse personas %s: %w", path, err)
	}
	return f.Personas, nil
}

// ValidatePersonas checks that every persona has a valid, unique IIN, a name and a known kind,
// that officers name a valid body BIN and clerks a court.
func ValidatePersonas(ps []Persona) error {
	if len(ps) == 0 {
		return errors.New("idpsim: no personas")
	}
	seen := make(map[string]bool, len(ps))
	var errs []error
	for i, p := range ps {
		where := fmt.Sprintf("persona %d (%q)", i, p.Name)
		if err := ident.ValidateIIN(p.IIN); err != nil {
			errs = append(errs, fmt.Errorf("%s: IIN %q: %w", where, p.IIN, err))
		}
		if seen[p.IIN] {
			errs = append(errs, fmt.Errorf("%s: duplicate IIN %s", where, p.IIN))
		}
		seen[p.IIN] = true
		if p.Name == "" {
			errs = append(errs, fmt.Errorf("%s: name is empty", where))
		}
		if !p.Kind.valid() {
			errs = append(errs, fmt.Errorf("%s: unknown kind %q", where, p.Kind))
		}
		switch p.Kind {
		case KindOfficer:
			if err := ident.ValidateBIN(p.BodyBIN); err != nil {
				errs = append(errs, fmt.Errorf("%s: body_bin %q: %w", where, p.BodyBIN, err))
			}
		case KindClerk:
			if p.CourtID == "" {
				errs = append(errs, fmt.Errorf("%s: clerk without court_id", where))
			}
		}
	}
	return errors.Join(errs...)
}
