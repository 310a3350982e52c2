//! `/api/v1/participants`: list, create, view.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, ListQuery, NewParticipant, Participant, ParticipantInput};
use crate::platform::access::{self, Intent};
use crate::platform::audit::{self, Event};
use crate::platform::error::AppError;
use crate::platform::time;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{ApiUser, IdPath, JsonBody, QueryFields, parse};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_participants, create_participant))
        .routes(routes!(get_participant))
}

/// Participants you may see, by last name.
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
        .write(move |tx| {
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

/// Enrol a new participant in your organisation.
#[utoipa::path(post, path = "/api/v1/participants", tag = "participants", request_body = ParticipantInput,
    responses((status = 201, body = Participant), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_participant(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: JsonBody,
) -> Result<(StatusCode, Json<Participant>), ApiError> {
    let org = access::create_participant(&actor)?;
    let input: ParticipantInput = body.parse()?;
    let new = NewParticipant::parse(&input, time::today()).map_err(AppError::Invalid)?;
    let who = actor.who();
    let p = state
        .db
        .write(move |tx| {
            let p = store::create(tx, org, &new)?;
            audit::append(
                tx,
                &who,
                Event::new("participant.create", "participant", Some(p.id)).with_participant(p.id),
            )?;
            Ok(p)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// One participant's record.
#[utoipa::path(get, path = "/api/v1/participants/{id}", tag = "participants",
    params(("id" = i64, Path, description = "participant id")),
    responses((status = 200, body = Participant), (status = 404, body = Problem)))]
async fn get_participant(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
) -> Result<Json<Participant>, ApiError> {
    let p = state
        .db
        .write(move |tx| {
            let grant = access::participant(
                tx,
                &actor,
                id,
                Intent::Read,
                Event::new("participant.view", "participant", Some(id)),
            )?;
            store::get(tx.conn(), &grant)
        })
        .await?;
    Ok(Json(p))
}
