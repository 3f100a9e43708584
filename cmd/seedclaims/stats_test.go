package main

import (
	"testing"
	"time"

	"talap/portal/ident"
)

func TestPercentile(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 100; i++ {
		s = append(s, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {95, 95 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0.1, time.Millisecond}} {
		if got := percentile(s, c.p); got != c.want {
			t.Errorf("percentile(1..100ms, %v) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := percentile([]time.Duration{7}, 99); got != 7 {
		t.Errorf("one sample: got %v", got)
	}
	if got := percentile(nil, 99); got != 0 {
		t.Errorf("no samples: got %v", got)
	}
	// nearest rank: p99 of 10 samples is the largest, p50 the 5th
	ten := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if got := percentile(ten, 99); got != 10 {
		t.Errorf("p99 of 10: got %v", got)
	}
	if got := percentile(ten, 50); got != 5 {
		t.Errorf("p50 of 10: got %v", got)
	}
}

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
