DROP INDEX caseload_lines_peer;
CREATE INDEX caseload_lines_peer ON caseload_lines (org_id, peer_id);
