DROP TRIGGER appointments_cs_ins ON appointments;
DROP TRIGGER appointments_cs_upd ON appointments;
DROP TRIGGER appointments_cs_del ON appointments;
ALTER TABLE caseload_lines DROP COLUMN missed_appointments;
