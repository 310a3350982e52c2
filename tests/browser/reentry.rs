//! Reentry in a real browser: a peer opens a participant in custody, goes to their reentry page,
//! records an eligibility screening (and sees its result) and a warm handoff (and sees it
//! listed), in English; the care plan prints in Spanish. axe-core (WCAG 2.2 A/AA) finds nothing
//! on the reentry page, which fits a phone (375 CSS px).

use serde_json::json;
use throughcare::platform::access::Role;

use crate::browser::{Browser, axe_source, axe_violations};
use crate::helpers::{PASSWORD, spawn_app};

fn day(days: i64) -> String {
    (throughcare::platform::time::today() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn a_peer_screens_a_person_in_custody_and_records_a_warm_handoff_in_a_real_browser() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let pid = app.a.participant_id;
    let r = app
        .post_bearer(
            &format!("/api/v1/participants/{pid}/episodes"),
            &peer.token,
            json!({"setting": "short_term", "started_on": day(-1), "services_consent_on": day(-1), "expected_release_on": day(25)}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let axe = axe_source();
    let b = Browser::start().await;
    b.sign_in(&app.url, &peer.email, PASSWORD).await;

    // From the participant's record to their reentry page.
    b.visit(&format!("{}/participants/{pid}", app.url)).await;
    b.click("#reentry-link").await;
    b.wait_new_page().await;
    assert!(b.text_of("main h1").await.starts_with("Reentry: "));
    assert_eq!(b.text_of("[data-screening-status]").await, "Screen due");
    assert_eq!(
        axe_violations(&b, &axe).await,
        Vec::<String>::new(),
        "axe on the reentry page"
    );

    // A screening: enrolled, suspended during custody, with a substance use disorder.
    b.open_all_details().await;
    b.set("#medicaid_status", "suspended").await;
    b.click("#screening-form input[value='substance_use_disorder']")
        .await;
    b.submit("#screening-form").await;
    assert_eq!(b.text_of("#saved").await, "Screening saved.");
    assert_eq!(b.text_of("[data-screening-status]").await, "Screened");
    let latest = b.text_of("#latest-screening").await;
    assert!(latest.starts_with("Eligible"), "{latest}");
    assert!(latest.contains("Enrolled in Medicaid"), "{latest}");

    // A warm handoff, listed once saved.
    b.open_all_details().await;
    b.fill("#to_provider", "Dr. Amara Osei").await;
    b.fill("#to_organisation", "Eastside Community Health")
        .await;
    b.set("#method", "in_person").await;
    b.set("#scheduled_at", &format!("{}T09:30", day(24))).await;
    b.submit("#handoff-form").await;
    assert_eq!(b.text_of("#saved").await, "Warm handoff saved.");
    let listed = b.text_of("#handoff-list tbody").await;
    assert!(
        listed.contains("Dr. Amara Osei") && listed.contains("In person"),
        "{listed}"
    );

    // At a phone's width, with everything recorded: nothing scrolls sideways, axe is content.
    b.client.set_window_size(375, 800).await.unwrap();
    b.open_all_details().await;
    let fits = b
        .client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fits, json!(true), "the reentry page fits 375 px");
    assert_eq!(
        axe_violations(&b, &axe).await,
        Vec::<String>::new(),
        "axe on the reentry page at 375 px"
    );

    // The care plan, printed in Spanish.
    b.visit(&format!(
        "{}/participants/{pid}/reentry/plan/print?lang=es",
        app.url
    ))
    .await;
    assert_eq!(
        b.text_of("main h1").await,
        "Mi plan de atención para la reinserción"
    );
    let plan = b.body().await;
    for part in [
        "Mis necesidades",
        "Trastorno por consumo de sustancias",
        "Mis medicamentos",
        "Citas que se hicieron para mí",
        "Dr. Amara Osei",
        "Vivienda y beneficios",
        "Inscrito, suspendido durante la encarcelación",
    ] {
        assert!(plan.contains(part), "{part}: {plan}");
    }
    b.close().await;
}
