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
use crate::platform::audit::{self, Event};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields::{self, Fields};
use crate::platform::web::extract::FormFields;

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

/// The claim lines of a payer for a period, audited as `billing.claims.<format>` with the
/// counts of lines and rejections. The policy answers before the query is parsed.
pub async fn claims(
    db: &Db,
    a: &Actor,
    q: &FormFields,
    format: &'static str,
) -> AppResult<ClaimsReport> {
    let scope = access::reports(a)?;
    let query = claims_query(q)?;
    let (who, zone) = (a.who(), a.zone);
    db.read(move |tx| {
        let report = make_claims(tx, &scope, zone, &query)?;
        audit::append(
            tx,
            &who,
            Event::new(
                &format!("billing.claims.{format}"),
                "billing_payer",
                Some(report.payer.id),
            )
            .detail(format!(
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
            Event::new("billing.grants.read", "billing_grant", None)
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
            Event::new("billing.claims.x12", "billing_payer", Some(report.payer.id)).detail(
                format!(
                    "{} to {}; rows={} claims of {} participants",
                    report.from,
                    report.to,
                    report.lines.len(),
                    subscribers.len()
                ),
            ),
        )?;
        Ok((report, file))
    })
    .await
}

// ---------------------------------------------------------------- administration input

/// Named input fields as text, from a submitted form or a JSON object: one parser for both, so
/// the API and the page refuse the same input with the same field named.
pub trait Input {
    /// The field's value as typed ("" when absent). `a.b` names member `b` of object `a` in
    /// JSON (a form names its field `a.b`).
    fn field(&self, name: &str) -> String;
}

impl Input for FormFields {
    fn field(&self, name: &str) -> String {
        self.get(name).to_string()
    }
}

/// A JSON request body's members (numbers and booleans as their text, `null` as absent).
#[derive(Debug, Clone, Default)]
pub struct JsonInput(pub serde_json::Map<String, serde_json::Value>);

impl Input for JsonInput {
    fn field(&self, name: &str) -> String {
        use serde_json::Value;
        let mut parts = name.split('.');
        let mut v = parts.next().and_then(|p| self.0.get(p));
        for p in parts {
            v = v.and_then(|x| x.get(p));
        }
        match v {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        }
    }
}

/// Text of letters, digits, spaces and `-` only (identifiers an 837 carries), at most `max`.
fn code(field: &str, v: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let t = fields::text(field, v, max, required)?;
    if t.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
    {
        Ok(t)
    } else {
        Err(FieldError::keyed(field, "billing-error-code", &[]))
    }
}

/// A whole number from `min` to `max`, `default` when empty.
fn number(field: &str, v: &str, min: i64, max: i64, default: i64) -> Result<i64, FieldError> {
    fields::opt_i64(field, v, min, max).map(|n| n.unwrap_or(default))
}

/// An amount of money: cents from `<name>_cents`, or dollars (`12.50`) from `<name>`.
fn cents(input: &impl Input, name: &str, cents_name: &str, max: i64) -> Result<i64, FieldError> {
    let dollars = input.field(name);
    let t = dollars.trim();
    if t.is_empty() {
        return number(cents_name, &input.field(cents_name), 0, max, 0);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let ok = !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && frac.len() <= 2
        && frac.chars().all(|c| c.is_ascii_digit());
    let value = ok
        .then(|| {
            let w: i64 = whole.parse().ok()?;
            let f: i64 = format!("{frac:0<2}").parse().ok()?;
            w.checked_mul(100)?.checked_add(f)
        })
        .flatten()
        .filter(|c| *c <= max);
    value.ok_or_else(|| FieldError::keyed(name, "billing-error-money", &[]))
}

/// Is `digits` a National Provider Identifier: 10 digits whose last is the Luhn check digit of
/// the other nine prefixed with 80840 (45 CFR 162.406; CMS, "Requirements for NPI check digit").
pub fn npi_valid(npi: &str) -> bool {
    if npi.len() != 10 || !npi.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let all = format!("80840{npi}");
    let sum: u32 = all
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

// ---------------------------------------------------------------- payers

/// May the caller change the programme's billing (its admins)? For pages choosing whether to
/// show the forms; every change asks the policy again.
pub fn may_administer(a: &Actor) -> bool {
    access::administer(a).is_ok()
}

/// The organisation's payers with their rules (admins and supervisors).
pub fn payers(tx: &mut Tx, a: &Actor) -> AppResult<Vec<Payer>> {
    let scope = access::reports(a)?;
    store::payers(tx.conn(), scope.org_id())
}

/// Add a payer with its rules (admins). Absent rules take the defaults: H0038, 15 minutes a
/// unit, the 8-minute rule, HQ for groups, no cap, no ratio, CMS places of service, Z65.2.
/// Audited as `billing.payer.add`.
pub fn add_payer(tx: &mut Tx, a: &Actor, input: &impl Input) -> AppResult<Payer> {
    access::administer(a)?;
    let d = rules::PayerRules::default();
    let mut f = Fields::new();
    let name = f.take(fields::text("name", &input.field("name"), 200, true));
    let kind_text = input.field("kind");
    let kind = f.take(match kind_text.trim() {
        "medicaid" | "other" => Ok(kind_text.trim().to_string()),
        other => Err(fields::unknown_value("kind", other, "medicaid, other")),
    });
    let payer_code = f.take(code("payer_code", &input.field("payer_code"), 80, true));
    let procedure = f.take(code(
        "procedure_code",
        &input.field("procedure_code"),
        5,
        false,
    ));
    let minutes = f.take(number(
        "minutes_per_unit",
        &input.field("minutes_per_unit"),
        1,
        240,
        i64::from(d.minutes_per_unit),
    ));
    let rounding_text = input.field("rounding");
    let rounding = f.take(if rounding_text.trim().is_empty() {
        Ok(d.rounding)
    } else {
        rules::Rounding::parse(rounding_text.trim()).ok_or_else(|| {
            fields::unknown_value("rounding", rounding_text.trim(), rules::Rounding::choices())
        })
    });
    let modifier = f.take(code(
        "group_modifier",
        &input.field("group_modifier"),
        2,
        false,
    ));
    let cap = f.take_opt(fields::opt_i64(
        "daily_unit_cap",
        &input.field("daily_unit_cap"),
        1,
        96,
    ));
    let ratio = f.take_opt(fields::opt_i64(
        "max_group_size",
        &input.field("max_group_size"),
        1,
        100,
    ));
    let rate = f.take(cents(input, "unit_rate", "unit_rate_cents", 10_000_000));
    let diagnosis = f.take(code(
        "diagnosis_code",
        &input.field("diagnosis_code").replace('.', ""),
        7,
        false,
    ));
    let mut pos = Vec::new();
    for s in rules::ServiceSetting::ALL {
        let field = format!("place_of_service.{}", s.as_str());
        let v = input.field(&field);
        let v = v.trim();
        if v.is_empty() || v == s.default_pos() {
            continue;
        }
        if v.len() == 2 && v.chars().all(|c| c.is_ascii_digit()) {
            pos.push((*s, v.to_string()));
        } else {
            f.push(FieldError::keyed(field, "billing-error-pos", &[]));
        }
    }
    if let Some(n) = &name
        && store::payers(tx.conn(), a.org_id)?
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(n))
    {
        f.push(FieldError::keyed("name", "billing-error-payer-exists", &[]));
    }
    f.finish()?;
    let (
        Some(name),
        Some(kind),
        Some(payer_code),
        Some(procedure),
        Some(minutes),
        Some(rounding),
        Some(modifier),
        Some(rate),
        Some(diagnosis),
    ) = (
        name, kind, payer_code, procedure, minutes, rounding, modifier, rate, diagnosis,
    )
    else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    let rules = rules::PayerRules {
        procedure_code: if procedure.is_empty() {
            d.procedure_code
        } else {
            procedure.to_ascii_uppercase()
        },
        minutes_per_unit: u32::try_from(minutes).unwrap_or(d.minutes_per_unit),
        rounding,
        group_modifier: if modifier.is_empty() {
            d.group_modifier
        } else {
            modifier.to_ascii_uppercase()
        },
        daily_unit_cap: cap.and_then(|c| u32::try_from(c).ok()),
        max_group_size: ratio.and_then(|c| u32::try_from(c).ok()),
        unit_rate_cents: rate,
        place_of_service: pos,
        diagnosis_code: if diagnosis.is_empty() {
            d.diagnosis_code
        } else {
            with_dot(&diagnosis.to_ascii_uppercase())
        },
    };
    let payer = store::add_payer(tx, a.org_id, &name, &kind, &payer_code, &rules)?;
    audit::append(
        tx,
        &a.who(),
        Event::new("billing.payer.add", "billing_payer", Some(payer.id))
            .detail(format!("{name} ({kind}, {payer_code})")),
    )?;
    Ok(payer)
}

/// An ICD-10-CM code as people write it: a dot after the third character (`Z652` → `Z65.2`).
fn with_dot(code: &str) -> String {
    if code.len() > 3 && code.is_ascii() {
        format!("{}.{}", &code[..3], &code[3..])
    } else {
        code.to_string()
    }
}

// ---------------------------------------------------------------- grants

/// The organisation's grants (admins and supervisors).
pub fn grants(tx: &mut Tx, a: &Actor) -> AppResult<Vec<Grant>> {
    let scope = access::reports(a)?;
    store::grants(tx.conn(), scope.org_id())
}

/// Add a grant: name, funder, award number, period, amount (admins). Audited as
/// `billing.grant.add`.
pub fn add_grant(tx: &mut Tx, a: &Actor, input: &impl Input) -> AppResult<Grant> {
    access::administer(a)?;
    let mut f = Fields::new();
    let name = f.take(fields::text("name", &input.field("name"), 200, true));
    let funder = f.take(fields::text("funder", &input.field("funder"), 200, true));
    let award = f.take(code("award_number", &input.field("award_number"), 80, true));
    let from = f.take(fields::date("period_from", &input.field("period_from")));
    let to = f.take(fields::date("period_to", &input.field("period_to")));
    let amount = f.take(cents(input, "amount", "amount_cents", 100_000_000_000));
    if let (Some(from), Some(to)) = (from, to) {
        f.check(to < from, "period_to", "billing-error-period-order");
    }
    f.finish()?;
    let (
        Some(name),
        Some(funder),
        Some(award_number),
        Some(period_from),
        Some(period_to),
        Some(amount_cents),
    ) = (name, funder, award, from, to, amount)
    else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    let g = store::add_grant(
        tx,
        a.org_id,
        &Grant {
            id: 0,
            name,
            funder,
            award_number,
            period_from,
            period_to,
            amount_cents,
        },
    )?;
    audit::append(
        tx,
        &a.who(),
        Event::new("billing.grant.add", "billing_grant", Some(g.id)).detail(format!(
            "{} {} to {}",
            g.award_number, g.period_from, g.period_to
        )),
    )?;
    Ok(g)
}

// ---------------------------------------------------------------- the billing provider

/// The organisation's billing provider, if recorded (admins and supervisors).
pub fn billing_provider(tx: &mut Tx, a: &Actor) -> AppResult<Option<BillingProvider>> {
    let scope = access::reports(a)?;
    store::billing_provider(tx.conn(), scope.org_id())
}

/// Record the organisation's billing provider (admins): a new row, the earlier kept. The NPI
/// must carry its check digit; the EIN is 9 digits, the ZIP 5 or 9, the phone 10. Audited as
/// `billing.provider.set`.
pub fn set_billing_provider(
    tx: &mut Tx,
    a: &Actor,
    input: &impl Input,
) -> AppResult<BillingProvider> {
    access::administer(a)?;
    let mut f = Fields::new();
    let take = |f: &mut Fields, name: &str, max: usize| {
        f.take(fields::text(name, &input.field(name), max, true))
            .unwrap_or_default()
    };
    let name = take(&mut f, "name", 60);
    let npi = take(&mut f, "npi", 12);
    let tax_id = take(&mut f, "tax_id", 12);
    let taxonomy = take(&mut f, "taxonomy", 10);
    let address = take(&mut f, "address", 55);
    let city = take(&mut f, "city", 30);
    let state = take(&mut f, "state", 2);
    let zip = take(&mut f, "zip", 10);
    let contact_name = take(&mut f, "contact_name", 60);
    let contact_phone = take(&mut f, "contact_phone", 20);
    let submitter_id = take(&mut f, "submitter_id", 15);
    let digits = super::x12::digits;
    f.check(
        !npi.is_empty() && !npi_valid(&npi),
        "npi",
        "billing-error-npi",
    );
    f.check(
        !tax_id.is_empty()
            && (digits(&tax_id).len() != 9
                || tax_id.chars().any(|c| !c.is_ascii_digit() && c != '-')),
        "tax_id",
        "billing-error-tax-id",
    );
    f.check(
        !taxonomy.is_empty()
            && (taxonomy.len() != 10 || !taxonomy.chars().all(|c| c.is_ascii_alphanumeric())),
        "taxonomy",
        "billing-error-taxonomy",
    );
    f.check(
        !state.is_empty() && (state.len() != 2 || !state.chars().all(|c| c.is_ascii_alphabetic())),
        "state",
        "billing-error-state",
    );
    f.check(
        !zip.is_empty()
            && (!matches!(digits(&zip).len(), 5 | 9)
                || zip.chars().any(|c| !c.is_ascii_digit() && c != '-')),
        "zip",
        "billing-error-zip",
    );
    f.check(
        !contact_phone.is_empty() && digits(&contact_phone).len() != 10,
        "contact_phone",
        "billing-error-phone",
    );
    f.check(
        !submitter_id.is_empty() && !submitter_id.chars().all(|c| c.is_ascii_alphanumeric()),
        "submitter_id",
        "billing-error-code",
    );
    f.finish()?;
    let p = BillingProvider {
        name,
        npi,
        tax_id: digits(&tax_id),
        taxonomy: taxonomy.to_ascii_uppercase(),
        address,
        city,
        state: state.to_ascii_uppercase(),
        zip: digits(&zip),
        contact_name,
        contact_phone: digits(&contact_phone),
        submitter_id: submitter_id.to_ascii_uppercase(),
    };
    let by = (a.user_id != 0).then_some(a.user_id);
    store::set_billing_provider(tx, a.org_id, by, &p)?;
    audit::append(
        tx,
        &a.who(),
        Event::new("billing.provider.set", "organisation", Some(a.org_id))
            .detail(format!("NPI {}", p.npi)),
    )?;
    Ok(p)
}

// ---------------------------------------------------------------- a participant's coverage

/// A participant's coverages (Medicaid plans), newest first: part of the release plan, so the
/// participant's own programme staff read them, and a partner only under a consent to the
/// release plan (the policy records the read).
pub fn coverages(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<Coverage>> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Read(Category::ReleasePlan),
        Event::new("billing_coverage.read", "billing_coverage", None).with_participant(id),
    )?;
    store::participant_coverages(tx.conn(), &g)
}

/// Add a participant's coverage with one of the organisation's payers (admins): the plan,
/// the member id, the first and last day covered (open-ended when no last day).
pub fn add_coverage(tx: &mut Tx, a: &Actor, id: i64, input: &impl Input) -> AppResult<Coverage> {
    // Another organisation's participant is "not found" for every role; then only admins.
    let g = access::participant(
        tx,
        a,
        id,
        Need::Write,
        Event::new("billing_coverage.write", "billing_coverage", None).with_participant(id),
    )?;
    access::administer(a)?;
    let payers = store::payers(tx.conn(), g.org_id())?;
    let mut f = Fields::new();
    let payer_text = input.field("payer_id");
    let payer = f.take_opt(fields::opt_id("payer_id", &payer_text));
    let payer = match payer {
        Some(p) => payers.iter().find(|x| x.id == p).or_else(|| {
            f.push(fields::unknown_value(
                "payer_id",
                &payer_text,
                "a payer of the programme",
            ));
            None
        }),
        None => {
            if !f.failed() {
                f.push(FieldError::keyed(
                    "payer_id",
                    "billing-error-payer-required",
                    &[],
                ));
            }
            None
        }
    };
    let plan = f.take(fields::text(
        "plan_name",
        &input.field("plan_name"),
        200,
        false,
    ));
    let member = f.take(code("member_id", &input.field("member_id"), 80, true));
    let from = f.take(fields::date(
        "effective_from",
        &input.field("effective_from"),
    ));
    let to = f.take_opt(fields::opt_date(
        "effective_to",
        &input.field("effective_to"),
    ));
    if let (Some(from), Some(to)) = (from, to) {
        f.check(to < from, "effective_to", "billing-error-period-order");
    }
    f.finish()?;
    let (Some(payer), Some(plan), Some(member_id), Some(effective_from)) =
        (payer, plan, member, from)
    else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    let by = (a.user_id != 0).then_some(a.user_id);
    store::add_coverage(
        tx,
        g.org_id(),
        by,
        &Coverage {
            id: 0,
            participant_id: g.participant_id(),
            payer_id: payer.id,
            plan_name: if plan.is_empty() {
                payer.name.clone()
            } else {
                plan
            },
            member_id,
            effective_from,
            effective_to: to,
        },
    )
}

// ---------------------------------------------------------------- an encounter's funding

/// The funding rows (current and replaced) of a participant's encounters, oldest first: who may
/// read their participation and encounters (the policy records the read).
pub fn funding(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<FundingRow>> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Read(Category::Participation),
        Event::new("billing_funding.read", "billing_funding", None).with_participant(id),
    )?;
    let ids = encounter_ids(tx, a, id)?;
    store::funding_of(tx.conn(), g.org_id(), &ids)
}

/// The ids of a participant's encounters (through the journey's operation, which asks the
/// policy and records the read).
fn encounter_ids(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<i64>> {
    Ok(crate::journey::ops::encounters(tx, a, id, 100_000)?
        .into_iter()
        .map(|e| e.id)
        .collect())
}

/// Set what pays for one of the participant's encounters (admins): a grant of the programme,
/// one of the participant's coverages, or other funds. A new row; the earlier one is kept and
/// names this one as its replacement. Audited (`billing_funding.write`).
pub fn set_funding(tx: &mut Tx, a: &Actor, id: i64, input: &impl Input) -> AppResult<FundingRow> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Write,
        Event::new("billing_funding.write", "billing_funding", None).with_participant(id),
    )?;
    access::administer(a)?;
    let mut f = Fields::new();
    let enc_text = input.field("encounter_id");
    let encounter = f.take_opt(fields::opt_id("encounter_id", &enc_text));
    if encounter.is_none() && !f.failed() {
        f.push(FieldError::keyed("encounter_id", "error-required", &[]));
    }
    let kind_text = input.field("kind");
    let kind = f
        .take(FundingKind::parse(kind_text.trim()).ok_or_else(|| {
            fields::unknown_value("kind", kind_text.trim(), FundingKind::choices())
        }));
    let grant_text = input.field("grant_id");
    let grant = f.take_opt(fields::opt_id("grant_id", &grant_text));
    let cov_text = input.field("coverage_id");
    let coverage = f.take_opt(fields::opt_id("coverage_id", &cov_text));
    let note = f.take(fields::text("note", &input.field("note"), 500, false));
    if let Some(e) = encounter
        && !encounter_ids(tx, a, id)?.contains(&e)
    {
        f.push(fields::unknown_value(
            "encounter_id",
            &enc_text,
            "an encounter of the participant",
        ));
    }
    match kind {
        Some(FundingKind::Grant) => match grant {
            Some(gid)
                if store::grants(tx.conn(), g.org_id())?
                    .iter()
                    .any(|x| x.id == gid) => {}
            Some(_) => f.push(fields::unknown_value(
                "grant_id",
                &grant_text,
                "a grant of the programme",
            )),
            None => f.push(FieldError::keyed("grant_id", "error-required", &[])),
        },
        Some(FundingKind::Medicaid) => match coverage {
            Some(cid)
                if store::participant_coverages(tx.conn(), &g)?
                    .iter()
                    .any(|c| c.id == cid) => {}
            Some(_) => f.push(fields::unknown_value(
                "coverage_id",
                &cov_text,
                "a coverage of the participant",
            )),
            None => f.push(FieldError::keyed("coverage_id", "error-required", &[])),
        },
        _ => {}
    }
    f.finish()?;
    let (Some(encounter_id), Some(kind), Some(note)) = (encounter, kind, note) else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    let by = (a.user_id != 0).then_some(a.user_id);
    store::set_funding(
        tx,
        g.org_id(),
        by,
        &store::NewFunding {
            encounter_id,
            kind,
            grant_id: if kind == FundingKind::Grant {
                grant
            } else {
                None
            },
            coverage_id: if kind == FundingKind::Medicaid {
                coverage
            } else {
                None
            },
            note,
        },
    )
}
