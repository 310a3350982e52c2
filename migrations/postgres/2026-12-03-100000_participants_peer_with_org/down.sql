DROP INDEX participants_peer;
CREATE INDEX participants_peer ON participants(assigned_peer_id);
