//! `/api/v1/credential-standards`, `/api/v1/peers/{id}/…` (a peer's pathway, training, hours,
//! supervision, barriers, clearances and visits), `/api/v1/reports/{certification-barriers,
//! facility-access}` (JSON or `?format=csv`) and `/api/v1/readiness`.
//!
//! Each handler parses the request and calls one operation (`ops.rs`), which asks
//! `platform::access` and only then parses the body.

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::figures::FacilityAccessRow;
use super::store::{
    self, BarriersReport, Clearance, ClearanceEventInput, ClearanceInput, Exemption,
    ExemptionInput, Pathway, PathwayInput, PeerRecord, PeerSummary, ReadinessItem,
    ReadinessItemInput, Sanction, SanctionInput, Standard, StandardInput, SupervisionInput,
    SupervisionSession, TrainingInput, TrainingRecord, Visit, VisitInput, WorkHours,
    WorkHoursInput,
};
use super::{ops, params};
use crate::platform::access::{self, Actor, Intent};
use crate::platform::db::Tx;
use crate::platform::error::AppResult;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{ApiUser, IdPath, JsonBody, QueryFields};
use crate::platform::web::formats::{csv_response, wants_csv};

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

/// The caller of a workforce route (answered 401 when not signed in), with the application.
struct Caller {
    state: AppState,
    actor: Actor,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ApiUser(actor) = ApiUser::from_request_parts(parts, state).await?;
        Ok(Caller {
            state: state.clone(),
            actor,
        })
    }
}

impl Caller {
    /// Run `op` as the caller in one write transaction.
    async fn write<T, F>(self, op: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx, &Actor) -> AppResult<T> + Send + 'static,
    {
        let a = self.actor;
        self.state.db.write(move |tx| op(tx, &a)).await
    }

    /// Run `op` as the caller in a read transaction.
    async fn read<T, F>(self, op: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx, &Actor) -> AppResult<T> + Send + 'static,
    {
        let a = self.actor;
        self.state.db.read(move |tx| op(tx, &a)).await
    }
}

/// A write to one record named in the address: the caller, the id and the JSON body (not yet
/// parsed), read in that order, so a caller who is not signed in, or an address that names no
/// id, is answered before the body is read.
struct WriteRequest {
    caller: Caller,
    id: i64,
    body: JsonBody,
}

impl FromRequest<AppState> for WriteRequest {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let (mut parts, body) = req.into_parts();
        let caller = Caller::from_request_parts(&mut parts, state).await?;
        let IdPath(id) = IdPath::from_request_parts(&mut parts, state).await?;
        let body = JsonBody::from_request(Request::from_parts(parts, body), state).await?;
        Ok(WriteRequest { caller, id, body })
    }
}

impl WriteRequest {
    /// Run `op` in one write transaction with the caller, the id and the body.
    async fn run<T, F>(self, op: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx, &Actor, i64, &JsonBody) -> AppResult<T> + Send + 'static,
    {
        let WriteRequest { caller, id, body } = self;
        caller.write(move |tx, a| op(tx, a, id, &body)).await
    }

    /// The same, answering `201 Created` with what it made.
    async fn create<T, F>(self, op: F) -> Result<(StatusCode, Json<T>), ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx, &Actor, i64, &JsonBody) -> AppResult<T> + Send + 'static,
    {
        Ok((StatusCode::CREATED, Json(self.run(op).await?)))
    }
}

// ---------------------------------------------------------------- credential standards

/// Credential standards of your organisation.
#[utoipa::path(get, path = "/api/v1/credential-standards", tag = "workforce",
    responses((status = 200, body = Vec<Standard>), (status = 403, body = Problem)))]
async fn list_standards(c: Caller) -> Result<Json<Vec<Standard>>, ApiError> {
    Ok(Json(c.read(ops::standards).await?))
}

/// Define a credential standard (admins).
#[utoipa::path(post, path = "/api/v1/credential-standards", tag = "workforce", request_body = StandardInput,
    responses((status = 201, body = Standard), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_standard(
    c: Caller,
    body: JsonBody,
) -> Result<(StatusCode, Json<Standard>), ApiError> {
    let create = move |tx: &mut Tx, a: &Actor| ops::create_standard(tx, a, || body.parse());
    Ok((StatusCode::CREATED, Json(c.write(create).await?)))
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

/// One credential standard.
#[utoipa::path(get, path = "/api/v1/credential-standards/{id}", tag = "workforce",
    params(("id" = i64, Path)),
    responses((status = 200, body = Standard), (status = 404, body = Problem)))]
