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
	ID        int64 // the row (0 for a receipt not yet stored)
	ClaimID   string
	Number    string
	Facts     []byte // the full facts, JSON, with the commitment's salt (personal data: shown only to those who may see the claim)
	Canonical string // the signed public statement
	Signature []byte
	KeyID     string
	// Token names the receipt on the public /verify page. Receipts issued before tokens existed
	// (schema talap.receipt.v1) have none and are never shown; see ReissueReceipt.
	Token     string
	CreatedAt time.Time
}

// Legacy reports whether r was issued before salted commitments and tokens, and must be re-issued
// before it is shown or printed.
func (r Receipt) Legacy() bool { return r.Token == "" }

func addReceipt(ctx context.Context, tx pgx.Tx, r Receipt) error {
	if r.Token == "" {
		return errors.New("save receipt: no verification token")
	}
	_, err := tx.Exec(ctx, `INSERT INTO receipts (claim_id, number, facts, canonical, signature, key_id, token)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.ClaimID, r.Number, r.Facts, r.Canonical, r.Signature, r.KeyID, r.Token)
	if err != nil {
		return fmt.Errorf("save receipt: %w", err)
	}
	return nil
}

// LatestReceipt returns a claim's newest receipt (which may be Legacy).
func (db *DB) LatestReceipt(ctx context.Context, claimID string) (Receipt, error) {
	if !isUUID(claimID) {
		return Receipt{}, ErrNotFound
	}
	return db.receipt(ctx, db.Pool, `claim_id = $1::uuid`, claimID)
}

// ReceiptByNumber returns the newest receipt for a claim number (which may be Legacy).
// Only a claim that had a receipt from before verification tokens is found this way: its printed
// link names the number. Every later receipt is found by its token alone, so that sequential
// numbers cannot be walked.
func (db *DB) ReceiptByNumber(ctx context.Context, number string) (Receipt, error) {
	return db.receipt(ctx, db.Pool, `number = $1 AND EXISTS (SELECT 1 FROM receipts l WHERE l.number = $1 AND l.token IS NULL)`, number)
}

// ReceiptByToken returns the receipt a verification token names.
func (db *DB) ReceiptByToken(ctx context.Context, token string) (Receipt, error) {
	if token == "" {
		return Receipt{}, ErrNotFound
	}
	return db.receipt(ctx, db.Pool, `token = $1`, token)
}

func (db *DB) receipt(ctx context.Context, q querier, where string, arg string) (Receipt, error) {
	var r Receipt
	err := q.QueryRow(ctx, `SELECT id, claim_id::text, number, facts, canonical, signature, key_id, coalesce(token, ''), created_at
		FROM receipts WHERE `+where+` ORDER BY id DESC LIMIT 1`, arg).
		Scan(&r.ID, &r.ClaimID, &r.Number, &r.Facts, &r.Canonical, &r.Signature, &r.KeyID, &r.Token, &r.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// ReissueReceipt stores next, made by the caller from the Legacy receipt old (same facts, new
// salt, token and signature), as the claim's newest receipt, in one transaction with an audit
// event; the legacy row stays, never to be shown. If old is no longer the claim's newest receipt
// (another process re-issued it, or the claim was filed again), next is dropped. It returns the
// claim's newest receipt either way.
//
// It is safe to run from several processes at once: it locks the claim's row (as filing does), so
// the second finds the receipt re-issued by the first, and a resubmission never interleaves.
func (db *DB) ReissueReceipt(ctx context.Context, old, next Receipt) (Receipt, error) {
	if !isUUID(old.ClaimID) {
		return Receipt{}, ErrNotFound
	}
	var out Receipt
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM claims WHERE id = $1::uuid FOR NO KEY UPDATE`, old.ClaimID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock claim: %w", err)
		}
		cur, err := db.receipt(ctx, tx, `claim_id = $1::uuid`, old.ClaimID)
		if err != nil || cur.ID != old.ID || !cur.Legacy() {
			out = cur
			return err
		}
		next.ClaimID, next.Number = cur.ClaimID, cur.Number
		if err := addReceipt(ctx, tx, next); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, "system", "receipt.reissued", old.ClaimID,
			map[string]string{"number": cur.Number, "old_key_id": cur.KeyID, "key_id": next.KeyID}); err != nil {
			return err
		}
		out, err = db.receipt(ctx, tx, `claim_id = $1::uuid`, old.ClaimID)
		return err
	})
	return out, err
}

// LegacyReceipt names a claim whose newest receipt is Legacy.
type LegacyReceipt struct {
	ID      int64 // the receipt's row, the cursor for the next call
	ClaimID string
}

// LegacyReceipts lists up to limit claims whose newest receipt is Legacy, in the order of those
// receipts' rows, after the row after (0 for the first call).
func (db *DB) LegacyReceipts(ctx context.Context, after int64, limit int) ([]LegacyReceipt, error) {
	rows, err := db.Pool.Query(ctx, `SELECT r.id, r.claim_id::text FROM receipts r
		WHERE r.token IS NULL AND r.id > $1
			AND NOT EXISTS (SELECT 1 FROM receipts n WHERE n.claim_id = r.claim_id AND n.id > r.id)
		ORDER BY r.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("legacy receipts: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[LegacyReceipt])
}
