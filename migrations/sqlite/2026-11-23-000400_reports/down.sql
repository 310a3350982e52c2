DROP INDEX barc10_org;
DROP INDEX followups_episode;
DROP INDEX followups_org_due;
DROP INDEX encounters_contact;
DROP INDEX episodes_org_ended;
DROP INDEX episodes_org_started;
DROP TABLE gpra_interviews;
