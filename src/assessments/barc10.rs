//! BARC-10, the Brief Assessment of Recovery Capital (10 items).
//!
//! This module owns the instrument itself: the ten statements, the six-point agreement scale,
//! validation of a set of answers, the total score (10..=60) and the cut-off of 47 that predicted
//! sustained remission in the validation study (Vilsaint et al., 2017). The instrument is free to use.
//!
//! It is pure: no I/O, no database, no clock. Storing, dating and comparing assessments over time
//! belongs to the caller.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Number of statements in the BARC-10.
pub const ITEM_COUNT: usize = 10;

/// The ten BARC-10 statements, in the published order. The answer at index `i` is the participant's
/// agreement with `ITEMS[i]`.
pub const ITEMS: [&str; ITEM_COUNT] = [
    "There are more important things to me in life than using substances.",
    "In general I am happy with my life.",
    "I have enough energy to complete the tasks I set myself.",
    "I am proud of the community I live in and feel part of it.",
    "I get lots of support from friends.",
    "I regard my life as challenging and fulfilling without the need for using drugs or alcohol.",
    "My living space has helped to drive my recovery journey.",
    "I take full responsibility for my actions.",
    "I am happy dealing with a range of professional people.",
    "I am making good progress on my recovery journey.",
];

/// Lowest answer on the scale (strongly disagree).
pub const SCALE_MIN: u8 = 1;

/// Highest answer on the scale (strongly agree).
pub const SCALE_MAX: u8 = 6;

/// Labels of the agreement scale; `SCALE_LABELS[v - 1]` is the label of answer `v`.
pub const SCALE_LABELS: [&str; 6] = [
    "Strongly disagree",
    "Disagree",
    "Somewhat disagree",
    "Somewhat agree",
    "Agree",
    "Strongly agree",
];

/// Lowest possible total (every answer 1).
pub const TOTAL_MIN: u8 = 10;

/// Highest possible total (every answer 6).
pub const TOTAL_MAX: u8 = 60;

/// A total at or above this score predicted sustained remission in the validation study.
/// It is a guide for conversation and for outcome reporting, not a diagnosis.
pub const CUTOFF: u8 = 47;

/// The label of an answer on the scale, or `None` if `value` is not in `1..=6`.
pub fn scale_label(value: u8) -> Option<&'static str> {
    if (SCALE_MIN..=SCALE_MAX).contains(&value) {
        SCALE_LABELS.get(usize::from(value - SCALE_MIN)).copied()
    } else {
        None
    }
}

/// Why a set of BARC-10 answers was rejected.
///
/// The `Display` text starts with the name of the offending field as it appears in JSON
/// (`answers` or `answers[i]`, 0-based), so it can be shown next to the right form input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum Barc10Error {
    /// Not exactly ten answers were given.
    WrongCount {
        /// How many answers were given.
        got: usize,
    },
    /// An answer is not on the 1..6 scale.
    OutOfRange {
        /// 0-based position of the answer.
        index: usize,
        /// The value that was given.
        value: i64,
    },
}

impl Barc10Error {
    /// The field the error is about: `answers` or `answers[i]` (0-based).
    pub fn field(&self) -> String {
        match self {
            Self::WrongCount { .. } => "answers".to_owned(),
            Self::OutOfRange { index, .. } => format!("answers[{index}]"),
        }
    }
}

impl fmt::Display for Barc10Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongCount { got } => {
                write!(f, "answers: expected {ITEM_COUNT} answers, got {got}")
            }
            Self::OutOfRange { index, value } => write!(
                f,
                "answers[{index}]: {value} is outside {SCALE_MIN}..{SCALE_MAX}"
            ),
        }
    }
}

impl std::error::Error for Barc10Error {}

/// A complete, valid set of BARC-10 answers: ten values, each in `1..=6`.
///
/// The only ways to build one are [`Barc10Answers::parse`] and deserialisation (which goes through
/// `parse`), so every value of this type is valid. It serialises as a JSON array of ten numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<i64>")]
pub struct Barc10Answers([u8; ITEM_COUNT]);

