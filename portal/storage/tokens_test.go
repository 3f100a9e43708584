package storage_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"testing"
	"time"

	"talap/portal/party"
	"talap/portal/storage"
	"talap/portal/testenv"
)

// newHash is the stored hash of a fresh random token.
func newHash(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// twoBodies returns two seeded public bodies.
func twoBodies(t *testing.T, db *storage.DB) (string, string) {
	t.Helper()
	bodies, err := db.SearchBodies(context.Background(), "", 2)
	if err != nil || len(bodies) < 2 {
		t.Fatalf("seeded bodies: %v", err)
	}
	return bodies[0].BIN, bodies[1].BIN
}

// officer grants iin an officer membership of bin and returns its id.
func officer(t *testing.T, db *storage.DB, iin, bin string) int64 {
	t.Helper()
	ctx := context.Background()
	if err := db.Grant(ctx, "test", party.Membership{IIN: iin, Role: party.RoleOfficer, BodyBIN: bin}); err != nil {
		t.Fatal(err)
	}
	ms, err := db.Memberships(ctx, iin)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Role == party.RoleOfficer && m.BodyBIN == bin {
			return m.ID
		}
	}
	t.Fatalf("no membership of %s for %s", iin, bin)
	return 0
}

func tokenOf(t *testing.T, db *storage.DB, bin, id string) party.APIToken {
	t.Helper()
	toks, err := db.APITokens(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		if tok.ID == id {
			return tok
		}
	}
	t.Fatalf("token %s not listed for %s", id, bin)
	return party.APIToken{}
}

