package web_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/minio/minio-go/v7"

	"talap/infra/seed"
	"talap/portal/ident"
	"talap/portal/storage"
	"talap/portal/task"
	"talap/portal/testenv"
	"talap/worker"
)

// The respondent of the test claims: a central body in the registry, located in Astana.
const respondentBIN = "090240116035"

// Test files, typed by their first bytes as the portal types them.
var (
	pdfFile  = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	jpegFile = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, bytes.Repeat([]byte{0x42}, 300)...)
	pngFile  = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), bytes.Repeat([]byte{0x07}, 200)...)
	// A PDF whose trailer says it is encrypted.
	encryptedPDF = []byte("%PDF-1.6\n1 0 obj\n<< /Type /Catalog >>\nendobj\n5 0 obj\n<< /Filter /Standard /V 2 /R 3 >>\nendobj\n" +
		"trailer\n<< /Root 1 0 R /Encrypt 5 0 R /ID [<01><01>] >>\n%%EOF\n")
	zipFile  = append([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), bytes.Repeat([]byte{0x01}, 100)...)
	htmlFile = []byte("<!doctype html><html><body><script>alert(1)</script></body></html>")
)

// pdfOfSize is a PDF-typed file of exactly n bytes.
func pdfOfSize(n int) []byte {
	b := bytes.Repeat([]byte{'x'}, n)
	copy(b, "%PDF-1.7\n")
	return b
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// completeClaim is a tax challenge with every answer submit needs, except the documents.
func completeClaim() map[string]any {
	return map[string]any{
		"category":       "tax",
		"kind":           "challenge",
		"respondent_bin": respondentBIN,
		"subject":        "Annul the tax notice",
		"grounds":        "The notice counts income I did not receive.",
		"demands":        "Annul notice 15-3/112.",
		"contested_act":  map[string]any{"number": "15-3/112", "issued_on": "2025-03-10", "received_on": "2025-03-12"},
		"pretrial":       map[string]any{"complaint_filed_on": "2025-03-20", "decision_received_on": "2025-04-15"},
		"claimant":       map[string]any{"residence_kato": "711210000", "phone": "+7 701 123 45 67", "email": "asqar@example.kz"},
		"duty_exemption": "disability",
	}
}

// Personas of each kind, picked from the demo set.

func citizen(t *testing.T, i int) seed.Persona {
	t.Helper()
	return pick(t, "citizen", i, func(seed.Persona) bool { return true })
}

func officerOf(t *testing.T, bin string) seed.Persona {
	t.Helper()
	return pick(t, "officer", 0, func(p seed.Persona) bool { return p.BodyBIN == bin })
}

func officerNotOf(t *testing.T, bin string) seed.Persona {
	t.Helper()
	return pick(t, "officer", 0, func(p seed.Persona) bool { return p.BodyBIN != "" && p.BodyBIN != bin })
}

func clerkOf(t *testing.T, court string) seed.Persona {
	t.Helper()
	return pick(t, "clerk", 0, func(p seed.Persona) bool { return p.CourtID == court })
}

func clerkNotOf(t *testing.T, court string) seed.Persona {
	t.Helper()
	return pick(t, "clerk", 0, func(p seed.Persona) bool { return p.CourtID != "" && p.CourtID != court })
}

func pick(t *testing.T, kind string, i int, ok func(seed.Persona) bool) seed.Persona {
	t.Helper()
	ps, err := seed.Personas()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Kind == kind && ok(p) {
			if i == 0 {
				return p
			}
			i--
		}
	}
	t.Fatalf("no such %s persona", kind)
	return seed.Persona{}
}

// apiClient is someone calling the JSON API over real HTTP: a signed-in person (cookie and CSRF
// token), an API token, or nobody.
type apiClient struct {
	t      *testing.T
	base   string
	hc     *http.Client
	csrf   string
	header map[string]string
}

func asPerson(t *testing.T, p portal, iin string) *apiClient {
	t.Helper()
	c := signIn(t, p, iin)
	code, m := me(t, c, p)
	if code != 200 || m.CSRF == "" {
		t.Fatalf("me as %s = %d", iin, code)
	}
	return &apiClient{t: t, base: p.URL, hc: c, csrf: m.CSRF}
}

// in binds the client to a subtest, so that its failures stop the subtest.
func (a *apiClient) in(t *testing.T) *apiClient {
	c := *a
	c.t = t
	return &c
}

func asAnonymous(t *testing.T, p portal) *apiClient {
	return &apiClient{t: t, base: p.URL, hc: &http.Client{Timeout: 30 * time.Second}}
}

func asToken(t *testing.T, p portal, token string) *apiClient {
	return &apiClient{t: t, base: p.URL, hc: &http.Client{Timeout: 30 * time.Second}, header: map[string]string{"Authorization": "Bearer " + token}}
}

// do sends a request (with the CSRF token, if any, and asking for English JSON) and reads the answer.
func (a *apiClient) do(method, path string, body io.Reader, header ...string) (*http.Response, []byte) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Language", "en")
	if a.csrf != "" {
		req.Header.Set("X-CSRF-Token", a.csrf)
	}
	for k, v := range a.header {
		req.Header.Set(k, v)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return resp, b
}

// json sends v as a JSON body (a string or []byte is sent as it is).
func (a *apiClient) json(method, path string, v any, header ...string) (*http.Response, []byte) {
	a.t.Helper()
	var body io.Reader
	switch x := v.(type) {
	case nil:
	case string:
		body = strings.NewReader(x)
	case []byte:
		body = bytes.NewReader(x)
	case io.Reader:
		body = x
	default:
		b, err := json.Marshal(x)
		if err != nil {
			a.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	if body != nil {
		header = append([]string{"Content-Type", "application/json"}, header...)
	}
	return a.do(method, path, body, header...)
}

// filePart is one part of a multipart upload; disposition, when set, replaces the usual header.
type filePart struct {
	field, name, contentType string
	data                     []byte
	disposition              string
}

func multipartBody(t *testing.T, parts ...filePart) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		switch {
		case p.disposition != "":
			h.Set("Content-Disposition", p.disposition)
		case p.name != "":
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.field, p.name))
		default:
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q`, p.field))
		}
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(p.data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

func file(name string, data []byte) filePart {
	return filePart{field: "file", name: name, contentType: "application/octet-stream", data: data}
}

func kindField(kind string) filePart { return filePart{field: "kind", data: []byte(kind)} }

// upload posts a multipart form with a known Content-Length.
func (a *apiClient) upload(claimID string, parts ...filePart) (*http.Response, []byte) {
	a.t.Helper()
	ct, body := multipartBody(a.t, parts...)
	return a.do(http.MethodPost, "/api/v1/claims/"+claimID+"/documents", bytes.NewReader(body), "Content-Type", ct)
}

// uploadChunked posts the same form with no Content-Length, so the server learns the size only by reading.
func (a *apiClient) uploadChunked(claimID string, parts ...filePart) (*http.Response, []byte) {
	a.t.Helper()
	ct, body := multipartBody(a.t, parts...)
	return a.do(http.MethodPost, "/api/v1/claims/"+claimID+"/documents", struct{ io.Reader }{bytes.NewReader(body)}, "Content-Type", ct)
}

// raw sends a request that the server is expected to refuse before reading all of its body, over
// a connection of its own: the body is written in the background while the answer is read.
// (A server that answers early and closes the connection with the body unread makes the kernel
// reset it; net/http's client, still writing, then reports the reset instead of the answer, as a
// browser would not.) With chunked, the body is sent in chunks with no Content-Length.
func (a *apiClient) raw(method, path, contentType string, body []byte, chunked bool) (*http.Response, []byte) {
	a.t.Helper()
	u, err := url.Parse(a.base)
	if err != nil {
		a.t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		a.t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	var head bytes.Buffer
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\nAccept-Language: en\r\nContent-Type: %s\r\n", method, path, u.Host, contentType)
	if a.hc.Jar != nil {
		for _, ck := range a.hc.Jar.Cookies(u) {
			fmt.Fprintf(&head, "Cookie: %s=%s\r\n", ck.Name, ck.Value)
		}
	}
	if a.csrf != "" {
		fmt.Fprintf(&head, "X-CSRF-Token: %s\r\n", a.csrf)
	}
	if chunked {
		head.WriteString("Transfer-Encoding: chunked\r\n\r\n")
	} else {
		fmt.Fprintf(&head, "Content-Length: %d\r\n\r\n", len(body))
	}
	go func() {
		// Write errors are expected once the server has answered and closed.
		if _, err := conn.Write(head.Bytes()); err != nil {
			return
		}
		if !chunked {
			_, _ = conn.Write(body)
			return
		}
		for rest := body; len(rest) > 0; {
			n := min(len(rest), 32<<10)
			if _, err := fmt.Fprintf(conn, "%x\r\n%s\r\n", n, rest[:n]); err != nil {
				return
			}
			rest = rest[n:]
		}
		_, _ = conn.Write([]byte("0\r\n\r\n"))
	}()
	req, _ := http.NewRequest(method, a.base+path, nil)
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		a.t.Fatalf("%s %s: no answer: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return resp, out
}

// rawUpload is raw for a multipart upload.
func (a *apiClient) rawUpload(claimID string, chunked bool, parts ...filePart) (*http.Response, []byte) {
	a.t.Helper()
	ct, body := multipartBody(a.t, parts...)
	return a.raw(http.MethodPost, "/api/v1/claims/"+claimID+"/documents", ct, body, chunked)
}

// closes checks that the server closes a connection whose request body it left unread, so that
// the rest of the body is never read as another request.
func closes(t *testing.T, resp *http.Response) {
	t.Helper()
	if !resp.Close {
		t.Errorf("%s %s: the connection stays open after a refusal that left the body unread", resp.Request.Method, resp.Request.URL.Path)
	}
}

type docOut struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	SHA256      string `json:"sha256"`
}

type claimOut struct {
	VerifyURL    string `json:"verify_url"`
	ID           string `json:"id"`
	Number       string `json:"number"`
	Status       string `json:"status"`
	NextStep     string `json:"next_step"`
	Category     string `json:"category"`
	Kind         string `json:"kind"`
	Subject      string `json:"subject"`
	Grounds      string `json:"grounds"`
	Demands      string `json:"demands"`
	ContestedAct struct {
		Number     string  `json:"number"`
		IssuedOn   *string `json:"issued_on"`
		ReceivedOn *string `json:"received_on"`
	} `json:"contested_act"`
	Claimant struct {
		IIN           string `json:"iin"`
		ResidenceKATO string `json:"residence_kato"`
		Phone         string `json:"phone"`
		Email         string `json:"email"`
	} `json:"claimant"`
	Respondent *struct {
		BIN  string `json:"bin"`
		Name string `json:"name"`
	} `json:"respondent"`
	Court *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"court"`
	Routing *struct {
		CourtID     string `json:"court_id"`
		Rule        string `json:"rule"`
		Explanation string `json:"explanation"`
	} `json:"routing"`
	Documents []docOut `json:"documents"`
	Timeline  []struct {
		At    time.Time `json:"at"`
		Event string    `json:"event"`
		Actor string    `json:"actor"`
	} `json:"timeline"`
	StateDuty struct {
		Amount   float64 `json:"amount"`
		Currency string  `json:"currency"`
		Status   string  `json:"status"`
	} `json:"state_duty"`
	Missing     map[string]string `json:"missing"`
	SubmittedAt *time.Time        `json:"submitted_at"`
}

