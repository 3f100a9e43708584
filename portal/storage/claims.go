package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talap/portal/claim"
	"talap/portal/routing"
	"talap/portal/task"
)

// ErrConflict is returned when a claim is not in a state that allows the change asked for.
var ErrConflict = errors.New("conflict with the claim's current status")

// ErrTooLarge is returned when a document would take a claim over its total size limit.
var ErrTooLarge = errors.New("claim documents over the size limit")

// QuotaError is returned when a change would take a person or a claim over a configured count.
type QuotaError struct {
	What  string // drafts | documents | responses
	Limit int
}

func (e *QuotaError) Error() string { return fmt.Sprintf("quota: at most %d %s", e.Limit, e.What) }

// DocumentLimits bound what one claim may carry.
type DocumentLimits struct {
	Bytes int64 // all documents together
	Count int
}

const claimColumns = `c.id::text, coalesce(c.number, ''), c.claimant_iin, c.status, c.category, c.kind,
	coalesce(c.respondent_bin, ''), c.subject, c.grounds, c.demands, c.act_number, c.act_issued_on, c.act_received_on,
	c.act_abroad, c.act_electronic, c.pretrial_filed_on, c.pretrial_decision_on, c.pretrial_exempt_reason,
	c.residence_kato, c.phone, c.email, c.hear_at_residence, c.investment_dispute, c.property_kato,
	c.claim_amount::bigint, c.duty_exemption, coalesce(c.court_id, ''), c.routing_rule, c.routing_explanation,
	c.flags, c.problems, coalesce(c.case_number, ''), c.created_at, c.updated_at, c.submitted_at, c.routed_at,
	c.response_due, c.correction_due`

func dateOrNil(t *time.Time) *claim.Date {
	if t == nil {
		return nil
	}
	return &claim.Date{Time: *t}
}

func timeOf(d *claim.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := d.Time
	return &t
}

// scanClaimWith scans the claim columns followed by extra columns.
func scanClaimWith(r pgx.Row, extra ...any) (claim.Claim, error) {
	var c claim.Claim
	var rule string
	var explanation, flags, problems []byte
	var issued, received, filed, decided, responseDue, correctionDue *time.Time
	dest := append([]any{&c.ID, &c.Number, &c.ClaimantIIN, &c.Status, &c.Category, &c.Kind,
		&c.RespondentBIN, &c.Subject, &c.Grounds, &c.Demands, &c.ContestedAct.Number, &issued, &received,
		&c.ActAbroad, &c.ActElectronic, &filed, &decided, &c.Pretrial.ExemptReason,
		&c.Claimant.ResidenceKATO, &c.Claimant.Phone, &c.Claimant.Email, &c.HearAtResidence, &c.InvestmentDispute, &c.PropertyKATO,
		&c.ClaimAmount, &c.DutyExemption, &c.CourtID, &rule, &explanation,
		&flags, &problems, &c.CaseNumber, &c.CreatedAt, &c.UpdatedAt, &c.SubmittedAt, &c.RoutedAt,
		&responseDue, &correctionDue}, extra...)
	if err := r.Scan(dest...); err != nil {
		return c, err
	}
	c.ContestedAct.IssuedOn, c.ContestedAct.ReceivedOn = dateOrNil(issued), dateOrNil(received)
	c.Pretrial.ComplaintFiledOn, c.Pretrial.DecisionReceivedOn = dateOrNil(filed), dateOrNil(decided)
	c.ResponseDue, c.CorrectionDue = dateOrNil(responseDue), dateOrNil(correctionDue)
	if c.CourtID != "" {
		c.Routing = &claim.Routing{CourtID: c.CourtID, Rule: rule}
		if err := json.Unmarshal(explanation, &c.Routing.Explanation); err != nil {
			return c, fmt.Errorf("routing explanation: %w", err)
		}
	}
	if err := json.Unmarshal(flags, &c.Flags); err != nil {
		return c, fmt.Errorf("flags: %w", err)
	}
	if err := json.Unmarshal(problems, &c.Problems); err != nil {
		return c, fmt.Errorf("problems: %w", err)
	}
	return c, nil
}

// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// loadClaim reads one claim with its documents; lock takes a row lock inside a transaction.
func loadClaim(ctx context.Context, q querier, id string, lock bool) (claim.Claim, error) {
	if !isUUID(id) {
		return claim.Claim{}, ErrNotFound
	}
	if lock {
		// Lock first, then read in a statement of its own: a statement that waits for the row lock
		// would compute the documents below from the data as it was before the wait.
		var one int
		err := q.QueryRow(ctx, `SELECT 1 FROM claims WHERE id = $1::uuid FOR UPDATE`, id).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return claim.Claim{}, ErrNotFound
		}
		if err != nil {
			return claim.Claim{}, fmt.Errorf("lock claim: %w", err)
		}
	}
	// The documents come in the same round trip, as a JSON array.
	sql := `SELECT ` + claimColumns + `, (SELECT coalesce(json_agg(json_build_object('id', d.id, 'kind', d.kind, 'name', d.name,
			'size', d.size, 'content_type', d.content_type, 'sha256', d.sha256, 'uploaded_by', d.uploaded_by,
			'created_at', d.created_at, 'object_key', d.object_key, 'version_id', d.version_id) ORDER BY d.created_at, d.id), '[]')
		FROM documents d WHERE d.claim_id = c.id AND d.response_id IS NULL)
		FROM claims c WHERE c.id = $1::uuid`
	var docs []byte
	c, err := scanClaimWith(q.QueryRow(ctx, sql, id), &docs)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("load claim: %w", err)
	}
	// The fields the API hides (json "-") come under names of their own.
	var stored []struct {
		claim.Document
		UploadedBy string `json:"uploaded_by"`
		Key        string `json:"object_key"`
		VersionID  string `json:"version_id"`
	}
	if err := json.Unmarshal(docs, &stored); err != nil {
		return c, fmt.Errorf("load documents: %w", err)
	}
	c.Documents = make([]claim.Document, len(stored))
	for i, d := range stored {
		c.Documents[i] = d.Document
		c.Documents[i].UploadedBy, c.Documents[i].Key, c.Documents[i].VersionID = d.UploadedBy, d.Key, d.VersionID
		c.Documents[i].CreatedAt = d.CreatedAt.Local() // as pgx gives every other time
	}
	return c, nil
}

// Claim returns one claim with its documents.
func (db *DB) Claim(ctx context.Context, id string) (claim.Claim, error) {
	return loadClaim(ctx, db.Pool, id, false)
}

// ClaimStamp is what a client polling a claim needs first: who may see it, and a version that
// changes whenever the claim or anything shown with it does (its row, or any audited event on
// it: documents, responses, decisions).
type ClaimStamp struct {
	Claim   claim.Claim // only the fields claim.VisibleTo reads
	Version string
}

// ClaimStamp reads a claim's stamp in one indexed query.
func (db *DB) ClaimStamp(ctx context.Context, id string) (ClaimStamp, error) {
	var st ClaimStamp
	if !isUUID(id) {
		return st, ErrNotFound
	}
	var updated time.Time
	var lastEvent int64
	c := &st.Claim
	err := db.Pool.QueryRow(ctx, `SELECT c.claimant_iin, c.status, coalesce(c.respondent_bin, ''), coalesce(c.court_id, ''),
			c.routed_at, c.updated_at, coalesce((SELECT max(a.id) FROM audit_events a WHERE a.claim_id = c.id), 0)
		FROM claims c WHERE c.id = $1::uuid`, id).Scan(&c.ClaimantIIN, &c.Status, &c.RespondentBIN, &c.CourtID, &c.RoutedAt, &updated, &lastEvent)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, ErrNotFound
	}
	if err != nil {
		return st, fmt.Errorf("claim stamp: %w", err)
	}
	st.Version = fmt.Sprintf("%x.%x", updated.UnixMicro(), lastEvent)
	return st, nil
}

