//! Staff accounts in a real browser: an admin invites someone at a phone's width, by keyboard,
//! and the invitee sets a password through the one-time link and reaches their home page.

use fantoccini::Locator;
use serde_json::json;
use throughcare::platform::access::Role;

use crate::browser::Browser;
use crate::helpers::{PASSWORD, spawn_app};

const NEW_PASSWORD: &str = "violet tram under seventeen maps";

#[tokio::test]
async fn an_admin_invites_someone_who_sets_a_password_and_reaches_home_in_a_real_browser() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin).email.clone();
    let b = Browser::start().await;
    // A phone's width: nothing wider than the screen.
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
    b.sign_in(&app.url, &admin, PASSWORD).await;
    b.client.goto(&format!("{}/admin", app.url)).await.unwrap();
    assert!(fits().await, "the admin page fits 375 px");
    // Every visible form control has a label.
    let unlabelled = b
        .client
        .execute(
            "return [...document.querySelectorAll('input:not([type=hidden]):not([hidden]),select')]\
             .filter(e => !(e.id && document.querySelector('label[for=\"'+e.id+'\"]'))).length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(unlabelled, json!(0));
    // Keyboard only: type into the fields, Enter submits.
    b.fill("#staff-name", "Dana Newcomer").await;
    b.fill("#staff-email", "dana@org-a.test").await;
    b.client
        .find(Locator::Css("#staff-role"))
        .await
        .unwrap()
        .send_keys("Peer recovery")
        .await
        .unwrap();
    b.client
        .execute("document.body.dataset.stale = '1'", vec![])
        .await
        .unwrap();
    b.client
        .find(Locator::Css("#staff-email"))
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    b.wait_new_page().await;
    let link = b
        .client
        .find(Locator::Css("#set-password-link"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .expect("the link");
    assert!(link.starts_with("/welcome/"), "{link}");
    assert!(fits().await, "with the link shown");
    b.sign_out().await;

    b.client.goto(&format!("{}{link}", app.url)).await.unwrap();
    assert!(b.text_of("main h1").await.contains("Welcome"));
    assert!(fits().await, "the set-password page fits 375 px");
    b.fill("#welcome-password", "password1234").await;
    b.fill("#welcome-confirm_password", "password1234").await;
    b.submit("#welcome-form").await;
    assert!(b.text_of("#welcome-errors").await.contains("too common"));
    b.fill("#welcome-password", NEW_PASSWORD).await;
    b.fill("#welcome-confirm_password", NEW_PASSWORD).await;
    b.submit("#welcome-form").await;
    assert!(
        b.text_of("#sign-in-notice")
            .await
            .contains("Your password is set")
    );
    b.sign_in(&app.url, "dana@org-a.test", NEW_PASSWORD).await;
    let url = b.client.current_url().await.unwrap().to_string();
    assert!(url.ends_with(':') || url.ends_with('/'), "{url}");
    assert_eq!(b.text_of("main h1").await, "Home");
    assert!(
        b.client
            .find(Locator::Css("[data-home='peer']"))
            .await
            .is_ok()
    );
    // The link, once more: used.
    b.client.goto(&format!("{}{link}", app.url)).await.unwrap();
    assert_eq!(b.text_of("#link-state").await, "This link has been used");
    b.client
        .goto(&format!("{}/account", app.url))
        .await
        .unwrap();
    assert!(fits().await, "the account page fits 375 px");
    b.close().await;
}
