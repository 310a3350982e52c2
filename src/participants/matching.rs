//! Identity matching for finding duplicate participant records.
//!
//! This module owns the rules that say when two participant records are likely the same person:
//! name normalisation, identifier normalisation, date-of-birth variants (day and month transposed)
//! and the pairwise comparison with its reasons and score. A match is a candidate for a person to
//! review: duplicates are merged by staff, never silently (twins, for example, share a birth date
//! and often a surname).
//!
//! It is pure: no I/O, no database. [`dob_variants`] lets the caller prefilter candidates by date
//! of birth in a query, then call [`compare`] on each.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Jaro-Winkler similarity of normalised full names at or above which names count as similar.
pub const NAME_SIMILARITY_THRESHOLD: f64 = 0.88;

/// Apostrophes and hyphens: removed without a trace, so the parts they join are joined
/// ("O'Brien" and "OBrien" are the same name; so are "Núñez-López" and "NunezLopez").
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}' // left single quotation mark
            | '\u{2019}' // right single quotation mark (typographic apostrophe)
            | '\u{02BC}' // modifier letter apostrophe
            | '`'
            | '\u{00B4}' // acute accent used as an apostrophe
            | '\u{FF07}' // fullwidth apostrophe
            | '-'
            | '\u{2010}'
            ..='\u{2015}' // hyphen, non-breaking hyphen, figure dash, en/em dash, bar
            | '\u{2212}' // minus sign
            | '\u{FE63}' // small hyphen-minus
            | '\u{FF0D}' // fullwidth hyphen-minus
    )
}

/// Latin letters that Unicode does not decompose into a base letter and a mark.
fn fold_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'ŧ' => "t",
        _ => return None,
    })
}

/// Normalises a name for comparison.
///
/// Steps: Unicode compatibility decomposition (NFKD, which also folds full-width letters and
/// ligatures), combining marks removed (accents: "Núñez" -> "nunez"), lowercase, a few letters
/// without a decomposition folded (ß -> ss, æ -> ae, ø -> o, ł -> l, ...), apostrophes and hyphens
/// removed so the parts join ("O'Brien-Núñez" -> "obriennunez"), every other character that is not a
/// letter or digit treated as a space, and runs of spaces collapsed and trimmed.
///
/// Letters of any script are kept. The result may be empty (for example for "?" or "-").
pub fn normalize_name(s: &str) -> String {
    fn push(piece: &str, out: &mut String, pending_space: &mut bool) {
        if *pending_space && !out.is_empty() {
            out.push(' ');
        }
        *pending_space = false;
        out.push_str(piece);
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars().filter(|c| !is_joiner(*c)).nfkd() {
        for lower in c.to_lowercase() {
            if is_combining_mark(lower) || is_joiner(lower) {
                continue;
            }
            if let Some(folded) = fold_letter(lower) {
                push(folded, &mut out, &mut pending_space);
            } else if lower.is_alphanumeric() {
                let mut buf = [0u8; 4];
                push(lower.encode_utf8(&mut buf), &mut out, &mut pending_space);
            } else {
                pending_space = true;
            }
        }
    }
    out
}

/// Normalises an external identifier (booking number, state ID / DIN, supervision case number).
///
/// The kind is lowercased with every run of non-alphanumeric characters turned into one `_`
/// ("State ID" -> "state_id"). The value keeps only letters and digits, uppercased
/// ("12-a 3456" -> "12A3456"); leading zeros are kept. Returns `None` if either part is empty.
pub fn normalize_identifier(kind: &str, value: &str) -> Option<(String, String)> {
    let mut norm_kind = String::with_capacity(kind.len());
    for c in kind.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            norm_kind.extend(c.to_lowercase());
        } else if !norm_kind.is_empty() && !norm_kind.ends_with('_') {
            norm_kind.push('_');
        }
    }
    let norm_kind = norm_kind.trim_end_matches('_').to_owned();
    let norm_value: String = value
        .nfkd()
        .filter(|c| c.is_alphanumeric() && !is_combining_mark(*c))
        .flat_map(char::to_uppercase)
        .collect();
    if norm_kind.is_empty() || norm_value.is_empty() {
        None
    } else {
        Some((norm_kind, norm_value))
    }
}

