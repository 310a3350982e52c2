//! The programme's start-up readiness checklist and its printable job descriptions.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::platform::web::extract::Page;

use super::WORKFORCE;
use crate::platform::access;
use crate::platform::db::Tx;
use crate::platform::error::{AppError, FieldError};
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, PageId};
use crate::platform::web::layout::Chrome;
use crate::platform::web::markdown;
use crate::workforce::codes::JobKind;
use crate::workforce::ops;
use crate::workforce::readiness::{ItemStatus, OrgStage};
use crate::workforce::store::{self, ReadinessItem, ReadinessItemInput};

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

async fn render_readiness(s: &Page, errors: Vec<FieldError>) -> Result<ReadinessPage, PageError> {
    let a = s.actor.clone();
    let items = s.state.db.write(move |tx| ops::readiness(tx, &a)).await?;
    let (stages, current) = store::readiness_progress(&items);
    // The current stage by its code, which the page names in its language.
    let current = OrgStage::ALL
        .iter()
        .find(|st| st.label() == current)
        .map_or(current, |st| st.as_str().to_string());
    let mut chrome = s.chrome("", WORKFORCE);
    chrome.title = chrome.tr.t("wf-readiness");
    Ok(ReadinessPage {
        chrome,
        items,
        stages,
        current,
        statuses: ItemStatus::ALL,
        is_admin: ops::may_edit_org_records(&s.actor),
        jobs: JobKind::ALL,
        errors,
    })
}

pub(super) async fn readiness_page(s: Page) -> Result<impl IntoResponse, PageError> {
    render_readiness(&s, vec![]).await
}

pub(super) async fn post_readiness(
    s: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = ReadinessItemInput {
        owner: form.get("owner").into(),
        status: form.get("status").into(),
        due_on: form.opt("due_on"),
        notes: form.get("notes").into(),
    };
    let a = s.actor.clone();
    let update = move |tx: &mut Tx| ops::update_readiness_item(tx, &a, id, || Ok(input));
    match s.state.db.write(update).await {
        Ok(_) => Ok(Redirect::to(&format!("/workforce/readiness#item-{id}")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let page = render_readiness(&s, errs).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A job description's frame, titled with the job in the page's language.
fn job_chrome(s: &Page, kind: JobKind) -> Chrome {
    let mut chrome = s.chrome("", WORKFORCE);
    chrome.title = chrome.tr.code("wf-job", kind.as_str());
    chrome
}

#[derive(Template, WebTemplate)]
#[template(path = "workforce/job.html")]
struct JobPage {
    chrome: Chrome,
    kind: JobKind,
    body: String,
    /// The body rendered from its Markdown (raw HTML shown as text, unsafe links dropped).
    body_html: String,
    is_admin: bool,
    errors: Vec<FieldError>,
}

pub(super) async fn job_page(
    s: Page,
    Path(kind): Path<String>,
) -> Result<impl IntoResponse, PageError> {
    // The policy answers before the address is read: someone without the workforce module
    // learns nothing about which job descriptions exist.
    access::workforce(&s.actor)?;
    let kind = JobKind::parse(&kind).ok_or(AppError::NotFound)?;
    let a = s.actor.clone();
    let body = s
        .state
        .db
        .read(move |tx| ops::job_description(tx, &a, kind))
        .await?;
    Ok(JobPage {
        chrome: job_chrome(&s, kind),
        kind,
        body_html: markdown::to_html(&body),
        body,
        is_admin: ops::may_edit_org_records(&s.actor),
        errors: vec![],
    })
}

pub(super) async fn post_job(
    s: Page,
    Path(kind): Path<String>,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let kind = JobKind::parse(&kind).ok_or(AppError::NotFound)?;
    let body = form.get("body").to_string();
    let (a, b) = (s.actor.clone(), body.clone());
    let save = move |tx: &mut Tx| ops::save_job_description(tx, &a, kind, &b);
    match s.state.db.write(save).await {
        Ok(()) => {
            let to = format!("/workforce/job-descriptions/{}", kind.as_str());
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let chrome = job_chrome(&s, kind);
            let page = JobPage {
                chrome,
                kind,
                body_html: markdown::to_html(&body),
                body,
                is_admin: true,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
