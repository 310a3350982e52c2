-- Reporting: GPRA interviews, and indexes for the dashboard's aggregate queries.
CREATE TABLE gpra_interviews (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    timepoint TEXT NOT NULL,
    interview_on DATE NOT NULL,
    answers TEXT NOT NULL,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX gpra_interviews_participant ON gpra_interviews(participant_id, timepoint, interview_on);
CREATE INDEX gpra_interviews_org ON gpra_interviews(org_id, timepoint, interview_on);

CREATE INDEX episodes_org_started ON episodes(org_id, started_on);
CREATE INDEX episodes_org_ended ON episodes(org_id, ended_on, discharge_reason);
CREATE INDEX encounters_contact ON encounters(participant_id, outcome, occurred_at);
CREATE INDEX followups_org_due ON followups(org_id, due_on, point);
CREATE INDEX followups_episode ON followups(episode_id, due_on);
CREATE INDEX barc10_org ON barc10_assessments(org_id, participant_id, taken_on);
