//! Hiring records: job openings, applicants and their step events. Every function takes the
//! organisation the access policy returned (`ops.rs` asks it first). Nothing is updated in
//! place but an applicant's staff account, which is set once.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::rules::{Change, DropReason, Outcome, Step, StepEvent};
use super::schema::{applicants, hiring_events, job_openings};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::schema::users;
use crate::platform::time;
use crate::workforce::codes::JobKind;
use crate::workforce::schema::{
    credential_standards, exemption_processes, facility_clearances, peer_pathways,
};

/// A job opening as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = job_openings)]
pub struct Opening {
    pub id: i64,
    #[serde(skip)]
    pub org_id: i64,
    /// The job description it uses (peer_recovery_specialist, peer_supervisor).
    pub kind: String,
    pub title: String,
    /// The job description's lived-experience criteria (seed 002: lived experience of recovery
    /// and of the justice system).
    pub lived_experience_criteria: String,
    /// Its other criteria (education, skills, licence, ...).
    pub other_criteria: String,
    pub opened_on: NaiveDate,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
}

/// An opening, parsed.
#[derive(Debug, Clone)]
pub struct NewOpening {
    pub kind: JobKind,
    pub title: String,
    pub lived_experience_criteria: String,
    pub other_criteria: String,
    pub opened_on: NaiveDate,
}

/// An applicant as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = applicants)]
pub struct ApplicantRow {
    pub id: i64,
    pub org_id: i64,
    pub opening_id: i64,
    pub name: String,
    pub contact: String,
    pub lived_experience: String,
    pub user_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// An applicant, parsed.
#[derive(Debug, Clone)]
pub struct NewApplicant {
    pub opening_id: i64,
    pub name: String,
    pub contact: String,
    pub lived_experience: String,
    pub applied_on: NaiveDate,
}

/// A step event as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = hiring_events)]
pub struct EventRow {
    pub id: i64,
    pub org_id: i64,
    pub applicant_id: i64,
    pub step: String,
    pub kind: String,
    pub on_date: NaiveDate,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub note: String,
    pub exemption_id: Option<i64>,
    pub clearance_id: Option<i64>,
    pub recorded_by: i64,
    pub created_at: NaiveDateTime,
}

impl EventRow {
    /// The pure event, or `None` for a code this build does not know.
    pub fn event(&self) -> Option<StepEvent> {
        let step = Step::parse(&self.step)?;
        let change = match self.kind.as_str() {
            "entered" => Change::Entered,
            "left" => Change::Left(
                Outcome::parse(self.outcome.as_deref()?)?,
                self.reason.as_deref().and_then(DropReason::parse),
            ),
            _ => return None,
        };
        Some(StepEvent {
            applicant_id: self.applicant_id,
            step,
            on: self.on_date,
            change,
        })
    }
}

/// What a step change names besides the step: a note, and the exemption process or facility
/// clearance it waited on.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub note: String,
    pub exemption_id: Option<i64>,
    pub clearance_id: Option<i64>,
}

impl Links {
    /// What a step's form asked for: its note and the exemption and clearance it names.
    pub fn asked(note: &str, exemption_id: Option<i64>, clearance_id: Option<i64>) -> Self {
        Links {
            note: note.to_string(),
            exemption_id,
            clearance_id,
        }
    }
}

