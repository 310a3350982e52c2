-- Supervision that develops people (decision 0051): a session's minutes (hours stay, derived:
-- minutes / 60), the SAMHSA competency areas discussed (a join table, one row per area, filled
-- from the sessions' existing `topics` codes), and a signature by each of the supervisor and the
-- peer. A change to a session is an amendment: the prior value is kept in
-- supervision_amendments and both signatures are cleared (asked for again).
ALTER TABLE supervision_sessions ADD COLUMN minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE supervision_sessions ADD COLUMN supervisor_signed_by BIGINT;
ALTER TABLE supervision_sessions ADD COLUMN supervisor_signed_at TIMESTAMP;
ALTER TABLE supervision_sessions ADD COLUMN peer_signed_by BIGINT;
ALTER TABLE supervision_sessions ADD COLUMN peer_signed_at TIMESTAMP;
ALTER TABLE supervision_sessions ADD COLUMN amended_at TIMESTAMP;
UPDATE supervision_sessions SET minutes = CAST(ROUND(hours * 60) AS INTEGER);

CREATE TABLE supervision_competencies (
    session_id BIGINT NOT NULL REFERENCES supervision_sessions(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    competency TEXT NOT NULL,
    PRIMARY KEY (session_id, competency)
);
INSERT INTO supervision_competencies (session_id, org_id, competency)
SELECT DISTINCT s.id, s.org_id, trim(t.code)
FROM supervision_sessions s, unnest(string_to_array(s.topics, ',')) AS t(code)
WHERE s.topics <> '' AND trim(t.code) <> '';

-- A signed (or unsigned) session as it was before an amendment, as JSON of the session row.
CREATE TABLE supervision_amendments (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    session_id BIGINT NOT NULL REFERENCES supervision_sessions(id),
    amended_by BIGINT NOT NULL REFERENCES users(id),
    amended_at TIMESTAMP NOT NULL,
    reason TEXT NOT NULL,
    prior TEXT NOT NULL
);
CREATE INDEX supervision_amendments_session ON supervision_amendments(session_id, amended_at);

-- A periodic competency review of a peer: per SAMHSA area a self rating and a supervisor rating
-- on a 1-4 scale, and a goal. Changes are amendments (prior ratings kept as JSON).
CREATE TABLE competency_reviews (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    reviewer_id BIGINT NOT NULL REFERENCES users(id),
    reviewed_on DATE NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    amended_at TIMESTAMP
);
CREATE INDEX competency_reviews_peer ON competency_reviews(peer_id, reviewed_on);
CREATE TABLE competency_ratings (
    review_id BIGINT NOT NULL REFERENCES competency_reviews(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    competency TEXT NOT NULL,
    self_rating INTEGER,
    supervisor_rating INTEGER,
    goal TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, competency)
);
CREATE TABLE competency_review_amendments (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    review_id BIGINT NOT NULL REFERENCES competency_reviews(id),
    amended_by BIGINT NOT NULL REFERENCES users(id),
    amended_at TIMESTAMP NOT NULL,
    reason TEXT NOT NULL,
    prior TEXT NOT NULL
);
CREATE INDEX competency_review_amendments_review ON competency_review_amendments(review_id, amended_at);

-- Ethics and boundary consultations: the question, the guidance, the outcome. One held with a
-- supervisor of the programme (consulted_with_id) counts as supervision received (decision 0051).
CREATE TABLE ethics_consultations (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    held_on DATE NOT NULL,
    consulted_with_id BIGINT REFERENCES users(id),
    consulted_with TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    question TEXT NOT NULL,
    guidance TEXT NOT NULL,
    outcome TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ethics_consultations_peer ON ethics_consultations(peer_id, held_on);
