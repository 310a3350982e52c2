-- No answer is silently overwritten: a change to a recorded value of a participant's record is
-- an amendment that keeps the earlier value, who changed it, when and why (decision 0016).
CREATE TABLE amendments (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    record_type TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reason TEXT NOT NULL,
    amended_by BIGINT,
    amended_by_name TEXT NOT NULL,
    amended_at TIMESTAMP NOT NULL
);
CREATE INDEX amendments_participant ON amendments(participant_id, amended_at);
CREATE INDEX amendments_record ON amendments(record_type, record_id);

-- Identifiers are shown exactly as typed; `value` stays the normalised form used for matching.
ALTER TABLE participant_identifiers ADD COLUMN typed_value TEXT NOT NULL DEFAULT '';
UPDATE participant_identifiers SET typed_value = value;
