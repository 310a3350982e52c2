//! The roster upload page and `POST /api/v1/imports/roster`.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::roster::{self, ImportReport, Options};
use crate::organisations::store::{self as orgs, Facility};
use crate::platform::access::{self, Actor};
use crate::platform::error::AppError;
use crate::platform::time;
use crate::platform::web::error::{ApiError, PageError, Problem};
use crate::platform::web::extract::{ApiUser, PageUser, QueryFields, expected_csrf, parse};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, CsrfToken, PageRoute};

pub fn page_routes() -> Vec<PageRoute> {
    vec![PageRoute {
        path: "/import/roster",
        methods: &["GET", "POST"],
        participant_scoped: false,
        handler: get(upload_page).post(upload),
    }]
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    // Rosters are files: this route takes uploads up to the default upload limit.
    OpenApiRouter::new()
        .routes(routes!(import_roster))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::platform::config::Config::default().max_upload_bytes,
        ))
}

fn may_import(actor: &Actor) -> Result<(), AppError> {
    if matches!(actor.role, access::Role::Admin | access::Role::Supervisor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn run(
    state: &AppState,
    actor: Actor,
    facility_id: i64,
    create_unmatched: bool,
    csv: Bytes,
) -> Result<ImportReport, AppError> {
    let (rows, errors) = roster::parse(&csv[..], time::today())
        .map_err(|e| AppError::invalid(format!("row {} {}", e.row, e.column), e.reason))?;
    let db = state.db.clone();
    let facility_ok = {
        let db = db.clone();
        db.run(move |c| Ok(orgs::facilities(c)?.iter().any(|f| f.id == facility_id)))
            .await?
    };
    if !facility_ok {
        return Err(AppError::invalid("facility", "is not a known facility"));
    }
    tokio::task::spawn_blocking(move || {
        let opts = Options {
            org_id: actor.org_id,
            facility_id,
            create_unmatched,
        };
        roster::import(&db, &actor, &opts, &rows, errors, &|_| {})
    })
    .await
    .map_err(AppError::internal)?
}

/// Import a roster (CSV body with the roster header): matches, updates release dates, lists
/// likely matches and unmatched rows, reports bad rows by row and column.
#[utoipa::path(post, path = "/api/v1/imports/roster", tag = "journey",
    params(("facility" = i64, Query), ("create_unmatched" = Option<bool>, Query)),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn import_roster(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    may_import(&actor)?;
    let facility = parse::opt_id("facility", q.get("facility"))
        .map_err(|e| AppError::Invalid(vec![e]))?
        .ok_or_else(|| AppError::invalid("facility", "is required"))?;
    let create = matches!(q.get("create_unmatched"), "true" | "1" | "yes");
    Ok(Json(run(&state, actor, facility, create, body).await?))
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/roster.html")]
struct UploadPage {
    chrome: Chrome,
    facilities: Vec<Facility>,
    report: Option<ImportReport>,
    error: Option<String>,
    columns: String,
}

async fn page(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    report: Option<ImportReport>,
    error: Option<String>,
) -> Result<UploadPage, PageError> {
    let facilities = state.db.run(orgs::facilities).await?;
    Ok(UploadPage {
        chrome: Chrome::new(
            actor,
            "Roster import",
            "/import/roster",
            csrf,
            state.config.demo,
        ),
        facilities,
        report,
        error,
        columns: roster::HEADER.join(","),
    })
}

async fn upload_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
) -> Result<Response, PageError> {
    may_import(&actor)?;
    Ok(page(&state, &actor, &csrf.0, None, None)
        .await?
        .into_response())
}

async fn upload(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    headers: axum::http::HeaderMap,
    mut form: Multipart,
) -> Result<Response, PageError> {
    may_import(&actor)?;
    let mut token = String::new();
    let mut facility = String::new();
    let mut create = false;
    let mut file = Bytes::new();
    while let Some(field) = form.next_field().await.map_err(|e| AppError::BadRequest {
        field: "file".into(),
        message: format!("the upload could not be read: {e}"),
    })? {
        match field.name().unwrap_or("") {
            "csrf" => token = field.text().await.unwrap_or_default(),
            "facility" => facility = field.text().await.unwrap_or_default(),
            "create_unmatched" => create = true,
            "file" => {
                file = field.bytes().await.map_err(|e| AppError::BadRequest {
                    field: "file".into(),
                    message: format!("the file could not be read: {e}"),
                })?;
            }
            _ => {}
        }
    }
    if expected_csrf(&headers, state.config.cookie_secure)
        .is_none_or(|c| c.is_empty() || c != token)
    {
        return Err(AppError::BadRequest {
            field: "csrf".into(),
            message: "the form expired or came from another site; reload the page and try again"
                .into(),
        }
        .into());
    }
    let Ok(Some(facility_id)) = parse::opt_id("facility", &facility) else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                &state,
                &actor,
                &csrf.0,
                None,
                Some("facility: choose the facility the roster comes from".into()),
            )
            .await?,
        )
            .into_response());
    };
    if file.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                &state,
                &actor,
                &csrf.0,
                None,
                Some("file: choose a CSV file".into()),
            )
            .await?,
        )
            .into_response());
    }
    match run(&state, actor.clone(), facility_id, create, file).await {
        Ok(report) => Ok(page(&state, &actor, &csrf.0, Some(report), None)
            .await?
            .into_response()),
        Err(AppError::Invalid(errs)) => {
            let msg = errs
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, &actor, &csrf.0, None, Some(msg)).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
