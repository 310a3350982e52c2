//! The participant journey over the API: episodes, release planning, the 14-day window,
//! encounters, BARC-10, referrals, follow-ups, caseload, duplicates and merges.

use chrono::Duration;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::time;

use crate::helpers::{TestApp, spawn_app};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app.post_bearer(path, token, body).await;
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.get_bearer(path, token).await;
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

fn d(days: i64) -> String {
    (time::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn a_release_is_planned_replanned_and_watched_for_14_days() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let t = &peer.token;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    let (s, ep) = post(&app, t, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-20), "services_consent_on": d(-20), "expected_release_on": d(40)})).await;
    assert_eq!(s, 201, "{ep}");
    let checklist = get(&app, t, &format!("{base}/checklist")).await;
    assert_eq!(
        checklist.as_array().unwrap().len(),
        8,
        "every readiness item is planned"
    );
    // Mark naloxone done, then move the date earlier: open items move, the done one stays.
    let (s, _) = post(
        &app,
        t,
        &format!("{base}/checklist"),
        json!({"kind": "naloxone", "done_on": d(0)}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = post(
        &app,
        t,
        &format!("{base}/custody-events"),
        json!({"kind": "expected_release", "occurred_on": d(10), "certainty": "confirmed"}),
    )
    .await;
    assert_eq!(s, 201);
    let after = get(&app, t, &format!("{base}/checklist")).await;
    let item = |v: &Value, k: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(item(&after, "naloxone")["done_on"], d(0), "done stays done");
    assert_eq!(
        item(&after, "peer_meeting")["due_on"],
        d(10),
        "open items follow the new date"
    );
    assert_ne!(
        item(&after, "peer_meeting")["due_on"],
        item(&checklist, "peer_meeting")["due_on"]
    );
    // Released (earlier than expected): window opens, follow-ups scheduled.
    let (s, out) = post(
        &app,
        t,
        &format!("{base}/custody-events"),
        json!({"kind": "release", "occurred_on": d(0), "at_time": "00:00"}),
    )
    .await;
    assert_eq!(s, 201, "{out}");
    assert!(
        out["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "early"),
        "{out}"
    );
    let caseload = get(&app, t, "/api/v1/caseload").await;
    let row = caseload
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["participant_id"] == pid)
        .unwrap()
        .clone();
    assert_eq!(row["window_day"], 0);
    assert_eq!(row["first_contact"], "pending");
    assert!(matches!(
        row["urgency"].as_str(),
        Some("window_at_risk" | "in_window")
    ));
    // A completed contact meets the first-contact target.
    let now = time::now().format("%Y-%m-%dT%H:%M").to_string();
    let (s, _) = post(&app, t, &format!("{base}/encounters"), json!({"mode": "in_community", "outcome": "completed", "occurred_at": now, "duration_minutes": 40, "topics": ["engaging", "crisis"], "note": "Met at the gate."})).await;
    assert_eq!(s, 201);
    let caseload = get(&app, t, "/api/v1/caseload").await;
    let row = caseload
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["participant_id"] == pid)
        .unwrap()
        .clone();
    assert_eq!(row["first_contact"], "met");
    assert_eq!(row["contacts_done"], 1);
    let fus = get(&app, t, &format!("{base}/followups")).await;
    let points: Vec<&str> = fus
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["point"].as_str().unwrap())
        .collect();
    assert_eq!(points, ["day30", "day90", "day180", "day365"]);
    assert_eq!(fus[0]["due_on"], d(30));
    let (s, f) = post(&app, t, &format!("{base}/followups"), json!({"point": "day30", "completed_on": d(0), "rearrested": false, "overdose": "none", "housing": "temporary"})).await;
    assert_eq!(s, 200, "{f}");
    assert_eq!(f["completed_on"], d(0));
}

