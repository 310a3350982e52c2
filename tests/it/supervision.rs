//! Supervision that develops people (decision 0051), over the API on both backends: a session is
//! signed by its supervisor and its peer (nobody else; each once), an amendment keeps the prior
//! value and asks for both signatures again; competency reviews come back as a history, oldest
//! first, with their ratings; ethics consultations held with a supervisor count toward the
//! credential's supervision hours (against a figure worked out by hand); partners and auditors
//! are refused.

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
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    send(app, "POST", token, path, body).await
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let r = app.get_bearer(path, token).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn day(offset: i64) -> String {
    (time::today() + Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

fn fields(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The seeded peer of A on the seeded supervisor's team.
async fn on_team(app: &TestApp) {
    let sup = app.a.user(Role::Supervisor).id;
    let peer = app.a.user(Role::Peer).id;
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use throughcare::platform::schema::users;
        let mut c = db.conn().unwrap();
        diesel::update(users::table.find(peer))
            .set(users::supervisor_id.eq(Some(sup)))
            .execute(&mut c)
            .unwrap();
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_session_is_signed_by_its_supervisor_and_its_peer_and_an_amendment_asks_again() {
    let app = spawn_app().await;
    on_team(&app).await;
    let sup = app.a.user(Role::Supervisor);
    let peer = app.a.user(Role::Peer);
    let admin = app.a.user(Role::Admin);
    let (s, v) = post(
        &app,
        &sup.token,
        &format!("/api/v1/peers/{}/supervision", peer.id),
        json!({"held_on": day(-7), "format": "individual", "minutes": 90,
               "topics": ["crisis", "engaging", "crisis"], "action_items": "Boundaries with a former cellmate"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(
        (v["minutes"].as_i64(), v["hours"].as_f64()),
        (Some(90), Some(1.5))
    );
    assert!(v["supervisor_signed_at"].is_null() && v["peer_signed_at"].is_null());
    let id = v["id"].as_i64().unwrap();
    let path = format!("/api/v1/supervision/{id}");

    // Hours and minutes given together must agree; a length is required.
    let (s, v) = post(
        &app,
        &sup.token,
        &format!("/api/v1/peers/{}/supervision", peer.id),
        json!({"held_on": day(-1), "format": "individual", "hours": 2.0, "minutes": 90}),
    )
    .await;
    assert_eq!((s, fields(&v)), (422, vec!["hours".to_string()]), "{v}");
    let (s, v) = post(
        &app,
        &sup.token,
        &format!("/api/v1/peers/{}/supervision", peer.id),
        json!({"held_on": day(-1), "format": "individual"}),
    )
    .await;
    assert_eq!((s, fields(&v)), (422, vec!["minutes".to_string()]), "{v}");

    let (s, d) = get(&app, &sup.token, &path).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["sign_off"], "unsigned");
    // The competencies discussed, once each, in SAMHSA's order (the join table).
    assert_eq!(d["competencies"], json!(["engaging", "crisis"]));

    // Nobody but the two parties signs: not a partner or an auditor (403), not the programme's
    // admin, who may read the session but was not in it (403), not another organisation (404),
    // not another peer of the programme (404: they may not see it).
    for (token, want) in [
        (&app.a.user(Role::Team).token, 403),
        (&app.a.user(Role::Auditor).token, 403),
        (&admin.token, 403),
        (&app.b.user(Role::Supervisor).token, 404),
        (&app.b.user(Role::Peer).token, 404),
    ] {
        let (s, v) = post(&app, token, &format!("{path}/sign"), json!({})).await;
        assert_eq!(s, want, "{v}");
    }
    let other = app.add_peers(admin.id, "Other Peer", 0..1, |_| None).await[0];
    let other_token = token_for(&app, other).await;
    let (s, v) = post(&app, &other_token, &format!("{path}/sign"), json!({})).await;
    assert_eq!(s, 404, "{v}");
    assert_eq!(get(&app, &sup.token, &path).await.1["sign_off"], "unsigned");

    // The peer signs (once), then the supervisor: signed by both, each with who and when.
    let (s, v) = post(&app, &peer.token, &format!("{path}/sign"), json!({})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["sign_off"], "awaiting_supervisor");
    assert_eq!(v["session"]["peer_signed_by"].as_i64(), Some(peer.id));
    assert!(v["session"]["peer_signed_at"].is_string());
    let (s, _) = post(&app, &peer.token, &format!("{path}/sign"), json!({})).await;
    assert_eq!(s, 409);
    let (s, v) = post(&app, &sup.token, &format!("{path}/sign"), json!({})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["sign_off"], "signed");
    assert_eq!(v["session"]["supervisor_signed_by"].as_i64(), Some(sup.id));

    // A signed session changes only by an amendment: the peer may not amend it (403), nor a
    // partner; the supervisor amends it with a reason; the prior value (signatures included)
    // is kept, and both signatures are asked for again.
    let amended = json!({"reason": "Length was 60 minutes, not 90",
        "session": {"held_on": day(-7), "format": "individual", "minutes": 60, "topics": ["crisis"],
                    "action_items": "Boundaries with a former cellmate"}});
    for token in [
        &peer.token,
        &app.a.user(Role::Team).token,
        &app.a.user(Role::Auditor).token,
    ] {
        let (s, _) = send(&app, "PUT", token, &path, amended.clone()).await;
        assert_eq!(s, 403);
    }
    let (s, v) = send(
        &app,
        "PUT",
        &sup.token,
        &path,
        json!({"reason": " ", "session": amended["session"]}),
    )
    .await;
    assert_eq!((s, fields(&v)), (422, vec!["reason".to_string()]), "{v}");
    let (s, v) = send(&app, "PUT", &sup.token, &path, amended.clone()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["sign_off"], "unsigned");
    assert_eq!(
        (
            v["session"]["minutes"].as_i64(),
            v["session"]["hours"].as_f64()
        ),
        (Some(60), Some(1.0))
    );
    assert!(v["session"]["amended_at"].is_string());
    assert_eq!(v["competencies"], json!(["crisis"]));
    let am = v["amendments"].as_array().unwrap();
    assert_eq!(am.len(), 1);
    assert_eq!(am[0]["amended_by"].as_i64(), Some(sup.id));
    assert_eq!(am[0]["reason"], "Length was 60 minutes, not 90");
    let prior: Value = serde_json::from_str(am[0]["prior"].as_str().unwrap()).unwrap();
    assert_eq!(prior["minutes"].as_i64(), Some(90));
    assert_eq!(prior["hours"].as_f64(), Some(1.5));
    assert_eq!(prior["peer_signed_by"].as_i64(), Some(peer.id));
    assert_eq!(prior["supervisor_signed_by"].as_i64(), Some(sup.id));
    // `topics` keeps the order given (as it always has); the join table is in SAMHSA's order.
    assert_eq!(prior["topics"], "crisis,engaging");

    // Both sign again; the peer's record shows the signed session.
    for t in [&sup.token, &peer.token] {
        assert_eq!(
            post(&app, t, &format!("{path}/sign"), json!({})).await.0,
            200
        );
    }
    let (_, rec) = get(
        &app,
        &peer.token,
        &format!("/api/v1/peers/{}/workforce", peer.id),
    )
    .await;
    let session = rec["supervision"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"].as_i64() == Some(id))
        .unwrap()
        .clone();
    assert!(session["peer_signed_at"].is_string() && session["supervisor_signed_at"].is_string());
}

#[tokio::test]
async fn the_home_page_lists_the_sessions_awaiting_the_viewers_signature() {
    let app = spawn_app().await;
    on_team(&app).await;
    let sup = app.a.user(Role::Supervisor);
    let peer = app.a.user(Role::Peer);
    let (s, v) = post(
        &app,
        &sup.token,
        &format!("/api/v1/peers/{}/supervision", peer.id),
        json!({"held_on": day(-3), "format": "group", "minutes": 45, "topics": ["growth"]}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_i64().unwrap();
    let marker = format!("data-to-sign=\"{id}\"");
    let home = |email: String| {
        let app = &app;
        async move {
            app.signed_in(&email)
                .await
                .get("/")
                .await
                .text()
                .await
                .unwrap()
        }
    };
    assert!(home(peer.email.clone()).await.contains(&marker));
    assert!(home(sup.email.clone()).await.contains(&marker));
    assert!(
        !home(app.a.user(Role::Admin).email.clone())
            .await
            .contains(&marker)
    );
    // Signed by the peer: it leaves the peer's list, stays on the supervisor's.
    assert_eq!(
        post(
            &app,
            &peer.token,
            &format!("/api/v1/supervision/{id}/sign"),
            json!({})
        )
        .await
        .0,
        200
    );
    assert!(!home(peer.email.clone()).await.contains(&marker));
    assert!(home(sup.email.clone()).await.contains(&marker));
}

/// A rating as the history gives it back: area, self, supervisor.
type Rated = (String, Option<i64>, Option<i64>);

fn ratings(pairs: &[(&str, Option<i64>, Option<i64>, &str)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(c, s, v, g)| json!({"competency": c, "self_rating": s, "supervisor_rating": v, "goal": g}))
            .collect(),
    )
}

#[tokio::test]
async fn competency_reviews_come_back_as_a_history_in_order_with_their_ratings() {
    let app = spawn_app().await;
    on_team(&app).await;
    let sup = app.a.user(Role::Supervisor);
    let peer = app.a.user(Role::Peer);
    let base = format!("/api/v1/peers/{}/competency-reviews", peer.id);
    // Recorded out of order: the history is by review date.
    let reviews = [
        (
            day(-90),
            ratings(&[
                (
                    "engaging",
                    Some(2),
                    Some(2),
                    "Open with the person's own goals",
                ),
                (
                    "crisis",
                    Some(1),
                    Some(1),
                    "Naloxone and crisis plan training",
                ),
            ]),
        ),
        (
            day(-270),
            ratings(&[
                ("engaging", Some(1), Some(1), "Shadow a senior peer"),
                ("crisis", Some(2), Some(1), ""),
            ]),
        ),
        (
            day(-180),
            ratings(&[
                ("crisis", Some(2), Some(1), "De-escalation course"),
                ("engaging", Some(2), Some(2), ""),
            ]),
        ),
    ];
    for (on, r) in &reviews {
        let (s, v) = post(
            &app,
            &sup.token,
            &base,
            json!({"reviewed_on": on, "ratings": r}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
    }
    // Off the scale, an area twice, an unknown area: each named.
    let (s, v) = post(
        &app,
        &sup.token,
        &base,
        json!({"reviewed_on": day(0), "ratings": [
        {"competency": "engaging", "self_rating": 5, "supervisor_rating": 0},
        {"competency": "engaging"},
        {"competency": "juggling"}]}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        fields(&v),
        vec![
            "ratings[0].self_rating",
            "ratings[0].supervisor_rating",
            "ratings[1].competency",
            "ratings[2].competency"
        ],
        "{v}"
    );
    // Peers, partners and auditors do not record reviews.
    for t in [
        &peer.token,
        &app.a.user(Role::Team).token,
        &app.a.user(Role::Auditor).token,
    ] {
        assert_eq!(
            post(
                &app,
                t,
                &base,
                json!({"reviewed_on": day(0), "ratings": reviews[0].1})
            )
            .await
            .0,
            403
        );
    }

    let (s, h) = get(&app, &peer.token, &base).await;
    assert_eq!(s, 200, "{h}");
    let h = h.as_array().unwrap();
    let dates: Vec<&str> = h
        .iter()
        .map(|r| r["reviewed_on"].as_str().unwrap())
        .collect();
    assert_eq!(dates, vec![day(-270), day(-180), day(-90)]);
    let got: Vec<Vec<Rated>> = h
        .iter()
        .map(|r| {
            r["ratings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    (
                        x["competency"].as_str().unwrap().to_string(),
                        x["self_rating"].as_i64(),
                        x["supervisor_rating"].as_i64(),
                    )
                })
                .collect()
        })
        .collect();
    let row = |c: &str, s: i64, v: i64| (c.to_string(), Some(s), Some(v));
    assert_eq!(
        got,
        vec![
            vec![row("engaging", 1, 1), row("crisis", 2, 1)],
            vec![row("engaging", 2, 2), row("crisis", 2, 1)],
            vec![row("engaging", 2, 2), row("crisis", 1, 1)],
        ]
    );
    let means: Vec<(f64, f64)> = h
        .iter()
        .map(|r| {
            (
                r["self_mean"].as_f64().unwrap(),
                r["supervisor_mean"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(means, vec![(1.5, 1.0), (2.0, 1.5), (1.5, 1.5)]);
    assert_eq!(
        h[2]["ratings"][1]["goal"],
        "Naloxone and crisis plan training"
    );

    // An amendment keeps the prior ratings; the history shows the new ones.
    let latest = h[2]["id"].as_i64().unwrap();
    let (s, v) = send(&app, "PUT", &sup.token, &format!("/api/v1/competency-reviews/{latest}"),
        json!({"reason": "Crisis rating entered in the wrong column", "review": {"reviewed_on": day(-90),
               "ratings": ratings(&[("engaging", Some(2), Some(2), ""), ("crisis", Some(1), Some(2), "Lead a crisis drill")])}})).await;
    assert_eq!(s, 200, "{v}");
    let prior: Value = serde_json::from_str(v["amendments"][0]["prior"].as_str().unwrap()).unwrap();
    assert_eq!(prior["ratings"][1]["supervisor_rating"].as_i64(), Some(1));
    let (_, h) = get(&app, &sup.token, &base).await;
    assert_eq!(h[2]["ratings"][1]["supervisor_rating"].as_i64(), Some(2));
    assert_eq!(h.as_array().unwrap().len(), 3);
    // The peer's page draws the history (a chart with both series) in both languages.
    let page = app
        .signed_in(&peer.email)
        .await
        .get(&format!("/workforce/peers/{}", peer.id))
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<svg") && html.contains("Mean competency rating per review"),
        "chart"
    );
    // Partners and auditors read no reviews; another organisation's staff see none.
    for (t, want) in [
        (&app.a.user(Role::Team).token, 403),
        (&app.a.user(Role::Auditor).token, 403),
        (&app.b.user(Role::Admin).token, 404),
    ] {
        assert_eq!(get(&app, t, &base).await.0, want);
    }
}

#[tokio::test]
async fn ethics_consultations_with_a_supervisor_count_toward_supervision_hours() {
    let app = spawn_app().await;
    on_team(&app).await;
    let admin = app.a.user(Role::Admin);
    let sup = app.a.user(Role::Supervisor);
    let peer = app.a.user(Role::Peer);
    let (s, st) = post(&app, &admin.token, "/api/v1/credential-standards", json!({
        "name": "Peer Recovery (PR)", "issuer": "IC&RC",
        "training": [{"domain": "Ethical responsibility", "hours": 16.0}],
        "supervised_work_hours": 500.0, "supervision_hours": 25.0,
        "exam_required": true, "ethics_attestation_required": true, "background_check_required": false,
        "renewal_years": 2, "ce_hours": 20.0, "ce_ethics_hours": 6.0})).await;
    assert_eq!(s, 201, "{st}");
    let (s, v) = post(
        &app,
        &admin.token,
        &format!("/api/v1/peers/{}/pathways", peer.id),
        json!({"standard_id": st["id"]}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    // Two sessions: 90 + 60 minutes.
    for m in [90, 60] {
        let (s, v) = post(
            &app,
            &sup.token,
            &format!("/api/v1/peers/{}/supervision", peer.id),
            json!({"held_on": day(-10), "format": "individual", "minutes": m}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
    }
    let base = format!("/api/v1/peers/{}/ethics-consultations", peer.id);
    // With the supervisor, 45 minutes: counts. With the state board's ethics line, 30: does not.
    let (s, v) = post(&app, &sup.token, &base, json!({"held_on": day(-5), "consulted_with_id": sup.id,
        "minutes": 45, "question": "A participant offered me a gift card after release.",
        "guidance": "Decline kindly; explain the code of ethics; log it.", "outcome": "Declined; documented."})).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["consulted_with"], app_name(&app, sup.id).await);
    let (s, v) = post(&app, &sup.token, &base, json!({"held_on": day(-4), "consulted_with": "State board ethics line",
        "minutes": 30, "question": "May I sponsor a participant in mutual aid?", "guidance": "Not while they are on your caseload."})).await;
    assert_eq!(s, 201, "{v}");
    // The consulted must be a supervisor or admin of the programme, not the peer; question and
    // guidance are required; minutes on the scale.
    let (s, v) = post(
        &app,
        &sup.token,
        &base,
        json!({"held_on": day(-4), "consulted_with_id": peer.id,
        "minutes": 0, "question": "", "guidance": ""}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        fields(&v),
        vec!["consulted_with_id", "minutes", "question", "guidance"],
        "{v}"
    );
    for t in [
        &peer.token,
        &app.a.user(Role::Team).token,
        &app.a.user(Role::Auditor).token,
    ] {
        let (s, _) = post(&app, t, &base, json!({"held_on": day(-4), "consulted_with": "x", "minutes": 10, "question": "q", "guidance": "g"})).await;
        assert_eq!(s, 403);
    }
    let (s, list) = get(&app, &peer.token, &base).await;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().unwrap().len(), 2);

    // By hand: sessions 90 + 60 = 150 minutes; the consultation with the supervisor 45; the one
    // with the board line not at all. 195 minutes = 3.25 hours of 25: fraction 0.13.
    let (_, rec) = get(
        &app,
        &admin.token,
        &format!("/api/v1/peers/{}/workforce", peer.id),
    )
    .await;
    let req = rec["pathways"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "supervision")
        .unwrap()
        .clone();
    assert_eq!(req["done"].as_f64(), Some(3.25), "{req}");
    assert_eq!(req["required"].as_f64(), Some(25.0));
    assert_eq!(req["fraction"].as_f64(), Some(0.13));
    assert_eq!(rec["ethics_consultations"].as_array().unwrap().len(), 2);
}

async fn app_name(app: &TestApp, user: i64) -> String {
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use throughcare::platform::schema::users;
        let mut c = db.conn().unwrap();
        users::table
            .find(user)
            .select(users::name)
            .first::<String>(&mut c)
            .unwrap()
    })
    .await
    .unwrap()
}

/// An API token for user `user` (as the seed makes them).
async fn token_for(app: &TestApp, user: i64) -> String {
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut c = db.conn().unwrap();
        throughcare::platform::db::write_tx(&mut c, |tx| {
            let who = throughcare::platform::audit::Who::command_line();
            throughcare::platform::auth::create_token(tx, &who, user, None).map(|(_, t)| t)
        })
        .unwrap()
    })
    .await
    .unwrap()
}
