//! The one clock. Timestamps are UTC `NaiveDateTime`, truncated to microseconds so both
//! backends store exactly what was written (PostgreSQL keeps microseconds).
//!
//! [`Zone`] is an organisation's clock (decision 0040): the day it is there, an instant as its
//! people read it, and a wall-clock time they type as the instant it means. Storage stays UTC.

use chrono::offset::LocalResult;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;

use super::db::DbConn;
use super::error::{AppResult, FieldError};
use super::schema::organisations;

/// Now, in UTC, at microsecond precision.
pub fn now() -> NaiveDateTime {
    let t = Utc::now().naive_utc();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// Today's date in UTC. What a programme means by "today" is [`Zone::today`].
pub fn today() -> chrono::NaiveDate {
    now().date()
}

/// An organisation's time zone: a name of the tz database (`America/Chicago`), compiled in
/// (`chrono-tz`). An organisation that has not set one is on [`Zone::UTC`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(Tz);

impl Default for Zone {
    fn default() -> Self {
        Zone::UTC
    }
}

impl Zone {
    /// Coordinated Universal Time: the clock of an organisation that has not set its zone.
    pub const UTC: Zone = Zone(Tz::UTC);

    /// A zone by its tz database name (`America/Chicago`); anything else is an error naming
    /// `field`.
    pub fn parse(field: &str, name: &str) -> Result<Zone, FieldError> {
        let t = name.trim();
        t.parse::<Tz>().map(Zone).map_err(|_| {
            FieldError::keyed(
                field,
                "error-not-a-time-zone",
                &[("value", format!("{t:?}"))],
            )
        })
    }

    /// A stored name; one the tz database no longer knows is read as UTC.
    pub fn from_stored(name: Option<&str>) -> Zone {
        name.and_then(|n| n.parse::<Tz>().ok())
            .map_or(Zone::UTC, Zone)
    }

    /// Its tz database name (`America/Chicago`, `UTC`).
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The local date now: the programme's "today".
    pub fn today(&self) -> NaiveDate {
        self.date_of(now())
    }

    /// The local date at the UTC instant `at`.
    pub fn date_of(&self, at: NaiveDateTime) -> NaiveDate {
        self.to_local(at).date_naive()
    }

    /// The UTC instant `at` on this zone's clock.
    pub fn to_local(&self, at: NaiveDateTime) -> DateTime<Tz> {
        self.0.from_utc_datetime(&at)
    }

    /// The wall-clock time at the UTC instant `at` (what a `datetime-local` input shows).
    pub fn wall_clock(&self, at: NaiveDateTime) -> NaiveDateTime {
        self.to_local(at).naive_local()
    }

    /// The UTC instant a wall-clock time in this zone means. When the clocks go back, a time of
    /// the repeated hour is ambiguous: the earlier instant (the first time the clock showed it).
    /// When they go forward, a time of the skipped hour never happened: an error naming `field`.
    pub fn from_local(
        &self,
        field: &str,
        wall: NaiveDateTime,
    ) -> Result<NaiveDateTime, FieldError> {
        match self.0.from_local_datetime(&wall) {
            LocalResult::Single(t) => Ok(t.naive_utc()),
            LocalResult::Ambiguous(earlier, _) => Ok(earlier.naive_utc()),
            LocalResult::None => Err(FieldError::keyed(
                field,
                "error-clocks-went-forward",
                &[
                    ("time", wall.format("%Y-%m-%d %H:%M").to_string()),
                    ("zone", self.name().to_string()),
                ],
            )),
        }
    }

    /// The first instant of the local date `d` (its midnight, or when the day began if the
    /// clocks went forward at midnight).
    pub fn start_of(&self, d: NaiveDate) -> NaiveDateTime {
        let midnight = d.and_time(chrono::NaiveTime::MIN);
        (0..=24)
            .find_map(|h| {
                self.from_local("", midnight + chrono::Duration::hours(h))
                    .ok()
            })
            .unwrap_or(midnight)
    }

    /// A date and time typed by a person or sent by a client: with an offset (RFC 3339,
    /// `2026-03-08T03:00:00Z`, `2026-03-07T21:00-06:00`) the exact instant; without one
    /// (`2026-03-07T21:00`), a wall-clock time in this zone ([`Zone::from_local`]). The UTC
    /// instant, or an error naming `field`.
    pub fn instant(&self, field: &str, v: &str) -> Result<NaiveDateTime, FieldError> {
        let t = v.trim();
        if let Some(at) = exact(t) {
            super::fields::date(field, &at.date().format("%Y-%m-%d").to_string())?;
            return Ok(at);
        }
        let wall = super::fields::datetime(field, t)?;
        self.from_local(field, wall)
    }

    /// [`Zone::instant`] for an input the parser of its record reads next: the text rewritten
    /// as the UTC wall-clock time it means (`YYYY-MM-DDTHH:MM:SS`). An empty text, or one that
    /// is not a date and time, is left for that parser to refuse in its own words; a time that
    /// did not happen here is refused now.
    pub fn to_utc_text(&self, field: &str, v: &str) -> Result<String, FieldError> {
        let t = v.trim();
        let at = match exact(t) {
            Some(at) => at,
            None => match super::fields::datetime(field, t) {
                Ok(wall) => self.from_local(field, wall)?,
                Err(_) => return Ok(v.to_string()),
            },
        };
        Ok(at.format("%Y-%m-%dT%H:%M:%S").to_string())
    }

    /// An instant as its people read it: `3 Mar 2026, 9:15 pm CST`.
    pub fn show(&self, at: impl Stored) -> String {
        self.to_local(at.utc())
            .format("%-d %b %Y, %-I:%M %P %Z")
            .to_string()
    }

    /// [`Zone::show`] in a language (the page's): `3 mar 2026, 21:15 CST` in Spanish.
    pub fn show_in(&self, at: impl Stored, tr: super::i18n::Tr) -> String {
        if tr.lang == super::i18n::Language::En {
            return self.show(at);
        }
        let local = self.to_local(at.utc());
        tr.local_time(&local.naive_local(), &local.format("%Z").to_string(), false)
    }

    /// [`Zone::show`] with the seconds (the audit log): `3 Mar 2026, 9:15:07 pm CST`.
    pub fn show_seconds(&self, at: impl Stored) -> String {
        self.to_local(at.utc())
            .format("%-d %b %Y, %-I:%M:%S %P %Z")
            .to_string()
    }

    /// The abbreviation in force at `at` (`CST`, `CDT`, `UTC`).
    pub fn abbreviation(&self, at: NaiveDateTime) -> String {
        self.to_local(at).format("%Z").to_string()
    }
}

/// The UTC instant a text with an offset names (RFC 3339, or `YYYY-MM-DDTHH:MM±HH:MM`), at
/// microsecond precision; `None` for a text without one.
fn exact(t: &str) -> Option<NaiveDateTime> {
    let at = DateTime::parse_from_rfc3339(t)
        .or_else(|_| DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M%#z"))
        .ok()?
        .naive_utc();
    Some(
        at.with_nanosecond(at.nanosecond() / 1000 * 1000)
            .unwrap_or(at),
    )
}

/// A stored UTC instant, or a reference to one however deep (as templates pass them).
pub trait Stored {
    fn utc(&self) -> NaiveDateTime;
}

impl Stored for NaiveDateTime {
    fn utc(&self) -> NaiveDateTime {
        *self
    }
}

impl<T: Stored + ?Sized> Stored for &T {
    fn utc(&self) -> NaiveDateTime {
        (**self).utc()
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The zone organisation `org_id` keeps its clock in ([`Zone::UTC`] until it sets one).
pub fn zone_of(conn: &mut DbConn, org_id: i64) -> AppResult<Zone> {
    let name: Option<Option<String>> = organisations::table
        .find(org_id)
        .select(organisations::time_zone)
        .first(conn)
        .optional()?;
    Ok(Zone::from_stored(name.flatten().as_deref()))
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

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn chicago() -> Zone {
        Zone::parse("time_zone", "America/Chicago").unwrap()
    }

    #[test]
    fn a_zone_is_a_name_of_the_tz_database() {
        assert_eq!(chicago().name(), "America/Chicago");
        let e = Zone::parse("time_zone", "America/Springfield").unwrap_err();
        assert_eq!(e.field, "time_zone");
        assert!(e.message.contains("America/Springfield"), "{}", e.message);
        assert_eq!(Zone::from_stored(None), Zone::UTC);
        assert_eq!(Zone::from_stored(Some("Mars/Olympus")), Zone::UTC);
    }

    #[test]
    fn an_evening_in_texas_is_the_next_day_in_utc() {
        let z = chicago();
        let stored = z.instant("occurred_at", "2026-03-07T21:00").unwrap();
        assert_eq!(stored, at(2026, 3, 8, 3, 0));
        assert_eq!(z.show(stored), "7 Mar 2026, 9:00 pm CST");
        assert_eq!(z.wall_clock(stored), at(2026, 3, 7, 21, 0));
        // With an offset, the exact instant, whatever the zone.
        for exact in [
            "2026-03-08T03:00:00Z",
            "2026-03-07T21:00:00-06:00",
            "2026-03-07T21:00-06:00",
        ] {
            assert_eq!(z.instant("occurred_at", exact).unwrap(), stored, "{exact}");
            assert_eq!(
                Zone::UTC.instant("occurred_at", exact).unwrap(),
                stored,
                "{exact}"
            );
        }
        assert_eq!(
            z.to_utc_text("occurred_at", "2026-03-07 21:00").unwrap(),
            "2026-03-08T03:00:00"
        );
        assert_eq!(
            z.to_utc_text("occurred_at", "last week").unwrap(),
            "last week"
        );
    }

    #[test]
    fn today_at_half_past_eleven_at_night_is_the_local_date() {
        let z = chicago();
        // 23:30 CST on 10 Jan is 05:30 UTC on 11 Jan.
        let late = z.instant("t", "2026-01-10T23:30").unwrap();
        assert_eq!(late, at(2026, 1, 11, 5, 30));
        assert_eq!(late.date(), NaiveDate::from_ymd_opt(2026, 1, 11).unwrap());
        assert_eq!(
            z.date_of(late),
            NaiveDate::from_ymd_opt(2026, 1, 10).unwrap()
        );
        // Local midnight is when the day turns.
        assert_eq!(
            z.start_of(NaiveDate::from_ymd_opt(2026, 1, 11).unwrap()),
            at(2026, 1, 11, 6, 0)
        );
        assert_eq!(
            z.date_of(at(2026, 1, 11, 6, 0)),
            NaiveDate::from_ymd_opt(2026, 1, 11).unwrap()
        );
        assert_eq!(
            z.date_of(at(2026, 1, 11, 5, 59)),
            NaiveDate::from_ymd_opt(2026, 1, 10).unwrap()
        );
    }

    #[test]
    fn spring_forward_a_skipped_time_is_refused_naming_its_field() {
        let z = chicago();
        // 2026-03-08: 02:00 CST becomes 03:00 CDT; 02:30 never happened.
        let e = z.instant("occurred_at", "2026-03-08T02:30").unwrap_err();
        assert_eq!(e.field, "occurred_at");
        assert!(e.message.contains("did not happen"), "{}", e.message);
        assert!(z.to_utc_text("occurred_at", "2026-03-08T02:30").is_err());
        assert_eq!(
            z.instant("t", "2026-03-08T01:59").unwrap(),
            at(2026, 3, 8, 7, 59)
        );
        assert_eq!(
            z.instant("t", "2026-03-08T03:00").unwrap(),
            at(2026, 3, 8, 8, 0)
        );
        // Local 01:00 to 03:00 that night is one real hour.
        let one = z.instant("t", "2026-03-08T01:00").unwrap();
        let three = z.instant("t", "2026-03-08T03:00").unwrap();
        assert_eq!(three - one, chrono::Duration::hours(1));
        assert_eq!(z.show(three), "8 Mar 2026, 3:00 am CDT");
    }

    #[test]
    fn fall_back_the_repeated_hour_is_its_first_time_and_deadlines_are_real_hours() {
        let z = chicago();
        // 2026-11-01: 02:00 CDT becomes 01:00 CST; 01:30 happens twice: the first (CDT).
        let first_contact = z.instant("occurred_at", "2026-11-01T01:30").unwrap();
        assert_eq!(first_contact, at(2026, 11, 1, 6, 30));
        assert_eq!(z.show(first_contact), "1 Nov 2026, 1:30 am CDT");
        assert_eq!(z.show(at(2026, 11, 1, 7, 30)), "1 Nov 2026, 1:30 am CST");
        // 24 real hours after 18:00 the evening before, the wall clock shows 17:00
        // (journey::rules::window tests the deadline itself).
        let released = z.instant("released_at", "2026-10-31T18:00").unwrap();
        let due = released + chrono::Duration::hours(24);
        assert_eq!(z.wall_clock(due), at(2026, 11, 1, 17, 0));
        assert!(first_contact < due);
    }

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
