//! Disengagement early warning: silence is the first sign of relapse after release (CHESS's
//! watch for silence, decision 0053). Someone the programme can reach in the community who has
//! had no completed contact for a number of days, whose last contact attempts in a row all
//! failed, who has left outbound messages unanswered in a row, or who missed their last
//! appointments in a row (with the supervising officer, for a medication dose, with the peer),
//! is "not heard from".
//!
//! Never for someone in custody: there a peer reaches the person only when the facility lets
//! them in, so a silence says nothing about the person (decision 0053).
//!
//! Pure: the caller passes the facts and `now`.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::EncounterOutcome;
use crate::platform::vocabulary::vocabulary;

/// Days without a completed contact that raise the warning, unless the programme sets another.
pub const DEFAULT_DAYS_WITHOUT_CONTACT: u32 = 7;
/// Failed contact attempts in a row that raise the warning, unless the programme sets another.
pub const DEFAULT_ATTEMPTS_IN_A_ROW: u32 = 3;
/// Unanswered outbound messages in a row that raise the warning.
pub const DEFAULT_UNANSWERED_MESSAGES: u32 = 3;
/// Appointments missed in a row that raise the warning: two, because one missed appointment
/// is often a bus or a shift, and a second in a row is a pattern a supervising officer will
/// act on (a technical violation).
pub const DEFAULT_MISSED_APPOINTMENTS: u32 = 2;

/// The programme's thresholds. A threshold of 0 turns that test off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisengagementRule {
    pub days_without_contact: u32,
    pub attempts_in_a_row: u32,
    pub unanswered_messages: u32,
    pub missed_appointments: u32,
}

impl Default for DisengagementRule {
    fn default() -> Self {
        DisengagementRule {
            days_without_contact: DEFAULT_DAYS_WITHOUT_CONTACT,
            attempts_in_a_row: DEFAULT_ATTEMPTS_IN_A_ROW,
            unanswered_messages: DEFAULT_UNANSWERED_MESSAGES,
            missed_appointments: DEFAULT_MISSED_APPOINTMENTS,
        }
    }
}

/// What the records say about one person's engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Engagement {
    /// Since when the programme can reach the person in the community (their release, or the
    /// start of a community episode); `None` in custody or with no open episode: no warning.
    pub reachable_since: Option<NaiveDateTime>,
    /// The last completed contact, if any since `reachable_since`.
    pub last_contact: Option<NaiveDateTime>,
    /// Contact attempts that failed, in a row, after the last completed contact.
    pub failed_attempts: u32,
    /// Outbound messages unanswered, in a row.
    pub unanswered_messages: u32,
    /// Appointments missed, in a row, since `reachable_since`.
    pub missed_appointments: u32,
}

impl Engagement {
    /// The instant the silence is counted from: the last completed contact, or else the moment
    /// the person became reachable. `None` when not reachable.
    pub fn quiet_since(&self) -> Option<NaiveDateTime> {
        let since = self.reachable_since?;
        Some(self.last_contact.map_or(since, |c| c.max(since)))
    }
}

vocabulary! {
    /// Why a person is "not heard from".
    pub enum DisengagementReason: &self {
        /// No completed contact for the programme's number of days.
        NoContact = "no_contact" => "No completed contact",
        /// The last contact attempts all failed.
        FailedAttempts = "failed_attempts" => "Contact attempts in a row without contact",
        /// The last outbound messages went unanswered.
        UnansweredMessages = "unanswered_messages" => "Messages unanswered in a row",
        /// The last appointments were missed.
        MissedAppointments = "missed_appointments" => "Appointments missed in a row",
    }
}

/// The warning: since when the person has been quiet, how long, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DisengagementSignal {
    /// The last completed contact, or the release (or start of a community episode) if none.
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub quiet_since: NaiveDateTime,
    /// Whole days (of 24 hours) since then.
    pub days_without_contact: i64,
    pub failed_attempts: u32,
    pub unanswered_messages: u32,
    pub missed_appointments: u32,
    /// Each test that raised the warning, in the order of [`DisengagementReason`].
    pub reasons: Vec<DisengagementReason>,
}

