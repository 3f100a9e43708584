package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ErrIdempotencyMismatch means a key was used before for a different request.
var ErrIdempotencyMismatch = errors.New("idempotency key reused for a different request")

// ErrIdempotencyInProgress means the first request with this key has not finished yet.
var ErrIdempotencyInProgress = errors.New("a request with this idempotency key is in progress")

// Replay is a stored answer to repeat.
type Replay struct {
	Status int
	Body   []byte
}

// BeginIdempotent claims key for a person's request. It returns nil when the request should run,
// or the stored answer when it already ran.
func (db *DB) BeginIdempotent(ctx context.Context, iin, key, request string) (*Replay, error) {
	tag, err := db.Pool.Exec(ctx, `INSERT INTO idempotency_keys (iin, key, request, status, response)
		VALUES ($1, $2, $3, 0, '') ON CONFLICT DO NOTHING`, iin, key, request)
	if err != nil {
		return nil, fmt.Errorf("idempotency key: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil, nil
	}
	var r Replay
	var stored string
	err = db.Pool.QueryRow(ctx, `SELECT request, status, response FROM idempotency_keys WHERE iin = $1 AND key = $2`, iin, key).
		Scan(&stored, &r.Status, &r.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return db.BeginIdempotent(ctx, iin, key, request) // abandoned meanwhile: try again
	}
	if err != nil {
		return nil, fmt.Errorf("idempotency key: %w", err)
	}
	if stored != request {
		return nil, ErrIdempotencyMismatch
	}
	if r.Status == 0 {
		return nil, ErrIdempotencyInProgress
	}
	return &r, nil
}

// FinishIdempotent stores the answer for key.
func (db *DB) FinishIdempotent(ctx context.Context, iin, key string, status int, body []byte) error {
	_, err := db.Pool.Exec(ctx, `UPDATE idempotency_keys SET status = $3, response = $4 WHERE iin = $1 AND key = $2`, iin, key, status, body)
	return err
}

// AbandonIdempotent forgets key after a failure that should be retried.
func (db *DB) AbandonIdempotent(ctx context.Context, iin, key string) error {
	_, err := db.Pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE iin = $1 AND key = $2 AND status = 0`, iin, key)
	return err
}
