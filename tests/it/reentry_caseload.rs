//! Reentry on the caseload and the home pages (issue 17 item 2): a booking makes a screening
//! due (overdue after 72 hours), the expected release makes the pre-release window open (it
//! moves with the release), and an unplanned release makes a warm handoff due within 24 hours;
//! a late one reaches the supervisor's home page.

use chrono::Duration;
use diesel::RunQueryDsl;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::time;

use crate::helpers::{TestApp, spawn_app};

fn d(days: i64) -> String {
    (time::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn home(s: &crate::helpers::Session) -> String {
    s.get("/").await.text().await.unwrap()
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let r = app.post_bearer(path, token, body).await;
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{path}: {v}");
    v
}

/// The participant's line on the peer's caseload, by the API.
async fn line(app: &TestApp, token: &str, pid: i64) -> Value {
    let page: Value = app
        .get_bearer("/api/v1/caseload?per_page=500", token)
        .await
        .json()
        .await
        .unwrap();
    page.as_array()
        .unwrap()
        .iter()
        .find(|r| r["participant_id"] == pid)
        .cloned()
        .unwrap_or_else(|| panic!("{pid} not on the caseload: {page}"))
}

#[tokio::test]
async fn the_caseload_and_home_say_screen_due_window_opens_and_handoff_overdue() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let supervisor = app.a.user(Role::Supervisor);
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    // The peer is on the supervisor's team.
    {
        let mut conn = app.state.db.conn().unwrap();
        diesel::sql_query(format!(
            "UPDATE users SET supervisor_id = {} WHERE id = {}",
            supervisor.id, peer.id
        ))
        .execute(&mut conn)
        .unwrap();
    }
    let peer_home = app.signed_in(&peer.email).await;
    let sup_home = app.signed_in(&supervisor.email).await;

    // Booked five days ago, out in 40 days, on the federal minimum (a 30-day window): the
    // screening is overdue and the window opens in 10 days.
    post(&app, &peer.token, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-5), "services_consent_on": d(-5), "expected_release_on": d(40)})).await;
    let r = line(&app, &peer.token, pid).await;
    assert_eq!(r["booked_on"], d(-5), "{r}");
    assert_eq!(r["reentry"]["screening"], "overdue", "{r}");
    assert_eq!(r["reentry"]["window_opens_on"], d(10), "{r}");
    assert_eq!(r["reentry"]["in_window"], false, "{r}");
    assert!(r["reentry"]["handoff"].is_null(), "{r}");
    let page = home(&peer_home).await;
    assert!(page.contains("data-home-section=\"reentry\""), "{page}");
    assert!(page.contains("data-reentry=\"screening-overdue\""));
    let page = home(&sup_home).await;
    assert!(
        page.contains(&format!("data-reentry-person=\"{pid}\"")),
        "an overdue screening reaches the supervisor"
    );

    // Screened: the flag goes; the window still opens in 10 days.
    post(
        &app,
        &peer.token,
        &format!("{base}/reentry/screenings"),
        json!({"medicaid_status": "suspended", "conditions": ["substance_use_disorder"]}),
    )
    .await;
    let r = line(&app, &peer.token, pid).await;
    assert!(r["reentry"]["screening"].is_null(), "{r}");
    assert_eq!(r["reentry"]["window_opens_on"], d(10), "{r}");
    assert!(!home(&sup_home).await.contains("data-reentry-person"));

    // The release moves to 20 days out: the window is open, and the handoff is due before it.
    post(
        &app,
        &peer.token,
        &format!("{base}/custody-events"),
        json!({"kind": "expected_release", "occurred_on": d(20), "certainty": "confirmed"}),
    )
    .await;
    let r = line(&app, &peer.token, pid).await;
    assert_eq!(r["reentry"]["in_window"], true, "{r}");
    assert!(r["reentry"]["window_opens_on"].is_null(), "{r}");
    assert_eq!(r["reentry"]["handoff"], "due", "{r}");
    assert!(
        home(&peer_home)
            .await
            .contains("data-reentry=\"handoff-due\"")
    );

    // Released two days ago without warning, no handoff held: overdue a day after the release,
    // on the caseload and on the supervisor's home page.
    post(
        &app,
        &peer.token,
        &format!("{base}/custody-events"),
        json!({"kind": "release", "occurred_on": d(-2), "at_time": "00:00"}),
    )
    .await;
    let r = line(&app, &peer.token, pid).await;
    assert!(r["booked_on"].is_null(), "{r}");
    assert_eq!(r["reentry"]["handoff"], "overdue", "{r}");
    assert!(r["reentry"]["screening"].is_null(), "{r}");
    let page = home(&sup_home).await;
    assert!(page.contains("data-reentry=\"handoff-overdue\""), "{page}");

    // A handoff held clears it everywhere.
    post(&app, &peer.token, &format!("{base}/reentry/handoffs"), json!({"to_provider": "Dra. Núñez", "method": "in_person", "held_at": time::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()})).await;
    let r = line(&app, &peer.token, pid).await;
    assert!(r["reentry"].is_null(), "{r}");
    assert!(!home(&sup_home).await.contains("data-reentry-person"));
    assert!(
        !home(&peer_home)
            .await
            .contains("data-home-section=\"reentry\"")
    );
}
