//! Reentry: Medicaid pre-release services for people in custody (Section 1115 reentry
//! demonstrations, CMS SMD #23-003; CAA 2023 §5121 for youth). Decision 0046.
//!
//! - `rules` (pure): each programme's rules as data (the pre-release window, who is eligible,
//!   the covered services and who may deliver each), the five shipped templates, the
//!   eligibility decision, when screening is due, when the window opens, when a warm handoff
//!   is due;
//! - `schema`, `store`: the organisation's programme (a row a choice), the screenings, the
//!   warm handoffs and the MOUD records;
//! - `ops`: the use cases (policy, store, audit); `api`: the JSON handlers; `pages`: the
//!   participant's reentry page, the printed care plan and the admin's settings;
//! - `caseload`: the flags each caseload line and the home page show (screen due, window opens,
//!   handoff due or overdue), from `rules::standing`;
//! - `demo`: synthetic reentry records for the demo.

pub mod api;
pub mod caseload;
pub mod demo;
pub mod ops;
pub mod pages;
pub mod rules;
pub mod schema;
pub mod store;
