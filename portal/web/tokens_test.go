package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"talap/portal/party"
	"talap/portal/testenv"
)

// createdToken is POST /account/tokens's JSON answer.
type createdToken struct {
	Token     string `json:"token"`
	ID        string `json:"id"`
	BodyBIN   string `json:"body_bin"`
	Name      string `json:"name"`
	ExpiresAt string `json:"expires_at"`
}

func newToken(t *testing.T, a *apiClient, name string) createdToken {
	t.Helper()
	resp, body := a.do(http.MethodPost, "/account/tokens", strings.NewReader("name="+name), "Content-Type", "application/x-www-form-urlencoded")
	var c createdToken
	if err := json.Unmarshal(body, &c); err != nil || resp.StatusCode != 201 || c.Token == "" {
		t.Fatalf("create token = %d %s", resp.StatusCode, body)
	}
	return c
}

// storedTokenID is the id of the token as stored (by its hash).
func storedTokenID(t *testing.T, token string) string {
	t.Helper()
	var id string
	err := testenv.Get(t).DB.Pool.QueryRow(context.Background(), `SELECT id::text FROM api_tokens WHERE hash = $1`, sha256Hex([]byte(token))).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// tokenStatus is what /api/v1/me answers a caller with this token.
func tokenStatus(t *testing.T, p portal, token string) int {
	t.Helper()
	code, _ := me(t, http.DefaultClient, p, "Authorization", "Bearer "+token)
	return code
}

// tokenRow is the row of the officer's token page that lists the token.
func tokenRow(t *testing.T, a *apiClient, id string) string {
	t.Helper()
	resp, body := a.do(http.MethodGet, "/account/tokens", nil, "Accept", "text/html")
	if resp.StatusCode != 200 {
		t.Fatalf("tokens page = %d", resp.StatusCode)
	}
	row := regexp.MustCompile(`(?s)<tr id="token-` + regexp.QuoteMeta(id) + `">.*?</tr>`).FindString(string(body))
	if row == "" {
		t.Fatalf("the tokens page does not list token %s", id)
	}
	return row
}

func TestAPITokenExpiresAfterItsLifetime(t *testing.T) {
	d := deps(t)
	d.Config.APITokenTTL = 36 * time.Hour
	p := startPortal(t, d, func(base string) string { return startSimulator(t, base) })
	officer := officerOf(t, respondentBIN)
	a := asPerson(t, p, officer.IIN)

	before := time.Now()
	c := newToken(t, a, "ERP")
	expires, err := time.Parse(time.RFC3339, c.ExpiresAt)
	if err != nil {
		t.Fatalf("expires_at %q: %v", c.ExpiresAt, err)
	}
	if c.ID != storedTokenID(t, c.Token) {
		t.Fatalf("created token's id %q is not the stored one", c.ID)
	}
	if d := expires.Sub(before.Add(36 * time.Hour)); d < -time.Minute || d > time.Minute {
		t.Fatalf("expires_at = %v, want TALAP_API_TOKEN_TTL (36h) from now", expires)
	}
	row := tokenRow(t, a, c.ID)
	if !strings.Contains(row, expires.UTC().Format("2006-01-02 15:04")) || !strings.Contains(row, "Never") || !strings.Contains(row, "Active") {
		t.Errorf("new token's row lacks its expiry, \"Never\" used or \"Active\": %s", row)
	}

	// It works, and its use is shown.
	if code := tokenStatus(t, p, c.Token); code != 200 {
		t.Fatalf("fresh token = %d", code)
	}
	if row := tokenRow(t, a, c.ID); strings.Contains(row, "Never") || !strings.Contains(row, time.Now().UTC().Format("2006-01-02")) {
		t.Errorf("the token's last use is not shown: %s", row)
	}

	// Past its expiry it is refused with 401, and listed as expired.
	if _, err := testenv.Get(t).DB.Pool.Exec(context.Background(),
		`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	resp, body := asToken(t, p, c.Token).do(http.MethodGet, "/api/v1/me", nil)
	wantError(t, resp, body, 401, "unauthorized")
	if row := tokenRow(t, a, c.ID); !strings.Contains(row, "Expired") || strings.Contains(row, "/revoke") {
		t.Errorf("the expired token's row: %s", row)
	}

	// Created from the page, the new token is shown once with the day it stops working, in the
	// officer's language.
	resp, body = a.do(http.MethodPost, "/account/tokens", strings.NewReader("name=Portal"),
		"Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html", "Accept-Language", "ru")
	page := string(body)
	if resp.StatusCode != 200 || !strings.Contains(page, `id="new-token"`) ||
		!strings.Contains(page, "Он действует до "+time.Now().Add(36*time.Hour).UTC().Format("2006-01-02")) {
		t.Errorf("token created from the page = %d, without its expiry:\n%s", resp.StatusCode, page)
	}
	if !strings.Contains(page, "Токен действует 2 дн.") {
		t.Error("the page does not state the tokens' lifetime")
	}
}

func TestAPITokenStopsWhenItsCreatorsMembershipIsRevoked(t *testing.T) {
	p := withSimulator(t)
	env := testenv.Get(t)
	ctx := context.Background()
	// X is made an officer of the body for this test; Y is the body's seeded officer.
	x := citizen(t, 7)
	if err := env.DB.Grant(ctx, "test", party.Membership{IIN: x.IIN, Role: party.RoleOfficer, BodyBIN: respondentBIN}); err != nil {
		t.Fatal(err)
	}
	membership := int64(0)
	ms, err := env.DB.Memberships(ctx, x.IIN)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Role == party.RoleOfficer && m.BodyBIN == respondentBIN {
			membership = m.ID
		}
	}
	t.Cleanup(func() { _ = env.DB.Revoke(context.Background(), "test", membership) })
	y := officerOf(t, respondentBIN)
	ax, ay := asPerson(t, p, x.IIN), asPerson(t, p, y.IIN)
	tx, ty := newToken(t, ax, "X-ERP"), newToken(t, ay, "Y-ERP")
	for _, tok := range []createdToken{tx, ty} {
		if code := tokenStatus(t, p, tok.Token); code != 200 {
			t.Fatalf("token %s = %d before the revocation", tok.Name, code)
		}
	}

	// The administrator ends X's membership of the body.
	admin := asPerson(t, p, persona(t, "admin").IIN)
	resp, body := admin.do(http.MethodPost, fmt.Sprintf("/admin/memberships/%d/revoke", membership), nil)
	if resp.StatusCode != 204 {
		t.Fatalf("revoke membership = %d %s", resp.StatusCode, body)
	}

	resp, body = asToken(t, p, tx.Token).do(http.MethodGet, "/api/v1/me", nil)
	wantError(t, resp, body, 401, "unauthorized")
	resp, body = asToken(t, p, tx.Token).do(http.MethodGet, "/api/v1/bodies/"+respondentBIN+"/claims", nil)
	wantError(t, resp, body, 401, "unauthorized")
	if code := tokenStatus(t, p, ty.Token); code != 200 {
		t.Errorf("a token made by another officer of the body = %d after the revocation, want 200", code)
	}
	if row := tokenRow(t, ay, storedTokenID(t, tx.Token)); !strings.Contains(row, "Revoked") {
		t.Errorf("X's token is not listed as revoked: %s", row)
	}
	if n := countRows(t, `SELECT count(*) FROM audit_events WHERE event = 'api_token.revoked' AND data::jsonb->>'token_id' = $1
		AND data::jsonb->>'reason' = 'membership_revoked'`, storedTokenID(t, tx.Token)); n != 1 {
		t.Errorf("audit events for X's token = %d, want 1", n)
	}
}
