DROP TABLE billing_providers;
ALTER TABLE billing_grants DROP COLUMN amount_cents;
