//! The high-risk window after release (day 0 to day 14 by default): its contact targets, the state
//! of each target, and [`RiskWindow::assess`] of the contacts made so far.

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::dates::add_forward;

/// Contact targets for the high-risk window after release. Configurable per program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactTargets {
    /// First completed contact due this many hours after release (default 24).
    pub first_contact_hours: u32,
    /// At least this many completed contacts within the window (default 3).
    pub min_contacts: u32,
    /// Length of the window in days after release (default 14).
    pub window_days: u32,
}

impl Default for ContactTargets {
    fn default() -> Self {
        Self {
            first_contact_hours: 24,
            min_contacts: 3,
            window_days: 14,
        }
    }
}

/// Whether a contact target has been met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TargetState {
    /// The target has been met.
    Met,
    /// Not met yet, and there is still time until `due`.
    Pending {
        /// Deadline for the target.
        due: NaiveDateTime,
    },
    /// Not met by `due`, which has passed.
    Missed {
        /// The deadline that was missed.
        due: NaiveDateTime,
    },
}

impl TargetState {
    /// Stable snake_case code of the state (the serde tag).
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::Pending { .. } => "pending",
            Self::Missed { .. } => "missed",
        }
    }

    /// Human-readable English label.
    pub const fn label(&self) -> &'static str {
        match self {
            Self::Met => "Met",
            Self::Pending { .. } => "Pending",
            Self::Missed { .. } => "Missed",
        }
    }

    /// The deadline, unless the target is met.
    pub const fn due(&self) -> Option<NaiveDateTime> {
        match self {
            Self::Met => None,
            Self::Pending { due } | Self::Missed { due } => Some(*due),
        }
    }

    /// Whether the target was missed.
    pub const fn is_missed(&self) -> bool {
        matches!(self, Self::Missed { .. })
    }

    /// 0 = met, 1 = pending, 2 = missed: higher is worse.
    pub const fn severity(&self) -> u8 {
        match self {
            Self::Met => 0,
            Self::Pending { .. } => 1,
            Self::Missed { .. } => 2,
        }
    }
}

/// A pending deadline this close (or closer) makes the participant at risk.
pub const AT_RISK_HOURS: i64 = 24;

/// Where a participant stands against the contact targets of the high-risk window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WindowStatus {
    /// A completed contact within `first_contact_hours` of release.
    pub first_contact: TargetState,
    /// At least `min_contacts` completed contacts within the window.
    pub contacts: TargetState,
    /// Completed contacts that fell inside the window.
    pub completed_in_window: u32,
    /// Whole hours from `now` to the nearest pending deadline; `None` if nothing is pending.
    pub hours_to_next_deadline: Option<i64>,
    /// A target was missed, or a pending deadline is within [`AT_RISK_HOURS`]: escalate.
    pub at_risk: bool,
}

/// The high-risk window after a release: from `released_at` to `released_at + window_days`
/// (both ends included). Day 0 is the first 24 hours after release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RiskWindow {
    released_at: NaiveDateTime,
    targets: ContactTargets,
}

impl RiskWindow {
    /// The window for a release at `released_at` (UTC) with the program's contact targets.
    pub const fn new(released_at: NaiveDateTime, targets: ContactTargets) -> Self {
        Self {
            released_at,
            targets,
        }
    }

    /// When the participant was released (UTC).
    pub const fn released_at(&self) -> NaiveDateTime {
        self.released_at
    }

    /// The contact targets in force.
    pub const fn targets(&self) -> ContactTargets {
        self.targets
    }

    /// End of the window: `released_at + window_days`.
    pub fn ends_at(&self) -> NaiveDateTime {
        add_forward(
            self.released_at,
            TimeDelta::try_days(i64::from(self.targets.window_days)),
        )
    }

    /// Deadline for the first contact: `released_at + first_contact_hours`.
    pub fn first_contact_due(&self) -> NaiveDateTime {
        add_forward(
            self.released_at,
            TimeDelta::try_hours(i64::from(self.targets.first_contact_hours)),
        )
    }

    /// Whether `now` lies within the window (`released_at <= now <= ends_at`).
    pub fn in_window(&self, now: NaiveDateTime) -> bool {
        self.released_at <= now && now <= self.ends_at()
    }

    /// Whole days since release (0 in the first 24 hours) while `now` is in the window, else `None`.
    /// Ranges over `0..=window_days`; it equals `window_days` only at the window's last instant.
    pub fn day_of_window(&self, now: NaiveDateTime) -> Option<u32> {
        if !self.in_window(now) {
            return None;
        }
        u32::try_from((now - self.released_at).num_days()).ok()
    }

