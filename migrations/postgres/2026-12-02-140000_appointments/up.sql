-- Appointments a participant has to keep (issue 18 item 4): with their supervising officer
-- (probation or parole), for a medication dose (MOUD), or with their peer. Each is reminded the
-- day before and on the day, in the participant's language, when they opted in to messages.
-- Never replaced: a change of day is a cancellation and a new appointment; the outcome (kept,
-- missed, cancelled) is written once, with who wrote it and when. `starts_at` is the local time
-- of day (HH:MM) or empty when only the day is known.
CREATE TABLE appointments (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    kind TEXT NOT NULL,
    scheduled_on DATE NOT NULL,
    starts_at TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL,
    outcome TEXT,
    outcome_note TEXT NOT NULL DEFAULT '',
    outcome_by BIGINT REFERENCES users(id),
    outcome_at TIMESTAMP
);
CREATE INDEX appointments_participant ON appointments(participant_id, scheduled_on);
CREATE INDEX appointments_open ON appointments(scheduled_on) WHERE outcome IS NULL;
