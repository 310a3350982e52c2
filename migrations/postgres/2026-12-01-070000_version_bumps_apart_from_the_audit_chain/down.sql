-- Back to version bumps that lock the audit chain's head.
CREATE OR REPLACE FUNCTION report_versions_bump_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;
    INSERT INTO report_versions (org_id, version)
        SELECT DISTINCT org_id, 1 FROM new_rows ORDER BY org_id
    ON CONFLICT (org_id) DO UPDATE SET version = report_versions.version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_versions_bump_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;
    INSERT INTO report_versions (org_id, version)
        SELECT DISTINCT org_id, 1 FROM old_rows ORDER BY org_id
    ON CONFLICT (org_id) DO UPDATE SET version = report_versions.version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_versions_bump_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;
    UPDATE report_versions SET version = version + 1;
    RETURN NULL;
END $$;
