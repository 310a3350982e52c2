//! The pure rules of supervision that develops people (decision 0051): a session's length in
//! minutes and hours (hours derived), where a session's sign-off stands, the competency rating
//! scale, a review history's progress per area, and which hours count as supervision received
//! toward a credential (sessions, and ethics consultations held with a programme supervisor).

use chrono::NaiveDate;
use serde::Serialize;

use crate::workforce::credentials::HoursEntry;

/// The longest a session or consultation may last, in minutes (12 hours, the limit the hours
/// field always had).
pub const MAX_MINUTES: i64 = 12 * 60;

/// A session's length from what was given: `minutes`, or else `hours` (rounded to the nearest
/// minute). Both given must agree within half a minute. Hours are always derived from the
/// minutes, so the two never disagree once stored.
pub fn length(hours: Option<f64>, minutes: Option<i64>) -> Result<(i64, f64), LengthError> {
    let m = match (minutes, hours) {
        (Some(m), Some(h)) if !h.is_finite() || (h * 60.0 - m as f64).abs() > 0.5 => {
            return Err(LengthError::Disagree);
        }
        (Some(m), _) => m,
        (None, Some(h)) if h.is_finite() => (h * 60.0).round() as i64,
        (None, Some(_)) => return Err(LengthError::OutOfRange),
        (None, None) => return Err(LengthError::Missing),
    };
    if m <= 0 || m > MAX_MINUTES {
        return Err(LengthError::OutOfRange);
    }
    Ok((m, hours_of(m)))
}

/// Minutes as hours.
pub fn hours_of(minutes: i64) -> f64 {
    minutes as f64 / 60.0
}

/// Why a length was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthError {
    Missing,
    OutOfRange,
    Disagree,
}

/// Where a session's sign-off stands. A session is signed when both its supervisor and its peer
/// have signed; an amendment clears both signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignOff {
    /// Neither has signed.
    Unsigned,
    /// The peer signed; the supervisor has not.
    AwaitingSupervisor,
    /// The supervisor signed; the peer has not.
    AwaitingPeer,
    /// Both signed.
    Signed,
}

impl SignOff {
    /// From whether the supervisor and the peer have signed.
    pub fn of(supervisor_signed: bool, peer_signed: bool) -> SignOff {
        match (supervisor_signed, peer_signed) {
            (false, false) => SignOff::Unsigned,
            (false, true) => SignOff::AwaitingSupervisor,
            (true, false) => SignOff::AwaitingPeer,
            (true, true) => SignOff::Signed,
        }
    }

    /// Its code (also its message key's suffix).
    pub fn as_str(self) -> &'static str {
        match self {
            SignOff::Unsigned => "unsigned",
            SignOff::AwaitingSupervisor => "awaiting_supervisor",
            SignOff::AwaitingPeer => "awaiting_peer",
            SignOff::Signed => "signed",
        }
    }
}

/// Does the session (supervised by `supervisor`, with `peer`, signatures as given) wait for
/// `user`'s signature? Only the two parties ever sign, each once.
pub fn awaits(
    user: i64,
    supervisor: i64,
    peer: i64,
    supervisor_signed: bool,
    peer_signed: bool,
) -> bool {
    (user == supervisor && !supervisor_signed) || (user == peer && !peer_signed)
}

/// The competency rating scale: 1 to 4 (decision 0051). 1 not yet demonstrated, 2 developing
/// (with support), 3 competent (independently), 4 advanced (models it for and guides others).
/// An even scale with no middle point, so each rating says whether the competency is yet
/// practised independently (3 and up) or not (1-2).
pub const RATING_MIN: i32 = 1;
/// The top of the scale.
pub const RATING_MAX: i32 = 4;

/// Whether `r` is on the scale.
pub fn valid_rating(r: i32) -> bool {
    (RATING_MIN..=RATING_MAX).contains(&r)
}

/// One rating of a review, as the history reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingPoint {
    pub on: NaiveDate,
    pub self_rating: Option<i32>,
    pub supervisor_rating: Option<i32>,
}

/// A review history's change in one area: the first and the latest supervisor rating (the
/// latest review that has one), and their difference; `None` without two rated reviews.
pub fn change(points: &[RatingPoint]) -> Option<(i32, i32, i32)> {
    let mut rated: Vec<&RatingPoint> = points
        .iter()
        .filter(|p| p.supervisor_rating.is_some())
        .collect();
    rated.sort_by_key(|p| p.on);
    let first = rated.first()?.supervisor_rating?;
    let last = rated.last()?.supervisor_rating?;
    (rated.len() >= 2).then_some((first, last, last - first))
}

/// The mean of the ratings given (`None` when none is).
pub fn mean(ratings: impl IntoIterator<Item = Option<i32>>) -> Option<f64> {
    let (sum, n) = ratings
        .into_iter()
        .flatten()
        .fold((0i64, 0i64), |(s, n), r| (s + i64::from(r), n + 1));
    (n > 0).then(|| sum as f64 / n as f64)
}

/// An ethics or boundary consultation as credential progress reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConsultationHours {
    pub on: NaiveDate,
    pub minutes: i64,
    /// Held with a supervisor of the programme (a user), not with someone outside it.
    pub with_supervisor: bool,
}

