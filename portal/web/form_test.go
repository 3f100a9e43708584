package web_test

// The guided claim form and the tracking pages, driven like a browser without JavaScript: plain
// form posts, a multipart upload form, redirects followed.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"talap/infra/seed"
	"talap/portal/claim"
	"talap/portal/lang"
	"talap/portal/storage"
	"talap/portal/testenv"
)

// formUser is a signed-in person with a browser that has no JavaScript.
type formUser struct {
	t    *testing.T
	p    portal
	c    *http.Client
	csrf string
}

func formSignIn(t *testing.T, p portal, iin string) *formUser {
	t.Helper()
	c := signIn(t, p, iin)
	code, m := me(t, c, p)
	if code != http.StatusOK || m.CSRF == "" {
		t.Fatalf("me after sign-in: %d %+v", code, m)
	}
	return &formUser{t: t, p: p, c: c, csrf: m.CSRF}
}

func (u *formUser) do(req *http.Request) (*http.Response, string) {
	u.t.Helper()
	req.Header.Set("Accept", "text/html")
	resp, err := u.c.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// get fetches a page, following redirects.
func (u *formUser) get(path string) (*http.Response, string) {
	u.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u.p.URL+path, nil)
	if err != nil {
		u.t.Fatal(err)
	}
	return u.do(req)
}

