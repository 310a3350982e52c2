//! Records that hold up: emergency access only for medical personnel (42 CFR 2.51) and refused
//! exactly like a missing record; criminal-justice consents (2.35) that name one agency; and the
//! programme's audit log showing everything anyone did with its participants' records.

use chrono::Duration;
use serde_json::{Value, json};
use throughcare::platform::access::{OrgKind, Role};
use throughcare::platform::time;

use crate::helpers::{PASSWORD, SeedOrg, TestApp, password_hash, seed_org, spawn_app};

/// Add an organisation of `kind` with a user of every role (and one participant of its own).
async fn add_org(app: &TestApp, slug: &str, kind: OrgKind) -> SeedOrg {
    let db = app.state.db.clone();
    let slug = slug.to_string();
    tokio::task::spawn_blocking(move || {
        seed_org(&db, &slug, &slug, kind, Role::ALL, &password_hash())
    })
    .await
    .unwrap()
}

async fn org_id(app: &TestApp, o: &SeedOrg) -> i64 {
    let me: Value = app
        .get_bearer("/api/v1/me", &o.user(Role::Admin).token)
        .await
        .json()
        .await
        .unwrap();
    me["org_id"].as_i64().unwrap()
}

const REASON: &str = "found unresponsive in the clinic, EMS asking about medications";

async fn open(app: &TestApp, token: &str, pid: i64, password: &str) -> reqwest::Response {
    app.post_bearer(
        "/api/v1/emergency-access",
        token,
        json!({"participant_id": pid, "reason": REASON, "password": password}),
    )
    .await
}

/// The id of no participant.
const NOBODY: i64 = 4_503_599_627_370_000;

