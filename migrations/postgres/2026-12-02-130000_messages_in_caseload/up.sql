-- "Not heard from" counts staff messages unanswered in a row (decision 0053): a message written,
-- sent, or moved to another record makes its participant's caseload line stale, to be computed
-- again before the transaction commits (decision 0038). A delivery run's claims (claimed_by,
-- claimed_until) change nothing the line reads, so they do not. PostgreSQL allows no transition
-- tables on a trigger with a column list, so the update trigger is per row.
CREATE FUNCTION caseload_stale_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.participant_id);
    IF OLD.participant_id <> NEW.participant_id THEN
        INSERT INTO caseload_stale (participant_id) VALUES (OLD.participant_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER messages_cs_ins AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_new();
CREATE TRIGGER messages_cs_upd AFTER UPDATE OF status, sent_at, participant_id ON messages FOR EACH ROW EXECUTE FUNCTION caseload_stale_message();
CREATE TRIGGER messages_cs_del AFTER DELETE ON messages REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_old();

-- Every line is computed afresh by `throughcare migrate` (platform::kept::catch_up).
DELETE FROM caseload_lines;
