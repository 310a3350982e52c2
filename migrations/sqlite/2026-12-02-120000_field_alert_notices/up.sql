-- Field safety alerts by e-mail (issue 18 item 1): one row for each (visit, level, recipient)
-- an alert e-mail is owed to. The unique key is the claim: of several app instances running the
-- job at once, only the one whose insert made the row sends it, so nobody gets an alert twice.
CREATE TABLE field_alert_notices (
    id BIGINT PRIMARY KEY NOT NULL,
    visit_id BIGINT NOT NULL REFERENCES field_visits(id),
    level TEXT NOT NULL,
    recipient_id BIGINT NOT NULL REFERENCES users(id),
    claimed_by TEXT NOT NULL,
    claimed_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    error TEXT NOT NULL DEFAULT '',
    UNIQUE (visit_id, level, recipient_id)
);
