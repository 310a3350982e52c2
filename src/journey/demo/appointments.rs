//! Synthetic appointments for the demo: the demo peer's participants each have one or two
//! coming up (with their supervising officer, a medication dose, a visit with the peer), some
//! today, and one from last week marked missed. Small and fast.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::journey::rules::AppointmentKind;
use crate::journey::schema::appointments;
use crate::platform::db::{DbConn, write_tx};
use crate::platform::error::AppResult;
use crate::platform::ids::new_id;
use crate::platform::schema::{participants, users};

/// The demo peer's e-mail address (`demo::DEMO_ROLES`).
const PEER: &str = "peer@demo.throughcare.example";

/// The demo peer (id, organisation) and the first `limit` people on their caseload, by id;
/// `None` when the demo has no such peer. The demo's messages use them too.
pub fn demo_peer_and_people(
    conn: &mut DbConn,
    limit: i64,
) -> AppResult<Option<(i64, i64, Vec<i64>)>> {
    let Some((peer_id, org_id)): Option<(i64, i64)> = users::table
        .filter(users::email.eq(PEER))
        .select((users::id, users::org_id))
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let people: Vec<i64> = participants::table
        .filter(participants::assigned_peer_id.eq(peer_id))
        .filter(participants::merged_into_id.is_null())
        .order(participants::id)
        .limit(limit)
        .select(participants::id)
        .load(conn)?;
    Ok(Some((peer_id, org_id, people)))
}

pub fn generate(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<()> {
    let Some((peer_id, org_id, people)) = demo_peer_and_people(conn, 6)? else {
        return Ok(());
    };
    let places = [
        (
            AppointmentKind::Supervision,
            "County Probation, 2nd floor",
            "09:30",
        ),
        (AppointmentKind::MoudDose, "Clínica del Valle", "08:15"),
        (
            AppointmentKind::PeerVisit,
            "Library on Main Street",
            "14:00",
        ),
    ];
    write_tx(conn, |tx| {
        for (i, pid) in people.iter().copied().enumerate() {
            for k in 0..2 {
                let (kind, place, at) = places[(i + k) % places.len()];
                let days = (i + 3 * k) as i64 % 6;
                let row = (
                    appointments::id.eq(new_id()),
                    appointments::org_id.eq(org_id),
                    appointments::participant_id.eq(pid),
                    appointments::kind.eq(kind.as_str()),
                    appointments::scheduled_on.eq((now + Duration::days(days)).date()),
                    appointments::starts_at.eq(at),
                    appointments::place.eq(place),
                    appointments::note.eq(""),
                    appointments::recorded_by.eq(Some(peer_id)),
                    appointments::recorded_at.eq(now - Duration::days(7)),
                );
                diesel::insert_into(appointments::table)
                    .values(row)
                    .execute(tx.conn())?;
            }
            if i == 0 {
                diesel::insert_into(appointments::table)
                    .values((
                        appointments::id.eq(new_id()),
                        appointments::org_id.eq(org_id),
                        appointments::participant_id.eq(pid),
                        appointments::kind.eq(AppointmentKind::Supervision.as_str()),
                        appointments::scheduled_on.eq((now - Duration::days(6)).date()),
                        appointments::starts_at.eq("10:00"),
                        appointments::place.eq("County Probation, 2nd floor"),
                        appointments::note.eq(""),
                        appointments::recorded_by.eq(Some(peer_id)),
                        appointments::recorded_at.eq(now - Duration::days(14)),
                        appointments::outcome.eq(Some("missed")),
                        appointments::outcome_note.eq("No answer at the number on file; texted."),
                        appointments::outcome_by.eq(Some(peer_id)),
                        appointments::outcome_at.eq(Some(now - Duration::days(5))),
                    ))
                    .execute(tx.conn())?;
            }
        }
        Ok(())
    })
}
