package web_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"talap/portal/receipt"
	"talap/portal/testenv"
)

// verifyPortal is a portal with a Redis of its own, so that this file's many /verify requests do
// not count against the per-address limit the package's other tests share.
func verifyPortal(t *testing.T) portal {
	d := deps(t)
	d.Redis = redis.NewClient(&redis.Options{Addr: testenv.StartRedis(t).Addr})
	return startPortal(t, d, func(base string) string { return startSimulator(t, base) })
}

// storedReceipt is a claim's newest receipt row as the database holds it.
type storedReceipt struct {
	Token  string
	Number string
	Facts  receipt.Facts
	Salt   string         // the commitment's salt, kept with the facts
	Raw    map[string]any // the facts as stored, salt and all
}

func newestReceipt(t *testing.T, claimID string) storedReceipt {
	t.Helper()
	var r storedReceipt
	var facts []byte
	err := testenv.Get(t).DB.Pool.QueryRow(context.Background(), `SELECT coalesce(token, ''), facts, number FROM receipts
		WHERE claim_id = $1 ORDER BY id DESC LIMIT 1`, claimID).Scan(&r.Token, &facts, &r.Number)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(facts, &r.Facts); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(facts, &r.Raw); err != nil {
		t.Fatal(err)
	}
	r.Salt, _ = r.Raw["salt"].(string)
	return r
}

