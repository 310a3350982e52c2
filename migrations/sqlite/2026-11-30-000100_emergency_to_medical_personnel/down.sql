DROP TABLE emergency_reach;
DROP TABLE emergency_policies;
ALTER TABLE emergency_accesses DROP COLUMN end_reason;
ALTER TABLE emergency_accesses DROP COLUMN ended_by;
ALTER TABLE emergency_accesses DROP COLUMN ended_at;
