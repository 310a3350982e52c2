//! `/api/v1/reports/{dashboard,dashboard.csv,gpra}`, `/api/v1/participants/{id}/gpra` and
//! `/api/v1/exports/…` (datasets as CSV, the XLSX workbook, public suppressed tables).
//!
//! Every handler asks `platform::access` first (`access::reports` for programme figures and
//! exports, `access::participant` for one person's interviews) and parses input after it.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Months, NaiveDate};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dashboard::{self, CHARTS, Chart, Dashboard, Filter};
use super::exports;
use super::gpra::GpraInterview;
use super::periods::Period;
use super::store::{self, GpraRecord, Tracker};
use crate::journey::rules::Setting;
use crate::platform::access::{self, Actor, Need, ReportScope};
use crate::platform::audit::{self, Event};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::report_cache::Freshness;
use crate::platform::time;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{
    ApiUser, FormFields, IdPath, JsonBody, QueryFields, RecentlyAuthenticated, parse,
};

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

// ---------------------------------------------------------------- filters

/// The default period: the twelve calendar months ending with `to`'s month.
pub fn default_from(to: NaiveDate) -> NaiveDate {
    to.with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(11)))
        .unwrap_or(to)
}

/// Parse `from` and `to` (YYYY-MM-DD, inclusive), naming the field.
pub fn period(q: &FormFields, today: NaiveDate) -> AppResult<(NaiveDate, NaiveDate)> {
    let mut errs: Vec<FieldError> = Vec::new();
    let from = parse::opt_date("from", q.get("from"))
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let to = parse::opt_date("to", q.get("to"))
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| default_from(to));
    if from > to {
        return Err(AppError::invalid("from", "is after to"));
    }
    if (to - from).num_days() > 366 * 10 {
        return Err(AppError::invalid(
            "from",
            "the period is longer than ten years",
        ));
    }
    Ok((from, to))
}

