-- Each organisation's report data version: bumped, in the same transaction, by every insert,
-- update and delete of a table the programme reports read (dashboard, GPRA tracker, facility
-- access report). A cached report is served only while the version it was computed at is still
-- current (decision 0010). Facilities are shared by every programme's facility access report, so
-- a change to one bumps every organisation. A report that starts reading another table adds it
-- here and to `report_cache::VERSIONED_TABLES` (a test compares the two).
CREATE TABLE report_versions (
    org_id BIGINT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO report_versions (org_id, version) SELECT id, 1 FROM organisations;

CREATE TRIGGER participants_rv_ins AFTER INSERT ON participants BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER participants_rv_upd AFTER UPDATE ON participants BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER participants_rv_del AFTER DELETE ON participants BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER participant_identifiers_rv_ins AFTER INSERT ON participant_identifiers BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER participant_identifiers_rv_upd AFTER UPDATE ON participant_identifiers BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER participant_identifiers_rv_del AFTER DELETE ON participant_identifiers BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER episodes_rv_ins AFTER INSERT ON episodes BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER episodes_rv_upd AFTER UPDATE ON episodes BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER episodes_rv_del AFTER DELETE ON episodes BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER custody_events_rv_ins AFTER INSERT ON custody_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER custody_events_rv_upd AFTER UPDATE ON custody_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER custody_events_rv_del AFTER DELETE ON custody_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER checklist_items_rv_ins AFTER INSERT ON checklist_items BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER checklist_items_rv_upd AFTER UPDATE ON checklist_items BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER checklist_items_rv_del AFTER DELETE ON checklist_items BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER encounters_rv_ins AFTER INSERT ON encounters BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER encounters_rv_upd AFTER UPDATE ON encounters BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER encounters_rv_del AFTER DELETE ON encounters BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER barc10_assessments_rv_ins AFTER INSERT ON barc10_assessments BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER barc10_assessments_rv_upd AFTER UPDATE ON barc10_assessments BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER barc10_assessments_rv_del AFTER DELETE ON barc10_assessments BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER referrals_rv_ins AFTER INSERT ON referrals BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER referrals_rv_upd AFTER UPDATE ON referrals BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER referrals_rv_del AFTER DELETE ON referrals BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER referral_events_rv_ins AFTER INSERT ON referral_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER referral_events_rv_upd AFTER UPDATE ON referral_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER referral_events_rv_del AFTER DELETE ON referral_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER followups_rv_ins AFTER INSERT ON followups BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER followups_rv_upd AFTER UPDATE ON followups BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER followups_rv_del AFTER DELETE ON followups BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER merges_rv_ins AFTER INSERT ON merges BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER merges_rv_upd AFTER UPDATE ON merges BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER merges_rv_del AFTER DELETE ON merges BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER gpra_interviews_rv_ins AFTER INSERT ON gpra_interviews BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER gpra_interviews_rv_upd AFTER UPDATE ON gpra_interviews BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER gpra_interviews_rv_del AFTER DELETE ON gpra_interviews BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER consents_rv_ins AFTER INSERT ON consents BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER consents_rv_upd AFTER UPDATE ON consents BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER consents_rv_del AFTER DELETE ON consents BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER facility_clearances_rv_ins AFTER INSERT ON facility_clearances BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER facility_clearances_rv_upd AFTER UPDATE ON facility_clearances BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER facility_clearances_rv_del AFTER DELETE ON facility_clearances BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER clearance_events_rv_ins AFTER INSERT ON clearance_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER clearance_events_rv_upd AFTER UPDATE ON clearance_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER clearance_events_rv_del AFTER DELETE ON clearance_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER facility_visits_rv_ins AFTER INSERT ON facility_visits BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER facility_visits_rv_upd AFTER UPDATE ON facility_visits BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER facility_visits_rv_del AFTER DELETE ON facility_visits BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER facilities_rv_ins AFTER INSERT ON facilities BEGIN
    UPDATE report_versions SET version = version + 1;
END;

CREATE TRIGGER facilities_rv_upd AFTER UPDATE ON facilities BEGIN
    UPDATE report_versions SET version = version + 1;
END;

CREATE TRIGGER facilities_rv_del AFTER DELETE ON facilities BEGIN
    UPDATE report_versions SET version = version + 1;
END;
