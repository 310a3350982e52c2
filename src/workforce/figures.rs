//! The workforce reports as pure functions over plain facts: certification barriers (background
//! exemption processes, monetary sanctions) and facility access (clearances, denials by reason,
//! days to clearance, visits and refusals at the door). No I/O, no clock (callers pass `today`),
//! no names: the outputs are aggregates, safe to hand to policy makers.

use chrono::NaiveDate;
use serde::Serialize;

use super::codes::{ClearanceStatus, DenialReason, ExemptionDecision, VisitOutcome};
use crate::reports::stats::median;

/// One background exemption (waiver) process.
#[derive(Debug, Clone)]
pub struct ExemptionFact {
    pub peer_id: i64,
    pub applied_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
    pub decision: Option<ExemptionDecision>,
}

impl ExemptionFact {
    /// Days in process: to the decision, or to `today` while open (never negative).
    pub fn days_in_process(&self, today: NaiveDate) -> i64 {
        let end = match (self.decision, self.decided_on) {
            (Some(_), Some(d)) => d,
            _ => today,
        };
        (end - self.applied_on).num_days().max(0)
    }
    pub fn is_open(&self) -> bool {
        self.decision.is_none()
    }
}

/// One court fine, fee or restitution order.
#[derive(Debug, Clone)]
pub struct SanctionFact {
    pub peer_id: i64,
    pub amount_usd: f64,
    pub payment_plan: bool,
    pub blocks_credential: bool,
    pub resolved: bool,
}

/// The scope of barrier figures (for the API's schema).
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BarrierScope {
    Programme,
    Deployment,
}

/// Certification barriers in one scope (the programme, or the whole deployment).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BarrierFigures {
    /// "programme" or "deployment".
    #[schema(value_type = BarrierScope)]
    pub scope: String,
    /// Peers (active peer accounts) in scope.
    pub peers: i64,
    /// Exemption processes on record.
    pub exemption_processes: usize,
    /// Of which still open (no decision).
    pub open: usize,
    pub granted: usize,
    pub denied: usize,
    pub withdrawn: usize,
    /// Median days in process over all processes (open ones counted to today).
    pub median_days_in_process: Option<f64>,
    /// Median days open, over the open processes.
    pub median_days_open: Option<f64>,
    /// The longest process, in days.
    pub longest_days: Option<i64>,
    /// Processes that took (or have taken) more than three years (1,095 days).
    pub over_three_years: usize,
    /// Peers blocked by at least one barrier.
    pub peers_blocked: usize,
    /// Peers waiting on an open exemption process.
    pub blocked_by_open_exemption: usize,
    /// Peers whose exemption was denied (and none granted).
    pub blocked_by_denied_exemption: usize,
    /// Peers with an unpaid fine, fee or restitution that blocks the credential.
    pub blocked_by_monetary_sanctions: usize,
    /// Of those, peers on a payment plan.
    pub blocked_on_payment_plan: usize,
    /// Total outstanding amount of blocking sanctions, US dollars.
    pub outstanding_usd: f64,
}

pub const THREE_YEARS_DAYS: i64 = 1095;

/// One figure of the barriers report: its name in the CSV, its label on the page, and how it
/// is read from one scope's figures (`None` where there is nothing to give, such as the median
/// of no processes). The page and the CSV show the same figures in this order.
pub struct BarrierLine {
    pub key: &'static str,
    pub label: &'static str,
    pub value: fn(&BarrierFigures) -> Option<String>,
}

fn count(n: usize) -> Option<String> {
    Some(n.to_string())
}

/// The figures of the barriers report, in the order they are shown.
pub const BARRIER_LINES: &[BarrierLine] = &[
    line("peers", "Peers", |f| Some(f.peers.to_string())),
    line("exemption_processes", "Exemption processes", |f| {
        count(f.exemption_processes)
    }),
    line("open", "Still open", |f| count(f.open)),
    line("granted", "Granted", |f| count(f.granted)),
    line("denied", "Denied", |f| count(f.denied)),
    line("withdrawn", "Withdrawn", |f| count(f.withdrawn)),
    line("median_days_in_process", "Median days in process", |f| {
        f.median_days_in_process.map(|x| format!("{x}"))
    }),
    line(
        "median_days_open",
        "Median days open (open processes)",
        |f| f.median_days_open.map(|x| format!("{x}")),
    ),
    line("longest_days", "Longest process (days)", |f| {
        f.longest_days.map(|d| d.to_string())
    }),
    line("over_three_years", "Processes over three years", |f| {
        count(f.over_three_years)
    }),
    line("peers_blocked", "Peers blocked (any barrier)", |f| {
        count(f.peers_blocked)
    }),
    line(
        "blocked_by_open_exemption",
        "Blocked: exemption still open",
        |f| count(f.blocked_by_open_exemption),
    ),
    line(
        "blocked_by_denied_exemption",
        "Blocked: exemption denied",
        |f| count(f.blocked_by_denied_exemption),
    ),
    line(
        "blocked_by_monetary_sanctions",
        "Blocked: unpaid fines, fees or restitution",
        |f| count(f.blocked_by_monetary_sanctions),
    ),
    line(
        "blocked_on_payment_plan",
        "… of whom on a payment plan",
        |f| count(f.blocked_on_payment_plan),
    ),
    line(
        "outstanding_usd",
        "Outstanding blocking sanctions (USD)",
        |f| Some(format!("{:.2}", f.outstanding_usd)),
    ),
];

