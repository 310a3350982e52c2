//! At a phone's width (375 CSS px), as the demo peer: check in for a community visit on the home
//! page, check out, then open a participant's messages, read their reply and answer it. axe-core
//! (WCAG 2.2 A/AA) finds nothing on the messages page, and nothing scrolls sideways.

use diesel::prelude::*;
use fantoccini::Locator;
use serde_json::json;
use throughcare::messages::schema::message_optins;

use crate::browser::{Browser, axe_source, axe_violations};
use crate::helpers::spawn_demo;

#[tokio::test]
async fn a_peer_checks_in_and_out_then_reads_and_answers_a_message_on_a_phone() {
    let (url, state, _dir) = spawn_demo().await;
    // The demo's first participant who texts (the demo peer's; their last word is a reply).
    let pid: i64 = {
        let mut conn = state.db.conn().unwrap();
        message_optins::table
            .filter(message_optins::channel.eq("sms"))
            .filter(message_optins::language.eq("en"))
            .order(message_optins::id)
            .select(message_optins::participant_id)
            .first(&mut *conn)
            .unwrap()
    };
    let axe = axe_source();
    let b = Browser::start().await;
    b.client.set_window_size(375, 800).await.unwrap();
    b.sign_in(&url, "peer@demo.throughcare.example", "throughcare-demo")
        .await;

    // Check in on the home page, then check out.
    b.visit(&format!("{url}/")).await;
    b.fill("#fv-place", "Library on Main St").await;
    b.fill("#fv-with_whom", "Sam").await;
    b.submit("form[action='/field/check-in']").await;
    let visit = b.text_of("[data-field-visit]").await;
    assert!(visit.contains("Library on Main St"), "{visit}");
    b.submit("form[action$='/check-out']").await;
    assert!(
        b.client
            .find(Locator::Css("[data-field-visit]"))
            .await
            .is_err(),
        "checked out: {}",
        b.whereabouts().await
    );
    b.client
        .find(Locator::Css("form[action='/field/check-in']"))
        .await
        .unwrap();

    // From the record to the messages; the participant's reply is the last message.
    b.visit(&format!("{url}/participants/{pid}")).await;
    b.click("#messages-link").await;
    b.wait_new_page().await;
    assert!(b.text_of("main h1").await.starts_with("Messages with "));
    let replies = b
        .client
        .find_all(Locator::Css("#message-list .msg.in"))
        .await
        .unwrap();
    let last = replies.last().unwrap().text().await.unwrap();
    assert!(last.contains("housing appointment"), "{last}");
    assert_eq!(
        axe_violations(&b, &axe).await,
        Vec::<String>::new(),
        "axe on the messages page at 375 px"
    );
    let fits = b
        .client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fits, json!(true), "the messages page fits 375 px");

    // Answer it.
    b.fill("#body", "Yes, I'll call you tomorrow at 10.").await;
    b.submit("#send-form").await;
    assert!(b.text_of("#saved").await.starts_with("Message queued"));
    let ours = b
        .client
        .find_all(Locator::Css("#message-list .msg.out"))
        .await
        .unwrap();
    let answer = ours.last().unwrap().text().await.unwrap();
    assert!(
        answer.contains("Yes, I'll call you tomorrow at 10.")
            && answer.contains("waiting to be sent"),
        "{answer}"
    );
    let fits = b
        .client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fits, json!(true), "still fits after answering");
    b.close().await;
}