pub fn add_opening(tx: &mut Tx, org_id: i64, o: &NewOpening) -> AppResult<Opening> {
    let id = new_id();
    diesel::insert_into(job_openings::table)
        .values((
            job_openings::id.eq(id),
            job_openings::org_id.eq(org_id),
            job_openings::kind.eq(o.kind.as_str()),
            job_openings::title.eq(&o.title),
            job_openings::lived_experience_criteria.eq(&o.lived_experience_criteria),
            job_openings::other_criteria.eq(&o.other_criteria),
            job_openings::opened_on.eq(o.opened_on),
            job_openings::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    opening(tx.conn(), org_id, id)
}

/// One opening of the organisation.
pub fn opening(conn: &mut DbConn, org_id: i64, id: i64) -> AppResult<Opening> {
    job_openings::table
        .filter(job_openings::org_id.eq(org_id))
        .filter(job_openings::id.eq(id))
        .select(Opening::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The organisation's openings, newest first.
pub fn openings(conn: &mut DbConn, org_id: i64) -> AppResult<Vec<Opening>> {
    Ok(job_openings::table
        .filter(job_openings::org_id.eq(org_id))
        .order((job_openings::opened_on.desc(), job_openings::id))
        .select(Opening::as_select())
        .load(conn)?)
}

/// Add an applicant and their application (entered the first step on `applied_on`).
pub fn add_applicant(
    tx: &mut Tx,
    org_id: i64,
    by: i64,
    a: &NewApplicant,
) -> AppResult<ApplicantRow> {
    let id = new_id();
    diesel::insert_into(applicants::table)
        .values((
            applicants::id.eq(id),
            applicants::org_id.eq(org_id),
            applicants::opening_id.eq(a.opening_id),
            applicants::name.eq(&a.name),
            applicants::contact.eq(&a.contact),
            applicants::lived_experience.eq(&a.lived_experience),
            applicants::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    let applied = StepEvent {
        applicant_id: id,
        step: Step::Application,
        on: a.applied_on,
        change: Change::Entered,
    };
    add_events(tx, org_id, by, &[applied], &Links::default())?;
    applicant(tx.conn(), org_id, id)
}

/// One applicant of the organisation.
pub fn applicant(conn: &mut DbConn, org_id: i64, id: i64) -> AppResult<ApplicantRow> {
    applicants::table
        .filter(applicants::org_id.eq(org_id))
        .filter(applicants::id.eq(id))
        .select(ApplicantRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The organisation's applicants, by name.
pub fn applicants(conn: &mut DbConn, org_id: i64) -> AppResult<Vec<ApplicantRow>> {
    Ok(applicants::table
        .filter(applicants::org_id.eq(org_id))
        .order((applicants::name, applicants::id))
        .select(ApplicantRow::as_select())
        .load(conn)?)
}

/// Set the applicant's staff account, once (an account already set stays).
pub fn link_account(tx: &mut Tx, org_id: i64, id: i64, user_id: i64) -> AppResult<()> {
    diesel::update(
        applicants::table
            .filter(applicants::org_id.eq(org_id))
            .filter(applicants::id.eq(id))
            .filter(applicants::user_id.is_null()),
    )
    .set(applicants::user_id.eq(Some(user_id)))
    .execute(tx.conn())?;
    Ok(())
}

/// Record step changes, each a new row.
pub fn add_events(
    tx: &mut Tx,
    org_id: i64,
    by: i64,
    events: &[StepEvent],
    links: &Links,
) -> AppResult<()> {
    let now = time::now();
    for e in events {
        let (kind, outcome, reason) = match e.change {
            Change::Entered => ("entered", None, None),
            Change::Left(o, r) => ("left", Some(o.as_str()), r.map(DropReason::as_str)),
        };
        // The links belong to the step being left (the check or clearance it waited on).
        let linked = kind == "left";
        diesel::insert_into(hiring_events::table)
            .values((
                hiring_events::id.eq(new_id()),
                hiring_events::org_id.eq(org_id),
                hiring_events::applicant_id.eq(e.applicant_id),
                hiring_events::step.eq(e.step.as_str()),
                hiring_events::kind.eq(kind),
                hiring_events::on_date.eq(e.on),
                hiring_events::outcome.eq(outcome),
                hiring_events::reason.eq(reason),
                hiring_events::note.eq(if linked { links.note.as_str() } else { "" }),
                hiring_events::exemption_id.eq(links.exemption_id.filter(|_| linked)),
                hiring_events::clearance_id.eq(links.clearance_id.filter(|_| linked)),
                hiring_events::recorded_by.eq(by),
                hiring_events::created_at.eq(now),
            ))
            .execute(tx.conn())?;
    }
    Ok(())
}

/// One applicant's events, in the order they happened.
pub fn events_of(conn: &mut DbConn, org_id: i64, applicant_id: i64) -> AppResult<Vec<EventRow>> {
    let mut rows: Vec<EventRow> = hiring_events::table
        .filter(hiring_events::org_id.eq(org_id))
        .filter(hiring_events::applicant_id.eq(applicant_id))
        .select(EventRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|r| {
        let step = Step::parse(&r.step).map_or(0, Step::index);
        (r.on_date, step, r.kind != "entered", r.created_at)
    });
    Ok(rows)
}

/// Every step event of the organisation (optionally of one opening), for the report.
pub fn all_events(
    conn: &mut DbConn,
    org_id: i64,
    opening: Option<i64>,
) -> AppResult<Vec<StepEvent>> {
    let mut q = hiring_events::table
        .inner_join(applicants::table)
        .filter(hiring_events::org_id.eq(org_id))
        .select(EventRow::as_select())
        .into_boxed();
    if let Some(o) = opening {
        q = q.filter(applicants::opening_id.eq(o));
    }
    let rows: Vec<EventRow> = q.load(conn)?;
    Ok(rows.iter().filter_map(EventRow::event).collect())
}

/// The staff member (peer) of an exemption process of the organisation.
pub fn exemption_peer(conn: &mut DbConn, org_id: i64, id: i64) -> AppResult<Option<i64>> {
    Ok(exemption_processes::table
        .filter(exemption_processes::org_id.eq(org_id))
        .filter(exemption_processes::id.eq(id))
        .select(exemption_processes::peer_id)
        .first(conn)
        .optional()?)
}

/// The staff member (peer) of a facility clearance of the organisation.
pub fn clearance_peer(conn: &mut DbConn, org_id: i64, id: i64) -> AppResult<Option<i64>> {
    Ok(facility_clearances::table
        .filter(facility_clearances::org_id.eq(org_id))
        .filter(facility_clearances::id.eq(id))
        .select(facility_clearances::peer_id)
        .first(conn)
        .optional()?)
}

/// Is this user a staff member of the organisation?
pub fn is_staff_of(conn: &mut DbConn, org_id: i64, user_id: i64) -> AppResult<bool> {
    let found: Option<i64> = users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::id.eq(user_id))
        .select(users::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Is this a credential standard of the organisation?
pub fn is_standard_of(conn: &mut DbConn, org_id: i64, standard_id: i64) -> AppResult<bool> {
    let found: Option<i64> = credential_standards::table
        .filter(credential_standards::org_id.eq(org_id))
        .filter(credential_standards::id.eq(standard_id))
        .select(credential_standards::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Start the peer's certification pathway toward a standard (nothing done yet), unless it has
/// started: returns its id.
pub fn start_pathway(tx: &mut Tx, org_id: i64, peer_id: i64, standard_id: i64) -> AppResult<i64> {
    let existing: Option<i64> = peer_pathways::table
        .filter(peer_pathways::peer_id.eq(peer_id))
        .filter(peer_pathways::standard_id.eq(standard_id))
        .select(peer_pathways::id)
        .first(tx.conn())
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = new_id();
    let now = time::now();
    diesel::insert_into(peer_pathways::table)
        .values((
            peer_pathways::id.eq(id),
            peer_pathways::org_id.eq(org_id),
            peer_pathways::peer_id.eq(peer_id),
            peer_pathways::standard_id.eq(standard_id),
            peer_pathways::education_met.eq(false),
            peer_pathways::fees_paid.eq(false),
            peer_pathways::created_at.eq(now),
            peer_pathways::updated_at.eq(now),
        ))
        .execute(tx.conn())?;
    Ok(id)
}

/// The figures of the steps where a criminal record bars hiring (background check, facility
/// clearance) of the organisation, for the certification barriers report (no names).
pub fn barrier_steps(conn: &mut DbConn, org_id: i64) -> AppResult<Vec<super::rules::StepFigures>> {
    let events = all_events(conn, org_id, None)?;
    Ok(super::rules::pipeline(&events)
        .steps
        .into_iter()
        .filter(|s| Step::BARRIER_STEPS.contains(&s.step))
        .collect())
}
