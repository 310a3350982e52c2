//! Finding a person by what staff know of them, typed into one box (issue 16): a name, with
//! accents and case ignored ("Pena" finds "Peña"); a booking number, state ID / DIN or
//! supervision case number, as typed or with its spaces and dashes left out; or a date of birth,
//! `1984-03-07` or `03/07/1984`. This module reads what was typed into what is sought; the store
//! (`store::search`) finds it among the people the access policy's `SearchScope` allows.
//!
//! It is pure: no I/O, no database. Names are folded by `matching::normalize_name`, the same
//! fold stored in `participants.search_first_name` and `search_last_name` (decision 0036).

use chrono::NaiveDate;
use serde::Serialize;

use super::matching;
use crate::platform::error::FieldError;
use crate::platform::fields::{EARLIEST, LATEST};

/// At most this many words of a name are compared (a full name, never a sentence).
const MAX_NAME_WORDS: usize = 4;

/// What a search looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sought {
    /// The start of a first name, a last name, or both in either order: folded words.
    Name(Vec<String>),
    DateOfBirth(NaiveDate),
    /// An identifier of any kind, normalised as stored (letters and digits, upper case).
    Identifier(String),
    /// A name and a date of birth together (what medical personnel know of a patient).
    NameAndDateOfBirth(Vec<String>, NaiveDate),
}

impl Sought {
    /// Read the search box `field`: a date of birth (ISO or US order), an identifier (anything
    /// else with a digit in it) or a name.
    pub fn parse(field: &str, text: &str) -> Result<Sought, FieldError> {
        let t = text.trim();
        if t.chars().count() > 100 {
            return Err(FieldError::keyed(
                field,
                "error-too-long",
                &[("max", "100".into())],
            ));
        }
        if let Some(d) = date_of_birth(t) {
            return Ok(Sought::DateOfBirth(d));
        }
        if t.chars().any(|c| c.is_ascii_digit()) {
            return matching::normalize_identifier("any", t)
                .map(|(_, v)| Sought::Identifier(v))
                .ok_or_else(|| nothing(field));
        }
        name_words(t)
            .map(Sought::Name)
            .ok_or_else(|| nothing(field))
    }

    /// Read a name (`name_field`) and a date of birth (`dob_field`), both required: the search
    /// of an emergency, which must not list everyone with a common name or birthday.
    pub fn parse_name_and_date_of_birth(
        name_field: &str,
        name: &str,
        dob_field: &str,
        dob: &str,
    ) -> Result<Sought, Vec<FieldError>> {
        let words = name_words(name.trim());
        let date = date_of_birth(dob.trim());
        let mut errs = Vec::new();
        if words.is_none() {
            errs.push(FieldError::keyed(name_field, "error-type-the-name", &[]));
        }
        if date.is_none() {
            errs.push(FieldError::keyed(
                dob_field,
                "error-type-the-date-of-birth",
                &[],
            ));
        }
        match (words, date) {
            (Some(w), Some(d)) => Ok(Sought::NameAndDateOfBirth(w, d)),
            _ => Err(errs),
        }
    }

    /// What kind of search this is, for the audit log (never what was typed: it may be a name).
    pub fn kind(&self) -> &'static str {
        match self {
            Sought::Name(_) => "name",
            Sought::DateOfBirth(_) => "date_of_birth",
            Sought::Identifier(_) => "identifier",
            Sought::NameAndDateOfBirth(..) => "name_and_date_of_birth",
        }
    }
}

/// The folded words of a name, at most [`MAX_NAME_WORDS`]; `None` if it has none.
fn name_words(t: &str) -> Option<Vec<String>> {
    let words: Vec<String> = matching::normalize_name(t)
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(MAX_NAME_WORDS)
        .map(str::to_string)
        .collect();
    (!words.is_empty()).then_some(words)
}

fn nothing(field: &str) -> FieldError {
    FieldError::keyed(field, "error-type-what-to-search", &[])
}

/// `1984-03-07` or `03/07/1984` (`3/7/1984`), within the product's plausible dates.
fn date_of_birth(t: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%m/%d/%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        .filter(|d| (EARLIEST..=LATEST).contains(d))
}

