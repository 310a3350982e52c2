DROP TABLE roster_import_rows;
DROP TABLE roster_import_runs;
