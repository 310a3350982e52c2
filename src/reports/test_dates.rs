//! Dates for the tests of reports and workforce, written as numbers or as text (test code only:
//! an impossible date is a mistake in the test, so they panic).

use chrono::NaiveDate;

/// The date `y`-`m`-`day`.
pub(crate) fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The date written `YYYY-MM-DD`.
pub(crate) fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
