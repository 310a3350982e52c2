//! Two-step sign-in (TOTP, RFC 6238): required of admins and auditors, enrolment with a QR code
//! and ten recovery codes, no page before the second factor, codes used once, an organisation
//! that requires it of everyone, and the demo's printed accounts left password-only.

use chrono::Duration;
use fantoccini::Locator;
use throughcare::platform::access::Role;
use throughcare::platform::{mfa, time};

use crate::browser::Browser;
use crate::helpers::{PASSWORD, Session, TestApp, spawn_app_with};

async fn app_with_mfa() -> TestApp {
    spawn_app_with(|c| c.mfa_required_roles = "admin,auditor".into()).await
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// A 6-digit code that is not valid now, nor one step either side.
fn wrong_code(secret: &str) -> String {
    let now = time::now();
    let valid: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|s| mfa::code_at(secret, now + Duration::seconds(*s)).unwrap())
        .collect();
    (0..1000)
        .map(|n| format!("{:06}", 100_000 + n))
        .find(|c| !valid.contains(c))
        .unwrap()
}

/// The secret shown on the enrolment page.
fn secret_in(page: &str) -> String {
    let at = page.find("data-secret=\"").expect("the key is shown") + "data-secret=\"".len();
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn an_admin_must_set_up_a_second_factor_before_any_page_and_codes_work_once() {
    let app = app_with_mfa().await;
    let admin = app.a.user(Role::Admin).email.clone();
    let s = Session::new(&app.url);
    let r = s.sign_in(&admin, PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/sign-in/set-up-second-factor");
    // Nothing opens yet: pages send them back, the API (by cookie) says sign in.
    for path in ["/", "/participants", "/admin", "/audit"] {
        let r = s.get(path).await;
        assert_eq!(r.status(), 303, "{path}");
    }
    let cookie = s.cookie_header();
    let me = app
        .api()
        .get(format!("{}/api/v1/me", app.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);

    let page = s
        .get("/sign-in/set-up-second-factor")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<svg"), "a QR code is shown");
    let secret = secret_in(&page);
    let r = s
        .post_form(
            "/sign-in/set-up-second-factor",
            &[("code", &wrong_code(&secret))],
        )
        .await;
    assert_eq!(r.status(), 422, "a wrong first code is refused");
    let code = mfa::code_at(&secret, time::now()).unwrap();
    let r = s
        .post_form("/sign-in/set-up-second-factor", &[("code", &code)])
        .await;
    assert_eq!(r.status(), 200);
    let done = r.text().await.unwrap();
    let recovery: Vec<String> = done
        .split("<li><code>")
        .skip(1)
        .map(|x| x[..x.find('<').unwrap()].to_string())
        .collect();
    assert_eq!(recovery.len(), 10, "ten recovery codes");
    assert_eq!(s.get("/").await.status(), 200, "signed in now");
    assert_eq!(s.post_form("/sign-out", &[]).await.status(), 303);

    // Next sign-in: password, then the code.
    let s = Session::new(&app.url);
    let r = s.sign_in(&admin, PASSWORD).await;
    assert_eq!(location(&r), "/sign-in/second-factor");
    assert_eq!(s.get("/").await.status(), 303);
    let r = s
        .post_form("/sign-in/second-factor", &[("code", &wrong_code(&secret))])
        .await;
    assert_eq!(r.status(), 401, "a wrong code is refused");
    // The code used at enrolment cannot be replayed (RFC 6238 §5.2).
    let r = s
        .post_form("/sign-in/second-factor", &[("code", &code)])
        .await;
    assert_eq!(r.status(), 401, "a used code is refused");
    let r = s
        .post_form("/sign-in/second-factor", &[("code", &recovery[0])])
        .await;
    assert_eq!(r.status(), 303, "a recovery code works");
    assert_eq!(s.get("/").await.status(), 200);

    // The same recovery code does not work twice.
    let s = Session::new(&app.url);
    s.sign_in(&admin, PASSWORD).await;
    let r = s
        .post_form("/sign-in/second-factor", &[("code", &recovery[0])])
        .await;
    assert_eq!(r.status(), 401, "a recovery code works once");
    // The next step's code from the app works.
    let next = mfa::code_at(&secret, time::now() + Duration::seconds(30)).unwrap();
    let r = s
        .post_form("/sign-in/second-factor", &[("code", &next)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(s.get("/").await.status(), 200);

    // A peer is not required to; an organisation can require it of everyone.
    let peer = app.a.user(Role::Peer).email.clone();
    let r = Session::new(&app.url).sign_in(&peer, PASSWORD).await;
    assert_eq!(location(&r), "/");
    let out = app.cli(&["user", "require-mfa", "--org", "org-a"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = Session::new(&app.url).sign_in(&peer, PASSWORD).await;
    assert_eq!(location(&r), "/sign-in/set-up-second-factor");
    // An administrator's reset: the admin enrols again at the next sign-in.
    let out = app.cli(&["user", "reset-mfa", &admin]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = Session::new(&app.url).sign_in(&admin, PASSWORD).await;
    assert_eq!(location(&r), "/sign-in/set-up-second-factor");
}

#[tokio::test]
async fn the_demo_keeps_password_only_sign_in_for_its_printed_accounts() {
    let app = spawn_app_with(|c| {
        c.mfa_required_roles = "admin,auditor".into();
        c.demo = true;
    })
    .await;
    let r = Session::new(&app.url)
        .sign_in(&app.a.user(Role::Admin).email, PASSWORD)
        .await;
    assert_eq!(location(&r), "/");
}

#[tokio::test]
async fn an_admin_enrols_totp_and_signs_in_with_codes_in_a_real_browser() {
    let app = app_with_mfa().await;
    let admin = app.a.user(Role::Admin).email.clone();
    let b = Browser::start().await;
    b.sign_in(&app.url, &admin, PASSWORD).await;
    let url = b.client.current_url().await.unwrap().to_string();
    assert!(url.ends_with("/sign-in/set-up-second-factor"), "{url}");
    // No page before the second factor.
    b.client
        .goto(&format!("{}/participants", app.url))
        .await
        .unwrap();
    let url = b.client.current_url().await.unwrap().to_string();
    assert!(!url.contains("/participants"), "{url}");
    b.client
        .goto(&format!("{}/sign-in/set-up-second-factor", app.url))
        .await
        .unwrap();
    let secret = b
        .client
        .find(Locator::Css("#mfa-secret"))
        .await
        .unwrap()
        .attr("data-secret")
        .await
        .unwrap()
        .expect("the key");
    b.fill("#code", &mfa::code_at(&secret, time::now()).unwrap())
        .await;
    b.submit("#mfa-enrol-form").await;
    let codes = b.text_of("#recovery-codes").await;
    let recovery: Vec<&str> = codes.split_whitespace().collect();
    assert_eq!(recovery.len(), 10, "{codes}");
    b.click("#mfa-continue").await;
    b.wait_new_page().await;
    assert!(b.text_of("h1").await.contains("Home"));
    b.submit("form[action='/sign-out']").await;

    // Password, then a wrong code, then a recovery code.
    b.sign_in(&app.url, &admin, PASSWORD).await;
    b.fill("#code", &wrong_code(&secret)).await;
    b.submit("#mfa-form").await;
    assert!(b.text_of("#mfa-error").await.contains("does not match"));
    b.fill("#code", recovery[0]).await;
    b.submit("#mfa-form").await;
    assert!(b.text_of("h1").await.contains("Home"));
    b.submit("form[action='/sign-out']").await;

    // The recovery code once more: refused; the app's next code: in.
    b.sign_in(&app.url, &admin, PASSWORD).await;
    b.fill("#code", recovery[0]).await;
    b.submit("#mfa-form").await;
    assert!(b.text_of("#mfa-error").await.contains("does not match"));
    b.fill(
        "#code",
        &mfa::code_at(&secret, time::now() + Duration::seconds(30)).unwrap(),
    )
    .await;
    b.submit("#mfa-form").await;
    assert!(b.text_of("h1").await.contains("Home"));
}