#[tokio::test]
async fn a_missed_first_contact_escalates_to_the_supervisor() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    // The peer reports to the supervisor.
    {
        use diesel::prelude::*;
        use throughcare::platform::schema::users;
        let mut conn = app.state.db.conn().unwrap();
        diesel::update(users::table.find(peer.id))
            .set(users::supervisor_id.eq(Some(app.a.user(Role::Supervisor).id)))
            .execute(&mut conn)
            .unwrap();
    }
    post(
        &app,
        &peer.token,
        &format!("{base}/episodes"),
        json!({"setting": "short_term", "started_on": d(-30), "services_consent_on": d(-30)}),
    )
    .await;
    let (s, out) = post(
        &app,
        &peer.token,
        &format!("{base}/custody-events"),
        json!({"kind": "release", "occurred_on": d(-2)}),
    )
    .await;
    assert_eq!(s, 201);
    assert!(
        out["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "no_plan"),
        "a release with no plan is flagged at once: {out}"
    );
    let s = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    let home = s.get("/").await.text().await.unwrap();
    let section = home.split("id=\"escalations\"").nth(1).unwrap();
    assert!(
        section.contains(&format!("/participants/{pid}")),
        "supervisor home lists the missed target"
    );
    assert!(section.contains("first contact within 24 h"));
    let p = app.signed_in(&peer.email).await;
    let caseload = p.get("/caseload").await.text().await.unwrap();
    assert!(caseload.contains("released without warning"));
}

