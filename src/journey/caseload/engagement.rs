//! What the caseload knows of a person's engagement (decision 0053): since when the programme
//! can reach them, their last completed contact and the attempts that failed after it, the
//! staff messages unanswered and the appointments missed in a row. Shared
//! by the kept lines ([`super::kept`]) and the reference ([`super::reference`]); the rule that
//! turns it into a warning at a given moment is `journey::rules::disengagement`.

use std::collections::HashMap;

use chrono::{NaiveDateTime, NaiveTime};

use crate::journey::rules::{
    EncounterOutcome, Engagement, Setting, missed_in_a_row, tally, unanswered,
};
use crate::journey::store::{self, Episode};
use crate::platform::db::Tx;
use crate::platform::error::AppResult;

/// Since when the programme can reach the person in the community: their release, or the start
/// of the day (UTC) a community episode began. `None` in custody (not yet released) or with no
/// open episode: no warning there. The day's start is taken in UTC so that a line does not move
/// with the programme's clock; against a threshold in days the hours do not matter.
pub fn reachable_since(episode: Option<&Episode>) -> Option<NaiveDateTime> {
    let e = episode?;
    if let Some(released) = e.released_at {
        return Some(released);
    }
    (Setting::parse(&e.setting) == Some(Setting::Community))
        .then(|| e.started_on.and_time(NaiveTime::MIN))
}

/// The engagement of each of these people (id, reachable since), from their encounters and
/// their messages since then.
pub fn engagements(
    tx: &mut Tx,
    reachable: &[(i64, NaiveDateTime)],
) -> AppResult<HashMap<i64, Engagement>> {
    let mut out = HashMap::new();
    let Some(earliest) = reachable.iter().map(|(_, s)| *s).min() else {
        return Ok(out);
    };
    let ids: Vec<i64> = reachable.iter().map(|(p, _)| *p).collect();
    let mut by_person: HashMap<i64, Vec<(NaiveDateTime, EncounterOutcome)>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for (pid, at, outcome) in store::outcomes_since(tx.conn(), chunk, earliest)? {
            by_person.entry(pid).or_default().push((at, outcome));
        }
    }
    let mut messages: HashMap<i64, Vec<(NaiveDateTime, bool)>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for (pid, at, inbound) in
            crate::messages::for_caseload::exchanges_since(tx.conn(), chunk, earliest)?
        {
            messages.entry(pid).or_default().push((at, inbound));
        }
    }
    let mut appointments: HashMap<i64, Vec<(chrono::NaiveDate, NaiveDateTime, bool)>> =
        HashMap::new();
    for chunk in ids.chunks(500) {
        for (pid, on, at, kept) in store::appointment_outcomes_since(tx.conn(), chunk, earliest)? {
            appointments.entry(pid).or_default().push((on, at, kept));
        }
    }
    for (pid, since) in reachable {
        let (last_contact, failed_attempts) =
            tally(*since, by_person.get(pid).map(Vec::as_slice).unwrap_or(&[]));
        out.insert(
            *pid,
            Engagement {
                reachable_since: Some(*since),
                last_contact,
                failed_attempts,
                unanswered_messages: unanswered(
                    *since,
                    messages.get(pid).map(Vec::as_slice).unwrap_or(&[]),
                ),
                missed_appointments: missed_in_a_row(
                    *since,
                    appointments.get(pid).map(Vec::as_slice).unwrap_or(&[]),
                ),
            },
        );
    }
    Ok(out)
}
