-- +goose Up
-- The respondent's responses (отзыв) and their documents.
CREATE TABLE responses (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    claim_id     uuid NOT NULL REFERENCES claims (id),
    body_bin     char(12) NOT NULL,
    text         text NOT NULL,
    submitted_by text NOT NULL,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    late         boolean NOT NULL DEFAULT false
);
CREATE INDEX responses_claim ON responses (claim_id, submitted_at);
ALTER TABLE documents ADD COLUMN response_id uuid REFERENCES responses (id);

-- The court's decisions on a filing.
CREATE TABLE decisions (
    id             bigserial PRIMARY KEY,
    claim_id       uuid NOT NULL REFERENCES claims (id),
    action         text NOT NULL,
    reasons        jsonb NOT NULL DEFAULT '[]',
    text           text NOT NULL DEFAULT '',
    correction_due date,
    from_court     text,
    to_court       text,
    decided_by     text NOT NULL,
    decided_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_claim ON decisions (claim_id, id);

-- Case numbers are unique per court and year.
CREATE TABLE case_counters (
    court_id text NOT NULL REFERENCES courts (id),
    year     int NOT NULL,
    last     int NOT NULL,
    PRIMARY KEY (court_id, year)
);
CREATE UNIQUE INDEX claims_case_number ON claims (case_number) WHERE case_number IS NOT NULL;

ALTER TABLE claims ADD COLUMN correction_due date;
ALTER TABLE claims ADD COLUMN registered_at timestamptz;
ALTER TABLE claims ADD COLUMN decided_at timestamptz;

-- Queues: the court's routed claims oldest first; the body's claims by due date.
CREATE INDEX claims_court_routed ON claims (court_id, routed_at, id) WHERE status = 'routed';
CREATE INDEX claims_respondent_routed ON claims (respondent_bin, routed_at DESC, id DESC) WHERE routed_at IS NOT NULL;

-- +goose Down
DROP INDEX claims_respondent_routed;
DROP INDEX claims_court_routed;
ALTER TABLE claims DROP COLUMN decided_at;
ALTER TABLE claims DROP COLUMN registered_at;
ALTER TABLE claims DROP COLUMN correction_due;
DROP INDEX claims_case_number;
DROP TABLE case_counters;
DROP TABLE decisions;
ALTER TABLE documents DROP COLUMN response_id;
DROP TABLE responses;
