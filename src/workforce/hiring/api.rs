//! `/api/v1/hiring/…` (job openings, applicants and their steps; the programme's admins) and
//! `/api/v1/reports/hiring-pipeline` (admins and supervisors; JSON or `?format=csv`). Every
//! handler calls one operation of `ops.rs`, which asks the access policy first.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::csv::report_csv;
use super::ops::{
    self, AdvanceInput, Applicant, ApplicantInput, HiringReport, LeaveInput, OpeningInput,
};
use super::store::Opening;
use crate::platform::fields;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{Api, IdPath, JsonBody, QueryFields};
use crate::platform::web::formats::{csv_response, wants_csv};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(openings, add_opening))
        .routes(routes!(applicants, add_applicant))
        .routes(routes!(applicant))
        .routes(routes!(advance))
        .routes(routes!(leave))
        .routes(routes!(report))
}

/// The programme's job openings with the job description's criteria. Admins only.
#[utoipa::path(get, path = "/api/v1/hiring/openings", tag = "hiring",
    responses((status = 200, body = Vec<Opening>), (status = 403, body = Problem)))]
async fn openings(api: Api) -> Result<Json<Vec<Opening>>, ApiError> {
    Ok(Json(api.read(ops::openings).await?))
}

/// Open a job: its title, the job description it uses, the lived-experience criteria and the
/// others. Admins only.
#[utoipa::path(post, path = "/api/v1/hiring/openings", tag = "hiring", request_body = OpeningInput,
    responses((status = 201, body = Opening), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_opening(api: Api, body: JsonBody) -> Result<(StatusCode, Json<Opening>), ApiError> {
    let o = api
        .write(move |tx, a| ops::add_opening(tx, a, || body.parse()))
        .await?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// The programme's applicants and the step each is in, left at, or hired. Admins only.
#[utoipa::path(get, path = "/api/v1/hiring/applicants", tag = "hiring",
    responses((status = 200, body = Vec<Applicant>), (status = 403, body = Problem)))]
async fn applicants(api: Api) -> Result<Json<Vec<Applicant>>, ApiError> {
    Ok(Json(api.read(ops::applicants).await?))
}

/// Add an applicant to an opening: they enter the application step on the date applied.
/// Admins only (their account of their lived experience is sensitive).
#[utoipa::path(post, path = "/api/v1/hiring/applicants", tag = "hiring", request_body = ApplicantInput,
    responses((status = 201, body = Applicant), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_applicant(
    api: Api,
    body: JsonBody,
) -> Result<(StatusCode, Json<Applicant>), ApiError> {
    let r = api
        .write(move |tx, a| ops::add_applicant(tx, a, || body.parse()))
        .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// One applicant with every step change. Admins only.
#[utoipa::path(get, path = "/api/v1/hiring/applicants/{id}", tag = "hiring",
    params(("id" = i64, Path, description = "applicant id")),
    responses((status = 200, body = Applicant), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn applicant(api: Api, IdPath(id): IdPath) -> Result<Json<Applicant>, ApiError> {
    Ok(Json(
        api.read(move |tx, a| ops::applicant(tx, a, id)).await?,
    ))
}

/// The applicant passes their step and enters the next (only the next: the background check
/// goes on to the facility clearance or, for a job outside facilities, straight to hiring).
/// Hiring names their staff account and the credential standard whose pathway starts.
#[utoipa::path(post, path = "/api/v1/hiring/applicants/{id}/advance", tag = "hiring",
    params(("id" = i64, Path, description = "applicant id")), request_body = AdvanceInput,
    responses((status = 200, body = Applicant), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
async fn advance(
    api: Api,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<Applicant>, ApiError> {
    Ok(Json(
        api.write(move |tx, a| ops::advance(tx, a, id, || body.parse()))
            .await?,
    ))
}

/// The applicant leaves the pipeline at their step: withdrew or not selected, with a reason.
#[utoipa::path(post, path = "/api/v1/hiring/applicants/{id}/leave", tag = "hiring",
    params(("id" = i64, Path, description = "applicant id")), request_body = LeaveInput,
    responses((status = 200, body = Applicant), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
async fn leave(api: Api, IdPath(id): IdPath, body: JsonBody) -> Result<Json<Applicant>, ApiError> {
    Ok(Json(
        api.write(move |tx, a| ops::leave(tx, a, id, || body.parse()))
            .await?,
    ))
}

/// The hiring pipeline: per step, those who entered, advanced, dropped out (by reason) and are
/// still in it, and the days spent in it (median, mean); conversion from application to hire.
/// Aggregated, no names. Admins and supervisors. `?opening=` one opening; `?format=csv`.
#[utoipa::path(get, path = "/api/v1/reports/hiring-pipeline", tag = "hiring",
    params(("opening" = Option<i64>, Query, description = "one opening's applicants only"),
        ("format" = Option<String>, Query, description = "json (default) or csv")),
    responses((status = 200, body = HiringReport), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
async fn report(api: Api, QueryFields(q): QueryFields) -> Result<Response, ApiError> {
    let csv = wants_csv(&q)?;
    let opening = fields::opt_id("opening", q.get("opening"))
        .map_err(|e| crate::platform::error::AppError::Invalid(vec![e]))?;
    let r = api.read(move |tx, a| ops::report(tx, a, opening)).await?;
    if csv {
        Ok(csv_response("hiring-pipeline.csv", report_csv(&r)?))
    } else {
        Ok(Json(r).into_response())
    }
}
