-- +goose Up
-- Receipts are checked on /verify/<token>: an unguessable token per receipt, printed only on the
-- claimant's receipt (QR code and link), instead of the sequential claim number. Receipts issued
-- before this (schema talap.receipt.v1, unsalted claimant commitment) have no token; the portal
-- re-issues each claim's newest such receipt as a new row with a salt and a token, and never shows
-- a receipt without a token (see portal/receipt's package documentation).
ALTER TABLE receipts ADD COLUMN token text CHECK (token IS NULL OR length(token) >= 26);
CREATE UNIQUE INDEX receipts_token ON receipts (token);
-- The receipts still to be re-issued are among these (the legacy rows stay, superseded).
CREATE INDEX receipts_legacy ON receipts (id) WHERE token IS NULL;

-- +goose Down
DROP INDEX receipts_legacy;
DROP INDEX receipts_token;
ALTER TABLE receipts DROP COLUMN token;