    /// Assesses the contact targets at `now`, given the times of completed contacts.
    ///
    /// Pass only contacts that were actually made ([`EncounterOutcome::counts_as_contact`]).
    /// Contacts before release or after the end of the window are ignored.
    /// - First contact: met if a contact was completed by its deadline; missed if none was and the
    ///   deadline has passed (a late contact does not turn a missed target into a met one).
    /// - Contacts: met once `min_contacts` were completed in the window; missed if the window is
    ///   over (`now >= ends_at`) with fewer.
    /// - At risk: any target missed, or a pending deadline within [`AT_RISK_HOURS`] of `now`.
    ///
    /// The contacts decide the [`WindowMarks`]; the clock decides the rest.
    pub fn assess(&self, completed_contacts: &[NaiveDateTime], now: NaiveDateTime) -> WindowStatus {
        self.marks(completed_contacts).status_at(now)
    }

    /// What the completed contacts settle for good: which targets are met, and how many contacts
    /// fell in the window. Kept on write, so that a caseload is ranked by stored keys
    /// ([`WindowMarks::at_risk_from`], [`WindowMarks::next_deadline`]) instead of by reading every
    /// contact of every participant on each request.
    pub fn marks(&self, completed_contacts: &[NaiveDateTime]) -> WindowMarks {
        let ends_at = self.ends_at();
        let first_due = self.first_contact_due();
        let in_window: Vec<NaiveDateTime> = completed_contacts
            .iter()
            .copied()
            .filter(|&at| self.released_at <= at && at <= ends_at)
            .collect();
        let completed_in_window = u32::try_from(in_window.len()).unwrap_or(u32::MAX);
        WindowMarks {
            released_at: self.released_at,
            ends_at,
            first_contact_due: (!in_window.iter().any(|&at| at <= first_due)).then_some(first_due),
            contacts_due: (completed_in_window < self.targets.min_contacts).then_some(ends_at),
            completed_in_window,
        }
    }
}

/// The state of a window that only new contacts change: when it opened and closes, the deadline
/// of each target not yet met (`None` once met), and the completed contacts inside it. With the
/// clock, this is everything [`RiskWindow::assess`] says ([`WindowMarks::status_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WindowMarks {
    /// The release that opened the window.
    pub released_at: NaiveDateTime,
    /// The end of the window.
    pub ends_at: NaiveDateTime,
    /// When the first contact is due, while it has not been made in time.
    pub first_contact_due: Option<NaiveDateTime>,
    /// When the minimum number of contacts is due (the end of the window), while it is not met.
    pub contacts_due: Option<NaiveDateTime>,
    /// Completed contacts inside the window.
    pub completed_in_window: u32,
}

impl WindowMarks {
    /// Is `now` inside the window (release to end, both included)?
    pub fn in_window(&self, now: NaiveDateTime) -> bool {
        self.released_at <= now && now <= self.ends_at
    }

    /// The targets' states at `now` (whether or not `now` is inside the window).
    pub fn status_at(&self, now: NaiveDateTime) -> WindowStatus {
        let first_contact = match self.first_contact_due {
            None => TargetState::Met,
            Some(due) if now > due => TargetState::Missed { due },
            Some(due) => TargetState::Pending { due },
        };
        let contacts = match self.contacts_due {
            None => TargetState::Met,
            Some(due) if now >= due => TargetState::Missed { due },
            Some(due) => TargetState::Pending { due },
        };
        let next_deadline = self.next_deadline(now);
        WindowStatus {
            first_contact,
            contacts,
            completed_in_window: self.completed_in_window,
            hours_to_next_deadline: next_deadline.map(|due| (due - now).num_hours()),
            at_risk: first_contact.is_missed()
                || contacts.is_missed()
                || next_deadline.is_some_and(|due| due - now <= TimeDelta::hours(AT_RISK_HOURS)),
        }
    }

    /// The nearest deadline of a target still pending at `now` (the first contact's until it is
    /// past, the contacts' until the window ends).
    pub fn next_deadline(&self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        let first = self.first_contact_due.filter(|due| now <= *due);
        let contacts = self.contacts_due.filter(|due| now < *due);
        first.into_iter().chain(contacts).min()
    }

