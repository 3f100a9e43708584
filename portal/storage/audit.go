package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talap/portal/audit"
)

// sealLock makes the sealer single: only the holder gives events their places in the chain.
const sealLock = 727002

// auditInsert starts every statement that writes audit events; the chain columns are left to
// SealAudit.
const auditInsert = `INSERT INTO audit_events (at, actor, event, claim_id, data)`

// auditNow is an event's time, at the microsecond precision PostgreSQL stores and the hash covers.
func auditNow() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// appendAudit adds an event to the log inside tx. data is marshalled to JSON (map keys sorted) and
// stored exactly as it will be hashed. The event is not yet chained: writers never wait for one
// another, and SealAudit links the event into the hash chain shortly after tx commits.
func appendAudit(ctx context.Context, tx pgx.Tx, actor, event, claimID string, data any) error {
	if data == nil {
		data = map[string]any{}
	}
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("audit data: %w", err)
	}
	_, err = tx.Exec(ctx, auditInsert+` VALUES ($1, $2, $3, nullif($4, '')::uuid, $5)`, auditNow(), actor, event, claimID, string(b))
	if err != nil {
		return fmt.Errorf("append audit event: %w", err)
	}
	return nil
}

// SealAudit links up to limit committed, unsealed events into the hash chain, in id order: each
// gets the next place (seq), the hash of the event before it and its own hash. An event committed
// late is sealed in a later round, after events with higher ids; the chain's order is seq, not id.
// If another sealer is at work it returns 0 at once.
func (db *DB) SealAudit(ctx context.Context, limit int) (int, error) {
	sealed := 0
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var mine bool
		if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1)", sealLock).Scan(&mine); err != nil || !mine {
			return err
		}
		var seq int64
		prev := audit.Genesis
		err := tx.QueryRow(ctx, "SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1").Scan(&seq, &prev)
		if err != nil && err != pgx.ErrNoRows {
			return fmt.Errorf("audit head: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT id, at, actor, event, coalesce(claim_id::text, ''), data
			FROM audit_events WHERE seq IS NULL ORDER BY id LIMIT $1`, limit)
		if err != nil {
			return fmt.Errorf("unsealed audit events: %w", err)
		}
		events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (audit.Event, error) {
			var e audit.Event
			err := r.Scan(&e.ID, &e.At, &e.Actor, &e.Event, &e.ClaimID, &e.Data)
			return e, err
		})
		if err != nil || len(events) == 0 {
			return err
		}
		ids, seqs, prevs, hashes := make([]int64, len(events)), make([]int64, len(events)), make([]string, len(events)), make([]string, len(events))
		for i, e := range events {
			seq++
			ids[i], seqs[i], prevs[i] = e.ID, seq, prev
			prev = audit.Hash(prev, e)
			hashes[i] = prev
		}
		tag, err := tx.Exec(ctx, `UPDATE audit_events a SET seq = u.seq, prev_hash = u.prev, hash = u.hash
			FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS u(id, seq, prev, hash) WHERE a.id = u.id`,
			ids, seqs, prevs, hashes)
		if err != nil {
			return fmt.Errorf("seal audit events: %w", err)
		}
		sealed = int(tag.RowsAffected())
		return nil
	})
	return sealed, err
}

// SealAllAudit seals until no committed event is left unsealed.
func (db *DB) SealAllAudit(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := db.SealAudit(ctx, 1000)
		total += n
		if err != nil || n < 1000 {
			return total, err
		}
	}
}

// AuditCheck is what VerifyAudit found.
type AuditCheck struct {
	Verified int // sealed events whose links all hold
	Unsealed int // events written but not yet linked into the chain
}

// VerifyAudit walks the whole chain in order and checks every link, and counts the events not yet
// sealed. The first broken link is returned as an error.
func (db *DB) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	var check AuditCheck
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE seq IS NULL`).Scan(&check.Unsealed); err != nil {
		return check, fmt.Errorf("read audit log: %w", err)
	}
	rows, err := db.Pool.Query(ctx, `SELECT id, at, actor, event, coalesce(claim_id::text, ''), data, prev_hash, hash
		FROM audit_events WHERE seq IS NOT NULL ORDER BY seq`)
	if err != nil {
		return check, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	chain := audit.NewChain()
	for rows.Next() {
		var e audit.Event
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Event, &e.ClaimID, &e.Data, &e.PrevHash, &e.Hash); err != nil {
			return check, err
		}
		if err := chain.Next(e); err != nil {
			check.Verified = chain.Count()
			return check, err
		}
	}
	check.Verified = chain.Count()
	return check, rows.Err()
}

// ClaimEvents returns a claim's audit events, oldest first. Hashes are empty until sealed.
func (db *DB) ClaimEvents(ctx context.Context, claimID string) ([]audit.Event, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, at, actor, event, claim_id::text, data, coalesce(prev_hash, ''), coalesce(hash, '')
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
