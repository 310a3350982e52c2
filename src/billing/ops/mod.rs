//! Billing use cases. Each asks the access policy (the organisation's own admins and
//! supervisors: `access::reports`), reads through the store and the journey's and workforce's
//! public functions, and appends the audit entry; an export records its rows (decision 0044:
//! the claims are made whole before the first byte, so the count is known when it is sent).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::rules::{
    self, BillableEncounter, ClaimLine, Coverage, CredentialPeriod, Funding, FundingKind, Grant,
    RejectReason, RejectedLine, ServiceSetting,
};
use super::store::{self, BillingProvider, FundingRow, Payer};
use crate::consent::rules::Category;
use crate::journey::rules::EncounterService;
use crate::platform::access::{self, Actor, Need};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields::{self, Fields};
use crate::platform::web::extract::FormFields;

mod admin;
pub use admin::*;

/// The longest period one claims export covers.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// What the claims export asks for: a payer and a period (both days included).
#[derive(Debug, Clone)]
pub struct ClaimsQuery {
    pub payer_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Parse `payer`, `from`, `to` from a query; every wrong field named at once.
pub fn claims_query(q: &FormFields) -> AppResult<ClaimsQuery> {
    let mut f = Fields::new();
    let payer = f.take_opt(fields::opt_id("payer", q.get("payer")));
    if payer.is_none() && !f.failed() {
        f.push(FieldError::keyed(
            "payer",
            "billing-error-payer-required",
            &[],
        ));
    }
    let from = f.take(fields::date("from", q.get("from")));
    let to = f.take(fields::date("to", q.get("to")));
    if let (Some(from), Some(to)) = (from, to)
        && (to < from || (to - from).num_days() >= MAX_PERIOD_DAYS)
    {
        f.push(FieldError::keyed(
            "to",
            "billing-error-period",
            &[("days", MAX_PERIOD_DAYS.to_string())],
        ));
    }
    f.finish()?;
    match (payer, from, to) {
        (Some(payer_id), Some(from), Some(to)) => Ok(ClaimsQuery { payer_id, from, to }),
        _ => Err(AppError::internal(anyhow::anyhow!("checked above"))),
    }
}

/// The claims of one payer and period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClaimsReport {
    pub payer: Payer,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<ClaimLine>,
    pub rejected: Vec<RejectedLine>,
    /// Rejected lines by reason.
    #[schema(value_type = Object)]
    pub rejected_by_reason: BTreeMap<RejectReason, usize>,
    pub units: u32,
    pub charge_cents: i64,
    /// Each covered participant's member id with this payer (for the CSV and the 837).
    #[schema(value_type = Object)]
    pub member_ids: BTreeMap<i64, String>,
}

/// The claim lines of a payer for a period, audited as `action` (`billing.claims.html`, `.json`
/// or `.csv`: how they were shown) with the counts of lines and rejections. The policy answers
/// before the query is parsed.
pub async fn claims(db: &Db, a: &Actor, q: &FormFields, action: Action) -> AppResult<ClaimsReport> {
    let scope = access::reports(a)?;
    let query = claims_query(q)?;
    let (who, zone) = (a.who(), a.zone);
    db.read(move |tx| {
        let report = make_claims(tx, &scope, zone, &query)?;
        audit::append(
            tx,
            &who,
            Event::new(action, "billing_payer", Some(report.payer.id)).detail(format!(
                "{} to {}; rows={} lines={} rejected={}",
                report.from,
                report.to,
                report.lines.len() + report.rejected.len(),
                report.lines.len(),
                report.rejected.len()
            )),
        )?;
        Ok(report)
    })
    .await
}

