//! Test fixtures shared by the unit and property tests of the journey rules: dates, instants, a
//! default high-risk window, and generators of dates, instants and contact offsets.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use proptest::prelude::*;

use super::*;

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

pub(super) fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d)
        .and_hms_opt(h, min, 0)
        .expect("valid test time")
}

pub(super) fn default_window() -> RiskWindow {
    RiskWindow::new(at(2025, 3, 10, 9, 0), ContactTargets::default())
}

pub(super) fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 1900-01-01 .. about 2150.
    (0i64..91_000).prop_map(|d| date(1900, 1, 1) + TimeDelta::days(d))
}

pub(super) fn any_time() -> impl Strategy<Value = NaiveDateTime> {
    // 2000-01-01 .. about 2060, minute resolution.
    (0i64..32_000_000).prop_map(|m| at(2000, 1, 1, 0, 0) + TimeDelta::minutes(m))
}

/// Contacts as minute offsets from release, some before it and some after the window.
pub(super) fn any_offsets() -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(-3_000i64..50_000, 0..8)
}

pub(super) fn contacts_from(released_at: NaiveDateTime, offsets: &[i64]) -> Vec<NaiveDateTime> {
    offsets
        .iter()
        .map(|m| released_at + TimeDelta::minutes(*m))
        .collect()
}
