//! Platform endpoints of the JSON API: who am I, the audit log. The OpenAPI base document
//! (title, security scheme) lives here too.

use axum::Json;
use serde::Serialize;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::error::ApiError;
use super::extract::{
    Api, ApiUser, IdPath, JsonBody, QueryFields, RecentlyAuthenticated, session_secret,
};
use crate::platform::access::{self, OrgKind, Role};
use crate::platform::audit::Line;
use crate::platform::auth;
use crate::platform::ops;

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

/// Declare the problem documents (RFC 9457, `application/problem+json`) that every operation of
/// the assembled document can answer, from how requests are handled, not operation by operation:
///
/// - 401 on every operation: each one authenticates the caller (`ApiUser`) first.
/// - 400 where there is a body, a query string, or a write: a body that is not JSON (or not of
///   the declared content type), a query string that cannot be read, or a write signed in by
///   cookie without `application/json` and `X-CSRF-Token` (`extract::authenticate`).
/// - 404 where the path names a record: an id that does not exist, is not an id, or belongs to
///   another organisation (`AppError::NotFound`, `AppError::Denied`).
/// - 413 where there is a body: larger than `max_body_bytes`.
/// - 422 where there is a body or a query: a field that does not parse, naming the field.
/// - 409 on writes: a conflict with stored state (a unique key, a revoked consent, ...).
///
/// 403 (the caller's role may not do this) is declared on each operation that checks a role.
/// Responses an operation already declares keep their schema; every error response is sent
/// as `application/problem+json`, so it is declared so.
pub fn declare_problems(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{Operation, ParameterIn};
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

    const PROBLEM: &str = "application/problem+json";
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    PROBLEM,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        )
    };
    // The description of each problem status (for those declared with the operation, too).
    let described = |status: &str| match status {
        "400" => Some(
            "The request could not be read: a body that is not JSON (or not the declared \
             content type), an unreadable query string, or a write signed in by cookie without \
             `application/json` and `X-CSRF-Token`.",
        ),
        "401" => Some("Sign-in required: no valid bearer token or session."),
        "403" => Some("The caller's role may not do this."),
        "404" => Some(
            "No such record, or one the caller may not know of (another organisation's, or \
             refused by the access policy).",
        ),
        "409" => Some("Conflicts with stored state."),
        "413" => Some("The body is larger than allowed."),
        "422" => Some("Invalid input; `errors` names each bad field."),
        _ => None,
    };
    let declare = |op: &mut Operation, write: bool| {
        let params = op.parameters.as_deref().unwrap_or(&[]);
        let has_in = |place: ParameterIn| {
            params
                .iter()
                .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
        };
        let query = has_in(ParameterIn::Query);
        let path = has_in(ParameterIn::Path);
        let body = op.request_body.is_some();
        let responses = &mut op.responses.responses;
        for (status, response) in responses.iter_mut() {
            if (status.starts_with('4') || status.starts_with('5'))
                && let RefOr::T(r) = response
            {
                {
                    if let Some((_, content)) = r.content.shift_remove_entry("application/json") {
                        r.content.insert(PROBLEM.to_string(), content);
                    }
                    if r.description.is_empty()
                        && let Some(d) = described(status)
                    {
                        r.description = d.to_string();
                    }
                }
            }
        }
        let mut add = |status: &str, when: bool| {
            if when && let Some(d) = described(status) {
                responses
                    .entry(status.to_string())
                    .or_insert_with(|| problem(d));
            }
        };
        add("400", body || query || write);
        add("401", true);
        add("404", path);
        add("409", write);
        add("413", body);
        add("422", body || query);
    };
    for item in doc.paths.paths.values_mut() {
        for (op, write) in [
            (&mut item.get, false),
            (&mut item.head, false),
            (&mut item.options, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ] {
            if let Some(op) = op {
                declare(op, write);
            }
        }
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
        ("from" = Option<String>, Query, description = "YYYY-MM-DD or YYYY-MM-DDTHH:MM on your organisation's clock (its time zone), or RFC 3339 with an offset"),
        ("to" = Option<String>, Query, description = "exclusive upper bound, as `from`"),
        ("before" = Option<i64>, Query, description = "entries before this sequence number"),
        ("limit" = Option<i64>, Query, description = "1..1000, default 100"),
    ),
    responses((status = 200, body = Vec<Line>), (status = 403, body = super::error::Problem), (status = 422, body = super::error::Problem)))]
async fn audit_log(api: Api, QueryFields(q): QueryFields) -> Result<Json<Vec<Line>>, ApiError> {
    let org = access::read_audit(&api.actor)?;
    let filter = ops::audit_filter(org, api.actor.zone, |k| q.get(k).to_string())?;
    let entries = api
        .read(move |tx, a| ops::browse_audit(tx, &a.who(), &filter))
        .await?;
    Ok(Json(entries))
}

/// The devices (sessions) signed in as you, newest first.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "platform",
    responses((status = 200, body = Vec<auth::SessionView>), (status = 401, body = super::error::Problem)))]
async fn my_sessions(
    api: Api,
    headers: axum::http::HeaderMap,
) -> Result<Json<Vec<auth::SessionView>>, ApiError> {
    let current = session_secret(&api.state, &headers);
    Ok(Json(
        api.run(move |c, a| auth::sessions_of(c, a.user_id, current.as_deref()))
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
    api: Api,
    headers: axum::http::HeaderMap,
) -> Result<Json<Ended>, ApiError> {
    let current = session_secret(&api.state, &headers);
    let ended = api
        .write(move |tx, a| auth::end_other_sessions(tx, a, current.as_deref()))
        .await?;
    Ok(Json(Ended { ended }))
}

/// Your API tokens, newest first: never their secrets.
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "platform",
    responses((status = 200, body = Vec<auth::TokenView>), (status = 401, body = super::error::Problem)))]
async fn my_tokens(api: Api) -> Result<Json<Vec<auth::TokenView>>, ApiError> {
    Ok(Json(
        api.run(|c, a| auth::tokens(c, a.org_id, Some(a.user_id)))
            .await?,
    ))
}

/// A new API token's optional label.
#[derive(serde::Deserialize, utoipa::ToSchema, Default)]
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
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
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
    api: Api,
    _recent: RecentlyAuthenticated,
    body: JsonBody,
) -> Result<(axum::http::StatusCode, Json<CreatedToken>), ApiError> {
    let config = api.state.config.clone();
    api.run(move |c, a| auth::may_create_token(c, &config, a))
        .await?;
    let input: NewToken = body.parse_or_default()?;
    let label = auth::parse_token_label(input.label.as_deref())?;
    let l2 = label.clone();
    let (id, token) = api
        .write(move |tx, a| {
            auth::create_labelled_token(tx, &a.who(), a.user_id, None, l2.as_deref())
        })
        .await?;
    let expires_at = api
        .run(|c, a| auth::tokens(c, a.org_id, Some(a.user_id)))
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
async fn revoke_my_token(api: Api, IdPath(id): IdPath) -> Result<axum::http::StatusCode, ApiError> {
    api.write(move |tx, a| match auth::token_holder(tx.conn(), id)? {
        Some((user, _)) if user == a.user_id => auth::revoke_token_by_id(tx, &a.who(), id),
        _ => Err(crate::platform::error::AppError::NotFound),
    })
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