const fn line(
    key: &'static str,
    label: &'static str,
    value: fn(&BarrierFigures) -> Option<String>,
) -> BarrierLine {
    BarrierLine { key, label, value }
}

/// Aggregate the barriers of one scope.
pub fn barrier_figures(
    scope: &str,
    peers: i64,
    exemptions: &[ExemptionFact],
    sanctions: &[SanctionFact],
    today: NaiveDate,
) -> BarrierFigures {
    use std::collections::BTreeSet;
    let mut all: Vec<i64> = exemptions
        .iter()
        .map(|e| e.days_in_process(today))
        .collect();
    let mut open_days: Vec<i64> = exemptions
        .iter()
        .filter(|e| e.is_open())
        .map(|e| e.days_in_process(today))
        .collect();
    let count = |d: ExemptionDecision| exemptions.iter().filter(|e| e.decision == Some(d)).count();
    let open_peers: BTreeSet<i64> = exemptions
        .iter()
        .filter(|e| e.is_open())
        .map(|e| e.peer_id)
        .collect();
    let granted_peers: BTreeSet<i64> = exemptions
        .iter()
        .filter(|e| e.decision == Some(ExemptionDecision::Granted))
        .map(|e| e.peer_id)
        .collect();
    let denied_peers: BTreeSet<i64> = exemptions
        .iter()
        .filter(|e| e.decision == Some(ExemptionDecision::Denied))
        .map(|e| e.peer_id)
        .filter(|p| !granted_peers.contains(p) && !open_peers.contains(p))
        .collect();
    let blocking: Vec<&SanctionFact> = sanctions
        .iter()
        .filter(|s| s.blocks_credential && !s.resolved)
        .collect();
    let sanction_peers: BTreeSet<i64> = blocking.iter().map(|s| s.peer_id).collect();
    let plan_peers: BTreeSet<i64> = blocking
        .iter()
        .filter(|s| s.payment_plan)
        .map(|s| s.peer_id)
        .collect();
    let blocked: BTreeSet<i64> = open_peers
        .iter()
        .chain(&denied_peers)
        .chain(&sanction_peers)
        .copied()
        .collect();
    let outstanding: f64 = blocking
        .iter()
        .map(|s| s.amount_usd)
        .filter(|a| a.is_finite() && *a > 0.0)
        .sum();
    BarrierFigures {
        scope: scope.into(),
        peers,
        exemption_processes: exemptions.len(),
        open: open_days.len(),
        granted: count(ExemptionDecision::Granted),
        denied: count(ExemptionDecision::Denied),
        withdrawn: count(ExemptionDecision::Withdrawn),
        median_days_in_process: median(&mut all),
        median_days_open: median(&mut open_days),
        longest_days: all.iter().copied().max(),
        over_three_years: all.iter().filter(|d| **d > THREE_YEARS_DAYS).count(),
        peers_blocked: blocked.len(),
        blocked_by_open_exemption: open_peers.len(),
        blocked_by_denied_exemption: denied_peers.len(),
        blocked_by_monetary_sanctions: sanction_peers.len(),
        blocked_on_payment_plan: plan_peers.len(),
        outstanding_usd: (outstanding * 100.0).round() / 100.0,
    }
}

/// A clearance request (for the facility access report).
#[derive(Debug, Clone)]
pub struct ClearanceFact {
    pub clearance_id: i64,
    pub facility_id: i64,
    pub requested_on: NaiveDate,
}

/// One status change of a clearance.
#[derive(Debug, Clone)]
pub struct ClearanceEventFact {
    pub clearance_id: i64,
    pub status: ClearanceStatus,
    pub on: NaiveDate,
    pub denial_reason: Option<DenialReason>,
}

