//! `/api/v1/credential-standards`, `/api/v1/peers/{id}/…` (a peer's pathway, training, hours,
//! supervision, barriers, clearances and visits), `/api/v1/reports/{certification-barriers,
//! facility-access}` (JSON or `?format=csv`) and `/api/v1/readiness`.
//!
//! Every handler asks `platform::access` first and parses the body after it has spoken.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use serde::de::DeserializeOwned;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::figures::FacilityAccessRow;
use super::ops;
use super::store::{
    self, BarriersReport, Clearance, ClearanceEventInput, ClearanceInput, Exemption,
    ExemptionInput, Pathway, PathwayInput, PeerRecord, PeerSummary, ReadinessItem,
    ReadinessItemInput, Sanction, SanctionInput, Standard, StandardInput, SupervisionInput,
    SupervisionSession, TrainingInput, TrainingRecord, Visit, VisitInput, WorkHours,
    WorkHoursInput,
};
use crate::platform::access::{self, Actor, Intent, StaffGrant};
use crate::platform::audit::{self, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::report_cache::Freshness;
use crate::platform::time;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{ApiUser, IdPath, JsonBody, QueryFields, parse};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_standards, create_standard))
        .routes(routes!(standard_templates))
        .routes(routes!(get_standard, update_standard))
        .routes(routes!(list_peers))
        .routes(routes!(peer_record))
        .routes(routes!(save_pathway))
        .routes(routes!(add_training))
        .routes(routes!(add_work_hours))
        .routes(routes!(add_supervision))
        .routes(routes!(add_exemption))
        .routes(routes!(update_exemption))
        .routes(routes!(add_sanction))
        .routes(routes!(add_clearance))
        .routes(routes!(add_clearance_event))
        .routes(routes!(add_visit))
        .routes(routes!(barriers_report))
        .routes(routes!(facility_access_report))
        .routes(routes!(readiness))
        .routes(routes!(update_readiness_item))
}

/// Run `f` on one peer's records under a grant from the policy (audited as `action`).
pub async fn on_peer<T, F>(
    state: &AppState,
    actor: &Actor,
    peer_id: i64,
    intent: Intent,
    action: &'static str,
    f: F,
) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Tx, &StaffGrant) -> AppResult<T> + Send + 'static,
{
    let a = actor.clone();
    state
        .db
        .write(move |tx| {
            let grant = access::staff(
                tx,
                &a,
                peer_id,
                intent,
                Event::new(action, "user", Some(peer_id)),
            )?;
            f(tx, &grant)
        })
        .await
}

fn body_of<T: DeserializeOwned>(body: &JsonBody) -> AppResult<T> {
    body.parse()
}

// ---------------------------------------------------------------- credential standards

/// Credential standards of your organisation.
#[utoipa::path(get, path = "/api/v1/credential-standards", tag = "workforce",
    responses((status = 200, body = Vec<Standard>), (status = 403, body = Problem)))]
async fn list_standards(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Vec<Standard>>, ApiError> {
    let org = access::workforce(&actor)?;
    Ok(Json(
        state.db.run(move |c| store::standards_of(c, org)).await?,
    ))
}

/// Define a credential standard (admins).
#[utoipa::path(post, path = "/api/v1/credential-standards", tag = "workforce", request_body = StandardInput,
    responses((status = 201, body = Standard), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_standard(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: JsonBody,
) -> Result<(StatusCode, Json<Standard>), ApiError> {
    access::workforce_org_record(&actor, actor.org_id, Intent::Write)?;
    let input: StandardInput = body.parse()?;
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
    Ok((StatusCode::CREATED, Json(s)))
}

/// The shipped templates (SAMHSA National Model Standards state credential, IC&RC Peer Recovery).
#[utoipa::path(get, path = "/api/v1/credential-standards/templates", tag = "workforce",
    responses((status = 200, body = Vec<StandardInput>), (status = 403, body = Problem)))]
async fn standard_templates(ApiUser(actor): ApiUser) -> Result<Json<Vec<StandardInput>>, ApiError> {
    access::workforce(&actor)?;
    Ok(Json(
        store::templates()
            .iter()
            .map(|(_, _, s)| StandardInput::from(s))
            .collect(),
    ))
}

async fn load_standard(
    state: &AppState,
    actor: &Actor,
    id: i64,
    intent: Intent,
) -> AppResult<Standard> {
    let s = state
        .db
        .run(move |c| store::standard(c, id))
        .await?
        .ok_or(AppError::NotFound)?;
    access::workforce_org_record(actor, s.org_id, intent)?;
    Ok(s)
}

