-- 42 CFR 2.51: emergency access is disclosure to medical personnel. The participant's programme
-- may end an access early (the original expiry is kept), and may narrow which medical
-- organisations of the deployment can reach its participants.
ALTER TABLE emergency_accesses ADD COLUMN ended_at TIMESTAMP;
ALTER TABLE emergency_accesses ADD COLUMN ended_by BIGINT;
ALTER TABLE emergency_accesses ADD COLUMN end_reason TEXT;

CREATE TABLE emergency_policies (
    org_id BIGINT PRIMARY KEY NOT NULL,
    listed_only BOOLEAN NOT NULL,
    changed_by BIGINT,
    changed_at TIMESTAMP NOT NULL
);

CREATE TABLE emergency_reach (
    org_id BIGINT NOT NULL,
    medical_org_id BIGINT NOT NULL,
    added_by BIGINT,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, medical_org_id)
);