/// Parse the dashboard filter (`facility`, `setting`, `peer`, `from`, `to`) for `scope`.
pub fn filter(q: &FormFields, scope: ReportScope, today: NaiveDate) -> AppResult<Filter> {
    let mut errs: Vec<FieldError> = Vec::new();
    let facility_id = parse::opt_id("facility", q.get("facility"))
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let peer_id = parse::opt_id("peer", q.get("peer"))
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let setting = match q.get("setting").trim() {
        "" => None,
        s if Setting::parse(s).is_some() => Some(s.to_string()),
        s => {
            errs.push(FieldError::new(
                "setting",
                format!(
                    "{s:?} is not a setting; use one of {}",
                    Setting::ALL
                        .iter()
                        .map(super::super::journey::rules::Setting::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            None
        }
    };
    let p = period(q, today);
    if let Err(AppError::Invalid(e)) = &p {
        errs.extend(e.iter().cloned());
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let (from, to) = p?;
    Ok(Filter {
        org_id: scope.org_id(),
        facility_id,
        setting,
        peer_id,
        from,
        to,
    })
}

/// The dashboard for the caller's programme (audited as a report view). The figures come from
/// the report cache when nothing they read has been written since (decision 0010).
pub async fn load_dashboard(
    state: &AppState,
    actor: &Actor,
    f: Filter,
) -> AppResult<(Dashboard, Freshness)> {
    let who = actor.who();
    let detail = format!(
        "{} to {}; facility {:?}; setting {:?}; peer {:?}",
        f.from, f.to, f.facility_id, f.setting, f.peer_id
    );
    let key = format!("dashboard|{f:?}|{}", time::today());
    let (d, fresh) = state
        .db
        .reports
        .get_or_compute(&state.db, f.org_id, key, move |c| {
            dashboard::dashboard(c, &f)
        })
        .await?;
    state
        .db
        .write(move |tx| {
            audit::append(
                tx,
                &who,
                Event::new("reports.dashboard", "report", None).detail(detail),
            )
        })
        .await?;
    Ok(((*d).clone(), fresh))
}

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
    let chart: &Chart = d.charts.iter().find(|c| c.name == name).ok_or_else(|| {
        AppError::invalid(
            "chart",
            format!("unknown chart {name:?}; use one of {}", CHARTS.join(", ")),
        )
    })?;
    Ok(csv_download(
        &format!("{name}.csv"),
        chart.csv()?.into_bytes(),
    ))
}

fn chart_name(q: &FormFields) -> AppResult<String> {
    match q.get("chart").trim() {
        "" => Err(AppError::invalid(
            "chart",
            format!("is required with CSV; use one of {}", CHARTS.join(", ")),
        )),
        c if CHARTS.contains(&c) => Ok(c.to_string()),
        c => Err(AppError::invalid(
            "chart",
            format!("unknown chart {c:?}; use one of {}", CHARTS.join(", ")),
        )),
    }
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
    let scope = access::reports(&actor)?;
    let csv = crate::workforce::api::wants_csv(&q)?;
    let chart = if csv { Some(chart_name(&q)?) } else { None };
    let f = filter(&q, scope, time::today())?;
    let (d, fresh) = load_dashboard(&state, &actor, f).await?;
    match chart {
        Some(name) => Ok((fresh.header(), chart_csv(&d, &name)?).into_response()),
        None => Ok((fresh.header(), Json(d)).into_response()),
    }
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
    let scope = access::reports(&actor)?;
    let name = chart_name(&q)?;
    let f = filter(&q, scope, time::today())?;
    let (d, fresh) = load_dashboard(&state, &actor, f).await?;
    Ok((fresh.header(), chart_csv(&d, &name)?).into_response())
}

// ---------------------------------------------------------------- GPRA

/// The programme's GPRA tracker (audited as a report view; cached per data version and day).
pub async fn load_tracker(state: &AppState, actor: &Actor) -> AppResult<(Tracker, Freshness)> {
    let scope = access::reports(actor)?;
    let who = actor.who();
    let today = time::today();
    let (t, fresh) = state
        .db
        .reports
        .get_or_compute(
            &state.db,
            scope.org_id(),
            format!("gpra|{today}"),
            move |c| store::tracker(c, scope, today),
        )
        .await?;
    state
        .db
        .write(move |tx| audit::append(tx, &who, Event::new("reports.gpra", "report", None)))
        .await?;
    Ok(((*t).clone(), fresh))
}

/// GPRA tracker: who is due for the 6-month follow-up, in the window (and overdue), missed,
/// and the live follow-up rate against the 80% target (only interviews inside the window count).
#[utoipa::path(get, path = "/api/v1/reports/gpra", tag = "reports",
    responses((status = 200, body = Tracker), (status = 403, body = Problem)))]
async fn gpra_tracker(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Response, ApiError> {
    let (t, fresh) = load_tracker(&state, &actor).await?;
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
        s.db.write(move |tx| {
            let g = access::participant(
                tx,
                &a,
                id,
                Need::Read(crate::consent::rules::Category::Assessments),
                Event::new("gpra.read", "gpra", None),
            )?;
            store::interviews(tx.conn(), &g)
        })
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
        s.db.write(move |tx| {
            let g = access::participant(
                tx,
                &a,
                id,
                Need::Write,
                Event::new("gpra.write", "gpra", None),
            )?;
            let input: GpraInterview = body.parse()?;
            store::validate(&input, time::today())?;
            store::record(tx, &g, Some(a.user_id), &input)
        })
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

async fn audit_export(
    state: &AppState,
    actor: &Actor,
    action: &str,
    detail: String,
) -> AppResult<()> {
    let who = actor.who();
    let action = action.to_string();
    state
        .db
        .write(move |tx| {
            audit::append(tx, &who, Event::new(&action, "export", None).detail(detail))?;
            Ok(())
        })
        .await
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
    let n = state.db.run(move |c| exports::count(c, scope, ds)).await?;
    let source = if ds.name == "encounter_topics" {
        " (encounters)"
    } else {
        ""
    };
    audit_export(
        &state,
        &actor,
        "export.csv",
        format!("dataset={} rows={n}{source}", ds.name),
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
    audit_export(
        &state,
        &actor,
        "export.xlsx",
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

/// The fixed reporting period of a public table, parsed at the edge: `period` is a year
/// (`2026`), a quarter (`2026-Q3`) or a month (`2026-07`) that has ended (default: the last
/// quarter that has). Arbitrary `from`/`to` ranges are refused, naming the field: two tables of
/// overlapping ranges could be subtracted (decision 0015).
pub fn public_period(q: &FormFields, today: NaiveDate) -> AppResult<Period> {
    let mut errs: Vec<FieldError> = ["from", "to"]
        .into_iter()
        .filter(|f| !q.get(f).trim().is_empty())
        .map(|f| {
            FieldError::new(
                f,
                "public tables are published only for fixed periods; use period=2026, \
                 period=2026-Q3 or period=2026-07",
            )
        })
        .collect();
    let period = match q.opt("period") {
        None => Some(Period::last_quarter(today)),
        Some(s) => match Period::parse("period", &s) {
            Ok(p) if p.ended_before(today) => Some(p),
            Ok(p) => {
                errs.push(FieldError::new(
                    "period",
                    format!("{p} has not ended; public tables are published for finished periods"),
                ));
                None
            }
            Err(e) => {
                errs.push(e);
                None
            }
        },
    };
    match period {
        Some(p) if errs.is_empty() => Ok(p),
        _ => Err(AppError::Invalid(errs)),
    }
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
    let period = public_period(&q, time::today())?;
    let n2 = name.clone();
    let safe = state
        .db
        .run(move |c| exports::public_for_period(c, scope, &n2, period))
        .await?;
    audit_export(
        &state,
        &actor,
        "export.public",
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
