// Package audit defines the hash chain of Talap's append-only audit log: each event's hash covers
// the previous event's hash and the event's own content, so any edit or deletion breaks the chain.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Genesis is the previous hash of the first event.
var Genesis = strings.Repeat("0", 64)

// Event is one entry of the log. Data is JSON text stored exactly as hashed.
type Event struct {
	ID       int64
	At       time.Time
	Actor    string
	Event    string
	ClaimID  string
	Data     string
	PrevHash string
	Hash     string
}

// Hash computes the event's hash from its content and the previous hash. Times are hashed at
// microsecond precision in UTC, the precision PostgreSQL stores.
func Hash(prev string, e Event) string {
	h := sha256.New()
	for _, part := range []string{prev, e.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano), e.Actor, e.Event, e.ClaimID, e.Data} {
		fmt.Fprintf(h, "%d:%s\n", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Chain checks events one at a time, in chain order.
type Chain struct {
	prev  string
	count int
}

// NewChain starts a check at the beginning of the log.
func NewChain() *Chain { return &Chain{prev: Genesis} }

// Next checks one event against the chain so far.
func (c *Chain) Next(e Event) error {
	if e.PrevHash != c.prev {
		return fmt.Errorf("audit event %d: previous hash %s does not match the chain (%s)", e.ID, e.PrevHash, c.prev)
	}
	if want := Hash(c.prev, e); e.Hash != want {
		return fmt.Errorf("audit event %d: content was altered (hash %s, recomputed %s)", e.ID, e.Hash, want)
	}
	c.prev = e.Hash
	c.count++
	return nil
}

// Count is how many events have been checked.
func (c *Chain) Count() int { return c.count }
