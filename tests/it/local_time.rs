//! Each organisation's clock (decision 0040): its time zone set at `org add`, on the
//! organisation page and in the API; times typed without an offset read on it and stored in
//! UTC; pages showing them back on it; the caseload's bands turning at its midnight. Every
//! instant here is fixed: nothing depends on the time of day the tests run.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};
use throughcare::journey::caseload::{self, Filter, reference};
use throughcare::platform::access::Role;
use throughcare::platform::audit;
use throughcare::platform::auth::token_actor;
use throughcare::platform::db::read_tx;
use throughcare::platform::time::{self, Zone};

use crate::helpers::{TestApp, spawn_app};

async fn send(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let r = reqwest::Client::new()
        .request(method, format!("{}{path}", app.url))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn set_zone(app: &TestApp, name: &str) -> (u16, Value) {
    let admin = &app.a.user(Role::Admin).token;
    send(
        app,
        admin,
        reqwest::Method::PUT,
        "/api/v1/settings/time-zone",
        json!({ "time_zone": name }),
    )
    .await
}

async fn new_participant(app: &TestApp, first: &str) -> i64 {
    let peer = app.a.user(Role::Peer);
    let (s, p) = send(app, &peer.token, reqwest::Method::POST, "/api/v1/participants", json!({"first_name": first, "last_name": "Local", "date_of_birth": "1980-02-03", "assigned_peer_id": peer.id, "confirm_not_duplicate": true})).await;
    assert_eq!(s, 201, "{p}");
    p["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_evening_encounter_in_chicago_is_stored_in_utc_and_shown_on_chicago_time() {
    let app = spawn_app().await;
    let (s, v) = set_zone(&app, "America/Chicago").await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["time_zone"], "America/Chicago");
    let pid = new_participant(&app, "Tex").await;
    let peer = app.a.user(Role::Peer);
    let path = format!("/api/v1/participants/{pid}/encounters");
    let encounter = |at: &str| json!({"mode": "phone", "outcome": "completed", "occurred_at": at, "duration_minutes": 15, "note": "Called after dinner."});

    // 9 pm on 7 March in Texas is 03:00 UTC on 8 March.
    let (s, e) = send(
        &app,
        &peer.token,
        reqwest::Method::POST,
        &path,
        encounter("2026-03-07T21:00"),
    )
    .await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(e[0]["occurred_at"], "2026-03-08T03:00:00.000000Z", "{e}");
    // With an offset, the exact instant: the same one.
    let (s, e) = send(
        &app,
        &peer.token,
        reqwest::Method::POST,
        &path,
        encounter("2026-03-08T03:00:00Z"),
    )
    .await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(e[0]["occurred_at"], "2026-03-08T03:00:00.000000Z", "{e}");
    let (s, e) = send(
        &app,
        &peer.token,
        reqwest::Method::POST,
        &path,
        encounter("2026-03-07T21:00:00-06:00"),
    )
    .await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(e[0]["occurred_at"], "2026-03-08T03:00:00.000000Z", "{e}");
    // 2:30 am on 8 March never happened in Chicago (the clocks went from 2:00 to 3:00).
    let (s, p) = send(
        &app,
        &peer.token,
        reqwest::Method::POST,
        &path,
        encounter("2026-03-08T02:30"),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(p["errors"][0]["field"], "occurred_at", "{p}");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("did not happen"),
        "{p}"
    );

    // The API lists them in UTC; the page shows them on Chicago's clock.
    let r = app.get_bearer(&path, &peer.token).await;
    let list: Value = r.json().await.unwrap();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|e| e["occurred_at"] == "2026-03-08T03:00:00.000000Z"),
        "{list}"
    );
    let page = app
        .signed_in(&peer.email)
        .await
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("7 Mar 2026, 9:00 pm CST"),
        "the encounter on Chicago's clock"
    );
    assert!(!page.contains("2026-03-08 03:00"), "not in UTC");

    // The form posts a wall-clock time too.
    let s = app.signed_in(&peer.email).await;
    let r = s
        .post_form(
            &format!("/participants/{pid}/encounters"),
            &[
                ("mode", "in_community"),
                ("outcome", "completed"),
                ("occurred_at", "2026-01-10T23:30"),
                ("duration_minutes", "30"),
                ("note", "Late meeting."),
            ],
        )
        .await;
    assert!(r.status().as_u16() < 400, "{}", r.status());
    let list: Value = app
        .get_bearer(&path, &peer.token)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|e| e["occurred_at"] == "2026-01-11T05:30:00.000000Z"),
        "{list}"
    );
}

