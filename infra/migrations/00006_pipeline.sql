-- +goose Up
-- Scheduled tasks (reminders, automatic returns) go through the outbox too, with a time to run.
ALTER TABLE outbox ADD COLUMN process_at timestamptz;

ALTER TABLE claims ADD COLUMN response_due date;

-- In-app notices; key makes a notice unique, so a task delivered twice notifies once.
CREATE TABLE notices (
    id         bigserial PRIMARY KEY,
    key        text NOT NULL UNIQUE,
    iin        char(12) NOT NULL,
    claim_id   uuid REFERENCES claims (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    subject    text NOT NULL,
    body       text NOT NULL,
    email      text NOT NULL DEFAULT '',
    emailed_at timestamptz,
    read_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notices_person ON notices (iin, created_at DESC);
CREATE INDEX notices_unread ON notices (iin) WHERE read_at IS NULL;

-- +goose Down
DROP TABLE notices;
ALTER TABLE claims DROP COLUMN response_due;
ALTER TABLE outbox DROP COLUMN process_at;