#[tokio::test]
async fn barc10_is_scored_and_bad_answers_are_named() {
    let app = spawn_app().await;
    let t = &app.a.user(Role::Peer).token;
    let path = format!("/api/v1/participants/{}/barc10", app.a.participant_id);
    let (s, v) = post(
        &app,
        t,
        &path,
        json!({"taken_on": d(0), "answers": [5, 5, 5, 5, 5, 5, 5, 4, 4, 4]}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["total"], 47);
    assert_eq!(v["at_or_above_cutoff"], true);
    assert!(v["id"].as_i64().is_some());
    let (s, v) = post(
        &app,
        t,
        &path,
        json!({"taken_on": d(0), "answers": [1, 1, 1, 9, 1, 1, 1, 1, 1, 1]}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(v["errors"][0]["field"], "answers[3]");
    let (s, v) = post(
        &app,
        t,
        &path,
        json!({"taken_on": d(0), "answers": [1, 2, 3]}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(v["errors"][0]["field"], "answers");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("10"));
    let (s, v) = post(
        &app,
        t,
        &path,
        json!({"taken_on": "soon", "answers": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(v["errors"][0]["field"], "taken_on");
    let (s, v) = post(
        &app,
        t,
        &path,
        json!({"taken_on": d(0), "answers": [1, 1, 1, 1, 1, 1, 1, 1, 1, "x"]}),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    assert!(
        v["errors"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("answers")
    );
    let list = get(&app, t, &path).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "nothing was stored by the refused posts"
    );
}

#[tokio::test]
async fn referrals_close_the_loop_and_require_a_reason_when_they_fail() {
    let app = spawn_app().await;
    let t = &app.a.user(Role::Peer).token;
    let base = format!("/api/v1/participants/{}/referrals", app.a.participant_id);
    let (s, r) = post(&app, t, &base, json!({"referral_type": "moud", "provider_name": "Riverside Treatment Center", "referred_on": d(-3)})).await;
    assert_eq!(s, 201);
    let rid = r["id"].as_i64().unwrap();
    let (s, v) = post(
        &app,
        t,
        &format!("{base}/{rid}/status"),
        json!({"status": "no_capacity"}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(v["errors"][0]["field"], "reason");
    let (s, v) = post(
        &app,
        t,
        &format!("{base}/{rid}/status"),
        json!({"status": "attended", "occurred_on": d(0)}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["linked_on"], d(0));
    let statuses: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["pending", "attended"]);
}

#[tokio::test]
async fn likely_duplicates_are_shown_never_merged_silently_and_merges_are_reversible() {
    let app = spawn_app().await;
    let t = &app.a.user(Role::Peer).token;
    let (s, first) = post(
        &app,
        t,
        "/api/v1/participants",
        json!({"first_name": "José", "last_name": "Peña", "date_of_birth": "1990-03-04"}),
    )
    .await;
    assert_eq!(s, 201);
    let first_id = first["id"].as_i64().unwrap();
    for (first_name, last, dob) in [
        ("jose", "PENA", "1990-03-04"),
        ("José", "Peña", "1990-04-03"),
    ] {
        let (s, v) = post(
            &app,
            t,
            "/api/v1/participants",
            json!({"first_name": first_name, "last_name": last, "date_of_birth": dob}),
        )
        .await;
        assert_eq!(s, 409, "{first_name} {last} {dob}: {v}");
        assert_eq!(v["duplicates"][0]["id"], first_id);
    }
    let (s, second) = post(&app, t, "/api/v1/participants", json!({"first_name": "jose", "last_name": "PENA", "date_of_birth": "1990-03-04", "confirm_not_duplicate": true})).await;
    assert_eq!(s, 201);
    let second_id = second["id"].as_i64().unwrap();
    // Give the duplicate a record of its own, then merge it in and undo.
    post(
        &app,
        t,
        &format!("/api/v1/participants/{second_id}/stages"),
        json!({"stage": "preparation", "recorded_on": d(0)}),
    )
    .await;
    let (s, m) = post(
        &app,
        t,
        &format!("/api/v1/participants/{first_id}/merge"),
        json!({"duplicate_id": second_id, "reason": "same booking photo"}),
    )
    .await;
    assert_eq!(s, 201, "{m}");
    assert_eq!(
        get(&app, t, &format!("/api/v1/participants/{first_id}/stages"))
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let list = get(&app, t, "/api/v1/participants?name=Pe").await;
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == second_id),
        "merged record is hidden from lists"
    );
    let (s, _) = post(
        &app,
        t,
        &format!("/api/v1/participants/{first_id}/merges/{}/undo", m["id"]),
        json!({}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        get(&app, t, &format!("/api/v1/participants/{first_id}/stages"))
            .await
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        get(&app, t, &format!("/api/v1/participants/{second_id}/stages"))
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn supervisors_reassign_and_peers_may_not() {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let sup = app.a.user(Role::Supervisor);
    let (s, v) = post(
        &app,
        &app.a.user(Role::Peer).token,
        &format!("/api/v1/participants/{pid}/assign"),
        json!({"peer_id": sup.id}),
    )
    .await;
    assert_eq!(s, 403, "{v}");
    let (s, v) = post(
        &app,
        &sup.token,
        &format!("/api/v1/participants/{pid}/assign"),
        json!({"peer_id": sup.id}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["assigned_peer_id"], sup.id);
    let (s, v) = post(
        &app,
        &sup.token,
        &format!("/api/v1/participants/{pid}/assign"),
        json!({"peer_id": app.b.user(Role::Peer).id}),
    )
    .await;
    assert_eq!(s, 422, "a peer of another organisation is refused: {v}");
}

#[tokio::test]
async fn journey_inputs_are_validated_field_by_field() {
    let app = spawn_app().await;
    let t = &app.a.user(Role::Peer).token;
    let base = format!("/api/v1/participants/{}", app.a.participant_id);
    let (s, v) = post(
        &app,
        t,
        &format!("{base}/episodes"),
        json!({"setting": "moon", "started_on": "x", "services_consent_on": d(0)}),
    )
    .await;
    assert_eq!(s, 422);
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["setting", "started_on"]);
    let (s, v) = post(&app, t, &format!("{base}/encounters"), json!({"mode": "carrier_pigeon", "outcome": "completed", "occurred_at": "2026-01-01T10:00", "duration_minutes": 5000, "topics": ["engaging", "juggling"]})).await;
    assert_eq!(s, 422);
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["mode", "duration_minutes", "topics[1]"]);
    let (s, v) = post(
        &app,
        t,
        &format!("{base}/custody-events"),
        json!({"kind": "release", "occurred_on": d(5)}),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(v["errors"][0]["field"], "occurred_on");
}

#[tokio::test]
async fn checklist_dates_and_contact_targets_are_configurable_per_organisation() {
    let app = spawn_app().await;
    let admin = &app.a.user(Role::Admin).token;
    let mut settings = get(&app, admin, "/api/v1/settings/journey").await;
    assert_eq!(settings["first_contact_hours"], 24);
    assert_eq!(settings["checklist_offsets"]["peer_meeting"], 0);
    settings["first_contact_hours"] = json!(12);
    settings["checklist_offsets"]["naloxone"] = json!(-21);
    let r = app
        .api()
        .put(format!("{}/api/v1/settings/journey", app.url))
        .bearer_auth(&app.a.user(Role::Peer).token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "only admins change settings");
    let mut bad = settings.clone();
    bad["min_contacts"] = json!(99);
    let r = app
        .api()
        .put(format!("{}/api/v1/settings/journey", app.url))
        .bearer_auth(admin)
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = app
        .api()
        .put(format!("{}/api/v1/settings/journey", app.url))
        .bearer_auth(admin)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // The new offsets plan the next checklist; the new target sets the first-contact deadline.
    let t = &app.a.user(Role::Peer).token;
    let base = format!("/api/v1/participants/{}", app.a.participant_id);
    post(&app, t, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-5), "services_consent_on": d(-5), "expected_release_on": d(30)})).await;
    let checklist = get(&app, t, &format!("{base}/checklist")).await;
    let nal = checklist
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "naloxone")
        .unwrap();
    assert_eq!(nal["due_on"], d(9));
    // Released 13 hours ago: past a 12-hour target, within the default 24.
    let released = time::now() - Duration::hours(13);
    let (s, v) = post(&app, t, &format!("{base}/custody-events"), json!({"kind": "release", "occurred_on": released.format("%Y-%m-%d").to_string(), "at_time": released.format("%H:%M").to_string()})).await;
    assert_eq!(s, 201, "{v}");
    let caseload = get(&app, t, "/api/v1/caseload").await;
    let row = caseload
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["participant_id"] == app.a.participant_id)
        .unwrap()
        .clone();
    assert_eq!(
        row["first_contact"], "missed",
        "the first contact was due 12 hours after release, not 24"
    );
    // Organisation B keeps the defaults.
    assert_eq!(
        get(
            &app,
            &app.b.user(Role::Admin).token,
            "/api/v1/settings/journey"
        )
        .await["first_contact_hours"],
        24
    );
}

#[tokio::test]
async fn the_caseload_is_paged_most_urgent_first_and_the_pages_cover_everyone_once() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let t = &peer.token;
    // Six more people on the peer's caseload; one of them released today (in the window).
    let mut ids = vec![app.a.participant_id];
    let names = ["Ada", "Bram", "Cleo", "Dmitri", "Esperanza", "Farid"];
    let surnames = ["Quill", "Ruiz", "Santos", "Tamm", "Underhill", "Vasquez"];
    for i in 0..6 {
        let (s, p) = post(&app, t, "/api/v1/participants", json!({"first_name": names[i], "last_name": surnames[i], "date_of_birth": format!("19{}-0{}-1{i}", 70 + i, i + 1), "assigned_peer_id": peer.id})).await;
        assert_eq!(s, 201, "{p}");
        ids.push(p["id"].as_i64().unwrap());
    }
    let urgent = ids[4];
    let (s, ep) = post(&app, t, &format!("/api/v1/participants/{urgent}/episodes"), json!({"setting": "short_term", "started_on": d(-20), "services_consent_on": d(-20), "expected_release_on": d(10)})).await;
    assert_eq!(s, 201, "{ep}");
    let (s, out) = post(
        &app,
        t,
        &format!("/api/v1/participants/{urgent}/custody-events"),
        json!({"kind": "release", "occurred_on": d(0)}),
    )
    .await;
    assert_eq!(s, 201, "{out}");

    let r = app.get_bearer("/api/v1/caseload?per_page=3", t).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-total-count"], "7");
    let link = r.headers()["link"].to_str().unwrap().to_string();
    assert!(link.contains("page=2&per_page=3>; rel=\"next\""), "{link}");
    assert!(!link.contains("rel=\"prev\""), "{link}");
    let first: Value = r.json().await.unwrap();
    assert_eq!(first.as_array().unwrap().len(), 3);
    assert_eq!(
        first[0]["participant_id"], urgent,
        "the released person leads"
    );

    let mut seen: Vec<i64> = Vec::new();
    for page in 1..=3 {
        let r = app
            .get_bearer(&format!("/api/v1/caseload?per_page=3&page={page}"), t)
            .await;
        let link = r
            .headers()
            .get("link")
            .map(|l| l.to_str().unwrap().to_string());
        let rows: Value = r.json().await.unwrap();
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), if page < 3 { 3 } else { 1 }, "page {page}");
        if page == 3 {
            let link = link.unwrap();
            assert!(link.contains("page=2&per_page=3>; rel=\"prev\""), "{link}");
            assert!(!link.contains("rel=\"next\""), "{link}");
        }
        seen.extend(rows.iter().map(|r| r["participant_id"].as_i64().unwrap()));
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 7, "every person exactly once: {seen:?}");
    let mut expected = ids.clone();
    expected.sort_unstable();
    assert_eq!(sorted, expected);
    // Past the end: an empty page, not an error.
    let rows = get(&app, t, "/api/v1/caseload?per_page=3&page=9").await;
    assert_eq!(rows.as_array().unwrap().len(), 0);

    // Bad paging is refused, naming the field.
    for (q, field) in [
        ("per_page=0", "per_page"),
        ("per_page=501", "per_page"),
        ("page=x", "page"),
    ] {
        let r = app.get_bearer(&format!("/api/v1/caseload?{q}"), t).await;
        assert_eq!(r.status(), 422, "{q}");
        let body = r.text().await.unwrap();
        assert!(body.contains(field), "{q}: {body}");
    }

    // The page: a summary by urgency, one page of lines, and a pager.
    let s = app.signed_in(&peer.email).await;
    let html = s.get("/caseload?per_page=3").await.text().await.unwrap();
    assert!(html.contains("7 people"), "{html}");
    assert!(html.contains("1–3 of 7"), "{html}");
    assert!(html.contains("Page 1 of 3"), "{html}");
    assert!(
        html.contains("href=\"/caseload?per_page=3&amp;page=2\""),
        "{html}"
    );
    assert_eq!(html.matches("data-participant=").count(), 3);
    let html = s
        .get("/caseload?per_page=3&page=3")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("data-participant=").count(), 1);
    assert!(html.contains("rel=\"prev\""), "{html}");
}

/// In an organisation with more peers than the caseload's peer filter offers, the filter lists
/// the viewer's team (and the peer chosen now) and says how many there are in all; a small
/// organisation still lists everyone.
#[tokio::test]
async fn a_large_organisations_caseload_filter_offers_the_team_not_every_peer() {
    use throughcare::journey::caseload::PEER_CHOICES;
    let app = spawn_app().await;
    let options = |html: &str| {
        let start = html.find("<select id=\"c-peer\"").expect("the peer filter");
        let end = start + html[start..].find("</select>").unwrap();
        html[start..end].matches("<option value=\"").count()
    };
    let peer = app.a.user(Role::Peer);
    let small = app.signed_in(&peer.email).await;
    let html = small.get("/caseload").await.text().await.unwrap();
    assert!(
        !html.contains("c-peer-note"),
        "a small organisation lists everyone"
    );
    let org_a_staff_before = options(&html);
    // The seeded peer joins the seeded supervisor's team with two colleagues; then enough other
    // peers to pass the limit.
    let (sup, me) = (app.a.user(Role::Supervisor).id, peer.id);
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use throughcare::platform::schema::users;
        diesel::update(users::table.find(me))
            .set(users::supervisor_id.eq(Some(sup)))
            .execute(&mut db.conn().unwrap())
            .unwrap();
    })
    .await
    .unwrap();
    let made = app
        .add_peers(me, "Extra Peer", 0..PEER_CHOICES + 5, move |n| {
            (n < 2).then_some(sup)
        })
        .await;
    let (colleague, stranger) = (made[0], made[PEER_CHOICES + 4]);
    let html = small.get("/caseload").await.text().await.unwrap();
    // The default option, then: the supervisor, the peer, and the two colleagues.
    assert_eq!(options(&html), 1 + 4, "{html}");
    assert!(html.contains(&format!("<option value=\"{colleague}\"")));
    assert!(!html.contains(&format!("<option value=\"{stranger}\"")));
    assert!(
        html.contains(&format!(
            "showing 4 of {} peers, from your team",
            PEER_CHOICES + 5 + org_a_staff_before - 1
        )),
        "{html}"
    );
    // The peer chosen now is offered too (so the form shows what is filtered).
    let html = small
        .get(&format!("/caseload?peer={stranger}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("<option value=\"{stranger}\" selected")));
    // A team larger than the limit: its first PEER_CHOICES by name, and the supervisor.
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use throughcare::platform::schema::users;
        let mut conn = db.conn().unwrap();
        diesel::update(users::table.filter(users::email.like("extrapeer%@peers.test")))
            .set(users::supervisor_id.eq(Some(sup)))
            .execute(&mut conn)
            .unwrap();
    })
    .await
    .unwrap();
    let supervisor = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    let html = supervisor.get("/caseload").await.text().await.unwrap();
    let offered = options(&html);
    assert!(
        (1 + PEER_CHOICES..=1 + PEER_CHOICES + 2).contains(&offered),
        "a team of {} is offered {offered}",
        PEER_CHOICES + 6
    );
    assert!(
        html.contains(&format!("showing {} of", offered - 1)),
        "{html}"
    );
    // An admin (no team) is offered the first PEER_CHOICES by name.
    let admin = app.signed_in(&app.a.user(Role::Admin).email).await;
    let html = admin.get("/caseload").await.text().await.unwrap();
    assert_eq!(options(&html), 1 + PEER_CHOICES, "admin");
    assert!(html.contains("linked from Workforce"), "{html}");
}

