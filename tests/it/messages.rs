//! Reminders and two-way messages with participants (issue 18 item 4) and the scheduled jobs
//! that send them on several instances (item 6): a reminder e-mailed through a real SMTP server
//! (Python's `aiosmtpd`, from the virtual environment scripts/test makes in target/) in the
//! participant's language; texts through a local server speaking Twilio's Messaging API; a
//! signed reply landing in the thread; STOP ending everything at once; a partner without a
//! consent covering messages seeing none; two instances on one database sending each reminder
//! exactly once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::RunQueryDsl;
use serde_json::{Value, json};
use throughcare::messages::jobs::{Outbound, tick};
use throughcare::messages::rules::Channel;
use throughcare::messages::{sms, store as messages};
use throughcare::participants::store::{self as participants, NewParticipant};
use throughcare::platform::access::Role;
use throughcare::platform::config::Config;
use throughcare::platform::db::{Db, write_tx};
use throughcare::platform::time;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "test-auth-token";
const FROM: &str = "+15005550006";
const WEBHOOK: &str = "https://throughcare.example.org/api/v1/messages/sms/inbound";

// ------------------------------------------------------------ a local Twilio Messaging API

/// One request the local SMS provider received: its basic auth and its form fields.
type Received = (String, HashMap<String, String>);

/// What the local SMS provider received, in order.
#[derive(Clone, Default)]
struct Texts(Arc<Mutex<Vec<Received>>>);

impl Texts {
    fn to(&self, number: &str) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, f)| f["To"] == number)
            .map(|(_, f)| f["Body"].clone())
            .collect()
    }
    fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

async fn create_message(
    State(texts): State<Texts>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, axum::Json<Value>) {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{SID}:{TOKEN}"))
    );
    if account != SID || auth != expected {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"code": 20003, "message": "Authenticate", "status": 401})),
        );
    }
    let form: HashMap<String, String> = serde_urlencoded::from_str(&body).unwrap();
    // A provider that takes a moment: two instances overlap while one is sending.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let n = {
        let mut t = texts.0.lock().unwrap();
        t.push((auth, form.clone()));
        t.len()
    };
    (
        StatusCode::CREATED,
        axum::Json(
            json!({"sid": format!("SM{n:032}"), "status": "queued", "to": form["To"], "body": form["Body"]}),
        ),
    )
}

/// Start the local provider; its base URL and what it receives.
async fn twilio() -> (String, Texts) {
    let texts = Texts::default();
    let app = axum::Router::new()
        .route(
            "/2010-04-01/Accounts/{account}/Messages.json",
            axum::routing::post(create_message),
        )
        .with_state(texts.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, texts)
}

// ------------------------------------------------------------------- a real SMTP server

