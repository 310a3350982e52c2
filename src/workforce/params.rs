//! The query parameters of the workforce reports, parsed at the edge once for the API and the
//! pages.

use chrono::{Duration, NaiveDate};

use crate::platform::error::AppResult;
use crate::platform::fields::Fields;
use crate::platform::time;
use crate::platform::web::extract::{FormFields, parse};
use crate::reports::params::checked_period;

/// The period of a report: `from` and `to` (YYYY-MM-DD, inclusive; default the last 365 days).
pub fn period(q: &FormFields) -> AppResult<(NaiveDate, NaiveDate)> {
    let mut f = Fields::new();
    let to = f.take_opt(parse::opt_date("to", q.get("to")));
    let from = f.take_opt(parse::opt_date("from", q.get("from")));
    f.finish()?;
    let to = to.unwrap_or_else(time::today);
    checked_period(from.unwrap_or(to - Duration::days(364)), to)
}
