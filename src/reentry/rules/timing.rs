//! The clock of reentry: when screening is due after booking, when the pre-release window opens
//! (and how it moves with the expected release), when a warm handoff is due.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::vocabularies::ScreeningStatus;
use crate::platform::time::Zone;

/// The programme's goal: screen for eligibility within 72 hours of booking (issue 17). Not a
/// regulation: SMD #23-003 asks states to screen and enrol early enough for pre-release services
/// to start, and 72 hours is the product owner's goal.
pub const SCREEN_WITHIN_HOURS: i64 = 72;

/// A warm handoff after an unplanned release is due within 24 hours of it (issue 17), like the
/// first contact of the high-risk window (`journey::rules::RiskWindow`).
pub const UNPLANNED_HANDOFF_HOURS: i64 = 24;

/// When screening is due: 72 hours after booking. Booking is recorded as a date, so the hours
/// run from the start of that day on the organisation's clock (real hours, across a change of
/// the clocks).
pub fn screening_due(booked_on: NaiveDate, zone: &Zone) -> NaiveDateTime {
    zone.start_of(booked_on) + TimeDelta::hours(SCREEN_WITHIN_HOURS)
}

/// Where a person's screening stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreeningState {
    /// Screened since the booking.
    Done,
    /// Not screened yet; due by this instant.
    Due(NaiveDateTime),
    /// Not screened and the 72 hours have passed (since this instant).
    Overdue(NaiveDateTime),
}

impl ScreeningState {
    /// Its code.
    pub const fn status(&self) -> ScreeningStatus {
        match self {
            Self::Done => ScreeningStatus::Done,
            Self::Due(_) => ScreeningStatus::Due,
            Self::Overdue(_) => ScreeningStatus::Overdue,
        }
    }

    /// When it is (or was) due, unless done.
    pub const fn due_at(&self) -> Option<NaiveDateTime> {
        match self {
            Self::Done => None,
            Self::Due(t) | Self::Overdue(t) => Some(*t),
        }
    }
}

/// Where screening stands at `now` for a booking on `booked_on`, `screened` since it or not.
pub fn screening_state(
    booked_on: NaiveDate,
    screened: bool,
    zone: &Zone,
    now: NaiveDateTime,
) -> ScreeningState {
    let due = screening_due(booked_on, zone);
    if screened {
        ScreeningState::Done
    } else if now > due {
        ScreeningState::Overdue(due)
    } else {
        ScreeningState::Due(due)
    }
}

/// The pre-release window: `days` days before the expected release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreReleaseWindow {
    /// The expected release date.
    pub expected_release: NaiveDate,
    /// Its length in days (see `ProgrammeRules::window_days_for`).
    pub days: u16,
}

/// Where a person in custody stands against the window on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowState {
    /// The window opens on this date.
    Opens(NaiveDate),
    /// In the window (since this date): pre-release services may be delivered.
    Open(NaiveDate),
}

/// How a window moved when the expected release did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replanned {
    /// The window for the new date.
    pub window: PreReleaseWindow,
    /// Days the opening moved (positive: later).
    pub moved_days: i64,
}

impl PreReleaseWindow {
    /// The window of `days` days before `expected_release`.
    pub const fn new(expected_release: NaiveDate, days: u16) -> PreReleaseWindow {
        PreReleaseWindow {
            expected_release,
            days,
        }
    }

    /// The first day of the window: the expected release less `days` days (SMD #23-003: "up to
    /// 90 days immediately prior to the expected date of release").
    pub fn opens_on(&self) -> NaiveDate {
        self.expected_release
            .checked_sub_signed(TimeDelta::days(i64::from(self.days)))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The instant it opens: the start of [`Self::opens_on`] on the organisation's clock.
    pub fn opens_at(&self, zone: &Zone) -> NaiveDateTime {
        zone.start_of(self.opens_on())
    }

    /// Where a person still in custody stands on the organisation's `today`. A person kept past
    /// the expected date is still in the window until released.
    pub fn state(&self, today: NaiveDate) -> WindowState {
        let opens = self.opens_on();
        if today < opens {
            WindowState::Opens(opens)
        } else {
            WindowState::Open(opens)
        }
    }

    /// The window when the expected release moves to `expected_release` (the same length).
    pub fn replan(&self, expected_release: NaiveDate) -> Replanned {
        let window = PreReleaseWindow::new(expected_release, self.days);
        Replanned {
            window,
            moved_days: (window.opens_on() - self.opens_on()).num_days(),
        }
    }
}

/// When a warm handoff to the post-release provider is due.
///
/// - Released without warning (`unplanned`: no plan, or earlier than expected; see
///   `journey::rules::ReleaseFlag::is_unannounced`): within 24 hours of the release.
/// - Otherwise, before the expected release: by the start of that day on the organisation's
///   clock (a release happens some time that day).
/// - Neither released nor an expected date: not yet due (`None`).
pub fn handoff_due(
    expected_release: Option<NaiveDate>,
    released_at: Option<NaiveDateTime>,
    unplanned: bool,
    zone: &Zone,
) -> Option<NaiveDateTime> {
    match (released_at, expected_release) {
        (Some(at), _) if unplanned => Some(at + TimeDelta::hours(UNPLANNED_HANDOFF_HOURS)),
        (_, Some(expected)) => Some(zone.start_of(expected)),
        (Some(at), None) => Some(at + TimeDelta::hours(UNPLANNED_HANDOFF_HOURS)),
        (None, None) => None,
    }
}

/// Where a warm handoff stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoffState {
    /// Held by the due time.
    Held,
    /// Held, after the due time.
    HeldLate,
    /// Not held; due by this instant.
    Due(NaiveDateTime),
    /// Not held and past due (since this instant): the supervisor sees it.
    Overdue(NaiveDateTime),
}