/// `d`, and `d` with day and month swapped when that is a different valid date (day <= 12 and
/// day != month). Use it to prefilter duplicate candidates by date of birth.
pub fn dob_variants(d: NaiveDate) -> Vec<NaiveDate> {
    let mut variants = vec![d];
    if d.day() <= 12
        && d.day() != d.month()
        && let Some(swapped) = NaiveDate::from_ymd_opt(d.year(), d.day(), d.month())
    {
        variants.push(swapped);
    }
    variants
}

/// What identifies a participant for duplicate matching.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonKey {
    /// Given name as recorded.
    pub first_name: String,
    /// Family name as recorded.
    pub last_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// External identifiers as `(kind, value)`, e.g. `("booking_number", "2025-001234")`.
    pub identifiers: Vec<(String, String)>,
}

/// Why two records look like the same person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum MatchReason {
    /// Both have the same identifier (kind and value, after normalisation).
    SameIdentifier {
        /// Normalised identifier kind, e.g. `state_id`.
        kind: String,
    },
    /// Same normalised name and same date of birth.
    SameNameAndDob,
    /// Similar name (Jaro-Winkler >= [`NAME_SIMILARITY_THRESHOLD`]) and same date of birth.
    SimilarNameSameDob,
    /// Dates of birth with day and month swapped, and the same or a similar name.
    TransposedDob,
    /// First and last names swapped, with the same (or transposed) date of birth.
    NameSwapped,
}

impl MatchReason {
    /// Stable snake_case code of the reason (the serde tag).
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::SameIdentifier { .. } => "same_identifier",
            Self::SameNameAndDob => "same_name_and_dob",
            Self::SimilarNameSameDob => "similar_name_same_dob",
            Self::TransposedDob => "transposed_dob",
            Self::NameSwapped => "name_swapped",
        }
    }

    /// Human-readable English label.
    pub const fn label(&self) -> &'static str {
        match self {
            Self::SameIdentifier { .. } => "Same identifier",
            Self::SameNameAndDob => "Same name and date of birth",
            Self::SimilarNameSameDob => "Similar name, same date of birth",
            Self::TransposedDob => "Date of birth with day and month swapped",
            Self::NameSwapped => "First and last name swapped",
        }
    }
}

/// A likely match between two records, for a person to review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Match {
    /// Why the records look alike: shared identifiers first (by kind), then name and birth date.
    pub reasons: Vec<MatchReason>,
    /// Strength of the evidence, from 0 (none) to 1 (certain). Higher means review first.
    pub score: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum NameRelation {
    Exact,
    Swapped,
    Similar(f64),
}

