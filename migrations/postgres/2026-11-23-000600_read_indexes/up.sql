-- Indexes for per-participant reads found by the benchmark.
CREATE INDEX goal_steps_participant ON goal_steps(participant_id);
CREATE INDEX referral_events_participant ON referral_events(participant_id);
CREATE INDEX consent_recipients_participant ON consent_recipients(participant_id);
CREATE INDEX encounters_outcome_participant ON encounters(participant_id, outcome, occurred_at);
