//! Parsing helpers for journey input: every failure names its field.

use chrono::NaiveDate;

use crate::platform::error::{AppError, FieldError};
use crate::platform::fields;

/// Parse a vocabulary code, listing the allowed codes when it is unknown.
pub fn code<T: Copy>(
    field: &str,
    v: &str,
    all: &[T],
    as_str: fn(&T) -> &'static str,
) -> Result<T, FieldError> {
    all.iter()
        .copied()
        .find(|x| as_str(x) == v.trim())
        .ok_or_else(|| {
            fields::unknown_value(
                field,
                v,
                all.iter().map(as_str).collect::<Vec<_>>().join(", "),
            )
        })
}

/// Dates and times: the product's one parser and plausible range.
pub use crate::platform::fields::{date, datetime};

pub fn opt_date(field: &str, v: Option<&str>) -> Result<Option<NaiveDate>, FieldError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => date(field, s).map(Some),
    }
}

/// Text, trimmed and bounded ([`fields::text`]); an error is kept in `errs`.
pub(super) fn text(
    field: &str,
    v: &str,
    required: bool,
    max: usize,
    errs: &mut Vec<FieldError>,
) -> String {
    fields::text(field, v, max, required).unwrap_or_else(|e| {
        errs.push(e);
        v.trim().to_string()
    })
}

pub(super) fn collect<T>(r: Result<T, FieldError>, errs: &mut Vec<FieldError>) -> Option<T> {
    r.map_err(|e| errs.push(e)).ok()
}

pub(super) fn done<T>(v: Option<T>, errs: Vec<FieldError>) -> Result<T, AppError> {
    match v {
        Some(v) if errs.is_empty() => Ok(v),
        _ => Err(AppError::Invalid(errs)),
    }
}
