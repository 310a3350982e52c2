//! SAMHSA GPRA rules for "clients in recovery": interview timepoints, the 6-month follow-up due date
//! and window (30 days before to 60 days after the due date, both ends inclusive), per-client
//! follow-up status, the programme's follow-up rate against the 80% target, and a field model of the
//! interview sufficient to fill the federal tool's sections.
//!
//! Pure: no I/O, no clock (callers pass `today`), no database.
//!
//! Its files: `follow_up` (timepoints, the 6-month window, status and rate) and `interview` (the
//! interview's field model and its validation).

mod follow_up;
mod interview;

pub use follow_up::*;
pub use interview::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::vocabulary::assert_vocabularies;

    #[test]
    fn enum_codes_round_trip_and_are_snake_case() {
        assert_vocabularies! {
            Timepoint, FollowUpKind, ClientType, Substance, HousingType, EducationLevel,
            EmploymentStatus, IncomeSource, SelfRatedHealth, SupportSource
        }
    }
}
