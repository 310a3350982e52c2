//! The roster upload page, `POST /api/v1/imports/roster`, and a run's summary and pages of rows
//! to check (`/import/roster/{run}`, `GET /api/v1/roster-imports/{run}/rows`).
//!
//! An upload is checked before its file is read (OWASP ASVS 12.1.1, 13.1.x): the size limit by
//! `platform::web::limits` (a declared `Content-Length` over `max_upload_bytes` is refused with
//! 413 unread; a chunked body is cut off at the limit), then who is calling, then on the page the
//! CSRF token, which must be the form's first part. The file is then streamed to the import
//! through a channel of a few chunks, so the body is read only as fast as rows are imported
//! (decision 0023).

use std::io::{self, Read};

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::{Stream, StreamExt};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::roster::{self, ImportStop, Options};
use super::roster_runs::{self, ImportRun, RowsPage, Source};
use crate::organisations::store::{self as orgs, Facility};
use crate::platform::access::{self, Actor};
use crate::platform::error::AppError;
use crate::platform::web::error::{ApiError, PageError, Problem};
use crate::platform::web::extract::{
    ApiUser, IdPath, Page, PageId, QueryFields, csrf_matches, expected_csrf, parse,
};
use crate::platform::web::layout::Chrome;
use crate::platform::web::limits;
use crate::platform::web::{AppState, PageRoute};

/// The routes that take files (`max_upload_bytes`); every other route that takes a body gets
/// `max_body_bytes` (`platform::web::limits`).
pub const UPLOAD_PATHS: &[&str] = &["/import/roster", "/api/v1/imports/roster"];

/// Chunks of an upload waiting for the import's thread.
const CHUNKS_IN_FLIGHT: usize = 4;

pub fn page_routes() -> Vec<PageRoute> {
    vec![
        PageRoute::general(
            "/import/roster",
            &["GET", "POST"],
            get(upload_page).post(upload),
        ),
        PageRoute::general("/import/roster/{id}", &["GET"], get(run_page)),
    ]
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_roster))
        .routes(routes!(run_rows))
}

/// The upload's bytes as a `Read` for the import's (blocking) thread, fed through a bounded
/// channel: the request reads the next chunk only when there is room, so at most
/// [`CHUNKS_IN_FLIGHT`] chunks wait in memory however large the file.
struct UploadReader {
    rx: tokio::sync::mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
}

impl Read for UploadReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if !self.current.is_empty() {
                let n = buf.len().min(self.current.len());
                buf[..n].copy_from_slice(&self.current[..n]);
                let _ = self.current.split_to(n);
                return Ok(n);
            }
            match self.rx.blocking_recv() {
                Some(Ok(b)) => self.current = b,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
    }
}

/// Import `body` as it arrives. `too_large` tells a body error that is the size limit from any
/// other (the client going away).
async fn run_import<E: std::fmt::Display>(
    state: &AppState,
    actor: Actor,
    opts: Options,
    source: Source,
    mut body: impl Stream<Item = Result<Bytes, E>> + Unpin,
    too_large: impl Fn(&E) -> bool,
) -> Result<ImportRun, ImportStop> {
    let (tx, rx) = tokio::sync::mpsc::channel(CHUNKS_IN_FLIGHT);
    let db = state.db.clone();
    let job = tokio::task::spawn_blocking(move || {
        let reader = UploadReader {
            rx,
            current: Bytes::new(),
        };
        roster::import_stream(&db, &actor, &opts, source, reader, &|_| {})
    });
    let feed = async move {
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| {
                if too_large(&e) {
                    io::Error::new(roster::TOO_LARGE, "the upload passed its size limit")
                } else {
                    io::Error::other(format!("the upload stopped: {e}"))
                }
            });
            let stop = chunk.is_err();
            // The import ended early (a bad header, a database error): read no more.
            if tx.send(chunk).await.is_err() || stop {
                break;
            }
        }
    };
    let ((), joined) = tokio::join!(feed, job);
    joined.map_err(|e| ImportStop::App(AppError::internal(e)))?
}

/// What an import that stopped means to the caller.
fn stop_error(state: &AppState, stop: ImportStop) -> AppError {
    match stop {
        ImportStop::BadHeader(e) => {
            AppError::invalid(format!("row {} {}", e.row, e.column), e.reason)
        }
        ImportStop::Cut {
            too_large: true, ..
        } => AppError::TooLarge {
            limit: state.config.max_upload_bytes,
        },
        ImportStop::Cut { error, .. } => AppError::BadRequest {
            field: "file".into(),
            message: format!("the file stopped before its end: {error}"),
        },
        ImportStop::App(e) => e,
    }
}

