//! Group sessions (decision 0039): one session at a facility, led by a peer, with one note for
//! the group; each attendee's encounter is a row of `encounters` whose `group_id` is the
//! session's id, with the attendee's own note. Lists and the attendance list take the policy's
//! `ListScope`; writing and reading attendees' rows take each attendee's `ParticipantGrant`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::encounters::{Encounter, NewEncounter, insert_rows};
use crate::journey::schema::{encounters, episodes, group_sessions};
use crate::platform::access::{ListScope, ParticipantGrant};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::AppResult;
use crate::platform::ids::new_id;
use crate::platform::schema::{facilities, participants, users};
use crate::platform::time;

/// A group session as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = group_sessions)]
pub struct GroupSession {
    /// The `group_id` its attendees' encounters share.
    pub id: i64,
    pub org_id: i64,
    /// None for a group recorded through the API, which names no facility.
    pub facility_id: Option<i64>,
    pub led_by: Option<i64>,
    pub occurred_at: NaiveDateTime,
    /// The note for the whole group: the program's own, never disclosed to partners.
    pub note: String,
}

/// What a new session's row holds.
pub struct NewGroupSession {
    pub org_id: i64,
    pub facility_id: Option<i64>,
    pub led_by: i64,
    pub occurred_at: NaiveDateTime,
    pub note: String,
}

