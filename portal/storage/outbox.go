package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"talap/portal/claim"
	"talap/portal/task"

	"github.com/jackc/pgx/v5"
)

// OutboxChannel is the LISTEN/NOTIFY channel that wakes the relay when a row is written (the
// trigger of migration 00009 names it too).
const OutboxChannel = "talap_outbox"

// OutboxRow is a task waiting to be handed to the queue.
type OutboxRow struct {
	ID        string
	TaskType  string
	Payload   []byte
	ProcessAt *time.Time
}

// addOutbox writes an outbox row inside tx and wakes the relay once tx commits.
func addOutbox(ctx context.Context, tx pgx.Tx, taskType string, payload any) error {
	return addOutboxAt(ctx, tx, taskType, payload, nil)
}

// addOutboxAt is addOutbox for a task to be processed at a given time.
func addOutboxAt(ctx context.Context, tx pgx.Tx, taskType string, payload any, at *time.Time) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("outbox payload: %w", err)
	}
	// A trigger on outbox (migration 00009) notifies OutboxChannel, delivered when tx commits.
	if _, err := tx.Exec(ctx, `INSERT INTO outbox (task_type, payload, process_at) VALUES ($1, $2, $3)`, taskType, b, at); err != nil {
		return fmt.Errorf("write outbox: %w", err)
	}
	return nil
}

// RelayOutbox locks up to limit unsent rows, oldest first, and calls send for each. A row whose send
// succeeds is marked sent; the first failure is recorded on its row and stops the batch, since the
// queue is most likely down. Rows locked by another relay are skipped.
func (db *DB) RelayOutbox(ctx context.Context, limit int, send func(OutboxRow) error) (sent int, err error) {
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		// Marking rows sent need not wait for the disk: if a crash loses the mark, the row is
		// handed over again, and the queue refuses the task id it already has (success).
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id::text, task_type, payload, process_at FROM outbox
			WHERE sent_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`, limit)
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		batch, err := pgx.CollectRows(rows, pgx.RowToStructByPos[OutboxRow])
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		var done []string
		for _, row := range batch {
			if sendErr := send(row); sendErr != nil {
				_, err := tx.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, row.ID, sendErr.Error())
				if err != nil {
					return fmt.Errorf("record outbox failure: %w", err)
				}
				break
			}
			done = append(done, row.ID)
		}
		if len(done) == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = '' WHERE id = ANY($1::uuid[])`, done); err != nil {
			return fmt.Errorf("mark outbox sent: %w", err)
		}
		sent = len(done)
		return nil
	})
	return sent, err
}

// UnsentOutbox counts rows not yet handed to the queue.
func (db *DB) UnsentOutbox(ctx context.Context) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n)
	return n, err
}

// RequeueStuck finds filed claims that have sat in submitted or validating longer than olderThan
// with nothing waiting in the outbox for them, and asks for their validation again. Every handler
// is idempotent, so a claim that was merely slow is not processed twice in effect.
func (db *DB) RequeueStuck(ctx context.Context, olderThan time.Duration) (int, error) {
	var n int
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE claims c SET updated_at = now()
			WHERE c.status IN (`+sqlStatus(claim.StatusSubmitted)+`, `+sqlStatus(claim.StatusValidating)+`) AND c.updated_at < now() - $1::interval
			AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.sent_at IS NULL AND o.payload->>'claim_id' = c.id::text)
			RETURNING c.id::text`, olderThan.String())
		if err != nil {
			return fmt.Errorf("find stuck claims: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := addOutbox(ctx, tx, task.ValidateClaim, map[string]string{"claim_id": id}); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}