#[tokio::test]
async fn a_contact_window_of_billions_of_days_is_refused_not_a_server_error() {
    let app = spawn_app().await;
    let admin = &app.a.user(Role::Admin).token;
    let mut settings = get(&app, admin, "/api/v1/settings/journey").await;
    // 2^31 days: multiplied by 24 hours it overflowed a u32 (a panic, answered with 500).
    settings["window_days"] = json!(2_147_483_648u64);
    let r = app
        .api()
        .put(format!("{}/api/v1/settings/journey", app.url))
        .bearer_auth(admin)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert!(
        v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "window_days"),
        "{v}"
    );
}

// --- a checklist that fits the stay (issue 16 item 4) ---------------------------------------

fn checklist_item(v: &Value, kind: &str) -> Value {
    v.as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {v}"))
        .clone()
}

async fn caseload_row(app: &TestApp, token: &str, pid: i64) -> Value {
    let caseload = get(app, token, "/api/v1/caseload").await;
    caseload
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["participant_id"] == pid)
        .unwrap()
        .clone()
}

/// Move one stored item's dates, as if it had been planned earlier (the tests cannot wait).
fn set_item_dates(app: &TestApp, id: i64, due_on: i64, planned_on: i64) {
    use diesel::prelude::*;
    use throughcare::journey::schema::checklist_items;
    let day = |n| time::today() + Duration::days(n);
    let mut conn = app.state.db.conn().unwrap();
    diesel::update(checklist_items::table.find(id))
        .set((
            checklist_items::due_on.eq(day(due_on)),
            checklist_items::planned_on.eq(Some(day(planned_on))),
        ))
        .execute(&mut conn)
        .unwrap();
}

