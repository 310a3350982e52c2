//! The funder outcomes on the dashboard (issue 17 item 7), from a fixed data set entered through
//! the API, against answers worked by hand; and overdoses as dated records.

use chrono::Duration;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::time;

use crate::helpers::{TestApp, spawn_app};

fn d(days: i64) -> String {
    (time::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app.post_bearer(path, token, body).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let (s, v) = post(app, token, path, body).await;
    assert_eq!(s, 201, "{path}: {v}");
    v
}

/// A person booked `booked` days ago and released `released` days ago (at 10:00).
async fn released_person(
    app: &TestApp,
    token: &str,
    name: &str,
    booked: i64,
    released: i64,
) -> i64 {
    let p = created(
        app,
        token,
        "/api/v1/participants",
        json!({"first_name": name, "last_name": "Outcome", "date_of_birth": "1988-04-02", "confirm_not_duplicate": true}),
    )
    .await;
    let id = p["id"].as_i64().unwrap();
    let base = format!("/api/v1/participants/{id}");
    created(app, token, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-booked), "services_consent_on": d(-booked)})).await;
    created(
        app,
        token,
        &format!("{base}/custody-events"),
        json!({"kind": "release", "occurred_on": d(-released), "at_time": "10:00"}),
    )
    .await;
    id
}

/// The person's MOUD record, through the API, with a naloxone kit unless there is no MOUD.
async fn moud(app: &TestApp, token: &str, pid: i64, status: &str, first_dose: Option<i64>) {
    created(
        app,
        token,
        &format!("/api/v1/participants/{pid}/reentry/moud"),
        json!({"status": status, "first_dose_on": first_dose.map(|n| d(-n)),
            "naloxone_at_release": i64::from(status != "none")}),
    )
    .await;
}

#[tokio::test]
async fn the_dashboard_gives_the_hand_computed_moud_continuity_and_handoff_figures() {
    let app = spawn_app().await;
    let peer = &app.a.user(Role::Peer).token;
    let sup = &app.a.user(Role::Supervisor).token;
    // P1: released 190 days ago; handoff held the day before; MOUD continued at release and
    //     never stopped (30 days yes, 75% of 90 yes, 180 yes); a non-fatal overdose 5 days
    //     after release.
    let p1 = released_person(&app, peer, "Uno", 200, 190).await;
    created(&app, peer, &format!("/api/v1/participants/{p1}/reentry/handoffs"), json!({"to_provider": "Clínica Norte", "method": "in_person", "held_at": format!("{}T15:00:00", d(-191))})).await;
    moud(&app, peer, p1, "continued_at_release", None).await;
    created(
        &app,
        peer,
        &format!("/api/v1/participants/{p1}/overdoses"),
        json!({"occurred_on": d(-185), "fatal": false, "source": "hospital"}),
    )
    .await;
    // P2: released 100 days ago, no handoff; MOUD first dose 60 days ago (day 40): not within
    //     30 days; of the first 90 days 50 covered (< 68); 180 days not reached.
    let p2 = released_person(&app, peer, "Dos", 120, 100).await;
    moud(&app, peer, p2, "started_after_release", Some(60)).await;
    // P3: released 40 days ago, handoff only the day after release; no MOUD.
    let p3 = released_person(&app, peer, "Tres", 50, 40).await;
    created(&app, peer, &format!("/api/v1/participants/{p3}/reentry/handoffs"), json!({"to_provider": "Dr. Ávila", "method": "phone", "held_at": format!("{}T12:00:00", d(-39))})).await;
    moud(&app, peer, p3, "none", None).await;

    let q = format!("from={}&to={}", d(-365), d(0));
    let dash: Value = app
        .get_bearer(&format!("/api/v1/reports/dashboard?{q}"), sup)
        .await
        .json()
        .await
        .unwrap();
    let chart = dash["charts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "funder_outcomes")
        .unwrap_or_else(|| panic!("no funder chart: {dash}"))
        .clone();
    let row = |label: &str| -> Vec<String> {
        chart["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("{label}: {chart}"))
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    // [measure, releases counted, count, %, reference %]
    assert_eq!(
        row("Warm handoff held before release")[1..4],
        ["3", "1", "33.3"]
    );
    assert_eq!(
        row("Screened for Medicaid before release")[1..4],
        ["3", "0", "0.0"]
    );
    assert_eq!(row("Naloxone given at release")[1..4], ["3", "2", "66.7"]);
    assert_eq!(
        row("MOUD within 30 days of release")[1..],
        ["3", "1", "33.3", "60.2"]
    );
    assert_eq!(
        row("MOUD for at least 75% of the first 90 days")[1..],
        ["2", "1", "50.0", "50.4"]
    );
    assert_eq!(row("MOUD at 180 days")[1..], ["1", "1", "100.0", "57.5"]);
    assert_eq!(
        row("Overdose (any) within 14 days")[1..4],
        ["3", "1", "33.3"]
    );
    assert_eq!(
        row("Fatal overdose within 14 days")[1..4],
        ["3", "0", "0.0"]
    );
    assert_eq!(
        row("Overdose (any) within 12 months")[1..4],
        ["0", "0", "–"]
    );
    // The dashboard page draws it.
    let s = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    let page = s
        .get(&format!("/dashboard?{q}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"h-funder_outcomes\""), "{page}");
    assert!(page.contains("Massachusetts"), "the reference is named");
}

#[tokio::test]
async fn an_overdose_is_dated_kept_and_refused_when_wrong() {
    let app = spawn_app().await;
    let peer = &app.a.user(Role::Peer).token;
    let pid = app.a.participant_id;
    let path = format!("/api/v1/participants/{pid}/overdoses");
    let (s, p) = post(
        &app,
        peer,
        &path,
        json!({"occurred_on": d(3), "source": "rumour"}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let mut fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["occurred_on", "source"], "{p}");
    let o = created(&app, peer, &path, json!({"occurred_on": d(-2), "fatal": false, "source": "family", "note": "naloxone by her sister"})).await;
    assert_eq!(o["source"], "family");
    let list: Value = app.get_bearer(&path, peer).await.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    // Another organisation's staff find nothing; the peer's form on the record page works.
    assert_eq!(
        app.get_bearer(&path, &app.b.user(Role::Peer).token)
            .await
            .status(),
        404
    );
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    let r = s
        .post_form(
            &format!("/participants/{pid}/overdoses"),
            &[
                ("occurred_on", &d(-1)),
                ("source", "self_report"),
                ("fatal", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("naloxone by her sister"), "{page}");
    assert_eq!(page.matches("data-overdose=").count(), 2);
}
