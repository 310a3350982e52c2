//! Reporting: the dashboard's aggregates against hand-computed answers on a small fixed data set
//! (built through the public API), the GPRA tracker and rate, exports and their audit, the
//! public suppressed tables and tenancy (the pages in a real browser: tests/browser/reports.rs).

use serde_json::{Value, json};
use throughcare::platform::access::Role;

use crate::helpers::{TestApp, spawn_app, spawn_demo};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let r = app.post_bearer(path, token, body).await;
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    assert!(
        status == 200 || status == 201,
        "POST {path}: {status} {text}"
    );
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.get_bearer(path, token).await;
    let status = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(status, 200, "GET {path}: {text}");
    serde_json::from_str(&text).unwrap()
}

struct Fixed {
    p1: i64,
    p2: i64,
    p3: i64,
}

async fn participant(app: &TestApp, t: &str, last: &str) -> i64 {
    let p = post(
        app,
        t,
        "/api/v1/participants",
        json!({"first_name": "Sam", "last_name": last, "date_of_birth": "1990-05-05"}),
    )
    .await;
    p["id"].as_i64().unwrap()
}

/// Three people of organisation A (hand-computed answers in each test):
/// - P1 (the seeded participant, assigned to A's peer): short_term from 2025-01-06, released
///   Mon 2025-02-03 10:00, contacted 20:00 the same day; treatment referral 02-04 linked 02-14;
///   BARC-10 20 → 30; day30 follow-up done 03-05 (on time), day180 done 08-01 (re-arrested,
///   non-fatal overdose).
/// - P2: long_term from 2025-01-15, released Wed 2025-02-05 09:00, an attempt at 12:00, contact
///   02-10 09:00 (5 days); treatment referral 02-06 linked 03-03 (25 days), housing referral 02-06
///   never linked; BARC-10 40 → 35; day30 done 03-20 (late), day180 done 08-04.
/// - P3: community from 2025-02-10 (follow-ups scheduled from that date, none done), discharged
///   "completed" 2025-03-15; one BARC-10.
async fn fixed(app: &TestApp) -> Fixed {
    let t = &app.a.user(Role::Admin).token;
    let p1 = app.a.participant_id;
    let p2 = participant(app, t, "Two").await;
    let p3 = participant(app, t, "Three").await;
    let base = |p: i64| format!("/api/v1/participants/{p}");
    for (p, setting, start) in [
        (p1, "short_term", "2025-01-06"),
        (p2, "long_term", "2025-01-15"),
        (p3, "community", "2025-02-10"),
    ] {
        post(
            app,
            t,
            &format!("{}/episodes", base(p)),
            json!({"setting": setting, "started_on": start, "services_consent_on": start}),
        )
        .await;
    }
    for (p, on, at) in [(p1, "2025-02-03", "10:00"), (p2, "2025-02-05", "09:00")] {
        post(
            app,
            t,
            &format!("{}/custody-events", base(p)),
            json!({"kind": "release", "occurred_on": on, "at_time": at}),
        )
        .await;
    }
    for (p, outcome, at) in [
        (p1, "completed", "2025-02-03T20:00"),
        (p2, "attempted", "2025-02-05T12:00"),
        (p2, "completed", "2025-02-10T09:00"),
    ] {
        post(app, t, &format!("{}/encounters", base(p)), json!({"mode": "phone", "outcome": outcome, "occurred_at": at, "duration_minutes": if outcome == "completed" { 20 } else { 0 }, "topics": ["engaging"]})).await;
    }
    for (p, kind, on, linked) in [
        (p1, "treatment", "2025-02-04", Some("2025-02-14")),
        (p2, "treatment", "2025-02-06", Some("2025-03-03")),
        (p2, "housing", "2025-02-06", None),
    ] {
        let r = post(
            app,
            t,
            &format!("{}/referrals", base(p)),
            json!({"referral_type": kind, "provider_name": "Provider", "referred_on": on}),
        )
        .await;
        if let Some(l) = linked {
            let rid = r["id"].as_i64().unwrap();
            post(
                app,
                t,
                &format!("{}/referrals/{rid}/status", base(p)),
                json!({"status": "attended", "occurred_on": l}),
            )
            .await;
        }
    }
    for (p, on, answers) in [
        (p1, "2025-02-04", [2; 10]),
        (p1, "2025-03-04", [3; 10]),
        (p2, "2025-02-06", [4; 10]),
        (p2, "2025-03-06", [4, 4, 4, 4, 4, 3, 3, 3, 3, 3]),
        (p3, "2025-02-12", [5; 10]),
    ] {
        post(
            app,
            t,
            &format!("{}/barc10", base(p)),
            json!({"taken_on": on, "answers": answers}),
        )
        .await;
    }
    for (p, point, on, rearrested, overdose) in [
        (p1, "day30", "2025-03-05", false, "none"),
        (p1, "day180", "2025-08-01", true, "non_fatal"),
        (p2, "day30", "2025-03-20", false, "none"),
        (p2, "day180", "2025-08-04", false, "none"),
    ] {
        post(app, t, &format!("{}/followups", base(p)), json!({"point": point, "completed_on": on, "rearrested": rearrested, "reincarcerated": false, "overdose": overdose})).await;
    }
    post(
        app,
        t,
        &format!("{}/episodes/discharge", base(p3)),
        json!({"reason": "completed", "ended_on": "2025-03-15"}),
    )
    .await;
    Fixed { p1, p2, p3 }
}

