//! The rules of a participant's journey: custody, release, the high-risk window, the community
//! phase, follow-ups and discharge.
//!
//! This module owns:
//! - the journey vocabularies (settings, custody events, encounters, goals, referrals, discharge,
//!   SAMHSA core competency areas), each with a stable snake_case code and an English label;
//! - the release readiness checklist and how it is re-planned when the expected release date moves;
//! - the high-risk window (day 0 to day 14 after release) and its contact targets;
//! - flags raised at release (no plan, early release, incomplete checklist);
//! - the follow-up schedule (30, 90, 180, 365 days) and its tolerance window;
//! - caseload urgency, so that people in the high-risk window are shown first.
//!
//! It is pure: no I/O, no database, no clock. Every function that depends on the time takes `now`
//! (UTC `NaiveDateTime`) or `today` (`NaiveDate`) as an argument.
//!
//! Its files, one topic each: `vocabularies`, `checklist` (planning and re-planning), `window`
//! (the 14-day window and its targets), `release_flags`, `followups` (schedule and state) and
//! `urgency`; `dates` holds the saturating date arithmetic they share.

/// Declares a closed vocabulary: a unit-variant enum with a stable snake_case code (identical to its
/// serde form), a human label, `ALL`, `as_str` and `parse`. Declaration order is the `Ord` order.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $code:literal => $label:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[ $( Self::$variant ),+ ];

            /// Stable snake_case code, identical to the serde representation.
            pub const fn as_str(&self) -> &'static str {
                match self { $( Self::$variant => $code ),+ }
            }

            /// Parses exactly the snake_case code returned by `as_str`; anything else is `None`.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $( $code => Some(Self::$variant), )+
                    _ => None,
                }
            }

            /// Human-readable English label.
            pub const fn label(&self) -> &'static str {
                match self { $( Self::$variant => $label ),+ }
            }
        }
    };
}

mod checklist;
mod dates;
mod followups;
mod release_flags;
mod urgency;
mod vocabularies;
mod window;

#[cfg(test)]
mod fixtures;

pub use checklist::*;
pub use followups::*;
pub use release_flags::*;
pub use urgency::*;
pub use vocabularies::*;
pub use window::*;
