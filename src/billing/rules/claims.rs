//! One participant's day of encounters → claim lines and rejected lines, each with its reason.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::units::{CredentialPeriod, PayerRules, ServiceSetting, credential_valid};
use crate::platform::vocabulary::vocabulary;

vocabulary! {
    /// Why an encounter (or part of its units) is not billed.
    pub enum RejectReason {
        /// Only a completed encounter is a service delivered (an attempt is not).
        NotCompleted = "not_completed" => "Not completed",
        /// Another service than peer support (case management, MOUD, a medication supply at
        /// release): H0038 is "self-help/peer services", so they are not billed as peer units.
        NotPeerSupport = "not_peer_support" => "Not a peer support service",
        /// Its funding source was set to a grant or other funds: not billed to a payer as well.
        FundedElsewhere = "funded_elsewhere" => "Funded by a grant or other funds",
        /// The participant had no coverage with this payer on the date of service.
        NoCoverage = "no_coverage" => "No coverage on the date of service",
        /// A text message is not a face-to-face or telehealth service.
        ModeNotBillable = "mode_not_billable" => "Not a billable way of meeting (text message)",
        /// Nobody recorded as having delivered it.
        NoPeer = "no_peer" => "No peer recorded",
        /// The peer's credential was not valid on the date of service.
        CredentialNotValid = "credential_not_valid" => "Credential not valid on the date of service",
        /// The group was larger than one peer may bill for (the staff-to-participant ratio).
        GroupOverRatio = "group_over_ratio" => "Group over the staff-to-participant ratio",
        /// Fewer minutes than one unit under the payer's rounding rule.
        TooShort = "too_short" => "Too short for one unit",
        /// The participant's units that day already reached the payer's daily cap.
        OverDailyCap = "over_daily_cap" => "Over the daily unit cap",
    }
}

vocabulary! {
    /// What pays for an encounter.
    pub enum FundingKind {
        /// A grant (award number, period).
        Grant = "grant" => "Grant",
        /// Medicaid, with the participant's plan.
        Medicaid = "medicaid" => "Medicaid",
        /// Anything else (the programme's own funds, a contract).
        Other = "other" => "Other",
    }
}

/// An encounter as billing reads it (from the journey's records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillableEncounter {
    pub encounter_id: i64,
    pub participant_id: i64,
    /// The staff member who delivered it.
    pub peer_id: Option<i64>,
    /// When it began (orders a day's encounters).
    pub at: NaiveDateTime,
    /// The date of service, on the organisation's clock.
    pub date: NaiveDate,
    pub minutes: u32,
    pub completed: bool,
    /// The service delivered was peer support (not case management, MOUD or a medication
    /// supply at release, which H0038 does not describe).
    pub peer_support: bool,
    /// `None` one-to-one; in a group, how many participants attended.
    pub group_size: Option<u32>,
    /// `None`: not a billable way of meeting.
    pub setting: Option<ServiceSetting>,
    /// Its funding source was set to something other than this payer (a grant, other funds).
    pub funded_elsewhere: bool,
}

/// A claim-ready service line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ClaimLine {
    pub encounter_id: i64,
    pub participant_id: i64,
    pub peer_id: i64,
    pub date: NaiveDate,
    pub procedure_code: String,
    /// HQ for a group; empty one-to-one.
    pub modifiers: Vec<String>,
    pub minutes: u32,
    pub units: u32,
    /// CMS place-of-service code.
    pub place_of_service: String,
    pub charge_cents: i64,
}

/// An encounter, or the units of it over the daily cap, that is not billed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RejectedLine {
    pub encounter_id: i64,
    pub participant_id: i64,
    pub date: NaiveDate,
    pub minutes: u32,
    /// The units refused (0 when the encounter earned none).
    pub units: u32,
    pub reason: RejectReason,
}

/// What a set of encounters becomes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Claims {
    pub lines: Vec<ClaimLine>,
    pub rejected: Vec<RejectedLine>,
}

impl Claims {
    pub fn units(&self) -> u32 {
        self.lines.iter().map(|l| l.units).sum()
    }
}