fn make_claims(
    tx: &mut Tx,
    scope: &access::ReportScope,
    zone: crate::platform::time::Zone,
    q: &ClaimsQuery,
) -> AppResult<ClaimsReport> {
    let org = scope.org_id();
    let payer = store::payers(tx.conn(), org)?
        .into_iter()
        .find(|p| p.id == q.payer_id)
        .ok_or(AppError::NotFound)?;
    let end = q.to.succ_opt().ok_or(AppError::NotFound)?;
    let encounters = crate::journey::ops::encounters_for_billing(
        tx,
        scope,
        zone.start_of(q.from),
        zone.start_of(end),
    )?;
    let credentials: Vec<CredentialPeriod> = crate::workforce::ops::certifications(tx, scope)?
        .into_iter()
        .map(|(peer_id, valid_from, lapses_on)| CredentialPeriod {
            peer_id,
            valid_from,
            lapses_on,
        })
        .collect();
    let coverages: Vec<Coverage> = store::coverages(tx.conn(), org, q.from, q.to)?
        .into_iter()
        .filter(|c| c.payer_id == payer.id)
        .collect();
    let current = current_funding(store::funding_rows(tx.conn(), org)?);
    let billable: Vec<BillableEncounter> = encounters
        .iter()
        .map(|e| BillableEncounter {
            encounter_id: e.id,
            participant_id: e.participant_id,
            peer_id: e.delivered_by,
            at: e.occurred_at,
            date: zone.date_of(e.occurred_at),
            minutes: u32::try_from(e.duration_minutes).unwrap_or(0),
            completed: e.outcome == "completed",
            peer_support: e.service == EncounterService::PeerSupport.as_str(),
            group_size: e.group_id.map(|_| e.group_size.unwrap_or(1)),
            setting: ServiceSetting::of_mode(&e.mode),
            funded_elsewhere: current
                .get(&e.id)
                .is_some_and(|f| f.kind != FundingKind::Medicaid),
        })
        .collect();
    let c = rules::claims(
        &payer.rules,
        &billable,
        |p, d| {
            coverages
                .iter()
                .any(|c| c.participant_id == p && c.holds(d))
        },
        &credentials,
    );
    let mut by_reason = BTreeMap::new();
    for r in &c.rejected {
        *by_reason.entry(r.reason).or_default() += 1;
    }
    let member_ids = coverages
        .iter()
        .map(|c| (c.participant_id, c.member_id.clone()))
        .collect();
    Ok(ClaimsReport {
        units: c.units(),
        charge_cents: c.lines.iter().map(|l| l.charge_cents).sum(),
        payer,
        from: q.from,
        to: q.to,
        lines: c.lines,
        rejected: c.rejected,
        rejected_by_reason: by_reason,
        member_ids,
    })
}

/// The current funding row of each encounter (the one not replaced).
fn current_funding(rows: Vec<FundingRow>) -> HashMap<i64, FundingRow> {
    rows.into_iter()
        .filter(|r| r.replaced_by.is_none())
        .map(|r| (r.encounter_id, r))
        .collect()
}

/// The claims as CSV (through the one CSV writer): the billed lines, then the rejected lines,
/// a `status` column telling them apart and `reason` saying why a line was rejected.
pub fn claims_csv(r: &ClaimsReport) -> AppResult<String> {
    let mut w = crate::platform::csv_safe::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| AppError::internal(e);
    w.write_record([
        "status",
        "date_of_service",
        "encounter_id",
        "participant_id",
        "member_id",
        "peer_id",
        "procedure_code",
        "modifiers",
        "place_of_service",
        "minutes",
        "units",
        "charge",
        "reason",
    ])
    .map_err(csv_err)?;
    let member = |p: i64| r.member_ids.get(&p).cloned().unwrap_or_default();
    for l in &r.lines {
        w.write_record([
            "billed".to_string(),
            l.date.to_string(),
            l.encounter_id.to_string(),
            l.participant_id.to_string(),
            member(l.participant_id),
            l.peer_id.to_string(),
            l.procedure_code.clone(),
            l.modifiers.join(" "),
            l.place_of_service.clone(),
            l.minutes.to_string(),
            l.units.to_string(),
            money(l.charge_cents),
            String::new(),
        ])
        .map_err(csv_err)?;
    }
    for l in &r.rejected {
        w.write_record([
            "rejected".to_string(),
            l.date.to_string(),
            l.encounter_id.to_string(),
            l.participant_id.to_string(),
            member(l.participant_id),
            String::new(),
            r.payer.rules.procedure_code.clone(),
            String::new(),
            String::new(),
            l.minutes.to_string(),
            l.units.to_string(),
            String::new(),
            l.reason.as_str().to_string(),
        ])
        .map_err(csv_err)?;
    }
    let bytes = w.into_inner().map_err(AppError::internal)?;
    String::from_utf8(bytes).map_err(AppError::internal)
}

