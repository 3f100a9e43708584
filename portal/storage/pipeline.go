package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"talap/portal/claim"
	"talap/portal/task"
)

// StartValidation moves a submitted claim to validating and returns it. A claim already
// validating (a repeated delivery) is returned as it is; any other status returns ok=false.
func (db *DB) StartValidation(ctx context.Context, id string) (claim.Claim, bool, error) {
	if !isUUID(id) {
		return claim.Claim{}, false, ErrNotFound
	}
	// One statement, so one round trip and no explicit transaction: the claim moves from
	// submitted to validating together with its audit event, or nothing happens.
	_, err := db.Pool.Exec(ctx, `WITH moved AS (
			UPDATE claims SET status = `+sqlStatus(claim.StatusValidating)+`, updated_at = now() WHERE id = $1::uuid AND status = `+sqlStatus(claim.StatusSubmitted)+` RETURNING id)
		`+auditInsert+` SELECT $2, 'worker', 'claim.validating', id, '{}' FROM moved`, id, auditNow())
	if err != nil {
		return claim.Claim{}, false, fmt.Errorf("start validation: %w", err)
	}
	c, err := db.Claim(ctx, id)
	return c, err == nil && c.Status == claim.StatusValidating, err
}

// Validation outcomes.
const (
	ValidationPassed          = "passed"
	ValidationNeedsCorrection = "needs_correction"
	ValidationAlreadyDone     = "already_done"
)

// FinishValidation records the outcome of validation if the claim is still validating: with
// problems it goes back to the claimant (needs_correction), otherwise its flags are kept for the
// court and routing is asked for. Either way an audit event and, in the same transaction, the
// next tasks are written.
func (db *DB) FinishValidation(ctx context.Context, id string, problems, flags []claim.Notice) (string, error) {
	outcome := ValidationAlreadyDone
	if !isUUID(id) {
		return outcome, ErrNotFound
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var status claim.Status
		err := tx.QueryRow(ctx, `SELECT status FROM claims WHERE id = $1::uuid FOR UPDATE`, id).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if status != claim.StatusValidating {
			return nil
		}
		if flags == nil {
			flags = []claim.Notice{}
		}
		fj, err := json.Marshal(flags)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			pj, err := json.Marshal(problems)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE claims SET status = `+sqlStatus(claim.StatusNeedsCorrection)+`, problems = $2, flags = $3, updated_at = now() WHERE id = $1`, id, pj, fj); err != nil {
				return fmt.Errorf("needs correction: %w", err)
			}
			codes := make([]string, len(problems))
			for i, p := range problems {
				codes[i] = p.Code
			}
			if err := appendAudit(ctx, tx, "worker", "claim.needs_correction", id, map[string]any{"problems": codes}); err != nil {
				return err
			}
			outcome = ValidationNeedsCorrection
			return addOutbox(ctx, tx, task.Notify, task.NotifyPayload{ClaimID: id, Event: "needs_correction"})
		}
		if _, err := tx.Exec(ctx, `UPDATE claims SET problems = '[]', flags = $2, updated_at = now() WHERE id = $1`, id, fj); err != nil {
			return fmt.Errorf("record flags: %w", err)
		}
		codes := make([]string, len(flags))
		for i, f := range flags {
			codes[i] = f.Code
		}
		if err := appendAudit(ctx, tx, "worker", "claim.validated", id, map[string]any{"flags": codes}); err != nil {
			return err
		}
		outcome = ValidationPassed
		return addOutbox(ctx, tx, task.RouteClaim, map[string]string{"claim_id": id})
	})
	return outcome, err
}

// DuplicateOf returns the number of another filed claim by the same claimant against the same
// respondent about the same contested act, or "".
func (db *DB) DuplicateOf(ctx context.Context, c claim.Claim) (string, error) {
	if c.ContestedAct.Number == "" || c.RespondentBIN == "" {
		return "", nil
	}
	var number string
	err := db.Pool.QueryRow(ctx, `SELECT coalesce(number, '') FROM claims
		WHERE claimant_iin = $1 AND respondent_bin = $2 AND lower(act_number) = lower($3) AND id::text <> $4
		AND status NOT IN (`+sqlStatus(claim.StatusDraft)+`, `+sqlStatus(claim.StatusWithdrawn)+`) ORDER BY submitted_at LIMIT 1`,
		c.ClaimantIIN, c.RespondentBIN, c.ContestedAct.Number, c.ID).Scan(&number)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return number, err
}

// ClaimsWithStatus lists claims in a status, oldest filing first (the administrators' queue).
func (db *DB) ClaimsWithStatus(ctx context.Context, status claim.Status, limit int) ([]ClaimSummary, error) {
	rows, err := db.Pool.Query(ctx, `SELECT c.id::text, coalesce(c.number, ''), c.status, c.category, c.kind, c.subject,
			coalesce(c.respondent_bin, ''), coalesce(c.court_id, ''), c.created_at, c.updated_at, c.submitted_at
		FROM claims c WHERE c.status = $1 ORDER BY c.submitted_at, c.id LIMIT $2`, status, limit)
	if err != nil {
		return nil, fmt.Errorf("claims with status: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ClaimSummary])
}
