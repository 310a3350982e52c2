-- Back to the supervision log's earlier spelling of two SAMHSA competency codes.
UPDATE supervision_sessions
SET topics = REPLACE(topics, 'personalizing', 'personalising')
WHERE topics LIKE '%personalizing%';
UPDATE supervision_sessions
SET topics = REPLACE(topics, 'health_wellness_information', 'health_and_wellness')
WHERE topics LIKE '%health_wellness_information%';