#[tokio::test]
async fn emergency_access_opens_exactly_for_medical_personnel_and_refusals_look_like_missing_records()
 {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let mut kinds = Vec::new();
    for kind in OrgKind::ALL {
        if *kind == OrgKind::Provider {
            continue;
        }
        kinds.push((
            *kind,
            add_org(
                &app,
                &format!("k-{}", kind.as_str().replace('_', "-")),
                *kind,
            )
            .await,
        ));
    }
    let mut opened = 0;
    for (kind, org) in kinds.iter().map(|(k, o)| (Some(*k), o)).chain([
        (None, &app.b), // an unrelated peer programme
        (None, &app.a), // the participant's own programme: its staff see by role, never by 2.51
    ]) {
        for role in Role::ALL {
            let token = &org.user(*role).token;
            let medical = matches!(
                kind,
                Some(OrgKind::MedicalProvider | OrgKind::TreatmentProvider | OrgKind::JailHealth)
            ) && *role != Role::Auditor;
            let r = open(&app, token, pid, PASSWORD).await;
            let (status, body) = (r.status().as_u16(), r.bytes().await.unwrap());
            if medical {
                assert_eq!(status, 201, "{kind:?} {role:?} is medical personnel");
                opened += 1;
                continue;
            }
            let missing = open(&app, token, NOBODY, PASSWORD).await;
            assert_eq!(status, 404, "{kind:?} {role:?} is refused");
            assert_eq!(missing.status().as_u16(), 404);
            assert_eq!(
                body,
                missing.bytes().await.unwrap(),
                "{kind:?} {role:?}: a refusal is byte-identical to a record that does not exist"
            );
        }
    }
    assert_eq!(
        opened,
        3 * 4,
        "three medical kinds, four roles each besides the auditor"
    );

    // The refused probation officer still cannot read anything.
    let probation = &kinds
        .iter()
        .find(|(k, _)| *k == OrgKind::Probation)
        .unwrap()
        .1;
    let r = app
        .get_bearer(
            &format!("/api/v1/participants/{pid}/encounters"),
            &probation.user(Role::Team).token,
        )
        .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn emergency_access_needs_the_password_again_and_a_reason_before_anything_is_looked_up() {
    let app = spawn_app().await;
    let nurse_org = add_org(&app, "jail-health", OrgKind::JailHealth).await;
    let nurse = nurse_org.user(Role::Team);
    let pid = app.a.participant_id;
    for id in [pid, NOBODY] {
        let r = open(&app, &nurse.token, id, "not my password").await;
        assert_eq!(r.status(), 422);
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "password", "{p}");
        let r = app
            .post_bearer(
                "/api/v1/emergency-access",
                &nurse.token,
                json!({"participant_id": id, "reason": "", "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status(), 422);
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "reason");
    }
    let r = app
        .get_bearer(
            &format!("/api/v1/participants/{pid}/encounters"),
            &nurse.token,
        )
        .await;
    assert_eq!(r.status(), 404, "nothing was opened");
}

#[tokio::test]
async fn a_page_opened_in_an_emergency_says_so_and_the_programme_is_alerted_and_can_end_it() {
    let app = spawn_app().await;
    let nurse_org = add_org(&app, "lakeview-jail-health", OrgKind::JailHealth).await;
    let nurse = nurse_org.user(Role::Team);
    let pid = app.a.participant_id;

    // The nurse opens the record from the page, with the password.
    let s = app.signed_in(&nurse.email).await;
    let page = s.get("/emergency").await.text().await.unwrap();
    assert!(page.contains("id=\"emergency-form\"") && page.contains("name=\"password\""));
    let r = s
        .post_form(
            "/emergency",
            &[
                ("participant", &pid.to_string()),
                ("reason", REASON),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let record = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        record.contains("Confidential: opened for a medical emergency")
            && record.contains("Opened for a medical emergency by")
            && record.contains(&nurse.email)
            && record.contains(" UTC"),
        "the page names the emergency, who opened it and until when"
    );
    assert!(!record.contains("disclosed with consent"));

    // A probation officer's page offers no form.
    let probation = add_org(&app, "probation", OrgKind::Probation).await;
    let s2 = app.signed_in(&probation.user(Role::Team).email).await;
    let page = s2.get("/emergency").await.text().await.unwrap();
    assert!(page.contains("id=\"emergency-not-medical\"") && !page.contains("emergency-form"));

    // The owning programme's supervisor and privacy officer are alerted at once.
    for role in [Role::Supervisor, Role::Auditor] {
        let home = app
            .signed_in(&app.a.user(role).email)
            .await
            .get("/")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            home.contains("id=\"alerts\"")
                && home.contains("medical emergency")
                && home.contains(&nurse.email),
            "{role:?} is alerted"
        );
    }
    // Another programme is not.
    let home_b = app
        .signed_in(&app.b.user(Role::Supervisor).email)
        .await
        .get("/")
        .await
        .text()
        .await
        .unwrap();
    assert!(!home_b.contains(&nurse.email));

    // The supervisor sees it and ends it early; the nurse's access stops; ending twice is 409.
    let list: Value = app
        .get_bearer(
            "/api/v1/emergency-access",
            &app.a.user(Role::Supervisor).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["active"], true);
    let eid = list[0]["id"].as_i64().unwrap();
    // Another programme's supervisor cannot end it.
    let r = app
        .post_bearer(
            &format!("/api/v1/emergency-access/{eid}/end"),
            &app.b.user(Role::Supervisor).token,
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 404);
    let r = app
        .post_bearer(
            &format!("/api/v1/emergency-access/{eid}/end"),
            &app.a.user(Role::Supervisor).token,
            json!({"reason": "the person is awake and consented at the clinic"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let ended: Value = r.json().await.unwrap();
    assert_eq!(ended["active"], false);
    assert!(ended["expires_at"].as_str().unwrap() > ended["ended_at"].as_str().unwrap());
    assert_eq!(
        app.get_bearer(&format!("/api/v1/participants/{pid}"), &nurse.token)
            .await
            .status(),
        404
    );
    let again = app
        .post_bearer(
            &format!("/api/v1/emergency-access/{eid}/end"),
            &app.a.user(Role::Supervisor).token,
            json!({}),
        )
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(
        again.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
}

#[tokio::test]
async fn a_programme_may_narrow_emergency_access_to_listed_medical_organisations_never_widen_it() {
    let app = spawn_app().await;
    let jail = add_org(&app, "jail-health", OrgKind::JailHealth).await;
    let hospital = add_org(&app, "hospital", OrgKind::MedicalProvider).await;
    let probation = add_org(&app, "probation", OrgKind::Probation).await;
    let (hospital_id, probation_id) = (
        org_id(&app, &hospital).await,
        org_id(&app, &probation).await,
    );
    let admin = &app.a.user(Role::Admin).token;
    let put = |body: Value| {
        let app = &app;
        async move {
            app.api()
                .put(format!("{}/api/v1/emergency-access/reach", app.url))
                .bearer_auth(admin)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let r = put(json!({"listed_only": true, "organisations": [probation_id]})).await;
    assert_eq!(r.status(), 422, "probation is not medical personnel");
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "organisations");
    let r = put(json!({"listed_only": true, "organisations": [hospital_id]})).await;
    assert_eq!(r.status(), 200);
    let peer_put = app
        .api()
        .put(format!("{}/api/v1/emergency-access/reach", app.url))
        .bearer_auth(&app.a.user(Role::Peer).token)
        .json(&json!({"listed_only": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(peer_put.status(), 403, "only admins set it");

    let pid = app.a.participant_id;
    let refused = open(&app, &jail.user(Role::Team).token, pid, PASSWORD).await;
    assert_eq!(refused.status(), 404, "not listed");
    let allowed = open(&app, &hospital.user(Role::Team).token, pid, PASSWORD).await;
    assert_eq!(allowed.status(), 201, "listed");
    // B's participants are not narrowed by A's choice.
    let other = open(
        &app,
        &jail.user(Role::Team).token,
        app.b.participant_id,
        PASSWORD,
    )
    .await;
    assert_eq!(other.status(), 201);
}

/// A criminal-justice consent as the API takes it.
fn cj_consent(recipients: Value) -> Value {
    json!({
        "kind": "criminal_justice",
        "categories": ["participation", "release_plan"],
        "recipients": recipients,
        "purpose": "monitoring_progress",
        "expires_on": (time::today() + Duration::days(180)).format("%Y-%m-%d").to_string(),
        "right_to_revoke_acknowledged": true,
        "signature_kind": "on_screen",
        "signer_name": "Jordan Test",
        "cj_condition_of_release": "Probation condition 7: engage with peer support",
    })
}

#[tokio::test]
async fn a_criminal_justice_consent_names_one_agency_and_one_naming_a_class_discloses_nothing() {
    let app = spawn_app().await;
    let county = add_org(&app, "county-probation", OrgKind::Probation).await;
    let state_dept = add_org(&app, "state-probation", OrgKind::Probation).await;
    let clinic = add_org(&app, "clinic", OrgKind::TreatmentProvider).await;
    let county_id = org_id(&app, &county).await;
    let pid = app.a.participant_id;
    let peer = &app.a.user(Role::Peer).token;
    let path = format!("/api/v1/participants/{pid}/consents");

    let r = app
        .post_bearer(
            &path,
            peer,
            cj_consent(json!([{"kind": "class", "class": "probation"}])),
        )
        .await;
    assert_eq!(r.status(), 422);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "recipients", "{p}");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("2.35"));

    let clinic_id = org_id(&app, &clinic).await;
    let r = app
        .post_bearer(
            &path,
            peer,
            cj_consent(json!([{"kind": "organisation", "org_id": clinic_id}])),
        )
        .await;
    assert_eq!(
        r.status(),
        422,
        "a treatment provider is not a criminal-justice agency"
    );

    let r = app
        .post_bearer(
            &path,
            peer,
            cj_consent(json!([{"kind": "organisation", "org_id": county_id}])),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let release = format!("/api/v1/participants/{pid}/checklist");
    let read = |token: String| {
        let app = &app;
        let release = release.clone();
        async move { app.get_bearer(&release, &token).await.status().as_u16() }
    };
    assert_eq!(read(county.user(Role::Team).token.clone()).await, 200);
    assert_eq!(
        read(state_dept.user(Role::Team).token.clone()).await,
        404,
        "another probation department sees nothing"
    );

    // A class-naming 2.35 consent recorded before the rule (written straight to the database):
    // it names nobody, `migrate` reports it, and the programme's page lists it.
    let cid: i64 = 777_000_001;
    {
        use diesel::prelude::*;
        use throughcare::consent::schema::{consent_recipients, consents};
        let mut conn = app.state.db.conn().unwrap();
        let now = time::now();
        let org: i64 = {
            use throughcare::platform::schema::participants;
            participants::table
                .find(pid)
                .select(participants::org_id)
                .first(&mut conn)
                .unwrap()
        };
        diesel::insert_into(consents::table)
            .values((
                consents::id.eq(cid),
                consents::org_id.eq(org),
                consents::participant_id.eq(pid),
                consents::kind.eq("criminal_justice"),
                consents::categories.eq("participation release_plan"),
                consents::purpose.eq("monitoring_progress"),
                consents::expiry_on.eq(Some(time::today() + Duration::days(90))),
                consents::cj_condition.eq(Some("condition of probation")),
                consents::signature_kind.eq("on_screen"),
                consents::signer_name.eq(Some("Jordan Test")),
                consents::signed_at.eq(now - Duration::days(1)),
                consents::signer_is_representative.eq(false),
                consents::created_at.eq(now - Duration::days(1)),
            ))
            .execute(&mut conn)
            .unwrap();
        diesel::insert_into(consent_recipients::table)
            .values((
                consent_recipients::id.eq(cid + 1),
                consent_recipients::consent_id.eq(cid),
                consent_recipients::participant_id.eq(pid),
                consent_recipients::kind.eq("class"),
                consent_recipients::recipient_class.eq(Some("probation")),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    assert_eq!(
        read(state_dept.user(Role::Team).token.clone()).await,
        404,
        "a class-naming criminal-justice consent fails closed"
    );
    let out = app.cli(&["migrate"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("1 criminal-justice consent(s)") && stdout.contains(&cid.to_string()),
        "{stdout}"
    );
    let to_fix: Value = app
        .get_bearer(
            "/api/v1/consents/to-correct",
            &app.a.user(Role::Admin).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(to_fix.as_array().unwrap().len(), 1);
    assert_eq!(to_fix[0]["consent_id"], cid);
    let page = app
        .signed_in(&app.a.user(Role::Supervisor).email)
        .await
        .get("/consents/to-correct")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("data-consent=\"{cid}\"")));
    let b_list: Value = app
        .get_bearer(
            "/api/v1/consents/to-correct",
            &app.b.user(Role::Admin).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        b_list.as_array().unwrap().len(),
        0,
        "another programme's list is its own"
    );
}

#[tokio::test]
async fn the_programme_sees_every_access_to_its_participants_whoever_made_it() {
    let app = spawn_app().await;
    let nurse_org = add_org(&app, "jail-health", OrgKind::JailHealth).await;
    let nurse = nurse_org.user(Role::Team);
    let pid = app.a.participant_id;

    // Another tenant's peer probes the id (denied), the nurse opens and views the record.
    for _ in 0..3 {
        let r = app
            .get_bearer(
                &format!("/api/v1/participants/{pid}"),
                &app.b.user(Role::Peer).token,
            )
            .await;
        assert_eq!(r.status(), 404);
    }
    assert_eq!(open(&app, &nurse.token, pid, PASSWORD).await.status(), 201);
    assert_eq!(
        app.get_bearer(&format!("/api/v1/participants/{pid}"), &nurse.token)
            .await
            .status(),
        200
    );

    let log: Value = app
        .get_bearer(
            &format!("/api/v1/audit?participant={pid}"),
            &app.a.user(Role::Auditor).token,
        )
        .await
        .json()
        .await
        .unwrap();
    let lines = log.as_array().unwrap();
    let by = |action: &str, org: &str| {
        lines
            .iter()
            .filter(|l| l["action"] == action && l["actor_organisation"] == org)
            .count()
    };
    assert_eq!(by("participant.denied", "Organisation B"), 3, "{log:#}");
    assert_eq!(by("emergency.open", "jail-health"), 1, "{log:#}");
    assert!(by("participant.view", "jail-health") >= 1, "{log:#}");
    // The page shows the same, with the organisation.
    let page = app
        .signed_in(&app.a.user(Role::Admin).email)
        .await
        .get(&format!("/audit?participant={pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("participant.denied") && page.contains("Organisation B"));

    // The partner's auditor sees its own staff's entries, not A's staff's.
    let partner_log: Value = app
        .get_bearer(
            &format!("/api/v1/audit?participant={pid}"),
            &nurse_org.user(Role::Auditor).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        partner_log
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["actor_organisation"] == "jail-health"),
        "{partner_log:#}"
    );
    assert!(!partner_log.as_array().unwrap().is_empty());
    // B's auditor does not see A's staff reading A's participant.
    let b_log: Value = app
        .get_bearer(
            &format!("/api/v1/audit?participant={pid}"),
            &app.b.user(Role::Auditor).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        b_log
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["actor_organisation"] == "Organisation B"),
        "{b_log:#}"
    );
}
