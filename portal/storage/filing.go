package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talap/portal/claim"
	"talap/portal/task"
)

// Filing is what filing a claim writes. The use case computes it from the claim as it read it;
// Submit writes it in one transaction, provided the claim is still as read.
type Filing struct {
	Read    claim.Claim // the claim as the use case read it (its owner, updated_at and documents are checked)
	Number  string      // the claim's number: its own on a resubmission, else one from ReserveClaimNumber
	FiledAt time.Time
	Receipt *Receipt // the signed receipt of this filing
}

// ReserveClaimNumber takes the next claim number (claim.NumberFor) for a filing at at. A number
// taken for a filing that then fails stays unused.
func (db *DB) ReserveClaimNumber(ctx context.Context, at time.Time) (string, error) {
	var seq int64
	if err := db.Pool.QueryRow(ctx, `SELECT nextval('claim_number_seq')`).Scan(&seq); err != nil {
		return "", fmt.Errorf("claim number: %w", err)
	}
	return claim.NumberFor(at, seq), nil
}

// Submit files a claim: status, number and filing time, the receipt, the audit event and the
// outbox rows for validation and the "filed" notice, together. It answers ErrConflict when the
// claim is no longer editable or has changed since it was read (answers or documents), so the
// receipt never misses what was filed.
func (db *DB) Submit(ctx context.Context, f Filing) (claim.Claim, error) {
	var c claim.Claim
	id := f.Read.ID
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := editable(ctx, tx, id, f.Read.ClaimantIIN)
		if err != nil {
			return err
		}
		if !cur.UpdatedAt.Equal(f.Read.UpdatedAt) || !sameDocuments(cur.Documents, f.Read.Documents) {
			return ErrConflict
		}
		c = cur
		err = tx.QueryRow(ctx, `UPDATE claims SET status = `+sqlStatus(claim.StatusSubmitted)+`, submitted_at = $2, updated_at = now(),
				problems = '[]', number = coalesce(number, $3)
			WHERE id = $1 RETURNING status, number, submitted_at, updated_at`, id, f.FiledAt, f.Number).Scan(&c.Status, &c.Number, &c.SubmittedAt, &c.UpdatedAt)
		if err != nil {
			return fmt.Errorf("submit claim: %w", err)
		}
		if c.Number != f.Number {
			return ErrConflict // numbered meanwhile: the receipt would name another number
		}
		c.Problems = []claim.Notice{}
		event := "claim.submitted"
		if cur.Status != claim.StatusDraft {
			event = "claim.resubmitted"
		}
		if err := appendAudit(ctx, tx, f.Read.ClaimantIIN, event, id, map[string]string{"number": c.Number}); err != nil {
			return err
		}
		if f.Receipt != nil {
			if err := addReceipt(ctx, tx, *f.Receipt); err != nil {
				return err
			}
		}
		if err := addOutbox(ctx, tx, task.Notify, task.NotifyPayload{ClaimID: id, Event: "submitted"}); err != nil {
			return err
		}
		return addOutbox(ctx, tx, task.ValidateClaim, map[string]string{"claim_id": id})
	})
	return c, err
}

func sameDocuments(a, b []claim.Document) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			return false
		}
	}
	return true
}

// Withdraw withdraws a filed claim before the court registers it (APPK Art. 142(2)).
func (db *DB) Withdraw(ctx context.Context, id, claimantIIN string) (claim.Claim, error) {
	var c claim.Claim
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := loadClaim(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.ClaimantIIN != claimantIIN {
			return ErrNotFound
		}
		if _, err := claim.Next(cur.Status, "withdraw"); err != nil {
			return ErrConflict
		}
		if _, err := tx.Exec(ctx, `UPDATE claims SET status = `+sqlStatus(claim.StatusWithdrawn)+`, updated_at = now() WHERE id = $1`, id); err != nil {
			return fmt.Errorf("withdraw: %w", err)
		}
		if err := appendAudit(ctx, tx, claimantIIN, "claim.withdrawn", id, nil); err != nil {
			return err
		}
		c, err = loadClaim(ctx, tx, id, false)
		return err
	})
	return c, err
}
