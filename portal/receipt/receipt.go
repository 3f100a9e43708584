package receipt

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Schema names the layout of the signed statement. It is part of what is signed.
const Schema = "talap.receipt.v2"

// SchemaV1 named the first layout, whose claimant commitment was unsalted. Receipts of that schema
// are no longer issued or shown; they are re-issued under Schema (see the package documentation).
const SchemaV1 = "talap.receipt.v1"

// SaltSize is the length in bytes of the claimant commitment's salt.
const SaltSize = 32

// tokenBytes is the randomness of a verification token: 160 bits, 32 base32 characters.
const tokenBytes = 20

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Document is one file filed with the claim.
type Document struct {
	Name        string `json:"name"`
	Size        int64  `json:"size"`         // bytes
	SHA256      string `json:"sha256"`       // hex, 64 digits
	ContentType string `json:"content_type"` // e.g. application/pdf
}

// Claimant is the person who filed.
type Claimant struct {
	IIN  string `json:"iin"`
	Name string `json:"name"`
}

// Respondent is the public body the claim is against.
type Respondent struct {
	BIN  string `json:"bin"`
	Name string `json:"name"`
}

// Facts are what the receipt attests: everything the citizen sees on it.
type Facts struct {
	Number     string     `json:"number"`
	FiledAt    time.Time  `json:"filed_at"`
	Claimant   Claimant   `json:"claimant"`
	Respondent Respondent `json:"respondent"`
	Court      string     `json:"court"` // empty until the claim is routed
	Category   string     `json:"category"`
	Kind       string     `json:"kind"`
	Documents  []Document `json:"documents"`
	// Salt is the claimant commitment's salt, SaltSize random bytes in lowercase hex. It is private:
	// printed on the claimant's receipt PDF, never in the public statement. Facts of a SchemaV1
	// receipt have none.
	Salt string `json:"salt,omitempty"`
}

