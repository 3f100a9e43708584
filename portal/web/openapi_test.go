package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/hibiken/asynq"

	"talap/frontend"
	"talap/portal/task"
	"talap/portal/testenv"
	"talap/portal/web"
	"talap/worker"
)

// loadOpenAPI parses the served document and checks it against the OpenAPI 3 specification.
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(frontend.OpenAPI)
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	return doc
}

func TestOpenAPIDocumentIsValidAndServed(t *testing.T) {
	doc := loadOpenAPI(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	resp, body := get(t, serve(t, deps(t))+"/api/v1/openapi.json")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || body != string(frontend.OpenAPI) {
		t.Fatalf("GET /api/v1/openapi.json = %d %q, want the document as JSON", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// The claim input refuses unknown fields, at every level, as the API does.
	in := doc.Components.Schemas["ClaimInput"]
	if in == nil || in.Value.AdditionalProperties.Has == nil || *in.Value.AdditionalProperties.Has {
		t.Fatal("ClaimInput must have additionalProperties: false")
	}
	for _, nested := range []string{"contested_act", "pretrial", "claimant"} {
		p := in.Value.Properties[nested]
		if p == nil || p.Value.AdditionalProperties.Has == nil || *p.Value.AdditionalProperties.Has {
			t.Errorf("ClaimInput.%s must have additionalProperties: false", nested)
		}
	}
	for _, field := range []string{"category", "kind", "respondent_bin", "subject", "grounds", "demands", "contested_act", "pretrial",
		"claimant", "hear_at_residence", "investment_dispute", "property_kato", "claim_amount", "duty_exemption"} {
		if in.Value.Properties[field] == nil {
			t.Errorf("ClaimInput lacks %s", field)
		}
	}
	// The claim object carries what ARCHITECTURE.md promises.
	cl := doc.Components.Schemas["Claim"].Value
	for _, field := range []string{"id", "number", "status", "category", "kind", "respondent", "court", "routing", "flags",
		"problems", "documents", "timeline", "state_duty", "case_number", "responses"} {
		if cl.Properties[field] == nil {
			t.Errorf("Claim lacks %s", field)
		}
	}
	for _, scheme := range []string{"session", "csrf", "bearer"} {
		if doc.Components.SecuritySchemes[scheme] == nil {
			t.Errorf("no %s security scheme", scheme)
		}
	}
	upload := doc.Paths.Value("/api/v1/claims/{id}/documents").Post.RequestBody.Value.Content["multipart/form-data"]
	if upload == nil || upload.Schema.Value.Properties["file"] == nil || upload.Schema.Value.Properties["kind"] == nil {
		t.Error("the upload is not documented as multipart/form-data with file and kind")
	}
}

var fiberParam = regexp.MustCompile(`:(\w+)`)

// openAPIPath turns a Fiber route path into the document's form: /claims/:id/ → /claims/{id}.
func openAPIPath(p string) string {
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	return fiberParam.ReplaceAllString(p, "{$1}")
}

func TestOpenAPIDocumentsEveryAPIRouteAndOnlyRoutesThatExist(t *testing.T) {
	app, err := web.New(deps(t))
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if r.Method == http.MethodHead || r.Method == http.MethodConnect || r.Method == http.MethodTrace {
			continue
		}
		routes[r.Method+" "+openAPIPath(r.Path)] = true
	}
	doc := loadOpenAPI(t)
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			documented[method+" "+path] = true
			if op.OperationID == "" || op.Summary == "" || op.Responses == nil || op.Responses.Len() == 0 {
				t.Errorf("%s %s: needs an operationId, a summary and responses", method, path)
			}
		}
	}
	var missing, phantom []string
	for r := range routes {
		if strings.HasPrefix(r[strings.IndexByte(r, ' ')+1:], "/api/v1/") && !documented[r] {
			missing = append(missing, r)
		}
	}
	for d := range documented {
		if !routes[d] {
			phantom = append(phantom, d)
		}
	}
	sort.Strings(missing)
	sort.Strings(phantom)
	if len(missing) > 0 {
		t.Errorf("API routes not in openapi.json: %v", missing)
	}
	if len(phantom) > 0 {
		t.Errorf("operations in openapi.json with no route: %v", phantom)
	}
	for _, want := range []string{"GET /healthz", "GET /readyz", "GET /verify/{number}", "POST /api/v1/claims/{id}/submit"} {
		if !documented[want] {
			t.Errorf("%s is not documented", want)
		}
	}
	if len(routes) == 0 || len(documented) < 15 {
		t.Fatalf("found %d routes and %d documented operations", len(routes), len(documented))
	}
}

