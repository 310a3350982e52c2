//! `/api/v1/settings/reentry` (the organisation's reentry programme) and
//! `/api/v1/participants/{id}/reentry/…` (eligibility screenings in custody, warm handoffs,
//! MOUD records, where the participant stands). Every
//! handler calls one operation of `ops.rs`, which asks the access policy first.

use axum::Json;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ops::{self, ProgrammeInput};
use super::store::{
    Handoff, HandoffInput, Moud, MoudInput, Programme, ReentryStatus, Screening, ScreeningInput,
};
use crate::participants::extract::RecordCall;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{Api, JsonBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_programme, put_programme))
        .routes(routes!(list_screenings, record_screening))
        .routes(routes!(get_status))
        .routes(routes!(list_handoffs, record_handoff))
        .routes(routes!(list_moud, record_moud))
}

/// Your organisation's reentry programme: the template of rules (a state's Section 1115 reentry
/// demonstration, or the federal minimum) and its pre-release window in days.
#[utoipa::path(get, path = "/api/v1/settings/reentry", tag = "reentry",
    responses((status = 200, body = Programme)))]
async fn get_programme(api: Api) -> Result<Json<Programme>, ApiError> {
    Ok(Json(api.read(ops::programme).await?))
}

/// Choose your organisation's reentry template and window (admins). The earlier choice is kept.
#[utoipa::path(put, path = "/api/v1/settings/reentry", tag = "reentry", request_body = ProgrammeInput,
    responses((status = 200, body = Programme), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_programme(api: Api, body: JsonBody) -> Result<Json<Programme>, ApiError> {
    Ok(Json(
        api.write(move |tx, a| ops::set_programme(tx, a, || body.parse()))
            .await?,
    ))
}

/// The participant's Medicaid reentry eligibility screenings, newest first.
#[utoipa::path(get, path = "/api/v1/participants/{id}/reentry/screenings", tag = "reentry", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Screening>), (status = 404, body = Problem)))]
async fn list_screenings(call: RecordCall) -> Result<Json<Vec<Screening>>, ApiError> {
    call.read(ops::screenings).await
}

/// Record an eligibility screening in custody: the answers are decided under your programme's
/// rules (result, criteria met, youth under CAA 2023 §5121).
#[utoipa::path(post, path = "/api/v1/participants/{id}/reentry/screenings", tag = "reentry", params(("id" = i64, Path)), request_body = ScreeningInput,
    responses((status = 201, body = Screening), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_screening(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Screening>), ApiError> {
    call.create(move |tx, a, id| ops::record_screening(tx, a, id, || body.parse()))
        .await
}

/// Where the participant stands in reentry today: screening due or overdue since booking (goal:
/// within 72 hours), the pre-release window (opens its days before the expected release, and
/// moves with it), and when the warm handoff is due.
#[utoipa::path(get, path = "/api/v1/participants/{id}/reentry", tag = "reentry", params(("id" = i64, Path)),
    responses((status = 200, body = ReentryStatus), (status = 404, body = Problem)))]
async fn get_status(call: RecordCall) -> Result<Json<ReentryStatus>, ApiError> {
    call.read(ops::status).await
}

/// The participant's warm handoffs to post-release providers, newest first.
#[utoipa::path(get, path = "/api/v1/participants/{id}/reentry/handoffs", tag = "reentry", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Handoff>), (status = 404, body = Problem)))]
async fn list_handoffs(call: RecordCall) -> Result<Json<Vec<Handoff>>, ApiError> {
    call.read(ops::handoffs).await
}

/// Record a warm handoff to the post-release provider: who to, when scheduled, when held, how.
/// It is due before the expected release, or within 24 hours of an unplanned release.
#[utoipa::path(post, path = "/api/v1/participants/{id}/reentry/handoffs", tag = "reentry", params(("id" = i64, Path)), request_body = HandoffInput,
    responses((status = 201, body = Handoff), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_handoff(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Handoff>), ApiError> {
    call.create(move |tx, a, id| ops::record_handoff(tx, a, id, || body.parse()))
        .await
}

/// The participant's records of medication for opioid use disorder around release, newest first
/// (the newest stands; the earlier ones are kept).
#[utoipa::path(get, path = "/api/v1/participants/{id}/reentry/moud", tag = "reentry", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Moud>), (status = 404, body = Problem)))]
async fn list_moud(call: RecordCall) -> Result<Json<Vec<Moud>>, ApiError> {
    call.read(ops::moud).await
}

/// Record medication for opioid use disorder around release: its status, the first dose after
/// release, a stop, and the naloxone kits given at release.
#[utoipa::path(post, path = "/api/v1/participants/{id}/reentry/moud", tag = "reentry", params(("id" = i64, Path)), request_body = MoudInput,
    responses((status = 201, body = Moud), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_moud(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Moud>), ApiError> {
    call.create(move |tx, a, id| ops::record_moud(tx, a, id, || body.parse()))
        .await
}
