//! Where one person stands in reentry at an instant, from the few facts the caseload keeps
//! about them: the screening since booking, the pre-release window, the warm handoff. One
//! function, so the caseload's flags, the home page's list and the participant's reentry status
//! cannot tell a peer different things.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::programme::ProgrammeRules;
use super::timing::{
    HandoffState, PreReleaseWindow, ScreeningState, WindowState, handoff_due, handoff_state,
    screening_state,
};
use crate::platform::time::Zone;

/// A release more than this many days before the expected date was not the plan (as
/// `journey::rules::EARLY_RELEASE_TOLERANCE_DAYS` decides for the release flags).
pub const EARLY_RELEASE_TOLERANCE_DAYS: i64 = crate::journey::rules::EARLY_RELEASE_TOLERANCE_DAYS;

/// The facts [`standing`] needs about one person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Situation {
    /// The start of the open custody episode (the booking), while in custody.
    pub booked_on: Option<NaiveDate>,
    /// The open episode's expected release.
    pub expected_release: Option<NaiveDate>,
    /// The open episode's release, once recorded.
    pub released_at: Option<NaiveDateTime>,
    /// The newest screening, and whether it found an eligible juvenile (CAA 2023 §5121).
    pub last_screened_at: Option<NaiveDateTime>,
    pub youth: bool,
    /// The first warm handoff held.
    pub first_handoff_held_at: Option<NaiveDateTime>,
}

/// Where the person stands: each part is `None` when it does not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// In custody: screened since the booking, or due, or overdue.
    pub screening: Option<ScreeningState>,
    /// In custody with an expected release: the window's opening, or open since.
    pub window: Option<WindowState>,
    /// The warm handoff, once it has a due time.
    pub handoff: Option<HandoffState>,
    /// Released without warning: no expected date, or more than the tolerance early.
    pub unplanned_release: bool,
}

/// Released without warning: no expected date, or released more than the tolerance before it.
pub fn is_unplanned(expected_release: Option<NaiveDate>, released_on: NaiveDate) -> bool {
    expected_release.is_none_or(|e| (e - released_on).num_days() > EARLY_RELEASE_TOLERANCE_DAYS)
}

/// Where a person stands at `now` (`zone` gives the organisation's days) under the programme.
pub fn standing(
    s: &Situation,
    rules: &ProgrammeRules,
    zone: &Zone,
    now: NaiveDateTime,
) -> Standing {
    let in_custody = s.booked_on.is_some() && s.released_at.is_none();
    let screening = s.booked_on.filter(|_| in_custody).map(|b| {
        let since_booking = s.last_screened_at.is_some_and(|at| at >= zone.start_of(b));
        screening_state(b, since_booking, zone, now)
    });
    let window = s
        .expected_release
        .filter(|_| in_custody)
        .map(|d| PreReleaseWindow::new(d, rules.window_days_for(s.youth)).state(zone.date_of(now)));
    let unplanned = s
        .released_at
        .is_some_and(|at| is_unplanned(s.expected_release, zone.date_of(at)));
    let due = if in_custody {
        handoff_due(s.expected_release, None, false, zone)
    } else {
        s.released_at
            .and_then(|at| handoff_due(s.expected_release, Some(at), unplanned, zone))
    };
    Standing {
        screening,
        window,
        handoff: due.map(|d| handoff_state(d, s.first_handoff_held_at, now)),
        unplanned_release: unplanned,
    }
}

/// How long after a release the caseload still shows a missing handoff: the high-risk window's
/// 14 days (`journey::rules::RiskWindow`); after that the record, not the caseload, says so.
pub const HANDOFF_SHOWN_DAYS_AFTER_RELEASE: i64 = 14;

