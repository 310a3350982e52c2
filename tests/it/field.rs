//! Field safety (issue 18 item 1): a peer checks in before a community visit; an overdue
//! check-out alerts the supervisor and, 30 minutes later, the programme's admins (the backup);
//! "need help" alerts both at once; safety notes are never shown to partners.

use chrono::Duration;
use diesel::RunQueryDsl;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::time;

use crate::helpers::{TestApp, spawn_app};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app.post_bearer(path, token, body).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn board(app: &TestApp, token: &str) -> Value {
    let r = app.get_bearer("/api/v1/field/visits", token).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn in_minutes(m: i64) -> String {
    (time::now() + Duration::minutes(m))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Time passes: the visit's expected end moves `minutes` into the past.
fn ended_ago(app: &TestApp, id: i64, minutes: i64) {
    let at = time::now() - Duration::minutes(minutes);
    let mut conn = app.state.db.conn().unwrap();
    diesel::sql_query("UPDATE field_visits SET expected_end_at = $1 WHERE id = $2")
        .bind::<diesel::sql_types::Timestamp, _>(at)
        .bind::<diesel::sql_types::BigInt, _>(id)
        .execute(&mut conn)
        .unwrap();
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

fn states(b: &Value, list: &str) -> Vec<String> {
    b[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["state"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn an_overdue_check_out_alerts_the_supervisor_then_escalates_to_the_backup() {
    let app = spawn_app().await;
    put_on_team(&app);
    let peer = &app.a.user(Role::Peer).token;
    let sup = &app.a.user(Role::Supervisor).token;
    let admin = &app.a.user(Role::Admin).token;
    // Refused input names each field; nothing is stored.
    let (s, p) = post(
        &app,
        peer,
        "/api/v1/field/visits",
        json!({"place": " ", "expected_end_at": in_minutes(-5)}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let mut wrong: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    wrong.sort_unstable();
    assert_eq!(wrong, ["expected_end_at", "place"], "{p}");
    let (s, p) = post(
        &app,
        peer,
        "/api/v1/field/visits",
        json!({"place": "Elm St 12", "expected_end_at": in_minutes(60 * 13)}),
    )
    .await;
    assert_eq!(s, 422, "more than 12 hours ahead: {p}");

    let (s, v) = post(&app, peer, "/api/v1/field/visits", json!({"place": "Elm St 12, apt 3", "with_whom": "Ana", "expected_end_at": in_minutes(60), "safety_note": "dog in the yard"})).await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["state"], "open");
    assert_eq!(states(&board(&app, peer).await, "mine"), ["open"]);
    assert!(
        states(&board(&app, sup).await, "alerts").is_empty(),
        "not yet due"
    );

    // Ten minutes past the expected end: the supervisor sees it, the backup not yet.
    ended_ago(&app, id, 10);
    let b = board(&app, sup).await;
    assert_eq!(states(&b, "alerts"), ["overdue"], "{b}");
    assert_eq!(b["alerts"][0]["safety_note"], "dog in the yard");
    assert!(states(&board(&app, admin).await, "alerts").is_empty());
    let home = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    let page = home.get("/").await.text().await.unwrap();
    assert!(page.contains("data-field-alert=\"overdue\""), "{page}");

    // Forty minutes past: escalated, and the admins see it too.
    ended_ago(&app, id, 40);
    assert_eq!(states(&board(&app, sup).await, "alerts"), ["escalated"]);
    assert_eq!(states(&board(&app, admin).await, "alerts"), ["escalated"]);

    // Checked out: every alert ends; someone else cannot check it out.
    let (s, _) = post(
        &app,
        sup,
        &format!("/api/v1/field/visits/{id}/check-out"),
        json!(null),
    )
    .await;
    assert_eq!(s, 404, "only the peer checks out of their visit");
    let (s, v) = post(
        &app,
        peer,
        &format!("/api/v1/field/visits/{id}/check-out"),
        json!(null),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["state"], "ended");
    assert!(states(&board(&app, sup).await, "alerts").is_empty());
    assert!(states(&board(&app, admin).await, "alerts").is_empty());
    assert!(states(&board(&app, peer).await, "mine").is_empty());
}

#[tokio::test]
async fn need_help_alerts_at_once_and_partners_never_see_a_visit() {
    let app = spawn_app().await;
    put_on_team(&app);
    let peer = &app.a.user(Role::Peer).token;
    let sup = &app.a.user(Role::Supervisor).token;
    let admin = &app.a.user(Role::Admin).token;
    let (_, v) = post(&app, peer, "/api/v1/field/visits", json!({"place": "Riverside motel, room 9", "expected_end_at": in_minutes(90), "safety_note": "ex-partner may be there"})).await;
    let id = v["id"].as_i64().unwrap();
    let (s, h) = post(
        &app,
        peer,
        &format!("/api/v1/field/visits/{id}/help"),
        json!({"note": "raised voices, leaving"}),
    )
    .await;
    assert_eq!(s, 200, "{h}");
    assert_eq!(h["state"], "help");
    // Well before the expected end, the supervisor and the backup see it.
    for t in [sup, admin] {
        let b = board(&app, t).await;
        assert_eq!(states(&b, "alerts"), ["help"], "{b}");
        assert_eq!(b["alerts"][0]["help_note"], "raised voices, leaving");
        assert_eq!(b["alerts"][0]["place"], "Riverside motel, room 9");
    }
    // Partners and auditors: refused, and nothing they can reach holds the note.
    for (org, role) in [("a", Role::Team), ("a", Role::Auditor), ("b", Role::Team)] {
        let t = if org == "a" {
            &app.a.user(role).token
        } else {
            &app.b.user(role).token
        };
        let r = app.get_bearer("/api/v1/field/visits", t).await;
        assert_eq!(r.status(), 403, "{org} {role:?}");
        assert!(!r.text().await.unwrap().contains("ex-partner"));
        let (s, _) = post(
            &app,
            t,
            &format!("/api/v1/field/visits/{id}/check-out"),
            json!(null),
        )
        .await;
        assert_eq!(s, 403);
    }
    // Another organisation's peer finds no such visit.
    let (s, _) = post(
        &app,
        &app.b.user(Role::Peer).token,
        &format!("/api/v1/field/visits/{id}/help"),
        json!({}),
    )
    .await;
    assert_eq!(s, 404);
    let team = app.signed_in(&app.a.user(Role::Team).email).await;
    let page = team.get("/").await.text().await.unwrap();
    assert!(!page.contains("ex-partner") && !page.contains("data-home-section=\"field"));

    // The peer's home page: the open visit with check-out; checking out from the page.
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    let page = s.get("/").await.text().await.unwrap();
    assert!(page.contains("data-field-visit=\"help\""), "{page}");
    let r = s
        .post_form(&format!("/field/visits/{id}/check-out"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let page = s.get("/").await.text().await.unwrap();
    assert!(
        page.contains("action=\"/field/check-in\""),
        "the check-in form is back"
    );
    // A refused check-in from the page (it ends in the past): the home page again, 422, what was typed kept and the wrong field named.
    let r = s
        .post_form(
            "/field/check-in",
            &[
                ("place", "Maple Ct 7"),
                ("with_whom", "José"),
                ("expected_end_at", "2020-01-01T10:00"),
                ("safety_note", "buzzer broken"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"field-errors\""), "{page}");
    assert!(page.contains("href=\"#fv-expected_end_at\""), "{page}");
    for typed in ["Maple Ct 7", "José", "2020-01-01T10:00", "buzzer broken"] {
        assert!(page.contains(typed), "{typed} kept: {page}");
    }
}

#[tokio::test]
async fn the_backup_is_alerted_after_the_programmes_own_escalation_time() {
    let app = spawn_app().await;
    put_on_team(&app);
    let peer = &app.a.user(Role::Peer).token;
    let sup = &app.a.user(Role::Supervisor).token;
    let admin = &app.a.user(Role::Admin).token;
    let put = |token: &str, body: Value| {
        let req = app
            .api()
            .put(format!("{}/api/v1/field/settings", app.url))
            .bearer_auth(token)
            .json(&body);
        async move {
            let r = req.send().await.unwrap();
            let s = r.status().as_u16();
            (s, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let r = app.get_bearer("/api/v1/field/settings", peer).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap()["escalate_after_minutes"],
        30
    );

    // Only an admin sets it, within 5 to 240 minutes; a refused value changes nothing.
    let (s, _) = put(sup, json!({"escalate_after_minutes": 10})).await;
    assert_eq!(s, 403);
    for wrong in [4, 241] {
        let (s, p) = put(admin, json!({"escalate_after_minutes": wrong})).await;
        assert_eq!(s, 422, "{p}");
        assert_eq!(p["errors"][0]["field"], "escalate_after_minutes", "{p}");
    }
    let (s, p) = put(admin, json!({"escalate_after_minutes": 10})).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["escalate_after_minutes"], 10);

    // Fifteen minutes overdue: with 10 minutes set, the backup already sees it.
    let (_, v) = post(
        &app,
        peer,
        "/api/v1/field/visits",
        json!({"place": "Oak Ave 4", "expected_end_at": in_minutes(60)}),
    )
    .await;
    let id = v["id"].as_i64().unwrap();
    ended_ago(&app, id, 15);
    assert_eq!(states(&board(&app, sup).await, "alerts"), ["escalated"]);
    assert_eq!(states(&board(&app, admin).await, "alerts"), ["escalated"]);
    assert_eq!(board(&app, peer).await["escalate_after_minutes"], 10);

    // An admin sets 60 from the admin page; the same visit is back to the supervisor alone.
    let admin_page = app.signed_in(&app.a.user(Role::Admin).email).await;
    let r = admin_page
        .post_form(
            "/admin/settings/field",
            &[("escalate_after_minutes", "abc")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("field-escalate_after_minutes"), "{page}");
    let r = admin_page
        .post_form("/admin/settings/field", &[("escalate_after_minutes", "60")])
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("value=\"60\""), "{page}");
    assert_eq!(states(&board(&app, sup).await, "alerts"), ["overdue"]);
    assert!(states(&board(&app, admin).await, "alerts").is_empty());
    // Once checked out, the peer's home page says when the admins are alerted.
    let (s, _) = post(
        &app,
        peer,
        &format!("/api/v1/field/visits/{id}/check-out"),
        json!(null),
    )
    .await;
    assert_eq!(s, 200);
    let home = app.signed_in(&app.a.user(Role::Peer).email).await;
    assert!(
        home.get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("60 minutes")
    );

    // Each setting is kept, and each change is in the audit log with the value before it.
    let mut conn = app.state.db.conn().unwrap();
    let kept: Vec<i32> = {
        use diesel::prelude::*;
        use throughcare::field::schema::field_settings;
        field_settings::table
            .order(field_settings::set_at)
            .select(field_settings::escalate_after_minutes)
            .load(&mut conn)
            .unwrap()
    };
    assert_eq!(kept, [10, 60]);
    let details: Vec<String> = {
        use diesel::prelude::*;
        use throughcare::platform::schema::audit_log;
        audit_log::table
            .filter(audit_log::action.eq("settings.field_safety"))
            .order(audit_log::seq)
            .select(audit_log::detail)
            .load(&mut conn)
            .unwrap()
    };
    assert_eq!(
        details,
        [
            "escalate after 30 -> 10 minutes",
            "escalate after 10 -> 60 minutes"
        ]
    );
}

#[tokio::test]
async fn overdue_check_outs_and_calls_for_help_are_emailed_once_in_the_readers_language() {
    use throughcare::field::alerts;
    use throughcare::messages::email::Smtp;

    let smtp = crate::messages::smtp_server();
    let port = smtp.port;
    let app = crate::helpers::spawn_app_with(|c| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = port;
        c.smtp_tls = "none".into();
        c.smtp_from = "alerts@throughcare.example.org".into();
        c.jobs_every_seconds = 0;
    })
    .await;
    put_on_team(&app);
    let relay = Smtp::from_config(&app.config);
    let db = app.state.db.clone();
    let sup = app.a.user(Role::Supervisor);
    let peer = &app.a.user(Role::Peer).token;
    {
        // The supervisor reads Spanish.
        let mut conn = app.state.db.conn().unwrap();
        diesel::sql_query(format!(
            "UPDATE users SET language = 'es' WHERE id = {}",
            sup.id
        ))
        .execute(&mut conn)
        .unwrap();
    }
    let admins: Vec<String> = {
        use diesel::prelude::*;
        use throughcare::platform::schema::users;
        let mut conn = app.state.db.conn().unwrap();
        let org: i64 = users::table
            .find(sup.id)
            .select(users::org_id)
            .first(&mut conn)
            .unwrap();
        users::table
            .filter(users::org_id.eq(org))
            .filter(users::role.eq("admin"))
            .filter(users::disabled_at.is_null())
            .select(users::email)
            .load(&mut conn)
            .unwrap()
    };
    assert!(!admins.is_empty());
    let to = |raw: &str| -> String {
        raw.lines()
            .find(|l| l.to_ascii_lowercase().starts_with("to:"))
            .unwrap_or_default()
            .to_string()
    };

    let (_, v) = post(&app, peer, "/api/v1/field/visits", json!({"place": "Cedar Rd 19", "with_whom": "Ana", "expected_end_at": in_minutes(60), "safety_note": "side door only"})).await;
    let id = v["id"].as_i64().unwrap();
    // Open and not yet due: nothing is owed.
    let run = alerts::tick(&db, relay.as_ref(), "one", time::now()).await;
    assert_eq!((run.items, run.error.as_str()), (0, ""));
    assert!(smtp.delivered().is_empty());

    // Ten minutes overdue: the supervisor, once, in Spanish, with where the peer went.
    ended_ago(&app, id, 10);
    let run = alerts::tick(&db, relay.as_ref(), "one", time::now()).await;
    assert_eq!((run.items, run.error.as_str()), (1, ""));
    alerts::tick(&db, relay.as_ref(), "one", time::now()).await;
    let mail = smtp.delivered();
    assert_eq!(mail.len(), 1, "once, however many runs");
    assert!(to(&mail[0]).contains(&sup.email), "{}", mail[0]);
    let (_, body) = crate::messages::parts(&mail[0]);
    assert!(body.contains("no ha registrado la salida"), "{body}");
    assert!(
        body.contains("Cedar Rd 19") && body.contains("side door only"),
        "{body}"
    );

    // Escalated, with two instances running the job at the same moment: each admin once.
    ended_ago(&app, id, 40);
    let now = time::now();
    let (a, b) = tokio::join!(
        alerts::tick(&db, relay.as_ref(), "a", now),
        alerts::tick(&db, relay.as_ref(), "b", now)
    );
    assert_eq!(a.items + b.items, i32::try_from(admins.len()).unwrap());
    let mail = smtp.delivered();
    assert_eq!(mail.len(), 1 + admins.len());
    for admin in &admins {
        assert_eq!(
            mail.iter()
                .filter(|m| to(m).contains(admin.as_str()))
                .count(),
            1,
            "{admin}"
        );
    }

    // Checked out: nothing more. A call for help on a new visit: the supervisor and the
    // admins at once, well before its end.
    post(
        &app,
        peer,
        &format!("/api/v1/field/visits/{id}/check-out"),
        json!(null),
    )
    .await;
    let (_, v) = post(
        &app,
        peer,
        "/api/v1/field/visits",
        json!({"place": "Bus depot", "expected_end_at": in_minutes(120)}),
    )
    .await;
    let help = v["id"].as_i64().unwrap();
    post(
        &app,
        peer,
        &format!("/api/v1/field/visits/{help}/help"),
        json!({"note": "followed from the stop"}),
    )
    .await;
    let run = alerts::tick(&db, relay.as_ref(), "one", time::now()).await;
    assert_eq!(run.items, i32::try_from(1 + admins.len()).unwrap());
    let mail = smtp.delivered();
    assert_eq!(mail.len(), 2 * (1 + admins.len()));
    // The maildir's order is not the order of sending: find the call for help by its words.
    let last_to_supervisor = mail
        .iter()
        .filter(|m| to(m).contains(&sup.email))
        .map(|m| crate::messages::parts(m).1)
        .find(|body| body.contains("pidió ayuda"))
        .unwrap_or_default();
    assert!(
        last_to_supervisor.contains("pidió ayuda")
            && last_to_supervisor.contains("followed from the stop"),
        "{last_to_supervisor}"
    );
}