var registerDecoders sync.Once

// contract checks real exchanges against the document.
type contract struct {
	t      *testing.T
	router routers.Router
}

func newContract(t *testing.T) *contract {
	registerDecoders.Do(func() {
		// Binary answers: the document only says their media type, so read them as files.
		for _, ct := range []string{"application/pdf", "image/jpeg", "image/png", "text/html"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
	})
	r, err := legacy.NewRouter(loadOpenAPI(t))
	if err != nil {
		t.Fatal(err)
	}
	return &contract{t: t, router: r}
}

// call makes a request through a and checks the answer (and, when checkRequest, the request too)
// against the document: the status must be documented, and the body must match its schema.
func (k *contract) call(a *apiClient, method, path, contentType string, body []byte, checkRequest bool, header ...string) (*http.Response, []byte) {
	t := k.t
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
		header = append([]string{"Content-Type", contentType}, header...)
	}
	resp, out := a.do(method, path, r, header...)
	req := resp.Request.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(body))
	reqErr, respErr := k.check(req, checkRequest, resp.StatusCode, resp.Header, out)
	if reqErr != nil {
		t.Errorf("%s %s: request does not match the document: %v", method, path, reqErr)
	}
	if respErr != nil {
		t.Errorf("%s %s → %d: answer does not match the document: %v\n%.600s", method, path, resp.StatusCode, respErr, out)
	}
	return resp, out
}

// check validates an exchange: the request (when checkRequest) and the answer.
func (k *contract) check(req *http.Request, checkRequest bool, status int, header http.Header, body []byte) (reqErr, respErr error) {
	k.t.Helper()
	route, params, err := k.router.FindRoute(req)
	if err != nil {
		k.t.Fatalf("%s %s: not in the document: %v", req.Method, req.URL.Path, err)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if checkRequest {
		reqErr = openapi3filter.ValidateRequest(context.Background(), in)
	}
	respErr = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Options: opts,
	})
	return reqErr, respErr
}

