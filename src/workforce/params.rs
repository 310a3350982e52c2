//! The query parameters of the workforce reports, parsed at the edge once for the API and the
//! pages.

use chrono::{Duration, NaiveDate};

use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::time;
use crate::platform::web::extract::{FormFields, parse};

/// The period of a report: `from` and `to` (YYYY-MM-DD, inclusive; default the last 365 days).
pub fn period(q: &FormFields) -> AppResult<(NaiveDate, NaiveDate)> {
    let mut errs: Vec<FieldError> = Vec::new();
    let mut date = |field| {
        parse::opt_date(field, q.get(field))
            .map_err(|e| errs.push(e))
            .ok()
            .flatten()
    };
    let (to, from) = (date("to"), date("from"));
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let to = to.unwrap_or_else(time::today);
    let from = from.unwrap_or(to - Duration::days(364));
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
