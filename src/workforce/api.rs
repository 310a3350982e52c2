//! `/api/v1/credential-standards`, `/api/v1/peers/{id}/…` (a peer's pathway, training, hours,
//! supervision, barriers, clearances and visits), `/api/v1/reports/{certification-barriers,
//! facility-access}` (JSON or `?format=csv`) and `/api/v1/readiness`.
//!
//! Each handler parses the request and calls one operation (`ops.rs`), which asks
//! `platform::access` and only then parses the body.

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::figures::FacilityAccessRow;
use super::ops::{ReviewDetail, SupervisionDetail};
use super::store::{
    self, BarriersReport, Clearance, ClearanceEventInput, ClearanceInput, Consultation,
    ConsultationInput, Exemption, ExemptionInput, Pathway, PathwayInput, PeerRecord, PeerSummary,
    ReadinessItem, ReadinessItemInput, Review, ReviewAmendmentInput, ReviewInput, Sanction,
    SanctionInput, Standard, StandardInput, SupervisionAmendmentInput, SupervisionInput,
    SupervisionSession, TrainingInput, TrainingRecord, Visit, VisitInput, WorkHours,
    WorkHoursInput,
};
use super::{ops, params};
use crate::platform::access::{self, Actor, Intent};
use crate::platform::db::Tx;
use crate::platform::error::AppResult;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{Api, ApiUser, IdPath, JsonBody, QueryFields};
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
        .routes(routes!(supervision_session, amend_supervision))
        .routes(routes!(sign_supervision))
        .routes(routes!(add_review, reviews))
        .routes(routes!(review, amend_review))
        .routes(routes!(add_consultation, consultations))
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

/// A write to one record named in the address: the caller, the id and the JSON body (not yet
/// parsed), read in that order, so a caller who is not signed in, or an address that names no
/// id, is answered before the body is read.
struct WriteRequest {
    caller: Api,
    id: i64,
    body: JsonBody,
}

impl FromRequest<AppState> for WriteRequest {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let (mut parts, body) = req.into_parts();
        let caller = Api::from_request_parts(&mut parts, state).await?;
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
}

/// Declares the handlers of writes to one record named in the address ([`WriteRequest`]):
/// each calls the operation of the same name, which asks the policy before it reads the JSON
/// body, and answers with what it wrote (`201 Created` for a new record, `200 OK` for a change).
/// An entry: the method and path, the operation with its input, the status and what it answers,
/// and what the id in the path names when it is not the peer.
macro_rules! write_handlers {
    ($(
        $(#[doc = $doc:tt])*
        $method:ident $path:tt $name:ident($input:ident) -> $status:tt $out:ident
            $(, id $id:tt)?;
    )+) => {$(
        $(#[doc = $doc])*
        #[utoipa::path($method, path = $path, tag = "workforce", request_body = $input,
            params(("id" = i64, Path $(, description = $id)?)),
            responses((status = $status, body = $out), (status = 403, body = Problem),
                (status = 404, body = Problem), (status = 422, body = Problem)))]
        async fn $name(w: WriteRequest) -> Result<(StatusCode, Json<$out>), ApiError> {
            let out = w.run(|tx, a, id, b| ops::$name(tx, a, id, || b.parse())).await?;
            Ok((write_status!($status), Json(out)))
        }
    )+};
}

/// The status of a write's answer, from its number in the OpenAPI document.
macro_rules! write_status {
    (200) => {
        StatusCode::OK
    };
    (201) => {
        StatusCode::CREATED
    };
}

// ---------------------------------------------------------------- credential standards

/// Credential standards of your organisation.
#[utoipa::path(get, path = "/api/v1/credential-standards", tag = "workforce",
    responses((status = 200, body = Vec<Standard>), (status = 403, body = Problem)))]
async fn list_standards(c: Api) -> Result<Json<Vec<Standard>>, ApiError> {
    Ok(Json(c.read(ops::standards).await?))
}

