//! Billing on both backends: a fixed month of encounters (October 2026) becomes claim lines and
//! rejected lines against hand-computed units and reasons (an expired credential, an over-cap
//! day, a too-short contact, an attempt, a text message), as JSON and as the CSV a billing
//! office downloads; only the organisation's admins and supervisors may export, another
//! organisation's payer is 404, bad input is 422 naming the field, and the export is audited
//! with its rows.

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