/// The disengagement warning for a person at `now`, or `None`.
pub fn disengagement(
    e: &Engagement,
    rule: &DisengagementRule,
    now: NaiveDateTime,
) -> Option<DisengagementSignal> {
    let quiet_since = e.quiet_since()?;
    let days = (now - quiet_since).num_days();
    let mut reasons = Vec::new();
    if rule.days_without_contact > 0 && now >= silent_enough(quiet_since, rule) {
        reasons.push(DisengagementReason::NoContact);
    }
    if rule.attempts_in_a_row > 0 && e.failed_attempts >= rule.attempts_in_a_row {
        reasons.push(DisengagementReason::FailedAttempts);
    }
    if rule.unanswered_messages > 0 && e.unanswered_messages >= rule.unanswered_messages {
        reasons.push(DisengagementReason::UnansweredMessages);
    }
    if rule.missed_appointments > 0 && e.missed_appointments >= rule.missed_appointments {
        reasons.push(DisengagementReason::MissedAppointments);
    }
    (!reasons.is_empty()).then_some(DisengagementSignal {
        quiet_since,
        days_without_contact: days,
        failed_attempts: e.failed_attempts,
        unanswered_messages: e.unanswered_messages,
        missed_appointments: e.missed_appointments,
        reasons,
    })
}

/// The instant from which the silence is long enough (the caseload's SQL asks the same:
/// `quiet_since <= now - days`).
fn silent_enough(quiet_since: NaiveDateTime, rule: &DisengagementRule) -> NaiveDateTime {
    quiet_since + TimeDelta::days(i64::from(rule.days_without_contact))
}

/// From a person's encounters (any order), counted from `since`: the last completed contact
/// and how many attempts failed after it (or after `since`, with none completed). Encounters
/// before `since` (in custody, before release) do not count.
pub fn tally(
    since: NaiveDateTime,
    encounters: &[(NaiveDateTime, EncounterOutcome)],
) -> (Option<NaiveDateTime>, u32) {
    let last = encounters
        .iter()
        .filter(|(at, o)| *at >= since && o.counts_as_contact())
        .map(|(at, _)| *at)
        .max();
    let failed = encounters
        .iter()
        .filter(|(at, o)| *at >= since && !o.counts_as_contact() && last.is_none_or(|l| *at > l))
        .count();
    (last, u32::try_from(failed).unwrap_or(u32::MAX))
}

/// From a person's messages (any order; `true` for one from the person), counted from `since`:
/// how many staff messages went out, sent, after the person's last message in (or after `since`,
/// with none in). Any message in, a STOP too, is an answer: it ends the run.
pub fn unanswered(since: NaiveDateTime, messages: &[(NaiveDateTime, bool)]) -> u32 {
    let last_in = messages
        .iter()
        .filter(|(at, inbound)| *inbound && *at >= since)
        .map(|(at, _)| *at)
        .max();
    let out = messages
        .iter()
        .filter(|(at, inbound)| !*inbound && *at >= since && last_in.is_none_or(|l| *at > l))
        .count();
    u32::try_from(out).unwrap_or(u32::MAX)
}