impl Barc10Answers {
    /// Validates raw answers (as they arrive from a form or JSON).
    ///
    /// Errors: [`Barc10Error::WrongCount`] unless there are exactly ten values; otherwise
    /// [`Barc10Error::OutOfRange`] for the first value outside `1..=6`.
    pub fn parse(values: &[i64]) -> Result<Self, Barc10Error> {
        if values.len() != ITEM_COUNT {
            return Err(Barc10Error::WrongCount { got: values.len() });
        }
        let mut answers = [SCALE_MIN; ITEM_COUNT];
        for (index, (&value, slot)) in values.iter().zip(answers.iter_mut()).enumerate() {
            match u8::try_from(value) {
                Ok(v) if (SCALE_MIN..=SCALE_MAX).contains(&v) => *slot = v,
                _ => return Err(Barc10Error::OutOfRange { index, value }),
            }
        }
        Ok(Self(answers))
    }

    /// The total score, always in `10..=60`.
    pub fn total(&self) -> u8 {
        // At most 10 * 6 = 60, so this cannot overflow.
        self.0.iter().sum()
    }

    /// Whether the total is at or above [`CUTOFF`] (47).
    pub fn at_or_above_cutoff(&self) -> bool {
        self.total() >= CUTOFF
    }

    /// The ten answers, in item order.
    pub fn answers(&self) -> [u8; ITEM_COUNT] {
        self.0
    }
}

impl TryFrom<Vec<i64>> for Barc10Answers {
    type Error = Barc10Error;

