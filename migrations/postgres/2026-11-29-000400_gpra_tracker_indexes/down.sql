DROP INDEX episodes_org_person;
DROP INDEX gpra_interviews_org_person;
