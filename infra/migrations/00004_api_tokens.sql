-- +goose Up
-- Organisations' API tokens: shown once, stored only as a SHA-256 hash, scoped to one body.
CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    body_bin     char(12) NOT NULL REFERENCES public_bodies (bin),
    name         text NOT NULL,
    hash         char(64) NOT NULL UNIQUE,
    created_by   char(12) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_body ON api_tokens (body_bin, created_at DESC);

-- +goose Down
DROP TABLE api_tokens;