fn checklist_section(page: &str) -> String {
    page.split("id=\"checklist\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn checklist_for_a_ten_day_stay_has_nothing_overdue_and_the_caseload_shows_no_overdue_work() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let t = &peer.token;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    let (s, ep) = post(&app, t, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(0), "services_consent_on": d(0), "expected_release_on": d(10)})).await;
    assert_eq!(s, 201, "{ep}");
    let checklist = get(&app, t, &format!("{base}/checklist")).await;
    let items = checklist.as_array().unwrap();
    assert_eq!(items.len(), 8);
    for i in items {
        let due = i["due_on"].as_str().unwrap();
        assert!(due >= d(0).as_str() && due <= d(10).as_str(), "{i}");
        assert_eq!(i["planned_on"], d(0), "{i}");
        assert_eq!(i["achievable"], true, "{i}");
        assert!(i["not_applicable_reason"].is_null(), "{i}");
    }
    // The template wants identity documents 30 days ahead: fitted into the ten days left.
    assert_eq!(
        checklist_item(&checklist, "identity_documents")["due_on"],
        d(2)
    );
    assert_eq!(checklist_item(&checklist, "peer_meeting")["due_on"], d(10));
    let row = caseload_row(&app, t, pid).await;
    assert_eq!(row["overdue_tasks"], 0, "{row}");
    assert_ne!(row["urgency"], "overdue", "{row}");
    let s = app.signed_in(&peer.email).await;
    let page = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !checklist_section(&page).contains("overdue"),
        "nothing is overdue the day it is planned"
    );
    let caseload = s.get("/caseload").await.text().await.unwrap();
    assert!(
        !caseload.contains(" tasks<"),
        "no overdue tasks on the caseload"
    );
}

