//! Sessions and requests as OWASP ASVS level 2 asks: CSRF tokens bound to the session,
//! `__Host-` cookies, cookie-authenticated API writes that need JSON and the CSRF header, HSTS,
//! and an absolute session lifetime.

use diesel::prelude::*;
use serde_json::json;
use throughcare::platform::access::Role;
use throughcare::platform::schema::sessions;
use throughcare::platform::time;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn a_form_token_from_another_session_is_refused() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let mine = app.signed_in(&peer.email).await;
    let other = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    let fields = [
        ("first_name", "Ana"),
        ("last_name", "Peña"),
        ("date_of_birth", "1990-01-01"),
    ];
    // The other session's token, sent with my cookies: refused, nothing created.
    let theirs = other.csrf();
    assert_ne!(theirs, mine.csrf());
    let mut forged = vec![("csrf", theirs.as_str())];
    forged.extend_from_slice(&fields);
    let r = mine.post_raw("/participants", &forged).await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("csrf"));
    // The anonymous cookie's value no longer works once signed in.
    let anon = mine
        .cookies
        .lock()
        .unwrap()
        .get("__Host-tc_csrf")
        .cloned()
        .unwrap_or_default();
    let mut stale = vec![("csrf", anon.as_str())];
    stale.extend_from_slice(&fields);
    assert_eq!(mine.post_raw("/participants", &stale).await.status(), 400);
    // My own page's token works.
    let page = mine.get("/participants/new").await.text().await.unwrap();
    assert!(
        page.contains(&mine.csrf()),
        "the page carries the session's token"
    );
    let r = mine.post_form("/participants", &fields).await;
    assert!(r.status() == 303 || r.status() == 200, "{}", r.status());
}

#[tokio::test]
async fn cookies_are_host_prefixed_and_https_is_required() {
    let app = spawn_app().await;
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    let set = s.set_cookie_headers.lock().unwrap().clone();
    for c in &set {
        assert!(c.starts_with("__Host-"), "{c}");
        assert!(
            c.contains("Secure") && c.contains("Path=/") && !c.contains("Domain"),
            "{c}"
        );
    }
    let r = s.get("/").await;
    assert_eq!(
        r.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn a_cookie_authenticated_json_write_needs_json_and_the_csrf_header() {
    let app = spawn_app().await;
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    let cookie = s.cookie_header();
    let path = format!("/api/v1/participants/{}/stages", app.a.participant_id);
    let body = json!({"stage": "preparation", "assessed_on": time::today().format("%Y-%m-%d").to_string()});
    let client = app.api();
    let post = |ct: &'static str, csrf: Option<String>| {
        let mut r = client
            .post(format!("{}{path}", app.url))
            .header("cookie", &cookie)
            .header("content-type", ct)
            .body(body.to_string());
        if let Some(t) = csrf {
            r = r.header("x-csrf-token", t);
        }
        r.send()
    };
    // No header: refused, naming it.
    let r = post("application/json", None).await.unwrap();
    assert_eq!(r.status(), 400);
    let p: serde_json::Value = r.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "X-CSRF-Token", "{p}");
    // A form-encoded (cross-site-form-like) body: refused, naming the content type.
    let r = post("text/plain", Some(s.csrf())).await.unwrap();
    assert_eq!(r.status(), 400);
    let p: serde_json::Value = r.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "Content-Type", "{p}");
    // Another session's token: refused.
    let other = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    assert_eq!(
        post("application/json", Some(other.csrf()))
            .await
            .unwrap()
            .status(),
        400
    );
    // JSON with this session's token: reaches the handler (not a CSRF refusal).
    let r = post("application/json", Some(s.csrf())).await.unwrap();
    assert_ne!(r.status(), 400, "{}", r.text().await.unwrap());
    // Reads by cookie need nothing more; bearer tokens are unaffected.
    let r = client
        .get(format!("{}/api/v1/me", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_session_older_than_its_absolute_lifetime_is_refused_however_active() {
    let app = spawn_app().await;
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    assert_eq!(s.get("/").await.status(), 200);
    let mut conn = app.state.db.conn().unwrap();
    let signed_in = time::now() - chrono::Duration::hours(app.config.session_absolute_hours)
        + chrono::Duration::minutes(1);
    diesel::update(sessions::table)
        .set((
            sessions::created_at.eq(signed_in),
            sessions::last_seen_at.eq(time::now()),
        ))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        s.get("/").await.status(),
        200,
        "one minute inside the lifetime"
    );
    diesel::update(sessions::table)
        .set((
            sessions::created_at.eq(signed_in - chrono::Duration::minutes(2)),
            sessions::last_seen_at.eq(time::now()),
        ))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        s.get("/").await.status(),
        303,
        "past the lifetime, although active"
    );
}

