//! Writes of a peer's certification barriers: background-check exemptions and court fines, fees and
//! other sanctions.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::parse::*;
use super::*;
use crate::platform::access::StaffGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::time;
use crate::workforce::codes::{ExemptionDecision, SanctionKind};
use crate::workforce::schema::*;

/// An exemption process as its form gives it: the columns an insert and an update both write
/// (an empty date or decision is written as NULL).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = exemption_processes, treat_none_as_null = true)]
struct ExemptionValues {
    applied_on: NaiveDate,
    documents_requested_on: Option<NaiveDate>,
    documents_sent_on: Option<NaiveDate>,
    decided_on: Option<NaiveDate>,
    decision: Option<String>,
    notes: String,
}

fn parse_exemption(input: &ExemptionInput, today: NaiveDate) -> AppResult<ExemptionValues> {
    let mut errs = Vec::new();
    let applied = date("applied_on", &input.applied_on, &mut errs);
    let requested = opt_date(
        "documents_requested_on",
        &input.documents_requested_on,
        &mut errs,
    );
    let sent = opt_date("documents_sent_on", &input.documents_sent_on, &mut errs);
    let decided = opt_date("decided_on", &input.decided_on, &mut errs);
    for (f, d) in [
        ("applied_on", applied),
        ("documents_requested_on", requested),
        ("documents_sent_on", sent),
        ("decided_on", decided),
    ] {
        not_future(f, d, today, &mut errs);
        if let (Some(a), Some(d)) = (applied, d)
            && d < a
        {
            errs.push(FieldError::keyed(f, "error-before-applied-on", &[]));
        }
    }
    let decision = match input.decision.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => code::<ExemptionDecision>("decision", v, &mut errs),
    };
    match (decision.is_some(), decided.is_some()) {
        (true, false) => errs.push(FieldError::keyed(
            "decided_on",
            "error-required-with-decision",
            &[],
        )),
        (false, true) => errs.push(FieldError::keyed(
            "decision",
            "error-required-with-decided-on",
            &[],
        )),
        _ => {}
    }
    let notes = text("notes", &input.notes, 2000, false, &mut errs);
    done(errs)?;
    Ok(ExemptionValues {
        applied_on: applied.unwrap_or(today),
        documents_requested_on: requested,
        documents_sent_on: sent,
        decided_on: decided,
        decision: decision.map(|d| d.as_str().to_string()),
        notes,
    })
}

pub fn add_exemption(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &ExemptionInput,
    today: NaiveDate,
) -> AppResult<Exemption> {
    let v = parse_exemption(input, today)?;
    let id = new_id();
    let now = time::now();
    diesel::insert_into(exemption_processes::table)
        .values((
            exemption_processes::id.eq(id),
            exemption_processes::org_id.eq(grant.org_id()),
            exemption_processes::peer_id.eq(grant.user_id()),
            &v,
            exemption_processes::created_at.eq(now),
            exemption_processes::updated_at.eq(now),
        ))
        .execute(tx.conn())?;
    exemption(tx.conn(), id)?.ok_or(AppError::NotFound)
}

/// One exemption process by id (the caller asks the policy about its peer next).
pub fn exemption(conn: &mut DbConn, id: i64) -> AppResult<Option<Exemption>> {
    Ok(exemption_processes::table
        .find(id)
        .select(Exemption::as_select())
        .first(conn)
        .optional()?)
}

pub fn update_exemption(
    tx: &mut Tx,
    grant: &StaffGrant,
    id: i64,
    input: &ExemptionInput,
    today: NaiveDate,
) -> AppResult<Exemption> {
    let v = parse_exemption(input, today)?;
    let n = diesel::update(
        exemption_processes::table
            .find(id)
            .filter(exemption_processes::peer_id.eq(grant.user_id())),
    )
    .set((&v, exemption_processes::updated_at.eq(time::now())))
    .execute(tx.conn())?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    exemption(tx.conn(), id)?.ok_or(AppError::NotFound)
}

pub fn add_sanction(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &SanctionInput,
    today: NaiveDate,
) -> AppResult<Sanction> {
    let mut errs = Vec::new();
    let kind = code::<SanctionKind>("kind", &input.kind, &mut errs);
    amount("amount_usd", input.amount_usd, 10_000_000.0, &mut errs);
    let resolved = opt_date("resolved_on", &input.resolved_on, &mut errs);
    not_future("resolved_on", resolved, today, &mut errs);
    done(errs)?;
    let r = Sanction {
        id: new_id(),
        org_id: grant.org_id(),
        peer_id: grant.user_id(),
        kind: kind
            .map(crate::workforce::codes::SanctionKind::as_str)
            .unwrap_or("fine")
            .into(),
        amount_usd: input.amount_usd,
        payment_plan: input.payment_plan,
        blocks_credential: input.blocks_credential,
        resolved_on: resolved,
        created_at: time::now(),
    };
    diesel::insert_into(monetary_sanctions::table)
        .values(&r)
        .execute(tx.conn())?;
    Ok(r)
}
