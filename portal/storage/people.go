package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

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

// Revoke removes a membership by id and audits it. When it is an officer's membership of a body,
// every live API token that person created for that body is revoked in the same transaction, each
// with its own audit event: a token works only while its creator still works for the body.
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
		if err := appendAudit(ctx, tx, actor, "membership.revoked", "", m); err != nil {
			return err
		}
		if m.Role != party.RoleOfficer {
			return nil
		}
		// CreateAPIToken holds a share lock on the membership row until it commits, so a token
		// being created now is either visible here (the DELETE waited for it) or refused there.
		rows, err := tx.Query(ctx, `UPDATE api_tokens SET revoked_at = now()
			WHERE created_by = $1 AND body_bin = $2 AND revoked_at IS NULL AND expires_at > now()
			RETURNING id::text`, m.IIN, m.BodyBIN)
		if err != nil {
			return fmt.Errorf("revoke the membership's tokens: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("revoke the membership's tokens: %w", err)
		}
		for _, tok := range ids {
			err := appendAudit(ctx, tx, actor, "api_token.revoked", "", map[string]any{"token_id": tok, "body_bin": m.BodyBIN,
				"reason": "membership_revoked", "membership_id": id})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// ErrNotMember means the person no longer holds the membership an action needs.
var ErrNotMember = errors.New("not a member")

// CreateAPIToken stores a new token's hash for a body, valid for ttl, and audits it. The creator
// (actor) must be an officer of the body: the token is tied to that membership, whose row stays
// share-locked until the token is stored, so a concurrent Revoke of it revokes the token too.
func (db *DB) CreateAPIToken(ctx context.Context, actor, bodyBIN, name, hash string, ttl time.Duration) (party.APIToken, error) {
	tok := party.APIToken{BodyBIN: bodyBIN, Name: name, CreatedBy: actor}
	if ttl <= 0 {
		return tok, fmt.Errorf("create token: lifetime %v is not positive", ttl)
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var membership int64
		err := tx.QueryRow(ctx, `SELECT id FROM memberships WHERE iin = $1 AND role = 'officer' AND body_bin = $2 FOR SHARE`,
			actor, bodyBIN).Scan(&membership)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotMember
		}
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		err = tx.QueryRow(ctx, `INSERT INTO api_tokens (body_bin, name, hash, created_by, membership_id, expires_at)
			VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 microsecond')
			RETURNING id::text, created_at, expires_at`, bodyBIN, name, hash, actor, membership, ttl.Microseconds()).
			Scan(&tok.ID, &tok.CreatedAt, &tok.ExpiresAt)
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return appendAudit(ctx, tx, actor, "api_token.created", "", map[string]any{"token_id": tok.ID, "body_bin": bodyBIN, "name": name,
			"expires_at": tok.ExpiresAt.UTC().Format(time.RFC3339), "membership_id": membership})
	})
	return tok, err
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

// APITokens lists a body's tokens, newest first, with when each expires and was last used.
func (db *DB) APITokens(ctx context.Context, bodyBIN string) ([]party.APIToken, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id::text, body_bin, name, created_by, created_at, revoked_at, last_used_at,
			expires_at, expires_at <= now()
		FROM api_tokens WHERE body_bin = $1 ORDER BY created_at DESC`, bodyBIN)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[party.APIToken])
}

// lastUseGrain is how finely a token's last use is recorded: a token used again within it is not
// written again, so busy integrations do not queue on their token's row.
const lastUseGrain = "1 minute"

// APITokenBody returns the body a live token (by hash) belongs to: not revoked and not expired. It
// records the token's last use, to the minute.
func (db *DB) APITokenBody(ctx context.Context, hash string) (string, error) {
	var bin string
	err := db.Pool.QueryRow(ctx, `WITH tok AS (
			SELECT id, body_bin FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL AND expires_at > now()
		), touch AS (
			UPDATE api_tokens a SET last_used_at = now() FROM tok
			WHERE a.id = tok.id AND (a.last_used_at IS NULL OR a.last_used_at < now() - interval '`+lastUseGrain+`')
		)
		SELECT body_bin FROM tok`, hash).Scan(&bin)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	return bin, err
}