func (c claimOut) events(name string) int {
	n := 0
	for _, e := range c.Timeline {
		if e.Event == name {
			n++
		}
	}
	return n
}

func decodeClaim(t *testing.T, resp *http.Response, body []byte, status int) claimOut {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s %s = %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want JSON", ct)
	}
	var c claimOut
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatalf("claim JSON: %v: %s", err, body)
	}
	if c.ID == "" || c.Status == "" {
		t.Fatalf("claim without id or status: %s", body)
	}
	return c
}

// doc reads the answer to an upload of one file.
func (a *apiClient) doc(resp *http.Response, body []byte) docOut {
	t := a.t
	t.Helper()
	if resp.StatusCode != 201 {
		t.Fatalf("upload = %d, want 201: %s", resp.StatusCode, body)
	}
	var d docOut
	if err := json.Unmarshal(body, &d); err != nil || d.ID == "" {
		t.Fatalf("upload answer %s: %v", body, err)
	}
	return d
}

type apiError struct {
	Code    string
	Message string
	Fields  map[string]string
}

// wantError checks an error answer exactly: the status, JSON of the shape
// {"error": {"code", "message", "fields"?}} and nothing else, the code, and (when fields are
// given) exactly those fields; with no fields given, there must be none.
func wantError(t *testing.T, resp *http.Response, body []byte, status int, code string, fields ...string) apiError {
	t.Helper()
	where := resp.Request.Method + " " + resp.Request.URL.Path
	if resp.StatusCode != status {
		t.Fatalf("%s = %d, want %d: %s", where, resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: Content-Type %q, want JSON: %.200s", where, ct, body)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || len(top) != 1 || top["error"] == nil {
		t.Fatalf("%s: body is not {\"error\": ...}: %s", where, body)
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(top["error"], &inner); err != nil {
		t.Fatalf("%s: error is not an object: %s", where, body)
	}
	for k := range inner {
		if k != "code" && k != "message" && k != "fields" {
			t.Fatalf("%s: unexpected key %q in error: %s", where, k, body)
		}
	}
	var e apiError
	if err := json.Unmarshal(top["error"], &e); err != nil {
		t.Fatalf("%s: error shape: %v: %s", where, err, body)
	}
	if e.Code != code || strings.TrimSpace(e.Message) == "" {
		t.Fatalf("%s: code %q message %q, want code %q with a message: %s", where, e.Code, e.Message, code, body)
	}
	if len(fields) == 0 {
		if _, ok := inner["fields"]; ok {
			t.Fatalf("%s: unexpected fields: %s", where, body)
		}
		return e
	}
	got := make([]string, 0, len(e.Fields))
	for k, v := range e.Fields {
		got = append(got, k)
		if strings.TrimSpace(v) == "" {
			t.Errorf("%s: field %s has no message", where, k)
		}
	}
	sort.Strings(got)
	want := slices.Clone(fields)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: fields %v, want %v: %s", where, got, want, body)
	}
	return e
}

// newDraft creates a draft and returns it.
func (a *apiClient) newDraft(answers any) claimOut {
	a.t.Helper()
	resp, body := a.json(http.MethodPost, "/api/v1/claims", answers)
	return decodeClaim(a.t, resp, body, 201)
}

// filedClaim creates a complete claim with one PDF and submits it.
func (a *apiClient) filedClaim() (claimOut, docOut) {
	a.t.Helper()
	cl := a.newDraft(completeClaim())
	d := a.doc(a.upload(cl.ID, file("notice.pdf", pdfFile), kindField("contested_act")))
	resp, body := a.json(http.MethodPost, "/api/v1/claims/"+cl.ID+"/submit", nil)
	return decodeClaim(a.t, resp, body, 200), d
}

// verifyPath is the path of the public verification page the claim's answer links to.
func verifyPath(t *testing.T, c claimOut) string {
	t.Helper()
	u, err := url.Parse(c.VerifyURL)
	if err != nil || !strings.HasPrefix(u.Path, "/verify/") || strings.Contains(u.Path, c.Number) {
		t.Fatalf("claim %s: verify_url %q is not a token link", c.Number, c.VerifyURL)
	}
	return u.Path
}

func (a *apiClient) getClaim(id string) claimOut {
	a.t.Helper()
	resp, body := a.do(http.MethodGet, "/api/v1/claims/"+id, nil)
	return decodeClaim(a.t, resp, body, 200)
}

// ---- Drafts: create, get, patch, list, delete -------------------------------------------------

func TestDraftCreateGetPatchDelete(t *testing.T) {
	p := withSimulator(t)
	who := citizen(t, 0)
	a := asPerson(t, p, who.IIN)

	resp, body := a.json(http.MethodPost, "/api/v1/claims", map[string]any{
		"category": "tax", "subject": "Annul the tax notice",
		"contested_act": map[string]any{"number": "15-3/112", "issued_on": "2025-03-10"},
	})
	cl := decodeClaim(t, resp, body, 201)
	if loc := resp.Header.Get("Location"); loc != "/api/v1/claims/"+cl.ID {
		t.Fatalf("Location %q, want /api/v1/claims/%s", loc, cl.ID)
	}
	if cl.Status != "draft" || cl.Number != "" || cl.Category != "tax" || cl.Claimant.IIN != who.IIN || cl.NextStep == "" {
		t.Fatalf("new draft = %+v", cl)
	}
	if cl.Missing["kind"] == "" || cl.Missing["documents"] == "" || cl.Missing["category"] != "" {
		t.Errorf("missing = %v, want kind and documents but not category", cl.Missing)
	}
	if cl.events("claim.created") != 1 || cl.Timeline[0].Actor != "claimant" {
		t.Errorf("timeline = %+v, want claim.created by the claimant", cl.Timeline)
	}

	got := a.getClaim(cl.ID)
	if got.ID != cl.ID || got.Subject != "Annul the tax notice" || got.ContestedAct.IssuedOn == nil || *got.ContestedAct.IssuedOn != "2025-03-10" {
		t.Fatalf("get = %+v", got)
	}

	// PATCH merges: fields sent replace, fields absent stay, also inside nested objects.
	resp, body = a.json(http.MethodPatch, "/api/v1/claims/"+cl.ID, map[string]any{
		"grounds": "Income counted twice.", "respondent_bin": respondentBIN,
		"contested_act": map[string]any{"received_on": "2025-03-12"},
	})
	got = decodeClaim(t, resp, body, 200)
	if got.Category != "tax" || got.Subject != "Annul the tax notice" || got.Grounds != "Income counted twice." {
		t.Errorf("after patch: category %q subject %q grounds %q", got.Category, got.Subject, got.Grounds)
	}
	if a := got.ContestedAct; a.Number != "15-3/112" || a.IssuedOn == nil || *a.IssuedOn != "2025-03-10" || a.ReceivedOn == nil || *a.ReceivedOn != "2025-03-12" {
		t.Errorf("after patch: contested_act %+v, want number and issued_on kept, received_on set", a)
	}
	if got.Respondent == nil || got.Respondent.BIN != respondentBIN || got.Respondent.Name == "" {
		t.Errorf("respondent = %+v, want the body with its name", got.Respondent)
	}
	// An empty string clears a date; the rest of the object stays.
	resp, body = a.json(http.MethodPatch, "/api/v1/claims/"+cl.ID, `{"contested_act": {"issued_on": ""}}`)
	got = decodeClaim(t, resp, body, 200)
	if got.ContestedAct.IssuedOn != nil || got.ContestedAct.Number != "15-3/112" || got.ContestedAct.ReceivedOn == nil {
		t.Errorf("after clearing issued_on: %+v", got.ContestedAct)
	}
	if got = a.getClaim(cl.ID); got.Grounds != "Income counted twice." || got.ContestedAct.IssuedOn != nil {
		t.Errorf("patch not stored: %+v", got)
	}

	// An unsafe call with the session but without the CSRF token is refused.
	noCSRF := *a
	noCSRF.csrf = ""
	resp, body = noCSRF.json(http.MethodPatch, "/api/v1/claims/"+cl.ID, `{"subject": "x"}`)
	wantError(t, resp, body, 403, "csrf")

	resp, body = a.do(http.MethodDelete, "/api/v1/claims/"+cl.ID, nil)
	if resp.StatusCode != 204 || len(body) != 0 {
		t.Fatalf("delete = %d %s, want 204", resp.StatusCode, body)
	}
	resp, body = a.do(http.MethodGet, "/api/v1/claims/"+cl.ID, nil)
	wantError(t, resp, body, 404, "not_found")
	resp, body = a.do(http.MethodDelete, "/api/v1/claims/"+cl.ID, nil)
	wantError(t, resp, body, 404, "not_found")
	resp, body = a.do(http.MethodGet, "/api/v1/claims/not-a-uuid", nil)
	wantError(t, resp, body, 404, "not_found")
}

func TestDeletingADraftRemovesItsDocuments(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)
	cl := a.newDraft(map[string]any{"subject": "to delete"})
	d := a.doc(a.upload(cl.ID, file("a.pdf", pdfFile)))
	if n := objectVersions(t, cl.ID); n != 1 {
		t.Fatalf("objects before delete = %d, want 1", n)
	}
	resp, body := a.do(http.MethodDelete, "/api/v1/claims/"+cl.ID+"/documents/"+d.ID, nil)
	if resp.StatusCode != 204 {
		t.Fatalf("delete document = %d %s", resp.StatusCode, body)
	}
	if got := a.getClaim(cl.ID); len(got.Documents) != 0 {
		t.Fatalf("documents after delete = %+v", got.Documents)
	}
	a.doc(a.upload(cl.ID, file("b.pdf", pdfFile)))
	if resp, body := a.do(http.MethodDelete, "/api/v1/claims/"+cl.ID, nil); resp.StatusCode != 204 {
		t.Fatalf("delete draft = %d %s", resp.StatusCode, body)
	}
	testenv.WaitFor(t, 10*time.Second, "the draft's objects to be removed", func() bool { return objectVersions(t, cl.ID) == 0 })

	// A filed claim is not a draft any more: it cannot be deleted.
	filed, _ := a.filedClaim()
	resp, body = a.do(http.MethodDelete, "/api/v1/claims/"+filed.ID, nil)
	wantError(t, resp, body, 409, "conflict")
}