impl NameRelation {
    /// Similarity in 0..=1 used for the score.
    fn similarity(self) -> f64 {
        match self {
            Self::Exact => 1.0,
            Self::Swapped => 0.9,
            Self::Similar(s) => s,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DobRelation {
    Same,
    Transposed,
}

struct NormalizedName {
    first: String,
    last: String,
    full: String,
}

impl NormalizedName {
    fn of(key: &PersonKey) -> Self {
        let first = normalize_name(&key.first_name);
        let last = normalize_name(&key.last_name);
        let full = [first.as_str(), last.as_str()]
            .iter()
            .filter(|part| !part.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        Self { first, last, full }
    }
}

/// Jaro-Winkler similarity, made exactly symmetric.
fn name_similarity(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b).max(strsim::jaro_winkler(b, a))
}

fn name_relation(a: &NormalizedName, b: &NormalizedName) -> Option<NameRelation> {
    if a.full.is_empty() || b.full.is_empty() {
        // A blank name is no evidence: it must never match every other blank name.
        return None;
    }
    if a.full == b.full {
        return Some(NameRelation::Exact);
    }
    let parts_present = [&a.first, &a.last, &b.first, &b.last]
        .iter()
        .all(|part| !part.is_empty());
    if parts_present && a.first == b.last && a.last == b.first {
        return Some(NameRelation::Swapped);
    }
    let similarity = name_similarity(&a.full, &b.full);
    (similarity >= NAME_SIMILARITY_THRESHOLD).then_some(NameRelation::Similar(similarity))
}

fn dob_relation(a: NaiveDate, b: NaiveDate) -> Option<DobRelation> {
    if a == b {
        Some(DobRelation::Same)
    } else if dob_variants(a).contains(&b) {
        Some(DobRelation::Transposed)
    } else {
        None
    }
}

fn normalized_identifiers(key: &PersonKey) -> BTreeSet<(String, String)> {
    key.identifiers
        .iter()
        .filter_map(|(kind, value)| normalize_identifier(kind, value))
        .collect()
}

/// Compares two records and returns a likely match, or `None`.
///
/// A likely match is either a shared identifier (same kind and value after
/// [`normalize_identifier`]), or the same date of birth (or day and month transposed) together with
/// the same name, a similar name (Jaro-Winkler of normalised full names >=
/// [`NAME_SIMILARITY_THRESHOLD`]) or first and last names swapped. Symmetric: `compare(a, b)` equals
/// `compare(b, a)`.
///
/// Score: each shared identifier kind is strong evidence (0.95); name and birth date give
/// `0.9 * name similarity * (1.0 same date, 0.8 transposed)`; independent evidence is combined as
/// `1 - (1 - p1)(1 - p2)...`.
pub fn compare(a: &PersonKey, b: &PersonKey) -> Option<Match> {
    compare_prepared(&Prepared::of(a), &Prepared::of(b))
}

/// A [`PersonKey`] normalised once, to be compared with many others ([`compare_prepared`]): a
/// roster import compares each new row with every person born on a nearby date.
pub struct Prepared {
    date_of_birth: NaiveDate,
    name: NormalizedName,
    ids: BTreeSet<(String, String)>,
}

impl Prepared {
    pub fn of(key: &PersonKey) -> Prepared {
        Prepared {
            date_of_birth: key.date_of_birth,
            name: NormalizedName::of(key),
            ids: normalized_identifiers(key),
        }
    }
}

/// [`compare`] of two keys normalised beforehand (the same answer).
pub fn compare_prepared(a: &Prepared, b: &Prepared) -> Option<Match> {
    let shared_kinds: BTreeSet<&str> = a
        .ids
        .intersection(&b.ids)
        .map(|(kind, _)| kind.as_str())
        .collect();

    let mut reasons: Vec<MatchReason> = shared_kinds
        .iter()
        .map(|kind| MatchReason::SameIdentifier {
            kind: (*kind).to_owned(),
        })
        .collect();
    let mut no_match_probability =
        0.05_f64.powi(i32::try_from(shared_kinds.len()).unwrap_or(i32::MAX));

    let dob = dob_relation(a.date_of_birth, b.date_of_birth);
    if dob.is_none() && shared_kinds.is_empty() {
        // Neither evidence can hold: skip the name comparison.
        return None;
    }
    let name = name_relation(&a.name, &b.name);
    if let (Some(dob), Some(name)) = (dob, name) {
        match (dob, name) {
            (DobRelation::Same, NameRelation::Exact) => reasons.push(MatchReason::SameNameAndDob),
            (DobRelation::Same, NameRelation::Similar(_)) => {
                reasons.push(MatchReason::SimilarNameSameDob);
            }
            (DobRelation::Same, NameRelation::Swapped) => reasons.push(MatchReason::NameSwapped),
            (DobRelation::Transposed, NameRelation::Swapped) => {
                reasons.push(MatchReason::TransposedDob);
                reasons.push(MatchReason::NameSwapped);
            }
            (DobRelation::Transposed, _) => reasons.push(MatchReason::TransposedDob),
        }
        let dob_factor = match dob {
            DobRelation::Same => 1.0,
            DobRelation::Transposed => 0.8,
        };
        no_match_probability *= 1.0 - 0.9 * name.similarity() * dob_factor;
    }

    if reasons.is_empty() {
        return None;
    }
    Some(Match {
        reasons,
        score: (1.0 - no_match_probability).clamp(0.0, 1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn key(first: &str, last: &str, dob: NaiveDate) -> PersonKey {
        PersonKey {
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            date_of_birth: dob,
            identifiers: Vec::new(),
        }
    }

    fn with_id(mut k: PersonKey, kind: &str, value: &str) -> PersonKey {
        k.identifiers.push((kind.to_owned(), value.to_owned()));
        k
    }

    #[test]
    fn normalize_name_examples() {
        assert_eq!(normalize_name("O'Brien-Núñez"), "obriennunez");
        assert_eq!(normalize_name("  José   María "), "jose maria");
        assert_eq!(normalize_name("SMITH"), "smith");
        assert_eq!(normalize_name("D’Angelo"), "dangelo");
        assert_eq!(normalize_name("St. John, Jr."), "st john jr");
        assert_eq!(normalize_name("Strauß"), "strauss");
        assert_eq!(normalize_name("Łukasz Øster"), "lukasz oster");
        assert_eq!(normalize_name("Ｊｏｈｎ"), "john");
        assert_eq!(normalize_name("İbrahim"), "ibrahim");
        assert_eq!(normalize_name("Nguyễn"), "nguyen");
        assert_eq!(normalize_name("王 小明"), "王 小明");
        assert_eq!(normalize_name("?- '"), "");
        assert_eq!(normalize_name(""), "");
    }

    #[test]
    fn normalize_identifier_examples() {
        assert_eq!(
            normalize_identifier("State ID", " 12-a 3456 "),
            Some(("state_id".to_owned(), "12A3456".to_owned()))
        );
        assert_eq!(
            normalize_identifier("state_id", "12A3456"),
            normalize_identifier("STATE-ID", "12a-3456")
        );
        assert_eq!(
            normalize_identifier("din", "007"),
            Some(("din".to_owned(), "007".to_owned()))
        );
        assert_eq!(normalize_identifier("din", " - "), None);
        assert_eq!(normalize_identifier(" ", "123"), None);
    }

    #[test]
    fn dob_variants_examples() {
        assert_eq!(
            dob_variants(date(1990, 3, 4)),
            vec![date(1990, 3, 4), date(1990, 4, 3)]
        );
        assert_eq!(dob_variants(date(1990, 3, 3)), vec![date(1990, 3, 3)]);
        assert_eq!(dob_variants(date(1990, 3, 25)), vec![date(1990, 3, 25)]);
        assert_eq!(
            dob_variants(date(1990, 12, 1)),
            vec![date(1990, 12, 1), date(1990, 1, 12)]
        );
    }

    #[test]
    fn case_differences_match() {
        let a = key("maria", "GONZALEZ", date(1985, 7, 21));
        let b = key("Maria", "Gonzalez", date(1985, 7, 21));
        let m = compare(&a, &b).expect("match");
        assert_eq!(m.reasons, vec![MatchReason::SameNameAndDob]);
        assert!(m.score >= 0.89, "{}", m.score);
    }

    #[test]
    fn accents_match() {
        let a = key("José", "Núñez", date(1979, 11, 30));
        let b = key("Jose", "Nunez", date(1979, 11, 30));
        let m = compare(&a, &b).expect("match");
        assert_eq!(m.reasons, vec![MatchReason::SameNameAndDob]);
    }

    #[test]
    fn transposed_day_and_month_match() {
        let a = key("Dana", "Whitfield", date(1990, 3, 4));
        let b = key("Dana", "Whitfield", date(1990, 4, 3));
        let m = compare(&a, &b).expect("match");
        assert_eq!(m.reasons, vec![MatchReason::TransposedDob]);
        let same = compare(&a, &a).expect("self match");
        assert!(m.score < same.score);
    }

    #[test]
    fn similar_name_same_dob_matches() {
        let a = key("Jon", "Smith", date(1992, 1, 15));
        let b = key("John", "Smith", date(1992, 1, 15));
        let m = compare(&a, &b).expect("match");
        assert_eq!(m.reasons, vec![MatchReason::SimilarNameSameDob]);
        assert!(m.score > 0.5 && m.score < 0.9, "{}", m.score);
    }

    #[test]
    fn swapped_names_match() {
        let a = key("Tran", "Minh", date(1988, 5, 9));
        let b = key("Minh", "Tran", date(1988, 5, 9));
        let m = compare(&a, &b).expect("match");
        assert_eq!(m.reasons, vec![MatchReason::NameSwapped]);
        let c = key("Minh", "Tran", date(1988, 9, 5));
        let m = compare(&a, &c).expect("match");
        assert_eq!(
            m.reasons,
            vec![MatchReason::TransposedDob, MatchReason::NameSwapped]
        );
    }

    #[test]
    fn different_dob_and_name_do_not_match() {
        let a = key("Robert", "Johnson", date(1980, 2, 14));
        let b = key("Alicia", "Moreno", date(1995, 9, 30));
        assert_eq!(compare(&a, &b), None);
    }

    #[test]
    fn same_name_with_unrelated_dob_does_not_match() {
        let a = key("Robert", "Johnson", date(1980, 2, 14));
        let b = key("Robert", "Johnson", date(1980, 2, 15));
        assert_eq!(compare(&a, &b), None);
    }

    #[test]
    fn same_dob_with_different_name_does_not_match() {
        let a = key("Robert", "Johnson", date(1980, 2, 14));
        let b = key("Alicia", "Moreno", date(1980, 2, 14));
        assert_eq!(compare(&a, &b), None);
    }

    #[test]
    fn shared_identifier_matches_whatever_the_name() {
        let a = with_id(key("Bobby", "J", date(1980, 2, 14)), "DIN", "12-A-3456");
        let b = with_id(key("Robert", "Johnson", date(1981, 6, 1)), "din", "12a3456");
        let m = compare(&a, &b).expect("match");
        assert_eq!(
            m.reasons,
            vec![MatchReason::SameIdentifier {
                kind: "din".to_owned()
            }]
        );
        assert!((m.score - 0.95).abs() < 1e-9, "{}", m.score);
    }

    #[test]
    fn identifier_kind_must_match_too() {
        let a = with_id(
            key("Ann", "Lee", date(1970, 1, 20)),
            "booking_number",
            "5551",
        );
        let b = with_id(key("Zed", "Quinn", date(1999, 8, 30)), "state_id", "5551");
        assert_eq!(compare(&a, &b), None);
    }

    #[test]
    fn identifier_and_name_evidence_combine() {
        let a = with_id(key("Ann", "Lee", date(1970, 1, 20)), "state_id", "X1");
        let b = with_id(key("ANN", "LEE", date(1970, 1, 20)), "State ID", "x1");
        let m = compare(&a, &b).expect("match");
        assert_eq!(
            m.reasons,
            vec![
                MatchReason::SameIdentifier {
                    kind: "state_id".to_owned()
                },
                MatchReason::SameNameAndDob
            ]
        );
        assert!(m.score > 0.99 && m.score <= 1.0);
    }

    #[test]
    fn blank_names_are_no_evidence() {
        let a = key("", "", date(1970, 1, 20));
        let b = key("?", "-", date(1970, 1, 20));
        assert_eq!(compare(&a, &b), None);
        assert_eq!(compare(&a, &a), None);
    }

    #[test]
    fn reason_codes_and_labels() {
        let reasons = [
            MatchReason::SameIdentifier {
                kind: "din".to_owned(),
            },
            MatchReason::SameNameAndDob,
            MatchReason::SimilarNameSameDob,
            MatchReason::TransposedDob,
            MatchReason::NameSwapped,
        ];
        let codes: BTreeSet<_> = reasons.iter().map(MatchReason::as_str).collect();
        assert_eq!(codes.len(), reasons.len());
        assert!(reasons.iter().all(|r| !r.label().is_empty()));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..40_000).prop_map(|d| date(1920, 1, 1) + chrono::TimeDelta::days(d))
    }

    fn any_name() -> impl Strategy<Value = String> {
        prop_oneof![
            "[A-Za-z]{1,12}",
            "[A-Za-zÀ-ÿ' -]{0,14}",
            Just("José".to_owned()),
            Just("Jose".to_owned()),
            Just("O'Brien".to_owned()),
            Just("Smith".to_owned()),
        ]
    }

    fn any_identifiers() -> impl Strategy<Value = Vec<(String, String)>> {
        prop::collection::vec(
            (
                prop::sample::select(vec!["din", "DIN", "state id", "booking_number"]),
                "[0-9A-Za-z-]{0,4}",
            )
                .prop_map(|(k, v)| (k.to_owned(), v)),
            0..3,
        )
    }

    fn any_key() -> impl Strategy<Value = PersonKey> {
        (any_name(), any_name(), any_date(), any_identifiers()).prop_map(
            |(first_name, last_name, date_of_birth, identifiers)| PersonKey {
                first_name,
                last_name,
                date_of_birth,
                identifiers,
            },
        )
    }

    /// Pairs that are often related, so that the symmetric property exercises every branch.
    fn related_pair() -> impl Strategy<Value = (PersonKey, PersonKey)> {
        (any_key(), any_key(), 0u8..4).prop_map(|(a, mut b, relation)| {
            match relation {
                0 => {}
                1 => b.date_of_birth = a.date_of_birth,
                2 => {
                    b.date_of_birth = *dob_variants(a.date_of_birth)
                        .last()
                        .unwrap_or(&a.date_of_birth);
                    b.first_name = a.last_name.to_uppercase();
                    b.last_name = a.first_name.clone();
                }
                _ => {
                    b.date_of_birth = a.date_of_birth;
                    b.first_name = format!("{}e", a.first_name);
                    b.last_name = a.last_name.clone();
                }
            }
            (a, b)
        })
    }

    proptest! {
        #[test]
        fn compare_is_symmetric((a, b) in related_pair()) {
            prop_assert_eq!(compare(&a, &b), compare(&b, &a));
        }

        #[test]
        fn a_key_matches_itself(k in any_key()) {
            let has_name = !normalize_name(&k.first_name).is_empty()
                || !normalize_name(&k.last_name).is_empty();
            let has_id = k.identifiers.iter().any(|(kind, v)| normalize_identifier(kind, v).is_some());
            prop_assume!(has_name || has_id);
            let m = compare(&k, &k);
            prop_assert!(m.is_some());
        }

        #[test]
        fn scores_are_between_0_and_1((a, b) in related_pair()) {
            if let Some(m) = compare(&a, &b) {
                prop_assert!((0.0..=1.0).contains(&m.score));
                prop_assert!(!m.reasons.is_empty());
            }
        }

        #[test]
        fn case_and_accents_never_prevent_a_match(k in any_key()) {
            prop_assume!(!normalize_name(&format!("{} {}", k.first_name, k.last_name)).is_empty());
            let shouted = PersonKey {
                first_name: k.first_name.to_uppercase(),
                last_name: k.last_name.to_lowercase(),
                ..k.clone()
            };
            prop_assert!(compare(&k, &shouted).is_some());
        }

        #[test]
        fn normalize_name_is_idempotent_and_clean(s in "\\PC{0,30}") {
            let n = normalize_name(&s);
            prop_assert_eq!(normalize_name(&n), n.clone());
            prop_assert!(!n.starts_with(' ') && !n.ends_with(' ') && !n.contains("  "));
            prop_assert!(n.chars().all(|c| c == ' ' || c.is_alphanumeric()));
            prop_assert!(!n.chars().any(is_combining_mark));
            prop_assert!(!n.chars().any(is_joiner));
        }

        #[test]
        fn dob_variants_are_day_month_swaps(d in any_date()) {
            let variants = dob_variants(d);
            prop_assert_eq!(variants[0], d);
            prop_assert!(variants.len() <= 2);
            if let Some(v) = variants.get(1) {
                prop_assert_eq!((v.year(), v.month(), v.day()), (d.year(), d.day(), d.month()));
                prop_assert!(dob_variants(*v).contains(&d));
            } else {
                prop_assert!(d.day() > 12 || d.day() == d.month());
            }
        }
    }
}
