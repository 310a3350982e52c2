//! A peer with only a keyboard, at a phone's width: signs in, finds a person by name ("Pena"
//! finds "Peña"), opens the record, reaches the encounter form, records a contact and is shown
//! the confirmation, with focus on it. Only key presses (WebDriver key actions: Tab, Enter,
//! typing); no clicks, no values set by script. It counts the Tab presses from the record to the
//! encounter form and measures the record's height at 375 px (issue 16's before/after figures).

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;
use throughcare::platform::access::Role;
use throughcare::platform::time;

use crate::browser::Browser;
use crate::helpers::seed::seed;
use crate::helpers::{PASSWORD, spawn_app};

impl Browser {
    /// Press keys (each char a key: `Key::Tab` etc. are chars) as one key-action sequence.
    async fn keys(&self, keys: &str) {
        let mut seq = KeyActions::new("keyboard".into());
        for k in keys.chars() {
            seq = seq
                .then(KeyAction::Down { value: k })
                .then(KeyAction::Up { value: k });
        }
        self.client.perform_actions(seq).await.unwrap();
    }

    /// What has focus: "tag#id.class [text]".
    async fn focused(&self) -> Value {
        self.client
            .execute(
                "const e = document.activeElement; return {tag: e.tagName, id: e.id, \
                 href: e.getAttribute('href') || '', text: (e.innerText || e.value || '').trim().slice(0, 80), \
                 form: e.form ? e.form.getAttribute('action') : (e.closest('form') ? e.closest('form').getAttribute('action') : '')}",
                vec![],
            )
            .await
            .unwrap()
    }

    /// Press Tab until `want` holds of the focused element; the presses it took.
    async fn tab_to(&self, what: &str, want: impl Fn(&Value) -> bool) -> usize {
        for n in 1..=400 {
            self.keys(&Key::Tab.to_string()).await;
            if want(&self.focused().await) {
                return n;
            }
        }
        panic!("Tab never reached {what}: {}", self.whereabouts().await);
    }

    /// Press a key that loads another page, and wait for it.
    async fn keys_to_new_page(&self, keys: &str) {
        self.client
            .execute("document.body.dataset.stale = '1'", vec![])
            .await
            .unwrap();
        self.keys(keys).await;
        self.wait_new_page().await;
    }
}

#[tokio::test]
async fn a_peer_records_a_contact_with_the_keyboard_only_and_sees_it_confirmed() {
    let app = spawn_app().await;
    let seeds = seed(&app, time::today()).await;
    let pena = seeds.participants[1];
    let peer = app.a.user(Role::Peer).email.clone();
    let b = Browser::start().await;
    b.client.set_window_size(375, 900).await.unwrap();
    let width = b
        .client
        .execute("return window.innerWidth", vec![])
        .await
        .unwrap();
    assert_eq!(width, Value::from(375), "a phone's viewport");
    let enter = Key::Enter.to_string();

    // Sign in.
    b.visit(&format!("{}/sign-in", app.url)).await;
    b.tab_to("the e-mail field", |f| f["id"] == "email").await;
    b.keys(&peer).await;
    b.tab_to("the password field", |f| f["id"] == "password")
        .await;
    b.keys(PASSWORD).await;
    b.keys_to_new_page(&enter).await;
    assert_eq!(
        b.text_of("main h1").await,
        "Home",
        "{}",
        b.whereabouts().await
    );

    // Participants, then the search box: "Pena" finds "Peña".
    b.tab_to("Participants in the menu", |f| f["href"] == "/participants")
        .await;
    b.keys_to_new_page(&enter).await;
    b.tab_to("the search box", |f| f["id"] == "q").await;
    b.keys("Pena").await;
    b.keys_to_new_page(&enter).await;
    let record = format!("/participants/{pena}");
    b.tab_to("José Peña", |f| {
        f["href"] == record.as_str() && f["text"].as_str().unwrap_or("").contains("Peña")
    })
    .await;
    b.keys_to_new_page(&enter).await;
    assert!(
        b.text_of("main h1").await.contains("Peña"),
        "{}",
        b.whereabouts().await
    );
    // A phone shows one part of the record at a time: encounters, until a tab chooses another.
    let shown = b
        .client
        .execute(
            "return [...document.querySelectorAll('.record-sections > section')]\
             .filter(s => s.offsetHeight > 0).map(s => s.id)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        shown,
        serde_json::json!(["encounters"]),
        "{}",
        b.whereabouts().await
    );
    let height = b
        .client
        .execute("return document.documentElement.scrollHeight", vec![])
        .await
        .unwrap();

    // From the top of the record to the encounter form: a quick "Record a contact" link when
    // there is one (Enter on it), then the form's first field.
    let mut tabs = b
        .tab_to("the encounter form or a quick link to it", |f| {
            f["form"].as_str().unwrap_or("").ends_with("/encounters") || f["id"] == "record-contact"
        })
        .await;
    if b.focused().await["id"] == "record-contact" {
        b.keys(&enter).await;
        if !b.focused().await["form"]
            .as_str()
            .unwrap_or("")
            .ends_with("/encounters")
        {
            tabs += b
                .tab_to("the encounter form", |f| {
                    f["form"].as_str().unwrap_or("").ends_with("/encounters")
                })
                .await;
        }
    }
    eprintln!(
        "the record at 375 px: {height} px high; Tab presses from the record to the encounter form: {tabs}"
    );

    // Fill it in: how (type to choose), a note, then the button.
    b.tab_to("How", |f| f["id"] == "en-mode").await;
    b.keys("Phone").await;
    b.tab_to("the note", |f| f["id"] == "en-note").await;
    b.keys("Called about the housing appointment.").await;
    b.tab_to("Record encounter", |f| {
        f["tag"] == "BUTTON" && f["text"] == "Record encounter"
    })
    .await;
    b.keys_to_new_page(&enter).await;

    // The confirmation is shown and has focus.
    let focused = b.focused().await;
    assert_eq!(
        focused["id"],
        "saved",
        "{focused} {}",
        b.whereabouts().await
    );
    let saved = b.text_of("#saved").await;
    assert!(saved.contains("Encounter recorded"), "{saved}");
    let shown = b
        .client
        .execute(
            "const r = document.getElementById('saved').getBoundingClientRect(); \
             return [r.height > 0 && r.top > -1 && r.bottom <= window.innerHeight + 1, r.top, r.bottom, window.innerHeight, window.scrollY]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        shown[0],
        Value::Bool(true),
        "the confirmation is in view: {shown}"
    );
    let list = b.text_of("#encounter-list").await;
    assert!(
        list.contains("Called about the housing appointment."),
        "{list}"
    );
    assert!(
        tabs <= 25,
        "{tabs} Tab presses from the record to the encounter form"
    );
    b.close().await;
}