// objectVersions counts the object versions stored under a claim's prefix.
func objectVersions(t *testing.T, claimID string) int {
	t.Helper()
	env := testenv.Get(t)
	n := 0
	for o := range env.Store.Client.ListObjects(context.Background(), env.Store.Bucket, minio.ListObjectsOptions{
		Prefix: "claims/" + claimID + "/", Recursive: true, WithVersions: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		if !o.IsDeleteMarker {
			n++
		}
	}
	return n
}

type listOut struct {
	Claims []struct {
		ID       string `json:"id"`
		Number   string `json:"number"`
		Status   string `json:"status"`
		Subject  string `json:"subject"`
		NextStep string `json:"next_step"`
	} `json:"claims"`
	NextCursor string `json:"next_cursor"`
}

func TestListMyClaimsNewestFirstWithCursor(t *testing.T) {
	p := withSimulator(t)
	// This citizen files nothing in any other test, so the list is exactly what this test made.
	a := asPerson(t, p, citizen(t, 2).IIN)
	var ids []string
	for _, s := range []string{"first", "second", "third"} {
		ids = append(ids, a.newDraft(map[string]any{"subject": s}).ID)
	}
	list := func(query string) listOut {
		t.Helper()
		resp, body := a.do(http.MethodGet, "/api/v1/claims"+query, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("list%s = %d %s", query, resp.StatusCode, body)
		}
		var l listOut
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	page1 := list("?limit=2")
	if len(page1.Claims) != 2 || page1.Claims[0].ID != ids[2] || page1.Claims[1].ID != ids[1] || page1.NextCursor == "" {
		t.Fatalf("page 1 = %+v, want third, second and a cursor", page1)
	}
	for _, c := range page1.Claims {
		if c.Status != "draft" || c.NextStep == "" || c.Number != "" {
			t.Errorf("list item %+v, want a draft with its next step", c)
		}
	}
	page2 := list("?limit=2&cursor=" + url.QueryEscape(page1.NextCursor))
	if len(page2.Claims) != 1 || page2.Claims[0].ID != ids[0] || page2.Claims[0].Subject != "first" || page2.NextCursor != "" {
		t.Fatalf("page 2 = %+v, want only first and no cursor", page2)
	}
	if all := list(""); len(all.Claims) != 3 || all.NextCursor != "" {
		t.Fatalf("whole list = %+v", all)
	}
	// Another citizen's list does not show these.
	other := asPerson(t, p, citizen(t, 3).IIN)
	resp, body := other.do(http.MethodGet, "/api/v1/claims", nil)
	for _, id := range ids {
		if resp.StatusCode != 200 || strings.Contains(string(body), id) {
			t.Fatalf("another citizen's list = %d and shows %s", resp.StatusCode, id)
		}
	}
	for _, q := range []string{"?limit=0", "?limit=101", "?limit=ten"} {
		resp, body := a.do(http.MethodGet, "/api/v1/claims"+q, nil)
		wantError(t, resp, body, 422, "invalid", "limit")
	}
	resp, body = a.do(http.MethodGet, "/api/v1/claims?cursor=garbage!", nil)
	wantError(t, resp, body, 400, "bad_cursor", "cursor")
	// Well-formed base64 of a time and 36 characters that are not a uuid: refused, not a query error.
	forged := base64.RawURLEncoding.EncodeToString([]byte(time.Now().UTC().Format(time.RFC3339Nano) + "|" + strings.Repeat("z", 36)))
	resp, body = a.do(http.MethodGet, "/api/v1/claims?cursor="+forged, nil)
	wantError(t, resp, body, 400, "bad_cursor", "cursor")
}

// ---- Bad input ---------------------------------------------------------------------------------

func TestBadClaimInputIs422WithFields(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)

	env := testenv.Get(t)
	badCheck := respondentBIN[:11] + strconv.Itoa((int(respondentBIN[11]-'0')+1)%10)
	if !errors.Is(ident.ValidateBIN(badCheck), ident.ErrCheckDigit) {
		t.Fatalf("fixture %s should fail only its check digit", badCheck)
	}
	unknownBIN := ""
	for i := 0; i < 1000 && unknownBIN == ""; i++ {
		b, ok := ident.Complete(fmt.Sprintf("990540%05d", i))
		if !ok {
			continue
		}
		if _, err := env.DB.Body(context.Background(), b); errors.Is(err, storage.ErrNotFound) {
			unknownBIN = b
		}
	}
	if unknownBIN == "" || ident.ValidateBIN(unknownBIN) != nil {
		t.Fatal("no valid BIN outside the registry found")
	}

	tests := []struct {
		name, body, field, message string
	}{
		{"unknown field", `{"subject": "x", "colour": "red"}`, "colour", "This field is not part of a claim."},
		{"impossible date", `{"contested_act": {"issued_on": "2026-02-30"}}`, "contested_act.issued_on", "Enter a real date as YYYY-MM-DD."},
		{"date in another format", `{"pretrial": {"complaint_filed_on": "15.03.2025"}}`, "pretrial.complaint_filed_on", "Enter a real date as YYYY-MM-DD."},
		{"wrong type", `{"hear_at_residence": "yes"}`, "hear_at_residence", "This value has the wrong type."},
		{"wrong type inside an object", `{"claimant": {"phone": 87011234567}}`, "claimant.phone", "This value has the wrong type."},
		{"unknown category", `{"category": "criminal"}`, "category", "Choose housing, tax or land."},
		{"unknown kind", `{"kind": "appeal"}`, "kind", "Choose one of the four kinds of claim."},
		{"BIN with a bad check digit", `{"respondent_bin": "` + badCheck + `"}`, "respondent_bin", "A BIN is 12 digits with a valid check digit."},
		{"valid BIN not in the registry", `{"respondent_bin": "` + unknownBIN + `"}`, "respondent_bin", "No public body with this BIN is in the registry."},
		{"bad KATO", `{"claimant": {"residence_kato": "71-12"}}`, "claimant.residence_kato", "Choose a place from the list."},
		{"bad email", `{"claimant": {"email": "asqar at example.kz"}}`, "claimant.email", "Enter an e-mail address such as name@example.kz."},
		{"unknown duty exemption", `{"duty_exemption": "rich"}`, "duty_exemption", "Choose one of the options."},
	}
	draft := a.newDraft(map[string]any{"subject": "kept as it is"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := a.in(t)
			resp, body := a.json(http.MethodPost, "/api/v1/claims", tt.body)
			e := wantError(t, resp, body, 422, "invalid", tt.field)
			if e.Fields[tt.field] != tt.message {
				t.Errorf("POST: fields[%s] = %q, want %q", tt.field, e.Fields[tt.field], tt.message)
			}
			resp, body = a.json(http.MethodPatch, "/api/v1/claims/"+draft.ID, tt.body)
			wantError(t, resp, body, 422, "invalid", tt.field)
		})
	}
	// Several problems at once are all reported.
	resp, body := a.json(http.MethodPost, "/api/v1/claims", `{"category": "x", "kind": "y", "claimant": {"email": "z"}}`)
	wantError(t, resp, body, 422, "invalid", "category", "kind", "claimant.email")
	// Messages follow the caller's language.
	resp, body = a.json(http.MethodPost, "/api/v1/claims", `{"category": "x"}`, "Accept-Language", "ru")
	if e := wantError(t, resp, body, 422, "invalid", "category"); e.Fields["category"] == "Choose housing, tax or land." {
		t.Errorf("Russian caller got the English message")
	}

	for _, bad := range []string{`{"category": "tax"`, `not json`, `[1, 2]`, `{"subject": "a"} {"subject": "b"}`, ``} {
		resp, body := a.json(http.MethodPost, "/api/v1/claims", bad)
		wantError(t, resp, body, 400, "malformed_json")
		resp, body = a.json(http.MethodPatch, "/api/v1/claims/"+draft.ID, bad)
		wantError(t, resp, body, 400, "malformed_json")
	}

	big := []byte(`{"grounds": "` + strings.Repeat("a", 1<<20) + `"}`)
	resp, body = a.raw(http.MethodPost, "/api/v1/claims", "application/json", big, false)
	if e := wantError(t, resp, body, 413, "too_large"); !strings.Contains(e.Message, "1 MiB") {
		t.Errorf("413 message %q does not name the 1 MiB limit", e.Message)
	}
	closes(t, resp)
	resp, body = a.raw(http.MethodPatch, "/api/v1/claims/"+draft.ID, "application/json", big, false)
	wantError(t, resp, body, 413, "too_large")
	closes(t, resp)
	// With no Content-Length the limit holds too.
	resp, body = a.raw(http.MethodPost, "/api/v1/claims", "application/json", big, true)
	wantError(t, resp, body, 413, "too_large")
	closes(t, resp)
	// Just under the limit is read.
	resp, body = a.json(http.MethodPatch, "/api/v1/claims/"+draft.ID, `{"grounds": "`+strings.Repeat("a", 1<<20-100)+`"}`)
	wantError(t, resp, body, 422, "invalid", "grounds")

	// None of the refused changes reached the draft.
	if got := a.getClaim(draft.ID); got.Subject != "kept as it is" || got.Category != "" || got.Grounds != "" || got.Claimant.Email != "" {
		t.Fatalf("refused patches changed the draft: %+v", got)
	}
}

