//! Finding people without typing record numbers (issue 16): by name with accents and case
//! ignored, by identifier as typed or normalised, by date of birth in ISO or US order; within
//! the access policy (a partner finds only the people whose consent covers them); audited
//! without the words typed; on the participants page and the pickers that used to ask for ids.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::schema::audit_log;
use throughcare::platform::time;

use crate::helpers::{TestApp, spawn_app};

/// Enrol José Peña in organisation A (as A's peer), with a booking number and a state ID typed
/// with dashes and spaces. Returns his id.
async fn enrol_jose(app: &TestApp) -> i64 {
    let r = app
        .post_bearer(
            "/api/v1/participants",
            &app.a.user(Role::Peer).token,
            json!({
                "first_name": "José",
                "last_name": "Peña",
                "date_of_birth": "1984-03-07",
                "identifiers": [
                    {"kind": "booking_number", "value": "BK-2024 0042"},
                    {"kind": "state_id", "value": "sid-77-123"},
                ],
            }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let p: Value = r.json().await.unwrap();
    p["id"].as_i64().unwrap()
}

/// The API's answer to a search by `token`: (status, results).
async fn search(app: &TestApp, token: &str, q: &str) -> (u16, Vec<Value>) {
    let r = app
        .api()
        .get(format!("{}/api/v1/participants", app.url))
        .query(&[("q", q)])
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    (status, body.as_array().cloned().unwrap_or_default())
}

fn ids(found: &[Value]) -> Vec<i64> {
    found.iter().map(|p| p["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn a_search_by_name_ignores_accents_and_case() {
    let app = spawn_app().await;
    let jose = enrol_jose(&app).await;
    let peer = &app.a.user(Role::Peer).token;
    for q in [
        "Pena",
        "pena",
        "PEÑA",
        "Peñ",
        "jose",
        "José",
        "jose pena",
        "Pena, Jose",
        "pe",
    ] {
        let (status, found) = search(&app, peer, q).await;
        assert_eq!(status, 200, "{q}");
        assert_eq!(ids(&found), vec![jose], "{q:?} finds José Peña");
        assert_eq!(found[0]["matched"]["on"], "name");
        assert_eq!(found[0]["last_name"], "Peña");
    }
    for q in ["Penas", "jose smith", "ena"] {
        let (_, found) = search(&app, peer, q).await;
        assert!(found.is_empty(), "{q:?} finds no one");
    }
    // Another organisation's staff never find him.
    let (_, found) = search(&app, &app.b.user(Role::Admin).token, "pena").await;
    assert!(found.is_empty());
    // Without q the route lists as it always did, with nothing about a match.
    let r = app.get_bearer("/api/v1/participants", peer).await;
    let list: Vec<Value> = r.json().await.unwrap();
    assert!(list.iter().any(|p| p["id"] == jose));
    assert!(list.iter().all(|p| p.get("matched").is_none()));
}

#[tokio::test]
async fn a_corrected_name_is_found_by_its_new_spelling_only() {
    let app = spawn_app().await;
    let jose = enrol_jose(&app).await;
    let peer = &app.a.user(Role::Peer).token;
    let r = app
        .post_bearer(
            &format!("/api/v1/participants/{jose}/identity"),
            peer,
            json!({"reason": "spelled as on his ID card", "changes": {"last_name": "Núñez-Ortiz"}}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let (_, found) = search(&app, peer, "nunezortiz").await;
    assert_eq!(ids(&found), vec![jose]);
    let (_, found) = search(&app, peer, "Jose Nuñez").await;
    assert_eq!(ids(&found), vec![jose]);
    let (_, found) = search(&app, peer, "pena").await;
    assert!(found.is_empty(), "the old spelling no longer finds him");
}

#[tokio::test]
async fn a_search_by_identifier_finds_its_person_as_typed_or_normalised() {
    let app = spawn_app().await;
    let jose = enrol_jose(&app).await;
    let peer = &app.a.user(Role::Peer).token;
    for q in ["BK-2024 0042", "bk20240042", "BK 2024-0042"] {
        let (status, found) = search(&app, peer, q).await;
        assert_eq!(status, 200);
        assert_eq!(ids(&found), vec![jose], "{q:?}");
        assert_eq!(found[0]["matched"]["on"], "booking_number");
        assert_eq!(found[0]["matched"]["identifier"], "BK-2024 0042");
    }
    let (_, found) = search(&app, peer, "SID 77 123").await;
    assert_eq!(ids(&found), vec![jose]);
    assert_eq!(found[0]["matched"]["on"], "state_id");
    let (_, found) = search(&app, peer, "BK-2024-0043").await;
    assert!(found.is_empty());
    let (_, found) = search(&app, &app.b.user(Role::Peer).token, "BK20240042").await;
    assert!(found.is_empty(), "not across organisations");
}

#[tokio::test]
async fn a_search_by_date_of_birth_in_iso_or_us_order() {
    let app = spawn_app().await;
    let jose = enrol_jose(&app).await;
    let peer = &app.a.user(Role::Peer).token;
    for q in ["1984-03-07", "03/07/1984", "3/7/1984"] {
        let (_, found) = search(&app, peer, q).await;
        assert_eq!(ids(&found), vec![jose], "{q:?}");
        assert_eq!(found[0]["matched"]["on"], "date_of_birth");
        assert_eq!(found[0]["date_of_birth"], "1984-03-07");
    }
    // Day and month the other way round is another date.
    let (_, found) = search(&app, peer, "07/03/1984").await;
    assert!(found.is_empty());
}

#[tokio::test]
async fn a_search_that_cannot_be_read_names_the_field() {
    let app = spawn_app().await;
    let (status, _) = search(&app, &app.a.user(Role::Peer).token, "?!").await;
    assert_eq!(status, 422);
    let r = app
        .api()
        .get(format!("{}/api/v1/participants?q=%3F", app.url))
        .bearer_auth(&app.a.user(Role::Peer).token)
        .send()
        .await
        .unwrap();
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "q", "{problem}");
}

/// A consent by A's participant naming organisation B for `categories`.
async fn consent_for_b(app: &TestApp, participant: i64, categories: &[&str]) {
    let me: Value = app
        .get_bearer("/api/v1/me", &app.b.user(Role::Team).token)
        .await
        .json()
        .await
        .unwrap();
    let expires = (time::today() + Duration::days(90))
        .format("%Y-%m-%d")
        .to_string();
    let r = app
        .post_bearer(
            &format!("/api/v1/participants/{participant}/consents"),
            &app.a.user(Role::Peer).token,
            json!({
                "kind": "standard",
                "categories": categories,
                "recipients": [{"kind": "organisation", "org_id": me["org_id"]}],
                "purpose": "care_coordination",
                "expires_on": expires,
                "right_to_revoke_acknowledged": true,
                "signature_kind": "on_screen",
                "signer_name": "José Peña",
            }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn a_partner_finds_only_the_people_whose_consent_covers_them() {
    let app = spawn_app().await;
    let jose = enrol_jose(&app).await;
    let partner = &app.b.user(Role::Team).token;
    for q in ["pena", "1984-03-07", "BK20240042"] {
        let (status, found) = search(&app, partner, q).await;
        assert_eq!(status, 200);
        assert!(found.is_empty(), "no consent: {q:?} finds no one");
    }
    // A consent that does not cover participation does not let them find him either.
    consent_for_b(&app, jose, &["assessments"]).await;
    let (_, found) = search(&app, partner, "pena").await;
    assert!(found.is_empty(), "consent without participation");
    consent_for_b(&app, jose, &["participation"]).await;
    for q in ["pena", "1984-03-07", "BK20240042"] {
        let (_, found) = search(&app, partner, q).await;
        assert_eq!(ids(&found), vec![jose], "with consent: {q:?}");
        // Who he is, not how to reach him.
        assert!(found[0]["phone"].is_null() && found[0]["assigned_peer_id"].is_null());
    }
    // Only him: A's other participant, not consented, stays hidden.
    let (_, found) = search(&app, partner, "jordan").await;
    assert!(found.is_empty());
    // Showing him was a disclosure, in his accounting.
    let r = app
        .get_bearer(
            &format!("/api/v1/participants/{jose}/disclosures"),
            &app.a.user(Role::Auditor).token,
        )
        .await;
    assert_eq!(r.status(), 200);
    let accounting = r.text().await.unwrap();
    assert!(accounting.contains("\"list\""), "{accounting}");
    // An auditor finds no one: they read the log, not records.
    let (status, found) = search(&app, &app.a.user(Role::Auditor).token, "pena").await;
    assert_eq!(status, 200);
    assert!(found.is_empty());
}

#[tokio::test]
async fn every_search_is_audited_without_the_words_typed() {
    let app = spawn_app().await;
    enrol_jose(&app).await;
    let peer = app.a.user(Role::Peer);
    search(&app, &peer.token, "Peña").await;
    search(&app, &peer.token, "03/07/1984").await;
    search(&app, &peer.token, "BK-2024 0042").await;
    search(&app, &peer.token, "nobody").await;
    let mut conn = app.state.db.conn().unwrap();
    let rows: Vec<(Option<i64>, String)> = audit_log::table
        .filter(audit_log::action.eq("participant.search"))
        .order(audit_log::seq)
        .select((audit_log::actor_user_id, audit_log::detail))
        .load(&mut conn)
        .unwrap();
    let details: Vec<&str> = rows.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(
        details,
        vec![
            "by name: 1 found",
            "by date_of_birth: 1 found",
            "by identifier: 1 found",
            "by name: 0 found",
        ]
    );
    assert!(rows.iter().all(|(who, _)| *who == Some(peer.id)));
    for (_, d) in &rows {
        let d = d.to_lowercase();
        assert!(!d.contains("pe") && !d.contains("bk") && !d.contains("nobody"));
    }
}

#[tokio::test]
async fn the_participants_page_searches_without_javascript() {
    let app = spawn_app().await;
    let jose = enrol_jose(&app).await;
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    let page = s.get("/participants").await.text().await.unwrap();
    assert!(page.contains("<label for=\"q\">Find a person</label>"));
    assert!(page.contains("name=\"q\""));
    let r = s.get("/participants?q=pena").await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains(&format!("href=\"/participants/{jose}\"")));
    assert!(page.contains("Peña, José"));
    assert!(page.contains("1984-03-07"));
    let page = s
        .get("/participants?q=bk20240042")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Booking number BK-2024 0042"), "{page}");
    let page = s.get("/participants?q=nobody").await.text().await.unwrap();
    assert!(page.contains("No one found"));
    assert!(!page.contains(&format!("href=\"/participants/{jose}\"")));
    let r = s.get("/participants?q=%3F").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"q-error\""));
}

#[tokio::test]
async fn people_a_roster_creates_are_found_by_name() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let r = app
        .post_bearer(
            "/api/v1/facilities",
            &admin.token,
            json!({"name": "Lakeview County Jail", "kind": "jail", "setting": "short"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    let booked = (time::today() - Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    std::fs::write(
        &file,
        format!(
            "booking_number,last_name,first_name,date_of_birth,booking_date,expected_release_date,release_date\n\
             BK-77,Ó'Connor,Siobhán,1979-11-30,{booked},,\n"
        ),
    )
    .unwrap();
    let out = app.cli(&[
        "import",
        "roster",
        file.to_str().unwrap(),
        "--org",
        "org-a",
        "--facility",
        "Lakeview County Jail",
        "--create-unmatched",
    ]);
    assert!(out.status.success(), "{out:?}");
    let (_, found) = search(&app, &app.a.user(Role::Peer).token, "siobhan oconnor").await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["last_name"], "Ó'Connor");
    let (_, found) = search(&app, &app.a.user(Role::Peer).token, "bk77").await;
    assert_eq!(found.len(), 1);
}

/// A jail health service (medical personnel under 42 CFR 2.51) seeded beside A and B.
async fn jail_health(app: &TestApp) -> crate::helpers::SeedOrg {
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        crate::helpers::seed_org(
            &db,
            "jail-health",
            "Jail Health",
            throughcare::platform::access::OrgKind::JailHealth,
            Role::ALL,
            &crate::helpers::password_hash(),
        )
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn medical_personnel_find_the_patient_by_name_and_date_of_birth_and_choose_them() {
    let app = spawn_app().await;
    let jose = enrol_jose(&app).await;
    let nurse_org = jail_health(&app).await;
    let nurse = nurse_org.user(Role::Team);
    let s = app.signed_in(&nurse.email).await;
    let page = s.get("/emergency").await.text().await.unwrap();
    assert!(page.contains("id=\"emergency-find\"") && page.contains("<label for=\"em-name\">"));
    // Name and date of birth together find him, offered as a choice carrying his id.
    let r = s.get("/emergency?name=jose+pena&dob=03%2F07%2F1984").await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains(&format!(
            "type=\"radio\" name=\"participant\" value=\"{jose}\""
        )),
        "{page}"
    );
    assert!(page.contains("Peña, José, born 1984-03-07"));
    // A name alone, or a date alone, finds no one: it asks for both.
    let r = s.get("/emergency?name=pena&dob=").await;
    assert_eq!(r.status(), 422);
    assert!(
        !r.text()
            .await
            .unwrap()
            .contains(&format!("value=\"{jose}\""))
    );
    let page = s
        .get("/emergency?name=pena&dob=1984-03-08")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"emergency-no-one\""));
    // Choosing him opens the record, as typing the number did.
    let r = s
        .post_form(
            "/emergency",
            &[
                ("participant", &jose.to_string()),
                (
                    "reason",
                    "Unresponsive on arrival, suspected overdose; need medication history",
                ),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    // His programme sees in its audit log that he was looked for, and by whom.
    let mut conn = app.state.db.conn().unwrap();
    let found: Vec<(Option<i64>, Option<i64>)> = audit_log::table
        .filter(audit_log::action.eq("participant.found_in_emergency"))
        .select((audit_log::actor_user_id, audit_log::participant_id))
        .load(&mut conn)
        .unwrap();
    assert_eq!(found, vec![(Some(nurse.id), Some(jose))]);
    let details: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("participant.search"))
        .select(audit_log::detail)
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        details,
        vec![
            "in an emergency, by name_and_date_of_birth: 1 found",
            "in an emergency, by name_and_date_of_birth: 0 found"
        ]
    );
    // Nobody else may search this way: not a probation officer, not the programme's own staff.
    for email in [&app.b.user(Role::Team).email, &app.a.user(Role::Peer).email] {
        let s = app.signed_in(email).await;
        let r = s.get("/emergency?name=pena&dob=1984-03-07").await;
        assert_eq!(r.status(), 403, "{email}");
    }
}

#[tokio::test]
async fn the_accounting_is_chosen_by_finding_the_person() {
    let app = spawn_app().await;
    let jose = enrol_jose(&app).await;
    let auditor = app.signed_in(&app.a.user(Role::Auditor).email).await;
    let home = auditor.get("/").await.text().await.unwrap();
    assert!(home.contains("href=\"/disclosures\""));
    let page = auditor.get("/disclosures").await.text().await.unwrap();
    assert!(page.contains("<label for=\"q\">Find a person</label>"));
    let page = auditor
        .get("/disclosures?q=Pe%C3%B1a")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("href=\"/participants/{jose}/disclosures\"")));
    assert!(page.contains(&format!("href=\"/audit?participant={jose}\"")));
    let audit = auditor.get("/audit").await.text().await.unwrap();
    assert!(audit.contains("href=\"/disclosures\""));
    let r = auditor
        .get(&format!("/participants/{jose}/disclosures"))
        .await;
    assert_eq!(r.status(), 200);
    // Another organisation's auditor, and a partner, find no one.
    for email in [
        &app.b.user(Role::Auditor).email,
        &app.b.user(Role::Team).email,
    ] {
        let s = app.signed_in(email).await;
        let page = s.get("/disclosures?q=pena").await.text().await.unwrap();
        assert!(page.contains("No one found"), "{email}");
        assert!(!page.contains(&format!("/participants/{jose}/")));
    }
}

#[tokio::test]
async fn a_duplicate_is_chosen_for_merging_by_finding_it() {
    let app = spawn_app().await;
    let jose = enrol_jose(&app).await;
    // The same man enrolled again, his name typed without accents (confirmed as not a duplicate).
    let r = app
        .post_bearer(
            "/api/v1/participants",
            &app.a.user(Role::Peer).token,
            json!({
                "first_name": "Jose",
                "last_name": "Pena",
                "date_of_birth": "1984-07-03",
                "confirm_not_duplicate": true,
            }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let again: Value = r.json().await.unwrap();
    let again = again["id"].as_i64().unwrap();
    let s = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    let record = s
        .get(&format!("/participants/{jose}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(record.contains(&format!("href=\"/participants/{jose}/merge\"")));
    let page = s
        .get(&format!("/participants/{jose}/merge?q=pena"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!(
        "type=\"radio\" name=\"duplicate_id\" value=\"{again}\""
    )));
    assert!(
        !page.contains(&format!("value=\"{jose}\"")),
        "the kept record is not offered"
    );
    let r = s
        .post_form(
            &format!("/participants/{jose}/merge"),
            &[
                ("duplicate_id", &again.to_string()),
                ("reason", "same man, enrolled twice"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Merged, he is found once.
    let (_, found) = search(&app, &app.a.user(Role::Peer).token, "pena").await;
    assert_eq!(ids(&found), vec![jose]);
    // A partner cannot look for duplicates of him.
    let partner = app.signed_in(&app.b.user(Role::Team).email).await;
    let r = partner
        .get(&format!("/participants/{jose}/merge?q=pena"))
        .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn every_demo_participant_is_findable_by_name() {
    use throughcare::participants::matching::normalize_name;
    use throughcare::platform::schema::participants;
    let (_url, state, _dir) = crate::helpers::spawn_demo().await;
    let mut conn = state.db.conn().unwrap();
    let rows: Vec<(String, String, String, String)> = participants::table
        .select((
            participants::first_name,
            participants::last_name,
            participants::search_first_name,
            participants::search_last_name,
        ))
        .load(&mut conn)
        .unwrap();
    assert!(!rows.is_empty());
    for (first, last, search_first, search_last) in rows {
        assert_eq!(search_first, normalize_name(&first));
        assert_eq!(search_last, normalize_name(&last));
    }
}
