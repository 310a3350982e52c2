DROP TRIGGER messages_cs_ins ON messages;
DROP TRIGGER messages_cs_upd ON messages;
DROP TRIGGER messages_cs_del ON messages;
DROP FUNCTION caseload_stale_message();
