-- Field safety check-ins (issue 18 item 1): before a community visit a peer says where, with
-- whom and until when (and, optionally, a safety note about the place); checks out when done;
-- may ask for help at once. A visit is a row: its check-out and its call for help are set once
-- and never cleared. Programme staff only: no partner reads this table.
CREATE TABLE field_visits (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    peer_id BIGINT NOT NULL REFERENCES users(id),
    place TEXT NOT NULL,
    with_whom TEXT NOT NULL,
    safety_note TEXT NOT NULL DEFAULT '',
    started_at TIMESTAMP NOT NULL,
    expected_end_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    help_at TIMESTAMP,
    help_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX field_visits_open ON field_visits(org_id, ended_at, expected_end_at);
CREATE INDEX field_visits_peer ON field_visits(peer_id, started_at);
