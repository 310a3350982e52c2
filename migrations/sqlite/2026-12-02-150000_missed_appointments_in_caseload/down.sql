DROP TRIGGER IF EXISTS appointments_cs_ins;
DROP TRIGGER IF EXISTS appointments_cs_upd;
DROP TRIGGER IF EXISTS appointments_cs_del;
ALTER TABLE caseload_lines DROP COLUMN missed_appointments;
