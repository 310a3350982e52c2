//! The participant's record page as a peer uses it: forms that start empty, histories that keep
//! what was recorded with its notes.

use serde_json::json;
use throughcare::platform::access::Role;

use crate::helpers::spawn_app;

/// The stage-of-change form starts with nothing chosen (a peer must pick the stage, not submit
/// the first one by accident), and every stage recorded is listed with its note.
#[tokio::test]
async fn the_stage_of_change_form_starts_empty_and_the_history_keeps_the_notes() {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let peer = app.a.user(Role::Peer);
    for (stage, on, note) in [
        (
            "contemplation",
            "2026-01-05",
            "Thinking about MOUD after the court date",
        ),
        (
            "preparation",
            "2026-02-02",
            "Booked an intake at the clinic",
        ),
    ] {
        let r = app
            .post_bearer(
                &format!("/api/v1/participants/{pid}/stages"),
                &peer.token,
                json!({"stage": stage, "recorded_on": on, "note": note}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
    let s = app.signed_in(&peer.email).await;
    let page = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    let select = page
        .split("id=\"st-stage\"")
        .nth(1)
        .and_then(|r| r.split("</select>").next())
        .expect("the stage form");
    assert!(select.contains("<option value=\"\" selected>"), "{select}");
    assert!(!select.contains("value=\"precontemplation\" selected"));
    let history = page
        .split("id=\"stage-history\"")
        .nth(1)
        .and_then(|r| r.split("</details>").next())
        .expect("the stage history");
    assert!(
        history.contains("Thinking about MOUD after the court date"),
        "{history}"
    );
    assert!(
        history.contains("Booked an intake at the clinic"),
        "{history}"
    );
    assert!(
        history.find("Booked").unwrap() < history.find("Thinking").unwrap(),
        "newest first: {history}"
    );
    // Sent without a stage, the form is refused with the field named, and nothing is added.
    let r = s
        .post_form(
            &format!("/participants/{pid}/stages"),
            &[("stage", ""), ("recorded_on", "2026-03-01"), ("note", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("stage"));
}
