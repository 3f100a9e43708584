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

func TestProductionWithAllSecretsLoads(t *testing.T) {
	_, err := load(env(map[string]string{"TALAP_ENV": "production", "TALAP_S3_SECRET_KEY": "a", "TALAP_OIDC_CLIENT_SECRET": "b", "TALAP_RECEIPT_KEY": "c"}))
	if err != nil {
		t.Fatal(err)
	}
}
