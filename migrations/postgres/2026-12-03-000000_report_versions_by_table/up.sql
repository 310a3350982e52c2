-- Report data versions by table (decision 0056). Until now each organisation had one version,
-- bumped by a write to any table a report reads, so recording one encounter made every report
-- and every part of the dashboard be computed again. Now each (organisation, table) has its own
-- version: a report, or a part of one, reads the sum of the versions of the tables it reads and
-- is computed again only when one of those moved. Sums of counters that only grow only grow, so
-- a report filed under a sum is never newer than the data it was computed from (decision 0010).
-- Facilities are shared by every programme's facility access report, so a change to one bumps
-- the facilities version of every organisation.

CREATE TABLE report_table_versions (
    org_id BIGINT NOT NULL,
    source TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (org_id, source)
);

-- The triggers stay as they are (one per statement, over its transition table); the functions
-- they call now name the table (TG_TABLE_NAME). Writers still take the transaction advisory
-- lock first (decision 0041), so row locks on versions are taken one transaction at a time.
CREATE OR REPLACE FUNCTION report_versions_bump_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(724300118);
    INSERT INTO report_table_versions (org_id, source, version)
        SELECT DISTINCT org_id, TG_TABLE_NAME::text, 1 FROM new_rows ORDER BY org_id
    ON CONFLICT (org_id, source) DO UPDATE SET version = report_table_versions.version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_versions_bump_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(724300118);
    INSERT INTO report_table_versions (org_id, source, version)
        SELECT DISTINCT org_id, TG_TABLE_NAME::text, 1 FROM old_rows ORDER BY org_id
    ON CONFLICT (org_id, source) DO UPDATE SET version = report_table_versions.version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_versions_bump_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(724300118);
    INSERT INTO report_table_versions (org_id, source, version)
        SELECT id, TG_TABLE_NAME::text, 1 FROM organisations ORDER BY id
    ON CONFLICT (org_id, source) DO UPDATE SET version = report_table_versions.version + 1;
    RETURN NULL;
END $$;

DROP TABLE report_versions;
