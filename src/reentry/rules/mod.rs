//! The rules of reentry Medicaid: programme rules as data, eligibility, and the clock of
//! screening, the pre-release window and the warm handoff.
//!
//! Pure: no I/O, no database, no clock. Every function that depends on the time takes `now`
//! (UTC `NaiveDateTime`) or `today` (the organisation's local `NaiveDate`) as an argument.
//!
//! Files, one topic each: `vocabularies` (the coded values), `programme` (the rules as data and
//! the shipped templates, with their sources), `eligibility` (a screening's answers → the
//! decision), `timing` (screening due, the window, the warm handoff), `standing` (where one
//! person stands at an instant, for the caseload and the status).

mod eligibility;
mod programme;
mod standing;
mod timing;
mod vocabularies;

pub use eligibility::*;
pub use programme::*;
pub use standing::*;
pub use timing::*;
pub use vocabularies::*;
