package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talap/portal/audit"
)

// auditLock serialises appends so each event links to the one before it.
const auditLock = 727002

// appendAudit adds an event to the hash-chained log inside tx. data is marshalled to JSON (map keys
// sorted) and stored exactly as hashed.
func appendAudit(ctx context.Context, tx pgx.Tx, actor, event, claimID string, data any) error {
	if data == nil {
		data = map[string]any{}
	}
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("audit data: %w", err)
	}
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", auditLock); err != nil {
		return fmt.Errorf("audit lock: %w", err)
	}
	prev := audit.Genesis
	err = tx.QueryRow(ctx, "SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").Scan(&prev)
	if err != nil && err != pgx.ErrNoRows {
		return fmt.Errorf("audit head: %w", err)
	}
	e := audit.Event{At: time.Now().UTC().Truncate(time.Microsecond), Actor: actor, Event: event, ClaimID: claimID, Data: string(b), PrevHash: prev}
	e.Hash = audit.Hash(prev, e)
	_, err = tx.Exec(ctx, `INSERT INTO audit_events (at, actor, event, claim_id, data, prev_hash, hash)
		VALUES ($1, $2, $3, nullif($4, '')::uuid, $5, $6, $7)`, e.At, e.Actor, e.Event, e.ClaimID, e.Data, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("append audit event: %w", err)
	}
	return nil
}

// VerifyAudit walks the whole log in order and checks every link. It returns how many events it
// checked, and the first broken link as an error.
func (db *DB) VerifyAudit(ctx context.Context) (int, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, at, actor, event, coalesce(claim_id::text, ''), data, prev_hash, hash
		FROM audit_events ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	chain := audit.NewChain()
	for rows.Next() {
		var e audit.Event
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Event, &e.ClaimID, &e.Data, &e.PrevHash, &e.Hash); err != nil {
			return chain.Count(), err
		}
		if err := chain.Next(e); err != nil {
			return chain.Count(), err
		}
	}
	return chain.Count(), rows.Err()
}

// ClaimEvents returns a claim's audit events, oldest first.
func (db *DB) ClaimEvents(ctx context.Context, claimID string) ([]audit.Event, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, at, actor, event, claim_id::text, data, prev_hash, hash
		FROM audit_events WHERE claim_id = $1 ORDER BY id`, claimID)
	if err != nil {
		return nil, fmt.Errorf("claim events: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (audit.Event, error) {
		var e audit.Event
		err := r.Scan(&e.ID, &e.At, &e.Actor, &e.Event, &e.ClaimID, &e.Data, &e.PrevHash, &e.Hash)
		return e, err
	})
}
