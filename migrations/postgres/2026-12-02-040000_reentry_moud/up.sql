-- MOUD at release and naloxone (issue 17 item 4; decision 0046): medication for opioid use
-- disorder as a structured field, not a note. Each record is a new row; the newest stands and
-- the earlier ones are kept. `status` is none, in_custody, continued_at_release or
-- started_after_release; `first_dose_on` is the date of the first post-release dose (the
-- release date itself when continued at release); `stopped_on` the last day on MOUD when it
-- stopped; `naloxone_at_release` how many naloxone kits were given at release. The funder
-- outcomes (MOUD within 30 days of release, for at least 75% of the first 90 days, at 180 days)
-- are computed from the newest record of each participant.
CREATE TABLE reentry_moud (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    status TEXT NOT NULL,
    first_dose_on DATE,
    stopped_on DATE,
    naloxone_at_release INTEGER NOT NULL DEFAULT 0,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX reentry_moud_participant ON reentry_moud(participant_id, recorded_at);
CREATE INDEX reentry_moud_org ON reentry_moud(org_id, participant_id);