func sha256Of(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// saltedCommitment computes the commitment as portal/receipt's documentation tells a claimant to:
// SHA-256 of the salt's bytes, the IIN, a line feed and the name.
func saltedCommitment(t *testing.T, saltHex, iin, name string) string {
	t.Helper()
	salt, err := hex.DecodeString(saltHex)
	if err != nil || len(salt) != 32 {
		t.Fatalf("salt %q is not 32 bytes of hex", saltHex)
	}
	return sha256Of(string(salt) + iin + "\n" + name)
}

// verification is GET /verify/... as JSON.
type verification struct {
	Number    string          `json:"number"`
	Valid     bool            `json:"valid"`
	Statement json.RawMessage `json:"statement"`
	Signature string          `json:"signature"`
	KeyID     string          `json:"key_id"`
	PublicKey string          `json:"public_key"`
}

// checkPublic fetches /verify/<key> as JSON and as HTML and checks that neither holds anything
// computable from the claimant's IIN and name, nor the salt, nor (unless the key is the token) the
// token; and that the commitment is the salted one, which needs the salt printed on the PDF.
func checkPublic(t *testing.T, p portal, key, iin, name string, r storedReceipt) verification {
	t.Helper()
	anon := asAnonymous(t, p)
	resp, body := anon.do(http.MethodGet, "/verify/"+key, nil)
	var v verification
	if err := json.Unmarshal(body, &v); err != nil || resp.StatusCode != 200 {
		t.Fatalf("verify %s = %d %v: %s", key, resp.StatusCode, err, body)
	}
	if !v.Valid || v.Number != r.Number {
		t.Fatalf("verify %s = %+v", key, v)
	}
	var st struct {
		Schema     string `json:"schema"`
		Commitment string `json:"claimant_commitment"`
		Number     string `json:"number"`
	}
	if err := json.Unmarshal(v.Statement, &st); err != nil {
		t.Fatal(err)
	}
	if st.Schema != "talap.receipt.v2" || st.Number != r.Number {
		t.Errorf("verify %s: statement %s", key, v.Statement)
	}
	// The commitment is SHA-256(salt || iin || "\n" || name): checkable with the salt...
	if want := saltedCommitment(t, r.Salt, iin, name); st.Commitment != want {
		t.Errorf("verify %s: commitment %s, want the salted %s", key, st.Commitment, want)
	}
	// ...and with nothing else one could try from an IIN and a name.
	for _, guess := range []string{sha256Of(iin + "\n" + name), sha256Of(iin + name), sha256Of(iin), sha256Of(name),
		sha256Of(name + "\n" + iin)} {
		if st.Commitment == guess {
			t.Errorf("verify %s: the commitment is computable without the salt", key)
		}
	}
	_, page := anon.do(http.MethodGet, "/verify/"+key, nil, "Accept", "text/html")
	if !strings.Contains(string(page), r.Number) || !strings.Contains(string(page), st.Commitment) {
		t.Errorf("verify %s: the page lacks the number or the commitment", key)
	}
	secrets := map[string]string{
		"the unsalted SHA-256 of IIN and name": sha256Of(iin + "\n" + name),
		"the IIN":                              iin,
		"the name":                             name,
		"the salt":                             r.Salt,
	}
	if key != r.Token {
		secrets["the token"] = r.Token
	}
	for what, secret := range secrets {
		if strings.Contains(string(body), secret) {
			t.Errorf("verify %s: the JSON holds %s", key, what)
		}
		if strings.Contains(string(page), secret) {
			t.Errorf("verify %s: the page holds %s", key, what)
		}
	}
	return v
}

// pdfTextAndQR reads a receipt PDF with pdftotext and decodes its QR code with zbarimg.
func pdfTextAndQR(t *testing.T, pdf []byte) (text, qr string) {
	t.Helper()
	return strings.Join(strings.Fields(testenv.PDFText(t, pdf)), " "), testenv.PDFQRCode(t, pdf)
}

var tokenLink = regexp.MustCompile(`/verify/([A-Z2-7]{32})\b`)

// isToken: a verification token is 32 characters of the base32 alphabet (160 random bits).
func isToken(s string) bool { return regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(s) }

// checkPDF downloads the claimant's receipt and checks that it prints the salt and the token link
// (as text and as the QR code), and not the number link.
func checkPDF(t *testing.T, p portal, a *apiClient, claimID string, r storedReceipt) {
	t.Helper()
	resp, pdf := a.do(http.MethodGet, "/api/v1/claims/"+claimID+"/receipt.pdf", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("receipt = %d", resp.StatusCode)
	}
	text, qr := pdfTextAndQR(t, pdf)
	link := p.URL + "/verify/" + r.Token
	if r.Token == "" || qr != link {
		t.Errorf("QR code = %q, want the token link %q", qr, link)
	}
	if !strings.Contains(text, link) {
		t.Errorf("the receipt does not print the token link %q:\n%s", link, text)
	}
	if m := tokenLink.FindStringSubmatch(text); m == nil || m[1] != r.Token {
		t.Errorf("the receipt's printed token %v is not the stored one", m)
	}
	if strings.Contains(text, "/verify/"+r.Number) {
		t.Error("the receipt prints the number link")
	}
	if len(r.Salt) != 64 || !strings.Contains(text, r.Salt[:32]) || !strings.Contains(text, r.Salt[32:]) {
		t.Errorf("the receipt does not print the salt %q:\n%s", r.Salt, text)
	}
}

func TestVerifyByTokenShowsNothingComputableFromIINAndName(t *testing.T) {
	p := verifyPortal(t)
	who := citizen(t, 0)
	a := asPerson(t, p, who.IIN)
	filed, doc := a.filedClaim()
	r := newestReceipt(t, filed.ID)
	if !isToken(r.Token) {
		t.Fatalf("receipt token %q is not a verification token", r.Token)
	}
	if r.Facts.Claimant.IIN != who.IIN || r.Facts.Claimant.Name != who.Name {
		t.Fatalf("receipt claimant %+v, want %s %s", r.Facts.Claimant, who.IIN, who.Name)
	}
	checkPDF(t, p, a, filed.ID, r)
	byToken := checkPublic(t, p, r.Token, who.IIN, who.Name, r)
	if !strings.Contains(string(byToken.Statement), doc.SHA256) {
		t.Errorf("the statement lacks the document's hash:\n%s", byToken.Statement)
	}
	// A claim filed with a token receipt is not found by its (sequential) number.
	if resp, body := asAnonymous(t, p).do(http.MethodGet, "/verify/"+filed.Number, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("verify by the number of a claim filed with a token receipt = %d %s, want 404", resp.StatusCode, body)
	}

	// Two receipts of one person share no commitment.
	other, _ := a.filedClaim()
	r2 := newestReceipt(t, other.ID)
	if r2.Token == r.Token || r2.Salt == r.Salt {
		t.Fatal("two receipts share a token or a salt")
	}
	if checkPublic(t, p, r2.Token, who.IIN, who.Name, r2); saltedCommitment(t, r2.Salt, who.IIN, who.Name) == saltedCommitment(t, r.Salt, who.IIN, who.Name) {
		t.Error("two receipts of one person have the same commitment")
	}

	// Unknown tokens and numbers are 404.
	anon := asAnonymous(t, p)
	for _, key := range []string{"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "TLP-1999-999999", strings.ToLower(r.Token)} {
		resp, body := anon.do(http.MethodGet, "/verify/"+key, nil)
		wantError(t, resp, body, 404, "not_found")
	}
}

// signingKey is the Ed25519 key the portal signs with, derived from the configured value as
// receipt.NewSigner derives it.
func signingKey(t *testing.T, value string) ed25519.PrivateKey {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
	if err != nil {
		t.Fatalf("test receipt key is not standard base64: %v", err)
	}
	if len(raw) != ed25519.SeedSize {
		sum := sha256.Sum256(raw)
		raw = sum[:]
	}
	return ed25519.NewKeyFromSeed(raw)
}

// writeV1Receipt replaces a filed claim's receipts by one written the way the portal wrote them
// before salted commitments: facts without a salt, the talap.receipt.v1 statement with the
// unsalted commitment SHA-256(iin + "\n" + name), signed with the portal's key, and no token.
func writeV1Receipt(t *testing.T, claimID string) storedReceipt {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	r := newestReceipt(t, claimID)
	f := r.Facts
	delete(r.Raw, "salt")
	facts, err := json.Marshal(r.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(facts), "salt") {
		t.Fatalf("version 1 facts hold a salt: %s", facts)
	}
	canonical := v1Statement(t, f)
	if !strings.Contains(string(canonical), `"claimant_commitment":"`+sha256Of(f.Claimant.IIN+"\n"+f.Claimant.Name)+`"`) ||
		!strings.Contains(string(canonical), `"schema":"talap.receipt.v1"`) {
		t.Fatalf("not a version 1 statement: %s", canonical)
	}
	key := signingKey(t, env.Config.ReceiptKey)
	if _, err := env.DB.Pool.Exec(ctx, `DELETE FROM receipts WHERE claim_id = $1`, claimID); err != nil {
		t.Fatal(err)
	}
	// The statement the portal used to write.
	_, err = env.DB.Pool.Exec(ctx, `INSERT INTO receipts (claim_id, number, facts, canonical, signature, key_id)
		VALUES ($1, $2, $3, $4, $5, $6)`, claimID, r.Number, facts, string(canonical), ed25519.Sign(key, canonical),
		sha256Of(string(key.Public().(ed25519.PublicKey)))[:16])
	if err != nil {
		t.Fatal(err)
	}
	return storedReceipt{Number: r.Number, Facts: f, Raw: r.Raw}
}

// v1Statement is the talap.receipt.v1 statement of f as the portal signed it: the canonical JSON
// (sorted keys, no whitespace, no HTML escaping) of the public facts with the unsalted commitment.
func v1Statement(t *testing.T, f receipt.Facts) []byte {
	t.Helper()
	docs := []any{}
	for _, d := range f.Documents {
		docs = append(docs, map[string]any{"content_type": d.ContentType, "sha256": strings.ToLower(d.SHA256), "size": d.Size})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(map[string]any{
		"schema": "talap.receipt.v1", "number": f.Number, "filed_at": f.FiledAt.UTC().Format("2006-01-02T15:04:05Z"),
		"court": f.Court, "category": f.Category, "kind": f.Kind,
		"respondent_bin": f.Respondent.BIN, "respondent_name": f.Respondent.Name,
		"claimant_commitment": sha256Of(f.Claimant.IIN + "\n" + f.Claimant.Name), "documents": docs,
	})
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func receiptRows(t *testing.T, claimID string) (all, withToken int) {
	t.Helper()
	err := testenv.Get(t).DB.Pool.QueryRow(context.Background(), `SELECT count(*), count(token) FROM receipts WHERE claim_id = $1`, claimID).
		Scan(&all, &withToken)
	if err != nil {
		t.Fatal(err)
	}
	return all, withToken
}

// A receipt issued before this change keeps verifying by its number link: it is re-issued with a
// salt and a token, and its unsalted statement is never shown again.
func TestVerifyOldNumberLinkOfAVersion1ReceiptAfterTheMigration(t *testing.T) {
	p := verifyPortal(t)
	who := citizen(t, 0)
	a := asPerson(t, p, who.IIN)
	filed, doc := a.filedClaim()
	old := writeV1Receipt(t, filed.ID)
	legacy := sha256Of(who.IIN + "\n" + who.Name)

	// Looked up by its number, it is re-issued on the spot: the first answer is already the new one.
	if r := newestReceipt(t, filed.ID); r.Token != "" {
		t.Fatal("the version 1 receipt has a token")
	}
	resp, body := asAnonymous(t, p).do(http.MethodGet, "/verify/"+filed.Number, nil)
	var first verification
	if json.Unmarshal(body, &first) != nil || resp.StatusCode != 200 || !first.Valid || !strings.Contains(string(first.Statement), `"schema":"talap.receipt.v2"`) {
		t.Fatalf("first lookup of the old number link = %d %s", resp.StatusCode, body)
	}
	for _, secret := range []string{legacy, who.IIN, who.Name} {
		if strings.Contains(string(body), secret) {
			t.Fatalf("first lookup of the old number link shows %q: %s", secret, body)
		}
	}
	r := newestReceipt(t, filed.ID)
	if !isToken(r.Token) || len(r.Salt) != 64 {
		t.Fatalf("after the lookup the newest receipt has token %q, salt %q", r.Token, r.Salt)
	}
	if all, tokened := receiptRows(t, filed.ID); all != 2 || tokened != 1 {
		t.Fatalf("receipt rows = %d (%d with a token), want the old one and one re-issued", all, tokened)
	}
	delete(r.Raw, "salt")
	got, _ := json.Marshal(r.Raw)
	want, _ := json.Marshal(old.Raw)
	if string(got) != string(want) {
		t.Errorf("re-issued facts differ:\n%s\nwant\n%s", got, want)
	}
	r = newestReceipt(t, filed.ID)
	if string(first.Statement) != string(checkPublic(t, p, r.Token, who.IIN, who.Name, r).Statement) {
		t.Error("the first lookup showed another statement than the re-issued receipt's")
	}
	byNumber := checkPublic(t, p, filed.Number, who.IIN, who.Name, r)
	byToken := checkPublic(t, p, r.Token, who.IIN, who.Name, r)
	if string(byNumber.Statement) != string(byToken.Statement) || !strings.Contains(string(byToken.Statement), doc.SHA256) {
		t.Errorf("number and token show different statements:\n%s\n%s", byNumber.Statement, byToken.Statement)
	}
	if strings.Contains(string(byNumber.Statement), legacy) {
		t.Error("the unsalted commitment is still shown")
	}
	// The claimant's PDF, downloaded again, prints the new salt and the token link.
	checkPDF(t, p, a, filed.ID, r)
	if n := countRows(t, `SELECT count(*) FROM audit_events WHERE claim_id = $1 AND event = 'receipt.reissued'`, filed.ID); n != 1 {
		t.Errorf("receipt.reissued audit events = %d, want 1", n)
	}
	if all, _ := receiptRows(t, filed.ID); all != 2 {
		t.Errorf("receipt rows after more lookups = %d, want 2", all)
	}

	// Many first lookups at once re-issue it once.
	second, _ := a.filedClaim()
	writeV1Receipt(t, second.ID)
	var wg sync.WaitGroup
	statements := make([]string, 8)
	for i := range statements {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, body := asAnonymous(t, p).do(http.MethodGet, "/verify/"+second.Number, nil)
			var v verification
			if json.Unmarshal(body, &v) != nil || resp.StatusCode != 200 || !v.Valid {
				t.Errorf("concurrent lookup = %d %s", resp.StatusCode, body)
			}
			statements[i] = string(v.Statement)
		}()
	}
	wg.Wait()
	if all, tokened := receiptRows(t, second.ID); all != 2 || tokened != 1 {
		t.Errorf("after concurrent lookups: %d rows, %d with a token; want 2 and 1", all, tokened)
	}
	for _, s := range statements[1:] {
		if s != statements[0] {
			t.Errorf("concurrent lookups saw different statements:\n%s\n%s", s, statements[0])
		}
	}

	// A version 1 receipt whose signature does not cover its facts is not re-issued (that would
	// vouch for what nobody signed), and nothing of it is shown.
	forged, _ := a.filedClaim()
	writeV1Receipt(t, forged.ID)
	if _, err := testenv.Get(t).DB.Pool.Exec(context.Background(),
		`UPDATE receipts SET facts = jsonb_set(facts, '{respondent,name}', '"Someone else"') WHERE claim_id = $1`, forged.ID); err != nil {
		t.Fatal(err)
	}
	resp, body = asAnonymous(t, p).do(http.MethodGet, "/verify/"+forged.Number, nil)
	var fv verification
	if json.Unmarshal(body, &fv) != nil || resp.StatusCode != 200 || fv.Valid || string(fv.Statement) != "{}" {
		t.Errorf("forged version 1 receipt = %d %s, want valid false and an empty statement", resp.StatusCode, body)
	}
	if strings.Contains(string(body), legacy) || strings.Contains(string(body), who.IIN) {
		t.Errorf("forged version 1 receipt shows its statement: %s", body)
	}
	if all, tokened := receiptRows(t, forged.ID); all != 1 || tokened != 0 {
		t.Errorf("forged version 1 receipt re-issued: %d rows, %d with a token", all, tokened)
	}
}

func TestVerifyIsRateLimitedPerAddress(t *testing.T) {
	d := deps(t)
	d.Redis = redis.NewClient(&redis.Options{Addr: testenv.StartRedis(t).Addr})
	d.Config.RateVerify = 3
	inOneRateWindow()
	base := serve(t, d)
	for i := range 3 {
		if resp, _ := get(t, base+"/verify/TLP-1999-999999", "Accept", "application/json"); resp.StatusCode != 404 {
			t.Fatalf("lookup %d = %d, want 404", i+1, resp.StatusCode)
		}
	}
	for _, accept := range []string{"application/json", "text/html"} {
		resp, body := get(t, base+"/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "Accept", accept, "Accept-Language", "ru")
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("lookup over the limit (%s) = %d Retry-After %q, want 429 with Retry-After", accept, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if accept == "application/json" && !strings.Contains(body, `"rate_limited"`) {
			t.Errorf("429 body = %s", body)
		}
	}
}
