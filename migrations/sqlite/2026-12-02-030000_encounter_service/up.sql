-- The service an encounter delivered (EncounterService): peer support, case management, MOUD or
-- medication supply at release; every encounter recorded before was peer support.
ALTER TABLE encounters ADD COLUMN service TEXT NOT NULL DEFAULT 'peer_support';
