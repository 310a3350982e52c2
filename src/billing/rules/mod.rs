//! The billing rules, pure: a payer's rules as data ([`PayerRules`]), units from minutes under the
//! payer's rounding rule, credential validity on the date of service, and one participant's day
//! of encounters turned into claim lines and rejected lines, each with its reason.
//!
//! Sources, named where each rule is applied:
//! - HCPCS Level II code H0038, "Self-help/peer services, per 15 minutes" (CMS HCPCS code set);
//!   modifier HQ, "Group setting" (CMS HCPCS Level II modifiers).
//! - CMS Place of Service Code Set (cms.gov, "Place of Service Code Set"): 02 "Telehealth
//!   Provided Other than in Patient's Home", 09 "Prison/Correctional Facility", 10 "Telehealth
//!   Provided in Patient's Home", 11 "Office", 12 "Home", 99 "Other Place of Service".
//! - The "8-minute rule" for timed codes (CMS Medicare Claims Processing Manual, Chapter 5,
//!   §20.2: "a unit ... is billed if at least 8 minutes" of a 15-minute service are provided);
//!   state Medicaid manuals choose it or whole units only, so the rounding rule is data.
//!
//! Pure: no I/O, no clock.

mod claims;
mod funding;
mod units;

#[cfg(test)]
mod proptests;

pub use claims::*;
pub use funding::*;
pub use units::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::vocabulary::assert_vocabularies;

    #[test]
    fn enum_codes_round_trip_and_are_snake_case() {
        assert_vocabularies! { Rounding, ServiceSetting, RejectReason, FundingKind }
    }
}
