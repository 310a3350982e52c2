//! No answer is ever silently overwritten; identity can be corrected. A second follow-up for an
//! answered timepoint is refused (409) and amended instead; every amendable record keeps its
//! earlier value in the history (API and page); no participant route replaces a recorded value
//! without an amendment; identity is corrected with history and a fresh duplicate check;
//! identifiers are shown as typed; a roster name and date-of-birth match adds the booking number.

use chrono::Duration;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::time;

use crate::helpers::{TestApp, spawn_app};

async fn send(app: &TestApp, method: &str, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app
        .api()
        .request(method.parse().unwrap(), format!("{}{path}", app.url))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or("").to_string())
        .unwrap_or_default();
    let text = r.text().await.unwrap();
    let mut v = serde_json::from_str(&text).unwrap_or(Value::String(text));
    if status >= 400 {
        v["_content_type"] = Value::String(ct);
    }
    (status, v)
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    send(app, "POST", token, path, body).await
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

/// Enrol the seeded participant of A in custody and release them today: follow-ups scheduled.
async fn released(app: &TestApp) -> String {
    let t = &app.a.user(Role::Peer).token;
    let base = format!("/api/v1/participants/{}", app.a.participant_id);
    let (s, v) = post(app, t, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(-20), "services_consent_on": d(-20), "expected_release_on": d(40)})).await;
    assert_eq!(s, 201, "{v}");
    let (s, v) = post(
        app,
        t,
        &format!("{base}/custody-events"),
        json!({"kind": "release", "occurred_on": d(0), "at_time": "00:00"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    base
}

fn history_has(all: &Value, record_type: &str, field: &str, old: &str, new: &str) -> bool {
    all.as_array().unwrap().iter().any(|a| {
        a["record_type"] == record_type
            && a["field"] == field
            && a["old_value"] == old
            && a["new_value"] == new
            && !a["amended_by_name"].as_str().unwrap_or("").is_empty()
            && a["amended_at"].is_string()
    })
}

#[tokio::test]
async fn a_second_follow_up_for_an_answered_timepoint_is_refused_and_amended_with_history() {
    let app = spawn_app().await;
    let t = &app.a.user(Role::Peer).token;
    let base = released(&app).await;
    let (s, f) = post(&app, t, &format!("{base}/followups"), json!({"point": "day30", "completed_on": d(0), "employed": true, "in_treatment": true, "barc10_total": 40, "housing": "stable"})).await;
    assert_eq!(s, 200, "{f}");
    // The tester's case: the same timepoint again, with other answers.
    let (s, p) = post(
        &app,
        t,
        &format!("{base}/followups"),
        json!({"point": "day30", "completed_on": d(-1)}),
    )
    .await;
    assert_eq!(s, 409, "{p}");
    assert_eq!(p["_content_type"], "application/problem+json");
    assert_eq!(p["status"], 409);
    assert!(p["detail"].as_str().unwrap().contains("amend"), "{p}");
    let fus = get(&app, t, &format!("{base}/followups")).await;
    let day30 = &fus[0];
    assert_eq!(day30["point"], "day30");
    assert_eq!(day30["completed_on"], d(0), "nothing was overwritten");
    assert_eq!(day30["employed"], true);
    assert_eq!(day30["in_treatment"], true);
    assert_eq!(day30["barc10_total"], 40);
    // Amending without a reason is refused, naming the field.
    let amend = format!("{base}/followups/day30/amendments");
    let (s, p) = post(&app, t, &amend, json!({"changes": {"employed": false}})).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(p["errors"][0]["field"], "reason");
    // With a reason: changed, and the earlier answers kept.
    let (s, a) = post(&app, t, &amend, json!({"reason": "date misread from the paper form", "changes": {"completed_on": d(-1), "employed": false, "barc10_total": null}})).await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["completed_on"], d(-1));
    assert_eq!(a["employed"], false);
    assert_eq!(a["barc10_total"], Value::Null);
    assert_eq!(a["in_treatment"], true, "fields not named stay");
    let hist = &a["amendments"];
    assert!(
        history_has(hist, "followup", "completed_on", &d(0), &d(-1)),
        "{hist}"
    );
    assert!(
        history_has(hist, "followup", "employed", "true", "false"),
        "{hist}"
    );
    assert!(
        hist.as_array()
            .unwrap()
            .iter()
            .any(|h| h["field"] == "barc10_total"
                && h["old_value"] == "40"
                && h["new_value"].is_null()
                && h["reason"] == "date misread from the paper form"),
        "{hist}"
    );
    let all = get(&app, t, &format!("{base}/amendments")).await;
    assert!(
        history_has(&all, "followup", "employed", "true", "false"),
        "{all}"
    );
    // A follow-up not yet answered is recorded, not amended.
    let (s, p) = post(
        &app,
        t,
        &format!("{base}/followups/day90/amendments"),
        json!({"reason": "x", "changes": {"employed": true}}),
    )
    .await;
    assert_eq!(s, 409, "{p}");
}

#[tokio::test]
async fn the_follow_up_form_offers_the_next_unanswered_point_and_shows_history() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let base = released(&app).await;
    let pid = app.a.participant_id;
    let s = app.signed_in(&peer.email).await;
    let html = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"<option value="day30" selected>"#),
        "day30 first"
    );
    let (st, _) = post(
        &app,
        &peer.token,
        &format!("{base}/followups"),
        json!({"point": "day30", "completed_on": d(0), "employed": true}),
    )
    .await;
    assert_eq!(st, 200);
    let html = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"<option value="day90" selected>"#),
        "the next unanswered point is offered, not 30-day again"
    );
    // The page's second recording of day30 is refused and says to amend.
    let r = s
        .post_form(
            &format!("/participants/{pid}/followups"),
            &[("point", "day30"), ("completed_on", &d(0))],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("amend"));
    // Amend on the page: reason required; history shown on the record.
    let fields = |reason: &'static str| {
        vec![
            ("point", "day30".to_string()),
            ("completed_on", d(0)),
            ("employed", "no".into()),
            ("reason", reason.to_string()),
        ]
    };
    let f = fields("");
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = s
        .post_form(&format!("/participants/{pid}/followups/amend"), &f)
        .await;
    assert_eq!(r.status(), 422);
    let f = fields("participant corrected it");
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = s
        .post_form(&format!("/participants/{pid}/followups/amend"), &f)
        .await;
    assert_eq!(r.status(), 303);
    let html = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("(participant corrected it): Employed: Yes → No"),
        "history on the record"
    );
}

