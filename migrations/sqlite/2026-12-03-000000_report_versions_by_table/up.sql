-- Report data versions by table (decision 0056). Until now each organisation had one version,
-- bumped by a write to any table a report reads, so recording one encounter made every report
-- and every part of the dashboard be computed again. Now each (organisation, table) has its own
-- version: a report, or a part of one, reads the sum of the versions of the tables it reads and
-- is computed again only when one of those moved. Sums of counters that only grow only grow, so
-- a report filed under a sum is never newer than the data it was computed from (decision 0010).
-- Facilities are shared by every programme's facility access report, so a change to one bumps
-- the facilities version of every organisation.

CREATE TABLE report_table_versions (
    org_id BIGINT NOT NULL,
    source TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (org_id, source)
);

DROP TRIGGER participants_rv_ins;
CREATE TRIGGER participants_rv_ins AFTER INSERT ON participants BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'participants', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER participants_rv_upd;
CREATE TRIGGER participants_rv_upd AFTER UPDATE ON participants BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'participants', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER participants_rv_del;
CREATE TRIGGER participants_rv_del AFTER DELETE ON participants BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'participants', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER participant_identifiers_rv_ins;
CREATE TRIGGER participant_identifiers_rv_ins AFTER INSERT ON participant_identifiers BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'participant_identifiers', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER participant_identifiers_rv_upd;
CREATE TRIGGER participant_identifiers_rv_upd AFTER UPDATE ON participant_identifiers BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'participant_identifiers', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER participant_identifiers_rv_del;
CREATE TRIGGER participant_identifiers_rv_del AFTER DELETE ON participant_identifiers BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'participant_identifiers', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER episodes_rv_ins;
CREATE TRIGGER episodes_rv_ins AFTER INSERT ON episodes BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'episodes', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER episodes_rv_upd;
CREATE TRIGGER episodes_rv_upd AFTER UPDATE ON episodes BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'episodes', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER episodes_rv_del;
CREATE TRIGGER episodes_rv_del AFTER DELETE ON episodes BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'episodes', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER custody_events_rv_ins;
CREATE TRIGGER custody_events_rv_ins AFTER INSERT ON custody_events BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'custody_events', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER custody_events_rv_upd;
CREATE TRIGGER custody_events_rv_upd AFTER UPDATE ON custody_events BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'custody_events', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER custody_events_rv_del;
CREATE TRIGGER custody_events_rv_del AFTER DELETE ON custody_events BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'custody_events', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER checklist_items_rv_ins;
CREATE TRIGGER checklist_items_rv_ins AFTER INSERT ON checklist_items BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'checklist_items', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER checklist_items_rv_upd;
CREATE TRIGGER checklist_items_rv_upd AFTER UPDATE ON checklist_items BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'checklist_items', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER checklist_items_rv_del;
CREATE TRIGGER checklist_items_rv_del AFTER DELETE ON checklist_items BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'checklist_items', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER encounters_rv_ins;
CREATE TRIGGER encounters_rv_ins AFTER INSERT ON encounters BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'encounters', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER encounters_rv_upd;
CREATE TRIGGER encounters_rv_upd AFTER UPDATE ON encounters BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'encounters', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER encounters_rv_del;
CREATE TRIGGER encounters_rv_del AFTER DELETE ON encounters BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'encounters', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER barc10_assessments_rv_ins;
CREATE TRIGGER barc10_assessments_rv_ins AFTER INSERT ON barc10_assessments BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'barc10_assessments', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER barc10_assessments_rv_upd;
CREATE TRIGGER barc10_assessments_rv_upd AFTER UPDATE ON barc10_assessments BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'barc10_assessments', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER barc10_assessments_rv_del;
CREATE TRIGGER barc10_assessments_rv_del AFTER DELETE ON barc10_assessments BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'barc10_assessments', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referrals_rv_ins;
CREATE TRIGGER referrals_rv_ins AFTER INSERT ON referrals BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'referrals', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referrals_rv_upd;
CREATE TRIGGER referrals_rv_upd AFTER UPDATE ON referrals BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'referrals', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referrals_rv_del;
CREATE TRIGGER referrals_rv_del AFTER DELETE ON referrals BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'referrals', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referral_events_rv_ins;
CREATE TRIGGER referral_events_rv_ins AFTER INSERT ON referral_events BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'referral_events', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referral_events_rv_upd;
CREATE TRIGGER referral_events_rv_upd AFTER UPDATE ON referral_events BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'referral_events', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referral_events_rv_del;
CREATE TRIGGER referral_events_rv_del AFTER DELETE ON referral_events BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'referral_events', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER followups_rv_ins;
CREATE TRIGGER followups_rv_ins AFTER INSERT ON followups BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'followups', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER followups_rv_upd;
CREATE TRIGGER followups_rv_upd AFTER UPDATE ON followups BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'followups', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER followups_rv_del;
CREATE TRIGGER followups_rv_del AFTER DELETE ON followups BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'followups', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER merges_rv_ins;
CREATE TRIGGER merges_rv_ins AFTER INSERT ON merges BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'merges', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER merges_rv_upd;
CREATE TRIGGER merges_rv_upd AFTER UPDATE ON merges BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'merges', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER merges_rv_del;
CREATE TRIGGER merges_rv_del AFTER DELETE ON merges BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'merges', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER gpra_interviews_rv_ins;
CREATE TRIGGER gpra_interviews_rv_ins AFTER INSERT ON gpra_interviews BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'gpra_interviews', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER gpra_interviews_rv_upd;
CREATE TRIGGER gpra_interviews_rv_upd AFTER UPDATE ON gpra_interviews BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'gpra_interviews', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER gpra_interviews_rv_del;
CREATE TRIGGER gpra_interviews_rv_del AFTER DELETE ON gpra_interviews BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'gpra_interviews', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER consents_rv_ins;
CREATE TRIGGER consents_rv_ins AFTER INSERT ON consents BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'consents', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER consents_rv_upd;
CREATE TRIGGER consents_rv_upd AFTER UPDATE ON consents BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'consents', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER consents_rv_del;
CREATE TRIGGER consents_rv_del AFTER DELETE ON consents BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'consents', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_clearances_rv_ins;
CREATE TRIGGER facility_clearances_rv_ins AFTER INSERT ON facility_clearances BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'facility_clearances', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_clearances_rv_upd;
CREATE TRIGGER facility_clearances_rv_upd AFTER UPDATE ON facility_clearances BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'facility_clearances', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_clearances_rv_del;
CREATE TRIGGER facility_clearances_rv_del AFTER DELETE ON facility_clearances BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'facility_clearances', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER clearance_events_rv_ins;
CREATE TRIGGER clearance_events_rv_ins AFTER INSERT ON clearance_events BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'clearance_events', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER clearance_events_rv_upd;
CREATE TRIGGER clearance_events_rv_upd AFTER UPDATE ON clearance_events BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'clearance_events', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER clearance_events_rv_del;
CREATE TRIGGER clearance_events_rv_del AFTER DELETE ON clearance_events BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'clearance_events', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_visits_rv_ins;
CREATE TRIGGER facility_visits_rv_ins AFTER INSERT ON facility_visits BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'facility_visits', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_visits_rv_upd;
CREATE TRIGGER facility_visits_rv_upd AFTER UPDATE ON facility_visits BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'facility_visits', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_visits_rv_del;
CREATE TRIGGER facility_visits_rv_del AFTER DELETE ON facility_visits BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'facility_visits', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER overdoses_rv_ins;
CREATE TRIGGER overdoses_rv_ins AFTER INSERT ON overdoses BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'overdoses', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER overdoses_rv_upd;
CREATE TRIGGER overdoses_rv_upd AFTER UPDATE ON overdoses BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'overdoses', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER overdoses_rv_del;
CREATE TRIGGER overdoses_rv_del AFTER DELETE ON overdoses BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'overdoses', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_screenings_rv_ins;
CREATE TRIGGER reentry_screenings_rv_ins AFTER INSERT ON reentry_screenings BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'reentry_screenings', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_screenings_rv_upd;
CREATE TRIGGER reentry_screenings_rv_upd AFTER UPDATE ON reentry_screenings BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'reentry_screenings', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_screenings_rv_del;
CREATE TRIGGER reentry_screenings_rv_del AFTER DELETE ON reentry_screenings BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'reentry_screenings', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_handoffs_rv_ins;
CREATE TRIGGER reentry_handoffs_rv_ins AFTER INSERT ON reentry_handoffs BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'reentry_handoffs', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_handoffs_rv_upd;
CREATE TRIGGER reentry_handoffs_rv_upd AFTER UPDATE ON reentry_handoffs BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'reentry_handoffs', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_handoffs_rv_del;
CREATE TRIGGER reentry_handoffs_rv_del AFTER DELETE ON reentry_handoffs BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'reentry_handoffs', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_moud_rv_ins;
CREATE TRIGGER reentry_moud_rv_ins AFTER INSERT ON reentry_moud BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'reentry_moud', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_moud_rv_upd;
CREATE TRIGGER reentry_moud_rv_upd AFTER UPDATE ON reentry_moud BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (NEW.org_id, 'reentry_moud', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_moud_rv_del;
CREATE TRIGGER reentry_moud_rv_del AFTER DELETE ON reentry_moud BEGIN
    INSERT INTO report_table_versions (org_id, source, version) VALUES (OLD.org_id, 'reentry_moud', 1)
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facilities_rv_ins;
CREATE TRIGGER facilities_rv_ins AFTER INSERT ON facilities BEGIN
    INSERT INTO report_table_versions (org_id, source, version)
        SELECT id, 'facilities', 1 FROM organisations WHERE true
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facilities_rv_upd;
CREATE TRIGGER facilities_rv_upd AFTER UPDATE ON facilities BEGIN
    INSERT INTO report_table_versions (org_id, source, version)
        SELECT id, 'facilities', 1 FROM organisations WHERE true
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facilities_rv_del;
CREATE TRIGGER facilities_rv_del AFTER DELETE ON facilities BEGIN
    INSERT INTO report_table_versions (org_id, source, version)
        SELECT id, 'facilities', 1 FROM organisations WHERE true
    ON CONFLICT (org_id, source) DO UPDATE SET version = version + 1;
END;

DROP TABLE report_versions;
