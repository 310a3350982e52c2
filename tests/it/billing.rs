//! Billing on both backends: a fixed month of encounters (October 2026) becomes claim lines and
//! rejected lines against hand-computed units and reasons (an expired credential, an over-cap
//! day, a too-short contact, an attempt, a text message), as JSON and as the CSV a billing
//! office downloads; only the organisation's admins and supervisors may export, another
//! organisation's payer is 404, bad input is 422 naming the field, and the export is audited
//! with its rows. The administration API (payers, grants, the billing provider, a participant's
//! coverage and an encounter's funding: admins change, supervisors read, fields named when
//! wrong, audited) and the X12 837P file, which `x12::*` (ignored, run by scripts/test with
//! PYX12 set) hands to pyx12's validator, from this fixed month and from the demo data.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;
use throughcare::billing::rules::{Coverage, Grant, PayerRules, Rounding};
use throughcare::billing::store as billing;
use throughcare::journey::schema::encounters;
use throughcare::platform::access::Role;
use throughcare::platform::db::write_tx;
use throughcare::platform::schema::audit_log;
use throughcare::workforce::credentials::ic_and_rc_peer_recovery;
use throughcare::workforce::schema::peer_pathways;
use throughcare::workforce::store as workforce;

use crate::helpers::{TestApp, spawn_app};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(day: &str, hour: u32) -> NaiveDateTime {
    d(day).and_hms_opt(hour, 0, 0).unwrap()
}

/// One encounter row: (id, date, hour, minutes, mode, outcome, group, delivered by).
type Enc = (
    i64,
    &'static str,
    u32,
    i32,
    &'static str,
    &'static str,
    bool,
    i64,
);

struct Fixed {
    payer: i64,
    peer: i64,
    supervisor: i64,
}

