-- The GPRA tracker reads, for one organisation, each person's episodes (first start, open or
-- last end) and every interview's person, timepoint and date. The existing indexes are ordered
-- by date, not by person, and leave out the person, so both reads went to the table for every
-- row (at 100,000 participants on SQLite: interviews 125 -> 12 ms, episodes grouped by person
-- 66 -> 25 ms). These two hold every column the tracker reads, in the order it groups by.
CREATE INDEX gpra_interviews_org_person ON gpra_interviews(org_id, participant_id, timepoint, interview_on);
CREATE INDEX episodes_org_person ON episodes(org_id, participant_id, started_on, ended_on);
