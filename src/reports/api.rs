//! `/api/v1/reports/{dashboard,dashboard.csv,gpra}`, `/api/v1/participants/{id}/gpra` and
//! `/api/v1/exports/…` (datasets as CSV, the XLSX workbook, public suppressed tables).
//!
//! Every handler asks `platform::access` first (`access::reports` for programme figures and
//! exports; one person's interviews through `ops`) and parses input after it; the audited
//! views and writes are operations in `ops.rs`, the shared query parameters in `params.rs`.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dashboard::{Chart, Dashboard};
use super::exports;
use super::gpra::GpraInterview;
use super::ops;
use super::params::{chart_name, filter, public_period};
use super::store::{GpraRecord, Tracker};
use crate::platform::access::{self, Actor};
use crate::platform::audit::Action;
use crate::platform::error::{AppError, AppResult};
use crate::platform::i18n::Tr;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{
    ApiUser, FormFields, IdPath, JsonBody, QueryFields, RecentlyAuthenticated,
};
use crate::platform::web::formats::wants_csv;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dashboard_json))
        .routes(routes!(dashboard_csv))
        .routes(routes!(gpra_tracker))
        .routes(routes!(list_gpra, record_gpra))
        .routes(routes!(export_workbook))
        .routes(routes!(export_dataset))
        .routes(routes!(export_public))
}

// ---------------------------------------------------------------- dashboard

pub fn csv_download(name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

fn chart_csv(d: &Dashboard, name: &str) -> AppResult<Response> {
    let chart: &Chart = d
        .charts
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| super::params::unknown_chart(name))?;
    Ok(csv_download(
        &format!("{name}.csv"),
        chart.csv()?.into_bytes(),
    ))
}

/// The programme dashboard: every chart's numbers. Admins and supervisors, own organisation.
/// `?format=csv&chart=<name>` for one chart as CSV.
#[utoipa::path(get, path = "/api/v1/reports/dashboard", tag = "reports",
    params(
        ("facility" = Option<i64>, Query, description = "Only episodes at this facility"),
        ("setting" = Option<String>, Query, description = "short_term, medium_term, long_term, community"),
        ("peer" = Option<i64>, Query, description = "Only participants assigned to this peer"),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD (default: the first day of the month 11 months before `to`)"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD, inclusive (default: today)"),
        ("format" = Option<String>, Query, description = "json (default) or csv"),
        ("chart" = Option<String>, Query, description = "With format=csv: which chart"),
    ),
    responses((status = 200, body = Dashboard), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn dashboard_json(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Response, ApiError> {
    dashboard(&state, &actor, &q, chart_if_csv).await
}

/// With `?format=csv`, the chart asked for (required); otherwise none.
fn chart_if_csv(q: &FormFields) -> AppResult<Option<String>> {
    wants_csv(q)?.then(|| chart_name(q)).transpose()
}

/// One dashboard chart's numbers as CSV (`?chart=<name>` and the dashboard's filters).
#[utoipa::path(get, path = "/api/v1/reports/dashboard.csv", tag = "reports",
    params(
        ("chart" = String, Query, description = "enrolments, releases, first_contact_days, linkage, barc10, followups, recidivism, overdose, discharges"),
        ("facility" = Option<i64>, Query), ("setting" = Option<String>, Query), ("peer" = Option<i64>, Query),
        ("from" = Option<String>, Query), ("to" = Option<String>, Query),
    ),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn dashboard_csv(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Response, ApiError> {
    dashboard(&state, &actor, &q, |q| chart_name(q).map(Some)).await
}

/// The dashboard of the caller's programme for the filters in `q`: as JSON, or as CSV the one
/// chart `chart` reads from `q`. The policy answers before any parameter is read.
async fn dashboard(
    state: &AppState,
    actor: &Actor,
    q: &FormFields,
    chart: impl FnOnce(&FormFields) -> AppResult<Option<String>>,
) -> Result<Response, ApiError> {
    let scope = access::reports(actor)?;
    let chart = chart(q)?;
    let f = filter(q, scope, actor.zone.today())?;
    let (d, fresh) = ops::load_dashboard(&state.db, actor, f, Tr::default()).await?;
    match chart {
        Some(name) => Ok((fresh.header(), chart_csv(&d, &name)?).into_response()),
        None => Ok((fresh.header(), Json(d)).into_response()),
    }
}

// ---------------------------------------------------------------- GPRA

/// GPRA tracker: who is due for the 6-month follow-up, in the window (and overdue), missed,
/// and the live follow-up rate against the 80% target (only interviews inside the window count).
#[utoipa::path(get, path = "/api/v1/reports/gpra", tag = "reports",
    responses((status = 200, body = Tracker), (status = 403, body = Problem)))]
async fn gpra_tracker(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Response, ApiError> {
    let (t, fresh) = ops::load_tracker(&state.db, &actor).await?;
    Ok((fresh.header(), Json(t)).into_response())
}

/// One participant's GPRA interviews, oldest first.
#[utoipa::path(get, path = "/api/v1/participants/{id}/gpra", tag = "reports", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<GpraRecord>), (status = 404, body = Problem)))]
async fn list_gpra(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    IdPath(id): IdPath,
) -> Result<Json<Vec<GpraRecord>>, ApiError> {
    Ok(Json(
        s.db.write(move |tx| ops::gpra_interviews(tx, &a, id))
            .await?,
    ))
}

/// Record a GPRA interview (intake, six_month or discharge) with its sections: substance use,
/// living conditions, education/employment/income, crime and criminal justice, health, social
/// connectedness. Client type defaults to "client in recovery".
#[utoipa::path(post, path = "/api/v1/participants/{id}/gpra", tag = "reports", params(("id" = i64, Path)),
    request_body(content = Object, description = "A GPRA interview: timepoint, client_type, interview_on (YYYY-MM-DD) and the section fields of reports::gpra::GpraInterview"),
    responses((status = 201, body = GpraRecord), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_gpra(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    IdPath(id): IdPath,
    body: JsonBody,
) -> Result<(StatusCode, Json<GpraRecord>), ApiError> {
    let out =
        s.db.write(move |tx| ops::record_gpra(tx, &a, id, || body.parse::<GpraInterview>()))
            .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

// ---------------------------------------------------------------- exports

fn stream_of(rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>) -> Body {
    Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|x| (x, rx))
    }))
}