/// Cents as dollars with two decimals.
pub fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// One grant's spending in a period: the completed encounters it funds and their minutes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GrantSpending {
    pub grant: Grant,
    pub encounters: u32,
    pub minutes: u32,
}

/// Each grant's spending in `[from, to]`: completed encounters whose funding (set, else the
/// default from coverage and grants) is that grant. Audited as `billing.grants.read`.
pub async fn grant_spending(db: &Db, a: &Actor, q: &FormFields) -> AppResult<Vec<GrantSpending>> {
    // The policy first: who may not see a programme's billing is refused before its input is
    // read.
    let scope = access::reports(a)?;
    let mut f = Fields::new();
    let from = f.take(fields::date("from", q.get("from")));
    let to = f.take(fields::date("to", q.get("to")));
    f.finish()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    let (from, to) = crate::reports::params::checked_period(from, to)?;
    let (who, zone) = (a.who(), a.zone);
    db.read(move |tx| {
        let org = scope.org_id();
        let end = to.succ_opt().ok_or(AppError::NotFound)?;
        let encounters = crate::journey::ops::encounters_for_billing(
            tx,
            &scope,
            zone.start_of(from),
            zone.start_of(end),
        )?;
        let grants = store::grants(tx.conn(), org)?;
        let coverages = store::coverages(tx.conn(), org, from, to)?;
        let current = current_funding(store::funding_rows(tx.conn(), org)?);
        let mut out: Vec<GrantSpending> = grants
            .iter()
            .map(|g| GrantSpending {
                grant: g.clone(),
                encounters: 0,
                minutes: 0,
            })
            .collect();
        for e in encounters.iter().filter(|e| e.outcome == "completed") {
            let f: Funding = current.get(&e.id).map_or_else(
                || {
                    rules::default_funding(
                        e.participant_id,
                        zone.date_of(e.occurred_at),
                        &coverages,
                        &grants,
                    )
                },
                |r| Funding {
                    kind: r.kind,
                    grant_id: r.grant_id,
                    coverage_id: r.coverage_id,
                    explicit: true,
                },
            );
            if let Some(s) = out.iter_mut().find(|s| Some(s.grant.id) == f.grant_id) {
                s.encounters += 1;
                s.minutes += u32::try_from(e.duration_minutes).unwrap_or(0);
            }
        }
        audit::append(
            tx,
            &who,
            Event::new(Action::BillingGrantsRead, "billing_grant", None)
                .detail(format!("{from} to {to}; {} grants", out.len())),
        )?;
        Ok(out)
    })
    .await
}

// ---------------------------------------------------------------- the 837P file

/// The X12 837P file (005010X222A1) of a payer's billed lines for a period (decision 0048),
/// with the claims it was made from. The organisation's billing provider must be recorded
/// first (`PUT /api/v1/settings/billing/provider`); a period without a billed line has no file.
/// Audited as `billing.claims.x12` with the lines sent.
pub async fn claims_x12(db: &Db, a: &Actor, q: &FormFields) -> AppResult<(ClaimsReport, String)> {
    let scope = access::reports(a)?;
    let query = claims_query(q)?;
    let (who, zone) = (a.who(), a.zone);
    db.read(move |tx| {
        let report = make_claims(tx, &scope, zone, &query)?;
        let org = scope.org_id();
        let provider = store::billing_provider(tx.conn(), org)?
            .ok_or_else(|| AppError::keyed("format", "billing-error-no-provider", &[]))?;
        if report.lines.is_empty() {
            return Err(AppError::keyed("from", "billing-error-nothing-billed", &[]));
        }
        let mut ids: Vec<i64> = report.lines.iter().map(|l| l.participant_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let subscribers = store::subscribers(tx.conn(), org, &ids)?;
        let file = super::x12::render(&super::x12::Export {
            provider: &provider,
            payer: &report.payer,
            subscribers: &subscribers,
            member_ids: &report.member_ids,
            lines: &report.lines,
            from: report.from,
            to: report.to,
            created: crate::platform::time::now(),
        });
        audit::append(
            tx,
            &who,
            Event::new(
                Action::BillingClaimsX12,
                "billing_payer",
                Some(report.payer.id),
            )
            .detail(format!(
                "{} to {}; rows={} claims of {} participants",
                report.from,
                report.to,
                report.lines.len(),
                subscribers.len()
            )),
        )?;
        Ok((report, file))
    })
    .await
}
