//! Peer credential standards as data, a peer's progress toward one, the projected completion date,
//! and renewal alerts (expiry and continuing education).
//!
//! States differ, so a standard is a value ([`CredentialStandard`]), not code; two editable
//! templates ship. Pure: no I/O, no clock (callers pass `today`).
//!
//! Its files: `standard` (the standard and its templates), `progress` (toward a standard, and the
//! projected completion) and `renewal` (expiry and alerts).

/// Declares a field-less enum with serde snake_case codes, `ALL`, `as_str`, `parse` and `label`.
macro_rules! labeled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable snake_case code (identical to the serde representation).
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a code produced by [`Self::as_str`]; `None` for anything else.
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Human-readable label for screens and reports.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

mod progress;
mod renewal;
mod standard;

#[cfg(test)]
mod proptests;

pub use progress::*;
pub use renewal::*;
pub use standard::*;

#[cfg(test)]
mod tests {
    use super::*;

    fn snake(name: &str) -> String {
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    macro_rules! check_enum {
        ($t:ty) => {
            for v in <$t>::ALL {
                assert_eq!(<$t>::parse(v.as_str()), Some(*v));
                assert_eq!(v.as_str(), snake(&format!("{v:?}")));
                assert!(!v.label().is_empty());
            }
            assert_eq!(<$t>::parse("nonsense"), None);
        };
    }

    #[test]
    fn enum_codes_round_trip_and_are_snake_case() {
        check_enum!(RequirementKind);
        check_enum!(AlertKind);
    }
}
