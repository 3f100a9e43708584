-- +goose Up
CREATE SEQUENCE claim_number_seq;

CREATE TABLE claims (
    id                           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    number                       text UNIQUE,
    claimant_iin                 char(12) NOT NULL,
    status                       text NOT NULL DEFAULT 'draft' CHECK (status IN
        ('draft', 'submitted', 'validating', 'routed', 'registered', 'needs_correction',
         'left_without_motion', 'returned', 'withdrawn', 'unroutable')),
    category                     text NOT NULL DEFAULT '' CHECK (category IN ('', 'housing', 'tax', 'land')),
    kind                         text NOT NULL DEFAULT '' CHECK (kind IN ('', 'challenge', 'coercion', 'action', 'recognition')),
    respondent_bin               char(12) REFERENCES public_bodies (bin),
    subject                      text NOT NULL DEFAULT '',
    grounds                      text NOT NULL DEFAULT '',
    demands                      text NOT NULL DEFAULT '',
    act_number                   text NOT NULL DEFAULT '',
    act_issued_on                date,
    act_received_on              date,
    act_abroad                   boolean NOT NULL DEFAULT false,
    act_electronic               boolean NOT NULL DEFAULT false,
    pretrial_filed_on            date,
    pretrial_decision_on         date,
    pretrial_exempt_reason       text NOT NULL DEFAULT '',
    residence_kato               text NOT NULL DEFAULT '',
    phone                        text NOT NULL DEFAULT '',
    email                        text NOT NULL DEFAULT '',
    hear_at_residence            boolean NOT NULL DEFAULT false,
    investment_dispute           boolean NOT NULL DEFAULT false,
    property_kato                text NOT NULL DEFAULT '',
    claim_amount                 numeric(16, 2),
    duty_exemption               text NOT NULL DEFAULT '',
    court_id                     text REFERENCES courts (id),
    routing_rule                 text NOT NULL DEFAULT '',
    routing_explanation          jsonb NOT NULL DEFAULT '{}',
    flags                        jsonb NOT NULL DEFAULT '[]',
    problems                     jsonb NOT NULL DEFAULT '[]',
    case_number                  text,
    created_at                   timestamptz NOT NULL DEFAULT now(),
    updated_at                   timestamptz NOT NULL DEFAULT now(),
    submitted_at                 timestamptz,
    routed_at                    timestamptz
);
CREATE INDEX claims_claimant ON claims (claimant_iin, created_at DESC, id DESC);
CREATE INDEX claims_court_queue ON claims (court_id, status, submitted_at, id);
CREATE INDEX claims_respondent ON claims (respondent_bin, status, submitted_at, id);

CREATE TABLE documents (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    claim_id     uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    kind         text NOT NULL DEFAULT 'evidence',
    name         text NOT NULL,
    size         bigint NOT NULL,
    content_type text NOT NULL,
    sha256       char(64) NOT NULL,
    object_key   text NOT NULL,
    version_id   text NOT NULL DEFAULT '',
    uploaded_by  char(12) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_claim ON documents (claim_id, created_at);

CREATE TABLE idempotency_keys (
    key         text NOT NULL,
    iin         char(12) NOT NULL,
    request     text NOT NULL,
    status      int NOT NULL,
    response    bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (iin, key)
);

-- The outbox is written in the same transaction as the change it announces; the relay hands it to
-- the queue with the row's id as the task id, so a re-send is a conflict, not a second task.
CREATE TABLE outbox (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    task_type  text NOT NULL,
    payload    jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    attempts   int NOT NULL DEFAULT 0,
    last_error text NOT NULL DEFAULT ''
);
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE outbox;
DROP TABLE idempotency_keys;
DROP TABLE documents;
DROP TABLE claims;
DROP SEQUENCE claim_number_seq;
