//! The peer workforce in a real browser: an admin adopts a credential standard, records a peer's
//! training and supervision and watches the progress bars, and a facility denial reaches the
//! facility access report.

use fantoccini::Locator;
use serde_json::json;
use throughcare::platform::access::Role;

use crate::browser::Browser;
use crate::helpers::{PASSWORD, spawn_app};

/// Click a submit button and wait for the next page to replace this one.
async fn submit(b: &Browser, css: &str) {
    let old = b.client.find(Locator::Css("main")).await.unwrap();
    b.click(css).await;
    for _ in 0..200 {
        if old.tag_name().await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    b.client
        .wait()
        .for_element(Locator::Css("main"))
        .await
        .unwrap();
}

async fn progress_value(b: &Browser, key: &str) -> f64 {
    let found = b
        .client
        .find(Locator::Css(&format!("progress[data-key='{key}']")))
        .await;
    let source = if found.is_err() {
        b.client.source().await.unwrap_or_default()
    } else {
        String::new()
    };
    found
        .unwrap_or_else(|e| panic!("{key}: {e}\n{source}"))
        .attr("value")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn an_admin_tracks_credential_progress_and_a_facility_denial_in_a_real_browser() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let r = app
        .post_bearer(
            "/api/v1/facilities",
            &admin.token,
            json!({"name": "Harbor County Jail", "kind": "jail", "setting": "short"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let b = Browser::start().await;
    b.sign_in(&app.url, &admin.email, PASSWORD).await;
    b.client
        .goto(&format!("{}/workforce", app.url))
        .await
        .unwrap();
    b.click("a[data-template='ic_and_rc']").await;
    submit(&b, "#standard-form button[type=submit]").await;
    assert_eq!(b.text_of("main h1").await, "Peer Recovery (PR)");

    b.client
        .goto(&format!("{}/workforce/peers/{}", app.url, peer.id))
        .await
        .unwrap();
    submit(&b, "#pathway-form button[type=submit]").await;
    assert_eq!(progress_value(&b, "training.advocacy").await, 0.0);
    assert_eq!(progress_value(&b, "supervision").await, 0.0);

    b.fill("#course", "Advocacy in reentry").await;
    b.fill("#domain", "Advocacy").await;
    b.fill("#hours", "5").await;
    submit(&b, "#training-form button[type=submit]").await;
    assert_eq!(progress_value(&b, "training.advocacy").await, 50.0);

    b.fill("#supervision_minutes", "300").await;
    b.click("#supervision-form input[value='engaging']").await;
    submit(&b, "#supervision-form button[type=submit]").await;
    assert_eq!(progress_value(&b, "supervision").await, 20.0);
    assert!(progress_value(&b, "overall").await > 0.0);

    // A clearance denial at the jail.
    b.client
        .execute("document.getElementById('status').value='denied'; document.getElementById('denial_reason').value='prior_incarceration';", vec![])
        .await
        .unwrap();
    submit(&b, "#clearance-form button[type=submit]").await;
    let clearances = b.text_of("#clearances").await;
    assert!(
        clearances.contains("Denied") && clearances.contains("Prior incarceration"),
        "{clearances}"
    );

    b.client
        .goto(&format!("{}/workforce/reports/facility-access", app.url))
        .await
        .unwrap();
    let row = b.text_of("#facility-access tbody tr").await;
    assert!(row.starts_with("Harbor County Jail"), "{row}");
    let cell = b
        .text_of("#facility-access tbody tr td[data-reason='prior_incarceration']")
        .await;
    assert_eq!(cell, "1");
    assert!(
        b.client
            .find(Locator::Css("figure.chart svg title"))
            .await
            .is_ok()
    );
    b.close().await;
}
