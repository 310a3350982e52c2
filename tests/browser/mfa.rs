//! Two-step sign-in in a real browser: an admin enrols an authenticator, then signs in with a
//! code, a recovery code (once only) and the app's next code.

use chrono::Duration;
use fantoccini::Locator;
use throughcare::platform::access::Role;
use throughcare::platform::{mfa, time};

use crate::browser::Browser;
use crate::helpers::{PASSWORD, TestApp, spawn_app_with, wrong_code};

async fn app_with_mfa() -> TestApp {
    spawn_app_with(|c| c.mfa_required_roles = "admin,auditor".into()).await
}

#[tokio::test]
async fn an_admin_enrols_totp_and_signs_in_with_codes_in_a_real_browser() {
    let app = app_with_mfa().await;
    let admin = app.a.user(Role::Admin).email.clone();
    let b = Browser::start().await;
    b.sign_in(&app.url, &admin, PASSWORD).await;
    let url = b.client.current_url().await.unwrap().to_string();
    assert!(url.ends_with("/sign-in/set-up-second-factor"), "{url}");
    // No page before the second factor.
    b.client
        .goto(&format!("{}/participants", app.url))
        .await
        .unwrap();
    let url = b.client.current_url().await.unwrap().to_string();
    assert!(!url.contains("/participants"), "{url}");
    b.client
        .goto(&format!("{}/sign-in/set-up-second-factor", app.url))
        .await
        .unwrap();
    let secret = b
        .client
        .find(Locator::Css("#mfa-secret"))
        .await
        .unwrap()
        .attr("data-secret")
        .await
        .unwrap()
        .expect("the key");
    b.fill("#code", &mfa::code_at(&secret, time::now()).unwrap())
        .await;
    b.submit("#mfa-enrol-form").await;
    let codes = b.text_of("#recovery-codes").await;
    let recovery: Vec<&str> = codes.split_whitespace().collect();
    assert_eq!(recovery.len(), 10, "{codes}");
    b.click("#mfa-continue").await;
    b.wait_new_page().await;
    assert!(b.text_of("h1").await.contains("Home"));
    b.submit("form[action='/sign-out']").await;

    // Password, then a wrong code, then a recovery code.
    b.sign_in(&app.url, &admin, PASSWORD).await;
    b.fill("#code", &wrong_code(&secret)).await;
    b.submit("#mfa-form").await;
    assert!(b.text_of("#mfa-error").await.contains("does not match"));
    b.fill("#code", recovery[0]).await;
    b.submit("#mfa-form").await;
    assert!(b.text_of("h1").await.contains("Home"));
    b.submit("form[action='/sign-out']").await;

    // The recovery code once more: refused; the app's next code: in.
    b.sign_in(&app.url, &admin, PASSWORD).await;
    b.fill("#code", recovery[0]).await;
    b.submit("#mfa-form").await;
    assert!(b.text_of("#mfa-error").await.contains("does not match"));
    b.fill(
        "#code",
        &mfa::code_at(&secret, time::now() + Duration::seconds(30)).unwrap(),
    )
    .await;
    b.submit("#mfa-form").await;
    assert!(b.text_of("h1").await.contains("Home"));
}
