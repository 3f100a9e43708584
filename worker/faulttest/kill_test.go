// Package faulttest kills and restarts real processes and services under the pipeline, in a
// database of its own so nothing else runs beside it.
package faulttest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"talap/portal/claim"
	"talap/portal/document"
	"talap/portal/filing"
	"talap/portal/storage"
	"talap/portal/testenv"
	"talap/worker"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

const citizen = "850412300016"

func fileClaim(t *testing.T, env *testenv.Env, email string) claim.Claim {
	t.Helper()
	ctx := context.Background()
	bodies, err := env.DB.SearchBodies(ctx, "", 1)
	if err != nil || len(bodies) == 0 {
		t.Fatalf("no seeded body: %v", err)
	}
	now := time.Now()
	issued, _ := claim.ParseDate(now.AddDate(0, 0, -5).Format(time.DateOnly))
	c, err := env.DB.CreateDraft(ctx, citizen, claim.Draft{Category: "tax", Kind: "challenge", RespondentBIN: bodies[0].BIN,
		Subject: "Tax notice", Grounds: "Wrong.", Demands: "Annul.", ContestedAct: claim.Act{Number: fmt.Sprint(now.UnixNano()), IssuedOn: &issued, ReceivedOn: &issued},
		Pretrial: claim.Pretrial{ExemptReason: "law_exempts"}, Claimant: claim.Contacts{ResidenceKATO: "711110000", Email: email}, DutyExemption: "disability"}, 100)
	if err != nil {
		t.Fatal(err)
	}
	st, err := document.Put(ctx, env.Store, c.ID, "a.pdf", strings.NewReader("%PDF-1.7\n"+c.ID), -1, 1<<20)
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

func events(t *testing.T, db *storage.DB, id, event string) int {
	t.Helper()
	evs, err := db.ClaimEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Event == event {
			n++
		}
	}
	return n
}

func mailSubjects(t *testing.T, to string) []string {
	t.Helper()
	resp, err := http.Get("http://127.0.0.1:8025/api/v1/search?query=" + url.QueryEscape("to:"+to))
	if err != nil {
		t.Fatalf("Mailpit API: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		Messages []struct{ Subject string } `json:"messages"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	var s []string
	for _, m := range out.Messages {
		s = append(s, m.Subject)
	}
	return s
}

func waitRouted(t *testing.T, db *storage.DB, id string, timeout time.Duration) {
	t.Helper()
	testenv.WaitFor(t, timeout, "claim routed", func() bool {
		c, err := db.Claim(context.Background(), id)
		return err == nil && c.Status == claim.StatusRouted
	})
}

func TestWorkerKilledDuringValidationGivesOneOutcomeAndOneEmail(t *testing.T) {
	env := testenv.Get(t)
	bin := testenv.Build(t, "./cmd/worker")
	ctx := context.Background()
	email := fmt.Sprintf("kill-%d@example.kz", time.Now().UnixNano())

	// Hold the claim's row so the worker's validation blocks inside the task.
	lock, err := env.DB.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback(ctx) //nolint:errcheck
	c := fileClaim(t, env, email)
	if _, err := lock.Exec(ctx, `SELECT 1 FROM claims WHERE id = $1 FOR UPDATE`, c.ID); err != nil {
		t.Fatal(err)
	}
	first := exec.Command(bin)
	first.Env = env.Environ()
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	testenv.WaitFor(t, 30*time.Second, "the worker to block inside the validate task", func() bool {
		var waiting int
		_ = env.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%claims%'`).Scan(&waiting)
		return waiting > 0
	})
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}

	// A new worker recovers the task once the dead worker's lease expires (asynq: about a minute).
	second := exec.Command(bin)
	second.Env = env.Environ()
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = second.Process.Signal(syscall.SIGTERM); _ = second.Wait() }()
	waitRouted(t, env.DB, c.ID, 3*time.Minute)
	for _, ev := range []string{"claim.validated", "claim.routed"} {
		if n := events(t, env.DB, c.ID, ev); n != 1 {
			t.Fatalf("%s events = %d, want exactly 1", ev, n)
		}
	}
	testenv.WaitFor(t, 30*time.Second, "the routed e-mail", func() bool {
		for _, s := range mailSubjects(t, email) {
			if strings.Contains(s, c.Number) && !strings.Contains(strings.ToLower(s), "filed") && !strings.Contains(s, "подан") {
				return true
			}
		}
		return false
	})
	routedMails := 0
	for _, s := range mailSubjects(t, email) {
		if strings.Contains(s, "суд") || strings.Contains(s, "court") || strings.Contains(s, "сот") {
			routedMails++
		}
	}
	if routedMails != 1 {
		t.Fatalf("routed e-mails = %d (%q), want exactly 1", routedMails, mailSubjects(t, email))
	}
}

func TestRedisRestartMidBatchRoutesEveryClaimOnce(t *testing.T) {
	env := testenv.Get(t)
	redis := testenv.StartRedis(t)
	cfg := env.Config
	cfg.RedisAddr = redis.Addr
	cfg.OutboxInterval = 200 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- worker.Run(ctx, cfg, env.DB, env.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() { cancel(); <-done }()

	const n = 30
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		if i == n/2 {
			redis.Stop()
			wg.Add(1)
			go func() { defer wg.Done(); time.Sleep(time.Second); redis.Start() }()
		}
		ids[i] = fileClaim(t, env, fmt.Sprintf("batch-%d-%d@example.kz", time.Now().UnixNano(), i)).ID
	}
	wg.Wait()
	for _, id := range ids {
		waitRouted(t, env.DB, id, time.Minute)
	}
	for _, id := range ids {
		if got := events(t, env.DB, id, "claim.routed"); got != 1 {
			t.Fatalf("claim %s routed %d times, want once", id, got)
		}
	}
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
