//! Platform endpoints of the JSON API: who am I, the audit log. The OpenAPI base document
//! (title, security scheme) lives here too.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::error::ApiError;
use super::extract::{ApiUser, IdPath, JsonBody, QueryFields, RecentlyAuthenticated};
use crate::platform::access::{self, OrgKind, Role};
use crate::platform::audit::{self, Line};
use crate::platform::auth;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Throughcare API",
        description = "Peer recovery support services for people in the justice system. Every \
                       read of participant data passes the access policy and is audited.",
        version = "1"
    ),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

impl ApiDoc {
    pub fn openapi_base() -> utoipa::openapi::OpenApi {
        <ApiDoc as OpenApi>::openapi()
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(my_sessions))
        .routes(routes!(end_my_other_sessions))
        .routes(routes!(my_tokens, create_my_token))
        .routes(routes!(revoke_my_token))
        .routes(routes!(audit_log))
}

/// The signed-in caller.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: OrgKind,
}

/// Who am I?
#[utoipa::path(get, path = "/api/v1/me", tag = "platform",
    responses((status = 200, body = Me), (status = 401, body = super::error::Problem)))]
async fn me(ApiUser(actor): ApiUser) -> Json<Me> {
    Json(Me {
        user_id: actor.user_id,
        email: actor.email,
        name: actor.name,
        role: actor.role,
        org_id: actor.org_id,
        org_name: actor.org_name,
        org_kind: actor.org_kind,
    })
}

/// Browse the audit log of your organisation (auditors and admins), newest first: your staff's
/// entries and every entry about your participants, whoever made it (partners' views, emergency
/// openings, exports, other organisations' denied attempts), each with the actor's organisation.
#[utoipa::path(get, path = "/api/v1/audit", tag = "platform",
    params(
        ("actor" = Option<String>, Query, description = "part of the actor's e-mail"),
        ("action" = Option<String>, Query, description = "action prefix, e.g. `participant.`"),
        ("participant" = Option<i64>, Query, description = "participant id"),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
        ("to" = Option<String>, Query, description = "exclusive upper bound"),
        ("before" = Option<i64>, Query, description = "entries before this sequence number"),
        ("limit" = Option<i64>, Query, description = "1..1000, default 100"),
    ),
    responses((status = 200, body = Vec<Line>), (status = 403, body = super::error::Problem), (status = 422, body = super::error::Problem)))]
async fn audit_log(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Json<Vec<Line>>, ApiError> {
    let org = access::read_audit(&actor)?;
    let filter = super::pages::audit_filter(org, &q)?;
    let who = actor.who();
    let entries = state
        .db
        .read(move |tx| {
            let entries = audit::lines(tx.conn(), &filter)?;
            audit::append(
                tx,
                &who,
                audit::Event::new("audit.browse", "audit_log", None),
            )?;
            Ok(entries)
        })
        .await?;
    Ok(Json(entries))
}

/// The devices (sessions) signed in as you, newest first.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "platform",
    responses((status = 200, body = Vec<auth::SessionView>), (status = 401, body = super::error::Problem)))]
async fn my_sessions(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    headers: axum::http::HeaderMap,
) -> Result<Json<Vec<auth::SessionView>>, ApiError> {
    let current = super::extract::cookie(
        &headers,
        super::extract::session_cookie(state.config.cookie_secure),
    );
    let user = actor.user_id;
    Ok(Json(
        state
            .db
            .run(move |c| auth::sessions_of(c, user, current.as_deref()))
            .await?,
    ))
}

/// How many sessions ended.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Ended {
    pub ended: usize,
}

/// Sign out every other device (every session, when called with a bearer token).
#[utoipa::path(post, path = "/api/v1/me/sessions/end-others", tag = "platform",
    responses((status = 200, body = Ended), (status = 401, body = super::error::Problem)))]
async fn end_my_other_sessions(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    headers: axum::http::HeaderMap,
) -> Result<Json<Ended>, ApiError> {
    let current = super::extract::cookie(
        &headers,
        super::extract::session_cookie(state.config.cookie_secure),
    );
    let ended = state
        .db
        .write(move |tx| auth::end_other_sessions(tx, &actor, current.as_deref()))
        .await?;
    Ok(Json(Ended { ended }))
}

/// Your API tokens, newest first: never their secrets.
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "platform",
    responses((status = 200, body = Vec<auth::TokenView>), (status = 401, body = super::error::Problem)))]
async fn my_tokens(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Vec<auth::TokenView>>, ApiError> {
    let (org, user) = (actor.org_id, actor.user_id);
    Ok(Json(
        state
            .db
            .run(move |c| auth::tokens(c, org, Some(user)))
            .await?,
    ))
}

/// A new API token's optional label.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for (at most 100 characters).
    #[serde(default)]
    pub label: Option<String>,
}

/// A token just created: the secret is in this answer only.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    pub id: i64,
    /// Send it as `Authorization: Bearer …`. Shown once; only its digest is kept.
    pub token: String,
    pub label: Option<String>,
    pub expires_at: Option<chrono::NaiveDateTime>,
}

/// Create an API token for yourself, from a signed-in browser session (cookie and
/// `X-CSRF-Token`) whose password was given in the last 5 minutes (OWASP ASVS 3.7.1), with
/// two-step sign-in set up where your role requires it. It lives as long as your organisation's
/// token lifetime (90 days unless an administrator changed it). A bearer token cannot create
/// another.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "platform", request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 401, body = super::error::Problem),
        (status = 403, body = super::error::Problem, description = "re-authentication or two-step sign-in needed first, or called with a bearer token"),
        (status = 422, body = super::error::Problem)))]
async fn create_my_token(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    _recent: RecentlyAuthenticated,
    body: JsonBody,
) -> Result<(axum::http::StatusCode, Json<CreatedToken>), ApiError> {
    let config = state.config.clone();
    let a = actor.clone();
    state
        .db
        .run(move |c| auth::may_create_token(c, &config, &a))
        .await?;
    let input: NewToken = if body.0.is_empty() {
        NewToken { label: None }
    } else {
        body.parse()?
    };
    let label = auth::parse_token_label(input.label.as_deref())?;
    let (org, user) = (actor.org_id, actor.user_id);
    let l2 = label.clone();
    let (id, token) = state
        .db
        .write(move |tx| auth::create_labelled_token(tx, &actor.who(), user, None, l2.as_deref()))
        .await?;
    let expires_at = state
        .db
        .run(move |c| auth::tokens(c, org, Some(user)))
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .and_then(|t| t.expires_at);
    Ok((
        axum::http::StatusCode::CREATED,
        Json(CreatedToken {
            id,
            token,
            label,
            expires_at,
        }),
    ))
}

/// Revoke one of your API tokens: it stops at once.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "platform",
    params(("id" = i64, Path, description = "token id")),
    responses((status = 204, description = "revoked"), (status = 401, body = super::error::Problem), (status = 404, body = super::error::Problem)))]
async fn revoke_my_token(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(id): IdPath,
) -> Result<axum::http::StatusCode, ApiError> {
    state
        .db
        .write(move |tx| match auth::token_holder(tx.conn(), id)? {
            Some((user, _)) if user == actor.user_id => {
                auth::revoke_token_by_id(tx, &actor.who(), id)
            }
            _ => Err(crate::platform::error::AppError::NotFound),
        })
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
