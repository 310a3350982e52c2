//! Consent enforcement over every participant-scoped route, the consent form's refusals,
//! revocation, criminal-justice irrevocability, emergency access and the accounting.

use chrono::Duration;
use serde_json::{Value, json};
use throughcare::consent::rules::Category;
use throughcare::platform::access::Role;
use throughcare::platform::time;

use crate::helpers::{TestApp, participant_scoped_routes, spawn_app};

fn d(days: i64) -> String {
    (time::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

fn fill(template: &str, victim: i64) -> String {
    let mut out = template.replace("{id}", &victim.to_string());
    while let (Some(a), Some(b)) = (out.find('{'), out.find('}')) {
        out.replace_range(a..=b, "1");
    }
    out
}

/// A consent naming organisation B for the given categories, recorded by A's peer.
async fn consent_for(app: &TestApp, categories: &[&str]) -> Value {
    let body = json!({
        "kind": "standard",
        "categories": categories,
        "recipients": [{"kind": "organisation", "org_id": org_b(app).await}],
        "purpose": "care_coordination",
        "expires_on": d(90),
        "right_to_revoke_acknowledged": true,
        "signature_kind": "on_screen",
        "signer_name": "Jordan Test",
    });
    let r = app
        .post_bearer(
            &format!("/api/v1/participants/{}/consents", app.a.participant_id),
            &app.a.user(Role::Peer).token,
            body,
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

async fn org_b(app: &TestApp) -> i64 {
    let me: Value = app
        .get_bearer("/api/v1/me", &app.b.user(Role::Team).token)
        .await
        .json()
        .await
        .unwrap();
    me["org_id"].as_i64().unwrap()
}

/// Status of every participant-scoped route for B's team member.
async fn statuses(app: &TestApp) -> Vec<(String, String, u16)> {
    let victim = app.a.participant_id;
    let partner = app.b.user(Role::Team);
    let session = app.signed_in(&partner.email).await;
    let mut out = Vec::new();
    for (method, template) in participant_scoped_routes() {
        let path = fill(&template, victim);
        let status = if path.starts_with("/api/") {
            let req = if method == "GET" {
                app.api().get(format!("{}{path}", app.url))
            } else {
                app.api()
                    .post(format!("{}{path}", app.url))
                    .json(&json!({}))
            };
            req.bearer_auth(&partner.token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        } else if method == "GET" {
            session.get(&path).await.status().as_u16()
        } else {
            session.post_form(&path, &[]).await.status().as_u16()
        };
        out.push((method, template, status));
    }
    out
}

#[tokio::test]
async fn a_partner_sees_only_what_consent_allows_on_every_route() {
    let app = spawn_app().await;
    // Without consent: nothing, anywhere.
    for (m, t, s) in statuses(&app).await {
        assert_eq!(s, 404, "no consent: {m} {t}");
    }
    // One category at a time: the overview opens, each other route opens under at most one
    // category, and writes never do.
    let mut opened_by: std::collections::HashMap<String, Vec<&str>> =
        std::collections::HashMap::default();
    for &c in Category::ALL {
        let consent = consent_for(&app, &[c.as_str()]).await;
        for (m, t, s) in statuses(&app).await {
            if m != "GET" {
                assert_eq!(
                    s,
                    404,
                    "{} consent: partners never write: {m} {t}",
                    c.as_str()
                );
                continue;
            }
            assert!(s == 200 || s == 404, "{m} {t}: {s}");
            if s == 200 {
                opened_by.entry(t.clone()).or_default().push(c.as_str());
            }
        }
        // What the page shows matches the category.
        let session = app.signed_in(&app.b.user(Role::Team).email).await;
        let page = session
            .get(&format!("/participants/{}", app.a.participant_id))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("42 CFR part 2 prohibits unauthorized disclosure of these records."),
            "notice on the page"
        );
        assert_eq!(
            page.contains("id=\"barc10\""),
            c == Category::Assessments,
            "{}: assessments section",
            c.as_str()
        );
        assert_eq!(
            page.contains("id=\"plan\""),
            c == Category::Plan,
            "{}: plan section",
            c.as_str()
        );
        assert_eq!(
            page.contains("id=\"referrals\""),
            c == Category::Referrals,
            "{}: referrals section",
            c.as_str()
        );
        assert_eq!(
            page.contains("id=\"checklist\""),
            c == Category::ReleasePlan,
            "{}: release section",
            c.as_str()
        );
        assert_eq!(
            page.matches("method=\"post\"").count(),
            1,
            "{}: partners get no forms but sign-out",
            c.as_str()
        );
        // Revoke it: on the next request, nothing again.
        let r = app
            .post_bearer(
                &format!("/api/v1/consents/{}/revoke", consent["id"]),
                &app.a.user(Role::Peer).token,
                json!({"method": "in_writing"}),
            )
            .await;
        assert_eq!(r.status(), 200);
        for (m, t, s) in statuses(&app).await {
            assert_eq!(s, 404, "after revoking {}: {m} {t}", c.as_str());
        }
    }
    let overview = ["/api/v1/participants/{id}", "/participants/{id}"];
    for (route, cats) in &opened_by {
        if overview.contains(&route.as_str()) {
            assert_eq!(
                cats.len(),
                Category::ALL.len(),
                "{route} opens under any category"
            );
        } else {
            assert_eq!(cats.len(), 1, "{route} opened under {cats:?}");
        }
    }
    // Each category opened something of its own, except notes (which only add to encounters).
    for c in Category::ALL
        .iter()
        .filter(|c| **c != Category::EncounterNotes)
    {
        assert!(
            opened_by
                .iter()
                .any(|(r, cats)| !overview.contains(&r.as_str()) && cats.contains(&c.as_str())),
            "{} opens its data",
            c.as_str()
        );
    }
}

#[tokio::test]
async fn encounter_notes_are_shared_only_when_named() {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let now = time::now().format("%Y-%m-%dT%H:%M").to_string();
    let r = app.post_bearer(&format!("/api/v1/participants/{pid}/encounters"), &app.a.user(Role::Peer).token, json!({"mode": "phone", "outcome": "completed", "occurred_at": now, "duration_minutes": 10, "note": "Talked about a relapse."})).await;
    assert_eq!(r.status(), 201);
    consent_for(&app, &["participation"]).await;
    let list: Value = app
        .get_bearer(
            &format!("/api/v1/participants/{pid}/encounters"),
            &app.b.user(Role::Team).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["note"], "", "participation without notes");
    consent_for(&app, &["participation", "encounter_notes"]).await;
    let list: Value = app
        .get_bearer(
            &format!("/api/v1/participants/{pid}/encounters"),
            &app.b.user(Role::Team).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["note"], "Talked about a relapse.");
}

#[tokio::test]
async fn the_consent_form_refuses_a_consent_missing_any_required_element() {
    let app = spawn_app().await;
    let t = &app.a.user(Role::Peer).token;
    let path = format!("/api/v1/participants/{}/consents", app.a.participant_id);
    let r = app.post_bearer(&path, t, json!({})).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for required in [
        "categories",
        "recipients",
        "purpose",
        "expiry",
        "right_to_revoke_acknowledged",
        "signature",
    ] {
        assert!(
            fields.contains(&required),
            "{required} is named: {fields:?}"
        );
    }
    // One element missing at a time is named alone.
    let full = json!({"categories": ["participation"], "recipients": [{"kind": "class", "class": "probation"}], "purpose": "care_coordination", "expires_on": d(30), "right_to_revoke_acknowledged": true, "signature_kind": "on_screen", "signer_name": "J T"});
    for (key, field) in [
        ("categories", "categories"),
        ("recipients", "recipients"),
        ("purpose", "purpose"),
        ("expires_on", "expiry"),
        (
            "right_to_revoke_acknowledged",
            "right_to_revoke_acknowledged",
        ),
        ("signer_name", "signature"),
    ] {
        let mut body = full.clone();
        body.as_object_mut().unwrap().remove(key);
        let v: Value = app.post_bearer(&path, t, body).await.json().await.unwrap();
        let fields: Vec<&str> = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, [field], "without {key}");
    }
    // A representative must state their authority.
    let mut body = full.clone();
    body["signer_is_representative"] = json!(true);
    let v: Value = app.post_bearer(&path, t, body).await.json().await.unwrap();
    assert_eq!(v["errors"][0]["field"], "representative_authority");
    // The HTML form says the same, beside the fields.
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    let r = s
        .post_form(
            &format!("/participants/{}/consents", app.a.participant_id),
            &[("kind", "standard"), ("categories", "plan")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("data-field=\"recipients\"") && page.contains("data-field=\"signature\""),
        "the form names the missing elements"
    );
    assert_eq!(
        app.get_bearer(&path, t)
            .await
            .json::<Value>()
            .await
            .unwrap(),
        json!([]),
        "nothing was saved"
    );
}

#[tokio::test]
async fn criminal_justice_consent_is_irrevocable_until_its_date_and_expired_consent_shows_nothing()
{
    let app = spawn_app().await;
    let t = &app.a.user(Role::Peer).token;
    let path = format!("/api/v1/participants/{}/consents", app.a.participant_id);
    // 42 CFR 2.35: the consent names the probation department itself.
    let probation = {
        let db = app.state.db.clone();
        tokio::task::spawn_blocking(move || {
            crate::helpers::seed_org(
                &db,
                "county-probation",
                "County Probation",
                throughcare::platform::access::OrgKind::Probation,
                &[Role::Team],
                &crate::helpers::password_hash(),
            )
        })
        .await
        .unwrap()
    };
    let me: Value = app
        .get_bearer("/api/v1/me", &probation.user(Role::Team).token)
        .await
        .json()
        .await
        .unwrap();
    let b_org = me["org_id"].as_i64().unwrap();
    let body = json!({"kind": "criminal_justice", "categories": ["participation"], "recipients": [{"kind": "organisation", "org_id": b_org}], "purpose": "monitoring_progress", "expires_on": d(200), "right_to_revoke_acknowledged": true, "signature_kind": "on_screen", "signer_name": "J T", "cj_condition_of_release": "Probation condition 7", "cj_final_disposition_on": d(150), "irrevocable_until": d(100)});
    let r = app.post_bearer(&path, t, body.clone()).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let list: Value = app.get_bearer(&path, t).await.json().await.unwrap();
    let id = list[0]["id"].as_i64().unwrap();
    // The printed form says from when it can be revoked (42 CFR 2.35(c)), never also "at any
    // time", in either language.
    let peer = app.signed_in(&app.a.user(Role::Peer).email).await;
    // Dates on the printed form are written out, in its language (decision 0043).
    let long = |days: i64, spanish: bool| {
        let t = throughcare::platform::time::today() + chrono::Duration::days(days);
        let lang = if spanish {
            throughcare::platform::i18n::Language::Es
        } else {
            throughcare::platform::i18n::Language::En
        };
        throughcare::platform::i18n::Tr::new(lang).date(&t)
    };
    for (lang, from, never) in [
        (
            "en",
            format!("at any time from {} on", long(100, false)),
            "revoke this consent in writing at any time.",
        ),
        (
            "es",
            format!("en cualquier momento a partir del {}", long(100, true)),
            "por escrito en cualquier momento.",
        ),
    ] {
        let doc = peer
            .get(&format!(
                "/participants/{}/consents/{id}/document?lang={lang}",
                app.a.participant_id
            ))
            .await
            .text()
            .await
            .unwrap();
        assert!(doc.contains(&from), "{lang}: {doc}");
        assert!(!doc.contains(never), "{lang}: {doc}");
    }
    let r = app
        .post_bearer(&format!("/api/v1/consents/{id}/revoke"), t, json!({}))
        .await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&d(100)),
        "{v}"
    );
    // Encounter notes are never part of a criminal-justice consent.
    let mut notes = body.clone();
    notes["categories"] = json!(["participation", "encounter_notes"]);
    assert_eq!(app.post_bearer(&path, t, notes).await.status(), 422);
    // An expired consent opens nothing.
    {
        use diesel::prelude::*;
        use throughcare::consent::schema::consents;
        let mut conn = app.state.db.conn().unwrap();
        diesel::update(consents::table.find(id))
            .set(consents::expiry_on.eq(Some(time::today() - Duration::days(1))))
            .execute(&mut conn)
            .unwrap();
    }
    let r = app
        .get_bearer(
            &format!("/api/v1/participants/{}", app.a.participant_id),
            &probation.user(Role::Team).token,
        )
        .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn disclosures_are_accounted_and_survive_revocation() {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let consent = consent_for(&app, &["assessments"]).await;
    let partner = app.b.user(Role::Team);
    assert_eq!(
        app.get_bearer(
            &format!("/api/v1/participants/{pid}/barc10"),
            &partner.token
        )
        .await
        .status(),
        200
    );
    app.post_bearer(
        &format!("/api/v1/consents/{}/revoke", consent["id"]),
        &app.a.user(Role::Peer).token,
        json!({}),
    )
    .await;
    for role in [Role::Peer, Role::Auditor] {
        let lines: Value = app
            .get_bearer(
                &format!("/api/v1/participants/{pid}/disclosures"),
                &app.a.user(role).token,
            )
            .await
            .json()
            .await
            .unwrap();
        let line = &lines.as_array().unwrap()[0];
        assert_eq!(line["categories"], "assessments");
        assert_eq!(line["consent_id"], consent["id"]);
        assert!(
            line["recipient_label"]
                .as_str()
                .unwrap()
                .contains(&partner.email)
        );
    }
    assert_eq!(
        app.get_bearer(
            &format!("/api/v1/participants/{pid}/disclosures"),
            &partner.token
        )
        .await
        .status(),
        404,
        "the partner does not read the accounting"
    );
    let s = app.signed_in(&app.a.user(Role::Auditor).email).await;
    let es = s
        .get(&format!("/participants/{pid}/disclosures?lang=es"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        es.contains("Registro de divulgaciones") && es.contains("Evaluaciones"),
        "Spanish accounting"
    );
}

#[tokio::test]
async fn emergency_access_needs_a_reason_is_time_limited_and_alerts_supervisors() {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let jail_health = {
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
    };
    let partner = jail_health.user(Role::Team);
    let path = "/api/v1/emergency-access";
    let pw = crate::helpers::PASSWORD;
    let r = app
        .post_bearer(
            path,
            &partner.token,
            json!({"participant_id": pid, "reason": "", "password": pw}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.post_bearer(
            path,
            &jail_health.user(Role::Auditor).token,
            json!({"participant_id": pid, "reason": "overdose in the lobby, EMS on scene", "password": pw})
        )
        .await
        .status(),
        404
    );
    let r = app
        .post_bearer(
            path,
            &partner.token,
            json!({"participant_id": pid, "reason": "overdose in the lobby, EMS on scene", "password": pw}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let g: Value = r.json().await.unwrap();
    assert_eq!(
        app.get_bearer(
            &format!("/api/v1/participants/{pid}/encounters"),
            &partner.token
        )
        .await
        .status(),
        200
    );
    let lines: Value = app
        .get_bearer(
            &format!("/api/v1/participants/{pid}/disclosures"),
            &app.a.user(Role::Auditor).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lines[0]["emergency_id"], g["id"]);
    for role in [Role::Supervisor, Role::Auditor] {
        let s = app.signed_in(&app.a.user(role).email).await;
        let home = s.get("/").await.text().await.unwrap();
        assert!(
            home.contains("id=\"alerts\"") && home.contains("medical emergency"),
            "{role:?} is alerted"
        );
    }
    // After the hour, nothing.
    {
        use diesel::prelude::*;
        use throughcare::consent::schema::emergency_accesses;
        let mut conn = app.state.db.conn().unwrap();
        diesel::update(emergency_accesses::table)
            .set(emergency_accesses::expires_at.eq(time::now() - Duration::minutes(1)))
            .execute(&mut conn)
            .unwrap();
    }
    assert_eq!(
        app.get_bearer(
            &format!("/api/v1/participants/{pid}/encounters"),
            &partner.token
        )
        .await
        .status(),
        404
    );
}

#[tokio::test]
async fn a_revocation_names_one_of_the_known_ways_of_revoking() {
    let app = spawn_app().await;
    let consent = consent_for(&app, &["participation"]).await;
    let peer = &app.a.user(Role::Peer).token;
    let path = format!("/api/v1/consents/{}/revoke", consent["id"]);
    // Any text used to be stored as the method; now it must be one of the codes.
    let r = app
        .post_bearer(&path, peer, json!({"method": "by carrier pigeon"}))
        .await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["errors"][0]["field"], "method", "{v}");
    let r = app
        .post_bearer(&path, peer, json!({"method": "verbally_then_in_writing"}))
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let revoked = v
        .as_array()
        .map(|a| a.iter().find(|c| c["id"] == consent["id"]).unwrap().clone())
        .unwrap_or(v);
    assert_eq!(revoked["revocation_method"], "verbally_then_in_writing");
    assert_eq!(revoked["state"], "revoked");
}

/// A participant who reads Spanish gets their consent documents in Spanish without anyone asking
/// (`?lang=en` still gives English); a blank form to sign on paper prints every element with
/// their name, before any consent is recorded.
#[tokio::test]
async fn a_spanish_reading_participants_consent_forms_print_in_spanish_and_a_blank_one_prints_first()
 {
    use diesel::prelude::*;
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let peer = app.signed_in(&app.a.user(Role::Peer).email).await;
    // Before any consent: the blank form, in English until the language is known.
    let blank = peer
        .get(&format!("/participants/{pid}/consents/blank"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        blank.contains("<h1>Consent to share information</h1>"),
        "{blank}"
    );
    for c in Category::ALL {
        assert!(blank.contains(c.label()), "{} on the blank form", c.label());
    }
    assert!(blank.contains("Signature: ______"));
    assert!(
        !blank.contains("cannot revoke"),
        "no contradiction with the right to revoke"
    );
    {
        let mut conn = app.state.db.conn().unwrap();
        diesel::sql_query("UPDATE participants SET language = 'Español' WHERE id = $1")
            .bind::<diesel::sql_types::BigInt, _>(pid)
            .execute(&mut conn)
            .unwrap();
    }
    let blank = peer
        .get(&format!("/participants/{pid}/consents/blank"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        blank.contains("<h1>Consentimiento para compartir información</h1>"),
        "{blank}"
    );
    assert!(
        blank.contains("lang=\"es\""),
        "<html lang> follows the document: {blank}"
    );
    for c in Category::ALL {
        assert!(
            blank.contains(c.label_es()),
            "{} on the Spanish blank form",
            c.label_es()
        );
    }
    let english = peer
        .get(&format!("/participants/{pid}/consents/blank?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(english.contains("<h1>Consent to share information</h1>"));
    // The recorded consent prints in Spanish too.
    let consent = consent_for(&app, &["participation"]).await;
    let doc = peer
        .get(&format!(
            "/participants/{pid}/consents/{}/document",
            consent["id"]
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        doc.contains("<h1>Consentimiento para compartir información</h1>"),
        "{doc}"
    );
}
