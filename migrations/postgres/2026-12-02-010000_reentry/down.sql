DROP TABLE reentry_screenings;
DROP TABLE reentry_programmes;