/// Store a session; answers its id, the `group_id` of its encounters.
pub(super) fn insert_session(tx: &mut Tx, s: &NewGroupSession) -> AppResult<i64> {
    let id = new_id();
    diesel::insert_into(group_sessions::table)
        .values((
            group_sessions::id.eq(id),
            group_sessions::org_id.eq(s.org_id),
            group_sessions::facility_id.eq(s.facility_id),
            group_sessions::led_by.eq(Some(s.led_by)),
            group_sessions::occurred_at.eq(s.occurred_at),
            group_sessions::note.eq(&s.note),
            group_sessions::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(id)
}

/// Record a group session at `facility_id`: the session with the group's note, then one
/// encounter for each attendee (their grant and their own note). Answers the session's id.
pub fn record_group_session(
    tx: &mut Tx,
    attendees: &[(&ParticipantGrant, &str)],
    actor_id: i64,
    e: &NewEncounter,
    facility_id: i64,
    group_note: &str,
) -> AppResult<i64> {
    let Some((first, _)) = attendees.first() else {
        return Err(crate::platform::error::AppError::keyed(
            "attendees",
            "error-tick-attendee",
            &[],
        ));
    };
    let session = NewGroupSession {
        org_id: first.org_id(),
        facility_id: Some(facility_id),
        led_by: actor_id,
        occurred_at: e.occurred_at,
        note: group_note.to_string(),
    };
    let id = insert_session(tx, &session)?;
    insert_rows(tx, Some(id), attendees, actor_id, e, Some(facility_id))?;
    Ok(id)
}

/// A person on a facility's attendance list.
#[derive(Debug, Clone, Queryable)]
pub struct Enrolled {
    pub participant_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: Option<String>,
}

impl Enrolled {
    /// The name people are called by, as the record shows it.
    pub fn display_name(&self) -> String {
        match &self.preferred_name {
            Some(p) => format!("{p} {}", self.last_name),
            None => format!("{} {}", self.first_name, self.last_name),
        }
    }
    /// Every name, in lower case, for the attendance list's name filter.
    pub fn filter_text(&self) -> String {
        format!(
            "{} {} {}",
            self.first_name,
            self.preferred_name.as_deref().unwrap_or(""),
            self.last_name
        )
        .to_lowercase()
    }
}

/// The people the scope may list who are enrolled at `facility_id` (an open episode there),
/// merged duplicates left out, by last name.
pub fn enrolled_at(
    conn: &mut DbConn,
    scope: &ListScope,
    facility_id: i64,
) -> AppResult<Vec<Enrolled>> {
    let open_there = episodes::table
        .filter(episodes::org_id.eq(scope.org_id()))
        .filter(episodes::facility_id.eq(facility_id))
        .filter(episodes::ended_on.is_null())
        .select(episodes::participant_id);
    Ok(participants::table
        .filter(participants::org_id.eq(scope.org_id()))
        .filter(participants::merged_into_id.is_null())
        .filter(participants::id.eq_any(open_there))
        .order((
            participants::last_name,
            participants::first_name,
            participants::id,
        ))
        .select((
            participants::id,
            participants::first_name,
            participants::last_name,
            participants::preferred_name,
        ))
        .load(conn)?)
}

/// Is the granted participant enrolled at `facility_id` (an open episode there)?
pub fn is_enrolled_at(
    conn: &mut DbConn,
    grant: &ParticipantGrant,
    facility_id: i64,
) -> AppResult<bool> {
    let n: i64 = episodes::table
        .filter(episodes::participant_id.eq(grant.participant_id()))
        .filter(episodes::org_id.eq(grant.org_id()))
        .filter(episodes::facility_id.eq(facility_id))
        .filter(episodes::ended_on.is_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The granted participant's name as lists show it.
pub fn name_of(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<String> {
    let p: Enrolled = participants::table
        .find(grant.participant_id())
        .select((
            participants::id,
            participants::first_name,
            participants::last_name,
            participants::preferred_name,
        ))
        .first(conn)?;
    Ok(p.display_name())
}

/// A facility's name, or None when there is no such facility.
pub fn facility_name(conn: &mut DbConn, facility_id: i64) -> AppResult<Option<String>> {
    Ok(facilities::table
        .find(facility_id)
        .select(facilities::name)
        .first(conn)
        .optional()?)
}

/// A session as the list of groups shows it.
#[derive(Debug, Clone)]
pub struct GroupSessionLine {
    pub session: GroupSession,
    pub facility: String,
    pub led_by: String,
    pub attendees: usize,
}

/// The scope's latest sessions, newest first, at most `limit`, each with its facility, who led
/// it and how many attended.
pub fn group_sessions(
    conn: &mut DbConn,
    scope: &ListScope,
    limit: i64,
) -> AppResult<Vec<GroupSessionLine>> {
    let rows: Vec<(GroupSession, Option<String>, Option<String>)> = group_sessions::table
        .left_join(facilities::table.on(facilities::id.nullable().eq(group_sessions::facility_id)))
        .left_join(users::table.on(users::id.nullable().eq(group_sessions::led_by)))
        .filter(group_sessions::org_id.eq(scope.org_id()))
        .order((
            group_sessions::occurred_at.desc(),
            group_sessions::id.desc(),
        ))
        .limit(limit)
        .select((
            GroupSession::as_select(),
            facilities::name.nullable(),
            users::name.nullable(),
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(s, _, _)| s.id).collect();
    let mut members: Vec<(Option<i64>, i64)> = encounters::table
        .filter(encounters::group_id.eq_any(ids))
        .filter(encounters::org_id.eq(scope.org_id()))
        .select((encounters::group_id, encounters::participant_id))
        .load(conn)?;
    members.sort_unstable();
    members.dedup();
    Ok(rows
        .into_iter()
        .map(|(session, facility, led_by)| GroupSessionLine {
            attendees: members
                .iter()
                .filter(|(g, _)| *g == Some(session.id))
                .count(),
            session,
            facility: facility.unwrap_or_default(),
            led_by: led_by.unwrap_or_default(),
        })
        .collect())
}

/// One session of the scope's organisation, with its facility's name and who led it; None when
/// there is no such session there.
pub fn group_session(
    conn: &mut DbConn,
    scope: &ListScope,
    id: i64,
) -> AppResult<Option<GroupSessionLine>> {
    let row: Option<(GroupSession, Option<String>, Option<String>)> = group_sessions::table
        .left_join(facilities::table.on(facilities::id.nullable().eq(group_sessions::facility_id)))
        .left_join(users::table.on(users::id.nullable().eq(group_sessions::led_by)))
        .filter(group_sessions::org_id.eq(scope.org_id()))
        .filter(group_sessions::id.eq(id))
        .select((
            GroupSession::as_select(),
            facilities::name.nullable(),
            users::name.nullable(),
        ))
        .first(conn)
        .optional()?;
    let Some((session, facility, led_by)) = row else {
        return Ok(None);
    };
    let attendees = attendee_ids(conn, scope, id)?.len();
    Ok(Some(GroupSessionLine {
        session,
        facility: facility.unwrap_or_default(),
        led_by: led_by.unwrap_or_default(),
        attendees,
    }))
}

/// The participants whose encounters belong to session `id` of the scope's organisation, each
/// once (after a merge, one person may hold two rows of a session).
pub fn attendee_ids(conn: &mut DbConn, scope: &ListScope, id: i64) -> AppResult<Vec<i64>> {
    let mut ids: Vec<i64> = encounters::table
        .filter(encounters::group_id.eq(id))
        .filter(encounters::org_id.eq(scope.org_id()))
        .select(encounters::participant_id)
        .load(conn)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// One attendee of a session: their name and their encounter (with their own note).
#[derive(Debug, Clone)]
pub struct Attendee {
    pub name: String,
    pub encounter: Encounter,
}

/// The granted participant's encounter in session `id`, with their name.
pub fn attendee(
    conn: &mut DbConn,
    grant: &ParticipantGrant,
    id: i64,
) -> AppResult<Option<Attendee>> {
    let e: Option<Encounter> = encounters::table
        .filter(encounters::participant_id.eq(grant.participant_id()))
        .filter(encounters::group_id.eq(id))
        .select(Encounter::as_select())
        .first(conn)
        .optional()?;
    match e {
        Some(encounter) => Ok(Some(Attendee {
            name: name_of(conn, grant)?,
            encounter,
        })),
        None => Ok(None),
    }
}

/// The group notes of sessions `ids` of the granted participant's organisation, for the
/// program's own staff only: a group's note is about everyone present, so a disclosure grant
/// gets none.
pub fn group_notes(
    conn: &mut DbConn,
    grant: &ParticipantGrant,
    ids: &[i64],
) -> AppResult<Vec<(i64, String)>> {
    if grant.is_disclosure() || ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(group_sessions::table
        .filter(group_sessions::org_id.eq(grant.org_id()))
        .filter(group_sessions::id.eq_any(ids))
        .select((group_sessions::id, group_sessions::note))
        .load(conn)?)
}

/// A group session as the page posts it: the encounter every attendee shares, the note for the
/// group, and who attended, each with an optional note of their own.
#[derive(Debug, Clone, Default)]
pub struct GroupSessionInput {
    /// None when no facility was chosen.
    pub facility_id: Option<i64>,
    pub occurred_at: String,
    pub mode: String,
    pub outcome: String,
    pub duration_minutes: i64,
    /// SAMHSA competency areas (codes), an optional tag for supervision.
    pub topics: Vec<String>,
    /// Life domains (codes): what was talked about.
    pub life_domains: Vec<String>,
    /// The note for the whole group.
    pub note: String,
    pub attendees: Vec<AttendeeInput>,
}

/// One ticked person and their own note (may be blank).
#[derive(Debug, Clone, Default)]
pub struct AttendeeInput {
    pub participant_id: i64,
    pub note: String,
}
