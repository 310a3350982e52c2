-- Multi-factor authentication (TOTP, RFC 6238) with one-time recovery codes.
CREATE TABLE user_mfa (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id),
    secret TEXT NOT NULL,
    enabled_at TIMESTAMP,
    last_step BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE mfa_recovery_codes (
    id BIGINT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes(user_id);
-- done: signed in; verify: password accepted, second factor pending; enrol: must set it up first.
ALTER TABLE sessions ADD COLUMN mfa_state TEXT NOT NULL DEFAULT 'done';
-- An organisation may require a second factor of everyone, not only admins and auditors.
ALTER TABLE organisations ADD COLUMN mfa_required BOOLEAN NOT NULL DEFAULT FALSE;
