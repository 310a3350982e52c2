//! Request parsing at the edge: who is calling (session cookie or bearer token), from where,
//! and their input (JSON bodies, forms, query strings, path ids), each failure naming the field.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::{ApiError, PageError};
use super::layout::Chrome;
use super::{AppState, CsrfToken};
use crate::platform::access::Actor;
use crate::platform::auth;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::i18n::Language;

pub const SESSION_COOKIE: &str = "tc_session";
pub const CSRF_COOKIE: &str = "tc_csrf";

/// The session cookie's name: with the `__Host-` prefix when cookies are `Secure`, so the
/// browser accepts it only from this host over HTTPS, with `Path=/` and no `Domain` (RFC 6265bis
/// §4.1.3.2): a sibling subdomain cannot plant or overwrite it.
pub fn session_cookie(secure: bool) -> &'static str {
    if secure {
        "__Host-tc_session"
    } else {
        SESSION_COOKIE
    }
}

/// The session cookie's secret on this request, when there is one.
pub fn session_secret(state: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    cookie(headers, session_cookie(state.config.cookie_secure))
}

/// The anonymous CSRF cookie's name (used before sign-in), prefixed like [`session_cookie`].
pub fn csrf_cookie(secure: bool) -> &'static str {
    if secure {
        "__Host-tc_csrf"
    } else {
        CSRF_COOKIE
    }
}

/// The CSRF token forms must carry on this request: bound to the session when there is one
/// (`auth::csrf_token` of the session secret, so a token from another session never matches),
/// otherwise the anonymous double-submit cookie (the sign-in form). `None` when neither exists.
pub fn expected_csrf(headers: &axum::http::HeaderMap, secure: bool) -> Option<String> {
    match cookie(headers, session_cookie(secure)).filter(|s| !s.is_empty() && s.len() < 200) {
        Some(secret) => Some(auth::csrf_token(&secret)),
        None => cookie(headers, csrf_cookie(secure)).filter(|t| !t.is_empty()),
    }
}

/// Read one cookie from the request headers.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value with the attributes every Throughcare cookie carries.
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

/// The client's address (the peer address, or `X-Forwarded-For` when configured to trust it).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_addr(parts, state)))
    }
}

/// The client's address (see [`ClientAddr`]).
pub(super) fn client_addr(parts: &Parts, state: &AppState) -> String {
    if state.config.trust_forwarded_for
        && let Some(v) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
        && let Some(first) = v.split(',').next()
    {
        return first.trim().to_string();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Identify the caller: a bearer token wins over a session cookie.
pub async fn authenticate(parts: &Parts, state: &AppState) -> AppResult<Actor> {
    let addr = client_addr(parts, state);
    if let Some(authz) = parts.headers.get(header::AUTHORIZATION) {
        let token = authz
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() < 200)
            .ok_or(AppError::Unauthenticated)?
            .to_string();
        return state
            .db
            .run(move |conn| auth::token_actor(conn, &token, &addr))
            .await?
            .ok_or(AppError::Unauthenticated);
    }
    let secret = session_secret(state, &parts.headers)
        .filter(|s| !s.is_empty() && s.len() < 200)
        .ok_or(AppError::Unauthenticated)?;
    if parts.uri.path().starts_with("/api/") && !parts.method.is_safe() {
        cookie_api_write_allowed(parts, &secret)?;
    }
    let config = state.config.clone();
    let mut actor = state
        .db
        .run(move |conn| auth::session_actor(conn, &config, &secret, &addr))
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let language = actor.language.unwrap_or_else(|| browser_language(parts));
    actor.language = Some(language);
    super::error::now_in_language(language);
    Ok(actor)
}

/// The language the browser asks for (`Accept-Language`), English when it names neither of
/// ours: the interface's language before sign-in, and after it until the user chooses one.
pub fn browser_language(parts: &Parts) -> Language {
    parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Language::En, Language::from_accept_language)
}

