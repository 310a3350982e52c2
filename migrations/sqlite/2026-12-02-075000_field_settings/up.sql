-- Field safety settings (issue 18 item 1): how long an overdue check-out alerts only the
-- supervisor before the programme's admins (the backup) are alerted too. Each change is a new
-- row; the newest applies and the earlier ones stay (nothing recorded is replaced).
CREATE TABLE field_settings (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    escalate_after_minutes INTEGER NOT NULL,
    set_by BIGINT NOT NULL REFERENCES users(id),
    set_at TIMESTAMP NOT NULL
);
CREATE INDEX field_settings_org ON field_settings(org_id, set_at);
