//! Field safety use cases (issue 18 item 1): each asks the access policy
//! (`access::field_safety`), parses its input, calls the store and appends the audit entry.
//! A peer checks in before a community visit, checks out when done and may ask for help at
//! once; their supervisor sees an overdue check-out and a call for help on their home page, and
//! the programme's admins (the backup) see a call for help at once and an overdue check-out once
//! it has escalated.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::rules;
use super::store::{self, NewVisit, VisitRow};
use crate::platform::access::Actor;
use crate::platform::access::{self, FieldScope, FieldWatch};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult};
use crate::platform::fields::{self, Fields};
use crate::platform::schema::users;
use crate::platform::time;

/// A check-in as the API and the home page send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    /// Where: an address or a place the supervisor can find.
    pub place: String,
    /// With whom (a participant's first name, "family", …).
    #[serde(default)]
    pub with_whom: String,
    /// The expected end: `YYYY-MM-DDTHH:MM` on the organisation's clock, or RFC 3339; later than
    /// now and at most 12 hours ahead.
    pub expected_end_at: String,
    /// Anything about the place others should know (dogs, stairs, who else lives there).
    /// Programme staff only.
    #[serde(default)]
    pub safety_note: String,
}

/// A call for help: what the peer could type, if anything.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HelpInput {
    #[serde(default)]
    pub note: String,
}

/// A field visit as the API and the pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = FieldVisit)]
pub struct Visit {
    pub id: i64,
    pub peer_id: i64,
    pub peer_name: String,
    pub place: String,
    pub with_whom: String,
    pub safety_note: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub started_at: NaiveDateTime,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub expected_end_at: NaiveDateTime,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub ended_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub help_at: Option<NaiveDateTime>,
    pub help_note: String,
    /// open, overdue, escalated, help, ended
    #[schema(example = "open")]
    pub state: String,
}

/// What the actor sees: their own open visits, and the alerts of those they watch.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldBoard {
    /// The actor's own visits not checked out.
    pub mine: Vec<Visit>,
    /// Visits of those the actor watches that alert them now (help; overdue for a supervisor;
    /// escalated or help for an admin, the backup).
    pub alerts: Vec<Visit>,
    /// Minutes after an overdue check-out before the programme's admins are alerted.
    pub escalate_after_minutes: i64,
}

fn shown(tx: &mut Tx, rows: Vec<VisitRow>, now: NaiveDateTime) -> AppResult<Vec<Visit>> {
    let Some(org_id) = rows.first().map(|r| r.org_id) else {
        return Ok(vec![]);
    };
    let escalate = store::escalate_after(tx.conn(), org_id)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.peer_id).collect();
    let names: std::collections::HashMap<i64, String> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::name))
        .load::<(i64, String)>(tx.conn())?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let state = rules::state(r.expected_end_at, r.ended_at, r.help_at, now, escalate);
            Visit {
                id: r.id,
                peer_id: r.peer_id,
                peer_name: names.get(&r.peer_id).cloned().unwrap_or_default(),
                place: r.place,
                with_whom: r.with_whom,
                safety_note: r.safety_note,
                started_at: r.started_at,
                expected_end_at: r.expected_end_at,
                ended_at: r.ended_at,
                help_at: r.help_at,
                help_note: r.help_note,
                state: state.code().to_string(),
            }
        })
        .collect())
}

/// The programme's field safety settings.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSettings {
    /// Minutes an overdue check-out alerts only the supervisor before the programme's admins
    /// (the backup) are alerted too: 5 to 240; 30 until an admin sets it.
    #[schema(example = 30)]
    pub escalate_after_minutes: i64,
}

/// The programme's settings (any of its staff who check in may read them: they say when the
/// backup is called).
pub fn settings(tx: &mut Tx, a: &Actor) -> AppResult<FieldSettings> {
    let scope = access::field_safety(a)?;
    Ok(FieldSettings {
        escalate_after_minutes: store::escalate_after(tx.conn(), scope.org_id())?.get(),
    })
}

/// Set the escalation time (admins). A new setting is a new row; the audit entry names the
/// earlier and the new value.
pub fn set_settings(tx: &mut Tx, a: &Actor, s: &FieldSettings) -> AppResult<FieldSettings> {
    access::administer(a)?;
    let e = rules::EscalateAfter::minutes(s.escalate_after_minutes).ok_or_else(|| {
        AppError::keyed(
            "escalate_after_minutes",
            "field-error-escalate-range",
            &[
                ("min", rules::EscalateAfter::MIN.to_string()),
                ("max", rules::EscalateAfter::MAX.to_string()),
            ],
        )
    })?;
    let before = store::escalate_after(tx.conn(), a.org_id)?;
    store::set_escalate_after(tx, a.org_id, a.user_id, e, time::now())?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::SettingsFieldSafety, "organisation", Some(a.org_id)).detail(format!(
            "escalate after {} -> {} minutes",
            before.get(),
            e.get()
        )),
    )?;
    Ok(FieldSettings {
        escalate_after_minutes: e.get(),
    })
}