// PublicDocument is a document as the public statement names it: by content, never by file name.
type PublicDocument struct {
	ContentType string `json:"content_type"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
}

// Public is the statement that is signed: the Facts with the claimant replaced by a commitment and
// the document names left out. See the package documentation.
type Public struct {
	Schema             string           `json:"schema"`
	Number             string           `json:"number"`
	FiledAt            time.Time        `json:"filed_at"` // UTC, whole seconds
	Court              string           `json:"court"`
	Category           string           `json:"category"`
	Kind               string           `json:"kind"`
	RespondentBIN      string           `json:"respondent_bin"`
	RespondentName     string           `json:"respondent_name"`
	ClaimantCommitment string           `json:"claimant_commitment"`
	Documents          []PublicDocument `json:"documents"`
}

// ClaimantCommitment is the lowercase hex SHA-256 of the salt's bytes followed by iin + "\n" + name,
// the strings taken byte for byte as stored (no trimming or case folding), in UTF-8.
func ClaimantCommitment(salt []byte, iin, name string) string {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(iin + "\n" + name))
	return hex.EncodeToString(h.Sum(nil))
}

// LegacyCommitment is the unsalted commitment of SchemaV1 receipts: the lowercase hex SHA-256 of
// iin + "\n" + name. Anyone who knows a person's IIN and name can compute it, which is why it is
// no longer published.
func LegacyCommitment(iin, name string) string {
	sum := sha256.Sum256([]byte(iin + "\n" + name))
	return hex.EncodeToString(sum[:])
}

// NewSalt returns SaltSize fresh random bytes in lowercase hex, for Facts.Salt.
func NewSalt() string {
	b := make([]byte, SaltSize)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// NewToken returns a fresh verification token: 160 random bits in 32 characters of the base32
// alphabet (A-Z, 2-7), safe in a URL path. It names one receipt on the public /verify page in place
// of the guessable claim number.
func NewToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b)
	return tokenEncoding.EncodeToString(b)
}

// IsToken reports whether s has the shape of a token made by NewToken. A claim number never does.
func IsToken(s string) bool {
	if len(s) != tokenEncoding.EncodedLen(tokenBytes) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// salt decodes f's salt, which must be SaltSize bytes in lowercase hex.
func (f Facts) salt() ([]byte, error) {
	if len(f.Salt) != 2*SaltSize || !isLowerHex(f.Salt) {
		return nil, fmt.Errorf("receipt: salt is not %d bytes in lowercase hex", SaltSize)
	}
	return hex.DecodeString(f.Salt)
}

// PublicView returns the public statement for f. It does not validate; Canonical does (a salt that
// does not decode gives a commitment that Canonical never accepts).
func PublicView(f Facts) Public {
	commitment := ""
	if salt, err := f.salt(); err == nil {
		commitment = ClaimantCommitment(salt, f.Claimant.IIN, f.Claimant.Name)
	}
	return publicView(f, Schema, commitment)
}

func publicView(f Facts, schema, commitment string) Public {
	p := Public{
		Schema:             schema,
		Number:             f.Number,
		FiledAt:            f.FiledAt.UTC().Truncate(time.Second),
		Court:              f.Court,
		Category:           f.Category,
		Kind:               f.Kind,
		RespondentBIN:      f.Respondent.BIN,
		RespondentName:     f.Respondent.Name,
		ClaimantCommitment: commitment,
		Documents:          make([]PublicDocument, len(f.Documents)),
	}
	for i, d := range f.Documents {
		p.Documents[i] = PublicDocument{ContentType: d.ContentType, SHA256: strings.ToLower(d.SHA256), Size: d.Size}
	}
	return p
}

// Canonical returns the bytes that are signed for f: the canonical JSON of PublicView(f), described
// in the package documentation. They hold no personal data. It fails if f has no valid salt, lacks
// a number or a filing time, if a string is not valid UTF-8, if the IIN holds a newline, or if a
// document's size is negative or its SHA-256 is not 64 hex digits.
func Canonical(f Facts) ([]byte, error) {
	if err := checkClaimant(f); err != nil {
		return nil, err
	}
	if _, err := f.salt(); err != nil {
		return nil, err
	}
	return PublicView(f).Canonical()
}

// CanonicalV1 returns the bytes a SchemaV1 receipt signed for f: its statement with the unsalted
// LegacyCommitment (f.Salt is ignored). It exists only to check a stored SchemaV1 receipt before it
// is re-issued; such a statement must never be published again.
func CanonicalV1(f Facts) ([]byte, error) {
	if err := checkClaimant(f); err != nil {
		return nil, err
	}
	return publicView(f, SchemaV1, LegacyCommitment(f.Claimant.IIN, f.Claimant.Name)).canonical(SchemaV1)
}

func checkClaimant(f Facts) error {
	if strings.Contains(f.Claimant.IIN, "\n") {
		return errors.New("receipt: claimant IIN contains a newline")
	}
	for _, s := range []string{f.Claimant.IIN, f.Claimant.Name} {
		if !utf8.ValidString(s) {
			return errors.New("receipt: claimant is not valid UTF-8")
		}
	}
	return nil
}

// Canonical returns the canonical JSON of p (see the package documentation). p must be of the
// current Schema.
func (p Public) Canonical() ([]byte, error) { return p.canonical(Schema) }

func (p Public) canonical(schema string) ([]byte, error) {
	if p.Schema != schema {
		return nil, fmt.Errorf("receipt: schema %q, want %q", p.Schema, schema)
	}
	if p.Number == "" {
		return nil, errors.New("receipt: number is empty")
	}
	if p.FiledAt.IsZero() {
		return nil, errors.New("receipt: filed_at is zero")
	}
	at := p.FiledAt.UTC()
	if at.Year() < 1 || at.Year() > 9999 {
		return nil, fmt.Errorf("receipt: filed_at year %d out of range", at.Year())
	}
	if len(p.ClaimantCommitment) != 64 || !isLowerHex(p.ClaimantCommitment) {
		return nil, errors.New("receipt: claimant_commitment is not 64 lowercase hex digits")
	}
	docs := make(array, len(p.Documents))
	for i, d := range p.Documents {
		if d.Size < 0 {
			return nil, fmt.Errorf("receipt: document %d: negative size", i+1)
		}
		sum := strings.ToLower(d.SHA256)
		if len(sum) != 64 || !isLowerHex(sum) {
			return nil, fmt.Errorf("receipt: document %d: sha256 %q is not 64 hex digits", i+1, d.SHA256)
		}
		docs[i] = object{"content_type": d.ContentType, "sha256": sum, "size": d.Size}
	}
	v := object{
		"schema":              p.Schema,
		"number":              p.Number,
		"filed_at":            at.Format("2006-01-02T15:04:05Z"),
		"court":               p.Court,
		"category":            p.Category,
		"kind":                p.Kind,
		"respondent_bin":      p.RespondentBIN,
		"respondent_name":     p.RespondentName,
		"claimant_commitment": p.ClaimantCommitment,
		"documents":           docs,
	}
	var b bytes.Buffer
	if err := encode(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ParseCanonical reads a public statement and insists that b is exactly its canonical form, so
// what is shown from it is exactly what was signed. Unknown or duplicate keys, other key spellings,
// whitespace and non-canonical escapes are all rejected, and so is any schema but Schema: a
// SchemaV1 statement, with its unsalted commitment, is never read for display.
func ParseCanonical(b []byte) (Public, error) {
	var raw struct {
		Schema             string           `json:"schema"`
		Number             string           `json:"number"`
		FiledAt            string           `json:"filed_at"`
		Court              string           `json:"court"`
		Category           string           `json:"category"`
		Kind               string           `json:"kind"`
		RespondentBIN      string           `json:"respondent_bin"`
		RespondentName     string           `json:"respondent_name"`
		ClaimantCommitment string           `json:"claimant_commitment"`
		Documents          []PublicDocument `json:"documents"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return Public{}, fmt.Errorf("receipt: malformed statement: %w", err)
	}
	at, err := time.Parse(time.RFC3339, raw.FiledAt)
	if err != nil {
		return Public{}, fmt.Errorf("receipt: malformed filed_at: %w", err)
	}
	p := Public{
		Schema: raw.Schema, Number: raw.Number, FiledAt: at.UTC(), Court: raw.Court,
		Category: raw.Category, Kind: raw.Kind, RespondentBIN: raw.RespondentBIN,
		RespondentName: raw.RespondentName, ClaimantCommitment: raw.ClaimantCommitment,
		Documents: raw.Documents,
	}
	if p.Documents == nil {
		p.Documents = []PublicDocument{}
	}
	again, err := p.Canonical()
	if err != nil {
		return Public{}, err
	}
	if !bytes.Equal(again, b) {
		return Public{}, errors.New("receipt: statement is not in canonical form")
	}
	return p, nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// A minimal RFC 8785 writer for the values a statement uses: objects, arrays, strings and int64.

type object map[string]any
type array []any

func encode(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case string:
		return encodeString(b, v)
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case array:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encode(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case object:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys) // keys are ASCII, so byte order is RFC 8785's UTF-16 order
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encodeString(b, k); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := encode(b, v[k]); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("receipt: cannot encode %T", v)
	}
	return nil
}

func encodeString(b *bytes.Buffer, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("receipt: %q is not valid UTF-8", s)
	}
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
		default:
			b.WriteByte(c) // UTF-8 bytes pass through unchanged
		}
	}
	b.WriteByte('"')
	return nil
}
