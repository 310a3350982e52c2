//! Where a field visit stands at an instant (issue 18 item 1; seed 003 asks programmes to plan
//! for peers' personal safety in community work). Pure: the clock is an argument.
//!
//! - A visit the peer asked help on is `Help` until checked out: everyone who watches sees it
//!   at once.
//! - An open visit past its expected end is `Overdue` for the supervisor, and `Escalated` once
//!   [`ESCALATE_AFTER_MINUTES`] more have passed: then the backup (the programme's admins) sees
//!   it too.

use chrono::{NaiveDateTime, TimeDelta};

/// Minutes after an overdue check-out before the backup is alerted.
pub const ESCALATE_AFTER_MINUTES: i64 = 30;

/// The longest visit one check-in covers: a peer checks in again for a longer day.
pub const MAX_VISIT_HOURS: i64 = 12;

/// Where a visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitState {
    /// Checked out.
    Ended,
    /// Open, expected to end at this instant.
    Open(NaiveDateTime),
    /// Help asked at this instant, not checked out.
    Help(NaiveDateTime),
    /// Past its expected end (since) without check-out: the supervisor is alerted.
    Overdue(NaiveDateTime),
    /// Overdue for more than the escalation time (since the expected end): the backup too.
    Escalated(NaiveDateTime),
}

impl VisitState {
    /// Its code, as the API and the pages say it.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Ended => "ended",
            Self::Open(_) => "open",
            Self::Help(_) => "help",
            Self::Overdue(_) => "overdue",
            Self::Escalated(_) => "escalated",
        }
    }

    /// The supervisor is alerted.
    pub const fn alerts_supervisor(&self) -> bool {
        matches!(self, Self::Help(_) | Self::Overdue(_) | Self::Escalated(_))
    }

    /// The backup (an admin) is alerted.
    pub const fn alerts_backup(&self) -> bool {
        matches!(self, Self::Help(_) | Self::Escalated(_))
    }
}

/// Where a visit expected to end at `expected_end` stands at `now`.
pub fn state(
    expected_end: NaiveDateTime,
    ended_at: Option<NaiveDateTime>,
    help_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> VisitState {
    match (ended_at, help_at) {
        (Some(_), _) => VisitState::Ended,
        (None, Some(h)) => VisitState::Help(h),
        (None, None) if now <= expected_end => VisitState::Open(expected_end),
        (None, None) if now - expected_end > TimeDelta::minutes(ESCALATE_AFTER_MINUTES) => {
            VisitState::Escalated(expected_end)
        }
        (None, None) => VisitState::Overdue(expected_end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn a_visit_is_open_then_overdue_then_escalated_unless_checked_out() {
        let end = at(15, 0);
        assert_eq!(state(end, None, None, at(14, 0)), VisitState::Open(end));
        assert_eq!(state(end, None, None, at(15, 0)), VisitState::Open(end));
        assert_eq!(state(end, None, None, at(15, 1)), VisitState::Overdue(end));
        assert_eq!(state(end, None, None, at(15, 30)), VisitState::Overdue(end));
        assert_eq!(
            state(end, None, None, at(15, 31)),
            VisitState::Escalated(end)
        );
        assert_eq!(
            state(end, Some(at(16, 0)), None, at(17, 0)),
            VisitState::Ended
        );
        let s = state(end, None, Some(at(14, 10)), at(14, 11));
        assert_eq!(s, VisitState::Help(at(14, 10)));
        assert!(s.alerts_supervisor() && s.alerts_backup());
        assert!(VisitState::Overdue(end).alerts_supervisor());
        assert!(!VisitState::Overdue(end).alerts_backup());
    }

    proptest! {
        /// Checked out is the end of it, whatever else; an open visit with no help alerts no
        /// one before its expected end.
        #[test]
        fn check_out_ends_every_alert(mins in -600i64..600, help in any::<bool>()) {
            let end = at(12, 0);
            let now = end + TimeDelta::minutes(mins);
            let help_at = help.then_some(at(11, 0));
            prop_assert_eq!(state(end, Some(at(11, 30)), help_at, now), VisitState::Ended);
            let s = state(end, None, None, now);
            prop_assert_eq!(s.alerts_supervisor(), mins > 0);
            prop_assert_eq!(s.alerts_backup(), mins > ESCALATE_AFTER_MINUTES);
        }
    }
}