#[tokio::test]
async fn checklist_items_planned_without_their_lead_time_are_never_overdue() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let t = &peer.token;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    // A one-day stay: identity documents due today, with none of the two days they need.
    let (s, ep) = post(&app, t, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(0), "services_consent_on": d(0), "expected_release_on": d(1)})).await;
    assert_eq!(s, 201, "{ep}");
    let checklist = get(&app, t, &format!("{base}/checklist")).await;
    let ids = checklist_item(&checklist, "identity_documents");
    assert_eq!(ids["due_on"], d(0));
    assert_eq!(ids["achievable"], false, "{ids}");
    let naloxone = checklist_item(&checklist, "naloxone");
    assert_eq!(naloxone["achievable"], true, "{naloxone}");
    // Days later, both still open and past their dates: only the achievable one is overdue.
    set_item_dates(&app, ids["id"].as_i64().unwrap(), -3, -3);
    set_item_dates(&app, naloxone["id"].as_i64().unwrap(), -3, -3);
    let row = caseload_row(&app, t, pid).await;
    assert_eq!(row["overdue_tasks"], 1, "{row}");
    let s = app.signed_in(&peer.email).await;
    let page = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    let section = checklist_section(&page);
    assert_eq!(
        section.matches("badge bad\">overdue").count(),
        1,
        "{section}"
    );
}

