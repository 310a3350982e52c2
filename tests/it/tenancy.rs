//! Tenancy: a user or token of organisation B gets 404 for every participant-scoped route of
//! organisation A. The routes come from the OpenAPI document and the page-route table.

use throughcare::platform::access::Role;

use crate::helpers::{participant_scoped_routes, spawn_app};

#[tokio::test]
async fn other_organisations_get_404_on_every_participant_scoped_route() {
    let app = spawn_app().await;
    let routes = participant_scoped_routes();
    assert!(
        routes
            .iter()
            .any(|(m, p)| m == "GET" && p == "/api/v1/participants/{id}"),
        "route table is read: {routes:?}"
    );
    assert!(
        routes.iter().any(|(_, p)| p == "/participants/{id}"),
        "page routes are read: {routes:?}"
    );
    let victim = app.a.participant_id;
    for role in Role::ALL {
        let outsider = app.b.user(*role);
        let session = app.signed_in(&outsider.email).await;
        for (method, template) in &routes {
            let path = fill(template, victim);
            let status = if path.starts_with("/api/") {
                let req = match method.as_str() {
                    "GET" => app.api().get(format!("{}{path}", app.url)),
                    "POST" => app
                        .api()
                        .post(format!("{}{path}", app.url))
                        .json(&serde_json::json!({})),
                    "PUT" => app
                        .api()
                        .put(format!("{}{path}", app.url))
                        .json(&serde_json::json!({})),
                    "PATCH" => app
                        .api()
                        .patch(format!("{}{path}", app.url))
                        .json(&serde_json::json!({})),
                    "DELETE" => app.api().delete(format!("{}{path}", app.url)),
                    other => panic!("unexpected method {other}"),
                };
                req.bearer_auth(&outsider.token)
                    .send()
                    .await
                    .unwrap()
                    .status()
            } else if method == "GET" {
                session.get(&path).await.status()
            } else {
                session.post_form(&path, &[]).await.status()
            };
            assert_eq!(status, 404, "{role:?} of B: {method} {path}");
        }
    }
    // The same reads succeed for A's own peer, so the 404s above are the policy at work.
    let insider = app.a.user(Role::Peer);
    let session = app.signed_in(&insider.email).await;
    // (Routes with a second id are skipped here: their second record does not exist.)
    for (method, template) in routes
        .iter()
        .filter(|(m, t)| m == "GET" && t.matches('{').count() == 1)
    {
        let path = fill(template, victim);
        let status = if path.starts_with("/api/") {
            app.get_bearer(&path, &insider.token).await.status()
        } else {
            session.get(&path).await.status()
        };
        assert_eq!(status, 200, "A's peer: {method} {path}");
    }
}

#[tokio::test]
async fn lists_never_include_another_organisations_participants() {
    let app = spawn_app().await;
    for role in [Role::Admin, Role::Supervisor, Role::Peer] {
        let list: serde_json::Value = app
            .get_bearer("/api/v1/participants?limit=500", &app.b.user(role).token)
            .await
            .json()
            .await
            .unwrap();
        let ids: Vec<i64> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert!(ids.contains(&app.b.participant_id));
        assert!(
            !ids.contains(&app.a.participant_id),
            "{role:?} of B sees A's participant"
        );
    }
}

#[tokio::test]
async fn ids_that_do_not_exist_or_are_not_numbers_are_simply_not_found() {
    let app = spawn_app().await;
    let t = &app.a.user(Role::Admin).token;
    assert_eq!(
        app.get_bearer("/api/v1/participants/123", t).await.status(),
        404
    );
    assert_eq!(
        app.get_bearer("/api/v1/participants/abc", t).await.status(),
        404
    );
    assert_eq!(
        app.get_bearer("/api/v1/participants/1%20OR%201=1", t)
            .await
            .status(),
        404
    );
}

/// Put the victim's id in `{id}` and an arbitrary number in any other parameter: the policy must
/// refuse on the participant before it looks at anything else.
fn fill(template: &str, victim: i64) -> String {
    let mut out = template.replace("{id}", &victim.to_string());
    while let (Some(a), Some(b)) = (out.find('{'), out.find('}')) {
        out.replace_range(a..=b, "1");
    }
    out
}