async fn get_standard(c: Caller, IdPath(id): IdPath) -> Result<Json<Standard>, ApiError> {
    let read = move |tx: &mut Tx, a: &Actor| ops::standard(tx, a, id, Intent::Read);
    Ok(Json(c.read(read).await?))
}

/// Replace a credential standard's requirements (admins).
#[utoipa::path(put, path = "/api/v1/credential-standards/{id}", tag = "workforce", request_body = StandardInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Standard), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_standard(w: WriteRequest) -> Result<Json<Standard>, ApiError> {
    let op =
        |tx: &mut Tx, a: &Actor, id, b: &JsonBody| ops::update_standard(tx, a, id, || b.parse());
    Ok(Json(w.run(op).await?))
}

// ---------------------------------------------------------------- peers

/// Peers you may see, with their credential progress: admins their organisation's, supervisors
/// their team, peers themselves.
#[utoipa::path(get, path = "/api/v1/peers", tag = "workforce",
    responses((status = 200, body = Vec<PeerSummary>), (status = 403, body = Problem)))]
async fn list_peers(c: Caller) -> Result<Json<Vec<PeerSummary>>, ApiError> {
    Ok(Json(c.write(ops::peer_list).await?))
}

/// One peer's workforce record: pathways with progress per requirement, expected completion,
/// expiry and alerts; training, hours, supervision, barriers, clearances and visits.
#[utoipa::path(get, path = "/api/v1/peers/{id}/workforce", tag = "workforce",
    params(("id" = i64, Path, description = "the peer's user id")),
    responses((status = 200, body = PeerRecord), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn peer_record(c: Caller, IdPath(id): IdPath) -> Result<Json<PeerRecord>, ApiError> {
    let view = move |tx: &mut Tx, a: &Actor| ops::peer_record(tx, a, id);
    Ok(Json(c.write(view).await?))
}

/// Create or replace the peer's pathway toward a credential (exam, attestation, background
/// check, education, fees, certification date).
#[utoipa::path(post, path = "/api/v1/peers/{id}/pathways", tag = "workforce", request_body = PathwayInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Pathway), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn save_pathway(w: WriteRequest) -> Result<Json<Pathway>, ApiError> {
    let op = |tx: &mut Tx, a: &Actor, id, b: &JsonBody| ops::save_pathway(tx, a, id, || b.parse());
    Ok(Json(w.run(op).await?))
}

/// Record a training course (initial training by domain, or continuing education).
#[utoipa::path(post, path = "/api/v1/peers/{id}/training", tag = "workforce", request_body = TrainingInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = TrainingRecord), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_training(w: WriteRequest) -> Result<(StatusCode, Json<TrainingRecord>), ApiError> {
    w.create(|tx, a, id, b| ops::add_training(tx, a, id, || b.parse()))
        .await
}

/// Record supervised work experience hours.
#[utoipa::path(post, path = "/api/v1/peers/{id}/work-hours", tag = "workforce", request_body = WorkHoursInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = WorkHours), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_work_hours(w: WriteRequest) -> Result<(StatusCode, Json<WorkHours>), ApiError> {
    w.create(|tx, a, id, b| ops::add_work_hours(tx, a, id, || b.parse()))
        .await
}

/// Log a supervision session with the peer (the caller is the supervisor). Hours count toward
/// the supervision requirement of every pathway.
#[utoipa::path(post, path = "/api/v1/peers/{id}/supervision", tag = "workforce", request_body = SupervisionInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = SupervisionSession), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_supervision(
    w: WriteRequest,
) -> Result<(StatusCode, Json<SupervisionSession>), ApiError> {
    w.create(|tx, a, id, b| ops::add_supervision(tx, a, id, || b.parse()))
        .await
}

/// Open a background exemption (waiver) process for the peer.
#[utoipa::path(post, path = "/api/v1/peers/{id}/exemptions", tag = "workforce", request_body = ExemptionInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Exemption), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_exemption(w: WriteRequest) -> Result<(StatusCode, Json<Exemption>), ApiError> {
    w.create(|tx, a, id, b| ops::add_exemption(tx, a, id, || b.parse()))
        .await
}

