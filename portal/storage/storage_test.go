package storage_test

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"talap/portal/claim"
	"talap/portal/storage"
	"talap/portal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

const citizen = "900101300123"

func draft(t *testing.T, db *storage.DB) string {
	t.Helper()
	bodies, err := db.SearchBodies(context.Background(), "", 1)
	if err != nil || len(bodies) == 0 {
		t.Fatalf("no seeded body: %v", err)
	}
	created, err := db.CreateDraft(context.Background(), citizen, claim.Draft{Category: "housing", Kind: "challenge", RespondentBIN: bodies[0].BIN, Subject: "eviction order"}, 100)
	if err != nil {
		t.Fatal(err)
	}
	return created.ID
}

func TestSubmitWritesStatusNumberAuditAndOutboxTogether(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	before, _ := db.UnsentOutbox(ctx)
	id := draft(t, db)
	c, err := submit(ctx, db, id, citizen)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != claim.StatusSubmitted || !regexp.MustCompile(`^TLP-\d{4}-\d{6}$`).MatchString(c.Number) {
		t.Fatalf("submitted claim = %s %q", c.Status, c.Number)
	}
	// One row asks for validation, one for the "filed" notice.
	if after, _ := db.UnsentOutbox(ctx); after != before+2 {
		t.Fatalf("outbox rows %d → %d, want two more", before, after)
	}
	events, _ := db.ClaimEvents(ctx, id)
	if len(events) != 2 || events[1].Event != "claim.submitted" {
		t.Fatalf("events = %+v", events)
	}
}

func TestSubmitRefusesOtherPeopleAndWrongStates(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	id := draft(t, db)
	if _, err := submit(ctx, db, id, "850412300016"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("someone else's claim: %v, want ErrNotFound", err)
	}
	if _, err := submit(ctx, db, "00000000-0000-0000-0000-000000000000", citizen); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown claim: %v, want ErrNotFound", err)
	}
	first, err := submit(ctx, db, id, citizen)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := submit(ctx, db, id, citizen); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("second submit: %v, want ErrConflict", err)
	}
	if c, _ := db.Claim(ctx, id); c.Number != first.Number {
		t.Fatalf("number changed to %s", c.Number)
	}
}

func TestAuditLogIsAppendOnlyAndVerifiable(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	draft(t, db)
	if _, err := db.SealAllAudit(ctx); err != nil {
		t.Fatal(err)
	}
	if check, err := db.VerifyAudit(ctx); err != nil || check.Verified == 0 {
		t.Fatalf("verify: %+v %v", check, err)
	}
	for _, stmt := range []string{
		`UPDATE audit_events SET actor = 'x'`,
		`DELETE FROM audit_events`,
		`TRUNCATE audit_events`,
		// A sealed event cannot be sealed again, nor its content changed while it is sealed.
		`UPDATE audit_events SET seq = seq + 1000000`,
		`UPDATE audit_events SET hash = repeat('a', 64)`,
	} {
		_, err := db.Pool.Exec(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refusal", stmt, err)
		}
	}
	// An unsealed event's content cannot change on the way to being sealed either.
	draft(t, db)
	_, err := db.Pool.Exec(ctx, `UPDATE audit_events SET data = '{"forged":true}', seq = 999999999, prev_hash = repeat('0', 64), hash = repeat('b', 64) WHERE seq IS NULL`)
	if err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("content changed while sealing: %v, want refusal", err)
	}
}

