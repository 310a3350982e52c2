//! The funding source of an encounter: the one set for it, else the default from the
//! participant's coverage on the date and the programme's grants.

use chrono::NaiveDate;
use serde::Serialize;

use super::claims::FundingKind;

/// A participant's coverage with a payer (a Medicaid plan), effective over a span of dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Coverage {
    pub id: i64,
    pub participant_id: i64,
    pub payer_id: i64,
    pub plan_name: String,
    pub member_id: String,
    pub effective_from: NaiveDate,
    /// Last day covered; `None`: open-ended.
    pub effective_to: Option<NaiveDate>,
}

impl Coverage {
    pub fn holds(&self, on: NaiveDate) -> bool {
        self.effective_from <= on && self.effective_to.is_none_or(|to| on <= to)
    }
}

/// A grant: its award number and period (both days included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Grant {
    pub id: i64,
    pub name: String,
    pub funder: String,
    pub award_number: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// The amount awarded, in cents.
    pub amount_cents: i64,
}

impl Grant {
    pub fn holds(&self, on: NaiveDate) -> bool {
        self.period_from <= on && on <= self.period_to
    }
}

/// What pays for one encounter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Funding {
    pub kind: FundingKind,
    pub grant_id: Option<i64>,
    pub coverage_id: Option<i64>,
    /// Set for this encounter (true) or the default (false).
    pub explicit: bool,
}

/// The default funding of a participant's encounter on `on`: the coverage that holds that day
/// (the earliest-starting when several do), else the grant whose period holds it (the one
/// ending first), else other.
pub fn default_funding(
    participant_id: i64,
    on: NaiveDate,
    coverages: &[Coverage],
    grants: &[Grant],
) -> Funding {
    let coverage = coverages
        .iter()
        .filter(|c| c.participant_id == participant_id && c.holds(on))
        .min_by_key(|c| (c.effective_from, c.id));
    if let Some(c) = coverage {
        return Funding {
            kind: FundingKind::Medicaid,
            grant_id: None,
            coverage_id: Some(c.id),
            explicit: false,
        };
    }
    let grant = grants
        .iter()
        .filter(|g| g.holds(on))
        .min_by_key(|g| (g.period_to, g.id));
    Funding {
        kind: if grant.is_some() {
            FundingKind::Grant
        } else {
            FundingKind::Other
        },
        grant_id: grant.map(|g| g.id),
        coverage_id: None,
        explicit: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn coverage_first_then_the_grant_of_the_date_then_other() {
        let cov = [Coverage {
            id: 1,
            participant_id: 5,
            payer_id: 9,
            plan_name: "Plan".into(),
            member_id: "M1".into(),
            effective_from: d("2026-07-01"),
            effective_to: Some(d("2026-09-30")),
        }];
        let grants = [Grant {
            id: 2,
            name: "BJA Second Chance".into(),
            funder: "BJA".into(),
            award_number: "15PBJA-25-GG-00001".into(),
            period_from: d("2025-10-01"),
            period_to: d("2026-09-30"),
            amount_cents: 0,
        }];
        let f = default_funding(5, d("2026-09-30"), &cov, &grants);
        assert_eq!((f.kind, f.coverage_id), (FundingKind::Medicaid, Some(1)));
        let f = default_funding(5, d("2026-06-30"), &cov, &grants);
        assert_eq!((f.kind, f.grant_id), (FundingKind::Grant, Some(2)));
        let f = default_funding(6, d("2026-08-01"), &cov, &grants);
        assert_eq!(f.kind, FundingKind::Grant, "another participant's coverage");
        let f = default_funding(5, d("2026-10-01"), &cov, &grants);
        assert_eq!((f.kind, f.grant_id), (FundingKind::Other, None));
    }
}
