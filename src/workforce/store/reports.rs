//! The organisation's workforce reports: certification barriers, facility access, and participants
//! without contact.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use crate::platform::db::DbConn;
use crate::platform::error::AppResult;
use crate::platform::schema::{facilities, users};
use crate::workforce::codes::{ClearanceStatus, DenialReason, ExemptionDecision, VisitOutcome};
use crate::workforce::figures::{
    self, BarrierFigures, ClearanceEventFact, ClearanceFact, ExemptionFact, FacilityAccessRow,
    SanctionFact, VisitFact, VisitMonth,
};
use crate::workforce::schema::*;

/// `(org_id, peer_id, applied_on, decided_on, decision)`.
type ExemptionRow = (i64, i64, NaiveDate, Option<NaiveDate>, Option<String>);

/// The certification barriers report: the programme and the whole deployment, de-identified.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BarriersReport {
    pub as_of: NaiveDate,
    pub programme: BarrierFigures,
    pub deployment: BarrierFigures,
    /// The programme's hiring pipeline at the steps where a criminal record bars hiring (the
    /// background check, the facility clearance): entered, advanced, dropped out by reason.
    pub hiring: Vec<crate::workforce::hiring::rules::StepFigures>,
}

pub fn barriers_report(
    conn: &mut DbConn,
    org_id: i64,
    today: NaiveDate,
) -> AppResult<BarriersReport> {
    let ex: Vec<(i64, ExemptionFact)> = exemption_processes::table
        .select((
            exemption_processes::org_id,
            exemption_processes::peer_id,
            exemption_processes::applied_on,
            exemption_processes::decided_on,
            exemption_processes::decision,
        ))
        .load::<ExemptionRow>(conn)?
        .into_iter()
        .map(|(org, peer_id, applied_on, decided_on, decision)| {
            let decision = decision.as_deref().and_then(ExemptionDecision::parse);
            let fact = ExemptionFact {
                peer_id,
                applied_on,
                decided_on,
                decision,
            };
            (org, fact)
        })
        .collect();
    let sa: Vec<(i64, SanctionFact)> = monetary_sanctions::table
        .select((
            monetary_sanctions::org_id,
            monetary_sanctions::peer_id,
            monetary_sanctions::amount_usd,
            monetary_sanctions::payment_plan,
            monetary_sanctions::blocks_credential,
            monetary_sanctions::resolved_on,
        ))
        .load::<(i64, i64, f64, bool, bool, Option<NaiveDate>)>(conn)?
        .into_iter()
        .map(
            |(org, peer_id, amount_usd, payment_plan, blocks_credential, resolved_on)| {
                let resolved = resolved_on.is_some_and(|d| d <= today);
                let fact = SanctionFact {
                    peer_id,
                    amount_usd,
                    payment_plan,
                    blocks_credential,
                    resolved,
                };
                (org, fact)
            },
        )
        .collect();
    let peers: Vec<i64> = users::table
        .filter(users::role.eq("peer"))
        .filter(users::disabled_at.is_null())
        .select(users::org_id)
        .load(conn)?;
    let facts = |only: Option<i64>| {
        let n = peers
            .iter()
            .filter(|o| only.is_none_or(|x| **o == x))
            .count() as i64;
        (of_org(&ex, only), of_org(&sa, only), n)
    };
    let (pe, ps, pn) = facts(Some(org_id));
    let (de, ds, dn) = facts(None);
    Ok(BarriersReport {
        as_of: today,
        programme: figures::barrier_figures("programme", pn, &pe, &ps, today),
        deployment: figures::barrier_figures("deployment", dn, &de, &ds, today),
        hiring: crate::workforce::hiring::store::barrier_steps(conn, org_id)?,
    })
}

/// The facts of rows `(org_id, fact)` of one organisation, or of all when `only` is `None`.
fn of_org<T: Clone>(rows: &[(i64, T)], only: Option<i64>) -> Vec<T> {
    rows.iter()
        .filter(|(org, _)| only.is_none_or(|o| *org == o))
        .map(|(_, fact)| fact.clone())
        .collect()
}

/// The tables the facility access report reads (its report data version is theirs): the
/// clearances and visits, and the episodes and encounters that count the participants held at a
/// facility without a contact ([`participants_without_contact`]).
pub const FACILITY_ACCESS_READS: &[&str] = &[
    "facilities",
    "facility_clearances",
    "clearance_events",
    "facility_visits",
    "episodes",
    "encounters",
];