/// A write to the JSON API signed in by the session cookie (a browser), not a bearer token,
/// must be JSON and carry the session's CSRF token in `X-CSRF-Token`: a cross-site form can
/// send neither (OWASP CSRF cheat sheet, "custom request headers").
fn cookie_api_write_allowed(parts: &Parts, session_secret: &str) -> AppResult<()> {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let json = header("content-type")
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(AppError::BadRequest {
            field: "Content-Type".into(),
            message: "a request signed in by cookie must send application/json (or use a bearer \
                      token)"
                .into(),
        });
    }
    let token = header("x-csrf-token");
    if !constant_time_eq(
        token.as_bytes(),
        auth::csrf_token(session_secret).as_bytes(),
    ) {
        return Err(AppError::BadRequest {
            field: "X-CSRF-Token".into(),
            message: "a request signed in by cookie must send the page's CSRF token in the \
                      X-CSRF-Token header (or use a bearer token)"
                .into(),
        });
    }
    Ok(())
}

/// A caller whose proof of identity is recent enough for a sensitive step (participant-level
/// exports, creating an API token): a bearer token (its own credential, created by an operator), or a session that
/// signed in or confirmed its password within `auth::RECENT_MINUTES`. Otherwise a browser is
/// sent to confirm its password and brought back (OWASP ASVS 3.7.1).
pub struct RecentlyAuthenticated;

impl FromRequestParts<AppState> for RecentlyAuthenticated {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        if parts.headers.contains_key(header::AUTHORIZATION) {
            return Ok(RecentlyAuthenticated);
        }
        let Some(secret) =
            session_secret(state, &parts.headers).filter(|s| !s.is_empty() && s.len() < 200)
        else {
            // No session: the route's own authentication answers 401.
            return Ok(RecentlyAuthenticated);
        };
        let recent = state
            .db
            .run(move |c| auth::recently_authenticated(c, &secret))
            .await
            .map_err(|e| ApiError(e).into_response())?;
        if recent {
            return Ok(RecentlyAuthenticated);
        }
        if !parts.method.is_safe() && parts.uri.path().starts_with("/api/") {
            // A script with a browser's cookie cannot be sent to a page: it is told what to do.
            return Err(ApiError(AppError::step_required(
                "error-confirm-password-first",
                &[("minutes", auth::RECENT_MINUTES.to_string())],
            ))
            .into_response());
        }
        // A form (POST) cannot be repeated by a redirect: after confirming, the user is brought
        // back to the page the form was on, to send it again.
        let next = if parts.method.is_safe() {
            parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into())
        } else {
            parts
                .headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
                .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
                .unwrap_or_else(|| "/".into())
        };
        let target = format!(
            "/account/confirm?next={}",
            serde_urlencoded::to_string([("n", next.as_str())])
                .unwrap_or_default()
                .trim_start_matches("n=")
        );
        Err(axum::response::Redirect::to(&target).into_response())
    }
}

/// The caller of an API route.
pub struct ApiUser(pub Actor);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ApiUser(authenticate(parts, state).await?))
    }
}

/// The signed-in user of an HTML page (redirected to sign-in when absent).
pub struct PageUser(pub Actor);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(PageUser(authenticate(parts, state).await?))
    }
}

/// The signed-in caller of a handler, and the app: runs the caller's operations. Handlers get
/// it as an [`Api`] or a [`Page`].
pub struct Caller {
    pub state: AppState,
    pub actor: Actor,
}

impl Caller {
    /// One operation of the caller in a read transaction (`Db::read`).
    pub async fn read<T, F>(&self, op: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx, &Actor) -> AppResult<T> + Send + 'static,
    {
        let actor = self.actor.clone();
        self.state.db.read(move |tx| op(tx, &actor)).await
    }

    /// One operation of the caller in a write transaction (`Db::write`).
    pub async fn write<T, F>(&self, op: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx, &Actor) -> AppResult<T> + Send + 'static,
    {
        let actor = self.actor.clone();
        self.state.db.write(move |tx| op(tx, &actor)).await
    }

    /// One operation of the caller on a connection, outside a transaction (`Db::run`).
    pub async fn run<T, F>(&self, op: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn, &Actor) -> AppResult<T> + Send + 'static,
    {
        let actor = self.actor.clone();
        self.state.db.run(move |c| op(c, &actor)).await
    }
}

