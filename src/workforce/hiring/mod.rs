//! Hiring people with lived experience (issue item 3; seeds 002 and 003): a pipeline from
//! applicant to working peer. Job openings carry the job description's lived-experience and
//! other criteria; each applicant's steps (application, screening, interview, conditional
//! offer, background check, facility clearance, hired) are dated events, never overwritten; a
//! background check or clearance step names the exemption process or facility clearance it
//! waited on; hiring links the staff account and starts the certification pathway. The
//! pipeline report shows time in each step and where people drop out, by reason; the
//! certification barriers report shows the drop-outs at the background check and clearance.
//!
//! - `rules` (pure): the steps, the moves allowed, the report;
//! - `schema`, `store`: openings, applicants, events; `csv`: the report as CSV;
//! - `ops`: the use cases (policy `access::hiring_records` / `hiring_report`, store, audit);
//!   `api`: the JSON handlers; `pages`: the pages; `demo`: a small pipeline.

pub mod api;
pub mod csv;
pub mod demo;
pub mod ops;
pub mod pages;
pub mod rules;
pub mod schema;
pub mod store;
