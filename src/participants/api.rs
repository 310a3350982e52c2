//! `/api/v1/participants`: list, enrol (with duplicate checks), view, correct identity (with
//! history and a fresh duplicate check), merge and undo, reassign.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::amendments::{self, Amendment, RecordType};
use super::merge::{self, Merge};
use super::store::{
    self, Candidate, Enrolment, Identifier, IdentityCorrection, IdentityOutcome, ListQuery,
    NewParticipant, Participant, ParticipantInput,
};
use crate::platform::access::{self, Need};
use crate::platform::audit::{self, Event};
use crate::platform::error::AppError;
use crate::platform::time;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{ApiUser, IdPair, IdPath, JsonBody, QueryFields, parse};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_participants, create_participant))
        .routes(routes!(get_participant))
        .routes(routes!(correct_identity))
        .routes(routes!(merge_participant))
        .routes(routes!(undo_merge))
        .routes(routes!(assign_participant))
}

/// Participants you may see, by last name (merged duplicates are hidden).
#[utoipa::path(get, path = "/api/v1/participants", tag = "participants",
    params(
        ("name" = Option<String>, Query, description = "part of a name"),
        ("peer" = Option<i64>, Query, description = "assigned peer's id"),
        ("limit" = Option<i64>, Query, description = "1..500, default 100"),
        ("offset" = Option<i64>, Query),
    ),
    responses((status = 200, body = Vec<Participant>), (status = 422, body = Problem)))]
async fn list_participants(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Json<Vec<Participant>>, ApiError> {
    let mut errs = Vec::new();
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
    let query = ListQuery {
        name: q.opt("name"),
        peer_id,
        limit: limit.unwrap_or(100),
        offset: offset.unwrap_or(0),
    };
    let Some(scope) = access::list_scope(&actor) else {
        return Ok(Json(vec![]));
    };
    let who = actor.who();
    let list = state
        .db
        .read(move |tx| {
            let list = store::list(tx.conn(), &scope, &query)?;
            audit::append(
                tx,
                &who,
                Event::new("participant.list", "participant", None)
                    .detail(format!("{} shown", list.len())),
            )?;
            Ok(list)
        })
        .await?;
    Ok(Json(list))
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
    access::create_participant(&actor)?;
    let scope = access::list_scope(&actor).ok_or(AppError::Forbidden)?;
    let input: ParticipantInput = body.parse()?;
    let new = NewParticipant::parse(&input, time::today()).map_err(AppError::Invalid)?;
    let who = actor.who();
    let confirmed = input.confirm_not_duplicate;
    let outcome = state
        .db
        .write(move |tx| {
            let out = store::enrol(tx, &scope, &new, confirmed)?;
            match &out {
                Enrolment::Created(p) => {
                    audit::append(
                        tx,
                        &who,
                        Event::new("participant.create", "participant", Some(p.id))
                            .with_participant(p.id),
                    )?;
                }
                Enrolment::LikelyDuplicates(c) => {
                    audit::append(
                        tx,
                        &who,
                        Event::new("participant.duplicates_shown", "participant", None)
                            .detail(format!("{} candidates", c.len())),
                    )?;
                }
            }
            Ok(out)
        })
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

/// A participant with their external identifiers.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ParticipantRecord {
    #[serde(flatten)]
    pub participant: Participant,
    pub identifiers: Vec<Identifier>,
    pub merges: Vec<Merge>,
    /// Corrections of identity and identifiers: earlier value, new value, who, when, why.
    pub amendments: Vec<Amendment>,
}

/// One participant's record.
#[utoipa::path(get, path = "/api/v1/participants/{id}", tag = "participants",
    params(("id" = i64, Path, description = "participant id")),
    responses((status = 200, body = ParticipantRecord), (status = 404, body = Problem)))]
