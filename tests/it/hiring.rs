//! Hiring people with lived experience (issue item 3): a pipeline from applicant to working
//! peer. Eight applicants with known steps and dates; the pipeline report's figures (time in
//! each step, drop-outs by reason, conversion) checked against numbers computed by hand below;
//! the criminal-record barriers report's hiring view; moves refused when not allowed; access
//! refused by role and organisation. Runs on SQLite and, with `TEST_DATABASE_URL`, PostgreSQL.

use diesel::prelude::*;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::schema::audit_log;
use throughcare::workforce::schema::peer_pathways;

use crate::helpers::{TestApp, spawn_app};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app.post_bearer(path, token, body).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let r = app.get_bearer(path, token).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
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

/// Add an applicant (applied on `on`); returns their id.
async fn applicant(app: &TestApp, token: &str, opening: i64, name: &str, on: &str) -> i64 {
    let (s, v) = post(
        app,
        token,
        "/api/v1/hiring/applicants",
        json!({"opening_id": opening, "name": name, "contact": "(555) 010-0000",
               "lived_experience": "In recovery since 2019; two years in state prison.",
               "applied_on": on}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["step"], "application");
    v["id"].as_i64().unwrap()
}

/// Move an applicant through steps: `(to, on)` each.
async fn moves(app: &TestApp, token: &str, id: i64, steps: &[(&str, &str)]) {
    for (to, on) in steps {
        let (s, v) = post(
            app,
            token,
            &format!("/api/v1/hiring/applicants/{id}/advance"),
            json!({"to": to, "on": on}),
        )
        .await;
        assert_eq!(s, 200, "{to} on {on}: {v}");
        assert_eq!(v["step"], *to);
    }
}

async fn leaves(app: &TestApp, token: &str, id: i64, outcome: &str, reason: &str, on: &str) {
    let (s, v) = post(
        app,
        token,
        &format!("/api/v1/hiring/applicants/{id}/leave"),
        json!({"outcome": outcome, "reason": reason, "on": on}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "left");
}

fn step<'a>(r: &'a Value, code: &str) -> &'a Value {
    r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == code)
        .unwrap_or_else(|| panic!("step {code} in {r}"))
}

/// `(entered, advanced, dropped, still_in, median_days, mean_days)` of a step.
fn counts(r: &Value, code: &str) -> (i64, i64, i64, i64, f64, f64) {
    let s = step(r, code);
    (
        s["entered"].as_i64().unwrap(),
        s["advanced"].as_i64().unwrap(),
        s["dropped"].as_i64().unwrap(),
        s["still_in"].as_i64().unwrap(),
        s["median_days"].as_f64().unwrap(),
        s["mean_days"].as_f64().unwrap(),
    )
}

