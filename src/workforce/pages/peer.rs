//! A peer's workforce page: pathways with progress bars, training, hours, supervision, barriers,
//! clearances and visits, and the forms that feed them. Each form is read here and written by
//! one operation (`ops.rs`); the page comes back to its section, or shows the errors (422).

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, post};
use chrono::NaiveDate;

use crate::platform::web::extract::Page;

use super::WORKFORCE;
use crate::platform::access::Actor;
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::web::AppState;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, FormFields, PageId, parse};
use crate::workforce::codes::{
    ClearanceStatus, Competency, DenialReason, ExemptionDecision, SanctionKind, SupervisionFormat,
    VisitOutcome,
};
use crate::workforce::ops::{self, PeerView};
use crate::workforce::store::{
    ClearanceEventInput, ClearanceInput, ExemptionInput, PathwayInput, PeerRecord, SanctionInput,
    Standard, SupervisionInput, SupervisionSession, TrainingInput, VisitInput, WorkHoursInput,
    form_number,
};
use crate::workforce::supervision::rules::{RATING_MAX, RATING_MIN};

#[derive(Template, WebTemplate)]
#[template(path = "workforce/peer.html")]
struct PeerPage {
    chrome: crate::platform::web::layout::Chrome,
    r: PeerRecord,
    can_write: bool,
    can_record_visits: bool,
    standards: Vec<Standard>,
    domains: Vec<String>,
    facilities: Vec<(i64, String)>,
    competencies: &'static [Competency],
    formats: &'static [SupervisionFormat],
    statuses: &'static [ClearanceStatus],
    reasons: &'static [DenialReason],
    outcomes: &'static [VisitOutcome],
    decisions: &'static [ExemptionDecision],
    sanction_kinds: &'static [SanctionKind],
    errors: Vec<FieldError>,
    today: NaiveDate,
    /// The caller (a session waits for their signature, or not).
    viewer: i64,
    /// The competency review history as an SVG chart ("" without reviews).
    review_chart: String,
    /// The rating scale, lowest first.
    scale: Vec<i32>,
}

