//! The peer workforce: credentials, background exemptions, facility access, supervision and
//! program start-up readiness.

pub mod api;
pub mod codes;
pub mod credentials;
pub mod demo;
pub mod figures;
pub mod hiring;
pub mod ops;
pub mod pages;
pub mod params;
pub mod readiness;
pub mod schema;
pub mod store;
pub mod supervision;