fn reasons(s: &Value) -> Vec<(String, i64)> {
    s["dropped_by_reason"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["reason"].as_str().unwrap().to_string(),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn audited(app: &TestApp, action: &str) -> i64 {
    let mut c = app.state.db.conn().unwrap();
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut c)
        .unwrap()
}

#[tokio::test]
async fn the_pipeline_report_matches_figures_computed_by_hand() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin).token.clone();
    let peer = app.a.user(Role::Peer).id;
    let second = app
        .add_peers(app.a.user(Role::Admin).id, "New hire", 0..1, |_| None)
        .await[0];
    let (s, v) = post(
        &app,
        &admin,
        "/api/v1/credential-standards",
        json!({"name": "Certified Peer Recovery Specialist", "issuer": "State board",
               "training": [{"domain": "Ethics", "hours": 16.0}],
               "supervised_work_hours": 500.0, "supervision_hours": 25.0,
               "exam_required": true, "ethics_attestation_required": true,
               "background_check_required": true, "formal_education": "",
               "renewal_years": 2, "ce_hours": 20.0, "ce_ethics_hours": 6.0}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let standard = v["id"].as_i64().unwrap();
    let (s, v) = post(
        &app,
        &admin,
        "/api/v1/hiring/openings",
        json!({"kind": "peer_recovery_specialist", "title": "Peer Recovery Specialist",
               "lived_experience_criteria": "Lived experience of recovery and of the justice system",
               "other_criteria": "High school diploma or equivalent", "opened_on": "2026-05-15"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let opening = v["id"].as_i64().unwrap();

    // A: hired through every step (the exemption process linked at the background check).
    let a = applicant(&app, &admin, opening, "Ana", "2026-06-01").await;
    moves(
        &app,
        &admin,
        a,
        &[
            ("screening", "2026-06-03"),
            ("interview", "2026-06-10"),
            ("offer", "2026-06-20"),
            ("background_check", "2026-06-22"),
        ],
    )
    .await;
    let (s, v) = post(
        &app,
        &admin,
        &format!("/api/v1/peers/{peer}/exemptions"),
        json!({"applied_on": "2026-06-22", "decided_on": "2026-07-20", "decision": "granted"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let exemption = v["id"].as_i64().unwrap();
    // The exemption belongs to the background check, not the screening, and to this person.
    let (s, v) = post(
        &app,
        &admin,
        &format!("/api/v1/hiring/applicants/{a}/advance"),
        json!({"to": "facility_clearance", "on": "2026-07-22", "exemption_id": exemption,
               "user_id": peer}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["user_id"], peer);
    let left_bg = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["step"] == "background_check" && e["kind"] == "left")
        .unwrap()
        .clone();
    assert_eq!(left_bg["exemption_id"], exemption);
    // Hiring needs the credential standard whose pathway starts.
    let (s, v) = post(
        &app,
        &admin,
        &format!("/api/v1/hiring/applicants/{a}/advance"),
        json!({"to": "hired", "on": "2026-08-05"}),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(fields(&v), vec!["standard_id"]);
    let (s, v) = post(
        &app,
        &admin,
        &format!("/api/v1/hiring/applicants/{a}/advance"),
        json!({"to": "hired", "on": "2026-08-05", "standard_id": standard}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "hired");
    // Never overwritten: the application, then a row for leaving and one for entering each of
    // the six steps after it.
    assert_eq!(v["events"].as_array().unwrap().len(), 13);

    // B: withdrew at screening, found other work.
    let b = applicant(&app, &admin, opening, "Ben", "2026-06-01").await;
    moves(&app, &admin, b, &[("screening", "2026-06-05")]).await;
    leaves(
        &app,
        &admin,
        b,
        "withdrew",
        "found_other_work",
        "2026-06-12",
    )
    .await;
    // C: not selected at application, did not meet the criteria.
    let c = applicant(&app, &admin, opening, "Cal", "2026-06-02").await;
    leaves(
        &app,
        &admin,
        c,
        "not_selected",
        "did_not_meet_criteria",
        "2026-06-04",
    )
    .await;
    // D: not selected at the background check, the exemption denied.
    let d = applicant(&app, &admin, opening, "Dee", "2026-06-02").await;
    moves(
        &app,
        &admin,
        d,
        &[
            ("screening", "2026-06-04"),
            ("interview", "2026-06-06"),
            ("offer", "2026-06-16"),
            ("background_check", "2026-06-17"),
        ],
    )
    .await;
    leaves(
        &app,
        &admin,
        d,
        "not_selected",
        "exemption_denied",
        "2026-08-16",
    )
    .await;
    // E: not selected at the facility clearance, denied by the facility.
    let e = applicant(&app, &admin, opening, "Eve", "2026-06-03").await;
    moves(
        &app,
        &admin,
        e,
        &[
            ("screening", "2026-06-04"),
            ("interview", "2026-06-09"),
            ("offer", "2026-06-12"),
            ("background_check", "2026-06-15"),
            ("facility_clearance", "2026-07-01"),
        ],
    )
    .await;
    leaves(
        &app,
        &admin,
        e,
        "not_selected",
        "facility_clearance_denied",
        "2026-07-31",
    )
    .await;
    // F: not selected at interview, another candidate chosen.
    let f = applicant(&app, &admin, opening, "Fay", "2026-06-05").await;
    moves(
        &app,
        &admin,
        f,
        &[("screening", "2026-06-07"), ("interview", "2026-06-12")],
    )
    .await;
    leaves(
        &app,
        &admin,
        f,
        "not_selected",
        "another_candidate",
        "2026-06-14",
    )
    .await;
    // G: still in the application step.
    let g = applicant(&app, &admin, opening, "Gus", "2026-06-10").await;
    // H: a job outside facilities, hired straight from the background check.
    let h = applicant(&app, &admin, opening, "Hal", "2026-06-01").await;
    moves(
        &app,
        &admin,
        h,
        &[
            ("screening", "2026-06-02"),
            ("interview", "2026-06-04"),
            ("offer", "2026-06-08"),
            ("background_check", "2026-06-10"),
        ],
    )
    .await;
    let (s, v) = post(
        &app,
        &admin,
        &format!("/api/v1/hiring/applicants/{h}/advance"),
        json!({"to": "hired", "on": "2026-07-10", "standard_id": standard}),
    )
    .await;
    assert_eq!(s, 422, "hiring needs a staff account: {v}");
    assert_eq!(fields(&v), vec!["user_id"]);
    let (s, v) = post(
        &app,
        &admin,
        &format!("/api/v1/hiring/applicants/{h}/advance"),
        json!({"to": "hired", "on": "2026-07-10", "user_id": second, "standard_id": standard}),
    )
    .await;
    assert_eq!(s, 200, "{v}");

    // Hired people's certification pathways have started.
    {
        let mut conn = app.state.db.conn().unwrap();
        for u in [peer, second] {
            let n: i64 = peer_pathways::table
                .filter(peer_pathways::peer_id.eq(u))
                .filter(peer_pathways::standard_id.eq(standard))
                .count()
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(n, 1, "pathway of {u}");
        }
    }

    // The report, by hand (days between the dates above):
    //
    // application: entered 8 (A-H); advanced 6 (A 2, B 4, D 2, E 1, F 2, H 1 days); dropped 1
    //   (C, 2 days, did_not_meet_criteria); still 1 (G). Days [1,1,2,2,2,2,4]: median 2,
    //   mean 14/7 = 2.0; advanced of those who left 6/7 = 0.857.
    // screening: entered 6 (A,B,D,E,F,H); A 7, D 2, E 5, F 5, H 2 advanced; B dropped after 7
    //   (found_other_work). Days [2,2,5,5,7,7]: median 5, mean 28/6 = 4.7; 5/6 = 0.833.
    // interview: entered 5 (A,D,E,F,H); A 10, D 10, E 3, H 4 advanced; F dropped after 2
    //   (another_candidate). Days [2,3,4,10,10]: median 4, mean 29/5 = 5.8.
    // offer: entered 4 (A,D,E,H), all advanced after 2, 1, 3, 2: median 2, mean 8/4 = 2.0.
    // background_check: entered 4 (A,D,E,H); A 30, E 16, H 30 advanced; D dropped after 60
    //   (exemption_denied). Days [16,30,30,60]: median 30, mean 136/4 = 34.0; 3/4 = 0.75.
    // facility_clearance: entered 2 (A, E); A advanced after 14; E dropped after 30
    //   (facility_clearance_denied). Median (14+30)/2 = 22, mean 22.0.
    // hired: 2 (A on day 65 after applying, H on day 39): median (39+65)/2 = 52, mean 52.0.
    // Applicants 8 = hired 2 + dropped 5 (B,C,D,E,F) + in progress 1 (G); conversion 2/8 = 0.25.
    let (s, r) = get(&app, &admin, "/api/v1/reports/hiring-pipeline").await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["applicants"], 8);
    assert_eq!(r["hired"], 2);
    assert_eq!(r["dropped"], 5);
    assert_eq!(r["in_progress"], 1);
    assert_eq!(r["conversion"], 0.25);
    assert_eq!(r["median_days_to_hire"], 52.0);
    assert_eq!(r["mean_days_to_hire"], 52.0);
    assert_eq!(counts(&r, "application"), (8, 6, 1, 1, 2.0, 2.0));
    assert_eq!(step(&r, "application")["advance_rate"], 0.857);
    assert_eq!(counts(&r, "screening"), (6, 5, 1, 0, 5.0, 4.7));
    assert_eq!(step(&r, "screening")["advance_rate"], 0.833);
    assert_eq!(step(&r, "screening")["withdrew"], 1);
    assert_eq!(counts(&r, "interview"), (5, 4, 1, 0, 4.0, 5.8));
    assert_eq!(counts(&r, "offer"), (4, 4, 0, 0, 2.0, 2.0));
    assert_eq!(counts(&r, "background_check"), (4, 3, 1, 0, 30.0, 34.0));
    assert_eq!(step(&r, "background_check")["advance_rate"], 0.75);
    assert_eq!(counts(&r, "facility_clearance"), (2, 1, 1, 0, 22.0, 22.0));
    assert_eq!(
        reasons(step(&r, "application")),
        vec![("did_not_meet_criteria".into(), 1)]
    );
    assert_eq!(
        reasons(step(&r, "screening")),
        vec![("found_other_work".into(), 1)]
    );
    assert_eq!(
        reasons(step(&r, "interview")),
        vec![("another_candidate".into(), 1)]
    );
    assert!(reasons(step(&r, "offer")).is_empty());
    assert_eq!(
        reasons(step(&r, "background_check")),
        vec![("exemption_denied".into(), 1)]
    );
    assert_eq!(
        reasons(step(&r, "facility_clearance")),
        vec![("facility_clearance_denied".into(), 1)]
    );
    // Overall: one each, in the vocabulary's order.
    assert_eq!(
        reasons(&r),
        vec![
            ("did_not_meet_criteria".into(), 1),
            ("found_other_work".into(), 1),
            ("another_candidate".into(), 1),
            ("exemption_denied".into(), 1),
            ("facility_clearance_denied".into(), 1),
        ]
    );
    assert_eq!(audited(&app, "hiring.report.pipeline"), 1);

    // The CSV: a row per step, then hired.
    let csv = app
        .get_bearer("/api/v1/reports/hiring-pipeline?format=csv", &admin)
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 6 + 1, "{csv}");
    assert!(
        lines[5].starts_with("background_check,4,3,1,0,1,0,30,34,0.75,"),
        "{csv}"
    );
    assert!(lines[7].starts_with("hired,2,"), "{csv}");

    // The criminal-record barriers report's hiring view: the background check and clearance.
    let (s, br) = get(&app, &admin, "/api/v1/reports/certification-barriers").await;
    assert_eq!(s, 200, "{br}");
    let hiring = br["hiring"].as_array().unwrap();
    assert_eq!(hiring.len(), 2);
    assert_eq!(hiring[0]["step"], "background_check");
    assert_eq!(
        (&hiring[0]["entered"], &hiring[0]["dropped"]),
        (&json!(4), &json!(1))
    );
    assert_eq!(reasons(&hiring[0]), vec![("exemption_denied".into(), 1)]);
    assert_eq!(hiring[1]["step"], "facility_clearance");
    assert_eq!(
        reasons(&hiring[1]),
        vec![("facility_clearance_denied".into(), 1)]
    );

    // The pages show the same figures.
    let session = app.signed_in(&app.a.user(Role::Admin).email).await;
    let page = session.get("/workforce/hiring/report").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<svg"), "the funnel is drawn");
    assert!(html.contains(r#"data-step="background_check" data-reason="exemption_denied""#));
    let page = session
        .get("/workforce/reports/certification-barriers")
        .await;
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"id="hiring-barriers""#), "{html}");
    let page = session
        .get(&format!("/workforce/hiring/applicants/{g}"))
        .await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Gus"));
    let page = session.get("/workforce/hiring").await;
    assert_eq!(page.status(), 200);
}

#[tokio::test]
async fn moves_not_allowed_are_refused_and_nothing_is_recorded() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin).token.clone();
    let (s, v) = post(
        &app,
        &admin,
        "/api/v1/hiring/openings",
        json!({"kind": "peer_recovery_specialist", "title": "Peer",
               "lived_experience_criteria": "Lived experience", "opened_on": "2026-05-15"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let opening = v["id"].as_i64().unwrap();
    let x = applicant(&app, &admin, opening, "Xavi", "2026-06-01").await;
    let path = format!("/api/v1/hiring/applicants/{x}/advance");
    // Skipping a step; a step that does not exist; before the applicant applied.
    let (s, v) = post(
        &app,
        &admin,
        &path,
        json!({"to": "interview", "on": "2026-06-02"}),
    )
    .await;
    assert_eq!((s, fields(&v)), (422, vec!["to".to_string()]), "{v}");
    let (s, v) = post(
        &app,
        &admin,
        &path,
        json!({"to": "probation", "on": "2026-06-02"}),
    )
    .await;
    assert_eq!((s, fields(&v)), (422, vec!["to".to_string()]), "{v}");
    let (s, v) = post(
        &app,
        &admin,
        &path,
        json!({"to": "screening", "on": "2026-05-30"}),
    )
    .await;
    assert_eq!((s, fields(&v)), (422, vec!["on".to_string()]), "{v}");
    // An exemption process belongs to the background check, not to the application.
    let (s, v) = post(
        &app,
        &admin,
        &path,
        json!({"to": "screening", "on": "2026-06-02", "exemption_id": 1}),
    )
    .await;
    assert_eq!(
        (s, fields(&v)),
        (422, vec!["exemption_id".to_string()]),
        "{v}"
    );
    // Leaving needs withdrew or not_selected and a known reason.
    let leave = format!("/api/v1/hiring/applicants/{x}/leave");
    let (s, v) = post(
        &app,
        &admin,
        &leave,
        json!({"outcome": "advanced", "reason": "other", "on": "2026-06-02"}),
    )
    .await;
    assert_eq!((s, fields(&v)), (422, vec!["outcome".to_string()]), "{v}");
    let (s, v) = post(
        &app,
        &admin,
        &leave,
        json!({"outcome": "withdrew", "reason": "bored", "on": "2026-06-02"}),
    )
    .await;
    assert_eq!((s, fields(&v)), (422, vec!["reason".to_string()]), "{v}");
    // Nothing above was recorded: still only the application.
    let (_, v) = get(&app, &admin, &format!("/api/v1/hiring/applicants/{x}")).await;
    assert_eq!(v["events"].as_array().unwrap().len(), 1, "{v}");
    // Once left, no step follows.
    leaves(&app, &admin, x, "withdrew", "no_response", "2026-06-03").await;
    let (s, v) = post(
        &app,
        &admin,
        &path,
        json!({"to": "screening", "on": "2026-06-04"}),
    )
    .await;
    assert_eq!((s, fields(&v)), (422, vec!["to".to_string()]), "{v}");
    let (s, v) = post(
        &app,
        &admin,
        &leave,
        json!({"outcome": "withdrew", "reason": "no_response", "on": "2026-06-04"}),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    let (_, v) = get(&app, &admin, &format!("/api/v1/hiring/applicants/{x}")).await;
    assert_eq!(v["events"].as_array().unwrap().len(), 2, "{v}");
    // An applicant needs an opening of this organisation.
    let (s, v) = post(
        &app,
        &app.b.user(Role::Admin).token,
        "/api/v1/hiring/applicants",
        json!({"opening_id": opening, "name": "Y", "contact": "y", "applied_on": "2026-06-01"}),
    )
    .await;
    assert_eq!(
        (s, fields(&v)),
        (422, vec!["opening_id".to_string()]),
        "{v}"
    );
}

#[tokio::test]
async fn only_the_programmes_admins_keep_hiring_records_and_supervisors_read_the_report() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin).token.clone();
    let (_, v) = post(
        &app,
        &admin,
        "/api/v1/hiring/openings",
        json!({"kind": "peer_supervisor", "title": "Peer Supervisor",
               "lived_experience_criteria": "Lived experience", "opened_on": "2026-05-15"}),
    )
    .await;
    let opening = v["id"].as_i64().unwrap();
    let x = applicant(&app, &admin, opening, "Zoe", "2026-06-01").await;
    let one = format!("/api/v1/hiring/applicants/{x}");
    let denied_before = audited(&app, "hiring.applicant.read");
    // Supervisors, peers, partners (team) and auditors never read applicants (403).
    for role in [Role::Supervisor, Role::Peer, Role::Team, Role::Auditor] {
        let t = &app.a.user(role).token;
        assert_eq!(
            get(&app, t, &one).await.0,
            403,
            "{role:?} reads an applicant"
        );
        assert_eq!(
            get(&app, t, "/api/v1/hiring/applicants").await.0,
            403,
            "{role:?} lists applicants"
        );
        let (s, _) = post(
            &app,
            t,
            &format!("{one}/advance"),
            json!({"to": "screening", "on": "2026-06-02"}),
        )
        .await;
        assert_eq!(s, 403, "{role:?} moves an applicant");
    }
    assert_eq!(audited(&app, "hiring.applicant.read"), denied_before);
    // Another organisation's admin: not found.
    let b = &app.b.user(Role::Admin).token;
    assert_eq!(get(&app, b, &one).await.0, 404);
    let (s, _) = post(
        &app,
        b,
        &format!("{one}/advance"),
        json!({"to": "screening", "on": "2026-06-02"}),
    )
    .await;
    assert_eq!(s, 404);
    assert_eq!(
        get(
            &app,
            b,
            &format!("/api/v1/reports/hiring-pipeline?opening={opening}")
        )
        .await
        .0,
        404
    );
    let (s, r) = get(&app, b, "/api/v1/reports/hiring-pipeline").await;
    assert_eq!(
        (s, &r["applicants"]),
        (200, &json!(0)),
        "B sees only its own"
    );
    // The report: admins and supervisors (no names in it); not peers, partners or auditors.
    let (s, r) = get(
        &app,
        &app.a.user(Role::Supervisor).token,
        "/api/v1/reports/hiring-pipeline",
    )
    .await;
    assert_eq!((s, &r["applicants"]), (200, &json!(1)));
    assert!(!r.to_string().contains("Zoe"));
    for role in [Role::Peer, Role::Team, Role::Auditor] {
        let t = &app.a.user(role).token;
        assert_eq!(
            get(&app, t, "/api/v1/reports/hiring-pipeline").await.0,
            403,
            "{role:?} reads the report"
        );
    }
    // The admin's reads are audited.
    let (s, v) = get(&app, &admin, &one).await;
    assert_eq!(s, 200);
    assert!(v["lived_experience"].as_str().unwrap().contains("recovery"));
    assert_eq!(audited(&app, "hiring.applicant.read"), denied_before + 1);
    // The supervisor's page: the report, not the records.
    let session = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    assert_eq!(session.get("/workforce/hiring/report").await.status(), 200);
    assert_eq!(session.get("/workforce/hiring").await.status(), 403);
}