impl PeerPage {
    /// A supervision session's topics (core competencies) in the page's language.
    fn topics_in(&self, s: &SupervisionSession) -> String {
        s.topics
            .split(',')
            .filter_map(Competency::parse)
            .map(|c| self.chrome.tr.code("wf-competency", c.as_str()))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

async fn render_peer(page: &Page, id: i64, errors: Vec<FieldError>) -> Result<PeerPage, PageError> {
    let a = page.actor.clone();
    let PeerView {
        record: r,
        standards,
        facilities,
        can_write,
        can_record_visits,
        today,
    } = page
        .state
        .db
        .write(move |tx| ops::peer_view(tx, &a, id))
        .await?;
    let mut domains: Vec<String> = standards
        .iter()
        .flat_map(|s| s.definition.training.iter().map(|d| d.domain.clone()))
        .collect();
    domains.sort();
    domains.dedup();
    let chrome = {
        let mut chrome = page.chrome("", WORKFORCE);
        chrome.title = chrome.tr.t1("wf-page-title-peer", "name", &r.name);
        chrome
    };
    Ok(PeerPage {
        review_chart: super::supervision::review_chart(&chrome.tr, &r.competency_reviews),
        viewer: page.actor.user_id,
        scale: (RATING_MIN..=RATING_MAX).collect(),
        chrome,
        r,
        can_write,
        can_record_visits,
        standards,
        domains,
        facilities,
        competencies: Competency::ALL,
        formats: SupervisionFormat::ALL,
        statuses: ClearanceStatus::ALL,
        reasons: DenialReason::ALL,
        outcomes: VisitOutcome::ALL,
        decisions: ExemptionDecision::ALL,
        sanction_kinds: SanctionKind::ALL,
        errors,
        today,
    })
}

pub(super) async fn peer_page(
    page: Page,
    PageId(id): PageId,
) -> Result<impl IntoResponse, PageError> {
    render_peer(&page, id, vec![]).await
}

// ---------------------------------------------------------------- the forms

/// Reads a form on a peer's record and writes it through one operation: `(tx, caller, the id in
/// the address, the form)`.
type WriteForm = fn(&mut Tx, &Actor, i64, &FormFields) -> AppResult<()>;

/// Which peer a form posted to one of their records (an exemption, a clearance) is about.
type PeerOf = fn(&mut Tx, i64) -> AppResult<i64>;

/// A form on a peer's record: posted to the peer's address (`peer_of` `None`) or to one of
/// their records; `write` writes it, and the browser comes back to the peer's page at `anchor`,
/// or gets the page again with the errors (422).
#[derive(Clone, Copy)]
struct PeerForm {
    anchor: &'static str,
    peer_of: Option<PeerOf>,
    write: WriteForm,
}

/// The route of a form on a peer's record (see [`PeerForm`]).
pub(super) fn form(
    anchor: &'static str,
    peer_of: Option<PeerOf>,
    write: WriteForm,
) -> MethodRouter<AppState> {
    let f = PeerForm {
        anchor,
        peer_of,
        write,
    };
    post(
        move |page: Page, PageId(id): PageId, CsrfForm(form): CsrfForm| async move {
            post_form(&page, id, form, f).await
        },
    )
}

async fn post_form(
    page: &Page,
    id: i64,
    form: FormFields,
    f: PeerForm,
) -> Result<Response, PageError> {
    let peer = match f.peer_of {
        Some(find) => page.state.db.read(move |tx| find(tx, id)).await?,
        None => id,
    };
    let (a, write) = (page.actor.clone(), f.write);
    match page
        .state
        .db
        .write(move |tx| write(tx, &a, id, &form))
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/workforce/peers/{peer}#{}", f.anchor)).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let again = render_peer(page, peer, errs).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, again).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn opt(form: &FormFields, name: &str) -> Option<String> {
    form.opt(name)
}

/// A required number of hours or dollars (NaN when missing or unreadable, with the error).
fn number(form: &FormFields, name: &str, errs: &mut Vec<FieldError>) -> f64 {
    match form_number(name, form.get(name), errs) {
        Some(n) => n,
        None => {
            if form.get(name).trim().is_empty() {
                errs.push(FieldError::keyed(name, "error-required", &[]));
            }
            f64::NAN
        }
    }
}

/// An optional number ("" → `None`; unreadable → `None` with the error).
fn opt_number(form: &FormFields, name: &str, errs: &mut Vec<FieldError>) -> Option<f64> {
    form_number(name, form.get(name), errs)
}

fn id_field(form: &FormFields, name: &str, errs: &mut Vec<FieldError>) -> i64 {
    match parse::opt_id(name, form.get(name)) {
        Ok(Some(id)) => id,
        Ok(None) => {
            errs.push(FieldError::keyed(name, "error-required", &[]));
            0
        }
        Err(e) => {
            errs.push(e);
            0
        }
    }
}

/// The input, unless a field the store cannot check without (an id) was unreadable.
fn checked<T>(input: T, errs: Vec<FieldError>) -> AppResult<T> {
    if errs.is_empty() {
        Ok(input)
    } else {
        Err(AppError::Invalid(errs))
    }
}

/// The store's answer, with the errors of the fields the form could not read before it.
fn with_errs<T>(errs: Vec<FieldError>, r: AppResult<T>) -> AppResult<()> {
    match (errs.is_empty(), r) {
        (true, r) => r.map(|_| ()),
        (false, Err(AppError::Invalid(mut more))) => {
            let mut all = errs;
            all.append(&mut more);
            Err(AppError::Invalid(all))
        }
        (false, Err(e)) => Err(e),
        (false, Ok(_)) => Err(AppError::Invalid(errs)),
    }
}

pub(super) fn pathway(tx: &mut Tx, a: &Actor, peer: i64, form: &FormFields) -> AppResult<()> {
    let mut errs = Vec::new();
    let input = PathwayInput {
        standard_id: id_field(form, "standard_id", &mut errs),
        exam_passed_on: opt(form, "exam_passed_on"),
        ethics_signed_on: opt(form, "ethics_signed_on"),
        background_cleared_on: opt(form, "background_cleared_on"),
        education_met: form.get("education_met") == "1",
        fees_paid: form.get("fees_paid") == "1",
        certified_on: opt(form, "certified_on"),
    };
    ops::save_pathway(tx, a, peer, || checked(input, errs)).map(|_| ())
}

pub(super) fn training(tx: &mut Tx, a: &Actor, peer: i64, form: &FormFields) -> AppResult<()> {
    let mut errs = Vec::new();
    let input = TrainingInput {
        course: form.get("course").into(),
        domain: form.get("domain").into(),
        hours: number(form, "hours", &mut errs),
        completed_on: form.get("completed_on").into(),
        evidence: form.get("evidence").into(),
        continuing_education: form.get("continuing_education") == "1",
        ethics: form.get("ethics") == "1",
    };
    with_errs(errs, ops::add_training(tx, a, peer, || Ok(input)))
}

pub(super) fn work_hours(tx: &mut Tx, a: &Actor, peer: i64, form: &FormFields) -> AppResult<()> {
    let mut errs = Vec::new();
    let input = WorkHoursInput {
        worked_on: form.get("worked_on").into(),
        hours: number(form, "work_hours", &mut errs),
        note: form.get("note").into(),
    };
    with_errs(errs, ops::add_work_hours(tx, a, peer, || Ok(input)))
}

pub(super) fn supervision(tx: &mut Tx, a: &Actor, peer: i64, form: &FormFields) -> AppResult<()> {
    let mut errs = Vec::new();
    let input = SupervisionInput {
        held_on: form.get("held_on").into(),
        format: form.get("format").into(),
        hours: opt_number(form, "supervision_hours", &mut errs),
        minutes: opt_number(form, "supervision_minutes", &mut errs).map(|m| m.round() as i64),
        topics: form.all("topics").into_iter().map(String::from).collect(),
        wellness_checkin: form.get("wellness_checkin").into(),
        action_items: form.get("action_items").into(),
    };
    with_errs(errs, ops::add_supervision(tx, a, peer, || Ok(input)))
}

fn exemption_from(form: &FormFields) -> ExemptionInput {
    ExemptionInput {
        applied_on: form.get("applied_on").into(),
        documents_requested_on: opt(form, "documents_requested_on"),
        documents_sent_on: opt(form, "documents_sent_on"),
        decided_on: opt(form, "decided_on"),
        decision: opt(form, "decision"),
        notes: form.get("notes").into(),
    }
}

pub(super) fn exemption(tx: &mut Tx, a: &Actor, peer: i64, form: &FormFields) -> AppResult<()> {
    ops::add_exemption(tx, a, peer, || Ok(exemption_from(form))).map(|_| ())
}

/// `id` is the exemption process's.
pub(super) fn exemption_update(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    form: &FormFields,
) -> AppResult<()> {
    ops::update_exemption(tx, a, id, || Ok(exemption_from(form))).map(|_| ())
}

pub(super) fn sanction(tx: &mut Tx, a: &Actor, peer: i64, form: &FormFields) -> AppResult<()> {
    let mut errs = Vec::new();
    let input = SanctionInput {
        kind: form.get("kind").into(),
        amount_usd: number(form, "amount_usd", &mut errs),
        payment_plan: form.get("payment_plan") == "1",
        blocks_credential: form.get("blocks_credential") == "1",
        resolved_on: opt(form, "resolved_on"),
    };
    with_errs(errs, ops::add_sanction(tx, a, peer, || Ok(input)))
}

fn event_from(form: &FormFields, default_on: &str) -> ClearanceEventInput {
    let on = form.opt("on").unwrap_or_else(|| default_on.to_string());
    ClearanceEventInput {
        status: form.get("status").into(),
        on,
        expires_on: opt(form, "expires_on"),
        conditions: form.get("conditions").into(),
        denial_reason: opt(form, "denial_reason"),
        note: form.get("note").into(),
    }
}

pub(super) fn clearance(tx: &mut Tx, a: &Actor, peer: i64, form: &FormFields) -> AppResult<()> {
    let mut errs = Vec::new();
    let requested = form.get("requested_on").to_string();
    let input = ClearanceInput {
        facility_id: id_field(form, "facility_id", &mut errs),
        requested_on: requested.clone(),
        status: Some(event_from(form, &requested)),
    };
    match ops::add_clearance(tx, a, peer, || checked(input, errs)) {
        Ok(_) => Ok(()),
        // The form names the status fields without the JSON prefix.
        Err(AppError::Invalid(errs)) => Err(AppError::Invalid(
            errs.into_iter()
                .map(|e| FieldError {
                    field: e.field.trim_start_matches("status.").to_string(),
                    ..e
                })
                .collect(),
        )),
        Err(other) => Err(other),
    }
}

/// `id` is the clearance's.
pub(super) fn clearance_event(tx: &mut Tx, a: &Actor, id: i64, form: &FormFields) -> AppResult<()> {
    ops::add_clearance_event(tx, a, id, || Ok(event_from(form, ""))).map(|_| ())
}

pub(super) fn visit(tx: &mut Tx, a: &Actor, peer: i64, form: &FormFields) -> AppResult<()> {
    let mut errs = Vec::new();
    let input = VisitInput {
        facility_id: id_field(form, "visit_facility_id", &mut errs),
        scheduled_on: form.get("scheduled_on").into(),
        outcome: form.get("outcome").into(),
        refusal_reason: form.get("refusal_reason").into(),
    };
    ops::add_visit(tx, a, peer, || checked(input, errs)).map(|_| ())
}
