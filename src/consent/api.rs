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

use super::emergency::{self, EmergencyRecord, Reach};
use super::rules;
use super::store::{
    self, ClassNamingConsent, ConsentInput, ConsentView, Disclosure, RevocationInput,
};
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
        .routes(routes!(emergency_access, list_emergencies))
        .routes(routes!(end_emergency))
        .routes(routes!(get_reach, put_reach))
        .routes(routes!(cj_to_fix))
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
        Ok(v) if errs.is_empty() => {
            if v.kind == rules::ConsentKind::CriminalJustice {
                let named = store::check_criminal_justice_recipients(tx.conn(), &v.recipients)?;
                if !named.is_empty() {
                    return Err(AppError::Invalid(named));
                }
            }
            store::create(tx, g, &v, actor.user_id)
        }
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
    /// Why: the medical emergency (required, at least 10 characters).
    pub reason: String,
    /// The caller's own password, entered again: access opens only for the person signed in.
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EmergencyGranted {
    pub id: i64,
    pub participant_id: i64,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub expires_at: NaiveDateTime,
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
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    body: JsonBody,
) -> Result<(StatusCode, Json<EmergencyGranted>), ApiError> {
    let input: EmergencyInput = body.parse()?;
    let g = open_emergency(&s, &a, input.participant_id, &input.reason, &input.password).await?;
    Ok((StatusCode::CREATED, Json(g)))
}

/// Shared by the API and the page: check the reason and the password (in that order, before
/// anything about the participant is looked up), then ask the policy and record the access.
pub async fn open_emergency(
    s: &AppState,
    a: &Actor,
    id: i64,
    reason: &str,
    password: &str,
) -> AppResult<EmergencyGranted> {
    let reason = reason.trim().to_string();
    if reason.chars().count() < 10 {
        return Err(AppError::invalid(
            "reason",
            "describe the medical emergency (at least 10 characters)",
        ));
    }
    let (user_id, password) = (a.user_id, password.to_string());
    s.db.run(move |c| crate::platform::auth::reauthenticate(c, user_id, &password))
        .await?;
    let a = a.clone();
    s.db.write(move |tx| {
        let org = access::emergency(tx, &a, id)?;
        let (eid, expires) = emergency::open(
            tx,
            id,
            org,
            a.user_id,
            a.org_id,
            &format!("{} ({})", a.name, a.email),
            &reason,
        )?;
        audit::append(
            tx,
            &a.who(),
            Event::new("emergency.open", "emergency_access", Some(eid))
                .with_participant(id)
                .detail(reason.clone()),
        )?;
        Ok(EmergencyGranted {
            id: eid,
            participant_id: id,
            expires_at: expires,
        })
    })
    .await
}

/// Emergency accesses to the programme's participants in the last 30 days, newest first, with
/// who opened each, why, until when, and whether it is still open (admins, supervisors and
/// auditors of the programme).
#[utoipa::path(get, path = "/api/v1/emergency-access", tag = "consent",
    responses((status = 200, body = Vec<EmergencyRecord>), (status = 403, body = Problem)))]
async fn list_emergencies(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<EmergencyRecord>>, ApiError> {
    Ok(Json(
        s.db.read(move |tx| {
            let org = access::oversee_emergencies(&a)?;
            audit::append(
                tx,
                &a.who(),
                Event::new("emergency.list", "emergency_access", None),
            )?;
            emergency::of_programme(tx.conn(), org, 30)
        })
        .await?,
    ))
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
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<EmergencyRecord>, ApiError> {
    let input: EndEmergencyInput = if body.0.is_empty() {
        EndEmergencyInput::default()
    } else {
        body.parse()?
    };
    Ok(Json(
        s.db.write(move |tx| end(tx, &a, id, input.reason.as_deref().unwrap_or("")))
            .await?,
    ))
}

/// Shared by the API and the page.
pub fn end(tx: &mut Tx, a: &Actor, id: i64, reason: &str) -> AppResult<EmergencyRecord> {
    let rec = emergency::find(tx.conn(), id)?.ok_or(AppError::NotFound)?;
    access::end_emergency(a, rec.org_id, rec.opened_by_user_id)?;
    let reason = reason.trim();
    let ended = emergency::end(tx, id, a.user_id, reason)?;
    audit::append(
        tx,
        &a.who(),
        Event::new("emergency.end", "emergency_access", Some(id))
            .with_participant(rec.participant_id)
            .detail(reason.to_string()),
    )?;
    Ok(ended)
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
async fn get_reach(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Reach>, ApiError> {
    let org = access::emergency_policy(&a)?;
    Ok(Json(s.db.run(move |c| emergency::reach(c, org)).await?))
}

/// Narrow emergency access to listed medical organisations (admins). A programme can narrow
/// 42 CFR 2.51, never widen it: only medical organisations can be listed.
#[utoipa::path(put, path = "/api/v1/emergency-access/reach", tag = "consent", request_body = ReachInput,
    responses((status = 200, body = Reach), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_reach(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    body: JsonBody,
) -> Result<Json<Reach>, ApiError> {
    let org = access::emergency_policy(&a)?;
    let input: ReachInput = body.parse()?;
    Ok(Json(
        s.db.write(move |tx| set_reach(tx, &a, org, input.listed_only, &input.organisations))
            .await?,
    ))
}

/// Shared by the API and the page.
pub fn set_reach(
    tx: &mut Tx,
    a: &Actor,
    org: i64,
    listed_only: bool,
    ids: &[i64],
) -> AppResult<Reach> {
    let change = emergency::set_reach(tx, org, a.user_id, listed_only, ids)?;
    audit::append(
        tx,
        &a.who(),
        Event::new("emergency.reach", "organisation", Some(org)).detail(change),
    )?;
    emergency::reach(tx.conn(), org)
}

/// Criminal-justice consents (42 CFR 2.35) of the programme that name a class of recipients
/// instead of one agency: they disclose nothing until a consent naming the agency is recorded
/// (program staff and auditors).
#[utoipa::path(get, path = "/api/v1/consents/to-correct", tag = "consent",
    responses((status = 200, body = Vec<ClassNamingConsent>), (status = 403, body = Problem)))]
async fn cj_to_fix(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<ClassNamingConsent>>, ApiError> {
    let org = access::consents_to_fix(&a)?;
    Ok(Json(
        s.db.read(move |tx| {
            audit::append(tx, &a.who(), Event::new("consent.to_fix", "consent", None))?;
            store::cj_consents_naming_a_class(tx.conn(), Some(org))
        })
        .await?,
    ))
}
