DROP TRIGGER messages_cs_ins;
DROP TRIGGER messages_cs_upd;
DROP TRIGGER messages_cs_del;
