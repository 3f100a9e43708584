package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"talap/portal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

func portal(t *testing.T, bin string, env *testenv.Env, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env.Environ()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestMembershipCommandsGrantListAndRevokeWithAudit(t *testing.T) {
	env := testenv.Get(t)
	bin := testenv.Build(t, "./cmd/portal")
	const iin = "921103401019"
	if out, err := portal(t, bin, env, "grant", iin, "clerk", "smas-shymkent"); err != nil {
		t.Fatalf("grant: %v %s", err, out)
	}
	out, err := portal(t, bin, env, "memberships")
	if err != nil || !strings.Contains(out, iin+"\tclerk\tsmas-shymkent") {
		t.Fatalf("memberships: %v %s", err, out)
	}
	var id string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, iin+"\tclerk") {
			id = strings.Fields(line)[0]
		}
	}
	if out, err := portal(t, bin, env, "revoke", id); err != nil {
		t.Fatalf("revoke: %v %s", err, out)
	}
	var events int
	if err := env.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE actor = 'cli'
		AND event IN ('membership.granted', 'membership.revoked')`).Scan(&events); err != nil || events != 2 {
		t.Fatalf("audit events by the CLI = %d %v, want 2", events, err)
	}
	for _, bad := range [][]string{{"grant", "123", "admin"}, {"grant", iin, "clerk", "nowhere"}, {"grant", iin, "officer"}, {"revoke", "x"}} {
		if out, err := portal(t, bin, env, bad...); err == nil || strings.Count(strings.TrimSpace(out), "\n") != 0 {
			t.Errorf("%v: err %v, output %q; want one clear line and a failure", bad, err, out)
		}
	}
}

func TestInvalidConfigurationStopsWithOneLineNamingTheVariable(t *testing.T) {
	env := testenv.Get(t)
	bin := testenv.Build(t, "./cmd/portal")
	for variable, value := range map[string]string{"TALAP_DATABASE_URL": "mysql://nowhere", "TALAP_OIDC_CLIENT_SECRET": ""} {
		cmd := exec.Command(bin, "migrate")
		cmd.Env = append(env.Environ(), variable+"="+value)
		if variable == "TALAP_OIDC_CLIENT_SECRET" {
			cmd.Env = append(cmd.Env, "TALAP_ENV=production", "TALAP_S3_SECRET_KEY=x", "TALAP_RECEIPT_KEY=y")
		}
		out, err := cmd.CombinedOutput()
		if err == nil || strings.Count(strings.TrimSpace(string(out)), "\n") != 0 || !strings.Contains(string(out), variable) {
			t.Errorf("%s=%q: err %v, output %q; want a failure with one line naming it", variable, value, err, out)
		}
	}
}
