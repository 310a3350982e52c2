-- Peer workforce: credential standards (as data), each peer's pathway and hours, supervision,
-- certification barriers (background exemptions, monetary sanctions), facility clearances and
-- visits, program start-up readiness and job descriptions. Every table carries org_id.
CREATE TABLE credential_standards (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX credential_standards_org ON credential_standards(org_id);

CREATE TABLE peer_pathways (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    standard_id BIGINT NOT NULL REFERENCES credential_standards(id),
    exam_passed_on DATE,
    ethics_signed_on DATE,
    background_cleared_on DATE,
    education_met BOOLEAN NOT NULL,
    fees_paid BOOLEAN NOT NULL,
    certified_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (peer_id, standard_id)
);
CREATE INDEX peer_pathways_org ON peer_pathways(org_id);

CREATE TABLE training_records (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    course TEXT NOT NULL,
    domain TEXT NOT NULL,
    hours DOUBLE PRECISION NOT NULL,
    completed_on DATE NOT NULL,
    evidence TEXT NOT NULL,
    continuing_education BOOLEAN NOT NULL,
    ethics BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX training_records_peer ON training_records(peer_id, completed_on);

CREATE TABLE work_hours (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    worked_on DATE NOT NULL,
    hours DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX work_hours_peer ON work_hours(peer_id, worked_on);

CREATE TABLE supervision_sessions (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    supervisor_id BIGINT NOT NULL REFERENCES users(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    held_on DATE NOT NULL,
    format TEXT NOT NULL,
    hours DOUBLE PRECISION NOT NULL,
    topics TEXT NOT NULL,
    wellness_checkin TEXT NOT NULL,
    action_items TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX supervision_sessions_peer ON supervision_sessions(peer_id, held_on);
CREATE INDEX supervision_sessions_supervisor ON supervision_sessions(supervisor_id, held_on);

CREATE TABLE exemption_processes (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    applied_on DATE NOT NULL,
    documents_requested_on DATE,
    documents_sent_on DATE,
    decided_on DATE,
    decision TEXT,
    notes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX exemption_processes_org ON exemption_processes(org_id);
CREATE INDEX exemption_processes_peer ON exemption_processes(peer_id);

CREATE TABLE monetary_sanctions (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    amount_usd DOUBLE PRECISION NOT NULL,
    payment_plan BOOLEAN NOT NULL,
    blocks_credential BOOLEAN NOT NULL,
    resolved_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX monetary_sanctions_org ON monetary_sanctions(org_id);
CREATE INDEX monetary_sanctions_peer ON monetary_sanctions(peer_id);

CREATE TABLE facility_clearances (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    facility_id BIGINT NOT NULL REFERENCES facilities(id),
    requested_on DATE NOT NULL,
    status TEXT NOT NULL,
    status_on DATE NOT NULL,
    expires_on DATE,
    conditions TEXT NOT NULL,
    denial_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX facility_clearances_org ON facility_clearances(org_id, facility_id);
CREATE INDEX facility_clearances_peer ON facility_clearances(peer_id);

CREATE TABLE clearance_events (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    clearance_id BIGINT NOT NULL REFERENCES facility_clearances(id),
    status TEXT NOT NULL,
    on_date DATE NOT NULL,
    expires_on DATE,
    conditions TEXT NOT NULL,
    denial_reason TEXT,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX clearance_events_clearance ON clearance_events(clearance_id, on_date);
CREATE INDEX clearance_events_org ON clearance_events(org_id, on_date);

CREATE TABLE facility_visits (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    facility_id BIGINT NOT NULL REFERENCES facilities(id),
    scheduled_on DATE NOT NULL,
    outcome TEXT NOT NULL,
    refusal_reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX facility_visits_org ON facility_visits(org_id, scheduled_on);
CREATE INDEX facility_visits_peer ON facility_visits(peer_id);

CREATE TABLE readiness_items (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    item_key TEXT NOT NULL,
    title TEXT NOT NULL,
    stage TEXT NOT NULL,
    five_p TEXT NOT NULL,
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    due_on DATE,
    notes TEXT NOT NULL,
    position INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, item_key)
);

CREATE TABLE job_descriptions (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, kind)
);
