//! Coded values: closed lists of codes that are stored in the database and sent by the API, each
//! with a label for people. One macro, [`vocabulary!`], declares every one of them (decision
//! 0034), and the [`Vocabulary`] trait lets code work over any of them.
//!
//! Pure: no I/O.
//!
//! ```ignore
//! vocabulary! {
//!     /// What a referral is for.
//!     pub enum ReferralType {
//!         Treatment = "treatment" => "Substance use treatment",
//!         Housing = "housing" => "Housing",
//!     }
//! }
//! ```
//!
//! declares the enum with:
//! - serde as the code (`"treatment"`), and `utoipa::ToSchema`: a string schema listing the codes
//!   as its `enum`, described by the enum's doc comment;
//! - `ALL` (declaration order, which is also the `Ord` order), `as_str` (the code), `parse` (the
//!   code, surrounding whitespace ignored; anything else is `None`), `label` (English),
//!   `choices()` (the codes, comma-separated, for error messages) and `Display` (the code);
//! - with `Variant = "code" => "English" | "Español"`, also `label_es` (participant-facing text
//!   is in English and Spanish).
//!
//! The methods take `self`; `pub enum Name: &self { ... }` makes them take `&self`, for callers
//! that pass `Name::as_str` where a `fn(&Name) -> &str` is wanted.
//!
//! Codes are the snake_case form of the variant names: the schema is derived from the variant
//! names (`rename_all`), serde from the codes, and [`assert_vocabulary`] checks they agree.

use std::fmt;

/// What every coded value offers, for code that works over any vocabulary.
pub trait Vocabulary: Copy + Eq + fmt::Debug + 'static {
    /// Every value, in declaration order.
    const VALUES: &'static [Self];

    /// The code: stored, sent by the API, and what `parse` reads.
    fn code(self) -> &'static str;

    /// The English label.
    fn english(self) -> &'static str;
}

