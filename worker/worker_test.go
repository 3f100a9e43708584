package worker_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"talap/portal/claim"
	"talap/portal/config"
	"talap/portal/storage"
	"talap/portal/testenv"
	"talap/worker"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

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

func submitClaim(t *testing.T, db *storage.DB, region string) string {
	t.Helper()
	ctx := context.Background()
	iin := "900101300123"
	created, err := db.CreateDraft(ctx, iin, claim.Draft{Category: "tax", Kind: "challenge", RespondentBIN: respondentIn(t, db, region), Subject: "tax notice"})
	if err != nil {
		t.Fatal(err)
	}
	id := created.ID
	if _, err := db.Submit(ctx, id, iin, noCheck); err != nil {
		t.Fatal(err)
	}
	return id
}

func runWorker(t *testing.T, cfg config.Config, db *storage.DB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- worker.Run(ctx, cfg, db, quiet) }()
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

func TestSubmittedClaimIsRoutedToTheCourtOfTheRespondent(t *testing.T) {
	env := testenv.Get(t)
	runWorker(t, fastConfig(env), env.DB)
	id := submitClaim(t, env.DB, "75")
	c := waitStatus(t, env.DB, id, claim.StatusRouted, 20*time.Second)
	if c.Routing == nil || c.Routing.CourtID != "smas-almaty" || c.Routing.Rule != "respondent_location" {
		t.Fatalf("routing = %+v, want the Almaty city court by respondent location", c.Routing)
	}
	for _, l := range []string{"kk", "ru", "en"} {
		if c.Routing.Explanation.In(l) == "" {
			t.Errorf("no %s explanation", l)
		}
	}
	if n := countEvents(t, env.DB, id, "claim.routed"); n != 1 {
		t.Fatalf("routed events = %d, want 1", n)
	}
	if n, err := env.DB.VerifyAudit(context.Background()); err != nil || n == 0 {
		t.Fatalf("audit chain: %d events, %v", n, err)
	}
}

func TestRepeatedDeliveryOfRouteTaskChangesNothing(t *testing.T) {
	env := testenv.Get(t)
	id := submitClaim(t, env.DB, "71")
	h := &worker.Handlers{DB: env.DB, Log: quiet}
	task := asynq.NewTask(storage.TaskRouteClaim, []byte(`{"claim_id":"`+id+`"}`))
	for i := 0; i < 3; i++ {
		if err := h.RouteClaim(context.Background(), task); err != nil {
			t.Fatal(err)
		}
	}
	if n := countEvents(t, env.DB, id, "claim.routed"); n != 1 {
		t.Fatalf("routed events = %d, want 1", n)
	}
}

func TestRouteTaskForUnknownClaimIsNotRetried(t *testing.T) {
	h := &worker.Handlers{DB: testenv.Get(t).DB, Log: quiet}
	err := h.RouteClaim(context.Background(), asynq.NewTask(storage.TaskRouteClaim, []byte(`{"claim_id":"00000000-0000-0000-0000-000000000000"}`)))
	if err == nil || !isSkipRetry(err) {
		t.Fatalf("err = %v, want SkipRetry", err)
	}
}

func isSkipRetry(err error) bool { return errors.Is(err, asynq.SkipRetry) }

func TestClaimSubmittedWhileRedisIsDownIsRoutedOnceRedisReturns(t *testing.T) {
	env := testenv.Get(t)
	redis := testenv.StartRedis(t)
	cfg := fastConfig(env)
	cfg.RedisAddr = redis.Addr
	runWorker(t, cfg, env.DB)

	redis.Stop()
	id := submitClaim(t, env.DB, "35")
	testenv.WaitFor(t, 30*time.Second, "the relay to fail against the stopped Redis", func() bool {
		var failed int
		err := env.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND last_error <> ''`).Scan(&failed)
		return err == nil && failed > 0
	})
	if c, _ := env.DB.Claim(context.Background(), id); c.Status != claim.StatusSubmitted {
		t.Fatalf("status while Redis is down = %s, want submitted", c.Status)
	}

	redis.Start()
	waitStatus(t, env.DB, id, claim.StatusRouted, 30*time.Second)
	if n := countEvents(t, env.DB, id, "claim.routed"); n != 1 {
		t.Fatalf("routed events = %d, want 1", n)
	}
}

func noCheck(claim.Claim) claim.FieldErrors { return nil }
