//! The flags raised at release: no plan, an early (or unannounced) release, an incomplete checklist.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A release this many days (or fewer) before the expected date is not flagged as early.
pub const EARLY_RELEASE_TOLERANCE_DAYS: i64 = 2;

/// Something about a release that the peer and supervisor should know at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum ReleaseFlag {
    /// Released with no expected release date or no readiness checklist: an unannounced release.
    NoPlan,
    /// Released more than [`EARLY_RELEASE_TOLERANCE_DAYS`] before the expected date.
    Early {
        /// Days between the release and the expected date.
        days: i64,
    },
    /// Released with checklist items still open.
    ChecklistIncomplete {
        /// Number of open items.
        open: usize,
    },
}

impl ReleaseFlag {
    /// Stable snake_case code of the flag (the serde tag).
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::NoPlan => "no_plan",
            Self::Early { .. } => "early",
            Self::ChecklistIncomplete { .. } => "checklist_incomplete",
        }
    }

    /// Human-readable English label.
    pub const fn label(&self) -> &'static str {
        match self {
            Self::NoPlan => "Released without a release plan",
            Self::Early { .. } => "Released earlier than expected",
            Self::ChecklistIncomplete { .. } => "Released with the readiness checklist incomplete",
        }
    }

    /// Whether the release came without (enough) warning: no plan, or early.
    pub const fn is_unannounced(&self) -> bool {
        matches!(self, Self::NoPlan | Self::Early { .. })
    }
}

/// The flags to raise for a release on `released_on`.
///
/// - [`ReleaseFlag::NoPlan`] if there was no expected release date or no checklist at all.
/// - [`ReleaseFlag::Early`] if released more than [`EARLY_RELEASE_TOLERANCE_DAYS`] days before the
///   expected date.
/// - [`ReleaseFlag::ChecklistIncomplete`] if a checklist exists and some items are still open.
///
/// Flags come in that order. An empty result means the release went to plan.
pub fn release_flags(
    expected_release: Option<NaiveDate>,
    checklist_done_count: usize,
    checklist_len: usize,
    released_on: NaiveDate,
) -> Vec<ReleaseFlag> {
    let mut flags = Vec::new();
    if expected_release.is_none() || checklist_len == 0 {
        flags.push(ReleaseFlag::NoPlan);
    }
    if let Some(expected) = expected_release {
        let days = (expected - released_on).num_days();
        if days > EARLY_RELEASE_TOLERANCE_DAYS {
            flags.push(ReleaseFlag::Early { days });
        }
    }
    let open = checklist_len.saturating_sub(checklist_done_count);
    if open > 0 {
        flags.push(ReleaseFlag::ChecklistIncomplete { open });
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::rules::fixtures::*;

    use chrono::TimeDelta;
    use proptest::prelude::*;

    // --- release flags ------------------------------------------------------------------------

    #[test]
    fn release_to_plan_raises_no_flags() {
        let flags = release_flags(Some(date(2025, 5, 1)), 8, 8, date(2025, 5, 1));
        assert!(flags.is_empty());
        // Two days early is within tolerance.
        let flags = release_flags(Some(date(2025, 5, 3)), 8, 8, date(2025, 5, 1));
        assert!(flags.is_empty());
        // Late releases are not flagged.
        let flags = release_flags(Some(date(2025, 4, 20)), 8, 8, date(2025, 5, 1));
        assert!(flags.is_empty());
    }

    #[test]
    fn unannounced_release_is_flagged() {
        let flags = release_flags(None, 0, 0, date(2025, 5, 1));
        assert_eq!(flags, vec![ReleaseFlag::NoPlan]);
        assert!(flags[0].is_unannounced());
        let flags = release_flags(Some(date(2025, 5, 10)), 0, 0, date(2025, 5, 1));
        assert_eq!(
            flags,
            vec![ReleaseFlag::NoPlan, ReleaseFlag::Early { days: 9 }]
        );
    }

    #[test]
    fn early_and_incomplete_release_is_flagged() {
        let flags = release_flags(Some(date(2025, 5, 4)), 5, 8, date(2025, 5, 1));
        assert_eq!(
            flags,
            vec![
                ReleaseFlag::Early { days: 3 },
                ReleaseFlag::ChecklistIncomplete { open: 3 }
            ]
        );
        assert_eq!(flags[1].as_str(), "checklist_incomplete");
        assert!(!flags[1].is_unannounced());
        assert!(!flags[1].label().is_empty());
    }

    proptest! {

        #[test]
        fn release_flags_rules(
            expected_offset in prop::option::of(-30i64..30),
            done in 0usize..10,
            len in 0usize..10,
            released_on in any_date(),
        ) {
            let expected = expected_offset.map(|d| released_on + TimeDelta::days(d));
            let flags = release_flags(expected, done, len, released_on);
            prop_assert_eq!(
                flags.contains(&ReleaseFlag::NoPlan),
                expected.is_none() || len == 0
            );
            let early = flags.iter().any(|f| matches!(f, ReleaseFlag::Early { .. }));
            prop_assert_eq!(early, expected_offset.is_some_and(|d| d > 2));
            let open = flags.iter().find_map(|f| match f {
                ReleaseFlag::ChecklistIncomplete { open } => Some(*open),
                _ => None,
            });
            prop_assert_eq!(open.unwrap_or(0), len.saturating_sub(done));
        }

    }
}