// CreateDraft starts a claim in status draft.
// A person may hold at most maxDrafts drafts; creating drafts for one person is serialised by an
// advisory lock on the IIN, so concurrent requests cannot overshoot.
func (db *DB) CreateDraft(ctx context.Context, claimantIIN string, d claim.Draft, maxDrafts int) (claim.Claim, error) {
	var c claim.Claim
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var drafts int
		if err := tx.QueryRow(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('talap.drafts:' || $1, 0)),
			(SELECT count(*) FROM claims WHERE claimant_iin = $1 AND status = `+sqlStatus(claim.StatusDraft)+`)`, claimantIIN).Scan(nil, &drafts); err != nil {
			return fmt.Errorf("count drafts: %w", err)
		}
		if drafts >= maxDrafts {
			return &QuotaError{What: "drafts", Limit: maxDrafts}
		}
		var id string
		if err := tx.QueryRow(ctx, `INSERT INTO claims (claimant_iin) VALUES ($1) RETURNING id::text`, claimantIIN).Scan(&id); err != nil {
			return fmt.Errorf("create draft: %w", err)
		}
		if err := writeDraft(ctx, tx, id, d); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, claimantIIN, "claim.created", id, nil); err != nil {
			return err
		}
		var err error
		c, err = loadClaim(ctx, tx, id, false)
		return err
	})
	return c, err
}

func writeDraft(ctx context.Context, tx pgx.Tx, id string, d claim.Draft) error {
	_, err := tx.Exec(ctx, `UPDATE claims SET category = $2, kind = $3, respondent_bin = nullif($4, ''), subject = $5,
		grounds = $6, demands = $7, act_number = $8, act_issued_on = $9, act_received_on = $10, act_abroad = $11,
		act_electronic = $12, pretrial_filed_on = $13, pretrial_decision_on = $14, pretrial_exempt_reason = $15,
		residence_kato = $16, phone = $17, email = $18, hear_at_residence = $19, investment_dispute = $20,
		property_kato = $21, claim_amount = $22, duty_exemption = $23, updated_at = now() WHERE id = $1`,
		id, d.Category, d.Kind, d.RespondentBIN, d.Subject, d.Grounds, d.Demands, d.ContestedAct.Number,
		timeOf(d.ContestedAct.IssuedOn), timeOf(d.ContestedAct.ReceivedOn), d.ActAbroad, d.ActElectronic,
		timeOf(d.Pretrial.ComplaintFiledOn), timeOf(d.Pretrial.DecisionReceivedOn), d.Pretrial.ExemptReason,
		d.Claimant.ResidenceKATO, d.Claimant.Phone, d.Claimant.Email, d.HearAtResidence, d.InvestmentDispute,
		d.PropertyKATO, d.ClaimAmount, d.DutyExemption)
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return nil
}

// editable locks a claim for a change by its claimant: another person's claim is not found, and a
// claim past the point of editing is a conflict.
func editable(ctx context.Context, tx pgx.Tx, id, claimantIIN string) (claim.Claim, error) {
	c, err := loadClaim(ctx, tx, id, true)
	if err != nil {
		return c, err
	}
	if c.ClaimantIIN != claimantIIN {
		return c, ErrNotFound
	}
	if !c.Status.Editable() {
		return c, ErrConflict
	}
	return c, nil
}

// UpdateDraft applies answers given as JSON (claim.Apply, at now) to the claimant's claim while it
// is editable, on the claim as it stands under its lock, so that concurrent changes of different
// answers all take.
func (db *DB) UpdateDraft(ctx context.Context, id, claimantIIN string, answers []byte, now time.Time) (claim.Claim, error) {
	var c claim.Claim
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := editable(ctx, tx, id, claimantIIN)
		if err != nil {
			return err
		}
		d, err := claim.Apply(cur.Draft, answers, now)
		if err != nil {
			return err
		}
		if err := writeDraft(ctx, tx, id, d); err != nil {
			return err
		}
		if cur.Status != claim.StatusDraft {
			if err := appendAudit(ctx, tx, claimantIIN, "claim.corrected", id, nil); err != nil {
				return err
			}
		}
		c, err = loadClaim(ctx, tx, id, false)
		return err
	})
	return c, err
}

// DeleteDraft removes a draft and returns its documents, whose objects the caller removes.
func (db *DB) DeleteDraft(ctx context.Context, id, claimantIIN string) ([]claim.Document, error) {
	var docs []claim.Document
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		c, err := editable(ctx, tx, id, claimantIIN)
		if err != nil {
			return err
		}
		if c.Status != claim.StatusDraft {
			return ErrConflict
		}
		docs = c.Documents
		if _, err := tx.Exec(ctx, `DELETE FROM claims WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete draft: %w", err)
		}
		return appendAudit(ctx, tx, claimantIIN, "claim.draft_deleted", "", map[string]string{"claim_id": id})
	})
	return docs, err
}

