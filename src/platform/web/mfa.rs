//! The second step of signing in: the code from an authenticator app (or a recovery code), and
//! setting up a second factor (a QR code, the secret as text, a first code, then the recovery
//! codes shown once). A session whose second factor is due reaches only these pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::error::PageError;
use super::extract::{ClientAddr, CsrfForm, session_secret};
use super::layout::Chrome;
use super::{AppState, CsrfToken, PageRoute};
use crate::platform::access::Actor;
use crate::platform::auth::{self, SecondFactor};
use crate::platform::error::AppError;
use crate::platform::mfa;
use crate::platform::ops;

pub fn routes() -> Vec<PageRoute> {
    vec![
        PageRoute::general(
            "/sign-in/second-factor",
            &["GET", "POST"],
            get(verify_page).post(verify_post),
        ),
        PageRoute::general(
            "/sign-in/set-up-second-factor",
            &["GET", "POST"],
            get(enrol_page).post(enrol_post),
        ),
    ]
}

/// Which second-factor page a request is for.
#[derive(PartialEq)]
enum Owed {
    /// The code of a second factor already set up.
    Verify,
    /// Setting one up (also a signed-in user who sets one up on their own).
    Enrol,
}

/// The session behind the cookie (its secret and actor) when it may use the `page` asked for;
/// otherwise where to go instead: to sign in, home (nothing to verify), or to verify first.
async fn step(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    addr: &str,
    page: Owed,
) -> Result<(String, Actor), Response> {
    let to = |path: &str| Redirect::to(path).into_response();
    let Some(secret) = session_secret(state, headers).filter(|s| !s.is_empty()) else {
        return Err(to("/sign-in"));
    };
    let (config, s2, a2) = (state.config.clone(), secret.clone(), addr.to_string());
    let Ok(Some((actor, st))) = state
        .db
        .run(move |c| auth::session_step(c, &config, &s2, &a2))
        .await
    else {
        return Err(to("/sign-in"));
    };
    match (page, st == "verify") {
        (Owed::Verify, false) => Err(to("/")),
        (Owed::Enrol, true) => Err(to("/sign-in/second-factor")),
        _ => Ok((secret, actor)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "mfa_verify.html")]
struct VerifyPage {
    chrome: Chrome,
    error: Option<String>,
}

async fn verify_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    ClientAddr(addr): ClientAddr,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    if let Err(r) = step(&state, &headers, &addr, Owed::Verify).await {
        return Ok(r);
    }
    Ok(VerifyPage {
        chrome: Chrome::anonymous("Two-step sign-in", &csrf.0, state.config.demo),
        error: None,
    }
    .into_response())
}

async fn verify_post(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    ClientAddr(addr): ClientAddr,
    headers: axum::http::HeaderMap,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let (secret, actor) = match step(&state, &headers, &addr, Owed::Verify).await {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let page = |status: StatusCode, error: &str| {
        (
            status,
            VerifyPage {
                chrome: Chrome::anonymous("Two-step sign-in", &csrf.0, state.config.demo),
                error: Some(error.to_string()),
            },
        )
            .into_response()
    };
    match auth::second_factor(&state.db, &state.config, &actor, &secret, form.get("code")).await? {
        SecondFactor::Passed(_) => Ok(Redirect::to("/").into_response()),
        SecondFactor::Failed => Ok(page(
            StatusCode::UNAUTHORIZED,
            "That code does not match. Enter the 6-digit code from your app, or an unused recovery code.",
        )),
        SecondFactor::Throttled(m) => Ok(page(StatusCode::TOO_MANY_REQUESTS, &m)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "mfa_enrol.html")]
struct EnrolPage {
    chrome: Chrome,
    error: Option<String>,
    secret: String,
    qr_svg: String,
    /// Shown once, after a successful first code.
    recovery_codes: Vec<String>,
}

async fn enrol_view(
    state: &AppState,
    csrf: &str,
    actor: &Actor,
    error: Option<String>,
) -> Result<EnrolPage, PageError> {
    let user = actor.user_id;
    let secret = state
        .db
        .write(move |tx| match mfa::pending_secret(tx.conn(), user)? {
            Some(s) => Ok(s),
            None => mfa::start_enrolment(tx, user),
        })
        .await?;
    let qr_svg = mfa::qr_svg(&mfa::otpauth_url(&secret, &actor.email)?)?;
    Ok(EnrolPage {
        chrome: Chrome::anonymous("Set up two-step sign-in", csrf, state.config.demo),
        error,
        secret,
        qr_svg,
        recovery_codes: vec![],
    })
}

async fn enrol_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    ClientAddr(addr): ClientAddr,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    let (_, actor) = match step(&state, &headers, &addr, Owed::Enrol).await {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let user = actor.user_id;
    if state.db.run(move |c| mfa::enabled(c, user)).await? {
        return Err(AppError::Conflict(
            "two-step sign-in is already set up; an administrator can reset it".into(),
        )
        .into());
    }
    Ok(enrol_view(&state, &csrf.0, &actor, None)
        .await?
        .into_response())
}

async fn enrol_post(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    ClientAddr(addr): ClientAddr,
    headers: axum::http::HeaderMap,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let (secret, actor) = match step(&state, &headers, &addr, Owed::Enrol).await {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let code = form.get("code").to_string();
    let a = actor.clone();
    let result = state
        .db
        .write(move |tx| ops::confirm_second_factor(tx, &a, &secret, &code))
        .await;
    match result {
        Ok(recovery_codes) => Ok(EnrolPage {
            chrome: Chrome::anonymous("Two-step sign-in is set up", &csrf.0, state.config.demo),
            error: None,
            secret: String::new(),
            qr_svg: String::new(),
            recovery_codes,
        }
        .into_response()),
        Err(AppError::Invalid(errs)) => {
            let msg = errs
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                enrol_view(&state, &csrf.0, &actor, Some(msg)).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