fn attachment(content_type: &str, name: &str, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// One dataset as CSV, one row per record: participants, episodes, encounters,
/// encounter_topics, barc10_assessments, stage_records, referrals, followups, gpra_interviews;
/// or `dictionary.csv` (every column's meaning). Streamed in pages. Audited with the row count.
#[utoipa::path(get, path = "/api/v1/exports/{file}", tag = "reports",
    params(("file" = String, Path, description = "<dataset>.csv or dictionary.csv")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn export_dataset(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    _recent: RecentlyAuthenticated,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let scope = access::reports(&actor)?;
    let name = file.strip_suffix(".csv").ok_or(AppError::NotFound)?;
    if name == "dictionary" {
        return Ok(csv_download("dictionary.csv", exports::dictionary_csv()?));
    }
    let ds = exports::dataset(name).ok_or(AppError::NotFound)?;
    // Recorded before the first byte leaves; the rows are counted as they are sent and
    // recorded when the last has gone (counting them first made a large export wait seconds
    // for its first byte).
    ops::record_export(
        &state.db,
        &actor,
        Action::ExportCsv,
        format!("dataset={} started", ds.name),
    )
    .await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let db = state.db.clone();
    tokio::spawn(async move {
        let sender = tx.clone();
        let r = db
            .run(move |c| {
                exports::write_csv(c, scope, ds, |chunk| {
                    sender.blocking_send(Ok(Bytes::from(chunk))).is_ok()
                })
            })
            .await;
        let source = if ds.name == "encounter_topics" {
            " (one row per topic of each encounter)"
        } else {
            ""
        };
        let detail = match &r {
            Ok(sent) if sent.complete => format!("dataset={} rows={}{source}", ds.name, sent.rows),
            Ok(sent) => format!(
                "dataset={} rows={}{source}, stopped: the download was closed",
                ds.name, sent.rows
            ),
            Err(_) => format!("dataset={} failed", ds.name),
        };
        // The entry is committed before the stream ends, so whoever reads the whole file can
        // find it in the audit log.
        if let Err(e) = ops::record_export(&db, &actor, Action::ExportCsvSent, detail).await {
            tracing::error!(error = %e, dataset = ds.name, "could not record the export's end");
        }
        if let Err(e) = r {
            tracing::error!(error = %e, dataset = ds.name, "export failed");
            let _ = tx
                .send(Err(std::io::Error::other("the export failed")))
                .await;
        }
    });
    Ok(attachment(
        "text/csv; charset=utf-8",
        &format!("{}.csv", ds.name),
        stream_of(rx),
    ))
}

/// Every dataset in one XLSX workbook (a sheet per dataset, one row per record, and a
/// `dictionary` sheet). Audited with the row count of each dataset.
#[utoipa::path(get, path = "/api/v1/exports/workbook.xlsx", tag = "reports",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = Problem)))]
async fn export_workbook(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    _recent: RecentlyAuthenticated,
) -> Result<Response, ApiError> {
    let scope = access::reports(&actor)?;
    let (file, counts) = state
        .db
        .run(move |c| {
            let file = tempfile::NamedTempFile::new().map_err(AppError::internal)?;
            let counts = exports::write_workbook(c, scope, file.path())?;
            Ok((file, counts))
        })
        .await?;
    let detail = counts
        .iter()
        .map(|(n, c)| format!("{n}={c}"))
        .collect::<Vec<_>>()
        .join(" ");
    ops::record_export(
        &state.db,
        &actor,
        Action::ExportXlsx,
        format!("workbook rows: {detail}"),
    )
    .await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let mut f = match file.reopen() {
            Ok(f) => f,
            Err(e) => {
                let _ = tx.blocking_send(Err(e));
                return;
            }
        };
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match f.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if tx
                        .blocking_send(Ok(Bytes::copy_from_slice(&buf[..n])))
                        .is_err()
                    {
                        break;
                    }
                }
                Err(e) => {
                    let _ = tx.blocking_send(Err(e));
                    break;
                }
            }
        }
        drop(file);
    });
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "throughcare.xlsx",
        stream_of(rx),
    ))
}

