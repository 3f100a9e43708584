package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"talap/infra/seed"
	"talap/portal/config"
	"talap/portal/task"
	"talap/portal/testenv"
	"talap/worker"
)

// ---- The pipeline and claims that reach a court ----------------------------------------------------

// runPipeline runs the real worker (validate → route → notify, scheduled checks, the outbox relay)
// in-process until the test ends.
func runPipeline(t *testing.T, cfg config.Config) {
	t.Helper()
	env := testenv.Get(t)
	cfg.OutboxInterval = 200 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- worker.Run(ctx, cfg, env.DB, env.Store, quiet) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	})
}

// workspace is a portal with the pipeline running behind it.
type workspace struct {
	portal
	cfg config.Config
}

func startWorkspace(t *testing.T, correctionTimer time.Duration) workspace {
	t.Helper()
	d := deps(t)
	d.Config.CorrectionTimer = correctionTimer
	p := startPortal(t, d, func(base string) string { return startSimulator(t, base) })
	runPipeline(t, d.Config)
	return workspace{portal: p, cfg: d.Config}
}

var actNumbers atomic.Int64

// wsAnswers is a complete claim against respondentBIN with a contested act of its own, so that no
// two test claims look like duplicates.
func wsAnswers() map[string]any {
	a := completeClaim()
	a["contested_act"] = map[string]any{"number": fmt.Sprintf("WS-%d-%d", time.Now().UnixNano(), actNumbers.Add(1)),
		"issued_on": "2025-03-10", "received_on": "2025-03-12"}
	return a
}

// fileClaim creates a complete claim with one PDF and submits it, all over the API.
func (a *apiClient) fileClaim() (wsClaim, docOut) {
	a.t.Helper()
	cl := a.newDraft(wsAnswers())
	d := a.doc(a.upload(cl.ID, file("notice.pdf", pdfFile), kindField("contested_act")))
	resp, body := a.json(http.MethodPost, "/api/v1/claims/"+cl.ID+"/submit", nil)
	return decodeWS(a.t, resp, body, 200), d
}

// waitStatus polls the claim, as a was, until its status is want.
func (a *apiClient) waitStatus(id, want string) wsClaim {
	a.t.Helper()
	var c wsClaim
	testenv.WaitFor(a.t, 20*time.Second, "claim "+id+" to be "+want, func() bool {
		resp, body := a.do(http.MethodGet, "/api/v1/claims/"+id, nil)
		c = decodeWS(a.t, resp, body, 200)
		return c.Status == want
	})
	return c
}

// routedClaim files a claim and waits until the pipeline routes it.
func (a *apiClient) routedClaim() (wsClaim, docOut) {
	a.t.Helper()
	filed, d := a.fileClaim()
	c := a.waitStatus(filed.ID, "routed")
	if c.Court == nil || c.Court.ID == "" || c.Number != filed.Number {
		a.t.Fatalf("routed claim without a court or with another number: %+v %q", c.Court, c.Number)
	}
	return c, d
}

// wsClaim is the claim JSON with what the workspaces add.
type wsClaim struct {
	claimOut
	CaseNumber    string  `json:"case_number"`
	CorrectionDue *string `json:"correction_due"`
	ResponseDue   *string `json:"response_due"`
	Responses     []struct {
		ID          string    `json:"id"`
		BodyBIN     string    `json:"body_bin"`
		Text        string    `json:"text"`
		Documents   []docOut  `json:"documents"`
		SubmittedAt time.Time `json:"submitted_at"`
		Late        bool      `json:"late"`
	} `json:"responses"`
	Decisions []wsDecision `json:"decisions"`
}

type wsDecision struct {
	Action        string    `json:"action"`
	Reasons       []string  `json:"reasons"`
	Reason        string    `json:"reason"`
	CorrectionDue *string   `json:"correction_due"`
	FromCourt     string    `json:"from_court"`
	ToCourt       string    `json:"to_court"`
	DecidedAt     time.Time `json:"decided_at"`
}

func decodeWS(t *testing.T, resp *http.Response, body []byte, status int) wsClaim {
	t.Helper()
	decodeClaim(t, resp, body, status)
	var c wsClaim
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatalf("claim JSON: %v: %s", err, body)
	}
	return c
}

func (c wsClaim) lastDecision(t *testing.T) wsDecision {
	t.Helper()
	if len(c.Decisions) == 0 {
		t.Fatalf("claim %s has no decisions", c.ID)
	}
	return c.Decisions[len(c.Decisions)-1]
}

func (a *apiClient) decide(id string, in map[string]any) (*http.Response, []byte) {
	a.t.Helper()
	return a.json(http.MethodPost, "/api/v1/claims/"+id+"/decisions", in)
}

