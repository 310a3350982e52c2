//! `/api/v1/billing/claims` (a payer's claim lines and rejected lines for a period, as JSON,
//! CSV or the X12 837P file), `/api/v1/billing/grants` (each grant's spending in a period), the
//! administration under `/api/v1/settings/billing/` (payers, grants, the billing provider) and
//! a participant's coverage and encounters' funding under `/api/v1/participants/{id}/billing/`.
//! The operations in `ops.rs` ask the policy, parse the input (`ops::Input`) and audit.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ops::{self, ClaimsReport, GrantSpending, JsonInput};
use super::rules::{Coverage, Grant};
use super::store::{BillingProvider, FundingRow, Payer};
use crate::participants::extract::RecordCall;
use crate::platform::audit::Action;
use crate::platform::error::AppError;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{Api, ApiUser, JsonBody, QueryFields};
use crate::platform::web::formats::csv_response;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(claims))
        .routes(routes!(grants))
        .routes(routes!(list_payers, add_payer))
        .routes(routes!(list_grants, add_grant))
        .routes(routes!(get_provider, put_provider))
        .routes(routes!(list_coverages, add_coverage))
        .routes(routes!(list_funding, set_funding))
}

/// The body as named fields (a JSON object); anything else is refused naming the body.
fn input(body: &JsonBody) -> Result<JsonInput, AppError> {
    Ok(JsonInput(body.parse_or_default()?))
}

/// The claims' formats: JSON (default), CSV, the X12 837P file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
    X12,
}

fn format_of(q: &crate::platform::web::extract::FormFields) -> Result<Format, AppError> {
    match q.get("format") {
        "" | "json" => Ok(Format::Json),
        "csv" => Ok(Format::Csv),
        "x12" => Ok(Format::X12),
        other => Err(AppError::keyed(
            "format",
            "error-unknown-format",
            &[("value", format!("{other:?}"))],
        )),
    }
}

