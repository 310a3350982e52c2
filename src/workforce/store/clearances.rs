//! Facility clearances of a peer (with their events), the visits made under them, and the
//! facilities to choose from.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::parse::*;
use super::*;
use crate::platform::access::StaffGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::schema::facilities;
use crate::platform::time;
use crate::workforce::codes::{ClearanceStatus, DenialReason, VisitOutcome};
use crate::workforce::schema::*;

struct EventValues {
    status: ClearanceStatus,
    on: NaiveDate,
    expires: Option<NaiveDate>,
    conditions: String,
    reason: Option<DenialReason>,
    note: String,
}

fn parse_event(
    prefix: &str,
    e: &ClearanceEventInput,
    today: NaiveDate,
    errs: &mut Vec<FieldError>,
) -> Option<EventValues> {
    let f = |n: &str| format!("{prefix}{n}");
    let status = code::<ClearanceStatus>(&f("status"), &e.status, errs);
    let on = date(&f("on"), &e.on, errs);
    not_future(&f("on"), on, today, errs);
    let expires = opt_date(&f("expires_on"), &e.expires_on, errs);
    let conditions = text(&f("conditions"), &e.conditions, 500, false, errs);
    let note = text(&f("note"), &e.note, 2000, false, errs);
    let reason = match e.denial_reason.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => code::<DenialReason>(&f("denial_reason"), v, errs),
    };
    if let Some(s) = status {
        let refusal = matches!(s, ClearanceStatus::Denied | ClearanceStatus::Revoked);
        if refusal && reason.is_none() && e.denial_reason.as_deref().is_none_or(str::is_empty) {
            errs.push(FieldError::keyed(
                f("denial_reason"),
                "error-denial-reason-required",
                &[("status", s.as_str().to_string())],
            ));
        }
        if !refusal && reason.is_some() {
            errs.push(FieldError::keyed(
                f("denial_reason"),
                "error-only-denied-or-revoked",
                &[],
            ));
        }
        if s != ClearanceStatus::Granted && expires.is_some() {
            errs.push(FieldError::keyed(
                f("expires_on"),
                "error-only-granted",
                &[],
            ));
        }
    }
    if let (Some(on), Some(x)) = (on, expires)
        && x <= on
    {
        errs.push(FieldError::keyed(
            f("expires_on"),
            "error-after-the-date",
            &[],
        ));
    }
    Some(EventValues {
        status: status?,
        on: on?,
        expires,
        conditions,
        reason,
        note,
    })
}

