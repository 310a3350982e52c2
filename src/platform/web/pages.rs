//! Platform pages: sign-in and sign-out, the audit log, the API docs, health, static assets.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::error::{PageError, form_again, refused_input};
use super::extract::{
    ClientAddr, CsrfForm, Page, PageId, PageUser, QueryFields, RecentlyAuthenticated,
    session_cookie, session_secret, set_cookie,
};
use super::layout::Chrome;
use super::{AppState, CsrfToken, PageRoute};
use crate::platform::access;
use crate::platform::audit::Line;
use crate::platform::auth;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::{Language, Tr};
use crate::platform::ops;

pub fn routes() -> Vec<PageRoute> {
    vec![
        PageRoute::general(
            "/sign-in",
            &["GET", "POST"],
            get(sign_in_page).post(sign_in),
        ),
        PageRoute::general("/sign-out", &["POST"], post(sign_out)),
        PageRoute::general("/account", &["GET"], get(account_page)),
        PageRoute::general("/account/password", &["POST"], post(change_password)),
        PageRoute::general("/account/language", &["POST"], post(change_language)),
        PageRoute::general(
            "/account/confirm",
            &["GET", "POST"],
            get(confirm_page).post(confirm_post),
        ),
        PageRoute::general("/account/tokens", &["POST"], post(create_token)),
        PageRoute::general("/account/tokens/{id}/revoke", &["POST"], post(revoke_token)),
        PageRoute::general(
            "/account/sessions/end-others",
            &["POST"],
            post(end_other_sessions),
        ),
        PageRoute::general("/audit", &["GET"], get(audit_page)),
        PageRoute::general("/api/docs", &["GET"], get(api_docs)),
    ]
}

/// The demo accounts, shown on the sign-in page only in demo mode.
pub const DEMO_ROLES: &[&str] = &["admin", "supervisor", "peer", "team", "auditor"];
pub const DEMO_PASSWORD: &str = "throughcare-demo";

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    email: String,
    error: Option<String>,
    notice: Option<String>,
    demo_accounts: Vec<(String, &'static str)>,
    demo_password: &'static str,
}

fn sign_in_view(state: &AppState, csrf: &str, email: String, error: Option<String>) -> SignInPage {
    let demo = state.config.demo;
    let chrome = Chrome::anonymous("", csrf, demo);
    SignInPage {
        chrome: Chrome {
            title: chrome.tr.t("sign-in-title"),
            ..chrome
        },
        email,
        error,
        notice: None,
        demo_accounts: if demo {
            DEMO_ROLES
                .iter()
                .map(|r| (format!("{r}@demo.throughcare.example"), *r))
                .collect()
        } else {
            vec![]
        },
        demo_password: DEMO_PASSWORD,
    }
}

async fn sign_in_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    ClientAddr(addr): ClientAddr,
    QueryFields(q): QueryFields,
    headers: axum::http::HeaderMap,
) -> Response {
    // A session that owes its second factor continues there.
    if let Some(secret) = session_secret(&state, &headers).filter(|s| !s.is_empty()) {
        let config = state.config.clone();
        let step = state
            .db
            .run(move |c| auth::session_step(c, &config, &secret, &addr))
            .await;
        match step.ok().flatten().map(|(_, s)| s).as_deref() {
            Some("verify") => return Redirect::to("/sign-in/second-factor").into_response(),
            Some("enrol") => return Redirect::to("/sign-in/set-up-second-factor").into_response(),
            _ => {}
        }
    }
    let mut page = sign_in_view(&state, &csrf.0, String::new(), None);
    if q.get("welcome") == "1" {
        page.notice = Some(page.chrome.tr.t("sign-in-welcome"));
    }
    page.into_response()
}