#[tokio::test]
async fn checklist_item_marked_not_applicable_keeps_its_reason_and_is_not_overdue() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let t = &peer.token;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    let (s, ep) = post(&app, t, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-20), "services_consent_on": d(-20), "expected_release_on": d(10)})).await;
    assert_eq!(s, 201, "{ep}");
    let checklist = get(&app, t, &format!("{base}/checklist")).await;
    let transport = checklist_item(&checklist, "transport_from_gate");
    // Planned a week ago, due yesterday, still open: overdue.
    set_item_dates(&app, transport["id"].as_i64().unwrap(), -1, -8);
    assert_eq!(caseload_row(&app, t, pid).await["overdue_tasks"], 1);
    // A reason is required.
    let (s, v) = post(
        &app,
        t,
        &format!("{base}/checklist/not-applicable"),
        json!({"kind": "transport_from_gate", "reason": "  "}),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    let (s, v) = post(
        &app,
        t,
        &format!("{base}/checklist/not-applicable"),
        json!({"kind": "transport_from_gate", "reason": "Family is driving from the gate"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        v["not_applicable_reason"],
        "Family is driving from the gate"
    );
    assert_eq!(v["not_applicable_by"], peer.id);
    assert!(
        v["not_applicable_at"].as_str().unwrap().ends_with('Z'),
        "{v}"
    );
    let after = get(&app, t, &format!("{base}/checklist")).await;
    let transport = checklist_item(&after, "transport_from_gate");
    assert_eq!(
        transport["not_applicable_reason"],
        "Family is driving from the gate"
    );
    assert!(transport["done_on"].is_null(), "not applicable is not done");
    let row = caseload_row(&app, t, pid).await;
    assert_eq!(row["overdue_tasks"], 0, "{row}");
    // The page's form does the same, and shows the reason instead of "overdue".
    let s = app.signed_in(&peer.email).await;
    let r = s
        .post_form(
            &format!("/participants/{pid}/checklist/not-applicable"),
            &[
                ("kind", "naloxone"),
                ("reason", "Declined: carries a kit already"),
            ],
        )
        .await;
    assert!(r.status().is_redirection(), "{}", r.status());
    let page = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    let section = checklist_section(&page);
    assert!(
        section.contains("Declined: carries a kit already"),
        "{section}"
    );
    assert!(section.contains("Family is driving from the gate"));
    assert!(!section.contains("badge bad\">overdue"), "{section}");
    // Released with the rest done: the checklist is not incomplete.
    for kind in [
        "identity_documents",
        "health_insurance",
        "moud_continuity",
        "first_night_housing",
        "community_provider_appointment",
        "peer_meeting",
    ] {
        let (s, v) = post(
            &app,
            t,
            &format!("{base}/checklist"),
            json!({"kind": kind, "done_on": d(0)}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
    }
    let (s, out) = post(
        &app,
        t,
        &format!("{base}/custody-events"),
        json!({"kind": "release", "occurred_on": d(0), "at_time": "00:00"}),
    )
    .await;
    assert_eq!(s, 201, "{out}");
    assert!(
        !out["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "checklist_incomplete"),
        "{out}"
    );
}

#[tokio::test]
async fn checklist_is_replanned_around_an_unplanned_release() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let t = &peer.token;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    let (s, ep) = post(&app, t, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-5), "services_consent_on": d(-5), "expected_release_on": d(20)})).await;
    assert_eq!(s, 201, "{ep}");
    let (s, _) = post(
        &app,
        t,
        &format!("{base}/checklist"),
        json!({"kind": "naloxone", "done_on": d(0)}),
    )
    .await;
    assert_eq!(s, 200);
    let before = get(&app, t, &format!("{base}/checklist")).await;
    // Insurance was planned a while ago and is overdue from before the release.
    let insurance = checklist_item(&before, "health_insurance");
    set_item_dates(&app, insurance["id"].as_i64().unwrap(), -2, -9);
    assert_eq!(caseload_row(&app, t, pid).await["overdue_tasks"], 1);
    // Released today, twenty days early.
    let (s, out) = post(
        &app,
        t,
        &format!("{base}/custody-events"),
        json!({"kind": "release", "occurred_on": d(0), "at_time": "00:00"}),
    )
    .await;
    assert_eq!(s, 201, "{out}");
    let flags = out["flags"].as_array().unwrap();
    assert!(flags.iter().any(|f| f == "early"), "{out}");
    assert!(flags.iter().any(|f| f == "checklist_incomplete"), "{out}");
    let after = get(&app, t, &format!("{base}/checklist")).await;
    assert_eq!(after.as_array().unwrap().len(), 8);
    assert!(
        after
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] != "peer_meeting"),
        "the meeting at the gate did not happen: {after}"
    );
    let contact = checklist_item(&after, "first_contact");
    assert_eq!(contact["due_on"], d(1), "first contact within 24 hours");
    assert!(contact["done_on"].is_null());
    assert_eq!(
        checklist_item(&after, "naloxone"),
        checklist_item(&before, "naloxone"),
        "done stays done"
    );
    for kind in [
        "health_insurance",
        "identity_documents",
        "transport_from_gate",
    ] {
        let i = checklist_item(&after, kind);
        assert_eq!(i["due_on"], d(3), "{i}");
        assert_eq!(i["planned_on"], d(0), "{i}");
    }
    let row = caseload_row(&app, t, pid).await;
    assert_eq!(row["overdue_tasks"], 0, "{row}");
    // The first contact is marked done under its new name.
    let (s, v) = post(
        &app,
        t,
        &format!("{base}/checklist"),
        json!({"kind": "first_contact", "done_on": d(0)}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    // A first contact is made only at release: no template offset for it.
    let admin = &app.a.user(Role::Admin).token;
    let mut settings = get(&app, admin, "/api/v1/settings/journey").await;
    assert!(settings["checklist_offsets"]["first_contact"].is_null());
    settings["checklist_offsets"]["first_contact"] = json!(0);
    let r = app
        .api()
        .put(format!("{}/api/v1/settings/journey", app.url))
        .bearer_auth(admin)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}
