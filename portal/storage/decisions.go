package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talap/portal/claim"
	"talap/portal/task"
)

// Decide applies a court's decision in one transaction: the action must be allowed from the
// claim's status (claim.Next), and the claim must be with the clerk's court. It writes the
// decision, an audit event and the notice, and for a claim left without motion schedules the check
// for its correction.
func (db *DB) Decide(ctx context.Context, id, courtID, actor string, d claim.Decision) (claim.Claim, error) {
	var c claim.Claim
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := loadClaim(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.CourtID != courtID {
			return ErrNotFound
		}
		if _, err := claim.Next(cur.Status, d.Action); err != nil {
			return ErrConflict
		}
		switch d.Action {
		case claim.ActionRegister:
			year := time.Now().In(almaty).Year()
			var seq int
			err := tx.QueryRow(ctx, `INSERT INTO case_counters (court_id, year, last) VALUES ($1, $2, 1)
				ON CONFLICT (court_id, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last`, courtID, year).Scan(&seq)
			if err != nil {
				return fmt.Errorf("case number: %w", err)
			}
			number := fmt.Sprintf("%s/%d/%05d", courtID, year, seq)
			_, err = tx.Exec(ctx, `UPDATE claims SET status = `+sqlStatus(claim.StatusRegistered)+`, case_number = $2, registered_at = now(), decided_at = now(), updated_at = now() WHERE id = $1`, id, number)
			if err != nil {
				return fmt.Errorf("register: %w", err)
			}
		case claim.ActionReturn:
			if _, err := tx.Exec(ctx, `UPDATE claims SET status = `+sqlStatus(claim.StatusReturned)+`, decided_at = now(), updated_at = now() WHERE id = $1`, id); err != nil {
				return fmt.Errorf("return: %w", err)
			}
		case claim.ActionLeaveWithoutMotion:
			if _, err := tx.Exec(ctx, `UPDATE claims SET status = `+sqlStatus(claim.StatusLeftWithoutMotion)+`, correction_due = $2, decided_at = now(), updated_at = now() WHERE id = $1`, id, d.CorrectionDue); err != nil {
				return fmt.Errorf("leave without motion: %w", err)
			}
			// The check for the correction is scheduled below, once the decision has its id.
		case claim.ActionTransfer:
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM courts WHERE id = $1 AND active)`, d.ToCourt).Scan(&exists); err != nil {
				return err
			}
			if !exists || d.ToCourt == courtID {
				return ErrInvalid
			}
			expl, err := json.Marshal(d.Explanation)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE claims SET court_id = $2, routing_rule = 'transfer', routing_explanation = $3,
				routed_at = now(), updated_at = now() WHERE id = $1`, id, d.ToCourt, expl); err != nil {
				return fmt.Errorf("transfer: %w", err)
			}
		}
		reasons, err := json.Marshal(d.Reasons)
		if err != nil {
			return err
		}
		var decisionID int64
		if err := tx.QueryRow(ctx, `INSERT INTO decisions (claim_id, action, reasons, text, correction_due, from_court, to_court, decided_by)
			VALUES ($1, $2, $3, $4, $5, $6, nullif($7, ''), $8) RETURNING id`, id, d.Action, reasons, d.Text, d.CorrectionDue, courtID, d.ToCourt, actor).Scan(&decisionID); err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		if d.Action == claim.ActionLeaveWithoutMotion {
			// The check names its decision: a claim corrected and left without motion again is
			// checked by the new decision's task only, never early by the old one's.
			if err := addOutboxAt(ctx, tx, task.AutoReturn, map[string]any{"claim_id": id, "decision_id": decisionID}, d.CheckAt); err != nil {
				return err
			}
		}
		if err := appendAudit(ctx, tx, actor, "claim."+d.Action, id, map[string]any{"role": "court", "court_id": courtID, "reasons": d.Reasons, "to_court": d.ToCourt}); err != nil {
			return err
		}
		if err := addOutbox(ctx, tx, task.Notify, task.NotifyPayload{ClaimID: id, Event: "decision." + d.Action}); err != nil {
			return err
		}
		c, err = loadClaim(ctx, tx, id, false)
		return err
	})
	return c, err
}

// AutoReturn returns a claim left without motion that was not corrected by its due date. A claim
// corrected (resubmitted) or decided meanwhile is left alone. It reports whether it returned it.
func (db *DB) AutoReturn(ctx context.Context, id string, now time.Time) (bool, error) {
	return db.AutoReturnFor(ctx, id, 0, now)
}

// AutoReturnFor is AutoReturn for the check scheduled by decision decisionID (0: any): if the
// claim has had a later decision (it was corrected, resubmitted and left without motion again),
// that decision's own check decides, and this one leaves the claim alone.
func (db *DB) AutoReturnFor(ctx context.Context, id string, decisionID int64, now time.Time) (bool, error) {
	returned := false
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := loadClaim(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.Status != claim.StatusLeftWithoutMotion {
			return nil
		}
		if decisionID != 0 {
			var latest int64
			if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM decisions WHERE claim_id = $1`, id).Scan(&latest); err != nil {
				return fmt.Errorf("latest decision: %w", err)
			}
			if latest != decisionID {
				return nil
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE claims SET status = `+sqlStatus(claim.StatusReturned)+`, decided_at = now(), updated_at = now() WHERE id = $1`, id); err != nil {
			return fmt.Errorf("auto return: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO decisions (claim_id, action, reasons, text, from_court, decided_by)
			VALUES ($1, 'return', '["138-2-2"]', '', $2, 'system')`, id, cur.CourtID); err != nil {
			return fmt.Errorf("record auto return: %w", err)
		}
		if err := appendAudit(ctx, tx, "system", "claim.auto_returned", id, map[string]any{"reasons": []string{"138-2-2"}, "at": now}); err != nil {
			return err
		}
		returned = true
		return addOutbox(ctx, tx, task.Notify, task.NotifyPayload{ClaimID: id, Event: "decision.return"})
	})
	return returned, err
}

// DecisionRecord is a decision as the claim page shows it.
type DecisionRecord struct {
	Action        string
	Reasons       []string
	Text          string
	CorrectionDue *time.Time
	FromCourt     string
	ToCourt       string
	DecidedAt     time.Time
}

// Decisions lists a claim's decisions, oldest first.
func (db *DB) Decisions(ctx context.Context, id string) ([]DecisionRecord, error) {
	if !isUUID(id) {
		return nil, ErrNotFound
	}
	rows, err := db.Pool.Query(ctx, `SELECT action, reasons, text, correction_due, coalesce(from_court, ''), coalesce(to_court, ''), decided_at
		FROM decisions WHERE claim_id = $1::uuid ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DecisionRecord, error) {
		var d DecisionRecord
		var reasons []byte
		if err := r.Scan(&d.Action, &reasons, &d.Text, &d.CorrectionDue, &d.FromCourt, &d.ToCourt, &d.DecidedAt); err != nil {
			return d, err
		}
		return d, json.Unmarshal(reasons, &d.Reasons)
	})
}

var almaty = mustAlmaty()

func mustAlmaty() *time.Location {
	l, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		return time.FixedZone("Asia/Almaty", 5*3600)
	}
	return l
}
