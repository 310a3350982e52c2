-- Each organisation's time zone, an IANA name of the tz database (e.g. America/Chicago), in which
-- its people type and read times and its days begin (decision 0040). NULL: not set yet, and the
-- organisation's clock is UTC until an administrator sets it (every organisation made before
-- this change); the organisation page says so.
ALTER TABLE organisations ADD COLUMN time_zone TEXT;
