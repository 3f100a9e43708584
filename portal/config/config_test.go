package config

import (
	"errors"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsWorkInDevelopment(t *testing.T) {
	c, err := load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.Production() || c.RedisQueueDB == c.RedisSessionDB {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestInvalidConfigurationNamesTheVariable(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"bad DSN", map[string]string{"TALAP_DATABASE_URL": "mysql://x"}, "TALAP_DATABASE_URL"},
		{"DSN without host", map[string]string{"TALAP_DATABASE_URL": "postgres:///talap"}, "TALAP_DATABASE_URL"},
		{"missing secret in production", map[string]string{"TALAP_ENV": "production", "TALAP_S3_SECRET_KEY": "x", "TALAP_RECEIPT_KEY": "y"}, "TALAP_OIDC_CLIENT_SECRET"},
		{"first missing production secret", map[string]string{"TALAP_ENV": "production"}, "TALAP_S3_SECRET_KEY"},
		{"unknown env", map[string]string{"TALAP_ENV": "staging"}, "TALAP_ENV"},
		{"bad integer", map[string]string{"TALAP_REDIS_QUEUE_DB": "one"}, "TALAP_REDIS_QUEUE_DB"},
		{"same redis db", map[string]string{"TALAP_REDIS_SESSION_DB": "0"}, "TALAP_REDIS_SESSION_DB"},
		{"bad duration", map[string]string{"TALAP_OUTBOX_INTERVAL": "soon"}, "TALAP_OUTBOX_INTERVAL"},
		{"bad issuer", map[string]string{"TALAP_OIDC_ISSUER": "eid.kz"}, "TALAP_OIDC_ISSUER"},
		{"plain-http base URL in production", prod(map[string]string{"TALAP_BASE_URL": "http://talap.example.kz"}), "TALAP_BASE_URL"},
		{"correction timer in production", prod(map[string]string{"TALAP_CORRECTION_TIMER": "1m"}), "TALAP_CORRECTION_TIMER"},
		{"bad trusted proxy", map[string]string{"TALAP_TRUSTED_PROXIES": "10.0.0.1, proxy.local"}, "TALAP_TRUSTED_PROXIES"},
		{"zero quota", map[string]string{"TALAP_MAX_DRAFTS": "0"}, "TALAP_MAX_DRAFTS"},
		{"bad time of day", map[string]string{"TALAP_REMINDER_AT": "9am"}, "TALAP_REMINDER_AT"},
		{"pprof on every interface", map[string]string{"TALAP_PPROF_ADDR": "0.0.0.0:6060"}, "TALAP_PPROF_ADDR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(env(tt.env))
			var ce *Error
			if !errors.As(err, &ce) || ce.Var != tt.want {
				t.Fatalf("err = %v, want an error naming %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error must be one line: %q", err)
			}
		})
	}
}

// prod is a production environment with every secret and an https base URL, plus extra.
func prod(extra map[string]string) map[string]string {
	m := map[string]string{"TALAP_ENV": "production", "TALAP_S3_SECRET_KEY": "a", "TALAP_OIDC_CLIENT_SECRET": "b", "TALAP_RECEIPT_KEY": "c",
		"TALAP_BASE_URL": "https://talap.example.kz"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestProductionWithAllSecretsLoads(t *testing.T) {
	c, err := load(env(prod(nil)))
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr == "" || !Loopback(c.MetricsAddr) {
		t.Fatalf("production must serve metrics on a loopback operators' listener by default, got %q", c.MetricsAddr)
	}
}

func TestTrustedProxiesAndPprofRemote(t *testing.T) {
	c, err := load(env(map[string]string{"TALAP_TRUSTED_PROXIES": " 10.0.0.1, 192.168.0.0/16 ,", "TALAP_PPROF_ADDR": "0.0.0.0:6060", "TALAP_PPROF_ALLOW_REMOTE": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1] != "192.168.0.0/16" {
		t.Fatalf("trusted proxies = %q", c.TrustedProxies)
	}
}
