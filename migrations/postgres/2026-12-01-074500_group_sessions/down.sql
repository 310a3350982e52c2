ALTER TABLE encounters DROP COLUMN life_domains;
DROP INDEX encounters_group;
DROP TABLE group_sessions;
