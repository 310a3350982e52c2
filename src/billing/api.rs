//! `/api/v1/billing/claims` (a payer's claim lines and rejected lines for a period, as JSON or
//! CSV) and `/api/v1/billing/grants` (each grant's spending in a period). The operations in
//! `ops.rs` ask the policy, parse the query and audit.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ops::{self, ClaimsReport, GrantSpending};
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{ApiUser, QueryFields};
use crate::platform::web::formats::{csv_response, wants_csv};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(claims))
        .routes(routes!(grants))
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
        ("format" = Option<String>, Query, description = "json (default) or csv"),
    ),
    responses((status = 200, description = "The claims: JSON, or CSV with format=csv",
            content((ClaimsReport = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn claims(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Response, ApiError> {
    let csv = wants_csv(&q)?;
    let report = ops::claims(&state.db, &actor, &q, if csv { "csv" } else { "json" }).await?;
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
