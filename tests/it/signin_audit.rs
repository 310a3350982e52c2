//! Failed sign-ins reach the organisation's audit log: an attempt on an existing account is
//! recorded against the account's organisation (so its admins and auditors see it in
//! `GET /api/v1/audit` and on `/audit`), never against another's; an attempt on an unknown
//! e-mail names no organisation (which would tell who has an account). On both backends.

use diesel::prelude::*;
use serde_json::Value;
use throughcare::platform::access::Role;
use throughcare::platform::schema::audit_log;

use crate::helpers::{PASSWORD, Session, TestApp, spawn_app};

async fn audit(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let r = app
        .get_bearer(&format!("/api/v1/audit?{query}"), token)
        .await;
    assert_eq!(r.status(), 200);
    r.json::<Value>()
        .await
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn org_id(app: &TestApp, token: &str) -> i64 {
    let me: Value = app
        .get_bearer("/api/v1/me", token)
        .await
        .json()
        .await
        .unwrap();
    me["org_id"].as_i64().expect("org_id")
}

#[tokio::test]
async fn a_failed_sign_in_is_in_the_audit_log_of_the_accounts_organisation_only() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let unknown = "nobody-here@org-a.test";
    let s = Session::new(&app.url);
    assert_eq!(
        s.sign_in(&peer.email, "not the password").await.status(),
        401
    );
    assert_eq!(s.sign_in(unknown, "not the password").await.status(), 401);
    let org_a = org_id(&app, &app.a.user(Role::Admin).token).await;

    for role in [Role::Admin, Role::Auditor] {
        let entries = audit(&app, &app.a.user(role).token, "action=signin.").await;
        let mine: Vec<&Value> = entries
            .iter()
            .filter(|e| e["actor_label"] == peer.email.as_str())
            .collect();
        assert_eq!(mine.len(), 1, "{role:?} of A sees the failure: {entries:?}");
        let e = mine[0];
        assert_eq!(e["action"], "signin.failure");
        assert_eq!(e["actor_org_id"].as_i64(), Some(org_a));
        assert_eq!(
            e["actor_user_id"],
            Value::Null,
            "nobody signed in: the account holder is not named as the actor"
        );
        assert_eq!(e["record_type"], "user");
        assert_eq!(e["record_id"].as_i64(), Some(peer.id), "the account tried");
        assert!(
            !entries.iter().any(|e| e["actor_label"] == unknown),
            "an unknown e-mail is no organisation's"
        );
        // And by the actor filter, as the audit page offers it.
        let by_actor = audit(&app, &app.a.user(role).token, "actor=peer@org-a").await;
        assert!(
            by_actor
                .iter()
                .any(|e| e["action"] == "signin.failure" && e["actor_label"] == peer.email.as_str()),
            "{role:?} finds it by actor"
        );
    }
    for role in [Role::Admin, Role::Auditor] {
        let entries = audit(&app, &app.b.user(role).token, "").await;
        assert!(
            !entries
                .iter()
                .any(|e| e["actor_label"] == peer.email.as_str()
                    || e["actor_label"] == unknown
                    || e["action"] == "signin.failure"),
            "{role:?} of B sees no failure of A's account: {entries:?}"
        );
    }

    // The audit page shows it to A's auditor, and not to B's.
    let page = app
        .signed_in(&app.a.user(Role::Auditor).email)
        .await
        .get("/audit?action=signin.failure")
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&peer.email) && html.contains("signin.failure"));
    let page = app
        .signed_in(&app.b.user(Role::Auditor).email)
        .await
        .get("/audit?action=signin.failure")
        .await;
    assert!(!page.text().await.unwrap().contains(&peer.email));

    // The unknown e-mail's failure is still recorded, with no organisation.
    let db = app.state.db.clone();
    let unknown_orgs: Vec<Option<i64>> = tokio::task::spawn_blocking(move || {
        let mut c = db.conn().unwrap();
        audit_log::table
            .filter(audit_log::actor_label.eq(unknown))
            .filter(audit_log::action.eq("signin.failure"))
            .select(audit_log::actor_org_id)
            .load(&mut c)
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(unknown_orgs, [None]);
}

#[tokio::test]
async fn a_throttled_sign_in_is_in_the_audit_log_of_the_accounts_organisation() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let s = Session::new(&app.url);
    for _ in 0..app.config.signin_free_failures {
        assert_eq!(
            s.sign_in(&peer.email, "wrong password!!").await.status(),
            401
        );
    }
    assert_eq!(s.sign_in(&peer.email, PASSWORD).await.status(), 429);
    let entries = audit(&app, &app.a.user(Role::Auditor).token, "action=signin.").await;
    let count = |action: &str| {
        entries
            .iter()
            .filter(|e| e["action"] == action && e["actor_label"] == peer.email.as_str())
            .count() as i64
    };
    assert_eq!(count("signin.failure"), app.config.signin_free_failures);
    assert_eq!(count("signin.throttled"), 1);
}
