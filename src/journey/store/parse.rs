//! Parsing helpers for journey input: every failure names its field.

use chrono::{NaiveDate, NaiveDateTime};

use crate::platform::error::{AppError, FieldError};

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
            FieldError::new(
                field,
                format!(
                    "unknown value {v:?}; use one of: {}",
                    all.iter().map(as_str).collect::<Vec<_>>().join(", ")
                ),
            )
        })
}

pub fn date(field: &str, v: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, format!("{v:?} is not a date (YYYY-MM-DD)")))
}

pub fn opt_date(field: &str, v: Option<&str>) -> Result<Option<NaiveDate>, FieldError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => date(field, s).map(Some),
    }
}

pub fn datetime(field: &str, v: &str) -> Result<NaiveDateTime, FieldError> {
    let v = v.trim();
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(v, fmt) {
            return Ok(t);
        }
    }
    Err(FieldError::new(
        field,
        format!("{v:?} is not a date and time (YYYY-MM-DDTHH:MM)"),
    ))
}

pub(super) fn text(
    field: &str,
    v: &str,
    required: bool,
    max: usize,
    errs: &mut Vec<FieldError>,
) -> String {
    let v = v.trim();
    if required && v.is_empty() {
        errs.push(FieldError::new(field, "is required"));
    } else if v.chars().count() > max {
        errs.push(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    v.to_string()
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
