package web_test

import (
	"context"
	"sync"
	"testing"

	"talap/portal/filing"
	"talap/portal/testenv"
)

// The start-up step re-issues every version 1 receipt once, even when two portals run it at once.
func TestReissueLegacyReceiptsAtStartIsIdempotentAndConcurrent(t *testing.T) {
	p := verifyPortal(t)
	who := citizen(t, 0)
	a := asPerson(t, p, who.IIN)
	var claims []string
	for range 3 {
		filed, _ := a.filedClaim()
		writeV1Receipt(t, filed.ID)
		claims = append(claims, filed.ID)
	}
	current, _ := a.filedClaim() // a receipt of today: left alone
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := filingOn(t, testenv.Get(t)).ReissueLegacyReceipts(context.Background(), quiet)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] < len(claims) {
		t.Errorf("re-issued %v, want at least %d in all", counts, len(claims))
	}
	for _, id := range claims {
		if all, tokened := receiptRows(t, id); all != 2 || tokened != 1 {
			t.Errorf("claim %s: %d rows, %d with a token; want 2 and 1", id, all, tokened)
		}
		r := newestReceipt(t, id)
		checkPublic(t, p, r.Number, who.IIN, who.Name, r)
	}
	if all, _ := receiptRows(t, current.ID); all != 1 {
		t.Errorf("a current receipt was re-issued: %d rows", all)
	}
	if n, err := filingOn(t, testenv.Get(t)).ReissueLegacyReceipts(context.Background(), quiet); err != nil || n != 0 {
		t.Errorf("second run re-issued %d (%v), want 0", n, err)
	}
	if n := countRows(t, `SELECT count(*) FROM audit_events WHERE event = 'receipt.reissued' AND claim_id = ANY($1::uuid[])`, claims); n != len(claims) {
		t.Errorf("receipt.reissued audit events = %d, want %d", n, len(claims))
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
