-- Report version bumps no longer lock the audit chain's head (decision 0041). They locked it
-- so that a transaction holding a version row already held the head, keeping the two locks in
-- one order; but then every write of a reported table held the head from its first statement
-- to its commit, and every audited read, whose entries need the head, waited for it. Audit
-- entries are now appended at commit, after the work (and its bumps). Writers still take their
-- row locks one transaction at a time, on a transaction advisory lock instead: every write
-- transaction of the application takes it at BEGIN (db::write_tx), and the bumps take it for
-- writes made outside the application.

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
