//! Input parsed at the edge: one parser per kind of value a form, a query string or a file
//! sends as text (a date, a date and time, an id, a whole number, a bounded text), and one
//! collector that gathers every field's error so that a person sees all of them at once.
//!
//! Every error names its field (`FieldError`), as the problem document and the form show it.
//! Dates have ONE plausible range for the whole product, [`EARLIEST`] to [`LATEST`]: a year
//! outside it is a typing mistake (`0202-05-01`, `20240-01-01`), never a real record, and
//! refusing it here keeps nonsense out of every calculation that counts days. Pure: no I/O.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::error::{AppError, AppResult, FieldError};

/// The first date any record may carry: a date of birth of someone over 120 is a mistake.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("1900-01-01 is a date"),
};

/// The last date any record may carry (credential expiries and planned releases lie ahead, but
/// not by centuries).
pub const LATEST: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => panic!("2199-12-31 is a date"),
};

fn plausible(field: &str, v: &str, d: NaiveDate) -> Result<NaiveDate, FieldError> {
    if (EARLIEST..=LATEST).contains(&d) {
        Ok(d)
    } else {
        Err(FieldError::keyed(
            field,
            "error-implausible-date",
            &[
                ("value", format!("{v:?}")),
                ("from", EARLIEST.to_string()),
                ("to", LATEST.to_string()),
            ],
        ))
    }
}

/// A calendar date written `YYYY-MM-DD`, within the plausible range.
pub fn date(field: &str, v: &str) -> Result<NaiveDate, FieldError> {
    let t = v.trim();
    let d = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
        FieldError::keyed(field, "error-not-a-date", &[("value", format!("{t:?}"))])
    })?;
    plausible(field, t, d)
}

/// [`date`], or `None` for an empty field.
pub fn opt_date(field: &str, v: &str) -> Result<Option<NaiveDate>, FieldError> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        date(field, v).map(Some)
    }
}

/// A wall-clock date and time: `YYYY-MM-DDTHH:MM[:SS]` (what an HTML `datetime-local` input
/// sends) or `YYYY-MM-DD HH:MM`.
pub fn datetime(field: &str, v: &str) -> Result<NaiveDateTime, FieldError> {
    let t = v.trim();
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(t, fmt) {
            plausible(field, t, at.date())?;
            return Ok(at);
        }
    }
    Err(FieldError::keyed(
        field,
        "error-not-a-date-time",
        &[("value", format!("{t:?}"))],
    ))
}

/// [`datetime`], or a bare date meaning its midnight, or `None` for an empty field (the
/// bounds of a search).
pub fn opt_datetime(field: &str, v: &str) -> Result<Option<NaiveDateTime>, FieldError> {
    let t = v.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return plausible(field, t, d).map(|d| Some(d.and_time(chrono::NaiveTime::MIN)));
    }
    datetime(field, t).map(Some)
}

/// A record id, or `None` for an empty field.
pub fn opt_id(field: &str, v: &str) -> Result<Option<i64>, FieldError> {
    let t = v.trim();
    if t.is_empty() {
        Ok(None)
    } else {
        t.parse::<i64>().map(Some).map_err(|_| {
            FieldError::keyed(field, "error-not-an-id", &[("value", format!("{t:?}"))])
        })
    }
}

/// A whole number from `min` to `max`, or `None` for an empty field.
pub fn opt_i64(field: &str, v: &str, min: i64, max: i64) -> Result<Option<i64>, FieldError> {
    let t = v.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(FieldError::keyed(
            field,
            "error-not-a-whole-number",
            &[
                ("value", format!("{t:?}")),
                ("min", min.to_string()),
                ("max", max.to_string()),
            ],
        )),
    }
}

/// A time of day written `HH:MM` (24 hours), or `None` for an empty field.
pub fn opt_time_of_day(field: &str, v: &str) -> Result<Option<NaiveTime>, FieldError> {
    let t = v.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(t, "%H:%M")
        .map(Some)
        .map_err(|_| FieldError::keyed(field, "error-not-a-time", &[("value", format!("{t:?}"))]))
}

/// Text, trimmed, at most `max` characters, and present when `required`.
pub fn text(field: &str, v: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let t = v.trim();
    if required && t.is_empty() {
        Err(FieldError::keyed(field, "error-required", &[]))
    } else if t.chars().count() > max {
        Err(FieldError::keyed(
            field,
            "error-too-long",
            &[("max", max.to_string())],
        ))
    } else {
        Ok(t.to_string())
    }
}

/// `v` (as typed) is none of the codes `allowed` (listed, comma-separated): "unknown value "x";
/// use one of: a, b".
pub fn unknown_value(field: &str, v: &str, allowed: impl Into<String>) -> FieldError {
    FieldError::keyed(
        field,
        "error-unknown-value",
        &[("value", format!("{v:?}")), ("allowed", allowed.into())],
    )
}

/// A number outside its range: "must be from `min` to `max`".
pub fn not_from_to(
    field: &str,
    min: impl std::fmt::Display,
    max: impl std::fmt::Display,
) -> FieldError {
    FieldError::keyed(
        field,
        "error-from-to",
        &[("min", min.to_string()), ("max", max.to_string())],
    )
}

