package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"talap/portal/claim"

	"github.com/jackc/pgx/v5"
)

// QueueItem is a line of a court's queue or a body's list.
type QueueItem struct {
	ClaimSummary
	RoutedAt    *time.Time
	ResponseDue *time.Time
	Flags       []string
	Responded   bool
}

// QueueFilter narrows a court queue or a body's list.
type QueueFilter struct {
	Status    string // body list: one status
	Category  string
	Flag      string     // court queue: claims carrying this flag code
	OlderThan int        // court queue: days since routing, at least
	DueBefore *time.Time // body list: response due on or before
}

const queueColumns = `c.id::text, coalesce(c.number, ''), c.status, c.category, c.kind, c.subject,
	coalesce(c.respondent_bin, ''), coalesce(c.court_id, ''), c.created_at, c.updated_at, c.submitted_at,
	c.routed_at, c.response_due, ARRAY(SELECT jsonb_array_elements(c.flags)->>'code'),
	EXISTS (SELECT 1 FROM responses r WHERE r.claim_id = c.id)`

func scanQueue(r pgx.CollectableRow) (QueueItem, error) {
	var q QueueItem
	s := &q.ClaimSummary
	err := r.Scan(&s.ID, &s.Number, &s.Status, &s.Category, &s.Kind, &s.Subject, &s.RespondentBIN, &s.CourtID,
		&s.CreatedAt, &s.UpdatedAt, &s.SubmittedAt, &q.RoutedAt, &q.ResponseDue, &q.Flags, &q.Responded)
	return q, err
}

// CourtQueue lists the claims routed to a court and waiting for its decision, oldest first, after
// the cursor. Keyset pagination on (routed_at, id) keeps every page as fast as the first.
func (db *DB) CourtQueue(ctx context.Context, courtID string, f QueueFilter, after *Cursor, limit int) ([]QueueItem, error) {
	q := listQuery{where: []string{"c.court_id = $1", "c.status = " + sqlStatus(claim.StatusRouted)}, args: []any{courtID}}
	if f.Category != "" {
		q.add("c.category = $%d", f.Category)
	}
	if f.Flag != "" {
		q.add("c.flags @> jsonb_build_array(jsonb_build_object('code', $%d::text))", f.Flag)
	}
	if f.OlderThan > 0 {
		q.add("c.routed_at <= now() - make_interval(days => $%d)", f.OlderThan)
	}
	items, err := db.listClaims(ctx, q, after, false, limit)
	if err != nil {
		return nil, fmt.Errorf("court queue: %w", err)
	}
	return items, nil
}

// listQuery is the WHERE clause of a list of routed claims, with its numbered arguments.
type listQuery struct {
	where []string
	args  []any
}

// add appends a condition whose %d is the number of its argument.
func (q *listQuery) add(cond string, v any) {
	q.args = append(q.args, v)
	q.where = append(q.where, fmt.Sprintf(cond, len(q.args)))
}

// listClaims runs q ordered by (routed_at, id), ascending or descending, one page after the cursor.
func (db *DB) listClaims(ctx context.Context, q listQuery, after *Cursor, desc bool, limit int) ([]QueueItem, error) {
	cmp, order := ">", "c.routed_at, c.id"
	if desc {
		cmp, order = "<", "c.routed_at DESC, c.id DESC"
	}
	if after != nil {
		q.args = append(q.args, after.At, after.ID)
		q.where = append(q.where, fmt.Sprintf("(c.routed_at, c.id) %s ($%d, $%d::uuid)", cmp, len(q.args)-1, len(q.args)))
	}
	q.args = append(q.args, limit)
	rows, err := db.Pool.Query(ctx, `SELECT `+queueColumns+` FROM claims c WHERE `+strings.Join(q.where, " AND ")+
		fmt.Sprintf(` ORDER BY %s LIMIT $%d`, order, len(q.args)), q.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanQueue)
}

// CourtCounts counts a court's claims by status.
func (db *DB) CourtCounts(ctx context.Context, courtID string) (map[string]int, error) {
	rows, err := db.Pool.Query(ctx, `SELECT status, count(*) FROM claims WHERE court_id = $1 GROUP BY status`, courtID)
	if err != nil {
		return nil, fmt.Errorf("court counts: %w", err)
	}
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// BodyClaims lists the claims routed against a body, newest routing first, after the cursor.
func (db *DB) BodyClaims(ctx context.Context, bin string, f QueueFilter, after *Cursor, limit int) ([]QueueItem, error) {
	q := listQuery{where: []string{"c.respondent_bin = $1", "c.routed_at IS NOT NULL"}, args: []any{bin}}
	if f.Status != "" {
		q.add("c.status = $%d", f.Status)
	}
	if f.Category != "" {
		q.add("c.category = $%d", f.Category)
	}
	if f.DueBefore != nil {
		q.add("c.response_due <= $%d", *f.DueBefore)
	}
	items, err := db.listClaims(ctx, q, after, true, limit)
	if err != nil {
		return nil, fmt.Errorf("body claims: %w", err)
	}
	return items, nil
}