/// The claim lines of one participant's encounters on one date of service, in time order
/// (so the order they are given in changes nothing). Each encounter is checked in turn:
/// completed, a peer support service, covered that day, a billable way of meeting, a peer whose credential is valid
/// that day, a group within the ratio, at least one unit; then units are billed until the daily
/// cap, an encounter reaching it billed for what is left and the rest rejected as over the cap.
pub fn claim_day(
    rules: &PayerRules,
    day: &[BillableEncounter],
    covered: bool,
    credentials: &[CredentialPeriod],
) -> Claims {
    let mut day: Vec<&BillableEncounter> = day.iter().collect();
    day.sort_by_key(|e| (e.at, e.encounter_id));
    let mut out = Claims::default();
    let mut used = 0u32;
    for e in day {
        let units = rules.units(e.minutes);
        let reject = |reason, units| RejectedLine {
            encounter_id: e.encounter_id,
            participant_id: e.participant_id,
            date: e.date,
            minutes: e.minutes,
            units,
            reason,
        };
        let reason = if !e.completed {
            Some(RejectReason::NotCompleted)
        } else if !e.peer_support {
            Some(RejectReason::NotPeerSupport)
        } else if e.funded_elsewhere {
            Some(RejectReason::FundedElsewhere)
        } else if !covered {
            Some(RejectReason::NoCoverage)
        } else if e.setting.is_none() {
            Some(RejectReason::ModeNotBillable)
        } else if e.peer_id.is_none() {
            Some(RejectReason::NoPeer)
        } else if !e
            .peer_id
            .is_some_and(|p| credential_valid(credentials, p, e.date))
        {
            Some(RejectReason::CredentialNotValid)
        } else if matches!((e.group_size, rules.max_group_size), (Some(n), Some(max)) if n > max) {
            Some(RejectReason::GroupOverRatio)
        } else if units == 0 {
            Some(RejectReason::TooShort)
        } else {
            None
        };
        if let Some(reason) = reason {
            out.rejected.push(reject(reason, units));
            continue;
        }
        let (Some(peer_id), Some(setting)) = (e.peer_id, e.setting) else {
            continue; // rejected above
        };
        let left = rules
            .daily_unit_cap
            .map_or(u32::MAX, |cap| cap.saturating_sub(used));
        let billed = units.min(left);
        if billed < units {
            out.rejected
                .push(reject(RejectReason::OverDailyCap, units - billed));
        }
        if billed == 0 {
            continue;
        }
        used += billed;
        out.lines.push(ClaimLine {
            encounter_id: e.encounter_id,
            participant_id: e.participant_id,
            peer_id,
            date: e.date,
            procedure_code: rules.procedure_code.clone(),
            modifiers: if e.group_size.is_some() {
                vec![rules.group_modifier.clone()]
            } else {
                Vec::new()
            },
            minutes: e.minutes,
            units: billed,
            place_of_service: rules.pos(setting).to_string(),
            charge_cents: i64::from(billed) * rules.unit_rate_cents,
        });
    }
    out
}

/// The claims of many participants' encounters: each (participant, date) a day of
/// [`claim_day`], `covered` saying whether the participant had this payer's coverage that day.
/// Lines and rejections come out by date, participant, time.
pub fn claims(
    rules: &PayerRules,
    encounters: &[BillableEncounter],
    covered: impl Fn(i64, NaiveDate) -> bool,
    credentials: &[CredentialPeriod],
) -> Claims {
    let mut sorted: Vec<&BillableEncounter> = encounters.iter().collect();
    sorted.sort_by_key(|e| (e.date, e.participant_id, e.at, e.encounter_id));
    let mut out = Claims::default();
    for day in sorted.chunk_by(|a, b| (a.date, a.participant_id) == (b.date, b.participant_id)) {
        let day: Vec<BillableEncounter> = day.iter().map(|e| (*e).clone()).collect();
        let c = claim_day(
            rules,
            &day,
            covered(day[0].participant_id, day[0].date),
            credentials,
        );
        out.lines.extend(c.lines);
        out.rejected.extend(c.rejected);
    }
    out
}

#[cfg(test)]
pub(super) mod fixtures {
    use super::*;

    pub fn enc(id: i64, hour: u32, minutes: u32) -> BillableEncounter {
        let date = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        BillableEncounter {
            encounter_id: id,
            participant_id: 1,
            peer_id: Some(7),
            at: date.and_hms_opt(hour, 0, 0).unwrap(),
            date,
            minutes,
            completed: true,
            peer_support: true,
            group_size: None,
            setting: Some(ServiceSetting::Correctional),
            funded_elsewhere: false,
        }
    }

