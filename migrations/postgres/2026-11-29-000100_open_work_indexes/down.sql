CREATE INDEX followups_episode ON followups(episode_id, due_on);
DROP INDEX followups_episode_outcomes;
CREATE INDEX encounters_outcome_participant ON encounters(participant_id, outcome, occurred_at);
CREATE INDEX followups_participant ON followups(participant_id);
CREATE INDEX goal_steps_participant ON goal_steps(participant_id);
CREATE INDEX checklist_items_participant ON checklist_items(participant_id);
DROP INDEX followups_participant_open;
DROP INDEX goal_steps_participant_open;
DROP INDEX checklist_items_participant_open;
