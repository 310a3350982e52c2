//! The participant's messages page (the thread, a form to write, the opt-in and its history)
//! and the admins' job runs page. Each handler calls one operation.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDateTime;

use super::jobs;
use super::ops::{self, OptinInput, SendInput, Thread};
use super::rules::Channel;
use crate::platform::error::{AppResult, FieldError};
use crate::platform::jobs::JobRun;
use crate::platform::web::PageRoute;
use crate::platform::web::error::{PageError, saved_or_again};
use crate::platform::web::extract::{CsrfForm, FormFields, Page, PageId, QueryFields};
use crate::platform::web::layout::Chrome;

pub fn routes() -> Vec<PageRoute> {
    let p = PageRoute::participant;
    vec![
        p(
            "/participants/{id}/messages",
            &["GET", "POST"],
            get(thread_page).post(post_message),
        ),
        p(
            "/participants/{id}/messages/optin",
            &["POST"],
            post(post_optin),
        ),
        p(
            "/participants/{id}/messages/stop",
            &["POST"],
            post(post_stop),
        ),
        PageRoute::general("/admin/jobs", &["GET"], get(job_runs_page)),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "messages/thread.html")]
struct ThreadPage {
    chrome: Chrome,
    t: Thread,
    errors: Vec<FieldError>,
    posted: HashMap<String, String>,
    saved: Option<&'static str>,
    channels: Vec<(&'static str, &'static str)>,
}

impl ThreadPage {
    fn error_for(&self, field: &str) -> Option<String> {
        FieldError::for_field(&self.errors, field, &self.chrome.tr)
    }
    fn value(&self, field: &str) -> &str {
        self.posted.get(field).map_or("", String::as_str)
    }
    fn at(&self, t: &NaiveDateTime) -> String {
        self.chrome.zone.show_in(*t, self.chrome.tr)
    }
    fn channel(&self, c: &Channel) -> &'static str {
        c.label_in(self.chrome.tr.lang)
    }
}

async fn render(
    page: &Page,
    id: i64,
    errors: Vec<FieldError>,
    posted: Option<&FormFields>,
    saved: Option<&'static str>,
) -> Result<ThreadPage, PageError> {
    let t = page.read(move |tx, a| ops::thread(tx, a, id)).await?;
    let mut chrome = page.chrome("", "/participants");
    chrome.title = chrome.tr.t1("messages-title", "name", &t.participant_name);
    let lang = chrome.tr.lang;
    Ok(ThreadPage {
        channels: Channel::ALL
            .iter()
            .map(|c| (c.as_str(), c.label_in(lang)))
            .collect(),
        chrome,
        t,
        errors,
        posted: posted.map(FormFields::map).unwrap_or_default(),
        saved,
    })
}

async fn thread_page(
    page: Page,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let saved = q.one_of("saved", &["message", "optin", "stop"]);
    Ok(render(&page, id, vec![], None, saved)
        .await?
        .into_response())
}

async fn after_write<T>(
    page: &Page,
    id: i64,
    form: &FormFields,
    saved: &'static str,
    result: AppResult<T>,
) -> Result<Response, PageError> {
    let to = format!("/participants/{id}/messages?saved={saved}#saved");
    saved_or_again(result, &to, |errors| {
        render(page, id, errors, Some(form), None)
    })
    .await
}

async fn post_message(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = SendInput {
        body: form.get("body").into(),
    };
    let result = page
        .write(move |tx, a| ops::send(tx, a, id, || Ok(input)))
        .await;
    after_write(&page, id, &form, "message", result).await
}

async fn post_optin(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = OptinInput {
        channel: form.get("channel").into(),
        address: form.get("address").into(),
        language: form.get("language").into(),
        names_programme: form.get("names_programme") == "1",
    };
    let result = page
        .write(move |tx, a| ops::record_optin(tx, a, id, || Ok(input)))
        .await;
    after_write(&page, id, &form, "optin", result).await
}

async fn post_stop(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let result = page.write(move |tx, a| ops::end_optin(tx, a, id)).await;
    after_write(&page, id, &form, "stop", result).await
}

#[derive(Template, WebTemplate)]
#[template(path = "messages/job_runs.html")]
struct JobRunsPage {
    chrome: Chrome,
    runs: Vec<JobRun>,
}

impl JobRunsPage {
    fn at(&self, t: &NaiveDateTime) -> String {
        self.chrome.zone.show_seconds(*t)
    }
}

async fn job_runs_page(page: Page) -> Result<Response, PageError> {
    let runs = page.read(jobs::runs).await?;
    let mut chrome = page.chrome("", "/admin");
    chrome.title = chrome.tr.t("jobs-title");
    Ok(JobRunsPage { chrome, runs }.into_response())
}