/// The month: peer certified 2024-11-01 (IC&RC, renewal 2 years: valid through October), the
/// supervisor certified 2024-10-15 (lapses 2026-10-15). Medicaid rules: 8-minute rule, 15
/// minutes a unit, cap 4 units a day, groups up to 8, $25.00 a unit. Coverage from 2026-10-01.
async fn seed(app: &TestApp) -> Fixed {
    let db = app.state.db.clone();
    let org = org_of(app, app.a.user(Role::Admin).id).await;
    let participant = app.a.participant_id;
    let peer = app.a.user(Role::Peer).id;
    let supervisor = app.a.user(Role::Supervisor).id;
    let b_participant = app.b.participant_id;
    let b_org = org_of(app, app.b.user(Role::Admin).id).await;
    let b_peer = app.b.user(Role::Peer).id;
    let payer = tokio::task::spawn_blocking(move || {
        let mut conn = db.conn().unwrap();
        write_tx(&mut conn, |tx| {
            let rules = PayerRules {
                rounding: Rounding::HalfUnit,
                daily_unit_cap: Some(4),
                max_group_size: Some(8),
                unit_rate_cents: 2_500,
                ..PayerRules::default()
            };
            let payer = billing::add_payer(tx, org, "State Medicaid", "medicaid", "SKCO0", &rules)?;
            billing::add_coverage(
                tx,
                org,
                None,
                &Coverage {
                    id: 0,
                    participant_id: participant,
                    payer_id: payer.id,
                    plan_name: "Medicaid managed care".into(),
                    member_id: "MCD123456".into(),
                    effective_from: d("2026-10-01"),
                    effective_to: None,
                },
            )?;
            billing::add_grant(
                tx,
                org,
                &Grant {
                    id: 0,
                    name: "Second Chance Act".into(),
                    funder: "BJA".into(),
                    award_number: "15PBJA-25-GG-00001-SECA".into(),
                    period_from: d("2025-10-01"),
                    period_to: d("2026-09-30"),
                    amount_cents: 25_000_000,
                },
            )?;
            let standard = workforce::create_standard(tx, org, &ic_and_rc_peer_recovery())?;
            for (id, who, on) in [(1, peer, "2024-11-01"), (2, supervisor, "2024-10-15")] {
                diesel::insert_into(peer_pathways::table)
                    .values((
                        peer_pathways::id.eq(900_000 + id),
                        peer_pathways::org_id.eq(org),
                        peer_pathways::peer_id.eq(who),
                        peer_pathways::standard_id.eq(standard.id),
                        peer_pathways::education_met.eq(true),
                        peer_pathways::fees_paid.eq(true),
                        peer_pathways::certified_on.eq(Some(d(on))),
                        peer_pathways::created_at.eq(at("2024-10-01", 0)),
                        peer_pathways::updated_at.eq(at("2024-10-01", 0)),
                    ))
                    .execute(tx.conn())?;
            }
            let month: [Enc; 10] = [
                (
                    1,
                    "2026-10-02",
                    14,
                    30,
                    "in_facility",
                    "completed",
                    false,
                    peer,
                ),
                (2, "2026-10-05", 14, 8, "phone", "completed", false, peer),
                (3, "2026-10-05", 15, 7, "video", "completed", false, peer),
                (
                    4,
                    "2026-10-07",
                    14,
                    45,
                    "in_facility",
                    "completed",
                    true,
                    peer,
                ),
                (
                    5,
                    "2026-10-07",
                    16,
                    30,
                    "in_community",
                    "completed",
                    false,
                    peer,
                ),
                (
                    6,
                    "2026-10-09",
                    14,
                    30,
                    "in_facility",
                    "attempted",
                    false,
                    peer,
                ),
                (
                    7,
                    "2026-10-10",
                    14,
                    60,
                    "in_facility",
                    "completed",
                    false,
                    supervisor,
                ),
                (
                    8,
                    "2026-10-20",
                    14,
                    30,
                    "in_facility",
                    "completed",
                    false,
                    supervisor,
                ),
                (9, "2026-10-21", 14, 20, "text", "completed", false, peer),
                (
                    10,
                    "2026-11-01",
                    14,
                    30,
                    "in_facility",
                    "completed",
                    false,
                    peer,
                ),
            ];
            for (id, day, hour, minutes, mode, outcome, group, by) in month {
                insert_encounter(
                    tx,
                    800_000 + id,
                    org,
                    participant,
                    day,
                    hour,
                    minutes,
                    mode,
                    outcome,
                    group,
                    by,
                )?;
            }
            // Another organisation's encounter in the month: never on A's claims.
            insert_encounter(
                tx,
                800_100,
                b_org,
                b_participant,
                "2026-10-02",
                14,
                60,
                "in_facility",
                "completed",
                false,
                b_peer,
            )?;
            Ok(payer.id)
        })
        .unwrap()
    })
    .await
    .unwrap();
    Fixed {
        payer,
        peer,
        supervisor,
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_encounter(
    tx: &mut throughcare::platform::db::Tx,
    id: i64,
    org: i64,
    participant: i64,
    day: &str,
    hour: u32,
    minutes: i32,
    mode: &str,
    outcome: &str,
    group: bool,
    by: i64,
) -> throughcare::platform::error::AppResult<()> {
    diesel::insert_into(encounters::table)
        .values((
            encounters::id.eq(id),
            encounters::org_id.eq(org),
            encounters::participant_id.eq(participant),
            encounters::group_id.eq(group.then_some(id + 1_000)),
            encounters::kind.eq(if group { "group" } else { "individual" }),
            encounters::mode.eq(mode),
            encounters::outcome.eq(outcome),
            encounters::occurred_at.eq(at(day, hour)),
            encounters::duration_minutes.eq(minutes),
            encounters::topics.eq(""),
            encounters::note.eq(""),
            encounters::created_by.eq(Some(by)),
            encounters::created_at.eq(at(day, hour)),
            encounters::life_domains.eq(""),
        ))
        .execute(tx.conn())?;
    Ok(())
}

async fn org_of(app: &TestApp, user: i64) -> i64 {
    use throughcare::platform::schema::users;
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut c = db.conn().unwrap();
        users::table
            .find(user)
            .select(users::org_id)
            .first::<i64>(&mut *c)
            .unwrap()
    })
    .await
    .unwrap()
}

