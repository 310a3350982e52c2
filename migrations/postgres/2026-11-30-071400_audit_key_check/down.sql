ALTER TABLE audit_head DROP COLUMN keyed_from;
ALTER TABLE audit_head DROP COLUMN key_check;