// TestContractCheckCatchesWrongAnswers makes sure the check above is not vacuous.
func TestContractCheckCatchesWrongAnswers(t *testing.T) {
	k := newContract(t)
	id := "00000000-0000-0000-0000-000000000000"
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	good, _ := http.NewRequest(http.MethodPost, "http://portal/api/v1/claims", strings.NewReader(`{"category": "tax"}`))
	good.Header.Set("Content-Type", "application/json")
	if reqErr, _ := k.check(good, true, 422, jsonHeader, []byte(`{"error": {"code": "invalid", "message": "m", "fields": {"a": "b"}}}`)); reqErr != nil {
		t.Fatalf("a good request fails: %v", reqErr)
	}
	tests := []struct {
		name, method, path, reqBody string
		status                      int
		body                        string
		badRequest                  bool
	}{
		{"claim without its fields", http.MethodGet, "/api/v1/claims/" + id, "", 200, `{"id": "` + id + `"}`, false},
		{"error with an extra key", http.MethodGet, "/api/v1/claims/" + id, "", 404, `{"error": {"code": "x", "message": "y", "extra": 1}}`, false},
		{"undocumented status", http.MethodGet, "/api/v1/claims/" + id, "", 418, `{}`, false},
		{"error without a message", http.MethodPost, "/api/v1/claims", `{}`, 422, `{"error": {"code": "invalid"}}`, false},
		{"unknown input field", http.MethodPost, "/api/v1/claims", `{"colour": "red"}`, 201, `{}`, true},
		{"wrongly typed input", http.MethodPost, "/api/v1/claims", `{"hear_at_residence": "yes"}`, 201, `{}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, "http://portal"+tt.path, strings.NewReader(tt.reqBody))
			if tt.reqBody != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			reqErr, respErr := k.check(req, tt.badRequest, tt.status, jsonHeader, []byte(tt.body))
			if tt.badRequest && reqErr == nil {
				t.Fatal("a request the document forbids passes")
			}
			if !tt.badRequest && respErr == nil {
				t.Fatal("an answer the document forbids passes")
			}
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRealAnswersMatchTheOpenAPIDocument(t *testing.T) {
	k := newContract(t)
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)
	anon := asAnonymous(t, p)
	const js = "application/json"

	// Operations and registries.
	k.call(anon, http.MethodGet, "/healthz", "", nil, true)
	k.call(anon, http.MethodGet, "/readyz", "", nil, true)
	k.call(anon, http.MethodGet, "/api/v1/courts", "", nil, true)
	k.call(anon, http.MethodGet, "/api/v1/public-bodies?q=revenue&limit=5", "", nil, true)
	k.call(anon, http.MethodGet, "/api/v1/public-bodies?limit=0", "", nil, false)
	k.call(a, http.MethodGet, "/api/v1/me", "", nil, true)
	k.call(anon, http.MethodGet, "/api/v1/me", "", nil, true)

	// Create, read, change, list.
	resp, body := k.call(a, http.MethodPost, "/api/v1/claims", js, mustJSON(t, map[string]any{"category": "tax", "subject": "contract"}), true)
	draft := decodeClaim(t, resp, body, 201)
	k.call(a, http.MethodGet, "/api/v1/claims/"+draft.ID, "", nil, true)
	k.call(a, http.MethodPatch, "/api/v1/claims/"+draft.ID, js, mustJSON(t, completeClaim()), true)
	resp, body = k.call(a, http.MethodPost, "/api/v1/claims", js, []byte(`{"contested_act": {"issued_on": "2026-02-30"}, "colour": 1}`), false)
	wantError(t, resp, body, 422, "invalid", "colour")
	resp, body = k.call(a, http.MethodPost, "/api/v1/claims", js, []byte(`{"category": "criminal", "respondent_bin": "090240116036"}`), false)
	wantError(t, resp, body, 422, "invalid", "category", "respondent_bin")
	k.call(a, http.MethodPost, "/api/v1/claims", js, []byte(`{"category":`), false)
	k.call(a, http.MethodGet, "/api/v1/claims?limit=1", "", nil, true)
	k.call(a, http.MethodGet, "/api/v1/claims?limit=1000", "", nil, false)
	k.call(a, http.MethodGet, "/api/v1/claims/00000000-0000-0000-0000-000000000000", "", nil, true)
	k.call(anon, http.MethodGet, "/api/v1/claims", "", nil, true)

	// Documents.
	ct, form := multipartBody(t, kindField("contested_act"), file("notice.pdf", pdfFile))
	resp, body = k.call(a, http.MethodPost, "/api/v1/claims/"+draft.ID+"/documents", ct, form, true)
	doc := a.doc(resp, body)
	ct, form = multipartBody(t, file("a.pdf", pdfFile), file("b.png", pngFile))
	resp, _ = k.call(a, http.MethodPost, "/api/v1/claims/"+draft.ID+"/documents", ct, form, true)
	if resp.StatusCode != 201 {
		t.Fatalf("two files = %d", resp.StatusCode)
	}
	ct, form = multipartBody(t, file("locked.pdf", encryptedPDF))
	k.call(a, http.MethodPost, "/api/v1/claims/"+draft.ID+"/documents", ct, form, false)
	ct, form = multipartBody(t, file("page.pdf", htmlFile))
	k.call(a, http.MethodPost, "/api/v1/claims/"+draft.ID+"/documents", ct, form, false)
	k.call(a, http.MethodPost, "/api/v1/claims/"+draft.ID+"/documents", js, []byte(`{}`), false)
	k.call(a, http.MethodGet, "/api/v1/claims/"+draft.ID+"/documents/"+doc.ID, "", nil, true)
	k.call(a, http.MethodGet, "/api/v1/claims/"+draft.ID+"/receipt.pdf", "", nil, true)

	// Submit, replay, receipt, verification, withdrawal.
	empty := a.newDraft(map[string]any{})
	k.call(a, http.MethodPost, "/api/v1/claims/"+empty.ID+"/submit", "", nil, true)
	resp, body = k.call(a, http.MethodPost, "/api/v1/claims/"+draft.ID+"/submit", "", nil, true, "Idempotency-Key", "contract-"+draft.ID)
	filed := decodeClaim(t, resp, body, 200)
	k.call(a, http.MethodPost, "/api/v1/claims/"+draft.ID+"/submit", "", nil, true, "Idempotency-Key", "contract-"+draft.ID)
	k.call(a, http.MethodPost, "/api/v1/claims/"+draft.ID+"/submit", "", nil, true)
	k.call(a, http.MethodGet, "/api/v1/claims/"+draft.ID+"/receipt.pdf", "", nil, true)
	k.call(anon, http.MethodGet, verifyPath(t, filed), "", nil, true)
	k.call(anon, http.MethodGet, "/verify/"+filed.Number, "", nil, true) // 404: only links printed before tokens name a number
	k.call(anon, http.MethodGet, "/verify/TLP-1999-999999", "", nil, true)
	k.call(a, http.MethodPost, "/api/v1/claims/"+draft.ID+"/withdraw", "", nil, true)
	k.call(a, http.MethodPost, "/api/v1/claims/"+empty.ID+"/withdraw", "", nil, true)
	k.call(a, http.MethodDelete, "/api/v1/claims/"+draft.ID, "", nil, true)

	// Once routed: the respondent's and the court's lists, a response and a decision.
	routedClaim, _ := a.filedClaim()
	env := testenv.Get(t)
	h, err := worker.NewHandlers(env.Config, env.DB, env.Store, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.RouteClaim(context.Background(), asynq.NewTask(task.RouteClaim, mustJSON(t, map[string]string{"claim_id": routedClaim.ID}))); err != nil {
		t.Fatal(err)
	}
	court := a.getClaim(routedClaim.ID).Court
	if court == nil {
		t.Fatal("claim not routed")
	}
	officer := asPerson(t, p, officerOf(t, respondentBIN).IIN)
	clerk := asPerson(t, p, clerkOf(t, court.ID).IIN)
	k.call(officer, http.MethodGet, "/api/v1/bodies/"+respondentBIN+"/claims?limit=5", "", nil, true)
	k.call(officer, http.MethodGet, "/api/v1/bodies/"+respondentBIN+"/claims?limit=0", "", nil, false)
	k.call(a, http.MethodGet, "/api/v1/bodies/"+respondentBIN+"/claims", "", nil, true)
	k.call(clerk, http.MethodGet, "/api/v1/courts/"+court.ID+"/queue", "", nil, true)
	k.call(officer, http.MethodGet, "/api/v1/courts/"+court.ID+"/queue", "", nil, true)
	ct, form = multipartBody(t, filePart{field: "text", data: []byte("We disagree.")}, file("answer.pdf", pdfFile))
	resp, body = k.call(officer, http.MethodPost, "/api/v1/claims/"+routedClaim.ID+"/responses", ct, form, true)
	if resp.StatusCode != 201 {
		t.Errorf("response = %d %s", resp.StatusCode, body)
	}
	ct, form = multipartBody(t, file("answer.pdf", pdfFile))
	k.call(officer, http.MethodPost, "/api/v1/claims/"+routedClaim.ID+"/responses", ct, form, false)
	k.call(clerk, http.MethodPost, "/api/v1/claims/"+routedClaim.ID+"/decisions", js, []byte(`{"action": "adjourn"}`), false)
	resp, body = k.call(clerk, http.MethodPost, "/api/v1/claims/"+routedClaim.ID+"/decisions", js, []byte(`{"action": "register"}`), true)
	if resp.StatusCode != 200 {
		t.Errorf("register = %d %s", resp.StatusCode, body)
	}
	k.call(clerk, http.MethodPost, "/api/v1/claims/"+routedClaim.ID+"/decisions", js, []byte(`{"action": "register"}`), true)
	k.call(a, http.MethodGet, "/api/v1/claims/"+routedClaim.ID, "", nil, true)

	// Drafts and their documents go away.
	other := a.newDraft(map[string]any{"subject": "to delete"})
	d := a.doc(a.upload(other.ID, file("x.pdf", pdfFile)))
	k.call(a, http.MethodDelete, "/api/v1/claims/"+other.ID+"/documents/"+d.ID, "", nil, true)
	k.call(a, http.MethodDelete, "/api/v1/claims/"+other.ID, "", nil, true)
}