#[tokio::test]
async fn a_user_sees_their_signed_in_devices_and_ends_the_others() {
    let app = spawn_app().await;
    let email = &app.a.user(Role::Peer).email;
    let phone = app.signed_in(email).await;
    let laptop = app.signed_in(email).await;
    let page = laptop.get("/account").await.text().await.unwrap();
    assert_eq!(
        page.matches("data-session=").count(),
        2,
        "two devices listed"
    );
    assert!(page.contains("this device"));
    let r = laptop.post_form("/account/sessions/end-others", &[]).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Signed out of 1 other device")
    );
    assert_eq!(
        phone.get("/").await.status(),
        303,
        "the phone is signed out"
    );
    assert_eq!(laptop.get("/").await.status(), 200, "this device stays");
}

#[tokio::test]
async fn api_tokens_expire_after_90_days_by_default_and_stop_when_expired() {
    use throughcare::platform::schema::api_tokens;
    let app = spawn_app().await;
    let u = app.a.user(Role::Peer);
    let mut conn = app.state.db.conn().unwrap();
    let expires: Option<chrono::NaiveDateTime> = api_tokens::table
        .filter(api_tokens::user_id.eq(u.id))
        .select(api_tokens::expires_at)
        .first(&mut conn)
        .unwrap();
    let days = (expires.expect("an expiry") - time::now()).num_days();
    assert!((89..=90).contains(&days), "{days}");
    assert_eq!(app.get_bearer("/api/v1/me", &u.token).await.status(), 200);
    diesel::update(api_tokens::table.filter(api_tokens::user_id.eq(u.id)))
        .set(api_tokens::expires_at.eq(Some(time::now() - chrono::Duration::seconds(1))))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(app.get_bearer("/api/v1/me", &u.token).await.status(), 401);
}

