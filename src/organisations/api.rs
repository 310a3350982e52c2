//! `/api/v1/facilities` and `/api/v1/staff`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, Facility, NewFacility, Staff};
use crate::platform::access;
use crate::platform::error::AppError;
use crate::platform::web::AppState;
use crate::platform::web::error::ApiError;
use crate::platform::web::extract::{ApiUser, JsonBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_facilities, create_facility))
        .routes(routes!(list_staff))
}

/// Every facility in the deployment (jails, prisons, community corrections offices...).
#[utoipa::path(get, path = "/api/v1/facilities", tag = "organisations",
    responses((status = 200, body = Vec<Facility>)))]
async fn list_facilities(
    State(state): State<AppState>,
    ApiUser(_actor): ApiUser,
) -> Result<Json<Vec<Facility>>, ApiError> {
    Ok(Json(state.db.run(store::facilities).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FacilityInput {
    pub name: String,
    /// jail, prison, community_corrections_office, reentry_centre, treatment_court
    #[schema(value_type = crate::organisations::store::FacilityKind)]
    pub kind: String,
    /// short, medium, long, community
    #[schema(value_type = crate::organisations::store::SettingTerm)]
    pub setting: String,
}

/// Register a facility for your organisation (admins).
#[utoipa::path(post, path = "/api/v1/facilities", tag = "organisations", request_body = FacilityInput,
    responses((status = 201, body = Facility), (status = 403, body = crate::platform::web::error::Problem), (status = 422, body = crate::platform::web::error::Problem)))]
async fn create_facility(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: JsonBody,
) -> Result<(StatusCode, Json<Facility>), ApiError> {
    access::administer(&actor)?;
    let input: FacilityInput = body.parse()?;
    let new =
        NewFacility::parse(&input.name, &input.kind, &input.setting).map_err(AppError::Invalid)?;
    let who = actor.who();
    let org = actor.org_id;
    let fac = state
        .db
        .write(move |tx| store::add_facility(tx, &who, org, &new))
        .await?;
    Ok((StatusCode::CREATED, Json(fac)))
}

/// Staff of your organisation (admins and supervisors).
#[utoipa::path(get, path = "/api/v1/staff", tag = "organisations",
    responses((status = 200, body = Vec<Staff>), (status = 403, body = crate::platform::web::error::Problem)))]
async fn list_staff(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Vec<Staff>>, ApiError> {
    if !matches!(actor.role, access::Role::Admin | access::Role::Supervisor) {
        return Err(AppError::Forbidden.into());
    }
    let org = actor.org_id;
    Ok(Json(
        state.db.run(move |c| store::staff_of(c, Some(org))).await?,
    ))
}