func (a *apiClient) respond(id, text string, files ...filePart) (*http.Response, []byte) {
	a.t.Helper()
	parts := append([]filePart{{field: "text", data: []byte(text)}}, files...)
	ct, body := multipartBody(a.t, parts...)
	return a.do(http.MethodPost, "/api/v1/claims/"+id+"/responses", bytes.NewReader(body), "Content-Type", ct)
}

// listed reads a list answer ({"claims": [{"id", "status", "court_id"}...]}) into id → status.
func listed(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var l struct {
		Claims []struct {
			ID      string `json:"id"`
			Status  string `json:"status"`
			CourtID string `json:"court_id"`
		} `json:"claims"`
	}
	if err := json.Unmarshal(body, &l); err != nil {
		t.Fatalf("list JSON: %v: %s", err, body)
	}
	out := map[string]string{}
	for _, c := range l.Claims {
		out[c.ID] = c.Status + "@" + c.CourtID
	}
	return out
}

// queue is a court's queue as its clerk sees it: claim id → "status@court".
func (a *apiClient) queue(court string) map[string]string {
	a.t.Helper()
	resp, body := a.do(http.MethodGet, "/api/v1/courts/"+court+"/queue?limit=200", nil)
	if resp.StatusCode != 200 {
		a.t.Fatalf("queue of %s = %d: %s", court, resp.StatusCode, body)
	}
	return listed(a.t, body)
}

func almatyToday() string {
	loc, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		loc = time.FixedZone("Asia/Almaty", 5*3600)
	}
	return time.Now().In(loc).Format(time.DateOnly)
}

// ---- The authorization matrix ------------------------------------------------------------------------

// role is a column of the matrix: who calls, relative to the claim.
type role int

const (
	citizenOwn   role = iota // the claimant
	citizenOther             // another citizen
	officerOwn               // an officer of the respondent body
	officerOther             // an officer of another body
	clerkOwn                 // a clerk of the court the claim is with
	clerkOther               // a clerk of another court
	adminRole                // an administrator
	anonymous                // nobody signed in
	tokenOwn                 // the respondent body's API token
	tokenOther               // another body's API token
	nRoles
)

var roleNames = [nRoles]string{"citizen/own", "citizen/other", "officer/own body", "officer/other body",
	"clerk/own court", "clerk/other court", "admin", "anonymous", "token/own body", "token/other body"}

type roles uint

func only(rs ...role) roles {
	var s roles
	for _, r := range rs {
		s |= 1 << r
	}
	return s
}

func (s roles) has(r role) bool { return s&(1<<r) != 0 }

// matrixRow is an endpoint and the exact status each role gets. fresh names the roles whose call
// changes the claim (a withdrawal, a decision): each of those cells gets a claim of its own. For a
// list, shows names the roles whose 200 must include the claim; every other 200 must not.
type matrixRow struct {
	want     codes
	endpoint string // method and path; {id}, {doc}, {court} and {bin} are the fixture's
	body     func(t *testing.T) (string, []byte)
	fresh    roles
	shows    roles
}

// codes are a row's statuses, one per role in the order of the roles.
type codes [nRoles]int

func jsonBody(s string) func(*testing.T) (string, []byte) {
	return func(*testing.T) (string, []byte) { return "application/json", []byte(s) }
}

var (
	noBody       func(*testing.T) (string, []byte)
	patchBody    = jsonBody(`{"subject": "Changed by the matrix"}`)
	createBody   = jsonBody(`{"subject": "A draft of the caller's own"}`)
	registerBody = jsonBody(`{"action": "register"}`)
	pdfForm      = func(t *testing.T) (string, []byte) { return multipartBody(t, file("matrix.pdf", pdfFile)) }
	responseForm = func(t *testing.T) (string, []byte) {
		return multipartBody(t, filePart{field: "text", data: []byte("The act is lawful.")}, file("answer.pdf", pdfFile))
	}
)

