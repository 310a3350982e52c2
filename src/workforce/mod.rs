//! The peer workforce: credentials, background exemptions, facility access, supervision and
//! program start-up readiness.

pub mod credentials;
pub mod readiness;