/// Sign in from a given client address (the app trusts `X-Forwarded-For` in this test, as it
/// does behind a facility's proxy). Returns the status.
async fn sign_in_from(app: &crate::helpers::TestApp, addr: &str, email: &str, pw: &str) -> u16 {
    let client = app.api();
    let page = client
        .get(format!("{}/sign-in", app.url))
        .header("x-forwarded-for", addr)
        .send()
        .await
        .unwrap();
    let cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-tc_csrf="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap();
    let token = cookie.split_once('=').unwrap().1.to_string();
    client
        .post(format!("{}/sign-in", app.url))
        .header("x-forwarded-for", addr)
        .header("cookie", &cookie)
        .form(&[("csrf", token.as_str()), ("email", email), ("password", pw)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn fifty_wrong_passwords_slow_the_guesser_and_never_lock_out_the_owner_or_their_colleagues() {
    let app = crate::helpers::spawn_app_with(|c| c.trust_forwarded_for = true).await;
    let victim = app.a.user(Role::Peer).email.clone();
    let (attacker, owner, colleague_addr) = ("203.0.113.7", "198.51.100.20", "203.0.113.7");
    let mut refused_unchecked = 0;
    for _ in 0..50 {
        match sign_in_from(&app, attacker, &victim, "guess guess guess").await {
            401 => {}
            429 => refused_unchecked += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        refused_unchecked >= 40,
        "the guessing pair is slowed: {refused_unchecked} of 50 refused without a check"
    );
    // The owner, from another address, signs in with the right password at once.
    assert_eq!(sign_in_from(&app, owner, &victim, PASSWORD).await, 303);
    // A colleague behind the same shared address is not blocked by one person's failures.
    assert_eq!(
        sign_in_from(
            &app,
            colleague_addr,
            &app.a.user(Role::Supervisor).email,
            PASSWORD
        )
        .await,
        303
    );
    // The guessing pair, even with the right password, still waits (the latest failure was
    // moments ago; set it to now so a slow machine does not let the wait run out).
    {
        use throughcare::platform::schema::signin_failures;
        let mut conn = app.state.db.conn().unwrap();
        diesel::update(signin_failures::table.filter(signin_failures::client_addr.eq(attacker)))
            .set(signin_failures::at.eq(time::now()))
            .execute(&mut conn)
            .unwrap();
    }
    assert_eq!(sign_in_from(&app, attacker, &victim, PASSWORD).await, 429);
}

#[tokio::test]
async fn a_participant_level_export_asks_for_the_password_again_after_five_minutes() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let s = app.signed_in(&admin.email).await;
    let path = "/api/v1/exports/participants.csv";
    assert_eq!(s.get(path).await.status(), 200, "just signed in");
    // Ten minutes later, however active.
    {
        let mut conn = app.state.db.conn().unwrap();
        diesel::update(sessions::table)
            .set((
                sessions::created_at.eq(time::now() - chrono::Duration::minutes(10)),
                sessions::last_seen_at.eq(time::now()),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let r = s.get(path).await;
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        to,
        "/account/confirm?next=%2Fapi%2Fv1%2Fexports%2Fparticipants.csv"
    );
    let page = s.get(&to).await.text().await.unwrap();
    assert!(page.contains("value=\"/api/v1/exports/participants.csv\""));
    let r = s
        .post_form(
            "/account/confirm",
            &[("next", path), ("password", "not my password")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(s.get(path).await.status(), 303, "still not confirmed");
    let r = s
        .post_form(
            "/account/confirm",
            &[("next", path), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], path);
    assert_eq!(s.get(path).await.status(), 200, "confirmed just now");
    // Never a redirect off the site.
    let r = s
        .post_form(
            "/account/confirm",
            &[("next", "//evil.example/x"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.headers()["location"], "/");
    // A bearer token is its own credential.
    assert_eq!(app.get_bearer(path, &admin.token).await.status(), 200);
}

#[tokio::test]
async fn a_user_changes_their_own_password_with_the_current_one_and_other_devices_sign_out() {
    let app = spawn_app().await;
    let email = app.a.user(Role::Peer).email.clone();
    let phone = app.signed_in(&email).await;
    let laptop = app.signed_in(&email).await;
    let new = "a much longer new passphrase";
    let r = laptop
        .post_form(
            "/account/password",
            &[
                ("current_password", "wrong wrong wrong"),
                ("new_password", new),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("current_password"));
    let r = laptop
        .post_form(
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "short")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = laptop
        .post_form(
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", new)],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(laptop.get("/").await.status(), 200, "this device stays");
    assert_eq!(
        phone.get("/").await.status(),
        303,
        "the other device is signed out"
    );
    let fresh = crate::helpers::Session::new(&app.url);
    assert_eq!(fresh.sign_in(&email, PASSWORD).await.status(), 401);
    assert_eq!(fresh.sign_in(&email, new).await.status(), 303);
}

#[tokio::test]
async fn a_disabled_users_sessions_and_tokens_stop_at_once() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let s = app.signed_in(&peer.email).await;
    assert_eq!(s.get("/").await.status(), 200);
    assert_eq!(
        app.get_bearer("/api/v1/me", &peer.token).await.status(),
        200
    );
    let out = app.cli(&["user", "disable", &peer.email]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(s.get("/").await.status(), 303, "the session ended");
    assert_eq!(
        app.get_bearer("/api/v1/me", &peer.token).await.status(),
        401,
        "the token stopped"
    );
}
