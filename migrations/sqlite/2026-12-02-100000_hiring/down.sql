DROP TABLE hiring_events;
DROP TABLE applicants;
DROP TABLE job_openings;
