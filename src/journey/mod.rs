//! The participant journey from custody to community: episodes, custody events, the release
//! checklist, the high-risk window, encounters, plans, referrals, follow-ups and the caseload.

pub mod api;
pub mod caseload;
pub mod demo;
pub mod ops;
pub mod pages;
pub mod roster;
pub mod roster_runs;
pub mod roster_web;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod store;
pub mod upcoming;
