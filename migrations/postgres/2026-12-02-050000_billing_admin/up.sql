-- Billing administration (decisions 0047, 0048): a grant's awarded amount, and the billing
-- provider of an organisation as the X12 837P names it (loops 1000A submitter and 2010AA billing
-- provider: NPI, employer identification number, taxonomy, address, contact). A change of the
-- billing provider is a new row; the newest is the one in use, the earlier ones stay.
ALTER TABLE billing_grants ADD COLUMN amount_cents BIGINT NOT NULL DEFAULT 0;

CREATE TABLE billing_providers (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    -- National Provider Identifier (10 digits, Luhn check digit; 45 CFR 162.406).
    npi TEXT NOT NULL,
    -- Employer identification number (9 digits).
    tax_id TEXT NOT NULL,
    -- Health Care Provider Taxonomy code (e.g. 261QR0405X, substance use rehabilitation clinic).
    taxonomy TEXT NOT NULL,
    address TEXT NOT NULL,
    city TEXT NOT NULL,
    state TEXT NOT NULL,
    zip TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    -- The submitter's identifier at the receiver (loop 1000A NM109, ISA06, GS02).
    submitter_id TEXT NOT NULL,
    set_by BIGINT REFERENCES users(id),
    set_at TIMESTAMP NOT NULL
);
CREATE INDEX billing_providers_org ON billing_providers(org_id, set_at);
