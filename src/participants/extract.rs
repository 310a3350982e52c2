//! What the handlers of routes about one participant (`/…/participants/{id}/…`) start from,
//! for the participant's own routes and the journey's: whose record the path names
//! ([`ParticipantPath`]), and an API call about the record ([`RecordCall`]) that runs one
//! operation and answers JSON.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::platform::access::Actor;
use crate::platform::db::Tx;
use crate::platform::error::AppResult;
use crate::platform::web::AppState;
use crate::platform::web::error::ApiError;
use crate::platform::web::extract::{ApiUser, IdPair, IdPath, PageId, PageIdPair};

/// The path of a route about one participant, maybe with the id of one of their records after
/// theirs: whose record it is.
pub trait ParticipantPath {
    fn participant_id(&self) -> i64;
}

/// The path extractors whose first field is the participant's id.
macro_rules! participant_path {
    ($($path:ty),+) => {
        $(impl ParticipantPath for $path {
            fn participant_id(&self) -> i64 {
                self.0
            }
        })+
    };
}

participant_path!(IdPath, IdPair, PageId, PageIdPair);

/// A call about one participant's records, as the API handlers of `participants` and
/// `journey` start from it: the caller (an API user) and the path's ids (`IdPath`, or `IdPair`
/// for a record of the participant, such as a goal or a merge). Its methods run one operation
/// (of the capability's `ops.rs`) with the participant's id and answer its result as JSON.
pub struct RecordCall<Id = IdPath> {
    state: AppState,
    actor: Actor,
    /// The path's ids.
    pub id: Id,
}

impl<Id> FromRequestParts<AppState> for RecordCall<Id>
where
    Id: FromRequestParts<AppState> + Send,
    Id::Rejection: IntoResponse,
{
    type Rejection = Response;

    /// The caller first, then the path (as the handlers named them before).
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let ApiUser(actor) = ApiUser::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let id = Id::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            state: state.clone(),
            actor,
            id,
        })
    }
}

impl<Id: ParticipantPath> RecordCall<Id> {
    /// Read through `op` (in a read transaction).
    pub async fn read<T, F>(self, op: F) -> Result<Json<T>, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx, &Actor, i64) -> AppResult<T> + Send + 'static,
    {
        let (actor, id) = (self.actor, self.id.participant_id());
        Ok(Json(
            self.state.db.read(move |tx| op(tx, &actor, id)).await?,
        ))
    }

    /// Write through `op` (in a write transaction): 200 with what it answers.
    pub async fn write<T, F>(self, op: F) -> Result<Json<T>, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx, &Actor, i64) -> AppResult<T> + Send + 'static,
    {
        let (actor, id) = (self.actor, self.id.participant_id());
        Ok(Json(
            self.state.db.write(move |tx| op(tx, &actor, id)).await?,
        ))
    }

    /// Write a new record through `op`: 201 Created with what it answers.
    pub async fn create<T, F>(self, op: F) -> Result<(StatusCode, Json<T>), ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx, &Actor, i64) -> AppResult<T> + Send + 'static,
    {
        Ok((StatusCode::CREATED, self.write(op).await?))
    }
}
