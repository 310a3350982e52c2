ALTER TABLE organisations DROP COLUMN mfa_required;
ALTER TABLE sessions DROP COLUMN mfa_state;
DROP TABLE mfa_recovery_codes;
DROP TABLE user_mfa;
