//! The peer workforce over the API on both backends: tenancy (another organisation's peer
//! records and credential standards are 404), role rules (a peer sees only their own pathway,
//! supervisors their team, admins their organisation; team and auditor roles 403), bad input
//! named by field (422), the CSV reports (the browser walk through credential progress and a
//! facility denial: tests/browser/workforce.rs).

use diesel::prelude::*;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::schema::users;

use crate::helpers::{TestApp, spawn_app};
use diesel::backend::Backend;
use diesel::migration::MigrationSource;
use diesel::sql_types::{BigInt, Text};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};
use throughcare::platform::db::{DbConn, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

fn ic_and_rc() -> Value {
    json!({
        "name": "Peer Recovery (PR)", "issuer": "IC&RC",
        "training": [{"domain": "Advocacy", "hours": 10.0}, {"domain": "Ethical responsibility", "hours": 16.0}],
        "supervised_work_hours": 500.0, "supervision_hours": 25.0,
        "exam_required": true, "ethics_attestation_required": true, "background_check_required": false,
        "formal_education": "High school diploma or equivalent", "renewal_years": 2,
        "ce_hours": 20.0, "ce_ethics_hours": 6.0
    })
}

async fn set_supervisor(app: &TestApp, peer: i64, supervisor: i64) {
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut c = db.conn().unwrap();
        diesel::update(users::table.find(peer))
            .set(users::supervisor_id.eq(Some(supervisor)))
            .execute(&mut c)
            .unwrap();
    })
    .await
    .unwrap();
}