// Events are written without a lock, so one committed late (a lower id, visible after higher ids
// were sealed) must still be sealed, after them, and the chain must hold.
func TestAuditEventCommittedLateIsSealedAfterLaterOnes(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	if _, err := db.SealAllAudit(ctx); err != nil {
		t.Fatal(err)
	}
	late, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer late.Rollback(ctx)
	var lateID int64
	if err := late.QueryRow(ctx, `INSERT INTO audit_events (at, actor, event, data) VALUES (now(), 'test', 'test.late', '{}') RETURNING id`).Scan(&lateID); err != nil {
		t.Fatal(err)
	}
	draft(t, db) // commits an event with a higher id
	if n, err := db.SealAllAudit(ctx); err != nil || n != 1 {
		t.Fatalf("sealed %d (%v), want the one committed event", n, err)
	}
	if err := late.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := db.SealAllAudit(ctx); err != nil || n != 1 {
		t.Fatalf("sealed %d (%v), want the late event", n, err)
	}
	var lateSeq, maxSeq int64
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT seq FROM audit_events WHERE id = $1), (SELECT max(seq) FROM audit_events)`, lateID).Scan(&lateSeq, &maxSeq); err != nil {
		t.Fatal(err)
	}
	if lateSeq != maxSeq {
		t.Fatalf("late event has place %d, want the last place %d", lateSeq, maxSeq)
	}
	check, err := db.VerifyAudit(ctx)
	if err != nil || check.Unsealed != 0 {
		t.Fatalf("verify: %+v %v", check, err)
	}
}

// Writers in parallel never wait for each other; two sealers at once still make one chain.
func TestConcurrentWritersAndSealersMakeOneChain(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	errs := make(chan error, 24)
	for i := 0; i < 24; i++ {
		go func() {
			if i%3 == 0 {
				_, err := db.SealAudit(ctx, 5)
				errs <- err
				return
			}
			bodies, err := db.SearchBodies(ctx, "", 1)
			if err == nil {
				_, err = db.CreateDraft(ctx, citizen, claim.Draft{Category: "tax", Kind: "challenge", RespondentBIN: bodies[0].BIN}, 1000)
			}
			errs <- err
		}()
	}
	for i := 0; i < 24; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SealAllAudit(ctx); err != nil {
		t.Fatal(err)
	}
	var total int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	check, err := db.VerifyAudit(ctx)
	if err != nil || check.Verified != total || check.Unsealed != 0 {
		t.Fatalf("verify: %+v of %d events, %v", check, total, err)
	}
}

func TestVerifyAuditFindsATamperedEvent(t *testing.T) {
	// A fresh database of its own, since this test breaks the chain on purpose.
	env := testenv.Get(t)
	ctx := context.Background()
	dsn := strings.Replace(env.Config.DatabaseURL, "/talap_test_", "/talap_tamper_", 1)
	if err := storage.EnsureDatabase(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = storage.DropDatabase(context.Background(), dsn) })
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	draft(t, db)
	draft(t, db)
	if _, err := db.SealAllAudit(ctx); err != nil {
		t.Fatal(err)
	}
	// Only a superuser who switches the guard off can edit; the chain still tells.
	_, err = db.Pool.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER USER;
		UPDATE audit_events SET data = '{"forged":true}' WHERE id = (SELECT min(id) FROM audit_events)`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.VerifyAudit(ctx); err == nil || !strings.Contains(err.Error(), "altered") {
		t.Fatalf("verify after tampering: %v, want an error", err)
	}
}

func TestRegistryUpsertIsRepeatable(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	if err := db.Seed(ctx); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	courts, err := db.Courts(ctx)
	if err != nil || len(courts) != 20 {
		t.Fatalf("courts after reseed = %d %v", len(courts), err)
	}
}

// submit files a claim as the filing use case does, without its completeness check and receipt:
// the claim as read, a reserved number, now.
func submit(ctx context.Context, db *storage.DB, id, claimantIIN string) (claim.Claim, error) {
	c, err := db.Claim(ctx, id)
	if err != nil {
		return c, err
	}
	c.ClaimantIIN = claimantIIN // the owner the caller claims to be
	number := c.Number
	if number == "" {
		if number, err = db.ReserveClaimNumber(ctx, time.Now()); err != nil {
			return c, err
		}
	}
	return db.Submit(ctx, storage.Filing{Read: c, Number: number, FiledAt: time.Now().UTC().Truncate(time.Microsecond)})
}

