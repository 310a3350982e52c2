-- The participant journey: identity, episodes, custody events, release checklist, encounters,
-- assessments, plans, referrals, follow-ups, merges. Every table carries org_id (the tenant key).
ALTER TABLE participants ADD COLUMN pronouns TEXT;
ALTER TABLE participants ADD COLUMN language TEXT;
ALTER TABLE participants ADD COLUMN phone TEXT;
ALTER TABLE participants ADD COLUMN email TEXT;
ALTER TABLE participants ADD COLUMN merged_into_id BIGINT;

CREATE TABLE participant_identifiers (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    facility_id BIGINT REFERENCES facilities(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX participant_identifiers_lookup ON participant_identifiers(org_id, kind, value);
CREATE INDEX participant_identifiers_participant ON participant_identifiers(participant_id);

CREATE TABLE episodes (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    setting TEXT NOT NULL,
    facility_id BIGINT REFERENCES facilities(id),
    started_on DATE NOT NULL,
    ended_on DATE,
    discharge_reason TEXT,
    services_consent_on DATE NOT NULL,
    expected_release_on DATE,
    release_certainty TEXT,
    released_at TIMESTAMP,
    supervision_office TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX episodes_participant ON episodes(participant_id, started_on);
CREATE INDEX episodes_org_open ON episodes(org_id, ended_on);
CREATE INDEX episodes_released ON episodes(org_id, released_at);
CREATE INDEX episodes_facility ON episodes(facility_id, started_on);

CREATE TABLE custody_events (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    episode_id BIGINT REFERENCES episodes(id),
    kind TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    certainty TEXT,
    facility_id BIGINT REFERENCES facilities(id),
    office TEXT,
    detail TEXT NOT NULL,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX custody_events_participant ON custody_events(participant_id, occurred_on);

CREATE TABLE checklist_items (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    episode_id BIGINT NOT NULL REFERENCES episodes(id),
    kind TEXT NOT NULL,
    due_on DATE NOT NULL,
    done_on DATE,
    note TEXT NOT NULL
);
CREATE INDEX checklist_items_participant ON checklist_items(participant_id);
CREATE INDEX checklist_items_open ON checklist_items(org_id, done_on, due_on);

CREATE TABLE encounters (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    group_id BIGINT,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    outcome TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    duration_minutes INTEGER NOT NULL,
    topics TEXT NOT NULL,
    note TEXT NOT NULL,
    facility_id BIGINT,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX encounters_participant ON encounters(participant_id, occurred_at);
CREATE INDEX encounters_org_at ON encounters(org_id, occurred_at);

CREATE TABLE barc10_assessments (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    taken_on DATE NOT NULL,
    answers TEXT NOT NULL,
    total INTEGER NOT NULL,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX barc10_participant ON barc10_assessments(participant_id, taken_on);

CREATE TABLE stage_records (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    stage TEXT NOT NULL,
    recorded_on DATE NOT NULL,
    note TEXT NOT NULL,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX stage_records_participant ON stage_records(participant_id, recorded_on);

CREATE TABLE goals (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    domain TEXT NOT NULL,
    statement TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on DATE,
    status TEXT NOT NULL,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX goals_participant ON goals(participant_id);

CREATE TABLE goal_steps (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    goal_id BIGINT NOT NULL REFERENCES goals(id),
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on DATE,
    done_on DATE
);
CREATE INDEX goal_steps_goal ON goal_steps(goal_id);

CREATE TABLE referrals (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    referral_type TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    provider_contact TEXT NOT NULL,
    status TEXT NOT NULL,
    referred_on DATE NOT NULL,
    linked_on DATE,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX referrals_participant ON referrals(participant_id);
CREATE INDEX referrals_org ON referrals(org_id, referred_on);

CREATE TABLE referral_events (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    referral_id BIGINT NOT NULL REFERENCES referrals(id),
    status TEXT NOT NULL,
    reason TEXT,
    occurred_on DATE NOT NULL,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX referral_events_referral ON referral_events(referral_id);

CREATE TABLE followups (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    episode_id BIGINT NOT NULL REFERENCES episodes(id),
    point TEXT NOT NULL,
    due_on DATE NOT NULL,
    completed_on DATE,
    rearrested BOOLEAN,
    reincarcerated BOOLEAN,
    overdose TEXT,
    in_treatment BOOLEAN,
    housing TEXT,
    employed BOOLEAN,
    insured BOOLEAN,
    barc10_total INTEGER,
    note TEXT NOT NULL
);
CREATE INDEX followups_participant ON followups(participant_id);
CREATE INDEX followups_due ON followups(org_id, completed_on, due_on);

CREATE TABLE merges (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    kept_id BIGINT NOT NULL REFERENCES participants(id),
    merged_id BIGINT NOT NULL REFERENCES participants(id),
    reason TEXT NOT NULL,
    moved TEXT NOT NULL,
    merged_by BIGINT,
    merged_at TIMESTAMP NOT NULL,
    undone_by BIGINT,
    undone_at TIMESTAMP
);
CREATE INDEX merges_kept ON merges(kept_id);

CREATE TABLE org_settings (
    org_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (org_id, key)
);
