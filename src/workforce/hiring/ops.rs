//! Hiring use cases: each asks the access policy (`access::hiring_records` for the records,
//! admins only, since an applicant's account of their lived experience is sensitive;
//! `access::hiring_report` for the de-identified report, admins and supervisors), parses its
//! input, calls the store and appends the audit entry. Step changes go through the pure
//! `rules` (only the next step; a reason to leave) and are each a new row.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rules::{self, DropReason, Outcome, PipelineFigures, Standing, Step};
use super::store::{self, ApplicantRow, EventRow, Links, NewApplicant, NewOpening, Opening};
use crate::platform::access::{self, Actor};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields::{self, Fields};
use crate::platform::vocabulary::{Vocabulary, choices};
use crate::workforce::codes::JobKind;

/// A job opening as the API and the page send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningInput {
    /// The job description it uses: peer_recovery_specialist or peer_supervisor.
    pub kind: String,
    pub title: String,
    /// The job description's lived-experience criteria.
    pub lived_experience_criteria: String,
    /// Its other criteria.
    #[serde(default)]
    pub other_criteria: String,
    /// `YYYY-MM-DD`, not in the future.
    pub opened_on: String,
}

/// An application.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    pub opening_id: i64,
    pub name: String,
    /// A telephone number or e-mail address.
    pub contact: String,
    /// The applicant's own account of their lived experience (sensitive: admins only).
    #[serde(default)]
    pub lived_experience: String,
    /// `YYYY-MM-DD`, not in the future.
    pub applied_on: String,
}

/// An applicant passes their step and enters the next.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvanceInput {
    /// The next step: screening, interview, offer, background_check, facility_clearance, hired.
    pub to: String,
    /// `YYYY-MM-DD`, not in the future nor before the current step was entered.
    pub on: String,
    #[serde(default)]
    pub note: String,
    /// Leaving the background check: the criminal-record exemption process it waited on.
    #[serde(default)]
    pub exemption_id: Option<i64>,
    /// Leaving the facility clearance step: the clearance it waited on.
    #[serde(default)]
    pub clearance_id: Option<i64>,
    /// The applicant's staff account (required on hiring unless already linked).
    #[serde(default)]
    pub user_id: Option<i64>,
    /// On hiring: the credential standard whose certification pathway starts (required).
    #[serde(default)]
    pub standard_id: Option<i64>,
}

/// An applicant leaves the pipeline.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveInput {
    /// withdrew or not_selected.
    pub outcome: String,
    /// Why (a code of the drop-out reasons).
    pub reason: String,
    /// `YYYY-MM-DD`.
    pub on: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub exemption_id: Option<i64>,
    #[serde(default)]
    pub clearance_id: Option<i64>,
}

/// A step change as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StepChange {
    pub step: String,
    /// entered or left.
    pub kind: String,
    pub on: NaiveDate,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub note: String,
    pub exemption_id: Option<i64>,
    pub clearance_id: Option<i64>,
}

/// An applicant as shown to the programme's admins.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Applicant {
    pub id: i64,
    pub opening_id: i64,
    pub name: String,
    pub contact: String,
    pub lived_experience: String,
    /// Their staff account, once there is one.
    pub user_id: Option<i64>,
    /// The step they are in, left at, or `hired`.
    pub step: Option<Step>,
    /// in_step, left or hired.
    pub status: String,
    /// Since when.
    pub since: Option<NaiveDate>,
    /// Every step change, in order (empty in lists).
    pub events: Vec<StepChange>,
}

/// The hiring pipeline report of the programme (aggregated, no names).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HiringReport {
    pub as_of: NaiveDate,
    /// The opening reported on, or all.
    pub opening_id: Option<i64>,
    #[serde(flatten)]
    pub figures: PipelineFigures,
}

fn code<T: Vocabulary>(f: &mut Fields, field: &str, v: &str) -> Option<T> {
    let r = T::VALUES.iter().copied().find(|c| c.code() == v.trim());
    if r.is_none() {
        f.push(fields::unknown_value(field, v, choices::<T>()));
    }
    r
}

fn not_future(f: &mut Fields, field: &str, d: Option<NaiveDate>, today: NaiveDate) {
    f.check(d.is_some_and(|d| d > today), field, "error-in-the-future");
}

