package main

import (
	"testing"
	"time"

	"talap/portal/ident"
)

func TestInline(t *testing.T) {
	at := time.Date(2025, 3, 1, 10, 0, 0, 123000, time.UTC)
	got, err := inline(`WHERE a = $1 AND (t, id) > ($10, $2::uuid) LIMIT $3 -- $1`,
		[]any{"smas-o'k", "0b0e", 51, nil, nil, nil, nil, nil, nil, at})
	if err != nil {
		t.Fatal(err)
	}
	want := `WHERE a = 'smas-o''k' AND (t, id) > ('2025-03-01T10:00:00.000123Z'::timestamptz, '0b0e'::uuid) LIMIT 51 -- 'smas-o''k'`
	if got != want {
		t.Errorf("inline:\n got %s\nwant %s", got, want)
	}
	if _, err := inline(`SELECT $2`, []any{1}); err == nil {
		t.Error("a placeholder past the arguments should fail")
	}
}

func TestCitizenIINs(t *testing.T) {
	iins := citizenIINs(30_000)
	seen := map[string]bool{}
	for _, s := range iins {
		if seen[s] {
			t.Fatalf("duplicate IIN %s", s)
		}
		seen[s] = true
		if err := ident.ValidateIIN(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if len(iins) != 30_000 {
		t.Fatalf("got %d IINs", len(iins))
	}
}