/// `aiosmtpd` delivering into a Maildir, stopped when dropped.
pub(crate) struct SmtpServer {
    pub(crate) port: u16,
    maildir: tempfile::TempDir,
    child: std::process::Child,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpServer {
    /// The messages delivered so far, as raw text.
    pub(crate) fn delivered(&self) -> Vec<String> {
        let new = self.maildir.path().join("mail").join("new");
        let mut files: Vec<_> = std::fs::read_dir(&new)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .into_iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect()
    }
}

/// Start `python -m aiosmtpd` from target/smtp-venv (or `SMTP_PYTHON`). Without it the test
/// fails and says how to make it.
pub(crate) fn smtp_server() -> SmtpServer {
    let python = std::env::var("SMTP_PYTHON")
        .unwrap_or_else(|_| format!("{}/target/smtp-venv/bin/python", env!("CARGO_MANIFEST_DIR")));
    let has_it = std::process::Command::new(&python)
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        has_it,
        "the e-mail test needs aiosmtpd (PyPI) in {python}: scripts/test installs it, or run \
         `python3 -m venv target/smtp-venv && target/smtp-venv/bin/pip install aiosmtpd` (or set \
         SMTP_PYTHON to a Python that has it)"
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let maildir = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(&python)
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        // A Maildir the handler makes (it makes one only where nothing is).
        .arg(maildir.path().join("mail"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let server = SmtpServer {
        port,
        maildir,
        child,
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("aiosmtpd did not start listening on port {port}");
}

/// The text body of a delivered message (base64, as the server sends it) and its headers.
pub(crate) fn parts(raw: &str) -> (String, String) {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap();
    let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let text = base64::engine::general_purpose::STANDARD
        .decode(clean)
        .map(|b| String::from_utf8(b).unwrap())
        .unwrap_or_else(|_| body.to_string());
    (head.to_string(), text)
}

// ------------------------------------------------------------------------------ helpers

fn configure(c: &mut Config, sms_base: &str, smtp_port: Option<u16>) {
    c.smtp_host = smtp_port.map(|_| "127.0.0.1".to_string());
    c.smtp_port = smtp_port.unwrap_or(25);
    // The local relay (aiosmtpd) speaks plain SMTP on 127.0.0.1.
    c.smtp_tls = "none".into();
    c.smtp_from = "reminders@throughcare.example.org".into();
    c.sms_api_base = sms_base.into();
    c.sms_account_sid = Some(SID.into());
    c.sms_auth_token = Some(TOKEN.into());
    c.sms_from = Some(FROM.into());
    c.sms_webhook_url = Some(WEBHOOK.into());
    c.jobs_every_seconds = 0;
}

/// Noon today (UTC, the seeded organisations' clock): inside the sending hours.
fn noon() -> NaiveDateTime {
    time::today().and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap())
}

/// The last noon (UTC) that has passed: a job ticked then stamps its messages before anything
/// written through the API now, so a thread read back is in the order the test wrote it
/// whatever the hour the suite runs.
fn last_noon() -> NaiveDateTime {
    let n = noon();
    if n > time::now() { n - Days::new(1) } else { n }
}

fn court_date(app: &TestApp, participant: i64, org_id: i64, on: NaiveDate) {
    let mut conn = app.state.db.conn().unwrap();
    diesel::sql_query(
        "INSERT INTO custody_events (id, org_id, participant_id, kind, occurred_on, detail, \
         created_at) VALUES ($1, $2, $3, 'court_date', $4, '', $5)",
    )
    .bind::<diesel::sql_types::BigInt, _>(throughcare::platform::ids::new_id())
    .bind::<diesel::sql_types::BigInt, _>(org_id)
    .bind::<diesel::sql_types::BigInt, _>(participant)
    .bind::<diesel::sql_types::Date, _>(on)
    .bind::<diesel::sql_types::Timestamp, _>(time::now())
    .execute(&mut conn)
    .unwrap();
}

fn org_of(app: &TestApp, participant: i64) -> i64 {
    use diesel::prelude::*;
    use throughcare::platform::schema::participants as p;
    let mut conn = app.state.db.conn().unwrap();
    p::table
        .find(participant)
        .select(p::org_id)
        .first(&mut conn)
        .unwrap()
}

async fn send(app: &TestApp, method: &str, token: &str, path: &str, body: Value) -> (u16, Value) {
    let c = app.api();
    let url = format!("{}{path}", app.url);
    let r = match method {
        "GET" => c.get(&url),
        "DELETE" => c.delete(&url),
        _ => c.post(&url).json(&body),
    }
    .bearer_auth(token)
    .send()
    .await
    .unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

/// Post a text to the webhook as the provider would, signed (or with `signature`).
async fn text_in(app: &TestApp, from: &str, body: &str, signature: Option<&str>) -> (u16, String) {
    let params: Vec<(String, String)> = vec![
        ("AccountSid".into(), SID.into()),
        ("Body".into(), body.into()),
        ("From".into(), from.into()),
        (
            "MessageSid".into(),
            format!("SM{:032x}", rand::random::<u64>()),
        ),
        ("To".into(), FROM.into()),
    ];
    let sig = signature
        .map(str::to_string)
        .unwrap_or_else(|| sms::signature(TOKEN, WEBHOOK, &params));
    let r = app
        .api()
        .post(format!("{}/api/v1/messages/sms/inbound", app.url))
        .header("X-Twilio-Signature", sig)
        .form(&params)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn runs_of(runs: &[throughcare::platform::jobs::JobRun], job: &str) -> i32 {
    runs.iter()
        .filter(|r| r.job == job)
        .map(|r| {
            assert_eq!(r.error, "", "{job} failed: {}", r.error);
            r.items
        })
        .sum()
}

// -------------------------------------------------------------------------------- tests

#[tokio::test]
async fn a_reminder_is_emailed_in_the_participants_language_a_reply_lands_and_stop_ends_all() {
    let smtp = smtp_server();
    let (sms_base, texts) = twilio().await;
    let port = smtp.port;
    let app = spawn_app_with(|c| configure(c, &sms_base, Some(port))).await;
    let out = Outbound::from_config(&app.config);
    let peer = app.a.user(Role::Peer).token.clone();
    let pid = app.a.participant_id;
    let org = org_of(&app, pid);
    let base = format!("/api/v1/participants/{pid}/messages");

    // No opt-in: nothing may be written, and wrong input names its fields.
    let (s, p) = send(&app, "POST", &peer, &base, json!({"body": "Hello"})).await;
    assert_eq!(s, 422, "{p}");
    let (s, p) = send(
        &app,
        "POST",
        &peer,
        &format!("{base}/optin"),
        json!({"channel": "pigeon", "address": "x", "language": "fr"}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let mut wrong: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    wrong.sort_unstable();
    assert_eq!(wrong, ["address", "channel", "language"], "{p}");

    // Her recorded language is Spanish; the opt-in takes it when none is given.
    {
        let mut conn = app.state.db.conn().unwrap();
        diesel::sql_query(format!(
            "UPDATE participants SET language = 'Spanish' WHERE id = {pid}"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    let (s, o) = send(
        &app,
        "POST",
        &peer,
        &format!("{base}/optin"),
        json!({"channel": "email", "address": " jordan@example.org "}),
    )
    .await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["language"], "es");
    assert_eq!(o["address"], "jordan@example.org");

    // A court date tomorrow: the reminder goes today, once, by e-mail, in Spanish.
    let now = last_noon();
    let tomorrow = now.date() + Days::new(1);
    court_date(&app, pid, org, tomorrow);
    let runs = tick(&app.state.db, &out, "instance-1", now).await;
    assert_eq!(runs_of(&runs, "reminders.plan"), 1);
    assert_eq!(runs_of(&runs, "messages.deliver"), 1);
    let mail = smtp.delivered();
    assert_eq!(mail.len(), 1, "one e-mail");
    let (head, body) = parts(&mail[0]);
    assert!(head.contains("To: jordan@example.org"), "{head}");
    assert!(head.contains("Content-Language: es"), "{head}");
    assert!(body.contains("fecha de corte"), "{body}");
    assert!(body.contains("Responda STOP"), "{body}");
    assert!(
        !body.contains("Organisation A"),
        "no programme name: {body}"
    );
    // The next tick sends nothing again.
    let runs = tick(&app.state.db, &out, "instance-1", now).await;
    assert_eq!(runs_of(&runs, "reminders.plan"), 0);
    assert_eq!(runs_of(&runs, "messages.deliver"), 0);
    assert_eq!(smtp.delivered().len(), 1);

    // She changes to texts; the e-mail opt-in is kept, ended as replaced.
    let (s, o) = send(
        &app,
        "POST",
        &peer,
        &format!("{base}/optin"),
        json!({"channel": "sms", "address": "(617) 555-0142", "language": "es"}),
    )
    .await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["address"], "+16175550142");
    // A text naming a treatment she has not agreed texts may name is refused.
    let (s, p) = send(
        &app,
        "POST",
        &peer,
        &base,
        json!({"body": "¿Recogió la buprenorfina?"}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let (s, m) = send(
        &app,
        "POST",
        &peer,
        &base,
        json!({"body": "¿Nos vemos mañana a las 3?"}),
    )
    .await;
    assert_eq!(s, 201, "{m}");
    assert_eq!(m["status"], "queued");
    let runs = tick(&app.state.db, &out, "instance-1", now).await;
    assert_eq!(runs_of(&runs, "messages.deliver"), 1);
    assert_eq!(texts.to("+16175550142"), ["¿Nos vemos mañana a las 3?"]);
    assert_eq!(texts.0.lock().unwrap()[0].1["From"], FROM);

    // Her reply: refused unsigned or wrongly signed; signed, it lands in the thread.
    let (s, _) = text_in(&app, "+16175550142", "Sí, allí estaré", Some("bm90IGl0")).await;
    assert_eq!(s, 403);
    let (s, twiml) = text_in(&app, "+16175550142", "Sí, allí estaré", None).await;
    assert_eq!(s, 200);
    assert!(
        !twiml.contains("<Message>"),
        "a reply is not answered: {twiml}"
    );
    let (s, t) = send(&app, "GET", &peer, &base, Value::Null).await;
    assert_eq!(s, 200, "{t}");
    let msgs = t["messages"].as_array().unwrap();
    let last = msgs.last().unwrap();
    assert_eq!(last["direction"], "in");
    assert_eq!(last["kind"], "reply");
    assert_eq!(last["body"], "Sí, allí estaré");
    assert_eq!(
        msgs.len(),
        3,
        "the reminder, the peer's text, her reply: {t}"
    );
    assert_eq!(t["history"][0]["ended_how"], "replaced");

    // STOP: answered at once in her language; every message ends, those waiting too.
    let (s, m) = send(&app, "POST", &peer, &base, json!({"body": "¿Todo bien?"})).await;
    assert_eq!(s, 201, "{m}");
    let (s, twiml) = text_in(&app, "+16175550142", "Stop", None).await;
    assert_eq!(s, 200);
    assert!(
        twiml.contains("<Message>No recibirá más mensajes"),
        "{twiml}"
    );
    let (_, t) = send(&app, "GET", &peer, &base, Value::Null).await;
    assert!(t["optin"].is_null(), "{t}");
    assert_eq!(t["history"][0]["ended_how"], "stop");
    let waiting: Vec<&Value> = t["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["body"] == "¿Todo bien?")
        .collect();
    assert_eq!(waiting[0]["status"], "cancelled");
    let (s, p) = send(&app, "POST", &peer, &base, json!({"body": "Hola"})).await;
    assert_eq!(s, 422, "{p}");
    court_date(&app, pid, org, tomorrow + Days::new(0));
    court_date(&app, pid, org, now.date());
    let before = texts.count();
    let runs = tick(&app.state.db, &out, "instance-1", now).await;
    assert_eq!(
        runs_of(&runs, "reminders.plan"),
        0,
        "no reminder after STOP"
    );
    assert_eq!(runs_of(&runs, "messages.deliver"), 0);
    assert_eq!(texts.count(), before);
    assert_eq!(smtp.delivered().len(), 1);
    // START: on again, as before.
    let (_, twiml) = text_in(&app, "+16175550142", "START", None).await;
    assert!(twiml.contains("<Message>"), "{twiml}");
    let (_, t) = send(&app, "GET", &peer, &base, Value::Null).await;
    assert_eq!(t["optin"]["address"], "+16175550142");
    assert!(
        t["optin"]["recorded_by"].is_null(),
        "the participant's own START"
    );

    // A number nobody opted in with is ignored, and nothing of it kept.
    let (s, twiml) = text_in(&app, "+16175559999", "who is this", None).await;
    assert_eq!(s, 200);
    assert!(!twiml.contains("<Message>"));

    // A partner (organisation B) with no consent sees no message, and the refusal is audited;
    // with a consent for participation only, still none; with one naming encounter notes, the
    // thread, recorded as a disclosure.
    let partner = app.b.user(Role::Team).token.clone();
    let (s, body) = send(&app, "GET", &partner, &base, Value::Null).await;
    assert_eq!(s, 404, "{body}");
    // Nor does organisation B's own peer, or A's auditor.
    for token in [
        &app.b.user(Role::Peer).token,
        &app.a.user(Role::Auditor).token,
    ] {
        let (s, body) = send(&app, "GET", token, &base, Value::Null).await;
        assert_eq!(s, 404, "{body}");
    }
    assert!(!body.to_string().contains("allí estaré"));
    consent_for(&app, pid, &["participation"]).await;
    let (s, body) = send(&app, "GET", &partner, &base, Value::Null).await;
    assert_eq!(s, 404, "{body}");
    consent_for(&app, pid, &["participation", "encounter_notes"]).await;
    let (s, body) = send(&app, "GET", &partner, &base, Value::Null).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["can_write"], false);
    let (s, _) = send(&app, "POST", &partner, &base, json!({"body": "hi"})).await;
    assert_eq!(s, 404, "a partner never writes");
    let (_, accounting) = send(
        &app,
        "GET",
        &peer,
        &format!("/api/v1/participants/{pid}/disclosures"),
        Value::Null,
    )
    .await;
    assert!(
        accounting.to_string().contains("encounter_notes"),
        "the partner's read is in her accounting of disclosures: {accounting}"
    );
}

/// A consent naming organisation B for `categories` of participant `pid`, recorded by A's peer.
async fn consent_for(app: &TestApp, pid: i64, categories: &[&str]) {
    let (_, me) = send(
        app,
        "GET",
        &app.b.user(Role::Team).token,
        "/api/v1/me",
        Value::Null,
    )
    .await;
    let expires = (time::today() + Days::new(90)).to_string();
    let body = json!({
        "kind": "standard",
        "categories": categories,
        "recipients": [{"kind": "organisation", "org_id": me["org_id"]}],
        "purpose": "care_coordination",
        "expires_on": expires,
        "right_to_revoke_acknowledged": true,
        "signature_kind": "on_screen",
        "signer_name": "Jordan Test",
    });
    let (s, c) = send(
        app,
        "POST",
        &app.a.user(Role::Peer).token,
        &format!("/api/v1/participants/{pid}/consents"),
        body,
    )
    .await;
    assert_eq!(s, 201, "{c}");
}

/// Two server instances over one database (PostgreSQL with TEST_DATABASE_URL: its own pool,
/// router and scheduler each) tick at the same moments, several times: every reminder due goes
/// exactly once, both instances do some of the work, and the admins see every run.
#[tokio::test]
async fn two_instances_on_one_database_send_each_due_reminder_exactly_once() {
    let (sms_base, texts) = twilio().await;
    let app = spawn_app_with(|c| configure(c, &sms_base, None)).await;
    let org = org_of(&app, app.a.participant_id);
    let peer = app.a.user(Role::Peer).id;
    let now = noon();
    let tomorrow = now.date() + Days::new(1);
    // 80 participants opted in by text, each with a court date tomorrow; 10 more whose court
    // date is next week (not due) and 10 with none.
    const DUE: usize = 80;
    let db = app.state.db.clone();
    let ids: Vec<i64> = tokio::task::spawn_blocking(move || {
        let mut conn = db.conn().unwrap();
        write_tx(&mut conn, |tx| {
            let mut ids = vec![];
            for i in 0..DUE + 20 {
                let p = participants::create(
                    tx,
                    org,
                    &NewParticipant {
                        first_name: format!("Person{i}"),
                        last_name: "Many".into(),
                        preferred_name: None,
                        date_of_birth: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
                        assigned_peer_id: Some(peer),
                        pronouns: None,
                        language: None,
                        phone: None,
                        email: None,
                        identifiers: vec![],
                    },
                )?;
                messages::record_optin(
                    tx,
                    org,
                    p.id,
                    &messages::NewOptin {
                        channel: Channel::Sms,
                        address: format!("+1617555{i:04}"),
                        language: if i % 2 == 0 { "en" } else { "es" }.into(),
                        names_programme: false,
                    },
                    Some(peer),
                    time::now(),
                )?;
                ids.push(p.id);
            }
            Ok(ids)
        })
        .unwrap()
    })
    .await
    .unwrap();
    for (i, id) in ids.iter().enumerate() {
        if i < DUE {
            court_date(&app, *id, org, tomorrow);
        } else if i < DUE + 10 {
            court_date(&app, *id, org, tomorrow + Days::new(6));
        }
    }
    // The second instance: its own pool and its own server over the same database.
    let db2 = Db::open(&app.config).unwrap();
    let state2 = throughcare::platform::web::AppState {
        db: db2.clone(),
        config: Arc::new(app.config.clone()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url2 = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { throughcare::platform::web::serve(state2, listener).await });
    let out = Outbound::from_config(&app.config);
    let db1 = app.state.db.clone();
    let mut all = vec![];
    for _ in 0..4 {
        let (a, b, c, d) = tokio::join!(
            tick(&db1, &out, "instance-1", now),
            tick(&db2, &out, "instance-2", now),
            tick(&db1, &out, "instance-1b", now),
            tick(&db2, &out, "instance-2b", now),
        );
        all.extend(a.into_iter().chain(b).chain(c).chain(d));
    }
    assert_eq!(
        runs_of(&all, "reminders.plan"),
        DUE as i32,
        "each reminder queued once"
    );
    assert_eq!(
        runs_of(&all, "messages.deliver"),
        DUE as i32,
        "each sent once"
    );
    assert_eq!(texts.count(), DUE, "the provider received each once");
    for i in 0..DUE + 20 {
        let got = texts.to(&format!("+1617555{i:04}"));
        if i < DUE {
            assert_eq!(got.len(), 1, "participant {i}: {got:?}");
            let lang_word = if i % 2 == 0 {
                "court date"
            } else {
                "fecha de corte"
            };
            assert!(got[0].contains(lang_word), "{}", got[0]);
        } else {
            assert!(got.is_empty(), "participant {i} has nothing due: {got:?}");
        }
    }
    let by_instance = |prefix: &str| -> i32 {
        all.iter()
            .filter(|r| r.job == "messages.deliver" && r.instance.starts_with(prefix))
            .map(|r| r.items)
            .sum()
    };
    assert!(
        by_instance("instance-1") > 0 && by_instance("instance-2") > 0,
        "both instances delivered: {} and {}",
        by_instance("instance-1"),
        by_instance("instance-2")
    );

    // The admin sees the runs of both instances, through either server; a peer may not.
    let admin = &app.a.user(Role::Admin).token;
    for base in [&app.url, &url2] {
        let r = app
            .api()
            .get(format!("{base}/api/v1/jobs/runs"))
            .bearer_auth(admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let runs: Value = r.json().await.unwrap();
        let instances: std::collections::BTreeSet<&str> = runs
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["instance"].as_str().unwrap())
            .collect();
        assert_eq!(
            instances.into_iter().collect::<Vec<_>>(),
            ["instance-1", "instance-1b", "instance-2", "instance-2b"]
        );
    }
    let r = app
        .get_bearer("/api/v1/jobs/runs", &app.a.user(Role::Peer).token)
        .await;
    assert_eq!(r.status(), 403);
    let page = app.signed_in(&app.a.user(Role::Admin).email).await;
    let html = page.get("/admin/jobs").await.text().await.unwrap();
    assert!(html.contains("messages.deliver") && html.contains("instance-2"));
}

/// An instance that claimed a message and stopped before sending it holds it only until its
/// lease ends; then another instance sends it, once.
#[tokio::test]
async fn a_message_claimed_by_an_instance_that_stopped_is_sent_after_its_lease() {
    let (sms_base, texts) = twilio().await;
    let app = spawn_app_with(|c| configure(c, &sms_base, None)).await;
    let pid = app.a.participant_id;
    let peer = app.a.user(Role::Peer).token.clone();
    let base = format!("/api/v1/participants/{pid}/messages");
    let (s, _) = send(
        &app,
        "POST",
        &peer,
        &format!("{base}/optin"),
        json!({"channel": "sms", "address": "+16175550100"}),
    )
    .await;
    assert_eq!(s, 201);
    let (s, _) = send(&app, "POST", &peer, &base, json!({"body": "See you at 3"})).await;
    assert_eq!(s, 201);
    let now = noon();
    let db = app.state.db.clone();
    let claimed = db
        .write(move |tx| {
            messages::claim(
                tx,
                "crashed",
                now,
                now + chrono::TimeDelta::seconds(300),
                10,
            )
        })
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let out = Outbound::from_config(&app.config);
    let runs = tick(
        &app.state.db,
        &out,
        "instance-1",
        now + chrono::TimeDelta::seconds(60),
    )
    .await;
    assert_eq!(runs_of(&runs, "messages.deliver"), 0, "still held");
    assert_eq!(texts.count(), 0);
    let later = now + chrono::TimeDelta::seconds(301);
    let runs = tick(&app.state.db, &out, "instance-1", later).await;
    assert_eq!(
        runs_of(&runs, "messages.deliver"),
        1,
        "taken over after the lease"
    );
    let runs = tick(&app.state.db, &out, "instance-1", later).await;
    assert_eq!(runs_of(&runs, "messages.deliver"), 0);
    assert_eq!(texts.to("+16175550100"), ["See you at 3"]);
}

/// The participant's messages page: a peer records the opt-in, writes, reads the reply; the
/// page works for the API's reads too.
#[tokio::test]
async fn the_messages_page_records_an_opt_in_writes_and_shows_the_reply() {
    let (sms_base, _texts) = twilio().await;
    let app = spawn_app_with(|c| configure(c, &sms_base, None)).await;
    let pid = app.a.participant_id;
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    let record = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(record.contains(&format!("/participants/{pid}/messages")));
    let page = s.get(&format!("/participants/{pid}/messages")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"optin-form\"") && !html.contains("id=\"send-form\""));
    let r = s
        .post_form(
            &format!("/participants/{pid}/messages/optin"),
            &[("channel", "sms"), ("address", "12"), ("language", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("address-error"));
    let r = s
        .post_form(
            &format!("/participants/{pid}/messages/optin"),
            &[
                ("channel", "sms"),
                ("address", "617-555-0177"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = s
        .post_form(
            &format!("/participants/{pid}/messages"),
            &[("body", "Running 10 minutes late")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (st, _) = text_in(&app, "+16175550177", "No problem", None).await;
    assert_eq!(st, 200);
    let html = s
        .get(&format!("/participants/{pid}/messages"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Running 10 minutes late") && html.contains("No problem"));
    assert!(html.contains("class=\"msg in\""));
    // Stop from the page: kept in the history.
    let r = s
        .post_form(&format!("/participants/{pid}/messages/stop"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let html = s
        .get(&format!("/participants/{pid}/messages"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"optin-history\"") && html.contains("stopped by staff"));
    // Another organisation's peer: not found.
    let other = app.signed_in(&app.b.user(Role::Peer).email).await;
    let r = other.get(&format!("/participants/{pid}/messages")).await;
    assert_eq!(r.status(), 404);
}

/// "Not heard from" (decision 0053) counts staff messages unanswered in a row: three texts sent
/// without a reply put a person heard from yesterday on the list, for that reason alone; their
/// reply takes them off it.
#[tokio::test]
async fn staff_messages_unanswered_in_a_row_put_a_person_on_not_heard_from_until_they_reply() {
    let (sms_base, texts) = twilio().await;
    let app = spawn_app_with(|c| configure(c, &sms_base, None)).await;
    let out = Outbound::from_config(&app.config);
    let peer = app.a.user(Role::Peer);
    let admin = app.a.user(Role::Admin).token.clone();
    let (s, p) = send(&app, "POST", &peer.token, "/api/v1/participants", json!({"first_name": "Rosa", "last_name": "Silencio", "date_of_birth": "1988-02-03", "assigned_peer_id": peer.id, "confirm_not_duplicate": true})).await;
    assert_eq!(s, 201, "{p}");
    let pid = p["id"].as_i64().unwrap();
    let started = (time::today() - chrono::Duration::days(20))
        .format("%Y-%m-%d")
        .to_string();
    let (s, e) = send(
        &app,
        "POST",
        &admin,
        &format!("/api/v1/participants/{pid}/episodes"),
        json!({"setting": "community", "started_on": started, "services_consent_on": started}),
    )
    .await;
    assert!(s < 300, "{e}");
    let yesterday = (time::now() - chrono::Duration::hours(20))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let (s, e) = send(&app, "POST", &peer.token, &format!("/api/v1/participants/{pid}/encounters"), json!({"mode": "phone", "outcome": "completed", "occurred_at": yesterday, "duration_minutes": 15, "note": "Talked."})).await;
    assert!(s < 300, "{e}");
    let base = format!("/api/v1/participants/{pid}/messages");
    let (s, o) = send(
        &app,
        "POST",
        &peer.token,
        &format!("{base}/optin"),
        json!({"channel": "sms", "address": "(617) 555-0177", "language": "en"}),
    )
    .await;
    assert_eq!(s, 201, "{o}");
    let line = |app: &TestApp| {
        let req = app
            .api()
            .get(format!("{}/api/v1/caseload?per_page=500", app.url))
            .bearer_auth(&peer.token);
        async move {
            let v: Value = req.send().await.unwrap().json().await.unwrap();
            v.as_array()
                .unwrap()
                .iter()
                .find(|r| r["participant_id"] == pid)
                .cloned()
                .unwrap()
        }
    };
    assert!(line(&app).await["disengagement"].is_null());

    for (n, body) in [
        "How are you doing?",
        "Checking in again.",
        "Call me when you can.",
    ]
    .iter()
    .enumerate()
    {
        let (s, m) = send(&app, "POST", &peer.token, &base, json!({"body": body})).await;
        assert_eq!(s, 201, "{m}");
        tick(&app.state.db, &out, "one", time::now()).await;
        let l = line(&app).await;
        if n < 2 {
            assert!(l["disengagement"].is_null(), "{n}: {l}");
        } else {
            assert_eq!(
                l["disengagement"]["reasons"],
                json!(["unanswered_messages"]),
                "{l}"
            );
            assert_eq!(l["disengagement"]["unanswered_messages"], 3, "{l}");
        }
    }
    assert_eq!(texts.to("+16175550177").len(), 3);

    // Her reply: off the list.
    let (s, _) = text_in(&app, "+16175550177", "Sorry, busy week. Im ok", None).await;
    assert_eq!(s, 200);
    assert!(line(&app).await["disengagement"].is_null());
}

/// Appointments (issue 18 item 4): a medication dose, a probation appointment and a peer visit
/// are made from the API; the ones due are reminded by e-mail in the participant's language,
/// with the time and without the place or the treatment; a cancelled one is not reminded; an
/// outcome is written once; wrong input names its fields; a partner reads them only with a
/// consent for the plan, and never writes.
#[tokio::test]
async fn appointments_are_reminded_in_the_participants_language_and_never_say_why() {
    let smtp = smtp_server();
    let (sms_base, _texts) = twilio().await;
    let port = smtp.port;
    let app = spawn_app_with(|c| configure(c, &sms_base, Some(port))).await;
    let out = Outbound::from_config(&app.config);
    let peer = app.a.user(Role::Peer).token.clone();
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}/appointments");
    let today = time::today();
    let tomorrow = (today + Days::new(1)).to_string();

    // Wrong input: every field named, nothing stored.
    let (s, p) = send(
        &app,
        "POST",
        &peer,
        &base,
        json!({"kind": "dentist", "scheduled_on": (today - Days::new(1)).to_string(), "starts_at": "8h"}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    let mut wrong: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    wrong.sort_unstable();
    assert_eq!(wrong, ["kind", "scheduled_on", "starts_at"], "{p}");

    let (s, dose) = send(
        &app,
        "POST",
        &peer,
        &base,
        json!({"kind": "moud_dose", "scheduled_on": tomorrow, "starts_at": "08:15",
               "place": "Clínica Esperanza, methadone window"}),
    )
    .await;
    assert_eq!(s, 201, "{dose}");
    assert_eq!(dose["starts_at"], "08:15");
    assert!(dose["outcome"].is_null());
    let (s, officer) = send(
        &app,
        "POST",
        &peer,
        &base,
        json!({"kind": "supervision", "scheduled_on": tomorrow}),
    )
    .await;
    assert_eq!(s, 201, "{officer}");
    let (s, visit) = send(
        &app,
        "POST",
        &peer,
        &base,
        json!({"kind": "peer_visit", "scheduled_on": (today + Days::new(5)).to_string()}),
    )
    .await;
    assert_eq!(s, 201, "{visit}");

    // Tomorrow's officer appointment is called off; a second outcome is refused and the first
    // stands; a dose cannot be marked missed before its day.
    let outcome = |id: &Value| format!("{base}/{id}/outcome");
    let (s, a) = send(
        &app,
        "POST",
        &peer,
        &outcome(&officer["id"]),
        json!({"outcome": "cancelled", "note": "officer moved it"}),
    )
    .await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["outcome"], "cancelled");
    let (s, p) = send(
        &app,
        "POST",
        &peer,
        &outcome(&officer["id"]),
        json!({"outcome": "kept"}),
    )
    .await;
    assert_eq!(s, 409, "{p}");
    let (s, p) = send(
        &app,
        "POST",
        &peer,
        &outcome(&dose["id"]),
        json!({"outcome": "missed"}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(p["errors"][0]["field"], "outcome", "{p}");
    let (s, p) = send(
        &app,
        "POST",
        &peer,
        &format!("{base}/999999/outcome"),
        json!({"outcome": "cancelled"}),
    )
    .await;
    assert_eq!(s, 404, "{p}");

    // The list: open ones first, soonest first, then the others.
    let (s, list) = send(&app, "GET", &peer, &base, Value::Null).await;
    assert_eq!(s, 200, "{list}");
    let kinds: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["moud_dose", "peer_visit", "supervision"], "{list}");
    assert_eq!(list[2]["outcome"], "cancelled");
    assert_eq!(list[2]["outcome_note"], "officer moved it");

    // She reads Spanish and opted in by e-mail: at noon today only the dose is due (tomorrow),
    // reminded once, with its time, without the place or the medicine.
    let (s, o) = send(
        &app,
        "POST",
        &peer,
        &format!("/api/v1/participants/{pid}/messages/optin"),
        json!({"channel": "email", "address": "ana@example.org", "language": "es"}),
    )
    .await;
    assert_eq!(s, 201, "{o}");
    let runs = tick(&app.state.db, &out, "instance-1", noon()).await;
    assert_eq!(runs_of(&runs, "reminders.plan"), 1);
    assert_eq!(runs_of(&runs, "messages.deliver"), 1);
    let mail = smtp.delivered();
    assert_eq!(mail.len(), 1, "one e-mail");
    let (head, body) = parts(&mail[0]);
    assert!(head.contains("To: ana@example.org"), "{head}");
    assert!(body.contains("cita para su medicamento"), "{body}");
    assert!(body.contains("a las 08:15"), "{body}");
    for never in ["Clínica", "methadone", "metadona", "MOUD", "Organisation A"] {
        assert!(!body.contains(never), "{never} in {body}");
    }
    let runs = tick(&app.state.db, &out, "instance-1", noon()).await;
    assert_eq!(runs_of(&runs, "reminders.plan"), 0, "never twice");

    // A partner: nothing without a consent; a consent for participation only shows nothing
    // either; one for the plan shows the appointments, and a partner never writes.
    let partner = app.b.user(Role::Team).token.clone();
    let (s, body) = send(&app, "GET", &partner, &base, Value::Null).await;
    assert_eq!(s, 404, "{body}");
    consent_for(&app, pid, &["participation"]).await;
    let (s, body) = send(&app, "GET", &partner, &base, Value::Null).await;
    assert_eq!(s, 404, "{body}");
    consent_for(&app, pid, &["participation", "plan"]).await;
    let (s, body) = send(&app, "GET", &partner, &base, Value::Null).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body.as_array().unwrap().len(), 3);
    let (s, _) = send(
        &app,
        "POST",
        &partner,
        &base,
        json!({"kind": "peer_visit", "scheduled_on": tomorrow}),
    )
    .await;
    assert_eq!(s, 404, "a partner never writes");
    let (s, _) = send(
        &app,
        "POST",
        &partner,
        &outcome(&dose["id"]),
        json!({"outcome": "cancelled"}),
    )
    .await;
    assert_eq!(s, 404, "a partner never writes");
    let (_, list) = send(&app, "GET", &peer, &base, Value::Null).await;
    assert!(
        list[0]["outcome"].is_null(),
        "the dose is still open: {list}"
    );
}

/// The appointments page, in Spanish as a peer would use it: linked from the record; a wrong
/// form is shown again (422) with each wrong field named and what was typed kept; a right one
/// saves; an outcome is recorded once from the page; a partner without consent gets 404.
#[tokio::test]
async fn the_appointments_page_makes_one_records_its_outcome_and_names_wrong_fields() {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let s = app.signed_in(&app.a.user(Role::Peer).email).await;
    let r = s
        .post_form("/account/language", &[("language", "es")])
        .await;
    assert!(r.status().is_redirection() || r.status().is_success());
    let record = s
        .get(&format!("/participants/{pid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(record.contains(&format!("href=\"/participants/{pid}/appointments\"")));
    let path = format!("/participants/{pid}/appointments");
    let html = s.get(&path).await.text().await.unwrap();
    assert!(html.contains("No hay citas próximas") && html.contains("id=\"appointment-form\""));
    let yesterday = (time::today() - Days::new(1)).to_string();
    let r = s
        .post_form(
            &path,
            &[
                ("kind", "moud_dose"),
                ("scheduled_on", &yesterday),
                ("starts_at", "25:00"),
                ("place", "Farmacia San José"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("scheduled_on-error") && html.contains("starts_at-error"));
    assert!(html.contains("está en el pasado"), "Spanish error words");
    assert!(
        html.contains("value=\"Farmacia San José\""),
        "what was typed is kept"
    );
    let today = time::today().to_string();
    let r = s
        .post_form(
            &path,
            &[
                ("kind", "supervision"),
                ("scheduled_on", &today),
                ("starts_at", "14:00"),
                ("place", "Oficina de Libertad Condicional"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = s.get(&path).await.text().await.unwrap();
    assert!(html.contains("Cita de libertad condicional o supervisada"));
    assert!(html.contains("Hoy") && html.contains("14:00"));
    let id: i64 = html
        .split("data-appointment=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .and_then(|t| t.parse().ok())
        .expect("the appointment's id on the page");
    let outcome = format!("{path}/{id}/outcome");
    let r = s
        .post_form(&outcome, &[("outcome", "kept"), ("outcome_note", "")])
        .await;
    assert_eq!(r.status(), 303);
    let html = s.get(&path).await.text().await.unwrap();
    assert!(html.contains("id=\"appointments-past\"") && html.contains("Asistió"));
    let r = s
        .post_form(&outcome, &[("outcome", "missed"), ("outcome_note", "")])
        .await;
    assert_eq!(r.status(), 409, "an outcome is written once");
    let other = app.signed_in(&app.b.user(Role::Team).email).await;
    assert_eq!(other.get(&path).await.status(), 404);
}

/// Decision 0055: what leaves the server is protected. An SMTP relay configured for STARTTLS
/// (the default) that does not offer it gets no message in clear text, and an https SMS API is
/// spoken to with TLS (the local provider speaks plain HTTP, so the handshake fails and no text
/// goes); each message stays queued, with the run saying why.
#[tokio::test]
async fn nothing_goes_in_clear_text_to_a_relay_or_provider_configured_for_tls() {
    let smtp = smtp_server();
    let (sms_base, texts) = twilio().await;
    let https = sms_base.replace("http://", "https://");
    let port = smtp.port;
    let app = spawn_app_with(|c| {
        configure(c, &https, Some(port));
        c.smtp_tls = "starttls".into();
    })
    .await;
    let out = Outbound::from_config(&app.config);
    let peer = app.a.user(Role::Peer).token.clone();
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}/messages");
    for (channel, address) in [("email", "ana@example.org"), ("sms", "(617) 555-0190")] {
        let (s, o) = send(
            &app,
            "POST",
            &peer,
            &format!("{base}/optin"),
            json!({"channel": channel, "address": address, "language": "en"}),
        )
        .await;
        assert_eq!(s, 201, "{o}");
        let (s, m) = send(&app, "POST", &peer, &base, json!({"body": "See you at 3"})).await;
        assert_eq!(s, 201, "{m}");
        let runs = tick(&app.state.db, &out, "instance-1", noon()).await;
        let deliver: Vec<_> = runs
            .iter()
            .filter(|r| r.job == "messages.deliver")
            .collect();
        assert_eq!(deliver[0].items, 0, "{channel}: nothing sent");
        assert!(!deliver[0].error.is_empty(), "{channel}: the run says why");
    }
    assert!(smtp.delivered().is_empty(), "no e-mail in clear text");
    assert_eq!(texts.count(), 0, "no text over plain HTTP");
    let (_, t) = send(&app, "GET", &peer, &base, Value::Null).await;
    let statuses: Vec<&str> = t["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap())
        .collect();
    assert!(
        statuses.iter().all(|s| *s != "sent"),
        "still waiting: {statuses:?}"
    );
}
