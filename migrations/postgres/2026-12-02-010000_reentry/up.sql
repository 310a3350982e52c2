-- Reentry Medicaid (issue 17; decision 0046).
--
-- Each organisation's reentry programme: which shipped template (`reentry::rules::Template`)
-- and its pre-release window in days (1..=90, SMD #23-003). A change is a new row; the current
-- programme is the newest row, so the earlier choice is kept with who made it and when. An
-- organisation without a row is on the federal minimum.
CREATE TABLE reentry_programmes (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    template TEXT NOT NULL,
    window_days INTEGER NOT NULL,
    set_by BIGINT REFERENCES users(id),
    set_at TIMESTAMP NOT NULL
);
CREATE INDEX reentry_programmes_org ON reentry_programmes(org_id, set_at);

-- Eligibility screenings in custody: who, when, the answers (Medicaid status and application
-- date, qualifying conditions as space-separated codes, former foster youth, age at the
-- expected release), the rules applied (template, window) and the decision (result, criteria
-- met, space-separated codes). Each screening is a new row; none is replaced.
CREATE TABLE reentry_screenings (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    screened_at TIMESTAMP NOT NULL,
    screened_by BIGINT REFERENCES users(id),
    medicaid_status TEXT NOT NULL,
    medicaid_applied_on DATE,
    conditions TEXT NOT NULL DEFAULT '',
    former_foster_youth BOOLEAN NOT NULL DEFAULT FALSE,
    age_at_release INTEGER,
    template TEXT NOT NULL,
    window_days INTEGER NOT NULL,
    result TEXT NOT NULL,
    criteria_met TEXT NOT NULL DEFAULT '',
    youth BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reentry_screenings_participant ON reentry_screenings(participant_id, screened_at);
CREATE INDEX reentry_screenings_org ON reentry_screenings(org_id, participant_id);
