//! Workforce pages: the workforce overview, credential standards (from templates, editable), a
//! peer's pathway with progress bars and the forms that feed it, the certification barriers and
//! facility access reports (with a hand-written SVG chart), the start-up readiness checklist and
//! printable job descriptions.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;

use super::api::{self as wapi, on_peer};
use super::codes::{
    ClearanceStatus, Competency, DenialReason, ExemptionDecision, JobKind, SanctionKind,
    SupervisionFormat, VisitOutcome,
};
use super::figures::FacilityAccessRow;
use super::ops;
use super::readiness::ItemStatus;
use super::store::{
    self, BarriersReport, ClearanceEventInput, ClearanceInput, DomainHours, ExemptionInput,
    PathwayInput, PeerRecord, PeerSummary, ReadinessItem, ReadinessItemInput, SanctionInput,
    Standard, StandardInput, SupervisionInput, TrainingInput, VisitInput, WorkHoursInput,
    form_number,
};
use crate::platform::access::{self, Actor, Intent, Role};
use crate::platform::audit::{self, Event};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::time;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, FormFields, PageId, PageUser, QueryFields, parse};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, CsrfToken, PageRoute};

pub fn routes() -> Vec<PageRoute> {
    let r = |path, methods, handler| PageRoute {
        path,
        methods,
        participant_scoped: false,
        handler,
    };
    vec![
        r("/workforce", &["GET"], get(index)),
        r("/workforce/standards/new", &["GET"], get(new_standard)),
        r("/workforce/standards", &["POST"], post(create_standard)),
        r(
            "/workforce/standards/{id}",
            &["GET", "POST"],
            get(edit_standard).post(update_standard),
        ),
        r("/workforce/peers/{id}", &["GET"], get(peer_page)),
        r(
            "/workforce/peers/{id}/pathway",
            &["POST"],
            post(post_pathway),
        ),
        r(
            "/workforce/peers/{id}/training",
            &["POST"],
            post(post_training),
        ),
        r(
            "/workforce/peers/{id}/work-hours",
            &["POST"],
            post(post_work),
        ),
        r(
            "/workforce/peers/{id}/supervision",
            &["POST"],
            post(post_supervision),
        ),
        r(
            "/workforce/peers/{id}/exemptions",
            &["POST"],
            post(post_exemption),
        ),
        r(
            "/workforce/peers/{id}/sanctions",
            &["POST"],
            post(post_sanction),
        ),
        r(
            "/workforce/peers/{id}/clearances",
            &["POST"],
            post(post_clearance),
        ),
        r("/workforce/peers/{id}/visits", &["POST"], post(post_visit)),
        r(
            "/workforce/exemptions/{id}",
            &["POST"],
            post(post_exemption_update),
        ),
        r(
            "/workforce/clearances/{id}/events",
            &["POST"],
            post(post_clearance_event),
        ),
        r(
            "/workforce/reports/facility-access",
            &["GET"],
            get(facility_report),
        ),
        r(
            "/workforce/reports/certification-barriers",
            &["GET"],
            get(barriers_report),
        ),
        r("/workforce/readiness", &["GET"], get(readiness_page)),
        r("/workforce/readiness/{id}", &["POST"], post(post_readiness)),
        r(
            "/workforce/job-descriptions/{kind}",
            &["GET", "POST"],
            get(job_page).post(post_job),
        ),
    ]
}

fn chrome(state: &AppState, actor: &Actor, title: impl Into<String>, csrf: &str) -> Chrome {
    Chrome::new(actor, title, "/workforce", csrf, state.config.demo)
}

// ---------------------------------------------------------------- overview

#[derive(Template, WebTemplate)]
#[template(path = "workforce/index.html")]
struct IndexPage {
    chrome: Chrome,
    is_admin: bool,
    can_report: bool,
    peers: Vec<PeerSummary>,
    standards: Vec<Standard>,
    templates: Vec<(&'static str, &'static str)>,
}

