//! Billing's tables: payers and their rules, coverage, grants, and the funding source set for
//! an encounter (a change is a new row; the prior row names the one that replaced it).
//! Every function takes the organisation the access policy returned.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::rules::{Coverage, FundingKind, Grant, PayerRules};
use super::schema::*;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::time;

/// A payer of the organisation with its rules.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Payer {
    pub id: i64,
    pub name: String,
    /// medicaid, other
    pub kind: String,
    /// The payer's identifier on an 837 (loop 2010BB NM109).
    pub payer_code: String,
    pub rules: PayerRules,
}

pub fn add_payer(
    tx: &mut Tx,
    org_id: i64,
    name: &str,
    kind: &str,
    payer_code: &str,
    rules: &PayerRules,
) -> AppResult<Payer> {
    let id = new_id();
    let json = serde_json::to_string(rules).map_err(AppError::internal)?;
    diesel::insert_into(billing_payers::table)
        .values((
            billing_payers::id.eq(id),
            billing_payers::org_id.eq(org_id),
            billing_payers::name.eq(name),
            billing_payers::kind.eq(kind),
            billing_payers::payer_code.eq(payer_code),
            billing_payers::rules.eq(&json),
            billing_payers::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(Payer {
        id,
        name: name.into(),
        kind: kind.into(),
        payer_code: payer_code.into(),
        rules: rules.clone(),
    })
}

pub fn payers(conn: &mut DbConn, org_id: i64) -> AppResult<Vec<Payer>> {
    let rows: Vec<(i64, String, String, String, String)> = billing_payers::table
        .filter(billing_payers::org_id.eq(org_id))
        .order((billing_payers::name, billing_payers::id))
        .select((
            billing_payers::id,
            billing_payers::name,
            billing_payers::kind,
            billing_payers::payer_code,
            billing_payers::rules,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, name, kind, payer_code, rules)| {
            Ok(Payer {
                id,
                name,
                kind,
                payer_code,
                rules: serde_json::from_str(&rules).map_err(AppError::internal)?,
            })
        })
        .collect()
}

pub fn add_coverage(
    tx: &mut Tx,
    org_id: i64,
    by: Option<i64>,
    c: &Coverage,
) -> AppResult<Coverage> {
    let id = new_id();
    diesel::insert_into(billing_coverages::table)
        .values((
            billing_coverages::id.eq(id),
            billing_coverages::org_id.eq(org_id),
            billing_coverages::participant_id.eq(c.participant_id),
            billing_coverages::payer_id.eq(c.payer_id),
            billing_coverages::plan_name.eq(&c.plan_name),
            billing_coverages::member_id.eq(&c.member_id),
            billing_coverages::effective_from.eq(c.effective_from),
            billing_coverages::effective_to.eq(c.effective_to),
            billing_coverages::created_by.eq(by),
            billing_coverages::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(Coverage { id, ..c.clone() })
}

/// A coverage's columns, in the order [`coverage_of`] reads them.
const COVERAGE_COLUMNS: (
    billing_coverages::id,
    billing_coverages::participant_id,
    billing_coverages::payer_id,
    billing_coverages::plan_name,
    billing_coverages::member_id,
    billing_coverages::effective_from,
    billing_coverages::effective_to,
) = (
    billing_coverages::id,
    billing_coverages::participant_id,
    billing_coverages::payer_id,
    billing_coverages::plan_name,
    billing_coverages::member_id,
    billing_coverages::effective_from,
    billing_coverages::effective_to,
);

type CoverageRow = (i64, i64, i64, String, String, NaiveDate, Option<NaiveDate>);

fn coverage_of(r: CoverageRow) -> Coverage {
    Coverage {
        id: r.0,
        participant_id: r.1,
        payer_id: r.2,
        plan_name: r.3,
        member_id: r.4,
        effective_from: r.5,
        effective_to: r.6,
    }
}

/// The organisation's coverages that overlap `[from, to]`.
pub fn coverages(
    conn: &mut DbConn,
    org_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Coverage>> {
    let rows: Vec<CoverageRow> = billing_coverages::table
        .filter(billing_coverages::org_id.eq(org_id))
        .filter(billing_coverages::effective_from.le(to))
        .filter(
            billing_coverages::effective_to
                .is_null()
                .or(billing_coverages::effective_to.ge(from)),
        )
        .order(billing_coverages::id)
        .select(COVERAGE_COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().map(coverage_of).collect())
}

pub fn add_grant(tx: &mut Tx, org_id: i64, g: &Grant) -> AppResult<Grant> {
    let id = new_id();
    diesel::insert_into(billing_grants::table)
        .values((
            billing_grants::id.eq(id),
            billing_grants::org_id.eq(org_id),
            billing_grants::name.eq(&g.name),
            billing_grants::funder.eq(&g.funder),
            billing_grants::award_number.eq(&g.award_number),
            billing_grants::period_from.eq(g.period_from),
            billing_grants::period_to.eq(g.period_to),
            billing_grants::amount_cents.eq(g.amount_cents),
            billing_grants::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(Grant { id, ..g.clone() })
}

pub fn grants(conn: &mut DbConn, org_id: i64) -> AppResult<Vec<Grant>> {
    type Row = (i64, String, String, String, NaiveDate, NaiveDate, i64);
    let rows: Vec<Row> = billing_grants::table
        .filter(billing_grants::org_id.eq(org_id))
        .order((billing_grants::period_from, billing_grants::id))
        .select((
            billing_grants::id,
            billing_grants::name,
            billing_grants::funder,
            billing_grants::award_number,
            billing_grants::period_from,
            billing_grants::period_to,
            billing_grants::amount_cents,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Grant {
            id: r.0,
            name: r.1,
            funder: r.2,
            award_number: r.3,
            period_from: r.4,
            period_to: r.5,
            amount_cents: r.6,
        })
        .collect())
}

/// A funding source set for an encounter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FundingRow {
    pub id: i64,
    pub encounter_id: i64,
    pub kind: FundingKind,
    pub grant_id: Option<i64>,
    pub coverage_id: Option<i64>,
    pub note: String,
    /// The row that replaced this one; `None` for the current source.
    pub replaced_by: Option<i64>,
}

/// A funding source to set for an encounter.
#[derive(Debug, Clone)]
pub struct NewFunding {
    pub encounter_id: i64,
    pub kind: FundingKind,
    pub grant_id: Option<i64>,
    pub coverage_id: Option<i64>,
    pub note: String,
}

/// Set an encounter's funding source: a new row, and the current one (if any) marked as
/// replaced by it; nothing is overwritten.
pub fn set_funding(
    tx: &mut Tx,
    org_id: i64,
    by: Option<i64>,
    f: &NewFunding,
) -> AppResult<FundingRow> {
    let NewFunding {
        encounter_id,
        kind,
        grant_id,
        coverage_id,
        ref note,
    } = *f;
    let id = new_id();
    diesel::insert_into(billing_funding::table)
        .values((
            billing_funding::id.eq(id),
            billing_funding::org_id.eq(org_id),
            billing_funding::encounter_id.eq(encounter_id),
            billing_funding::kind.eq(kind.as_str()),
            billing_funding::grant_id.eq(grant_id),
            billing_funding::coverage_id.eq(coverage_id),
            billing_funding::note.eq(note),
            billing_funding::set_by.eq(by),
            billing_funding::set_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    diesel::update(
        billing_funding::table
            .filter(billing_funding::org_id.eq(org_id))
            .filter(billing_funding::encounter_id.eq(encounter_id))
            .filter(billing_funding::replaced_by.is_null())
            .filter(billing_funding::id.ne(id)),
    )
    .set(billing_funding::replaced_by.eq(id))
    .execute(tx.conn())?;
    Ok(FundingRow {
        id,
        encounter_id,
        kind,
        grant_id,
        coverage_id,
        note: note.into(),
        replaced_by: None,
    })
}

/// Every funding row of the organisation's encounters (current and replaced), oldest first.
pub fn funding_rows(conn: &mut DbConn, org_id: i64) -> AppResult<Vec<FundingRow>> {
    type Row = (
        i64,
        i64,
        String,
        Option<i64>,
        Option<i64>,
        String,
        Option<i64>,
    );
    let rows: Vec<Row> = billing_funding::table
        .filter(billing_funding::org_id.eq(org_id))
        .order(billing_funding::id)
        .select((
            billing_funding::id,
            billing_funding::encounter_id,
            billing_funding::kind,
            billing_funding::grant_id,
            billing_funding::coverage_id,
            billing_funding::note,
            billing_funding::replaced_by,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| FundingRow {
            id: r.0,
            encounter_id: r.1,
            kind: FundingKind::parse(&r.2).unwrap_or(FundingKind::Other),
            grant_id: r.3,
            coverage_id: r.4,
            note: r.5,
            replaced_by: r.6,
        })
        .collect())
}

/// A participant's coverages (every payer), newest first; the grant is the policy's answer.
pub fn participant_coverages(
    conn: &mut DbConn,
    g: &crate::platform::access::ParticipantGrant,
) -> AppResult<Vec<Coverage>> {
    let rows: Vec<CoverageRow> = billing_coverages::table
        .filter(billing_coverages::org_id.eq(g.org_id()))
        .filter(billing_coverages::participant_id.eq(g.participant_id()))
        .order((
            billing_coverages::effective_from.desc(),
            billing_coverages::id.desc(),
        ))
        .select(COVERAGE_COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().map(coverage_of).collect())
}

/// The organisation's billing provider as an 837P names it: the submitter (loop 1000A) and
/// the billing provider (loop 2000A/2010AA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BillingProvider {
    pub name: String,
    /// National Provider Identifier: 10 digits with its check digit (45 CFR 162.406).
    pub npi: String,
    /// Employer identification number: 9 digits.
    pub tax_id: String,
    /// Health Care Provider Taxonomy code (10 characters).
    pub taxonomy: String,
    pub address: String,
    pub city: String,
    /// Two-letter state code.
    pub state: String,
    /// ZIP code: 5 or 9 digits (the 837P asks 9 for the billing provider).
    pub zip: String,
    pub contact_name: String,
    /// Digits only, with the area code.
    pub contact_phone: String,
    /// The submitter's identifier at the receiver (ISA06, GS02, loop 1000A NM109).
    pub submitter_id: String,
}

/// Record the organisation's billing provider: a new row, the earlier ones kept.
pub fn set_billing_provider(
    tx: &mut Tx,
    org_id: i64,
    by: Option<i64>,
    p: &BillingProvider,
) -> AppResult<()> {
    diesel::insert_into(billing_providers::table)
        .values((
            billing_providers::id.eq(new_id()),
            billing_providers::org_id.eq(org_id),
            billing_providers::name.eq(&p.name),
            billing_providers::npi.eq(&p.npi),
            billing_providers::tax_id.eq(&p.tax_id),
            billing_providers::taxonomy.eq(&p.taxonomy),
            billing_providers::address.eq(&p.address),
            billing_providers::city.eq(&p.city),
            billing_providers::state.eq(&p.state),
            billing_providers::zip.eq(&p.zip),
            billing_providers::contact_name.eq(&p.contact_name),
            billing_providers::contact_phone.eq(&p.contact_phone),
            billing_providers::submitter_id.eq(&p.submitter_id),
            billing_providers::set_by.eq(by),
            billing_providers::set_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(())
}

/// The organisation's billing provider in use (the newest row), if one was recorded.
pub fn billing_provider(conn: &mut DbConn, org_id: i64) -> AppResult<Option<BillingProvider>> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    );
    let row: Option<Row> = billing_providers::table
        .filter(billing_providers::org_id.eq(org_id))
        .order((
            billing_providers::set_at.desc(),
            billing_providers::id.desc(),
        ))
        .select((
            billing_providers::name,
            billing_providers::npi,
            billing_providers::tax_id,
            billing_providers::taxonomy,
            billing_providers::address,
            billing_providers::city,
            billing_providers::state,
            billing_providers::zip,
            billing_providers::contact_name,
            billing_providers::contact_phone,
            billing_providers::submitter_id,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|r| BillingProvider {
        name: r.0,
        npi: r.1,
        tax_id: r.2,
        taxonomy: r.3,
        address: r.4,
        city: r.5,
        state: r.6,
        zip: r.7,
        contact_name: r.8,
        contact_phone: r.9,
        submitter_id: r.10,
    }))
}

/// A subscriber as the 837P names them (loop 2010BA): the participant's name and date of birth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub participant_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
}

/// The names and dates of birth of the organisation's participants among `ids` (a claims
/// export's; the caller holds the policy's report scope for `org_id`).
pub fn subscribers(conn: &mut DbConn, org_id: i64, ids: &[i64]) -> AppResult<Vec<Subscriber>> {
    use crate::platform::schema::participants;
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String, String, NaiveDate)> = participants::table
            .filter(participants::org_id.eq(org_id))
            .filter(participants::id.eq_any(chunk))
            .select((
                participants::id,
                participants::first_name,
                participants::last_name,
                participants::date_of_birth,
            ))
            .load(conn)?;
        out.extend(rows.into_iter().map(|r| Subscriber {
            participant_id: r.0,
            first_name: r.1,
            last_name: r.2,
            date_of_birth: r.3,
        }));
    }
    out.sort_by_key(|s| s.participant_id);
    Ok(out)
}

/// The funding rows (current and replaced) of the given encounters, oldest first.
pub fn funding_of(
    conn: &mut DbConn,
    org_id: i64,
    encounter_ids: &[i64],
) -> AppResult<Vec<FundingRow>> {
    Ok(funding_rows(conn, org_id)?
        .into_iter()
        .filter(|r| encounter_ids.contains(&r.encounter_id))
        .collect())
}

/// Add many coverages at once (the demo's).
pub fn add_coverages(tx: &mut Tx, org_id: i64, list: &[Coverage]) -> AppResult<()> {
    for c in list {
        add_coverage(tx, org_id, None, c)?;
    }
    Ok(())
}
