//! Billing demo data for each provider organisation: its billing provider (a synthetic NPI with
//! a valid check digit), two payers — the state's Medicaid plan (H0038, HQ, 15-minute units
//! under the 8-minute rule, at most 16 units a day, groups up to 1:8) and a Medicaid managed
//! care plan counting whole units only — Medicaid coverage for about 60% of the participants
//! (synthetic member ids), a SAMHSA-style federal award and a state opioid settlement award,
//! a few encounters of last month set to be paid by a grant, and a long day of peer support
//! for two covered participants, so the claims export of last month has billed lines and lines
//! rejected for each of several reasons (an expired or missing credential, over the daily cap,
//! not completed, not peer support, no coverage, funded elsewhere).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::ops::npi_valid;
use super::rules::{Coverage, FundingKind, Grant, PayerRules, Rounding};
use super::store::{self, BillingProvider};
use crate::platform::access::{self, Actor, OrgKind, Role, Via};
use crate::platform::db::{DbConn, write_tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::schema::{organisations, participants, users};

/// The first day of the month before `today`'s.
pub fn last_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first_this = today.with_day(1).unwrap_or(today);
    let last = first_this.pred_opt().unwrap_or(first_this);
    (last.with_day(1).unwrap_or(last), last)
}

/// A 10-digit NPI beginning with `nine` whose last digit is its check digit.
fn npi(nine: u64) -> String {
    (0..10)
        .map(|d| format!("{:09}{d}", nine % 1_000_000_000))
        .find(|n| npi_valid(n))
        .unwrap_or_default()
}

/// The state Medicaid plan's rules.
pub fn state_rules() -> PayerRules {
    PayerRules {
        rounding: Rounding::HalfUnit,
        daily_unit_cap: Some(16),
        max_group_size: Some(8),
        unit_rate_cents: 1_850,
        ..PayerRules::default()
    }
}

