-- "Not heard from" counts appointments missed in a row (decision 0053, issue 18 item 5): an
-- appointment made, or its outcome written, makes its participant's caseload line stale, to be
-- computed again before the transaction commits (decision 0038).
ALTER TABLE caseload_lines ADD COLUMN missed_appointments BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER appointments_cs_ins AFTER INSERT ON appointments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_new();
CREATE TRIGGER appointments_cs_upd AFTER UPDATE ON appointments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_moved();
CREATE TRIGGER appointments_cs_del AFTER DELETE ON appointments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_old();

-- Every line is computed afresh by `throughcare migrate` (platform::kept::catch_up).
DELETE FROM caseload_lines;