/// The programme's openings.
pub fn openings(tx: &mut Tx, a: &Actor) -> AppResult<Vec<Opening>> {
    let org = access::hiring_records(a)?;
    store::openings(tx.conn(), org)
}

/// Open a job.
pub fn add_opening(
    tx: &mut Tx,
    a: &Actor,
    input: impl FnOnce() -> AppResult<OpeningInput>,
) -> AppResult<Opening> {
    let org = access::hiring_records(a)?;
    let input = input()?;
    let mut f = Fields::new();
    let kind = code::<JobKind>(&mut f, "kind", &input.kind);
    let title = f.take(fields::text("title", &input.title, 200, true));
    let le = f.take(fields::text(
        "lived_experience_criteria",
        &input.lived_experience_criteria,
        4000,
        true,
    ));
    let other = f.take(fields::text(
        "other_criteria",
        &input.other_criteria,
        4000,
        false,
    ));
    let opened = f.take(fields::date("opened_on", &input.opened_on));
    not_future(&mut f, "opened_on", opened, a.zone.today());
    f.finish()?;
    let (Some(kind), Some(title), Some(le), Some(opened_on)) = (kind, title, le, opened) else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    let o = NewOpening {
        kind,
        title,
        lived_experience_criteria: le,
        other_criteria: other.unwrap_or_default(),
        opened_on,
    };
    let row = store::add_opening(tx, org, &o)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::HiringOpeningCreate, "job_opening", Some(row.id)),
    )?;
    Ok(row)
}

fn shown(row: ApplicantRow, events: Vec<EventRow>, with_events: bool) -> Applicant {
    let pure: Vec<_> = events.iter().filter_map(EventRow::event).collect();
    let (step, status, since) = match rules::standing(&pure) {
        Standing::In(s, d) => (Some(s), "in_step", Some(d)),
        Standing::Left(s, _, d) => (Some(s), "left", Some(d)),
        Standing::Hired(d) => (Some(Step::Hired), "hired", Some(d)),
        Standing::None => (None, "in_step", None),
    };
    Applicant {
        id: row.id,
        opening_id: row.opening_id,
        name: row.name,
        contact: row.contact,
        lived_experience: row.lived_experience,
        user_id: row.user_id,
        step,
        status: status.into(),
        since,
        events: if with_events {
            events
                .into_iter()
                .map(|e| StepChange {
                    step: e.step,
                    kind: e.kind,
                    on: e.on_date,
                    outcome: e.outcome,
                    reason: e.reason,
                    note: e.note,
                    exemption_id: e.exemption_id,
                    clearance_id: e.clearance_id,
                })
                .collect()
        } else {
            vec![]
        },
    }
}

/// The programme's applicants with where each stands (audited as one read).
pub fn applicants(tx: &mut Tx, a: &Actor) -> AppResult<Vec<Applicant>> {
    let org = access::hiring_records(a)?;
    let rows = store::applicants(tx.conn(), org)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let ev = store::events_of(tx.conn(), org, r.id)?;
        out.push(shown(r, ev, false));
    }
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::HiringApplicantList, "applicant", None).detail(out.len().to_string()),
    )?;
    Ok(out)
}

/// One applicant with their steps (audited).
pub fn applicant(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Applicant> {
    let org = access::hiring_records(a)?;
    let row = store::applicant(tx.conn(), org, id)?;
    let ev = store::events_of(tx.conn(), org, id)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::HiringApplicantRead, "applicant", Some(id)),
    )?;
    Ok(shown(row, ev, true))
}