/// What an API route starts from: the app and its caller (absent, a 401 problem).
pub struct Api(pub Caller);

impl FromRequestParts<AppState> for Api {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Api(Caller {
            state: state.clone(),
            actor: authenticate(parts, state).await?,
        }))
    }
}

impl std::ops::Deref for Api {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.0
    }
}

/// What a signed-in page starts from: the app, the signed-in user (absent, the browser is sent
/// to sign in) and the CSRF token its forms carry.
pub struct Page {
    pub caller: Caller,
    pub csrf: String,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let csrf = page_csrf(parts)?;
        let caller = Caller {
            state: state.clone(),
            actor: authenticate(parts, state).await?,
        };
        Ok(Page { caller, csrf })
    }
}

/// The CSRF token the `csrf_cookie` middleware hands to every page route.
pub(super) fn page_csrf(parts: &Parts) -> Result<String, PageError> {
    parts
        .extensions
        .get::<CsrfToken>()
        .map(|c| c.0.clone())
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no CSRF token on a page route")).into())
}

impl std::ops::Deref for Page {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl Page {
    /// The app, the signed-in user and the CSRF token, for handlers that pass them on.
    pub fn into_parts(self) -> (AppState, Actor, String) {
        (self.caller.state, self.caller.actor, self.csrf)
    }

    /// The page's frame for the signed-in user: its title, and `path`, the navigation entry it
    /// belongs to.
    pub fn chrome(&self, title: impl Into<String>, path: &str) -> Chrome {
        Chrome::new(&self.actor, title, path, &self.csrf, self.state.config.demo)
    }
}

/// A record id from the path. Anything that is not an id is simply not found.
pub struct IdPath(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw): axum::extract::Path<String> =
            axum::extract::Path::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        raw.parse::<i64>()
            .map(IdPath)
            .map_err(|_| ApiError(AppError::NotFound))
    }
}

/// The same, for pages.
pub struct PageId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PageId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        IdPath::from_request_parts(parts, state)
            .await
            .map(|IdPath(id)| PageId(id))
            .map_err(|e| PageError(e.0))
    }
}

/// A JSON body, read but not yet parsed: handlers parse it *after* the access policy has
/// spoken, so a caller without access learns nothing from validation errors.
pub struct JsonBody(pub Bytes);

impl FromRequest<AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(ct) = req.headers().get(header::CONTENT_TYPE) {
            let ct = ct.to_str().unwrap_or("");
            if !ct.starts_with("application/json") {
                return Err(ApiError(AppError::BadRequest {
                    field: "content-type".into(),
                    message: format!("expected application/json, got {ct:?}"),
                }));
            }
        }
        let limit = state.config.max_body_bytes;
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError(AppError::TooLarge { limit })
            } else {
                ApiError(AppError::BadRequest {
                    field: "body".into(),
                    message: "could not read the request body".into(),
                })
            }
        })?;
        Ok(JsonBody(bytes))
    }
}

impl JsonBody {
    /// Like [`parse`](Self::parse), for a body that may be left out: an empty body is
    /// `T::default()`.
    pub fn parse_or_default<T: DeserializeOwned + Default>(&self) -> AppResult<T> {
        if self.0.is_empty() {
            Ok(T::default())
        } else {
            self.parse()
        }
    }

    /// Parse into `T`, naming the path of the first bad field (`answers[3]`, `role`).
    pub fn parse<T: DeserializeOwned>(&self) -> AppResult<T> {
        let de = &mut serde_json::Deserializer::from_slice(&self.0);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let text = inner.to_string();
            // serde reports a missing or unknown field at its parent; name the field itself.
            let named = ["missing field `", "unknown field `"]
                .iter()
                .find_map(|p| text.strip_prefix(p))
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string);
            let parent = if path == "." || path.is_empty() {
                None
            } else {
                Some(path)
            };
            let field = match (parent, named) {
                (Some(p), Some(n)) if p == n || p.ends_with(&format!(".{n}")) => p,
                (Some(p), Some(n)) => format!("{p}.{n}"),
                (None, Some(n)) => n,
                (Some(p), None) => p,
                (None, None) => "body".to_string(),
            };
            let message = match inner.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    format!("malformed JSON: {inner}")
                }
                _ => strip_position(&inner.to_string()),
            };
            if matches!(
                inner.classify(),
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof
            ) {
                AppError::BadRequest {
                    field: "body".into(),
                    message,
                }
            } else {
                AppError::invalid(field, message)
            }
        })
    }
}