async fn known_facility(state: &AppState, facility_id: i64) -> Result<bool, AppError> {
    state
        .db
        .run(move |c| Ok(orgs::facilities(c)?.iter().any(|f| f.id == facility_id)))
        .await
}

/// Import a roster (CSV body with the roster header), streamed: rows are matched and written
/// 2,000 to a transaction as they arrive. The answer is the run's summary; its rows to check
/// (likely matches, unmatched rows, bad rows by row and column) are paged at
/// `/api/v1/roster-imports/{run}/rows`. A body over `max_upload_bytes` is refused with 413: by
/// its `Content-Length` before it is read, or, sent in chunks, when it passes the limit (rows of
/// transactions already committed stay, and the run is marked `too_large`).
#[utoipa::path(post, path = "/api/v1/imports/roster", tag = "journey",
    params(("facility" = i64, Query), ("create_unmatched" = Option<bool>, Query)),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportRun), (status = 403, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn import_roster(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
    body: Body,
) -> Result<Json<ImportRun>, ApiError> {
    let org_id = access::import_roster(&actor)?;
    let facility_id = parse::opt_id("facility", q.get("facility"))
        .map_err(|e| AppError::Invalid(vec![e]))?
        .ok_or_else(|| AppError::keyed("facility", "error-required", &[]))?;
    let create_unmatched = matches!(q.get("create_unmatched"), "true" | "1" | "yes");
    if !known_facility(&state, facility_id).await? {
        return Err(AppError::keyed("facility", "error-unknown-facility", &[]).into());
    }
    let opts = Options {
        org_id,
        facility_id,
        create_unmatched,
        memory: roster::ImportMemory::Server,
    };
    run_import(
        &state,
        actor,
        opts,
        Source::Api,
        body.into_data_stream(),
        limits::is_too_large,
    )
    .await
    .map(Json)
    .map_err(|s| ApiError(stop_error(&state, s)))
}

/// One page (`page`, 1-based, 50 rows) of a roster import's rows to check, with the run's
/// summary. Only admins and supervisors of the organisation that ran it; another
/// organisation's run is not found. Audited.
#[utoipa::path(get, path = "/api/v1/roster-imports/{id}/rows", tag = "journey",
    params(("id" = i64, Path), ("page" = Option<i64>, Query)),
    responses((status = 200, body = RowsPage), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn run_rows(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    IdPath(run): IdPath,
    QueryFields(q): QueryFields,
) -> Result<Json<RowsPage>, ApiError> {
    let page = parse::opt_i64("page", q.get("page"), 1, i64::MAX / roster_runs::PER_PAGE)
        .map_err(|e| AppError::Invalid(vec![e]))?
        .unwrap_or(1);
    Ok(Json(
        state
            .db
            .read(move |tx| roster_runs::view(tx, &actor, run, page))
            .await?,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/roster.html")]
struct UploadPage {
    chrome: Chrome,
    facilities: Vec<Facility>,
    error: Option<String>,
    columns: String,
    limit_mb: String,
}

async fn page(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    error: Option<String>,
) -> Result<UploadPage, PageError> {
    let facilities = state.db.run(orgs::facilities).await?;
    let mut chrome = Chrome::new(actor, "", "/import/roster", csrf, state.config.demo);
    chrome.title = chrome.tr.t("roster-title");
    Ok(UploadPage {
        chrome,
        facilities,
        error,
        columns: roster::HEADER.join(","),
        limit_mb: limits::megabytes(state.config.max_upload_bytes),
    })
}

async fn upload_page(request: Page) -> Result<Response, PageError> {
    let (state, actor, csrf) = request.into_parts();
    access::import_roster(&actor)?;
    Ok(page(&state, &actor, &csrf, None).await?.into_response())
}

fn unreadable(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::TooLarge { limit: 0 };
    }
    AppError::BadRequest {
        field: "file".into(),
        message: format!("the upload could not be read: {e}"),
    }
}

/// A small form field (the CSRF token, the facility): at most `max` bytes.
async fn small_field(
    mut field: axum::extract::multipart::Field<'_>,
    max: usize,
) -> Result<String, AppError> {
    let name = field.name().unwrap_or("").to_string();
    let mut value = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
        if value.len() + chunk.len() > max {
            return Err(AppError::BadRequest {
                field: name,
                message: format!("is longer than {max} bytes"),
            });
        }
        value.extend_from_slice(&chunk);
    }
    String::from_utf8(value).map_err(|_| AppError::BadRequest {
        field: name,
        message: "is not text".into(),
    })
}

fn csrf_refused() -> AppError {
    AppError::BadRequest {
        field: "csrf".into(),
        message: "the form expired or came from another site; reload the page and try again".into(),
    }
}

/// The upload form: `csrf` must be its first part (the page puts the hidden field first, and
/// browsers send a form's parts in document order), then `facility` and `create_unmatched`, then
/// `file` (parts after it are ignored). Nothing of the file is read before the token and the
/// facility have been checked. A finished import is shown on its own page (`/import/roster/{run}`).
async fn upload(
    request: Page,
    headers: axum::http::HeaderMap,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let (state, actor, csrf) = request.into_parts();
    let org_id = access::import_roster(&actor)?;
    let limit = state.config.max_upload_bytes;
    let too_large = |e: AppError| match e {
        AppError::TooLarge { .. } => AppError::TooLarge { limit },
        e => e,
    };
    // The CSRF token first (OWASP ASVS 13.1.x: refuse before reading the rest).
    let token = match form
        .next_field()
        .await
        .map_err(unreadable)
        .map_err(too_large)?
    {
        Some(f) if f.name() == Some("csrf") => small_field(f, 200).await.map_err(too_large)?,
        _ => String::new(),
    };
    if !csrf_matches(
        expected_csrf(&headers, state.config.cookie_secure).as_deref(),
        &token,
    ) {
        return Err(csrf_refused().into());
    }
    let mut facility = String::new();
    let mut create_unmatched = false;
    let file = loop {
        let Some(field) = form
            .next_field()
            .await
            .map_err(unreadable)
            .map_err(too_large)?
        else {
            break None;
        };
        match field.name().unwrap_or("") {
            "file" => break Some(field),
            "facility" => facility = small_field(field, 40).await.map_err(too_large)?,
            "create_unmatched" => create_unmatched = true,
            _ => {}
        }
    };
    let refuse = |msg: &str| {
        let msg = msg.to_string();
        let state = state.clone();
        let actor = actor.clone();
        let csrf = csrf.clone();
        async move {
            Ok::<Response, PageError>(
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    page(&state, &actor, &csrf, Some(msg)).await?,
                )
                    .into_response(),
            )
        }
    };
    let facility_id = match parse::opt_id("facility", &facility) {
        Ok(Some(f)) if known_facility(&state, f).await? => f,
        _ => return refuse("facility: choose the facility the roster comes from").await,
    };
    let Some(file) = file.filter(|f| f.file_name().is_none_or(|n| !n.is_empty())) else {
        return refuse("file: choose a CSV file").await;
    };
    let opts = Options {
        org_id,
        facility_id,
        create_unmatched,
        memory: roster::ImportMemory::Server,
    };
    let outcome = run_import(&state, actor.clone(), opts, Source::Page, file, |e| {
        e.status() == StatusCode::PAYLOAD_TOO_LARGE
    })
    .await;
    match outcome {
        Ok(run) => Ok(Redirect::to(&format!("/import/roster/{}", run.id)).into_response()),
        Err(stop) => match stop_error(&state, stop) {
            AppError::TooLarge { limit } => Ok(limits::too_large_page(limit, true)),
            AppError::Invalid(errs) => {
                let tr =
                    crate::platform::i18n::Tr::new(crate::platform::web::error::request_language());
                let msg = crate::platform::error::FieldError::list_shown(&errs, &tr);
                refuse(&msg).await
            }
            e => Err(e.into()),
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/roster_run.html")]
struct RunPage {
    chrome: Chrome,
    p: RowsPage,
    facility: String,
}

/// A roster import's summary and one page of its rows to check.
async fn run_page(
    request: Page,
    PageId(run): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let (state, actor, csrf) = request.into_parts();
    let page = parse::opt_i64("page", q.get("page"), 1, i64::MAX / roster_runs::PER_PAGE)
        .map_err(|e| AppError::Invalid(vec![e]))?
        .unwrap_or(1);
    let viewer = actor.clone();
    let p = state
        .db
        .read(move |tx| roster_runs::view(tx, &viewer, run, page))
        .await?;
    let facility_id = p.run.facility_id;
    let facility = state
        .db
        .run(move |c| {
            Ok(orgs::facilities(c)?
                .into_iter()
                .find(|f| f.id == facility_id)
                .map(|f| f.name)
                .unwrap_or_default())
        })
        .await?;
    let mut chrome = Chrome::new(&actor, "", "/import/roster", &csrf, state.config.demo);
    chrome.title = chrome.tr.t("roster-run-title");
    Ok(RunPage {
        chrome,
        p,
        facility,
    }
    .into_response())
}