// ---- Documents ---------------------------------------------------------------------------------

func TestDocumentUploadTypesKindsAndDownload(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)
	cl := a.newDraft(map[string]any{"subject": "documents"})

	tests := []struct {
		name     string
		parts    []filePart
		data     []byte
		wantType string
		wantKind string
	}{
		{"PDF, default kind", []filePart{file("act.pdf", pdfFile)}, pdfFile, "application/pdf", "evidence"},
		{"JPEG, kind before the file", []filePart{kindField("duty_payment"), file("receipt.jpg", jpegFile)}, jpegFile, "image/jpeg", "duty_payment"},
		{"PNG, kind after the file", []filePart{file("scan.png", pngFile), kindField("contested_act")}, pngFile, "image/png", "contested_act"},
		{"PDF named .jpg", []filePart{file("photo.jpg", pdfFile), kindField("power_of_attorney")}, pdfFile, "application/pdf", "power_of_attorney"},
	}
	var stored []docOut
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := a.in(t)
			d := a.doc(a.upload(cl.ID, tt.parts...))
			if d.SHA256 != sha256Hex(tt.data) || d.Size != int64(len(tt.data)) || d.ContentType != tt.wantType || d.Kind != tt.wantKind {
				t.Fatalf("stored %+v, want sha256 %s size %d type %s kind %s", d, sha256Hex(tt.data), len(tt.data), tt.wantType, tt.wantKind)
			}
			stored = append(stored, d)

			resp, body := a.do(http.MethodGet, "/api/v1/claims/"+cl.ID+"/documents/"+d.ID, nil)
			if resp.StatusCode != 200 || !bytes.Equal(body, tt.data) {
				t.Fatalf("download = %d, %d bytes, want the %d bytes uploaded", resp.StatusCode, len(body), len(tt.data))
			}
			if ct := resp.Header.Get("Content-Type"); ct != tt.wantType {
				t.Errorf("download Content-Type %q, want %q", ct, tt.wantType)
			}
			if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="`+d.Name+`"`) {
				t.Errorf("Content-Disposition %q, want an attachment named %q", cd, d.Name)
			}
			if resp.Header.Get("X-Content-SHA256") != d.SHA256 {
				t.Errorf("X-Content-SHA256 %q", resp.Header.Get("X-Content-SHA256"))
			}
		})
	}
	got := a.getClaim(cl.ID)
	if len(got.Documents) != len(stored) {
		t.Fatalf("claim lists %d documents, want %d", len(got.Documents), len(stored))
	}
	if got.StateDuty.Status != "paid" {
		t.Errorf("state duty with a duty_payment document = %+v, want paid", got.StateDuty)
	}

	refusals := []struct {
		name         string
		parts        []filePart
		status       int
		code         string
		fields       []string
		messageNames string
	}{
		{"unknown kind", []filePart{kindField("selfie"), file("a.pdf", pdfFile)}, 422, "invalid", []string{"kind"}, ""},
		{"ZIP renamed .pdf", []filePart{{field: "file", name: "contract.pdf", contentType: "application/pdf", data: zipFile}}, 415, "unsupported_type", nil, "PDF"},
		{"HTML", []filePart{{field: "file", name: "page.pdf", contentType: "application/pdf", data: htmlFile}}, 415, "unsupported_type", nil, "PDF"},
		{"encrypted PDF", []filePart{file("locked.pdf", encryptedPDF)}, 422, "encrypted_pdf", nil, "password"},
		{"empty file", []filePart{file("empty.pdf", nil)}, 422, "empty", nil, "empty"},
		{"no file", []filePart{kindField("evidence")}, 422, "invalid", []string{"file"}, ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			a := a.in(t)
			resp, body := a.upload(cl.ID, tt.parts...)
			e := wantError(t, resp, body, tt.status, tt.code, tt.fields...)
			if tt.messageNames != "" && !strings.Contains(e.Message, tt.messageNames) {
				t.Errorf("message %q does not say why (%q)", e.Message, tt.messageNames)
			}
		})
	}
	for _, ct := range []string{"application/json", "application/pdf", "multipart/form-data"} {
		resp, body := a.do(http.MethodPost, "/api/v1/claims/"+cl.ID+"/documents", bytes.NewReader(pdfFile), "Content-Type", ct)
		wantError(t, resp, body, 415, "multipart_required")
	}
	// Nothing refused was stored, in the claim or in the bucket.
	if got := a.getClaim(cl.ID); len(got.Documents) != len(stored) {
		t.Fatalf("refused uploads added documents: %d, want %d", len(got.Documents), len(stored))
	}
	if n := objectVersions(t, cl.ID); n != len(stored) {
		t.Fatalf("bucket holds %d objects for the claim, want %d", n, len(stored))
	}

	resp, body := a.do(http.MethodGet, "/api/v1/claims/"+cl.ID+"/documents/00000000-0000-0000-0000-000000000000", nil)
	wantError(t, resp, body, 404, "not_found")
}

func TestUploadedFileNamesAreCleaned(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)
	cl := a.newDraft(map[string]any{"subject": "names"})
	tests := []struct {
		name string
		part filePart
		want string
	}{
		{"unix path with control and bidi characters",
			filePart{field: "file", data: pdfFile, disposition: `form-data; name="file"; filename*=UTF-8''..%2F..%2Fetc%2F%07evil%0D%0Aname%E2%80%AEfdp.pdf`},
			"evil namefdp.pdf"},
		{"windows path", filePart{field: "file", name: `C:\Users\asqar\Documents\Шағым.pdf`, data: pdfFile}, "Шағым.pdf"},
		{"quotes and semicolons stay only for display", filePart{field: "file", name: `a"; filename="b.exe.pdf`, data: pdfFile}, `a"; filename="b.exe.pdf`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := a.in(t)
			d := a.doc(a.upload(cl.ID, tt.part))
			if d.Name != tt.want {
				t.Fatalf("name %q, want %q", d.Name, tt.want)
			}
			resp, body := a.do(http.MethodGet, "/api/v1/claims/"+cl.ID+"/documents/"+d.ID, nil)
			if resp.StatusCode != 200 || !bytes.Equal(body, pdfFile) {
				t.Fatalf("download = %d", resp.StatusCode)
			}
			cd := resp.Header.Get("Content-Disposition")
			ascii, rest, ok := strings.Cut(strings.TrimPrefix(cd, `attachment; filename="`), `"; filename*=UTF-8''`)
			if !strings.HasPrefix(cd, `attachment; filename="`) || !ok {
				t.Fatalf("Content-Disposition %q is not an attachment with both names", cd)
			}
			if strings.ContainsAny(ascii, "\"\\;/\r\n\x00\x07") {
				t.Errorf("ASCII file name %q keeps unsafe characters", ascii)
			}
			if name, err := url.PathUnescape(rest); err != nil || name != tt.want {
				t.Errorf("filename* %q decodes to %q, want %q", rest, name, tt.want)
			}
			for _, r := range cd {
				if r < 0x20 || r > 0x7e {
					t.Fatalf("Content-Disposition %q is not plain ASCII", cd)
				}
			}
		})
	}
}