// routedMatrix: the claim has been routed to a court (the draft-only changes are refused with 409
// for its claimant). Everyone but the claimant, the respondent and the court is told "not found".
var routedMatrix = []matrixRow{
	//     citizen   officer   clerk               token
	//     own  oth  own  oth  own  oth  adm  anon own  oth
	{codes{200, 404, 200, 404, 200, 404, 200, 401, 200, 404}, "GET /api/v1/claims/{id}", noBody, 0, 0},
	{codes{409, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "PATCH /api/v1/claims/{id}", patchBody, 0, 0},
	{codes{409, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "DELETE /api/v1/claims/{id}", noBody, 0, 0},
	{codes{409, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "POST /api/v1/claims/{id}/documents", pdfForm, 0, 0},
	{codes{200, 404, 200, 404, 200, 404, 200, 401, 200, 404}, "GET /api/v1/claims/{id}/documents/{doc}", noBody, 0, 0},
	{codes{409, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "DELETE /api/v1/claims/{id}/documents/{doc}", noBody, 0, 0},
	{codes{409, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "POST /api/v1/claims/{id}/submit", noBody, 0, 0},
	{codes{200, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "POST /api/v1/claims/{id}/withdraw", noBody, only(citizenOwn), 0},
	{codes{200, 404, 200, 404, 200, 404, 200, 401, 200, 404}, "GET /api/v1/claims/{id}/receipt.pdf", noBody, 0, 0},
	{codes{403, 404, 201, 404, 403, 404, 403, 401, 201, 404}, "POST /api/v1/claims/{id}/responses", responseForm, 0, 0},
	{codes{403, 404, 403, 404, 200, 404, 403, 401, 403, 403}, "POST /api/v1/claims/{id}/decisions", registerBody, only(clerkOwn), 0},
	{codes{404, 404, 404, 404, 200, 404, 200, 401, 404, 404}, "GET /api/v1/courts/{court}/queue", noBody, 0, only(clerkOwn, adminRole)},
	{codes{404, 404, 200, 404, 404, 404, 404, 401, 200, 404}, "GET /api/v1/bodies/{bin}/claims", noBody, 0, only(officerOwn, tokenOwn)},
	{codes{200, 200, 200, 200, 200, 200, 200, 401, 403, 403}, "GET /api/v1/claims", noBody, 0, only(citizenOwn)},
	{codes{201, 201, 201, 201, 201, 201, 201, 401, 403, 403}, "POST /api/v1/claims", createBody, 0, 0},
}

// draftMatrix: the claim is a draft, the claimant's alone; the draft-only changes work for the
// claimant and nobody else learns the draft exists.
var draftMatrix = []matrixRow{
	//     citizen   officer   clerk               token
	//     own  oth  own  oth  own  oth  adm  anon own  oth
	{codes{200, 404, 404, 404, 404, 404, 404, 401, 404, 404}, "GET /api/v1/claims/{id}", noBody, 0, 0},
	{codes{200, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "PATCH /api/v1/claims/{id}", patchBody, 0, 0},
	{codes{204, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "DELETE /api/v1/claims/{id}", noBody, only(citizenOwn), 0},
	{codes{201, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "POST /api/v1/claims/{id}/documents", pdfForm, 0, 0},
	{codes{200, 404, 404, 404, 404, 404, 404, 401, 404, 404}, "GET /api/v1/claims/{id}/documents/{doc}", noBody, 0, 0},
	{codes{204, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "DELETE /api/v1/claims/{id}/documents/{doc}", noBody, only(citizenOwn), 0},
	{codes{200, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "POST /api/v1/claims/{id}/submit", noBody, only(citizenOwn), 0},
	{codes{409, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "POST /api/v1/claims/{id}/withdraw", noBody, 0, 0},
	{codes{409, 404, 404, 404, 404, 404, 404, 401, 404, 404}, "GET /api/v1/claims/{id}/receipt.pdf", noBody, 0, 0},
	{codes{403, 404, 404, 404, 404, 404, 404, 401, 404, 404}, "POST /api/v1/claims/{id}/responses", responseForm, 0, 0},
	{codes{403, 404, 404, 404, 404, 404, 404, 401, 403, 403}, "POST /api/v1/claims/{id}/decisions", registerBody, 0, 0},
}

type fixture struct{ id, doc, court string }

func (r matrixRow) call(fx fixture) claimCall {
	method, path, _ := strings.Cut(r.endpoint, " ")
	path = strings.NewReplacer("{id}", fx.id, "{doc}", fx.doc, "{court}", fx.court, "{bin}", respondentBIN).Replace(path)
	return claimCall{method, path, r.body}
}

// errorCodes are the error codes each refusal must carry.
var errorCodes = map[int][]string{401: {"unauthorized"}, 403: {"forbidden"}, 404: {"not_found"}, 409: {"conflict", "not_filed"}}

// runMatrix calls every endpoint as every role and checks each cell; fixtures gives a claim for
// the shared cells first, then one for each fresh cell.
func runMatrix(t *testing.T, rows []matrixRow, clients [nRoles]*apiClient, shared fixture, fresh func(*testing.T) fixture) {
	for _, row := range rows {
		t.Run(row.endpoint, func(t *testing.T) {
			for r := range nRoles {
				fx := shared
				if row.fresh.has(r) {
					fx = fresh(t)
				}
				cc := row.call(fx)
				resp, body := clients[r].in(t).call(cc)
				want := row.want[r]
				if resp.StatusCode != want {
					t.Errorf("%s as %s = %d, want %d: %.300s", cc.method, roleNames[r], resp.StatusCode, want, body)
					continue
				}
				if codes, refused := errorCodes[want]; refused {
					var e struct {
						Error struct{ Code string } `json:"error"`
					}
					if err := json.Unmarshal(body, &e); err != nil || !slices.Contains(codes, e.Error.Code) {
						t.Errorf("%s as %s = %d with error %q, want one of %v: %.300s", cc.method, roleNames[r], want, e.Error.Code, codes, body)
					}
				}
				if want == 200 && row.shows != 0 {
					_, seen := listed(t, body)[fx.id]
					if seen != row.shows.has(r) {
						t.Errorf("%s as %s lists the claim: %v, want %v", cc.method, roleNames[r], seen, row.shows.has(r))
					}
				}
			}
		})
	}
}

func freshCells(rows []matrixRow) int {
	n := 0
	for _, row := range rows {
		for r := range nRoles {
			if row.fresh.has(r) {
				n++
			}
		}
	}
	return n
}

func TestAuthorizationMatrixOverEveryClaimEndpoint(t *testing.T) {
	w := startWorkspace(t, 0)
	owner := asPerson(t, w.portal, citizen(t, 0).IIN)

	// File every routed claim the matrix needs at once, then wait for the pipeline to route them.
	var filed []fixture
	for range 1 + freshCells(routedMatrix) {
		c, d := owner.fileClaim()
		filed = append(filed, fixture{id: c.ID, doc: d.ID})
	}
	for i := range filed {
		c := owner.waitStatus(filed[i].id, "routed")
		filed[i].court = c.Court.ID
	}
	court := filed[0].court
	for _, fx := range filed {
		if fx.court != court {
			t.Fatalf("claims against the same body went to %s and %s", court, fx.court)
		}
	}

	var clients [nRoles]*apiClient
	clients[citizenOwn] = owner
	clients[citizenOther] = asPerson(t, w.portal, citizen(t, 1).IIN)
	clients[officerOwn] = asPerson(t, w.portal, officerOf(t, respondentBIN).IIN)
	clients[officerOther] = asPerson(t, w.portal, officerNotOf(t, respondentBIN).IIN)
	clients[clerkOwn] = asPerson(t, w.portal, clerkOf(t, court).IIN)
	clients[clerkOther] = asPerson(t, w.portal, clerkNotOf(t, court).IIN)
	clients[adminRole] = asPerson(t, w.portal, pick(t, "admin", 0, func(seed.Persona) bool { return true }).IIN)
	clients[anonymous] = asAnonymous(t, w.portal)
	clients[tokenOwn] = asToken(t, w.portal, createToken(t, w.portal, officerOf(t, respondentBIN)))
	clients[tokenOther] = asToken(t, w.portal, createToken(t, w.portal, officerNotOf(t, respondentBIN)))

	t.Run("routed", func(t *testing.T) {
		next := 1
		runMatrix(t, routedMatrix, clients, filed[0], func(*testing.T) fixture {
			fx := filed[next]
			next++
			return fx
		})
		// The refusals changed nothing: the shared claim is as filed, with the two responses.
		got := owner.in(t).getClaimWS(filed[0].id)
		if got.Status != "routed" || got.Subject != "Annul the tax notice" || len(got.Documents) != 1 ||
			len(got.Responses) != 2 || len(got.Decisions) != 0 || got.Court == nil || got.Court.ID != court {
			t.Errorf("after the matrix the claim is %s %q with %d documents, %d responses, %d decisions",
				got.Status, got.Subject, len(got.Documents), len(got.Responses), len(got.Decisions))
		}
		if got := owner.in(t).getClaimWS(filed[1].id); got.Status != "withdrawn" {
			t.Errorf("the claimant's withdrawal left the claim %s", got.Status)
		}
		if got := owner.in(t).getClaimWS(filed[2].id); got.Status != "registered" || got.CaseNumber == "" {
			t.Errorf("the clerk's registration left the claim %s %q", got.Status, got.CaseNumber)
		}
	})

	t.Run("draft", func(t *testing.T) {
		draft := func(t *testing.T) fixture {
			c := owner.in(t).newDraft(wsAnswers())
			d := owner.in(t).doc(owner.in(t).upload(c.ID, file("mine.pdf", pdfFile)))
			return fixture{id: c.ID, doc: d.ID, court: court}
		}
		shared := draft(t)
		runMatrix(t, draftMatrix, clients, shared, draft)
		got := owner.in(t).getClaimWS(shared.id)
		if got.Status != "draft" || got.Subject != "Changed by the matrix" || len(got.Documents) != 2 {
			t.Errorf("after the matrix the draft is %s %q with %d documents (want draft, the claimant's change, 2)",
				got.Status, got.Subject, len(got.Documents))
		}
	})
}

func (a *apiClient) getClaimWS(id string) wsClaim {
	a.t.Helper()
	resp, body := a.do(http.MethodGet, "/api/v1/claims/"+id, nil)
	return decodeWS(a.t, resp, body, 200)
}

// ---- Court decisions ---------------------------------------------------------------------------------

func TestCorrectionLoopEndsInAutomaticReturn(t *testing.T) {
	const timer = 3 * time.Second
	w := startWorkspace(t, timer)
	env := testenv.Get(t)
	owner := asPerson(t, w.portal, citizen(t, 0).IIN)
	routed, _ := owner.routedClaim()
	court, number := routed.Court.ID, routed.Number
	clerk := asPerson(t, w.portal, clerkOf(t, court).IIN)
	if _, ok := clerk.queue(court)[routed.ID]; !ok {
		t.Fatalf("routed claim not in the queue of %s", court)
	}

	leave := map[string]any{"action": "leave_without_motion", "reasons": []string{"demands_unclear"},
		"reason": "Укажите, какой именно акт обжалуется / State exactly which act you contest.", "correction_due": almatyToday()}
	resp, body := clerk.decide(routed.ID, leave)
	left := decodeWS(t, resp, body, 200)
	if left.Status != "left_without_motion" || left.CorrectionDue == nil || *left.CorrectionDue != almatyToday() {
		t.Fatalf("left without motion = %s, correction due %v", left.Status, left.CorrectionDue)
	}
	if _, ok := clerk.queue(court)[routed.ID]; ok {
		t.Fatal("a claim left without motion is still in the intake queue")
	}
	// The claimant reads the reasons word for word.
	seen := owner.getClaimWS(routed.ID)
	d := seen.lastDecision(t)
	if d.Action != "leave_without_motion" || d.Reason != leave["reason"] || !slices.Equal(d.Reasons, []string{"demands_unclear"}) {
		t.Fatalf("claimant sees decision %+v", d)
	}

	// The claimant corrects: edits an answer, adds a document, and resubmits.
	resp, body = owner.json(http.MethodPatch, "/api/v1/claims/"+routed.ID, `{"demands": "Annul notice 15-3/112 in full."}`)
	if c := decodeWS(t, resp, body, 200); c.Status != "left_without_motion" || c.Demands != "Annul notice 15-3/112 in full." {
		t.Fatalf("corrected = %s %q", c.Status, c.Demands)
	}
	owner.doc(owner.upload(routed.ID, file("clarified-demands.pdf", pdfOfSize(700)), kindField("other")))
	resp, body = owner.json(http.MethodPost, "/api/v1/claims/"+routed.ID+"/submit", nil)
	if c := decodeWS(t, resp, body, 200); c.Status != "submitted" || c.Number != number {
		t.Fatalf("resubmitted = %s %q, want submitted %q", c.Status, c.Number, number)
	}

	// It comes back to the same court's queue, with the same number.
	back := owner.waitStatus(routed.ID, "routed")
	if back.Court == nil || back.Court.ID != court || back.Number != number || back.Routing.Rule != "same_court_after_correction" || len(back.Documents) != 2 {
		t.Fatalf("back as %q at %+v by %+v with %d documents", back.Number, back.Court, back.Routing, len(back.Documents))
	}
	if got := clerk.queue(court)[routed.ID]; got != "routed@"+court {
		t.Fatalf("queue of %s shows the corrected claim as %q", court, got)
	}

	// Left without motion again; this time nobody corrects it.
	resp, body = clerk.decide(routed.ID, leave)
	if c := decodeWS(t, resp, body, 200); c.Status != "left_without_motion" {
		t.Fatalf("second decision = %s", c.Status)
	}
	second := owner.getClaimWS(routed.ID).lastDecision(t)

	// The check scheduled by the first decision belongs to a correction period that is over (the
	// claim was corrected): whenever it runs, even now, it must leave the claim alone.
	var firstCheck []byte
	if err := env.DB.Pool.QueryRow(context.Background(), `SELECT payload FROM outbox WHERE task_type = $1 AND payload->>'claim_id' = $2
		ORDER BY created_at, id LIMIT 1`, task.AutoReturn, routed.ID).Scan(&firstCheck); err != nil {
		t.Fatal(err)
	}
	h, err := worker.NewHandlers(w.cfg, env.DB, env.Store, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.AutoReturn(context.Background(), asynq.NewTask(task.AutoReturn, firstCheck)); err != nil {
		t.Fatal(err)
	}
	if c := owner.getClaimWS(routed.ID); c.Status != "left_without_motion" {
		t.Fatalf("the first correction period's check made the claim %s while the second period runs", c.Status)
	}

	// The scheduled check of the second decision returns it, with the statutory reason.
	returned := owner.waitStatus(routed.ID, "returned")
	ret := returned.lastDecision(t)
	if ret.Action != "return" || !slices.Equal(ret.Reasons, []string{"138-2-2"}) || ret.FromCourt != court {
		t.Fatalf("automatic return recorded as %+v", ret)
	}
	// asynq schedules to the whole second: allow that much (and a little) before the timer.
	if early := second.DecidedAt.Add(timer - 1500*time.Millisecond); ret.DecidedAt.Before(early) {
		t.Fatalf("returned at %s, before the correction timer of the second decision (%s) ran out", ret.DecidedAt, second.DecidedAt)
	}
	if len(returned.Decisions) != 3 || returned.events("claim.auto_returned") != 1 || returned.Number != number {
		t.Fatalf("decisions %+v, %d auto-return events", returned.Decisions, returned.events("claim.auto_returned"))
	}
	for _, e := range returned.Timeline {
		if e.Event == "claim.auto_returned" && e.Actor != "system" {
			t.Fatalf("automatic return by %q, want system", e.Actor)
		}
	}
	if _, ok := clerk.queue(court)[routed.ID]; ok {
		t.Fatal("a returned claim is still in the intake queue")
	}
	resp, body = owner.json(http.MethodPatch, "/api/v1/claims/"+routed.ID, `{"subject": "too late"}`)
	wantError(t, resp, body, 409, "conflict")
}

func TestTransferMovesTheClaimToTheOtherCourt(t *testing.T) {
	w := startWorkspace(t, 0)
	owner := asPerson(t, w.portal, citizen(t, 0).IIN)
	routed, doc := owner.routedClaim()
	from := routed.Court.ID
	toClerk := clerkNotOf(t, from)
	to := toClerk.CourtID
	fromC, toC := asPerson(t, w.portal, clerkOf(t, from).IIN), asPerson(t, w.portal, toClerk.IIN)

	if _, ok := toC.queue(to)[routed.ID]; ok {
		t.Fatal("the other court sees the claim before the transfer")
	}
	resp, body := toC.do(http.MethodGet, "/api/v1/claims/"+routed.ID, nil)
	wantError(t, resp, body, 404, "not_found")

	// A transfer needs another existing court and a reason.
	for _, bad := range []struct {
		in    map[string]any
		field string
	}{
		{map[string]any{"action": "transfer", "court_id": from, "reason": "same court"}, "court_id"},
		{map[string]any{"action": "transfer", "court_id": "smas-atlantis", "reason": "no such court"}, "court_id"},
		{map[string]any{"action": "transfer", "court_id": to}, "reason"},
	} {
		resp, body := fromC.decide(routed.ID, bad.in)
		wantError(t, resp, body, 422, "invalid", bad.field)
	}

	reason := "The contested act was issued by the body's office in another region."
	resp, body = fromC.decide(routed.ID, map[string]any{"action": "transfer", "court_id": to, "reason": reason})
	moved := decodeWS(t, resp, body, 200)
	if moved.Status != "routed" || moved.Court == nil || moved.Court.ID != to || moved.Routing.Rule != "transfer" ||
		!strings.Contains(moved.Routing.Explanation, reason) || moved.Number != routed.Number {
		t.Fatalf("transferred claim = %s at %+v by %+v", moved.Status, moved.Court, moved.Routing)
	}

	// It is in the new court's queue and no longer in the old one's.
	if got := toC.queue(to)[routed.ID]; got != "routed@"+to {
		t.Fatalf("queue of %s shows the claim as %q", to, got)
	}
	if _, ok := fromC.queue(from)[routed.ID]; ok {
		t.Fatalf("the claim is still in the queue of %s", from)
	}
	// The new court's clerk sees it and its documents, and decides; the old court's no longer can.
	got := toC.getClaimWS(routed.ID)
	if d := got.lastDecision(t); d.Action != "transfer" || d.FromCourt != from || d.ToCourt != to || d.Reason != reason {
		t.Fatalf("transfer recorded as %+v", d)
	}
	if resp, body := toC.do(http.MethodGet, "/api/v1/claims/"+routed.ID+"/documents/"+doc.ID, nil); resp.StatusCode != 200 || !bytes.Equal(body, pdfFile) {
		t.Fatalf("new court's download = %d", resp.StatusCode)
	}
	for _, path := range []string{"", "/documents/" + doc.ID, "/receipt.pdf"} {
		resp, body := fromC.do(http.MethodGet, "/api/v1/claims/"+routed.ID+path, nil)
		wantError(t, resp, body, 404, "not_found")
	}
	resp, body = fromC.decide(routed.ID, map[string]any{"action": "register"})
	wantError(t, resp, body, 404, "not_found")
	// The claimant and the respondent still see it, now with the new court.
	if c := owner.getClaimWS(routed.ID); c.Court == nil || c.Court.ID != to {
		t.Fatalf("claimant sees court %+v", c.Court)
	}
	if c := asPerson(t, w.portal, officerOf(t, respondentBIN).IIN).getClaimWS(routed.ID); c.Court == nil || c.Court.ID != to {
		t.Fatalf("respondent sees court %+v", c.Court)
	}
	resp, body = toC.decide(routed.ID, map[string]any{"action": "register"})
	if c := decodeWS(t, resp, body, 200); c.Status != "registered" || !strings.HasPrefix(c.CaseNumber, to+"/") {
		t.Fatalf("registered by the new court as %s %q", c.Status, c.CaseNumber)
	}
}

func TestRegisterGivesConsecutiveCaseNumbersAndRefusesWhatTheStateForbids(t *testing.T) {
	w := startWorkspace(t, 0)
	owner := asPerson(t, w.portal, citizen(t, 0).IIN)
	first, _ := owner.fileClaim()
	second, _ := owner.fileClaim()
	a := owner.waitStatus(first.ID, "routed")
	b := owner.waitStatus(second.ID, "routed")
	court := a.Court.ID
	if b.Court.ID != court {
		t.Fatalf("claims against the same body went to %s and %s", court, b.Court.ID)
	}
	clerk := asPerson(t, w.portal, clerkOf(t, court).IIN)

	format := regexp.MustCompile(`^` + regexp.QuoteMeta(court) + `/` + almatyYear() + `/(\d{5})$`)
	seq := func(c wsClaim) int {
		t.Helper()
		m := format.FindStringSubmatch(c.CaseNumber)
		if c.Status != "registered" || m == nil {
			t.Fatalf("registered = %s %q, want %s/%s/NNNNN", c.Status, c.CaseNumber, court, almatyYear())
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	resp, body := clerk.decide(a.ID, map[string]any{"action": "register"})
	n1 := seq(decodeWS(t, resp, body, 200))
	resp, body = clerk.decide(b.ID, map[string]any{"action": "register"})
	n2 := seq(decodeWS(t, resp, body, 200))
	if n2 != n1+1 {
		t.Fatalf("case numbers %d then %d, want consecutive", n1, n2)
	}
	if got := owner.getClaimWS(a.ID); got.CaseNumber != fmt.Sprintf("%s/%s/%05d", court, almatyYear(), n1) {
		t.Fatalf("claimant sees case number %q", got.CaseNumber)
	}
	if _, ok := clerk.queue(court)[a.ID]; ok {
		t.Fatal("a registered claim is still in the intake queue")
	}

	// From registered, no decision is allowed: each one is a 409 and changes nothing.
	refused := []map[string]any{
		{"action": "register"},
		{"action": "return", "reasons": []string{"138-2-1"}, "reason": "Not for this court."},
		{"action": "leave_without_motion", "reasons": []string{"duty_proof"}, "correction_due": almatyToday()},
		{"action": "transfer", "court_id": clerkNotOf(t, court).CourtID, "reason": "Elsewhere."},
	}
	for _, in := range refused {
		resp, body := clerk.decide(a.ID, in)
		wantError(t, resp, body, 409, "conflict")
	}
	// Nor from returned, once the court has returned a claim.
	third, _ := owner.routedClaim()
	resp, body = clerk.decide(third.ID, map[string]any{"action": "return", "reasons": []string{"138-2-1"}, "reason": "Another court's case."})
	if c := decodeWS(t, resp, body, 200); c.Status != "returned" || c.lastDecision(t).Reason != "Another court's case." {
		t.Fatalf("returned = %s", c.Status)
	}
	for _, in := range refused {
		resp, body := clerk.decide(third.ID, in)
		wantError(t, resp, body, 409, "conflict")
	}
	got := owner.getClaimWS(a.ID)
	if got.Status != "registered" || len(got.Decisions) != 1 || got.CaseNumber != fmt.Sprintf("%s/%s/%05d", court, almatyYear(), n1) {
		t.Fatalf("after refused decisions: %s %q with %d decisions", got.Status, got.CaseNumber, len(got.Decisions))
	}
	// An unknown action or reason code is a 422, not a decision.
	resp, body = clerk.decide(b.ID, map[string]any{"action": "annul"})
	wantError(t, resp, body, 422, "invalid", "action")
}

// ---- Responses -----------------------------------------------------------------------------------------

func TestLateResponseIsAcceptedFlaggedAndShownToTheClaimant(t *testing.T) {
	w := startWorkspace(t, 0)
	env := testenv.Get(t)
	claimant := citizen(t, 0)
	owner := asPerson(t, w.portal, claimant.IIN)
	routed, _ := owner.routedClaim()
	if routed.ResponseDue == nil {
		t.Fatal("a routed claim has no response due date")
	}
	officer := asPerson(t, w.portal, officerOf(t, respondentBIN).IIN)
	token := asToken(t, w.portal, createToken(t, w.portal, officerOf(t, respondentBIN)))

	// In time, through the body's own system: not late.
	resp, body := token.respond(routed.ID, "Preliminary position: the act is lawful.")
	var onTime struct {
		Late bool `json:"late"`
	}
	if err := json.Unmarshal(body, &onTime); resp.StatusCode != 201 || err != nil || onTime.Late {
		t.Fatalf("response in time = %d %s", resp.StatusCode, body)
	}

	// The due date passes.
	if _, err := env.DB.Pool.Exec(context.Background(), `UPDATE claims SET response_due = current_date - 3 WHERE id = $1`, routed.ID); err != nil {
		t.Fatal(err)
	}
	resp, body = officer.respond(routed.ID, "   ")
	wantError(t, resp, body, 422, "invalid", "text")

	text := "Full response: the notice was issued within the law (Tax Code Art. 115)."
	answer := pdfOfSize(900)
	resp, body = officer.respond(routed.ID, text, file("response.pdf", answer))
	var late struct {
		Text      string   `json:"text"`
		Late      bool     `json:"late"`
		Documents []docOut `json:"documents"`
	}
	if err := json.Unmarshal(body, &late); resp.StatusCode != 201 || err != nil {
		t.Fatalf("late response = %d %s", resp.StatusCode, body)
	}
	if !late.Late || late.Text != text || len(late.Documents) != 1 || late.Documents[0].SHA256 != sha256Hex(answer) {
		t.Fatalf("late response = %s", body)
	}

	// The claimant sees both responses, the late one flagged, and it is on the timeline.
	got := owner.getClaimWS(routed.ID)
	if len(got.Responses) != 2 || got.Responses[0].Late || !got.Responses[1].Late || got.Responses[1].Text != text ||
		got.Responses[1].BodyBIN != respondentBIN || len(got.Responses[1].Documents) != 1 {
		t.Fatalf("claimant sees responses %+v", got.Responses)
	}
	if got.events("claim.response") != 2 {
		t.Fatalf("timeline has %d responses: %+v", got.events("claim.response"), got.Timeline)
	}
	for _, e := range got.Timeline {
		if e.Event == "claim.response" && e.Actor != "respondent" {
			t.Fatalf("response on the timeline by %q, want respondent", e.Actor)
		}
	}
	resp, body = owner.do(http.MethodGet, "/api/v1/claims/"+routed.ID+"/documents/"+got.Responses[1].Documents[0].ID, nil)
	if resp.StatusCode != 200 || !bytes.Equal(body, answer) {
		t.Fatalf("claimant's download of the response document = %d", resp.StatusCode)
	}
	// The court sees it too, and its queue says the claim has been answered.
	clerk := asPerson(t, w.portal, clerkOf(t, routed.Court.ID).IIN)
	if c := clerk.getClaimWS(routed.ID); len(c.Responses) != 2 || !c.Responses[1].Late {
		t.Fatalf("court sees responses %+v", c.Responses)
	}

	// And the claimant is told, in the portal.
	testenv.WaitFor(t, 15*time.Second, "the claimant's notice of the response", func() bool {
		ns, err := env.DB.NoticesFor(context.Background(), claimant.IIN, 200)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range ns {
			if x.ClaimID == routed.ID && x.Kind == "response" {
				n++
			}
		}
		return n == 2
	})
	page := asPerson(t, w.portal, claimant.IIN)
	resp, body = page.do(http.MethodGet, "/notices", nil, "Accept", "text/html", "Accept-Language", "en")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "/claims/"+routed.ID) || !strings.Contains(string(body), routed.Number) {
		t.Fatalf("notices page = %d without the claim", resp.StatusCode)
	}

	// Once the court has decided, the respondent can no longer answer.
	resp, body = clerk.decide(routed.ID, map[string]any{"action": "return", "reasons": []string{"138-2-1"}})
	decodeWS(t, resp, body, 200)
	resp, body = officer.respond(routed.ID, "Too late now.")
	wantError(t, resp, body, 409, "conflict")
}