/// The codes of a vocabulary, comma-separated (for error messages).
pub fn choices<T: Vocabulary>() -> String {
    T::VALUES
        .iter()
        .map(|v| v.code())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Declares a coded value; see the module documentation.
macro_rules! vocabulary {
    // Methods taking `self`, English labels.
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal ),+ $(,)?
        }
    ) => {
        $crate::platform::vocabulary::vocabulary!(@declare by_value $(#[$meta])* $name
            [$( [$(#[$vmeta])*] $variant $code $label )+]);
    };
    // Methods taking `&self`, English labels.
    (
        $(#[$meta:meta])*
        pub enum $name:ident: &self {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal ),+ $(,)?
        }
    ) => {
        $crate::platform::vocabulary::vocabulary!(@declare by_ref $(#[$meta])* $name
            [$( [$(#[$vmeta])*] $variant $code $label )+]);
    };
    // Methods taking `self`, English and Spanish labels.
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal | $label_es:literal ),+ $(,)?
        }
    ) => {
        $crate::platform::vocabulary::vocabulary!(@declare by_value $(#[$meta])* $name
            [$( [$(#[$vmeta])*] $variant $code $label )+]);
        impl $name {
            $crate::platform::vocabulary::vocabulary!(@text by_value
                /// Spanish label (participant-facing text).
                label_es [$( $variant $label_es )+]);
            /// The label in `lang`.
            pub const fn label_in(self, lang: $crate::platform::i18n::Language) -> &'static str {
                match lang {
                    $crate::platform::i18n::Language::En => self.label(),
                    $crate::platform::i18n::Language::Es => self.label_es(),
                }
            }
        }
    };

    (@declare $mode:ident $(#[$meta:meta])* $name:ident
        [$( [$(#[$vmeta:meta])*] $variant:ident $code:literal $label:literal )+]
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema,
        )]
        // The schema takes the codes from the variant names; serde takes each code as written.
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[ $( Self::$variant ),+ ];

            $crate::platform::vocabulary::vocabulary!(@text $mode
                /// Stable snake_case code, identical to the serde representation.
                as_str [$( $variant $code )+]);

            $crate::platform::vocabulary::vocabulary!(@text $mode
                /// Human-readable English label.
                label [$( $variant $label )+]);

            /// Parses a code returned by `as_str`, ignoring surrounding whitespace; anything else
            /// is `None`.
            pub fn parse(code: &str) -> Option<Self> {
                match code.trim() {
                    $( $code => Some(Self::$variant), )+
                    _ => None,
                }
            }

            /// The codes, comma-separated (for error messages).
            pub fn choices() -> String {
                $crate::platform::vocabulary::choices::<Self>()
            }
        }

        impl $crate::platform::vocabulary::Vocabulary for $name {
            const VALUES: &'static [Self] = Self::ALL;

            fn code(self) -> &'static str {
                self.as_str()
            }

            fn english(self) -> &'static str {
                self.label()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };

    // One text per variant, as a method taking `self` or `&self`.
    (@text by_value $(#[$doc:meta])* $method:ident [$( $variant:ident $text:literal )+]) => {
        $(#[$doc])*
        pub const fn $method(self) -> &'static str {
            match self { $( Self::$variant => $text ),+ }
        }
    };
    (@text by_ref $(#[$doc:meta])* $method:ident [$( $variant:ident $text:literal )+]) => {
        $(#[$doc])*
        pub const fn $method(&self) -> &'static str {
            match self { $( Self::$variant => $text ),+ }
        }
    };
}

pub(crate) use vocabulary;

/// Checks one vocabulary: every code round-trips through `parse` (also with surrounding
/// whitespace), `Display` and serde; codes are unique, snake_case and equal to the snake_case
/// variant name (so the OpenAPI schema, derived from the names, lists the codes); labels are not
/// blank; nothing else parses.
///
/// # Panics
///
/// When any of these does not hold (it is a test).
#[cfg(test)]
pub fn assert_vocabulary<T>(parse: fn(&str) -> Option<T>)
where
    T: Vocabulary + fmt::Display + serde::Serialize + serde::de::DeserializeOwned,
{
    let mut codes = std::collections::HashSet::new();
    assert!(!T::VALUES.is_empty());
    for &value in T::VALUES {
        let code = value.code();
        assert!(codes.insert(code), "duplicate code {code}");
        assert!(
            code.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{code} is not snake_case"
        );
        assert_eq!(code, snake_case(&format!("{value:?}")), "code of {value:?}");
        assert_eq!(parse(code), Some(value), "parse {code}");
        assert_eq!(
            parse(&format!(" {code}\t")),
            Some(value),
            "parse padded {code}"
        );
        assert_eq!(
            parse(&code.to_uppercase()),
            None,
            "parse {code} in capitals"
        );
        assert_eq!(value.to_string(), code);
        assert_eq!(
            serde_json::to_value(value).ok(),
            Some(serde_json::Value::from(code))
        );
        assert_eq!(
            serde_json::from_value::<T>(serde_json::Value::from(code)).ok(),
            Some(value)
        );
        assert!(!value.english().trim().is_empty(), "label of {code}");
    }
    assert_eq!(parse(""), None);
    assert_eq!(parse("nonsense"), None);
}

/// Checks each vocabulary named with [`assert_vocabulary`].
#[cfg(test)]
macro_rules! assert_vocabularies {
    ($($vocabulary:ty),+ $(,)?) => {
        $( $crate::platform::vocabulary::assert_vocabulary(<$vocabulary>::parse); )+
    };
}

#[cfg(test)]
pub(crate) use assert_vocabularies;

/// `HealthWellnessInformation` → `health_wellness_information`; a digit run stays with the word
/// before it (`Day30` → `day30`), as serde's `rename_all = "snake_case"` does.
#[cfg(test)]
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    vocabulary! {
        /// A test vocabulary.
        pub enum Colour {
            Red = "red" => "Red" | "Rojo",
            DarkBlue = "dark_blue" => "Dark blue" | "Azul oscuro",
        }
    }

    vocabulary! {
        /// A test vocabulary whose methods take `&self`.
        pub enum Size: &self {
            Small = "small" => "Small",
            ExtraLarge = "extra_large" => "Extra large",
        }
    }

    #[test]
    fn a_vocabulary_round_trips_its_codes() {
        assert_vocabularies! { Colour, Size }
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
        assert_eq!(Colour::DarkBlue.label_es(), "Azul oscuro");
        assert_eq!(
            Colour::DarkBlue.label_in(crate::platform::i18n::Language::Es),
            "Azul oscuro"
        );
        assert_eq!(
            Colour::DarkBlue.label_in(crate::platform::i18n::Language::En),
            Colour::DarkBlue.label()
        );
        assert_eq!(
            Size::ALL.iter().map(Size::as_str).collect::<Vec<_>>(),
            ["small", "extra_large"]
        );
        assert_eq!(Colour::choices(), "red, dark_blue");
        assert_eq!(Size::choices(), "small, extra_large");
        assert!(Colour::Red < Colour::DarkBlue);
    }

    #[test]
    fn parse_ignores_surrounding_whitespace_only() {
        assert_eq!(Colour::parse("  dark_blue\n"), Some(Colour::DarkBlue));
        assert_eq!(Colour::parse("dark blue"), None);
        assert_eq!(Colour::parse("Red"), None);
    }

    #[test]
    fn the_schema_lists_the_codes() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(Colour::schema()).expect("schema");
        assert_eq!(schema["enum"], serde_json::json!(["red", "dark_blue"]));
        assert_eq!(schema["description"], "A test vocabulary.");
    }
}
