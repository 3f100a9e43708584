// Package faulttest kills and restarts real processes and services under the pipeline, in a
// database of its own so nothing else runs beside it.
package faulttest

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"talap/portal/claim"
	"talap/portal/storage"
	"talap/portal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

func submitClaim(t *testing.T, db *storage.DB) string {
	t.Helper()
	ctx := context.Background()
	bodies, err := db.SearchBodies(ctx, "", 1)
	if err != nil || len(bodies) == 0 {
		t.Fatalf("no seeded body: %v", err)
	}
	iin := "900101300123"
	created, err := db.CreateDraft(ctx, iin, claim.Draft{Category: "tax", Kind: "challenge", RespondentBIN: bodies[0].BIN, Subject: "tax notice"})
	if err != nil {
		t.Fatal(err)
	}
	id := created.ID
	if _, err := db.Submit(ctx, id, iin, noCheck); err != nil {
		t.Fatal(err)
	}
	return id
}

func routedEvents(t *testing.T, db *storage.DB, id string) int {
	t.Helper()
	events, err := db.ClaimEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Event == "claim.routed" {
			n++
		}
	}
	return n
}

func TestWorkerKilledMidTaskLeadsToExactlyOneRoutedEvent(t *testing.T) {
	env := testenv.Get(t)
	bin := testenv.Build(t, "./cmd/worker")
	ctx := context.Background()

	// Hold the claim's row so the worker's route transaction blocks inside the task.
	lock, err := env.DB.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback(ctx) //nolint:errcheck
	id := submitClaim(t, env.DB)
	if _, err := lock.Exec(ctx, `SELECT 1 FROM claims WHERE id = $1 FOR UPDATE`, id); err != nil {
		t.Fatal(err)
	}

	first := exec.Command(bin)
	first.Env = env.Environ()
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	testenv.WaitFor(t, 30*time.Second, "the worker to block inside the route task", func() bool {
		var waiting int
		_ = env.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE OF c%'`).Scan(&waiting)
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
	testenv.WaitFor(t, 3*time.Minute, "the claim to be routed by the second worker", func() bool {
		c, err := env.DB.Claim(ctx, id)
		return err == nil && c.Status == claim.StatusRouted
	})
	if n := routedEvents(t, env.DB, id); n != 1 {
		t.Fatalf("routed events = %d, want exactly 1", n)
	}
}

func noCheck(claim.Claim) claim.FieldErrors { return nil }
