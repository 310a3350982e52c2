-- Warm handoffs (issue 17 item 4; decision 0046): the pre-release care manager or peer hands the
-- person over to the post-release provider. Who made it, to whom (provider and organisation,
-- as typed), when it is scheduled and when it was held, and how. Due before the expected
-- release, or within 24 hours of an unplanned release (`reentry::rules::handoff_due`, computed
-- on read). Each handoff is a new row.
CREATE TABLE reentry_handoffs (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    made_by BIGINT REFERENCES users(id),
    to_provider TEXT NOT NULL,
    to_organisation TEXT NOT NULL DEFAULT '',
    method TEXT,
    scheduled_at TIMESTAMP,
    held_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reentry_handoffs_participant ON reentry_handoffs(participant_id, created_at);