async fn sign_in(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    ClientAddr(addr): ClientAddr,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let email = form.get("email").to_string();
    let password = form.get("password").to_string();
    if email.trim().is_empty() || password.is_empty() {
        let page = sign_in_view(
            &state,
            &csrf.0,
            email,
            Some(Tr::new(super::error::request_language()).t("sign-in-missing")),
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let result = auth::sign_in(&state.db, &state.config, &email, &password, &addr).await;
    match result? {
        auth::SignIn::Success(secret, _actor, step) => {
            let next = match step {
                "verify" => "/sign-in/second-factor",
                "enrol" => "/sign-in/set-up-second-factor",
                _ => "/",
            };
            with_session_cookie(&state, Redirect::to(next), &secret, None)
        }
        auth::SignIn::Failed => {
            let page = sign_in_view(
                &state,
                &csrf.0,
                email,
                Some(Tr::new(super::error::request_language()).t("sign-in-failed")),
            );
            Ok((StatusCode::UNAUTHORIZED, page).into_response())
        }
        auth::SignIn::Throttled(m) => {
            let tr = Tr::new(super::error::request_language());
            let page = sign_in_view(&state, &csrf.0, email, Some(m.shown(&tr)));
            Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response())
        }
    }
}

async fn sign_out(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    headers: axum::http::HeaderMap,
    CsrfForm(_form): CsrfForm,
) -> Result<Response, PageError> {
    if let Some(secret) = session_secret(&state, &headers) {
        state
            .db
            .write(move |tx| auth::sign_out(tx, &actor, &secret))
            .await?;
    }
    with_session_cookie(&state, Redirect::to("/sign-in"), "", Some(0))
}

/// `to`, setting the session cookie to `secret` (`""` with a `max_age` of 0 deletes it).
fn with_session_cookie(
    state: &AppState,
    to: Redirect,
    secret: &str,
    max_age: Option<i64>,
) -> Result<Response, PageError> {
    let mut resp = to.into_response();
    let secure = state.config.cookie_secure;
    let c = set_cookie(session_cookie(secure), secret, secure, max_age);
    resp.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&c).map_err(AppError::internal)?,
    );
    Ok(resp)
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<Line>,
    actor: String,
    action: String,
    participant: String,
    from: String,
    to: String,
    next_before: Option<i64>,
    error: Option<String>,
}

impl AuditPage {
    /// When an entry was written, to the second, on the organisation's clock and in the page's
    /// language.
    fn when(&self, at: impl crate::platform::time::Stored) -> String {
        let zone = self.chrome.zone;
        if self.chrome.tr.es() {
            let local = zone.to_local(at.utc());
            let abbreviation = local.format("%Z").to_string();
            self.chrome
                .tr
                .local_time(&local.naive_local(), &abbreviation, true)
        } else {
            zone.show_seconds(at)
        }
    }
}

async fn audit_page(
    page: Page,
    QueryFields(q): QueryFields,
) -> Result<impl IntoResponse, PageError> {
    let org = access::read_audit(&page.actor)?;
    let mut chrome = page.chrome("", "/audit");
    chrome.title = chrome.tr.t("nav-audit-log");
    let zone = page.actor.zone;
    let (entries, error) = match ops::audit_filter(org, zone, |k| q.get(k).to_string()) {
        Ok(filter) => {
            let entries = page
                .read(move |tx, a| ops::browse_audit(tx, &a.who(), &filter))
                .await?;
            (entries, None)
        }
        Err(e) => (vec![], Some(e.to_string())),
    };
    let next_before = (entries.len() >= 100)
        .then(|| entries.last().map(|l| l.entry.seq))
        .flatten();
    Ok(AuditPage {
        chrome,
        entries,
        actor: q.get("actor").into(),
        action: q.get("action").into(),
        participant: q.get("participant").into(),
        from: q.get("from").into(),
        to: q.get("to").into(),
        next_before,
        error,
    })
}

struct DocOperation {
    method: &'static str,
    path: String,
    summary: String,
    description: String,
    params: Vec<String>,
    body: Option<String>,
    responses: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    chrome: Chrome,
    operations: Vec<DocOperation>,
}

async fn api_docs(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
) -> impl IntoResponse {
    let doc = super::openapi();
    let mut operations = Vec::new();
    for (path, item) in &doc.paths.paths {
        let ops = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let params = op
                .parameters
                .iter()
                .flatten()
                .filter_map(|p| match p {
                    utoipa::openapi::RefOr::T(p) => Some(format!(
                        "{} ({})",
                        p.name,
                        serde_json::to_value(&p.parameter_in)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    )),
                    utoipa::openapi::RefOr::Ref(_) => None,
                })
                .collect();
            let body = op.request_body.as_ref().and_then(|b| match b {
                utoipa::openapi::RefOr::T(b) => {
                    Some(b.content.keys().cloned().collect::<Vec<_>>().join(", "))
                }
                utoipa::openapi::RefOr::Ref(_) => None,
            });
            let responses = op
                .responses
                .responses
                .iter()
                .map(|(code, r)| match r {
                    utoipa::openapi::RefOr::T(r) => format!("{code}: {}", r.description),
                    utoipa::openapi::RefOr::Ref(_) => code.clone(),
                })
                .collect();
            operations.push(DocOperation {
                method,
                path: path.clone(),
                summary: op.summary.clone().unwrap_or_default(),
                description: op.description.clone().unwrap_or_default(),
                params,
                body,
                responses,
            });
        }
    }
    ApiDocsPage {
        chrome: Chrome::anonymous("API", &csrf.0, state.config.demo),
        operations,
    }
}

