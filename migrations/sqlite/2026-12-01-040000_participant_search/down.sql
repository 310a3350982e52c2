DROP INDEX participant_identifiers_org_value;
DROP INDEX participants_org_dob;
DROP INDEX participants_org_search_first;
DROP INDEX participants_org_search_last;
ALTER TABLE participants DROP COLUMN search_last_name;
ALTER TABLE participants DROP COLUMN search_first_name;