/// Whether a handoff state is still worth a flag on the caseload at `now`.
pub fn handoff_still_shown(s: &Situation, now: NaiveDateTime) -> bool {
    s.released_at
        .is_none_or(|at| now - at <= TimeDelta::days(HANDOFF_SHOWN_DAYS_AFTER_RELEASE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reentry::rules::Template;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        date(y, m, d).and_hms_opt(h, 0, 0).unwrap()
    }

    fn utc() -> Zone {
        Zone::parse("time_zone", "UTC").unwrap()
    }

    #[test]
    fn a_new_booking_is_due_a_screening_and_its_window_opens_before_the_release() {
        let wa = ProgrammeRules::of(Template::Washington);
        let s = Situation {
            booked_on: Some(date(2026, 3, 1)),
            expected_release: Some(date(2026, 9, 1)),
            ..Situation::default()
        };
        let st = standing(&s, &wa, &utc(), at(2026, 3, 2, 12));
        assert_eq!(st.screening, Some(ScreeningState::Due(at(2026, 3, 4, 0))));
        assert_eq!(st.window, Some(WindowState::Opens(date(2026, 6, 3))));
        // Screened since the booking: done; a screening before this booking does not count.
        let screened = Situation {
            last_screened_at: Some(at(2026, 3, 3, 9)),
            ..s
        };
        assert_eq!(
            standing(&screened, &wa, &utc(), at(2026, 3, 5, 0)).screening,
            Some(ScreeningState::Done)
        );
        let before = Situation {
            last_screened_at: Some(at(2026, 2, 27, 9)),
            ..s
        };
        let late = standing(&before, &wa, &utc(), at(2026, 3, 5, 0));
        assert_eq!(
            late.screening,
            Some(ScreeningState::Overdue(at(2026, 3, 4, 0)))
        );
    }

    #[test]
    fn the_window_moves_with_the_expected_release_and_the_handoff_falls_due_at_it() {
        let mt = ProgrammeRules::of(Template::Montana);
        let s = Situation {
            booked_on: Some(date(2026, 1, 1)),
            expected_release: Some(date(2026, 5, 31)),
            last_screened_at: Some(at(2026, 1, 2, 9)),
            ..Situation::default()
        };
        let st = standing(&s, &mt, &utc(), at(2026, 5, 10, 0));
        assert_eq!(st.window, Some(WindowState::Open(date(2026, 5, 1))));
        assert_eq!(st.handoff, Some(HandoffState::Due(at(2026, 5, 31, 0))));
        let moved = Situation {
            expected_release: Some(date(2026, 7, 31)),
            ..s
        };
        let st = standing(&moved, &mt, &utc(), at(2026, 5, 10, 0));
        assert_eq!(st.window, Some(WindowState::Opens(date(2026, 7, 1))));
    }

    #[test]
    fn an_unplanned_release_gives_a_day_for_the_handoff_and_a_held_one_clears_it() {
        let fed = ProgrammeRules::of(Template::FederalMinimum);
        let s = Situation {
            booked_on: Some(date(2026, 1, 1)),
            expected_release: Some(date(2026, 8, 1)),
            released_at: Some(at(2026, 6, 1, 15)),
            ..Situation::default()
        };
        let st = standing(&s, &fed, &utc(), at(2026, 6, 2, 16));
        assert!(st.unplanned_release);
        assert_eq!(st.screening, None);
        assert_eq!(st.window, None);
        assert_eq!(st.handoff, Some(HandoffState::Overdue(at(2026, 6, 2, 15))));
        let held = Situation {
            first_handoff_held_at: Some(at(2026, 6, 2, 10)),
            ..s
        };
        let st = standing(&held, &fed, &utc(), at(2026, 6, 2, 16));
        assert_eq!(st.handoff, Some(HandoffState::Held));
        // Released on the expected day: planned, the handoff was due before it.
        let planned = Situation {
            expected_release: Some(date(2026, 6, 1)),
            ..s
        };
        assert!(!standing(&planned, &fed, &utc(), at(2026, 6, 2, 0)).unplanned_release);
        assert!(is_unplanned(None, date(2026, 6, 1)));
        assert!(handoff_still_shown(&s, at(2026, 6, 15, 15)));
        assert!(!handoff_still_shown(&s, at(2026, 6, 15, 16)));
    }
}
