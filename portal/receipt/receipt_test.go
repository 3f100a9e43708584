package receipt

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	hashA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	hashB = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
	hashC = "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13"
)

// salt is a fixed salt for the sample, so that the golden bytes stay fixed.
const salt = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// devKey is config's development default: "talap-dev-receipt-key-not-secret", 32 bytes.
const devKey = "dGFsYXAtZGV2LXJlY2VpcHQta2V5LW5vdC1zZWNyZXQ="

func sample() Facts {
	f := Facts{
		Number:   "2026-000123",
		FiledAt:  time.Date(2026, 11, 27, 9, 5, 42, 0, time.UTC),
		Court:    "Алматы қаласының мамандандырылған ауданаралық әкімшілік соты",
		Category: "tax",
		Kind:     "appeal",
		Documents: []Document{
			{Name: "Талап арыз — Өтегенова Ә.Қ.pdf", Size: 48213, SHA256: hashA, ContentType: "application/pdf"},
			{Name: "Салық хабарламасы №14-2026.pdf", Size: 1534000, SHA256: hashB, ContentType: "application/pdf"},
			{Name: "Төлем түбіртегі (һ, і, ң, ү, ұ, ғ).jpg", Size: 734003, SHA256: hashC, ContentType: "image/jpeg"},
		},
	}
	f.Claimant.IIN = "900101300123"
	f.Claimant.Name = "Әлия Құрманғазықызы Өтегенова"
	f.Respondent.BIN = "120440012345"
	f.Respondent.Name = "Алматы қаласы бойынша Мемлекеттік кірістер департаменті"
	f.Salt = salt
	return f
}