/// Update an exemption process (documents requested or sent, decision).
#[utoipa::path(put, path = "/api/v1/exemptions/{id}", tag = "workforce", request_body = ExemptionInput,
    params(("id" = i64, Path, description = "exemption process id")),
    responses((status = 200, body = Exemption), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_exemption(w: WriteRequest) -> Result<Json<Exemption>, ApiError> {
    let op =
        |tx: &mut Tx, a: &Actor, id, b: &JsonBody| ops::update_exemption(tx, a, id, || b.parse());
    Ok(Json(w.run(op).await?))
}

/// Record a court fine, fee or restitution that can block the peer's credential.
#[utoipa::path(post, path = "/api/v1/peers/{id}/sanctions", tag = "workforce", request_body = SanctionInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Sanction), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_sanction(w: WriteRequest) -> Result<(StatusCode, Json<Sanction>), ApiError> {
    w.create(|tx, a, id, b| ops::add_sanction(tx, a, id, || b.parse()))
        .await
}

/// Request clearance for the peer at a facility (optionally with its current status).
#[utoipa::path(post, path = "/api/v1/peers/{id}/clearances", tag = "workforce", request_body = ClearanceInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Clearance), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_clearance(w: WriteRequest) -> Result<(StatusCode, Json<Clearance>), ApiError> {
    w.create(|tx, a, id, b| ops::add_clearance(tx, a, id, || b.parse()))
        .await
}

/// Record a status change of a clearance (pending, granted, denied with reason, revoked, expired).
#[utoipa::path(post, path = "/api/v1/clearances/{id}/events", tag = "workforce", request_body = ClearanceEventInput,
    params(("id" = i64, Path, description = "clearance id")),
    responses((status = 200, body = Clearance), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_clearance_event(w: WriteRequest) -> Result<Json<Clearance>, ApiError> {
    let op = |tx: &mut Tx, a: &Actor, id, b: &JsonBody| {
        ops::add_clearance_event(tx, a, id, || b.parse())
    };
    Ok(Json(w.run(op).await?))
}

/// Record a scheduled facility visit and its outcome.
#[utoipa::path(post, path = "/api/v1/peers/{id}/visits", tag = "workforce", request_body = VisitInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Visit), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_visit(w: WriteRequest) -> Result<(StatusCode, Json<Visit>), ApiError> {
    w.create(|tx, a, id, b| ops::add_visit(tx, a, id, || b.parse()))
        .await
}

// ---------------------------------------------------------------- reports

/// Certification barriers across the programme and the deployment: exemption processes (median
/// and longest days), peers blocked and by what. Aggregated; no names. `?format=csv` for CSV.
#[utoipa::path(get, path = "/api/v1/reports/certification-barriers", tag = "workforce",
    params(("format" = Option<String>, Query, description = "json (default) or csv")),
    responses((status = 200, body = BarriersReport), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn barriers_report(c: Caller, QueryFields(q): QueryFields) -> Result<Response, ApiError> {
    let csv = wants_csv(&q)?;
    let r = c.write(ops::barriers_report).await?;
    if csv {
        Ok(csv_response(
            "certification-barriers.csv",
            store::barriers_csv(&r)?,
        ))
    } else {
        Ok(Json(r).into_response())
    }
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
    c: Caller,
    QueryFields(q): QueryFields,
) -> Result<Response, ApiError> {
    let csv = wants_csv(&q)?;
    let (from, to) = params::period(&q)?;
    let (rows, fresh) = ops::facility_access(&c.state.db, &c.actor, from, to).await?;
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
async fn readiness(c: Caller) -> Result<Json<Vec<ReadinessItem>>, ApiError> {
    Ok(Json(c.write(ops::readiness).await?))
}

/// Update one checklist item: owner, status, due date, notes (admins).
#[utoipa::path(put, path = "/api/v1/readiness/{id}", tag = "workforce", request_body = ReadinessItemInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = ReadinessItem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_readiness_item(w: WriteRequest) -> Result<Json<ReadinessItem>, ApiError> {
    let op = |tx: &mut Tx, a: &Actor, id, b: &JsonBody| {
        ops::update_readiness_item(tx, a, id, || b.parse())
    };
    Ok(Json(w.run(op).await?))
}
