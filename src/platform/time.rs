//! The one clock. Timestamps are UTC `NaiveDateTime`, truncated to microseconds so both
//! backends store exactly what was written (PostgreSQL keeps microseconds).

use chrono::{NaiveDateTime, Timelike, Utc};

/// Now, in UTC, at microsecond precision.
pub fn now() -> NaiveDateTime {
    let t = Utc::now().naive_utc();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// Today's date in UTC.
pub fn today() -> chrono::NaiveDate {
    now().date()
}

/// A stable text form used in hashes and CSV: `YYYY-MM-DDTHH:MM:SS.ffffff`.
pub fn canonical(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}