// post sends a form as a browser does, with the CSRF token, following the redirect after it.
func (u *formUser) post(path string, vals url.Values) (*http.Response, string) {
	u.t.Helper()
	if vals == nil {
		vals = url.Values{}
	}
	if vals.Get("_csrf") == "" {
		vals.Set("_csrf", u.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, u.p.URL+path, strings.NewReader(vals.Encode()))
	if err != nil {
		u.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return u.do(req)
}

// upload sends the no-JavaScript upload form: multipart, the token its first field.
func (u *formUser) upload(claimID, kind, name string, data []byte) (*http.Response, string) {
	u.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("_csrf", u.csrf)
	_ = w.WriteField("kind", kind)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		u.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, u.p.URL+"/claims/"+claimID+"/documents", &b)
	if err != nil {
		u.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return u.do(req)
}

// formClaim is the part of the API's claim the form tests read.
type formClaim struct {
	Number   string `json:"number"`
	Status   string `json:"status"`
	Timeline []struct {
		Event string `json:"event"`
	} `json:"timeline"`
}

func (c formClaim) events(name string) int {
	n := 0
	for _, e := range c.Timeline {
		if e.Event == name {
			n++
		}
	}
	return n
}

func (u *formUser) apiClaim(id string) formClaim {
	u.t.Helper()
	resp, err := u.c.Get(u.p.URL + "/api/v1/claims/" + id)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	var c formClaim
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || resp.StatusCode != http.StatusOK {
		u.t.Fatalf("API claim %s: %d %v", id, resp.StatusCode, err)
	}
	return c
}

var formClaimPath = regexp.MustCompile(`^/claims/([0-9a-f-]{36})/step/category$`)

// newDraft presses "Start a new claim" and returns the draft's id.
func (u *formUser) newDraft() string {
	u.t.Helper()
	resp, body := u.post("/claims/new", nil)
	m := formClaimPath.FindStringSubmatch(resp.Request.URL.Path)
	if resp.StatusCode != http.StatusOK || m == nil {
		u.t.Fatalf("start a claim: %d at %s: %.300s", resp.StatusCode, resp.Request.URL, body)
	}
	return m[1]
}

// step posts a step's answers and expects to land on the next page.
func (u *formUser) step(id, step string, vals url.Values, wantPath string) string {
	u.t.Helper()
	resp, body := u.post("/claims/"+id+"/step/"+step, vals)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != wantPath {
		u.t.Fatalf("step %s: %d at %s, want %s: %s", step, resp.StatusCode, resp.Request.URL, wantPath, formSummaryText(body))
	}
	return body
}

// formSummaryText is the error summary of a page, for failure messages.
func formSummaryText(body string) string {
	if i := strings.Index(body, `class="error-summary"`); i >= 0 {
		return body[i:min(len(body), i+800)]
	}
	return body[:min(len(body), 300)]
}

// formPDF makes a real one-page PDF.
func formPDF(t *testing.T, text string) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 14)
	pdf.Cell(40, 10, text)
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func formDay(daysAgo int) string {
	return time.Now().AddDate(0, 0, -daysAgo).Format("2006-01-02")
}

// formPlace is a district from the KATO list, as the residence picker offers it.
func formPlace(t *testing.T) string {
	t.Helper()
	regions, err := seed.Regions()
	if err != nil || len(regions) == 0 || len(regions[0].Districts) == 0 {
		t.Fatalf("regions: %v", err)
	}
	return regions[0].Districts[0].Code
}

var formBINRadio = regexp.MustCompile(`name="respondent_bin" value="(\d{12})"`)
var formNumber = regexp.MustCompile(`TLP-\d{4}-\d{6}`)

// fillDraft answers every question of a new draft up to the check page and returns the PDFs uploaded.
func (u *formUser) fillDraft(id string) [][]byte {
	t := u.t
	t.Helper()
	base := "/claims/" + id + "/step/"
	u.step(id, "category", url.Values{"category": {"housing"}}, base+"respondent")
	_, page := u.get(base + "respondent?q=" + url.QueryEscape("Алматы"))
	m := formBINRadio.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("respondent search lists no bodies: %.500s", page)
	}
	u.step(id, "respondent", url.Values{"respondent_bin": {m[1]}}, base+"kind")
	u.step(id, "kind", url.Values{"kind": {"challenge"}}, base+"act")
	page = u.step(id, "act", url.Values{"contested_act.number": {"12-3/456"}, "contested_act.issued_on": {formDay(40)},
		"contested_act.received_on": {formDay(35)}, "act_electronic": {"on"}}, base+"pretrial")
	if strings.Contains(page, "deadline deadline-") {
		t.Errorf("pretrial page warns before the pre-trial question is answered")
	}
	// "I did not complain" is allowed, with a warning that never blocks.
	u.step(id, "pretrial", url.Values{"pretrial": {"not_filed"}}, base+"details")
	if _, page = u.get(base + "pretrial"); !strings.Contains(page, "deadline deadline-warn") || !regexp.MustCompile(`value="not_filed"[^>]*checked`).MatchString(page) {
		t.Errorf("pretrial page after \"not filed\": no pre-trial warning or the answer is not kept")
	}
	u.step(id, "pretrial", url.Values{"pretrial": {"complained"}, "pretrial.complaint_filed_on": {formDay(30)},
		"pretrial.decision_received_on": {formDay(10)}}, base+"details")
	_, page = u.get(base + "act")
	if !strings.Contains(page, "deadline deadline-ok") || !strings.Contains(page, `role="status"`) {
		t.Errorf("act page after the pre-trial answer: no deadline hint: %.300s", page)
	}
	u.step(id, "details", url.Values{"subject": {"Отказ в постановке в очередь на жильё"},
		"grounds": {"Акимат отказал.\nОснований для отказа нет."}, "demands": {"Отменить решение № 12-3/456."}}, base+"contacts")
	u.step(id, "contacts", url.Values{"claimant.residence_kato": {formPlace(t)}, "claimant.phone": {"+7 701 123 45 67"},
		"claimant.email": {"citizen@example.kz"}, "hear_at_residence": {"on"}, "claim_amount": {""}}, base+"documents")

	decision := formPDF(t, "Decision No. 12-3/456")
	resp, page := u.upload(id, "contested_act", "decision.pdf", decision)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != base+"documents" {
		t.Fatalf("upload: %d at %s: %s", resp.StatusCode, resp.Request.URL, formSummaryText(page))
	}
	sum := sha256.Sum256(decision)
	for _, want := range []string{"decision.pdf", hex.EncodeToString(sum[:]), `enctype="multipart/form-data"`, "<progress"} {
		if !strings.Contains(page, want) {
			t.Errorf("documents page lacks %q", want)
		}
	}

	// "I paid" without the receipt sends the person to upload it, with the right kind chosen.
	resp, page = u.post(base+"duty", url.Values{"duty": {"paid"}})
	if resp.Request.URL.Path != base+"documents" || resp.Request.URL.Query().Get("kind") != "duty_payment" ||
		!strings.Contains(page, `<option value="duty_payment" selected>`) {
		t.Fatalf("duty paid without proof: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	payment := formPDF(t, "Payment receipt 1297.50 KZT")
	if resp, page := u.upload(id, "duty_payment", "payment.pdf", payment); resp.StatusCode != http.StatusOK {
		t.Fatalf("upload payment: %d %s", resp.StatusCode, formSummaryText(page))
	}
	_, page = u.get(base + "duty")
	if !regexp.MustCompile(`value="paid"[^>]*checked`).MatchString(page) {
		t.Errorf("duty page does not show the attached payment as chosen")
	}
	u.step(id, "duty", url.Values{"duty": {"paid"}}, base+"check")
	return [][]byte{decision, payment}
}

func TestFormWalkThroughEveryStepWithoutJavaScript(t *testing.T) {
	p := withSimulator(t)
	u := formSignIn(t, p, persona(t, "citizen").IIN)
	resp, page := u.get("/claims")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `action="/claims/new"`) {
		t.Fatalf("my claims: %d %.300s", resp.StatusCode, page)
	}
	id := u.newDraft()
	docs := u.fillDraft(id)

	resp, page = u.get("/claims/" + id + "/step/check")
	if resp.StatusCode != http.StatusOK || strings.Contains(page, `id="missing"`) || !strings.Contains(page, `action="/claims/`+id+`/submit"`) {
		t.Fatalf("check page: %d, missing items or no submit form: %.2000s", resp.StatusCode, page)
	}
	for _, want := range []string{"12-3/456", "citizen@example.kz", "decision.pdf", "payment.pdf", "?from=check#f-subject"} {
		if !strings.Contains(page, want) {
			t.Errorf("check page lacks %q", want)
		}
	}

	// A double click: two submits at once file the claim once.
	var wg sync.WaitGroup
	numbers := make([]string, 2)
	for i := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, p.URL+"/claims/"+id+"/submit", strings.NewReader(url.Values{"_csrf": {u.csrf}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "text/html")
			resp, err := u.c.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/claims/"+id {
				t.Errorf("submit %d: %d at %s", i, resp.StatusCode, resp.Request.URL)
			}
			numbers[i] = formNumber.FindString(string(b))
		}()
	}
	wg.Wait()
	if numbers[0] == "" || numbers[0] != numbers[1] {
		t.Fatalf("claim numbers after a double submit: %q", numbers)
	}
	resp, page = u.post("/claims/"+id+"/submit", nil)
	if resp.Request.URL.Path != "/claims/"+id || formNumber.FindString(page) != numbers[0] {
		t.Fatalf("third submit: %d at %s", resp.StatusCode, resp.Request.URL)
	}

	// The claim page: number, status, documents with hashes, receipt, timeline, duty.
	resp, page = u.get("/claims/" + id + "?filed=1")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("claim page: %d", resp.StatusCode)
	}
	for _, d := range docs {
		sum := sha256.Sum256(d)
		if !strings.Contains(page, hex.EncodeToString(sum[:])) {
			t.Errorf("claim page lacks a document's SHA-256")
		}
	}
	for _, want := range []string{numbers[0], "/api/v1/claims/" + id + "/receipt.pdf", `class="timeline"`, `/withdraw"`, "/api/v1/claims/" + id + "/documents/"} {
		if !strings.Contains(page, want) {
			t.Errorf("claim page lacks %q", want)
		}
	}
	if n := strings.Count(page, numbers[0]); n == 0 {
		t.Error("no number on the claim page")
	}
	// Filed once: one submitted event, one claim with the number in the list.
	if cl := u.apiClaim(id); cl.Number != numbers[0] || cl.events("claim.submitted") != 1 {
		t.Fatalf("after double submit: number %s, %d submitted events", cl.Number, cl.events("claim.submitted"))
	}
	_, page = u.get("/claims")
	if n := strings.Count(page, `<a href="/claims/`+id+`">`+numbers[0]+`</a>`); n != 1 {
		t.Errorf("my claims lists %s %d times", numbers[0], n)
	}
	// Wizard pages of a filed claim lead to the claim page: it cannot be edited any more.
	if resp, _ := u.get("/claims/" + id + "/step/details"); resp.Request.URL.Path != "/claims/"+id {
		t.Errorf("step of a filed claim: at %s", resp.Request.URL)
	}

	// The pipeline finds a problem: the claimant corrects it in the form and resubmits under the
	// same number.
	ctx := context.Background()
	db := testenv.Get(t).DB
	if _, ok, err := db.StartValidation(ctx, id); err != nil || !ok {
		t.Fatalf("start validation: %v %v", ok, err)
	}
	problem := claim.Notice{Code: "demands_unclear", Message: lang.Text{KK: "Талапты нақтылаңыз.", RU: "Уточните требования.", EN: "Make the demands clearer."}}
	if out, err := db.FinishValidation(ctx, id, []claim.Notice{problem}, nil); err != nil || out != storage.ValidationNeedsCorrection {
		t.Fatalf("finish validation: %q %v", out, err)
	}
	_, page = u.get("/claims/" + id + "?lang=en")
	if !strings.Contains(page, "Make the demands clearer.") || !strings.Contains(page, `href="/claims/`+id+`/step/check"`) {
		t.Fatalf("claim page needing correction lacks the problem or the correct link")
	}
	_, page = u.get("/claims/" + id + "/step/check")
	if !strings.Contains(page, `action="/claims/`+id+`/submit"`) {
		t.Fatal("check page of a claim to correct has no submit form")
	}
	u.step(id, "details", url.Values{"subject": {"Отказ в постановке в очередь на жильё"}, "grounds": {"Акимат отказал."},
		"demands": {"Отменить решение № 12-3/456 и обязать поставить меня в очередь."}, "from": {"check"}}, "/claims/"+id+"/step/check")
	resp, page = u.post("/claims/"+id+"/submit", nil)
	if resp.Request.URL.Path != "/claims/"+id || formNumber.FindString(page) != numbers[0] {
		t.Fatalf("resubmit: at %s, number %q, want %s", resp.Request.URL, formNumber.FindString(page), numbers[0])
	}
	if cl := u.apiClaim(id); cl.Number != numbers[0] || cl.Status != "submitted" || cl.events("claim.resubmitted") != 1 || cl.events("claim.submitted") != 1 {
		t.Errorf("after resubmission: %s %s, %d resubmitted events", cl.Number, cl.Status, cl.events("claim.resubmitted"))
	}

	// Withdrawal asks first, then withdraws.
	resp, page = u.get("/claims/" + id + "/withdraw")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `action="/claims/`+id+`/withdraw"`) {
		t.Fatalf("withdraw confirmation: %d", resp.StatusCode)
	}
	resp, _ = u.post("/claims/"+id+"/withdraw", nil)
	if resp.Request.URL.Path != "/claims/"+id || resp.Request.URL.Query().Get("withdrawn") == "" {
		t.Fatalf("withdraw: at %s", resp.Request.URL)
	}
}