async fn index(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
) -> Result<Response, PageError> {
    let org = access::workforce(&actor)?;
    if actor.role == Role::Peer {
        return Ok(Redirect::to(&format!("/workforce/peers/{}", actor.user_id)).into_response());
    }
    let a = actor.clone();
    let peers = state.db.write(move |tx| ops::peer_list(tx, &a)).await?;
    let standards = state.db.run(move |c| store::standards_of(c, org)).await?;
    Ok(IndexPage {
        chrome: chrome(&state, &actor, "Workforce", &csrf.0),
        is_admin: actor.role == Role::Admin,
        can_report: access::workforce_reports(&actor).is_ok(),
        peers,
        standards,
        templates: store::templates()
            .into_iter()
            .map(|(c, l, _)| (c, l))
            .collect(),
    }
    .into_response())
}

// ---------------------------------------------------------------- credential standards

#[derive(Template, WebTemplate)]
#[template(path = "workforce/standard.html")]
struct StandardPage {
    chrome: Chrome,
    action: String,
    heading: String,
    s: StandardInput,
    training_text: String,
    errors: Vec<FieldError>,
}

fn training_text(t: &[DomainHours]) -> String {
    t.iter()
        .map(|d| format!("{}: {}", d.domain, d.hours))
        .collect::<Vec<_>>()
        .join("\n")
}

fn standard_from_form(form: &FormFields) -> (StandardInput, Vec<FieldError>) {
    let mut errs = Vec::new();
    let mut training = Vec::new();
    for (i, line) in form.get("training").lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match line.rsplit_once(':') {
            Some((d, h)) if h.trim().parse::<f64>().is_ok() => training.push(DomainHours {
                domain: d.trim().into(),
                hours: h.trim().parse().unwrap_or(0.0),
            }),
            _ => errs.push(FieldError::new(
                "training",
                format!("line {}: write \"Domain: hours\"", i + 1),
            )),
        }
    }
    let mut num = |f: &str| form_number(f, form.get(f), &mut errs).unwrap_or(0.0);
    let supervised_work_hours = num("supervised_work_hours");
    let supervision_hours = num("supervision_hours");
    let ce_hours = num("ce_hours");
    let ce_ethics_hours = num("ce_ethics_hours");
    let fees_usd = form_number("fees_usd", form.get("fees_usd"), &mut errs);
    let renewal_years = match form.get("renewal_years").trim().parse::<u32>() {
        Ok(n) => n,
        Err(_) => {
            errs.push(FieldError::new("renewal_years", "must be a whole number"));
            0
        }
    };
    let input = StandardInput {
        name: form.get("name").into(),
        issuer: form.get("issuer").into(),
        training,
        supervised_work_hours,
        supervision_hours,
        exam_required: form.get("exam_required") == "1",
        ethics_attestation_required: form.get("ethics_attestation_required") == "1",
        background_check_required: form.get("background_check_required") == "1",
        formal_education: form.opt("formal_education"),
        fees_usd,
        renewal_years,
        ce_hours,
        ce_ethics_hours,
    };
    if let Err(mut more) = input.parse() {
        errs.append(&mut more);
    }
    (input, errs)
}

async fn new_standard(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    QueryFields(q): QueryFields,
) -> Result<impl IntoResponse, PageError> {
    access::workforce_org_record(&actor, actor.org_id, Intent::Write)?;
    let code = q.get("template");
    let templates = store::templates();
    let s = templates
        .iter()
        .find(|(c, _, _)| *c == code)
        .or(templates.first())
        .map(|(_, _, s)| StandardInput::from(s))
        .ok_or(AppError::NotFound)?;
    Ok(StandardPage {
        chrome: chrome(&state, &actor, "New credential standard", &csrf.0),
        action: "/workforce/standards".into(),
        heading: "New credential standard".into(),
        training_text: training_text(&s.training),
        s,
        errors: vec![],
    })
}

async fn create_standard(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    access::workforce_org_record(&actor, actor.org_id, Intent::Write)?;
    let (input, errs) = standard_from_form(&form);
    if !errs.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            StandardPage {
                chrome: chrome(&state, &actor, "New credential standard", &csrf.0),
                action: "/workforce/standards".into(),
                heading: "New credential standard".into(),
                training_text: form.get("training").into(),
                s: input,
                errors: errs,
            },
        )
            .into_response());
    }
    let rule = input.parse().map_err(AppError::Invalid)?;
    let (org, who) = (actor.org_id, actor.who());
    let s = state
        .db
        .write(move |tx| {
            let s = store::create_standard(tx, org, &rule)?;
            audit::append(
                tx,
                &who,
                Event::new(
                    "credential_standard.create",
                    "credential_standard",
                    Some(s.id),
                )
                .detail(&rule.name),
            )?;
            Ok(s)
        })
        .await?;
    Ok(Redirect::to(&format!("/workforce/standards/{}", s.id)).into_response())
}