async fn audit_details(app: &TestApp, action: &'static str) -> Vec<String> {
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut c = db.conn().unwrap();
        audit_log::table
            .filter(audit_log::action.eq(action))
            .select(audit_log::detail)
            .load::<String>(&mut *c)
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_month_of_encounters_becomes_hand_computed_claim_lines_and_rejections() {
    let app = spawn_app().await;
    let f = seed(&app).await;
    let admin = app.a.user(Role::Admin);
    let path = |fmt: &str| {
        format!(
            "/api/v1/billing/claims?payer={}&from=2026-10-01&to=2026-10-31&format={fmt}",
            f.payer
        )
    };

    let r = app.get_bearer(&path("json"), &admin.token).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    // Billed, by hand: #1 30 min → 2; #2 8 min → 1 (8-minute rule, phone: POS 02); #4 45 min
    // group → 3 with HQ; #5 30 min → 2 but the day's cap of 4 leaves 1 (POS 99); #7 60 min by
    // the supervisor, certified until 2026-10-15 → 4.
    let lines: Vec<(i64, u64, String, String)> = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["encounter_id"].as_i64().unwrap() - 800_000,
                l["units"].as_u64().unwrap(),
                l["modifiers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(" "),
                l["place_of_service"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        lines,
        vec![
            (1, 2, s(""), s("09")),
            (2, 1, s(""), s("02")),
            (4, 3, s("HQ"), s("09")),
            (5, 1, s(""), s("99")),
            (7, 4, s(""), s("09")),
        ]
    );
    assert_eq!(v["units"], 11);
    assert_eq!(v["charge_cents"], 27_500);
    assert_eq!(v["lines"][4]["peer_id"], f.supervisor);
    assert_eq!(v["lines"][0]["peer_id"], f.peer);
    let rejected: Vec<(i64, u64, String)> = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["encounter_id"].as_i64().unwrap() - 800_000,
                l["units"].as_u64().unwrap(),
                l["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        vec![
            (3, 0, s("too_short")),
            (5, 1, s("over_daily_cap")),
            (6, 2, s("not_completed")),
            (8, 2, s("credential_not_valid")),
            (9, 1, s("mode_not_billable")),
        ]
    );
    assert_eq!(v["rejected_by_reason"]["over_daily_cap"], 1);

    // The CSV: the same units, by hand, with the member id and the charge in dollars.
    let r = app.get_bearer(&path("csv"), &admin.token).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = r.text().await.unwrap();
    let rows: Vec<Vec<String>> = body
        .lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    assert_eq!(
        rows[0].join(","),
        "status,date_of_service,encounter_id,participant_id,member_id,peer_id,procedure_code,modifiers,place_of_service,minutes,units,charge,reason"
    );
    let got: Vec<String> = rows[1..]
        .iter()
        .map(|r| {
            let id = r[2].parse::<i64>().unwrap() - 800_000;
            format!(
                "{} {} {id} {} {} {} {} {} {} {}",
                r[0], r[1], r[4], r[6], r[7], r[8], r[10], r[11], r[12]
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            "billed 2026-10-02 1 MCD123456 H0038  09 2 50.00 ",
            "billed 2026-10-05 2 MCD123456 H0038  02 1 25.00 ",
            "billed 2026-10-07 4 MCD123456 H0038 HQ 09 3 75.00 ",
            "billed 2026-10-07 5 MCD123456 H0038  99 1 25.00 ",
            "billed 2026-10-10 7 MCD123456 H0038  09 4 100.00 ",
            "rejected 2026-10-05 3 MCD123456 H0038   0  too_short",
            "rejected 2026-10-07 5 MCD123456 H0038   1  over_daily_cap",
            "rejected 2026-10-09 6 MCD123456 H0038   2  not_completed",
            "rejected 2026-10-20 8 MCD123456 H0038   2  credential_not_valid",
            "rejected 2026-10-21 9 MCD123456 H0038   1  mode_not_billable",
        ]
    );

    // Each export is in the audit log with its rows.
    let details = audit_details(&app, "billing.claims.csv").await;
    assert_eq!(
        details,
        vec!["2026-10-01 to 2026-10-31; rows=10 lines=5 rejected=5"]
    );
    assert_eq!(audit_details(&app, "billing.claims.json").await.len(), 1);

    // The grant's period ended before October: October is Medicaid's, the grant funds nothing.
    let r = app
        .get_bearer(
            "/api/v1/billing/grants?from=2026-10-01&to=2026-10-31",
            &admin.token,
        )
        .await;
    assert_eq!(r.status(), 200);
    let g: Value = r.json().await.unwrap();
    assert_eq!(g[0]["grant"]["award_number"], "15PBJA-25-GG-00001-SECA");
    assert_eq!(g[0]["encounters"], 0);
}

#[tokio::test]
async fn claims_are_for_the_organisations_admins_and_supervisors_and_bad_input_is_named() {
    let app = spawn_app().await;
    let f = seed(&app).await;
    let path = format!(
        "/api/v1/billing/claims?payer={}&from=2026-10-01&to=2026-10-31",
        f.payer
    );
    assert_eq!(
        app.get_bearer(&path, &app.a.user(Role::Supervisor).token)
            .await
            .status(),
        200
    );
    for role in [Role::Peer] {
        let r = app.get_bearer(&path, &app.a.user(role).token).await;
        assert_eq!(r.status(), 403, "{role:?}");
        // Refused before its input is read: bad dates do not tell a peer more.
        let r = app
            .get_bearer(
                "/api/v1/billing/grants?from=nonsense&to=2026-10-01",
                &app.a.user(role).token,
            )
            .await;
        assert_eq!(r.status(), 403, "{role:?}: grants");
    }
    // Another organisation's admin: A's payer is not theirs.
    let r = app.get_bearer(&path, &app.b.user(Role::Admin).token).await;
    assert_eq!(r.status(), 404);
    let admin = &app.a.user(Role::Admin).token;
    let r = app
        .get_bearer(
            "/api/v1/billing/claims?from=2026-10-31&to=2026-10-01&format=xml",
            admin,
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .get_bearer(
            "/api/v1/billing/claims?payer=x&from=2026-13-01&to=2026-10-01",
            admin,
        )
        .await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["payer", "from"]);
    let r = app
        .get_bearer(
            &format!(
                "/api/v1/billing/claims?payer={}&from=2026-10-31&to=2026-10-01",
                f.payer
            ),
            admin,
        )
        .await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["errors"][0]["field"], "to");
}

#[tokio::test]
async fn a_changed_funding_source_keeps_the_prior_and_takes_the_encounter_off_the_claims() {
    use throughcare::billing::rules::FundingKind;
    let app = spawn_app().await;
    let f = seed(&app).await;
    let db = app.state.db.clone();
    let org = org_of(&app, app.a.user(Role::Admin).id).await;
    let rows = tokio::task::spawn_blocking(move || {
        let mut conn = db.conn().unwrap();
        write_tx(&mut conn, |tx| {
            for kind in [FundingKind::Medicaid, FundingKind::Other] {
                billing::set_funding(
                    tx,
                    org,
                    None,
                    &billing::NewFunding {
                        encounter_id: 800_001,
                        kind,
                        grant_id: None,
                        coverage_id: None,
                        note: format!("set to {kind}"),
                    },
                )?;
            }
            billing::funding_rows(tx.conn(), org)
        })
        .unwrap()
    })
    .await
    .unwrap();
    // Two rows: the first (Medicaid) kept, naming the one that replaced it.
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].kind, FundingKind::Medicaid);
    assert_eq!(rows[0].replaced_by, Some(rows[1].id));
    assert_eq!(rows[1].replaced_by, None);
    let r = app
        .get_bearer(
            &format!(
                "/api/v1/billing/claims?payer={}&from=2026-10-01&to=2026-10-31",
                f.payer
            ),
            &app.a.user(Role::Admin).token,
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["units"], 9,
        "encounter 1's two units are no longer billed"
    );
    assert_eq!(v["rejected"][0]["encounter_id"], 800_001);
    assert_eq!(v["rejected"][0]["reason"], "funded_elsewhere");
}

