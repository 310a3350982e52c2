DROP TABLE alerts;
DROP TABLE disclosures;
DROP TABLE emergency_accesses;
DROP TABLE consent_recipients;
DROP TABLE consents;
