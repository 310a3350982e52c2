ALTER TABLE checklist_items DROP COLUMN not_applicable_at;
ALTER TABLE checklist_items DROP COLUMN not_applicable_by;
ALTER TABLE checklist_items DROP COLUMN not_applicable_reason;
ALTER TABLE checklist_items DROP COLUMN achievable;
ALTER TABLE checklist_items DROP COLUMN planned_on;