async fn edit_standard(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
) -> Result<impl IntoResponse, PageError> {
    let s = state
        .db
        .run(move |c| store::standard(c, id))
        .await?
        .ok_or(AppError::NotFound)?;
    access::workforce_org_record(&actor, s.org_id, Intent::Read)?;
    Ok(StandardPage {
        chrome: chrome(&state, &actor, s.definition.name.clone(), &csrf.0),
        action: format!("/workforce/standards/{id}"),
        heading: s.definition.name.clone(),
        training_text: training_text(&s.definition.training),
        s: s.definition,
        errors: vec![],
    })
}

async fn update_standard(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let s = state
        .db
        .run(move |c| store::standard(c, id))
        .await?
        .ok_or(AppError::NotFound)?;
    access::workforce_org_record(&actor, s.org_id, Intent::Write)?;
    let (input, errs) = standard_from_form(&form);
    if !errs.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            StandardPage {
                chrome: chrome(&state, &actor, s.definition.name.clone(), &csrf.0),
                action: format!("/workforce/standards/{id}"),
                heading: s.definition.name.clone(),
                training_text: form.get("training").into(),
                s: input,
                errors: errs,
            },
        )
            .into_response());
    }
    let rule = input.parse().map_err(AppError::Invalid)?;
    let who = actor.who();
    state
        .db
        .write(move |tx| {
            store::update_standard(tx, id, &rule)?;
            audit::append(
                tx,
                &who,
                Event::new(
                    "credential_standard.update",
                    "credential_standard",
                    Some(id),
                )
                .detail(&rule.name),
            )?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to(&format!("/workforce/standards/{id}")).into_response())
}

// ---------------------------------------------------------------- a peer's pathway

#[derive(Template, WebTemplate)]
#[template(path = "workforce/peer.html")]
struct PeerPage {
    chrome: Chrome,
    r: PeerRecord,
    can_write: bool,
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
}

impl PeerPage {
    fn reason_label(&self, code: &Option<String>) -> &'static str {
        code.as_deref()
            .and_then(DenialReason::parse)
            .map(super::codes::DenialReason::label)
            .unwrap_or("")
    }
    fn status_label(&self, code: &str) -> &'static str {
        ClearanceStatus::parse(code)
            .map(super::codes::ClearanceStatus::label)
            .unwrap_or("")
    }
    fn outcome_label(&self, code: &str) -> &'static str {
        VisitOutcome::parse(code)
            .map(super::codes::VisitOutcome::label)
            .unwrap_or("")
    }
}

