DROP TABLE billing_funding;
DROP TABLE billing_grants;
DROP TABLE billing_coverages;
DROP TABLE billing_payers;
