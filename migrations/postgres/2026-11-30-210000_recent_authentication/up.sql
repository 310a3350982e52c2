-- When the session last proved its password (sign-in or a confirmation): participant-level
-- exports need it within the last five minutes (OWASP ASVS 3.7.1). NULL: at sign-in.
ALTER TABLE sessions ADD COLUMN authenticated_at TIMESTAMP;
