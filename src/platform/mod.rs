//! The platform layer every capability stands on: configuration, the database, identifiers,
//! sign-in, THE access policy, the audit chain and the web plumbing.
//!
//! Capabilities (`participants`, `organisations`, ...) may depend on `platform`; `platform`
//! never depends on a capability, with one exception: `web::router` assembles their routes.

pub mod access;
pub mod audit;
pub mod audit_action;
pub mod audit_key;
pub mod auth;
pub mod backup;
pub mod config;
pub mod csv_safe;
pub mod db;
pub mod error;
pub mod fields;
pub mod i18n;
pub mod ids;
pub mod jobs;
pub mod kept;
pub mod mfa;
pub mod ops;
pub mod org_settings;
pub mod recorder;
pub mod report_cache;
pub mod schema;
pub mod time;
pub mod tls;
pub mod vocabulary;
pub mod web;
