ALTER TABLE encounters DROP COLUMN service;