/// `200` only when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let ok = state
        .db
        .run(|conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1").map_err(AppError::from)
        })
        .await;
    match ok {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response(),
    }
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/app.css"),
    )
        .into_response()
}

pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/app.js"),
    )
        .into_response()
}

pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        super::error::ApiError(AppError::NotFound).into_response()
    } else {
        PageError(AppError::NotFound).into_response()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    sessions: Vec<auth::SessionView>,
    notice: Option<String>,
    /// Two-step sign-in is set up.
    mfa: bool,
    tokens: Vec<auth::TokenView>,
    /// A token just created: `(id, secret)`, shown this once.
    new_token: Option<(i64, String)>,
    token_days: i64,
    errors: Vec<FieldError>,
    /// The interface language the user chose (`None`: as the browser asks).
    chosen: Option<Language>,
    /// What the browser asks for.
    browser: Language,
    languages: &'static [Language],
}

impl AccountPage {
    fn is_chosen(&self, l: &Language) -> bool {
        self.chosen == Some(*l)
    }
}

async fn account_view(
    page: &Page,
    headers: &axum::http::HeaderMap,
    notice: Option<String>,
) -> Result<AccountPage, PageError> {
    let current = session_secret(&page.state, headers);
    let (user, org) = (page.actor.user_id, page.actor.org_id);
    let (sessions, mfa, tokens, token_days, chosen) = page
        .state
        .db
        .run(move |c| {
            Ok((
                auth::sessions_of(c, user, current.as_deref())?,
                crate::platform::mfa::enabled(c, user)?,
                auth::tokens(c, org, Some(user))?,
                auth::token_lifetime_days(c, org)?,
                ops::chosen_language(c, user)?,
            ))
        })
        .await?;
    let browser = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Language::En, Language::from_accept_language);
    let mut chrome = page.chrome("", "/account");
    chrome.title = chrome.tr.t("account-title");
    Ok(AccountPage {
        chrome,
        chosen,
        browser,
        languages: Language::ALL,
        sessions,
        notice,
        mfa,
        tokens,
        new_token: None,
        token_days,
        errors: vec![],
    })
}

/// The account page with what the last step did.
async fn account_done(
    page: &Page,
    headers: &axum::http::HeaderMap,
    notice: String,
) -> Result<Response, PageError> {
    Ok(account_view(page, headers, Some(notice))
        .await?
        .into_response())
}

/// The signed-in user's account: the devices (sessions) signed in as them.
async fn account_page(page: Page, headers: axum::http::HeaderMap) -> Result<Response, PageError> {
    Ok(account_view(&page, &headers, None).await?.into_response())
}

/// The user's interface language: `en`, `es`, or `browser` (as the browser asks).
async fn change_language(
    mut page: Page,
    headers: axum::http::HeaderMap,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let choice = match form.get("language") {
        "browser" | "" => None,
        code => Some(
            Language::parse(code)
                .ok_or_else(|| AppError::keyed("language", "error-choose-language", &[]))?,
        ),
    };
    page.write(move |tx, a| ops::set_language(tx, a, choice))
        .await?;
    // The page that answers is already in the new language.
    let browser = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Language::En, Language::from_accept_language);
    page.caller.actor.language = Some(choice.unwrap_or(browser));
    let notice = Tr::new(choice.unwrap_or(browser)).t("account-language-saved");
    account_done(&page, &headers, notice).await
}

