ALTER TABLE participant_identifiers DROP COLUMN typed_value;
DROP INDEX amendments_record;
DROP INDEX amendments_participant;
DROP TABLE amendments;
