-- PostgreSQL only (report version bumps there no longer lock the audit chain's head);
-- SQLite's one writer needs no lock order. Kept so both folders list the same migrations.
SELECT 1;
