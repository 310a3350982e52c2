//! Writes to a peer's certification pathway: the pathway itself, training and supervised work
//! hours (supervision sessions: `supervision`).

use chrono::NaiveDate;
use diesel::prelude::*;

use super::parse::*;
use super::*;
use crate::platform::access::StaffGrant;
use crate::platform::db::Tx;
use crate::platform::error::{AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::time;
use crate::workforce::schema::*;

/// The steps of a pathway its form gives: the columns creating and replacing it both write (an
/// empty date is written as NULL).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = peer_pathways, treat_none_as_null = true)]
struct PathwaySteps {
    exam_passed_on: Option<NaiveDate>,
    ethics_signed_on: Option<NaiveDate>,
    background_cleared_on: Option<NaiveDate>,
    education_met: bool,
    fees_paid: bool,
    certified_on: Option<NaiveDate>,
}

/// Create or replace the peer's pathway toward a standard of their organisation.
pub fn save_pathway(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &PathwayInput,
    today: NaiveDate,
) -> AppResult<Pathway> {
    let mut errs = Vec::new();
    let exam = opt_date("exam_passed_on", &input.exam_passed_on, &mut errs);
    let ethics = opt_date("ethics_signed_on", &input.ethics_signed_on, &mut errs);
    let bg = opt_date(
        "background_cleared_on",
        &input.background_cleared_on,
        &mut errs,
    );
    let cert = opt_date("certified_on", &input.certified_on, &mut errs);
    for (f, d) in [
        ("exam_passed_on", exam),
        ("ethics_signed_on", ethics),
        ("background_cleared_on", bg),
        ("certified_on", cert),
    ] {
        not_future(f, d, today, &mut errs);
    }
    let std_org: Option<i64> = credential_standards::table
        .find(input.standard_id)
        .select(credential_standards::org_id)
        .first(tx.conn())
        .optional()?;
    if std_org != Some(grant.org_id()) {
        errs.push(FieldError::keyed(
            "standard_id",
            "error-not-a-standard-here",
            &[],
        ));
    }
    done(errs)?;
    let now = time::now();
    let existing: Option<i64> = peer_pathways::table
        .filter(peer_pathways::peer_id.eq(grant.user_id()))
        .filter(peer_pathways::standard_id.eq(input.standard_id))
        .select(peer_pathways::id)
        .first(tx.conn())
        .optional()?;
    let steps = PathwaySteps {
        exam_passed_on: exam,
        ethics_signed_on: ethics,
        background_cleared_on: bg,
        education_met: input.education_met,
        fees_paid: input.fees_paid,
        certified_on: cert,
    };
    let id = match existing {
        Some(id) => {
            diesel::update(peer_pathways::table.find(id))
                .set((&steps, peer_pathways::updated_at.eq(now)))
                .execute(tx.conn())?;
            id
        }
        None => {
            let id = new_id();
            diesel::insert_into(peer_pathways::table)
                .values((
                    peer_pathways::id.eq(id),
                    peer_pathways::org_id.eq(grant.org_id()),
                    peer_pathways::peer_id.eq(grant.user_id()),
                    peer_pathways::standard_id.eq(input.standard_id),
                    &steps,
                    peer_pathways::created_at.eq(now),
                    peer_pathways::updated_at.eq(now),
                ))
                .execute(tx.conn())?;
            id
        }
    };
    Ok(peer_pathways::table
        .find(id)
        .select(Pathway::as_select())
        .first(tx.conn())?)
}

pub fn add_training(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &TrainingInput,
    today: NaiveDate,
) -> AppResult<TrainingRecord> {
    let mut errs = Vec::new();
    let course = text("course", &input.course, 200, true, &mut errs);
    let domain = text("domain", &input.domain, 120, true, &mut errs);
    hours("hours", input.hours, 500.0, &mut errs);
    let on = date("completed_on", &input.completed_on, &mut errs);
    not_future("completed_on", on, today, &mut errs);
    let evidence = text("evidence", &input.evidence, 500, false, &mut errs);
    done(errs)?;
    let r = TrainingRecord {
        id: new_id(),
        org_id: grant.org_id(),
        peer_id: grant.user_id(),
        course,
        domain,
        hours: input.hours,
        completed_on: on.unwrap_or(today),
        evidence,
        continuing_education: input.continuing_education,
        ethics: input.ethics,
        created_at: time::now(),
    };
    diesel::insert_into(training_records::table)
        .values(&r)
        .execute(tx.conn())?;
    Ok(r)
}

pub fn add_work_hours(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &WorkHoursInput,
    today: NaiveDate,
) -> AppResult<WorkHours> {
    let mut errs = Vec::new();
    let on = date("worked_on", &input.worked_on, &mut errs);
    not_future("worked_on", on, today, &mut errs);
    hours("hours", input.hours, 400.0, &mut errs);
    let note = text("note", &input.note, 500, false, &mut errs);
    done(errs)?;
    let r = WorkHours {
        id: new_id(),
        org_id: grant.org_id(),
        peer_id: grant.user_id(),
        worked_on: on.unwrap_or(today),
        hours: input.hours,
        note,
        created_at: time::now(),
    };
    diesel::insert_into(work_hours::table)
        .values(&r)
        .execute(tx.conn())?;
    Ok(r)
}