/// The table of one chart: rows of strings.
async fn chart(app: &TestApp, token: &str, name: &str, query: &str) -> Vec<Vec<String>> {
    let d = get(app, token, &format!("/api/v1/reports/dashboard?{query}")).await;
    let c = d["charts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("chart {name}"))
        .clone();
    c["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn row<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == first)
        .unwrap_or_else(|| panic!("row {first} in {rows:?}"))
}

const Q1: &str = "from=2025-01-01&to=2025-03-31";
const YEAR: &str = "from=2025-01-01&to=2025-09-30";

#[tokio::test]
async fn reports_enrolments_and_caseload_by_month_and_setting() {
    let app = spawn_app().await;
    fixed(&app).await;
    let t = &app.a.user(Role::Supervisor).token;
    let rows = chart(&app, t, "enrolments", Q1).await;
    // Columns: month, then (enrolled, active) for short, medium, long, community.
    assert_eq!(rows[0], ["2025-01", "1", "1", "0", "0", "1", "1", "0", "0"]);
    assert_eq!(rows[1], ["2025-02", "0", "1", "0", "0", "0", "1", "1", "1"]);
    assert_eq!(rows[2], ["2025-03", "0", "1", "0", "0", "0", "1", "0", "0"]);
    let only_long = chart(&app, t, "enrolments", &format!("{Q1}&setting=long_term")).await;
    assert_eq!(
        only_long[0],
        ["2025-01", "0", "0", "0", "0", "1", "1", "0", "0"]
    );
}

#[tokio::test]
async fn reports_releases_per_week_with_contact_within_24_hours_and_14_days() {
    let app = spawn_app().await;
    fixed(&app).await;
    let t = &app.a.user(Role::Admin).token;
    let rows = chart(&app, t, "releases", Q1).await;
    assert_eq!(
        rows,
        vec![vec!["2025-02-03", "2", "1", "50.0", "2", "100.0"]]
    );
    // The peer filter: only P1 is assigned to A's peer.
    let peer = app.a.user(Role::Peer).id;
    let rows = chart(&app, t, "releases", &format!("{Q1}&peer={peer}")).await;
    assert_eq!(
        rows,
        vec![vec!["2025-02-03", "1", "1", "100.0", "1", "100.0"]]
    );
}

#[tokio::test]
async fn reports_days_from_release_to_first_contact() {
    let app = spawn_app().await;
    fixed(&app).await;
    let t = &app.a.user(Role::Admin).token;
    let rows = chart(&app, t, "first_contact_days", Q1).await;
    assert_eq!(row(&rows, "Same day (under 24 h)")[1], "1");
    assert_eq!(row(&rows, "3–6 days")[1], "1");
    assert_eq!(row(&rows, "1 day")[1], "0");
    assert_eq!(row(&rows, "No contact yet")[1], "0");
}

#[tokio::test]
async fn reports_linkage_within_14_and_30_days_by_referral_type() {
    let app = spawn_app().await;
    fixed(&app).await;
    let t = &app.a.user(Role::Admin).token;
    let rows = chart(&app, t, "linkage", Q1).await;
    assert_eq!(
        row(&rows, "Substance use treatment"),
        ["Substance use treatment", "2", "1", "50.0", "2", "100.0"]
    );
    assert_eq!(
        row(&rows, "Housing"),
        ["Housing", "1", "0", "0.0", "0", "0.0"]
    );
}

#[tokio::test]
async fn reports_barc10_paired_change() {
    let app = spawn_app().await;
    fixed(&app).await;
    let t = &app.a.user(Role::Admin).token;
    let rows = chart(&app, t, "barc10", Q1).await;
    assert_eq!(row(&rows, "People with two or more assessments")[1], "2");
    assert_eq!(row(&rows, "Mean first total")[1], "30.0");
    assert_eq!(row(&rows, "Mean latest total")[1], "32.5");
    assert_eq!(row(&rows, "Mean change")[1], "2.5");
    assert_eq!(row(&rows, "Improved")[1], "1");
    assert_eq!(row(&rows, "Same")[1], "0");
    assert_eq!(row(&rows, "Worse")[1], "1");
}

#[tokio::test]
async fn reports_followup_completion_recidivism_and_overdose() {
    let app = spawn_app().await;
    fixed(&app).await;
    let t = &app.a.user(Role::Admin).token;
    let rows = chart(&app, t, "followups", YEAR).await;
    // P3's community episode schedules follow-ups from its start too (none completed).
    assert_eq!(row(&rows, "30-day follow-up")[1..], ["3", "2", "66.7", "1"]);
    assert_eq!(row(&rows, "90-day follow-up")[1..], ["3", "0", "0.0", "0"]);
    assert_eq!(
        row(&rows, "180-day follow-up")[1..],
        ["3", "2", "66.7", "2"]
    );
    let rows = chart(&app, t, "recidivism", YEAR).await;
    assert_eq!(
        row(&rows, "Within 6 months")[1..],
        ["2", "1", "50.0", "0", "0.0"]
    );
    assert_eq!(
        row(&rows, "Within 12 months")[1..],
        ["0", "0", "–", "0", "–"]
    );
    let rows = chart(&app, t, "overdose", YEAR).await;
    assert_eq!(row(&rows, "Non-fatal overdose")[1], "1");
    assert_eq!(row(&rows, "Fatal overdose")[1], "0");
    assert_eq!(row(&rows, "None")[1], "3");
}

#[tokio::test]
async fn reports_discharge_reasons_and_csv_per_chart() {
    let app = spawn_app().await;
    fixed(&app).await;
    let t = &app.a.user(Role::Admin).token;
    let rows = chart(&app, t, "discharges", Q1).await;
    assert_eq!(row(&rows, "Completed")[1], "1");
    assert_eq!(row(&rows, "Lost contact")[1], "0");
    let r = app
        .get_bearer(
            &format!("/api/v1/reports/dashboard.csv?chart=discharges&{Q1}"),
            t,
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("Reason,Count\n"), "{csv}");
    assert!(csv.contains("Completed,1\n"), "{csv}");
    let same = app
        .get_bearer(
            &format!("/api/v1/reports/dashboard?format=csv&chart=discharges&{Q1}"),
            t,
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv, same);
    // Errors name the field.
    for (q, field) in [
        ("chart=nope", "chart"),
        ("chart=linkage&from=2025-13-01", "from"),
        ("chart=linkage&setting=moon", "setting"),
        ("chart=linkage&facility=x", "facility"),
    ] {
        let r = app
            .get_bearer(&format!("/api/v1/reports/dashboard.csv?{q}"), t)
            .await;
        assert_eq!(r.status(), 422, "{q}");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], field, "{q}: {p}");
    }
}