/// Add an applicant to an opening: they enter the application step.
pub fn add_applicant(
    tx: &mut Tx,
    a: &Actor,
    input: impl FnOnce() -> AppResult<ApplicantInput>,
) -> AppResult<Applicant> {
    let org = access::hiring_records(a)?;
    let input = input()?;
    let mut f = Fields::new();
    if matches!(
        store::opening(tx.conn(), org, input.opening_id),
        Err(AppError::NotFound)
    ) {
        f.push(FieldError::keyed(
            "opening_id",
            "hire-error-not-an-opening",
            &[],
        ));
    }
    let name = f.take(fields::text("name", &input.name, 200, true));
    let contact = f.take(fields::text("contact", &input.contact, 300, true));
    let le = f.take(fields::text(
        "lived_experience",
        &input.lived_experience,
        4000,
        false,
    ));
    let applied = f.take(fields::date("applied_on", &input.applied_on));
    not_future(&mut f, "applied_on", applied, a.zone.today());
    f.finish()?;
    let (Some(name), Some(contact), Some(applied_on)) = (name, contact, applied) else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    let n = NewApplicant {
        opening_id: input.opening_id,
        name,
        contact,
        lived_experience: le.unwrap_or_default(),
        applied_on,
    };
    let row = store::add_applicant(tx, org, a.user_id, &n)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::HiringApplicantCreate, "applicant", Some(row.id)),
    )?;
    let ev = store::events_of(tx.conn(), org, row.id)?;
    Ok(shown(row, ev, true))
}

/// Check the exemption process and clearance a step change names: of the programme, of the
/// applicant's account once there is one, and only when leaving the step they belong to.
fn links(
    tx: &mut Tx,
    f: &mut Fields,
    org: i64,
    row: &ApplicantRow,
    leaving: Option<Step>,
    asked: Links,
) -> AppResult<Links> {
    let Links {
        note,
        exemption_id,
        clearance_id,
    } = asked;
    let note = f.take(fields::text("note", &note, 2000, false));
    type PeerOf = fn(&mut DbConn, i64, i64) -> AppResult<Option<i64>>;
    let asked: [(&str, Option<i64>, Step, PeerOf); 2] = [
        (
            "exemption_id",
            exemption_id,
            Step::BackgroundCheck,
            store::exemption_peer,
        ),
        (
            "clearance_id",
            clearance_id,
            Step::FacilityClearance,
            store::clearance_peer,
        ),
    ];
    for (field, id, step, peer) in asked {
        let Some(id) = id else { continue };
        if leaving != Some(step) {
            f.push(FieldError::keyed(
                field,
                "hire-error-link-step",
                &[("step", step.as_str().to_string())],
            ));
            continue;
        }
        match peer(tx.conn(), org, id)? {
            None => f.push(FieldError::keyed(
                field,
                "hire-error-not-a-record-here",
                &[],
            )),
            Some(p) if row.user_id.is_some_and(|u| u != p) => {
                f.push(FieldError::keyed(field, "hire-error-other-person", &[]));
            }
            Some(_) => {}
        }
    }
    Ok(Links {
        note: note.unwrap_or_default(),
        exemption_id,
        clearance_id,
    })
}

fn refused(field: &str, r: rules::Refusal) -> FieldError {
    FieldError::keyed(field, r.key(), &[])
}

