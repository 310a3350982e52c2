//! Sign-in, sessions, tokens, CSRF, throttling, the audit chain, participants, the API document.

use diesel::prelude::*;
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::schema::{audit_log, sessions};

use crate::helpers::{PASSWORD, Session, spawn_app};

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = spawn_app().await;
    let r = app
        .api()
        .get(format!("{}/healthz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "ok\n");
}

#[tokio::test]
async fn each_role_signs_in_and_reaches_its_home() {
    let app = spawn_app().await;
    for role in Role::ALL {
        let s = app.signed_in(&app.a.user(*role).email).await;
        let cookies = s.set_cookie_headers.lock().unwrap().clone();
        let session_cookie = cookies
            .iter()
            .find(|c| c.starts_with("__Host-tc_session="))
            .expect("session cookie");
        for attr in ["HttpOnly", "SameSite=Strict", "Secure"] {
            assert!(
                session_cookie.contains(attr),
                "{session_cookie} lacks {attr}"
            );
        }
        let home = s.get("/").await;
        assert_eq!(home.status(), 200);
        let body = home.text().await.unwrap();
        assert!(
            body.contains(&format!("data-home=\"{}\"", role.as_str())),
            "{role:?} home: {body}"
        );
    }
}

#[tokio::test]
async fn pages_redirect_to_sign_in_without_a_session() {
    let app = spawn_app().await;
    let r = Session::new(&app.url).get("/participants").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/sign-in");
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_audited() {
    let app = spawn_app().await;
    let s = Session::new(&app.url);
    let r = s
        .sign_in(&app.a.user(Role::Peer).email, "not the password")
        .await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("do not match"));
    let mut conn = app.state.db.conn().unwrap();
    let failures: i64 = audit_log::table
        .filter(audit_log::action.eq("signin.failure"))
        .filter(audit_log::actor_label.eq(&app.a.user(Role::Peer).email))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(failures, 1);
}

#[tokio::test]
async fn failed_sign_ins_slow_the_account_from_that_address_even_with_the_right_password() {
    let app = spawn_app().await;
    let email = app.a.user(Role::Peer).email.clone();
    let s = Session::new(&app.url);
    for _ in 0..app.config.signin_free_failures {
        assert_eq!(s.sign_in(&email, "wrong password!!").await.status(), 401);
    }
    let r = s.sign_in(&email, PASSWORD).await;
    assert_eq!(
        r.status(),
        429,
        "the right password waits its turn right after the failures"
    );
    // Another account from the same address still works.
    assert_eq!(
        s.sign_in(&app.a.user(Role::Admin).email, PASSWORD)
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn many_accounts_failing_from_one_address_slow_that_address() {
    let app = crate::helpers::spawn_app_with(|c| c.signin_max_accounts_per_address = 3).await;
    let s = Session::new(&app.url);
    for i in 0..3 {
        assert_eq!(
            s.sign_in(&format!("nobody{i}@x.test"), "wrong password!!")
                .await
                .status(),
            401
        );
    }
    assert_eq!(
        s.sign_in(&app.a.user(Role::Admin).email, PASSWORD)
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    let s = Session::new(&app.url);
    s.get("/sign-in").await;
    let r = s
        .post_raw(
            "/sign-in",
            &[
                ("email", &app.a.user(Role::Peer).email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("csrf"));
    let signed = app.signed_in(&app.a.user(Role::Peer).email).await;
    let r = signed
        .post_raw(
            "/participants",
            &[
                ("csrf", "forged"),
                ("first_name", "A"),
                ("last_name", "B"),
                ("date_of_birth", "1990-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = spawn_app().await;
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    assert_eq!(s.get("/").await.status(), 200);
    let stolen = s
        .cookies
        .lock()
        .unwrap()
        .get("__Host-tc_session")
        .cloned()
        .unwrap();
    assert_eq!(s.post_form("/sign-out", &[]).await.status(), 303);
    assert_eq!(s.get("/").await.status(), 303);
    // The old cookie value is dead on the server too.
    let replay = Session::new(&app.url);
    replay
        .cookies
        .lock()
        .unwrap()
        .insert("__Host-tc_session".into(), stolen);
    assert_eq!(replay.get("/").await.status(), 303);
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = spawn_app().await;
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    assert_eq!(s.get("/").await.status(), 200);
    let mut conn = app.state.db.conn().unwrap();
    let long_ago = throughcare::platform::time::now()
        - chrono::Duration::minutes(app.config.session_idle_minutes + 1);
    diesel::update(sessions::table)
        .set(sessions::last_seen_at.eq(long_ago))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(s.get("/").await.status(), 303);
}

#[tokio::test]
async fn bearer_tokens_work_until_revoked() {
    let app = spawn_app().await;
    let u = app.a.user(Role::Supervisor);
    let r = app.get_bearer("/api/v1/me", &u.token).await;
    assert_eq!(r.status(), 200);
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["email"], u.email);
    assert_eq!(me["role"], "supervisor");
    assert_eq!(
        app.get_bearer("/api/v1/me", "tc_not-a-token")
            .await
            .status(),
        401
    );
    let out = app.cli(&["token", "revoke", &u.token]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.get_bearer("/api/v1/me", &u.token).await.status(), 401);
}

#[tokio::test]
async fn cli_creates_users_and_tokens_that_the_api_accepts() {
    let app = spawn_app().await;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_throughcare"));
    cmd.arg("--data-dir").arg(&app.config.data_dir).args([
        "user",
        "add",
        "--org",
        "org-a",
        "--role",
        "peer",
        "--email",
        "new.peer@org-a.test",
        "--name",
        "New Peer",
    ]);
    match &app.config.database_url {
        Some(u) => cmd.env("DATABASE_URL", u),
        None => cmd.env_remove("DATABASE_URL"),
    };
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = app.cli(&[
        "token",
        "create",
        "--email",
        "new.peer@org-a.test",
        "--expires-in",
        "30",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let me: Value = app
        .get_bearer("/api/v1/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "new.peer@org-a.test");
    // The new account signs in through the page with the password given on stdin.
    let s = Session::new(&app.url);
    assert_eq!(
        s.sign_in("new.peer@org-a.test", "a long enough password")
            .await
            .status(),
        303
    );
    // Bad input at the command line names the flag.
    let out = app.cli(&["org", "add", "Bad Slug!", "--name", "X"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("slug"));
    let out = app.cli(&["user", "disable", "new.peer@org-a.test"]);
    assert!(out.status.success());
    assert_eq!(
        app.get_bearer("/api/v1/me", &token).await.status(),
        401,
        "a disabled user's tokens stop working"
    );
}

#[tokio::test]
async fn participants_are_created_listed_and_viewed_with_every_read_audited() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let r = app
        .post_bearer("/api/v1/participants", &peer.token, json!({"first_name": "Casey", "last_name": "Rivera", "date_of_birth": "1991-07-30", "assigned_peer_id": peer.id}))
        .await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    let got: Value = app
        .get_bearer(&format!("/api/v1/participants/{id}"), &peer.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["last_name"], "Rivera");
    let list: Value = app
        .get_bearer("/api/v1/participants?name=Rivera", &peer.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let mut conn = app.state.db.conn().unwrap();
    let actions: Vec<String> = audit_log::table
        .filter(audit_log::actor_user_id.eq(peer.id))
        .order(audit_log::seq)
        .select(audit_log::action)
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        actions,
        vec!["participant.create", "participant.view", "participant.list"]
    );
    // The UI shows the same record to a signed-in colleague.
    let s = app.signed_in(&app.a.user(Role::Supervisor).email).await;
    let page = s.get(&format!("/participants/{id}")).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Rivera"));
}

#[tokio::test]
async fn the_enrolment_form_creates_and_reports_bad_fields() {
    let app = spawn_app().await;
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    let r = s
        .post_form(
            "/participants",
            &[
                ("first_name", "Dana"),
                ("last_name", ""),
                ("date_of_birth", "31/12/1990"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("last_name") && body.contains("is required"),
        "{body}"
    );
    assert!(
        body.contains("date_of_birth") && body.contains("is not a date"),
        "{body}"
    );
    assert!(
        body.contains("value=\"Dana\""),
        "the form keeps what was typed"
    );
    let r = s
        .post_form(
            "/participants",
            &[
                ("first_name", "Dana"),
                ("last_name", "Okafor"),
                ("date_of_birth", "1990-12-31"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(s.get(&loc).await.text().await.unwrap().contains("Okafor"));
}

#[tokio::test]
async fn team_and_auditor_roles_do_not_see_participants_by_role() {
    let app = spawn_app().await;
    for role in [Role::Team, Role::Auditor] {
        let u = app.a.user(role);
        let r = app
            .get_bearer(
                &format!("/api/v1/participants/{}", app.a.participant_id),
                &u.token,
            )
            .await;
        assert_eq!(r.status(), 404, "{role:?}");
        let list: Value = app
            .get_bearer("/api/v1/participants", &u.token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list, json!([]), "{role:?}");
        let r = app
            .post_bearer(
                "/api/v1/participants",
                &u.token,
                json!({"first_name": "X", "last_name": "Y", "date_of_birth": "1990-01-01"}),
            )
            .await;
        assert_eq!(r.status(), 403, "{role:?}");
    }
}

#[tokio::test]
async fn audit_log_is_browsable_by_auditors_and_admins_only() {
    let app = spawn_app().await;
    app.get_bearer(
        &format!("/api/v1/participants/{}", app.a.participant_id),
        &app.a.user(Role::Peer).token,
    )
    .await;
    for role in [Role::Auditor, Role::Admin] {
        let r = app
            .get_bearer(
                "/api/v1/audit?action=participant.view",
                &app.a.user(role).token,
            )
            .await;
        assert_eq!(r.status(), 200);
        let entries: Value = r.json().await.unwrap();
        let e = &entries.as_array().unwrap()[0];
        assert_eq!(e["participant_id"], app.a.participant_id);
        assert_eq!(e["actor_label"], app.a.user(Role::Peer).email);
        assert_eq!(e["client_addr"], "127.0.0.1");
    }
    for role in [Role::Peer, Role::Supervisor, Role::Team] {
        assert_eq!(
            app.get_bearer("/api/v1/audit", &app.a.user(role).token)
                .await
                .status(),
            403
        );
    }
    // Organisation B's auditor does not see A's entries.
    let entries: Value = app
        .get_bearer(
            "/api/v1/audit?action=participant.view",
            &app.b.user(Role::Auditor).token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(entries, json!([]));
    let s = app.signed_in(&app.a.user(Role::Auditor).email).await;
    let page = s
        .get("/audit?action=participant.view")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("participant.view"));
}

fn verify(app: &crate::helpers::TestApp) -> (bool, String) {
    let out = app.cli(&["audit", "verify"]);
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test]
async fn audit_verify_names_a_changed_entry() {
    let app = spawn_app().await;
    let (ok, out) = verify(&app);
    assert!(ok, "untouched chain verifies: {out}");
    let mut conn = app.state.db.conn().unwrap();
    diesel::update(audit_log::table.filter(audit_log::seq.eq(5)))
        .set(audit_log::detail.eq("nothing to see"))
        .execute(&mut conn)
        .unwrap();
    let (ok, out) = verify(&app);
    assert!(!ok);
    assert!(out.contains("entry 5 was changed"), "{out}");
}

#[tokio::test]
async fn audit_verify_names_a_deleted_entry() {
    let app = spawn_app().await;
    let mut conn = app.state.db.conn().unwrap();
    diesel::delete(audit_log::table.filter(audit_log::seq.eq(7)))
        .execute(&mut conn)
        .unwrap();
    let (ok, out) = verify(&app);
    assert!(!ok);
    assert!(out.contains("entry 7 is missing"), "{out}");
    // Deleting the newest entry is caught through the head.
    let app = spawn_app().await;
    let mut conn = app.state.db.conn().unwrap();
    let last: i64 = audit_log::table
        .select(diesel::dsl::max(audit_log::seq))
        .first::<Option<i64>>(&mut conn)
        .unwrap()
        .unwrap();
    diesel::delete(audit_log::table.filter(audit_log::seq.eq(last)))
        .execute(&mut conn)
        .unwrap();
    let (ok, out) = verify(&app);
    assert!(!ok);
    assert!(out.contains(&format!("entry {last} is missing")), "{out}");
}

#[tokio::test]
async fn audit_verify_names_an_inserted_entry() {
    let app = spawn_app().await;
    let mut conn = app.state.db.conn().unwrap();
    let last: i64 = audit_log::table
        .select(diesel::dsl::max(audit_log::seq))
        .first::<Option<i64>>(&mut conn)
        .unwrap()
        .unwrap();
    let prev: String = audit_log::table
        .find(last)
        .select(audit_log::hash)
        .first(&mut conn)
        .unwrap();
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::seq.eq(last + 1),
            audit_log::at.eq(throughcare::platform::time::now()),
            audit_log::actor_label.eq("intruder"),
            audit_log::action.eq("participant.view"),
            audit_log::record_type.eq("participant"),
            audit_log::client_addr.eq("10.9.9.9"),
            audit_log::detail.eq(""),
            audit_log::prev_hash.eq(prev),
            audit_log::hash.eq("f".repeat(64)),
        ))
        .execute(&mut conn)
        .unwrap();
    let (ok, out) = verify(&app);
    assert!(!ok);
    assert!(out.contains(&format!("entry {}", last + 1)), "{out}");
}

#[tokio::test]
async fn two_server_processes_share_sessions() {
    let app = spawn_app().await;
    let start = |port_file: &std::path::Path| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_throughcare"));
        cmd.arg("--data-dir")
            .arg(&app.config.data_dir)
            .args(["serve", "--listen", "127.0.0.1:0"]);
        match &app.config.database_url {
            Some(u) => cmd.env("DATABASE_URL", u),
            None => cmd.env_remove("DATABASE_URL"),
        };
        cmd.stdout(std::fs::File::create(port_file).unwrap())
            .stderr(std::process::Stdio::null());
        cmd.spawn().unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let (f1, f2) = (dir.path().join("one"), dir.path().join("two"));
    let mut one = start(&f1);
    let mut two = start(&f2);
    let (f1, f2) = (f1.clone(), f2.clone());
    let url_of = |f: std::path::PathBuf| async move {
        for _ in 0..200 {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            if let Some(line) = text.lines().find(|l| l.contains("serving at ")) {
                return line
                    .split("serving at ")
                    .nth(1)
                    .unwrap()
                    .trim_end_matches('/')
                    .to_string();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("server did not start");
    };
    let (u1, u2) = (url_of(f1).await, url_of(f2).await);
    assert_ne!(u1, u2);
    let s = Session::new(&u1);
    assert_eq!(
        s.sign_in(&app.a.user(Role::Peer).email, PASSWORD)
            .await
            .status(),
        303
    );
    let mut on_two = s.clone();
    on_two.base = u2.clone();
    let home = on_two.get("/").await;
    assert_eq!(
        home.status(),
        200,
        "the session made on one instance works on the other"
    );
    assert!(home.text().await.unwrap().contains("data-home=\"peer\""));
    // Sign out on the second; the first no longer knows the session either.
    assert_eq!(on_two.post_form("/sign-out", &[]).await.status(), 303);
    let again = Session::new(&u1);
    *again.cookies.lock().unwrap() = s.cookies.lock().unwrap().clone();
    assert_eq!(again.get("/").await.status(), 303);
    let _ = one.kill();
    let _ = two.kill();
    let _ = one.wait();
    let _ = two.wait();
}

#[tokio::test]
async fn the_openapi_document_matches_its_snapshot() {
    let doc = serde_json::to_value(throughcare::platform::web::openapi()).unwrap();
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn the_api_docs_page_lists_every_operation() {
    let app = spawn_app().await;
    let page = app
        .api()
        .get(format!("{}/api/docs", app.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for path in throughcare::platform::web::openapi().paths.paths.keys() {
        assert!(page.contains(path.as_str()), "docs page lacks {path}");
    }
}

/// Every `..._at` string anywhere in a JSON response.
fn instants(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let here = format!("{path}.{k}");
                match v {
                    Value::String(s) if k.ends_with("_at") || k == "at" => {
                        out.push((here, s.clone()));
                    }
                    _ => instants(v, &here, out),
                }
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                instants(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn api_timestamps_are_rfc3339_with_an_offset() {
    let app = spawn_app().await;
    let admin = &app.a.user(Role::Admin).token;
    let peer = &app.a.user(Role::Peer).token;
    let id = app.a.participant_id;
    // An encounter sent as a local wall-clock time comes back as an instant with an offset.
    let r = app
        .api()
        .post(format!("{}/api/v1/participants/{id}/encounters", app.url))
        .bearer_auth(peer)
        .json(
            &json!({"mode": "phone", "outcome": "completed", "occurred_at": "2026-01-01T10:00",
                      "duration_minutes": 20}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let encounters: Value = r.json().await.unwrap();
    assert_eq!(encounters[0]["occurred_at"], "2026-01-01T10:00:00.000000Z");
    let mut found = Vec::new();
    for (token, path) in [
        (peer, format!("/api/v1/participants/{id}")),
        (peer, format!("/api/v1/participants/{id}/encounters")),
        (admin, "/api/v1/staff".to_string()),
        (admin, "/api/v1/facilities".to_string()),
        (admin, "/api/v1/audit?limit=20".to_string()),
    ] {
        let r = app
            .api()
            .get(format!("{}{path}", app.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let v: Value = r.json().await.unwrap();
        instants(&v, &path, &mut found);
    }
    assert!(found.len() >= 5, "too few timestamps to check: {found:?}");
    for (field, text) in &found {
        // RFC 3339 section 5.6: `date-time` requires the offset.
        let t = chrono::DateTime::parse_from_rfc3339(text)
            .unwrap_or_else(|e| panic!("{field} = {text:?} is not RFC 3339: {e}"));
        assert_eq!(t.offset().local_minus_utc(), 0, "{field} = {text:?}");
    }
}

/// The wire codes of every value of a coded enum, and the codes its schema lists.
fn codes<T: serde::Serialize + utoipa::PartialSchema>(all: &[T]) -> (Vec<String>, Vec<String>) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    let wire = all
        .iter()
        .map(|v| {
            serde_json::to_value(v)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let listed = match T::schema() {
        RefOr::T(Schema::Object(o)) => o
            .enum_values
            .expect("an enum")
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect(),
        other => panic!(
            "not an enum schema: {}",
            serde_json::to_string(&other).unwrap()
        ),
    };
    (wire, listed)
}

#[test]
fn every_coded_value_lists_the_codes_it_sends_and_accepts() {
    use throughcare::assessments::stages::StageOfChange;
    use throughcare::consent::rules::{Category, ConsentKind, Purpose, RecipientClass};
    use throughcare::journey::rules as j;
    use throughcare::organisations::store::{FacilityKind, SettingTerm};
    use throughcare::platform::access::OrgKind;
    use throughcare::reports::gpra::{FollowUpKind, Timepoint};
    use throughcare::workforce::codes as w;
    use throughcare::workforce::credentials::{AlertKind, RequirementKind};
    use throughcare::workforce::readiness::{FiveP, ItemStatus, OrgStage};
    macro_rules! same {
        ($($t:ty => $all:expr),+ $(,)?) => {$(
            let (wire, listed) = codes::<$t>(&$all);
            assert_eq!(wire, listed, "{}", stringify!($t));
        )+};
    }
    same!(
        j::Setting => j::Setting::ALL, j::DischargeReason => j::DischargeReason::ALL,
        j::CustodyEventKind => j::CustodyEventKind::ALL,
        j::ReleaseDateCertainty => j::ReleaseDateCertainty::ALL,
        j::EncounterMode => j::EncounterMode::ALL, j::EncounterKind => j::EncounterKind::ALL,
        j::EncounterOutcome => j::EncounterOutcome::ALL, j::GoalDomain => j::GoalDomain::ALL,
        j::GoalStatus => j::GoalStatus::ALL, j::ReferralType => j::ReferralType::ALL,
        j::ReferralStatus => j::ReferralStatus::ALL, j::CompetencyArea => j::CompetencyArea::ALL,
        j::ChecklistItemKind => j::ChecklistItemKind::ALL,
        j::FollowUpPoint => j::FollowUpPoint::ALL, j::Urgency => j::Urgency::ALL,
        w::Competency => w::Competency::ALL, w::SupervisionFormat => w::SupervisionFormat::ALL,
        w::ClearanceStatus => w::ClearanceStatus::ALL, w::DenialReason => w::DenialReason::ALL,
        w::VisitOutcome => w::VisitOutcome::ALL,
        w::ExemptionDecision => w::ExemptionDecision::ALL,
        w::SanctionKind => w::SanctionKind::ALL,
        OrgStage => OrgStage::ALL, FiveP => FiveP::ALL, ItemStatus => ItemStatus::ALL,
        RequirementKind => RequirementKind::ALL, AlertKind => AlertKind::ALL,
        Timepoint => Timepoint::ALL, FollowUpKind => FollowUpKind::ALL,
        Role => Role::ALL, OrgKind => OrgKind::ALL,
        Category => Category::ALL, RecipientClass => RecipientClass::ALL,
        Purpose => Purpose::ALL,
        ConsentKind => [ConsentKind::Standard, ConsentKind::CriminalJustice],
        StageOfChange => StageOfChange::ALL,
        SettingTerm => SettingTerm::ALL, FacilityKind => FacilityKind::ALL,
    );
    // Codes kept as lists of text, with a schema-only enum beside them.
    let listed = |codes: (Vec<String>, Vec<String>)| codes.1;
    use throughcare::consent::store::{RevocationMethod, RevocationMethod as R};
    use throughcare::journey::store::{OVERDOSE_CODES, OverdoseCode as O};
    use throughcare::participants::store::{IDENTIFIER_KINDS, IdentifierKind as I};
    assert_eq!(
        listed(codes::<O>(&[O::None, O::NonFatal, O::Fatal])),
        OVERDOSE_CODES
    );
    assert_eq!(
        listed(codes::<I>(&[
            I::BookingNumber,
            I::StateId,
            I::SupervisionCase
        ])),
        IDENTIFIER_KINDS.iter().map(|(k, _)| *k).collect::<Vec<_>>()
    );
    assert_eq!(
        listed(codes::<R>(&[
            R::InWriting,
            R::VerballyThenInWriting,
            R::ByRepresentative
        ])),
        RevocationMethod::CODES
    );
}

/// Every error response in the document is a problem document, and every operation declares
/// the sign-in it requires.
#[test]
fn every_error_response_is_declared_as_a_problem_document() {
    let doc = serde_json::to_value(throughcare::platform::web::openapi()).unwrap();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("401"), "{method} {path} lacks 401");
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} lacks {status}"
                    );
                }
            }
            if path.contains('{') {
                assert!(responses.contains_key("404"), "{method} {path} lacks 404");
            }
            for (status, r) in responses {
                if status.starts_with('4') {
                    let content = r["content"].as_object().unwrap();
                    assert_eq!(
                        content.keys().collect::<Vec<_>>(),
                        ["application/problem+json"],
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
    assert!(operations > 60);
}