pub fn generate(conn: &mut DbConn, rng: &mut StdRng, now: NaiveDateTime) -> AppResult<()> {
    let providers: Vec<(i64, String)> = organisations::table
        .filter(organisations::kind.eq(OrgKind::Provider.as_str()))
        .order(organisations::id)
        .select((organisations::id, organisations::name))
        .load(conn)?;
    let today = now.date();
    let (month_from, month_to) = last_month(today);
    for (n, (org, name)) in providers.iter().enumerate() {
        let people: Vec<i64> = participants::table
            .filter(participants::org_id.eq(org))
            .filter(participants::merged_into_id.is_null())
            .order(participants::id)
            .select(participants::id)
            .load(conn)?;
        let admin = Actor::command_line(*org, OrgKind::Provider, name);
        let (state_payer, covered) = write_tx(conn, |tx| {
            store::set_billing_provider(
                tx,
                *org,
                None,
                &BillingProvider {
                    name: name.clone(),
                    npi: npi(123_456_780 + n as u64 * 7),
                    tax_id: format!("{:09}", 451_230_000 + n),
                    // Substance use rehabilitation clinic.
                    taxonomy: "261QR0405X".into(),
                    address: format!("{} Main Street", 100 + n * 10),
                    city: "Springfield".into(),
                    state: "IL".into(),
                    zip: format!("6270{}1234", n % 10),
                    contact_name: "Billing Office".into(),
                    contact_phone: format!("217555{:04}", 100 + n),
                    submitter_id: format!("TC{:06}", 100 + n),
                },
            )?;
            let state = store::add_payer(
                tx,
                *org,
                "State Medicaid (fee for service)",
                "medicaid",
                "SKMCD",
                &state_rules(),
            )?;
            let managed = store::add_payer(
                tx,
                *org,
                "Horizon Community Health Plan",
                "medicaid",
                "HCHP01",
                &PayerRules {
                    rounding: Rounding::WholeUnits,
                    daily_unit_cap: Some(12),
                    max_group_size: Some(6),
                    unit_rate_cents: 1_725,
                    ..PayerRules::default()
                },
            )?;
            let mut list = Vec::new();
            let mut covered = Vec::new();
            for p in &people {
                if !rng.gen_bool(0.6) {
                    continue;
                }
                let state_plan = rng.gen_bool(0.7);
                let from = today - Duration::days(rng.gen_range(45..900));
                // One in ten coverages ended before last month.
                let to = rng
                    .gen_bool(0.1)
                    .then(|| month_from - Duration::days(rng.gen_range(1..60)))
                    .filter(|t| *t >= from);
                let (payer, plan, member) = if state_plan {
                    (
                        &state,
                        "Medicaid fee for service",
                        format!("SM{:09}", rng.gen_range(0..1_000_000_000u64)),
                    )
                } else {
                    (
                        &managed,
                        "Horizon Medicaid managed care",
                        format!("HC{:08}", rng.gen_range(0..100_000_000u64)),
                    )
                };
                if state_plan && to.is_none() {
                    covered.push(*p);
                }
                list.push(Coverage {
                    id: 0,
                    participant_id: *p,
                    payer_id: payer.id,
                    plan_name: plan.into(),
                    member_id: member,
                    effective_from: from,
                    effective_to: to,
                });
            }
            store::add_coverages(tx, *org, &list)?;
            Ok((state, covered))
        })?;
        let (samhsa, _settlement) = write_tx(conn, |tx| {
            let year = today.year();
            let samhsa = store::add_grant(
                tx,
                *org,
                &Grant {
                    id: 0,
                    name: "Building Communities of Recovery".into(),
                    funder: "SAMHSA".into(),
                    award_number: format!("H79TI0{:05}", 85_100 + n),
                    period_from: NaiveDate::from_ymd_opt(year - 1, 9, 30).unwrap_or(today),
                    period_to: NaiveDate::from_ymd_opt(year + 2, 9, 29).unwrap_or(today),
                    amount_cents: 150_000_000,
                },
            )?;
            let settlement = store::add_grant(
                tx,
                *org,
                &Grant {
                    id: 0,
                    name: "Opioid Settlement Reentry Peer Support".into(),
                    funder: "State Opioid Settlement Fund".into(),
                    award_number: format!("OSF-{year}-{:04}", 147 + n),
                    period_from: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today),
                    period_to: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today),
                    amount_cents: 42_500_000,
                },
            )?;
            Ok((samhsa, settlement))
        })?;
        // A long day for two covered participants (a release day: in the jail, the ride home,
        // the first appointments), past the state plan's 16 units, by a peer whose credential
        // is valid that day.
        let day = month_from + Duration::days(9);
        write_tx(conn, |tx| {
            let scope = access::reports(&admin)?;
            let valid_on = |tx: &mut crate::platform::db::Tx| -> AppResult<Vec<i64>> {
                Ok(crate::workforce::ops::certifications(tx, &scope)?
                    .into_iter()
                    .filter(|(_, from, lapses)| *from <= day && lapses.is_none_or(|l| day < l))
                    .map(|(peer, _, _)| peer)
                    .collect())
            };
            let mut certified = valid_on(tx)?;
            if certified.is_empty() {
                // The workforce demo certifies a peer by chance: when none of this programme's
                // is certified last month, the busiest peer of its covered participants passed
                // the IC&RC exam and was certified ten months before (through the workforce's
                // own operation), so the month has billed lines beside the rejected ones.
                if let Some(peer) = busiest_peer(tx, &admin, &covered, month_from, month_to)?
                    && let Some(standard) = crate::workforce::ops::standards(tx, &admin)?.last()
                {
                    let on = month_from - Duration::days(300);
                    let input = serde_json::json!({
                        "standard_id": standard.id,
                        "exam_passed_on": (on - Duration::days(30)).to_string(),
                        "ethics_signed_on": (on - Duration::days(60)).to_string(),
                        "background_cleared_on": (on - Duration::days(90)).to_string(),
                        "education_met": true,
                        "fees_paid": true,
                        "certified_on": on.to_string(),
                    });
                    crate::workforce::ops::save_pathway(tx, &admin, peer, || {
                        serde_json::from_value(input).map_err(AppError::internal)
                    })?;
                }
                certified = valid_on(tx)?;
            }
            let Some(peer) = certified.first().copied() else {
                return Ok(());
            };
            let as_peer = Actor {
                user_id: peer,
                role: Role::Peer,
                via: Via::CommandLine,
                ..admin.clone()
            };
            for p in covered.iter().take(2) {
                for (hour, mode, minutes) in [
                    (8, "in_facility", 90),
                    (11, "in_community", 90),
                    (14, "in_community", 75),
                ] {
                    // The journey's own input, as its API takes it.
                    let input = serde_json::json!({
                        "kind": "individual",
                        "mode": mode,
                        "outcome": "completed",
                        "service": "peer_support",
                        "occurred_at": format!("{day}T{hour:02}:00"),
                        "duration_minutes": minutes,
                    });
                    crate::journey::ops::record_encounter(tx, &as_peer, *p, || {
                        serde_json::from_value(input).map_err(AppError::internal)
                    })?;
                }
            }
            // The same day, a visit by a peer not certified on it: a rejected line that says
            // why (the workforce demo certifies peers by chance, so this one is made sure of).
            let uncertified = users::table
                .filter(users::org_id.eq(*org))
                .filter(users::role.eq("peer"))
                .filter(users::disabled_at.is_null())
                .order(users::id)
                .select(users::id)
                .load::<i64>(tx.conn())?
                .into_iter()
                .find(|u| !certified.contains(u));
            if let (Some(u), Some(p)) = (uncertified, covered.get(2).or(covered.first())) {
                let as_uncertified = Actor {
                    user_id: u,
                    ..as_peer.clone()
                };
                let input = serde_json::json!({
                    "kind": "individual",
                    "mode": "in_community",
                    "outcome": "completed",
                    "service": "peer_support",
                    "occurred_at": format!("{day}T16:30"),
                    "duration_minutes": 45,
                });
                crate::journey::ops::record_encounter(tx, &as_uncertified, *p, || {
                    serde_json::from_value(input).map_err(AppError::internal)
                })?;
            }
            Ok(())
        })?;
        // A few of last month's completed encounters of covered participants paid by the
        // SAMHSA award instead (funded elsewhere on the claims).
        write_tx(conn, |tx| {
            let scope = access::reports(&admin)?;
            let zone = crate::platform::time::zone_of(tx.conn(), *org)?;
            let list = crate::journey::ops::encounters_for_billing(
                tx,
                &scope,
                zone.start_of(month_from),
                zone.start_of(month_to + Duration::days(1)),
            )?;
            let picks: Vec<i64> = list
                .iter()
                .filter(|e| e.outcome == "completed" && covered.contains(&e.participant_id))
                .map(|e| e.id)
                .filter(|_| rng.gen_bool(0.05))
                .take(6)
                .collect();
            for encounter_id in picks {
                store::set_funding(
                    tx,
                    *org,
                    None,
                    &store::NewFunding {
                        encounter_id,
                        kind: FundingKind::Grant,
                        grant_id: Some(samhsa.id),
                        coverage_id: None,
                        note: "Paid by the Building Communities of Recovery award".into(),
                    },
                )?;
            }
            Ok(())
        })?;
        let _ = state_payer;
    }
    Ok(())
}

