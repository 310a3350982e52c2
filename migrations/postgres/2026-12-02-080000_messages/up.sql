-- Reminders and two-way messages with participants (issue 18 item 4), and the scheduled jobs
-- that send them (item 6; decision 0050).
--
-- message_optins: a participant's recorded opt-in to texts or e-mail (channel, address,
-- language, whether a text may name the programme), who recorded it and when. Never replaced:
-- a STOP (or staff ending it) sets ended_at/ended_how on the row; a new opt-in is a new row.
CREATE TABLE message_optins (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    language TEXT NOT NULL,
    names_programme BOOLEAN NOT NULL DEFAULT FALSE,
    opted_in_at TIMESTAMP NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    ended_at TIMESTAMP,
    ended_how TEXT
);
CREATE INDEX message_optins_participant ON message_optins(participant_id, opted_in_at);
CREATE INDEX message_optins_address ON message_optins(channel, address);

-- messages: the thread kept with the participant's record (keyed by participant, so it moves
-- with the record when it is reassigned). Outgoing rows are also the outbox: status `queued`
-- until a delivery run claims one (claimed_by, claimed_until: a lease) and marks it `sent` or
-- `failed`. A reminder carries reminder_key (source, id, date), unique: planning a reminder
-- twice, by two instances at once, inserts it once.
CREATE TABLE messages (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    direction TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    address TEXT NOT NULL,
    status TEXT NOT NULL,
    reminder_key TEXT UNIQUE,
    author_id BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    provider_id TEXT,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX messages_thread ON messages(participant_id, created_at);
CREATE INDEX messages_outbox ON messages(status, created_at);

-- job_runs: each run of a scheduled job on any instance (job, instance, started, finished,
-- items, error), shown to admins.
CREATE TABLE job_runs (
    id BIGINT PRIMARY KEY NOT NULL,
    job TEXT NOT NULL,
    instance TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    items INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_started ON job_runs(started_at);