/// A payer's claim-ready peer units (HCPCS H0038 by default) for a period: the billed lines
/// under the payer's rules (units, rounding, HQ for groups, daily cap, group ratio, place of
/// service) and the rejected lines, each with its reason. Admins and supervisors of the
/// organisation; audited with the rows sent.
#[utoipa::path(get, path = "/api/v1/billing/claims", tag = "billing",
    params(
        ("payer" = i64, Query, description = "The payer's id"),
        ("from" = String, Query, description = "YYYY-MM-DD, first date of service"),
        ("to" = String, Query, description = "YYYY-MM-DD, last date of service (inclusive; at most 366 days)"),
        ("format" = Option<String>, Query, description = "json (default), csv, or x12: the ASC X12 837P claim file (005010X222A1) of the billed lines; the billing provider must be recorded first"),
    ),
    responses((status = 200, description = "The claims: JSON, CSV with format=csv, the 837P with format=x12",
            content((ClaimsReport = "application/json"), (String = "text/csv"), (String = "application/edi-x12"))),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn claims(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Response, ApiError> {
    let format = format_of(&q)?;
    if format == Format::X12 {
        let (report, file) = ops::claims_x12(&state.db, &actor, &q).await?;
        let name = format!(
            "claims-{}-{}-{}.x12",
            report.payer.id, report.from, report.to
        );
        return Ok((
            [
                (header::CONTENT_TYPE, "application/edi-x12".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            file,
        )
            .into_response());
    }
    let csv = format == Format::Csv;
    let report = ops::claims(
        &state.db,
        &actor,
        &q,
        if csv {
            Action::BillingClaimsCsv
        } else {
            Action::BillingClaimsJson
        },
    )
    .await?;
    if csv {
        let name = format!(
            "claims-{}-{}-{}.csv",
            report.payer.id, report.from, report.to
        );
        Ok(csv_response(&name, ops::claims_csv(&report)?))
    } else {
        Ok(Json(report).into_response())
    }
}

/// Each grant's spending in a period: the completed encounters it funds (set for the
/// encounter, else the default: the participant's coverage on the date, else the grant whose
/// period holds it) and their minutes.
#[utoipa::path(get, path = "/api/v1/billing/grants", tag = "billing",
    params(
        ("from" = String, Query, description = "YYYY-MM-DD"),
        ("to" = String, Query, description = "YYYY-MM-DD, inclusive"),
    ),
    responses((status = 200, body = Vec<GrantSpending>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn grants(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Json<Vec<GrantSpending>>, ApiError> {
    Ok(Json(ops::grant_spending(&state.db, &actor, &q).await?))
}

// ---------------------------------------------------------------- administration

/// A payer to add (the body's fields; the rules' absent fields take their defaults).
#[allow(dead_code)] // the request body's description; parsed field by field (`ops::Input`)
#[derive(utoipa::ToSchema)]
struct PayerInput {
    name: String,
    /// medicaid, other
    kind: String,
    /// The payer's identifier on an 837 (loops 1000B and 2010BB).
    payer_code: String,
    /// HCPCS code; H0038 when absent.
    procedure_code: Option<String>,
    /// 15 when absent.
    minutes_per_unit: Option<i64>,
    /// whole_units, half_unit (default), round_up
    rounding: Option<String>,
    /// HQ when absent.
    group_modifier: Option<String>,
    /// Most units a participant a day; none when absent.
    daily_unit_cap: Option<i64>,
    /// Largest group one peer may bill (1:N); none when absent.
    max_group_size: Option<i64>,
    /// Charge a unit, in cents.
    unit_rate_cents: Option<i64>,
    /// ICD-10-CM principal diagnosis of the claims; Z65.2 when absent.
    diagnosis_code: Option<String>,
    /// Place-of-service codes that differ from CMS's, by setting (correctional, office, home,
    /// telehealth, telehealth_home, other): `{"telehealth": "10"}`.
    #[schema(value_type = Option<Object>)]
    place_of_service: Option<serde_json::Value>,
}

/// Your programme's payers and their rules (admins and supervisors).
#[utoipa::path(get, path = "/api/v1/settings/billing/payers", tag = "billing",
    responses((status = 200, body = Vec<Payer>), (status = 403, body = Problem)))]
async fn list_payers(api: Api) -> Result<Json<Vec<Payer>>, ApiError> {
    Ok(Json(api.read(ops::payers).await?))
}

/// Add a payer with its rules (admins). Audited.
#[utoipa::path(post, path = "/api/v1/settings/billing/payers", tag = "billing", request_body = PayerInput,
    responses((status = 201, body = Payer), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_payer(api: Api, body: JsonBody) -> Result<(StatusCode, Json<Payer>), ApiError> {
    let input = input(&body)?;
    let p = api
        .write(move |tx, a| ops::add_payer(tx, a, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// A grant to add.
#[allow(dead_code)] // the request body's description; parsed field by field (`ops::Input`)
#[derive(utoipa::ToSchema)]
struct GrantInput {
    name: String,
    funder: String,
    award_number: String,
    /// YYYY-MM-DD, first day of the period
    period_from: String,
    /// YYYY-MM-DD, last day of the period
    period_to: String,
    /// The amount awarded, in cents.
    amount_cents: Option<i64>,
}

/// Your programme's grants (admins and supervisors).
#[utoipa::path(get, path = "/api/v1/settings/billing/grants", tag = "billing",
    responses((status = 200, body = Vec<Grant>), (status = 403, body = Problem)))]
async fn list_grants(api: Api) -> Result<Json<Vec<Grant>>, ApiError> {
    Ok(Json(api.read(ops::grants).await?))
}

/// Add a grant: its name, funder, award number, period and amount (admins). Audited.
#[utoipa::path(post, path = "/api/v1/settings/billing/grants", tag = "billing", request_body = GrantInput,
    responses((status = 201, body = Grant), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_grant(api: Api, body: JsonBody) -> Result<(StatusCode, Json<Grant>), ApiError> {
    let input = input(&body)?;
    let g = api
        .write(move |tx, a| ops::add_grant(tx, a, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(g)))
}

/// Your programme's billing provider as the 837P names it (admins and supervisors); `null`
/// until one is recorded.
#[utoipa::path(get, path = "/api/v1/settings/billing/provider", tag = "billing",
    responses((status = 200, body = Option<BillingProvider>), (status = 403, body = Problem)))]
async fn get_provider(api: Api) -> Result<Json<Option<BillingProvider>>, ApiError> {
    Ok(Json(api.read(ops::billing_provider).await?))
}

/// Record your programme's billing provider (admins): NPI with its check digit, EIN, taxonomy,
/// address, contact and submitter id. The earlier one is kept. Audited.
#[utoipa::path(put, path = "/api/v1/settings/billing/provider", tag = "billing", request_body = BillingProvider,
    responses((status = 200, body = BillingProvider), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_provider(api: Api, body: JsonBody) -> Result<Json<BillingProvider>, ApiError> {
    let input = input(&body)?;
    Ok(Json(
        api.write(move |tx, a| ops::set_billing_provider(tx, a, &input))
            .await?,
    ))
}

/// A coverage to add.
#[allow(dead_code)] // the request body's description; parsed field by field (`ops::Input`)
#[derive(utoipa::ToSchema)]
struct CoverageInput {
    /// One of your programme's payers.
    payer_id: i64,
    /// The plan's name; the payer's when absent.
    plan_name: Option<String>,
    member_id: String,
    /// YYYY-MM-DD, first day covered
    effective_from: String,
    /// YYYY-MM-DD, last day covered; open-ended when absent
    effective_to: Option<String>,
}

/// The participant's coverages (Medicaid plans), newest first (admins and supervisors).
#[utoipa::path(get, path = "/api/v1/participants/{id}/billing/coverages", tag = "billing", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Coverage>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_coverages(call: RecordCall) -> Result<Json<Vec<Coverage>>, ApiError> {
    call.read(ops::coverages).await
}

/// Add the participant's coverage with one of your payers (admins): member id and dates.
#[utoipa::path(post, path = "/api/v1/participants/{id}/billing/coverages", tag = "billing", params(("id" = i64, Path)), request_body = CoverageInput,
    responses((status = 201, body = Coverage), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_coverage(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Coverage>), ApiError> {
    let input = input(&body)?;
    call.create(move |tx, a, id| ops::add_coverage(tx, a, id, &input))
        .await
}

/// A funding source to set.
#[allow(dead_code)] // the request body's description; parsed field by field (`ops::Input`)
#[derive(utoipa::ToSchema)]
struct FundingInput {
    /// One of the participant's encounters.
    encounter_id: i64,
    /// grant, medicaid, other
    kind: String,
    /// With kind grant: one of your grants.
    grant_id: Option<i64>,
    /// With kind medicaid: one of the participant's coverages.
    coverage_id: Option<i64>,
    note: Option<String>,
}

/// The funding sources set for the participant's encounters, current and replaced, oldest
/// first (admins and supervisors).
#[utoipa::path(get, path = "/api/v1/participants/{id}/billing/funding", tag = "billing", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<FundingRow>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_funding(call: RecordCall) -> Result<Json<Vec<FundingRow>>, ApiError> {
    call.read(ops::funding).await
}

/// Set what pays for one of the participant's encounters (admins): a new row; the earlier is
/// kept and names this one as its replacement.
#[utoipa::path(post, path = "/api/v1/participants/{id}/billing/funding", tag = "billing", params(("id" = i64, Path)), request_body = FundingInput,
    responses((status = 201, body = FundingRow), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn set_funding(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<FundingRow>), ApiError> {
    let input = input(&body)?;
    call.create(move |tx, a, id| ops::set_funding(tx, a, id, &input))
        .await
}