async fn render_peer(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    id: i64,
    errors: Vec<FieldError>,
) -> Result<PeerPage, PageError> {
    let today = time::today();
    let (r, standards, facilities) = on_peer(
        state,
        actor,
        id,
        Intent::Read,
        "workforce.view",
        move |tx, g| {
            let r = store::peer_record(tx.conn(), g, today)?;
            let standards = store::standards_of(tx.conn(), g.org_id())?;
            let facilities = store::facility_choices(tx.conn())?;
            Ok((r, standards, facilities))
        },
    )
    .await?;
    let can_write =
        access::staff_record(actor, actor.org_id, id, r.supervisor_id, Intent::Write).is_ok();
    let mut domains: Vec<String> = standards
        .iter()
        .flat_map(|s| s.definition.training.iter().map(|d| d.domain.clone()))
        .collect();
    domains.sort();
    domains.dedup();
    Ok(PeerPage {
        chrome: chrome(state, actor, format!("Workforce: {}", r.name), csrf),
        r,
        can_write,
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

async fn peer_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
) -> Result<impl IntoResponse, PageError> {
    render_peer(&state, &actor, &csrf.0, id, vec![]).await
}

/// After a form post on a peer's record: back to the page, or the page with the errors (422).
async fn after_post<T>(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    peer: i64,
    result: AppResult<T>,
    anchor: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/workforce/peers/{peer}#{anchor}")).into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render_peer(state, actor, csrf, peer, errs).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

fn opt(form: &FormFields, name: &str) -> Option<String> {
    form.opt(name)
}

fn number(form: &FormFields, name: &str, errs: &mut Vec<FieldError>) -> f64 {
    match form_number(name, form.get(name), errs) {
        Some(n) => n,
        None => {
            if form.get(name).trim().is_empty() {
                errs.push(FieldError::new(name, "is required"));
            }
            f64::NAN
        }
    }
}

fn id_field(form: &FormFields, name: &str, errs: &mut Vec<FieldError>) -> i64 {
    match parse::opt_id(name, form.get(name)) {
        Ok(Some(id)) => id,
        Ok(None) => {
            errs.push(FieldError::new(name, "is required"));
            0
        }
        Err(e) => {
            errs.push(e);
            0
        }
    }
}

/// Write one record on a peer from a form: check the policy, parse, store, come back.
async fn peer_form<T, F>(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    peer: i64,
    action: &'static str,
    anchor: &str,
    f: F,
) -> Result<Response, PageError>
where
    T: Send + 'static,
    F: FnOnce(&mut crate::platform::db::Tx, &access::StaffGrant) -> AppResult<T> + Send + 'static,
{
    let result = on_peer(state, actor, peer, Intent::Write, action, f).await;
    after_post(state, actor, csrf, peer, result, anchor).await
}

fn with_errs<T>(errs: Vec<FieldError>, r: AppResult<T>) -> AppResult<T> {
    match (errs.is_empty(), r) {
        (true, r) => r,
        (false, Err(AppError::Invalid(mut more))) => {
            let mut all = errs;
            all.append(&mut more);
            Err(AppError::Invalid(all))
        }
        (false, Err(e)) => Err(e),
        (false, Ok(_)) => Err(AppError::Invalid(errs)),
    }
}

async fn post_pathway(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let today = time::today();
    peer_form(
        &state,
        &actor,
        &csrf.0,
        id,
        "workforce.pathway.save",
        "pathways",
        move |tx, g| {
            let mut errs = Vec::new();
            let input = PathwayInput {
                standard_id: id_field(&form, "standard_id", &mut errs),
                exam_passed_on: opt(&form, "exam_passed_on"),
                ethics_signed_on: opt(&form, "ethics_signed_on"),
                background_cleared_on: opt(&form, "background_cleared_on"),
                education_met: form.get("education_met") == "1",
                fees_paid: form.get("fees_paid") == "1",
                certified_on: opt(&form, "certified_on"),
            };
            if !errs.is_empty() {
                return Err(AppError::Invalid(errs));
            }
            store::save_pathway(tx, g, &input, today)
        },
    )
    .await
}

async fn post_training(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let today = time::today();
    peer_form(
        &state,
        &actor,
        &csrf.0,
        id,
        "workforce.training.add",
        "training",
        move |tx, g| {
            let mut errs = Vec::new();
            let input = TrainingInput {
                course: form.get("course").into(),
                domain: form.get("domain").into(),
                hours: number(&form, "hours", &mut errs),
                completed_on: form.get("completed_on").into(),
                evidence: form.get("evidence").into(),
                continuing_education: form.get("continuing_education") == "1",
                ethics: form.get("ethics") == "1",
            };
            let r = store::add_training(tx, g, &input, today);
            with_errs(errs, r)
        },
    )
    .await
}

async fn post_work(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let today = time::today();
    peer_form(
        &state,
        &actor,
        &csrf.0,
        id,
        "workforce.work_hours.add",
        "work",
        move |tx, g| {
            let mut errs = Vec::new();
            let input = WorkHoursInput {
                worked_on: form.get("worked_on").into(),
                hours: number(&form, "work_hours", &mut errs),
                note: form.get("note").into(),
            };
            let r = store::add_work_hours(tx, g, &input, today);
            with_errs(errs, r)
        },
    )
    .await
}

async fn post_supervision(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let today = time::today();
    let me = actor.user_id;
    peer_form(
        &state,
        &actor,
        &csrf.0,
        id,
        "workforce.supervision.add",
        "supervision",
        move |tx, g| {
            let mut errs = Vec::new();
            let input = SupervisionInput {
                held_on: form.get("held_on").into(),
                format: form.get("format").into(),
                hours: number(&form, "supervision_hours", &mut errs),
                topics: form.all("topics").into_iter().map(String::from).collect(),
                wellness_checkin: form.get("wellness_checkin").into(),
                action_items: form.get("action_items").into(),
            };
            let r = store::add_supervision(tx, g, me, &input, today);
            with_errs(errs, r)
        },
    )
    .await
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

async fn post_exemption(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let today = time::today();
    peer_form(
        &state,
        &actor,
        &csrf.0,
        id,
        "workforce.exemption.add",
        "barriers",
        move |tx, g| store::add_exemption(tx, g, &exemption_from(&form), today),
    )
    .await
}

async fn post_exemption_update(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let peer = state
        .db
        .run(move |c| store::exemption(c, id))
        .await?
        .map(|e| e.peer_id)
        .ok_or(AppError::NotFound)?;
    let today = time::today();
    peer_form(
        &state,
        &actor,
        &csrf.0,
        peer,
        "workforce.exemption.update",
        "barriers",
        move |tx, g| store::update_exemption(tx, g, id, &exemption_from(&form), today),
    )
    .await
}

async fn post_sanction(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let today = time::today();
    peer_form(
        &state,
        &actor,
        &csrf.0,
        id,
        "workforce.sanction.add",
        "barriers",
        move |tx, g| {
            let mut errs = Vec::new();
            let input = SanctionInput {
                kind: form.get("kind").into(),
                amount_usd: number(&form, "amount_usd", &mut errs),
                payment_plan: form.get("payment_plan") == "1",
                blocks_credential: form.get("blocks_credential") == "1",
                resolved_on: opt(&form, "resolved_on"),
            };
            let r = store::add_sanction(tx, g, &input, today);
            with_errs(errs, r)
        },
    )
    .await
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

async fn post_clearance(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let today = time::today();
    peer_form(
        &state,
        &actor,
        &csrf.0,
        id,
        "workforce.clearance.add",
        "clearances",
        move |tx, g| {
            let mut errs = Vec::new();
            let requested = form.get("requested_on").to_string();
            let input = ClearanceInput {
                facility_id: id_field(&form, "facility_id", &mut errs),
                requested_on: requested.clone(),
                status: Some(event_from(&form, &requested)),
            };
            if !errs.is_empty() {
                return Err(AppError::Invalid(errs));
            }
            store::add_clearance(tx, g, &input, today).map_err(|e| match e {
                // The form names the status fields without the JSON prefix.
                AppError::Invalid(errs) => AppError::Invalid(
                    errs.into_iter()
                        .map(|e| FieldError::new(e.field.trim_start_matches("status."), e.message))
                        .collect(),
                ),
                other => other,
            })
        },
    )
    .await
}

async fn post_clearance_event(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let peer = state
        .db
        .run(move |c| store::clearance(c, id))
        .await?
        .map(|c| c.peer_id)
        .ok_or(AppError::NotFound)?;
    let today = time::today();
    peer_form(
        &state,
        &actor,
        &csrf.0,
        peer,
        "workforce.clearance.update",
        "clearances",
        move |tx, g| store::add_clearance_event(tx, g, id, &event_from(&form, ""), today),
    )
    .await
}

async fn post_visit(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let today = time::today();
    peer_form(
        &state,
        &actor,
        &csrf.0,
        id,
        "workforce.visit.add",
        "visits",
        move |tx, g| {
            let mut errs = Vec::new();
            let input = VisitInput {
                facility_id: id_field(&form, "visit_facility_id", &mut errs),
                scheduled_on: form.get("scheduled_on").into(),
                outcome: form.get("outcome").into(),
                refusal_reason: form.get("refusal_reason").into(),
            };
            if !errs.is_empty() {
                return Err(AppError::Invalid(errs));
            }
            store::add_visit(tx, g, &input, today)
        },
    )
    .await
}

// ---------------------------------------------------------------- reports

/// One bar of the facility chart (pre-computed geometry; the SVG has no style attributes).
pub struct Bar {
    pub label: String,
    pub y: i64,
    pub text_y: i64,
    pub width: i64,
    pub value: String,
    pub value_x: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "workforce/facility_report.html")]
struct FacilityReportPage {
    chrome: Chrome,
    from: NaiveDate,
    to: NaiveDate,
    rows: Vec<FacilityAccessRow>,
    reasons: &'static [DenialReason],
    bars: Vec<Bar>,
    chart_height: i64,
    chart_label: String,
}

impl FacilityReportPage {
    fn rate(&self, r: &FacilityAccessRow) -> String {
        r.denial_rate
            .map(|x| format!("{:.0}%", x * 100.0))
            .unwrap_or_else(|| "–".into())
    }
    fn days(&self, r: &FacilityAccessRow) -> String {
        r.median_days_to_clearance
            .map(|x| format!("{x}"))
            .unwrap_or_else(|| "–".into())
    }
}

/// Bars for the worst facilities (at most 15): denial rate as a bar 0..=400 px wide.
pub fn chart_bars(rows: &[FacilityAccessRow]) -> Vec<Bar> {
    rows.iter()
        .filter(|r| r.denial_rate.is_some())
        .take(15)
        .enumerate()
        .map(|(i, r)| {
            let rate = r.denial_rate.unwrap_or(0.0);
            let width = (rate * 400.0).round() as i64;
            let y = 10 + i as i64 * 26;
            Bar {
                label: r.facility.chars().take(40).collect(),
                y,
                text_y: y + 15,
                width,
                value: format!(
                    "{:.0}% ({} of {})",
                    rate * 100.0,
                    r.denied,
                    r.denied + r.granted
                ),
                value_x: 290 + width,
            }
        })
        .collect()
}

async fn facility_report(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    QueryFields(q): QueryFields,
) -> Result<impl IntoResponse, PageError> {
    access::workforce_reports(&actor)?;
    let (from, to) = wapi::period(&q)?;
    let (rows, _) = wapi::facility_access(&state, &actor, from, to).await?;
    let bars = chart_bars(&rows);
    let chart_label = format!(
        "Denial rate of clearance requests by facility, {from} to {to}, worst first: {}",
        bars.iter()
            .map(|b| format!("{} {}", b.label, b.value))
            .collect::<Vec<_>>()
            .join("; ")
    );
    Ok(FacilityReportPage {
        chrome: chrome(&state, &actor, "Facility access report", &csrf.0),
        from,
        to,
        chart_height: 20 + bars.len() as i64 * 26,
        bars,
        rows,
        reasons: DenialReason::ALL,
        chart_label,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "workforce/barriers_report.html")]
struct BarriersPage {
    chrome: Chrome,
    r: BarriersReport,
}

fn days(v: &Option<f64>) -> String {
    v.map(|x| format!("{x}")).unwrap_or_else(|| "–".into())
}

impl BarriersPage {
    fn rows(&self) -> Vec<(&'static str, String, String)> {
        let (p, d) = (&self.r.programme, &self.r.deployment);
        let n = |a: usize, b: usize| (a.to_string(), b.to_string());
        let mut out = vec![
            ("Peers", (p.peers.to_string(), d.peers.to_string())),
            (
                "Exemption processes",
                n(p.exemption_processes, d.exemption_processes),
            ),
            ("Still open", n(p.open, d.open)),
            ("Granted", n(p.granted, d.granted)),
            ("Denied", n(p.denied, d.denied)),
            ("Withdrawn", n(p.withdrawn, d.withdrawn)),
            (
                "Median days in process",
                (
                    days(&p.median_days_in_process),
                    days(&d.median_days_in_process),
                ),
            ),
            (
                "Median days open (open processes)",
                (days(&p.median_days_open), days(&d.median_days_open)),
            ),
            (
                "Longest process (days)",
                (
                    days(&p.longest_days.map(|x| x as f64)),
                    days(&d.longest_days.map(|x| x as f64)),
                ),
            ),
            (
                "Processes over three years",
                n(p.over_three_years, d.over_three_years),
            ),
            (
                "Peers blocked (any barrier)",
                n(p.peers_blocked, d.peers_blocked),
            ),
            (
                "Blocked: exemption still open",
                n(p.blocked_by_open_exemption, d.blocked_by_open_exemption),
            ),
            (
                "Blocked: exemption denied",
                n(p.blocked_by_denied_exemption, d.blocked_by_denied_exemption),
            ),
            (
                "Blocked: unpaid fines, fees or restitution",
                n(
                    p.blocked_by_monetary_sanctions,
                    d.blocked_by_monetary_sanctions,
                ),
            ),
            (
                "… of whom on a payment plan",
                n(p.blocked_on_payment_plan, d.blocked_on_payment_plan),
            ),
            (
                "Outstanding blocking sanctions (USD)",
                (
                    format!("{:.2}", p.outstanding_usd),
                    format!("{:.2}", d.outstanding_usd),
                ),
            ),
        ];
        out.shrink_to_fit();
        out.into_iter().map(|(k, (a, b))| (k, a, b)).collect()
    }
}

async fn barriers_report(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
) -> Result<impl IntoResponse, PageError> {
    let r = wapi::barriers(&state, &actor).await?;
    Ok(BarriersPage {
        chrome: chrome(&state, &actor, "Certification barriers", &csrf.0),
        r,
    })
}

// ---------------------------------------------------------------- readiness and job descriptions

#[derive(Template, WebTemplate)]
#[template(path = "workforce/readiness.html")]
struct ReadinessPage {
    chrome: Chrome,
    items: Vec<ReadinessItem>,
    stages: Vec<(String, String, usize, usize)>,
    current: String,
    statuses: &'static [ItemStatus],
    is_admin: bool,
    jobs: &'static [JobKind],
    errors: Vec<FieldError>,
}

async fn render_readiness(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    errors: Vec<FieldError>,
) -> Result<ReadinessPage, PageError> {
    let org = access::workforce(actor)?;
    let items = state
        .db
        .write(move |tx| store::readiness_checklist(tx, org))
        .await?;
    let (stages, current) = store::readiness_progress(&items);
    Ok(ReadinessPage {
        chrome: chrome(state, actor, "Programme readiness", csrf),
        items,
        stages,
        current,
        statuses: ItemStatus::ALL,
        is_admin: actor.role == Role::Admin,
        jobs: JobKind::ALL,
        errors,
    })
}

async fn readiness_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
) -> Result<impl IntoResponse, PageError> {
    render_readiness(&state, &actor, &csrf.0, vec![]).await
}

async fn post_readiness(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let item = state
        .db
        .run(move |c| store::readiness_item(c, id))
        .await?
        .ok_or(AppError::NotFound)?;
    access::workforce_org_record(&actor, item.org_id, Intent::Write)?;
    let input = ReadinessItemInput {
        owner: form.get("owner").into(),
        status: form.get("status").into(),
        due_on: opt(&form, "due_on"),
        notes: form.get("notes").into(),
    };
    let who = actor.who();
    let result = state
        .db
        .write(move |tx| {
            let r = store::update_readiness_item(tx, id, &input)?;
            audit::append(
                tx,
                &who,
                Event::new("readiness.update", "readiness_item", Some(id)).detail(&r.status),
            )?;
            Ok(r)
        })
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/workforce/readiness#item-{id}")).into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render_readiness(&state, &actor, &csrf.0, errs).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "workforce/job.html")]
struct JobPage {
    chrome: Chrome,
    kind: JobKind,
    body: String,
    is_admin: bool,
    errors: Vec<FieldError>,
}

async fn job_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    Path(kind): Path<String>,
) -> Result<impl IntoResponse, PageError> {
    let org = access::workforce(&actor)?;
    let kind = JobKind::parse(&kind).ok_or(AppError::NotFound)?;
    let body = state
        .db
        .run(move |c| store::job_description(c, org, kind))
        .await?;
    Ok(JobPage {
        chrome: chrome(&state, &actor, kind.label(), &csrf.0),
        kind,
        body,
        is_admin: actor.role == Role::Admin,
        errors: vec![],
    })
}

async fn post_job(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    Path(kind): Path<String>,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let kind = JobKind::parse(&kind).ok_or(AppError::NotFound)?;
    access::workforce_org_record(&actor, actor.org_id, Intent::Write)?;
    let body = form.get("body").to_string();
    let (org, who) = (actor.org_id, actor.who());
    let b = body.clone();
    let result = state
        .db
        .write(move |tx| {
            store::save_job_description(tx, org, kind, &b)?;
            audit::append(
                tx,
                &who,
                Event::new("job_description.update", "job_description", None).detail(kind.as_str()),
            )
            .map(|_| ())
        })
        .await;
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/workforce/job-descriptions/{}", kind.as_str())).into_response(),
        ),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            JobPage {
                chrome: chrome(&state, &actor, kind.label(), &csrf.0),
                kind,
                body,
                is_admin: true,
                errors: errs,
            },
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