/// From a person's appointments with an outcome of kept or missed (any order: the day, when
/// the outcome was written, and `true` for kept), counted from `since`'s day: how many were
/// missed after the last one kept. Cancelled appointments are not passed: they say nothing
/// about the person. Same-day appointments are in the order their outcomes were written.
pub fn missed_in_a_row(
    since: NaiveDateTime,
    appointments: &[(NaiveDate, NaiveDateTime, bool)],
) -> u32 {
    let counted = appointments.iter().filter(|(on, _, _)| *on >= since.date());
    let last_kept = counted
        .clone()
        .filter(|(_, _, kept)| *kept)
        .map(|(on, at, _)| (*on, *at))
        .max();
    let missed = counted
        .filter(|(on, at, kept)| !*kept && last_kept.is_none_or(|k| (*on, *at) > k))
        .count();
    u32::try_from(missed).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod missed_tests {
    use super::*;
    use crate::journey::rules::fixtures::*;
    use proptest::prelude::*;

    #[test]
    fn appointments_missed_after_the_last_kept_count() {
        let since = at(2026, 3, 1, 9, 0);
        let a = |d: u32, kept: bool| {
            let on = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
            (on, at(2026, 3, d, 18, 0), kept)
        };
        assert_eq!(missed_in_a_row(since, &[]), 0);
        assert_eq!(missed_in_a_row(since, &[a(2, false), a(5, false)]), 2);
        assert_eq!(
            missed_in_a_row(since, &[a(2, false), a(3, true), a(5, false)]),
            1
        );
        assert_eq!(missed_in_a_row(since, &[a(5, false), a(2, true)]), 1);
        // The day of release counts (an appointment that morning), the day before does not.
        let before = (
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(),
            at(2026, 2, 28, 9, 0),
            false,
        );
        assert_eq!(missed_in_a_row(since, &[before, a(1, false)]), 1);
    }

    proptest! {
        /// Never more than the appointments missed; a kept one after all of them clears the
        /// run; a missed one after that adds one.
        #[test]
        fn a_kept_appointment_clears_the_run(days in proptest::collection::vec((1u32..28, any::<bool>()), 0..20)) {
            let since = at(2026, 2, 1, 0, 0);
            let list: Vec<(NaiveDate, NaiveDateTime, bool)> = days
                .iter()
                .map(|(d, k)| (NaiveDate::from_ymd_opt(2026, 2, *d).unwrap(), at(2026, 2, *d, 12, 0), *k))
                .collect();
            let n = missed_in_a_row(since, &list);
            prop_assert!(n as usize <= list.iter().filter(|(_, _, k)| !*k).count());
            let mut kept = list.clone();
            kept.push((NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), at(2026, 3, 1, 12, 0), true));
            prop_assert_eq!(missed_in_a_row(since, &kept), 0);
            let mut more = kept.clone();
            more.push((NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), at(2026, 3, 2, 12, 0), false));
            prop_assert_eq!(missed_in_a_row(since, &more), 1);
        }
    }
}

#[cfg(test)]
mod unanswered_tests {
    use super::*;
    use crate::journey::rules::fixtures::*;
    use proptest::prelude::*;

    #[test]
    fn messages_out_after_the_last_answer_count() {
        let since = at(2026, 3, 1, 9, 0);
        let m = |d: u32, inbound: bool| (at(2026, 3, d, 10, 0), inbound);
        assert_eq!(unanswered(since, &[]), 0);
        assert_eq!(unanswered(since, &[m(2, false), m(3, false)]), 2);
        assert_eq!(
            unanswered(since, &[m(2, false), m(3, true), m(4, false)]),
            1
        );
        assert_eq!(unanswered(since, &[m(4, false), m(5, true)]), 0);
        // Before `since` (in custody, before release) nothing counts.
        assert_eq!(
            unanswered(at(2026, 3, 3, 0, 0), &[m(2, false), m(4, false)]),
            1
        );
    }

