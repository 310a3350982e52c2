ALTER TABLE caseload_lines DROP COLUMN unanswered_messages;
ALTER TABLE caseload_lines DROP COLUMN failed_attempts;
ALTER TABLE caseload_lines DROP COLUMN quiet_since;
