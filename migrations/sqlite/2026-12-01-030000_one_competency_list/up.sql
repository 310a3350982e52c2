-- One list of SAMHSA's 12 core competency areas (decision 0034). Encounter topics already use
-- SAMHSA's own words; the supervision log's two differing codes take them too:
-- personalising -> personalizing, health_and_wellness -> health_wellness_information.
-- Topics are comma-separated codes and neither old code is part of any other code, so REPLACE
-- changes exactly those codes and nothing else.
UPDATE supervision_sessions
SET topics = REPLACE(topics, 'personalising', 'personalizing')
WHERE topics LIKE '%personalising%';
UPDATE supervision_sessions
SET topics = REPLACE(topics, 'health_and_wellness', 'health_wellness_information')
WHERE topics LIKE '%health_and_wellness%';
