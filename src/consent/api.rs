//! Consent endpoints: `/api/v1/participants/{id}/consents` (list, create),
//! `POST /api/v1/consents/{id}/revoke`, `/api/v1/participants/{id}/disclosures` (the accounting),
//! `POST /api/v1/participants/{id}/emergency-access` (42 CFR 2.51).

use axum::Json;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::emergency::{EmergencyRecord, Reach};
use super::ops::{self, EmergencyGranted};
use super::store::{ClassNamingConsent, ConsentInput, ConsentView, Disclosure, RevocationInput};
use crate::platform::access;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{Api, IdPath, JsonBody, QueryFields};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_consents, create_consent))
        .routes(routes!(revoke_consent))
        .routes(routes!(list_disclosures))
        .routes(routes!(emergency_access, list_emergencies))
        .routes(routes!(end_emergency))
        .routes(routes!(get_reach, put_reach))
        .routes(routes!(cj_to_fix))
}

/// The participant's consents to disclose (program staff).
#[utoipa::path(get, path = "/api/v1/participants/{id}/consents", tag = "consent", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ConsentView>), (status = 404, body = Problem)))]
async fn list_consents(api: Api, IdPath(id): IdPath) -> Result<Json<Vec<ConsentView>>, ApiError> {
    Ok(Json(api.read(move |tx, a| ops::list(tx, a, id)).await?))
}

