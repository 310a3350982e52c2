//! Destructive actions ask first: reassigning a record, discharging an episode, merging a
//! duplicate and recording a consent's revocation each need a box ticked ("Yes, …") before the
//! form goes, which the browser enforces without any script (a required checkbox).

use serde_json::{Value, json};
use throughcare::platform::access::Role;

use crate::browser::Browser;
use crate::helpers::{PASSWORD, TestApp, spawn_app};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let r = app.post_bearer(path, token, body).await;
    assert_eq!(r.status(), 201, "POST {path}");
    r.json().await.unwrap()
}

impl Browser {
    async fn valid(&self, form: &str) -> bool {
        self.client
            .execute(
                "return document.querySelector(arguments[0]).checkValidity()",
                vec![json!(form)],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap()
    }
}

#[tokio::test]
async fn reassign_discharge_merge_and_revoke_ask_for_confirmation() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let pid = app.a.participant_id;
    let today = throughcare::platform::time::today().to_string();
    post(
        &app,
        &admin.token,
        &format!("/api/v1/participants/{pid}/episodes"),
        json!({"setting": "community", "started_on": today, "services_consent_on": today}),
    )
    .await;
    let b_org = app
        .get_bearer("/api/v1/me", &app.b.user(Role::Admin).token)
        .await
        .json::<Value>()
        .await
        .unwrap()["org_id"]
        .as_i64()
        .unwrap();
    post(&app, &admin.token, &format!("/api/v1/participants/{pid}/consents"), json!({"kind": "standard", "categories": ["participation"], "recipients": [{"kind": "organisation", "org_id": b_org}], "purpose": "care_coordination", "expires_on": "2099-01-01", "right_to_revoke_acknowledged": true, "signature_kind": "on_screen", "signer_name": "Jordan Test"})).await;

    let b = Browser::start().await;
    b.sign_in(&app.url, &admin.email, PASSWORD).await;
    let record = format!("{}/participants/{pid}", app.url);
    b.visit(&record).await;
    b.open_all_details().await;
    for (form, confirm) in [
        ("form[action$='/assign']", "#assign-confirm"),
        ("form[action$='/discharge']", "#discharge-confirm"),
        ("form[action$='/merge']", "#merge-confirm"),
    ] {
        assert!(!b.valid(form).await, "{form} goes only once confirmed");
        b.click(confirm).await;
        assert!(b.valid(form).await, "{form} goes once {confirm} is ticked");
    }
    // Unticked, the Discharge button leaves the episode open; ticked, it ends it.
    b.click("#discharge-confirm").await;
    b.click("form[action$='/discharge'] button[type=submit]")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(b.client.current_url().await.unwrap().as_str(), record);
    b.click("#discharge-confirm").await;
    b.submit("form[action$='/discharge']").await;
    assert_eq!(b.text_of("#saved").await, "Episode saved.");
    assert!(!b.text_of("#episodes tbody").await.contains("open"));

    b.visit(&format!("{record}/consents")).await;
    let revoke = "form[action$='/revoke']";
    assert!(
        !b.valid(revoke).await,
        "a revocation is recorded only once confirmed"
    );
    b.click("[id^=revoke-confirm-]").await;
    b.submit(revoke).await;
    assert!(
        b.client
            .find(fantoccini::Locator::Css("tr[data-state='revoked']"))
            .await
            .is_ok(),
        "{}",
        b.whereabouts().await
    );
    b.close().await;
}