/// An encounter that delivered another service than peer support (here case management, a
/// pre-release service of a reentry programme) is not billed as H0038 peer units: it is a
/// rejected line saying so, and the month's units drop by its own.
#[tokio::test]
async fn only_peer_support_encounters_become_peer_units() {
    let app = spawn_app().await;
    let f = seed(&app).await;
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = db.conn().unwrap();
        write_tx(&mut conn, |tx| {
            diesel::update(encounters::table.find(800_001_i64))
                .set(encounters::service.eq("case_management"))
                .execute(tx.conn())?;
            Ok(())
        })
        .unwrap();
    })
    .await
    .unwrap();
    let r = app
        .get_bearer(
            &format!(
                "/api/v1/billing/claims?payer={}&from=2026-10-01&to=2026-10-31",
                f.payer
            ),
            &app.a.user(Role::Admin).token,
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["units"], 9,
        "encounter 1's two units are no longer billed"
    );
    assert_eq!(v["rejected"][0]["encounter_id"], 800_001);
    assert_eq!(v["rejected"][0]["reason"], "not_peer_support");
}

/// The billing provider the 837P names, as the API takes it.
fn provider_body() -> Value {
    serde_json::json!({
        "name": "Second Wind Peer Recovery",
        "npi": "1234567893",
        "tax_id": "12-3456789",
        "taxonomy": "261QR0405X",
        "address": "100 Main St",
        "city": "Springfield",
        "state": "IL",
        "zip": "62701-1234",
        "contact_name": "Billing Office",
        "contact_phone": "(217) 555-0100",
        "submitter_id": "SWPR001"
    })
}

