package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Receipt is a signed statement of what was filed and when.
type Receipt struct {
	ClaimID   string
	Number    string
	Facts     []byte // the full facts, JSON (personal data: shown only to those who may see the claim)
	Canonical string // the signed public statement
	Signature []byte
	KeyID     string
	CreatedAt time.Time
}

func addReceipt(ctx context.Context, tx pgx.Tx, r Receipt) error {
	_, err := tx.Exec(ctx, `INSERT INTO receipts (claim_id, number, facts, canonical, signature, key_id)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.ClaimID, r.Number, r.Facts, r.Canonical, r.Signature, r.KeyID)
	if err != nil {
		return fmt.Errorf("save receipt: %w", err)
	}
	return nil
}

// LatestReceipt returns a claim's newest receipt.
func (db *DB) LatestReceipt(ctx context.Context, claimID string) (Receipt, error) {
	if !isUUID(claimID) {
		return Receipt{}, ErrNotFound
	}
	return db.receipt(ctx, `claim_id = $1::uuid`, claimID)
}

// ReceiptByNumber returns the newest receipt for a claim number.
func (db *DB) ReceiptByNumber(ctx context.Context, number string) (Receipt, error) {
	return db.receipt(ctx, `number = $1`, number)
}

func (db *DB) receipt(ctx context.Context, where string, arg string) (Receipt, error) {
	var r Receipt
	err := db.Pool.QueryRow(ctx, `SELECT claim_id::text, number, facts, canonical, signature, key_id, created_at
		FROM receipts WHERE `+where+` ORDER BY id DESC LIMIT 1`, arg).
		Scan(&r.ClaimID, &r.Number, &r.Facts, &r.Canonical, &r.Signature, &r.KeyID, &r.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}