#[tokio::test]
async fn the_zone_is_set_at_org_add_and_changed_on_the_organisation_page_audited() {
    let app = spawn_app().await;
    let out = app.cli(&[
        "org",
        "add",
        "lone-star",
        "--name",
        "Lone Star Reentry",
        "--time-zone",
        "America/Chicago",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("America/Chicago"));
    let out = app.cli(&["org", "list"]);
    let listed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        listed
            .lines()
            .any(|l| l.contains("lone-star") && l.ends_with("America/Chicago")),
        "{listed}"
    );
    // A name the tz database does not know is refused, naming the flag; nothing is added.
    let out = app.cli(&[
        "org",
        "add",
        "mars-base",
        "--name",
        "Mars",
        "--time-zone",
        "Mars/Olympus_Mons",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("--time-zone") && err.contains("Mars/Olympus_Mons"),
        "{err}"
    );
    let out = app.cli(&["org", "list"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("mars-base"));

    // Organisation A has not set one: its page says so; the API answers null.
    let admin = app.a.user(Role::Admin);
    let r = app
        .get_bearer("/api/v1/settings/time-zone", &admin.token)
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["time_zone"], Value::Null);
    let s = app.signed_in(&admin.email).await;
    let page = s.get("/admin").await.text().await.unwrap();
    assert!(
        page.contains("Not set"),
        "the page says the zone needs setting"
    );
    // A wrong name: the form again, the field named.
    let r = s
        .post_form(
            "/admin/settings/time-zone",
            &[("time_zone", "Central Time")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("#zone-time_zone") && page.contains("Central Time"),
        "the error names the field"
    );
    let (st, p) = set_zone(&app, "America/Chicag").await;
    assert_eq!(st, 422, "{p}");
    assert_eq!(p["errors"][0]["field"], "time_zone", "{p}");
    // Changed on the page, audited.
    let r = s
        .post_form(
            "/admin/settings/time-zone",
            &[("time_zone", "America/Denver")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("America/Denver"));
    let r = app
        .get_bearer("/api/v1/settings/time-zone", &admin.token)
        .await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["time_zone"],
        "America/Denver"
    );
    let mut conn = app.state.db.conn().unwrap();
    let actor = token_actor(&mut conn, &admin.token, "127.0.0.1")
        .unwrap()
        .unwrap();
    assert_eq!(actor.zone.name(), "America/Denver");
    let entries = audit::list(
        &mut conn,
        &audit::Filter {
            org_id: actor.org_id,
            actor: None,
            action: Some("settings.time_zone".into()),
            participant_id: None,
            from: None,
            to: None,
            before: None,
            limit: 10,
        },
    )
    .unwrap();
    assert_eq!(entries.len(), 1, "one change, one entry");
    assert_eq!(entries[0].detail, "UTC -> America/Denver");
    assert_eq!(entries[0].actor_user_id, Some(admin.id));
    // The audit log's bounds are on the reader's clock: a date is its midnight in Denver.
    let today = Zone::parse("", "America/Denver").unwrap().today();
    let count = |q: String| {
        let token = admin.token.clone();
        let app = &app;
        async move {
            let r = app
                .get_bearer(
                    &format!("/api/v1/audit?action=settings.time_zone&{q}"),
                    &token,
                )
                .await;
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap().as_array().unwrap().len()
        }
    };
    assert_eq!(count(format!("from={today}")).await, 1);
    assert_eq!(count(format!("to={today}")).await, 0);
    // Peers may not change it.
    let peer = app.a.user(Role::Peer);
    let (st, _) = send(
        &app,
        &peer.token,
        reqwest::Method::PUT,
        "/api/v1/settings/time-zone",
        json!({"time_zone": "UTC"}),
    )
    .await;
    assert_eq!(st, 403);
    // Another organisation's zone is untouched.
    let b = app.b.user(Role::Admin);
    let r = app.get_bearer("/api/v1/settings/time-zone", &b.token).await;
    assert_eq!(r.json::<Value>().await.unwrap()["time_zone"], Value::Null);
}

/// "Release within 7 days" starts at Chicago's midnight seven days before the expected date,
/// not at UTC's (six hours earlier in winter).
#[tokio::test]
async fn a_caseload_band_flips_at_local_midnight() {
    let app = spawn_app().await;
    let (s, v) = set_zone(&app, "America/Chicago").await;
    assert_eq!(s, 200, "{v}");
    let pid = new_participant(&app, "Winter").await;
    // An expected release in January, seven weeks or more ahead whenever this runs.
    let today = time::today();
    let year = if today.month0() >= 10 {
        today.year_ce().1 as i32 + 2
    } else {
        today.year_ce().1 as i32 + 1
    };
    let expected = NaiveDate::from_ymd_opt(year, 1, 20).unwrap();
    let admin = &app.a.user(Role::Admin).token;
    let started = (today - Duration::days(10)).format("%Y-%m-%d").to_string();
    let (s, e) = send(&app, admin, reqwest::Method::POST, &format!("/api/v1/participants/{pid}/episodes"), json!({"setting": "short_term", "started_on": started, "services_consent_on": started, "expected_release_on": expected.format("%Y-%m-%d").to_string()})).await;
    assert!(s < 300, "{e}");

    let chicago = Zone::parse("time_zone", "America/Chicago").unwrap();
    let soon_from = expected - Duration::days(7);
    let local_midnight = chicago.start_of(soon_from);
    assert_eq!(
        local_midnight,
        soon_from.and_hms_opt(6, 0, 0).unwrap(),
        "CST is UTC-6"
    );
    let utc_midnight = soon_from.and_hms_opt(0, 0, 0).unwrap();

    let peer = app.a.user(Role::Peer);
    let mut conn = app.state.db.conn().unwrap();
    let actor = token_actor(&mut conn, &peer.token, "127.0.0.1")
        .unwrap()
        .unwrap();
    let band_at = |conn: &mut _, now| {
        read_tx(conn, |tx| {
            let page = caseload::for_actor(tx, &actor, &Filter::default(), now)?;
            let model =
                reference::compute(tx, actor.org_id, &[actor.user_id], &Filter::default(), now)?;
            let kept = page
                .rows
                .iter()
                .find(|r| r.participant_id == pid)
                .map(|r| (r.urgency.clone(), r.days_to_release));
            let reference = model
                .iter()
                .find(|r| r.participant_id == pid)
                .map(|r| (r.urgency.clone(), r.days_to_release));
            assert_eq!(
                kept, reference,
                "the kept caseload and the reference agree at {now}"
            );
            let counted = page
                .by_urgency
                .iter()
                .find(|b| b.urgency == "release_soon")
                .map(|b| b.count);
            Ok((kept.unwrap(), counted.unwrap()))
        })
        .unwrap()
    };
    // UTC's midnight: still 6 pm the day before in Chicago, eight days to go.
    let ((band, days), n) = band_at(&mut conn, utc_midnight);
    assert_ne!(band, "release_soon");
    assert_eq!((days, n), (Some(8), 0));
    let ((band, days), n) = band_at(&mut conn, local_midnight - Duration::minutes(1));
    assert_ne!(band, "release_soon");
    assert_eq!((days, n), (Some(8), 0));
    // Chicago's midnight: seven days to go, release soon.
    let ((band, days), n) = band_at(&mut conn, local_midnight);
    assert_eq!(band, "release_soon");
    assert_eq!((days, n), (Some(7), 1));
}

/// A release's time of day is on the participant's organisation's clock: 18:00 in Chicago on a
/// winter day is stored as midnight UTC, and the first-contact deadline is 24 real hours later.
#[tokio::test]
async fn a_release_typed_at_six_in_the_evening_in_chicago_is_stored_in_utc() {
    let app = spawn_app().await;
    let (s, v) = set_zone(&app, "America/Chicago").await;
    assert_eq!(s, 200, "{v}");
    let pid = new_participant(&app, "Gate").await;
    let admin = &app.a.user(Role::Admin).token;
    let (s, e) = send(&app, admin, reqwest::Method::POST, &format!("/api/v1/participants/{pid}/episodes"), json!({"setting": "short_term", "started_on": "2026-01-02", "services_consent_on": "2026-01-02", "expected_release_on": "2026-01-20"})).await;
    assert!(s < 300, "{e}");
    let (s, e) = send(
        &app,
        admin,
        reqwest::Method::POST,
        &format!("/api/v1/participants/{pid}/custody-events"),
        json!({"kind": "release", "occurred_on": "2026-01-15", "at_time": "18:00"}),
    )
    .await;
    assert!(s < 300, "{e}");
    let episodes: Value = app
        .get_bearer(&format!("/api/v1/participants/{pid}/episodes"), admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        episodes[0]["released_at"], "2026-01-16T00:00:00.000000Z",
        "{episodes}"
    );
    let peer = app.a.user(Role::Peer);
    let page = app
        .signed_in(&peer.email)
        .await
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("15 Jan 2026, 6:00 pm CST"),
        "the release on Chicago's clock"
    );
}
