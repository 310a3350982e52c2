//! Date and time arithmetic for the journey rules that never panics: it saturates at the ends of
//! the calendar instead.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

/// `date + days`, saturating at the ends of the calendar instead of panicking.
pub(super) fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let saturated = if days < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    };
    TimeDelta::try_days(days)
        .and_then(|delta| date.checked_add_signed(delta))
        .unwrap_or(saturated)
}

/// `at + delta`, saturating at the end of time; `None` delta means "too large to represent".
pub(super) fn add_forward(at: NaiveDateTime, delta: Option<TimeDelta>) -> NaiveDateTime {
    delta
        .and_then(|delta| at.checked_add_signed(delta))
        .unwrap_or(NaiveDateTime::MAX)
}
