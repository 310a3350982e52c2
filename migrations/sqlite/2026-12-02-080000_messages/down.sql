DROP TABLE job_runs;
DROP TABLE messages;
DROP TABLE message_optins;
