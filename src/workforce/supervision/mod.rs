//! Supervision that develops people (issue item 2; decision 0051): sessions signed by both the
//! supervisor and the peer (amendments keep the prior value and ask for both signatures again),
//! periodic competency reviews over SAMHSA's 12 areas (the one list, `workforce::codes`), and
//! ethics and boundary consultations, counted as supervision received where held with a
//! programme supervisor.
//!
//! - `demo`: signatures, reviews and consultations for the workforce demo;
//! - `rules` (pure): length in minutes and hours, sign-off, the rating scale, what counts;
//! - `ops`: the use cases (re-exported by `workforce::ops`); the tables are in
//!   `workforce::schema`, the queries in `workforce::store::supervision`, the handlers in
//!   `workforce::api` and `workforce::pages::supervision`.

pub mod demo;
pub mod ops;
pub mod rules;
