//! Billing administration (admins change, supervisors read): the payers with their rules, the
//! grants, the billing provider of the 837P, a participant's coverage and an encounter's
//! funding source. Each input is parsed at the edge with `Fields`, each change audited, and a
//! change adds a row: the earlier one is kept.

use super::*;

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
        Event::new(Action::BillingPayerAdd, "billing_payer", Some(payer.id))
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
        Event::new(Action::BillingGrantAdd, "billing_grant", Some(g.id)).detail(format!(
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
    let digits = crate::billing::x12::digits;
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
        Event::new(Action::BillingProviderSet, "organisation", Some(a.org_id))
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
        Event::new(Action::BillingCoverageRead, "billing_coverage", None).with_participant(id),
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
        Event::new(Action::BillingCoverageWrite, "billing_coverage", None).with_participant(id),
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
        Event::new(Action::BillingFundingRead, "billing_funding", None).with_participant(id),
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
        Event::new(Action::BillingFundingWrite, "billing_funding", None).with_participant(id),
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