func TestQueuesPageWithTheirCursorsInOrder(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	var ids []string
	for i := 0; i < 5; i++ {
		id := draft(t, db)
		_, err := db.Pool.Exec(ctx, `UPDATE claims SET status = 'routed', court_id = 'smas-ulytau-region',
			routed_at = now() - make_interval(mins => $2) WHERE id = $1`, id, 10-i)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	walk := func(list func(*storage.Cursor) ([]storage.QueueItem, error)) []string {
		var got []string
		var after *storage.Cursor
		for {
			page, err := list(after)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page {
				got = append(got, it.ID)
			}
			if len(page) < 2 {
				return got
			}
			last := page[len(page)-1]
			after = &storage.Cursor{At: *last.RoutedAt, ID: last.ID}
		}
	}
	court := walk(func(c *storage.Cursor) ([]storage.QueueItem, error) {
		return db.CourtQueue(ctx, "smas-ulytau-region", storage.QueueFilter{}, c, 2)
	})
	if strings.Join(court, ",") != strings.Join(ids, ",") {
		t.Fatalf("court queue pages = %v, want oldest first %v", court, ids)
	}
	bin := ""
	if err := db.Pool.QueryRow(ctx, `SELECT respondent_bin FROM claims WHERE id = $1`, ids[0]).Scan(&bin); err != nil {
		t.Fatal(err)
	}
	body := walk(func(c *storage.Cursor) ([]storage.QueueItem, error) {
		return db.BodyClaims(ctx, bin, storage.QueueFilter{Status: "routed"}, c, 2)
	})
	var mine []string
	for _, id := range body {
		for _, want := range ids {
			if id == want {
				mine = append(mine, id)
			}
		}
	}
	for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
		ids[i], ids[j] = ids[j], ids[i]
	}
	if strings.Join(mine, ",") != strings.Join(ids, ",") {
		t.Fatalf("body list pages = %v, want newest first %v", mine, ids)
	}
}

// A change that waits for a claim's row lock must see the documents as they are once it has the
// lock, not as they were when it started waiting.
func TestLockedClaimReadSeesDocumentsChangedWhileItWaited(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	id := draft(t, db)
	doc, err := db.AddDocument(ctx, id, citizen, claim.Document{ID: uuid.NewString(), Kind: "evidence", Name: "a.pdf", Size: 10,
		ContentType: "application/pdf", SHA256: strings.Repeat("a", 64), Key: "claims/" + id + "/a", VersionID: "v1"}, storage.DocumentLimits{Bytes: 1 << 20, Count: 100})
	if err != nil {
		t.Fatal(err)
	}
	holder, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback(ctx)
	if _, err := holder.Exec(ctx, `SELECT 1 FROM claims WHERE id = $1 FOR UPDATE`, id); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := db.RemoveDocument(ctx, id, citizen, doc.ID)
		done <- err
	}()
	time.Sleep(300 * time.Millisecond) // RemoveDocument is now waiting for the lock
	if _, err := holder.Exec(ctx, `DELETE FROM documents WHERE id = $1`, doc.ID); err != nil {
		t.Fatal(err)
	}
	if err := holder.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("removing a document deleted while waiting: %v, want ErrNotFound", err)
	}
	var removed int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE claim_id = $1 AND event = 'document.removed'`, id).Scan(&removed); err != nil || removed != 0 {
		t.Fatalf("document.removed events = %d (%v), want 0", removed, err)
	}
}

// Statements name statuses through claim's constants; the table must accept each of them and no
// other value.
func TestEveryClaimStatusIsOneTheTableAccepts(t *testing.T) {
	db := testenv.Get(t).DB
	id := draft(t, db)
	ctx := context.Background()
	for _, st := range []claim.Status{claim.StatusDraft, claim.StatusSubmitted, claim.StatusValidating, claim.StatusRouted,
		claim.StatusRegistered, claim.StatusNeedsCorrection, claim.StatusLeftWithoutMotion, claim.StatusReturned,
		claim.StatusWithdrawn, claim.StatusUnroutable, "bogus"} {
		tx, err := db.Pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = tx.Exec(ctx, `UPDATE claims SET status = $2 WHERE id = $1`, id, string(st))
		_ = tx.Rollback(ctx)
		if (err == nil) != (st != "bogus") {
			t.Errorf("status %q: update error %v", st, err)
		}
	}
}
