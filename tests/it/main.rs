//! The integration-test binary. Every test starts the real server on port 0 against a fresh
//! database: SQLite by default, PostgreSQL when `TEST_DATABASE_URL` names a server (the test
//! script starts a throwaway cluster and runs this suite on both). Tests that drive Chromium
//! live in `tests/browser` (run with `--features browser-tests`).

// Test code unwraps: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod accounts;
mod amendments;
mod audit_chain;
mod backup;
mod billing;
mod caseload;
mod consent;
mod csv_injection;
mod differential;
mod disengagement;
mod errors;
mod facility_report;
mod field;
mod foundation;
mod funder_outcomes;
mod groups;
mod hiring;
// Shared with tests/browser; each binary uses part of it.
#[path = "../support/mod.rs"]
#[allow(dead_code)]
mod helpers;
mod journey;
mod languages;
mod languages_staff;
mod local_time;
mod messages;
mod mfa;
mod record_page;
mod recorder;
mod records;
mod reentry;
mod reentry_caseload;
mod reports;
mod roster;
mod search;
mod security;
mod signin_audit;
mod sql_placeholders;
mod supervision;
mod tenancy;
mod uploads;
mod workforce;
