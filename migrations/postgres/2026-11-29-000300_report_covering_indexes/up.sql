-- The dashboard's aggregates read these indexes for the organisation and period, then fetched
-- every matching row from the table for the one or two columns more they group or count by. With
-- those columns in the index each aggregate reads only the index (at 100,000 participants on
-- SQLite: follow-up completion 202 -> 24 ms, re-arrest 108 -> 42, overdoses 65 -> 11, enrolments
-- 42 -> 6 and 41 -> 10, linkage 95 -> 11, BARC-10 pairs 60 -> 15). That is the cost the first
-- view after a write pays (reports are otherwise kept per data version, decision 0010).
DROP INDEX followups_org_due;
CREATE INDEX followups_org_due ON followups(org_id, due_on, point, completed_on, episode_id, participant_id);
DROP INDEX followups_due;
CREATE INDEX followups_due ON followups(org_id, completed_on, due_on, overdose, episode_id, participant_id);
DROP INDEX referrals_org;
CREATE INDEX referrals_org ON referrals(org_id, referred_on, referral_type, linked_on, participant_id);
DROP INDEX episodes_org_started;
CREATE INDEX episodes_org_started ON episodes(org_id, started_on, ended_on, setting, facility_id, participant_id);
DROP INDEX barc10_org;
CREATE INDEX barc10_org ON barc10_assessments(org_id, participant_id, taken_on, id, total);
-- The GPRA tracker leaves out people merged into another record: this finds them without reading
-- every participant of the organisation (108 ms at 100,000 participants, for none).
CREATE INDEX participants_merged ON participants(org_id) WHERE merged_into_id IS NOT NULL;