/// The applicant passes their step and enters the next. Hiring links their staff account and
/// starts their certification pathway.
pub fn advance(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<AdvanceInput>,
) -> AppResult<Applicant> {
    let org = access::hiring_records(a)?;
    let row = store::applicant(tx.conn(), org, id)?;
    let input = input()?;
    let today = a.zone.today();
    let before: Vec<_> = store::events_of(tx.conn(), org, id)?
        .iter()
        .filter_map(EventRow::event)
        .collect();
    let now = rules::standing(&before);
    let leaving = match now {
        Standing::In(s, _) => Some(s),
        _ => None,
    };
    let mut f = Fields::new();
    let to = code::<Step>(&mut f, "to", &input.to);
    let on = f.take(fields::date("on", &input.on));
    not_future(&mut f, "on", on, today);
    let asked = Links::asked(&input.note, input.exemption_id, input.clearance_id);
    let links = links(tx, &mut f, org, &row, leaving, asked)?;
    let account = input.user_id.or(row.user_id);
    if to == Some(Step::Hired) {
        match account {
            None => f.push(FieldError::keyed(
                "user_id",
                "hire-error-account-required",
                &[],
            )),
            Some(u) if !store::is_staff_of(tx.conn(), org, u)? => f.push(FieldError::keyed(
                "user_id",
                "hire-error-not-staff-here",
                &[],
            )),
            Some(_) => {}
        }
        match input.standard_id {
            None => f.push(FieldError::keyed("standard_id", "error-required", &[])),
            Some(s) if !store::is_standard_of(tx.conn(), org, s)? => f.push(FieldError::keyed(
                "standard_id",
                "error-not-a-standard-here",
                &[],
            )),
            Some(_) => {}
        }
    } else if let Some(u) = input.user_id
        && !store::is_staff_of(tx.conn(), org, u)?
    {
        f.push(FieldError::keyed(
            "user_id",
            "hire-error-not-staff-here",
            &[],
        ));
    }
    let events = match (to, on) {
        (Some(to), Some(on)) => f.take(rules::advance(id, now, to, on).map_err(|r| {
            refused(
                if r == rules::Refusal::BeforeEntered {
                    "on"
                } else {
                    "to"
                },
                r,
            )
        })),
        _ => None,
    };
    f.finish()?;
    let (Some(events), Some(to)) = (events, to) else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    store::add_events(tx, org, a.user_id, &events, &links)?;
    if let Some(u) = input.user_id {
        store::link_account(tx, org, id, u)?;
    }
    let mut detail = format!("to {}", to.as_str());
    if to == Step::Hired
        && let (Some(u), Some(s)) = (account, input.standard_id)
    {
        let pathway = store::start_pathway(tx, org, u, s)?;
        detail = format!("hired as user {u}; pathway {pathway} started");
    }
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::HiringApplicantAdvance, "applicant", Some(id)).detail(detail),
    )?;
    let row = store::applicant(tx.conn(), org, id)?;
    let ev = store::events_of(tx.conn(), org, id)?;
    Ok(shown(row, ev, true))
}

/// The applicant leaves the pipeline: withdrew or not selected, with a reason.
pub fn leave(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<LeaveInput>,
) -> AppResult<Applicant> {
    let org = access::hiring_records(a)?;
    let row = store::applicant(tx.conn(), org, id)?;
    let input = input()?;
    let before: Vec<_> = store::events_of(tx.conn(), org, id)?
        .iter()
        .filter_map(EventRow::event)
        .collect();
    let now = rules::standing(&before);
    let leaving = match now {
        Standing::In(s, _) => Some(s),
        _ => None,
    };
    let mut f = Fields::new();
    let outcome = code::<Outcome>(&mut f, "outcome", &input.outcome);
    f.check(
        outcome == Some(Outcome::Advanced),
        "outcome",
        "hire-error-reason",
    );
    let reason = code::<DropReason>(&mut f, "reason", &input.reason);
    let on = f.take(fields::date("on", &input.on));
    not_future(&mut f, "on", on, a.zone.today());
    let asked = Links::asked(&input.note, input.exemption_id, input.clearance_id);
    let links = links(tx, &mut f, org, &row, leaving, asked)?;
    let event = match (outcome, reason, on) {
        (Some(o), Some(r), Some(on)) if o != Outcome::Advanced => {
            f.take(rules::leave(id, now, o, Some(r), on).map_err(|e| {
                refused(
                    if e == rules::Refusal::BeforeEntered {
                        "on"
                    } else {
                        "outcome"
                    },
                    e,
                )
            }))
        }
        _ => None,
    };
    f.finish()?;
    let Some(event) = event else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    store::add_events(tx, org, a.user_id, &[event], &links)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::HiringApplicantLeave, "applicant", Some(id)).detail(format!(
            "{} ({})",
            input.outcome.trim(),
            input.reason.trim()
        )),
    )?;
    let row = store::applicant(tx.conn(), org, id)?;
    let ev = store::events_of(tx.conn(), org, id)?;
    Ok(shown(row, ev, true))
}

/// The hiring pipeline report of the programme, of one opening or all (admins and supervisors;
/// aggregated, no names; audited as a report view).
pub fn report(tx: &mut Tx, a: &Actor, opening: Option<i64>) -> AppResult<HiringReport> {
    let org = access::hiring_report(a)?;
    if let Some(o) = opening {
        store::opening(tx.conn(), org, o)?;
    }
    let events = store::all_events(tx.conn(), org, opening)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::HiringReportPipeline, "report", opening),
    )?;
    Ok(HiringReport {
        as_of: a.zone.today(),
        opening_id: opening,
        figures: rules::pipeline(&events),
    })
}
