//! `/api/v1/facilities` and `/api/v1/staff`: facilities, staff, invitations and the admin
//! actions on staff accounts (new set-password link, disable, reset the second factor), the API
//! tokens of the organisation's staff, and their lifetime (`/api/v1/settings/tokens`).

use axum::Json;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::accounts::{self, IssuedLink};
use super::ops;
use super::store::{self, Facility, NewFacility, NewStaff, Staff};
use crate::platform::access::{self, Actor};
use crate::platform::auth::{self, TokenView};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult};
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{Api, IdPath, JsonBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_facilities, create_facility))
        .routes(routes!(list_staff))
        .routes(routes!(invite_staff))
        .routes(routes!(new_password_link))
        .routes(routes!(disable_staff))
        .routes(routes!(reset_mfa))
        .routes(routes!(staff_tokens))
        .routes(routes!(revoke_staff_token))
        .routes(routes!(get_token_settings, put_token_settings))
        .routes(routes!(get_time_zone, put_time_zone))
}

/// Every facility in the deployment (jails, prisons, community corrections offices...).
#[utoipa::path(get, path = "/api/v1/facilities", tag = "organisations",
    responses((status = 200, body = Vec<Facility>)))]
async fn list_facilities(api: Api) -> Result<Json<Vec<Facility>>, ApiError> {
    Ok(Json(api.state.db.run(store::facilities).await?))
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
    api: Api,
    body: JsonBody,
) -> Result<(StatusCode, Json<Facility>), ApiError> {
    access::administer(&api.actor)?;
    let input: FacilityInput = body.parse()?;
    let new =
        NewFacility::parse(&input.name, &input.kind, &input.setting).map_err(AppError::Invalid)?;
    let fac = api
        .write(move |tx, a| store::add_facility(tx, &a.who(), a.org_id, &new))
        .await?;
    Ok((StatusCode::CREATED, Json(fac)))
}

/// Staff of your organisation (admins and supervisors).
#[utoipa::path(get, path = "/api/v1/staff", tag = "organisations",
    responses((status = 200, body = Vec<Staff>), (status = 403, body = crate::platform::web::error::Problem)))]
async fn list_staff(api: Api) -> Result<Json<Vec<Staff>>, ApiError> {
    let org = access::list_staff(&api.actor)?;
    Ok(Json(
        api.state
            .db
            .run(move |c| store::staff_of(c, Some(org)))
            .await?,
    ))
}

/// A staff member to invite: no password (they choose their own through the link).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    pub email: String,
    pub name: String,
    /// admin, supervisor, peer, team, auditor
    pub role: String,
}

/// An invited staff member and their one-time set-password link (in this answer only).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub staff: Staff,
    pub link: IssuedLink,
}

