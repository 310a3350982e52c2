-- The caseload kept on write (decision 0038): one line per participant with everything the
-- caseload ranks by that only a write can change (the open episode, the window's targets met or
-- not and their deadlines, the earliest open task and follow-up), so that a caseload is one
-- indexed read ordered by stored keys. What depends on the clock alone (in the window or not,
-- at risk yet, overdue yet) is decided at read time from these dates.
--
-- Triggers on every table the line is computed from note the participants a transaction
-- touched in caseload_stale; before the transaction commits, the application recomputes their
-- lines and empties the note (platform::kept). Nothing in the application has to remember to
-- keep the caseload, and a line is never older than the transaction that changed its inputs.
-- Lines for data that existed before this migration are filled by `throughcare migrate` (and
-- every start), which computes the line of each participant that has none.
CREATE TABLE caseload_lines (
    participant_id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    peer_id BIGINT,
    name TEXT NOT NULL,
    setting TEXT,
    facility_id BIGINT,
    expected_release_on DATE,
    released_at TIMESTAMP,
    window_ends_at TIMESTAMP,
    first_contact_due TIMESTAMP,
    contacts_due TIMESTAMP,
    contacts_done BIGINT NOT NULL,
    at_risk_from TIMESTAMP,
    tasks_due_from DATE,
    followups_due_from DATE,
    unplanned_release BOOLEAN NOT NULL
);
CREATE INDEX caseload_lines_peer ON caseload_lines (org_id, peer_id);

-- Participants whose line this transaction must recompute before it commits. Each transaction
-- empties its own notes; no key, so concurrent transactions never wait on each other here.
CREATE TABLE caseload_stale (
    participant_id BIGINT NOT NULL
);

-- Once per statement, over its transition tables.
CREATE FUNCTION caseload_stale_participants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT DISTINCT id FROM new_rows;
    RETURN NULL;
END $$;

CREATE FUNCTION caseload_stale_participants_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT DISTINCT id FROM old_rows;
    RETURN NULL;
END $$;

CREATE FUNCTION caseload_stale_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT DISTINCT participant_id FROM new_rows;
    RETURN NULL;
END $$;

CREATE FUNCTION caseload_stale_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT DISTINCT participant_id FROM old_rows;
    RETURN NULL;
END $$;

CREATE FUNCTION caseload_stale_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO caseload_stale (participant_id)
        SELECT participant_id FROM new_rows UNION SELECT participant_id FROM old_rows;
    RETURN NULL;
END $$;

CREATE TRIGGER participants_cs_ins AFTER INSERT ON participants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_participants();
CREATE TRIGGER participants_cs_del AFTER DELETE ON participants REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_participants_gone();
CREATE TRIGGER participants_cs_upd AFTER UPDATE ON participants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_participants();
CREATE TRIGGER episodes_cs_ins AFTER INSERT ON episodes REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_new();
CREATE TRIGGER episodes_cs_upd AFTER UPDATE ON episodes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_moved();
CREATE TRIGGER episodes_cs_del AFTER DELETE ON episodes REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_old();
CREATE TRIGGER custody_events_cs_ins AFTER INSERT ON custody_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_new();
CREATE TRIGGER custody_events_cs_upd AFTER UPDATE ON custody_events REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_moved();
CREATE TRIGGER custody_events_cs_del AFTER DELETE ON custody_events REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_old();
CREATE TRIGGER checklist_items_cs_ins AFTER INSERT ON checklist_items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_new();
CREATE TRIGGER checklist_items_cs_upd AFTER UPDATE ON checklist_items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_moved();
CREATE TRIGGER checklist_items_cs_del AFTER DELETE ON checklist_items REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_old();
CREATE TRIGGER goal_steps_cs_ins AFTER INSERT ON goal_steps REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_new();
CREATE TRIGGER goal_steps_cs_upd AFTER UPDATE ON goal_steps REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_moved();
CREATE TRIGGER goal_steps_cs_del AFTER DELETE ON goal_steps REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_old();
CREATE TRIGGER followups_cs_ins AFTER INSERT ON followups REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_new();
CREATE TRIGGER followups_cs_upd AFTER UPDATE ON followups REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_moved();
CREATE TRIGGER followups_cs_del AFTER DELETE ON followups REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_old();
CREATE TRIGGER encounters_cs_ins AFTER INSERT ON encounters REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_new();
CREATE TRIGGER encounters_cs_upd AFTER UPDATE ON encounters REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_moved();
CREATE TRIGGER encounters_cs_del AFTER DELETE ON encounters REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION caseload_stale_old();
