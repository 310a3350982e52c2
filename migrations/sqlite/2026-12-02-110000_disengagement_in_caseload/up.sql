-- Disengagement early warning (decision 0053): the caseload line keeps what only writes change
-- about a person's engagement. quiet_since: the last completed contact, or the release (or start
-- of a community episode) when there is none since; NULL in custody or with no open episode (no
-- warning there). failed_attempts: contact attempts in a row after it. unanswered_messages:
-- outbound messages unanswered in a row (0 until messages are recorded). Whether the silence is
-- long enough is decided at read time against the programme's thresholds.
ALTER TABLE caseload_lines ADD COLUMN quiet_since TIMESTAMP;
ALTER TABLE caseload_lines ADD COLUMN failed_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE caseload_lines ADD COLUMN unanswered_messages BIGINT NOT NULL DEFAULT 0;
-- Every line is computed afresh, with the new columns, by `throughcare migrate` (and every
-- start): it computes the line of each participant who has none (platform::kept::catch_up).
DELETE FROM caseload_lines;
