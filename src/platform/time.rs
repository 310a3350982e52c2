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

/// A stored instant (UTC `NaiveDateTime`) as the JSON API sends it: RFC 3339 with the offset
/// `Z` and microseconds, e.g. `2026-12-01T02:06:43.123456Z` (RFC 3339 section 5.6, `date-time`
/// requires the offset). For `#[serde(serialize_with = "crate::platform::time::rfc3339")]` on a
/// `NaiveDateTime` or `Option<NaiveDateTime>` field; the field's schema stays `format: date-time`.
pub fn rfc3339<T: UtcInstant + ?Sized, S: serde::Serializer>(
    value: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value.instant() {
        Some(t) => s.serialize_str(&rfc3339_text(t)),
        None => s.serialize_none(),
    }
}

/// The RFC 3339 text of a stored UTC instant (`Z`, microseconds).
pub fn rfc3339_text(t: NaiveDateTime) -> String {
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// What [`rfc3339`] serializes: an instant stored as UTC, or an optional one.
pub trait UtcInstant {
    fn instant(&self) -> Option<NaiveDateTime>;
}

impl UtcInstant for NaiveDateTime {
    fn instant(&self) -> Option<NaiveDateTime> {
        Some(*self)
    }
}

impl UtcInstant for Option<NaiveDateTime> {
    fn instant(&self) -> Option<NaiveDateTime> {
        *self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_sent_as_rfc3339_with_the_utc_offset() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_micro_opt(2, 6, 43, 123_456)
            .unwrap();
        let v = serde_json::to_value(Wrapper { at: t, maybe: None }).unwrap();
        assert_eq!(v["at"], "2026-12-01T02:06:43.123456Z");
        assert!(v["maybe"].is_null());
        let parsed = chrono::DateTime::parse_from_rfc3339(v["at"].as_str().unwrap()).unwrap();
        assert_eq!(parsed.naive_utc(), t);
        let v = serde_json::to_value(Wrapper {
            at: t,
            maybe: Some(t),
        })
        .unwrap();
        assert_eq!(v["maybe"], "2026-12-01T02:06:43.123456Z");
    }

    #[derive(serde::Serialize)]
    struct Wrapper {
        #[serde(serialize_with = "rfc3339")]
        at: NaiveDateTime,
        #[serde(serialize_with = "rfc3339")]
        maybe: Option<NaiveDateTime>,
    }
}