/// Invite a staff member to your organisation (admins): the answer carries a one-time
/// set-password link, valid 72 hours (OWASP ASVS 2.3.1), for you to pass on. Nobody chooses a
/// password for them.
#[utoipa::path(post, path = "/api/v1/staff/invitations", tag = "organisations", request_body = InvitationInput,
    responses((status = 201, body = Invitation), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn invite_staff(
    api: Api,
    body: JsonBody,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    access::administer(&api.actor)?;
    let input: InvitationInput = body.parse()?;
    let new = NewStaff::parse(&input.email, &input.name, &input.role).map_err(AppError::Invalid)?;
    let public = api.state.config.public_url.clone();
    let (staff, link) = api
        .write(move |tx, a| accounts::invite(tx, &a.who(), a.org_id, &new, public.as_deref()))
        .await?;
    Ok((StatusCode::CREATED, Json(Invitation { staff, link })))
}

/// Send a staff member a new one-time set-password link (a forgotten password, or an
/// invitation that ran out); their sessions end now (admins).
#[utoipa::path(post, path = "/api/v1/staff/{id}/password-link", tag = "organisations",
    params(("id" = i64, Path, description = "staff member id")),
    responses((status = 201, body = IssuedLink), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn new_password_link(
    api: Api,
    IdPath(id): IdPath,
) -> Result<(StatusCode, Json<IssuedLink>), ApiError> {
    let public = api.state.config.public_url.clone();
    let link = api
        .write(move |tx, a| ops::new_password_link(tx, a, id, public.as_deref()))
        .await?;
    Ok((StatusCode::CREATED, Json(link)))
}

/// Disable a staff member (admins): their sessions, API tokens and set-password links stop at
/// once. You cannot disable yourself, nor your organisation's last admin (409).
#[utoipa::path(post, path = "/api/v1/staff/{id}/disable", tag = "organisations",
    params(("id" = i64, Path, description = "staff member id")),
    responses((status = 200, body = Staff), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn disable_staff(api: Api, IdPath(id): IdPath) -> Result<Json<Staff>, ApiError> {
    staff_action(api, id, ops::disable).await
}

/// Reset a staff member's two-step sign-in (a lost phone; admins): their sessions end and they
/// set up a new second factor at their next sign-in when it is required of them.
#[utoipa::path(post, path = "/api/v1/staff/{id}/reset-mfa", tag = "organisations",
    params(("id" = i64, Path, description = "staff member id")),
    responses((status = 200, body = Staff), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn reset_mfa(api: Api, IdPath(id): IdPath) -> Result<Json<Staff>, ApiError> {
    staff_action(api, id, ops::reset_mfa).await
}

/// One admin action on a staff member's account (its operation checks who may), answered with
/// the staff member as they are now.
async fn staff_action(
    api: Api,
    id: i64,
    action: fn(&mut Tx, &Actor, i64) -> AppResult<Staff>,
) -> Result<Json<Staff>, ApiError> {
    Ok(Json(api.write(move |tx, a| action(tx, a, id)).await?))
}

/// The API tokens of your organisation's staff, newest first, never their secrets (admins).
#[utoipa::path(get, path = "/api/v1/staff/tokens", tag = "organisations",
    responses((status = 200, body = Vec<TokenView>), (status = 403, body = Problem)))]
async fn staff_tokens(api: Api) -> Result<Json<Vec<TokenView>>, ApiError> {
    access::administer(&api.actor)?;
    Ok(Json(api.run(|c, a| auth::tokens(c, a.org_id, None)).await?))
}

/// Revoke an API token of one of your organisation's staff (admins): it stops at once.
#[utoipa::path(delete, path = "/api/v1/staff/tokens/{id}", tag = "organisations",
    params(("id" = i64, Path, description = "token id")),
    responses((status = 204, description = "revoked"), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn revoke_staff_token(api: Api, IdPath(id): IdPath) -> Result<StatusCode, ApiError> {
    api.write(move |tx, a| ops::revoke_token(tx, a, id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your organisation's time zone (decision 0040).
#[derive(serde::Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeZoneSettings {
    /// A tz database name (`America/Chicago`): the organisation's days begin at its midnight,
    /// and times sent without an offset are read on its clock. Null (on reading) while not
    /// set: the clock is then UTC.
    #[schema(example = "America/Chicago")]
    pub time_zone: Option<String>,
}

/// Your organisation's time zone (admins).
#[utoipa::path(get, path = "/api/v1/settings/time-zone", tag = "organisations",
    responses((status = 200, body = TimeZoneSettings), (status = 403, body = Problem)))]
async fn get_time_zone(api: Api) -> Result<Json<TimeZoneSettings>, ApiError> {
    access::administer(&api.actor)?;
    let time_zone = api
        .run(|c, a| store::time_zone_setting(c, a.org_id))
        .await?;
    Ok(Json(TimeZoneSettings { time_zone }))
}

/// Set your organisation's time zone, a tz database name (admins; audited).
#[utoipa::path(put, path = "/api/v1/settings/time-zone", tag = "organisations", request_body = TimeZoneSettings,
    responses((status = 200, body = TimeZoneSettings), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_time_zone(api: Api, body: JsonBody) -> Result<Json<TimeZoneSettings>, ApiError> {
    access::administer(&api.actor)?;
    let input: TimeZoneSettings = body.parse()?;
    let zone =
        crate::platform::time::Zone::parse("time_zone", input.time_zone.as_deref().unwrap_or(""))
            .map_err(|e| AppError::Invalid(vec![e]))?;
    api.write(move |tx, a| ops::set_time_zone(tx, a, zone))
        .await?;
    Ok(Json(TimeZoneSettings {
        time_zone: Some(zone.name().to_string()),
    }))
}

/// Your organisation's API token settings.
#[derive(serde::Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenSettings {
    /// Days a new API token lives (1..=365; 90 unless changed). Existing tokens keep theirs.
    pub token_lifetime_days: i64,
}

/// Your organisation's API token lifetime (admins).
#[utoipa::path(get, path = "/api/v1/settings/tokens", tag = "organisations",
    responses((status = 200, body = TokenSettings), (status = 403, body = Problem)))]
async fn get_token_settings(api: Api) -> Result<Json<TokenSettings>, ApiError> {
    access::administer(&api.actor)?;
    let days = api
        .run(|c, a| auth::token_lifetime_days(c, a.org_id))
        .await?;
    Ok(Json(TokenSettings {
        token_lifetime_days: days,
    }))
}

/// Change how long new API tokens of your organisation live, 1 to 365 days (admins).
#[utoipa::path(put, path = "/api/v1/settings/tokens", tag = "organisations", request_body = TokenSettings,
    responses((status = 200, body = TokenSettings), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_token_settings(api: Api, body: JsonBody) -> Result<Json<TokenSettings>, ApiError> {
    access::administer(&api.actor)?;
    let input: TokenSettings = body.parse()?;
    let days = input.token_lifetime_days;
    api.write(move |tx, a| auth::set_token_lifetime_days(tx, &a.who(), a.org_id, days))
        .await?;
    Ok(Json(input))
}
