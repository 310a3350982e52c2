//! Consent to disclose (42 CFR Part 2): consents, revocations, disclosures, the accounting, and
//! emergency access. The decision rules are pure (`rules`); `platform::access` applies them.

pub mod api;
pub mod demo;
pub mod emergency;
pub mod ops;
pub mod pages;
pub mod rules;
pub mod schema;
pub mod store;
