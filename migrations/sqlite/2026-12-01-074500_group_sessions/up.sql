-- Group sessions on the web (issue 16 item 3; decision 0039). Each attendee's encounter stays a
-- row of `encounters` (it counts once for that participant towards the 14-day window), the
-- rows of one session sharing `group_id`; the session itself (where, who led it, the one note
-- for the group) is a row of `group_sessions` whose id is that `group_id`. Its note is the
-- program's own: it is about everyone present, so it is never disclosed to partners.
CREATE TABLE group_sessions (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    -- NULL for a group recorded through the API, which names no facility.
    facility_id BIGINT REFERENCES facilities(id),
    led_by BIGINT REFERENCES users(id),
    occurred_at TIMESTAMP NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX group_sessions_org_time ON group_sessions(org_id, occurred_at);
CREATE INDEX encounters_group ON encounters(group_id) WHERE group_id IS NOT NULL;

-- What was talked about: life-domain codes (`journey::rules::LifeDomain`), space-separated, as
-- `topics` holds the SAMHSA competency areas.
ALTER TABLE encounters ADD COLUMN life_domains TEXT NOT NULL DEFAULT '';
