package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"talap/portal/party"
)

// TouchPerson records that a person signed in, creating them on first sign-in.
func (db *DB) TouchPerson(ctx context.Context, iin, name, locale string) error {
	_, err := db.Pool.Exec(ctx, `INSERT INTO people (iin, name, locale, last_seen) VALUES ($1, $2, $3, now())
		ON CONFLICT (iin) DO UPDATE SET name = $2, locale = $3, last_seen = now()`, iin, name, locale)
	if err != nil {
		return fmt.Errorf("record person: %w", err)
	}
	return nil
}

// Memberships returns what a person is a member of (all of them when iin is empty).
func (db *DB) Memberships(ctx context.Context, iin string) ([]party.Membership, error) {
	rows, err := db.Pool.Query(ctx, `SELECT m.id, m.iin, coalesce(p.name, ''), m.role, coalesce(m.body_bin, ''),
			coalesce(m.court_id, ''), coalesce(m.granted_by, ''), m.created_at
		FROM memberships m LEFT JOIN people p ON p.iin = m.iin
		WHERE $1 = '' OR m.iin = $1 ORDER BY m.iin, m.role, m.id`, iin)
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (party.Membership, error) {
		var m party.Membership
		err := r.Scan(&m.ID, &m.IIN, &m.Name, &m.Role, &m.BodyBIN, &m.CourtID, &m.GrantedBy, &m.CreatedAt)
		return m, err
	})
}

// ErrInvalid is returned when a change names something that does not exist or breaks a rule.
var ErrInvalid = errors.New("invalid")

// Grant adds a membership and audits it. Granting one that exists already changes nothing.
func (db *DB) Grant(ctx context.Context, actor string, m party.Membership) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO memberships (iin, role, body_bin, court_id, granted_by)
			VALUES ($1, $2, nullif($3, ''), nullif($4, ''), nullif($5, '')) ON CONFLICT DO NOTHING`,
			m.IIN, m.Role, m.BodyBIN, m.CourtID, actor)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && (pgErr.Code == "23503" || pgErr.Code == "23514") {
			return fmt.Errorf("%w: unknown body or court, or role without its body or court", ErrInvalid)
		}
		if err != nil {
			return fmt.Errorf("grant: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		return appendAudit(ctx, tx, actor, "membership.granted", "", m)
	})
}

// Revoke removes a membership by id and audits it.
func (db *DB) Revoke(ctx context.Context, actor string, id int64) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var m party.Membership
		err := tx.QueryRow(ctx, `DELETE FROM memberships WHERE id = $1
			RETURNING iin, role, coalesce(body_bin, ''), coalesce(court_id, '')`, id).Scan(&m.IIN, &m.Role, &m.BodyBIN, &m.CourtID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("revoke: %w", err)
		}
		return appendAudit(ctx, tx, actor, "membership.revoked", "", m)
	})
}

// CreateAPIToken stores a new token's hash for a body and audits it.
func (db *DB) CreateAPIToken(ctx context.Context, actor, bodyBIN, name, hash string) (string, error) {
	var id string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO api_tokens (body_bin, name, hash, created_by) VALUES ($1, $2, $3, $4)
			RETURNING id::text`, bodyBIN, name, hash, actor).Scan(&id)
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return appendAudit(ctx, tx, actor, "api_token.created", "", map[string]string{"token_id": id, "body_bin": bodyBIN, "name": name})
	})
	return id, err
}

// RevokeAPIToken revokes a body's token and audits it.
func (db *DB) RevokeAPIToken(ctx context.Context, actor, bodyBIN, id string) error {
	if !isUUID(id) {
		return ErrNotFound
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE id = $1::uuid AND body_bin = $2 AND revoked_at IS NULL`, id, bodyBIN)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return appendAudit(ctx, tx, actor, "api_token.revoked", "", map[string]string{"token_id": id, "body_bin": bodyBIN})
	})
}

// APITokens lists a body's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, bodyBIN string) ([]party.APIToken, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id::text, body_bin, name, created_by, created_at, revoked_at, last_used_at
		FROM api_tokens WHERE body_bin = $1 ORDER BY created_at DESC`, bodyBIN)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[party.APIToken])
}

// APITokenBody returns the body a live token (by hash) belongs to, and notes its use.
func (db *DB) APITokenBody(ctx context.Context, hash string) (string, error) {
	var bin string
	err := db.Pool.QueryRow(ctx, `UPDATE api_tokens SET last_used_at = now() WHERE hash = $1 AND revoked_at IS NULL
		RETURNING body_bin`, hash).Scan(&bin)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	return bin, err
}
