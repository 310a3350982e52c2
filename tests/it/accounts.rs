//! Staff accounts on the web and the API: invitations with one-time set-password links, common
//! passwords refused, disabling, second-factor resets, API tokens (one's own and an
//! organisation's), the token lifetime, and who may do each (admins of the same organisation
//! only). Ends with a real-browser invitation at phone width.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::schema::{api_tokens, audit_log, sessions, set_password_links};
use throughcare::platform::{mfa, time};

use crate::helpers::{PASSWORD, Session, TestApp, spawn_app, spawn_app_with};

const NEW_PASSWORD: &str = "violet tram under seventeen maps";

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The set-password link's path shown on the admin page after an invitation.
fn link_in(page: &str) -> String {
    let at = page.find("data-path=\"").expect("a link is shown") + "data-path=\"".len();
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

/// Audit entries with this action about this user: `(actor user id, actor label)`.
fn audited(app: &TestApp, action: &str, user: i64) -> Vec<(Option<i64>, String)> {
    let mut conn = app.state.db.conn().unwrap();
    audit_log::table
        .filter(audit_log::action.eq(action))
        .filter(audit_log::record_id.eq(user))
        .select((audit_log::actor_user_id, audit_log::actor_label))
        .load(&mut conn)
        .unwrap()
}

async fn post_json(app: &TestApp, path: &str, token: &str, body: Value) -> reqwest::Response {
    app.post_bearer(path, token, body).await
}

async fn delete_bearer(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.api()
        .delete(format!("{}{path}", app.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// A JSON write from a browser session (cookie and its CSRF header).
async fn cookie_json(app: &TestApp, s: &Session, path: &str, body: Value) -> reqwest::Response {
    app.api()
        .post(format!("{}{path}", app.url))
        .header("cookie", s.cookie_header())
        .header("x-csrf-token", s.csrf())
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_invited_user_sets_their_password_through_the_link_once_and_signs_in() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let s = app.signed_in(&admin.email).await;
    // The add-staff form asks for no password any more.
    let page = s.get("/admin").await.text().await.unwrap();
    assert!(page.contains("id=\"invite-form\""));
    assert!(!page.contains("name=\"password\""), "no password field");
    // New staff start with the least access: the roles run from least to most privileged and
    // the least is chosen.
    let select = page
        .split("id=\"staff-role\"")
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .unwrap();
    let order: Vec<&str> = select
        .split("<option value=\"")
        .skip(1)
        .map(|o| o.split('"').next().unwrap())
        .collect();
    assert_eq!(order, ["team", "peer", "auditor", "supervisor", "admin"]);
    assert!(
        select.contains("<option value=\"team\" selected>"),
        "{select}"
    );
    let r = s
        .post_form(
            "/admin/staff",
            &[
                ("name", "Robin Invited"),
                ("email", "Robin@Org-A.test"),
                ("role", "peer"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let link = link_in(&page);
    assert!(link.starts_with("/welcome/") && link.len() > 50, "{link}");
    // Only the digest is stored.
    {
        let mut conn = app.state.db.conn().unwrap();
        let hashes: Vec<String> = set_password_links::table
            .select(set_password_links::token_hash)
            .load(&mut conn)
            .unwrap();
        assert_eq!(hashes.len(), 1);
        assert!(!link.contains(&hashes[0]));
        assert_eq!(
            hashes[0],
            throughcare::platform::auth::digest(link.trim_start_matches("/welcome/"))
        );
    }
    // Not signed in yet: no password works.
    let invitee = Session::new(&app.url);
    assert_eq!(invitee.sign_in("robin@org-a.test", "").await.status(), 422);
    assert_eq!(
        invitee.sign_in("robin@org-a.test", "!unset").await.status(),
        401
    );
    let page = invitee.get(&link).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("robin@org-a.test"));
    // A common password is refused, naming the field; so is a mismatched repeat.
    let r = invitee
        .post_form(
            &link,
            &[
                ("password", "password1234"),
                ("confirm_password", "password1234"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("href=\"#welcome-password\">Password</a>") && body.contains("too common"),
        "{body}"
    );
    let r = invitee
        .post_form(
            &link,
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", "something else"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("confirm_password"));
    // The good one: then sign in as everyone does.
    let r = invitee
        .post_form(
            &link,
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/sign-in?welcome=1");
    let notice = invitee
        .get("/sign-in?welcome=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(notice.contains("Your password is set"));
    let r = invitee.sign_in("robin@org-a.test", NEW_PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/");
    assert_eq!(invitee.get("/").await.status(), 200);
    // The link works once.
    let again = Session::new(&app.url);
    let r = again.get(&link).await;
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("This link has been used"));
    let r = again
        .post_form(
            &link,
            &[
                ("password", "another long passphrase here"),
                ("confirm_password", "another long passphrase here"),
            ],
        )
        .await;
    assert_eq!(r.status(), 410);
    assert_eq!(
        Session::new(&app.url)
            .sign_in("robin@org-a.test", NEW_PASSWORD)
            .await
            .status(),
        303,
        "the password set through the link still stands"
    );
    // Audited: who invited whom, and the invitee's own setting of the password.
    let id: i64 = {
        use throughcare::platform::schema::users;
        let mut conn = app.state.db.conn().unwrap();
        users::table
            .filter(users::email.eq("robin@org-a.test"))
            .select(users::id)
            .first(&mut conn)
            .unwrap()
    };
    assert_eq!(
        audited(&app, "staff.invite", id),
        vec![(Some(admin.id), admin.email.clone())]
    );
    assert_eq!(
        audited(&app, "password.set_by_link", id),
        vec![(Some(id), "robin@org-a.test".to_string())]
    );
}

#[tokio::test]
async fn a_set_password_link_expires_and_a_new_one_replaces_it() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let r = post_json(
        &app,
        "/api/v1/staff/invitations",
        &admin.token,
        json!({"email": "kai@org-a.test", "name": "Kai Invited", "role": "supervisor"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let inv: Value = r.json().await.unwrap();
    let path = inv["link"]["path"].as_str().unwrap().to_string();
    assert_eq!(inv["link"]["url"], path.as_str(), "no public_url: the path");
    assert_eq!(inv["link"]["purpose"], "invitation");
    assert_eq!(inv["staff"]["role"], "supervisor");
    let expires = chrono::DateTime::parse_from_rfc3339(inv["link"]["expires_at"].as_str().unwrap())
        .unwrap()
        .naive_utc();
    let hours = (expires - time::now()).num_minutes() as f64 / 60.0;
    assert!((71.9..=72.0).contains(&hours), "{hours}");
    // The API asks for no password either.
    let r = post_json(
        &app,
        "/api/v1/staff/invitations",
        &admin.token,
        json!({"email": "x@org-a.test", "name": "X", "role": "peer", "password": PASSWORD}),
    )
    .await;
    assert_eq!(r.status(), 422);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "password", "{p}");
    // 72 hours later it no longer works.
    {
        let mut conn = app.state.db.conn().unwrap();
        diesel::update(set_password_links::table)
            .set(set_password_links::expires_at.eq(time::now() - Duration::seconds(1)))
            .execute(&mut conn)
            .unwrap();
    }
    let s = Session::new(&app.url);
    let r = s.get(&path).await;
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("This link has expired"));
    let r = s
        .post_form(
            &path,
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 410);
    assert_eq!(
        s.sign_in("kai@org-a.test", NEW_PASSWORD).await.status(),
        401
    );
    // An unknown link says so.
    assert_eq!(s.get("/welcome/not-a-real-link").await.status(), 404);
    // A new link (API) works; it is still an invitation, since no password was ever set.
    let id = inv["staff"]["id"].as_i64().unwrap();
    let r = post_json(
        &app,
        &format!("/api/v1/staff/{id}/password-link"),
        &admin.token,
        json!({}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let link: Value = r.json().await.unwrap();
    assert_eq!(link["purpose"], "invitation");
    let fresh = link["path"].as_str().unwrap().to_string();
    assert_ne!(fresh, path);
    let r = s
        .post_form(
            &fresh,
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        s.sign_in("kai@org-a.test", NEW_PASSWORD).await.status(),
        303
    );
}

#[tokio::test]
async fn a_forgotten_password_gets_a_new_link_that_signs_the_user_out_and_replaces_older_links() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let peer_session = app.signed_in(&peer.email).await;
    let s = app.signed_in(&admin.email).await;
    let r = s
        .post_form(&format!("/admin/staff/{}/password-link", peer.id), &[])
        .await;
    assert_eq!(r.status(), 200);
    let first = link_in(&r.text().await.unwrap());
    assert_eq!(peer_session.get("/").await.status(), 303, "signed out");
    let r = s
        .post_form(&format!("/admin/staff/{}/password-link", peer.id), &[])
        .await;
    let second = link_in(&r.text().await.unwrap());
    let anon = Session::new(&app.url);
    assert_eq!(anon.get(&first).await.status(), 410, "replaced");
    assert_eq!(anon.get(&second).await.status(), 200);
    let r = anon
        .post_form(
            &second,
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(anon.sign_in(&peer.email, PASSWORD).await.status(), 401);
    assert_eq!(anon.sign_in(&peer.email, NEW_PASSWORD).await.status(), 303);
    assert_eq!(audited(&app, "staff.password_link", peer.id).len(), 2);
    // The command line prints one too, and `user invite` an invitation.
    let out = app.cli(&["user", "password-link", &peer.email]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.trim().starts_with("/welcome/"), "{printed}");
    assert_eq!(anon.get(printed.trim()).await.status(), 200);
    let out = app.cli(&[
        "user",
        "invite",
        "--org",
        "org-a",
        "--role",
        "team",
        "--email",
        "sam@org-a.test",
        "--name",
        "Sam Cli",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let r = anon
        .post_form(
            printed.trim(),
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        anon.sign_in("sam@org-a.test", NEW_PASSWORD).await.status(),
        303
    );
}

#[tokio::test]
async fn a_common_password_is_refused_with_a_message_naming_the_field() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let s = app.signed_in(&peer.email).await;
    for weak in ["password1234", "qwertyuiop123", "Throughcare2026!"] {
        let r = s
            .post_form(
                "/account/password",
                &[("current_password", PASSWORD), ("new_password", weak)],
            )
            .await;
        assert_eq!(r.status(), 422, "{weak}");
        let body = r.text().await.unwrap();
        assert!(
            body.contains("New password: is too common or too easy to guess"),
            "{weak}: {body}"
        );
    }
    // The command line's first admin is checked the same way.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_throughcare"))
        .arg("--data-dir")
        .arg(&app.config.data_dir)
        .args([
            "user",
            "add",
            "--org",
            "org-a",
            "--role",
            "admin",
            "--email",
            "first@org-a.test",
            "--name",
            "First Admin",
        ])
        .envs(app.config.database_url.iter().map(|u| ("DATABASE_URL", u)))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"password1234\n")?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("password (stdin): is too common"), "{err}");
}

#[tokio::test]
async fn an_admin_disables_a_user_and_their_session_and_token_stop_at_once() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let peer_session = app.signed_in(&peer.email).await;
    assert_eq!(
        app.get_bearer("/api/v1/me", &peer.token).await.status(),
        200
    );
    let s = app.signed_in(&admin.email).await;
    let r = s
        .post_form(&format!("/admin/staff/{}/disable", peer.id), &[])
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("is disabled"));
    assert_eq!(peer_session.get("/").await.status(), 303, "session ended");
    assert_eq!(
        app.get_bearer("/api/v1/me", &peer.token).await.status(),
        401,
        "token stopped"
    );
    {
        let mut conn = app.state.db.conn().unwrap();
        let revoked: Vec<Option<chrono::NaiveDateTime>> = api_tokens::table
            .filter(api_tokens::user_id.eq(peer.id))
            .select(api_tokens::revoked_at)
            .load(&mut conn)
            .unwrap();
        assert!(revoked.iter().all(Option::is_some), "tokens revoked");
        let left: i64 = sessions::table
            .filter(sessions::user_id.eq(peer.id))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(left, 0);
    }
    assert_eq!(
        Session::new(&app.url)
            .sign_in(&peer.email, PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        audited(&app, "staff.disable", peer.id),
        vec![(Some(admin.id), admin.email.clone())]
    );
    // The API too.
    let sup = app.a.user(Role::Supervisor);
    let r = post_json(
        &app,
        &format!("/api/v1/staff/{}/disable", sup.id),
        &admin.token,
        json!({}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let staff: Value = r.json().await.unwrap();
    assert!(staff["disabled_at"].is_string());
    assert_eq!(app.get_bearer("/api/v1/me", &sup.token).await.status(), 401);
    // Not oneself, and never the last admin.
    let r = post_json(
        &app,
        &format!("/api/v1/staff/{}/disable", admin.id),
        &admin.token,
        json!({}),
    )
    .await;
    assert_eq!(r.status(), 409);
    let r = s
        .post_form(&format!("/admin/staff/{}/disable", admin.id), &[])
        .await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("cannot disable your own account")
    );
    let out = app.cli(&["user", "disable", &admin.email]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("last administrator"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        app.get_bearer("/api/v1/me", &admin.token).await.status(),
        200
    );
}

/// Sign in and set up the second factor; returns the signed-in session.
async fn enrol(app: &TestApp, email: &str) -> Session {
    let s = Session::new(&app.url);
    let r = s.sign_in(email, PASSWORD).await;
    assert_eq!(location(&r), "/sign-in/set-up-second-factor");
    let page = s
        .get("/sign-in/set-up-second-factor")
        .await
        .text()
        .await
        .unwrap();
    let at = page.find("data-secret=\"").unwrap() + "data-secret=\"".len();
    let secret = &page[at..at + page[at..].find('"').unwrap()];
    let code = mfa::code_at(secret, time::now()).unwrap();
    let r = s
        .post_form("/sign-in/set-up-second-factor", &[("code", &code)])
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(s.get("/").await.status(), 200);
    s
}

#[tokio::test]
async fn an_admin_resets_mfa_and_the_user_must_enrol_again() {
    let app = spawn_app_with(|c| c.mfa_required_roles = "admin,auditor".into()).await;
    let admin = app.a.user(Role::Admin);
    let auditor = app.a.user(Role::Auditor);
    let auditor_session = enrol(&app, &auditor.email).await;
    let r = Session::new(&app.url)
        .sign_in(&auditor.email, PASSWORD)
        .await;
    assert_eq!(location(&r), "/sign-in/second-factor", "set up");
    // On the admin page (the admin passes their own second factor first).
    let s = enrol(&app, &admin.email).await;
    let page = s.get("/admin").await.text().await.unwrap();
    assert!(page.contains(&format!("action=\"/admin/staff/{}/reset-mfa\"", auditor.id)));
    let r = s
        .post_form(&format!("/admin/staff/{}/reset-mfa", auditor.id), &[])
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("set it up again"));
    assert_eq!(auditor_session.get("/").await.status(), 303, "signed out");
    let r = Session::new(&app.url)
        .sign_in(&auditor.email, PASSWORD)
        .await;
    assert_eq!(
        location(&r),
        "/sign-in/set-up-second-factor",
        "enrols again"
    );
    assert_eq!(
        audited(&app, "mfa.reset", auditor.id),
        vec![(Some(admin.id), admin.email.clone())]
    );
    // And over the API.
    let again = enrol(&app, &auditor.email).await;
    let r = post_json(
        &app,
        &format!("/api/v1/staff/{}/reset-mfa", auditor.id),
        &admin.token,
        json!({}),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(again.get("/").await.status(), 303);
    let r = Session::new(&app.url)
        .sign_in(&auditor.email, PASSWORD)
        .await;
    assert_eq!(location(&r), "/sign-in/set-up-second-factor");
}

#[tokio::test]
async fn a_user_lists_and_revokes_their_own_tokens_and_a_revoked_token_stops_at_once() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let s = app.signed_in(&peer.email).await;
    // Listed without secrets, on the page and the API.
    let r = app.get_bearer("/api/v1/me/tokens", &peer.token).await;
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(!body.contains(&peer.token) && !body.contains("token_hash"));
    let list: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(list.len(), 1);
    let seed_id = list[0]["id"].as_i64().unwrap();
    assert!(list[0]["last_used_at"].is_string(), "used just now");
    let page = s.get("/account").await.text().await.unwrap();
    assert!(page.contains(&format!("data-token=\"{seed_id}\"")));
    assert!(!page.contains(&peer.token));
    // Created on the account page (just signed in): shown once.
    let r = s
        .post_form("/account/tokens", &[("label", "nightly report")])
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let at = page.find("id=\"new-token-secret\"").unwrap();
    let v = page[at..].find("value=\"").unwrap() + at + "value=\"".len();
    let secret = page[v..v + page[v..].find('"').unwrap()].to_string();
    assert!(secret.starts_with("tc_"));
    assert_eq!(app.get_bearer("/api/v1/me", &secret).await.status(), 200);
    let again = s.get("/account").await.text().await.unwrap();
    assert!(again.contains("nightly report") && !again.contains(&secret));
    let list: Vec<Value> = app
        .get_bearer("/api/v1/me/tokens", &secret)
        .await
        .json()
        .await
        .unwrap();
    let new_id = list
        .iter()
        .find(|t| t["label"] == "nightly report")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // Revoked on the page: stops at once.
    let r = s
        .post_form(&format!("/account/tokens/{new_id}/revoke"), &[])
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(app.get_bearer("/api/v1/me", &secret).await.status(), 401);
    // Revoked over the API: stops at once.
    let r = delete_bearer(&app, &format!("/api/v1/me/tokens/{seed_id}"), &peer.token).await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        app.get_bearer("/api/v1/me", &peer.token).await.status(),
        401
    );
    // Someone else's token is not found, on the page and the API.
    let sup = app.a.user(Role::Supervisor);
    let sup_tokens: Vec<Value> = app
        .get_bearer("/api/v1/me/tokens", &sup.token)
        .await
        .json()
        .await
        .unwrap();
    let sup_id = sup_tokens[0]["id"].as_i64().unwrap();
    let r = s
        .post_form(&format!("/account/tokens/{sup_id}/revoke"), &[])
        .await;
    assert_eq!(r.status(), 404);
    let r = delete_bearer(&app, &format!("/api/v1/me/tokens/{sup_id}"), &sup.token).await;
    assert_eq!(r.status(), 204, "their own");
    // Created over the API with the session cookie; never with a bearer token.
    let r = cookie_json(&app, &s, "/api/v1/me/tokens", json!({"label": "script"})).await;
    assert_eq!(r.status(), 201);
    let made: Value = r.json().await.unwrap();
    let token = made["token"].as_str().unwrap();
    assert_eq!(app.get_bearer("/api/v1/me", token).await.status(), 200);
    let r = post_json(&app, "/api/v1/me/tokens", token, json!({})).await;
    assert_eq!(r.status(), 403);
    let mut conn = app.state.db.conn().unwrap();
    let created: i64 = audit_log::table
        .filter(audit_log::action.eq("token.create"))
        .filter(audit_log::actor_user_id.eq(peer.id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(created, 2);
}

#[tokio::test]
async fn token_creation_without_recent_reauthentication_is_refused() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let s = app.signed_in(&peer.email).await;
    let count = |app: &TestApp| -> i64 {
        let mut conn = app.state.db.conn().unwrap();
        api_tokens::table
            .filter(api_tokens::user_id.eq(peer.id))
            .count()
            .get_result(&mut conn)
            .unwrap()
    };
    let before = count(&app);
    {
        let mut conn = app.state.db.conn().unwrap();
        diesel::update(sessions::table.filter(sessions::user_id.eq(peer.id)))
            .set((
                sessions::created_at.eq(time::now() - Duration::minutes(10)),
                sessions::last_seen_at.eq(time::now()),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    // The form is sent to confirm the password, and back to the account page.
    let r = app
        .api()
        .post(format!("{}/account/tokens", app.url))
        .header("cookie", s.cookie_header())
        .header("referer", format!("{}/account", app.url))
        .form(&[("csrf", s.csrf().as_str()), ("label", "late")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/account/confirm?next=%2Faccount");
    // The API says what is missing.
    let r = cookie_json(&app, &s, "/api/v1/me/tokens", json!({})).await;
    assert_eq!(r.status(), 403);
    let p: Value = r.json().await.unwrap();
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("confirm your password"),
        "{p}"
    );
    assert_eq!(count(&app), before, "nothing created");
    // Confirmed: it works.
    let r = s
        .post_form(
            "/account/confirm",
            &[("next", "/account"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = s.post_form("/account/tokens", &[("label", "late")]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(count(&app), before + 1);
    // Where a second factor is required, it must be set up first.
    let out = app.cli(&["user", "require-mfa", "--org", "org-a"]);
    assert!(out.status.success());
    let r = s.post_form("/account/tokens", &[("label", "no mfa")]).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("two-step sign-in"));
    assert_eq!(count(&app), before + 1);
}

#[tokio::test]
async fn the_token_lifetime_setting_applies_to_new_tokens() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let r = app
        .get_bearer("/api/v1/settings/tokens", &admin.token)
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["token_lifetime_days"], 90);
    let put = |days: Value| {
        app.api()
            .put(format!("{}/api/v1/settings/tokens", app.url))
            .bearer_auth(&admin.token)
            .json(&json!({ "token_lifetime_days": days }))
            .send()
    };
    for bad in [json!(0), json!(366)] {
        let r = put(bad).await.unwrap();
        assert_eq!(r.status(), 422);
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "token_lifetime_days");
    }
    assert_eq!(put(json!(7)).await.unwrap().status(), 200);
    let peer = app.a.user(Role::Peer);
    let s = app.signed_in(&peer.email).await;
    let r = cookie_json(&app, &s, "/api/v1/me/tokens", json!({})).await;
    assert_eq!(r.status(), 201);
    let made: Value = r.json().await.unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(made["expires_at"].as_str().unwrap())
        .unwrap()
        .naive_utc();
    let days = (expires - time::now()).num_hours() as f64 / 24.0;
    assert!((6.9..=7.0).contains(&days), "{days}");
    // Organisation B keeps the default; the page shows A's.
    let b_admin = app.b.user(Role::Admin);
    let r = app
        .get_bearer("/api/v1/settings/tokens", &b_admin.token)
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["token_lifetime_days"], 90);
    let page = app.signed_in(&admin.email).await.get("/admin").await;
    assert!(page.text().await.unwrap().contains("value=\"7\""));
}

#[tokio::test]
async fn another_organisations_admin_can_do_none_of_this() {
    let app = spawn_app().await;
    let b_admin = app.b.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let a_tokens: Vec<Value> = app
        .get_bearer("/api/v1/me/tokens", &peer.token)
        .await
        .json()
        .await
        .unwrap();
    let a_token = a_tokens[0]["id"].as_i64().unwrap();
    for path in [
        format!("/api/v1/staff/{}/password-link", peer.id),
        format!("/api/v1/staff/{}/disable", peer.id),
        format!("/api/v1/staff/{}/reset-mfa", peer.id),
        "/api/v1/staff/999999999/disable".to_string(),
    ] {
        let r = post_json(&app, &path, &b_admin.token, json!({})).await;
        assert_eq!(r.status(), 404, "{path}");
    }
    let r = delete_bearer(
        &app,
        &format!("/api/v1/staff/tokens/{a_token}"),
        &b_admin.token,
    )
    .await;
    assert_eq!(r.status(), 404);
    let listed: Vec<Value> = app
        .get_bearer("/api/v1/staff/tokens", &b_admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert!(!listed.is_empty());
    assert!(
        listed
            .iter()
            .all(|t| t["id"] != a_token
                && t["user_email"].as_str().unwrap().ends_with("@org-b.test"))
    );
    let s = app.signed_in(&b_admin.email).await;
    for path in [
        format!("/admin/staff/{}/password-link", peer.id),
        format!("/admin/staff/{}/disable", peer.id),
        format!("/admin/staff/{}/reset-mfa", peer.id),
        format!("/admin/tokens/{a_token}/revoke"),
    ] {
        assert_eq!(s.post_form(&path, &[]).await.status(), 404, "{path}");
    }
    // Nothing happened to A's peer.
    assert_eq!(
        app.get_bearer("/api/v1/me", &peer.token).await.status(),
        200
    );
    let mut conn = app.state.db.conn().unwrap();
    let links: i64 = set_password_links::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(links, 0);
    // A's own admin can revoke it.
    let a_admin = app.a.user(Role::Admin);
    let r = delete_bearer(
        &app,
        &format!("/api/v1/staff/tokens/{a_token}"),
        &a_admin.token,
    )
    .await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        app.get_bearer("/api/v1/me", &peer.token).await.status(),
        401
    );
    assert_eq!(
        audited(&app, "token.revoke", a_token),
        vec![(Some(a_admin.id), a_admin.email.clone())]
    );
}

#[tokio::test]
async fn a_non_admin_gets_403() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    for role in [Role::Supervisor, Role::Peer, Role::Auditor, Role::Team] {
        let u = app.a.user(role);
        let r = post_json(
            &app,
            "/api/v1/staff/invitations",
            &u.token,
            json!({"email": "n@org-a.test", "name": "N", "role": "admin"}),
        )
        .await;
        assert_eq!(r.status(), 403, "{role:?}");
        for action in ["password-link", "disable", "reset-mfa"] {
            let r = post_json(
                &app,
                &format!("/api/v1/staff/{}/{action}", peer.id),
                &u.token,
                json!({}),
            )
            .await;
            assert_eq!(r.status(), 403, "{role:?} {action}");
        }
        assert_eq!(
            app.get_bearer("/api/v1/staff/tokens", &u.token)
                .await
                .status(),
            403
        );
        assert_eq!(
            app.get_bearer("/api/v1/settings/tokens", &u.token)
                .await
                .status(),
            403
        );
    }
    let s = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    for path in [
        "/admin/staff".to_string(),
        format!("/admin/staff/{}/disable", peer.id),
        format!("/admin/staff/{}/reset-mfa", peer.id),
        format!("/admin/staff/{}/password-link", peer.id),
        "/admin/settings/tokens".to_string(),
    ] {
        assert_eq!(s.post_form(&path, &[]).await.status(), 403, "{path}");
    }
    assert_eq!(
        app.get_bearer("/api/v1/me", &peer.token).await.status(),
        200
    );
}

/// The admin's home page and the organisation page give the same counts: participants without
/// the records merged into others, active staff without disabled accounts, and the facilities
/// the page lists.
#[tokio::test]
async fn home_and_organisation_pages_agree_on_counts() {
    use diesel::prelude::*;
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    for (first, last) in [("Ana", "Peña"), ("Ana", "Pena")] {
        let r = app
            .post_bearer(
                "/api/v1/participants",
                &peer.token,
                serde_json::json!({"first_name": first, "last_name": last, "date_of_birth": "1990-03-04", "confirm_not_duplicate": true}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    {
        // One record merged into the other, one account disabled.
        let mut conn = app.state.db.conn().unwrap();
        diesel::sql_query(
            "UPDATE participants SET merged_into_id = (SELECT MIN(id) FROM participants WHERE first_name = 'Ana') WHERE last_name = 'Pena'",
        )
        .execute(&mut conn)
        .unwrap();
        diesel::sql_query("UPDATE users SET disabled_at = CURRENT_TIMESTAMP WHERE id = $1")
            .bind::<diesel::sql_types::BigInt, _>(app.a.user(Role::Auditor).id)
            .execute(&mut conn)
            .unwrap();
    }
    let s = app.signed_in(&admin.email).await;
    let home = s.get("/").await.text().await.unwrap();
    let card = |label: &str| -> i64 {
        let before = home.split(&format!("<div>{label}</div>")).next().unwrap();
        let n = before.rsplit("<div class=\"n\">").next().unwrap();
        n.split('<').next().unwrap().trim().parse().unwrap()
    };
    let org = s.get("/admin").await.text().await.unwrap();
    let line = org
        .split("id=\"org-counts\"")
        .nth(1)
        .and_then(|r| r.split("</p>").next())
        .unwrap();
    let listed_staff = org.matches("data-staff=\"").count() as i64;
    // The seed participant and Ana Peña; Ana Pena was merged into her.
    assert_eq!(card("Participants"), 2);
    assert!(line.contains("<strong>2</strong> participants"), "{line}");
    assert_eq!(card("Active staff"), listed_staff - 1);
    assert!(
        line.contains(&format!(
            "<strong>{}</strong> active staff (1 disabled)",
            listed_staff - 1
        )),
        "{line}"
    );
    let facilities = card("Facilities");
    assert!(
        line.contains(&format!("<strong>{facilities}</strong> facilities")),
        "{line}"
    );
}
