//! Group sessions on the web (issue 16 item 3, decision 0039): the attendance list of a
//! facility, recording a session through the page (CSRF and all) in one transaction, each
//! attendee's contact counted once, refusals named by row with nothing written, the sign-in
//! sheets, life domains on encounters, and partners learning nothing of the other attendees.

use chrono::Duration;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::time;

use crate::helpers::{SeedUser, Session, TestApp, spawn_app};

fn d(days: i64) -> String {
    (time::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

fn now_local() -> String {
    time::now().format("%Y-%m-%dT%H:%M").to_string()
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app.post_bearer(path, token, body).await;
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.get_bearer(path, token).await;
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

async fn facility(app: &TestApp, admin: &str, name: &str) -> i64 {
    app.jail(admin, name).await
}

/// Enrol a person (as `peer`, on their caseload) with an open episode at `facility`. Returns
/// their id.
async fn enrolled(app: &TestApp, peer: &SeedUser, first: &str, last: &str, facility: i64) -> i64 {
    let (s, p) = post(
        app,
        &peer.token,
        "/api/v1/participants",
        json!({"first_name": first, "last_name": last, "date_of_birth": "1990-05-06",
               "assigned_peer_id": peer.id, "confirm_not_duplicate": true}),
    )
    .await;
    assert_eq!(s, 201, "{p}");
    let id = p["id"].as_i64().unwrap();
    let (s, ep) = post(app, &peer.token, &format!("/api/v1/participants/{id}/episodes"), json!({"setting": "short_term", "facility_id": facility, "started_on": d(-20), "services_consent_on": d(-20), "expected_release_on": d(40)})).await;
    assert_eq!(s, 201, "{ep}");
    id
}

/// Organisation A's peer, a jail with Ana, Ben and Cara enrolled, a prison with Dan, and B's
/// Eve enrolled at the same jail by B's program.
struct Scene {
    app: TestApp,
    peer: String,
    jail: i64,
    prison: i64,
    ana: i64,
    ben: i64,
    cara: i64,
    dan: i64,
    eve: i64,
}

async fn scene() -> Scene {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin).token.clone();
    let jail = facility(&app, &admin, "Lakeview County Jail").await;
    let prison = facility(&app, &admin, "Ridge Correctional Facility").await;
    let a_peer = app.a.user(Role::Peer);
    let ana = enrolled(&app, a_peer, "Ana", "Alvarez", jail).await;
    let ben = enrolled(&app, a_peer, "Ben", "Brooks", jail).await;
    let cara = enrolled(&app, a_peer, "Cara", "Cruz", jail).await;
    let dan = enrolled(&app, a_peer, "Dan", "Dorsey", prison).await;
    let eve = enrolled(&app, app.b.user(Role::Peer), "Eve", "Evans", jail).await;
    let peer = a_peer.token.clone();
    Scene {
        app,
        peer,
        jail,
        prison,
        ana,
        ben,
        cara,
        dan,
        eve,
    }
}

impl Scene {
    async fn peer_session(&self) -> Session {
        self.app.signed_in(&self.app.a.user(Role::Peer).email).await
    }
}

/// The form's fields for a session at `facility` with these attendees and their notes.
fn group_form(facility: i64, attendees: &[(i64, &str)]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![
        ("facility_id".into(), facility.to_string()),
        ("occurred_at".into(), now_local()),
        ("duration_minutes".into(), "60".into()),
        ("mode".into(), "in_facility".into()),
        ("outcome".into(), "completed".into()),
        ("life_domains".into(), "housing".into()),
        ("life_domains".into(), "moud".into()),
        ("topics".into(), "engaging".into()),
        (
            "note".into(),
            "Reentry group: housing lists and MOUD at release.".into(),
        ),
    ];
    for (id, note) in attendees {
        f.push(("attendee".into(), id.to_string()));
        f.push((format!("note_{id}"), (*note).into()));
    }
    f
}

async fn post_group(s: &Session, fields: &[(String, String)]) -> reqwest::Response {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    s.post_form("/groups", &refs).await
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn text(s: &Session, path: &str) -> (u16, String) {
    let r = s.get(path).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn caseload_row(app: &TestApp, token: &str, pid: i64) -> Value {
    let caseload = get(app, token, "/api/v1/caseload").await;
    caseload
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["participant_id"] == pid)
        .unwrap_or_else(|| panic!("{pid} not on the caseload: {caseload}"))
        .clone()
}

#[tokio::test]
async fn the_attendance_list_offers_only_people_enrolled_at_the_facility_whom_the_caller_may_see() {
    let sc = scene().await;
    let s = sc.peer_session().await;
    let (status, page) = text(&s, &format!("/groups/new?facility_id={}", sc.jail)).await;
    assert_eq!(status, 200);
    for (id, name) in [
        (sc.ana, "Ana Alvarez"),
        (sc.ben, "Ben Brooks"),
        (sc.cara, "Cara Cruz"),
    ] {
        assert!(page.contains(name), "{name} is enrolled at the jail");
        assert!(
            page.contains(&format!("value=\"{id}\"")),
            "{name} can be ticked"
        );
        assert!(
            page.contains(&format!("for=\"note-{id}\"")),
            "{name}'s note is labelled"
        );
    }
    assert!(
        !page.contains("Dan Dorsey"),
        "enrolled at the prison, not here"
    );
    assert!(
        !page.contains("Evans"),
        "another organisation's participant"
    );
    assert!(
        !page.contains("Test-org-a"),
        "Jordan has no episode at the jail"
    );
    assert!(
        page.contains("data-filter-list=\"attendance\""),
        "a name filter"
    );
    // Without JavaScript, the name filter is the server's.
    let (_, page) = text(&s, &format!("/groups/new?facility_id={}&q=bro", sc.jail)).await;
    assert!(page.contains("Ben Brooks"));
    assert!(!page.contains("Ana Alvarez"));
    // The prison's list is Dan alone; another organisation's peer sees Eve and none of A's.
    let (_, page) = text(&s, &format!("/groups/new?facility_id={}", sc.prison)).await;
    assert!(page.contains("Dan Dorsey") && !page.contains("Ana Alvarez"));
    let b = sc.app.signed_in(&sc.app.b.user(Role::Peer).email).await;
    let (_, page) = text(&b, &format!("/groups/new?facility_id={}", sc.jail)).await;
    assert!(page.contains("Eve Evans"));
    assert!(!page.contains("Ana Alvarez") && !page.contains("Ben Brooks"));
    // A partner's team member has no attendance list at all.
    let team = sc.app.signed_in(&sc.app.b.user(Role::Team).email).await;
    let (status, page) = text(&team, &format!("/groups/new?facility_id={}", sc.jail)).await;
    assert_ne!(status, 200);
    assert!(!page.contains("Eve Evans"));
}

#[tokio::test]
async fn a_group_of_three_recorded_on_the_web_counts_once_for_each_attendee() {
    let sc = scene().await;
    let app = &sc.app;
    // Released this morning: each one's 14-day window is open, with no contact yet.
    for id in [sc.ana, sc.ben, sc.cara] {
        let (s, out) = post(
            app,
            &sc.peer,
            &format!("/api/v1/participants/{id}/custody-events"),
            json!({"kind": "release", "occurred_on": d(0), "at_time": "00:00"}),
        )
        .await;
        assert_eq!(s, 201, "{out}");
        assert_eq!(caseload_row(app, &sc.peer, id).await["contacts_done"], 0);
    }
    let s = sc.peer_session().await;
    let fields = group_form(
        sc.jail,
        &[
            (sc.ana, "Asked about a bed at the shelter."),
            (sc.ben, ""),
            (sc.cara, ""),
        ],
    );
    // Without the CSRF token the form is refused and nothing is written.
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = s.post_raw("/groups", &refs).await;
    assert_eq!(r.status(), 400);
    let r = post_group(&s, &fields).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let at = location(&r);
    assert!(at.starts_with("/groups/"), "{at}");
    let group_id: i64 = at.trim_start_matches("/groups/").parse().unwrap();
    // Each attendee's window counts exactly one more contact.
    for id in [sc.ana, sc.ben, sc.cara] {
        let row = caseload_row(app, &sc.peer, id).await;
        assert_eq!(row["contacts_done"], 1, "{row}");
        assert_eq!(row["first_contact"], "met", "{row}");
        let list = get(
            app,
            &sc.peer,
            &format!("/api/v1/participants/{id}/encounters"),
        )
        .await;
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1, "one encounter each");
        assert_eq!(list[0]["kind"], "group");
        assert_eq!(list[0]["group_id"], group_id);
        assert_eq!(list[0]["life_domains"], "housing moud");
        assert_eq!(list[0]["topics"], "engaging");
    }
    let ana = get(
        app,
        &sc.peer,
        &format!("/api/v1/participants/{}/encounters", sc.ana),
    )
    .await;
    assert_eq!(
        ana[0]["note"], "Asked about a bed at the shelter.",
        "her own note"
    );
    let ben = get(
        app,
        &sc.peer,
        &format!("/api/v1/participants/{}/encounters", sc.ben),
    )
    .await;
    assert_eq!(ben[0]["note"], "", "not Ana's note");
    // The participant page's window shows it once too.
    let (_, page) = text(&s, &format!("/participants/{}", sc.ana)).await;
    assert!(
        page.contains("data-contacts-done=\"1\""),
        "one contact in the window"
    );
    // The group is one session in the list, with three attending.
    let (status, list) = text(&s, "/groups").await;
    assert_eq!(status, 200);
    assert_eq!(list.matches("data-group=\"").count(), 1, "{list}");
    assert!(list.contains(&format!("data-group=\"{group_id}\"")));
    assert!(list.contains("data-attendees=\"3\""));
    assert!(list.contains("Lakeview County Jail"));
    // The session's page: the group's note, the attendees, their own notes.
    let (status, page) = text(&s, &at).await;
    assert_eq!(status, 200);
    assert!(page.contains("Reentry group: housing lists and MOUD at release."));
    assert!(
        page.contains("Ana Alvarez") && page.contains("Ben Brooks") && page.contains("Cara Cruz")
    );
    assert!(page.contains("Asked about a bed at the shelter."));
    assert!(page.contains("Housing, MOUD (medication for opioid use disorder)"));
}

#[tokio::test]
async fn a_person_not_enrolled_there_is_named_by_row_and_nothing_is_written() {
    let sc = scene().await;
    let app = &sc.app;
    let s = sc.peer_session().await;
    // Dan is enrolled at the prison, not the jail; Eve is another organisation's.
    let r = post_group(
        &s,
        &group_form(sc.jail, &[(sc.ana, "Here."), (sc.dan, ""), (sc.ben, "")]),
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Nothing was saved"), "{page}");
    assert!(page.contains("Who attended [1]"), "the row is named");
    assert!(
        page.contains("Dan Dorsey is not enrolled at Lakeview County Jail"),
        "the person and the facility are named"
    );
    assert!(!page.contains("Who attended [0]") && !page.contains("Who attended [2]"));
    // What was ticked and typed is kept.
    assert!(page.contains(&format!(
        "id=\"at-{}\" name=\"attendee\" value=\"{}\" checked",
        sc.ana, sc.ana
    )));
    assert!(page.contains("value=\"Here.\""));
    let r = post_group(&s, &group_form(sc.jail, &[(sc.ana, ""), (sc.eve, "")])).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Who attended [1]") && page.contains("no such participant"));
    assert!(
        !page.contains("Evans"),
        "nothing about another organisation's person"
    );
    // Nobody ticked, and a bad life domain: each named.
    let mut fields = group_form(sc.jail, &[]);
    fields.push(("life_domains".into(), "astrology".into()));
    let r = post_group(&s, &fields).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("tick at least one person who attended"));
    // The field by its label, with which of the values sent is wrong.
    assert!(page.contains("Topics [2]"), "{page}");
    // Nothing half-written: no encounter for Ana or Ben, no session in the list.
    for id in [sc.ana, sc.ben] {
        let list = get(
            app,
            &sc.peer,
            &format!("/api/v1/participants/{id}/encounters"),
        )
        .await;
        assert_eq!(list.as_array().unwrap().len(), 0, "nothing for {id}");
    }
    let (_, list) = text(&s, "/groups").await;
    assert!(!list.contains("data-group=\""), "no session recorded");
}

#[tokio::test]
async fn the_sign_in_sheets_list_the_attendees_and_the_people_enrolled() {
    let sc = scene().await;
    let s = sc.peer_session().await;
    let (status, sheet) = text(&s, &format!("/groups/sign-in?facility_id={}", sc.jail)).await;
    assert_eq!(status, 200);
    assert!(sheet.contains("Lakeview County Jail"));
    for name in ["Ana Alvarez", "Ben Brooks", "Cara Cruz"] {
        assert!(sheet.contains(name), "{name} on the blank sheet");
    }
    assert!(!sheet.contains("Dan Dorsey") && !sheet.contains("Eve Evans"));
    assert!(sheet.contains("data-walk-in"), "blank lines for walk-ins");
    assert!(sheet.contains("data-print"), "a print button");
    let r = post_group(&s, &group_form(sc.jail, &[(sc.ana, ""), (sc.cara, "")])).await;
    assert_eq!(r.status(), 303);
    let at = location(&r);
    let (status, sheet) = text(&s, &format!("{at}/sign-in")).await;
    assert_eq!(status, 200);
    assert_eq!(sheet.matches("data-sign-in-row").count(), 2, "{sheet}");
    assert!(sheet.contains("Ana Alvarez") && sheet.contains("Cara Cruz"));
    assert!(!sheet.contains("Ben Brooks"), "Ben did not attend");
    assert!(sheet.contains(&d(0)), "the date");
    assert!(sheet.contains("peer of org-a"), "the peer");
    assert!(sheet.contains("data-walk-in"));
}

/// A consent naming organisation B for `categories` of participant `pid`, recorded by A's peer.
async fn consent_for(app: &TestApp, pid: i64, categories: &[&str]) {
    let me = get(app, &app.b.user(Role::Team).token, "/api/v1/me").await;
    let body = json!({
        "kind": "standard",
        "categories": categories,
        "recipients": [{"kind": "organisation", "org_id": me["org_id"]}],
        "purpose": "care_coordination",
        "expires_on": d(90),
        "right_to_revoke_acknowledged": true,
        "signature_kind": "on_screen",
        "signer_name": "Ana Alvarez",
    });
    let (s, c) = post(
        app,
        &app.a.user(Role::Peer).token,
        &format!("/api/v1/participants/{pid}/consents"),
        body,
    )
    .await;
    assert_eq!(s, 201, "{c}");
}

#[tokio::test]
async fn a_partner_who_sees_one_attendee_learns_nothing_of_the_others() {
    let sc = scene().await;
    let app = &sc.app;
    let s = sc.peer_session().await;
    let r = post_group(
        &s,
        &group_form(
            sc.jail,
            &[
                (sc.ana, "Her own words."),
                (sc.ben, "Ben's words."),
                (sc.cara, ""),
            ],
        ),
    )
    .await;
    assert_eq!(r.status(), 303);
    let at = location(&r);
    // Ana consents to B seeing her participation and encounter notes; nobody else does.
    consent_for(app, sc.ana, &["participation", "encounter_notes"]).await;
    let team = &app.b.user(Role::Team).token;
    let list = get(
        app,
        team,
        &format!("/api/v1/participants/{}/encounters", sc.ana),
    )
    .await;
    let e = &list.as_array().unwrap()[0];
    assert_eq!(e["kind"], "group", "that it was a group is hers");
    assert!(e["group_id"].is_null(), "but not which group: {e}");
    assert_eq!(
        e["note"], "Her own words.",
        "her own note, consented by name"
    );
    let body = list.to_string();
    for other in ["Ben", "Cara", "Reentry group"] {
        assert!(!body.contains(other), "{other} in {body}");
    }
    for id in [sc.ben, sc.cara] {
        assert!(!body.contains(&id.to_string()));
    }
    // Her record as the partner sees it: no group's page, no other name, no group note.
    let partner = app.signed_in(&app.b.user(Role::Team).email).await;
    let (status, page) = text(&partner, &format!("/participants/{}", sc.ana)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Group session"), "marked as a group");
    assert!(page.contains("Her own words."));
    for other in [
        "Ben Brooks",
        "Cara Cruz",
        "Ben's words.",
        "Reentry group",
        "/groups/",
    ] {
        assert!(!page.contains(other), "{other} on the partner's page");
    }
    // The group's page and sheet are not found for the partner, nor for another program.
    for path in [at.clone(), format!("{at}/sign-in"), "/groups".into()] {
        let (status, page) = text(&partner, &path).await;
        assert!(status == 404 || status == 403, "{path}: {status}");
        assert!(!page.contains("Ben Brooks"));
    }
    let b_peer = app.signed_in(&app.b.user(Role::Peer).email).await;
    for path in [at.clone(), format!("{at}/sign-in")] {
        let (status, page) = text(&b_peer, &path).await;
        assert_eq!(status, 404, "{path}");
        assert!(!page.contains("Ana Alvarez"));
    }
    let (_, list) = text(&b_peer, "/groups").await;
    assert!(!list.contains(&at), "not in another organisation's list");
    // The program's own staff see the group on her record, with a link and the group's note.
    let (_, page) = text(&s, &format!("/participants/{}", sc.ana)).await;
    assert!(
        page.contains(&format!("href=\"{at}\"")),
        "a link to the group"
    );
    assert!(page.contains("Reentry group: housing lists and MOUD at release."));
    assert!(page.contains("Talked about:"));
}

#[tokio::test]
async fn individual_encounters_carry_life_domains_through_the_api_and_the_form() {
    let sc = scene().await;
    let app = &sc.app;
    let base = format!("/api/v1/participants/{}/encounters", sc.dan);
    let (s, out) = post(app, &sc.peer, &base, json!({"mode": "phone", "outcome": "completed", "occurred_at": now_local(), "duration_minutes": 15, "life_domains": ["court", "supervision", "court"]})).await;
    assert_eq!(s, 201, "{out}");
    assert_eq!(out[0]["life_domains"], "court supervision");
    assert_eq!(out[0]["topics"], "");
    let (s, out) = post(app, &sc.peer, &base, json!({"mode": "phone", "outcome": "completed", "occurred_at": now_local(), "duration_minutes": 15, "life_domains": ["housing", "horoscope"]})).await;
    assert_eq!(s, 422);
    assert!(out.to_string().contains("life_domains[1]"), "{out}");
    // The record's form takes them too, and the record shows them.
    let session = sc.peer_session().await;
    let r = session
        .post_form(
            &format!("/participants/{}/encounters", sc.dan),
            &[
                ("occurred_at", &now_local()),
                ("mode", "in_facility"),
                ("outcome", "completed"),
                ("duration_minutes", "20"),
                ("life_domains", "naloxone"),
                ("life_domains", "benefits_id"),
                ("note", "Talked through the ID application."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let list = get(app, &sc.peer, &base).await;
    assert_eq!(list[0]["life_domains"], "naloxone benefits_id");
    let (_, page) = text(&session, &format!("/participants/{}", sc.dan)).await;
    assert!(page.contains("Naloxone and overdose prevention, Benefits, health insurance and ID"));
    assert!(page.contains("For supervision: SAMHSA competency areas"));
    let (_, paper) = text(&session, "/forms/encounter").await;
    assert!(
        paper.contains("What you talked about")
            && paper.contains("Probation or parole supervision")
    );
    // A group recorded through the API is listed as one session too.
    let (s, out) = post(app, &sc.peer, &format!("/api/v1/participants/{}/encounters", sc.ana), json!({"kind": "group", "mode": "in_facility", "outcome": "completed", "occurred_at": now_local(), "duration_minutes": 45, "also_participant_ids": [sc.ben]})).await;
    assert_eq!(s, 201, "{out}");
    let (_, list) = text(&session, "/groups").await;
    assert_eq!(list.matches("data-group=\"").count(), 1);
    assert!(list.contains("data-attendees=\"2\""));
}

/// An encounter says which service it delivered (issue 17 item 3): peer support when not said;
/// case management, MOUD or a medication supply at release when said. A pre-release service
/// is recorded once, as the encounter; an unknown service is refused by name; the record shows
/// the service, the blank paper form lists them, and a changed service keeps the earlier one.
#[tokio::test]
async fn an_encounter_names_the_service_it_delivered() {
    let sc = scene().await;
    let app = &sc.app;
    let base = format!("/api/v1/participants/{}/encounters", sc.dan);
    let (s, out) = post(app, &sc.peer, &base, json!({"mode": "phone", "outcome": "completed", "occurred_at": now_local(), "duration_minutes": 15})).await;
    assert_eq!(s, 201, "{out}");
    assert_eq!(out[0]["service"], "peer_support", "not said: peer support");
    let (s, out) = post(app, &sc.peer, &base, json!({"mode": "in_facility", "outcome": "completed", "occurred_at": now_local(), "duration_minutes": 40, "service": "case_management"})).await;
    assert_eq!(s, 201, "{out}");
    assert_eq!(out[0]["service"], "case_management");
    let managed = out[0]["id"].as_i64().unwrap();
    let (s, out) = post(app, &sc.peer, &base, json!({"mode": "phone", "outcome": "completed", "occurred_at": now_local(), "duration_minutes": 15, "service": "bus_fare"})).await;
    assert_eq!(s, 422);
    assert!(out.to_string().contains("\"service\""), "{out}");
    // The form on the record takes it, and the record shows it in Spanish too.
    let session = sc.peer_session().await;
    let r = session
        .post_form(
            &format!("/participants/{}/encounters", sc.dan),
            &[
                ("occurred_at", &now_local()),
                ("mode", "in_facility"),
                ("outcome", "completed"),
                ("service", "medication_supply"),
                ("duration_minutes", "10"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let list = get(app, &sc.peer, &base).await;
    assert_eq!(list[0]["service"], "medication_supply");
    let (_, page) = text(&session, &format!("/participants/{}", sc.dan)).await;
    assert!(page.contains("data-service=\"medication_supply\">Medication supply at release<"));
    assert!(page.contains("data-service=\"case_management\">Case management<"));
    assert_eq!(
        page.matches("data-service=\"").count(),
        2,
        "peer support is the default and not marked"
    );
    let (_, paper) = text(&session, "/forms/encounter").await;
    assert!(paper.contains("Medication for opioid use disorder (MOUD)"));
    let r = session
        .post_form("/account/language", &[("language", "es")])
        .await;
    assert_eq!(r.status(), 200, "the account page, after the choice");
    let (_, page) = text(&session, &format!("/participants/{}", sc.dan)).await;
    assert!(
        page.contains(">Suministro de medicamentos al salir<"),
        "Spanish"
    );
    assert!(page.contains("<label for=\"en-service\">Servicio</label>"));
    let r = session
        .post_form("/account/language", &[("language", "en")])
        .await;
    assert_eq!(r.status(), 200, "the account page, after the choice");
    // A service recorded wrongly is amended, and the earlier value is kept.
    let (s, out) = post(app, &sc.peer, &format!("/api/v1/participants/{}/amendments", sc.dan), json!({"record_type": "encounter", "record_id": managed, "reason": "It was MOUD", "changes": {"service": "moud"}})).await;
    assert_eq!(s, 200, "{out}");
    let list = get(app, &sc.peer, &base).await;
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == managed)
        .unwrap();
    assert_eq!(row["service"], "moud");
    let (_, page) = text(&session, &format!("/participants/{}", sc.dan)).await;
    assert!(
        page.contains("Case management → Medication for opioid use disorder (MOUD)"),
        "the history keeps the earlier service in words"
    );
}
