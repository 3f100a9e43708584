package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// OutboxChannel is the LISTEN/NOTIFY channel that wakes the relay when a row is written.
const OutboxChannel = "talap_outbox"

// OutboxRow is a task waiting to be handed to the queue.
type OutboxRow struct {
	ID       string
	TaskType string
	Payload  []byte
}

// addOutbox writes an outbox row inside tx and wakes the relay once tx commits.
func addOutbox(ctx context.Context, tx pgx.Tx, taskType string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("outbox payload: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO outbox (task_type, payload) VALUES ($1, $2)`, taskType, b); err != nil {
		return fmt.Errorf("write outbox: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, OutboxChannel); err != nil {
		return fmt.Errorf("notify outbox: %w", err)
	}
	return nil
}

// RelayOutbox locks up to limit unsent rows, oldest first, and calls send for each. A row whose send
// succeeds is marked sent; the first failure is recorded on its row and stops the batch, since the
// queue is most likely down. Rows locked by another relay are skipped.
func (db *DB) RelayOutbox(ctx context.Context, limit int, send func(OutboxRow) error) (sent int, err error) {
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id::text, task_type, payload FROM outbox
			WHERE sent_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`, limit)
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		batch, err := pgx.CollectRows(rows, pgx.RowToStructByPos[OutboxRow])
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		for _, row := range batch {
			if sendErr := send(row); sendErr != nil {
				_, err := tx.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, row.ID, sendErr.Error())
				if err != nil {
					return fmt.Errorf("record outbox failure: %w", err)
				}
				return nil
			}
			if _, err := tx.Exec(ctx, `UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = '' WHERE id = $1`, row.ID); err != nil {
				return fmt.Errorf("mark outbox sent: %w", err)
			}
			sent++
		}
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