    pub fn certified() -> Vec<CredentialPeriod> {
        vec![CredentialPeriod {
            peer_id: 7,
            valid_from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            lapses_on: None,
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::billing::rules::Rounding;

    fn rules() -> PayerRules {
        PayerRules {
            daily_unit_cap: Some(4),
            max_group_size: Some(8),
            unit_rate_cents: 2_500,
            ..PayerRules::default()
        }
    }

    #[test]
    fn a_day_hand_computed_cap_group_and_reasons() {
        let mut group = enc(3, 11, 45); // 3 units, HQ
        group.group_size = Some(6);
        let mut attempt = enc(4, 12, 30);
        attempt.completed = false;
        let mut big = enc(5, 13, 30);
        big.group_size = Some(9);
        let mut text = enc(6, 14, 30);
        text.setting = None;
        let short = enc(7, 8, 7); // 7 minutes: under the 8-minute rule
        // Given out of order: 09:00 23 min (2 units), then the group at 11:00 (3, capped to 2),
        // then 15:00 (1 unit, over the cap).
        let day = [
            enc(9, 15, 15),
            group,
            attempt,
            enc(1, 9, 23),
            big,
            text,
            short,
        ];
        let c = claim_day(&rules(), &day, true, &certified());
        let billed: Vec<(i64, u32, Vec<String>)> = c
            .lines
            .iter()
            .map(|l| (l.encounter_id, l.units, l.modifiers.clone()))
            .collect();
        assert_eq!(billed, vec![(1, 2, vec![]), (3, 2, vec!["HQ".to_string()])]);
        assert_eq!(c.lines[0].charge_cents, 5_000);
        assert_eq!(c.lines[0].place_of_service, "09");
        assert_eq!(c.lines[0].procedure_code, "H0038");
        let rejected: Vec<(i64, u32, RejectReason)> = c
            .rejected
            .iter()
            .map(|r| (r.encounter_id, r.units, r.reason))
            .collect();
        assert_eq!(
            rejected,
            vec![
                (7, 0, RejectReason::TooShort),
                (3, 1, RejectReason::OverDailyCap),
                (4, 2, RejectReason::NotCompleted),
                (5, 2, RejectReason::GroupOverRatio),
                (6, 2, RejectReason::ModeNotBillable),
                (9, 1, RejectReason::OverDailyCap),
            ]
        );
    }

    /// H0038 is "self-help/peer services": case management, MOUD or a medication supply at
    /// release recorded as an encounter is not billed as peer units, and takes none of the
    /// day's cap from the peer support after it.
    #[test]
    fn only_peer_support_is_billed_as_peer_units() {
        let mut managed = enc(1, 9, 60);
        managed.peer_support = false;
        let day = [managed, enc(2, 10, 60)];
        let c = claim_day(&rules(), &day, true, &certified());
        assert_eq!(c.rejected.len(), 1);
        assert_eq!(
            (
                c.rejected[0].encounter_id,
                c.rejected[0].units,
                c.rejected[0].reason
            ),
            (1, 4, RejectReason::NotPeerSupport)
        );
        assert_eq!(c.lines.len(), 1);
        assert_eq!(
            (c.lines[0].encounter_id, c.lines[0].units),
            (2, 4),
            "the cap is still whole"
        );
    }

    #[test]
    fn credential_and_coverage_reasons() {
        let day = [enc(1, 9, 30)];
        let c = claim_day(&rules(), &day, false, &certified());
        assert_eq!(c.rejected[0].reason, RejectReason::NoCoverage);
        let c = claim_day(&rules(), &day, true, &[]);
        assert_eq!(c.rejected[0].reason, RejectReason::CredentialNotValid);
        let mut nobody = enc(1, 9, 30);
        nobody.peer_id = None;
        let c = claim_day(&rules(), &[nobody], true, &certified());
        assert_eq!(c.rejected[0].reason, RejectReason::NoPeer);
    }

    #[test]
    fn whole_units_only_and_no_cap() {
        let r = PayerRules {
            rounding: Rounding::WholeUnits,
            daily_unit_cap: None,
            ..rules()
        };
        let c = claim_day(&r, &[enc(1, 9, 29), enc(2, 10, 120)], true, &certified());
        assert_eq!(c.units(), 1 + 8);
        assert!(c.rejected.is_empty());
    }

    #[test]
    fn many_days_split_by_participant_and_date() {
        let mut other = enc(2, 9, 60);
        other.participant_id = 2;
        let mut next_day = enc(3, 9, 60);
        next_day.date = next_day.date.succ_opt().unwrap();
        let all = [enc(1, 9, 60), other, next_day];
        // Each its own day: 4 units each under the cap of 4, participant 2 not covered.
        let c = claims(&rules(), &all, |p, _| p == 1, &certified());
        assert_eq!(c.units(), 8);
        assert_eq!(c.rejected.len(), 1);
        assert_eq!(c.rejected[0].reason, RejectReason::NoCoverage);
    }
}
