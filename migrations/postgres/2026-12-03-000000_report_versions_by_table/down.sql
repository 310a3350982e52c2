-- Back to one report data version per organisation.
CREATE TABLE report_versions (
    org_id BIGINT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO report_versions (org_id, version) SELECT id, 1 FROM organisations;

CREATE OR REPLACE FUNCTION report_versions_bump_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(724300118);
    INSERT INTO report_versions (org_id, version)
        SELECT DISTINCT org_id, 1 FROM new_rows ORDER BY org_id
    ON CONFLICT (org_id) DO UPDATE SET version = report_versions.version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_versions_bump_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(724300118);
    INSERT INTO report_versions (org_id, version)
        SELECT DISTINCT org_id, 1 FROM old_rows ORDER BY org_id
    ON CONFLICT (org_id) DO UPDATE SET version = report_versions.version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_versions_bump_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(724300118);
    UPDATE report_versions SET version = version + 1;
    RETURN NULL;
END $$;

DROP TABLE report_table_versions;
