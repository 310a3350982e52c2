-- One-time set-password links: an invitation to a new staff member, or a new password for one
-- who forgot theirs. Only the SHA-256 digest of the link's secret is kept; a link expires
-- (72 hours by default, OWASP ASVS 2.3.1) and works once.
CREATE TABLE set_password_links (
    id BIGINT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    -- invitation | reset
    purpose TEXT NOT NULL,
    -- the administrator who issued it (NULL: the command line)
    created_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX set_password_links_user ON set_password_links(user_id);
-- API tokens: a label the owner chooses, and when the token was last used (refreshed at most
-- once a minute).
ALTER TABLE api_tokens ADD COLUMN label TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TIMESTAMP;
