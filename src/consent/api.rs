//! Consent endpoints: `/api/v1/participants/{id}/consents` (list, create),
//! `POST /api/v1/consents/{id}/revoke`, `/api/v1/participants/{id}/disclosures` (the accounting),
//! `POST /api/v1/participants/{id}/emergency-access` (42 CFR 2.51).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::rules;
use super::store::{self, ConsentInput, ConsentView, Disclosure, RevocationInput};
use crate::platform::access::{self, Actor, Need, ParticipantGrant};
use crate::platform::audit::{self, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::time;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{ApiUser, IdPath, JsonBody, QueryFields, parse};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_consents, create_consent))
        .routes(routes!(revoke_consent))
        .routes(routes!(list_disclosures))
        .routes(routes!(emergency_access))
}

/// Validate and store a consent (shared by the form and the API). Every missing 42 CFR 2.31
/// element is named.
pub fn create(
    tx: &mut Tx,
    g: &ParticipantGrant,
    actor: &Actor,
    input: &ConsentInput,
) -> AppResult<ConsentView> {
    let now = time::now();
    let (draft, mut errs) =
        store::draft_from(input, g.participant_id(), g.org_id(), actor.user_id, now);
    let valid = rules::validate(draft, now);
    match valid {
        Ok(v) if errs.is_empty() => store::create(tx, g, &v, actor.user_id),
        Ok(_) => Err(AppError::Invalid(errs)),
        Err(missing) => {
            errs.extend(
                missing
                    .into_iter()
                    .map(|m| FieldError::new(m.field, m.message)),
            );
            Err(AppError::Invalid(errs))
        }
    }
}

/// Revoke a consent: the policy checks the caller may write the participant's record.
pub fn revoke(
    tx: &mut Tx,
    actor: &Actor,
    consent_id: i64,
    input: &RevocationInput,
) -> AppResult<ConsentView> {
    let participant = store::participant_of(tx.conn(), consent_id)?.ok_or(AppError::NotFound)?;
    let g = access::participant(
        tx,
        actor,
        participant,
        Need::Write,
        Event::new("consent.revoke", "consent", Some(consent_id)),
    )?;
    store::revoke(tx, &g, consent_id, input, actor.user_id)
}

/// The participant's consents to disclose (program staff).
#[utoipa::path(get, path = "/api/v1/participants/{id}/consents", tag = "consent", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ConsentView>), (status = 404, body = Problem)))]
async fn list_consents(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    IdPath(id): IdPath,
) -> Result<Json<Vec<ConsentView>>, ApiError> {
    Ok(Json(
        s.db.read(move |tx| {
            let g = access::participant(
                tx,
                &a,
                id,
                Need::Write,
                Event::new("consent.read", "consent", None),
            )?;
            store::list(tx.conn(), &g)
        })
        .await?,
    ))
}

/// Record a consent to disclose (42 CFR 2.31, or 2.35 for criminal justice). Refused with every
/// missing element named.
#[utoipa::path(post, path = "/api/v1/participants/{id}/consents", tag = "consent", params(("id" = i64, Path)), request_body = ConsentInput,
    responses((status = 201, body = ConsentView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_consent(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<ConsentView>), ApiError> {
    let c =
        s.db.write(move |tx| {
            // The policy first, then the body.
            let g = access::participant(
                tx,
                &a,
                id,
                Need::Write,
                Event::new("consent.create", "consent", None),
            )?;
            let input: ConsentInput = body.parse()?;
            create(tx, &g, &a, &input)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Revoke a consent (effective on the next request; disclosures already made stay in the
/// accounting). A criminal-justice consent cannot be revoked before its stated date.
#[utoipa::path(post, path = "/api/v1/consents/{id}/revoke", tag = "consent", params(("id" = i64, Path, description = "consent id")), request_body = RevocationInput,
    responses((status = 200, body = ConsentView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn revoke_consent(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<ConsentView>, ApiError> {
    Ok(Json(
        s.db.write(move |tx| {
            let input: RevocationInput = if body.0.is_empty() {
                RevocationInput::default()
            } else {
                body.parse()?
            };
            revoke(tx, &a, id, &input)
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

/// Parse `since` (YYYY-MM-DD) or `years` (1..3); the default and the limit are 3 years.
pub fn since_of(q: &crate::platform::web::extract::FormFields) -> AppResult<NaiveDateTime> {
    let now = time::now();
    let floor = now - Duration::days(3 * 365 + 1);
    if let Some(d) =
        parse::opt_datetime("since", q.get("since")).map_err(|e| AppError::Invalid(vec![e]))?
    {
        return Ok(d.max(floor));
    }
    let years = parse::opt_i64("years", q.get("years"), 1, 3)
        .map_err(|e| AppError::Invalid(vec![e]))?
        .unwrap_or(3);
    Ok(now - Duration::days(years * 365 + 1).min(Duration::days(3 * 365 + 1)))
}

/// The accounting of disclosures for the past 3 years (or since `since`): who received what,
/// when, under which consent (program staff and auditors of the participant's organisation).
#[utoipa::path(get, path = "/api/v1/participants/{id}/disclosures", tag = "consent",
    params(("id" = i64, Path), ("since" = Option<String>, Query), ("years" = Option<i64>, Query)),
    responses((status = 200, body = Vec<DisclosureLine>), (status = 404, body = Problem)))]
async fn list_disclosures(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    IdPath(id): IdPath,
    QueryFields(q): QueryFields,
) -> Result<Json<Vec<DisclosureLine>>, ApiError> {
    let since = since_of(&q)?;
    Ok(Json(
        s.db.read(move |tx| {
            access::accounting(tx, &a, id)?;
            Ok(store::accounting(tx.conn(), id, since)?
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
    /// Why: the medical emergency (required).
    pub reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EmergencyGranted {
    pub id: i64,
    pub participant_id: i64,
    pub expires_at: NaiveDateTime,
}

/// Open a record without consent for a medical emergency (42 CFR 2.51): only with a reason,
/// for one hour, recorded as a disclosure, and alerting the program's supervisors and auditors.
///
/// Not a participant-scoped route: whoever asks names the record in the body, and the reason is
/// checked before anything is looked up.
#[utoipa::path(post, path = "/api/v1/emergency-access", tag = "consent", request_body = EmergencyInput,
    responses((status = 201, body = EmergencyGranted), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn emergency_access(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    body: JsonBody,
) -> Result<(StatusCode, Json<EmergencyGranted>), ApiError> {
    let input: EmergencyInput = body.parse()?;
    let g =
        s.db.write(move |tx| open_emergency(tx, &a, input.participant_id, &input.reason))
            .await?;
    Ok((StatusCode::CREATED, Json(g)))
}

/// Shared by the API and the page.
pub fn open_emergency(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    reason: &str,
) -> AppResult<EmergencyGranted> {
    let reason = reason.trim();
    if reason.chars().count() < 10 {
        return Err(AppError::invalid(
            "reason",
            "describe the medical emergency (at least 10 characters)",
        ));
    }
    let org = access::emergency(tx, a, id)?;
    let (eid, expires) = store::open_emergency(
        tx,
        id,
        org,
        a.user_id,
        a.org_id,
        &format!("{} ({})", a.name, a.email),
        reason,
        60,
    )?;
    audit::append(
        tx,
        &a.who(),
        Event::new("emergency.open", "emergency_access", Some(eid))
            .with_participant(id)
            .detail(reason.to_string()),
    )?;
    Ok(EmergencyGranted {
        id: eid,
        participant_id: id,
        expires_at: expires,
    })
}
