//! The dated events of participants that reminders are about (issue 18 item 4): court dates
//! (custody events of kind `court_date`), follow-ups not completed, and appointments (with the
//! supervising officer, for a medication dose, with the peer) still open. The messages capability
//! asks this module, so the journey's tables stay the journey's.

use chrono::{NaiveDate, NaiveTime};
use diesel::prelude::*;

use super::rules::AppointmentKind;
use super::schema::{appointments, custody_events, followups};
use crate::platform::db::DbConn;
use crate::platform::error::AppResult;

/// What kind of dated event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    CourtDate,
    FollowUp,
    Appointment(AppointmentKind),
}

/// One dated event of a participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedEvent {
    pub kind: EventKind,
    /// The custody event's, the follow-up's or the appointment's id.
    pub id: i64,
    pub participant_id: i64,
    pub on: NaiveDate,
    /// The time of day, when the record has one (appointments).
    pub at: Option<NaiveTime>,
}

/// The court dates, open follow-ups and open appointments of these participants dated from `from` to `to`
/// (inclusive), by date.
pub fn dated_events(
    conn: &mut DbConn,
    participant_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DatedEvent>> {
    let court: Vec<(i64, i64, NaiveDate)> = custody_events::table
        .filter(custody_events::participant_id.eq_any(participant_ids))
        .filter(custody_events::kind.eq("court_date"))
        .filter(custody_events::occurred_on.between(from, to))
        .select((
            custody_events::id,
            custody_events::participant_id,
            custody_events::occurred_on,
        ))
        .load(conn)?;
    let due: Vec<(i64, i64, NaiveDate)> = followups::table
        .filter(followups::participant_id.eq_any(participant_ids))
        .filter(followups::completed_on.is_null())
        .filter(followups::due_on.between(from, to))
        .select((followups::id, followups::participant_id, followups::due_on))
        .load(conn)?;
    let booked: Vec<(i64, i64, NaiveDate, String, String)> = appointments::table
        .filter(appointments::participant_id.eq_any(participant_ids))
        .filter(appointments::outcome.is_null())
        .filter(appointments::scheduled_on.between(from, to))
        .select((
            appointments::id,
            appointments::participant_id,
            appointments::scheduled_on,
            appointments::kind,
            appointments::starts_at,
        ))
        .load(conn)?;
    let mut all: Vec<DatedEvent> = court
        .into_iter()
        .map(|(id, participant_id, on)| DatedEvent {
            kind: EventKind::CourtDate,
            id,
            participant_id,
            on,
            at: None,
        })
        .chain(due.into_iter().map(|(id, participant_id, on)| DatedEvent {
            kind: EventKind::FollowUp,
            id,
            participant_id,
            on,
            at: None,
        }))
        .chain(
            booked
                .into_iter()
                .filter_map(|(id, participant_id, on, kind, at)| {
                    Some(DatedEvent {
                        kind: EventKind::Appointment(AppointmentKind::parse(&kind)?),
                        id,
                        participant_id,
                        on,
                        at: NaiveTime::parse_from_str(&at, "%H:%M").ok(),
                    })
                }),
        )
        .collect();
    all.sort_by_key(|e| (e.on, e.at, e.participant_id, e.id));
    Ok(all)
}