/// `v` (as typed) is not a number: "\"x\" is not a number".
pub fn not_a_number(field: &str, v: &str) -> FieldError {
    FieldError::keyed(field, "error-not-a-number", &[("value", format!("{v:?}"))])
}

/// Gathers the errors of every field of one input, so the answer lists all of them:
///
/// ```ignore
/// let mut f = Fields::new();
/// let born = f.take(fields::date("date_of_birth", &input.date_of_birth));
/// let name = f.take(fields::text("name", &input.name, 200, true));
/// f.finish()?; // 422 naming both fields when both are wrong
/// ```
#[derive(Debug, Default)]
#[must_use = "finish() turns the gathered errors into the answer"]
pub struct Fields {
    errors: Vec<FieldError>,
}

impl Fields {
    pub fn new() -> Self {
        Fields::default()
    }

    /// The value, or `None` with its error kept.
    pub fn take<T>(&mut self, parsed: Result<T, FieldError>) -> Option<T> {
        parsed.map_err(|e| self.errors.push(e)).ok()
    }

    /// An `Option` value from a parser of optional fields; an error counts and gives `None`.
    pub fn take_opt<T>(&mut self, parsed: Result<Option<T>, FieldError>) -> Option<T> {
        self.take(parsed).flatten()
    }

    /// Records an error on `field`, the message `key`, when `wrong`.
    pub fn check(&mut self, wrong: bool, field: &str, key: &'static str) {
        if wrong {
            self.errors.push(FieldError::keyed(field, key, &[]));
        }
    }

    /// Records an error.
    pub fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    /// Whether any field was wrong so far.
    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }

    /// `Ok` when every field was right, or the 422 listing each wrong field.
    pub fn finish(self) -> AppResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.errors))
        }
    }

    /// The gathered errors, for callers that add them to their own list.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_outside_the_plausible_range_names_its_field() {
        assert!(date("born", "1899-12-31").is_err());
        assert!(date("born", "0202-05-01").is_err());
        assert_eq!(
            date("born", " 1900-01-01 ").ok(),
            NaiveDate::from_ymd_opt(1900, 1, 1)
        );
        let e = date("release", "2200-01-01").unwrap_err();
        assert_eq!(e.field, "release");
        assert!(e.message.contains("plausible"), "{}", e.message);
        let e = date("release", "31/12/2024").unwrap_err();
        assert!(e.message.contains("YYYY-MM-DD"), "{}", e.message);
    }

    #[test]
    fn a_time_of_day_is_hours_and_minutes_or_nothing() {
        assert_eq!(opt_time_of_day("starts_at", " ").unwrap(), None);
        assert_eq!(
            opt_time_of_day("starts_at", "09:30").unwrap(),
            NaiveTime::from_hms_opt(9, 30, 0)
        );
        for bad in ["9.30", "25:00", "09:60", "noon"] {
            let e = opt_time_of_day("starts_at", bad).unwrap_err();
            assert_eq!(e.field, "starts_at");
            assert!(e.message.contains("HH:MM"), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn a_date_and_time_takes_the_forms_a_browser_sends() {
        let want = NaiveDate::from_ymd_opt(2026, 3, 8)
            .and_then(|d| d.and_hms_opt(2, 30, 0))
            .unwrap();
        assert_eq!(datetime("at", "2026-03-08T02:30").ok(), Some(want));
        assert_eq!(datetime("at", "2026-03-08T02:30:00").ok(), Some(want));
        assert_eq!(datetime("at", "2026-03-08 02:30").ok(), Some(want));
        assert!(datetime("at", "2026-03-08").is_err());
        assert!(datetime("at", "1850-03-08T02:30").is_err());
        assert_eq!(
            opt_datetime("from", "2026-03-08").unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 8).and_then(|d| d.and_hms_opt(0, 0, 0))
        );
        assert_eq!(opt_datetime("from", "  ").unwrap(), None);
    }

    #[test]
    fn numbers_and_text_are_bounded() {
        assert_eq!(
            opt_i64("limit", "1001", 1, 1000).unwrap_err().field,
            "limit"
        );
        assert_eq!(opt_i64("limit", " 7 ", 1, 1000).unwrap(), Some(7));
        assert_eq!(opt_id("participant", "x").unwrap_err().field, "participant");
        assert_eq!(text("name", "  Ana  ", 10, true).unwrap(), "Ana");
        assert!(text("name", " ", 10, true).is_err());
        assert!(text("name", "Añadió más", 9, false).is_err());
        assert_eq!(text("name", "Añadió", 6, false).unwrap(), "Añadió");
    }

    #[test]
    fn the_collector_reports_every_wrong_field() {
        let mut f = Fields::new();
        assert_eq!(f.take(date("born", "nope")), None);
        assert_eq!(f.take_opt(opt_date("left", "")), None);
        f.check(true, "name", "error-required");
        assert!(f.failed());
        match f.finish() {
            Err(AppError::Invalid(errs)) => {
                let names: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(names, ["born", "name"]);
            }
            other => panic!("expected the two errors, got {other:?}"),
        }
        assert!(Fields::new().finish().is_ok());
    }
}
