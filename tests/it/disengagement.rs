//! Disengagement early warning (decision 0053): people in the community with no completed
//! contact for the programme's number of days, or whose last contact attempts in a row failed,
//! are "not heard from": flagged with why on the caseload (API and page), ranked below the
//! 14-day window and above the rest, and listed on the peer's and the supervisor's home page, in
//! English and Spanish. Never someone in custody; partners learn nothing of it.

use chrono::{Duration, NaiveDateTime};
use diesel::RunQueryDsl;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::time;

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
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let (s, v) = send(app, token, reqwest::Method::POST, path, body).await;
    assert!(s < 300, "{path}: {s} {v}");
    v
}

fn day(days: i64) -> String {
    (time::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

fn hours_ago(h: i64) -> String {
    let at: NaiveDateTime = time::now() - Duration::hours(h);
    at.format("%Y-%m-%dT%H:%M").to_string()
}

fn put_on_team(app: &TestApp) {
    let mut conn = app.state.db.conn().unwrap();
    diesel::sql_query(format!(
        "UPDATE users SET supervisor_id = {} WHERE id = {}",
        app.a.user(Role::Supervisor).id,
        app.a.user(Role::Peer).id
    ))
    .execute(&mut conn)
    .unwrap();
}

struct People {
    quiet: i64,
    attempts: i64,
    heard: i64,
    inside: i64,
    window: i64,
    before: i64,
}

/// Six people on the peer's caseload:
/// - quiet: in the community for 20 days, last completed contact 9 days ago (then one attempt);
/// - attempts: released 30 days ago, a contact 3 days ago, then three attempts that failed;
/// - heard: in the community for 20 days, a contact yesterday;
/// - inside: in custody for 60 days, five attempts and no contact (never flagged);
/// - window: released two days ago, no contact yet (the window's band, not this one);
/// - before: released 20 days ago; contacts and attempts only before the release.
async fn caseload_of_six(app: &TestApp) -> People {
    let peer = app.a.user(Role::Peer);
    let admin = &app.a.user(Role::Admin).token;
    let mut ids = vec![];
    for (first, last) in [
        ("Quinn", "Quiet"),
        ("Aldo", "Attempts"),
        ("Hana", "Heard"),
        ("Ines", "Inside"),
        ("Wes", "Window"),
        ("Bea", "Before"),
    ] {
        let p = post(app, &peer.token, "/api/v1/participants", json!({"first_name": first, "last_name": last, "date_of_birth": "1985-04-05", "assigned_peer_id": peer.id, "confirm_not_duplicate": true})).await;
        ids.push(p["id"].as_i64().unwrap());
    }
    let episode = |setting: &'static str, started: i64| json!({"setting": setting, "started_on": day(-started), "services_consent_on": day(-started)});
    let p = |i: usize| format!("/api/v1/participants/{}", ids[i]);
    let encounter = |outcome: &str, h: i64| json!({"mode": "phone", "outcome": outcome, "occurred_at": hours_ago(h), "duration_minutes": if outcome == "completed" { 20 } else { 0 }, "note": "Called."});
    // quiet
    post(
        app,
        admin,
        &format!("{}/episodes", p(0)),
        episode("community", 20),
    )
    .await;
    post(
        app,
        &peer.token,
        &format!("{}/encounters", p(0)),
        encounter("completed", 24 * 9 + 2),
    )
    .await;
    post(
        app,
        &peer.token,
        &format!("{}/encounters", p(0)),
        encounter("attempted", 24 * 2),
    )
    .await;
    // attempts
    post(
        app,
        admin,
        &format!("{}/episodes", p(1)),
        episode("short_term", 90),
    )
    .await;
    post(
        app,
        admin,
        &format!("{}/custody-events", p(1)),
        json!({"kind": "release", "occurred_on": day(-30), "at_time": "10:00"}),
    )
    .await;
    post(
        app,
        &peer.token,
        &format!("{}/encounters", p(1)),
        encounter("completed", 24 * 3),
    )
    .await;
    for h in [50, 30, 5] {
        post(
            app,
            &peer.token,
            &format!("{}/encounters", p(1)),
            encounter("attempted", h),
        )
        .await;
    }
    // heard
    post(
        app,
        admin,
        &format!("{}/episodes", p(2)),
        episode("community", 20),
    )
    .await;
    post(
        app,
        &peer.token,
        &format!("{}/encounters", p(2)),
        encounter("completed", 20),
    )
    .await;
    // inside
    post(
        app,
        admin,
        &format!("{}/episodes", p(3)),
        episode("short_term", 60),
    )
    .await;
    for h in [24 * 40, 24 * 30, 24 * 20, 24 * 10, 24] {
        post(
            app,
            &peer.token,
            &format!("{}/encounters", p(3)),
            encounter("attempted", h),
        )
        .await;
    }
    // window
    post(
        app,
        admin,
        &format!("{}/episodes", p(4)),
        episode("short_term", 60),
    )
    .await;
    post(
        app,
        admin,
        &format!("{}/custody-events", p(4)),
        json!({"kind": "release", "occurred_on": day(-2), "at_time": "09:00"}),
    )
    .await;
    // before: inside, a contact and four attempts; then released 20 days ago, nothing since.
    post(
        app,
        admin,
        &format!("{}/episodes", p(5)),
        episode("short_term", 90),
    )
    .await;
    post(
        app,
        &peer.token,
        &format!("{}/encounters", p(5)),
        encounter("completed", 24 * 40),
    )
    .await;
    for h in [24 * 30, 24 * 29, 24 * 28, 24 * 27] {
        post(
            app,
            &peer.token,
            &format!("{}/encounters", p(5)),
            encounter("attempted", h),
        )
        .await;
    }
    post(
        app,
        admin,
        &format!("{}/custody-events", p(5)),
        json!({"kind": "release", "occurred_on": day(-20), "at_time": "10:00"}),
    )
    .await;
    People {
        quiet: ids[0],
        attempts: ids[1],
        heard: ids[2],
        inside: ids[3],
        window: ids[4],
        before: ids[5],
    }
}

async fn caseload(app: &TestApp, token: &str) -> Vec<Value> {
    let (s, v) = send(
        app,
        token,
        reqwest::Method::GET,
        "/api/v1/caseload?per_page=500",
        Value::Null,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    v.as_array().unwrap().clone()
}

fn line(rows: &[Value], pid: i64) -> Value {
    rows.iter()
        .find(|r| r["participant_id"] == json!(pid))
        .cloned()
        .unwrap_or_else(|| panic!("{pid} not on the caseload: {rows:?}"))
}

fn reasons(row: &Value) -> Vec<String> {
    row["disengagement"]["reasons"]
        .as_array()
        .map(|a| a.iter().map(|r| r.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn people_not_heard_from_are_flagged_with_why_ranked_below_the_window_and_listed_at_home() {
    let app = spawn_app().await;
    put_on_team(&app);
    let ppl = caseload_of_six(&app).await;
    let peer = app.a.user(Role::Peer);

    let rows = caseload(&app, &peer.token).await;
    let quiet = line(&rows, ppl.quiet);
    assert_eq!(reasons(&quiet), ["no_contact"], "{quiet}");
    assert_eq!(quiet["disengagement"]["days_without_contact"], 9);
    assert_eq!(quiet["disengagement"]["failed_attempts"], 1);
    assert_eq!(
        quiet["disengagement"]["unanswered_messages"], 0,
        "no messages yet"
    );
    assert_eq!(quiet["urgency"], "disengaged");
    let attempts = line(&rows, ppl.attempts);
    assert_eq!(reasons(&attempts), ["failed_attempts"], "{attempts}");
    assert_eq!(attempts["disengagement"]["failed_attempts"], 3);
    assert_eq!(attempts["disengagement"]["days_without_contact"], 3);
    assert_eq!(attempts["urgency"], "disengaged");
    // Contacts and attempts in custody, before the release, count for nothing: 20 days quiet
    // since the release, and no attempts in a row.
    let before = line(&rows, ppl.before);
    assert_eq!(reasons(&before), ["no_contact"], "{before}");
    let released = chrono::DateTime::parse_from_rfc3339(before["released_at"].as_str().unwrap())
        .unwrap()
        .naive_utc();
    let days = (time::now() - released).num_days();
    assert!(days >= 19, "{before}");
    assert_eq!(before["disengagement"]["days_without_contact"], days);
    assert_eq!(before["disengagement"]["failed_attempts"], 0);
    for (pid, band) in [
        (ppl.heard, "routine"),
        (ppl.inside, "routine"),
        (ppl.window, "window_at_risk"),
    ] {
        let r = line(&rows, pid);
        assert_eq!(r["disengagement"], Value::Null, "{r}");
        assert_eq!(r["urgency"], band, "{r}");
    }
    // Below the window, above the rest.
    let pos = |pid: i64| {
        rows.iter()
            .position(|r| r["participant_id"] == json!(pid))
            .unwrap()
    };
    assert!(pos(ppl.window) < pos(ppl.quiet));
    for flagged in [ppl.quiet, ppl.attempts, ppl.before] {
        assert!(pos(flagged) < pos(ppl.heard) && pos(flagged) < pos(ppl.inside));
    }
    // The supervisor sees the team's.
    let team = caseload(&app, &app.a.user(Role::Supervisor).token).await;
    assert_eq!(reasons(&line(&team, ppl.attempts)), ["failed_attempts"]);

    // The peer's home page lists them, each with why; the caseload page flags the line.
    let s = app.signed_in(&peer.email).await;
    let home = s.get("/").await.text().await.unwrap();
    assert!(home.contains("id=\"not-heard-from\""), "{home}");
    assert!(home.contains(&format!("data-disengaged=\"{}\"", ppl.quiet)));
    assert!(home.contains("No completed contact for 9 days"), "{home}");
    assert!(home.contains("3 attempts in a row without contact"));
    assert!(home.contains(&format!("No completed contact for {days} days")));
    for pid in [ppl.heard, ppl.inside, ppl.window] {
        assert!(
            !home.contains(&format!("data-disengaged=\"{pid}\"")),
            "{pid}"
        );
    }
    let page = s.get("/caseload").await.text().await.unwrap();
    assert!(page.contains(&format!("data-disengaged=\"{}\"", ppl.attempts)));
    assert!(page.contains("Not heard from"));
    // In Spanish.
    let r = s
        .post_form("/account/language", &[("language", "es")])
        .await;
    assert_eq!(r.status(), 200);
    let home = s.get("/").await.text().await.unwrap();
    assert!(
        home.contains("Sin contacto completado desde hace 9 días"),
        "{home}"
    );
    assert!(home.contains("3 intentos seguidos sin contacto"));
    assert!(home.contains("Sin noticias"));

    // The supervisor's home page: the team's, with the peer's name.
    let sup = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    let home = sup.get("/").await.text().await.unwrap();
    assert!(
        home.contains(&format!("data-disengaged=\"{}\"", ppl.attempts)),
        "{home}"
    );
    assert!(home.contains("3 attempts in a row without contact"));
    assert!(!home.contains(&format!("data-disengaged=\"{}\"", ppl.inside)));

    // The programme's thresholds: 10 days, attempts off. Decided at read time.
    let admin = &app.a.user(Role::Admin).token;
    let (_, mut settings) = send(
        &app,
        admin,
        reqwest::Method::GET,
        "/api/v1/settings/journey",
        Value::Null,
    )
    .await;
    assert_eq!(settings["disengaged_after_days"], 7);
    assert_eq!(settings["disengaged_after_attempts"], 3);
    settings["disengaged_after_days"] = json!(91);
    let (s422, e) = send(
        &app,
        admin,
        reqwest::Method::PUT,
        "/api/v1/settings/journey",
        settings.clone(),
    )
    .await;
    assert_eq!(s422, 422, "{e}");
    assert!(e.to_string().contains("disengaged_after_days"), "{e}");
    settings["disengaged_after_days"] = json!(10);
    settings["disengaged_after_attempts"] = json!(0);
    let (s200, saved) = send(
        &app,
        admin,
        reqwest::Method::PUT,
        "/api/v1/settings/journey",
        settings,
    )
    .await;
    assert_eq!(s200, 200, "{saved}");
    assert_eq!(saved["disengaged_after_days"], 10);
    let rows = caseload(&app, &peer.token).await;
    assert_eq!(line(&rows, ppl.quiet)["disengagement"], Value::Null);
    assert_eq!(line(&rows, ppl.attempts)["disengagement"], Value::Null);
    assert_eq!(reasons(&line(&rows, ppl.before)), ["no_contact"]);
    // A setting sent without the thresholds (an older client) keeps the defaults.
    let (_, mut older) = send(
        &app,
        admin,
        reqwest::Method::GET,
        "/api/v1/settings/journey",
        Value::Null,
    )
    .await;
    older
        .as_object_mut()
        .unwrap()
        .remove("disengaged_after_days");
    older
        .as_object_mut()
        .unwrap()
        .remove("disengaged_after_attempts");
    let (s200, saved) = send(
        &app,
        admin,
        reqwest::Method::PUT,
        "/api/v1/settings/journey",
        older,
    )
    .await;
    assert_eq!(s200, 200, "{saved}");
    assert_eq!(saved["disengaged_after_days"], 7);

    // A completed contact clears it at once.
    post(&app, &peer.token, &format!("/api/v1/participants/{}/encounters", ppl.quiet), json!({"mode": "in_community", "outcome": "completed", "occurred_at": hours_ago(1), "duration_minutes": 30, "note": "Found him at the shelter."})).await;
    let rows = caseload(&app, &peer.token).await;
    assert_eq!(line(&rows, ppl.quiet)["disengagement"], Value::Null);
    assert_eq!(line(&rows, ppl.quiet)["urgency"], "routine");
}

#[tokio::test]
async fn partners_and_auditors_learn_nothing_of_engagement() {
    let app = spawn_app().await;
    put_on_team(&app);
    let ppl = caseload_of_six(&app).await;
    for role in [Role::Team, Role::Auditor] {
        let u = app.a.user(role);
        let (s, v) = send(
            &app,
            &u.token,
            reqwest::Method::GET,
            "/api/v1/caseload",
            Value::Null,
        )
        .await;
        assert!(
            s == 403 || (s == 200 && v.as_array().is_some_and(Vec::is_empty)),
            "{role:?}: {s} {v}"
        );
        let home = app
            .signed_in(&u.email)
            .await
            .get("/")
            .await
            .text()
            .await
            .unwrap();
        assert!(!home.contains("not-heard-from"), "{role:?}");
        assert!(!home.contains("No completed contact"), "{role:?}");
    }
    // The other organisation's peer sees none of them.
    let other = app.b.user(Role::Peer);
    let (_, v) = send(
        &app,
        &other.token,
        reqwest::Method::GET,
        "/api/v1/caseload",
        Value::Null,
    )
    .await;
    assert!(!v.to_string().contains(&ppl.quiet.to_string()));
    let home = app
        .signed_in(&other.email)
        .await
        .get("/")
        .await
        .text()
        .await
        .unwrap();
    assert!(!home.contains(&format!("data-disengaged=\"{}\"", ppl.quiet)));
}

/// Appointments missed in a row (issue 18 item 5): two missed put a person heard from yesterday
/// on "not heard from" for that reason alone, in the caseload's urgency and with the words on the
/// page; a cancelled one says nothing; a kept one takes them off. Never someone in custody; the
/// programme's threshold (2 by default) is a setting, and 0 turns the test off.
#[tokio::test]
async fn appointments_missed_in_a_row_put_a_person_on_not_heard_from_until_one_is_kept() {
    let app = spawn_app().await;
    put_on_team(&app);
    let ppl = caseload_of_six(&app).await;
    let peer = app.a.user(Role::Peer);
    let admin = &app.a.user(Role::Admin).token;
    let (_, settings) = send(
        &app,
        admin,
        reqwest::Method::GET,
        "/api/v1/settings/journey",
        Value::Null,
    )
    .await;
    assert_eq!(settings["disengaged_after_missed"], 2, "{settings}");
    let mark = |who: i64, outcome: &'static str| {
        let token = peer.token.clone();
        let app = &app;
        async move {
            let base = format!("/api/v1/participants/{who}/appointments");
            let a = post(
                app,
                &token,
                &base,
                json!({"kind": "supervision", "scheduled_on": day(0)}),
            )
            .await;
            post(
                app,
                &token,
                &format!("{base}/{}/outcome", a["id"]),
                json!({"outcome": outcome}),
            )
            .await;
        }
    };
    for who in [ppl.heard, ppl.inside] {
        mark(who, "missed").await;
        mark(who, "cancelled").await;
    }
    let rows = caseload(&app, &peer.token).await;
    assert!(reasons(&line(&rows, ppl.heard)).is_empty(), "one missed");
    assert_eq!(
        line(&rows, ppl.heard)["disengagement"],
        Value::Null,
        "one missed is not a pattern"
    );
    for who in [ppl.heard, ppl.inside] {
        mark(who, "missed").await;
    }
    let rows = caseload(&app, &peer.token).await;
    let heard = line(&rows, ppl.heard);
    assert_eq!(reasons(&heard), ["missed_appointments"], "{heard}");
    assert_eq!(heard["disengagement"]["missed_appointments"], 2);
    assert_eq!(heard["urgency"], "disengaged");
    assert!(
        reasons(&line(&rows, ppl.inside)).is_empty(),
        "never in custody"
    );
    // The words, in Spanish, on the caseload page.
    let s = app.signed_in(&peer.email).await;
    s.post_form("/account/language", &[("language", "es")])
        .await;
    let html = s.get("/caseload").await.text().await.unwrap();
    assert!(
        html.contains("2 citas perdidas seguidas"),
        "the page says why"
    );
    // Turned off, no flag; back at 2, a kept one clears it.
    let mut off = settings.clone();
    off["disengaged_after_missed"] = json!(0);
    let (st, v) = send(
        &app,
        admin,
        reqwest::Method::PUT,
        "/api/v1/settings/journey",
        off,
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let rows = caseload(&app, &peer.token).await;
    assert!(reasons(&line(&rows, ppl.heard)).is_empty());
    let (st, _) = send(
        &app,
        admin,
        reqwest::Method::PUT,
        "/api/v1/settings/journey",
        settings.clone(),
    )
    .await;
    assert_eq!(st, 200);
    mark(ppl.heard, "kept").await;
    let rows = caseload(&app, &peer.token).await;
    let heard = line(&rows, ppl.heard);
    assert!(reasons(&heard).is_empty(), "{heard}");
    let mut wrong = settings;
    wrong["disengaged_after_missed"] = json!(21);
    let (st, v) = send(
        &app,
        admin,
        reqwest::Method::PUT,
        "/api/v1/settings/journey",
        wrong,
    )
    .await;
    assert_eq!(st, 422, "{v}");
    assert_eq!(v["errors"][0]["field"], "disengaged_after_missed");
}
