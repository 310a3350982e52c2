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

CREATE TRIGGER participants_cs_ins AFTER INSERT ON participants BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.id);
END;

CREATE TRIGGER participants_cs_upd AFTER UPDATE ON participants BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.id);
END;

CREATE TRIGGER participants_cs_del AFTER DELETE ON participants BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (OLD.id);
END;

CREATE TRIGGER episodes_cs_ins AFTER INSERT ON episodes BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.participant_id);
END;

CREATE TRIGGER episodes_cs_upd AFTER UPDATE ON episodes BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT NEW.participant_id UNION SELECT OLD.participant_id;
END;

CREATE TRIGGER episodes_cs_del AFTER DELETE ON episodes BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (OLD.participant_id);
END;

CREATE TRIGGER custody_events_cs_ins AFTER INSERT ON custody_events BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.participant_id);
END;

CREATE TRIGGER custody_events_cs_upd AFTER UPDATE ON custody_events BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT NEW.participant_id UNION SELECT OLD.participant_id;
END;

CREATE TRIGGER custody_events_cs_del AFTER DELETE ON custody_events BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (OLD.participant_id);
END;

CREATE TRIGGER checklist_items_cs_ins AFTER INSERT ON checklist_items BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.participant_id);
END;

CREATE TRIGGER checklist_items_cs_upd AFTER UPDATE ON checklist_items BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT NEW.participant_id UNION SELECT OLD.participant_id;
END;

CREATE TRIGGER checklist_items_cs_del AFTER DELETE ON checklist_items BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (OLD.participant_id);
END;

CREATE TRIGGER goal_steps_cs_ins AFTER INSERT ON goal_steps BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.participant_id);
END;

CREATE TRIGGER goal_steps_cs_upd AFTER UPDATE ON goal_steps BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT NEW.participant_id UNION SELECT OLD.participant_id;
END;

CREATE TRIGGER goal_steps_cs_del AFTER DELETE ON goal_steps BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (OLD.participant_id);
END;

CREATE TRIGGER followups_cs_ins AFTER INSERT ON followups BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.participant_id);
END;

CREATE TRIGGER followups_cs_upd AFTER UPDATE ON followups BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT NEW.participant_id UNION SELECT OLD.participant_id;
END;

CREATE TRIGGER followups_cs_del AFTER DELETE ON followups BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (OLD.participant_id);
END;

CREATE TRIGGER encounters_cs_ins AFTER INSERT ON encounters BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (NEW.participant_id);
END;

CREATE TRIGGER encounters_cs_upd AFTER UPDATE ON encounters BEGIN
    INSERT INTO caseload_stale (participant_id) SELECT NEW.participant_id UNION SELECT OLD.participant_id;
END;

CREATE TRIGGER encounters_cs_del AFTER DELETE ON encounters BEGIN
    INSERT INTO caseload_stale (participant_id) VALUES (OLD.participant_id);
END;
