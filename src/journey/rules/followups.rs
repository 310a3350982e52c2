//! The follow-up schedule (30, 90, 180 and 365 days after the anchor) and the state of a follow-up
//! within its tolerance window.

use crate::platform::vocabulary::vocabulary;
use chrono::{NaiveDate, TimeDelta};

vocabulary! {
    /// A follow-up point after the anchor date (usually release or enrolment in the community).
    pub enum FollowUpPoint: &self {
        Day30 = "day30" => "30-day follow-up",
        Day90 = "day90" => "90-day follow-up",
        Day180 = "day180" => "180-day follow-up",
        Day365 = "day365" => "365-day follow-up",
    }
}

impl FollowUpPoint {
    /// Days after the anchor date that the follow-up is due.
    pub const fn days(&self) -> u32 {
        match self {
            Self::Day30 => 30,
            Self::Day90 => 90,
            Self::Day180 => 180,
            Self::Day365 => 365,
        }
    }
}

/// A follow-up becomes due this many days before its due date.
pub const FOLLOWUP_OPENS_DAYS_BEFORE: i64 = 7;

/// A follow-up not done more than this many days after its due date is overdue.
pub const FOLLOWUP_GRACE_DAYS_AFTER: i64 = 14;

vocabulary! {
    /// Where a follow-up stands on a given day.
    pub enum FollowUpState: &self {
        /// More than [`FOLLOWUP_OPENS_DAYS_BEFORE`] days before the due date.
        Upcoming = "upcoming" => "Upcoming",
        /// From [`FOLLOWUP_OPENS_DAYS_BEFORE`] days before to [`FOLLOWUP_GRACE_DAYS_AFTER`] days after.
        Due = "due" => "Due now",
        /// More than [`FOLLOWUP_GRACE_DAYS_AFTER`] days after the due date and not done.
        Overdue = "overdue" => "Overdue",
        /// Completed.
        Done = "done" => "Done",
    }
}

/// The follow-up dates for an anchor date, in order. A point that would fall past the end of the
/// calendar is left out (never happens for real dates).
pub fn followup_schedule(anchor: NaiveDate) -> Vec<(FollowUpPoint, NaiveDate)> {
    FollowUpPoint::ALL
        .iter()
        .filter_map(|&point| {
            TimeDelta::try_days(i64::from(point.days()))
                .and_then(|delta| anchor.checked_add_signed(delta))
                .map(|due| (point, due))
        })
        .collect()
}

/// The state of a follow-up due on `due`, completed on `completed_on` (if it was), on `today`.
pub fn followup_state(
    due: NaiveDate,
    completed_on: Option<NaiveDate>,
    today: NaiveDate,
) -> FollowUpState {
    if completed_on.is_some() {
        return FollowUpState::Done;
    }
    let days_after_due = (today - due).num_days();
    if days_after_due < -FOLLOWUP_OPENS_DAYS_BEFORE {
        FollowUpState::Upcoming
    } else if days_after_due <= FOLLOWUP_GRACE_DAYS_AFTER {
        FollowUpState::Due
    } else {
        FollowUpState::Overdue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::rules::fixtures::*;

    use chrono::TimeDelta;
    use proptest::prelude::*;

    // --- follow-ups ---------------------------------------------------------------------------

    #[test]
    fn followup_schedule_from_release() {
        let schedule = followup_schedule(date(2025, 1, 1));
        assert_eq!(
            schedule,
            vec![
                (FollowUpPoint::Day30, date(2025, 1, 31)),
                (FollowUpPoint::Day90, date(2025, 4, 1)),
                (FollowUpPoint::Day180, date(2025, 6, 30)),
                (FollowUpPoint::Day365, date(2026, 1, 1)),
            ]
        );
        assert!(followup_schedule(NaiveDate::MAX).is_empty());
    }

    #[test]
    fn followup_state_boundaries() {
        let due = date(2025, 4, 1);
        assert_eq!(
            followup_state(due, None, date(2025, 3, 24)),
            FollowUpState::Upcoming
        );
        assert_eq!(
            followup_state(due, None, date(2025, 3, 25)),
            FollowUpState::Due
        );
        assert_eq!(followup_state(due, None, due), FollowUpState::Due);
        assert_eq!(
            followup_state(due, None, date(2025, 4, 15)),
            FollowUpState::Due
        );
        assert_eq!(
            followup_state(due, None, date(2025, 4, 16)),
            FollowUpState::Overdue
        );
        assert_eq!(
            followup_state(due, Some(date(2025, 4, 20)), date(2025, 5, 1)),
            FollowUpState::Done
        );
    }

    proptest! {

        #[test]
        fn followup_schedule_is_anchor_plus_days(anchor in any_date()) {
            let schedule = followup_schedule(anchor);
            prop_assert_eq!(schedule.len(), 4);
            for (point, due) in &schedule {
                prop_assert_eq!(*due, anchor + TimeDelta::days(i64::from(point.days())));
            }
            for pair in schedule.windows(2) {
                prop_assert!(pair[0].1 < pair[1].1);
            }
        }

        #[test]
        fn followup_state_only_moves_forward(due in any_date(), a in -400i64..400, b in -400i64..400) {
            let rank = |s: FollowUpState| match s {
                FollowUpState::Upcoming => 0,
                FollowUpState::Due => 1,
                FollowUpState::Overdue => 2,
                FollowUpState::Done => 3,
            };
            let (early, late) = (a.min(b), a.max(b));
            let s1 = followup_state(due, None, due + TimeDelta::days(early));
            let s2 = followup_state(due, None, due + TimeDelta::days(late));
            prop_assert!(rank(s1) <= rank(s2));
            prop_assert_ne!(s1, FollowUpState::Done);
            prop_assert_eq!(
                followup_state(due, Some(due), due + TimeDelta::days(a)),
                FollowUpState::Done
            );
        }

    }
}