/// The actor's board at `now`, audited when it shows anyone's visits.
pub fn board(tx: &mut Tx, a: &Actor, now: NaiveDateTime) -> AppResult<FieldBoard> {
    let scope = access::field_safety(a)?;
    let mine = store::open_visits(tx.conn(), scope.org_id(), &[scope.user_id()])?;
    let watched = match scope.watch() {
        FieldWatch::Own => vec![],
        FieldWatch::Team => {
            let team: Vec<i64> = users::table
                .filter(users::org_id.eq(scope.org_id()))
                .filter(users::supervisor_id.eq(scope.user_id()))
                .select(users::id)
                .load(tx.conn())?;
            store::open_visits(tx.conn(), scope.org_id(), &team)?
        }
        FieldWatch::Programme => store::open_visits_of_org(tx.conn(), scope.org_id())?
            .into_iter()
            .filter(|v| v.peer_id != scope.user_id())
            .collect(),
    };
    let escalate = store::escalate_after(tx.conn(), scope.org_id())?;
    let alerts: Vec<VisitRow> = watched
        .into_iter()
        .filter(|v| {
            let s = rules::state(v.expected_end_at, v.ended_at, v.help_at, now, escalate);
            match scope.watch() {
                FieldWatch::Programme => s.alerts_backup(),
                _ => s.alerts_supervisor(),
            }
        })
        .collect();
    let board = FieldBoard {
        mine: shown(tx, mine, now)?,
        alerts: shown(tx, alerts, now)?,
        escalate_after_minutes: escalate.get(),
    };
    if !board.mine.is_empty() || !board.alerts.is_empty() {
        audit::append(
            tx,
            &a.who(),
            Event::new(Action::FieldVisitRead, "field_visit", None).detail(format!(
                "{} own, {} alerts",
                board.mine.len(),
                board.alerts.len()
            )),
        )?;
    }
    Ok(board)
}

/// Check in before a visit (any programme staff, for themselves).
pub fn check_in(
    tx: &mut Tx,
    a: &Actor,
    input: impl FnOnce() -> AppResult<CheckInInput>,
) -> AppResult<Visit> {
    let scope = access::field_safety(a)?;
    let input = input()?;
    let now = time::now();
    let zone = time::zone_of(tx.conn(), scope.org_id())?;
    let mut f = Fields::new();
    let place = f.take(fields::text("place", &input.place, 300, true));
    let with_whom = f.take(fields::text("with_whom", &input.with_whom, 200, false));
    let safety_note = f.take(fields::text("safety_note", &input.safety_note, 2000, false));
    let end = f.take(zone.instant("expected_end_at", &input.expected_end_at));
    f.check(
        end.is_some_and(|e| e <= now),
        "expected_end_at",
        "field-error-end-in-the-past",
    );
    f.check(
        end.is_some_and(|e| e > now + TimeDelta::hours(rules::MAX_VISIT_HOURS)),
        "expected_end_at",
        "field-error-end-too-far",
    );
    f.finish()?;
    let (Some(place), Some(expected_end_at)) = (place, end) else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    let v = NewVisit {
        place,
        with_whom: with_whom.unwrap_or_default(),
        safety_note: safety_note.unwrap_or_default(),
        expected_end_at,
    };
    let row = store::check_in(tx, scope.org_id(), scope.user_id(), &v, now)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::FieldVisitCheckIn, "field_visit", Some(row.id)),
    )?;
    one(tx, row, now)
}

fn one(tx: &mut Tx, row: VisitRow, now: NaiveDateTime) -> AppResult<Visit> {
    shown(tx, vec![row], now)?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a visit shown")))
}

/// The actor's own visit `id` (anyone else's is "not found").
fn own(tx: &mut Tx, scope: &FieldScope, id: i64) -> AppResult<VisitRow> {
    let v = store::visit(tx.conn(), scope.org_id(), id)?;
    if v.peer_id == scope.user_id() {
        Ok(v)
    } else {
        Err(AppError::NotFound)
    }
}

/// Check out of one's own visit (a second check-out keeps the first time).
pub fn check_out(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Visit> {
    let scope = access::field_safety(a)?;
    own(tx, &scope, id)?;
    let now = time::now();
    let row = store::check_out(tx, scope.org_id(), id, now)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::FieldVisitCheckOut, "field_visit", Some(id)),
    )?;
    one(tx, row, now)
}

/// Ask for help during one's own open visit: the supervisor and the backup see it at once.
pub fn ask_help(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<HelpInput>,
) -> AppResult<Visit> {
    let scope = access::field_safety(a)?;
    let v = own(tx, &scope, id)?;
    if v.ended_at.is_some() {
        return Err(AppError::conflict("field-error-already-checked-out", &[]));
    }
    let input = input()?;
    let note =
        fields::text("note", &input.note, 1000, false).map_err(|e| AppError::Invalid(vec![e]))?;
    let now = time::now();
    let row = store::ask_help(tx, scope.org_id(), id, &note, now)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::FieldVisitHelp, "field_visit", Some(id)),
    )?;
    one(tx, row, now)
}
