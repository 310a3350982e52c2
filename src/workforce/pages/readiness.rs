//! The programme's start-up readiness checklist and its printable job descriptions.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::chrome;
use crate::platform::access::{self, Actor};
use crate::platform::error::{AppError, FieldError};
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, PageId, PageUser};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, CsrfToken};
use crate::workforce::codes::JobKind;
use crate::workforce::ops;
use crate::workforce::readiness::ItemStatus;
use crate::workforce::store::{ReadinessItem, ReadinessItemInput};

#[derive(Template, WebTemplate)]
#[template(path = "workforce/readiness.html")]
struct ReadinessPage {
    chrome: Chrome,
    items: Vec<ReadinessItem>,
    stages: Vec<(String, String, usize, usize)>,
    current: String,
    statuses: &'static [ItemStatus],
    is_admin: bool,
    jobs: &'static [JobKind],
    errors: Vec<FieldError>,
}

async fn render_readiness(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    errors: Vec<FieldError>,
) -> Result<ReadinessPage, PageError> {
    let a = actor.clone();
    let items = state.db.write(move |tx| ops::readiness(tx, &a)).await?;
    let (stages, current) = crate::workforce::store::readiness_progress(&items);
    Ok(ReadinessPage {
        chrome: chrome(state, actor, "Programme readiness", csrf),
        items,
        stages,
        current,
        statuses: ItemStatus::ALL,
        is_admin: ops::may_edit_org_records(actor),
        jobs: JobKind::ALL,
        errors,
    })
}

pub(super) async fn readiness_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
) -> Result<impl IntoResponse, PageError> {
    render_readiness(&state, &actor, &csrf.0, vec![]).await
}

pub(super) async fn post_readiness(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = ReadinessItemInput {
        owner: form.get("owner").into(),
        status: form.get("status").into(),
        due_on: form.opt("due_on"),
        notes: form.get("notes").into(),
    };
    let a = actor.clone();
    let result = state
        .db
        .write(move |tx| ops::update_readiness_item(tx, &a, id, || Ok(input)))
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/workforce/readiness#item-{id}")).into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render_readiness(&state, &actor, &csrf.0, errs).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "workforce/job.html")]
struct JobPage {
    chrome: Chrome,
    kind: JobKind,
    body: String,
    is_admin: bool,
    errors: Vec<FieldError>,
}

pub(super) async fn job_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    Path(kind): Path<String>,
) -> Result<impl IntoResponse, PageError> {
    // The policy answers before the address is read: someone without the workforce module
    // learns nothing about which job descriptions exist.
    access::workforce(&actor)?;
    let kind = JobKind::parse(&kind).ok_or(AppError::NotFound)?;
    let a = actor.clone();
    let body = state
        .db
        .read(move |tx| ops::job_description(tx, &a, kind))
        .await?;
    Ok(JobPage {
        chrome: chrome(&state, &actor, kind.label(), &csrf.0),
        kind,
        body,
        is_admin: ops::may_edit_org_records(&actor),
        errors: vec![],
    })
}

pub(super) async fn post_job(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    Path(kind): Path<String>,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let kind = JobKind::parse(&kind).ok_or(AppError::NotFound)?;
    let body = form.get("body").to_string();
    let (a, b) = (actor.clone(), body.clone());
    let result = state
        .db
        .write(move |tx| ops::save_job_description(tx, &a, kind, &b))
        .await;
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/workforce/job-descriptions/{}", kind.as_str())).into_response(),
        ),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            JobPage {
                chrome: chrome(&state, &actor, kind.label(), &csrf.0),
                kind,
                body,
                is_admin: true,
                errors: errs,
            },
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
