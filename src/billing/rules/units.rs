//! A payer's rules as data, units from minutes, the place of service, and credential validity
//! on the date of service.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::platform::vocabulary::vocabulary;

/// HCPCS Level II H0038: "Self-help/peer services, per 15 minutes".
pub const DEFAULT_PROCEDURE: &str = "H0038";
/// HCPCS Level II modifier HQ: "Group setting".
pub const DEFAULT_GROUP_MODIFIER: &str = "HQ";
/// H0038 is billed "per 15 minutes".
pub const DEFAULT_MINUTES_PER_UNIT: u32 = 15;
/// ICD-10-CM Z65.2, "Problems related to release from prison": the claim's principal
/// diagnosis when the payer names no other (an 837P claim must carry one, loop 2300 HI). A
/// payer that pays peer support only under a substance use disorder diagnosis sets its own.
pub const DEFAULT_DIAGNOSIS: &str = "Z65.2";

fn default_diagnosis() -> String {
    DEFAULT_DIAGNOSIS.into()
}

vocabulary! {
    /// How a payer turns the minutes of one encounter into units.
    pub enum Rounding {
        /// Only whole units delivered count: 29 minutes of a 15-minute unit is 1 unit.
        WholeUnits = "whole_units" => "Whole units only",
        /// A unit once at least half its minutes are delivered (the "8-minute rule" of CMS
        /// Medicare Claims Processing Manual, Chapter 5, §20.2, for 15-minute units).
        HalfUnit = "half_unit" => "A unit once half its minutes are delivered (8-minute rule)",
        /// Any part of a unit is a unit.
        RoundUp = "round_up" => "Any part of a unit counts",
    }
}

vocabulary! {
    /// Where a service was delivered, as billing sees it; each maps to a CMS place-of-service
    /// code ([`ServiceSetting::default_pos`]), which a payer's rules may override.
    pub enum ServiceSetting {
        /// In a jail or prison.
        Correctional = "correctional" => "Prison or correctional facility",
        /// At the programme's office.
        Office = "office" => "Office",
        /// In the participant's home.
        Home = "home" => "Home",
        /// By phone or video, the participant not at home.
        Telehealth = "telehealth" => "Telehealth",
        /// By phone or video, the participant at home.
        TelehealthHome = "telehealth_home" => "Telehealth in the participant's home",
        /// Anywhere else in the community.
        Other = "other" => "Other place of service",
    }
}

impl ServiceSetting {
    /// The CMS Place of Service Code Set code: 09 "Prison/Correctional Facility", 11 "Office",
    /// 12 "Home", 02 "Telehealth Provided Other than in Patient's Home", 10 "Telehealth Provided
    /// in Patient's Home", 99 "Other Place of Service".
    pub fn default_pos(self) -> &'static str {
        match self {
            Self::Correctional => "09",
            Self::Office => "11",
            Self::Home => "12",
            Self::Telehealth => "02",
            Self::TelehealthHome => "10",
            Self::Other => "99",
        }
    }

    /// The setting of an encounter from how it took place (the journey's encounter modes):
    /// in a facility is correctional (the programme's facilities are jails and prisons), phone
    /// and video are telehealth, in the community is "other"; a text message is not a billable
    /// service (`None`): H0038 is a face-to-face or telehealth service.
    pub fn of_mode(mode: &str) -> Option<Self> {
        match mode {
            "in_facility" => Some(Self::Correctional),
            "in_community" => Some(Self::Other),
            "phone" | "video" => Some(Self::Telehealth),
            _ => None,
        }
    }
}

/// One payer's rules for peer services, kept as data (each payer row holds them as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PayerRules {
    /// HCPCS procedure code; H0038 by default.
    pub procedure_code: String,
    /// Minutes in one unit; 15 by default.
    pub minutes_per_unit: u32,
    /// How the minutes of one encounter become units.
    pub rounding: Rounding,
    /// Modifier on a group encounter's line; HQ by default.
    pub group_modifier: String,
    /// Most units billed for one participant on one date of service; `None`: no cap.
    pub daily_unit_cap: Option<u32>,
    /// The largest group one peer may bill for (the staff-to-participant ratio 1:N); `None`: no
    /// limit.
    pub max_group_size: Option<u32>,
    /// Charge per unit in cents (the 837P's line charge is units × this).
    pub unit_rate_cents: i64,
    /// Place-of-service codes that differ from the CMS defaults, by setting.
    #[serde(default)]
    pub place_of_service: Vec<(ServiceSetting, String)>,
    /// ICD-10-CM code of the claims' principal diagnosis (837P loop 2300 HI); Z65.2 by default.
    #[serde(default = "default_diagnosis")]
    pub diagnosis_code: String,
}

impl Default for PayerRules {
    fn default() -> Self {
        Self {
            procedure_code: DEFAULT_PROCEDURE.into(),
            minutes_per_unit: DEFAULT_MINUTES_PER_UNIT,
            rounding: Rounding::HalfUnit,
            group_modifier: DEFAULT_GROUP_MODIFIER.into(),
            daily_unit_cap: Some(16),
            max_group_size: Some(12),
            unit_rate_cents: 0,
            place_of_service: Vec::new(),
            diagnosis_code: default_diagnosis(),
        }
    }
}

