-- Back to one report data version per organisation.

CREATE TABLE report_versions (
    org_id BIGINT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO report_versions (org_id, version) SELECT id, 1 FROM organisations;

DROP TRIGGER participants_rv_ins;
CREATE TRIGGER participants_rv_ins AFTER INSERT ON participants BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER participants_rv_upd;
CREATE TRIGGER participants_rv_upd AFTER UPDATE ON participants BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER participants_rv_del;
CREATE TRIGGER participants_rv_del AFTER DELETE ON participants BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER participant_identifiers_rv_ins;
CREATE TRIGGER participant_identifiers_rv_ins AFTER INSERT ON participant_identifiers BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER participant_identifiers_rv_upd;
CREATE TRIGGER participant_identifiers_rv_upd AFTER UPDATE ON participant_identifiers BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER participant_identifiers_rv_del;
CREATE TRIGGER participant_identifiers_rv_del AFTER DELETE ON participant_identifiers BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER episodes_rv_ins;
CREATE TRIGGER episodes_rv_ins AFTER INSERT ON episodes BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER episodes_rv_upd;
CREATE TRIGGER episodes_rv_upd AFTER UPDATE ON episodes BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER episodes_rv_del;
CREATE TRIGGER episodes_rv_del AFTER DELETE ON episodes BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER custody_events_rv_ins;
CREATE TRIGGER custody_events_rv_ins AFTER INSERT ON custody_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER custody_events_rv_upd;
CREATE TRIGGER custody_events_rv_upd AFTER UPDATE ON custody_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER custody_events_rv_del;
CREATE TRIGGER custody_events_rv_del AFTER DELETE ON custody_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER checklist_items_rv_ins;
CREATE TRIGGER checklist_items_rv_ins AFTER INSERT ON checklist_items BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER checklist_items_rv_upd;
CREATE TRIGGER checklist_items_rv_upd AFTER UPDATE ON checklist_items BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER checklist_items_rv_del;
CREATE TRIGGER checklist_items_rv_del AFTER DELETE ON checklist_items BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER encounters_rv_ins;
CREATE TRIGGER encounters_rv_ins AFTER INSERT ON encounters BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER encounters_rv_upd;
CREATE TRIGGER encounters_rv_upd AFTER UPDATE ON encounters BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER encounters_rv_del;
CREATE TRIGGER encounters_rv_del AFTER DELETE ON encounters BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER barc10_assessments_rv_ins;
CREATE TRIGGER barc10_assessments_rv_ins AFTER INSERT ON barc10_assessments BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER barc10_assessments_rv_upd;
CREATE TRIGGER barc10_assessments_rv_upd AFTER UPDATE ON barc10_assessments BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER barc10_assessments_rv_del;
CREATE TRIGGER barc10_assessments_rv_del AFTER DELETE ON barc10_assessments BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referrals_rv_ins;
CREATE TRIGGER referrals_rv_ins AFTER INSERT ON referrals BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referrals_rv_upd;
CREATE TRIGGER referrals_rv_upd AFTER UPDATE ON referrals BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referrals_rv_del;
CREATE TRIGGER referrals_rv_del AFTER DELETE ON referrals BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referral_events_rv_ins;
CREATE TRIGGER referral_events_rv_ins AFTER INSERT ON referral_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referral_events_rv_upd;
CREATE TRIGGER referral_events_rv_upd AFTER UPDATE ON referral_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER referral_events_rv_del;
CREATE TRIGGER referral_events_rv_del AFTER DELETE ON referral_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER followups_rv_ins;
CREATE TRIGGER followups_rv_ins AFTER INSERT ON followups BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER followups_rv_upd;
CREATE TRIGGER followups_rv_upd AFTER UPDATE ON followups BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER followups_rv_del;
CREATE TRIGGER followups_rv_del AFTER DELETE ON followups BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER merges_rv_ins;
CREATE TRIGGER merges_rv_ins AFTER INSERT ON merges BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER merges_rv_upd;
CREATE TRIGGER merges_rv_upd AFTER UPDATE ON merges BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER merges_rv_del;
CREATE TRIGGER merges_rv_del AFTER DELETE ON merges BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER gpra_interviews_rv_ins;
CREATE TRIGGER gpra_interviews_rv_ins AFTER INSERT ON gpra_interviews BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER gpra_interviews_rv_upd;
CREATE TRIGGER gpra_interviews_rv_upd AFTER UPDATE ON gpra_interviews BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER gpra_interviews_rv_del;
CREATE TRIGGER gpra_interviews_rv_del AFTER DELETE ON gpra_interviews BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER consents_rv_ins;
CREATE TRIGGER consents_rv_ins AFTER INSERT ON consents BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER consents_rv_upd;
CREATE TRIGGER consents_rv_upd AFTER UPDATE ON consents BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER consents_rv_del;
CREATE TRIGGER consents_rv_del AFTER DELETE ON consents BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_clearances_rv_ins;
CREATE TRIGGER facility_clearances_rv_ins AFTER INSERT ON facility_clearances BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_clearances_rv_upd;
CREATE TRIGGER facility_clearances_rv_upd AFTER UPDATE ON facility_clearances BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_clearances_rv_del;
CREATE TRIGGER facility_clearances_rv_del AFTER DELETE ON facility_clearances BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER clearance_events_rv_ins;
CREATE TRIGGER clearance_events_rv_ins AFTER INSERT ON clearance_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER clearance_events_rv_upd;
CREATE TRIGGER clearance_events_rv_upd AFTER UPDATE ON clearance_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER clearance_events_rv_del;
CREATE TRIGGER clearance_events_rv_del AFTER DELETE ON clearance_events BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_visits_rv_ins;
CREATE TRIGGER facility_visits_rv_ins AFTER INSERT ON facility_visits BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_visits_rv_upd;
CREATE TRIGGER facility_visits_rv_upd AFTER UPDATE ON facility_visits BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facility_visits_rv_del;
CREATE TRIGGER facility_visits_rv_del AFTER DELETE ON facility_visits BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER overdoses_rv_ins;
CREATE TRIGGER overdoses_rv_ins AFTER INSERT ON overdoses BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER overdoses_rv_upd;
CREATE TRIGGER overdoses_rv_upd AFTER UPDATE ON overdoses BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER overdoses_rv_del;
CREATE TRIGGER overdoses_rv_del AFTER DELETE ON overdoses BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_screenings_rv_ins;
CREATE TRIGGER reentry_screenings_rv_ins AFTER INSERT ON reentry_screenings BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_screenings_rv_upd;
CREATE TRIGGER reentry_screenings_rv_upd AFTER UPDATE ON reentry_screenings BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_screenings_rv_del;
CREATE TRIGGER reentry_screenings_rv_del AFTER DELETE ON reentry_screenings BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_handoffs_rv_ins;
CREATE TRIGGER reentry_handoffs_rv_ins AFTER INSERT ON reentry_handoffs BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_handoffs_rv_upd;
CREATE TRIGGER reentry_handoffs_rv_upd AFTER UPDATE ON reentry_handoffs BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_handoffs_rv_del;
CREATE TRIGGER reentry_handoffs_rv_del AFTER DELETE ON reentry_handoffs BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_moud_rv_ins;
CREATE TRIGGER reentry_moud_rv_ins AFTER INSERT ON reentry_moud BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_moud_rv_upd;
CREATE TRIGGER reentry_moud_rv_upd AFTER UPDATE ON reentry_moud BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER reentry_moud_rv_del;
CREATE TRIGGER reentry_moud_rv_del AFTER DELETE ON reentry_moud BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

DROP TRIGGER facilities_rv_ins;
CREATE TRIGGER facilities_rv_ins AFTER INSERT ON facilities BEGIN
    UPDATE report_versions SET version = version + 1;
END;

DROP TRIGGER facilities_rv_upd;
CREATE TRIGGER facilities_rv_upd AFTER UPDATE ON facilities BEGIN
    UPDATE report_versions SET version = version + 1;
END;

DROP TRIGGER facilities_rv_del;
CREATE TRIGGER facilities_rv_del AFTER DELETE ON facilities BEGIN
    UPDATE report_versions SET version = version + 1;
END;

DROP TABLE report_table_versions;