// ClaimSummary is a line of a list of claims.
type ClaimSummary struct {
	ID            string
	Number        string
	Status        claim.Status
	Category      string
	Kind          string
	Subject       string
	RespondentBIN string
	CourtID       string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SubmittedAt   *time.Time
}

// Cursor is a keyset position in a list ordered by (time, id).
type Cursor struct {
	At time.Time
	ID string
}

// ClaimsOf lists a claimant's claims, newest first, after the cursor (nil for the first page).
func (db *DB) ClaimsOf(ctx context.Context, claimantIIN string, after *Cursor, limit int) ([]ClaimSummary, error) {
	args := []any{claimantIIN, limit}
	where := ""
	if after != nil {
		where = ` AND (c.created_at, c.id) < ($3, $4::uuid)`
		args = append(args, after.At, after.ID)
	}
	rows, err := db.Pool.Query(ctx, `SELECT c.id::text, coalesce(c.number, ''), c.status, c.category, c.kind, c.subject,
			coalesce(c.respondent_bin, ''), coalesce(c.court_id, ''), c.created_at, c.updated_at, c.submitted_at
		FROM claims c WHERE c.claimant_iin = $1`+where+` ORDER BY c.created_at DESC, c.id DESC LIMIT $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("list claims: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ClaimSummary])
}

// ToRoute reads what routing needs to know about a claim: the claim and its respondent's place.
func (db *DB) ToRoute(ctx context.Context, id string) (routing.ClaimInput, error) {
	var in routing.ClaimInput
	if !isUUID(id) {
		return in, ErrNotFound
	}
	row := db.Pool.QueryRow(ctx, `SELECT `+claimColumns+`, coalesce(b.kato, '')
		FROM claims c LEFT JOIN public_bodies b ON b.bin = c.respondent_bin WHERE c.id = $1::uuid`, id)
	c, err := scanClaimWith(row, &in.RespondentKATO)
	if errors.Is(err, pgx.ErrNoRows) {
		return in, ErrNotFound
	}
	in.Claim = c
	return in, err
}

// RouteClaim records a routing outcome, computed by the caller from ToRoute's input, with an audit
// event and the notices, in one transaction, if the claim (locked) is still waiting to be routed.
// A claim already past routing is left alone and the answer says AlreadyFinished, so a repeated
// delivery of the task changes nothing. (While a claim waits to be routed nobody can change what
// routing reads: the claimant edits only drafts and claims sent back for correction.)
func (db *DB) RouteClaim(ctx context.Context, id string, out routing.Outcome) (routing.Outcome, error) {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var status claim.Status
		err := tx.QueryRow(ctx, `SELECT status FROM claims WHERE id = $1 FOR UPDATE`, id).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock claim: %w", err)
		}
		if !status.Routable() {
			out = routing.Outcome{AlreadyFinished: true}
			return nil
		}
		if out.Routing == nil {
			problems, err := json.Marshal([]claim.Notice{{Code: "unroutable", Message: out.UnroutableWhy}})
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE claims SET status = `+sqlStatus(claim.StatusUnroutable)+`, updated_at = now(), problems = $2 WHERE id = $1`, id, problems); err != nil {
				return fmt.Errorf("mark unroutable: %w", err)
			}
			return appendAudit(ctx, tx, "worker", "claim.unroutable", id, map[string]string{"reason": out.UnroutableWhy.EN})
		}
		expl, err := json.Marshal(out.Routing.Explanation)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE claims SET status = `+sqlStatus(claim.StatusRouted)+`, court_id = $2, routing_rule = $3,
			routing_explanation = $4, routed_at = now(), updated_at = now(), response_due = $5 WHERE id = $1`,
			id, out.Routing.CourtID, out.Routing.Rule, expl, out.ResponseDue); err != nil {
			return fmt.Errorf("mark routed: %w", err)
		}
		if err := appendAudit(ctx, tx, "worker", "claim.routed", id, map[string]string{"court_id": out.Routing.CourtID, "rule": out.Routing.Rule}); err != nil {
			return err
		}
		if err := addOutbox(ctx, tx, task.Notify, task.NotifyPayload{ClaimID: id, Event: "routed"}); err != nil {
			return err
		}
		if out.RemindAt != nil {
			return addOutboxAt(ctx, tx, task.Remind, task.NotifyPayload{ClaimID: id, Event: "response_reminder"}, out.RemindAt)
		}
		return nil
	})
	return out, err
}
