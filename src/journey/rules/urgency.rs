//! Caseload urgency: who to see first, with people in the high-risk window ahead of everyone else.

use crate::platform::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

use super::WindowStatus;

/// A release this many days away (or fewer, down to today) makes the participant "release soon".
pub const RELEASE_SOON_DAYS: i64 = 7;

vocabulary! {
    /// How urgently a participant needs attention. Ordered most urgent first, so sorting a caseload
    /// by `Urgency` puts people in the high-risk window at the top.
    pub enum Urgency: &self {
        /// In the high-risk window and a contact target is missed or due within 24 hours.
        WindowAtRisk = "window_at_risk" => "High-risk window: contact needed now",
        /// In the high-risk window.
        InWindow = "in_window" => "In the high-risk window",
        /// Not heard from: in the community and silent past the programme's thresholds
        /// ([`super::disengagement`], decision 0053).
        Disengaged = "disengaged" => "Not heard from",
        /// Expected release within a week.
        ReleaseSoon = "release_soon" => "Release within 7 days",
        /// Overdue tasks or follow-ups.
        Overdue = "overdue" => "Overdue work",
        /// Nothing pressing.
        Routine = "routine" => "Routine",
    }
}

/// What the caseload knows about one participant, for [`urgency`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgencyInput {
    /// The window assessment, only while the participant is in the high-risk window
    /// ([`RiskWindow::in_window`]); `None` otherwise.
    pub window: Option<WindowStatus>,
    /// Days from today to the expected release date (negative if it has passed), if known.
    pub days_to_expected_release: Option<i64>,
    /// Overdue plan steps and checklist items.
    pub overdue_tasks: u32,
    /// Overdue follow-ups.
    pub overdue_followups: u32,
    /// Not heard from ([`super::disengagement`] gives a signal).
    pub disengaged: bool,
}

/// The participant's urgency: the first that applies of window at risk, in window, not heard
/// from (decision 0053), release within [`RELEASE_SOON_DAYS`] days (0..=7), overdue work,
/// routine.
pub fn urgency(input: &UrgencyInput) -> Urgency {
    if let Some(window) = &input.window {
        return if window.at_risk {
            Urgency::WindowAtRisk
        } else {
            Urgency::InWindow
        };
    }
    if input.disengaged {
        return Urgency::Disengaged;
    }
    if input
        .days_to_expected_release
        .is_some_and(|days| (0..=RELEASE_SOON_DAYS).contains(&days))
    {
        return Urgency::ReleaseSoon;
    }
    if input.overdue_tasks > 0 || input.overdue_followups > 0 {
        return Urgency::Overdue;
    }
    Urgency::Routine
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::rules::fixtures::*;

    use crate::journey::rules::{ContactTargets, RiskWindow};
    use chrono::TimeDelta;
    use proptest::prelude::*;

    // --- urgency ------------------------------------------------------------------------------

    fn routine_input() -> UrgencyInput {
        UrgencyInput {
            window: None,
            days_to_expected_release: None,
            overdue_tasks: 0,
            overdue_followups: 0,
            disengaged: false,
        }
    }

    #[test]
    fn urgency_order_puts_the_window_first() {
        let mut all = Urgency::ALL.to_vec();
        all.reverse();
        all.sort();
        assert_eq!(all.first(), Some(&Urgency::WindowAtRisk));
        assert_eq!(all.last(), Some(&Urgency::Routine));
        assert!(Urgency::InWindow < Urgency::ReleaseSoon);
    }

    #[test]
    fn urgency_cases() {
        let w = default_window();
        let at_risk = w.assess(&[], at(2025, 3, 10, 10, 0));
        let calm = w.assess(&[at(2025, 3, 10, 10, 0)], at(2025, 3, 11, 10, 0));
        assert!(at_risk.at_risk && !calm.at_risk);

        assert_eq!(urgency(&routine_input()), Urgency::Routine);
        let input = UrgencyInput {
            window: Some(at_risk),
            overdue_tasks: 4,
            ..routine_input()
        };
        assert_eq!(urgency(&input), Urgency::WindowAtRisk);
        let input = UrgencyInput {
            window: Some(calm),
            ..routine_input()
        };
        assert_eq!(urgency(&input), Urgency::InWindow);
        for days in [0, 7] {
            let input = UrgencyInput {
                days_to_expected_release: Some(days),
                overdue_followups: 1,
                ..routine_input()
            };
            assert_eq!(urgency(&input), Urgency::ReleaseSoon);
        }
        for days in [-1, 8] {
            let input = UrgencyInput {
                days_to_expected_release: Some(days),
                ..routine_input()
            };
            assert_eq!(urgency(&input), Urgency::Routine);
        }
        let input = UrgencyInput {
            overdue_followups: 1,
            ..routine_input()
        };
        assert_eq!(urgency(&input), Urgency::Overdue);
        // Not heard from: below the window, above a release due and overdue work.
        let input = UrgencyInput {
            disengaged: true,
            days_to_expected_release: Some(2),
            overdue_tasks: 1,
            ..routine_input()
        };
        assert_eq!(urgency(&input), Urgency::Disengaged);
        let input = UrgencyInput {
            window: Some(calm),
            disengaged: true,
            ..routine_input()
        };
        assert_eq!(urgency(&input), Urgency::InWindow);
    }

    proptest! {

        #[test]
        fn urgency_window_at_risk_iff_window_at_risk(
            released_at in any_time(),
            offsets in any_offsets(),
            now_offset in 0i64..20_000,
            days in prop::option::of(-20i64..20),
            tasks in 0u32..3,
            followups in 0u32..3,
            disengaged in any::<bool>(),
        ) {
            let w = RiskWindow::new(released_at, ContactTargets::default());
            let status = w.assess(
                &contacts_from(released_at, &offsets),
                released_at + TimeDelta::minutes(now_offset),
            );
            let with_window = UrgencyInput {
                window: Some(status),
                days_to_expected_release: days,
                overdue_tasks: tasks,
                overdue_followups: followups,
                disengaged,
            };
            let expected = if status.at_risk { Urgency::WindowAtRisk } else { Urgency::InWindow };
            prop_assert_eq!(urgency(&with_window), expected);
            let without = UrgencyInput { window: None, ..with_window };
            prop_assert!(urgency(&without) > Urgency::InWindow);
        }

    }
}
