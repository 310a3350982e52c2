//! Two-step sign-in (TOTP, RFC 6238): required of admins and auditors, enrolment with a QR code
//! and ten recovery codes, no page before the second factor, codes used once, an organisation
//! that requires it of everyone, and the demo's printed accounts left password-only.

use chrono::Duration;
use throughcare::platform::access::Role;
use throughcare::platform::{mfa, time};

use crate::helpers::{PASSWORD, Session, TestApp, spawn_app_with, wrong_code};

async fn app_with_mfa() -> TestApp {
    spawn_app_with(|c| c.mfa_required_roles = "admin,auditor".into()).await
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
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