fn strip_position(s: &str) -> String {
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Submitted form fields (urlencoded), after the CSRF check. Repeated names keep every value.
pub struct FormFields {
    pairs: Vec<(String, String)>,
}

impl FormFields {
    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    /// Every value of a repeated field (checkboxes).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    /// A trimmed, non-empty value.
    pub fn opt(&self, name: &str) -> Option<String> {
        let v = self.get(name).trim();
        (!v.is_empty()).then(|| v.to_string())
    }
    pub fn map(&self) -> HashMap<String, String> {
        self.pairs.iter().cloned().collect()
    }
    /// The field's value when it is one of `known` (as the `'static` word from the list, e.g.
    /// which form a page says was saved), else `None`: a value nobody wrote is never echoed.
    pub fn one_of(&self, name: &str, known: &[&'static str]) -> Option<&'static str> {
        let v = self.get(name);
        known.iter().copied().find(|k| *k == v)
    }
}

/// A form post: checks the CSRF token. Signed in, the hidden `csrf` field must be the token
/// bound to this session ([`expected_csrf`]); before sign-in it must equal the `HttpOnly`,
/// `SameSite=Strict` CSRF cookie (double submit). See docs/decisions/0019.
pub struct CsrfForm(pub FormFields);

impl FromRequest<AppState> for CsrfForm {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let cookie_token = expected_csrf(req.headers(), state.config.cookie_secure);
        let limit = state.config.max_body_bytes;
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                PageError(AppError::TooLarge { limit })
            } else {
                PageError(AppError::BadRequest {
                    field: "body".into(),
                    message: "could not read the form".into(),
                })
            }
        })?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
            PageError(AppError::BadRequest {
                field: "body".into(),
                message: "the form could not be read".into(),
            })
        })?;
        let fields = FormFields { pairs };
        let submitted = fields.get("csrf");
        match cookie_token {
            Some(t) if !t.is_empty() && constant_time_eq(t.as_bytes(), submitted.as_bytes()) => {
                Ok(CsrfForm(fields))
            }
            _ => Err(PageError(AppError::BadRequest {
                field: "csrf".into(),
                message:
                    "the form expired or came from another site; reload the page and try again"
                        .into(),
            })),
        }
    }
}

/// Does a submitted CSRF token match the one this request must carry ([`expected_csrf`])?
/// Compared in constant time; no expected token never matches.
pub fn csrf_matches(expected: Option<&str>, submitted: &str) -> bool {
    expected.is_some_and(|t| !t.is_empty() && constant_time_eq(t.as_bytes(), submitted.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Query-string fields, parsed per field by the handler.
pub struct QueryFields(pub FormFields);

impl<S: Send + Sync> FromRequestParts<S> for QueryFields {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).map_err(|_| {
            ApiError(AppError::BadRequest {
                field: "query".into(),
                message: "the query string could not be read".into(),
            })
        })?;
        Ok(QueryFields(FormFields { pairs }))
    }
}

/// Parse helpers for form and query fields, naming the field (one set for the product).
pub use crate::platform::fields as parse;

/// Two record ids from the path (`/participants/{id}/referrals/{item_id}`).
pub struct IdPair(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdPair {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((a, b)): axum::extract::Path<(String, String)> =
            axum::extract::Path::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        match (a.parse::<i64>(), b.parse::<i64>()) {
            (Ok(a), Ok(b)) => Ok(IdPair(a, b)),
            _ => Err(ApiError(AppError::NotFound)),
        }
    }
}

/// The same, for pages.
pub struct PageIdPair(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PageIdPair {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        IdPair::from_request_parts(parts, state)
            .await
            .map(|IdPair(a, b)| PageIdPair(a, b))
            .map_err(|e| PageError(e.0))
    }
}