/// The facility access report of a programme for `[from, to]`, worst first, with its visits
/// requested against admitted per facility and month.
pub fn facility_access_report(
    conn: &mut DbConn,
    org_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(Vec<FacilityAccessRow>, Vec<VisitMonth>)> {
    let facs: Vec<(i64, String)> = facilities::table
        .order(facilities::name)
        .select((facilities::id, facilities::name))
        .load(conn)?;
    let cl: Vec<(i64, i64, NaiveDate)> = facility_clearances::table
        .filter(facility_clearances::org_id.eq(org_id))
        .select((
            facility_clearances::id,
            facility_clearances::facility_id,
            facility_clearances::requested_on,
        ))
        .load(conn)?;
    let ev: Vec<(i64, String, NaiveDate, Option<String>)> = clearance_events::table
        .filter(clearance_events::org_id.eq(org_id))
        .filter(clearance_events::on_date.ge(from))
        .filter(clearance_events::on_date.le(to))
        .select((
            clearance_events::clearance_id,
            clearance_events::status,
            clearance_events::on_date,
            clearance_events::denial_reason,
        ))
        .load(conn)?;
    let vs: Vec<(i64, NaiveDate, String)> = facility_visits::table
        .filter(facility_visits::org_id.eq(org_id))
        .filter(facility_visits::scheduled_on.ge(from))
        .filter(facility_visits::scheduled_on.le(to))
        .select((
            facility_visits::facility_id,
            facility_visits::scheduled_on,
            facility_visits::outcome,
        ))
        .load(conn)?;
    let cl: Vec<ClearanceFact> = cl
        .into_iter()
        .map(|(clearance_id, facility_id, requested_on)| ClearanceFact {
            clearance_id,
            facility_id,
            requested_on,
        })
        .collect();
    let ev: Vec<ClearanceEventFact> = ev
        .into_iter()
        .filter_map(|(clearance_id, status, on, reason)| {
            Some(ClearanceEventFact {
                clearance_id,
                status: ClearanceStatus::parse(&status)?,
                on,
                denial_reason: reason.as_deref().and_then(DenialReason::parse),
            })
        })
        .collect();
    let vs: Vec<VisitFact> = vs
        .into_iter()
        .filter_map(|(facility_id, scheduled_on, outcome)| {
            Some(VisitFact {
                facility_id,
                scheduled_on,
                outcome: VisitOutcome::parse(&outcome)?,
            })
        })
        .collect();
    let mut rows = figures::facility_access(&facs, &cl, &ev, &vs, from, to);
    let without = participants_without_contact(conn, org_id, from, to)?;
    for r in &mut rows {
        r.participants_without_contact = without.get(&r.facility_id).copied().unwrap_or(0);
    }
    Ok((rows, figures::visits_by_month(&facs, &vs, from, to)))
}

#[derive(diesel::QueryableByName)]
struct FacilityCount {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    fid: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Per facility: the organisation's participants held there at some time in `[from, to]` (an
/// episode at the facility overlapping the period, not released before it) with no completed
/// encounter in the period.
pub fn participants_without_contact(
    conn: &mut DbConn,
    org_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<std::collections::HashMap<i64, usize>> {
    use diesel::sql_types::{BigInt, Date, Timestamp};
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = (to + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    // Placeholders first appear in the order they are bound: SQLite numbers `$N` by first
    // appearance (https://www.sqlite.org/lang_expr.html#parameters), PostgreSQL by N.
    let rows: Vec<FacilityCount> = diesel::sql_query(
        "SELECT e.facility_id AS fid, COUNT(DISTINCT e.participant_id) AS n FROM episodes e \
         WHERE e.org_id = $1 AND e.facility_id IS NOT NULL \
         AND (e.ended_on IS NULL OR e.ended_on >= $2) AND e.started_on <= $3 \
         AND (e.released_at IS NULL OR e.released_at >= $4) \
         AND NOT EXISTS (SELECT 1 FROM encounters c WHERE c.participant_id = e.participant_id \
           AND c.outcome = 'completed' AND c.occurred_at >= $4 AND c.occurred_at < $5) \
         GROUP BY e.facility_id",
    )
    .bind::<BigInt, _>(org_id)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .bind::<Timestamp, _>(start)
    .bind::<Timestamp, _>(end)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.fid, r.n as usize)).collect())
}
