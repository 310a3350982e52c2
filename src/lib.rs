//! Throughcare: peer recovery support services for people in the justice system.
//!
//! See `ARCHITECTURE.md` for the map. In short: `platform` is the layer everything stands on
//! (database, sign-in, THE access policy, the audit chain, web plumbing); each other module is
//! one capability with its rules, storage and handlers side by side.

pub mod assessments;
pub mod billing;
pub mod cli;
pub mod consent;
pub mod demo;
pub mod field;
pub mod home;
pub mod journey;
pub mod messages;
pub mod organisations;
pub mod participants;
pub mod platform;
pub mod reentry;
pub mod reports;
pub mod workforce;
