-- Hiring people with lived experience (issue item 3; seed 002, the BJA job descriptions, and seed
-- 003, the NY peer integration toolkit): job openings with the job description's criteria,
-- applicants, and each applicant's steps as dated events. Staff data: the programme's admins
-- only (an applicant's own account of their lived experience is sensitive). Nothing is
-- overwritten: every step change is a new row of hiring_events.
CREATE TABLE job_openings (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    lived_experience_criteria TEXT NOT NULL,
    other_criteria TEXT NOT NULL,
    opened_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX job_openings_org ON job_openings(org_id, opened_on);

CREATE TABLE applicants (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    opening_id BIGINT NOT NULL REFERENCES job_openings(id),
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    lived_experience TEXT NOT NULL DEFAULT '',
    -- The staff account once there is one (made at the offer or on hiring).
    user_id BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX applicants_org ON applicants(org_id, opening_id);

-- One row per step change: `entered` a step on a date, or `left` it on a date with an outcome
-- (advanced, withdrew, not_selected) and, unless advanced, a reason. A background check or a
-- facility clearance step may name the exemption process or clearance it waited on.
CREATE TABLE hiring_events (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    applicant_id BIGINT NOT NULL REFERENCES applicants(id),
    step TEXT NOT NULL,
    kind TEXT NOT NULL,
    on_date DATE NOT NULL,
    outcome TEXT,
    reason TEXT,
    note TEXT NOT NULL DEFAULT '',
    exemption_id BIGINT REFERENCES exemption_processes(id),
    clearance_id BIGINT REFERENCES facility_clearances(id),
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX hiring_events_applicant ON hiring_events(applicant_id, on_date);
CREATE INDEX hiring_events_org ON hiring_events(org_id);
