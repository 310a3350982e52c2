-- The whole dashboard, written by hand: every aggregate the dashboard endpoint reads for one
-- organisation and the default period (the twelve calendar months to today), without filters.
-- The floor the computed dashboard is compared with (bench/sql/dashboard.<backend>.sql is only
-- its first chart). The same text runs on SQLite and PostgreSQL. bench/lib/bench.py substitutes
-- __ORG_ID__, __FROM__ and __TO__ (dates) and __FROM_TS__ and __AFTER_TS__ (midnight of the
-- first day and of the day after the last), runs each statement in one session and fetches every
-- row; a run's time is the sum of its statements'.
-- Enrolment: episodes active when the period starts, by setting.
SELECT ep.setting, count(*) FROM episodes ep
 WHERE ep.org_id = __ORG_ID__ AND ep.started_on < '__FROM__'
   AND (ep.ended_on IS NULL OR ep.ended_on >= '__FROM__') AND ep.started_on <= '__TO__'
 GROUP BY ep.setting;
-- Enrolment: starts per day and setting.
SELECT ep.started_on, ep.setting, count(*) FROM episodes ep
 WHERE ep.org_id = __ORG_ID__ AND ep.started_on >= '__FROM__' AND ep.started_on <= '__TO__'
 GROUP BY ep.started_on, ep.setting;
-- Enrolment: ends per day and setting.
SELECT ep.ended_on, ep.setting, count(*) FROM episodes ep
 WHERE ep.org_id = __ORG_ID__ AND ep.ended_on >= '__FROM__' AND ep.ended_on <= '__TO__'
 GROUP BY ep.ended_on, ep.setting;
-- Releases, each with its first completed contact (the 24-hour and 14-day shares and the
-- distribution of days to first contact are counted from these).
SELECT ep.released_at,
       (SELECT min(e.occurred_at) FROM encounters e
         WHERE e.participant_id = ep.participant_id AND e.outcome = 'completed'
           AND e.occurred_at >= ep.released_at)
  FROM episodes ep
 WHERE ep.org_id = __ORG_ID__ AND ep.released_at >= '__FROM_TS__' AND ep.released_at < '__AFTER_TS__';
-- Linkage: referrals by type, day referred and day linked.
SELECT r.referral_type, r.referred_on, r.linked_on, count(*) FROM referrals r
 WHERE r.org_id = __ORG_ID__ AND r.referred_on >= '__FROM__' AND r.referred_on <= '__TO__'
 GROUP BY r.referral_type, r.referred_on, r.linked_on;
-- BARC-10: every score in the period ordered by person and date; the reader pairs each person's
-- first and latest (as the endpoint does; pairing in SQL with window functions or subqueries
-- costs the database 2.5 times as much, so this keeps the floor low).
SELECT a.participant_id, a.total FROM barc10_assessments a
 WHERE a.org_id = __ORG_ID__ AND a.taken_on >= '__FROM__' AND a.taken_on <= '__TO__'
 ORDER BY a.participant_id, a.taken_on, a.id;
-- Follow-up completion by point.
SELECT f.point, count(*),
       sum(CASE WHEN f.completed_on IS NOT NULL THEN 1 ELSE 0 END),
       sum(CASE WHEN f.completed_on IS NOT NULL AND f.completed_on <= f.due_on THEN 1 ELSE 0 END)
  FROM followups f
 WHERE f.org_id = __ORG_ID__ AND f.due_on >= '__FROM__' AND f.due_on <= '__TO__'
 GROUP BY f.point;
-- Re-arrest and re-incarceration by 6 and 12 months.
SELECT f.point, count(*),
       sum(CASE WHEN EXISTS (SELECT 1 FROM followups g WHERE g.episode_id = f.episode_id
             AND g.completed_on IS NOT NULL AND g.due_on <= f.due_on AND g.rearrested = TRUE)
           THEN 1 ELSE 0 END),
       sum(CASE WHEN EXISTS (SELECT 1 FROM followups g WHERE g.episode_id = f.episode_id
             AND g.completed_on IS NOT NULL AND g.due_on <= f.due_on AND g.reincarcerated = TRUE)
           THEN 1 ELSE 0 END)
  FROM followups f
 WHERE f.org_id = __ORG_ID__ AND f.point IN ('day180', 'day365') AND f.completed_on IS NOT NULL
   AND f.due_on >= '__FROM__' AND f.due_on <= '__TO__'
 GROUP BY f.point;
-- Overdose events recorded at follow-ups.
SELECT coalesce(f.overdose, 'not_recorded'), count(*) FROM followups f
 WHERE f.org_id = __ORG_ID__ AND f.completed_on IS NOT NULL
   AND f.completed_on >= '__FROM__' AND f.completed_on <= '__TO__'
 GROUP BY coalesce(f.overdose, 'not_recorded');
-- Discharge reasons.
SELECT coalesce(ep.discharge_reason, 'not_recorded'), count(*) FROM episodes ep
 WHERE ep.org_id = __ORG_ID__ AND ep.ended_on >= '__FROM__' AND ep.ended_on <= '__TO__'
 GROUP BY coalesce(ep.discharge_reason, 'not_recorded');
