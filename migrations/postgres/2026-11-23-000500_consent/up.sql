-- Consent to disclose (42 CFR Part 2), disclosures, emergency access, alerts.
CREATE TABLE consents (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    kind TEXT NOT NULL,
    categories TEXT NOT NULL,
    purpose TEXT NOT NULL,
    purpose_text TEXT,
    expiry_on DATE,
    expiry_event TEXT,
    expiry_event_at TIMESTAMP,
    irrevocable_until TIMESTAMP,
    cj_condition TEXT,
    cj_final_disposition_on DATE,
    signature_kind TEXT NOT NULL,
    signer_name TEXT,
    signed_at TIMESTAMP NOT NULL,
    attested_by BIGINT,
    scan_ref TEXT,
    signer_is_representative BOOLEAN NOT NULL,
    representative_authority TEXT,
    revoked_at TIMESTAMP,
    revoked_by BIGINT,
    revocation_method TEXT,
    revocation_note TEXT,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consents_participant ON consents(participant_id);

CREATE TABLE consent_recipients (
    id BIGINT PRIMARY KEY NOT NULL,
    consent_id BIGINT NOT NULL REFERENCES consents(id),
    participant_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    recipient_org_id BIGINT,
    recipient_user_id BIGINT,
    recipient_class TEXT
);
CREATE INDEX consent_recipients_consent ON consent_recipients(consent_id);
CREATE INDEX consent_recipients_org ON consent_recipients(recipient_org_id);
CREATE INDEX consent_recipients_class ON consent_recipients(recipient_class);

CREATE TABLE emergency_accesses (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    user_id BIGINT NOT NULL,
    user_org_id BIGINT NOT NULL,
    reason TEXT NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX emergency_accesses_participant ON emergency_accesses(participant_id, user_id);

CREATE TABLE disclosures (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    consent_id BIGINT,
    emergency_id BIGINT,
    recipient_user_id BIGINT NOT NULL,
    recipient_org_id BIGINT NOT NULL,
    recipient_label TEXT NOT NULL,
    categories TEXT NOT NULL,
    action TEXT NOT NULL,
    purpose TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX disclosures_participant ON disclosures(participant_id, at);

CREATE TABLE alerts (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    participant_id BIGINT,
    detail TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX alerts_org ON alerts(org_id, created_at);
