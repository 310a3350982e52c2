//! Parsing of workforce form and API input into domain values, each error naming its field.

use chrono::NaiveDate;

use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields;
use crate::platform::vocabulary::{Vocabulary, choices};

/// Text, trimmed and bounded ([`fields::text`]); an error is kept in `errs`.
pub(super) fn text(
    field: &str,
    v: &str,
    max: usize,
    required: bool,
    errs: &mut Vec<FieldError>,
) -> String {
    fields::text(field, v, max, required).unwrap_or_else(|e| {
        errs.push(e);
        v.trim().to_string()
    })
}

pub(super) fn hours(field: &str, v: f64, max: f64, errs: &mut Vec<FieldError>) -> f64 {
    if !(v.is_finite() && v > 0.0 && v <= max) {
        errs.push(FieldError::keyed(
            field,
            "error-hours-above-zero",
            &[("max", max.to_string())],
        ));
    }
    v
}

pub(super) fn amount(field: &str, v: f64, max: f64, errs: &mut Vec<FieldError>) -> f64 {
    if !(v.is_finite() && (0.0..=max).contains(&v)) {
        errs.push(FieldError::keyed(
            field,
            "error-number-from-zero",
            &[("max", max.to_string())],
        ));
    }
    v
}

/// A date in the product's plausible range ([`fields::date`]); an error is kept in `errs`.
pub(super) fn date(field: &str, v: &str, errs: &mut Vec<FieldError>) -> Option<NaiveDate> {
    fields::date(field, v).map_err(|e| errs.push(e)).ok()
}

pub(super) fn opt_date(
    field: &str,
    v: &Option<String>,
    errs: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match v.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => date(field, s, errs),
    }
}

pub(super) fn not_future(
    field: &str,
    d: Option<NaiveDate>,
    today: NaiveDate,
    errs: &mut Vec<FieldError>,
) {
    if d.is_some_and(|d| d > today) {
        errs.push(FieldError::keyed(field, "error-in-the-future", &[]));
    }
}

/// A code of the vocabulary `T` (surrounding whitespace ignored); an unknown one is kept in
/// `errs`, listing the codes.
pub(super) fn code<T: Vocabulary>(field: &str, v: &str, errs: &mut Vec<FieldError>) -> Option<T> {
    let r = T::VALUES.iter().copied().find(|c| c.code() == v.trim());
    if r.is_none() {
        errs.push(fields::unknown_value(field, v, choices::<T>()));
    }
    r
}

/// A number typed into a form field ("" → `None`).
pub fn form_number(field: &str, v: &str, errs: &mut Vec<FieldError>) -> Option<f64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            errs.push(fields::not_a_number(field, v));
            None
        }
    }
}

pub(super) fn done(errs: Vec<FieldError>) -> AppResult<()> {
    if errs.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errs))
    }
}
