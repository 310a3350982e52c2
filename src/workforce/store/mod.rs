//! Workforce queries. Reads and writes of one peer's records require a `StaffGrant` (only
//! `access::staff` makes them, and it writes the audit entry); organisation-level records
//! (credential standards, readiness, job descriptions) take the organisation the policy returned.
//! Inputs are parsed here into domain values, each error naming its field.
//!
//! A file a job: `parse` (input helpers), `standards`, `records` (input forms and stored rows of a
//! peer's records), the writes of `pathway`, `barriers` and `clearances`, the `peer_record` view,
//! `supervision` (sessions and their sign-off, competency reviews, ethics consultations),
//! `summaries`, `reports` and their `csv`, and organisation `readiness` and job descriptions.

mod barriers;
mod clearances;
mod csv;
mod parse;
mod pathway;
mod peer_record;
mod readiness;
mod records;
mod reports;
mod standards;
mod summaries;
mod supervision;

pub use barriers::*;
pub use clearances::*;
pub use csv::*;
pub use parse::form_number;
pub use pathway::*;
pub use peer_record::*;
pub use readiness::*;
pub use records::*;
pub use reports::*;
pub use standards::*;
pub use summaries::*;
pub use supervision::*;
