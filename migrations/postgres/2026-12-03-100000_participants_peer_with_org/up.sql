-- A peer's caseload counted from the index alone: the supervisor's team table counts each of its
-- peers' participants in their organisation (at 100,000 participants, 76 peers' 40,000 rows were
-- each read from the table to check the organisation). Replaces the index on the peer alone, so
-- a person created writes no more index entries than before.
DROP INDEX participants_peer;
CREATE INDEX participants_peer ON participants(assigned_peer_id, org_id);
