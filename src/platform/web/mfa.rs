//! The second step of signing in: the code from an authenticator app (or a recovery code), and
//! setting up a second factor (a QR code, the secret as text, a first code, then the recovery
//! codes shown once). A session whose second factor is due reaches only these pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::error::{PageError, form_again, refused_input};
use super::extract::{CsrfForm, client_addr, page_csrf, session_secret};
use super::layout::Chrome;
use super::{AppState, PageRoute};
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

/// A signed-in session on its way through two-step sign-in (or a signed-in user setting up a
/// second factor on their own): its secret, its user and whether it owes the code of a second
/// factor already set up. Without one, the browser is sent to sign in.
struct Pending {
    state: AppState,
    csrf: String,
    secret: String,
    actor: Actor,
    owes_code: bool,
}

impl FromRequestParts<AppState> for Pending {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let csrf = page_csrf(parts).map_err(IntoResponse::into_response)?;
        let to_sign_in = || Redirect::to("/sign-in").into_response();
        let Some(secret) = session_secret(state, &parts.headers).filter(|s| !s.is_empty()) else {
            return Err(to_sign_in());
        };
        let (config, s2, addr) = (
            state.config.clone(),
            secret.clone(),
            client_addr(parts, state),
        );
        let Ok(Some((actor, st))) = state
            .db
            .run(move |c| auth::session_step(c, &config, &s2, &addr))
            .await
        else {
            return Err(to_sign_in());
        };
        Ok(Pending {
            state: state.clone(),
            csrf,
            secret,
            actor,
            owes_code: st == "verify",
        })
    }
}

impl Pending {
    /// Where to go instead of `page`: home when there is no code to verify, the code first
    /// before setting one up.
    fn elsewhere(&self, page: Owed) -> Option<Response> {
        match (page, self.owes_code) {
            (Owed::Verify, false) => Some(Redirect::to("/").into_response()),
            (Owed::Enrol, true) => Some(Redirect::to("/sign-in/second-factor").into_response()),
            _ => None,
        }
    }

    /// The frame of a two-step sign-in page (no menu: the user is not signed in yet), titled
    /// with the message `title` in the browser's language.
    fn chrome(&self, title: &str) -> Chrome {
        let mut chrome = Chrome::anonymous("", &self.csrf, self.state.config.demo);
        chrome.title = chrome.tr.t(title);
        chrome
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "mfa_verify.html")]
struct VerifyPage {
    chrome: Chrome,
    error: Option<String>,
}

async fn verify_page(p: Pending) -> Result<Response, PageError> {
    if let Some(r) = p.elsewhere(Owed::Verify) {
        return Ok(r);
    }
    Ok(VerifyPage {
        chrome: p.chrome("mfa-verify-title"),
        error: None,
    }
    .into_response())
}

async fn verify_post(p: Pending, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    if let Some(r) = p.elsewhere(Owed::Verify) {
        return Ok(r);
    }
    let page = |status: StatusCode, error: &str| {
        (
            status,
            VerifyPage {
                chrome: p.chrome("mfa-verify-title"),
                error: Some(error.to_string()),
            },
        )
            .into_response()
    };
    let state = &p.state;
    match auth::second_factor(
        &state.db,
        &state.config,
        &p.actor,
        &p.secret,
        form.get("code"),
    )
    .await?
    {
        SecondFactor::Passed(_) => Ok(Redirect::to("/").into_response()),
        SecondFactor::Failed => Ok(page(
            StatusCode::UNAUTHORIZED,
            &p.chrome("mfa-verify-title").tr.t("mfa-code-mismatch"),
        )),
        SecondFactor::Throttled(m) => Ok(page(
            StatusCode::TOO_MANY_REQUESTS,
            &m.shown(&p.chrome("mfa-verify-title").tr),
        )),
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

async fn enrol_view(p: &Pending, error: Option<String>) -> Result<EnrolPage, PageError> {
    let user = p.actor.user_id;
    let secret = p
        .state
        .db
        .write(move |tx| match mfa::pending_secret(tx.conn(), user)? {
            Some(s) => Ok(s),
            None => mfa::start_enrolment(tx, user),
        })
        .await?;
    let qr_svg = mfa::qr_svg(&mfa::otpauth_url(&secret, &p.actor.email)?)?;
    Ok(EnrolPage {
        chrome: p.chrome("mfa-enrol-title"),
        error,
        secret,
        qr_svg,
        recovery_codes: vec![],
    })
}

async fn enrol_page(p: Pending) -> Result<Response, PageError> {
    if let Some(r) = p.elsewhere(Owed::Enrol) {
        return Ok(r);
    }
    let user = p.actor.user_id;
    if p.state.db.run(move |c| mfa::enabled(c, user)).await? {
        return Err(AppError::conflict("error-mfa-already-set-up", &[]).into());
    }
    Ok(enrol_view(&p, None).await?.into_response())
}

async fn enrol_post(p: Pending, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    if let Some(r) = p.elsewhere(Owed::Enrol) {
        return Ok(r);
    }
    let (a, secret, code) = (
        p.actor.clone(),
        p.secret.clone(),
        form.get("code").to_string(),
    );
    let result = p
        .state
        .db
        .write(move |tx| ops::confirm_second_factor(tx, &a, &secret, &code))
        .await;
    match refused_input(result)? {
        Ok(recovery_codes) => Ok(EnrolPage {
            chrome: p.chrome("mfa-on-title"),
            error: None,
            secret: String::new(),
            qr_svg: String::new(),
            recovery_codes,
        }
        .into_response()),
        Err(errors) => {
            let msg = errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            form_again(enrol_view(&p, Some(msg)).await?)
        }
    }
}
