DROP INDEX participants_org_id;
DROP INDEX episodes_org_id;
DROP INDEX encounters_org_id;
DROP INDEX barc10_assessments_org_id;
DROP INDEX stage_records_org_id;
DROP INDEX referrals_org_id;
DROP INDEX followups_org_id;
DROP INDEX gpra_interviews_org_id;
