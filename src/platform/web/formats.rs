//! The response formats a report offers besides JSON: `?format=json|csv`, parsed at the edge,
//! and a CSV body sent as a download.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::extract::FormFields;
use crate::platform::error::{AppError, AppResult};

/// Whether the query asks for CSV: `format` is `json` (the default) or `csv`; anything else is
/// an error naming the field.
pub fn wants_csv(q: &FormFields) -> AppResult<bool> {
    match q.get("format") {
        "" | "json" => Ok(false),
        "csv" => Ok(true),
        other => Err(AppError::keyed(
            "format",
            "error-unknown-format",
            &[("value", format!("{other:?}"))],
        )),
    }
}

/// `body` as a CSV file named `name` (RFC 4180 `text/csv`, UTF-8; RFC 6266 attachment).
pub fn csv_response(name: &str, body: String) -> Response {
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
