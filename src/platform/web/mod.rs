//! The web plumbing: application state, the router (pages and `/api/v1`), middleware (CSRF
//! cookie, security headers, body limits (limits.rs), tracing), and serving with graceful shutdown.

pub mod api;
pub mod error;
pub mod extract;
pub mod formats;
pub mod layout;
pub mod limits;
pub mod markdown;
pub mod mfa;
pub mod pages;
#[cfg(test)]
pub(crate) mod untranslated;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::MethodRouter;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

use super::auth;
use super::config::Config;
use super::db::Db;
use extract::{cookie, csrf_cookie as csrf_cookie_name, expected_csrf, session_cookie, set_cookie};

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
}

/// The CSRF token of this request (from the cookie, or freshly made).
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// An HTML page route: its path, the methods it answers, and whether it concerns one
/// participant (`{id}` is a participant id). The router is built from this list and tests walk
/// it, so a new page cannot escape the cross-organisation tests.
pub struct PageRoute {
    pub path: &'static str,
    pub methods: &'static [&'static str],
    pub participant_scoped: bool,
    pub handler: MethodRouter<AppState>,
}

impl PageRoute {
    /// A page about one participant: `{id}` in `path` is a participant id, and the
    /// cross-organisation tests walk it.
    pub fn participant(
        path: &'static str,
        methods: &'static [&'static str],
        handler: MethodRouter<AppState>,
    ) -> Self {
        PageRoute {
            participant_scoped: true,
            ..Self::general(path, methods, handler)
        }
    }

    /// A page that concerns no one participant (a list, a form, the caller's own account).
    pub fn general(
        path: &'static str,
        methods: &'static [&'static str],
        handler: MethodRouter<AppState>,
    ) -> Self {
        PageRoute {
            path,
            methods,
            participant_scoped: false,
            handler,
        }
    }
}

/// Every HTML page route of the application.
pub fn page_routes() -> Vec<PageRoute> {
    let mut routes = pages::routes();
    routes.extend(mfa::routes());
    routes.extend(crate::home::routes());
    routes.extend(crate::organisations::pages::routes());
    routes.extend(crate::participants::pages::routes());
    routes.extend(crate::journey::pages::routes());
    routes.extend(crate::journey::roster_web::page_routes());
    routes.extend(crate::consent::pages::routes());
    routes.extend(crate::workforce::pages::routes());
    routes.extend(crate::workforce::hiring::pages::routes());
    routes.extend(crate::reports::pages::routes());
    routes.extend(crate::billing::pages::routes());
    routes.extend(crate::field::pages::routes());
    routes.extend(crate::reentry::pages::routes());
    routes.extend(crate::messages::pages::routes());
    routes
}

/// The routes that take files, up to `max_upload_bytes` (every other body: `max_body_bytes`).
pub fn upload_paths() -> &'static [&'static str] {
    crate::journey::roster_web::UPLOAD_PATHS
}

/// The JSON API with its OpenAPI description.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(api::ApiDoc::openapi_base())
        .merge(api::routes())
        .merge(crate::organisations::api::routes())
        .merge(crate::participants::api::routes())
        .merge(crate::journey::api::routes())
        .merge(crate::journey::settings::routes())
        .merge(crate::journey::roster_web::api_routes())
        .merge(crate::consent::api::routes())
        .merge(crate::workforce::api::routes())
        .merge(crate::workforce::hiring::api::routes())
        .merge(crate::reports::api::routes())
        .merge(crate::billing::api::routes())
        .merge(crate::field::api::routes())
        .merge(crate::reentry::api::routes())
        .merge(crate::messages::api::routes())
}

/// The OpenAPI document, generated from the handlers' annotations.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_parts().1
}

/// The API's routes and its OpenAPI document, with the problem documents every operation can
/// answer declared ([`api::declare_problems`]).
fn api_parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (routes, mut doc) = api_router().split_for_parts();
    api::declare_problems(&mut doc);
    (routes, doc)
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api_parts();
    let doc = Arc::new(doc);
    let mut pages_router: Router<AppState> = Router::new();
    for r in page_routes() {
        pages_router = pages_router.route(r.path, r.handler);
    }
    let api = api.route(
        "/api/v1/openapi.json",
        axum::routing::get(move || {
            let doc = doc.clone();
            async move { axum::Json((*doc).clone()) }
        }),
    );
    Router::new()
        .merge(api)
        .merge(pages_router)
        .route("/healthz", axum::routing::get(pages::healthz))
        .route("/static/app.css", axum::routing::get(pages::stylesheet))
        .route("/static/app.js", axum::routing::get(pages::script))
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), csrf_cookie))
        .layer(middleware::from_fn(browser_language))
        // Body sizes are limited in one place, before anything reads a body (limits.rs); the
        // extractors' own default limit is off so it cannot disagree.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            limits::body_limits,
        ))
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Answer the request with the browser's language (`Accept-Language`) as its error pages' until
/// a signed-in user's own is known (decision 0043).
async fn browser_language(req: Request, next: Next) -> Response {
    let lang = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(crate::platform::i18n::Language::En, |h| {
            crate::platform::i18n::Language::from_accept_language(h)
        });
    error::in_language(lang, next.run(req)).await
}

/// Make sure every browser has a CSRF cookie, and hand its value to the handlers.
async fn csrf_cookie(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/v1/") {
        return next.run(req).await;
    }
    let secure = state.config.cookie_secure;
    let signed_in = cookie(req.headers(), session_cookie(secure)).is_some_and(|s| !s.is_empty());
    let existing = expected_csrf(req.headers(), secure).filter(|t| t.len() == 43);
    // Signed in, the token is bound to the session and needs no cookie of its own.
    let fresh = existing.is_none() && !signed_in;
    let token = existing.unwrap_or_else(auth::new_secret);
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut resp = next.run(req).await;
    if fresh
        && let Ok(v) = HeaderValue::from_str(&set_cookie(
            csrf_cookie_name(secure),
            &token,
            state.config.cookie_secure,
            None,
        ))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if state.config.cookie_secure {
        // Cookies are Secure, so the site is served over HTTPS: tell browsers never to use
        // plain HTTP for it (RFC 6797; ASVS 14.4.5).
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    if !is_static && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// Serve until SIGTERM or Ctrl-C, finishing requests in flight. With `audit_checkpoint_file`
/// set, first append a signed checkpoint of the audit chain to it (failing to start if that
/// fails), then one a day (decision 0014).
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    if let Some(file) = &state.config.audit_checkpoint_file {
        crate::platform::audit_key::start_checkpoints(
            state.db.clone(),
            state.config.audit_key_path(),
            file.clone(),
        )
        .await?;
    }
    let app = app(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
