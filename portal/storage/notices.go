package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notice is a message to a person about a claim, shown in the portal and sent by e-mail.
type Notice struct {
	ID        int64
	Key       string
	IIN       string
	ClaimID   string
	Kind      string
	Subject   string
	Body      string
	Email     string
	EmailedAt *time.Time
	ReadAt    *time.Time
	CreatedAt time.Time
}

// AddNotice stores a notice unless one with its key exists, and returns the stored one: a task
// delivered twice finds the notice of its first delivery, and whether it was already e-mailed.
func (db *DB) AddNotice(ctx context.Context, n Notice) (Notice, error) {
	const columns = `id, key, iin, coalesce(claim_id::text, ''), kind, subject, body, email, emailed_at, read_at, created_at`
	scan := func(r pgx.Row) (Notice, error) {
		var out Notice
		err := r.Scan(&out.ID, &out.Key, &out.IIN, &out.ClaimID, &out.Kind, &out.Subject, &out.Body,
			&out.Email, &out.EmailedAt, &out.ReadAt, &out.CreatedAt)
		return out, err
	}
	// One round trip: the new notice, or nothing when its key exists.
	out, err := scan(db.Pool.QueryRow(ctx, `INSERT INTO notices (key, iin, claim_id, kind, subject, body, email)
		VALUES ($1, $2, nullif($3, '')::uuid, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING RETURNING `+columns,
		n.Key, n.IIN, n.ClaimID, n.Kind, n.Subject, n.Body, n.Email))
	if errors.Is(err, pgx.ErrNoRows) {
		out, err = scan(db.Pool.QueryRow(ctx, `SELECT `+columns+` FROM notices WHERE key = $1`, n.Key))
	}
	if err != nil {
		return n, fmt.Errorf("add notice: %w", err)
	}
	return out, nil
}

// MarkEmailed records that a notice's e-mail went out.
func (db *DB) MarkEmailed(ctx context.Context, id int64) error {
	_, err := db.Pool.Exec(ctx, `UPDATE notices SET emailed_at = now() WHERE id = $1 AND emailed_at IS NULL`, id)
	return err
}

// NoticesFor lists a person's notices, newest first.
func (db *DB) NoticesFor(ctx context.Context, iin string, limit int) ([]Notice, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, key, iin, coalesce(claim_id::text, ''), kind, subject, body, email, emailed_at, read_at, created_at
		FROM notices WHERE iin = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, iin, limit)
	if err != nil {
		return nil, fmt.Errorf("list notices: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Notice])
}

// UnreadNotices counts a person's unread notices.
func (db *DB) UnreadNotices(ctx context.Context, iin string) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM notices WHERE iin = $1 AND read_at IS NULL`, iin).Scan(&n)
	return n, err
}

// MarkNoticesRead marks all of a person's notices read.
func (db *DB) MarkNoticesRead(ctx context.Context, iin string) error {
	_, err := db.Pool.Exec(ctx, `UPDATE notices SET read_at = now() WHERE iin = $1 AND read_at IS NULL`, iin)
	return err
}

// Person is someone who signed in, with how to reach them.
type Person struct {
	IIN    string
	Name   string
	Email  string
	Locale string
}

// PersonByIIN returns a person, or ErrNotFound if they never signed in.
func (db *DB) PersonByIIN(ctx context.Context, iin string) (Person, error) {
	var p Person
	err := db.Pool.QueryRow(ctx, `SELECT iin, name, email, locale FROM people WHERE iin = $1`, iin).Scan(&p.IIN, &p.Name, &p.Email, &p.Locale)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

// OfficersOf returns the people who work for a public body.
func (db *DB) OfficersOf(ctx context.Context, bin string) ([]Person, error) {
	rows, err := db.Pool.Query(ctx, `SELECT p.iin, p.name, p.email, p.locale FROM memberships m JOIN people p ON p.iin = m.iin
		WHERE m.role = 'officer' AND m.body_bin = $1 ORDER BY p.iin`, bin)
	if err != nil {
		return nil, fmt.Errorf("officers: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Person])
}