func signer(t *testing.T) *Signer {
	t.Helper()
	s, err := NewSigner(devKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The signed bytes are a contract with every verifier ever written: pin them exactly.
func TestCanonicalGolden(t *testing.T) {
	got, err := Canonical(sample())
	if err != nil {
		t.Fatal(err)
	}
	// The commitment as the package documentation tells a claimant to compute it by hand:
	// SHA-256 of the salt's 32 bytes, then the IIN, a line feed and the name.
	saltBytes, _ := hexDecode(salt)
	sum := sha256.Sum256(append(saltBytes, []byte("900101300123\nӘлия Құрманғазықызы Өтегенова")...))
	commitment := hexOf(sum[:])
	want := `{"category":"tax","claimant_commitment":"` + commitment +
		`","court":"Алматы қаласының мамандандырылған ауданаралық әкімшілік соты","documents":[` +
		`{"content_type":"application/pdf","sha256":"` + hashA + `","size":48213},` +
		`{"content_type":"application/pdf","sha256":"` + hashB + `","size":1534000},` +
		`{"content_type":"image/jpeg","sha256":"` + hashC + `","size":734003}],` +
		`"filed_at":"2026-11-27T09:05:42Z","kind":"appeal","number":"2026-000123",` +
		`"respondent_bin":"120440012345","respondent_name":"Алматы қаласы бойынша Мемлекеттік кірістер департаменті",` +
		`"schema":"talap.receipt.v2"}`
	if string(got) != want {
		t.Errorf("Canonical =\n%s\nwant\n%s", got, want)
	}
	if c := ClaimantCommitment(saltBytes, "900101300123", "Әлия Құрманғазықызы Өтегенова"); c != commitment {
		t.Errorf("ClaimantCommitment = %s, want %s", c, commitment)
	}
	// Pinned as a literal too, computed outside Go:
	// python3 -c 'import hashlib; print(hashlib.sha256(bytes.fromhex("0123456789abcdef"*4)+"900101300123\nӘлия Құрманғазықызы Өтегенова".encode()).hexdigest())'
	if commitment != goldenCommitment {
		t.Errorf("commitment = %s, want %s", commitment, goldenCommitment)
	}
}

const goldenCommitment = "2e905795d881ac837c0100fe1b0b288185008ce31a3e23f7089f5183bdb5c625"

// The version 1 statement is still computed, only to check a stored receipt before it is re-issued.
func TestCanonicalV1Golden(t *testing.T) {
	got, err := CanonicalV1(sample())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"category":"tax","claimant_commitment":"` + LegacyCommitment("900101300123", "Әлия Құрманғазықызы Өтегенова") +
		`","court":"Алматы қаласының мамандандырылған ауданаралық әкімшілік соты","documents":[` +
		`{"content_type":"application/pdf","sha256":"` + hashA + `","size":48213},` +
		`{"content_type":"application/pdf","sha256":"` + hashB + `","size":1534000},` +
		`{"content_type":"image/jpeg","sha256":"` + hashC + `","size":734003}],` +
		`"filed_at":"2026-11-27T09:05:42Z","kind":"appeal","number":"2026-000123",` +
		`"respondent_bin":"120440012345","respondent_name":"Алматы қаласы бойынша Мемлекеттік кірістер департаменті",` +
		`"schema":"talap.receipt.v1"}`
	if string(got) != want {
		t.Errorf("CanonicalV1 =\n%s\nwant\n%s", got, want)
	}
	sum := sha256.Sum256([]byte("900101300123\nӘлия Құрманғазықызы Өтегенова"))
	if c := LegacyCommitment("900101300123", "Әлия Құрманғазықызы Өтегенова"); c != hexOf(sum[:]) {
		t.Errorf("LegacyCommitment = %s", c)
	}
	// A version 1 statement is never read for display.
	if _, err := ParseCanonical(got); err == nil {
		t.Error("ParseCanonical accepted a version 1 statement")
	}
}

// Nothing in the public statement can be computed from a person's IIN and name alone.
func TestCommitmentNeedsTheSalt(t *testing.T) {
	f := sample()
	c, err := Canonical(f)
	if err != nil {
		t.Fatal(err)
	}
	legacy := LegacyCommitment(f.Claimant.IIN, f.Claimant.Name)
	for _, guess := range []string{legacy, f.Claimant.IIN, f.Claimant.Name, f.Salt,
		ClaimantCommitment(nil, f.Claimant.IIN, f.Claimant.Name)} {
		if bytes.Contains(c, []byte(guess)) {
			t.Errorf("canonical JSON contains %q, computable without the salt", guess)
		}
	}
	// Another salt, another commitment: two receipts of one person do not match each other.
	g := sample()
	g.Salt = NewSalt()
	if PublicView(g).ClaimantCommitment == PublicView(f).ClaimantCommitment {
		t.Error("the commitment does not depend on the salt")
	}
	if a, b := NewSalt(), NewSalt(); a == b || len(a) != 2*SaltSize || !isLowerHex(a) {
		t.Errorf("NewSalt = %q, %q", a, b)
	}
}

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok := NewToken()
		if len(tok) != 32 || !IsToken(tok) || seen[tok] {
			t.Fatalf("NewToken = %q (repeated: %v)", tok, seen[tok])
		}
		seen[tok] = true
		if url.PathEscape(tok) != tok {
			t.Fatalf("token %q is not URL-safe", tok)
		}
	}
	for _, s := range []string{"", "TLP-2026-000123", "2026-000123", strings.Repeat("A", 31), strings.Repeat("A", 33),
		strings.Repeat("a", 32), strings.Repeat("A", 31) + "1", strings.Repeat("A", 31) + "-"} {
		if IsToken(s) {
			t.Errorf("IsToken(%q) = true", s)
		}
	}
}

func hexDecode(s string) ([]byte, error) { return hex.DecodeString(s) }

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	var s strings.Builder
	for _, c := range b {
		s.WriteByte(digits[c>>4])
		s.WriteByte(digits[c&0xf])
	}
	return s.String()
}