/// A de-identified aggregate table fit to publish: counts of people, every figure from 1 to 10
/// hidden (`*`) together with the figures that would reveal it, also across every other public
/// table of the same year (its months, quarters and the year; decision 0015).
/// `releases_by_month_setting.csv` or `linkage_by_referral_type.csv`, for a fixed `period`.
#[utoipa::path(get, path = "/api/v1/exports/public/{file}", tag = "reports",
    params(
        ("file" = String, Path, description = "releases_by_month_setting.csv or linkage_by_referral_type.csv"),
        ("period" = Option<String>, Query, description = "A finished year (2026), quarter (2026-Q3) or month (2026-07); default: the last finished quarter. from/to are refused (422)"),
    ),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn export_public(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(file): Path<String>,
    QueryFields(q): QueryFields,
) -> Result<Response, ApiError> {
    let scope = access::reports(&actor)?;
    let name = file
        .strip_suffix(".csv")
        .filter(|n| exports::PUBLIC_TABLES.iter().any(|(t, _)| t == n))
        .ok_or(AppError::NotFound)?
        .to_string();
    let period = public_period(&q, actor.zone.today())?;
    let n2 = name.clone();
    let safe = state
        .db
        .run(move |c| exports::public_for_period(c, scope, &n2, period))
        .await?;
    ops::record_export(
        &state.db,
        &actor,
        Action::ExportPublic,
        format!(
            "table={name} period={period}; {} figures suppressed",
            safe.suppressed_count()
        ),
    )
    .await?;
    let head = if name.starts_with("releases") {
        "month"
    } else {
        "referral_type"
    };
    Ok(csv_download(
        &format!("{name}-{period}.csv"),
        exports::suppressed_csv(head, &safe)?,
    ))
}