/// One scheduled visit.
#[derive(Debug, Clone)]
pub struct VisitFact {
    pub facility_id: i64,
    pub scheduled_on: NaiveDate,
    pub outcome: VisitOutcome,
}

/// Denials for one reason.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReasonCount {
    /// prior_incarceration, open_case_or_supervision, paperwork, no_reason_given, other
    #[schema(value_type = crate::workforce::codes::DenialReason)]
    pub reason: String,
    pub label: String,
    pub count: usize,
}

/// Access to one facility in the period.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FacilityAccessRow {
    pub facility_id: i64,
    pub facility: String,
    /// Clearance requests made in the period.
    pub requests: usize,
    /// Grants decided in the period.
    pub granted: usize,
    /// Denials decided in the period.
    pub denied: usize,
    /// Clearances revoked in the period.
    pub revoked: usize,
    /// Denials (and revocations) by reason, every reason listed.
    pub denied_by_reason: Vec<ReasonCount>,
    /// denied / (granted + denied); absent when nothing was decided.
    pub denial_rate: Option<f64>,
    /// Median days from request to grant, over grants in the period.
    pub median_days_to_clearance: Option<f64>,
    pub visits_scheduled: usize,
    pub visits_completed: usize,
    pub refused_at_door: usize,
    pub cancelled_by_facility: usize,
    /// The program's participants at this facility during the period who had no completed peer
    /// contact in it (filled in by the store from the journey).
    pub participants_without_contact: usize,
}

/// The facility access report: one row per facility with any activity in `[from, to]`,
/// **worst first**: highest denial rate, then most refusals at the door, then most denials,
/// then by name.
pub fn facility_access(
    facilities: &[(i64, String)],
    clearances: &[ClearanceFact],
    events: &[ClearanceEventFact],
    visits: &[VisitFact],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<FacilityAccessRow> {
    use std::collections::HashMap;
    let within = |d: NaiveDate| from <= d && d <= to;
    let by_id: HashMap<i64, &ClearanceFact> =
        clearances.iter().map(|c| (c.clearance_id, c)).collect();
    let mut rows = Vec::new();
    for (fid, name) in facilities {
        let requests = clearances
            .iter()
            .filter(|c| c.facility_id == *fid && within(c.requested_on))
            .count();
        let evs: Vec<(&ClearanceEventFact, &ClearanceFact)> = events
            .iter()
            .filter(|e| within(e.on))
            .filter_map(|e| by_id.get(&e.clearance_id).map(|c| (e, *c)))
            .filter(|(_, c)| c.facility_id == *fid)
            .collect();
        let granted: Vec<_> = evs
            .iter()
            .filter(|(e, _)| e.status == ClearanceStatus::Granted)
            .collect();
        let denials: Vec<_> = evs
            .iter()
            .filter(|(e, _)| matches!(e.status, ClearanceStatus::Denied | ClearanceStatus::Revoked))
            .collect();
        let denied = evs
            .iter()
            .filter(|(e, _)| e.status == ClearanceStatus::Denied)
            .count();
        let revoked = denials.len() - denied;
        let mut days: Vec<i64> = granted
            .iter()
            .map(|(e, c)| (e.on - c.requested_on).num_days().max(0))
            .collect();
        let vs: Vec<&VisitFact> = visits
            .iter()
            .filter(|v| v.facility_id == *fid && within(v.scheduled_on))
            .collect();
        let outcome = |o: VisitOutcome| vs.iter().filter(|v| v.outcome == o).count();
        if requests == 0 && evs.is_empty() && vs.is_empty() {
            continue;
        }
        let decided = granted.len() + denied;
        rows.push(FacilityAccessRow {
            facility_id: *fid,
            facility: name.clone(),
            requests,
            granted: granted.len(),
            denied,
            revoked,
            denied_by_reason: DenialReason::ALL
                .iter()
                .map(|r| ReasonCount {
                    reason: r.as_str().into(),
                    label: r.label().into(),
                    count: denials
                        .iter()
                        .filter(|(e, _)| {
                            e.denial_reason.unwrap_or(DenialReason::NoReasonGiven) == *r
                        })
                        .count(),
                })
                .collect(),
            denial_rate: (decided > 0).then(|| denied as f64 / decided as f64),
            median_days_to_clearance: median(&mut days),
            visits_scheduled: vs.len(),
            visits_completed: outcome(VisitOutcome::Completed),
            refused_at_door: outcome(VisitOutcome::RefusedAtDoor),
            cancelled_by_facility: outcome(VisitOutcome::CancelledByFacility),
            participants_without_contact: 0,
        });
    }
    rows.sort_by(|a, b| {
        let rate = |r: &FacilityAccessRow| r.denial_rate.unwrap_or(-1.0);
        rate(b)
            .total_cmp(&rate(a))
            .then(b.refused_at_door.cmp(&a.refused_at_door))
            .then(b.denied.cmp(&a.denied))
            .then(a.facility.cmp(&b.facility))
    });
    rows
}

/// Visits to one facility in one month: how many the programme's peers asked for (scheduled)
/// against how many the facility let them in for (completed), and how the rest ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitMonth {
    pub facility_id: i64,
    pub facility: String,
    /// `YYYY-MM`.
    pub month: String,
    pub requested: usize,
    pub admitted: usize,
    pub refused_at_door: usize,
    pub cancelled_by_facility: usize,
}

