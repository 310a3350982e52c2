//! Peer credential standards as data, a peer's progress toward one, the projected completion date,
//! and renewal alerts (expiry and continuing education).
//!
//! States differ, so a standard is a value ([`CredentialStandard`]), not code; two editable
//! templates ship. Pure: no I/O, no clock (callers pass `today`).
//!
//! Its files: `standard` (the standard and its templates), `progress` (toward a standard, and the
//! projected completion) and `renewal` (expiry and alerts).

mod progress;
mod renewal;
mod standard;

#[cfg(test)]
mod proptests;

pub use progress::*;
pub use renewal::*;
pub use standard::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::vocabulary::assert_vocabularies;

    #[test]
    fn enum_codes_round_trip_and_are_snake_case() {
        assert_vocabularies! { RequirementKind, AlertKind }
    }
}
