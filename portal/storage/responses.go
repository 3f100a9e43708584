package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"talap/portal/claim"
	"talap/portal/task"
)

// AddResponse records the respondent's response with its documents (already in storage), flagged
// late as the caller found it, and tells the claimant. The claim must be with a court, and the
// body may have filed at most maxResponses to it.
func (db *DB) AddResponse(ctx context.Context, claimID, bodyBIN, actor, text string, docs []claim.Document, maxResponses int, late bool) (claim.Response, error) {
	var r claim.Response
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		c, err := loadClaim(ctx, tx, claimID, true)
		if err != nil {
			return err
		}
		if c.RespondentBIN != bodyBIN || c.RoutedAt == nil {
			return ErrNotFound
		}
		switch c.Status {
		case claim.StatusRouted, claim.StatusRegistered, claim.StatusLeftWithoutMotion:
		default:
			return ErrConflict
		}
		responses, err := responseCount(ctx, tx, claimID, bodyBIN)
		if err != nil {
			return err
		}
		if responses >= maxResponses {
			return &QuotaError{What: "responses", Limit: maxResponses}
		}
		r = claim.Response{BodyBIN: bodyBIN, Text: text, Late: late, SubmittedBy: actor, Documents: []claim.Document{}}
		err = tx.QueryRow(ctx, `INSERT INTO responses (claim_id, body_bin, text, submitted_by, late) VALUES ($1, $2, $3, $4, $5)
			RETURNING id::text, submitted_at`, claimID, bodyBIN, text, actor, r.Late).Scan(&r.ID, &r.SubmittedAt)
		if err != nil {
			return fmt.Errorf("record response: %w", err)
		}
		for _, d := range docs {
			_, err := tx.Exec(ctx, `INSERT INTO documents (id, claim_id, response_id, kind, name, size, content_type, sha256, object_key, version_id, uploaded_by)
				VALUES ($1, $2, $3, 'response', $4, $5, $6, $7, $8, $9, $10)`,
				d.ID, claimID, r.ID, d.Name, d.Size, d.ContentType, d.SHA256, d.Key, d.VersionID, bodyBIN)
			if err != nil {
				return fmt.Errorf("record response document: %w", err)
			}
			d.Kind = "response"
			r.Documents = append(r.Documents, d)
		}
		if err := appendAudit(ctx, tx, actor, "claim.response", claimID, map[string]any{"role": "respondent", "body_bin": bodyBIN, "late": r.Late, "documents": len(docs)}); err != nil {
			return err
		}
		return addOutbox(ctx, tx, task.Notify, task.NotifyPayload{ClaimID: claimID, Event: "response"})
	})
	return r, err
}

// ResponseCount is how many responses the body has filed to the claim.
func (db *DB) ResponseCount(ctx context.Context, claimID, bodyBIN string) (int, error) {
	if !isUUID(claimID) {
		return 0, ErrNotFound
	}
	return responseCount(ctx, db.Pool, claimID, bodyBIN)
}

func responseCount(ctx context.Context, q querier, claimID, bodyBIN string) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT count(*) FROM responses WHERE claim_id = $1::uuid AND body_bin = $2`, claimID, bodyBIN).Scan(&n)
	return n, err
}

// Responses lists a claim's responses with their documents, oldest first.
func (db *DB) Responses(ctx context.Context, claimID string) ([]claim.Response, error) {
	if !isUUID(claimID) {
		return nil, ErrNotFound
	}
	rows, err := db.Pool.Query(ctx, `SELECT id::text, body_bin, text, submitted_at, late, submitted_by FROM responses
		WHERE claim_id = $1::uuid ORDER BY submitted_at, id`, claimID)
	if err != nil {
		return nil, fmt.Errorf("responses: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (claim.Response, error) {
		var x claim.Response
		err := r.Scan(&x.ID, &x.BodyBIN, &x.Text, &x.SubmittedAt, &x.Late, &x.SubmittedBy)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	for i := range list {
		drows, err := db.Pool.Query(ctx, `SELECT id::text, kind, name, size, content_type, sha256, uploaded_by, created_at, object_key, version_id
			FROM documents WHERE response_id = $1::uuid ORDER BY created_at, id`, list[i].ID)
		if err != nil {
			return nil, err
		}
		list[i].Documents, err = pgx.CollectRows(drows, pgx.RowToStructByPos[claim.Document])
		if err != nil {
			return nil, err
		}
		if list[i].Documents == nil {
			list[i].Documents = []claim.Document{}
		}
	}
	return list, nil
}

// ResponseDocument finds a document of a claim's responses.
func (db *DB) ResponseDocument(ctx context.Context, claimID, docID string) (claim.Document, error) {
	if !isUUID(claimID) || !isUUID(docID) {
		return claim.Document{}, ErrNotFound
	}
	rows, err := db.Pool.Query(ctx, `SELECT id::text, kind, name, size, content_type, sha256, uploaded_by, created_at, object_key, version_id
		FROM documents WHERE claim_id = $1::uuid AND id = $2::uuid AND response_id IS NOT NULL`, claimID, docID)
	if err != nil {
		return claim.Document{}, err
	}
	d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[claim.Document])
	if err == pgx.ErrNoRows {
		return d, ErrNotFound
	}
	return d, err
}
