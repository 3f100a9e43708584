package claim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"talap/portal/duty"
	"talap/portal/ident"
)

// Categories and kinds the portal files.
var (
	Categories = []string{"housing", "tax", "land"}
	Kinds      = []string{"challenge", "coercion", "action", "recognition"}
)

// Date is a civil date, written YYYY-MM-DD.
type Date struct{ time.Time }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	return Date{t}, err
}

func (d Date) String() string { return d.Format(time.DateOnly) }

// MarshalJSON writes the date as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// Act is the contested administrative act.
type Act struct {
	Number     string `json:"number"`
	IssuedOn   *Date  `json:"issued_on"`
	ReceivedOn *Date  `json:"received_on"`
}

// Pretrial is the pre-trial complaint (APPK Art. 91), or the reason there was none.
type Pretrial struct {
	ComplaintFiledOn   *Date  `json:"complaint_filed_on"`
	DecisionReceivedOn *Date  `json:"decision_received_on"`
	ExemptReason       string `json:"exempt_reason"`
}

// Contacts are the claimant's residence and how to reach them.
type Contacts struct {
	ResidenceKATO string `json:"residence_kato"`
	Phone         string `json:"phone"`
	Email         string `json:"email"`
}

// Draft is everything the claimant answers; a draft may be incomplete, a submitted claim may not.
type Draft struct {
	Category          string   `json:"category"`
	Kind              string   `json:"kind"`
	RespondentBIN     string   `json:"respondent_bin"`
	Subject           string   `json:"subject"`
	Grounds           string   `json:"grounds"`
	Demands           string   `json:"demands"`
	ContestedAct      Act      `json:"contested_act"`
	Pretrial          Pretrial `json:"pretrial"`
	Claimant          Contacts `json:"claimant"`
	HearAtResidence   bool     `json:"hear_at_residence"`
	InvestmentDispute bool     `json:"investment_dispute"`
	ActAbroad         bool     `json:"act_abroad"`
	ActElectronic     bool     `json:"act_electronic"`
	PropertyKATO      string   `json:"property_kato"`
	ClaimAmount       *int64   `json:"claim_amount"`
	DutyExemption     string   `json:"duty_exemption"`
}

// FieldErrors maps a field's JSON path (e.g. "contested_act.issued_on") to a message key.
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	parts := make([]string, 0, len(f))
	for k, v := range f {
		parts = append(parts, k+": "+v)
	}
	return "invalid fields: " + strings.Join(parts, "; ")
}

// ErrMalformed means the body is not JSON at all (400), as opposed to JSON with bad fields (422).
var ErrMalformed = errors.New("malformed JSON")

// Wire is the JSON shape of a draft as programs send it: dates as strings, so a bad date is a
// field error rather than a failed decode.
type wire struct {
	Category      *string `json:"category"`
	Kind          *string `json:"kind"`
	RespondentBIN *string `json:"respondent_bin"`
	Subject       *string `json:"subject"`
	Grounds       *string `json:"grounds"`
	Demands       *string `json:"demands"`
	ContestedAct  *struct {
		Number     *string `json:"number"`
		IssuedOn   *string `json:"issued_on"`
		ReceivedOn *string `json:"received_on"`
	} `json:"contested_act"`
	Pretrial *struct {
		ComplaintFiledOn   *string `json:"complaint_filed_on"`
		DecisionReceivedOn *string `json:"decision_received_on"`
		ExemptReason       *string `json:"exempt_reason"`
	} `json:"pretrial"`
	Claimant *struct {
		ResidenceKATO *string `json:"residence_kato"`
		Phone         *string `json:"phone"`
		Email         *string `json:"email"`
	} `json:"claimant"`
	HearAtResidence   *bool   `json:"hear_at_residence"`
	InvestmentDispute *bool   `json:"investment_dispute"`
	ActAbroad         *bool   `json:"act_abroad"`
	ActElectronic     *bool   `json:"act_electronic"`
	PropertyKATO      *string `json:"property_kato"`
	ClaimAmount       *int64  `json:"claim_amount"`
	DutyExemption     *string `json:"duty_exemption"`
}

