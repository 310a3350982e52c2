-- The audit chain is keyed (decision 0014): entries from `keyed_from` on are HMAC-SHA256 with a
-- key held outside the database. `key_check` is a keyed fingerprint of that key (never the key),
-- so an instance with another key refuses to start. Both are NULL until the first start with a key.
ALTER TABLE audit_head ADD COLUMN key_check TEXT;
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT;
