package audit

import (
	"strings"
	"testing"
	"time"
)

func chain(n int) []Event {
	prev := Genesis
	var out []Event
	for i := 0; i < n; i++ {
		e := Event{ID: int64(i + 1), At: time.Date(2026, 11, 27, 10, 0, i, 123456789, time.UTC), Actor: "900101300123", Event: "claim.submitted", ClaimID: "c1", Data: `{"n":1}`, PrevHash: prev}
		e.Hash = Hash(prev, e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func verify(events []Event) error {
	c := NewChain()
	for _, e := range events {
		if err := c.Next(e); err != nil {
			return err
		}
	}
	return nil
}

func TestChainAcceptsAnUntouchedLog(t *testing.T) {
	if err := verify(chain(5)); err != nil {
		t.Fatal(err)
	}
}

func TestChainDetectsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func([]Event) []Event
		want   string
	}{
		{"edited data", func(e []Event) []Event { e[2].Data = `{"n":2}`; return e }, "altered"},
		{"edited actor", func(e []Event) []Event { e[0].Actor = "x"; return e }, "altered"},
		{"deleted event", func(e []Event) []Event { return append(e[:1], e[2:]...) }, "previous hash"},
		{"reordered", func(e []Event) []Event { e[1], e[2] = e[2], e[1]; return e }, "previous hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verify(tt.tamper(chain(5)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestHashIgnoresSubMicrosecondPrecision(t *testing.T) {
	e := chain(1)[0]
	f := e
	f.At = e.At.Truncate(time.Microsecond)
	if Hash(Genesis, e) != Hash(Genesis, f) {
		t.Fatal("hash must be stable across PostgreSQL's microsecond rounding")
	}
}