impl HandoffState {
    /// Whether it needs the supervisor's attention.
    pub const fn is_overdue(&self) -> bool {
        matches!(self, Self::Overdue(_))
    }
}

/// Where a handoff due at `due` stands at `now`, held at `held_at` or not.
pub fn handoff_state(
    due: NaiveDateTime,
    held_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> HandoffState {
    match held_at {
        Some(h) if h <= due => HandoffState::Held,
        Some(_) => HandoffState::HeldLate,
        None if now > due => HandoffState::Overdue(due),
        None => HandoffState::Due(due),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        date(y, m, d).and_hms_opt(h, min, 0).unwrap()
    }

    fn chicago() -> Zone {
        Zone::parse("time_zone", "America/Chicago").unwrap()
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..30_000).prop_map(|d| date(2000, 1, 1) + TimeDelta::days(d))
    }

    #[test]
    fn screening_is_due_72_hours_after_the_booking_day_began() {
        let z = chicago();
        // 2026-05-04 begins at 05:00 UTC in Chicago (CDT).
        assert_eq!(screening_due(date(2026, 5, 4), &z), at(2026, 5, 7, 5, 0));
        assert_eq!(
            screening_state(date(2026, 5, 4), false, &z, at(2026, 5, 7, 5, 0)),
            ScreeningState::Due(at(2026, 5, 7, 5, 0))
        );
        assert_eq!(
            screening_state(date(2026, 5, 4), false, &z, at(2026, 5, 7, 5, 1)),
            ScreeningState::Overdue(at(2026, 5, 7, 5, 0))
        );
        assert_eq!(
            screening_state(date(2026, 5, 4), true, &z, at(2026, 6, 1, 0, 0)),
            ScreeningState::Done
        );
        // Across the autumn change: 72 real hours, 71 on the wall clock.
        let due = screening_due(date(2026, 10, 31), &z);
        assert_eq!(due, at(2026, 11, 3, 5, 0));
        assert_eq!(z.wall_clock(due), at(2026, 11, 2, 23, 0));
    }

    #[test]
    fn the_window_opens_its_days_before_the_expected_release() {
        let w = PreReleaseWindow::new(date(2026, 6, 30), 90);
        assert_eq!(w.opens_on(), date(2026, 4, 1));
        assert_eq!(w.opens_at(&chicago()), at(2026, 4, 1, 5, 0));
        assert_eq!(w.opens_at(&Zone::UTC), at(2026, 4, 1, 0, 0));
        assert_eq!(
            w.state(date(2026, 3, 31)),
            WindowState::Opens(date(2026, 4, 1))
        );
        assert_eq!(
            w.state(date(2026, 4, 1)),
            WindowState::Open(date(2026, 4, 1))
        );
        assert_eq!(
            w.state(date(2026, 7, 5)),
            WindowState::Open(date(2026, 4, 1))
        );
        let nh = PreReleaseWindow::new(date(2026, 6, 30), 45);
        assert_eq!(nh.opens_on(), date(2026, 5, 16));
    }

    #[test]
    fn a_moved_release_moves_the_window() {
        let w = PreReleaseWindow::new(date(2026, 6, 30), 30);
        let later = w.replan(date(2026, 7, 14));
        assert_eq!(later.moved_days, 14);
        assert_eq!(later.window.opens_on(), date(2026, 6, 14));
        // Brought forward into the window: open at once.
        let sooner = w.replan(date(2026, 6, 10));
        assert_eq!(sooner.moved_days, -20);
        assert_eq!(
            sooner.window.state(date(2026, 5, 20)),
            WindowState::Open(date(2026, 5, 11))
        );
        assert_eq!(
            w.state(date(2026, 5, 20)),
            WindowState::Opens(date(2026, 5, 31))
        );
    }

    #[test]
    fn a_handoff_is_due_before_release_or_within_a_day_of_an_unplanned_one() {
        let z = chicago();
        assert_eq!(
            handoff_due(Some(date(2026, 6, 30)), None, false, &z),
            Some(at(2026, 6, 30, 5, 0))
        );
        // Released early, without warning: 24 hours from the release.
        let released = at(2026, 6, 10, 20, 0);
        assert_eq!(
            handoff_due(Some(date(2026, 6, 30)), Some(released), true, &z),
            Some(at(2026, 6, 11, 20, 0))
        );
        // Released to plan: still due before the expected day.
        assert_eq!(
            handoff_due(
                Some(date(2026, 6, 30)),
                Some(at(2026, 6, 30, 15, 0)),
                false,
                &z
            ),
            Some(at(2026, 6, 30, 5, 0))
        );
        assert_eq!(
            handoff_due(None, Some(released), false, &z),
            Some(at(2026, 6, 11, 20, 0))
        );
        assert_eq!(handoff_due(None, None, false, &z), None);
    }

    #[test]
    fn handoff_states() {
        let due = at(2026, 6, 11, 20, 0);
        assert_eq!(handoff_state(due, Some(due), due), HandoffState::Held);
        assert_eq!(
            handoff_state(due, Some(at(2026, 6, 12, 9, 0)), due),
            HandoffState::HeldLate
        );
        assert_eq!(handoff_state(due, None, due), HandoffState::Due(due));
        let s = handoff_state(due, None, at(2026, 6, 11, 20, 1));
        assert_eq!(s, HandoffState::Overdue(due));
        assert!(s.is_overdue());
    }

    proptest! {
        #[test]
        fn the_window_moves_day_for_day_with_the_release(
            expected in any_date(),
            moved in -200i64..200,
            days in 1u16..=90,
            today in any_date(),
        ) {
            let w = PreReleaseWindow::new(expected, days);
            prop_assert_eq!((w.expected_release - w.opens_on()).num_days(), i64::from(days));
            let new = expected + TimeDelta::days(moved);
            let r = w.replan(new);
            prop_assert_eq!(r.moved_days, moved);
            prop_assert_eq!(r.window, PreReleaseWindow::new(new, days));
            // Open exactly from its first day on.
            let open = matches!(r.window.state(today), WindowState::Open(_));
            prop_assert_eq!(open, today >= r.window.opens_on());
            // Re-planning back gives the first window.
            prop_assert_eq!(r.window.replan(expected).window, w);
            // The instant it opens is on its first day, on the organisation's clock.
            let z = chicago();
            prop_assert_eq!(z.date_of(w.opens_at(&z)), w.opens_on());
        }

        #[test]
        fn screening_is_overdue_only_after_72_hours(
            booked in any_date(),
            minutes in 0i64..(10 * 24 * 60),
            screened in any::<bool>(),
        ) {
            let z = chicago();
            let now = z.start_of(booked) + TimeDelta::minutes(minutes);
            let s = screening_state(booked, screened, &z, now);
            let overdue = matches!(s, ScreeningState::Overdue(_));
            prop_assert_eq!(s == ScreeningState::Done, screened);
            prop_assert_eq!(overdue, !screened && minutes > 72 * 60);
        }

        #[test]
        fn an_unplanned_release_gives_24_hours(
            expected in prop::option::of(any_date()),
            released_day in any_date(),
            minute in 0i64..(24 * 60),
            held_after in prop::option::of(0i64..(48 * 60)),
        ) {
            let z = chicago();
            let released = z.start_of(released_day) + TimeDelta::minutes(minute);
            let due = handoff_due(expected, Some(released), true, &z).unwrap();
            prop_assert_eq!(due - released, TimeDelta::hours(24));
            let held = held_after.map(|m| released + TimeDelta::minutes(m));
            let s = handoff_state(due, held, released + TimeDelta::hours(30));
            match held_after {
                Some(m) if m <= 24 * 60 => prop_assert_eq!(s, HandoffState::Held),
                Some(_) => prop_assert_eq!(s, HandoffState::HeldLate),
                None => prop_assert!(s.is_overdue()),
            }
        }
    }
}
