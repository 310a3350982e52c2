-- A checklist that fits the stay (issue 16 item 4): when each item's due date was planned,
-- whether it had its minimum lead time then (only such an item can be overdue), and items
-- marked not applicable with a reason, who and when (an item so marked is never open work).
-- Rows planned before this migration have no planned_on and count as achievable.
ALTER TABLE checklist_items ADD COLUMN planned_on DATE;
ALTER TABLE checklist_items ADD COLUMN achievable BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE checklist_items ADD COLUMN not_applicable_reason TEXT;
ALTER TABLE checklist_items ADD COLUMN not_applicable_by BIGINT;
ALTER TABLE checklist_items ADD COLUMN not_applicable_at TIMESTAMP;