fn insert_event(tx: &mut Tx, org_id: i64, clearance_id: i64, v: &EventValues) -> AppResult<()> {
    diesel::insert_into(clearance_events::table)
        .values((
            clearance_events::id.eq(new_id()),
            clearance_events::org_id.eq(org_id),
            clearance_events::clearance_id.eq(clearance_id),
            clearance_events::status.eq(v.status.as_str()),
            clearance_events::on_date.eq(v.on),
            clearance_events::expires_on.eq(v.expires),
            clearance_events::conditions.eq(&v.conditions),
            clearance_events::denial_reason
                .eq(v.reason.map(crate::workforce::codes::DenialReason::as_str)),
            clearance_events::note.eq(&v.note),
            clearance_events::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    diesel::update(facility_clearances::table.find(clearance_id))
        .set((
            facility_clearances::status.eq(v.status.as_str()),
            facility_clearances::status_on.eq(v.on),
            facility_clearances::expires_on.eq(v.expires),
            facility_clearances::conditions.eq(&v.conditions),
            facility_clearances::denial_reason
                .eq(v.reason.map(crate::workforce::codes::DenialReason::as_str)),
            facility_clearances::updated_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(())
}

fn check_facility(tx: &mut Tx, field: &str, id: i64, errs: &mut Vec<FieldError>) -> AppResult<()> {
    let exists: Option<i64> = facilities::table
        .find(id)
        .select(facilities::id)
        .first(tx.conn())
        .optional()?;
    if exists.is_none() {
        errs.push(FieldError::keyed(field, "error-not-a-facility", &[]));
    }
    Ok(())
}

/// Request clearance for the peer at a facility (facilities are deployment-wide reference data).
pub fn add_clearance(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &ClearanceInput,
    today: NaiveDate,
) -> AppResult<Clearance> {
    let mut errs = Vec::new();
    check_facility(tx, "facility_id", input.facility_id, &mut errs)?;
    let requested = date("requested_on", &input.requested_on, &mut errs);
    not_future("requested_on", requested, today, &mut errs);
    let first = match &input.status {
        Some(e) => parse_event("status.", e, today, &mut errs),
        None => None,
    };
    if let (Some(r), Some(f)) = (requested, &first)
        && f.on < r
    {
        errs.push(FieldError::keyed(
            "status.on",
            "error-before-requested-on",
            &[],
        ));
    }
    done(errs)?;
    let requested = requested.unwrap_or(today);
    let id = new_id();
    let now = time::now();
    diesel::insert_into(facility_clearances::table)
        .values((
            facility_clearances::id.eq(id),
            facility_clearances::org_id.eq(grant.org_id()),
            facility_clearances::peer_id.eq(grant.user_id()),
            facility_clearances::facility_id.eq(input.facility_id),
            facility_clearances::requested_on.eq(requested),
            facility_clearances::status.eq("requested"),
            facility_clearances::status_on.eq(requested),
            facility_clearances::conditions.eq(""),
            facility_clearances::created_at.eq(now),
            facility_clearances::updated_at.eq(now),
        ))
        .execute(tx.conn())?;
    let requested_event = EventValues {
        status: ClearanceStatus::Requested,
        on: requested,
        expires: None,
        conditions: String::new(),
        reason: None,
        note: String::new(),
    };
    insert_event(tx, grant.org_id(), id, &requested_event)?;
    if let Some(f) = first.filter(|f| f.status != ClearanceStatus::Requested) {
        insert_event(tx, grant.org_id(), id, &f)?;
    }
    clearance(tx.conn(), id)?.ok_or(AppError::NotFound)
}

pub fn clearance(conn: &mut DbConn, id: i64) -> AppResult<Option<Clearance>> {
    Ok(facility_clearances::table
        .find(id)
        .select(Clearance::as_select())
        .first(conn)
        .optional()?)
}

/// Record a status change of one of the peer's clearances.
pub fn add_clearance_event(
    tx: &mut Tx,
    grant: &StaffGrant,
    clearance_id: i64,
    input: &ClearanceEventInput,
    today: NaiveDate,
) -> AppResult<Clearance> {
    let c = clearance(tx.conn(), clearance_id)?
        .filter(|c| c.peer_id == grant.user_id())
        .ok_or(AppError::NotFound)?;
    let mut errs = Vec::new();
    let v = parse_event("", input, today, &mut errs);
    if let Some(v) = &v
        && v.on < c.requested_on
    {
        errs.push(FieldError::keyed("on", "error-before-the-request", &[]));
    }
    done(errs)?;
    if let Some(v) = v {
        insert_event(tx, c.org_id, c.id, &v)?;
    }
    clearance(tx.conn(), clearance_id)?.ok_or(AppError::NotFound)
}

pub fn add_visit(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &VisitInput,
    today: NaiveDate,
) -> AppResult<Visit> {
    let mut errs = Vec::new();
    check_facility(tx, "facility_id", input.facility_id, &mut errs)?;
    let on = date("scheduled_on", &input.scheduled_on, &mut errs);
    let outcome = code::<VisitOutcome>("outcome", &input.outcome, &mut errs);
    if outcome.is_some_and(|o| o != VisitOutcome::Scheduled) {
        not_future("scheduled_on", on, today, &mut errs);
    }
    let reason = text(
        "refusal_reason",
        &input.refusal_reason,
        500,
        false,
        &mut errs,
    );
    done(errs)?;
    let r = Visit {
        id: new_id(),
        org_id: grant.org_id(),
        peer_id: grant.user_id(),
        facility_id: input.facility_id,
        scheduled_on: on.unwrap_or(today),
        outcome: outcome
            .map(crate::workforce::codes::VisitOutcome::as_str)
            .unwrap_or("scheduled")
            .into(),
        refusal_reason: reason,
        created_at: time::now(),
    };
    diesel::insert_into(facility_visits::table)
        .values(&r)
        .execute(tx.conn())?;
    Ok(r)
}

/// Facilities for pick lists: `(id, name)`.
pub fn facility_choices(conn: &mut DbConn) -> AppResult<Vec<(i64, String)>> {
    Ok(facilities::table
        .order(facilities::name)
        .select((facilities::id, facilities::name))
        .load(conn)?)
}
