-- +goose Up
-- A signed receipt for each filing (and each resubmission) of a claim.
CREATE TABLE receipts (
    id         bigserial PRIMARY KEY,
    claim_id   uuid NOT NULL REFERENCES claims (id),
    number     text NOT NULL,
    facts      jsonb NOT NULL,
    canonical  text NOT NULL,
    signature  bytea NOT NULL,
    key_id     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX receipts_number ON receipts (number, id DESC);
CREATE INDEX receipts_claim ON receipts (claim_id, id DESC);

-- +goose Down
DROP TABLE receipts;