    fn try_from(values: Vec<i64>) -> Result<Self, Self::Error> {
        Self::parse(&values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::value::{Error as DeError, SeqDeserializer};

    fn deserialize(values: Vec<i64>) -> Result<Barc10Answers, DeError> {
        Barc10Answers::deserialize(SeqDeserializer::<_, DeError>::new(values.into_iter()))
    }

    #[test]
    fn items_and_labels_are_complete() {
        assert_eq!(ITEMS.len(), 10);
        assert!(ITEMS.iter().all(|item| item.ends_with('.')));
        assert_eq!(SCALE_LABELS[0], "Strongly disagree");
        assert_eq!(SCALE_LABELS[5], "Strongly agree");
        assert_eq!(scale_label(1), Some("Strongly disagree"));
        assert_eq!(scale_label(6), Some("Strongly agree"));
        assert_eq!(scale_label(0), None);
        assert_eq!(scale_label(7), None);
    }

    #[test]
    fn totals_at_the_extremes() {
        let low = Barc10Answers::parse(&[1; 10]).expect("valid");
        assert_eq!(low.total(), TOTAL_MIN);
        assert!(!low.at_or_above_cutoff());
        let high = Barc10Answers::parse(&[6; 10]).expect("valid");
        assert_eq!(high.total(), TOTAL_MAX);
        assert!(high.at_or_above_cutoff());
    }

    #[test]
    fn cutoff_boundary() {
        // 7 * 5 + 3 * 4 = 47
        let at = Barc10Answers::parse(&[5, 5, 5, 5, 5, 5, 5, 4, 4, 4]).expect("valid");
        assert_eq!(at.total(), 47);
        assert!(at.at_or_above_cutoff());
        let below = Barc10Answers::parse(&[5, 5, 5, 5, 5, 5, 4, 4, 4, 4]).expect("valid");
        assert_eq!(below.total(), 46);
        assert!(!below.at_or_above_cutoff());
    }

    #[test]
    fn answers_are_kept_in_order() {
        let values = [1, 2, 3, 4, 5, 6, 1, 2, 3, 4];
        let parsed = Barc10Answers::parse(&values).expect("valid");
        assert_eq!(parsed.answers(), [1, 2, 3, 4, 5, 6, 1, 2, 3, 4]);
    }

    #[test]
    fn wrong_count_message_names_the_field() {
        let err = Barc10Answers::parse(&[3; 7]).expect_err("too few");
        assert_eq!(err, Barc10Error::WrongCount { got: 7 });
        assert_eq!(err.to_string(), "answers: expected 10 answers, got 7");
        assert_eq!(err.field(), "answers");
        assert_eq!(
            Barc10Answers::parse(&[]),
            Err(Barc10Error::WrongCount { got: 0 })
        );
        assert_eq!(
            Barc10Answers::parse(&[3; 11]),
            Err(Barc10Error::WrongCount { got: 11 })
        );
    }

    #[test]
    fn out_of_range_message_names_the_index() {
        let err = Barc10Answers::parse(&[3, 3, 3, 9, 3, 3, 3, 3, 3, 3]).expect_err("9 invalid");
        assert_eq!(err, Barc10Error::OutOfRange { index: 3, value: 9 });
        assert_eq!(err.to_string(), "answers[3]: 9 is outside 1..6");
        assert_eq!(err.field(), "answers[3]");
    }

    #[test]
    fn first_bad_answer_is_reported() {
        let err = Barc10Answers::parse(&[0, 3, 3, 3, 3, 3, 3, 3, 3, 7]).expect_err("invalid");
        assert_eq!(err, Barc10Error::OutOfRange { index: 0, value: 0 });
        let err = Barc10Answers::parse(&[3, 3, 3, 3, 3, 3, 3, 3, 3, -1]).expect_err("invalid");
        assert_eq!(err.to_string(), "answers[9]: -1 is outside 1..6");
        // Values that do not even fit in a u8 are rejected, not truncated.
        let err = Barc10Answers::parse(&[3, 3, 3, 3, 3, 3, 3, 3, 3, 257]).expect_err("invalid");
        assert_eq!(
            err,
            Barc10Error::OutOfRange {
                index: 9,
                value: 257
            }
        );
    }

    #[test]
    fn deserialisation_goes_through_validation() {
        let ok = deserialize(vec![4; 10]).expect("valid");
        assert_eq!(ok.total(), 40);
        let err = deserialize(vec![4, 4, 4, 4, 4, 4, 4, 4, 4, 0]).expect_err("invalid");
        assert_eq!(err.to_string(), "answers[9]: 0 is outside 1..6");
        let err = deserialize(vec![4; 3]).expect_err("invalid");
        assert_eq!(err.to_string(), "answers: expected 10 answers, got 3");
    }

    fn out_of_range_value() -> impl Strategy<Value = i64> {
        prop_oneof![i64::MIN..=0, 7..=i64::MAX]
    }

    proptest! {
        #[test]
        fn valid_answers_total_between_10_and_60(values in prop::array::uniform10(1i64..=6)) {
            let parsed = Barc10Answers::parse(&values).expect("all in range");
            let total = parsed.total();
            prop_assert!((TOTAL_MIN..=TOTAL_MAX).contains(&total));
            prop_assert_eq!(i64::from(total), values.iter().sum::<i64>());
        }

        #[test]
        fn cutoff_flag_iff_total_at_least_47(values in prop::array::uniform10(1i64..=6)) {
            let parsed = Barc10Answers::parse(&values).expect("all in range");
            prop_assert_eq!(parsed.at_or_above_cutoff(), values.iter().sum::<i64>() >= 47);
        }

        #[test]
        fn any_out_of_range_answer_is_rejected(
            values in prop::array::uniform10(1i64..=6),
            index in 0usize..10,
            bad in out_of_range_value(),
        ) {
            let mut values = values;
            values[index] = bad;
            prop_assert_eq!(
                Barc10Answers::parse(&values),
                Err(Barc10Error::OutOfRange { index, value: bad })
            );
        }

        #[test]
        fn any_wrong_count_is_rejected(values in prop::collection::vec(1i64..=6, 0..30)) {
            prop_assume!(values.len() != ITEM_COUNT);
            prop_assert_eq!(
                Barc10Answers::parse(&values),
                Err(Barc10Error::WrongCount { got: values.len() })
            );
        }

        #[test]
        fn parse_accepts_exactly_the_valid_inputs(values in prop::collection::vec(-3i64..10, 10)) {
            let all_valid = values.iter().all(|v| (1..=6).contains(v));
            prop_assert_eq!(Barc10Answers::parse(&values).is_ok(), all_valid);
        }
    }
}
