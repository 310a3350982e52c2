//! Bad input at the edge: every malformed field, unknown enum value, oversized body and
//! malformed JSON gets a 4xx that names the field; never a 500, a stack trace or SQL.

use serde_json::{Value, json};
use throughcare::platform::access::Role;

use crate::helpers::spawn_app;

fn assert_clean(body: &str) {
    for leak in [
        "SELECT", "INSERT", "diesel", "panicked", "src/", "sqlite", "postgres",
    ] {
        assert!(!body.contains(leak), "response leaks {leak:?}: {body}");
    }
}

async fn problem(r: reqwest::Response, status: u16) -> Value {
    assert_eq!(r.status().as_u16(), status);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let text = r.text().await.unwrap();
    assert_clean(&text);
    serde_json::from_str(&text).unwrap()
}

fn fields(p: &Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn json_errors_name_the_field() {
    let app = spawn_app().await;
    let t = app.a.user(Role::Peer).token.clone();
    let admin = app.a.user(Role::Admin).token.clone();

    let p = problem(
        app.post_bearer(
            "/api/v1/participants",
            &t,
            json!({"first_name": "A", "last_name": "B", "date_of_birth": "not-a-date"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["date_of_birth"]);

    let p = problem(
        app.post_bearer(
            "/api/v1/participants",
            &t,
            json!({"first_name": "A", "date_of_birth": "1990-01-01"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["last_name"]);

    let p = problem(
        app.post_bearer(
            "/api/v1/participants",
            &t,
            json!({"first_name": 5, "last_name": "B", "date_of_birth": "1990-01-01"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["first_name"]);

    let p = problem(app.post_bearer("/api/v1/participants", &t, json!({"first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01", "shoe_size": 9})).await, 422).await;
    assert_eq!(fields(&p), ["shoe_size"]);

    let p = problem(
        app.post_bearer(
            "/api/v1/participants",
            &t,
            json!({"first_name": " ", "last_name": "", "date_of_birth": "2999-01-01"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["first_name", "last_name", "date_of_birth"]);

    let p = problem(
        app.post_bearer(
            "/api/v1/facilities",
            &admin,
            json!({"name": "X", "kind": "castle", "setting": "eternal"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["kind", "setting"]);
    assert!(
        p["errors"][0]["message"].as_str().unwrap().contains("jail"),
        "lists the allowed values"
    );
}

#[tokio::test]
async fn malformed_json_and_wrong_content_types_are_400() {
    let app = spawn_app().await;
    let t = app.a.user(Role::Peer).token.clone();
    let r = app
        .api()
        .post(format!("{}/api/v1/participants", app.url))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body("{\"first_name\": ")
        .send()
        .await
        .unwrap();
    let p = problem(r, 400).await;
    assert_eq!(fields(&p), ["body"]);
    let r = app
        .api()
        .post(format!("{}/api/v1/participants", app.url))
        .bearer_auth(&t)
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    let p = problem(r, 400).await;
    assert_eq!(fields(&p), ["content-type"]);
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = spawn_app().await;
    let t = app.a.user(Role::Peer).token.clone();
    let big = format!(
        "{{\"first_name\": \"{}\"}}",
        "x".repeat(app.config.max_body_bytes + 10)
    );
    let r = app
        .api()
        .post(format!("{}/api/v1/participants", app.url))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    let p = problem(r, 413).await;
    assert_eq!(fields(&p), ["body"]);
}

#[tokio::test]
async fn bad_query_parameters_name_the_parameter() {
    let app = spawn_app().await;
    let t = app.a.user(Role::Auditor).token.clone();
    let p = problem(
        app.get_bearer("/api/v1/audit?from=yesterday&limit=0", &t)
            .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["from", "limit"]);
    let t = app.a.user(Role::Peer).token.clone();
    let p = problem(
        app.get_bearer("/api/v1/participants?peer=me", &t).await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["peer"]);
}

#[tokio::test]
async fn malformed_form_fields_are_named_on_the_page() {
    let app = spawn_app().await;
    let s = app.signed_in(&app.a.user(Role::Admin).email).await;
    let r = s
        .post_form(
            "/admin/facilities",
            &[("name", ""), ("kind", "castle"), ("setting", "short")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert_clean(&body);
    assert!(body.contains("name") && body.contains("is required"));
    assert!(body.contains("unknown facility kind"));
    let r = s
        .post_form(
            "/admin/staff",
            &[
                ("name", "N"),
                ("email", "not-an-email"),
                ("role", "overlord"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    for needle in ["is not an e-mail address", "unknown role"] {
        assert!(body.contains(needle), "{needle}: {body}");
    }
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    let r = s
        .post_form(
            "/participants",
            &[
                ("first_name", "A"),
                ("last_name", "B"),
                ("date_of_birth", "1990-01-01"),
                ("assigned_peer_id", "x1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("assigned_peer_id"));
}

#[tokio::test]
async fn unknown_pages_and_api_paths_are_404_in_their_own_format() {
    let app = spawn_app().await;
    let r = app
        .get_bearer("/api/v1/nothing-here", &app.a.user(Role::Peer).token)
        .await;
    problem(r, 404).await;
    let r = app
        .api()
        .get(format!("{}/nothing-here", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
}
