-- A team's caseload read from the index alone. The lines of one organisation's peers were found
-- by (org_id, peer_id), then each was read from the table in the order it was written, one page
-- per line: a supervisor of 76 peers (40,000 lines at 100,000 participants) paid about 45 ms for
-- each of the home page's reads, most of it those page reads. With every column of the line in
-- the index, the lines of a peer lie together and a read touches only the index (2-12 ms).
-- Every read of the lines names the peers (`peer_id IN (...)`), so the index holds only the
-- assigned lines: the people a roster import creates, unassigned, write no entry to it
-- (decision 0061).
DROP INDEX caseload_lines_peer;
CREATE INDEX caseload_lines_peer ON caseload_lines (
    org_id, peer_id, released_at, window_ends_at, at_risk_from, first_contact_due, contacts_due,
    quiet_since, failed_attempts, unanswered_messages, missed_appointments, expected_release_on,
    tasks_due_from, followups_due_from, setting, name, participant_id, facility_id,
    contacts_done, unplanned_release
) WHERE peer_id IS NOT NULL;