impl PayerRules {
    /// The place-of-service code of a setting: the payer's own, else the CMS default.
    pub fn pos(&self, s: ServiceSetting) -> &str {
        self.place_of_service
            .iter()
            .find(|(k, _)| *k == s)
            .map_or(s.default_pos(), |(_, code)| code.as_str())
    }

    /// The units of `minutes` under this payer's rounding rule (0 minutes per unit: none).
    pub fn units(&self, minutes: u32) -> u32 {
        units(minutes, self.minutes_per_unit, self.rounding)
    }
}

/// Units of `minutes` with `per` minutes a unit under `rounding`.
/// - whole units: ⌊minutes / per⌋;
/// - half unit (8-minute rule): the whole units, and one more when the rest is at least half a
///   unit (for 15: 8–22 minutes is 1 unit, 23–37 is 2);
/// - round up: ⌈minutes / per⌉.
pub fn units(minutes: u32, per: u32, rounding: Rounding) -> u32 {
    if per == 0 {
        return 0;
    }
    let whole = minutes / per;
    let rest = minutes % per;
    match rounding {
        Rounding::WholeUnits => whole,
        Rounding::HalfUnit => whole + u32::from(rest > 0 && 2 * rest >= per),
        Rounding::RoundUp => whole + u32::from(rest > 0),
    }
}

/// When a peer's credential is valid: from the day it was certified up to, not including, the
/// day it lapses (`None`: does not lapse). From the workforce records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialPeriod {
    pub peer_id: i64,
    pub valid_from: NaiveDate,
    pub lapses_on: Option<NaiveDate>,
}

/// Is one of the peer's credentials valid on the date of service? Medicaid pays peer support
/// only when the peer is certified on the day the service is given.
pub fn credential_valid(periods: &[CredentialPeriod], peer_id: i64, on: NaiveDate) -> bool {
    periods.iter().any(|p| {
        p.peer_id == peer_id && p.valid_from <= on && p.lapses_on.is_none_or(|end| on < end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn units_by_each_rounding_rule_hand_computed() {
        use Rounding::*;
        // (minutes, whole, half, up) with 15-minute units
        let table = [
            (0, 0, 0, 0),
            (7, 0, 0, 1),
            (8, 0, 1, 1),
            (15, 1, 1, 1),
            (22, 1, 1, 2),
            (23, 1, 2, 2),
            (30, 2, 2, 2),
            (37, 2, 2, 3),
            (38, 2, 3, 3),
            (60, 4, 4, 4),
            (61, 4, 4, 5),
        ];
        for (m, w, h, u) in table {
            assert_eq!(units(m, 15, WholeUnits), w, "{m} whole");
            assert_eq!(units(m, 15, HalfUnit), h, "{m} half");
            assert_eq!(units(m, 15, RoundUp), u, "{m} up");
        }
        // An even unit: half of 30 is 15.
        assert_eq!(units(14, 30, HalfUnit), 0);
        assert_eq!(units(15, 30, HalfUnit), 1);
        assert_eq!(units(10, 0, RoundUp), 0);
    }

    #[test]
    fn place_of_service_defaults_and_overrides() {
        let mut r = PayerRules::default();
        assert_eq!(r.pos(ServiceSetting::Correctional), "09");
        assert_eq!(r.pos(ServiceSetting::Telehealth), "02");
        assert_eq!(r.pos(ServiceSetting::TelehealthHome), "10");
        assert_eq!(r.pos(ServiceSetting::Other), "99");
        r.place_of_service
            .push((ServiceSetting::Telehealth, "10".into()));
        assert_eq!(r.pos(ServiceSetting::Telehealth), "10");
        assert_eq!(ServiceSetting::of_mode("text"), None);
        assert_eq!(
            ServiceSetting::of_mode("in_facility"),
            Some(ServiceSetting::Correctional)
        );
    }

    #[test]
    fn credential_valid_from_certification_up_to_the_lapse_day() {
        let p = [CredentialPeriod {
            peer_id: 7,
            valid_from: d("2024-03-01"),
            lapses_on: Some(d("2026-03-01")),
        }];
        assert!(!credential_valid(&p, 7, d("2024-02-29")));
        assert!(credential_valid(&p, 7, d("2024-03-01")));
        assert!(credential_valid(&p, 7, d("2026-02-28")));
        assert!(!credential_valid(&p, 7, d("2026-03-01")), "lapsed that day");
        assert!(!credential_valid(&p, 8, d("2025-01-01")), "another peer's");
        let open = [CredentialPeriod {
            lapses_on: None,
            ..p[0]
        }];
        assert!(credential_valid(&open, 7, d("2099-01-01")));
    }

    #[test]
    fn rules_round_trip_as_json() {
        let r = PayerRules::default();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<PayerRules>(&json).unwrap(), r);
        assert!(json.contains("\"rounding\":\"half_unit\""));
    }
}