impl VisitMonth {
    /// Admitted as a share of requested, as a whole percentage.
    pub fn admitted_percent(&self) -> Option<u32> {
        (self.requested > 0).then(|| {
            u32::try_from((self.admitted * 100 + self.requested / 2) / self.requested)
                .unwrap_or(100)
        })
    }
}

/// Requested against admitted visits per facility and month in `[from, to]` (by facility name,
/// then month; months without a visit are left out).
pub fn visits_by_month(
    facilities: &[(i64, String)],
    visits: &[VisitFact],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<VisitMonth> {
    use std::collections::BTreeMap;
    let mut by: BTreeMap<(&str, i64, String), VisitMonth> = BTreeMap::new();
    let names: std::collections::HashMap<i64, &str> =
        facilities.iter().map(|(id, n)| (*id, n.as_str())).collect();
    for v in visits
        .iter()
        .filter(|v| from <= v.scheduled_on && v.scheduled_on <= to)
    {
        let Some(name) = names.get(&v.facility_id) else {
            continue;
        };
        let month = v.scheduled_on.format("%Y-%m").to_string();
        let m = by
            .entry((name, v.facility_id, month.clone()))
            .or_insert_with(|| VisitMonth {
                facility_id: v.facility_id,
                facility: (*name).to_string(),
                month,
                requested: 0,
                admitted: 0,
                refused_at_door: 0,
                cancelled_by_facility: 0,
            });
        m.requested += 1;
        match v.outcome {
            VisitOutcome::Completed => m.admitted += 1,
            VisitOutcome::RefusedAtDoor => m.refused_at_door += 1,
            VisitOutcome::CancelledByFacility => m.cancelled_by_facility += 1,
            VisitOutcome::Scheduled | VisitOutcome::CancelledByPeer => {}
        }
    }
    by.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::test_dates::ymd as d;

    #[test]
    fn visits_are_counted_requested_against_admitted_per_facility_and_month() {
        let facs = vec![(1, "Ridge".to_string()), (2, "County Jail".to_string())];
        let v = |f, on, outcome| VisitFact {
            facility_id: f,
            scheduled_on: on,
            outcome,
        };
        let visits = vec![
            v(1, d(2026, 3, 2), VisitOutcome::Completed),
            v(1, d(2026, 3, 9), VisitOutcome::RefusedAtDoor),
            v(1, d(2026, 3, 16), VisitOutcome::Completed),
            v(1, d(2026, 4, 1), VisitOutcome::CancelledByFacility),
            v(2, d(2026, 3, 5), VisitOutcome::Scheduled),
            v(2, d(2025, 12, 31), VisitOutcome::Completed), // before the period
        ];
        let months = visits_by_month(&facs, &visits, d(2026, 1, 1), d(2026, 12, 31));
        let got: Vec<(&str, &str, usize, usize, usize, usize)> = months
            .iter()
            .map(|m| {
                (
                    m.facility.as_str(),
                    m.month.as_str(),
                    m.requested,
                    m.admitted,
                    m.refused_at_door,
                    m.cancelled_by_facility,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("County Jail", "2026-03", 1, 0, 0, 0),
                ("Ridge", "2026-03", 3, 2, 1, 0),
                ("Ridge", "2026-04", 1, 0, 0, 1),
            ]
        );
        assert_eq!(months[1].admitted_percent(), Some(67));
        assert_eq!(months[0].admitted_percent(), Some(0));
    }

    #[test]
    fn barriers_count_days_and_blocked_peers() {
        let today = d(2026, 1, 1);
        let ex = vec![
            ExemptionFact {
                peer_id: 1,
                applied_on: d(2022, 1, 1),
                decided_on: None,
                decision: None,
            },
            ExemptionFact {
                peer_id: 2,
                applied_on: d(2025, 1, 1),
                decided_on: Some(d(2025, 3, 2)),
                decision: Some(ExemptionDecision::Granted),
            },
            ExemptionFact {
                peer_id: 3,
                applied_on: d(2025, 6, 1),
                decided_on: Some(d(2025, 7, 1)),
                decision: Some(ExemptionDecision::Denied),
            },
        ];
        let sa = vec![
            SanctionFact {
                peer_id: 2,
                amount_usd: 1200.0,
                payment_plan: true,
                blocks_credential: true,
                resolved: false,
            },
            SanctionFact {
                peer_id: 4,
                amount_usd: 50.0,
                payment_plan: false,
                blocks_credential: true,
                resolved: true,
            },
        ];
        let f = barrier_figures("programme", 10, &ex, &sa, today);
        assert_eq!(f.longest_days, Some(1461));
        assert_eq!(f.over_three_years, 1);
        assert_eq!(f.median_days_in_process, Some(60.0));
        assert_eq!(f.median_days_open, Some(1461.0));
        assert_eq!((f.open, f.granted, f.denied, f.withdrawn), (1, 1, 1, 0));
        assert_eq!(f.peers_blocked, 3);
        assert_eq!(f.blocked_by_open_exemption, 1);
        assert_eq!(f.blocked_by_denied_exemption, 1);
        assert_eq!(f.blocked_by_monetary_sanctions, 1);
        assert_eq!(f.blocked_on_payment_plan, 1);
        assert_eq!(f.outstanding_usd, 1200.0);
        let empty = barrier_figures("deployment", 0, &[], &[], today);
        assert_eq!(empty.median_days_in_process, None);
        assert_eq!(empty.peers_blocked, 0);
    }

    #[test]
    fn facility_access_worst_first() {
        let facs = vec![
            (1, "Good Jail".to_string()),
            (2, "Bad Jail".to_string()),
            (3, "Idle".to_string()),
        ];
        let cl = vec![
            ClearanceFact {
                clearance_id: 10,
                facility_id: 1,
                requested_on: d(2025, 1, 1),
            },
            ClearanceFact {
                clearance_id: 11,
                facility_id: 2,
                requested_on: d(2025, 1, 1),
            },
            ClearanceFact {
                clearance_id: 12,
                facility_id: 2,
                requested_on: d(2025, 1, 5),
            },
        ];
        let ev = vec![
            ClearanceEventFact {
                clearance_id: 10,
                status: ClearanceStatus::Granted,
                on: d(2025, 1, 11),
                denial_reason: None,
            },
            ClearanceEventFact {
                clearance_id: 11,
                status: ClearanceStatus::Denied,
                on: d(2025, 2, 1),
                denial_reason: Some(DenialReason::PriorIncarceration),
            },
            ClearanceEventFact {
                clearance_id: 12,
                status: ClearanceStatus::Denied,
                on: d(2025, 2, 1),
                denial_reason: None,
            },
        ];
        let vs = vec![
            VisitFact {
                facility_id: 1,
                scheduled_on: d(2025, 1, 20),
                outcome: VisitOutcome::Completed,
            },
            VisitFact {
                facility_id: 2,
                scheduled_on: d(2025, 1, 20),
                outcome: VisitOutcome::RefusedAtDoor,
            },
        ];
        let rows = facility_access(&facs, &cl, &ev, &vs, d(2025, 1, 1), d(2025, 12, 31));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].facility, "Bad Jail");
        assert_eq!(rows[0].denial_rate, Some(1.0));
        assert_eq!(rows[0].denied, 2);
        let reason = |r: &FacilityAccessRow, code: &str| {
            r.denied_by_reason
                .iter()
                .find(|c| c.reason == code)
                .unwrap()
                .count
        };
        assert_eq!(reason(&rows[0], "prior_incarceration"), 1);
        assert_eq!(reason(&rows[0], "no_reason_given"), 1);
        assert_eq!(rows[0].refused_at_door, 1);
        assert_eq!(rows[1].median_days_to_clearance, Some(10.0));
        assert_eq!(rows[1].visits_completed, 1);
        // Outside the period nothing counts.
        assert!(facility_access(&facs, &cl, &ev, &vs, d(2024, 1, 1), d(2024, 12, 31)).is_empty());
    }
}