func TestAPITokenExpiresAndRecordsItsLastUse(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	bin, _ := twoBodies(t, db)
	const iin = "880101300011"
	officer(t, db, iin, bin)

	hash := newHash(t)
	before := time.Now()
	tok, err := db.CreateAPIToken(ctx, iin, bin, "ERP", hash, 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if d := tok.ExpiresAt.Sub(before.Add(48 * time.Hour)); d < -time.Minute || d > time.Minute {
		t.Fatalf("expires_at %v, want about 48 hours from now", tok.ExpiresAt)
	}
	if listed := tokenOf(t, db, bin, tok.ID); !listed.ExpiresAt.Equal(tok.ExpiresAt) || listed.Expired || !listed.Live() || listed.LastUsed != nil {
		t.Fatalf("listed token %+v", listed)
	}

	// Using it records the use; using it again within the minute does not write again.
	if got, err := db.APITokenBody(ctx, hash); err != nil || got != bin {
		t.Fatalf("APITokenBody = %q, %v", got, err)
	}
	first := tokenOf(t, db, bin, tok.ID).LastUsed
	if first == nil || time.Since(*first) > time.Minute {
		t.Fatalf("last use after a use = %v", first)
	}
	if _, err := db.APITokenBody(ctx, hash); err != nil {
		t.Fatal(err)
	}
	if again := tokenOf(t, db, bin, tok.ID).LastUsed; again == nil || !again.Equal(*first) {
		t.Errorf("last use rewritten within the minute: %v, then %v", first, again)
	}
	// A use after the minute is recorded.
	if _, err := db.Pool.Exec(ctx, `UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.APITokenBody(ctx, hash); err != nil {
		t.Fatal(err)
	}
	if later := tokenOf(t, db, bin, tok.ID).LastUsed; later == nil || time.Since(*later) > 30*time.Second {
		t.Errorf("last use not recorded after the minute: %v", later)
	}

	// Once past its expiry it is refused, and listed as expired.
	if _, err := db.Pool.Exec(ctx, `UPDATE api_tokens SET expires_at = now() - interval '1 second', last_used_at = NULL WHERE id = $1`, tok.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := db.APITokenBody(ctx, hash); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("expired token: APITokenBody = %q, %v; want ErrNotFound", got, err)
	}
	if listed := tokenOf(t, db, bin, tok.ID); !listed.Expired || listed.Live() || listed.LastUsed != nil {
		t.Errorf("expired token listed as %+v (a refused use must not count as a use)", listed)
	}

	if _, err := db.CreateAPIToken(ctx, iin, bin, "x", newHash(t), 0); err == nil {
		t.Error("a token without a lifetime was created")
	}
}

func TestRevokingAMembershipRevokesTheTokensItsPersonCreatedForTheBody(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	bin, other := twoBodies(t, db)
	const x, y = "880101300022", "880101300033"
	xb := officer(t, db, x, bin)
	officer(t, db, x, other)
	officer(t, db, y, bin)

	create := func(iin, body string) (string, string) {
		t.Helper()
		hash := newHash(t)
		tok, err := db.CreateAPIToken(ctx, iin, body, "ERP", hash, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok.ID, hash
	}
	x1, x1Hash := create(x, bin)
	x2, x2Hash := create(x, bin)
	_, xOtherHash := create(x, other)
	_, yHash := create(y, bin)
	// An already expired token of X's is left as it is: it no longer works anyway.
	xOld, xOldHash := create(x, bin)
	if _, err := db.Pool.Exec(ctx, `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, xOld); err != nil {
		t.Fatal(err)
	}

	if err := db.Revoke(ctx, "880101300099", xb); err != nil {
		t.Fatal(err)
	}
	for name, hash := range map[string]string{"X's first token": x1Hash, "X's second token": x2Hash, "X's expired token": xOldHash} {
		if _, err := db.APITokenBody(ctx, hash); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("%s for the body still works after X's membership was revoked (%v)", name, err)
		}
	}
	for name, hash := range map[string]string{"Y's token for the body": yHash, "X's token for another body": xOtherHash} {
		if _, err := db.APITokenBody(ctx, hash); err != nil {
			t.Errorf("%s stopped working: %v", name, err)
		}
	}
	for _, id := range []string{x1, x2} {
		if tok := tokenOf(t, db, bin, id); tok.RevokedAt == nil {
			t.Errorf("token %s not listed as revoked", id)
		}
	}
	if tok := tokenOf(t, db, bin, xOld); tok.RevokedAt != nil || !tok.Expired {
		t.Errorf("the expired token was revoked: %+v", tok)
	}

	// Each revoked token has its audit event, by whoever revoked the membership.
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE event = 'api_token.revoked' AND actor = '880101300099'
		AND data::jsonb->>'reason' = 'membership_revoked' AND data::jsonb->>'token_id' = ANY($1)`, []string{x1, x2}).Scan(&n)
	if err != nil || n != 2 {
		t.Errorf("api_token.revoked events for X's tokens = %d (%v), want 2", n, err)
	}

	// Without the membership, X can no longer create tokens for the body.
	if _, err := db.CreateAPIToken(ctx, x, bin, "ERP", newHash(t), time.Hour); !errors.Is(err, storage.ErrNotMember) {
		t.Errorf("token created after the membership ended: %v", err)
	}
}

// A token created while its creator's membership is being revoked never outlives the membership.
func TestTokenCreatedDuringRevocationDoesNotSurviveIt(t *testing.T) {
	db := testenv.Get(t).DB
	ctx := context.Background()
	bin, _ := twoBodies(t, db)
	const x = "880101300044"
	for range 20 {
		id := officer(t, db, x, bin)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, err := db.CreateAPIToken(ctx, x, bin, "race", newHash(t), time.Hour); err != nil && !errors.Is(err, storage.ErrNotMember) {
				t.Error(err)
			}
		}()
		go func() {
			defer wg.Done()
			if err := db.Revoke(ctx, "test", id); err != nil {
				t.Error(err)
			}
		}()
		wg.Wait()
		var live int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM api_tokens WHERE created_by = $1 AND body_bin = $2
			AND revoked_at IS NULL AND expires_at > now()`, x, bin).Scan(&live); err != nil {
			t.Fatal(err)
		}
		if live != 0 {
			t.Fatalf("%d live tokens of a person whose membership was revoked", live)
		}
	}
}
