-- A team's caseload read from the index alone where the table's pages allow it (an index-only
-- scan). The lines of one organisation's peers were found by (org_id, peer_id), then each was
-- read from the table. With the rest of the line carried in the index (INCLUDE: in its leaves,
-- not its keys), a supervisor's lists read the lines of a peer together (at 100,000
-- participants, a team of 40,000 lines: 68 ms for the four reads of the home page, 43 ms after).
-- Every read of the lines names the peers (`peer_id IN (...)`), so the index holds only the
-- assigned lines: the people a roster import creates, unassigned, write no entry to it
-- (decision 0061; SQLite's twin keeps the same columns as keys).
DROP INDEX caseload_lines_peer;
CREATE INDEX caseload_lines_peer ON caseload_lines (org_id, peer_id) INCLUDE (
    released_at, window_ends_at, at_risk_from, first_contact_due, contacts_due, quiet_since,
    failed_attempts, unanswered_messages, missed_appointments, expected_release_on,
    tasks_due_from, followups_due_from, setting, name, participant_id, facility_id,
    contacts_done, unplanned_release
) WHERE peer_id IS NOT NULL;