fn fields(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn workforce_records_follow_tenancy_and_roles() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let sup = app.a.user(Role::Supervisor);
    let r = app
        .post_bearer("/api/v1/credential-standards", &admin.token, ic_and_rc())
        .await;
    assert_eq!(r.status(), 201);
    let std_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let peer_path = format!("/api/v1/peers/{}/workforce", peer.id);

    // Organisation B never sees A's standards or peer records, whatever the role.
    for role in Role::ALL {
        let b = app.b.user(*role);
        let s = app
            .get_bearer(&format!("/api/v1/credential-standards/{std_id}"), &b.token)
            .await;
        assert_eq!(s.status(), 404, "{role:?} of B reads A's standard");
        let s = app.get_bearer(&peer_path, &b.token).await;
        assert_eq!(s.status(), 404, "{role:?} of B reads A's peer");
        let s = app
            .post_bearer(
                &format!("/api/v1/peers/{}/training", peer.id),
                &b.token,
                json!({}),
            )
            .await;
        assert_eq!(s.status(), 404, "{role:?} of B writes A's peer");
    }
    let s = app
        .api()
        .put(format!("{}/api/v1/credential-standards/{std_id}", app.url))
        .bearer_auth(&app.b.user(Role::Admin).token)
        .json(&ic_and_rc())
        .send()
        .await
        .unwrap();
    assert_eq!(s.status(), 404);

    // Admin of A records a pathway, training and supervision; the peer reads their own.
    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/pathways", peer.id),
            &admin.token,
            json!({"standard_id": std_id}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/training", peer.id),
            &admin.token,
            json!({"course": "Advocacy 101", "domain": "advocacy", "hours": 5.0, "completed_on": "2026-01-10"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let rec: Value = app
        .get_bearer(&peer_path, &peer.token)
        .await
        .json()
        .await
        .unwrap();
    let reqs = rec["pathways"][0]["requirements"].as_array().unwrap();
    let adv = reqs
        .iter()
        .find(|q| q["key"] == "training.advocacy")
        .unwrap();
    assert_eq!(adv["fraction"].as_f64(), Some(0.5));

    // A peer sees only their own pathway and may not write it; others in the org are 404.
    let own_sup = format!("/api/v1/peers/{}/workforce", sup.id);
    assert_eq!(app.get_bearer(&own_sup, &peer.token).await.status(), 404);
    let w = app
        .post_bearer(
            &format!("/api/v1/peers/{}/work-hours", peer.id),
            &peer.token,
            json!({"worked_on": "2026-01-01", "hours": 3.0}),
        )
        .await;
    assert_eq!(w.status(), 403);
    let list: Value = app
        .get_bearer("/api/v1/peers", &peer.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"].as_i64(), Some(peer.id));

    // Supervisors: only their team.
    assert_eq!(app.get_bearer(&peer_path, &sup.token).await.status(), 404);
    set_supervisor(&app, peer.id, sup.id).await;
    assert_eq!(app.get_bearer(&peer_path, &sup.token).await.status(), 200);
    let s = app
        .post_bearer(
            &format!("/api/v1/peers/{}/supervision", peer.id),
            &sup.token,
            json!({"held_on": "2026-01-12", "format": "individual", "hours": 1.5, "topics": ["engaging", "crisis"]}),
        )
        .await;
    assert_eq!(s.status(), 201);
    let team: Value = app
        .get_bearer("/api/v1/peers", &sup.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(team.as_array().unwrap().len(), 1);

    // Team members and auditors have no workforce role.
    for role in [Role::Team, Role::Auditor] {
        let t = &app.a.user(role).token;
        assert_eq!(
            app.get_bearer(&peer_path, t).await.status(),
            403,
            "{role:?}"
        );
        assert_eq!(
            app.get_bearer("/api/v1/credential-standards", t)
                .await
                .status(),
            403
        );
        assert_eq!(
            app.get_bearer("/api/v1/reports/facility-access", t)
                .await
                .status(),
            403
        );
        assert_eq!(
            app.get_bearer("/api/v1/reports/certification-barriers", t)
                .await
                .status(),
            403
        );
    }
}

#[tokio::test]
async fn bad_workforce_input_is_named_by_field() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let mut bad = ic_and_rc();
    bad["name"] = json!("  ");
    bad["ce_ethics_hours"] = json!(40.0);
    let r = app
        .post_bearer("/api/v1/credential-standards", &admin.token, bad)
        .await;
    assert_eq!(r.status(), 422);
    let f = fields(&r.json().await.unwrap());
    assert!(
        f.contains(&"name".into()) && f.contains(&"ce_ethics_hours".into()),
        "{f:?}"
    );

    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/training", peer.id),
            &admin.token,
            json!({"course": "X", "domain": "Advocacy", "hours": -1.0, "completed_on": "yesterday"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let f = fields(&r.json().await.unwrap());
    assert!(
        f.contains(&"hours".into()) && f.contains(&"completed_on".into()),
        "{f:?}"
    );

    let r = app
        .post_bearer(&format!("/api/v1/peers/{}/supervision", peer.id), &admin.token,
            json!({"held_on": "2026-01-01", "format": "solo", "hours": 1.0, "topics": ["juggling"]}))
        .await;
    let f = fields(&r.json().await.unwrap());
    assert!(
        f.contains(&"format".into()) && f.contains(&"topics[0]".into()),
        "{f:?}"
    );

    let fac: Value = app
        .post_bearer(
            "/api/v1/facilities",
            &admin.token,
            json!({"name": "Test County Jail", "kind": "jail", "setting": "short"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .post_bearer(&format!("/api/v1/peers/{}/clearances", peer.id), &admin.token,
            json!({"facility_id": fac["id"], "requested_on": "2026-01-01", "status": {"status": "denied", "on": "2026-01-05"}}))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        fields(&r.json().await.unwrap()),
        vec!["status.denial_reason".to_string()]
    );

    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/exemptions", peer.id),
            &admin.token,
            json!({"applied_on": "2026-01-01", "decision": "granted"}),
        )
        .await;
    assert_eq!(
        fields(&r.json().await.unwrap()),
        vec!["decided_on".to_string()]
    );

    let r = app
        .get_bearer(
            "/api/v1/reports/facility-access?from=2026-13-01",
            &admin.token,
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), vec!["from".to_string()]);
    let r = app
        .get_bearer("/api/v1/reports/facility-access?format=xml", &admin.token)
        .await;
    assert_eq!(fields(&r.json().await.unwrap()), vec!["format".to_string()]);
    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/visits", peer.id),
            &admin.token,
            json!({"bogus": 1}),
        )
        .await;
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn workforce_reports_have_a_stable_csv_shape() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let fac: Value = app
        .post_bearer(
            "/api/v1/facilities",
            &admin.token,
            json!({"name": "Ridge Correctional Facility", "kind": "prison", "setting": "long"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    let r = app
        .post_bearer(&format!("/api/v1/peers/{}/clearances", peer.id), &admin.token,
            json!({"facility_id": fac["id"], "requested_on": today.to_string(),
                   "status": {"status": "denied", "on": today.to_string(), "denial_reason": "prior_incarceration"}}))
        .await;
    assert_eq!(r.status(), 201);
    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/exemptions", peer.id),
            &admin.token,
            json!({"applied_on": "2022-01-01"}),
        )
        .await;
    assert_eq!(r.status(), 201);

    let r = app
        .get_bearer("/api/v1/reports/facility-access?format=csv", &admin.token)
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = r.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        "facility,requests,granted,denied,revoked,denial_rate,denied_prior_incarceration,denied_open_case_or_supervision,denied_paperwork,denied_no_reason_given,denied_other,median_days_to_clearance,visits_scheduled,visits_completed,refused_at_door,cancelled_by_facility,participants_without_contact"
    );
    assert_eq!(
        lines[1],
        "Ridge Correctional Facility,1,0,1,0,1.000,1,0,0,0,0,,0,0,0,0,0"
    );
    // A participant held at that facility with no contact in the period counts; a completed
    // contact takes them off the count.
    let pid = app.a.participant_id;
    let peer_a = app.a.user(Role::Peer);
    let r = app
        .post_bearer(&format!("/api/v1/participants/{pid}/episodes"), &peer_a.token,
            json!({"setting": "long_term", "facility_id": fac["id"], "started_on": "2025-01-01", "services_consent_on": "2025-01-01"}))
        .await;
    assert_eq!(r.status(), 201);
    let csv_line = |body: String| {
        body.lines()
            .nth(1)
            .unwrap()
            .rsplit(',')
            .next()
            .unwrap()
            .to_string()
    };
    let body = app
        .get_bearer("/api/v1/reports/facility-access?format=csv", &admin.token)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv_line(body), "1");
    let now = chrono::Utc::now()
        .naive_utc()
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let r = app
        .post_bearer(&format!("/api/v1/participants/{pid}/encounters"), &peer_a.token,
            json!({"mode": "in_facility", "outcome": "completed", "occurred_at": now, "duration_minutes": 30}))
        .await;
    assert_eq!(r.status(), 201);
    let body = app
        .get_bearer("/api/v1/reports/facility-access?format=csv", &admin.token)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv_line(body), "0");

    let r = app
        .get_bearer(
            "/api/v1/reports/certification-barriers?format=csv",
            &admin.token,
        )
        .await;
    let body = r.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines[0], "figure,programme,deployment");
    assert!(lines.contains(&"open,1,1"), "{body}");
    assert!(
        lines.iter().any(|l| l.starts_with("over_three_years,1,1")),
        "{body}"
    );
    assert!(!body.contains("peer of org-a"), "no names in the report");

    // Organisation B's programme figures do not include A's peers.
    let b: Value = app
        .get_bearer(
            "/api/v1/reports/certification-barriers",
            &app.b.user(Role::Admin).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b["programme"]["exemption_processes"], 0);
    assert_eq!(b["deployment"]["exemption_processes"], 1);
}

async fn created(app: &TestApp, token: &str, path: String, body: Value) {
    let r = app.post_bearer(&path, token, body).await;
    assert_eq!(r.status(), 201, "{path}");
}

/// Each record written on a peer is stored as sent and read back in the peer's record: every
/// field, an absent date as null, on both backends.
#[tokio::test]
async fn a_peers_records_are_stored_as_sent_and_read_back() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let fac: Value = app
        .post_bearer(
            "/api/v1/facilities",
            &admin.token,
            json!({"name": "Ridge Correctional Facility", "kind": "prison", "setting": "long"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let post = |what: &str, body: Value| {
        let path = format!("/api/v1/peers/{}/{what}", peer.id);
        created(&app, &admin.token, path, body)
    };
    post("training", json!({"course": "Ethics in peer work", "domain": "Ethical responsibility", "hours": 6.5,
        "completed_on": "2025-03-04", "evidence": "cert 881", "continuing_education": true, "ethics": true})).await;
    post(
        "work-hours",
        json!({"worked_on": "2025-03-05", "hours": 7.25, "note": "intake shifts"}),
    )
    .await;
    post(
        "supervision",
        json!({"held_on": "2025-03-06", "format": "group", "hours": 1.5,
        "wellness_checkin": "steady", "action_items": "shadow a release"}),
    )
    .await;
    post(
        "sanctions",
        json!({"kind": "restitution", "amount_usd": 350.0, "payment_plan": true}),
    )
    .await;
    post(
        "sanctions",
        json!({"kind": "fee", "amount_usd": 40.0, "blocks_credential": false,
        "resolved_on": "2025-02-01"}),
    )
    .await;
    post(
        "visits",
        json!({"facility_id": fac["id"], "scheduled_on": "2025-03-07", "outcome": "refused_at_door",
        "refusal_reason": "badge not on the list"}),
    )
    .await;

    let r: Value = app
        .get_bearer(
            &format!("/api/v1/peers/{}/workforce", peer.id),
            &admin.token,
        )
        .await
        .json()
        .await
        .unwrap();
    let t = &r["training"][0];
    assert_eq!(
        (&t["course"], &t["domain"], &t["hours"], &t["completed_on"]),
        (
            &json!("Ethics in peer work"),
            &json!("Ethical responsibility"),
            &json!(6.5),
            &json!("2025-03-04")
        )
    );
    assert_eq!(
        (&t["evidence"], &t["continuing_education"], &t["ethics"]),
        (&json!("cert 881"), &json!(true), &json!(true))
    );
    let w = &r["work_hours"][0];
    assert_eq!(
        (&w["worked_on"], &w["hours"], &w["note"]),
        (&json!("2025-03-05"), &json!(7.25), &json!("intake shifts"))
    );
    let s = &r["supervision"][0];
    assert_eq!(
        (
            &s["held_on"],
            &s["format"],
            &s["hours"],
            &s["supervisor_id"]
        ),
        (
            &json!("2025-03-06"),
            &json!("group"),
            &json!(1.5),
            &json!(admin.id)
        )
    );
    assert_eq!(
        (&s["wellness_checkin"], &s["action_items"]),
        (&json!("steady"), &json!("shadow a release"))
    );
    let sanctions = r["sanctions"].as_array().unwrap();
    let by_kind = |k: &str| sanctions.iter().find(|x| x["kind"] == k).unwrap().clone();
    let open = by_kind("restitution");
    assert_eq!(
        (
            &open["amount_usd"],
            &open["payment_plan"],
            &open["blocks_credential"],
            &open["resolved_on"]
        ),
        (&json!(350.0), &json!(true), &json!(true), &Value::Null)
    );
    let paid = by_kind("fee");
    assert_eq!(
        (&paid["blocks_credential"], &paid["resolved_on"]),
        (&json!(false), &json!("2025-02-01"))
    );
    let v = &r["visits"][0];
    assert_eq!(
        (
            &v["facility_id"],
            &v["scheduled_on"],
            &v["outcome"],
            &v["refusal_reason"]
        ),
        (
            &fac["id"],
            &json!("2025-03-07"),
            &json!("refused_at_door"),
            &json!("badge not on the list")
        )
    );
}

/// Applies (`up`) or reverts the migration that moved the supervision log to SAMHSA's spelling of
/// the competency codes (decision 0034), on its own, as `throughcare migrate` would.
fn one_competency_list(conn: &mut DbConn, up: bool) {
    fn step<DB: Backend>(c: &mut impl MigrationHarness<DB>, source: EmbeddedMigrations, up: bool)
    where
        EmbeddedMigrations: MigrationSource<DB>,
    {
        let all = MigrationSource::<DB>::migrations(&source).unwrap();
        let m = all
            .iter()
            .find(|m| m.name().to_string() == "2026-12-01-030000_one_competency_list")
            .expect("the competency migration is embedded");
        if up {
            c.run_migration(m.as_ref()).unwrap();
        } else {
            c.revert_migration(m.as_ref()).unwrap();
        }
    }
    match conn {
        DbConn::Sqlite(c) => step(c, SQLITE_MIGRATIONS, up),
        DbConn::Pg(c) => step(c, POSTGRES_MIGRATIONS, up),
    }
}

#[tokio::test]
async fn supervision_topics_stored_with_the_old_competency_codes_read_as_samhsa_writes_them() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/supervision", peer.id),
            &admin.token,
            json!({"held_on": "2026-01-12", "format": "group", "hours": 1.0, "topics": ["engaging"]}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // The database as it was before the migration, holding a session logged with the
    // supervision log's old spelling of two codes.
    let db = app.state.db.clone();
    let stored = tokio::task::spawn_blocking(move || {
        #[derive(QueryableByName)]
        struct Topics {
            #[diesel(sql_type = Text)]
            topics: String,
        }
        let mut c = db.conn().unwrap();
        one_competency_list(&mut c, false);
        diesel::sql_query("UPDATE supervision_sessions SET topics = $1 WHERE id = $2")
            .bind::<Text, _>("engaging,personalising,health_and_wellness,crisis")
            .bind::<BigInt, _>(id)
            .execute(&mut c)
            .unwrap();
        one_competency_list(&mut c, true);
        diesel::sql_query("SELECT topics FROM supervision_sessions WHERE id = $1")
            .bind::<BigInt, _>(id)
            .get_result::<Topics>(&mut c)
            .unwrap()
            .topics
    })
    .await
    .unwrap();
    assert_eq!(
        stored,
        "engaging,personalizing,health_wellness_information,crisis"
    );

    // Read back through the API and the peer's page: the one list's codes and labels.
    let record: Value = app
        .get_bearer(
            &format!("/api/v1/peers/{}/workforce", peer.id),
            &admin.token,
        )
        .await
        .json()
        .await
        .unwrap();
    let session = record["supervision"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_i64() == Some(id))
        .expect("the session");
    assert_eq!(
        session["topics"],
        "engaging,personalizing,health_wellness_information,crisis"
    );
    let page = app
        .signed_in(&admin.email)
        .await
        .get(&format!("/workforce/peers/{}", peer.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(
            "Engages peers in collaborative and caring relationships; Personalizes peer support; \
             Provides information about skills related to health, wellness and recovery; \
             Helps peers to manage crises"
        ),
        "{page}"
    );

    // The same codes are what the supervision log and encounters accept now.
    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/supervision", peer.id),
            &admin.token,
            json!({"held_on": "2026-01-13", "format": "group", "hours": 1.0, "topics": ["personalising"]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["topics[0]"]);
}

/// A job description is written in Markdown and read as a page: headings and lists rendered,
/// raw HTML shown as text, a `javascript:` link without its address.
#[tokio::test]
async fn job_descriptions_are_rendered_from_markdown_safely() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let s = app.signed_in(&admin.email).await;
    let body = "# Peer recovery specialist\n\n## Lived experience\n\n- recovery from a substance use disorder\n- **justice involvement** welcome\n\n<script>alert(1)</script>\n\nOr [call us](javascript:alert(2)).\n";
    let r = s
        .post_form(
            "/workforce/job-descriptions/peer_recovery_specialist",
            &[("body", body)],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let page = s
        .get("/workforce/job-descriptions/peer_recovery_specialist")
        .await
        .text()
        .await
        .unwrap();
    let shown = page
        .split(r#"<div class="job-description">"#)
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the rendered description");
    assert!(
        shown.contains("<h1>Peer recovery specialist</h1>"),
        "{shown}"
    );
    assert!(shown.contains("<h2>Lived experience</h2>"), "{shown}");
    assert!(
        shown.contains("<strong>justice involvement</strong>"),
        "{shown}"
    );
    assert!(
        !shown.contains("# Peer"),
        "the Markdown is not shown raw: {shown}"
    );
    assert!(!shown.contains("<script"), "{shown}");
    assert!(shown.contains("&lt;script&gt;"), "{shown}");
    assert!(!shown.contains("javascript:"), "{shown}");
    assert!(
        shown.contains("call us</a>"),
        "the link keeps its words: {shown}"
    );
}

/// A peer turned away at the facility door records it themself, on the API and on their own
/// workforce page; their other records (training, fines) stay the supervisor's and admin's to
/// write, and another peer's visits are not theirs.
#[tokio::test]
async fn a_peer_records_their_own_refusal_at_the_door() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let fac: Value = app
        .post_bearer(
            "/api/v1/facilities",
            &admin.token,
            json!({"name": "County Jail", "kind": "jail", "setting": "short"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let visit = json!({"facility_id": fac["id"], "scheduled_on": "2026-03-07", "outcome": "refused_at_door", "refusal_reason": "Not on the gate list"});
    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/visits", peer.id),
            &peer.token,
            visit.clone(),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/training", peer.id),
            &peer.token,
            json!({"course": "Ethics", "domain": "Ethics", "hours": 2.0, "completed_on": "2026-03-01"}),
        )
        .await;
    assert_eq!(r.status(), 403, "a peer does not write their own training");
    let other = app.a.user(Role::Supervisor);
    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/visits", other.id),
            &peer.token,
            visit,
        )
        .await;
    assert_eq!(
        r.status(),
        404,
        "another's visits are not the peer's to record"
    );
    // The page offers the peer the visit form, and only that one.
    let s = app.signed_in(&peer.email).await;
    let page = s
        .get(&format!("/workforce/peers/{}", peer.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("action=\"/workforce/peers/{}/visits\"", peer.id)),
        "{page}"
    );
    assert!(!page.contains(&format!("action=\"/workforce/peers/{}/training\"", peer.id)));
    let r = s
        .post_form(
            &format!("/workforce/peers/{}/visits", peer.id),
            &[
                ("visit_facility_id", &fac["id"].to_string()),
                ("scheduled_on", "2026-03-08"),
                ("outcome", "refused_at_door"),
                ("refusal_reason", "Lockdown"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = s
        .get(&format!("/workforce/peers/{}", peer.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Lockdown") && page.contains("Not on the gate list"),
        "{page}"
    );
    // The facility access report counts them: requested against admitted, per facility and
    // month.
    let s = app.signed_in(&admin.email).await;
    let report = s
        .get("/workforce/reports/facility-access?from=2026-01-01&to=2026-12-31")
        .await
        .text()
        .await
        .unwrap();
    let row = report
        .split(&format!(
            "data-facility=\"{}\" data-month=\"2026-03\"",
            fac["id"]
        ))
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("a row for the facility in March");
    let cells: Vec<&str> = row
        .split("<td>")
        .skip(1)
        .map(|c| c.split("</td>").next().unwrap())
        .collect();
    assert_eq!(cells[..5], ["2026-03", "2", "0", "2", "0"], "{row}");
    assert!(
        row.contains(r#"<meter min="0" max="2" value="0" aria-label="0 of 2 admitted">"#),
        "the month's admitted share drawn as a meter and said in words: {row}"
    );
}