    /// From when the window is at risk: [`AT_RISK_HOURS`] before the deadline of the first
    /// target not met. A target missed stays missed, so once at risk a window stays at risk
    /// until it ends; `None` when every target is met.
    pub fn at_risk_from(&self) -> Option<NaiveDateTime> {
        self.first_contact_due
            .into_iter()
            .chain(self.contacts_due)
            .min()
            .map(|due| {
                due.checked_sub_signed(TimeDelta::hours(AT_RISK_HOURS))
                    .unwrap_or(NaiveDateTime::MIN)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::rules::fixtures::*;

    use proptest::prelude::*;

    /// A release and a first contact typed on a Chicago clock the night it falls back: the
    /// deadline is 24 real hours after the release, not 24 hours of the wall clock.
    #[test]
    fn the_first_contact_deadline_across_the_autumn_change_is_24_real_hours() {
        let z = crate::platform::time::Zone::parse("time_zone", "America/Chicago").unwrap();
        let released = z.instant("released_at", "2026-10-31T18:00").unwrap();
        assert_eq!(released, at(2026, 10, 31, 23, 0));
        let w = RiskWindow::new(released, ContactTargets::default());
        assert_eq!(w.first_contact_due(), at(2026, 11, 1, 23, 0));
        assert_eq!(w.first_contact_due() - released, TimeDelta::hours(24));
        assert_eq!(z.wall_clock(w.first_contact_due()), at(2026, 11, 1, 17, 0));
        // 01:30 that night happened twice; the contact is the first (CDT, 06:30 UTC).
        let contact = z.instant("occurred_at", "2026-11-01T01:30").unwrap();
        assert_eq!(contact, at(2026, 11, 1, 6, 30));
        let s = w.assess(&[contact], contact);
        assert_eq!(s.first_contact, TargetState::Met);
        // Without it, the target is missed one real minute after the 24 hours.
        let late = w.assess(&[], at(2026, 11, 1, 23, 1));
        assert!(late.first_contact.is_missed());
    }

    /// In spring the wall clock loses an hour: 24 real hours after 18:00 CST is 19:00 CDT.
    #[test]
    fn the_first_contact_deadline_across_the_spring_change_is_24_real_hours() {
        let z = crate::platform::time::Zone::parse("time_zone", "America/Chicago").unwrap();
        let released = z.instant("released_at", "2026-03-07T18:00").unwrap();
        let w = RiskWindow::new(released, ContactTargets::default());
        assert_eq!(w.first_contact_due() - released, TimeDelta::hours(24));
        assert_eq!(z.wall_clock(w.first_contact_due()), at(2026, 3, 8, 19, 0));
    }

    #[test]
    fn window_bounds_and_days() {
        let w = default_window();
        assert_eq!(w.ends_at(), at(2025, 3, 24, 9, 0));
        assert_eq!(w.first_contact_due(), at(2025, 3, 11, 9, 0));
        assert!(!w.in_window(at(2025, 3, 10, 8, 59)));
        assert!(w.in_window(at(2025, 3, 10, 9, 0)));
        assert!(w.in_window(at(2025, 3, 24, 9, 0)));
        assert!(!w.in_window(at(2025, 3, 24, 9, 1)));
        assert_eq!(w.day_of_window(at(2025, 3, 10, 8, 0)), None);
        assert_eq!(w.day_of_window(at(2025, 3, 10, 9, 0)), Some(0));
        assert_eq!(w.day_of_window(at(2025, 3, 11, 8, 59)), Some(0));
        assert_eq!(w.day_of_window(at(2025, 3, 11, 9, 0)), Some(1));
        assert_eq!(w.day_of_window(at(2025, 3, 24, 9, 0)), Some(14));
        assert_eq!(w.day_of_window(at(2025, 3, 25, 9, 0)), None);
    }

    #[test]
    fn just_released_with_no_contact_is_at_risk() {
        let w = default_window();
        let status = w.assess(&[], at(2025, 3, 10, 12, 0));
        assert_eq!(
            status.first_contact,
            TargetState::Pending {
                due: at(2025, 3, 11, 9, 0)
            }
        );
        assert_eq!(
            status.contacts,
            TargetState::Pending {
                due: at(2025, 3, 24, 9, 0)
            }
        );
        assert_eq!(status.completed_in_window, 0);
        assert_eq!(status.hours_to_next_deadline, Some(21));
        assert!(status.at_risk);
    }

    #[test]
    fn first_contact_made_in_time() {
        let w = default_window();
        let status = w.assess(&[at(2025, 3, 10, 15, 0)], at(2025, 3, 12, 9, 0));
        assert_eq!(status.first_contact, TargetState::Met);
        assert_eq!(status.completed_in_window, 1);
        assert_eq!(status.hours_to_next_deadline, Some(12 * 24));
        assert!(!status.at_risk);
    }

    #[test]
    fn first_contact_missed_even_if_made_late() {
        let w = default_window();
        let due = at(2025, 3, 11, 9, 0);
        let none = w.assess(&[], at(2025, 3, 11, 10, 0));
        assert_eq!(none.first_contact, TargetState::Missed { due });
        assert!(none.at_risk);
        let late = w.assess(&[at(2025, 3, 11, 12, 0)], at(2025, 3, 12, 10, 0));
        assert_eq!(late.first_contact, TargetState::Missed { due });
        assert_eq!(late.completed_in_window, 1);
        assert!(late.at_risk);
        // At the deadline itself it is still pending.
        let on_time = w.assess(&[], due);
        assert_eq!(on_time.first_contact, TargetState::Pending { due });
    }

    #[test]
    fn contact_target_met_missed_and_closing() {
        let w = default_window();
        let three = [
            at(2025, 3, 10, 10, 0),
            at(2025, 3, 13, 10, 0),
            at(2025, 3, 17, 10, 0),
        ];
        let met = w.assess(&three, at(2025, 3, 18, 0, 0));
        assert_eq!(met.contacts, TargetState::Met);
        assert_eq!(met.first_contact, TargetState::Met);
        assert_eq!(met.hours_to_next_deadline, None);
        assert!(!met.at_risk);

        let two = &three[..2];
        let mid = w.assess(two, at(2025, 3, 18, 0, 0));
        assert!(!mid.at_risk);
        let closing = w.assess(two, at(2025, 3, 23, 10, 0));
        assert_eq!(closing.hours_to_next_deadline, Some(23));
        assert!(closing.at_risk);
        let over = w.assess(two, at(2025, 3, 24, 9, 0));
        assert_eq!(
            over.contacts,
            TargetState::Missed {
                due: at(2025, 3, 24, 9, 0)
            }
        );
        assert!(over.at_risk);
    }

    #[test]
    fn at_risk_exactly_24_hours_before_a_deadline() {
        let w = default_window();
        let status = w.assess(&[], w.released_at());
        assert_eq!(status.hours_to_next_deadline, Some(24));
        assert!(status.at_risk);
    }

    #[test]
    fn contacts_outside_the_window_do_not_count() {
        let w = default_window();
        let outside = [at(2025, 3, 9, 9, 0), at(2025, 3, 24, 9, 1)];
        let status = w.assess(&outside, at(2025, 3, 30, 0, 0));
        assert_eq!(status.completed_in_window, 0);
        assert!(status.first_contact.is_missed());
        assert!(status.contacts.is_missed());
    }

    #[test]
    fn zero_min_contacts_is_always_met() {
        let targets = ContactTargets {
            min_contacts: 0,
            ..ContactTargets::default()
        };
        let w = RiskWindow::new(at(2025, 3, 10, 9, 0), targets);
        assert_eq!(
            w.assess(&[], at(2025, 4, 1, 0, 0)).contacts,
            TargetState::Met
        );
    }

    #[test]
    fn huge_targets_saturate_instead_of_panicking() {
        let targets = ContactTargets {
            first_contact_hours: u32::MAX,
            min_contacts: u32::MAX,
            window_days: u32::MAX,
        };
        let w = RiskWindow::new(at(2025, 3, 10, 9, 0), targets);
        assert_eq!(w.ends_at(), NaiveDateTime::MAX);
        assert_eq!(w.first_contact_due(), NaiveDateTime::MAX);
        let status = w.assess(&[at(2025, 3, 11, 0, 0)], at(2025, 3, 12, 0, 0));
        assert_eq!(status.first_contact, TargetState::Met);
        assert!(matches!(status.contacts, TargetState::Pending { .. }));
    }

    #[test]
    fn target_state_accessors() {
        let due = at(2025, 1, 1, 0, 0);
        assert_eq!(TargetState::Met.due(), None);
        assert_eq!(TargetState::Pending { due }.due(), Some(due));
        assert_eq!(TargetState::Missed { due }.as_str(), "missed");
        assert_eq!(TargetState::Pending { due }.label(), "Pending");
        assert!(TargetState::Met.severity() < TargetState::Pending { due }.severity());
    }

    fn any_targets() -> impl Strategy<Value = ContactTargets> {
        (1u32..=30, 0u32..=8).prop_flat_map(|(window_days, min_contacts)| {
            (0..=24 * window_days).prop_map(move |first_contact_hours| ContactTargets {
                first_contact_hours,
                min_contacts,
                window_days,
            })
        })
    }

    fn not_worse(after: &WindowStatus, before: &WindowStatus) -> bool {
        after.first_contact.severity() <= before.first_contact.severity()
            && after.contacts.severity() <= before.contacts.severity()
            && after.completed_in_window >= before.completed_in_window
            && (!after.at_risk || before.at_risk)
    }

    proptest! {

        /// The keys a caseload is ranked by, kept on write, say what `assess` says at any time:
        /// at risk from `at_risk_from` on, and the same next deadline.
        #[test]
        fn kept_marks_rank_as_the_assessment_says(
            released_at in any_time(),
            targets in any_targets(),
            offsets in any_offsets(),
            now_offset in -3_000i64..60_000,
        ) {
            let w = RiskWindow::new(released_at, targets);
            let contacts = contacts_from(released_at, &offsets);
            let marks = w.marks(&contacts);
            let now = released_at + TimeDelta::minutes(now_offset);
            let status = w.assess(&contacts, now);
            prop_assert_eq!(marks.at_risk_from().is_some_and(|t| now >= t), status.at_risk);
            prop_assert_eq!(
                marks.next_deadline(now).map(|d| (d - now).num_hours()),
                status.hours_to_next_deadline
            );
            prop_assert_eq!(marks.in_window(now), w.in_window(now));
        }

        #[test]
        fn window_deadlines_lie_within_the_window(
            released_at in any_time(),
            targets in any_targets(),
            offsets in any_offsets(),
            now_offset in -3_000i64..60_000,
        ) {
            let w = RiskWindow::new(released_at, targets);
            let limit = released_at + TimeDelta::days(i64::from(targets.window_days));
            prop_assert_eq!(w.ends_at(), limit);
            prop_assert!(released_at <= w.first_contact_due() && w.first_contact_due() <= limit);
            let now = released_at + TimeDelta::minutes(now_offset);
            let status = w.assess(&contacts_from(released_at, &offsets), now);
            for due in [status.first_contact.due(), status.contacts.due()].into_iter().flatten() {
                prop_assert!(released_at <= due && due <= limit);
            }
            if let Some(hours) = status.hours_to_next_deadline {
                prop_assert!(hours >= 0);
            }
        }

        #[test]
        fn adding_a_contact_never_makes_status_worse(
            released_at in any_time(),
            targets in any_targets(),
            offsets in any_offsets(),
            extra in -3_000i64..50_000,
            now_offset in -3_000i64..60_000,
        ) {
            let w = RiskWindow::new(released_at, targets);
            let now = released_at + TimeDelta::minutes(now_offset);
            let contacts = contacts_from(released_at, &offsets);
            let before = w.assess(&contacts, now);
            let mut more = contacts.clone();
            more.push(released_at + TimeDelta::minutes(extra));
            let after = w.assess(&more, now);
            prop_assert!(not_worse(&after, &before), "before {:?}, after {:?}", before, after);
        }

        #[test]
        fn contacts_outside_the_window_change_nothing(
            released_at in any_time(),
            targets in any_targets(),
            offsets in any_offsets(),
            before_release in prop::collection::vec(1i64..100_000, 0..4),
            after_window in prop::collection::vec(1i64..100_000, 0..4),
            now_offset in -3_000i64..60_000,
        ) {
            let w = RiskWindow::new(released_at, targets);
            let now = released_at + TimeDelta::minutes(now_offset);
            let contacts = contacts_from(released_at, &offsets);
            let mut noisy = contacts.clone();
            noisy.extend(before_release.iter().map(|m| released_at - TimeDelta::minutes(*m)));
            noisy.extend(after_window.iter().map(|m| w.ends_at() + TimeDelta::minutes(*m)));
            prop_assert_eq!(w.assess(&noisy, now), w.assess(&contacts, now));
        }

        #[test]
        fn day_of_window_is_bounded(
            released_at in any_time(),
            targets in any_targets(),
            now_offset in -3_000i64..60_000,
        ) {
            let w = RiskWindow::new(released_at, targets);
            let now = released_at + TimeDelta::minutes(now_offset);
            match w.day_of_window(now) {
                Some(day) => {
                    prop_assert!(w.in_window(now));
                    prop_assert!(day <= targets.window_days);
                }
                None => prop_assert!(!w.in_window(now)),
            }
        }

    }
}
