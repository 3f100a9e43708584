package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"talap/portal/claim"
)

// ErrConflict is returned when a claim is not in a state that allows the change asked for.
var ErrConflict = errors.New("conflict with the claim's current status")

// TaskRouteClaim is the queue task that routes a submitted claim.
const TaskRouteClaim = "claim:route"

// NewDraft is what a citizen gives to start a claim.
type NewDraft struct {
	ClaimantIIN   string
	Category      string
	Kind          string
	RespondentBIN string
	Subject       string
}

// CreateDraft starts a claim in status draft and returns its id.
func (db *DB) CreateDraft(ctx context.Context, d NewDraft) (string, error) {
	var id string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO claims (claimant_iin, category, kind, respondent_bin, subject)
			VALUES ($1, $2, $3, nullif($4, ''), $5) RETURNING id::text`,
			d.ClaimantIIN, d.Category, d.Kind, d.RespondentBIN, d.Subject).Scan(&id)
		if err != nil {
			return fmt.Errorf("create draft: %w", err)
		}
		return appendAudit(ctx, tx, d.ClaimantIIN, "claim.created", id, nil)
	})
	return id, err
}

const claimColumns = `c.id::text, coalesce(c.number, ''), c.claimant_iin, c.status, c.category, c.kind,
	coalesce(c.respondent_bin, ''), c.subject, coalesce(c.court_id, ''), c.routing_rule, c.routing_explanation,
	c.created_at, c.submitted_at`

func scanClaim(r pgx.Row) (claim.Claim, error) { return scanClaimWith(r) }

// Claim returns one claim by id.
func (db *DB) Claim(ctx context.Context, id string) (claim.Claim, error) {
	c, err := scanClaim(db.Pool.QueryRow(ctx, `SELECT `+claimColumns+` FROM claims c WHERE c.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// Submit files a claim: in one transaction it becomes submitted (keeping its number on a
// resubmission), an audit event is written and an outbox row asks for it to be routed.
func (db *DB) Submit(ctx context.Context, id, actorIIN string) (claim.Claim, error) {
	var c claim.Claim
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		c, err = scanClaim(tx.QueryRow(ctx, `UPDATE claims c SET status = 'submitted', submitted_at = now(), updated_at = now(),
				number = coalesce(number, 'TLP-' || to_char(now() AT TIME ZONE 'Asia/Almaty', 'YYYY') || '-' ||
					lpad(nextval('claim_number_seq')::text, 6, '0'))
			WHERE c.id = $1 AND c.claimant_iin = $2 AND c.status IN ('draft', 'needs_correction', 'left_without_motion')
			RETURNING `+claimColumns, id, actorIIN))
		if errors.Is(err, pgx.ErrNoRows) {
			return db.notFoundOrConflict(ctx, tx, id, actorIIN)
		}
		if err != nil {
			return fmt.Errorf("submit claim: %w", err)
		}
		if err := appendAudit(ctx, tx, actorIIN, "claim.submitted", id, map[string]string{"number": c.Number}); err != nil {
			return err
		}
		return addOutbox(ctx, tx, TaskRouteClaim, map[string]string{"claim_id": id})
	})
	return c, err
}

func (db *DB) notFoundOrConflict(ctx context.Context, tx pgx.Tx, id, claimant string) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM claims WHERE id = $1 AND claimant_iin = $2)`, id, claimant).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return ErrConflict
	}
	return ErrNotFound
}

// RoutingInput is what routing needs to know about a claim.
type RoutingInput struct {
	Claim          claim.Claim
	RespondentKATO string
}

// RouteOutcome is what routing decided: a court, or no court with a reason for the administrators.
type RouteOutcome struct {
	Routing         *claim.Routing
	UnroutableWhy   string
	AlreadyFinished bool
}

// RouteClaim locks the claim, and if it is still waiting to be routed applies decide's outcome with
// an audit event, all in one transaction. A claim already past routing is left alone, so a repeated
// delivery of the task changes nothing.
func (db *DB) RouteClaim(ctx context.Context, id string, decide func(RoutingInput) (RouteOutcome, error)) (RouteOutcome, error) {
	var out RouteOutcome
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var in RoutingInput
		row := tx.QueryRow(ctx, `SELECT `+claimColumns+`, coalesce(b.kato, '')
			FROM claims c LEFT JOIN public_bodies b ON b.bin = c.respondent_bin WHERE c.id = $1 FOR UPDATE OF c`, id)
		c, err := scanClaimWith(row, &in.RespondentKATO)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock claim: %w", err)
		}
		if !c.Status.Routable() {
			out.AlreadyFinished = true
			return nil
		}
		in.Claim = c
		out, err = decide(in)
		if err != nil {
			return err
		}
		if out.Routing == nil {
			if _, err := tx.Exec(ctx, `UPDATE claims SET status = 'unroutable', updated_at = now(),
				problems = jsonb_build_array(jsonb_build_object('code', 'unroutable', 'message', $2::text)) WHERE id = $1`, id, out.UnroutableWhy); err != nil {
				return fmt.Errorf("mark unroutable: %w", err)
			}
			return appendAudit(ctx, tx, "worker", "claim.unroutable", id, map[string]string{"reason": out.UnroutableWhy})
		}
		expl, err := json.Marshal(out.Routing.Explanation)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE claims SET status = 'routed', court_id = $2, routing_rule = $3,
			routing_explanation = $4, routed_at = now(), updated_at = now() WHERE id = $1`,
			id, out.Routing.CourtID, out.Routing.Rule, expl); err != nil {
			return fmt.Errorf("mark routed: %w", err)
		}
		return appendAudit(ctx, tx, "worker", "claim.routed", id, map[string]string{"court_id": out.Routing.CourtID, "rule": out.Routing.Rule})
	})
	return out, err
}

// scanClaimWith scans the claim columns followed by extra columns.
func scanClaimWith(r pgx.Row, extra ...any) (claim.Claim, error) {
	var c claim.Claim
	var courtID, rule string
	var explanation []byte
	dest := append([]any{&c.ID, &c.Number, &c.ClaimantIIN, &c.Status, &c.Category, &c.Kind, &c.RespondentBIN, &c.Subject,
		&courtID, &rule, &explanation, &c.CreatedAt, &c.SubmittedAt}, extra...)
	if err := r.Scan(dest...); err != nil {
		return c, err
	}
	if courtID != "" {
		c.Routing = &claim.Routing{CourtID: courtID, Rule: rule}
		if err := json.Unmarshal(explanation, &c.Routing.Explanation); err != nil {
			return c, fmt.Errorf("routing explanation: %w", err)
		}
	}
	return c, nil
}
