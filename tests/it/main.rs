//! The one integration-test binary. Every test starts the real server on port 0 against a fresh
//! database: SQLite by default, PostgreSQL when `TEST_DATABASE_URL` names a server (the test
//! script starts a throwaway cluster and runs this suite on both).

mod accounts;
mod amendments;
mod audit_chain;
mod backup;
mod browser;
mod consent;
mod csv_injection;
mod differential;
mod errors;
mod foundation;
mod helpers;
mod journey;
mod mfa;
mod records;
mod reports;
mod roster;
mod security;
mod signin_audit;
mod sql_placeholders;
mod tenancy;
mod workforce;