func TestDocumentSizeLimits(t *testing.T) {
	d := deps(t)
	d.Config.DocumentMax, d.Config.ClaimDocsMax = 1<<20, 2<<20
	p := startPortal(t, d, func(base string) string { return startSimulator(t, base) })
	a := asPerson(t, p, citizen(t, 0).IIN)
	cl := a.newDraft(map[string]any{"subject": "limits"})

	// Content-Length already over the limit: refused before the body is read.
	resp, body := a.rawUpload(cl.ID, false, file("big.pdf", pdfOfSize(1<<20+100<<10)))
	if e := wantError(t, resp, body, 413, "too_large"); !strings.Contains(e.Message, "1 MiB") {
		t.Errorf("413 message %q does not name the 1 MiB limit", e.Message)
	}
	closes(t, resp)
	// No Content-Length: refused as soon as the stream passes the limit.
	resp, body = a.rawUpload(cl.ID, true, file("big.pdf", pdfOfSize(1<<20+1)))
	if e := wantError(t, resp, body, 413, "too_large"); !strings.Contains(e.Message, "1 MiB") {
		t.Errorf("413 message %q does not name the 1 MiB limit", e.Message)
	}
	closes(t, resp)
	resp, body = a.rawUpload(cl.ID, true, file("bigger.pdf", pdfOfSize(3<<20)))
	wantError(t, resp, body, 413, "too_large")
	// Exactly at the limit is fine.
	exact := pdfOfSize(1 << 20)
	if doc := a.doc(a.uploadChunked(cl.ID, file("exact.pdf", exact))); doc.Size != 1<<20 || doc.SHA256 != sha256Hex(exact) {
		t.Fatalf("upload at the limit = %+v", doc)
	}
	a.doc(a.upload(cl.ID, file("second.pdf", pdfOfSize(900<<10))))
	// The claim now holds 1.88 MiB of 2 MiB: another 900 KiB is over the claim's total.
	resp, body = a.rawUpload(cl.ID, false, file("third.pdf", pdfOfSize(900<<10)))
	if e := wantError(t, resp, body, 413, "too_large"); !strings.Contains(e.Message, "2 MiB") {
		t.Errorf("413 message %q does not name the 2 MiB limit", e.Message)
	}
	closes(t, resp)
	resp, body = a.rawUpload(cl.ID, true, file("third.pdf", pdfOfSize(900<<10)))
	wantError(t, resp, body, 413, "too_large")
	closes(t, resp)
	if got := a.getClaim(cl.ID); len(got.Documents) != 2 {
		t.Fatalf("documents after refusals = %d, want 2", len(got.Documents))
	}
	if n := objectVersions(t, cl.ID); n != 2 {
		t.Fatalf("bucket holds %d objects for the claim, want 2", n)
	}
}

// TestHugeContentLengthIsRefusedBeforeTheBodyIsRead sends the headers of a 10 GiB upload and the
// first 64 KiB of it, then waits: the answer must come at once, not after the server waited for the
// rest. (64 KiB rather than a few bytes: fasthttp reads up to 8 KiB of any body before it calls a
// handler, so with less it would wait for those bytes whatever the handler does.)
func TestHugeContentLengthIsRefusedBeforeTheBodyIsRead(t *testing.T) {
	d := deps(t)
	d.Config.DocumentMax, d.Config.ClaimDocsMax = 1<<20, 2<<20
	p := startPortal(t, d, func(base string) string { return startSimulator(t, base) })
	who := citizen(t, 0)
	c := signIn(t, p, who.IIN)
	_, m := me(t, c, p)
	a := &apiClient{t: t, base: p.URL, hc: c, csrf: m.CSRF}
	cl := a.newDraft(map[string]any{"subject": "huge"})

	u, _ := url.Parse(p.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_ = conn.SetDeadline(start.Add(5 * time.Second))
	fmt.Fprintf(conn, "POST /api/v1/claims/%s/documents HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\nAccept-Language: en\r\n"+
		"Cookie: talap_session=%s\r\nX-CSRF-Token: %s\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: %d\r\n\r\n"+
		"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.pdf\"\r\n\r\n%s",
		cl.ID, u.Host, sessionCookie(c, p), m.CSRF, int64(10)<<30, pdfOfSize(64<<10))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer within %v: %v", time.Since(start), err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("answer took %v", elapsed)
	}
	resp.Request, _ = http.NewRequest(http.MethodPost, p.URL+"/api/v1/claims/"+cl.ID+"/documents", nil)
	if e := wantError(t, resp, body, 413, "too_large"); !strings.Contains(e.Message, "1 MiB") {
		t.Errorf("413 message %q does not name the 1 MiB limit", e.Message)
	}
}

// TestChunkedJSONOverTheLimitIsRefusedWithoutReadingItAll sends 1 MiB and a bit of a chunked JSON
// body that never ends: the server must answer once the limit is passed, not wait for the end.
func TestChunkedJSONOverTheLimitIsRefusedWithoutReadingItAll(t *testing.T) {
	p := withSimulator(t)
	c := signIn(t, p, citizen(t, 0).IIN)
	_, m := me(t, c, p)
	u, _ := url.Parse(p.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_ = conn.SetDeadline(start.Add(5 * time.Second))
	chunk := `{"grounds": "` + strings.Repeat("a", 1<<20)
	fmt.Fprintf(conn, "POST /api/v1/claims HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\nCookie: talap_session=%s\r\n"+
		"X-CSRF-Token: %s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n",
		u.Host, sessionCookie(c, p), m.CSRF, len(chunk), chunk)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer within %v: %v", time.Since(start), err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Request, _ = http.NewRequest(http.MethodPost, p.URL+"/api/v1/claims", nil)
	wantError(t, resp, body, 413, "too_large")
	if !resp.Close {
		t.Errorf("the connection stays open with the rest of the body unread")
	}
}

// ---- Submit --------------------------------------------------------------------------------------

var numberRe = regexp.MustCompile(`^TLP-(\d{4})-\d{6}$`)

func almatyYear() string {
	loc, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		loc = time.FixedZone("Asia/Almaty", 5*3600)
	}
	return strconv.Itoa(time.Now().In(loc).Year())
}

func TestSubmitIncompleteListsEveryMissingItem(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)

	empty := a.newDraft(map[string]any{})
	resp, body := a.json(http.MethodPost, "/api/v1/claims/"+empty.ID+"/submit", nil)
	wantError(t, resp, body, 422, "incomplete", "category", "kind", "respondent_bin", "subject", "grounds", "demands",
		"pretrial", "claimant.residence_kato", "claimant.phone", "documents", "state_duty")

	// A challenge needs the contested act too.
	challenge := a.newDraft(map[string]any{"kind": "challenge", "category": "land", "pretrial": map[string]any{"exempt_reason": "law_exempts"}})
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+challenge.ID+"/submit", nil)
	wantError(t, resp, body, 422, "incomplete", "respondent_bin", "subject", "grounds", "demands",
		"contested_act.number", "contested_act.issued_on", "contested_act.received_on",
		"claimant.residence_kato", "claimant.phone", "documents", "state_duty")

	// Everything answered but no document and no duty: exactly those two.
	answers := completeClaim()
	delete(answers, "duty_exemption")
	nodocs := a.newDraft(answers)
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+nodocs.ID+"/submit", nil)
	wantError(t, resp, body, 422, "incomplete", "documents", "state_duty")
	// A duty_payment document answers both.
	a.doc(a.upload(nodocs.ID, kindField("duty_payment"), file("paid.jpg", jpegFile)))
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+nodocs.ID+"/submit", nil)
	if got := decodeClaim(t, resp, body, 200); got.Status != "submitted" || got.StateDuty.Status != "paid" {
		t.Fatalf("submitted with a duty payment = %s, duty %+v", got.Status, got.StateDuty)
	}
	for _, id := range []string{empty.ID, challenge.ID} {
		if got := a.getClaim(id); got.Status != "draft" || got.Number != "" {
			t.Fatalf("incomplete claim changed: %s %q", got.Status, got.Number)
		}
	}
}

