-- +goose Up
-- API tokens expire (TALAP_API_TOKEN_TTL from creation) and die with the officer membership they
-- were created under: revoking a person's officer membership of a body revokes every live token
-- that person created for that body (storage.Revoke, in the same transaction).
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
-- The membership the token was created under (kept after the membership is removed, as history).
ALTER TABLE api_tokens ADD COLUMN membership_id bigint;

-- Tokens made before expiry existed were promised no end: they get the default lifetime from today
-- rather than dying at once.
UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;

UPDATE api_tokens t SET membership_id = m.id FROM memberships m
WHERE m.iin = t.created_by AND m.role = 'officer' AND m.body_bin = t.body_bin;

-- Tokens whose creator's membership has already ended die now, as they would have under the rule,
-- each with its audit event (sealed into the chain by the worker like any other).
WITH orphans AS (
    UPDATE api_tokens t SET revoked_at = now()
    WHERE t.revoked_at IS NULL AND t.membership_id IS NULL
    RETURNING t.id, t.body_bin, t.created_by
)
INSERT INTO audit_events (at, actor, event, claim_id, data)
SELECT date_trunc('microseconds', now()), 'migration', 'api_token.revoked', NULL,
       json_build_object('token_id', id::text, 'body_bin', body_bin, 'reason', 'membership_ended')::text
FROM orphans ORDER BY id;

-- Revoking a membership finds its creator's live tokens for the body.
CREATE INDEX api_tokens_creator ON api_tokens (created_by, body_bin) WHERE revoked_at IS NULL;

-- +goose Down
DROP INDEX api_tokens_creator;
ALTER TABLE api_tokens DROP COLUMN membership_id;
ALTER TABLE api_tokens DROP COLUMN expires_at;
