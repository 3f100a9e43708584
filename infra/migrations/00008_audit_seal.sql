-- +goose Up
-- Events are written without taking a place in the chain, so that writers never wait for one
-- another; a single sealer (in the worker) then gives each unsealed event, in the order it finds
-- them, the next place in the chain (seq), the previous event's hash and its own hash. The
-- verifier walks the chain in seq order. Event content can still never change, and an event is
-- sealed exactly once.
ALTER TABLE audit_events ADD COLUMN seq bigint UNIQUE;
ALTER TABLE audit_events ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL;
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
UPDATE audit_events SET seq = id;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_sealed_whole
    CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL));
CREATE INDEX audit_events_unsealed ON audit_events (id) WHERE seq IS NULL;

-- +goose StatementBegin
CREATE FUNCTION audit_events_seal_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.event = OLD.event
       AND NEW.claim_id IS NOT DISTINCT FROM OLD.claim_id AND NEW.data = OLD.data THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
-- +goose StatementEnd
DROP TRIGGER audit_events_no_update ON audit_events;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_seal_once();

-- +goose Down
DROP TRIGGER audit_events_no_update ON audit_events;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
DROP FUNCTION audit_events_seal_once();
DROP INDEX audit_events_unsealed;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_sealed_whole;
ALTER TABLE audit_events DROP COLUMN seq;