// Apply decodes a JSON body onto d: fields present replace d's, fields absent stay (PATCH); for a
// new draft, d starts empty (POST). Unknown fields, wrong types and bad dates are field errors.
func Apply(d Draft, body []byte, now time.Time) (Draft, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var w wire
	if err := dec.Decode(&w); err != nil {
		return d, decodeError(err)
	}
	if dec.More() {
		return d, ErrMalformed
	}
	fe := FieldErrors{}
	str := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	date := func(dst **Date, src *string, field string) {
		if src == nil {
			return
		}
		if *src == "" {
			*dst = nil
			return
		}
		v, err := ParseDate(*src)
		if err != nil {
			fe[field] = "invalid_date"
			return
		}
		*dst = &v
	}
	str(&d.Category, w.Category)
	str(&d.Kind, w.Kind)
	str(&d.RespondentBIN, w.RespondentBIN)
	str(&d.Subject, w.Subject)
	str(&d.Grounds, w.Grounds)
	str(&d.Demands, w.Demands)
	if a := w.ContestedAct; a != nil {
		str(&d.ContestedAct.Number, a.Number)
		date(&d.ContestedAct.IssuedOn, a.IssuedOn, "contested_act.issued_on")
		date(&d.ContestedAct.ReceivedOn, a.ReceivedOn, "contested_act.received_on")
	}
	if p := w.Pretrial; p != nil {
		date(&d.Pretrial.ComplaintFiledOn, p.ComplaintFiledOn, "pretrial.complaint_filed_on")
		date(&d.Pretrial.DecisionReceivedOn, p.DecisionReceivedOn, "pretrial.decision_received_on")
		str(&d.Pretrial.ExemptReason, p.ExemptReason)
	}
	if c := w.Claimant; c != nil {
		str(&d.Claimant.ResidenceKATO, c.ResidenceKATO)
		str(&d.Claimant.Phone, c.Phone)
		str(&d.Claimant.Email, c.Email)
	}
	for dst, src := range map[*bool]*bool{&d.HearAtResidence: w.HearAtResidence, &d.InvestmentDispute: w.InvestmentDispute, &d.ActAbroad: w.ActAbroad, &d.ActElectronic: w.ActElectronic} {
		if src != nil {
			*dst = *src
		}
	}
	str(&d.PropertyKATO, w.PropertyKATO)
	if w.ClaimAmount != nil {
		v := *w.ClaimAmount
		d.ClaimAmount = &v
		if v == 0 {
			d.ClaimAmount = nil
		}
	}
	str(&d.DutyExemption, w.DutyExemption)
	for k, v := range d.Check(now) {
		if _, ok := fe[k]; !ok {
			fe[k] = v
		}
	}
	if len(fe) > 0 {
		return d, fe
	}
	return d, nil
}

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			return ErrMalformed
		}
		return FieldErrors{field: "wrong_type"}
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		return FieldErrors{strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`): "unknown_field"}
	}
	return ErrMalformed
}

var phoneRe = regexp.MustCompile(`^\+?[0-9 ()-]{10,20}$`)

// Limits on free text, generous for a claim written by hand.
const (
	MaxSubject = 500
	MaxText    = 20000
)

// Check validates the fields that are filled in; empty fields are allowed in a draft. Registry
// facts (does the BIN exist, is the exemption on the list) are checked by the caller.
func (d Draft) Check(now time.Time) FieldErrors {
	fe := FieldErrors{}
	if d.Category != "" && !contains(Categories, d.Category) {
		fe["category"] = "unknown_category"
	}
	if d.Kind != "" && !contains(Kinds, d.Kind) {
		fe["kind"] = "unknown_kind"
	}
	if d.RespondentBIN != "" && ident.ValidateBIN(d.RespondentBIN) != nil {
		fe["respondent_bin"] = "invalid_bin"
	}
	if utf8.RuneCountInString(d.Subject) > MaxSubject {
		fe["subject"] = "too_long"
	}
	for field, v := range map[string]string{"grounds": d.Grounds, "demands": d.Demands} {
		if utf8.RuneCountInString(v) > MaxText {
			fe[field] = "too_long"
		}
	}
	if len(d.ContestedAct.Number) > 100 {
		fe["contested_act.number"] = "too_long"
	}
	today := now.Truncate(24 * time.Hour).Add(24 * time.Hour)
	for field, v := range map[string]*Date{"contested_act.issued_on": d.ContestedAct.IssuedOn, "contested_act.received_on": d.ContestedAct.ReceivedOn,
		"pretrial.complaint_filed_on": d.Pretrial.ComplaintFiledOn, "pretrial.decision_received_on": d.Pretrial.DecisionReceivedOn} {
		if v != nil && (v.After(today) || v.Year() < 1991) {
			fe[field] = "date_out_of_range"
		}
	}
	if a := d.ContestedAct; a.IssuedOn != nil && a.ReceivedOn != nil && a.ReceivedOn.Before(a.IssuedOn.Time) {
		fe["contested_act.received_on"] = "received_before_issued"
	}
	if p := d.Pretrial; p.ComplaintFiledOn != nil && p.DecisionReceivedOn != nil && p.DecisionReceivedOn.Before(p.ComplaintFiledOn.Time) {
		fe["pretrial.decision_received_on"] = "decision_before_complaint"
	}
	for field, v := range map[string]string{"claimant.residence_kato": d.Claimant.ResidenceKATO, "property_kato": d.PropertyKATO} {
		if v != "" && ident.ValidateKATO(v) != nil {
			fe[field] = "invalid_kato"
		}
	}
	if d.Claimant.Phone != "" && !phoneRe.MatchString(d.Claimant.Phone) {
		fe["claimant.phone"] = "invalid_phone"
	}
	if d.Claimant.Email != "" {
		if a, err := mail.ParseAddress(d.Claimant.Email); err != nil || a.Address != d.Claimant.Email {
			fe["claimant.email"] = "invalid_email"
		}
	}
	if d.ClaimAmount != nil && *d.ClaimAmount < 0 {
		fe["claim_amount"] = "negative"
	}
	return fe
}

// Missing lists what a submitted claim needs and this one lacks, as field paths with a reason.
// hasDocuments and hasDutyPayment come from the attached documents.
func (d Draft) Missing(hasDocuments, hasDutyPayment bool) FieldErrors {
	m := FieldErrors{}
	need := func(field string, ok bool) {
		if !ok {
			m[field] = "required"
		}
	}
	need("category", d.Category != "")
	need("kind", d.Kind != "")
	need("respondent_bin", d.RespondentBIN != "")
	need("subject", d.Subject != "")
	need("grounds", d.Grounds != "")
	need("demands", d.Demands != "")
	// Challenging or coercing about an act needs the act; an action or recognition claim may have none.
	if d.Kind == "challenge" || d.Kind == "coercion" {
		need("contested_act.number", d.ContestedAct.Number != "")
		need("contested_act.issued_on", d.ContestedAct.IssuedOn != nil)
		need("contested_act.received_on", d.ContestedAct.ReceivedOn != nil)
	}
	if d.Pretrial.ComplaintFiledOn == nil && d.Pretrial.ExemptReason == "" {
		m["pretrial"] = "pretrial_unanswered"
	}
	need("claimant.residence_kato", d.Claimant.ResidenceKATO != "")
	if d.Claimant.Phone == "" && d.Claimant.Email == "" {
		m["claimant.phone"] = "contact_required"
	}
	if d.HearAtResidence && d.Claimant.ResidenceKATO == "" {
		m["claimant.residence_kato"] = "required"
	}
	if !hasDocuments {
		m["documents"] = "document_required"
	}
	if !duty.Satisfied(hasDutyPayment, d.DutyExemption) {
		m["state_duty"] = "duty_required"
	}
	return m
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// String names the draft for logs without personal data.
func (d Draft) String() string { return fmt.Sprintf("draft(%s/%s)", d.Category, d.Kind) }
