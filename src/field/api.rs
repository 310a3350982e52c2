//! `/api/v1/field/visits`: field safety check-ins (issue 18 item 1). Every handler calls one
//! operation of `ops.rs`, which asks the access policy first.

use axum::Json;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ops::{self, CheckInInput, FieldBoard, FieldSettings, HelpInput, Visit};
use crate::platform::time;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{Api, IdPath, JsonBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(board, check_in))
        .routes(routes!(check_out))
        .routes(routes!(ask_help))
        .routes(routes!(get_settings, put_settings))
}

/// The programme's field safety settings: how long an overdue check-out alerts only the
/// supervisor before the programme's admins are alerted too. Programme staff.
#[utoipa::path(get, path = "/api/v1/field/settings", tag = "field",
    responses((status = 200, body = FieldSettings), (status = 403, body = Problem)))]
async fn get_settings(api: Api) -> Result<Json<FieldSettings>, ApiError> {
    Ok(Json(api.read(ops::settings).await?))
}

/// Set the escalation time, 5 to 240 minutes (admins; each setting is kept, audited).
#[utoipa::path(put, path = "/api/v1/field/settings", tag = "field", request_body = FieldSettings,
    responses((status = 200, body = FieldSettings), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_settings(api: Api, body: JsonBody) -> Result<Json<FieldSettings>, ApiError> {
    let input: FieldSettings = body.parse()?;
    Ok(Json(
        api.write(move |tx, a| ops::set_settings(tx, a, &input))
            .await?,
    ))
}

/// Your open field visits, and the alerts of those you watch: a supervisor sees their team's
/// overdue check-outs and calls for help; an admin, the backup, sees calls for help at once and
/// check-outs overdue by more than the programme's escalation time (30 minutes unless an admin
/// set another). Programme staff only.
#[utoipa::path(get, path = "/api/v1/field/visits", tag = "field",
    responses((status = 200, body = FieldBoard), (status = 403, body = Problem)))]
async fn board(api: Api) -> Result<Json<FieldBoard>, ApiError> {
    Ok(Json(
        api.read(|tx, a| ops::board(tx, a, time::now())).await?,
    ))
}

/// Check in before a community visit: where, with whom, until when, and a safety note about the
/// place (programme staff only ever read it).
#[utoipa::path(post, path = "/api/v1/field/visits", tag = "field", request_body = CheckInInput,
    responses((status = 201, body = Visit), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn check_in(api: Api, body: JsonBody) -> Result<(StatusCode, Json<Visit>), ApiError> {
    let v = api
        .write(move |tx, a| ops::check_in(tx, a, || body.parse()))
        .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Check out of your visit.
#[utoipa::path(post, path = "/api/v1/field/visits/{id}/check-out", tag = "field",
    params(("id" = i64, Path, description = "visit id")),
    responses((status = 200, body = Visit), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn check_out(api: Api, IdPath(id): IdPath) -> Result<Json<Visit>, ApiError> {
    Ok(Json(
        api.write(move |tx, a| ops::check_out(tx, a, id)).await?,
    ))
}

/// Ask for help now, during your visit: your supervisor and the programme's admins see it at once
/// with where you checked in.
#[utoipa::path(post, path = "/api/v1/field/visits/{id}/help", tag = "field",
    params(("id" = i64, Path, description = "visit id")), request_body = HelpInput,
    responses((status = 200, body = Visit), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn ask_help(api: Api, IdPath(id): IdPath, body: JsonBody) -> Result<Json<Visit>, ApiError> {
    Ok(Json(
        api.write(move |tx, a| ops::ask_help(tx, a, id, || body.parse()))
            .await?,
    ))
}