    proptest! {
        /// Never more than the messages sent; an answer after every message out clears it; a
        /// new message out adds one.
        #[test]
        fn an_answer_clears_the_run(days in proptest::collection::vec((1u32..28, any::<bool>()), 0..20)) {
            let since = at(2026, 2, 1, 0, 0);
            let msgs: Vec<(NaiveDateTime, bool)> = days.iter().map(|(d, i)| (at(2026, 2, *d, 12, 0), *i)).collect();
            let n = unanswered(since, &msgs);
            prop_assert!(n as usize <= msgs.iter().filter(|(_, i)| !*i).count());
            let mut answered = msgs.clone();
            answered.push((at(2026, 3, 1, 12, 0), true));
            prop_assert_eq!(unanswered(since, &answered), 0);
            let mut more = answered.clone();
            more.push((at(2026, 3, 2, 12, 0), false));
            prop_assert_eq!(unanswered(since, &more), 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::rules::fixtures::*;
    use proptest::prelude::*;

    fn reachable(since: NaiveDateTime) -> Engagement {
        Engagement {
            reachable_since: Some(since),
            last_contact: None,
            failed_attempts: 0,
            unanswered_messages: 0,
            missed_appointments: 0,
        }
    }

    #[test]
    fn seven_days_of_silence_after_release_raise_it() {
        let released = at(2025, 3, 1, 9, 0);
        let rule = DisengagementRule::default();
        let e = reachable(released);
        assert_eq!(disengagement(&e, &rule, at(2025, 3, 8, 8, 59)), None);
        let s = disengagement(&e, &rule, at(2025, 3, 8, 9, 0)).expect("signal");
        assert_eq!(s.reasons, vec![DisengagementReason::NoContact]);
        assert_eq!(s.days_without_contact, 7);
        assert_eq!(s.quiet_since, released);
        // A contact on day 5 starts the count again.
        let e = Engagement {
            last_contact: Some(at(2025, 3, 6, 12, 0)),
            ..e
        };
        assert_eq!(disengagement(&e, &rule, at(2025, 3, 12, 9, 0)), None);
        let s = disengagement(&e, &rule, at(2025, 3, 13, 12, 0)).expect("signal");
        assert_eq!(s.quiet_since, at(2025, 3, 6, 12, 0));
    }

    #[test]
    fn three_failed_attempts_raise_it_at_once() {
        let e = Engagement {
            failed_attempts: 3,
            ..reachable(at(2025, 3, 1, 9, 0))
        };
        let s =
            disengagement(&e, &DisengagementRule::default(), at(2025, 3, 2, 9, 0)).expect("signal");
        assert_eq!(s.reasons, vec![DisengagementReason::FailedAttempts]);
        assert_eq!(s.days_without_contact, 1);
        let two = Engagement {
            failed_attempts: 2,
            ..e
        };
        assert_eq!(
            disengagement(&two, &DisengagementRule::default(), at(2025, 3, 2, 9, 0)),
            None
        );
    }

    #[test]
    fn never_in_custody_and_a_zero_threshold_is_off() {
        let custody = Engagement {
            reachable_since: None,
            last_contact: None,
            failed_attempts: 40,
            unanswered_messages: 40,
            missed_appointments: 40,
        };
        assert_eq!(
            disengagement(
                &custody,
                &DisengagementRule::default(),
                at(2030, 1, 1, 0, 0)
            ),
            None
        );
        let off = DisengagementRule {
            days_without_contact: 0,
            attempts_in_a_row: 0,
            unanswered_messages: 0,
            missed_appointments: 0,
        };
        let e = Engagement {
            failed_attempts: 9,
            unanswered_messages: 9,
            missed_appointments: 9,
            ..reachable(at(2020, 1, 1, 0, 0))
        };
        assert_eq!(disengagement(&e, &off, at(2030, 1, 1, 0, 0)), None);
    }

    #[test]
    fn the_tally_counts_attempts_after_the_last_contact_since_release() {
        let since = at(2025, 3, 1, 9, 0);
        let a = EncounterOutcome::Attempted;
        let c = EncounterOutcome::Completed;
        let encounters = [
            (at(2025, 2, 20, 9, 0), a), // in custody: not counted
            (at(2025, 2, 28, 9, 0), c), // before release: not a contact since
            (at(2025, 3, 3, 9, 0), a),
            (at(2025, 3, 5, 9, 0), a),
        ];
        assert_eq!(tally(since, &encounters), (None, 2));
        let mut more = encounters.to_vec();
        more.push((at(2025, 3, 4, 9, 0), c));
        assert_eq!(tally(since, &more), (Some(at(2025, 3, 4, 9, 0)), 1));
        assert_eq!(tally(since, &[]), (None, 0));
    }

    fn any_rule() -> impl Strategy<Value = DisengagementRule> {
        (0u32..30, 0u32..6, 0u32..6, 0u32..4).prop_map(|(d, a, m, x)| DisengagementRule {
            days_without_contact: d,
            attempts_in_a_row: a,
            unanswered_messages: m,
            missed_appointments: x,
        })
    }

    fn any_engagement() -> impl Strategy<Value = Engagement> {
        (
            prop::option::of(any_time()),
            prop::option::of(-20_000i64..40_000),
            0u32..8,
            0u32..8,
            0u32..5,
        )
            .prop_map(|(since, contact, failed, messages, missed)| Engagement {
                reachable_since: since,
                last_contact: since.zip(contact).map(|(s, m)| s + TimeDelta::minutes(m)),
                failed_attempts: failed,
                unanswered_messages: messages,
                missed_appointments: missed,
            })
    }

    proptest! {
        /// Once raised by silence, more silence never lowers it; and less never raises it.
        #[test]
        fn monotonic_in_time(e in any_engagement(), rule in any_rule(), offset in 0i64..80_000, more in 0i64..80_000) {
            let Some(since) = e.quiet_since() else { return Ok(()) };
            let now = since + TimeDelta::minutes(offset);
            let later = now + TimeDelta::minutes(more);
            if let Some(s) = disengagement(&e, &rule, now) {
                let l = disengagement(&e, &rule, later);
                prop_assert!(l.is_some());
                let l = l.unwrap_or(s.clone());
                prop_assert!(s.reasons.iter().all(|r| l.reasons.contains(r)));
                prop_assert!(l.days_without_contact >= s.days_without_contact);
            }
        }

        /// Each reason is exactly its threshold reached (a threshold of 0 being off).
        #[test]
        fn reasons_are_the_thresholds(e in any_engagement(), rule in any_rule(), offset in -100i64..80_000) {
            let Some(since) = e.quiet_since() else {
                prop_assert_eq!(disengagement(&e, &rule, any_now()), None);
                return Ok(());
            };
            let now = since + TimeDelta::minutes(offset);
            let reasons = disengagement(&e, &rule, now).map(|s| s.reasons).unwrap_or_default();
            let silent = rule.days_without_contact > 0
                && offset >= i64::from(rule.days_without_contact) * 24 * 60;
            prop_assert_eq!(reasons.contains(&DisengagementReason::NoContact), silent);
            prop_assert_eq!(
                reasons.contains(&DisengagementReason::FailedAttempts),
                rule.attempts_in_a_row > 0 && e.failed_attempts >= rule.attempts_in_a_row
            );
            prop_assert_eq!(
                reasons.contains(&DisengagementReason::UnansweredMessages),
                rule.unanswered_messages > 0 && e.unanswered_messages >= rule.unanswered_messages
            );
            prop_assert_eq!(
                reasons.contains(&DisengagementReason::MissedAppointments),
                rule.missed_appointments > 0 && e.missed_appointments >= rule.missed_appointments
            );
        }

        /// A stricter rule (fewer days, fewer attempts) raises it whenever a laxer one does.
        #[test]
        fn a_stricter_rule_warns_at_least_as_often(e in any_engagement(), rule in any_rule(), offset in 0i64..80_000, less in 0u32..30) {
            let Some(since) = e.quiet_since() else { return Ok(()) };
            let now = since + TimeDelta::minutes(offset);
            let stricter = DisengagementRule {
                days_without_contact: if rule.days_without_contact == 0 { 0 } else { rule.days_without_contact.saturating_sub(less).max(1) },
                attempts_in_a_row: if rule.attempts_in_a_row == 0 { 0 } else { rule.attempts_in_a_row.saturating_sub(less).max(1) },
                ..rule
            };
            if disengagement(&e, &rule, now).is_some() {
                prop_assert!(disengagement(&e, &stricter, now).is_some());
            }
        }

        /// Never for someone in custody (or with no open episode), whatever the records say.
        #[test]
        fn never_when_not_reachable(e in any_engagement(), rule in any_rule(), now in any_time()) {
            let custody = Engagement { reachable_since: None, ..e };
            prop_assert_eq!(disengagement(&custody, &rule, now), None);
        }

        /// A completed contact after the attempts clears them; attempts before release do not count.
        #[test]
        fn a_contact_clears_the_attempts(since in any_time(), offsets in prop::collection::vec((-5_000i64..50_000, any::<bool>()), 0..10)) {
            let encounters: Vec<(NaiveDateTime, EncounterOutcome)> = offsets
                .iter()
                .map(|(m, done)| (since + TimeDelta::minutes(*m), if *done { EncounterOutcome::Completed } else { EncounterOutcome::Attempted }))
                .collect();
            let (last, failed) = tally(since, &encounters);
            let after = |t: NaiveDateTime| encounters.iter().filter(|(at, o)| *at > t && *at >= since && *o == EncounterOutcome::Attempted).count() as u32;
            match last {
                Some(l) => {
                    prop_assert!(l >= since);
                    prop_assert_eq!(failed, after(l));
                }
                None => prop_assert_eq!(failed, after(since - TimeDelta::minutes(1))),
            }
            let mut with_contact = encounters.clone();
            with_contact.push((since + TimeDelta::minutes(60_000), EncounterOutcome::Completed));
            prop_assert_eq!(tally(since, &with_contact).1, 0);
        }
    }

    fn any_now() -> NaiveDateTime {
        at(2030, 1, 1, 0, 0)
    }
}
