-- "Not heard from" counts staff messages unanswered in a row (decision 0053): a message written,
-- sent, or moved to another record makes its participant's caseload line stale, to be computed
-- again before the transaction commits (decision 0038). A delivery run's claims (claimed_by,
-- claimed_until) change nothing the line reads, so they do not.
CREATE TRIGGER messages_cs_ins AFTER INSERT ON messages BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.participant_id);
END;

CREATE TRIGGER messages_cs_upd AFTER UPDATE OF status, sent_at, participant_id ON messages BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT NEW.participant_id UNION SELECT OLD.participant_id;
END;

CREATE TRIGGER messages_cs_del AFTER DELETE ON messages BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (OLD.participant_id);
END;

-- Every line is computed afresh by `throughcare migrate` (platform::kept::catch_up).
DELETE FROM caseload_lines;