func countRows(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := testenv.Get(t).DB.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSubmitGivesANumberOnceAndHonoursIdempotencyKey(t *testing.T) {
	p := withSimulator(t)
	who := citizen(t, 0)
	a := asPerson(t, p, who.IIN)
	cl := a.newDraft(completeClaim())
	d := a.doc(a.upload(cl.ID, file("notice.pdf", pdfFile), kindField("contested_act")))
	key := "submit-" + cl.ID

	resp1, body1 := a.json(http.MethodPost, "/api/v1/claims/"+cl.ID+"/submit", nil, "Idempotency-Key", key)
	filed := decodeClaim(t, resp1, body1, 200)
	m := numberRe.FindStringSubmatch(filed.Number)
	if m == nil || m[1] != almatyYear() {
		t.Fatalf("number %q, want TLP-%s-NNNNNN", filed.Number, almatyYear())
	}
	if filed.Status != "submitted" || filed.SubmittedAt == nil || len(filed.Documents) != 1 || filed.Documents[0].SHA256 != d.SHA256 {
		t.Fatalf("filed claim = %+v", filed)
	}
	if filed.Missing != nil {
		t.Errorf("a filed claim still lists missing items: %v", filed.Missing)
	}
	if resp1.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("first answer marked as replayed")
	}

	resp2, body2 := a.json(http.MethodPost, "/api/v1/claims/"+cl.ID+"/submit", nil, "Idempotency-Key", key)
	if resp2.StatusCode != 200 || !bytes.Equal(body1, body2) {
		t.Fatalf("replay = %d, body differs:\n%s\n%s", resp2.StatusCode, body1, body2)
	}
	if resp2.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay lacks Idempotent-Replayed: true")
	}
	if got := a.getClaim(cl.ID); got.Number != filed.Number || got.events("claim.submitted") != 1 {
		t.Fatalf("after replay: number %q, %d submit events", got.Number, got.events("claim.submitted"))
	}
	if n := countRows(t, `SELECT count(*) FROM outbox WHERE task_type = $1 AND payload->>'claim_id' = $2`, task.ValidateClaim, cl.ID); n != 1 {
		t.Errorf("outbox rows = %d, want 1", n)
	}
	if n := countRows(t, `SELECT count(*) FROM receipts WHERE number = $1`, filed.Number); n != 1 {
		t.Errorf("receipts = %d, want 1", n)
	}

	// The same key for another claim is a different request.
	other := a.newDraft(completeClaim())
	a.doc(a.upload(other.ID, file("a.pdf", pdfFile)))
	resp, body := a.json(http.MethodPost, "/api/v1/claims/"+other.ID+"/submit", nil, "Idempotency-Key", key)
	wantError(t, resp, body, 422, "idempotency_mismatch")
	if got := a.getClaim(other.ID); got.Status != "draft" {
		t.Fatalf("other claim = %s after a mismatched key", got.Status)
	}
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+other.ID+"/submit", nil, "Idempotency-Key", strings.Repeat("k", 201))
	wantError(t, resp, body, 422, "invalid")

	// Without a key, a second submit is a conflict and changes nothing.
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+cl.ID+"/submit", nil)
	wantError(t, resp, body, 409, "conflict")
	// A fresh key on a filed claim: also a conflict, and that answer is what the key replays.
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+cl.ID+"/submit", nil, "Idempotency-Key", key+"-2")
	wantError(t, resp, body, 409, "conflict")
	resp, body2 = a.json(http.MethodPost, "/api/v1/claims/"+cl.ID+"/submit", nil, "Idempotency-Key", key+"-2")
	if resp.StatusCode != 409 || !bytes.Equal(body, body2) {
		t.Errorf("replayed conflict = %d %s, want the same 409", resp.StatusCode, body2)
	}
	if got := a.getClaim(cl.ID); got.Number != filed.Number || got.events("claim.submitted") != 1 {
		t.Fatalf("after a second submit: number %q, %d submit events", got.Number, got.events("claim.submitted"))
	}

	// Another person cannot replay this person's key.
	b := asPerson(t, p, citizen(t, 1).IIN)
	resp, body = b.json(http.MethodPost, "/api/v1/claims/"+cl.ID+"/submit", nil, "Idempotency-Key", key)
	wantError(t, resp, body, 404, "not_found")
}

func TestDoubleClickedSubmitFilesOnce(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)
	for _, withKey := range []bool{false, true} {
		t.Run(fmt.Sprintf("idempotency key %v", withKey), func(t *testing.T) {
			a := a.in(t)
			cl := a.newDraft(completeClaim())
			a.doc(a.upload(cl.ID, file("a.pdf", pdfFile)))
			header := []string{}
			if withKey {
				header = []string{"Idempotency-Key", "dbl-" + cl.ID}
			}
			// More clicks than the database pool has connections, so that a transaction needing a
			// second connection while the others wait for its lock would stall the portal.
			const clicks = 8
			type answer struct {
				status int
				body   []byte
			}
			answers := make([]answer, clicks)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range clicks {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					// Not a.json: t.Fatal must not be called from another goroutine.
					req, _ := http.NewRequest(http.MethodPost, p.URL+"/api/v1/claims/"+cl.ID+"/submit", nil)
					req.Header.Set("X-CSRF-Token", a.csrf)
					req.Header.Set("Accept", "application/json")
					for j := 0; j+1 < len(header); j += 2 {
						req.Header.Set(header[j], header[j+1])
					}
					resp, err := a.hc.Do(req)
					if err != nil {
						answers[i] = answer{status: -1, body: []byte(err.Error())}
						return
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					answers[i] = answer{resp.StatusCode, b}
				}()
			}
			close(start)
			wg.Wait()
			var numbers []string
			for _, ans := range answers {
				switch ans.status {
				case 200:
					var c claimOut
					_ = json.Unmarshal(ans.body, &c)
					numbers = append(numbers, c.Number)
				case 409:
					var e struct{ Error apiError }
					_ = json.Unmarshal(ans.body, &e)
					want := "conflict"
					if withKey {
						want = "in_progress"
					}
					if e.Error.Code != want {
						t.Errorf("409 code %q, want %q", e.Error.Code, want)
					}
				default:
					t.Errorf("click answered %d: %s", ans.status, ans.body)
				}
			}
			if !withKey && len(numbers) != 1 {
				t.Fatalf("%d clicks without a key: %d filed, want exactly 1: %+v", clicks, len(numbers), answers)
			}
			if withKey && len(numbers) < 1 {
				t.Fatalf("%d clicks with one key: none filed: %+v", clicks, answers)
			}
			for _, n := range numbers {
				if n != numbers[0] || !numberRe.MatchString(n) {
					t.Fatalf("numbers %v, want one", numbers)
				}
			}
			got := a.getClaim(cl.ID)
			if got.Number != numbers[0] || got.events("claim.submitted") != 1 {
				t.Fatalf("claim %q with %d submit events after %d clicks", got.Number, got.events("claim.submitted"), clicks)
			}
			if n := countRows(t, `SELECT count(*) FROM outbox WHERE task_type = $1 AND payload->>'claim_id' = $2`, task.ValidateClaim, cl.ID); n != 1 {
				t.Fatalf("outbox rows = %d, want 1", n)
			}
		})
	}
}

