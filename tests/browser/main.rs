//! The browser-test binary: the real pages in headless Chromium (Debian's chromium and
//! chromium-driver) over WebDriver, on SQLite by default and on PostgreSQL when
//! `TEST_DATABASE_URL` names a server. Built only with `--features browser-tests`, so a plain
//! `cargo test` needs no browser: `cargo test --features browser-tests --test browser`.

// Test code unwraps: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod accounts;
mod billing;
mod browser;
mod destructive;
mod groups;
mod keyboard;
mod messages;
// Shared with tests/it; this binary uses part of it.
#[path = "../support/mod.rs"]
#[allow(dead_code)]
mod helpers;
mod mfa;
mod pages;
mod reentry;
mod reports;
mod workforce;
