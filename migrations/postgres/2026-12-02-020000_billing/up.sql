-- Billing (decision 0047): payers with their rules as data, participants' coverage (Medicaid
-- plans), grants, and the funding source of each encounter. Every table carries org_id. A
-- changed funding source is a new row; the prior stays (replaced_by names the row after it).
CREATE TABLE billing_payers (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    -- medicaid, other
    kind TEXT NOT NULL,
    -- The payer's identifier on an 837 (loop 2010BB NM109).
    payer_code TEXT NOT NULL,
    -- PayerRules as JSON (procedure code, minutes a unit, rounding, modifiers, cap, ratio, POS).
    rules TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE billing_coverages (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    payer_id BIGINT NOT NULL REFERENCES billing_payers(id),
    plan_name TEXT NOT NULL,
    member_id TEXT NOT NULL,
    effective_from DATE NOT NULL,
    effective_to DATE,
    created_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX billing_coverages_org_participant ON billing_coverages(org_id, participant_id);

CREATE TABLE billing_grants (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    funder TEXT NOT NULL,
    award_number TEXT NOT NULL,
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX billing_grants_org ON billing_grants(org_id);

CREATE TABLE billing_funding (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    encounter_id BIGINT NOT NULL REFERENCES encounters(id),
    -- grant, medicaid, other
    kind TEXT NOT NULL,
    grant_id BIGINT REFERENCES billing_grants(id),
    coverage_id BIGINT REFERENCES billing_coverages(id),
    note TEXT NOT NULL,
    set_by BIGINT REFERENCES users(id),
    set_at TIMESTAMP NOT NULL,
    replaced_by BIGINT REFERENCES billing_funding(id)
);
CREATE INDEX billing_funding_org_encounter ON billing_funding(org_id, encounter_id);