#[tokio::test]
async fn every_amendable_record_keeps_its_prior_value() {
    let app = spawn_app().await;
    let t = &app.a.user(Role::Peer).token;
    let base = released(&app).await;
    let amend = format!("{base}/amendments");
    let mut cases: Vec<(&str, i64, Value, &str, String, String)> = Vec::new();
    // encounter
    let (s, e) = post(&app, t, &format!("{base}/encounters"), json!({"mode": "in_community", "outcome": "completed", "occurred_at": format!("{}T00:00", d(0)), "duration_minutes": 40, "topics": ["engaging"], "note": "Met at the gate."})).await;
    assert_eq!(s, 201, "{e}");
    cases.push((
        "encounter",
        e[0]["id"].as_i64().unwrap(),
        json!({"duration_minutes": 45}),
        "duration_minutes",
        "40".into(),
        "45".into(),
    ));
    // BARC-10: the answers, and the total follows
    let (s, b) = post(
        &app,
        t,
        &format!("{base}/barc10"),
        json!({"taken_on": d(0), "answers": [4,4,4,4,4,4,4,4,4,4]}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    cases.push((
        "barc10",
        b["id"].as_i64().unwrap(),
        json!({"answers": [5,4,4,4,4,4,4,4,4,4]}),
        "answers",
        "4,4,4,4,4,4,4,4,4,4".into(),
        "5,4,4,4,4,4,4,4,4,4".into(),
    ));
    // stage of change
    let (s, st) = post(
        &app,
        t,
        &format!("{base}/stages"),
        json!({"stage": "preparation", "recorded_on": d(0)}),
    )
    .await;
    assert_eq!(s, 201, "{st}");
    cases.push((
        "stage",
        st["id"].as_i64().unwrap(),
        json!({"stage": "action"}),
        "stage",
        "preparation".into(),
        "action".into(),
    ));
    // goal and step
    let (s, g) = post(&app, t, &format!("{base}/goals"), json!({"domain": "housing", "statement": "A place of my own", "owner": "participant", "steps": [{"description": "Call the housing office"}]})).await;
    assert_eq!(s, 201, "{g}");
    cases.push((
        "goal",
        g["id"].as_i64().unwrap(),
        json!({"statement": "A flat of my own"}),
        "statement",
        "A place of my own".into(),
        "A flat of my own".into(),
    ));
    cases.push((
        "goal_step",
        g["steps"][0]["id"].as_i64().unwrap(),
        json!({"description": "Visit the housing office"}),
        "description",
        "Call the housing office".into(),
        "Visit the housing office".into(),
    ));
    // referral
    let (s, r) = post(
        &app,
        t,
        &format!("{base}/referrals"),
        json!({"referral_type": "moud", "provider_name": "Riverside", "referred_on": d(-1)}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    cases.push((
        "referral",
        r["id"].as_i64().unwrap(),
        json!({"provider_name": "Riverside Treatment Center"}),
        "provider_name",
        "Riverside".into(),
        "Riverside Treatment Center".into(),
    ));
    // follow-up
    let (s, f) = post(
        &app,
        t,
        &format!("{base}/followups"),
        json!({"point": "day30", "completed_on": d(0), "housing": "stable"}),
    )
    .await;
    assert_eq!(s, 200, "{f}");
    cases.push((
        "followup",
        f["id"].as_i64().unwrap(),
        json!({"housing": "temporary"}),
        "housing",
        "stable".into(),
        "temporary".into(),
    ));
    // checklist item (the episode ended at release: plan one on a new custody episode)
    let (s, v) = post(&app, t, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(0), "services_consent_on": d(0), "expected_release_on": d(30)})).await;
    assert_eq!(s, 201, "{v}");
    let (s, c) = post(
        &app,
        t,
        &format!("{base}/checklist"),
        json!({"kind": "naloxone", "done_on": d(0), "note": "kit given"}),
    )
    .await;
    assert_eq!(s, 200, "{c}");
    cases.push((
        "checklist_item",
        c["id"].as_i64().unwrap(),
        json!({"note": "kit and training given"}),
        "note",
        "kit given".into(),
        "kit and training given".into(),
    ));
    // GPRA interview: the whole interview, its date follows
    let (s, gp) = post(&app, t, &format!("{base}/gpra"), json!({"timepoint": "intake", "client_type": "client_in_recovery", "interview_on": d(-2), "substance_days": [], "income": []})).await;
    assert_eq!(s, 201, "{gp}");
    let mut interview = gp["interview"].clone();
    interview["interview_on"] = json!(d(-1));
    cases.push((
        "gpra_interview",
        gp["id"].as_i64().unwrap(),
        json!({"answers": interview}),
        "answers",
        String::new(),
        String::new(),
    ));
    // participant and identifier
    let pid = app.a.participant_id;
    cases.push((
        "participant",
        pid,
        json!({"language": "Spanish"}),
        "language",
        String::new(),
        "Spanish".into(),
    ));

    for (kind, id, changes, field, old, new) in &cases {
        // No reason: refused, nothing changed.
        let (s, p) = post(
            &app,
            t,
            &amend,
            json!({"record_type": kind, "record_id": id, "changes": changes}),
        )
        .await;
        assert_eq!(s, 422, "{kind}: {p}");
        let (s, rows) = post(&app, t, &amend, json!({"record_type": kind, "record_id": id, "reason": "corrected on review", "changes": changes})).await;
        assert_eq!(s, 200, "{kind}: {rows}");
        let row = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["field"] == *field)
            .unwrap_or_else(|| panic!("{kind}: {rows}"));
        if !old.is_empty() {
            assert_eq!(row["old_value"], *old, "{kind}");
        }
        if !new.is_empty() {
            assert_eq!(row["new_value"], *new, "{kind}");
        }
        assert_eq!(row["reason"], "corrected on review");
        // The same again changes nothing and says so.
        let (s, p) = post(
            &app,
            t,
            &amend,
            json!({"record_type": kind, "record_id": id, "reason": "again", "changes": changes}),
        )
        .await;
        assert_eq!(s, 422, "{kind}: {p}");
    }
    // The records carry the new values; the totals and dates that follow moved too.
    let barc = get(&app, t, &format!("{base}/barc10")).await;
    assert_eq!(barc[0]["total"], 41, "{barc}");
    let gpra = get(&app, t, &format!("{base}/gpra")).await;
    assert_eq!(gpra[0]["interview_on"], d(-1), "{gpra}");
    let stages = get(&app, t, &format!("{base}/stages")).await;
    assert_eq!(stages[0]["stage"], "action");
    let all = get(&app, t, &amend).await;
    for (kind, ..) in &cases {
        assert!(
            all.as_array()
                .unwrap()
                .iter()
                .any(|a| a["record_type"] == *kind),
            "{kind} in the history"
        );
    }
    // Another organisation neither reads nor writes the history.
    let tb = &app.b.user(Role::Peer).token;
    assert_eq!(app.get_bearer(&amend, tb).await.status(), 404);
    let (s, _) = post(&app, tb, &amend, json!({"record_type": "stage", "record_id": st["id"], "reason": "x", "changes": {"stage": "maintenance"}})).await;
    assert_eq!(s, 404);
    // A checklist re-opening and a goal's status change are kept with who and when.
    let (s, _) = post(
        &app,
        t,
        &format!("{base}/checklist"),
        json!({"kind": "naloxone", "done_on": null}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = post(
        &app,
        t,
        &format!("{base}/goals/{}", g["id"]),
        json!({"status": "in_progress"}),
    )
    .await;
    assert_eq!(s, 200);
    let all = get(&app, t, &amend).await;
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|a| a["record_type"] == "checklist_item"
                && a["field"] == "done_on"
                && a["old_value"] == d(0)
                && a["new_value"].is_null()),
        "{all}"
    );
    assert!(
        history_has(&all, "goal", "status", "not_started", "in_progress"),
        "{all}"
    );
}

/// Every POST/PUT/PATCH route under /api/v1/participants/{id}/ from the OpenAPI document is
/// classified: it either only adds records (a re-submission adds another and leaves the first
/// as it was), or it targets an existing record, and then a re-submission that would change it
/// is refused (409) or requires a reason and leaves history. A new route fails this test until
/// it is classified and exercised here.
#[tokio::test]
async fn no_participant_route_overwrites_a_recorded_value_without_an_amendment() {
    let doc = throughcare::platform::web::openapi();
    let mut writes: Vec<String> = Vec::new();
    for (path, item) in &doc.paths.paths {
        if !path.starts_with("/api/v1/participants/{id}") {
            continue;
        }
        for (m, present) in [
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ] {
            if present {
                writes.push(format!("{m} {path}"));
            }
        }
    }
    writes.sort();
    // Routes that only add records: what they wrote before is not touched by a re-submission.
    let adds = [
        // each appointment is a row; a new day is a new appointment (the old one cancelled)
        "POST /api/v1/participants/{id}/appointments",
        "POST /api/v1/participants/{id}/barc10",
        // each coverage is a row of its own; a funding source set again is a new row, the
        // earlier kept and naming the one that replaced it
        "POST /api/v1/participants/{id}/billing/coverages",
        "POST /api/v1/participants/{id}/billing/funding",
        "POST /api/v1/participants/{id}/custody-events",
        "POST /api/v1/participants/{id}/encounters",
        "POST /api/v1/participants/{id}/episodes",
        "POST /api/v1/participants/{id}/goals",
        "POST /api/v1/participants/{id}/gpra",
        // each overdose learned of is a dated row; a correction is a new one
        "POST /api/v1/participants/{id}/overdoses",
        "POST /api/v1/participants/{id}/referrals",
        // each screening, warm handoff and MOUD record is a row of its own; a later one stands beside it
        "POST /api/v1/participants/{id}/reentry/handoffs",
        "POST /api/v1/participants/{id}/reentry/moud",
        "POST /api/v1/participants/{id}/reentry/screenings",
        "POST /api/v1/participants/{id}/stages",
        // each message to the participant is a row of its own (the thread)
        "POST /api/v1/participants/{id}/messages",
    ];
    // Routes about something other than a recorded answer, each keeping its own history.
    let not_answers = [
        // who the assigned peer is: audited, not a record about the person
        "POST /api/v1/participants/{id}/assign",
        // closes the open episode; a second discharge is refused (no open episode)
        "POST /api/v1/participants/{id}/episodes/discharge",
        // merges are kept and reversible
        "POST /api/v1/participants/{id}/merge",
        "POST /api/v1/participants/{id}/merges/{merge_id}/undo",
        // adds a consent; consents are revoked, never edited (their own module)
        "POST /api/v1/participants/{id}/consents",
        // every status change is appended to the referral's history
        "POST /api/v1/participants/{id}/referrals/{referral_id}/status",
        // an opt-in to messages is a row; a new one ends the one before (kept, `replaced`),
        // and ending one (a STOP told to staff) sets when and how, never deletes
        "POST /api/v1/participants/{id}/messages/optin",
        "DELETE /api/v1/participants/{id}/messages/optin",
        // an appointment's outcome is written once: a second is refused with 409 and the first
        // stands (messages.rs, appointments_are_reminded_…)
        "POST /api/v1/participants/{id}/appointments/{appointment_id}/outcome",
    ];
    // Routes that target an existing record: exercised below.
    let targets = [
        "POST /api/v1/participants/{id}/identity",
        "POST /api/v1/participants/{id}/amendments",
        "POST /api/v1/participants/{id}/checklist",
        "POST /api/v1/participants/{id}/checklist/not-applicable",
        "POST /api/v1/participants/{id}/followups",
        "POST /api/v1/participants/{id}/followups/{point}/amendments",
        "POST /api/v1/participants/{id}/goals/{goal_id}",
    ];
    let unclassified: Vec<&String> = writes
        .iter()
        .filter(|w| {
            !adds.contains(&w.as_str())
                && !not_answers.contains(&w.as_str())
                && !targets.contains(&w.as_str())
        })
        .collect();
    assert!(
        unclassified.is_empty(),
        "classify these participant write routes: {unclassified:?}"
    );
    for t in targets {
        assert!(
            writes.iter().any(|w| w == t),
            "{t} is in the OpenAPI document"
        );
    }

    let app = spawn_app().await;
    let t = &app.a.user(Role::Peer).token;
    let base = released(&app).await;
    // followups: a re-submission is a 409.
    let body = json!({"point": "day30", "completed_on": d(0), "employed": true});
    assert_eq!(
        post(&app, t, &format!("{base}/followups"), body.clone())
            .await
            .0,
        200
    );
    let (s, _) = post(
        &app,
        t,
        &format!("{base}/followups"),
        json!({"point": "day30", "completed_on": d(0), "employed": false}),
    )
    .await;
    assert_eq!(s, 409);
    // the amendment routes: a reason is required, and history is left.
    let (s, _) = post(
        &app,
        t,
        &format!("{base}/followups/day30/amendments"),
        json!({"changes": {"employed": false}}),
    )
    .await;
    assert_eq!(s, 422);
    let (s, _) = post(
        &app,
        t,
        &format!("{base}/followups/day30/amendments"),
        json!({"reason": "r", "changes": {"employed": false}}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = post(&app, t, &format!("{base}/amendments"), json!({"record_type": "participant", "record_id": app.a.participant_id, "changes": {"first_name": "Jordyn"}})).await;
    assert_eq!(s, 422);
    // identity: a recorded value changes only with a reason.
    let (s, p) = send(
        &app,
        "POST",
        t,
        &format!("{base}/identity"),
        json!({"changes": {"first_name": "Jordyn"}}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(p["errors"][0]["field"], "reason");
    // checklist: a new custody episode plans one; the done date moved needs a reason.
    let (s, _) = post(&app, t, &format!("{base}/episodes"), json!({"setting": "short_term", "started_on": d(0), "services_consent_on": d(0), "expected_release_on": d(30)})).await;
    assert_eq!(s, 201);
    assert_eq!(
        post(
            &app,
            t,
            &format!("{base}/checklist"),
            json!({"kind": "naloxone", "done_on": d(0), "note": "kit given"})
        )
        .await
        .0,
        200
    );
    let (s, p) = post(
        &app,
        t,
        &format!("{base}/checklist"),
        json!({"kind": "naloxone", "done_on": d(-1)}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let (s, p) = post(
        &app,
        t,
        &format!("{base}/checklist"),
        json!({"kind": "naloxone", "done_on": d(0), "note": "other"}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let (s, _) = post(
        &app,
        t,
        &format!("{base}/checklist"),
        json!({"kind": "naloxone", "done_on": d(-1), "reason": "given the day before"}),
    )
    .await;
    assert_eq!(s, 200);
    // not applicable: a changed reason keeps the earlier one in the history.
    for reason in ["Family drives", "Family drives; bus fare as a fallback"] {
        let (s, v) = post(
            &app,
            t,
            &format!("{base}/checklist/not-applicable"),
            json!({"kind": "transport_from_gate", "reason": reason}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
    }
    let all = get(&app, t, &format!("{base}/amendments")).await;
    assert!(
        history_has(
            &all,
            "checklist_item",
            "not_applicable_reason",
            "Family drives",
            "Family drives; bus fare as a fallback"
        ),
        "{all}"
    );
    // goals: a step's done date moved needs a reason; status changes leave history.
    let (s, g) = post(
        &app,
        t,
        &format!("{base}/goals"),
        json!({"domain": "housing", "statement": "A place", "steps": [{"description": "Call"}]}),
    )
    .await;
    assert_eq!(s, 201);
    let goal = format!("{base}/goals/{}", g["id"]);
    let step = g["steps"][0]["id"].clone();
    assert_eq!(
        post(
            &app,
            t,
            &goal,
            json!({"step_done_id": step, "done_on": d(0)})
        )
        .await
        .0,
        200
    );
    let (s, _) = post(
        &app,
        t,
        &goal,
        json!({"step_done_id": step, "done_on": d(-1)}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        post(&app, t, &goal, json!({"status": "in_progress"}))
            .await
            .0,
        200
    );
    assert_eq!(post(&app, t, &goal, json!({"status": "done"})).await.0, 200);
    let all = get(&app, t, &format!("{base}/amendments")).await;
    for (rt, field, old, new) in [
        ("followup", "employed", "true", "false"),
        ("checklist_item", "done_on", d(0).as_str(), d(-1).as_str()),
        ("goal", "status", "not_started", "in_progress"),
        ("goal", "status", "in_progress", "done"),
    ] {
        assert!(
            history_has(&all, rt, field, old, new),
            "{rt}.{field}: {all}"
        );
    }
    let fus = get(&app, t, &format!("{base}/followups")).await;
    assert_eq!(fus[0]["employed"], false);
}

#[tokio::test]
async fn identity_is_corrected_with_history_and_identifiers_are_shown_as_typed() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let t = &peer.token;
    let base = format!("/api/v1/participants/{}", app.a.participant_id);
    let (s, out) = send(&app, "POST", t, &format!("{base}/identity"), json!({
        "reason": "name misspelt at intake",
        "changes": {"first_name": "Jordyn", "pronouns": "they/them", "language": "Spanish"},
        "add_identifiers": [{"kind": "booking_number", "value": "BK-UX-001"}, {"kind": "state_id", "value": "din 04-a-1234"}]
    })).await;
    assert_eq!(s, 200, "{out}");
    assert_eq!(out["participant"]["first_name"], "Jordyn");
    assert!(
        history_has(
            &out["amendments"],
            "participant",
            "first_name",
            "Jordan",
            "Jordyn"
        ),
        "{out}"
    );
    let rec = get(&app, t, &base).await;
    let shown: Vec<&str> = rec["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["value"].as_str().unwrap())
        .collect();
    assert!(shown.contains(&"BK-UX-001"), "as typed: {rec}");
    assert!(shown.contains(&"din 04-a-1234"), "as typed: {rec}");
    assert!(history_has(
        &rec["amendments"],
        "participant",
        "first_name",
        "Jordan",
        "Jordyn"
    ));
    assert!(
        rec["amendments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["record_type"] == "identifier" && a["new_value"] == "BK-UX-001"),
        "the addition is in the history: {rec}"
    );
    // Correct an identifier as typed: the earlier one is kept.
    let ident = rec["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["value"] == "BK-UX-001")
        .unwrap()["id"]
        .clone();
    let (s, out) = send(
        &app,
        "POST",
        t,
        &format!("{base}/identity"),
        json!({"identifiers": [{"id": ident, "value": "BK-UX-0011"}]}),
    )
    .await;
    assert_eq!(
        s, 422,
        "replacing a recorded identifier needs a reason: {out}"
    );
    let (s, out) = send(
        &app,
        "POST",
        t,
        &format!("{base}/identity"),
        json!({"reason": "digit missed", "identifiers": [{"id": ident, "value": "BK-UX-0011"}]}),
    )
    .await;
    assert_eq!(s, 200, "{out}");
    assert!(
        history_has(
            &out["amendments"],
            "identifier",
            "typed_value",
            "BK-UX-001",
            "BK-UX-0011"
        ),
        "{out}"
    );
    // The page shows them as typed, and the history; the page form corrects too.
    let sess = app.signed_in(&peer.email).await;
    let page = format!("/participants/{}", app.a.participant_id);
    let html = sess.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("BK-UX-0011") && html.contains("din 04-a-1234"),
        "as typed on the page"
    );
    assert!(html.contains("(name misspelt at intake): First name: Jordan → Jordyn"));
    let r = sess
        .post_form(
            &format!("{page}/identity"),
            &[
                ("first_name", "Jordyn"),
                ("last_name", "Rivera-Diaz"),
                ("date_of_birth", "1988-04-12"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        422,
        "a recorded last name changes only with a reason"
    );
    let r = sess
        .post_form(
            &format!("{page}/identity"),
            &[
                ("first_name", "Jordyn"),
                ("last_name", "Rivera-Diaz"),
                ("date_of_birth", "1988-04-12"),
                ("reason", "double-barrelled surname"),
            ],
        )
        .await;
    assert!(r.status() == 303 || r.status() == 200, "{}", r.status());
    let rec = get(&app, t, &base).await;
    assert_eq!(rec["last_name"], "Rivera-Diaz");
    let all = get(&app, t, &format!("{base}/amendments")).await;
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|a| a["field"] == "last_name"
                && a["new_value"] == "Rivera-Diaz"
                && a["reason"] == "double-barrelled surname"
                && a["old_value"].is_string()),
        "{all}"
    );
}

#[tokio::test]
async fn a_name_correction_runs_the_duplicate_check_again() {
    let app = spawn_app().await;
    let t = &app.a.user(Role::Peer).token;
    let seeded = get(
        &app,
        t,
        &format!("/api/v1/participants/{}", app.a.participant_id),
    )
    .await;
    // Someone enrolled under a misspelt name and another date of birth: not a likely duplicate.
    let (s, other) = post(
        &app,
        t,
        "/api/v1/participants",
        json!({"first_name": "Xavier", "last_name": "Quill", "date_of_birth": "1990-07-20", "identifiers": [{"kind": "booking_number", "value": "BK-UX-001"}]}),
    )
    .await;
    assert_eq!(s, 201, "{other}");
    let oid = other["id"].as_i64().unwrap();
    let path = format!("/api/v1/participants/{oid}");
    // Enrolled identifiers are kept as typed too.
    let rec = get(&app, t, &path).await;
    assert_eq!(rec["identifiers"][0]["value"], "BK-UX-001", "{rec}");
    assert_eq!(rec["identifiers"][0]["normalised"], "BKUX001", "{rec}");
    let (s, out) = send(&app, "POST", t, &format!("{path}/identity"), json!({"reason": "wrong person's details typed", "changes": {"first_name": seeded["first_name"], "last_name": seeded["last_name"], "date_of_birth": seeded["date_of_birth"]}})).await;
    assert_eq!(s, 200, "{out}");
    let dups = out["likely_duplicates"].as_array().unwrap();
    assert!(
        dups.iter().any(|c| c["id"] == app.a.participant_id),
        "the corrected identity is flagged as a likely duplicate: {out}"
    );
    assert!(dups.iter().all(|c| c["id"] != oid), "not itself");
}

#[tokio::test]
async fn a_roster_name_and_date_of_birth_match_adds_the_booking_number_as_typed() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let (s, _) = post(
        &app,
        &admin.token,
        "/api/v1/facilities",
        json!({"name": "Lakeview County Jail", "kind": "jail", "setting": "short"}),
    )
    .await;
    assert_eq!(s, 201);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    let header = "booking_number,last_name,first_name,date_of_birth,booking_date,expected_release_date,release_date";
    let run = |text: String| {
        std::fs::write(&file, text).unwrap();
        let out = app.cli(&[
            "import",
            "roster",
            file.to_str().unwrap(),
            "--org",
            "org-a",
            "--facility",
            "Lakeview County Jail",
            "--create-unmatched",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    run(format!(
        "{header}\nBK-1,Okafor,Dana,1985-02-03,{},,\n",
        d(-30)
    ));
    // Booked again under a new number: matched by name and date of birth.
    run(format!(
        "{header}\nbk-ux-002,Okafor,Dana,1985-02-03,{},,\n",
        d(-2)
    ));
    run(format!(
        "{header}\nbk-ux-002,Okafor,Dana,1985-02-03,{},,\n",
        d(-2)
    ));
    let t = &admin.token;
    let list = get(&app, t, "/api/v1/participants?name=Okafor").await;
    assert_eq!(list.as_array().unwrap().len(), 1, "one person: {list}");
    let rec = get(&app, t, &format!("/api/v1/participants/{}", list[0]["id"])).await;
    let numbers: Vec<&str> = rec["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        numbers,
        ["BK-1", "bk-ux-002"],
        "added once, as typed: {rec}"
    );
    assert!(
        rec["amendments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["new_value"] == "bk-ux-002"
                && a["reason"].as_str().unwrap().contains("roster row 2")),
        "{rec}"
    );
}