#[tokio::test]
async fn reports_are_for_programme_staff_of_their_own_organisation() {
    let app = spawn_app().await;
    fixed(&app).await;
    for role in [Role::Peer, Role::Team, Role::Auditor] {
        let t = &app.a.user(role).token;
        for path in [
            "/api/v1/reports/dashboard",
            "/api/v1/reports/gpra",
            "/api/v1/exports/episodes.csv",
            "/api/v1/exports/workbook.xlsx",
            "/api/v1/exports/public/linkage_by_referral_type.csv",
        ] {
            assert_eq!(
                app.get_bearer(path, t).await.status(),
                403,
                "{role:?} {path}"
            );
        }
    }
    // Organisation B sees only its own (empty) programme.
    let tb = &app.b.user(Role::Admin).token;
    let rows = chart(&app, tb, "releases", Q1).await;
    assert!(rows.is_empty(), "{rows:?}");
    let csv = app
        .get_bearer("/api/v1/exports/episodes.csv", tb)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 1, "header only: {csv}");
    let g = get(&app, tb, "/api/v1/reports/gpra").await;
    assert_eq!(g["people"], 0);
}

#[tokio::test]
async fn gpra_interviews_tracker_and_follow_up_rate_over_the_api() {
    let app = spawn_app().await;
    let f = fixed(&app).await;
    let peer = &app.a.user(Role::Peer).token;
    let base = |p: i64| format!("/api/v1/participants/{p}/gpra");
    // P1: intake on 2025-01-06 → due 2025-07-06, window 06-06..09-04; interviewed 07-20 (in).
    post(&app, peer, &base(f.p1), json!({"timepoint": "intake", "client_type": "client_in_recovery", "interview_on": "2025-01-06", "days_any_alcohol": 4, "days_alcohol_intoxication": 2, "housing": "jail_prison", "substance_days": [{"substance": "heroin", "days": 3}], "days_illegal_drugs": 5, "income": [], "arrests_past_30": 0})).await;
    post(&app, peer, &base(f.p1), json!({"timepoint": "six_month", "client_type": "client_in_recovery", "interview_on": "2025-07-20", "substance_days": [], "income": []})).await;
    // P2: intake = first episode 2025-01-15 → window 06-15..09-13; interviewed 10-01 (out).
    post(&app, peer, &base(f.p2), json!({"timepoint": "six_month", "client_type": "client_in_recovery", "interview_on": "2025-10-01", "substance_days": [], "income": []})).await;
    // P3 was discharged before the window opened: not applicable.
    let r = app
        .post_bearer(&base(f.p3), peer, json!({"timepoint": "discharge", "client_type": "client_in_recovery", "interview_on": "2025-03-15", "days_any_alcohol": 2, "days_alcohol_intoxication": 5, "substance_days": [], "income": []}))
        .await;
    assert_eq!(r.status(), 422);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "days_alcohol_intoxication", "{p}");
    post(&app, peer, &base(f.p3), json!({"timepoint": "discharge", "client_type": "client_in_recovery", "interview_on": "2025-03-15", "substance_days": [], "income": []})).await;
    let list = get(&app, peer, &base(f.p1)).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["interview"]["housing"], "jail_prison");
    let sup = &app.a.user(Role::Supervisor).token;
    let t = get(&app, sup, "/api/v1/reports/gpra").await;
    assert_eq!(t["people"], 3);
    assert_eq!(t["intake_interviews"], 1);
    assert_eq!(t["discharge_interviews"], 1);
    assert_eq!(t["rate"]["numerator"], 1);
    assert_eq!(t["rate"]["denominator"], 2);
    assert_eq!(t["rate"]["not_applicable"], 1);
    assert_eq!(t["rate"]["rate"], 0.5);
    assert_eq!(t["rate"]["meets_target"], false);
    let count = |s: &str| {
        t["statuses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["status"] == s)
            .unwrap()["count"]
            .clone()
    };
    assert_eq!(count("completed_in_window"), 1);
    assert_eq!(count("completed_out_of_window"), 1);
    // Another organisation cannot read or write these interviews.
    let outsider = &app.b.user(Role::Admin).token;
    assert_eq!(app.get_bearer(&base(f.p1), outsider).await.status(), 404);
    assert_eq!(
        app.post_bearer(&base(f.p1), outsider, json!({"timepoint": "bogus"}))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn exports_stream_every_record_and_are_audited() {
    let app = spawn_app().await;
    let f = fixed(&app).await;
    let t = &app.a.user(Role::Admin).token;
    let csv = app
        .get_bearer("/api/v1/exports/encounters.csv", t)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 4, "header and three encounters: {csv}");
    let topics = app
        .get_bearer("/api/v1/exports/encounter_topics.csv", t)
        .await
        .text()
        .await
        .unwrap();
    assert!(topics.starts_with("encounter_id,participant_id,topic\n"));
    assert_eq!(topics.matches(",engaging").count(), 3);
    let barc = app
        .get_bearer("/api/v1/exports/barc10_assessments.csv", t)
        .await
        .text()
        .await
        .unwrap();
    assert!(barc.lines().next().unwrap().ends_with("q9,q10"));
    assert_eq!(barc.lines().count(), 6);
    let parts = app
        .get_bearer("/api/v1/exports/participants.csv", t)
        .await
        .text()
        .await
        .unwrap();
    assert!(parts.contains(&f.p2.to_string()) && parts.contains(&f.p3.to_string()));
    let dict = app
        .get_bearer("/api/v1/exports/dictionary.csv", t)
        .await
        .text()
        .await
        .unwrap();
    assert!(dict.contains("gpra_interviews,days_heroin,"));
    assert_eq!(
        app.get_bearer("/api/v1/exports/nothing.csv", t)
            .await
            .status(),
        404
    );
    let r = app.get_bearer("/api/v1/exports/workbook.xlsx", t).await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip");
    let audit = get(&app, t, "/api/v1/audit?limit=200").await;
    let text = audit.to_string();
    // Recorded before the first byte, and again with the rows sent once the last had gone.
    assert!(text.contains("dataset=encounters started"), "{text}");
    assert!(text.contains("dataset=encounters rows=3"), "{text}");
    assert!(text.contains("export.csv.sent"), "{text}");
    assert!(text.contains("export.xlsx"), "{text}");
}

/// The CSV export writes each page's rows as they are read (decision 0058): streamed in pages of
/// one, two and three records, so every page boundary falls somewhere in the test data, each
/// dataset is byte for byte what its pages read whole and written as CSV give (the path the
/// workbook keeps), on both backends.
#[tokio::test]
async fn a_streamed_csv_export_is_the_same_across_page_boundaries() {
    use throughcare::platform::access;
    use throughcare::platform::auth::token_actor;
    use throughcare::reports::exports::{self, DATASETS};
    let app = spawn_app().await;
    fixed(&app).await;
    let db = app.state.db.clone();
    let token = app.a.user(Role::Admin).token.clone();
    tokio::task::spawn_blocking(move || {
        let mut c = db.conn().unwrap();
        let admin = token_actor(&mut c, &token, "127.0.0.1").unwrap().unwrap();
        let scope = access::reports(&admin).unwrap();
        let mut crossed = 0;
        for ds in DATASETS {
            // The reference: every record read by `page`, then written as one CSV chunk.
            let mut rows = Vec::new();
            let mut after = i64::MIN;
            while let (page, Some(last)) = exports::page(&mut c, scope, ds, after).unwrap() {
                rows.extend(page);
                after = last;
            }
            let want = exports::csv_chunk(Some(&exports::header(ds)), &rows).unwrap();
            for per_page in [1, 2, 3] {
                let mut got = Vec::new();
                let mut chunks = 0;
                let sent = exports::write_csv_in_pages(&mut c, scope, ds, per_page, |chunk| {
                    got.extend(chunk);
                    chunks += 1;
                    true
                })
                .unwrap();
                assert!(sent.complete, "{} in pages of {per_page}", ds.name);
                assert_eq!(sent.rows, rows.len() as u64, "{}", ds.name);
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    String::from_utf8(want.clone()).unwrap(),
                    "{} in pages of {per_page}",
                    ds.name
                );
                if chunks > 2 {
                    crossed += 1;
                }
            }
        }
        // The data must hold datasets of several records, or no boundary was crossed.
        assert!(
            crossed >= 6,
            "only {crossed} exports crossed a page boundary"
        );
    })
    .await
    .unwrap();
}

