//! The home page's field-safety forms: check in, check out, ask for help. Each calls one
//! operation and returns to the home page, which shows the open visit and the alerts; a refused
//! check-in shows the home page again with what was typed and each wrong field named.

use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;

use super::ops::{self, CheckInInput, HelpInput};
use crate::platform::error::AppError;
use crate::platform::web::PageRoute;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, Page, PageId};

pub fn routes() -> Vec<PageRoute> {
    vec![
        PageRoute::general("/field/check-in", &["POST"], post(check_in)),
        PageRoute::general("/field/visits/{id}/check-out", &["POST"], post(check_out)),
        PageRoute::general("/field/visits/{id}/help", &["POST"], post(ask_help)),
    ]
}

async fn check_in(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    let input = CheckInInput {
        place: form.get("place").into(),
        with_whom: form.get("with_whom").into(),
        expected_end_at: form.get("expected_end_at").into(),
        safety_note: form.get("safety_note").into(),
    };
    let typed = input.clone();
    match page
        .write(move |tx, a| ops::check_in(tx, a, || Ok(input)))
        .await
    {
        Ok(_) => Ok(Redirect::to("/#field").into_response()),
        Err(AppError::Invalid(errors)) => {
            crate::home::with_check_in_errors(page, typed, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn check_out(
    page: Page,
    PageId(id): PageId,
    CsrfForm(_): CsrfForm,
) -> Result<Response, PageError> {
    page.write(move |tx, a| ops::check_out(tx, a, id)).await?;
    Ok(Redirect::to("/#field").into_response())
}

async fn ask_help(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = HelpInput {
        note: form.get("note").into(),
    };
    page.write(move |tx, a| ops::ask_help(tx, a, id, || Ok(input)))
        .await?;
    Ok(Redirect::to("/#field").into_response())
}
