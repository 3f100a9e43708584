package worker_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/minio/minio-go/v7"

	"talap/portal/claim"
	"talap/portal/config"
	"talap/portal/document"
	"talap/portal/filing"
	"talap/portal/storage"
	"talap/portal/task"
	"talap/portal/testenv"
	"talap/worker"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

const citizen = "850412300016"

func respondentIn(t *testing.T, db *storage.DB, region string) string {
	t.Helper()
	bodies, err := db.SearchBodies(context.Background(), "", 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bodies {
		if b.KATO[:2] == region {
			return b.BIN
		}
	}
	t.Fatalf("no seeded body in region %s", region)
	return ""
}

func day(s string) *claim.Date {
	d, err := claim.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

// completeDraft is a claim a citizen could file: every answer given, duty exempt.
func completeDraft(t *testing.T, db *storage.DB, region string) claim.Draft {
	now := time.Now()
	return claim.Draft{Category: "tax", Kind: "challenge", RespondentBIN: respondentIn(t, db, region),
		Subject: "Tax notice", Grounds: "The notice is wrong.", Demands: "Annul the notice.",
		ContestedAct:  claim.Act{Number: fmt.Sprintf("N-%d", now.UnixNano()), IssuedOn: day(now.AddDate(0, 0, -10).Format(time.DateOnly)), ReceivedOn: day(now.AddDate(0, 0, -9).Format(time.DateOnly))},
		Pretrial:      claim.Pretrial{ExemptReason: "law_exempts"},
		Claimant:      claim.Contacts{ResidenceKATO: "751110000", Email: fmt.Sprintf("c%d@example.kz", now.UnixNano())},
		DutyExemption: "disability"}
}

// file creates the claim, uploads a real PDF to storage and submits it.
func file(t *testing.T, env *testenv.Env, d claim.Draft) claim.Claim {
	t.Helper()
	ctx := context.Background()
	c, err := env.DB.CreateDraft(ctx, citizen, d, 100)
	if err != nil {
		t.Fatal(err)
	}
	st, err := document.Put(ctx, env.Store, c.ID, "evidence.pdf", strings.NewReader("%PDF-1.7\nevidence "+c.ID), -1, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.AddDocument(ctx, c.ID, citizen, claim.Document{ID: st.ID, Kind: "evidence", Name: st.Name, Size: st.Size,
		ContentType: st.ContentType, SHA256: st.SHA256, Key: st.Key, VersionID: st.VersionID}, storage.DocumentLimits{Bytes: 1 << 30, Count: 100}); err != nil {
		t.Fatal(err)
	}
	c, err = filingOn(t, env).Submit(ctx, citizen, "Test Citizen", c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func runWorker(t *testing.T, cfg config.Config, env *testenv.Env) {
	t.Helper()
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

func waitStatus(t *testing.T, db *storage.DB, id string, want claim.Status, timeout time.Duration) claim.Claim {
	t.Helper()
	var c claim.Claim
	testenv.WaitFor(t, timeout, "claim "+string(want), func() bool {
		var err error
		c, err = db.Claim(context.Background(), id)
		return err == nil && c.Status == want
	})
	return c
}

func countEvents(t *testing.T, db *storage.DB, id, event string) int {
	t.Helper()
	events, err := db.ClaimEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Event == event {
			n++
		}
	}
	return n
}

func fastConfig(env *testenv.Env) config.Config {
	cfg := env.Config
	cfg.OutboxInterval = 200 * time.Millisecond
	return cfg
}

// mails returns the messages Mailpit holds for an address, with their subjects.
func mails(t *testing.T, to string) []string {
	t.Helper()
	resp, err := http.Get("http://127.0.0.1:8025/api/v1/search?query=" + url.QueryEscape("to:"+to))
	if err != nil {
		t.Fatalf("Mailpit API: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		Messages []struct{ Subject string } `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, m := range out.Messages {
		subjects = append(subjects, m.Subject)
	}
	return subjects
}

func TestFiledClaimIsValidatedRoutedAndTheClaimantEmailed(t *testing.T) {
	env := testenv.Get(t)
	runWorker(t, fastConfig(env), env)
	d := completeDraft(t, env.DB, "75")
	c := file(t, env, d)
	c = waitStatus(t, env.DB, c.ID, claim.StatusRouted, 30*time.Second)
	if c.Routing == nil || c.Routing.CourtID != "smas-almaty" || c.Routing.Rule != "respondent_location" {
		t.Fatalf("routing = %+v, want the Almaty city court by respondent location", c.Routing)
	}
	for _, l := range []string{"kk", "ru", "en"} {
		if c.Routing.Explanation.In(l) == "" {
			t.Errorf("no %s explanation", l)
		}
	}
	if n := countEvents(t, env.DB, c.ID, "claim.routed"); n != 1 {
		t.Fatalf("routed events = %d, want 1", n)
	}
	testenv.WaitFor(t, 20*time.Second, "the filed and routed e-mails in Mailpit", func() bool { return len(mails(t, d.Claimant.Email)) >= 2 })
	subjects := strings.Join(mails(t, d.Claimant.Email), " | ")
	if !strings.Contains(subjects, c.Number) {
		t.Fatalf("e-mails %q do not name claim %s", subjects, c.Number)
	}
	// The worker's sealer links every event into the chain on its own.
	testenv.WaitFor(t, 10*time.Second, "every audit event sealed into the chain", func() bool {
		check, err := env.DB.VerifyAudit(context.Background())
		if err != nil {
			t.Fatalf("audit chain: %+v, %v", check, err)
		}
		return check.Verified > 0 && check.Unsealed == 0
	})
	if routed, err := env.DB.Claim(context.Background(), c.ID); err != nil || routed.ResponseDue == nil {
		t.Fatalf("response due not set: %v", err)
	}
}

func TestDocumentOverwrittenBehindThePortalsBackSendsTheClaimBack(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	c := file(t, env, completeDraft(t, env.DB, "71"))
	doc := c.Documents[0]
	if _, err := env.Store.Client.PutObject(ctx, env.Store.Bucket, doc.Key, bytes.NewReader([]byte("%PDF-1.7\nforged")), -1, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	runWorker(t, fastConfig(env), env)
	c = waitStatus(t, env.DB, c.ID, claim.StatusNeedsCorrection, 30*time.Second)
	if len(c.Problems) != 1 || c.Problems[0].Code != "document_changed" || c.Problems[0].Message.RU == "" {
		t.Fatalf("problems = %+v, want document_changed", c.Problems)
	}
}

func TestLateClaimIsRoutedWithItsFlag(t *testing.T) {
	env := testenv.Get(t)
	runWorker(t, fastConfig(env), env)
	d := completeDraft(t, env.DB, "35")
	d.ContestedAct.IssuedOn, d.ContestedAct.ReceivedOn = day("2025-01-10"), day("2025-01-15")
	c := waitStatus(t, env.DB, file(t, env, d).ID, claim.StatusRouted, 30*time.Second)
	var late *claim.Notice
	for i, f := range c.Flags {
		if f.Code == "late" {
			late = &c.Flags[i]
		}
	}
	if late == nil || !strings.Contains(late.Message.EN, "136") || !strings.Contains(late.Message.EN, "2025-01-15") && !strings.Contains(late.Message.EN, "15.01.2025") {
		t.Fatalf("flags = %+v, want a late flag citing Art. 136 and the date received", c.Flags)
	}
}

func TestResidenceRuleSendsTheClaimToTheResidenceCourt(t *testing.T) {
	env := testenv.Get(t)
	runWorker(t, fastConfig(env), env)
	d := completeDraft(t, env.DB, "71") // respondent in Astana
	d.HearAtResidence = true
	d.Claimant.ResidenceKATO = "751110000" // lives in Almaty
	c := waitStatus(t, env.DB, file(t, env, d).ID, claim.StatusRouted, 30*time.Second)
	if c.Routing.CourtID != "smas-almaty" || c.Routing.Rule != "claimant_residence" {
		t.Fatalf("routing = %+v, want the Almaty court by the residence rule", c.Routing)
	}
}

func TestRepeatedDeliveryOfEveryTaskChangesNothing(t *testing.T) {
	env := testenv.Get(t)
	h, err := worker.NewHandlers(env.Config, env.DB, env.Store, quiet)
	if err != nil {
		t.Fatal(err)
	}
	c := file(t, env, completeDraft(t, env.DB, "71"))
	payload := []byte(`{"claim_id":"` + c.ID + `"}`)
	for i := 0; i < 3; i++ {
		if err := h.ValidateClaim(context.Background(), asynq.NewTask(task.ValidateClaim, payload)); err != nil {
			t.Fatal(err)
		}
		if err := h.RouteClaim(context.Background(), asynq.NewTask(task.RouteClaim, payload)); err != nil {
			t.Fatal(err)
		}
		notify := []byte(`{"claim_id":"` + c.ID + `","event":"routed"}`)
		if err := h.Notify(context.Background(), asynq.NewTask(task.Notify, notify)); err != nil {
			t.Fatal(err)
		}
	}
	for _, ev := range []string{"claim.validated", "claim.routed"} {
		if n := countEvents(t, env.DB, c.ID, ev); n != 1 {
			t.Fatalf("%s events = %d, want 1", ev, n)
		}
	}
	notices, err := env.DB.NoticesFor(context.Background(), citizen, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range notices {
		if x.ClaimID == c.ID && x.Kind == "routed" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("routed notices = %d, want 1", n)
	}
}

func TestTaskForUnknownClaimIsNotRetried(t *testing.T) {
	env := testenv.Get(t)
	h, err := worker.NewHandlers(env.Config, env.DB, env.Store, quiet)
	if err != nil {
		t.Fatal(err)
	}
	payload := []byte(`{"claim_id":"00000000-0000-0000-0000-000000000000"}`)
	for _, task := range []func(context.Context, *asynq.Task) error{h.ValidateClaim, h.RouteClaim} {
		if err := task(context.Background(), asynq.NewTask("x", payload)); !errors.Is(err, asynq.SkipRetry) {
			t.Fatalf("err = %v, want SkipRetry", err)
		}
	}
}

func TestClaimSubmittedWhileRedisIsDownIsRoutedOnceRedisReturns(t *testing.T) {
	env := testenv.Get(t)
	redis := testenv.StartRedis(t)
	cfg := fastConfig(env)
	cfg.RedisAddr = redis.Addr
	runWorker(t, cfg, env)

	redis.Stop()
	c := file(t, env, completeDraft(t, env.DB, "35"))
	testenv.WaitFor(t, 30*time.Second, "the relay to fail against the stopped Redis", func() bool {
		var failed int
		err := env.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND last_error <> ''`).Scan(&failed)
		return err == nil && failed > 0
	})
	if got, _ := env.DB.Claim(context.Background(), c.ID); got.Status != claim.StatusSubmitted {
		t.Fatalf("status while Redis is down = %s, want submitted", got.Status)
	}
	redis.Start()
	waitStatus(t, env.DB, c.ID, claim.StatusRouted, 30*time.Second)
	if n := countEvents(t, env.DB, c.ID, "claim.routed"); n != 1 {
		t.Fatalf("routed events = %d, want 1", n)
	}
}

func TestStuckClaimIsSentThroughAgain(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	c := file(t, env, completeDraft(t, env.DB, "71"))
	// Lose the outbox rows, as if the queue had swallowed the task, and age the claim.
	if _, err := env.DB.Pool.Exec(ctx, `UPDATE outbox SET sent_at = now() WHERE payload->>'claim_id' = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Pool.Exec(ctx, `UPDATE claims SET updated_at = now() - interval '1 hour' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	cfg := fastConfig(env)
	cfg.StuckAfter = time.Minute
	runWorker(t, cfg, env)
	waitStatus(t, env.DB, c.ID, claim.StatusRouted, 30*time.Second)
}

// filingOn is the filing use case on the test package's database.
func filingOn(t testing.TB, env *testenv.Env) *filing.Service {
	t.Helper()
	fs, err := filing.New(env.DB, env.Config)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}
