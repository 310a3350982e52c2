-- Exports read each table by organisation in id order, a page at a time (reports::exports).
-- Without these, a page scanned the primary key and skipped other organisations' rows:
-- for a small organisation in a state deployment, every page read the whole table.
CREATE INDEX participants_org_id ON participants (org_id, id);
CREATE INDEX episodes_org_id ON episodes (org_id, id);
CREATE INDEX encounters_org_id ON encounters (org_id, id);
CREATE INDEX barc10_assessments_org_id ON barc10_assessments (org_id, id);
CREATE INDEX stage_records_org_id ON stage_records (org_id, id);
CREATE INDEX referrals_org_id ON referrals (org_id, id);
CREATE INDEX followups_org_id ON followups (org_id, id);
CREATE INDEX gpra_interviews_org_id ON gpra_interviews (org_id, id);