/// One credential standard.
#[utoipa::path(get, path = "/api/v1/credential-standards/{id}", tag = "workforce",
    params(("id" = i64, Path)),
    responses((status = 200, body = Standard), (status = 404, body = Problem)))]
async fn get_standard(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
) -> Result<Json<Standard>, ApiError> {
    Ok(Json(load_standard(&state, &actor, id, Intent::Read).await?))
}

/// Replace a credential standard's requirements (admins).
#[utoipa::path(put, path = "/api/v1/credential-standards/{id}", tag = "workforce", request_body = StandardInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Standard), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_standard(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<Standard>, ApiError> {
    load_standard(&state, &actor, id, Intent::Write).await?;
    let input: StandardInput = body.parse()?;
    let rule = input.parse().map_err(AppError::Invalid)?;
    let who = actor.who();
    let s = state
        .db
        .write(move |tx| {
            let s = store::update_standard(tx, id, &rule)?;
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
            Ok(s)
        })
        .await?;
    Ok(Json(s))
}

// ---------------------------------------------------------------- peers

/// Peers you may see, with their credential progress: admins their organisation's, supervisors
/// their team, peers themselves.
#[utoipa::path(get, path = "/api/v1/peers", tag = "workforce",
    responses((status = 200, body = Vec<PeerSummary>), (status = 403, body = Problem)))]