fn assert_publishable(csv: &str) {
    let mut shown = 0;
    for line in csv.lines().skip(1) {
        for cell in line.split(',').skip(1) {
            if cell == "*" {
                continue;
            }
            let n: u64 = cell.parse().unwrap_or_else(|_| panic!("{cell:?} in {csv}"));
            assert!(n == 0 || n >= 11, "visible small cell {n} in\n{csv}");
            shown += 1;
        }
    }
    assert!(shown > 0, "{csv}");
}

#[tokio::test]
async fn public_tables_hide_every_cell_under_11_people_end_to_end() {
    let (url, _state, _dir) = spawn_demo().await;
    let s = crate::helpers::Session::new(&url);
    assert_eq!(
        s.sign_in("admin@demo.throughcare.example", "throughcare-demo")
            .await
            .status(),
        303
    );
    for (table, head) in [
        (
            "releases_by_month_setting",
            "month,short_term,medium_term,long_term,community,total",
        ),
        (
            "linkage_by_referral_type",
            "referral_type,linked_within_30_days,linked_later,not_linked,total",
        ),
    ] {
        let r = s.get(&format!("/api/v1/exports/public/{table}.csv")).await;
        assert_eq!(r.status(), 200, "{table}");
        let csv = r.text().await.unwrap();
        assert!(csv.starts_with(head), "{csv}");
        assert_publishable(&csv);
    }
    // The exports page offers finished periods only, through a picker.
    let page = s.get("/exports").await.text().await.unwrap();
    assert!(
        page.contains(r#"<select name="period" id="period-linkage_by_referral_type">"#),
        "{page}"
    );
    assert!(!page.contains("from="), "no date ranges offered");
    // Suppression really happens on a small programme: organisation A's fixed data set.
    let app = spawn_app().await;
    fixed(&app).await;
    let csv = app
        .get_bearer(
            "/api/v1/exports/public/linkage_by_referral_type.csv?period=2025-Q1",
            &app.a.user(Role::Admin).token,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("treatment,*"), "{csv}");
    assert_publishable(&csv);
}

/// GET a public table as organisation A's admin: status and body.
async fn public_table(app: &TestApp, query: &str) -> (u16, String) {
    let r = app
        .get_bearer(
            &format!("/api/v1/exports/public/releases_by_month_setting.csv?{query}"),
            &app.a.user(Role::Admin).token,
        )
        .await;
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn public_tables_are_for_fixed_periods_and_refuse_date_ranges() {
    let app = spawn_app().await;
    fixed(&app).await;
    // A month, a quarter and a year work; February's two releases (one short_term, one
    // long_term) are hidden alike in every table of 2025 that shows February.
    let (status, month) = public_table(&app, "period=2025-02").await;
    assert_eq!(status, 200, "{month}");
    assert_eq!(
        month,
        "month,short_term,medium_term,long_term,community,total\n\
         2025-02,*,0,*,0,*\ntotal,*,0,*,0,*\n"
    );
    for period in ["2025-Q1", "2025"] {
        let (status, csv) = public_table(&app, &format!("period={period}")).await;
        assert_eq!(status, 200, "{period}: {csv}");
        assert!(csv.contains("\n2025-02,*,0,*,0,*\n"), "{period}: {csv}");
        assert!(csv.contains("\n2025-01,0,0,0,0,0\n"), "{period}: {csv}");
        assert!(csv.ends_with("\ntotal,*,0,*,0,*\n"), "{period}: {csv}");
        assert_publishable(&csv);
    }
    let (_, year) = public_table(&app, "period=2025").await;
    assert_eq!(year.lines().count(), 1 + 12 + 1, "{year}");
    // Arbitrary ranges are refused, naming the field; so are malformed and unfinished periods.
    for (query, fields) in [
        ("from=2025-01-01&to=2025-03-31", vec!["from", "to"]),
        ("to=2025-03-30", vec!["to"]),
        ("period=2025-Q1&from=2025-01-01", vec!["from"]),
        ("period=2025-Q5", vec!["period"]),
        ("period=2025-01-01", vec!["period"]),
        ("period=2100", vec!["period"]),
    ] {
        let (status, body) = public_table(&app, query).await;
        assert_eq!(status, 422, "{query}: {body}");
        let p: Value = serde_json::from_str(&body).unwrap();
        let got: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(got, fields, "{query}: {p}");
    }
    let audit = get(
        &app,
        &app.a.user(Role::Admin).token,
        "/api/v1/audit?limit=200",
    )
    .await
    .to_string();
    assert!(
        audit.contains("table=releases_by_month_setting period=2025-Q1"),
        "{audit}"
    );
}

/// GET `path` as `token`: the JSON body and the `X-Report-Cache` header.
async fn report(app: &TestApp, token: &str, path: &str) -> (Value, String) {
    let r = app.get_bearer(path, token).await;
    assert_eq!(r.status(), 200, "GET {path}");
    let cache = r
        .headers()
        .get("x-report-cache")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.json().await.unwrap(), cache)
}

async fn audit_count(app: &TestApp, action: &'static str) -> i64 {
    use diesel::prelude::*;
    use throughcare::platform::schema::audit_log;
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut c = db.conn().unwrap();
        audit_log::table
            .filter(audit_log::action.eq(action))
            .count()
            .get_result::<i64>(&mut *c)
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn reports_are_served_from_memory_until_a_write_changes_their_organisation() {
    let app = spawn_app().await;
    let f = fixed(&app).await;
    let admin = &app.a.user(Role::Admin).token;
    let dash = format!("/api/v1/reports/dashboard?{Q1}");
    let within_24h = |d: &Value| -> String {
        let c = d["charts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "releases")
            .unwrap();
        let total: i64 = c["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[2].as_str().unwrap().parse::<i64>().unwrap())
            .sum();
        total.to_string()
    };
    let audits = audit_count(&app, "reports.dashboard").await;
    let (d1, c1) = report(&app, admin, &dash).await;
    assert_eq!(c1, "miss");
    let (d2, c2) = report(&app, admin, &dash).await;
    assert_eq!(c2, "hit", "nothing was written in between");
    assert_eq!(d1, d2);
    assert_eq!(
        audit_count(&app, "reports.dashboard").await,
        audits + 2,
        "a view from memory is audited like any other"
    );
    assert_eq!(within_24h(&d1), "1", "P1 only: {d1}");
    // Another programme's write does not touch A's figures; its own dashboard is its own.
    participant(&app, &app.b.user(Role::Admin).token, "Elsewhere").await;
    let (_, c) = report(&app, admin, &dash).await;
    assert_eq!(c, "hit");
    let (db, cb) = report(&app, &app.b.user(Role::Admin).token, &dash).await;
    assert_eq!(cb, "miss");
    assert_eq!(within_24h(&db), "0", "B sees none of A's releases");
    // P2 is reached 6 hours after release: the dashboard is recomputed and shows it.
    post(
        &app,
        admin,
        &format!("/api/v1/participants/{}/encounters", f.p2),
        json!({"mode": "phone", "outcome": "completed", "occurred_at": "2025-02-05T15:00", "duration_minutes": 15, "topics": ["engaging"]}),
    )
    .await;
    let (d3, c3) = report(&app, admin, &dash).await;
    assert_eq!(c3, "miss", "a write invalidated the dashboard");
    assert_eq!(within_24h(&d3), "2", "{d3}");
    // The CSV of one chart shares the cached figures.
    let r = app
        .get_bearer(
            &format!("/api/v1/reports/dashboard.csv?chart=releases&{Q1}"),
            admin,
        )
        .await;
    assert_eq!(r.headers()["x-report-cache"], "hit");
    // The GPRA tracker and the facility access report behave the same way.
    for path in ["/api/v1/reports/gpra", "/api/v1/reports/facility-access"] {
        let (a, ca) = report(&app, admin, path).await;
        let (b, cb) = report(&app, admin, path).await;
        assert_eq!((ca.as_str(), cb.as_str()), ("miss", "hit"), "{path}");
        assert_eq!(a, b, "{path}");
    }
    post(&app, &app.a.user(Role::Peer).token, &format!("/api/v1/participants/{}/gpra", f.p1), json!({"timepoint": "intake", "client_type": "client_in_recovery", "interview_on": "2025-01-06", "substance_days": [], "income": []})).await;
    let (t, c) = report(&app, admin, "/api/v1/reports/gpra").await;
    assert_eq!(c, "miss");
    assert_eq!(t["intake_interviews"], 1, "{t}");
    let (_, c) = report(&app, admin, "/api/v1/reports/facility-access").await;
    assert_eq!(
        c, "hit",
        "the facility access report reads no interviews (decision 0056)"
    );
    // An encounter recomputes the dashboard but not the GPRA tracker, which reads none.
    post(
        &app,
        admin,
        &format!("/api/v1/participants/{}/encounters", f.p1),
        json!({"mode": "phone", "outcome": "completed", "occurred_at": "2025-02-07T15:00", "duration_minutes": 15, "topics": ["engaging"]}),
    )
    .await;
    let (_, c) = report(&app, admin, "/api/v1/reports/gpra").await;
    assert_eq!(c, "hit", "an encounter does not touch the GPRA tracker");
    let (_, c) = report(&app, admin, &dash).await;
    assert_eq!(
        c, "miss",
        "an encounter is read by the dashboard's releases"
    );
    let (_, c) = report(&app, admin, "/api/v1/reports/facility-access").await;
    assert_eq!(
        c, "miss",
        "an encounter is read by the facility access report's people without a contact"
    );
}

/// The dashboard kept part by part, each part under the versions of the tables it reads
/// (decision 0056), answers after every kind of write exactly as a dashboard computed from
/// scratch, unfiltered and under each filter. A part that read a table its list does not name
/// would be served stale here and differ.
#[tokio::test]
async fn the_dashboard_kept_part_by_part_answers_as_one_computed_from_scratch() {
    use throughcare::platform::i18n::Tr;
    use throughcare::reports::dashboard::{self, Filter};
    let app = spawn_app().await;
    let f = fixed(&app).await;
    let admin = app.a.user(Role::Admin).token.clone();
    let peer = app.a.user(Role::Peer).id;
    let db = app.state.db.clone();
    let org: i64 = {
        let db = db.clone();
        let p1 = f.p1;
        tokio::task::spawn_blocking(move || {
            use diesel::prelude::*;
            use throughcare::platform::schema::participants;
            let mut c = db.conn().unwrap();
            participants::table
                .find(p1)
                .select(participants::org_id)
                .first::<i64>(&mut *c)
                .unwrap()
        })
        .await
        .unwrap()
    };
    let filters = [
        String::new(),
        format!("&peer={peer}"),
        "&setting=long_term".to_string(),
    ];
    // Served (kept) against computed now, for every filter.
    let compare = |step: &'static str| {
        let (app, db, admin) = (&app, db.clone(), admin.clone());
        let filters = filters.clone();
        async move {
            for q in &filters {
                let (served, _) =
                    report(app, &admin, &format!("/api/v1/reports/dashboard?{YEAR}{q}")).await;
                let fl = &served["filter"];
                let filter = Filter {
                    org_id: org,
                    facility_id: fl["facility_id"].as_i64(),
                    setting: fl["setting"].as_str().map(str::to_string),
                    peer_id: fl["peer_id"].as_i64(),
                    from: fl["from"].as_str().unwrap().parse().unwrap(),
                    to: fl["to"].as_str().unwrap().parse().unwrap(),
                };
                let db = db.clone();
                let fresh = tokio::task::spawn_blocking(move || {
                    let mut c = db.conn().unwrap();
                    dashboard::dashboard(&mut c, &filter, Tr::default()).unwrap()
                })
                .await
                .unwrap();
                let fresh = serde_json::to_value(&fresh).unwrap();
                assert_eq!(
                    served["charts"], fresh["charts"],
                    "after {step}, filter '{q}'"
                );
                assert_eq!(
                    served["headline"], fresh["headline"],
                    "after {step}, filter '{q}'"
                );
            }
        }
    };
    compare("the fixed data set").await;
    let base = |p: i64| format!("/api/v1/participants/{p}");
    let writes: Vec<(&'static str, String, Value)> = vec![
        (
            "an encounter",
            format!("{}/encounters", base(f.p2)),
            json!({"mode": "phone", "outcome": "completed", "occurred_at": "2025-02-05T15:00", "duration_minutes": 15, "topics": ["engaging"]}),
        ),
        (
            "a referral",
            format!("{}/referrals", base(f.p3)),
            json!({"referral_type": "housing", "provider_name": "Provider", "referred_on": "2025-02-20"}),
        ),
        (
            "a BARC-10",
            format!("{}/barc10", base(f.p3)),
            json!({"taken_on": "2025-03-01", "answers": [6, 6, 6, 6, 6, 6, 6, 6, 6, 6]}),
        ),
        (
            "a follow-up",
            format!("{}/followups", base(f.p2)),
            json!({"point": "day90", "completed_on": "2025-05-06", "rearrested": true, "reincarcerated": false, "overdose": "fatal"}),
        ),
        (
            "an overdose",
            format!("{}/overdoses", base(f.p1)),
            json!({"occurred_on": "2025-02-10", "fatal": false, "source": "hospital"}),
        ),
        (
            "a release",
            format!("{}/custody-events", base(f.p3)),
            json!({"kind": "release", "occurred_on": "2025-02-28", "at_time": "08:00"}),
        ),
        (
            "a discharge",
            format!("{}/episodes/discharge", base(f.p2)),
            json!({"reason": "completed", "ended_on": "2025-04-01"}),
        ),
    ];
    for (step, path, body) in writes {
        post(&app, &admin, &path, body).await;
        compare(step).await;
    }
}

/// Every table the reports read carries the insert, update and delete triggers that bump the
/// report data version, and a change to a row of each one that holds rows bumps that table's
/// version and no other's.
#[tokio::test]
async fn every_write_to_a_reported_table_bumps_the_report_version() {
    use diesel::RunQueryDsl;
    use diesel::connection::SimpleConnection;
    use throughcare::platform::db::DbConn;
    use throughcare::platform::report_cache::{VERSIONED_TABLES, org_version, versions};
    let app = spawn_app().await;
    let f = fixed(&app).await;
    let db = app.state.db.clone();
    let p1 = f.p1;
    tokio::task::spawn_blocking(move || {
        #[derive(diesel::QueryableByName)]
        struct Name {
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
        }
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = db.conn().unwrap();
        let c: &mut DbConn = &mut c;
        let sql = match c {
            DbConn::Sqlite(_) => "SELECT name FROM sqlite_master WHERE type = 'trigger'",
            DbConn::Pg(_) => "SELECT tgname::text AS name FROM pg_trigger WHERE NOT tgisinternal",
        };
        let names: Vec<String> = diesel::sql_query(sql)
            .load::<Name>(c)
            .unwrap()
            .into_iter()
            .map(|n| n.name)
            .collect();
        for t in VERSIONED_TABLES {
            for ev in ["ins", "upd", "del"] {
                let want = format!("{t}_rv_{ev}");
                assert!(names.contains(&want), "no trigger {want}");
            }
        }
        let org: i64 = diesel::sql_query(format!(
            "SELECT org_id AS n FROM participants WHERE id = {p1}"
        ))
        .get_result::<N>(c)
        .unwrap()
        .n;
        let mut exercised = 0;
        for t in VERSIONED_TABLES {
            let held = diesel::sql_query(format!(
                "SELECT COUNT(*) AS n FROM {t} WHERE org_id = {org}"
            ))
            .get_result::<N>(c)
            .unwrap()
            .n;
            if held == 0 {
                continue;
            }
            let before = versions(c, org).unwrap();
            c.batch_execute(&format!(
                "UPDATE {t} SET org_id = org_id WHERE id = (SELECT MIN(id) FROM {t} WHERE org_id = {org})"
            ))
            .unwrap();
            let after = versions(c, org).unwrap();
            assert!(after.of(&[t]) > before.of(&[t]), "an update of {t}");
            // Only its own table's version moves (decision 0056).
            assert_eq!(
                after.all() - after.of(&[t]),
                before.all() - before.of(&[t]),
                "an update of {t} moved another table's version"
            );
            exercised += 1;
        }
        assert!(exercised >= 8, "only {exercised} tables held rows");
        // Deletes bump it too (a rolled-back delete leaves it where it was).
        let before = org_version(c, org).unwrap();
        c.batch_execute(&format!(
            "DELETE FROM encounters WHERE id = (SELECT MAX(id) FROM encounters WHERE org_id = {org})"
        ))
        .unwrap();
        assert!(org_version(c, org).unwrap() > before, "a delete");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_dashboards_peer_filter_lists_a_small_programmes_peers_and_asks_a_large_one_for_an_id()
{
    use throughcare::reports::pages::PEER_LIST_MAX;
    let app = spawn_app().await;
    let admin = app.signed_in(&app.a.user(Role::Admin).email).await;
    let peer = app.a.user(Role::Peer);
    let options = |html: &str| {
        let start = html.find("<select id=\"peer\"")?;
        let end = start + html[start..].find("</select>").unwrap();
        Some(html[start..end].matches("<option value=\"").count())
    };
    let html = admin.get("/dashboard").await.text().await.unwrap();
    let before = options(&html).expect("a drop-down for a small programme");
    assert!(html.contains(&format!("<option value=\"{}\"", peer.id)));
    let other_org_peer = app.b.user(Role::Peer).id;
    assert!(!html.contains(&format!("<option value=\"{other_org_peer}\"")));
    // Up to the limit, still a drop-down (plus "All peers"); one more, a staff id field.
    let peers_before = before - 1;
    let add = |from: usize, to: usize| app.add_peers(peer.id, "Dash Peer", from..to, |_| None);
    add(0, PEER_LIST_MAX - peers_before).await;
    let html = admin.get("/dashboard").await.text().await.unwrap();
    assert_eq!(options(&html), Some(1 + PEER_LIST_MAX), "{html}");
    add(
        PEER_LIST_MAX - peers_before,
        PEER_LIST_MAX - peers_before + 1,
    )
    .await;
    let html = admin.get("/dashboard").await.text().await.unwrap();
    assert_eq!(
        options(&html),
        None,
        "no drop-down past {PEER_LIST_MAX} peers"
    );
    assert!(html.contains("id=\"peer-hint\""), "{html}");
    // The field still filters.
    let html = admin
        .get(&format!("/dashboard?peer={}", peer.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("value=\"{}\"", peer.id)), "{html}");
}
