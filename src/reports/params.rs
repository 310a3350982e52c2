//! The request parameters of reports, parsed at the edge once for the API and the pages: the
//! period, the dashboard filter, a chart's name, a public table's fixed period.

use chrono::{Datelike, Months, NaiveDate};

use super::dashboard::{CHARTS, Filter};
use super::periods::Period;
use crate::journey::rules::Setting;
use crate::platform::access::ReportScope;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields::Fields;
use crate::platform::web::extract::{FormFields, parse};

/// The default period: the twelve calendar months ending with `to`'s month.
pub fn default_from(to: NaiveDate) -> NaiveDate {
    to.with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(11)))
        .unwrap_or(to)
}

/// Parse `from` and `to` (YYYY-MM-DD, inclusive), naming the field.
pub fn period(q: &FormFields, today: NaiveDate) -> AppResult<(NaiveDate, NaiveDate)> {
    let mut f = Fields::new();
    let from = f.take_opt(parse::opt_date("from", q.get("from")));
    let to = f.take_opt(parse::opt_date("to", q.get("to")));
    f.finish()?;
    let to = to.unwrap_or(today);
    checked_period(from.unwrap_or_else(|| default_from(to)), to)
}

/// A report period `from..=to` as asked, or the error naming `from` when it starts after it
/// ends or spans more than ten years (the reports of workforce check theirs here too).
pub fn checked_period(from: NaiveDate, to: NaiveDate) -> AppResult<(NaiveDate, NaiveDate)> {
    if from > to {
        return Err(AppError::keyed("from", "error-after-to", &[]));
    }
    if (to - from).num_days() > 366 * 10 {
        return Err(AppError::keyed("from", "error-period-too-long", &[]));
    }
    Ok((from, to))
}

/// Parse the dashboard filter (`facility`, `setting`, `peer`, `from`, `to`) for `scope`.
pub fn filter(q: &FormFields, scope: ReportScope, today: NaiveDate) -> AppResult<Filter> {
    let mut f = Fields::new();
    let facility_id = f.take_opt(parse::opt_id("facility", q.get("facility")));
    let peer_id = f.take_opt(parse::opt_id("peer", q.get("peer")));
    let setting = match q.get("setting").trim() {
        "" => None,
        s if Setting::parse(s).is_some() => Some(s.to_string()),
        s => {
            f.push(FieldError::keyed(
                "setting",
                "error-not-a-setting",
                &[
                    ("value", format!("{s:?}")),
                    (
                        "allowed",
                        Setting::ALL
                            .iter()
                            .map(Setting::as_str)
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ],
            ));
            None
        }
    };
    let p = period(q, today);
    if let Err(AppError::Invalid(e)) = &p {
        e.iter().cloned().for_each(|e| f.push(e));
    }
    f.finish()?;
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

/// Which chart a CSV download is of (`chart`), naming the field when it is missing or
/// unknown.
pub fn chart_name(q: &FormFields) -> AppResult<String> {
    match q.get("chart").trim() {
        "" => Err(AppError::keyed(
            "chart",
            "error-chart-required",
            &[("allowed", CHARTS.join(", "))],
        )),
        c if CHARTS.contains(&c) => Ok(c.to_string()),
        c => Err(unknown_chart(c)),
    }
}

/// "unknown chart "x"; use one of …".
pub fn unknown_chart(c: &str) -> AppError {
    AppError::keyed(
        "chart",
        "error-unknown-chart",
        &[("value", format!("{c:?}")), ("allowed", CHARTS.join(", "))],
    )
}

/// The fixed reporting period of a public table, parsed at the edge: `period` is a year
/// (`2026`), a quarter (`2026-Q3`) or a month (`2026-07`) that has ended (default: the last
/// quarter that has). Arbitrary `from`/`to` ranges are refused, naming the field: two tables of
/// overlapping ranges could be subtracted (decision 0015).
pub fn public_period(q: &FormFields, today: NaiveDate) -> AppResult<Period> {
    let mut errs: Vec<FieldError> = ["from", "to"]
        .into_iter()
        .filter(|f| !q.get(f).trim().is_empty())
        .map(|f| FieldError::keyed(f, "error-public-fixed-periods", &[]))
        .collect();
    let period = match q.opt("period") {
        None => Some(Period::last_quarter(today)),
        Some(s) => match Period::parse("period", &s) {
            Ok(p) if p.ended_before(today) => Some(p),
            Ok(p) => {
                errs.push(FieldError::keyed(
                    "period",
                    "error-period-not-ended",
                    &[("period", p.to_string())],
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
