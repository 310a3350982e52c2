//! The rules of a participant's journey: custody, release, the high-risk window, the community
//! phase, follow-ups and discharge.
//!
//! This module owns:
//! - the journey vocabularies (settings, custody events, encounters, goals, referrals, discharge,
//!   and, from the workforce, SAMHSA's core competency areas), each with a stable snake_case code
//!   and an English label;
//! - the release readiness checklist and how it is re-planned when the expected release date moves;
//! - the high-risk window (day 0 to day 14 after release) and its contact targets;
//! - flags raised at release (no plan, early release, incomplete checklist);
//! - the follow-up schedule (30, 90, 180, 365 days) and its tolerance window;
//! - caseload urgency, so that people in the high-risk window are shown first;
//! - the disengagement early warning (no completed contact, failed attempts in a row).
//!
//! It is pure: no I/O, no database, no clock. Every function that depends on the time takes `now`
//! (UTC `NaiveDateTime`) or `today` (`NaiveDate`) as an argument.
//!
//! Its files, one topic each: `vocabularies`, `checklist` (planning and re-planning), `window`
//! (the 14-day window and its targets), `release_flags`, `followups` (schedule and state) and
//! `urgency`; `dates` holds the saturating date arithmetic they share.

mod checklist;
mod dates;
mod disengagement;
mod followups;
mod release_flags;
mod urgency;
mod vocabularies;
mod window;

#[cfg(test)]
mod fixtures;

pub use checklist::*;
pub use disengagement::*;
pub use followups::*;
pub use release_flags::*;
pub use urgency::*;
pub use vocabularies::*;
pub use window::*;
