//! A group session recorded at a phone's width, by keyboard: the attendance list fits 375 px,
//! every control has a label, the name filter narrows the list as one types, and the session
//! and its sign-in sheet follow.

use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};
use throughcare::platform::access::Role;

use crate::browser::Browser;
use crate::helpers::{PASSWORD, TestApp, spawn_app};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let r = app.post_bearer(path, token, body).await;
    assert_eq!(r.status(), 201, "POST {path}");
    r.json().await.unwrap()
}

fn today() -> String {
    throughcare::platform::time::today()
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn a_peer_records_a_group_at_a_phones_width_by_keyboard() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin).token.clone();
    let peer = app.a.user(Role::Peer);
    let jail = post(
        &app,
        &admin,
        "/api/v1/facilities",
        json!({"name": "Lakeview County Jail", "kind": "jail", "setting": "short"}),
    )
    .await["id"]
        .clone();
    let mut ids = Vec::new();
    for (first, last) in [
        ("Ana", "Alvarez"),
        ("Ben", "Brooks"),
        ("Cara", "Cruz-Villanueva de la Torre"),
    ] {
        let p = post(&app, &peer.token, "/api/v1/participants", json!({"first_name": first, "last_name": last, "date_of_birth": "1990-05-06", "confirm_not_duplicate": true})).await;
        let id = p["id"].as_i64().unwrap();
        post(&app, &peer.token, &format!("/api/v1/participants/{id}/episodes"), json!({"setting": "short_term", "facility_id": jail, "started_on": today(), "services_consent_on": today()})).await;
        ids.push(id);
    }
    let b = Browser::start().await;
    b.client.set_window_size(375, 800).await.unwrap();
    let fits = || async {
        b.client
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth",
                vec![],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap()
    };
    // Every visible control is labelled: by `for`, or by the label around it.
    let unlabelled = || async {
        b.client
            .execute(
                "return [...document.querySelectorAll('main input:not([type=hidden]),main select,main textarea')]\
                 .filter(e => !((e.id && document.querySelector('label[for=\"'+e.id+'\"]')) || e.closest('label')))\
                 .map(e => e.name)",
                vec![],
            )
            .await
            .unwrap()
    };
    b.sign_in(&app.url, &peer.email, PASSWORD).await;
    b.visit(&format!("{}/groups", app.url)).await;
    assert!(fits().await, "the list of groups fits 375 px");
    b.click("a[href='/groups/new']").await;
    b.wait_new_page().await;
    // Choose the facility by keyboard, Tab to the button, and Enter.
    let choice = b
        .client
        .find(Locator::Css("#facility-choice"))
        .await
        .unwrap();
    choice.send_keys("Lakeview").await.unwrap();
    choice.send_keys(&Key::Tab.to_string()).await.unwrap();
    b.client
        .execute("document.body.dataset.stale = '1'", vec![])
        .await
        .unwrap();
    let focused = b.client.active_element().await.unwrap();
    assert_eq!(focused.text().await.unwrap(), "Show who is enrolled there");
    focused.send_keys(&Key::Enter.to_string()).await.unwrap();
    b.wait_new_page().await;
    b.open_all_details().await;
    assert!(
        fits().await,
        "the group form fits 375 px: {}",
        b.whereabouts().await
    );
    assert_eq!(unlabelled().await, json!([]));
    // The name filter narrows the list as one types.
    b.fill("#name-filter", "bro").await;
    let hidden = |id: i64| {
        let b = &b;
        async move {
            b.client
                .execute(
                    &format!("return document.getElementById('at-{id}').closest('li').hidden"),
                    vec![],
                )
                .await
                .unwrap()
        }
    };
    assert_eq!(hidden(ids[0]).await, json!(true), "Ana is filtered out");
    assert_eq!(hidden(ids[1]).await, json!(false), "Ben is shown");
    // Tick Ben with the space bar and write his note; then Ana and Cara.
    let ben = b
        .client
        .find(Locator::Css(&format!("#at-{}", ids[1])))
        .await
        .unwrap();
    ben.send_keys(" ").await.unwrap();
    b.fill(&format!("#note-{}", ids[1]), "First group since booking.")
        .await;
    // Erase the filter, as one would: every name is back.
    let filter = b.client.find(Locator::Css("#name-filter")).await.unwrap();
    filter
        .send_keys(&Key::Backspace.to_string().repeat(3))
        .await
        .unwrap();
    assert_eq!(hidden(ids[0]).await, json!(false), "Ana is back");
    for id in [ids[0], ids[2]] {
        let el = b
            .client
            .find(Locator::Css(&format!("#at-{id}")))
            .await
            .unwrap();
        el.send_keys(" ").await.unwrap();
    }
    b.fill("#gs-note", "Housing and MOUD at release.").await;
    b.submit("#group-form").await;
    assert_eq!(
        b.text_of("main h1").await,
        "Group session",
        "{}",
        b.whereabouts().await
    );
    assert!(fits().await, "the group's page fits 375 px");
    let attendees = b.text_of("#attendees").await;
    for name in [
        "Ana Alvarez",
        "Ben Brooks",
        "Cara Cruz-Villanueva de la Torre",
    ] {
        assert!(attendees.contains(name), "{attendees}");
    }
    assert!(attendees.contains("First group since booking."));
    b.click("a[href$='/sign-in']").await;
    b.wait_new_page().await;
    assert_eq!(b.text_of("main h1").await, "Group sign-in sheet");
    assert!(fits().await, "the sign-in sheet fits 375 px");
    b.close().await;
}