async fn get_participant(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
) -> Result<Json<ParticipantRecord>, ApiError> {
    let rec = state
        .db
        .read(move |tx| {
            let grant = access::participant(
                tx,
                &actor,
                id,
                Need::Overview,
                Event::new("participant.view", "participant", Some(id)),
            )?;
            let mut participant = store::get(tx.conn(), &grant)?;
            if grant.is_disclosure() {
                // Partners see who the person is, not how to reach them or the program's bookkeeping.
                participant.phone = None;
                participant.email = None;
                participant.assigned_peer_id = None;
                return Ok(ParticipantRecord {
                    participant,
                    identifiers: vec![],
                    merges: vec![],
                    amendments: vec![],
                });
            }
            Ok(ParticipantRecord {
                participant,
                identifiers: store::identifiers(tx.conn(), &grant)?,
                merges: merge::merges_of(tx.conn(), &grant)?,
                amendments: amendments::history(tx.conn(), &grant)?
                    .into_iter()
                    .filter(|a| {
                        a.record_type == RecordType::Participant.as_str()
                            || a.record_type == RecordType::Identifier.as_str()
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(Json(rec))
}

/// Correct identity after enrolment: name, date of birth, pronouns, language, contact details
/// (`changes`), stored identifiers (`identifiers`, kept exactly as typed) and new identifiers
/// (`add_identifiers`). A reason is required to replace a recorded value; every replaced value
/// is kept in the history. The likely-duplicate check runs again on the corrected identity.
#[utoipa::path(post, path = "/api/v1/participants/{id}/identity", tag = "participants", request_body = IdentityCorrection,
    params(("id" = i64, Path, description = "participant id")),
    responses((status = 200, body = IdentityOutcome), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn correct_identity(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<IdentityOutcome>, ApiError> {
    let out = state
        .db
        .write(move |tx| {
            let grant = access::participant(
                tx,
                &actor,
                id,
                Need::Write,
                Event::new("participant.identity", "participant", Some(id)),
            )?;
            let scope = access::list_scope(&actor).ok_or(AppError::Forbidden)?;
            let input: IdentityCorrection = body.parse()?;
            store::correct_identity(tx, &grant, &actor, &scope, &input)
        })
        .await?;
    Ok(Json(out))
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
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<Merge>), ApiError> {
    let m = state
        .db
        .write(move |tx| {
            let kept = access::participant(
                tx,
                &actor,
                id,
                Need::Write,
                Event::new("participant.merge", "participant", Some(id)),
            )?;
            let input: MergeInput = body.parse()?;
            let dup = access::participant(
                tx,
                &actor,
                input.duplicate_id,
                Need::Write,
                Event::new(
                    "participant.merged_into",
                    "participant",
                    Some(input.duplicate_id),
                )
                .detail(format!("into {id}")),
            )
            .map_err(|_| AppError::invalid("duplicate_id", "no such participant"))?;
            merge::merge(tx, &kept, &dup, &input.reason, actor.user_id)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// Undo a merge: every record moved by it goes back to the duplicate.
#[utoipa::path(post, path = "/api/v1/participants/{id}/merges/{merge_id}/undo", tag = "participants",
    params(("id" = i64, Path, description = "the kept participant"), ("merge_id" = i64, Path)),
    responses((status = 200, body = Merge), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn undo_merge(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPair(id, merge_id): IdPair,
) -> Result<Json<Merge>, ApiError> {
    let m = state
        .db
        .write(move |tx| {
            let kept = access::participant(
                tx,
                &actor,
                id,
                Need::Write,
                Event::new("participant.merge_undo", "merge", Some(merge_id)),
            )?;
            merge::undo(tx, &kept, merge_id, actor.user_id)
        })
        .await?;
    Ok(Json(m))
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
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<Json<Participant>, ApiError> {
    let p = state
        .db
        .write(move |tx| {
            let grant = access::participant(
                tx,
                &actor,
                id,
                Need::Write,
                Event::new("participant.assign", "participant", Some(id)),
            )?;
            access::reassign(&actor)?;
            let input: AssignInput = body.parse()?;
            store::assign(tx, &grant, input.peer_id)?;
            audit::append(
                tx,
                &actor.who(),
                Event::new("participant.assigned", "participant", Some(id))
                    .with_participant(id)
                    .detail(format!("to {:?}", input.peer_id)),
            )?;
            store::get(tx.conn(), &grant)
        })
        .await?;
    Ok(Json(p))
}
