//! Field visits: checked in, checked out, help asked. Every function takes the organisation
//! the access policy named (`ops.rs` asks it first).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rules::EscalateAfter;
use super::schema::{field_settings, field_visits};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;

/// A visit as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = field_visits)]
pub struct VisitRow {
    pub id: i64,
    pub org_id: i64,
    pub peer_id: i64,
    pub place: String,
    pub with_whom: String,
    pub safety_note: String,
    pub started_at: NaiveDateTime,
    pub expected_end_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    pub help_at: Option<NaiveDateTime>,
    pub help_note: String,
}

/// A check-in, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    pub place: String,
    pub with_whom: String,
    pub safety_note: String,
    pub expected_end_at: NaiveDateTime,
}

/// Check a peer in.
pub fn check_in(
    tx: &mut Tx,
    org_id: i64,
    peer_id: i64,
    v: &NewVisit,
    now: NaiveDateTime,
) -> AppResult<VisitRow> {
    let id = new_id();
    diesel::insert_into(field_visits::table)
        .values((
            field_visits::id.eq(id),
            field_visits::org_id.eq(org_id),
            field_visits::peer_id.eq(peer_id),
            field_visits::place.eq(&v.place),
            field_visits::with_whom.eq(&v.with_whom),
            field_visits::safety_note.eq(&v.safety_note),
            field_visits::started_at.eq(now),
            field_visits::expected_end_at.eq(v.expected_end_at),
            field_visits::help_note.eq(""),
        ))
        .execute(tx.conn())?;
    visit(tx.conn(), org_id, id)
}

/// One visit of the organisation.
pub fn visit(conn: &mut DbConn, org_id: i64, id: i64) -> AppResult<VisitRow> {
    field_visits::table
        .filter(field_visits::org_id.eq(org_id))
        .filter(field_visits::id.eq(id))
        .select(VisitRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The open visits (not checked out) of these peers, soonest expected end first.
pub fn open_visits(conn: &mut DbConn, org_id: i64, peers: &[i64]) -> AppResult<Vec<VisitRow>> {
    Ok(field_visits::table
        .filter(field_visits::org_id.eq(org_id))
        .filter(field_visits::peer_id.eq_any(peers))
        .filter(field_visits::ended_at.is_null())
        .order((field_visits::expected_end_at, field_visits::id))
        .select(VisitRow::as_select())
        .load(conn)?)
}

/// Every open visit of the organisation (its admins are the backup).
pub fn open_visits_of_org(conn: &mut DbConn, org_id: i64) -> AppResult<Vec<VisitRow>> {
    Ok(field_visits::table
        .filter(field_visits::org_id.eq(org_id))
        .filter(field_visits::ended_at.is_null())
        .order((field_visits::expected_end_at, field_visits::id))
        .select(VisitRow::as_select())
        .load(conn)?)
}

/// Check out: set once (a visit already checked out keeps its time).
pub fn check_out(tx: &mut Tx, org_id: i64, id: i64, now: NaiveDateTime) -> AppResult<VisitRow> {
    diesel::update(
        field_visits::table
            .filter(field_visits::org_id.eq(org_id))
            .filter(field_visits::id.eq(id))
            .filter(field_visits::ended_at.is_null()),
    )
    .set(field_visits::ended_at.eq(Some(now)))
    .execute(tx.conn())?;
    visit(tx.conn(), org_id, id)
}

/// Ask for help: set once, with what the peer could type.
pub fn ask_help(
    tx: &mut Tx,
    org_id: i64,
    id: i64,
    note: &str,
    now: NaiveDateTime,
) -> AppResult<VisitRow> {
    diesel::update(
        field_visits::table
            .filter(field_visits::org_id.eq(org_id))
            .filter(field_visits::id.eq(id))
            .filter(field_visits::help_at.is_null()),
    )
    .set((
        field_visits::help_at.eq(Some(now)),
        field_visits::help_note.eq(note),
    ))
    .execute(tx.conn())?;
    visit(tx.conn(), org_id, id)
}

/// The organisation's escalation time: its newest setting, or the default.
pub fn escalate_after(conn: &mut DbConn, org_id: i64) -> AppResult<EscalateAfter> {
    let newest: Option<i32> = field_settings::table
        .filter(field_settings::org_id.eq(org_id))
        .order((field_settings::set_at.desc(), field_settings::id.desc()))
        .select(field_settings::escalate_after_minutes)
        .first(conn)
        .optional()?;
    Ok(newest
        .and_then(|m| EscalateAfter::minutes(i64::from(m)))
        .unwrap_or(EscalateAfter::DEFAULT))
}

/// Record a new escalation time (a new row; the earlier ones stay).
pub fn set_escalate_after(
    tx: &mut Tx,
    org_id: i64,
    set_by: i64,
    e: EscalateAfter,
    now: NaiveDateTime,
) -> AppResult<()> {
    let minutes = i32::try_from(e.get()).map_err(AppError::internal)?;
    diesel::insert_into(field_settings::table)
        .values((
            field_settings::id.eq(new_id()),
            field_settings::org_id.eq(org_id),
            field_settings::escalate_after_minutes.eq(minutes),
            field_settings::set_by.eq(set_by),
            field_settings::set_at.eq(now),
        ))
        .execute(tx.conn())?;
    Ok(())
}
