-- "Not heard from" counts appointments missed in a row (decision 0053, issue 18 item 5): an
-- appointment made, or its outcome written, makes its participant's caseload line stale, to be
-- computed again before the transaction commits (decision 0038).
ALTER TABLE caseload_lines ADD COLUMN missed_appointments BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER appointments_cs_ins AFTER INSERT ON appointments BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.participant_id);
END;

CREATE TRIGGER appointments_cs_upd AFTER UPDATE ON appointments BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT NEW.participant_id UNION SELECT OLD.participant_id;
END;

CREATE TRIGGER appointments_cs_del AFTER DELETE ON appointments BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (OLD.participant_id);
END;

-- Every line is computed afresh by `throughcare migrate` (platform::kept::catch_up).
DELETE FROM caseload_lines;