/// The ways a name search may be split between first and last name: the first word and the
/// rest, and all but the last word and the last ("maria jose pena", "jose de la cruz"). Each
/// is tried in both orders by the store. Empty for one word.
pub fn name_splits(words: &[String]) -> Vec<(String, String)> {
    if words.len() < 2 {
        return vec![];
    }
    let n = words.len();
    let mut out = vec![(words[0].clone(), words[1..].join(" "))];
    if n > 2 {
        out.push((words[..n - 1].join(" "), words[n - 1].clone()));
    }
    out
}

/// The upper bound of the strings that start with `prefix` (byte order, as the folded columns
/// are compared): `prefix <= s < upper(prefix)`, a range an index answers.
pub fn upper(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// What a result matched on: shown beside the person, so staff see why they were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchedOn {
    Name,
    DateOfBirth,
    BookingNumber,
    StateId,
    SupervisionCase,
}

impl MatchedOn {
    /// The identifier kind stored in `participant_identifiers.kind`.
    pub fn of_identifier(kind: &str) -> MatchedOn {
        match kind {
            "booking_number" => MatchedOn::BookingNumber,
            "state_id" => MatchedOn::StateId,
            _ => MatchedOn::SupervisionCase,
        }
    }

    /// The code a page's message names it by (`matched-on-{code}`).
    pub fn code(self) -> &'static str {
        match self {
            MatchedOn::Name => "name",
            MatchedOn::DateOfBirth => "date_of_birth",
            MatchedOn::BookingNumber => "booking_number",
            MatchedOn::StateId => "state_id",
            MatchedOn::SupervisionCase => "supervision_case",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MatchedOn::Name => "Name",
            MatchedOn::DateOfBirth => "Date of birth",
            MatchedOn::BookingNumber => "Booking number",
            MatchedOn::StateId => "State ID / DIN",
            MatchedOn::SupervisionCase => "Supervision case number",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Sought, FieldError> {
        Sought::parse("q", t)
    }

    #[test]
    fn names_are_folded_words() {
        assert_eq!(parse(" Peña "), Ok(Sought::Name(vec!["pena".into()])));
        assert_eq!(
            parse("JOSÉ  o'brien"),
            Ok(Sought::Name(vec!["jose".into(), "obrien".into()]))
        );
        assert!(parse("?!").is_err());
        assert!(parse("   ").is_err());
    }

    #[test]
    fn dates_of_birth_in_iso_and_us_order() {
        let d = NaiveDate::from_ymd_opt(1984, 3, 7).unwrap();
        assert_eq!(parse("1984-03-07"), Ok(Sought::DateOfBirth(d)));
        assert_eq!(parse("03/07/1984"), Ok(Sought::DateOfBirth(d)));
        assert_eq!(parse("3/7/1984"), Ok(Sought::DateOfBirth(d)));
        // Not a plausible date: then it is an identifier.
        assert_eq!(
            parse("0202-05-01"),
            Ok(Sought::Identifier("02020501".into()))
        );
    }

    #[test]
    fn identifiers_lose_spaces_and_dashes() {
        assert_eq!(parse("bk-ux 001"), Ok(Sought::Identifier("BKUX001".into())));
        assert_eq!(parse("2024-CR-0042").map(|s| s.kind()), Ok("identifier"));
    }

    #[test]
    fn an_emergency_search_needs_both_name_and_date_of_birth() {
        let d = NaiveDate::from_ymd_opt(1984, 3, 7).unwrap();
        assert_eq!(
            Sought::parse_name_and_date_of_birth("name", "Peña", "dob", "03/07/1984"),
            Ok(Sought::NameAndDateOfBirth(vec!["pena".into()], d))
        );
        let errs = Sought::parse_name_and_date_of_birth("name", " ", "dob", "soon").unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "dob"]);
    }

    #[test]
    fn splits_of_a_full_name() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert!(name_splits(&w("pena")).is_empty());
        assert_eq!(
            name_splits(&w("jose pena")),
            vec![("jose".into(), "pena".into())]
        );
        assert_eq!(
            name_splits(&w("maria jose pena")),
            vec![
                ("maria".into(), "jose pena".into()),
                ("maria jose".into(), "pena".into())
            ]
        );
    }

    #[test]
    fn a_prefix_range_holds_what_starts_with_it() {
        let u = upper("pen");
        for s in ["pen", "pena", "penaobrien", "pen z", "pen\u{fffd}"] {
            assert!(s >= "pen" && s < u.as_str(), "{s}");
        }
        for s in ["pem", "peo", "pe"] {
            assert!(!(s >= "pen" && s < u.as_str()), "{s}");
        }
    }
}
