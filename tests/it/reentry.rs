//! Reentry Medicaid over the API: the organisation's programme (template and window, admins
//! only, the earlier choice kept) and eligibility screenings in custody, decided under it; warm
//! handoffs and MOUD records. Then the pages: the participant's reentry page and its forms, the
//! printed care plan in Spanish, the admin's settings.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::schema::audit_log;
use throughcare::platform::time;

use crate::helpers::{TestApp, spawn_app};

async fn send(app: &TestApp, method: &str, token: &str, path: &str, body: Value) -> (u16, Value) {
    let url = format!("{}{path}", app.url);
    let req = match method {
        "PUT" => app.api().put(url),
        _ => app.api().post(url),
    };
    let r = req.bearer_auth(token).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn d(days: i64) -> String {
    (time::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

fn fields_of(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["field"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn an_organisation_starts_on_the_federal_minimum_and_its_admin_chooses_a_state() {
    let app = spawn_app().await;
    let admin = &app.a.user(Role::Admin).token;
    let peer = &app.a.user(Role::Peer).token;
    let r: Value = app
        .get_bearer("/api/v1/settings/reentry", peer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["template"], "federal_minimum");
    assert_eq!(r["window_days"], 30);
    assert!(r["set_at"].is_null());

    let path = "/api/v1/settings/reentry";
    let (s, _) = send(&app, "PUT", peer, path, json!({"template": "california"})).await;
    assert_eq!(s, 403, "a peer does not choose the programme");
    let (s, p) = send(
        &app,
        "PUT",
        admin,
        path,
        json!({"template": "oregon", "window_days": 91}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields_of(&p), vec!["template"], "{p}");
    let (s, p) = send(
        &app,
        "PUT",
        admin,
        path,
        json!({"template": "montana", "window_days": 91}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields_of(&p), vec!["window_days"], "{p}");

    let (s, r) = send(&app, "PUT", admin, path, json!({"template": "washington"})).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["template"], "washington");
    assert_eq!(r["window_days"], 90, "the template's window");
    let (s, r) = send(
        &app,
        "PUT",
        admin,
        path,
        json!({"template": "new_hampshire", "window_days": 40}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["window_days"], 40, "adjusted");
    // Organisation B is still on the federal minimum.
    let b: Value = app
        .get_bearer(path, &app.b.user(Role::Admin).token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b["template"], "federal_minimum");
}

#[tokio::test]
async fn a_screening_in_custody_is_decided_under_the_programme_and_kept() {
    let app = spawn_app().await;
    let admin = &app.a.user(Role::Admin).token;
    let peer = &app.a.user(Role::Peer).token;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    let (s, ep) = send(&app, "POST", peer, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-2), "services_consent_on": d(-2), "expected_release_on": d(60)})).await;
    assert_eq!(s, 201, "{ep}");
    let screenings = format!("{base}/reentry/screenings");

    // Refused input names each wrong field.
    let (s, p) = send(&app, "POST", peer, &screenings, json!({"medicaid_status": "application_pending", "conditions": ["substance_use_disorder", "gout"]})).await;
    assert_eq!(s, 422, "{p}");
    let mut wrong = fields_of(&p);
    wrong.sort();
    assert_eq!(wrong, vec!["conditions[1]", "medicaid_applied_on"], "{p}");
    let (s, p) = send(
        &app,
        "POST",
        peer,
        &screenings,
        json!({"medicaid_status": "maybe", "medicaid_applied_on": d(3)}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let mut wrong = fields_of(&p);
    wrong.sort();
    assert_eq!(wrong, vec!["medicaid_applied_on", "medicaid_status"], "{p}");

    // Under the federal minimum an enrolled adult needs no condition.
    let (s, first) = send(
        &app,
        "POST",
        peer,
        &screenings,
        json!({"medicaid_status": "suspended"}),
    )
    .await;
    assert_eq!(s, 201, "{first}");
    assert_eq!(first["result"], "eligible");
    assert_eq!(first["template"], "federal_minimum");
    assert_eq!(first["criteria_met"], "medicaid anyone_in_custody");

    // Under California an adult needs a qualifying condition; pending Medicaid waits for it.
    let (s, _) = send(
        &app,
        "PUT",
        admin,
        "/api/v1/settings/reentry",
        json!({"template": "california"}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, none) = send(
        &app,
        "POST",
        peer,
        &screenings,
        json!({"medicaid_status": "active"}),
    )
    .await;
    assert_eq!(s, 201, "{none}");
    let youth = none["youth"].as_bool().unwrap();
    if !youth {
        assert_eq!(none["result"], "not_eligible", "{none}");
    }
    let (s, pending) = send(&app, "POST", peer, &screenings, json!({"medicaid_status": "application_pending", "medicaid_applied_on": d(-1), "conditions": ["mental_illness", "substance_use_disorder", "mental_illness"]})).await;
    assert_eq!(s, 201, "{pending}");
    assert_eq!(pending["result"], "pending_medicaid");
    assert_eq!(pending["medicaid_applied_on"], d(-1));
    assert_eq!(
        pending["conditions"],
        "substance_use_disorder mental_illness"
    );
    assert_eq!(pending["template"], "california");
    assert_eq!(pending["window_days"], 90);

    // Every screening is kept, newest first.
    let list: Value = app
        .get_bearer(&screenings, peer)
        .await
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["id"], pending["id"]);
    assert_eq!(list[2]["id"], first["id"]);

    // Another organisation, without consent, finds nothing and records nothing.
    let other = &app.b.user(Role::Team).token;
    assert_eq!(app.get_bearer(&screenings, other).await.status(), 404);
    let (s, _) = send(
        &app,
        "POST",
        other,
        &screenings,
        json!({"medicaid_status": "active"}),
    )
    .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn screening_falls_due_at_booking_and_the_window_moves_with_the_release() {
    let app = spawn_app().await;
    let admin = &app.a.user(Role::Admin).token;
    let peer = &app.a.user(Role::Peer).token;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    let status = format!("{base}/reentry");
    let (s, _) = send(
        &app,
        "PUT",
        admin,
        "/api/v1/settings/reentry",
        json!({"template": "new_hampshire"}),
    )
    .await;
    assert_eq!(s, 200);
    // Booked five days ago, not screened: overdue (72 hours).
    let (s, ep) = send(&app, "POST", peer, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-5), "services_consent_on": d(-5), "expected_release_on": d(60)})).await;
    assert_eq!(s, 201, "{ep}");
    let st: Value = app.get_bearer(&status, peer).await.json().await.unwrap();
    assert_eq!(st["in_custody"], true, "{st}");
    assert_eq!(st["booked_on"], d(-5));
    assert_eq!(st["screening_status"], "overdue", "{st}");
    assert_eq!(st["window_days"], 45);
    assert_eq!(st["window_opens_on"], d(15), "{st}");
    assert_eq!(st["in_window"], false);
    // The release moves earlier, into the window: it opens at once.
    let (s, _) = send(
        &app,
        "POST",
        peer,
        &format!("{base}/custody-events"),
        json!({"kind": "expected_release", "occurred_on": d(30), "certainty": "confirmed"}),
    )
    .await;
    assert_eq!(s, 201);
    let st: Value = app.get_bearer(&status, peer).await.json().await.unwrap();
    assert_eq!(st["expected_release_on"], d(30), "{st}");
    assert_eq!(st["window_opens_on"], d(-15), "{st}");
    assert_eq!(st["in_window"], true);
    assert!(st["handoff_due_at"].is_string(), "{st}");
    // Screened: done.
    let (s, _) = send(
        &app,
        "POST",
        peer,
        &format!("{base}/reentry/screenings"),
        json!({"medicaid_status": "active"}),
    )
    .await;
    assert_eq!(s, 201);
    let st: Value = app.get_bearer(&status, peer).await.json().await.unwrap();
    assert_eq!(st["screening_status"], "done", "{st}");
    assert!(st["screening_due_at"].is_null());
    // Another organisation without consent finds nothing.
    assert_eq!(
        app.get_bearer(&status, &app.b.user(Role::Team).token)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn an_unplanned_release_makes_a_warm_handoff_due_within_24_hours() {
    let app = spawn_app().await;
    let peer = &app.a.user(Role::Peer).token;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    let status = format!("{base}/reentry");
    // In custody with no expected release date: released without a plan.
    let (s, ep) = send(
        &app,
        "POST",
        peer,
        &format!("{base}/episodes"),
        json!({"setting": "short_term", "started_on": d(-10), "services_consent_on": d(-10)}),
    )
    .await;
    assert_eq!(s, 201, "{ep}");
    let st: Value = app.get_bearer(&status, peer).await.json().await.unwrap();
    assert!(
        st["handoff_due_at"].is_null(),
        "no date, no release: not yet due {st}"
    );
    let (s, out) = send(
        &app,
        "POST",
        peer,
        &format!("{base}/custody-events"),
        json!({"kind": "release", "occurred_on": d(0), "at_time": "00:00"}),
    )
    .await;
    assert_eq!(s, 201, "{out}");
    let episodes: Value = app
        .get_bearer(&format!("{base}/episodes"), peer)
        .await
        .json()
        .await
        .unwrap();
    let released_at = episodes[0]["released_at"].as_str().unwrap().to_string();
    let released = chrono::DateTime::parse_from_rfc3339(&released_at).unwrap();
    let st: Value = app.get_bearer(&status, peer).await.json().await.unwrap();
    assert_eq!(st["unplanned_release"], true, "{st}");
    let due = chrono::DateTime::parse_from_rfc3339(st["handoff_due_at"].as_str().unwrap()).unwrap();
    assert_eq!(due - released, chrono::TimeDelta::hours(24), "{st}");
    assert!(
        matches!(st["handoff_status"].as_str(), Some("due" | "overdue")),
        "{st}"
    );

    // Refused input names each field; then a handoff held now is on time.
    let handoffs = format!("{base}/reentry/handoffs");
    let (s, p) = send(
        &app,
        "POST",
        peer,
        &handoffs,
        json!({"to_provider": " ", "method": "pigeon", "held_at": "2999-01-01T10:00"}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let mut wrong = fields_of(&p);
    wrong.sort();
    assert_eq!(wrong, vec!["held_at", "method", "to_provider"], "{p}");
    let now = time::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let (s, h) = send(&app, "POST", peer, &handoffs, json!({"to_provider": "Dr. Rivera", "to_organisation": "Eastside Clinic", "method": "video", "held_at": now})).await;
    assert_eq!(s, 201, "{h}");
    assert_eq!(h["method"], "video");
    let st: Value = app.get_bearer(&status, peer).await.json().await.unwrap();
    if released + chrono::TimeDelta::hours(24) >= chrono::Utc::now() {
        assert_eq!(st["handoff_status"], "held", "{st}");
    }
    let list: Value = app.get_bearer(&handoffs, peer).await.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        app.get_bearer(&handoffs, &app.b.user(Role::Team).token)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_moud_record_stands_until_a_newer_one_and_names_each_wrong_field() {
    let app = spawn_app().await;
    let peer = &app.a.user(Role::Peer).token;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    let moud = format!("{base}/reentry/moud");
    let (s, ep) = send(&app, "POST", peer, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-20), "services_consent_on": d(-20), "expected_release_on": d(-1)})).await;
    assert_eq!(s, 201, "{ep}");

    // Refused input names each wrong field.
    let (s, p) = send(
        &app,
        "POST",
        peer,
        &moud,
        json!({"status": "sometimes", "first_dose_on": "soon", "naloxone_at_release": 21}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let mut wrong = fields_of(&p);
    wrong.sort();
    assert_eq!(
        wrong,
        vec!["first_dose_on", "naloxone_at_release", "status"],
        "{p}"
    );
    let (s, p) = send(
        &app,
        "POST",
        peer,
        &moud,
        json!({"status": "started_after_release"}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields_of(&p), vec!["first_dose_on"], "required {p}");
    let (s, p) = send(
        &app,
        "POST",
        peer,
        &moud,
        json!({"status": "started_after_release", "first_dose_on": d(-2), "stopped_on": d(-3)}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(
        fields_of(&p),
        vec!["stopped_on"],
        "stopped before the first dose {p}"
    );
    let (s, p) = send(
        &app,
        "POST",
        peer,
        &moud,
        json!({"status": "in_custody", "first_dose_on": d(-2), "naloxone_at_release": -1}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let mut wrong = fields_of(&p);
    wrong.sort();
    assert_eq!(wrong, vec!["first_dose_on", "naloxone_at_release"], "{p}");

    // In custody, no dose after release yet.
    let (s, first) = send(&app, "POST", peer, &moud, json!({"status": "in_custody"})).await;
    assert_eq!(s, 201, "{first}");
    assert_eq!(first["naloxone_at_release"], 0);
    assert!(first["first_dose_on"].is_null());

    // Released today: continued at release, the first dose is the release day.
    let (s, out) = send(
        &app,
        "POST",
        peer,
        &format!("{base}/custody-events"),
        json!({"kind": "release", "occurred_on": d(0), "at_time": "00:00"}),
    )
    .await;
    assert_eq!(s, 201, "{out}");
    let (s, cont) = send(
        &app,
        "POST",
        peer,
        &moud,
        json!({"status": "continued_at_release", "naloxone_at_release": 2}),
    )
    .await;
    assert_eq!(s, 201, "{cont}");
    assert_eq!(cont["status"], "continued_at_release");
    assert_eq!(cont["naloxone_at_release"], 2);
    assert!(cont["first_dose_on"].is_string(), "{cont}");
    assert!(cont["recorded_at"].is_string(), "{cont}");

    // A stop is recorded as a new record; every record is kept, newest first.
    let (s, stop) = send(&app, "POST", peer, &moud, json!({"status": "continued_at_release", "first_dose_on": d(0), "stopped_on": d(0), "naloxone_at_release": 2})).await;
    assert_eq!(s, 201, "{stop}");
    assert_eq!(stop["stopped_on"], d(0));
    let list: Value = app.get_bearer(&moud, peer).await.json().await.unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3, "{list:?}");
    assert_eq!(list[0]["id"], stop["id"]);
    assert_eq!(list[2]["id"], first["id"]);

    // Another organisation, without consent, finds nothing and records nothing.
    let other = &app.b.user(Role::Team).token;
    assert_eq!(app.get_bearer(&moud, other).await.status(), 404);
    let (s, _) = send(&app, "POST", other, &moud, json!({"status": "none"})).await;
    assert_eq!(s, 404);
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_reentry_page_records_a_screening_a_handoff_and_moud_and_prints_the_care_plan() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    let (s, ep) = send(&app, "POST", &peer.token, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-1), "services_consent_on": d(-1), "expected_release_on": d(20)})).await;
    assert_eq!(s, 201, "{ep}");
    let page = format!("/participants/{pid}/reentry");
    let s = app.signed_in(&peer.email).await;

    // The record links to the page; the page says screening is due (booked yesterday).
    let record = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        record.contains(&format!("href=\"{page}\"")),
        "linked from the record"
    );
    let r = s.get(&page).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("data-screening-status=\"due\""), "{html}");
    assert!(html.contains("id=\"no-screening\""));

    // A refused screening names the field beside it, and keeps what was typed.
    let r = s
        .post_form(
            &format!("{page}/screenings"),
            &[
                ("medicaid_status", "application_pending"),
                ("conditions", "mental_illness"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"medicaid_applied_on-error\""), "{html}");
    assert!(html.contains("value=\"mental_illness\" checked"), "kept");

    // Saved: back to the page, which says so and shows the result in words.
    let r = s
        .post_form(
            &format!("{page}/screenings"),
            &[
                ("medicaid_status", "suspended"),
                ("conditions", "substance_use_disorder"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("{page}?saved=screening#saved"));
    let html = s.get(&location(&r)).await.text().await.unwrap();
    assert!(html.contains("data-screening-status=\"done\""), "{html}");
    assert!(html.contains("data-result=\"eligible\""), "{html}");
    assert!(
        html.contains("Enrolled in Medicaid (active or suspended)"),
        "{html}"
    );

    // A warm handoff, then MOUD; a refused one names its field.
    let r = s
        .post_form(
            &format!("{page}/handoffs"),
            &[("to_provider", " "), ("method", "video")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"to_provider-error\""));
    let r = s
        .post_form(
            &format!("{page}/handoffs"),
            &[
                ("to_provider", "Dr. Rivera"),
                ("to_organisation", "Eastside Clinic"),
                ("method", "video"),
                ("scheduled_at", &format!("{}T10:30", d(20))),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = s
        .post_form(
            &format!("{page}/moud"),
            &[("status", "in_custody"), ("naloxone_at_release", "many")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("id=\"naloxone_at_release-error\"")
    );
    let r = s
        .post_form(
            &format!("{page}/moud"),
            &[("status", "in_custody"), ("naloxone_at_release", "2")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = s.get(&page).await.text().await.unwrap();
    assert!(html.contains("Dr. Rivera"), "{html}");
    assert!(html.contains("data-moud-status=\"in_custody\""), "{html}");

    // The care plan, printed in Spanish: needs, medications, appointments, benefits; audited.
    let r = s.get(&format!("{page}/plan/print?lang=es")).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("lang=\"es\""), "in Spanish");
    for part in [
        "Mis necesidades",
        "Mis medicamentos",
        "Citas que se hicieron para mí",
        "Vivienda y beneficios",
        "Dr. Rivera",
        "Inscrito, suspendido durante la encarcelación",
        "Trastorno por consumo de sustancias",
    ] {
        assert!(html.contains(part), "{part}: {html}");
    }
    let mut conn = app.state.db.conn().unwrap();
    let printed: i64 = audit_log::table
        .filter(audit_log::action.eq("reentry_plan.print"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(printed, 1);

    // Another organisation without consent sees none of it and records nothing.
    let other = app.signed_in(&app.b.user(Role::Team).email).await;
    assert_eq!(other.get(&page).await.status(), 404);
    assert_eq!(other.get(&format!("{page}/plan/print")).await.status(), 404);
    let r = other
        .post_form(&format!("{page}/moud"), &[("status", "none")])
        .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn the_admin_chooses_the_reentry_programme_on_its_page() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.a.user(Role::Admin).email).await;
    let html = admin.get("/admin").await.text().await.unwrap();
    assert!(html.contains("href=\"/admin/reentry\""));
    let html = admin.get("/admin/reentry").await.text().await.unwrap();
    assert!(html.contains("data-template=\"federal_minimum\""), "{html}");
    let r = admin
        .post_form(
            "/admin/reentry",
            &[("template", "montana"), ("window_days", "91")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"window_days-error\""));
    let r = admin
        .post_form(
            "/admin/reentry",
            &[("template", "california"), ("window_days", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = admin.get("/admin/reentry").await.text().await.unwrap();
    assert!(html.contains("data-template=\"california\""), "{html}");
    assert!(
        html.contains("Community health worker services"),
        "covered services, in words"
    );
    assert!(
        html.contains("Clinician or licensed case manager"),
        "who may deliver, in words"
    );
    assert!(html.contains("id=\"programme-history\""));
    // A peer may not choose.
    let peer = app.signed_in(&app.a.user(Role::Peer).email).await;
    let r = peer
        .post_form("/admin/reentry", &[("template", "washington")])
        .await;
    assert_ne!(r.status(), 303);
}
