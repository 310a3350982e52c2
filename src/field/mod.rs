//! Field safety (issue 18 item 1; seed 003 asks programmes to plan for peers' personal safety in
//! community work): a peer checks in before a community visit and out after it, and may call
//! for help at once; an overdue check-out alerts the supervisor, and after the programme's
//! escalation time (30 minutes unless an admin sets another, 5 to 240) its admins.
//!
//! - `rules` (pure): where a visit stands at an instant;
//! - `schema`, `store`: the visits;
//! - `alerts`: the job that e-mails overdue check-outs and calls for help (decision 0050);
//! - `ops`: the use cases (policy `access::field_safety`, store, audit); `api`: the JSON
//!   handlers; `pages`: the home page's forms.

pub mod alerts;
pub mod api;
pub mod ops;
pub mod pages;
pub mod rules;
pub mod schema;
pub mod store;