// TestConcurrentChangesToOneClaimAllAnswer saves one draft from many requests at once, as a form
// autosaving in several tabs would: each waits for the claim's lock and all of them answer.
func TestConcurrentChangesToOneClaimAllAnswer(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)
	cl := a.newDraft(completeClaim())
	const saves = 8
	statuses := make([]int, saves)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range saves {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			body := fmt.Sprintf(`{"subject": "save %d", "respondent_bin": %q}`, i, respondentBIN)
			req, _ := http.NewRequest(http.MethodPatch, p.URL+"/api/v1/claims/"+cl.ID, strings.NewReader(body))
			req.Header.Set("X-CSRF-Token", a.csrf)
			req.Header.Set("Content-Type", "application/json")
			resp, err := a.hc.Do(req)
			if err != nil {
				statuses[i] = -1
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	for i, st := range statuses {
		if st != 200 {
			t.Errorf("save %d answered %d", i, st)
		}
	}
	if got := a.getClaim(cl.ID); !strings.HasPrefix(got.Subject, "save ") {
		t.Fatalf("subject after the saves = %q", got.Subject)
	}
}

// ---- Receipt and verification -------------------------------------------------------------------

func TestReceiptPDFAndPublicVerification(t *testing.T) {
	p := withSimulator(t)
	who := citizen(t, 0)
	a := asPerson(t, p, who.IIN)

	draft := a.newDraft(map[string]any{"subject": "not yet"})
	resp, body := a.do(http.MethodGet, "/api/v1/claims/"+draft.ID+"/receipt.pdf", nil)
	wantError(t, resp, body, 409, "not_filed")

	filed, doc := a.filedClaim()
	resp, body = a.do(http.MethodGet, "/api/v1/claims/"+filed.ID+"/receipt.pdf", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF")) {
		t.Fatalf("receipt = %d %q %.20q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, filed.Number) {
		t.Errorf("receipt Content-Disposition %q lacks the number", cd)
	}

	// Anyone may verify, without signing in: JSON for programs...
	anon := asAnonymous(t, p)
	resp, body = anon.do(http.MethodGet, verifyPath(t, filed), nil)
	var v struct {
		Number    string          `json:"number"`
		Valid     bool            `json:"valid"`
		Statement json.RawMessage `json:"statement"`
		Signature string          `json:"signature"`
		PublicKey string          `json:"public_key"`
	}
	if err := json.Unmarshal(body, &v); err != nil || resp.StatusCode != 200 {
		t.Fatalf("verify = %d %v: %s", resp.StatusCode, err, body)
	}
	if !v.Valid || v.Number != filed.Number || v.Signature == "" || v.PublicKey == "" {
		t.Fatalf("verify = %+v", v)
	}
	if !strings.Contains(string(v.Statement), doc.SHA256) {
		t.Errorf("statement lacks the document hash: %s", v.Statement)
	}
	for _, personal := range []string{who.IIN, who.Name, "asqar@example.kz", "701 123 45 67", doc.Name} {
		if strings.Contains(string(body), personal) {
			t.Errorf("verification shows personal data %q: %s", personal, body)
		}
	}
	// ...and a page for people.
	resp, body = anon.do(http.MethodGet, verifyPath(t, filed), nil, "Accept", "text/html")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(body), filed.Number) || !strings.Contains(string(body), doc.SHA256) {
		t.Fatalf("verify page = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if strings.Contains(string(body), who.IIN) || strings.Contains(string(body), who.Name) {
		t.Errorf("verify page shows the claimant")
	}
	// Claim numbers are sequential: they do not lead to a receipt's page (only the links printed
	// before verification tokens did, and those keep working).
	resp, body = anon.do(http.MethodGet, "/verify/"+filed.Number, nil)
	wantError(t, resp, body, 404, "not_found")
	resp, body = anon.do(http.MethodGet, "/verify/TLP-1999-999999", nil)
	wantError(t, resp, body, 404, "not_found")
}

// ---- Withdrawal and resubmission -----------------------------------------------------------------

func TestWithdrawAfterSubmitButNotADraft(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)
	draft := a.newDraft(completeClaim())
	resp, body := a.json(http.MethodPost, "/api/v1/claims/"+draft.ID+"/withdraw", nil)
	wantError(t, resp, body, 409, "conflict")

	filed, _ := a.filedClaim()
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+filed.ID+"/withdraw", nil)
	w := decodeClaim(t, resp, body, 200)
	if w.Status != "withdrawn" || w.Number != filed.Number || w.events("claim.withdrawn") != 1 || w.NextStep == "" {
		t.Fatalf("withdrawn = %s %q, %d withdraw events", w.Status, w.Number, w.events("claim.withdrawn"))
	}
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+filed.ID+"/withdraw", nil)
	wantError(t, resp, body, 409, "conflict")
	resp, body = a.json(http.MethodPatch, "/api/v1/claims/"+filed.ID, `{"subject": "changed"}`)
	wantError(t, resp, body, 409, "conflict")
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+filed.ID+"/submit", nil)
	wantError(t, resp, body, 409, "conflict")
	resp, body = a.upload(filed.ID, file("late.pdf", pdfFile))
	wantError(t, resp, body, 409, "conflict")

	// A registered claim can no longer be withdrawn through the portal.
	registered, _ := a.filedClaim()
	if _, err := testenv.Get(t).DB.Pool.Exec(context.Background(), `UPDATE claims SET status = 'registered' WHERE id = $1`, registered.ID); err != nil {
		t.Fatal(err)
	}
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+registered.ID+"/withdraw", nil)
	wantError(t, resp, body, 409, "conflict")
}

func TestResubmissionAfterCorrectionKeepsTheNumber(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)
	filed, _ := a.filedClaim()

	// A submitted claim cannot be edited until it is sent back.
	resp, body := a.json(http.MethodPatch, "/api/v1/claims/"+filed.ID, `{"subject": "corrected"}`)
	wantError(t, resp, body, 409, "conflict")

	if _, err := testenv.Get(t).DB.Pool.Exec(context.Background(), `UPDATE claims SET status = 'needs_correction' WHERE id = $1`, filed.ID); err != nil {
		t.Fatal(err)
	}
	resp, body = a.json(http.MethodPatch, "/api/v1/claims/"+filed.ID, `{"subject": "corrected"}`)
	corrected := decodeClaim(t, resp, body, 200)
	if corrected.Status != "needs_correction" || corrected.Subject != "corrected" || corrected.events("claim.corrected") != 1 {
		t.Fatalf("corrected = %s %q, %d correction events", corrected.Status, corrected.Subject, corrected.events("claim.corrected"))
	}
	more := a.doc(a.upload(filed.ID, file("more.pdf", pdfOfSize(500))))

	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+filed.ID+"/submit", nil, "Idempotency-Key", "resubmit-"+filed.ID)
	again := decodeClaim(t, resp, body, 200)
	if again.Number != filed.Number || again.Status != "submitted" {
		t.Fatalf("resubmitted as %q %s, want the same number %q", again.Number, again.Status, filed.Number)
	}
	if again.events("claim.submitted") != 1 || again.events("claim.resubmitted") != 1 {
		t.Fatalf("timeline has %d submitted and %d resubmitted events, want 1 and 1: %+v",
			again.events("claim.submitted"), again.events("claim.resubmitted"), again.Timeline)
	}
	if len(again.Documents) != 2 {
		t.Fatalf("documents after resubmission = %d, want 2", len(again.Documents))
	}
	// The latest receipt covers the new document too.
	resp, body = asAnonymous(t, p).do(http.MethodGet, verifyPath(t, a.getClaim(filed.ID)), nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), more.SHA256) || !strings.Contains(string(body), `"valid":true`) {
		t.Fatalf("verify after resubmission = %d %s", resp.StatusCode, body)
	}
}

// ---- Authorization ---------------------------------------------------------------------------------

// claimCalls are every claim endpoint, with what to send.
type claimCall struct {
	method, path string
	body         func(t *testing.T) (string, []byte) // content type and body, nil for none
}

func claimCalls(claimID, docID string) []claimCall {
	jsonBody := func(s string) func(*testing.T) (string, []byte) {
		return func(*testing.T) (string, []byte) { return "application/json", []byte(s) }
	}
	c := "/api/v1/claims/" + claimID
	return []claimCall{
		{http.MethodGet, "/api/v1/claims", nil},
		{http.MethodPost, "/api/v1/claims", jsonBody(`{"subject": "x"}`)},
		{http.MethodGet, c, nil},
		{http.MethodPatch, c, jsonBody(`{"subject": "taken over"}`)},
		{http.MethodDelete, c, nil},
		{http.MethodPost, c + "/documents", func(t *testing.T) (string, []byte) { return multipartBody(t, file("x.pdf", pdfFile)) }},
		{http.MethodGet, c + "/documents/" + docID, nil},
		{http.MethodDelete, c + "/documents/" + docID, nil},
		{http.MethodPost, c + "/submit", nil},
		{http.MethodPost, c + "/withdraw", nil},
		{http.MethodGet, c + "/receipt.pdf", nil},
	}
}

func (a *apiClient) call(cc claimCall) (*http.Response, []byte) {
	a.t.Helper()
	if cc.body == nil {
		return a.do(cc.method, cc.path, nil)
	}
	ct, b := cc.body(a.t)
	return a.do(cc.method, cc.path, bytes.NewReader(b), "Content-Type", ct)
}

func TestOnlyTheClaimantSeesADraft(t *testing.T) {
	p := withSimulator(t)
	owner := asPerson(t, p, citizen(t, 0).IIN)
	draft := owner.newDraft(completeClaim())
	doc := owner.doc(owner.upload(draft.ID, file("mine.pdf", pdfFile)))

	outsiders := map[string]seed.Persona{
		"another citizen":           citizen(t, 1),
		"officer of the respondent": officerOf(t, respondentBIN),
		"clerk":                     clerkOf(t, "smas-astana"),
		"clerk of another court":    clerkNotOf(t, "smas-astana"),
		"officer of another body":   officerNotOf(t, respondentBIN),
		"administrator":             pick(t, "admin", 0, func(seed.Persona) bool { return true }),
	}
	for name, who := range outsiders {
		t.Run(name, func(t *testing.T) {
			x := asPerson(t, p, who.IIN)
			for _, cc := range claimCalls(draft.ID, doc.ID) {
				if cc.path == "/api/v1/claims" {
					continue // their own list and drafts
				}
				resp, body := x.call(cc)
				wantError(t, resp, body, 404, "not_found")
			}
		})
	}
	got := owner.getClaim(draft.ID)
	if got.Status != "draft" || got.Subject != "Annul the tax notice" || len(got.Documents) != 1 {
		t.Fatalf("outsiders changed the draft: %s %q %d documents", got.Status, got.Subject, len(got.Documents))
	}
	// Nor does the draft appear in their lists.
	resp, body := asPerson(t, p, officerOf(t, respondentBIN).IIN).do(http.MethodGet, "/api/v1/claims", nil)
	if resp.StatusCode != 200 || strings.Contains(string(body), draft.ID) {
		t.Fatalf("officer's list = %d and shows the draft", resp.StatusCode)
	}
}

