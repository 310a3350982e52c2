//! Backups that restore (HIPAA contingency plan, 45 CFR 164.308(a)(7)): `throughcare backup`
//! while the server runs and API writes go on, `restore` into an empty place with its integrity
//! and audit checks, `backup --verify` on good and damaged files, encrypted backups, and the
//! `sqlite_synchronous` setting. The real binary, the real server, a real SQLite file or
//! PostgreSQL server (with pg_dump and pg_restore, which must be found: no silent skip).

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use diesel::prelude::*;
use serde_json::json;
use throughcare::platform::access::Role;
use throughcare::platform::config::{Config, SqliteSynchronous};
use throughcare::platform::db::Db;
use throughcare::platform::schema::participants;

use crate::helpers::{TestApp, fresh_config, spawn_app, spawn_app_with};

const PASSPHRASE: &str = "a long backup passphrase 42";

/// Run the real binary against `config`'s database, with extra environment and standard input.
fn run(config: &Config, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_throughcare"));
    cmd.arg("--data-dir")
        .arg(&config.data_dir)
        .args(args)
        .env_remove("THROUGHCARE_BACKUP_PASSPHRASE")
        .env_remove("THROUGHCARE_SQLITE_SYNCHRONOUS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match &config.database_url {
        Some(u) => cmd.env("DATABASE_URL", u),
        None => cmd.env_remove("DATABASE_URL"),
    };
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run throughcare");
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// On PostgreSQL the tools must be there: a missing pg_dump fails the test, never skips it.
fn require_pg_tools(config: &Config) {
    if config.database_url.is_some() {
        for tool in ["pg_dump", "pg_restore"] {
            throughcare::platform::backup::find_pg_tool(tool)
                .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but {tool} is missing: {e}"));
        }
    }
}

/// A plain backup does not carry the audit key file: copy it to the new data directory, as the
/// README says (with the keyed audit chain, `audit verify` needs it; before it, there is none).
fn copy_audit_key(from: &Config, to: &Config) {
    let key = from.data_dir.join("audit.key");
    if key.exists() {
        std::fs::create_dir_all(&to.data_dir).unwrap();
        std::fs::copy(&key, to.data_dir.join("audit.key")).unwrap();
    }
}

fn participant_ids(config: &Config) -> HashSet<i64> {
    let db = Db::open(config).expect("open the database");
    let mut conn = db.conn().unwrap();
    participants::table
        .select(participants::id)
        .load::<i64>(&mut *conn)
        .unwrap()
        .into_iter()
        .collect()
}

/// Is the place `config` names empty (no SQLite file / no tables)?
fn is_empty(config: &Config) -> bool {
    match &config.database_url {
        None => !config.data_dir.join("throughcare.sqlite3").exists(),
        Some(url) => {
            #[derive(QueryableByName)]
            struct N {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let mut c = diesel::PgConnection::establish(url).unwrap();
            let n: N = diesel::sql_query(
                "SELECT count(*) AS n FROM information_schema.tables \
                 WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
            )
            .get_result(&mut c)
            .unwrap();
            n.n == 0
        }
    }
}

/// Enrol participants through the API until told to stop; each acknowledged (201) id is kept.
fn start_writer(
    app: &TestApp,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Vec<i64>>>,
) -> tokio::task::JoinHandle<usize> {
    let client = app.api();
    let url = format!("{}/api/v1/participants", app.url);
    let token = app.a.user(Role::Admin).token.clone();
    tokio::spawn(async move {
        let mut n = 0usize;
        while !stop.load(Ordering::SeqCst) {
            n += 1;
            let r = client
                .post(&url)
                .bearer_auth(&token)
                .json(&json!({
                    "first_name": format!("Writer{n}"),
                    "last_name": format!("Backup{n}"),
                    "date_of_birth": format!("19{:02}-0{}-1{}", 50 + n % 40, 1 + n % 9, n % 10),
                    "confirm_not_duplicate": true
                }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201, "enrolment {n}");
            let body: serde_json::Value = r.json().await.unwrap();
            acked.lock().unwrap().push(body["id"].as_i64().unwrap());
        }
        n
    })
}

async fn cli_blocking(app_config: Config, args: Vec<String>, env: Vec<(String, String)>) -> Output {
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let e: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        run(&app_config, &a, &e, None)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backup_while_writes_go_on_restores_every_acknowledged_row() {
    let app = spawn_app().await;
    require_pg_tools(&app.config);
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let writer = start_writer(&app, stop.clone(), acked.clone());
    while acked.lock().unwrap().len() < 10 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("throughcare.backup");
    let before: Vec<i64> = acked.lock().unwrap().clone();
    let made = cli_blocking(
        app.config.clone(),
        vec!["backup".into(), file.display().to_string()],
        vec![],
    )
    .await;
    let during = acked.lock().unwrap().len() - before.len();
    stop.store(true, Ordering::SeqCst);
    let total = writer.await.unwrap();
    assert!(made.status.success(), "{}", text(&made));
    assert!(
        during > 0,
        "no write was acknowledged while the backup ran: it must not stop the writers"
    );
    assert!(total > before.len());

    let (restored, _dir) = fresh_config();
    copy_audit_key(&app.config, &restored);
    let out = run(
        &restored,
        &["restore", &file.display().to_string()],
        &[],
        None,
    );
    let report = text(&out);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("integrity: ok"), "{report}");
    assert!(report.contains("migrations: all"), "{report}");
    assert!(report.contains("audit chain intact"), "{report}");
    assert!(report.contains("verdict: GOOD"), "{report}");

    let ids = participant_ids(&restored);
    let missing: Vec<_> = before.iter().filter(|id| !ids.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup started but not restored: {missing:?}"
    );
    assert!(ids.contains(&app.a.participant_id) && ids.contains(&app.b.participant_id));

    // The restored copy stands on its own: the command-line audit check passes on it too.
    let verified = run(&restored, &["audit", "verify"], &[], None);
    assert!(verified.status.success(), "{}", text(&verified));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_verify_passes_on_a_good_file_and_fails_on_flipped_bytes() {
    let app = spawn_app().await;
    require_pg_tools(&app.config);
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("good.backup");
    let f = file.display().to_string();
    let made = run(&app.config, &["backup", &f], &[], None);
    assert!(made.status.success(), "{}", text(&made));
    // A backup never overwrites a file.
    let again = run(&app.config, &["backup", &f], &[], None);
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"), "{}", text(&again));

    let live = participant_ids(&app.config).len();
    let good = run(&app.config, &["backup", "--verify", &f], &[], None);
    let report = text(&good);
    assert!(good.status.success(), "{report}");
    assert!(
        report.contains(&format!(
            "participants: {live} (the backup recorded {live})"
        )),
        "{report}"
    );
    assert!(report.contains("audit entries: "), "{report}");
    assert!(report.contains("verdict: GOOD"), "{report}");
    if app.config.database_url.is_some() {
        // The temporary database is dropped afterwards.
        let name = report
            .split("temporary database ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .expect("the report names the temporary database")
            .to_string();
        assert!(name.starts_with("tc_verify_"), "{name}");
        let admin = std::env::var("TEST_DATABASE_URL").unwrap();
        let mut c = diesel::PgConnection::establish(&admin).unwrap();
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let n: N = diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
            .bind::<diesel::sql_types::Text, _>(&name)
            .get_result(&mut c)
            .unwrap();
        assert_eq!(n.n, 0, "{name} was not dropped");
    }

    let bytes = std::fs::read(&file).unwrap();
    // Flip bytes inside the database part.
    let mut flipped = bytes.clone();
    let at = bytes.len() * 2 / 3;
    for b in &mut flipped[at..at + 8] {
        *b ^= 0xff;
    }
    let bad = out_dir.path().join("flipped.backup");
    std::fs::write(&bad, &flipped).unwrap();
    let out = run(
        &app.config,
        &["backup", "--verify", &bad.display().to_string()],
        &[],
        None,
    );
    assert!(
        !out.status.success(),
        "a damaged backup passed: {}",
        text(&out)
    );
    assert!(text(&out).contains("damaged"), "{}", text(&out));

    // A cut-short file fails too.
    let cut = out_dir.path().join("cut.backup");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = run(
        &app.config,
        &["backup", "--verify", &cut.display().to_string()],
        &[],
        None,
    );
    assert!(
        !out.status.success(),
        "a truncated backup passed: {}",
        text(&out)
    );
    assert!(text(&out).contains("truncated"), "{}", text(&out));

    // Something that is not a backup says so.
    let other = out_dir.path().join("notes.txt");
    std::fs::write(&other, "hello").unwrap();
    let out = run(
        &app.config,
        &["backup", "--verify", &other.display().to_string()],
        &[],
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("not a Throughcare backup"),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_verify_fails_when_the_audit_chain_was_broken() {
    let app = spawn_app().await;
    require_pg_tools(&app.config);
    {
        let mut conn = app.state.db.conn().unwrap();
        diesel::sql_query("UPDATE audit_log SET detail = 'edited' WHERE seq = 2")
            .execute(&mut *conn)
            .unwrap();
    }
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("tampered.backup");
    let f = file.display().to_string();
    let made = run(&app.config, &["backup", &f], &[], None);
    assert!(made.status.success(), "{}", text(&made));
    let out = run(&app.config, &["backup", "--verify", &f], &[], None);
    let report = text(&out);
    assert!(!out.status.success(), "{report}");
    assert!(report.contains("audit chain BROKEN"), "{report}");
    assert!(report.contains("entry 2 was changed"), "{report}");
    assert!(report.contains("verdict: FAILED"), "{report}");

    // restore puts it in place but says it is not good, and exits non-zero.
    let (restored, _dir) = fresh_config();
    copy_audit_key(&app.config, &restored);
    let out = run(&restored, &["restore", &f], &[], None);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("audit chain BROKEN"), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_a_non_empty_target() {
    let app = spawn_app().await;
    require_pg_tools(&app.config);
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("b.backup");
    let f = file.display().to_string();
    let made = run(&app.config, &["backup", &f], &[], None);
    assert!(made.status.success(), "{}", text(&made));

    // Enrol one more person, then try to restore over the live database.
    let r = app
        .post_bearer(
            "/api/v1/participants",
            &app.a.user(Role::Admin).token,
            json!({"first_name": "After", "last_name": "Backup", "date_of_birth": "1970-02-03", "confirm_not_duplicate": true}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let after: i64 = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let out = run(&app.config, &["restore", &f], &[], None);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("refusing to restore"), "{}", text(&out));
    assert!(
        participant_ids(&app.config).contains(&after),
        "the live database was changed by a refused restore"
    );

    // A backend that does not match the backup is refused too, before anything is written.
    let mut other = fresh_config();
    other.0.database_url = match &app.config.database_url {
        Some(_) => None,
        None => Some("postgres://nobody@127.0.0.1:1/none".into()),
    };
    let out = run(&other.0, &["restore", &f], &[], None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("backup, but the configured database is"),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_backup_restores_with_its_passphrase_and_refuses_a_wrong_one() {
    let app = spawn_app().await;
    require_pg_tools(&app.config);
    // The audit key file travels inside encrypted backups (with the keyed chain the server
    // makes it; here a stand-in if there is none yet).
    let key_path = app.config.data_dir.join("audit.key");
    if !key_path.exists() {
        std::fs::write(&key_path, b"stand-in audit key\n").unwrap();
    }
    let key = std::fs::read(&key_path).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("enc.backup");
    let f = file.display().to_string();

    let short = run(
        &app.config,
        &["backup", "--encrypt", &f],
        &[("THROUGHCARE_BACKUP_PASSPHRASE", "short")],
        None,
    );
    assert!(!short.status.success());
    assert!(
        text(&short).contains("THROUGHCARE_BACKUP_PASSPHRASE: use at least 12 characters"),
        "{}",
        text(&short)
    );

    let made = run(
        &app.config,
        &["backup", "--encrypt", &f],
        &[("THROUGHCARE_BACKUP_PASSPHRASE", PASSPHRASE)],
        None,
    );
    assert!(made.status.success(), "{}", text(&made));
    assert!(
        text(&made).contains("with the audit key file"),
        "{}",
        text(&made)
    );
    let bytes = std::fs::read(&file).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"age-encryption.org/v1"));
    assert!(!has(b"SQLite format 3") && !has(b"PGDMP") && !has(b"Jordan") && !has(b"stand-in"));

    let (restored, _dir) = fresh_config();
    let wrong = run(
        &restored,
        &["restore", &f],
        &[("THROUGHCARE_BACKUP_PASSPHRASE", "not the passphrase at all")],
        None,
    );
    assert!(!wrong.status.success(), "{}", text(&wrong));
    assert!(
        text(&wrong).contains("the passphrase does not decrypt this backup"),
        "{}",
        text(&wrong)
    );
    assert!(is_empty(&restored), "a refused restore left data behind");

    // The right passphrase, on standard input this time.
    let out = run(
        &restored,
        &["restore", &f],
        &[],
        Some(&format!("{PASSPHRASE}\n")),
    );
    let report = text(&out);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("verdict: GOOD"), "{report}");
    assert!(report.contains("audit key file: restored to"), "{report}");
    assert_eq!(
        std::fs::read(restored.data_dir.join("audit.key")).unwrap(),
        key
    );
    assert_eq!(participant_ids(&restored), participant_ids(&app.config));

    let verified = run(
        &app.config,
        &["backup", "--verify", &f],
        &[("THROUGHCARE_BACKUP_PASSPHRASE", PASSPHRASE)],
        None,
    );
    assert!(verified.status.success(), "{}", text(&verified));
    let refused = run(
        &app.config,
        &["backup", "--verify", &f],
        &[("THROUGHCARE_BACKUP_PASSPHRASE", "wrong wrong wrong")],
        None,
    );
    assert!(!refused.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_synchronous_is_configurable_and_a_bad_value_is_named() {
    // The running value: FULL (2) by default, NORMAL (1) when configured. SQLite only.
    for (setting, expected) in [(None, 2), (Some(SqliteSynchronous::Normal), 1)] {
        let app = spawn_app_with(|c| {
            if let Some(s) = setting {
                c.sqlite_synchronous = s;
            }
        })
        .await;
        if app.config.database_url.is_some() {
            break;
        }
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            synchronous: i32,
        }
        let mut conn = app.state.db.conn().unwrap();
        let n: N = diesel::sql_query("SELECT synchronous FROM pragma_synchronous")
            .get_result(&mut *conn)
            .unwrap();
        assert_eq!(n.synchronous, expected, "{setting:?}");
    }
    // The environment variable is parsed at start, and a bad value names the key.
    let (config, _dir) = fresh_config();
    let ok = run(
        &config,
        &["migrate"],
        &[("THROUGHCARE_SQLITE_SYNCHRONOUS", "normal")],
        None,
    );
    assert!(ok.status.success(), "{}", text(&ok));
    let bad = run(
        &config,
        &["migrate"],
        &[("THROUGHCARE_SQLITE_SYNCHRONOUS", "sometimes")],
        None,
    );
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    let msg = text(&bad);
    assert!(
        msg.contains("sqlite_synchronous") && msg.contains("`full` or `normal`"),
        "{msg}"
    );
}