async fn put_bearer(app: &TestApp, path: &str, token: &str, body: Value) -> reqwest::Response {
    app.api()
        .put(format!("{}{path}", app.url))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The fields a 422 names, in order.
async fn fields_named(r: reqwest::Response) -> Vec<String> {
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn admins_add_payers_grants_and_the_billing_provider_supervisors_read_them() {
    let app = spawn_app().await;
    let admin = &app.a.user(Role::Admin).token;
    let supervisor = &app.a.user(Role::Supervisor).token;
    let peer = &app.a.user(Role::Peer).token;
    let payer = serde_json::json!({
        "name": "Horizon Community Health Plan",
        "kind": "medicaid",
        "payer_code": "HCHP01",
        "rounding": "whole_units",
        "daily_unit_cap": 12,
        "max_group_size": 6,
        "unit_rate_cents": 1725,
        "place_of_service": {"telehealth": "10"}
    });
    let r = app
        .post_bearer("/api/v1/settings/billing/payers", admin, payer.clone())
        .await;
    assert_eq!(r.status(), 201);
    let p: Value = r.json().await.unwrap();
    // The rules not given are the defaults: H0038, 15 minutes, HQ, Z65.2.
    assert_eq!(p["rules"]["procedure_code"], "H0038");
    assert_eq!(p["rules"]["minutes_per_unit"], 15);
    assert_eq!(p["rules"]["group_modifier"], "HQ");
    assert_eq!(p["rules"]["rounding"], "whole_units");
    assert_eq!(p["rules"]["daily_unit_cap"], 12);
    assert_eq!(p["rules"]["max_group_size"], 6);
    assert_eq!(p["rules"]["unit_rate_cents"], 1725);
    assert_eq!(p["rules"]["diagnosis_code"], "Z65.2");
    assert_eq!(
        p["rules"]["place_of_service"],
        serde_json::json!([["telehealth", "10"]])
    );
    // The same name again, and every wrong field named at once.
    let named = fields_named(
        app.post_bearer("/api/v1/settings/billing/payers", admin, payer.clone())
            .await,
    )
    .await;
    assert_eq!(named, vec!["name"]);
    let named = fields_named(
        app.post_bearer(
            "/api/v1/settings/billing/payers",
            admin,
            serde_json::json!({"name": "X", "kind": "cash", "payer_code": "A*B",
                "rounding": "nearest", "daily_unit_cap": 0, "unit_rate_cents": "lots",
                "place_of_service": {"home": "1"}}),
        )
        .await,
    )
    .await;
    assert_eq!(
        named,
        vec![
            "kind",
            "payer_code",
            "rounding",
            "daily_unit_cap",
            "unit_rate_cents",
            "place_of_service.home"
        ]
    );
    // Supervisors read; only admins change; peers neither.
    let r = app
        .get_bearer("/api/v1/settings/billing/payers", supervisor)
        .await;
    assert_eq!(r.status(), 200);
    let list: Value = r.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        app.post_bearer("/api/v1/settings/billing/payers", supervisor, payer.clone())
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get_bearer("/api/v1/settings/billing/payers", peer)
            .await
            .status(),
        403
    );
    // Another organisation sees none of A's payers.
    let b: Value = app
        .get_bearer(
            "/api/v1/settings/billing/payers",
            &app.b.user(Role::Admin).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b, serde_json::json!([]));

    // Grants.
    let grant = serde_json::json!({"name": "Building Communities of Recovery", "funder": "SAMHSA",
        "award_number": "H79TI085123", "period_from": "2025-09-30", "period_to": "2028-09-29",
        "amount_cents": 150000000});
    let r = app
        .post_bearer("/api/v1/settings/billing/grants", admin, grant.clone())
        .await;
    assert_eq!(r.status(), 201);
    let g: Value = r.json().await.unwrap();
    assert_eq!(g["amount_cents"], 150_000_000);
    let named = fields_named(
        app.post_bearer(
            "/api/v1/settings/billing/grants",
            admin,
            serde_json::json!({"name": "", "funder": "SAMHSA", "award_number": "A1",
                "period_from": "2026-10-01", "period_to": "2026-09-30", "amount_cents": -1}),
        )
        .await,
    )
    .await;
    assert_eq!(named, vec!["name", "amount_cents", "period_to"]);
    assert_eq!(
        app.post_bearer("/api/v1/settings/billing/grants", supervisor, grant)
            .await
            .status(),
        403
    );
    let list: Value = app
        .get_bearer("/api/v1/settings/billing/grants", supervisor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["award_number"], "H79TI085123");

    // The billing provider: none yet (null), a wrong NPI and ZIP named, then recorded (a new row).
    let none = app
        .get_bearer("/api/v1/settings/billing/provider", supervisor)
        .await;
    assert_eq!(none.status(), 200);
    assert_eq!(none.json::<Value>().await.unwrap(), Value::Null);
    let mut bad = provider_body();
    bad["npi"] = "1234567890".into();
    bad["zip"] = "6270".into();
    let named =
        fields_named(put_bearer(&app, "/api/v1/settings/billing/provider", admin, bad).await).await;
    assert_eq!(named, vec!["npi", "zip"]);
    assert_eq!(
        put_bearer(
            &app,
            "/api/v1/settings/billing/provider",
            supervisor,
            provider_body()
        )
        .await
        .status(),
        403
    );
    let r = put_bearer(
        &app,
        "/api/v1/settings/billing/provider",
        admin,
        provider_body(),
    )
    .await;
    assert_eq!(r.status(), 200);
    let got: Value = app
        .get_bearer("/api/v1/settings/billing/provider", supervisor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["npi"], "1234567893");
    assert_eq!(got["tax_id"], "123456789");
    assert_eq!(got["zip"], "627011234");

    assert_eq!(audit_details(&app, "billing.payer.add").await.len(), 1);
    assert_eq!(audit_details(&app, "billing.grant.add").await.len(), 1);
    assert_eq!(
        audit_details(&app, "billing.provider.set").await,
        vec!["NPI 1234567893"]
    );
}

#[tokio::test]
async fn a_participants_coverage_and_an_encounters_funding_through_the_api() {
    let app = spawn_app().await;
    let f = seed(&app).await;
    let admin = &app.a.user(Role::Admin).token;
    let id = app.a.participant_id;
    let path = format!("/api/v1/participants/{id}/billing/coverages");
    let body = serde_json::json!({"payer_id": f.payer, "member_id": "MCD999",
        "effective_from": "2026-11-01"});
    let r = app.post_bearer(&path, admin, body.clone()).await;
    assert_eq!(r.status(), 201);
    let c: Value = r.json().await.unwrap();
    assert_eq!(
        c["plan_name"], "State Medicaid",
        "the payer's name when none given"
    );
    assert_eq!(c["effective_to"], Value::Null);
    // Supervisors and peers of the programme read; only admins add; B's admin finds nobody.
    let list: Value = app
        .get_bearer(&path, &app.a.user(Role::Peer).token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["member_id"], "MCD999", "newest first");
    assert_eq!(
        app.post_bearer(&path, &app.a.user(Role::Supervisor).token, body.clone())
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post_bearer(&path, &app.b.user(Role::Admin).token, body)
            .await
            .status(),
        404
    );
    let named = fields_named(
        app.post_bearer(
            &path,
            admin,
            serde_json::json!({"payer_id": 1, "member_id": "M~1",
                "effective_from": "2026-11-01", "effective_to": "2026-10-01"}),
        )
        .await,
    )
    .await;
    assert_eq!(named, vec!["payer_id", "member_id", "effective_to"]);

    // Funding: set twice, both rows kept, the first naming the second.
    let fpath = format!("/api/v1/participants/{id}/billing/funding");
    let grants: Value = app
        .get_bearer("/api/v1/settings/billing/grants", admin)
        .await
        .json()
        .await
        .unwrap();
    let grant = grants[0]["id"].as_i64().unwrap();
    let r = app
        .post_bearer(
            &fpath,
            admin,
            serde_json::json!({"encounter_id": 800_001, "kind": "grant", "grant_id": grant}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let r = app
        .post_bearer(
            &fpath,
            admin,
            serde_json::json!({"encounter_id": 800_001, "kind": "other", "note": "county contract"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let rows: Value = app
        .get_bearer(&fpath, &app.a.user(Role::Supervisor).token)
        .await
        .json()
        .await
        .unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["kind"], "grant");
    assert_eq!(rows[0]["grant_id"], grant);
    assert_eq!(rows[0]["replaced_by"], rows[1]["id"]);
    assert_eq!(rows[1]["replaced_by"], Value::Null);
    assert_eq!(rows[1]["note"], "county contract");
    // Wrong input named: a kind, a grant that is missing, an encounter of someone else.
    let named = fields_named(
        app.post_bearer(
            &fpath,
            admin,
            serde_json::json!({"encounter_id": 800_100, "kind": "grant"}),
        )
        .await,
    )
    .await;
    assert_eq!(named, vec!["encounter_id", "grant_id"]);
    let named = fields_named(
        app.post_bearer(
            &fpath,
            admin,
            serde_json::json!({"encounter_id": 800_001, "kind": "cash"}),
        )
        .await,
    )
    .await;
    assert_eq!(named, vec!["kind"]);
    assert_eq!(
        app.post_bearer(
            &fpath,
            &app.a.user(Role::Supervisor).token,
            serde_json::json!({"encounter_id": 800_001, "kind": "other"})
        )
        .await
        .status(),
        403
    );
    // Encounter 1 is no longer billed to the payer.
    let v: Value = app
        .get_bearer(
            &format!(
                "/api/v1/billing/claims?payer={}&from=2026-10-01&to=2026-10-31",
                f.payer
            ),
            admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["rejected"][0]["encounter_id"], 800_001);
    assert_eq!(v["rejected"][0]["reason"], "funded_elsewhere");
}

/// The 837P of the fixed month: its header and name, only the billed lines (one claim a
/// participant a date of service), the same claim control numbers when made again, and a
/// refusal naming what is missing.
#[tokio::test]
async fn the_837p_holds_the_billed_lines_only_with_stable_control_numbers() {
    let app = spawn_app().await;
    let f = seed(&app).await;
    let admin = &app.a.user(Role::Admin).token;
    let path = format!(
        "/api/v1/billing/claims?payer={}&from=2026-10-01&to=2026-10-31&format=x12",
        f.payer
    );
    // No billing provider yet: refused, naming it.
    let named = fields_named(app.get_bearer(&path, admin).await).await;
    assert_eq!(named, vec!["format"]);
    assert_eq!(
        put_bearer(
            &app,
            "/api/v1/settings/billing/provider",
            admin,
            provider_body()
        )
        .await
        .status(),
        200
    );
    let r = app.get_bearer(&path, admin).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/edi-x12");
    assert_eq!(
        r.headers()["content-disposition"],
        format!(
            "attachment; filename=\"claims-{}-2026-10-01-2026-10-31.x12\"",
            f.payer
        )
    );
    let file = r.text().await.unwrap();
    let segs: Vec<&str> = file.split_terminator('~').collect();
    assert!(segs[0].starts_with("ISA*00*"));
    let participant = app.a.participant_id;
    let claims: Vec<&str> = segs
        .iter()
        .filter(|s| s.starts_with("CLM*"))
        .copied()
        .collect();
    // Billed on 2, 5, 7 and 10 October: four claims, 11 units, $275.00.
    assert_eq!(
        claims,
        vec![
            format!("CLM*{participant}-20261002*50.00***09:B:1*Y*A*Y*Y"),
            format!("CLM*{participant}-20261005*25.00***02:B:1*Y*A*Y*Y"),
            format!("CLM*{participant}-20261007*100.00***09:B:1*Y*A*Y*Y"),
            format!("CLM*{participant}-20261010*100.00***09:B:1*Y*A*Y*Y"),
        ]
    );
    let lines: Vec<&str> = segs
        .iter()
        .filter(|s| s.starts_with("SV1*"))
        .copied()
        .collect();
    assert_eq!(
        lines,
        vec![
            "SV1*HC:H0038*50.00*UN*2***1",
            "SV1*HC:H0038*25.00*UN*1***1",
            "SV1*HC:H0038:HQ*75.00*UN*3***1",
            "SV1*HC:H0038*25.00*UN*1*99**1",
            "SV1*HC:H0038*100.00*UN*4***1",
        ]
    );
    assert!(
        segs.iter()
            .any(|s| s.starts_with("NM1*IL*1*") && s.ends_with("*MI*MCD123456"))
    );
    // Rejected encounters (3 too short, 6 not completed, 8 credential, 9 text) are not in it.
    for id in [800_003, 800_006, 800_008, 800_009] {
        assert!(!file.contains(&format!("REF*6R*{id}~")), "{id} in {file}");
    }
    let again = app.get_bearer(&path, admin).await.text().await.unwrap();
    let isa13 = |f: &str| f.split('*').nth(13).map(str::to_string);
    assert_eq!(isa13(&file), isa13(&again));
    assert_eq!(
        again.matches("CLM*").count(),
        4,
        "the same claims when made again"
    );
    assert_eq!(audit_details(&app, "billing.claims.x12").await.len(), 2);
    // A supervisor may download it; a peer may not.
    assert_eq!(
        app.get_bearer(&path, &app.a.user(Role::Supervisor).token)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_bearer(&path, &app.a.user(Role::Peer).token)
            .await
            .status(),
        403
    );
}

/// pyx12's validator (PyPI `pyx12`) on 837P files: the fixed month's and the demo data's.
/// Ignored by a plain `cargo test`: scripts/test installs pyx12 into `target/pyx12-venv`, sets
/// PYX12 to its Python and runs `cargo test --test it billing::x12 -- --ignored`. Without
/// PYX12 each test fails saying how to install it.
mod x12 {
    use super::*;
    use crate::helpers::{Session, spawn_demo};

    /// The validation: pyx12's `x12n_document` on the file, success only without an error.
    const VALIDATE: &str = r"
import sys, tempfile, logging
import pyx12.params, pyx12.x12n_document
logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format='%(levelname)s %(message)s')
with tempfile.TemporaryFile(mode='w+', encoding='ascii') as fd_997:
    ok = pyx12.x12n_document.x12n_document(param=pyx12.params.params(), src_file=sys.argv[1],
        fd_997=fd_997, fd_html=None, fd_xmldoc=None)
sys.exit(0 if ok else 1)
";

    /// Validate `file` with pyx12; the validator's messages when it is not valid.
    pub fn pyx12_check(file: &str) -> Result<(), String> {
        let python = std::env::var("PYX12").unwrap_or_else(|_| {
            panic!(
                "PYX12 is not set: pyx12 (PyPI) validates the 837P files. Install it with \
                 `python3 -m venv target/pyx12-venv && target/pyx12-venv/bin/pip install pyx12` \
                 and run with PYX12=target/pyx12-venv/bin/python (scripts/test does both)"
            )
        });
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("claims.x12");
        std::fs::write(&path, file).unwrap();
        let out = std::process::Command::new(&python)
            .arg("-c")
            .arg(VALIDATE)
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("PYX12={python} does not run: {e}"));
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        if out.status.success() && !said.contains("ERROR") {
            Ok(())
        } else {
            Err(said)
        }
    }

    #[tokio::test]
    #[ignore = "needs pyx12: scripts/test sets PYX12"]
    async fn the_fixed_months_837p_is_valid_for_pyx12() {
        let app = spawn_app().await;
        let f = seed(&app).await;
        let admin = &app.a.user(Role::Admin).token;
        assert_eq!(
            put_bearer(
                &app,
                "/api/v1/settings/billing/provider",
                admin,
                provider_body()
            )
            .await
            .status(),
            200
        );
        let r = app
            .get_bearer(
                &format!(
                    "/api/v1/billing/claims?payer={}&from=2026-10-01&to=2026-10-31&format=x12",
                    f.payer
                ),
                admin,
            )
            .await;
        assert_eq!(r.status(), 200);
        let file = r.text().await.unwrap();
        if let Err(e) = pyx12_check(&file) {
            panic!("pyx12 finds the 837P invalid:\n{e}\n{file}");
        }
        // And a broken one is refused, so the check is a check.
        let broken = file.replacen("SE*", "SE*9", 1);
        assert!(
            pyx12_check(&broken).is_err(),
            "pyx12 accepted a wrong SE count"
        );
    }

    #[tokio::test]
    #[ignore = "needs pyx12: scripts/test sets PYX12"]
    async fn the_demo_datas_837p_for_last_month_is_valid_for_pyx12() {
        let (url, _state, _dir) = spawn_demo().await;
        let s = Session::new(&url);
        let r = s
            .sign_in("admin@demo.throughcare.example", "throughcare-demo")
            .await;
        assert!(r.status().is_redirection(), "{}", r.status());
        let payers: Value = s
            .get("/api/v1/settings/billing/payers")
            .await
            .json()
            .await
            .unwrap();
        let payer = payers
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"].as_str().unwrap().starts_with("State Medicaid"))
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (from, to) =
            throughcare::billing::demo::last_month(throughcare::platform::time::today());
        let q = format!("/api/v1/billing/claims?payer={payer}&from={from}&to={to}");
        let v: Value = s.get(&q).await.json().await.unwrap();
        assert!(v["lines"].as_array().unwrap().len() > 5, "{v}");
        // Rejected lines of several reasons.
        for reason in [
            "credential_not_valid",
            "over_daily_cap",
            "not_completed",
            "not_peer_support",
            "no_coverage",
        ] {
            assert!(
                v["rejected_by_reason"][reason].as_u64().unwrap_or(0) > 0,
                "{reason}: {}",
                v["rejected_by_reason"]
            );
        }
        let r = s.get(&format!("{q}&format=x12")).await;
        assert_eq!(r.status(), 200);
        let file = r.text().await.unwrap();
        if let Err(e) = pyx12_check(&file) {
            panic!("pyx12 finds the demo's 837P invalid:\n{e}\n{file}");
        }
    }
}