/// Sign out every other device.
async fn end_other_sessions(
    page: Page,
    headers: axum::http::HeaderMap,
    CsrfForm(_form): CsrfForm,
) -> Result<Response, PageError> {
    let current = session_secret(&page.state, &headers);
    let n = page
        .write(move |tx, a| auth::end_other_sessions(tx, a, current.as_deref()))
        .await?;
    account_done(
        &page,
        &headers,
        Tr::new(page.actor.language.unwrap_or_default()).t1(
            "account-signed-out-others",
            "count",
            n,
        ),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    next: String,
    error: Option<String>,
}

impl ConfirmPage {
    fn new(page: &Page, next: String, error: Option<String>) -> ConfirmPage {
        ConfirmPage {
            chrome: {
                let mut chrome = page.chrome("", "/account");
                chrome.title = chrome.tr.t("confirm-title");
                chrome
            },
            next,
            error,
        }
    }
}

/// Only a path on this site (never `//host` or a scheme), else home.
fn local_path(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// Confirm your password before a sensitive step (participant-level exports), then go on.
async fn confirm_page(page: Page, QueryFields(q): QueryFields) -> Result<Response, PageError> {
    Ok(ConfirmPage::new(&page, local_path(q.get("next")), None).into_response())
}

async fn confirm_post(
    page: Page,
    headers: axum::http::HeaderMap,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let next = local_path(form.get("next"));
    let (user, password) = (page.actor.user_id, form.get("password").to_string());
    let result = page
        .state
        .db
        .run(move |c| auth::reauthenticate(c, user, &password))
        .await;
    match refused_input(result)? {
        Ok(()) => {
            let secret = session_secret(&page.state, &headers).ok_or(AppError::Unauthenticated)?;
            page.write(move |tx, a| auth::confirm_session(tx, a, &secret))
                .await?;
            Ok(Redirect::to(&next).into_response())
        }
        Err(errors) => form_again(ConfirmPage::new(
            &page,
            next,
            Some(FieldError::list_shown(
                &errors,
                &Tr::new(super::error::request_language()),
            )),
        )),
    }
}

/// Change your own password (with the current one).
async fn change_password(
    page: Page,
    headers: axum::http::HeaderMap,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let current = session_secret(&page.state, &headers);
    let (old, new) = (
        form.get("current_password").to_string(),
        form.get("new_password").to_string(),
    );
    let result = page
        .write(move |tx, a| auth::change_password(tx, a, current.as_deref(), &old, &new))
        .await;
    match refused_input(result)? {
        Ok(()) => {
            account_done(
                &page,
                &headers,
                Tr::new(page.actor.language.unwrap_or_default()).t("adm-password-changed"),
            )
            .await
        }
        Err(errors) => {
            let tr = Tr::new(super::error::request_language());
            let summary = FieldError::list_shown(&errors, &tr);
            form_again(account_view(&page, &headers, Some(summary)).await?)
        }
    }
}

/// Create an API token for yourself: needs a password confirmed within the last few minutes
/// (OWASP ASVS 3.7.1) and, where your role requires it, two-step sign-in. The secret is shown
/// this once.
async fn create_token(
    page: Page,
    _recent: RecentlyAuthenticated,
    headers: axum::http::HeaderMap,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let label = match refused_input(auth::parse_token_label(Some(form.get("label"))))? {
        Ok(l) => l,
        Err(errors) => {
            let mut view = account_view(&page, &headers, None).await?;
            view.errors = errors;
            return form_again(view);
        }
    };
    let config = page.state.config.clone();
    let made = page
        .write(move |tx, a| {
            auth::may_create_token(tx.conn(), &config, a)?;
            auth::create_labelled_token(tx, &a.who(), a.user_id, None, label.as_deref())
        })
        .await?;
    let mut view = account_view(
        &page,
        &headers,
        Some(format!(
            "Token {} is created. Copy it now: it is not shown again.",
            made.0
        )),
    )
    .await?;
    view.new_token = Some(made);
    Ok(view.into_response())
}

/// Revoke one of your own API tokens: it stops at once.
async fn revoke_token(
    page: Page,
    PageId(id): PageId,
    headers: axum::http::HeaderMap,
    CsrfForm(_form): CsrfForm,
) -> Result<Response, PageError> {
    page.write(move |tx, a| {
        // Someone else's token is "not found", whoever asks.
        match auth::token_holder(tx.conn(), id)? {
            Some((user, _)) if user == a.user_id => auth::revoke_token_by_id(tx, &a.who(), id),
            _ => Err(AppError::NotFound),
        }
    })
    .await?;
    let notice = Tr::new(page.actor.language.unwrap_or_default()).t1("adm-token-revoked", "id", id);
    account_done(&page, &headers, notice).await
}
