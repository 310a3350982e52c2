-- Each roster import: who ran it, from which facility, how it ended and what it did (the
-- summary), and the rows a person must check (bad rows naming the column, likely matches with
-- their candidates, people who matched nobody and were not created), kept so the answer to an
-- upload is a summary and pages of rows, never one page of the whole file. Both carry org_id
-- (the tenant key). `position` numbers a run's rows to check 0, 1, 2, ... in file order, so
-- pages are ranges of it.
CREATE TABLE roster_import_runs (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    facility_id BIGINT NOT NULL REFERENCES facilities(id),
    -- NULL: the command line.
    started_by BIGINT REFERENCES users(id),
    -- page | api | command_line
    source TEXT NOT NULL,
    create_unmatched BOOLEAN NOT NULL,
    -- running | finished | too_large (cut off at the upload limit) | failed
    status TEXT NOT NULL,
    rows_read BIGINT NOT NULL,
    matched BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    created BIGINT NOT NULL,
    numbers_added BIGINT NOT NULL,
    likely_matches BIGINT NOT NULL,
    unmatched BIGINT NOT NULL,
    bad_rows BIGINT NOT NULL,
    -- Entries in roster_import_rows (a bad row has one per bad column).
    rows_to_check BIGINT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX roster_import_runs_org ON roster_import_runs(org_id, started_at);

CREATE TABLE roster_import_rows (
    run_id BIGINT NOT NULL REFERENCES roster_import_runs(id),
    position BIGINT NOT NULL,
    org_id BIGINT NOT NULL,
    -- The line in the file (the header is line 1).
    line BIGINT NOT NULL,
    -- bad_row | likely_match | unmatched
    kind TEXT NOT NULL,
    -- bad_row: the column and what is wrong with it.
    column_name TEXT,
    reason TEXT,
    booking_number TEXT,
    name TEXT,
    date_of_birth DATE,
    -- likely_match: the people the row looks like, as a JSON array.
    candidates TEXT,
    PRIMARY KEY (run_id, position)
);