async fn list_peers(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Vec<PeerSummary>>, ApiError> {
    Ok(Json(
        state.db.write(move |tx| ops::peer_list(tx, &actor)).await?,
    ))
}

/// One peer's workforce record: pathways with progress per requirement, expected completion,
/// expiry and alerts; training, hours, supervision, barriers, clearances and visits.
#[utoipa::path(get, path = "/api/v1/peers/{id}/workforce", tag = "workforce",
    params(("id" = i64, Path, description = "the peer's user id")),
    responses((status = 200, body = PeerRecord), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn peer_record(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
) -> Result<Json<PeerRecord>, ApiError> {
    let today = time::today();
    let r = on_peer(
        &state,
        &actor,
        id,
        Intent::Read,
        "workforce.view",
        move |tx, g| store::peer_record(tx.conn(), g, today),
    )
    .await?;
    Ok(Json(r))
}

/// Create or replace the peer's pathway toward a credential (exam, attestation, background
/// check, education, fees, certification date).
#[utoipa::path(post, path = "/api/v1/peers/{id}/pathways", tag = "workforce", request_body = PathwayInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Pathway), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn save_pathway(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<Pathway>, ApiError> {
    let today = time::today();
    let r = on_peer(
        &state,
        &actor,
        id,
        Intent::Write,
        "workforce.pathway.save",
        move |tx, g| store::save_pathway(tx, g, &body_of::<PathwayInput>(&body)?, today),
    )
    .await?;
    Ok(Json(r))
}

/// Record a training course (initial training by domain, or continuing education).
#[utoipa::path(post, path = "/api/v1/peers/{id}/training", tag = "workforce", request_body = TrainingInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = TrainingRecord), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_training(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<TrainingRecord>), ApiError> {
    let today = time::today();
    let r = on_peer(
        &state,
        &actor,
        id,
        Intent::Write,
        "workforce.training.add",
        move |tx, g| store::add_training(tx, g, &body_of::<TrainingInput>(&body)?, today),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Record supervised work experience hours.
#[utoipa::path(post, path = "/api/v1/peers/{id}/work-hours", tag = "workforce", request_body = WorkHoursInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = WorkHours), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_work_hours(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<WorkHours>), ApiError> {
    let today = time::today();
    let r = on_peer(
        &state,
        &actor,
        id,
        Intent::Write,
        "workforce.work_hours.add",
        move |tx, g| store::add_work_hours(tx, g, &body_of::<WorkHoursInput>(&body)?, today),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Log a supervision session with the peer (the caller is the supervisor). Hours count toward
/// the supervision requirement of every pathway.
#[utoipa::path(post, path = "/api/v1/peers/{id}/supervision", tag = "workforce", request_body = SupervisionInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = SupervisionSession), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_supervision(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<SupervisionSession>), ApiError> {
    let today = time::today();
    let me = actor.user_id;
    let r = on_peer(
        &state,
        &actor,
        id,
        Intent::Write,
        "workforce.supervision.add",
        move |tx, g| store::add_supervision(tx, g, me, &body_of::<SupervisionInput>(&body)?, today),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Open a background exemption (waiver) process for the peer.
#[utoipa::path(post, path = "/api/v1/peers/{id}/exemptions", tag = "workforce", request_body = ExemptionInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Exemption), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_exemption(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<Exemption>), ApiError> {
    let today = time::today();
    let r = on_peer(
        &state,
        &actor,
        id,
        Intent::Write,
        "workforce.exemption.add",
        move |tx, g| store::add_exemption(tx, g, &body_of::<ExemptionInput>(&body)?, today),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Update an exemption process (documents requested or sent, decision).
#[utoipa::path(put, path = "/api/v1/exemptions/{id}", tag = "workforce", request_body = ExemptionInput,
    params(("id" = i64, Path, description = "exemption process id")),
    responses((status = 200, body = Exemption), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_exemption(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<Exemption>, ApiError> {
    let peer = state
        .db
        .run(move |c| store::exemption(c, id))
        .await?
        .map(|e| e.peer_id)
        .ok_or(AppError::NotFound)?;
    let today = time::today();
    let r = on_peer(
        &state,
        &actor,
        peer,
        Intent::Write,
        "workforce.exemption.update",
        move |tx, g| store::update_exemption(tx, g, id, &body_of::<ExemptionInput>(&body)?, today),
    )
    .await?;
    Ok(Json(r))
}

/// Record a court fine, fee or restitution that can block the peer's credential.
#[utoipa::path(post, path = "/api/v1/peers/{id}/sanctions", tag = "workforce", request_body = SanctionInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Sanction), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_sanction(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<Sanction>), ApiError> {
    let today = time::today();
    let r = on_peer(
        &state,
        &actor,
        id,
        Intent::Write,
        "workforce.sanction.add",
        move |tx, g| store::add_sanction(tx, g, &body_of::<SanctionInput>(&body)?, today),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Request clearance for the peer at a facility (optionally with its current status).
#[utoipa::path(post, path = "/api/v1/peers/{id}/clearances", tag = "workforce", request_body = ClearanceInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Clearance), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_clearance(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<Clearance>), ApiError> {
    let today = time::today();
    let r = on_peer(
        &state,
        &actor,
        id,
        Intent::Write,
        "workforce.clearance.add",
        move |tx, g| store::add_clearance(tx, g, &body_of::<ClearanceInput>(&body)?, today),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Record a status change of a clearance (pending, granted, denied with reason, revoked, expired).
#[utoipa::path(post, path = "/api/v1/clearances/{id}/events", tag = "workforce", request_body = ClearanceEventInput,
    params(("id" = i64, Path, description = "clearance id")),
    responses((status = 200, body = Clearance), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_clearance_event(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<Clearance>, ApiError> {
    let peer = state
        .db
        .run(move |c| store::clearance(c, id))
        .await?
        .map(|c| c.peer_id)
        .ok_or(AppError::NotFound)?;
    let today = time::today();
    let r = on_peer(
        &state,
        &actor,
        peer,
        Intent::Write,
        "workforce.clearance.update",
        move |tx, g| {
            store::add_clearance_event(tx, g, id, &body_of::<ClearanceEventInput>(&body)?, today)
        },
    )
    .await?;
    Ok(Json(r))
}

/// Record a scheduled facility visit and its outcome.
#[utoipa::path(post, path = "/api/v1/peers/{id}/visits", tag = "workforce", request_body = VisitInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Visit), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_visit(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<Visit>), ApiError> {
    let today = time::today();
    let r = on_peer(
        &state,
        &actor,
        id,
        Intent::Write,
        "workforce.visit.add",
        move |tx, g| store::add_visit(tx, g, &body_of::<VisitInput>(&body)?, today),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

// ---------------------------------------------------------------- reports

/// `json` (default) or `csv`.
pub fn wants_csv(q: &crate::platform::web::extract::FormFields) -> AppResult<bool> {
    match q.get("format") {
        "" | "json" => Ok(false),
        "csv" => Ok(true),
        other => Err(AppError::invalid(
            "format",
            format!("unknown format {other:?}; use json or csv"),
        )),
    }
}

pub fn csv_response(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The certification barriers report (programme and deployment, de-identified).
pub async fn barriers(state: &AppState, actor: &Actor) -> AppResult<BarriersReport> {
    let org = access::workforce_reports(actor)?;
    let who = actor.who();
    let today = time::today();
    state
        .db
        .write(move |tx| {
            let r = store::barriers_report(tx.conn(), org, today)?;
            audit::append(
                tx,
                &who,
                Event::new("workforce.report.barriers", "report", None),
            )?;
            Ok(r)
        })
        .await
}

/// Certification barriers across the programme and the deployment: exemption processes (median
/// and longest days), peers blocked and by what. Aggregated; no names. `?format=csv` for CSV.
#[utoipa::path(get, path = "/api/v1/reports/certification-barriers", tag = "workforce",
    params(("format" = Option<String>, Query, description = "json (default) or csv")),
    responses((status = 200, body = BarriersReport), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn barriers_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Response, ApiError> {
    let csv = wants_csv(&q)?;
    let r = barriers(&state, &actor).await?;
    if csv {
        Ok(csv_response(
            "certification-barriers.csv",
            store::barriers_csv(&r)?,
        ))
    } else {
        Ok(Json(r).into_response())
    }
}

/// The period of a report: `from` and `to` (YYYY-MM-DD, inclusive; default the last 365 days).
pub fn period(q: &crate::platform::web::extract::FormFields) -> AppResult<(NaiveDate, NaiveDate)> {
    let mut errs: Vec<FieldError> = Vec::new();
    let to = parse::opt_date("to", q.get("to"))
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let from = parse::opt_date("from", q.get("from"))
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let to = to.unwrap_or_else(time::today);
    let from = from.unwrap_or(to - Duration::days(364));
    if from > to {
        return Err(AppError::invalid("from", "is after to"));
    }
    if (to - from).num_days() > 366 * 10 {
        return Err(AppError::invalid(
            "from",
            "the period is longer than ten years",
        ));
    }
    Ok((from, to))
}

/// The facility access report rows for the caller's programme: computed outside the write
/// lock and kept per data version (decision 0010); the view is audited either way.
pub async fn facility_access(
    state: &AppState,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(Vec<FacilityAccessRow>, Freshness)> {
    let org = access::workforce_reports(actor)?;
    let who = actor.who();
    let (rows, fresh) = state
        .db
        .reports
        .get_or_compute(
            &state.db,
            org,
            format!("facility_access|{from}|{to}"),
            move |c| store::facility_access_report(c, org, from, to),
        )
        .await?;
    state
        .db
        .write(move |tx| {
            audit::append(
                tx,
                &who,
                Event::new("workforce.report.facility_access", "report", None)
                    .detail(format!("{from} to {to}")),
            )
        })
        .await?;
    Ok(((*rows).clone(), fresh))
}

/// Facility access per facility for the period: requests, grants, denials by reason, median
/// days to clearance, visits scheduled and completed, refusals at the door. Worst first:
/// highest denial rate, then most refusals at the door, then most denials. `?format=csv`.
#[utoipa::path(get, path = "/api/v1/reports/facility-access", tag = "workforce",
    params(
        ("from" = Option<String>, Query, description = "YYYY-MM-DD (default: 364 days before `to`)"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD, inclusive (default: today)"),
        ("format" = Option<String>, Query, description = "json (default) or csv"),
    ),
    responses((status = 200, body = Vec<FacilityAccessRow>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn facility_access_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Response, ApiError> {
    let csv = wants_csv(&q)?;
    let (from, to) = period(&q)?;
    let (rows, fresh) = facility_access(&state, &actor, from, to).await?;
    let cache = fresh.header();
    if csv {
        Ok((
            cache,
            csv_response("facility-access.csv", store::facility_access_csv(&rows)?),
        )
            .into_response())
    } else {
        Ok((cache, Json(rows)).into_response())
    }
}

// ---------------------------------------------------------------- readiness

/// Your programme's start-up checklist (created from the default on first use).
#[utoipa::path(get, path = "/api/v1/readiness", tag = "workforce",
    responses((status = 200, body = Vec<ReadinessItem>), (status = 403, body = Problem)))]
async fn readiness(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Vec<ReadinessItem>>, ApiError> {
    let org = access::workforce(&actor)?;
    Ok(Json(
        state
            .db
            .write(move |tx| store::readiness_checklist(tx, org))
            .await?,
    ))
}

/// Update one checklist item: owner, status, due date, notes (admins).
#[utoipa::path(put, path = "/api/v1/readiness/{id}", tag = "workforce", request_body = ReadinessItemInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = ReadinessItem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_readiness_item(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<ReadinessItem>, ApiError> {
    let item = state
        .db
        .run(move |c| store::readiness_item(c, id))
        .await?
        .ok_or(AppError::NotFound)?;
    access::workforce_org_record(&actor, item.org_id, Intent::Write)?;
    let input: ReadinessItemInput = body.parse()?;
    let who = actor.who();
    Ok(Json(
        state
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
            .await?,
    ))
}