/// The peer who delivered most of last month's encounters with `covered` participants.
fn busiest_peer(
    tx: &mut crate::platform::db::Tx,
    admin: &Actor,
    covered: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Option<i64>> {
    let scope = access::reports(admin)?;
    let zone = crate::platform::time::zone_of(tx.conn(), admin.org_id)?;
    let list = crate::journey::ops::encounters_for_billing(
        tx,
        &scope,
        zone.start_of(from),
        zone.start_of(to + Duration::days(1)),
    )?;
    let mut counts: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for e in list.iter().filter(|e| covered.contains(&e.participant_id)) {
        if let Some(p) = e.delivered_by {
            *counts.entry(p).or_default() += 1;
        }
    }
    Ok(counts
        .into_iter()
        .max_by_key(|(p, n)| (*n, std::cmp::Reverse(*p)))
        .map(|(p, _)| p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_npis_carry_their_check_digit_and_last_month_is_whole() {
        // CMS's published example: 123456789 → check digit 3.
        assert_eq!(npi(123_456_789), "1234567893");
        assert!(npi_valid("1234567893"));
        assert!(!npi_valid("1234567890"));
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            last_month(d("2026-12-02")),
            (d("2026-11-01"), d("2026-11-30"))
        );
        assert_eq!(
            last_month(d("2026-03-31")),
            (d("2026-02-01"), d("2026-02-28"))
        );
    }
}
