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

-- On PostgreSQL the triggers fire once per statement (over its transition table), not per row.
-- The bump first locks the audit chain's head, as every audited write does: a transaction that
-- holds a version row therefore already holds audit_head, so the two locks are always taken in
-- the same order and concurrent writers cannot deadlock on them.

CREATE FUNCTION report_versions_bump_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;
    INSERT INTO report_versions (org_id, version)
        SELECT DISTINCT org_id, 1 FROM new_rows ORDER BY org_id
    ON CONFLICT (org_id) DO UPDATE SET version = report_versions.version + 1;
    RETURN NULL;
END $$;

CREATE FUNCTION report_versions_bump_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;
    INSERT INTO report_versions (org_id, version)
        SELECT DISTINCT org_id, 1 FROM old_rows ORDER BY org_id
    ON CONFLICT (org_id) DO UPDATE SET version = report_versions.version + 1;
    RETURN NULL;
END $$;

CREATE FUNCTION report_versions_bump_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;
    UPDATE report_versions SET version = version + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER participants_rv_ins AFTER INSERT ON participants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER participants_rv_upd AFTER UPDATE ON participants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER participants_rv_del AFTER DELETE ON participants REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER participant_identifiers_rv_ins AFTER INSERT ON participant_identifiers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER participant_identifiers_rv_upd AFTER UPDATE ON participant_identifiers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER participant_identifiers_rv_del AFTER DELETE ON participant_identifiers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER episodes_rv_ins AFTER INSERT ON episodes REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER episodes_rv_upd AFTER UPDATE ON episodes REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER episodes_rv_del AFTER DELETE ON episodes REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER custody_events_rv_ins AFTER INSERT ON custody_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER custody_events_rv_upd AFTER UPDATE ON custody_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER custody_events_rv_del AFTER DELETE ON custody_events REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER checklist_items_rv_ins AFTER INSERT ON checklist_items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER checklist_items_rv_upd AFTER UPDATE ON checklist_items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER checklist_items_rv_del AFTER DELETE ON checklist_items REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER encounters_rv_ins AFTER INSERT ON encounters REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER encounters_rv_upd AFTER UPDATE ON encounters REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER encounters_rv_del AFTER DELETE ON encounters REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER barc10_assessments_rv_ins AFTER INSERT ON barc10_assessments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER barc10_assessments_rv_upd AFTER UPDATE ON barc10_assessments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER barc10_assessments_rv_del AFTER DELETE ON barc10_assessments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER referrals_rv_ins AFTER INSERT ON referrals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER referrals_rv_upd AFTER UPDATE ON referrals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER referrals_rv_del AFTER DELETE ON referrals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER referral_events_rv_ins AFTER INSERT ON referral_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER referral_events_rv_upd AFTER UPDATE ON referral_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER referral_events_rv_del AFTER DELETE ON referral_events REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER followups_rv_ins AFTER INSERT ON followups REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER followups_rv_upd AFTER UPDATE ON followups REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER followups_rv_del AFTER DELETE ON followups REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER merges_rv_ins AFTER INSERT ON merges REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER merges_rv_upd AFTER UPDATE ON merges REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER merges_rv_del AFTER DELETE ON merges REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER gpra_interviews_rv_ins AFTER INSERT ON gpra_interviews REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER gpra_interviews_rv_upd AFTER UPDATE ON gpra_interviews REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER gpra_interviews_rv_del AFTER DELETE ON gpra_interviews REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER consents_rv_ins AFTER INSERT ON consents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER consents_rv_upd AFTER UPDATE ON consents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER consents_rv_del AFTER DELETE ON consents REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER facility_clearances_rv_ins AFTER INSERT ON facility_clearances REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER facility_clearances_rv_upd AFTER UPDATE ON facility_clearances REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER facility_clearances_rv_del AFTER DELETE ON facility_clearances REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER clearance_events_rv_ins AFTER INSERT ON clearance_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER clearance_events_rv_upd AFTER UPDATE ON clearance_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER clearance_events_rv_del AFTER DELETE ON clearance_events REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER facility_visits_rv_ins AFTER INSERT ON facility_visits REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER facility_visits_rv_upd AFTER UPDATE ON facility_visits REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_new();
CREATE TRIGGER facility_visits_rv_del AFTER DELETE ON facility_visits REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_old();
CREATE TRIGGER facilities_rv_ins AFTER INSERT ON facilities FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_all();
CREATE TRIGGER facilities_rv_upd AFTER UPDATE ON facilities FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_all();
CREATE TRIGGER facilities_rv_del AFTER DELETE ON facilities FOR EACH STATEMENT EXECUTE FUNCTION report_versions_bump_all();