/// Record a consent to disclose (42 CFR 2.31, or 2.35 for criminal justice). Refused with every
/// missing element named.
#[utoipa::path(post, path = "/api/v1/participants/{id}/consents", tag = "consent", params(("id" = i64, Path)), request_body = ConsentInput,
    responses((status = 201, body = ConsentView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_consent(
    api: Api,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<ConsentView>), ApiError> {
    let c = api
        .write(move |tx, a| ops::create(tx, a, id, || body.parse::<ConsentInput>()))
        .await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Revoke a consent (effective on the next request; disclosures already made stay in the
/// accounting). A criminal-justice consent cannot be revoked before its stated date.
#[utoipa::path(post, path = "/api/v1/consents/{id}/revoke", tag = "consent", params(("id" = i64, Path, description = "consent id")), request_body = RevocationInput,
    responses((status = 200, body = ConsentView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn revoke_consent(
    api: Api,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<ConsentView>, ApiError> {
    Ok(Json(
        api.write(move |tx, a| {
            let input: RevocationInput = body.parse_or_default()?;
            ops::revoke(tx, a, id, None, &input)
        })
        .await?,
    ))
}

/// One line of the accounting.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DisclosureLine {
    #[serde(flatten)]
    pub disclosure: Disclosure,
    pub recipient_organisation: String,
}

/// The accounting of disclosures for the past 3 years (or since `since`): who received what,
/// when, under which consent (program staff and auditors of the participant's organisation).
#[utoipa::path(get, path = "/api/v1/participants/{id}/disclosures", tag = "consent",
    params(("id" = i64, Path), ("since" = Option<String>, Query), ("years" = Option<i64>, Query)),
    responses((status = 200, body = Vec<DisclosureLine>), (status = 404, body = Problem)))]
async fn list_disclosures(
    api: Api,
    IdPath(id): IdPath,
    QueryFields(q): QueryFields,
) -> Result<Json<Vec<DisclosureLine>>, ApiError> {
    let since = ops::accounting_since(q.get("since"), q.get("years"))?;
    Ok(Json(
        api.read(move |tx, a| {
            Ok(ops::accounting(tx, a, id, since)?
                .into_iter()
                .map(|(d, org)| DisclosureLine {
                    disclosure: d,
                    recipient_organisation: org,
                })
                .collect())
        })
        .await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyInput {
    /// The participant's record number.
    pub participant_id: i64,
    /// Why: the medical emergency (required, at least 10 characters).
    pub reason: String,
    /// The caller's own password, entered again: access opens only for the person signed in.
    pub password: String,
}

/// Open a record without consent for a medical emergency (42 CFR 2.51): only medical personnel
/// (staff of a medical provider, treatment provider or jail health service), with a reason and
/// their password entered again, for one hour, recorded as a disclosure, and alerting the
/// participant's programme (supervisors and privacy officer) at once.
///
/// Not a participant-scoped route: whoever asks names the record in the body. The reason and
/// the password are checked before anything is looked up, and every refusal (not medical
/// personnel, a programme that does not list the caller's organisation, or an id that does not
/// exist) is the same 404, so this cannot be used to learn which records exist.
#[utoipa::path(post, path = "/api/v1/emergency-access", tag = "consent", request_body = EmergencyInput,
    responses((status = 201, body = EmergencyGranted), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn emergency_access(
    api: Api,
    body: JsonBody,
) -> Result<(StatusCode, Json<EmergencyGranted>), ApiError> {
    let input: EmergencyInput = body.parse()?;
    let g = ops::open_emergency(
        &api.state.db,
        &api.actor,
        input.participant_id,
        &input.reason,
        &input.password,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(g)))
}

/// Emergency accesses to the programme's participants in the last 30 days, newest first, with
/// who opened each, why, until when, and whether it is still open (admins, supervisors and
/// auditors of the programme).
#[utoipa::path(get, path = "/api/v1/emergency-access", tag = "consent",
    responses((status = 200, body = Vec<EmergencyRecord>), (status = 403, body = Problem)))]
async fn list_emergencies(api: Api) -> Result<Json<Vec<EmergencyRecord>>, ApiError> {
    Ok(Json(api.read(ops::emergencies).await?))
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EndEmergencyInput {
    /// Why it is ended early (optional).
    #[serde(default)]
    pub reason: Option<String>,
}

/// End an emergency access now (the programme's admins, supervisors and auditors, or the person
/// who opened it). The original expiry is kept; ending one that has already ended is 409.
#[utoipa::path(post, path = "/api/v1/emergency-access/{id}/end", tag = "consent",
    params(("id" = i64, Path, description = "emergency access id")), request_body = EndEmergencyInput,
    responses((status = 200, body = EmergencyRecord), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn end_emergency(
    api: Api,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<EmergencyRecord>, ApiError> {
    let input: EndEmergencyInput = body.parse_or_default()?;
    let reason = input.reason.unwrap_or_default();
    Ok(Json(
        api.write(move |tx, a| ops::end_emergency(tx, a, id, &reason))
            .await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReachInput {
    /// `true`: only the listed medical organisations may open emergency access to the
    /// programme's participants (none, when the list is empty). `false`: any medical
    /// organisation of the deployment may (42 CFR 2.51 as it stands).
    pub listed_only: bool,
    /// Ids of medical organisations (medical provider, treatment provider, jail health).
    #[serde(default)]
    pub organisations: Vec<i64>,
}

/// Which medical organisations may open emergency access to the programme's participants
/// (admins).
#[utoipa::path(get, path = "/api/v1/emergency-access/reach", tag = "consent",
    responses((status = 200, body = Reach), (status = 403, body = Problem)))]
async fn get_reach(api: Api) -> Result<Json<Reach>, ApiError> {
    Ok(Json(api.run(ops::emergency_reach).await?))
}

/// Narrow emergency access to listed medical organisations (admins). A programme can narrow
/// 42 CFR 2.51, never widen it: only medical organisations can be listed.
#[utoipa::path(put, path = "/api/v1/emergency-access/reach", tag = "consent", request_body = ReachInput,
    responses((status = 200, body = Reach), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_reach(api: Api, body: JsonBody) -> Result<Json<Reach>, ApiError> {
    // The policy answers before the body is read.
    access::emergency_policy(&api.actor)?;
    let input: ReachInput = body.parse()?;
    Ok(Json(
        api.write(move |tx, a| {
            ops::set_emergency_reach(tx, a, input.listed_only, &input.organisations)
        })
        .await?,
    ))
}

/// Criminal-justice consents (42 CFR 2.35) of the programme that name a class of recipients
/// instead of one agency: they disclose nothing until a consent naming the agency is recorded
/// (program staff and auditors).
#[utoipa::path(get, path = "/api/v1/consents/to-correct", tag = "consent",
    responses((status = 200, body = Vec<ClassNamingConsent>), (status = 403, body = Problem)))]
async fn cj_to_fix(api: Api) -> Result<Json<Vec<ClassNamingConsent>>, ApiError> {
    Ok(Json(api.read(ops::consents_to_correct).await?))
}
