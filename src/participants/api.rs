//! `/api/v1/participants`: list and search, enrol (with duplicate checks), view, correct identity (with
//! history and a fresh duplicate check), merge and undo, reassign.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::RecordCall;
use super::merge::Merge;
use super::ops::{self, ParticipantRecord};
use super::search::Sought;
use super::store::{
    Candidate, Enrolment, IdentityCorrection, IdentityOutcome, ListQuery, Listed, NewParticipant,
    Participant, ParticipantInput,
};
use crate::platform::access::{self, SearchFor};
use crate::platform::error::AppError;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{ApiUser, IdPair, JsonBody, QueryFields, parse};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_participants, create_participant))
        .routes(routes!(get_participant))
        .routes(routes!(correct_identity))
        .routes(routes!(merge_participant))
        .routes(routes!(undo_merge))
        .routes(routes!(assign_participant))
}

/// Participants you may see, by last name (merged duplicates are hidden), or those a search finds.
///
/// With `q`, a search: a name (accents and case ignored; the start of a first or last name, or both), a date of
/// birth (`1984-03-07` or `03/07/1984`), or a booking number, state ID / DIN or supervision case
/// number (spaces and dashes ignored); each result says what it `matched`. A partner's search
/// finds only the people whose consent covers them.
#[utoipa::path(get, path = "/api/v1/participants", tag = "participants",
    params(
        ("q" = Option<String>, Query, description = "search: a name, date of birth or identifier"),
        ("name" = Option<String>, Query, description = "part of a name"),
        ("peer" = Option<i64>, Query, description = "assigned peer's id"),
        ("limit" = Option<i64>, Query, description = "1..500, default 100"),
        ("offset" = Option<i64>, Query),
    ),
    responses((status = 200, body = Vec<Listed>), (status = 422, body = Problem)))]
async fn list_participants(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Json<Vec<Listed>>, ApiError> {
    let mut errs = Vec::new();
    let sought = q
        .opt("q")
        .map(|t| Sought::parse("q", &t))
        .transpose()
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let peer_id = parse::opt_id("peer", q.get("peer"))
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let limit = parse::opt_i64("limit", q.get("limit"), 1, 500)
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let offset = parse::opt_i64("offset", q.get("offset"), 0, i64::MAX)
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs).into());
    }
    let limit = limit.unwrap_or(100);
    if let Some(sought) = sought {
        let found = state
            .db
            .read(move |tx| ops::search(tx, &actor, SearchFor::Record, &sought, limit))
            .await?;
        return Ok(Json(found));
    }
    let query = ListQuery {
        name: q.opt("name"),
        peer_id,
        limit,
        offset: offset.unwrap_or(0),
    };
    let list = state
        .db
        .read(move |tx| ops::list(tx, &actor, &query))
        .await?;
    Ok(Json(
        list.into_iter()
            .map(|participant| Listed {
                participant,
                matched: None,
            })
            .collect(),
    ))
}

/// Likely duplicates found on enrolment: nothing was created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DuplicatesProblem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub duplicates: Vec<Candidate>,
}

/// Enrol a new participant in your organisation. If they look like someone already enrolled
/// (same identifier, or same or transposed date of birth and a similar name), nothing is created
/// and 409 lists the candidates; send again with `confirm_not_duplicate: true` after checking.
#[utoipa::path(post, path = "/api/v1/participants", tag = "participants", request_body = ParticipantInput,
    responses((status = 201, body = Participant), (status = 409, body = DuplicatesProblem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_participant(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: JsonBody,
) -> Result<Response, ApiError> {
    // The policy answers before the body is read.
    access::create_participant(&actor)?;
    let input: ParticipantInput = body.parse()?;
    let new = NewParticipant::parse(&input, actor.zone.today()).map_err(AppError::Invalid)?;
    let confirmed = input.confirm_not_duplicate;
    let outcome = state
        .db
        .write(move |tx| ops::enrol(tx, &actor, &new, confirmed))
        .await?;
    Ok(match outcome {
        Enrolment::Created(p) => (StatusCode::CREATED, Json(*p)).into_response(),
        Enrolment::LikelyDuplicates(duplicates) => (
            StatusCode::CONFLICT,
            [(axum::http::header::CONTENT_TYPE, "application/problem+json")],
            Json(DuplicatesProblem {
                kind: "about:blank".into(),
                title: "Likely duplicates".into(),
                status: 409,
                detail: "This person may already be enrolled. Check the candidates; merge, or resend with confirm_not_duplicate: true.".into(),
                duplicates,
            }),
        )
            .into_response(),
    })
}

/// One participant's record.
#[utoipa::path(get, path = "/api/v1/participants/{id}", tag = "participants",
    params(("id" = i64, Path, description = "participant id")),
    responses((status = 200, body = ParticipantRecord), (status = 404, body = Problem)))]
async fn get_participant(call: RecordCall) -> Result<Json<ParticipantRecord>, ApiError> {
    call.read(ops::record).await
}

/// Correct identity after enrolment: name, date of birth, pronouns, language, contact details
/// (`changes`), stored identifiers (`identifiers`, kept exactly as typed) and new identifiers
/// (`add_identifiers`). A reason is required to replace a recorded value; every replaced value
/// is kept in the history. The likely-duplicate check runs again on the corrected identity.
#[utoipa::path(post, path = "/api/v1/participants/{id}/identity", tag = "participants", request_body = IdentityCorrection,
    params(("id" = i64, Path, description = "participant id")),
    responses((status = 200, body = IdentityOutcome), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn correct_identity(
    call: RecordCall,
    body: JsonBody,
) -> Result<Json<IdentityOutcome>, ApiError> {
    call.write(move |tx, actor, id| {
        ops::correct_identity(tx, actor, id, || body.parse::<IdentityCorrection>())
    })
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    /// The duplicate record to fold into this one.
    pub duplicate_id: i64,
    /// Why these are the same person.
    pub reason: String,
}

/// Merge a duplicate record into this one (recorded and reversible).
#[utoipa::path(post, path = "/api/v1/participants/{id}/merge", tag = "participants", request_body = MergeInput,
    params(("id" = i64, Path, description = "the participant record to keep")),
    responses((status = 201, body = Merge), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn merge_participant(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Merge>), ApiError> {
    call.create(move |tx, actor, id| {
        ops::merge(tx, actor, id, || {
            let input: MergeInput = body.parse()?;
            Ok((input.duplicate_id, input.reason))
        })
    })
    .await
}

/// Undo a merge: every record moved by it goes back to the duplicate.
#[utoipa::path(post, path = "/api/v1/participants/{id}/merges/{merge_id}/undo", tag = "participants",
    params(("id" = i64, Path, description = "the kept participant"), ("merge_id" = i64, Path)),
    responses((status = 200, body = Merge), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn undo_merge(call: RecordCall<IdPair>) -> Result<Json<Merge>, ApiError> {
    let IdPair(_, merge_id) = call.id;
    call.write(move |tx, actor, id| ops::undo_merge(tx, actor, id, merge_id))
        .await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignInput {
    /// The peer to assign (null to unassign).
    pub peer_id: Option<i64>,
}

/// Reassign a participant to another peer (supervisors and admins).
#[utoipa::path(post, path = "/api/v1/participants/{id}/assign", tag = "participants", request_body = AssignInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Participant), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn assign_participant(
    call: RecordCall,
    body: JsonBody,
) -> Result<Json<Participant>, ApiError> {
    call.write(move |tx, actor, id| {
        ops::assign(tx, actor, id, || {
            let input: AssignInput = body.parse()?;
            Ok(input.peer_id)
        })
    })
    .await
}