func TestCanonicalDeterministic(t *testing.T) {
	want, err := Canonical(sample())
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		got, _ := Canonical(sample())
		if !bytes.Equal(got, want) {
			t.Fatalf("Canonical changed between calls:\n%s\n%s", got, want)
		}
	}

	// The same facts built in another field order, in another zone, with sub-second noise.
	s := sample()
	var f Facts
	f.Documents = s.Documents
	f.Kind, f.Category = s.Kind, s.Category
	f.Respondent = s.Respondent
	f.Claimant.Name, f.Claimant.IIN = s.Claimant.Name, s.Claimant.IIN
	f.Court = s.Court
	f.FiledAt = s.FiledAt.In(time.FixedZone("+05", 5*3600)).Add(999 * time.Millisecond)
	f.Salt = s.Salt
	f.Number = s.Number
	if got, _ := Canonical(f); !bytes.Equal(got, want) {
		t.Errorf("reordered facts:\n%s\nwant\n%s", got, want)
	}

	// The same facts decoded from JSON whose keys come in another order (as from a map).
	in := `{"documents":[{"sha256":"` + strings.ToUpper(hashA) + `","content_type":"application/pdf","size":48213,"name":"x"},` +
		`{"size":1534000,"name":"y","content_type":"application/pdf","sha256":"` + hashB + `"},` +
		`{"content_type":"image/jpeg","name":"z","sha256":"` + hashC + `","size":734003}],` +
		`"kind":"appeal","respondent":{"name":"` + s.Respondent.Name + `","bin":"120440012345"},` +
		`"filed_at":"2026-11-27T14:05:42+05:00","court":"` + s.Court + `","claimant":{"name":"` + s.Claimant.Name +
		`","iin":"900101300123"},"category":"tax","salt":"` + salt + `","number":"2026-000123"}`
	var g Facts
	if err := json.Unmarshal([]byte(in), &g); err != nil {
		t.Fatal(err)
	}
	if got, _ := Canonical(g); !bytes.Equal(got, want) {
		t.Errorf("facts from reordered JSON:\n%s\nwant\n%s", got, want)
	}

	// Document order is part of the statement.
	r := sample()
	r.Documents[0], r.Documents[1] = r.Documents[1], r.Documents[0]
	if got, _ := Canonical(r); bytes.Equal(got, want) {
		t.Error("reordering documents did not change the statement")
	}
}

// Canonical output must equal what a generic JSON encoder with sorted keys makes of it.
func TestCanonicalIsSortedCompactJSON(t *testing.T) {
	c, err := Canonical(sample())
	if err != nil {
		t.Fatal(err)
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(c))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // maps encode with sorted keys
		t.Fatal(err)
	}
	if got := bytes.TrimSuffix(b.Bytes(), []byte("\n")); !bytes.Equal(got, c) {
		t.Errorf("re-encoded:\n%s\ncanonical:\n%s", got, c)
	}
}