func TestFormShowsErrorsBesideFieldsAndKeepsInput(t *testing.T) {
	p := withSimulator(t)
	u := formSignIn(t, p, persona(t, "citizen").IIN)
	u.get("/claims?lang=en")
	id := u.newDraft()
	base := "/claims/" + id + "/step/"

	resp, page := u.post(base+"act", url.Values{"contested_act.number": {"A-1"}, "contested_act.issued_on": {"2025-02-30"},
		"contested_act.received_on": {formDay(3)}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: %d, want 422", resp.StatusCode)
	}
	for _, want := range []string{
		`class="error-summary" role="alert" tabindex="-1"`,
		`href="#f-contested_act-issued_on"`,
		`id="e-contested_act-issued_on"`,
		`aria-describedby="h-contested_act-issued_on e-contested_act-issued_on"`,
		"Enter a real date as YYYY-MM-DD.",
		`value="2025-02-30"`, `value="A-1"`,
		"<title>Error:",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("act page with a bad date lacks %q", want)
		}
	}
	// Nothing of the bad post was saved.
	if _, page := u.get(base + "act"); strings.Contains(page, `value="A-1"`) {
		t.Error("an answer with an invalid date was saved")
	}

	tests := []struct {
		step   string
		vals   url.Values
		status int
		want   []string
	}{
		{"category", url.Values{}, 422, []string{`href="#f-category"`, "Choose what the dispute is about."}},
		{"category", url.Values{"category": {"cars"}}, 422, []string{`href="#f-category"`, "Choose housing, tax or land."}},
		{"respondent", url.Values{"respondent_bin": {"123456789012"}}, 422, []string{`href="#f-respondent_bin"`}},
		{"pretrial", url.Values{"pretrial": {"complained"}}, 422, []string{`href="#f-pretrial-complaint_filed_on"`}},
		{"pretrial", url.Values{}, 422, []string{`href="#f-pretrial"`}},
		{"contacts", url.Values{"claimant.email": {"not an address"}, "claim_amount": {"12abc"}, "claimant.phone": {"+7 701 123 45 67"}},
			422, []string{`href="#f-claimant-email"`, `href="#f-claim_amount"`, `value="not an address"`, `value="12abc"`, `href="#f-claimant-residence_kato"`}},
		{"details", url.Values{"subject": {"Only a subject"}}, 422, []string{`href="#f-grounds"`, `href="#f-demands"`, `value="Only a subject"`}},
		{"duty", url.Values{}, 422, []string{`href="#f-duty"`}},
	}
	for _, tt := range tests {
		resp, page := u.post(base+tt.step, tt.vals)
		if resp.StatusCode != tt.status {
			t.Errorf("%s %v: %d, want %d", tt.step, tt.vals, resp.StatusCode, tt.status)
		}
		for _, want := range tt.want {
			if !strings.Contains(page, want) {
				t.Errorf("%s %v: page lacks %q: %s", tt.step, tt.vals, want, formSummaryText(page))
			}
		}
	}
	// "Save and come back later" saves what there is and does not insist.
	resp, _ = u.post(base+"details", url.Values{"subject": {"Only a subject"}, "action": {"later"}})
	if resp.Request.URL.Path != "/claims" {
		t.Errorf("save for later: at %s", resp.Request.URL)
	}

	// A refused file is explained on the documents page, in the person's language.
	resp, page = u.upload(id, "evidence", "notes.txt", []byte("just some text, not a PDF"))
	if resp.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(page, `href="#f-file"`) || !strings.Contains(page, "This file is not a PDF") {
		t.Errorf("upload of a text file: %d %s", resp.StatusCode, formSummaryText(page))
	}
	resp, page = u.upload(id, "passport", "a.pdf", formPDF(t, "x"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#f-doc_kind"`) {
		t.Errorf("upload with an unknown kind: %d %s", resp.StatusCode, formSummaryText(page))
	}
	// The check page lists what is missing, each linking to its question.
	_, page = u.get(base + "check")
	for _, want := range []string{`id="missing"`, base + "category?from=check#f-category", base + "documents?from=check#f-documents"} {
		if !strings.Contains(page, want) {
			t.Errorf("check page of an empty draft lacks %q", want)
		}
	}
	resp, page = u.post("/claims/"+id+"/submit", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `role="alert"`) {
		t.Errorf("submit of an incomplete draft: %d", resp.StatusCode)
	}
}

func TestFormPagesAreTheClaimantsAlone(t *testing.T) {
	p := withSimulator(t)
	ps, err := seed.Personas()
	if err != nil {
		t.Fatal(err)
	}
	var citizens []string
	for _, x := range ps {
		if x.Kind == "citizen" {
			citizens = append(citizens, x.IIN)
		}
	}
	owner := formSignIn(t, p, citizens[0])
	other := formSignIn(t, p, citizens[1])
	id := owner.newDraft()
	owner.step(id, "category", url.Values{"category": {"tax"}}, "/claims/"+id+"/step/respondent")

	for _, path := range []string{"/claims/" + id, "/claims/" + id + "/step/category", "/claims/" + id + "/step/check",
		"/claims/" + id + "/delete", "/claims/" + id + "/continue", "/claims/" + id + "/deadline?step=act", "/claims/" + id + "/withdraw"} {
		if resp, _ := other.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another citizen GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
	for _, path := range []string{"/claims/" + id + "/step/category", "/claims/" + id + "/delete", "/claims/" + id + "/submit", "/claims/" + id + "/withdraw"} {
		if resp, _ := other.post(path, url.Values{"category": {"land"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another citizen POST %s: %d, want 404", path, resp.StatusCode)
		}
	}
	if resp, _ := other.upload(id, "evidence", "x.pdf", formPDF(t, "x")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another citizen uploads: %d, want 404", resp.StatusCode)
	}
	if _, page := other.get("/claims"); strings.Contains(page, id) {
		t.Error("another citizen's list shows the draft")
	}
	// The owner's answer was not changed by the other citizen's posts.
	if _, page := owner.get("/claims/" + id + "/step/category"); !regexp.MustCompile(`value="tax"[^>]*checked`).MatchString(page) {
		t.Error("the draft's category changed")
	}

	// Without a session: pages send the person to sign in; posts are refused.
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/claims", "/claims/" + id, "/claims/" + id + "/step/category"} {
		req, _ := http.NewRequest(http.MethodGet, p.URL+path, nil)
		req.Header.Set("Accept", "text/html")
		resp, err := anon.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/auth/login?return_to="+url.QueryEscape(path)) {
			t.Errorf("anonymous GET %s: %d to %q", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, err := anon.Post(p.URL+"/claims/new", "application/x-www-form-urlencoded", strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous POST /claims/new: %d, want 401", resp.StatusCode)
	}
	// Without the CSRF token, nothing changes.
	if resp, _ := owner.post("/claims/new", url.Values{"_csrf": {"forged"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /claims/new with a forged token: %d, want 403", resp.StatusCode)
	}
}

func TestDraftsCanBeDeleted(t *testing.T) {
	p := withSimulator(t)
	u := formSignIn(t, p, persona(t, "citizen").IIN)
	first := u.newDraft()
	second := u.newDraft()
	u.step(second, "category", url.Values{"category": {"land"}}, "/claims/"+second+"/step/respondent")
	u.upload(second, "evidence", "photo.pdf", formPDF(t, "photo"))

	_, page := u.get("/claims")
	i, j := strings.Index(page, "/claims/"+second+"/continue"), strings.Index(page, "/claims/"+first+"/continue")
	if i < 0 || j < 0 || i > j {
		t.Fatalf("my claims: drafts not both listed newest first (%d, %d)", i, j)
	}
	// Continue opens the first question still to answer.
	if resp, _ := u.get("/claims/" + second + "/continue"); resp.Request.URL.Path != "/claims/"+second+"/step/respondent" {
		t.Errorf("continue: at %s", resp.Request.URL)
	}
	resp, page := u.get("/claims/" + second + "/delete")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `action="/claims/`+second+`/delete"`) {
		t.Fatalf("delete confirmation: %d", resp.StatusCode)
	}
	resp, page = u.post("/claims/"+second+"/delete", nil)
	if resp.Request.URL.Path != "/claims" || resp.Request.URL.Query().Get("deleted") == "" || strings.Contains(page, second) {
		t.Fatalf("delete: at %s, still listed: %v", resp.Request.URL, strings.Contains(page, second))
	}
	if resp, _ := u.get("/claims/" + second); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted draft: %d, want 404", resp.StatusCode)
	}
	if !strings.Contains(page, first) {
		t.Error("the other draft went too")
	}
}

// formLeak finds a message id shown instead of its text (go-i18n falls back to the id).
var formLeak = regexp.MustCompile(`\b(?:form|track|kind|category|doctype|field|next|api)\.[a-z_]+`)

func TestFormPagesInEveryLanguage(t *testing.T) {
	p := withSimulator(t)
	u := formSignIn(t, p, persona(t, "citizen").IIN)
	draft := u.newDraft()
	filed := u.newDraft()
	u.fillDraft(filed)
	u.post("/claims/"+filed+"/submit", nil)
	u.step(draft, "category", url.Values{"category": {"land"}}, "/claims/"+draft+"/step/respondent")

	pages := []string{"/claims", "/claims/" + filed, "/claims/" + filed + "?filed=1", "/claims/" + filed + "/withdraw",
		"/claims/" + draft, "/claims/" + draft + "/delete", "/claims/" + draft + "/step/respondent?q=zzzz"}
	for _, s := range []string{"category", "respondent", "kind", "act", "pretrial", "details", "contacts", "documents", "duty", "check"} {
		pages = append(pages, "/claims/"+draft+"/step/"+s)
	}
	for _, l := range []string{"kk", "ru", "en"} {
		for _, path := range pages {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			resp, page := u.get(path + sep + "lang=" + l)
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<html lang="`+l+`">`) {
				t.Errorf("%s in %s: %d", path, l, resp.StatusCode)
				continue
			}
			clean := strings.NewReplacer("/static/form.css", "", "/static/form.js", "").Replace(page)
			if leaks := formLeak.FindAllString(clean, -1); len(leaks) > 0 {
				t.Errorf("%s in %s shows message ids: %v", path, l, leaks)
			}
			if strings.Contains(page, "<no value>") {
				t.Errorf("%s in %s shows <no value>", path, l)
			}
		}
		// Error pages too.
		resp, page := u.post("/claims/"+draft+"/step/act?lang="+l, url.Values{"contested_act.issued_on": {"31.02.2025"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || formLeak.MatchString(strings.NewReplacer("/static/form.css", "", "/static/form.js", "").Replace(page)) {
			t.Errorf("error page in %s: %d, leaks %v", l, resp.StatusCode, formLeak.FindAllString(page, -1))
		}
	}
}
