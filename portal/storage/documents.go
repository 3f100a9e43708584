package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"talap/portal/claim"
)

// DocumentsSize is the total size of a claim's documents.
func (db *DB) DocumentsSize(ctx context.Context, claimID string) (int64, error) {
	var n int64
	if !isUUID(claimID) {
		return 0, ErrNotFound
	}
	err := db.Pool.QueryRow(ctx, `SELECT coalesce(sum(size), 0) FROM documents WHERE claim_id = $1::uuid AND response_id IS NULL`, claimID).Scan(&n)
	return n, err
}

// AddDocument records an uploaded document on an editable claim of the uploader's, keeping the
// claim's total within perClaim bytes.
func (db *DB) AddDocument(ctx context.Context, claimID, claimantIIN string, d claim.Document, limits DocumentLimits) (claim.Document, error) {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		// editable locks the claim's row, so documents added at the same time are counted in turn.
		if _, err := editable(ctx, tx, claimID, claimantIIN); err != nil {
			return err
		}
		var total int64
		var count int
		if err := tx.QueryRow(ctx, `SELECT coalesce(sum(size), 0), count(*) FROM documents WHERE claim_id = $1 AND response_id IS NULL`, claimID).Scan(&total, &count); err != nil {
			return err
		}
		if total+d.Size > limits.Bytes {
			return ErrTooLarge
		}
		if count >= limits.Count {
			return &QuotaError{What: "documents", Limit: limits.Count}
		}
		err := tx.QueryRow(ctx, `INSERT INTO documents (id, claim_id, kind, name, size, content_type, sha256, object_key, version_id, uploaded_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING created_at`,
			d.ID, claimID, d.Kind, d.Name, d.Size, d.ContentType, d.SHA256, d.Key, d.VersionID, claimantIIN).Scan(&d.CreatedAt)
		if err != nil {
			return fmt.Errorf("record document: %w", err)
		}
		return appendAudit(ctx, tx, claimantIIN, "document.added", claimID, map[string]any{"document_id": d.ID, "sha256": d.SHA256, "size": d.Size})
	})
	return d, err
}

// RemoveDocument deletes a document from an editable claim and returns it, so the caller can
// remove its object.
func (db *DB) RemoveDocument(ctx context.Context, claimID, claimantIIN, docID string) (claim.Document, error) {
	var d claim.Document
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		c, err := editable(ctx, tx, claimID, claimantIIN)
		if err != nil {
			return err
		}
		found := false
		for _, doc := range c.Documents {
			if doc.ID == docID {
				d, found = doc, true
			}
		}
		if !found {
			return ErrNotFound
		}
		// Once filed, a document stays part of the record; a correction adds, it does not erase.
		if c.Status != claim.StatusDraft {
			return ErrConflict
		}
		if _, err := tx.Exec(ctx, `DELETE FROM documents WHERE id = $1::uuid`, docID); err != nil {
			return fmt.Errorf("remove document: %w", err)
		}
		return appendAudit(ctx, tx, claimantIIN, "document.removed", claimID, map[string]any{"document_id": docID})
	})
	return d, err
}
