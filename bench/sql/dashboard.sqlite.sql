-- The dashboard's headline aggregate, written by hand: for one organisation, releases per week
-- over the last 26 weeks and how many had a completed contact within 24 hours of release.
-- The floor the dashboard endpoint is compared with (bench/lib/bench.py substitutes __ORG_ID__).
SELECT strftime('%Y-%W', e.released_at) AS week,
       count(*) AS releases,
       sum(CASE WHEN EXISTS (
             SELECT 1 FROM encounters c
              WHERE c.participant_id = e.participant_id
                AND c.outcome = 'completed'
                AND c.occurred_at >= e.released_at
                AND c.occurred_at < datetime(e.released_at, '+1 day'))
           THEN 1 ELSE 0 END) AS first_contact_24h
  FROM episodes e
 WHERE e.org_id = __ORG_ID__
   AND e.released_at IS NOT NULL
   AND e.released_at >= datetime('now', '-182 days')
 GROUP BY week
 ORDER BY week;
