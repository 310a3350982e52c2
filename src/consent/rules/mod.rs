//! Disclosure rules for 42 CFR Part 2 consent: the pure domain core of who may see which part of a
//! participant's record, when, and on what basis.
//!
//! This module owns:
//! - the vocabulary of a consent (information [`Category`], [`Recipient`] and [`RecipientClass`],
//!   [`ConsentKind`] (§2.31 standard or §2.35 criminal justice), [`Purpose`], [`Expiry`]);
//! - the access decision [`decide`] (and [`visible_categories`]): own-organisation staff, consent,
//!   or medical emergency (§2.51), with the [`Basis`] that must be recorded with every disclosure;
//! - revocation ([`can_revoke`], [`apply_revocation`]), including §2.35 irrevocability;
//! - validation of a consent form ([`validate`]), which names every missing §2.31 / §2.35 element.
//!
//! It is pure: no I/O, no database, no clock (the caller passes `at` / `now`, in UTC), no logging.
//! Callers load the consents and emergency accesses, call these functions, and record the outcome.
//!
//! Decisions taken here (also stated at each item):
//! - Time windows are half-open `[start, end)`: a consent is active from `signed_at` inclusive; a
//!   revocation, an expiry event and the end of an emergency take effect *at* their instant. An
//!   [`Expiry::OnDate`] is the inclusive last day (the consent lapses at 00:00 UTC of the next day).
//! - Auditors never read participant data, in any organisation, not even in an emergency.
//! - Admin, Supervisor and Peer of the participant's organisation see everything. A Team member of
//!   the participant's own organisation is treated like a partner (needs consent or emergency).
//! - Users of another organisation with role Team, Admin, Supervisor or Peer may receive under a
//!   consent that names them: a consent names a *recipient* (organisation, person or class), not a
//!   role, and within the recipient organisation minimum-necessary role limits are the app's job.
//! - A [`Recipient::Person`] matches only while that user is in the named organisation.
//! - When several bases apply, own organisation wins, then consent (lowest consent id), then
//!   emergency (lowest access id): a disclosure under consent is preferred over §2.51.
//! - [`decide`] trusts stored consents as validated; [`validate`] is the gate that keeps encounter
//!   notes out of criminal-justice consents and irrevocability out of standard ones.
//!
//! Its files, one job each: `vocabulary` (the words of a consent), `decide` (the access
//! decision), `revoke` (revocation), `validate` (the consent form's §2.31 / §2.35 elements); the
//! property tests check `decide` against an independent model in `reference`.

mod decide;
mod revoke;
mod validate;
mod vocabulary;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod reference;

pub use decide::*;
pub use revoke::*;
pub use validate::*;
pub use vocabulary::*;
