package main

import (
	"slices"
	"testing"
)

func TestDefaultIssuer(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8090": "http://127.0.0.1:8090",
		"localhost:9000": "http://localhost:9000",
		"0.0.0.0:8090":   "http://127.0.0.1:8090",
		":8090":          "http://127.0.0.1:8090",
		"bad":            "http://127.0.0.1:8090",
	} {
		if got := defaultIssuer(addr); got != want {
			t.Errorf("defaultIssuer(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestClientsFromEnv(t *testing.T) {
	t.Setenv("IDPSIM_CLIENT_SECRET", "s3")
	t.Setenv("IDPSIM_REDIRECT_URIS", " http://127.0.0.1:3000/cb ,")
	t.Setenv("IDPSIM_CLIENTS", `[{"id":"other","secret":"x","redirect_uris":["http://localhost:1/cb"]}]`)
	cs, err := clientsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].ID != "talap-portal" || cs[0].Secret != "s3" || cs[1].ID != "other" {
		t.Fatalf("clients %+v", cs)
	}
	if !slices.Contains(cs[0].RedirectURIs, "http://127.0.0.1:3000/cb") ||
		!slices.Contains(cs[0].RedirectURIs, "http://127.0.0.1:8080/auth/callback") {
		t.Fatalf("redirect URIs %v", cs[0].RedirectURIs)
	}

	t.Setenv("IDPSIM_CLIENTS", `[{"id":"talap-portal","secret":"y","redirect_uris":["http://localhost:2/cb"]}]`)
	if cs, err = clientsFromEnv(); err != nil || len(cs) != 1 || cs[0].Secret != "y" {
		t.Fatalf("replacing the default client: %+v %v", cs, err)
	}
}
