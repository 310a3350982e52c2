DROP TABLE reentry_moud;