/// Define a credential standard (admins).
#[utoipa::path(post, path = "/api/v1/credential-standards", tag = "workforce", request_body = StandardInput,
    responses((status = 201, body = Standard), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_standard(c: Api, body: JsonBody) -> Result<(StatusCode, Json<Standard>), ApiError> {
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
async fn get_standard(c: Api, IdPath(id): IdPath) -> Result<Json<Standard>, ApiError> {
    let read = move |tx: &mut Tx, a: &Actor| ops::standard(tx, a, id, Intent::Read);
    Ok(Json(c.read(read).await?))
}

write_handlers! {
    /// Replace a credential standard's requirements (admins).
    put "/api/v1/credential-standards/{id}" update_standard(StandardInput) -> 200 Standard;
}

// ---------------------------------------------------------------- peers

/// Peers you may see, with their credential progress: admins their organisation's, supervisors
/// their team, peers themselves.
#[utoipa::path(get, path = "/api/v1/peers", tag = "workforce",
    responses((status = 200, body = Vec<PeerSummary>), (status = 403, body = Problem)))]
async fn list_peers(c: Api) -> Result<Json<Vec<PeerSummary>>, ApiError> {
    Ok(Json(c.read(ops::peer_list).await?))
}

/// One peer's workforce record: pathways with progress per requirement, expected completion,
/// expiry and alerts; training, hours, supervision, barriers, clearances and visits.
#[utoipa::path(get, path = "/api/v1/peers/{id}/workforce", tag = "workforce",
    params(("id" = i64, Path, description = "the peer's user id")),
    responses((status = 200, body = PeerRecord), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn peer_record(c: Api, IdPath(id): IdPath) -> Result<Json<PeerRecord>, ApiError> {
    let view = move |tx: &mut Tx, a: &Actor| ops::peer_record(tx, a, id);
    Ok(Json(c.write(view).await?))
}

write_handlers! {
    /// Create or replace the peer's pathway toward a credential (exam, attestation, background
    /// check, education, fees, certification date).
    post "/api/v1/peers/{id}/pathways" save_pathway(PathwayInput) -> 200 Pathway;
    /// Record a training course (initial training by domain, or continuing education).
    post "/api/v1/peers/{id}/training" add_training(TrainingInput) -> 201 TrainingRecord;
    /// Record supervised work experience hours.
    post "/api/v1/peers/{id}/work-hours" add_work_hours(WorkHoursInput) -> 201 WorkHours;
    /// Log a supervision session with the peer (the caller is the supervisor). Hours count toward
    /// the supervision requirement of every pathway.
    post "/api/v1/peers/{id}/supervision" add_supervision(SupervisionInput) -> 201 SupervisionSession;
    /// Open a background exemption (waiver) process for the peer.
    post "/api/v1/peers/{id}/exemptions" add_exemption(ExemptionInput) -> 201 Exemption;
    /// Update an exemption process (documents requested or sent, decision).
    put "/api/v1/exemptions/{id}" update_exemption(ExemptionInput) -> 200 Exemption,
        id "exemption process id";
    /// Record a court fine, fee or restitution that can block the peer's credential.
    post "/api/v1/peers/{id}/sanctions" add_sanction(SanctionInput) -> 201 Sanction;
    /// Request clearance for the peer at a facility (optionally with its current status).
    post "/api/v1/peers/{id}/clearances" add_clearance(ClearanceInput) -> 201 Clearance;
    /// Record a status change of a clearance (pending, granted, denied with reason, revoked, expired).
    post "/api/v1/clearances/{id}/events" add_clearance_event(ClearanceEventInput) -> 200 Clearance,
        id "clearance id";
    /// Record a scheduled facility visit and its outcome.
    post "/api/v1/peers/{id}/visits" add_visit(VisitInput) -> 201 Visit;
}

// ---------------------------------------------------------------- supervision (decision 0051)

/// One supervision session: the competencies discussed, where its sign-off stands (each of the
/// supervisor and the peer signs) and its amendments, each keeping the prior value.
#[utoipa::path(get, path = "/api/v1/supervision/{id}", tag = "workforce",
    params(("id" = i64, Path, description = "supervision session id")),
    responses((status = 200, body = SupervisionDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn supervision_session(
    c: Api,
    IdPath(id): IdPath,
) -> Result<Json<SupervisionDetail>, ApiError> {
    Ok(Json(
        c.write(move |tx: &mut Tx, a: &Actor| ops::supervision_session(tx, a, id))
            .await?,
    ))
}

/// Sign a supervision session: its supervisor signs as supervisor, its peer as peer; nobody
/// else (403, or 404 for a session the caller may not see); each once (409).
#[utoipa::path(post, path = "/api/v1/supervision/{id}/sign", tag = "workforce",
    params(("id" = i64, Path, description = "supervision session id")),
    responses((status = 200, body = SupervisionDetail), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn sign_supervision(c: Api, IdPath(id): IdPath) -> Result<Json<SupervisionDetail>, ApiError> {
    Ok(Json(
        c.write(move |tx: &mut Tx, a: &Actor| ops::sign_supervision(tx, a, id))
            .await?,
    ))
}

/// The peer's competency reviews, oldest first: self and supervisor ratings (1-4) per SAMHSA
/// area, with goals.
#[utoipa::path(get, path = "/api/v1/peers/{id}/competency-reviews", tag = "workforce",
    params(("id" = i64, Path, description = "the peer's user id")),
    responses((status = 200, body = Vec<Review>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn reviews(c: Api, IdPath(id): IdPath) -> Result<Json<Vec<Review>>, ApiError> {
    Ok(Json(
        c.write(move |tx: &mut Tx, a: &Actor| ops::reviews(tx, a, id))
            .await?,
    ))
}

/// One competency review with its amendments.
#[utoipa::path(get, path = "/api/v1/competency-reviews/{id}", tag = "workforce",
    params(("id" = i64, Path, description = "competency review id")),
    responses((status = 200, body = ReviewDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn review(c: Api, IdPath(id): IdPath) -> Result<Json<ReviewDetail>, ApiError> {
    Ok(Json(
        c.write(move |tx: &mut Tx, a: &Actor| ops::review(tx, a, id))
            .await?,
    ))
}

/// The peer's ethics and boundary consultations, latest first.
#[utoipa::path(get, path = "/api/v1/peers/{id}/ethics-consultations", tag = "workforce",
    params(("id" = i64, Path, description = "the peer's user id")),
    responses((status = 200, body = Vec<Consultation>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn consultations(c: Api, IdPath(id): IdPath) -> Result<Json<Vec<Consultation>>, ApiError> {
    Ok(Json(
        c.write(move |tx: &mut Tx, a: &Actor| ops::consultations(tx, a, id))
            .await?,
    ))
}

write_handlers! {
    /// Amend a supervision session (admins, the peer's supervisor): the prior value is kept and
    /// both signatures are cleared, to be given again.
    put "/api/v1/supervision/{id}" amend_supervision(SupervisionAmendmentInput) -> 200 SupervisionDetail,
        id "supervision session id";
    /// Record a periodic competency review of the peer (admins, the peer's supervisor).
    post "/api/v1/peers/{id}/competency-reviews" add_review(ReviewInput) -> 201 Review;
    /// Amend a competency review (the prior value is kept).
    put "/api/v1/competency-reviews/{id}" amend_review(ReviewAmendmentInput) -> 200 ReviewDetail,
        id "competency review id";
    /// Log an ethics or boundary consultation of the peer. Held with a programme supervisor
    /// (`consulted_with_id`), its minutes count as supervision received toward the peer's
    /// credential.
    post "/api/v1/peers/{id}/ethics-consultations" add_consultation(ConsultationInput) -> 201 Consultation;
}

// ---------------------------------------------------------------- reports

/// Certification barriers across the programme and the deployment: exemption processes (median
/// and longest days), peers blocked and by what. Aggregated; no names. `?format=csv` for CSV.
#[utoipa::path(get, path = "/api/v1/reports/certification-barriers", tag = "workforce",
    params(("format" = Option<String>, Query, description = "json (default) or csv")),
    responses((status = 200, body = BarriersReport), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn barriers_report(c: Api, QueryFields(q): QueryFields) -> Result<Response, ApiError> {
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
async fn facility_access_report(c: Api, QueryFields(q): QueryFields) -> Result<Response, ApiError> {
    let csv = wants_csv(&q)?;
    let (from, to) = params::period(&q)?;
    let ((rows, _), fresh) = ops::facility_access(&c.state.db, &c.actor, from, to).await?;
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
async fn readiness(c: Api) -> Result<Json<Vec<ReadinessItem>>, ApiError> {
    Ok(Json(c.write(ops::readiness).await?))
}

write_handlers! {
    /// Update one checklist item: owner, status, due date, notes (admins).
    put "/api/v1/readiness/{id}" update_readiness_item(ReadinessItemInput) -> 200 ReadinessItem;
}
