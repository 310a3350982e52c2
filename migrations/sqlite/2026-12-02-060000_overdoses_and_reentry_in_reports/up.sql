-- Overdoses as dated events (issue 17 item 7): funders ask for overdoses (fatal, non-fatal)
-- within 14 days and 12 months of release, which the follow-up interviews (one answer per 30,
-- 90, 180, 365 days) cannot date. Each overdose the programme learns of is a row, never
-- replaced; `source` says how it became known (the person, family, a hospital, the medical
-- examiner, another). Reentry's tables and this one feed the dashboard's funder outcomes, so
-- their writes bump the organisation's report version like the journey's do (decision 0010).
CREATE TABLE overdoses (
    id BIGINT PRIMARY KEY NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    occurred_on DATE NOT NULL,
    fatal BOOLEAN NOT NULL,
    source TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX overdoses_participant ON overdoses(participant_id, occurred_on);
CREATE INDEX overdoses_org ON overdoses(org_id, occurred_on);

CREATE TRIGGER overdoses_rv_ins AFTER INSERT ON overdoses BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER overdoses_rv_upd AFTER UPDATE ON overdoses BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER overdoses_rv_del AFTER DELETE ON overdoses BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reentry_screenings_rv_ins AFTER INSERT ON reentry_screenings BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reentry_screenings_rv_upd AFTER UPDATE ON reentry_screenings BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reentry_screenings_rv_del AFTER DELETE ON reentry_screenings BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reentry_handoffs_rv_ins AFTER INSERT ON reentry_handoffs BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reentry_handoffs_rv_upd AFTER UPDATE ON reentry_handoffs BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reentry_handoffs_rv_del AFTER DELETE ON reentry_handoffs BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reentry_moud_rv_ins AFTER INSERT ON reentry_moud BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reentry_moud_rv_upd AFTER UPDATE ON reentry_moud BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reentry_moud_rv_del AFTER DELETE ON reentry_moud BEGIN
    INSERT INTO report_versions (org_id, version) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;