func TestAnonymousCallersGet401(t *testing.T) {
	p := withSimulator(t)
	owner := asPerson(t, p, citizen(t, 0).IIN)
	filed, doc := owner.filedClaim()
	for _, anon := range []*apiClient{asAnonymous(t, p), asToken(t, p, "tlp_not-a-token")} {
		for _, cc := range claimCalls(filed.ID, doc.ID) {
			resp, body := anon.call(cc)
			wantError(t, resp, body, 401, "unauthorized")
		}
	}
	// Also for claims that do not exist: no hint about what exists.
	for _, cc := range claimCalls("00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000") {
		resp, body := asAnonymous(t, p).call(cc)
		wantError(t, resp, body, 401, "unauthorized")
	}
}

func createToken(t *testing.T, p portal, officer seed.Persona) string {
	t.Helper()
	a := asPerson(t, p, officer.IIN)
	resp, body := a.do(http.MethodPost, "/account/tokens", strings.NewReader("name=ERP"), "Content-Type", "application/x-www-form-urlencoded")
	var created struct {
		Token   string `json:"token"`
		BodyBIN string `json:"body_bin"`
	}
	if err := json.Unmarshal(body, &created); err != nil || resp.StatusCode != 201 || created.Token == "" || created.BodyBIN != officer.BodyBIN {
		t.Fatalf("create token = %d %s", resp.StatusCode, body)
	}
	return created.Token
}

func TestAPITokensCannotActAsAClaimant(t *testing.T) {
	p := withSimulator(t)
	tok := asToken(t, p, createToken(t, p, officerOf(t, respondentBIN)))
	owner := asPerson(t, p, citizen(t, 0).IIN)
	draft := owner.newDraft(completeClaim())
	doc := owner.doc(owner.upload(draft.ID, file("a.pdf", pdfFile)))
	for _, cc := range claimCalls(draft.ID, doc.ID) {
		resp, body := tok.call(cc)
		switch {
		case cc.method == http.MethodGet && cc.path != "/api/v1/claims":
			// Reading is for what the token's body may see: not a draft.
			wantError(t, resp, body, 404, "not_found")
		default:
			wantError(t, resp, body, 403, "forbidden")
		}
	}
}

func TestAfterRoutingTheRespondentAndTheCourtSeeTheClaim(t *testing.T) {
	p := withSimulator(t)
	owner := asPerson(t, p, citizen(t, 0).IIN)
	filed, doc := owner.filedClaim()
	officer := asPerson(t, p, officerOf(t, respondentBIN).IIN)
	token := asToken(t, p, createToken(t, p, officerOf(t, respondentBIN)))

	// Filed but not routed yet: still the claimant's alone.
	for _, x := range []*apiClient{officer, token} {
		resp, body := x.do(http.MethodGet, "/api/v1/claims/"+filed.ID, nil)
		wantError(t, resp, body, 404, "not_found")
	}

	env := testenv.Get(t)
	h, err := worker.NewHandlers(env.Config, env.DB, env.Store, quiet)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(map[string]string{"claim_id": filed.ID})
	if err := h.RouteClaim(context.Background(), asynq.NewTask(task.RouteClaim, payload)); err != nil {
		t.Fatal(err)
	}
	routed := owner.getClaim(filed.ID)
	if routed.Status != "routed" || routed.Court == nil || routed.Routing == nil || routed.Routing.CourtID != routed.Court.ID ||
		routed.Routing.Rule == "" || routed.Routing.Explanation == "" || routed.events("claim.routed") != 1 {
		t.Fatalf("routed claim = %s court %+v routing %+v", routed.Status, routed.Court, routed.Routing)
	}
	court := routed.Court.ID

	insiders := map[string]*apiClient{
		"claimant":                  owner,
		"officer of the respondent": officer,
		"respondent's API token":    token,
		"clerk of the court":        asPerson(t, p, clerkOf(t, court).IIN),
	}
	for name, x := range insiders {
		t.Run(name, func(t *testing.T) {
			x := x.in(t)
			got := x.getClaim(filed.ID)
			if got.Number != filed.Number || got.Status != "routed" || len(got.Documents) != 1 {
				t.Fatalf("sees %q %s with %d documents", got.Number, got.Status, len(got.Documents))
			}
			resp, body := x.do(http.MethodGet, "/api/v1/claims/"+filed.ID+"/documents/"+doc.ID, nil)
			if resp.StatusCode != 200 || !bytes.Equal(body, pdfFile) {
				t.Fatalf("download = %d, %d bytes", resp.StatusCode, len(body))
			}
			resp, body = x.do(http.MethodGet, "/api/v1/claims/"+filed.ID+"/receipt.pdf", nil)
			if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte("%PDF")) {
				t.Fatalf("receipt = %d", resp.StatusCode)
			}
		})
	}
	// Seeing is not changing: only the claimant acts on the claim.
	for _, cc := range []claimCall{
		{http.MethodPatch, "/api/v1/claims/" + filed.ID, func(*testing.T) (string, []byte) { return "application/json", []byte(`{"subject":"x"}`) }},
		{http.MethodPost, "/api/v1/claims/" + filed.ID + "/withdraw", nil},
	} {
		resp, body := officer.call(cc)
		wantError(t, resp, body, 404, "not_found")
	}

	outsiders := map[string]seed.Persona{
		"officer of another body": officerNotOf(t, respondentBIN),
		"clerk of another court":  clerkNotOf(t, court),
		"another citizen":         citizen(t, 1),
	}
	for name, who := range outsiders {
		t.Run(name, func(t *testing.T) {
			x := asPerson(t, p, who.IIN)
			for _, path := range []string{"", "/documents/" + doc.ID, "/receipt.pdf"} {
				resp, body := x.do(http.MethodGet, "/api/v1/claims/"+filed.ID+path, nil)
				wantError(t, resp, body, 404, "not_found")
			}
		})
	}
	otherToken := asToken(t, p, createToken(t, p, officerNotOf(t, respondentBIN)))
	resp, body := otherToken.do(http.MethodGet, "/api/v1/claims/"+filed.ID, nil)
	wantError(t, resp, body, 404, "not_found")
}

// ---- Polling: conditional GET ------------------------------------------------------------------

func TestPollingAClaimIsConditional(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)
	cl := a.newDraft(completeClaim())
	path := "/api/v1/claims/" + cl.ID

	resp, body := a.do(http.MethodGet, path, nil)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || etag == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "no-cache") {
		t.Fatalf("first GET = %d, ETag %q, Cache-Control %q: %s", resp.StatusCode, etag, resp.Header.Get("Cache-Control"), body)
	}
	resp, body = a.do(http.MethodGet, path, nil, "If-None-Match", etag)
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Fatalf("unchanged claim with its ETag = %d %q, want 304 and no body", resp.StatusCode, body)
	}
	// Each kind of change shows: the claim's row, and a document (an audited event of its own).
	resp, body = a.json(http.MethodPatch, path, map[string]any{"subject": "Annul the tax notice of March"})
	decodeClaim(t, resp, body, 200)
	resp, _ = a.do(http.MethodGet, path, nil, "If-None-Match", etag)
	changed := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || changed == etag {
		t.Fatalf("after a change: %d with ETag %q (was %q), want 200 and a new ETag", resp.StatusCode, changed, etag)
	}
	a.doc(a.upload(cl.ID, file("notice.pdf", pdfFile), kindField("contested_act")))
	if resp, _ = a.do(http.MethodGet, path, nil, "If-None-Match", changed); resp.StatusCode != 200 {
		t.Fatalf("after an upload: %d, want 200", resp.StatusCode)
	}
	// The language is part of the answer, so part of the tag.
	resp, _ = a.do(http.MethodGet, path, nil, "Accept-Language", "kk")
	if kk := resp.Header.Get("ETag"); kk == "" || kk == changed {
		t.Fatalf("kk ETag %q equals en ETag %q", kk, changed)
	}
	// Someone else's tag never reveals the claim: not found, not "not modified".
	other := asPerson(t, p, citizen(t, 1).IIN)
	resp, body = other.do(http.MethodGet, path, nil, "If-None-Match", changed)
	wantError(t, resp, body, 404, "not_found")
	resp, body = asAnonymous(t, p).do(http.MethodGet, path, nil, "If-None-Match", changed)
	if resp.StatusCode != 401 {
		t.Fatalf("anonymous with a tag = %d %s, want 401", resp.StatusCode, body)
	}
	// An id that is not a uuid is simply not found.
	resp, body = a.do(http.MethodGet, "/api/v1/claims/not-a-uuid", nil)
	wantError(t, resp, body, 404, "not_found")
}