func TestCanonicalHasNoPersonalData(t *testing.T) {
	f := sample()
	c, err := Canonical(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{f.Claimant.IIN, f.Claimant.Name, "Өтегенова", f.Documents[0].Name, f.Documents[2].Name} {
		if bytes.Contains(c, []byte(secret)) {
			t.Errorf("canonical JSON contains %q", secret)
		}
	}
}

func TestCanonicalEscaping(t *testing.T) {
	f := sample()
	f.Documents = nil
	f.Court = ""
	f.Kind = "q\"b\\s/<>&\b\f\n\r\t\x01\x1f\x7f\u2028é"
	c, err := Canonical(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"kind":"q\"b\\s/<>&\b\f\n\r\t\u0001\u001f` + "\x7f\u2028é\"",
		`"court":""`,
		`"documents":[]`,
	} {
		if !bytes.Contains(c, []byte(want)) {
			t.Errorf("canonical JSON %s lacks %s", c, want)
		}
	}
	if _, err := ParseCanonical(c); err != nil {
		t.Errorf("ParseCanonical of escaped statement: %v", err)
	}
}

func TestCanonicalRejects(t *testing.T) {
	for name, change := range map[string]func(*Facts){
		"no number":         func(f *Facts) { f.Number = "" },
		"zero time":         func(f *Facts) { f.FiledAt = time.Time{} },
		"short hash":        func(f *Facts) { f.Documents[1].SHA256 = "abc" },
		"non-hex hash":      func(f *Facts) { f.Documents[1].SHA256 = strings.Repeat("g", 64) },
		"negative size":     func(f *Facts) { f.Documents[0].Size = -1 },
		"bad UTF-8":         func(f *Facts) { f.Court = "\xff" },
		"bad UTF-8 name":    func(f *Facts) { f.Claimant.Name = "\xc3" },
		"newline in IIN":    func(f *Facts) { f.Claimant.IIN = "1\n2" },
		"year out of range": func(f *Facts) { f.FiledAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"no salt":           func(f *Facts) { f.Salt = "" },
		"short salt":        func(f *Facts) { f.Salt = f.Salt[:62] },
		"upper-case salt":   func(f *Facts) { f.Salt = strings.ToUpper(f.Salt) },
		"non-hex salt":      func(f *Facts) { f.Salt = strings.Repeat("g", 64) },
	} {
		f := sample()
		change(&f)
		if c, err := Canonical(f); err == nil {
			t.Errorf("%s: Canonical = %s, want error", name, c)
		}
	}
}

func TestSignVerify(t *testing.T) {
	s := signer(t)
	f := sample()
	sg, err := s.Sign(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(sg.Signature) != ed25519.SignatureSize || sg.KeyID != KeyID(s.PublicKey()) || len(sg.KeyID) != 16 {
		t.Fatalf("Signed = %+v", sg)
	}
	if c, _ := Canonical(f); !bytes.Equal(sg.Canonical, c) {
		t.Error("Signed.Canonical is not Canonical(f)")
	}
	if !Verify(s.PublicKey(), f, sg.Signature) {
		t.Fatal("Verify of an untouched receipt failed")
	}

	for name, change := range map[string]func(*Facts){
		"number":          func(f *Facts) { f.Number = "2026-000124" },
		"document hash":   func(f *Facts) { f.Documents[1].SHA256 = hashA },
		"document size":   func(f *Facts) { f.Documents[2].Size++ },
		"document type":   func(f *Facts) { f.Documents[0].ContentType = "text/plain" },
		"document gone":   func(f *Facts) { f.Documents = f.Documents[:2] },
		"filed_at":        func(f *Facts) { f.FiledAt = f.FiledAt.Add(time.Second) },
		"court":           func(f *Facts) { f.Court = "" },
		"claimant IIN":    func(f *Facts) { f.Claimant.IIN = "900101300124" },
		"claimant name":   func(f *Facts) { f.Claimant.Name = "Әлия Өтегенова" },
		"respondent BIN":  func(f *Facts) { f.Respondent.BIN = "120440012346" },
		"category":        func(f *Facts) { f.Category = "land" },
		"kind":            func(f *Facts) { f.Kind = "claim" },
		"unverifiable":    func(f *Facts) { f.Number = "" },
		"salt":            func(f *Facts) { f.Salt = NewSalt() },
		"document swaped": func(f *Facts) { f.Documents[0], f.Documents[1] = f.Documents[1], f.Documents[0] },
	} {
		g := sample()
		change(&g)
		if Verify(s.PublicKey(), g, sg.Signature) {
			t.Errorf("tampered %s: Verify = true", name)
		}
	}

	// What the statement does not carry may change freely: the file name, sub-second time, zone.
	g := sample()
	g.Documents[0].Name = "renamed.pdf"
	g.FiledAt = g.FiledAt.In(time.FixedZone("", 5*3600)).Add(400 * time.Millisecond)
	if !Verify(s.PublicKey(), g, sg.Signature) {
		t.Error("Verify failed after a change outside the statement")
	}

	other, err := NewSigner(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if Verify(other.PublicKey(), f, sg.Signature) {
		t.Error("Verify with the wrong key = true")
	}
	bad := bytes.Clone(sg.Signature)
	bad[10] ^= 1
	if Verify(s.PublicKey(), f, bad) || Verify(s.PublicKey(), f, nil) || Verify(s.PublicKey(), f, sg.Signature[:63]) {
		t.Error("Verify accepted a damaged signature")
	}
	if Verify(nil, f, sg.Signature) || Verify(s.PublicKey()[:31], f, sg.Signature) {
		t.Error("Verify accepted a malformed key")
	}
}

func TestVerifyCanonical(t *testing.T) {
	s := signer(t)
	sg, err := s.Sign(sample())
	if err != nil {
		t.Fatal(err)
	}
	p, err := VerifyCanonical(s.PublicKey(), sg.Canonical, sg.Signature)
	if err != nil {
		t.Fatal(err)
	}
	want := PublicView(sample())
	if got, _ := json.Marshal(p); string(got) != string(must(json.Marshal(want))) {
		t.Errorf("VerifyCanonical = %s\nwant %s", got, must(json.Marshal(want)))
	}

	tampered := bytes.Replace(sg.Canonical, []byte("2026-000123"), []byte("2026-000124"), 1)
	if _, err := VerifyCanonical(s.PublicKey(), tampered, sg.Signature); !errors.Is(err, ErrBadSignature) {
		t.Errorf("tampered statement: err = %v", err)
	}
	if _, err := VerifyCanonical(nil, sg.Canonical, sg.Signature); !errors.Is(err, ErrBadSignature) {
		t.Errorf("nil key: err = %v", err)
	}

	// Correctly signed, but not canonical (or not a statement): rejected all the same, since the
	// page would otherwise show something other than the canonical facts.
	for name, b := range map[string]string{
		"whitespace":  strings.Replace(string(sg.Canonical), ",", ", ", 1),
		"key case":    strings.Replace(string(sg.Canonical), `"kind"`, `"Kind"`, 1),
		"escape":      strings.Replace(string(sg.Canonical), `"tax"`, `"t\u0061x"`, 1),
		"extra key":   strings.Replace(string(sg.Canonical), `{"category"`, `{"a":"b","category"`, 1),
		"null docs":   `{"category":"","claimant_commitment":"` + hashA + `","court":"","documents":null,"filed_at":"2026-11-27T09:05:42Z","kind":"","number":"1","respondent_bin":"","respondent_name":"","schema":"talap.receipt.v2"}`,
		"fraction":    strings.Replace(string(sg.Canonical), `09:05:42Z`, `09:05:42.5Z`, 1),
		"zone":        strings.Replace(string(sg.Canonical), `09:05:42Z`, `14:05:42+05:00`, 1),
		"schema":      strings.Replace(string(sg.Canonical), Schema, "talap.receipt.v3", 1),
		"version 1":   strings.Replace(string(sg.Canonical), Schema, SchemaV1, 1),
		"upper hash":  strings.Replace(string(sg.Canonical), hashA, strings.ToUpper(hashA), 1),
		"not json":    "hello",
		"two objects": string(sg.Canonical) + string(sg.Canonical),
	} {
		sig := ed25519.Sign(s.priv, []byte(b))
		if _, err := VerifyCanonical(s.PublicKey(), []byte(b), sig); err == nil || errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: err = %v, want a malformed-statement error", name, err)
		}
	}
}

// A stored version 1 receipt is re-issued only if its signature covers exactly its facts.
func TestVerifyV1(t *testing.T) {
	s := signer(t)
	f := sample()
	f.Salt = "" // version 1 facts have none
	c, err := CanonicalV1(f)
	if err != nil {
		t.Fatal(err)
	}
	sig := ed25519.Sign(s.priv, c)
	if !VerifyV1(s.PublicKey(), f, c, sig) {
		t.Fatal("VerifyV1 of an untouched version 1 receipt failed")
	}
	g := f
	g.Claimant.Name = "Someone Else"
	if VerifyV1(s.PublicKey(), g, c, sig) {
		t.Error("VerifyV1 accepted facts the statement does not cover")
	}
	if VerifyV1(s.PublicKey(), f, c, append(bytes.Clone(sig[:63]), sig[63]^1)) || VerifyV1(nil, f, c, sig) {
		t.Error("VerifyV1 accepted a bad signature or key")
	}
	// A version 2 statement signed by the key is not a version 1 receipt.
	sg, err := s.Sign(sample())
	if err != nil {
		t.Fatal(err)
	}
	if VerifyV1(s.PublicKey(), sample(), sg.Canonical, sg.Signature) {
		t.Error("VerifyV1 accepted a version 2 statement")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestNewSigner(t *testing.T) {
	seed := []byte("talap-dev-receipt-key-not-secret")
	want := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		s, err := NewSigner(" " + enc.EncodeToString(seed) + "\n")
		if err != nil {
			t.Fatal(err)
		}
		if !s.PublicKey().Equal(want) {
			t.Errorf("32-byte seed: public key %x, want %x", s.PublicKey(), want)
		}
	}

	// Any other length is hashed into the seed: here compose's test value, 12 bytes in URL base64.
	raw, _ := base64.RawURLEncoding.DecodeString("test-receipt-key")
	sum := sha256.Sum256(raw)
	s, err := NewSigner("test-receipt-key")
	if err != nil {
		t.Fatal(err)
	}
	if want := ed25519.NewKeyFromSeed(sum[:]).Public().(ed25519.PublicKey); !s.PublicKey().Equal(want) {
		t.Errorf("12-byte key: public key %x, want %x", s.PublicKey(), want)
	}
	long := bytes.Repeat([]byte{1}, 64)
	sum = sha256.Sum256(long)
	s, err = NewSigner(base64.StdEncoding.EncodeToString(long))
	if err != nil {
		t.Fatal(err)
	}
	if want := ed25519.NewKeyFromSeed(sum[:]).Public().(ed25519.PublicKey); !s.PublicKey().Equal(want) {
		t.Error("64-byte key was not hashed into the seed")
	}
	if id := s.KeyID(); len(id) != 16 || id != KeyID(s.PublicKey()) || id != hexOf(sha256Of(s.PublicKey()))[:16] {
		t.Errorf("KeyID = %q", id)
	}

	for _, bad := range []string{"", "   ", "not base64!", "sëcret"} {
		_, err := NewSigner(bad)
		if err == nil {
			t.Errorf("NewSigner(%q) succeeded", bad)
			continue
		}
		if strings.TrimSpace(bad) != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("error %q echoes the secret", err)
		}
	}
}

func sha256Of(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

func TestHumanSize(t *testing.T) {
	tr := translator(t)
	for n, want := range map[int64]string{
		0: "0 Б", 1023: "1023 Б", 1024: "1,0 КБ", 48213: "47,1 КБ", 1534000: "1,5 МБ",
		1048575: "1,0 МБ", 150 << 20: "150 МБ", 3 << 30: "3,0 ГБ", 5 << 40: "5120 ГБ",
	} {
		if got := humanSize(n, words{t: tr.T, lang: "ru"}); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
	if got := humanSize(1534000, words{t: tr.T, lang: "en"}); got != "1.5 MB" {
		t.Errorf("en: %q", got)
	}
}

func TestFormatFiledAt(t *testing.T) {
	got, err := FormatFiledAt(time.Date(2026, 11, 27, 9, 5, 42, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if want := "27.11.2026 14:05 (Asia/Almaty)"; got != want {
		t.Errorf("FormatFiledAt = %q, want %q", got, want)
	}
}