/// The supervision a peer received that counts toward a credential's supervision hours: every
/// session, and each ethics consultation held with a programme supervisor (consultation with a
/// supervisor on ethics is supervision on the standards' ethics domain; decision 0051).
/// Consultations with anyone else count nowhere.
pub fn supervision_received(
    sessions: impl IntoIterator<Item = (NaiveDate, f64)>,
    consultations: &[ConsultationHours],
) -> Vec<HoursEntry> {
    let mut out: Vec<HoursEntry> = sessions
        .into_iter()
        .map(|(on, hours)| HoursEntry { on, hours })
        .collect();
    out.extend(
        consultations
            .iter()
            .filter(|c| c.with_supervisor && c.minutes > 0)
            .map(|c| HoursEntry {
                on: c.on,
                hours: hours_of(c.minutes),
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn length_takes_minutes_or_hours_and_derives_hours() {
        assert_eq!(length(None, Some(90)), Ok((90, 1.5)));
        assert_eq!(length(Some(1.25), None), Ok((75, 1.25)));
        assert_eq!(length(Some(1.5), Some(90)), Ok((90, 1.5)));
        assert_eq!(length(Some(2.0), Some(90)), Err(LengthError::Disagree));
        assert_eq!(length(None, None), Err(LengthError::Missing));
        assert_eq!(length(None, Some(0)), Err(LengthError::OutOfRange));
        assert_eq!(length(Some(12.5), None), Err(LengthError::OutOfRange));
        assert_eq!(length(Some(f64::NAN), None), Err(LengthError::OutOfRange));
    }

    #[test]
    fn sign_off_and_who_it_awaits() {
        assert_eq!(SignOff::of(false, false), SignOff::Unsigned);
        assert_eq!(SignOff::of(true, false), SignOff::AwaitingPeer);
        assert_eq!(SignOff::of(false, true), SignOff::AwaitingSupervisor);
        assert_eq!(SignOff::of(true, true), SignOff::Signed);
        assert!(awaits(1, 1, 2, false, true));
        assert!(!awaits(1, 1, 2, true, false));
        assert!(awaits(2, 1, 2, true, false));
        assert!(!awaits(3, 1, 2, false, false));
    }

    #[test]
    fn change_compares_first_and_latest_rated_review() {
        let p = |on: &str, s: Option<i32>| RatingPoint {
            on: d(on),
            self_rating: None,
            supervisor_rating: s,
        };
        assert_eq!(change(&[p("2026-01-01", Some(2))]), None);
        assert_eq!(
            change(&[
                p("2026-07-01", Some(3)),
                p("2026-01-01", Some(1)),
                p("2026-10-01", None),
            ]),
            Some((1, 3, 2))
        );
        assert_eq!(mean([Some(1), None, Some(4)]), Some(2.5));
        assert_eq!(mean([None]), None);
    }

    #[test]
    fn consultations_count_only_with_a_supervisor() {
        let c = [
            ConsultationHours {
                on: d("2026-03-02"),
                minutes: 45,
                with_supervisor: true,
            },
            ConsultationHours {
                on: d("2026-03-09"),
                minutes: 30,
                with_supervisor: false,
            },
        ];
        let got = supervision_received([(d("2026-03-01"), 1.0)], &c);
        let total: f64 = got.iter().map(|e| e.hours).sum();
        assert_eq!(total, 1.75);
        assert_eq!(got.len(), 2);
    }

    proptest! {
        #[test]
        fn stored_hours_are_always_the_minutes(m in 1i64..=MAX_MINUTES) {
            let (mm, h) = length(None, Some(m)).expect("in range");
            prop_assert_eq!(mm, m);
            prop_assert!((h * 60.0 - m as f64).abs() < 1e-9);
            // Given as hours, the same length comes back.
            prop_assert_eq!(length(Some(h), None), Ok((m, h)));
        }

        #[test]
        fn a_session_awaits_at_most_its_two_parties(
            user in 1i64..6, sup in 1i64..6, peer in 1i64..6, s in any::<bool>(), p in any::<bool>()
        ) {
            let w = awaits(user, sup, peer, s, p);
            prop_assert!(!w || user == sup || user == peer);
            if SignOff::of(s, p) == SignOff::Signed {
                prop_assert!(!w);
            }
        }

        #[test]
        fn received_hours_are_sessions_plus_supervisor_consultations(
            sessions in proptest::collection::vec(0.25f64..4.0, 0..6),
            cons in proptest::collection::vec((1i64..240, any::<bool>()), 0..6),
        ) {
            let on = d("2026-05-01");
            let c: Vec<ConsultationHours> = cons
                .iter()
                .map(|&(minutes, with_supervisor)| ConsultationHours { on, minutes, with_supervisor })
                .collect();
            let got: f64 = supervision_received(sessions.iter().map(|&h| (on, h)), &c)
                .iter()
                .map(|e| e.hours)
                .sum();
            let want: f64 = sessions.iter().sum::<f64>()
                + cons.iter().filter(|c| c.1).map(|c| c.0 as f64 / 60.0).sum::<f64>();
            prop_assert!((got - want).abs() < 1e-9);
        }

        #[test]
        fn the_mean_stays_on_the_scale(rs in proptest::collection::vec(proptest::option::of(RATING_MIN..=RATING_MAX), 0..12)) {
            match mean(rs.iter().copied()) {
                Some(m) => prop_assert!((f64::from(RATING_MIN)..=f64::from(RATING_MAX)).contains(&m)),
                None => prop_assert!(rs.iter().all(Option::is_none)),
            }
        }
    }
}
