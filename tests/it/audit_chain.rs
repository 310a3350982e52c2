//! The audit chain against someone who can write to the database but cannot read the server's
//! files (decision 0014): each attack below is made with raw SQL through a Diesel connection, as
//! such a person would, and `audit verify` (with the key from the temp data directory) must name
//! it. Entries cut off the end, with the head moved back to match, are invisible to the key
//! alone; checkpoints catch them. Runs on SQLite, and on PostgreSQL with `TEST_DATABASE_URL`.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use throughcare::platform::audit::{self, Entry, Fault, GENESIS};
use throughcare::platform::audit_key::{self, Checkpoint, EntryMac, Key};
use throughcare::platform::db::{Db, DbConn};
use throughcare::platform::schema::{audit_head, audit_log};

use crate::helpers::{TestApp, fresh_config, spawn_app, spawn_app_with};

fn key(app: &TestApp) -> Key {
    Key::load(&app.config.audit_key_path()).expect("the key file in the temp data dir")
}

fn verify_with(app: &TestApp, cps: &[Checkpoint]) -> Option<Fault> {
    let mut conn = app.state.db.conn().unwrap();
    audit::verify(&mut conn, &key(app), cps).unwrap().fault
}

fn verify(app: &TestApp) -> Option<Fault> {
    verify_with(app, &[])
}

/// `throughcare audit verify [--checkpoints FILE]`: (exit success, stdout + stderr).
fn cli_verify(app: &TestApp, checkpoints: Option<&std::path::Path>) -> (bool, String) {
    let mut args = vec!["audit".to_string(), "verify".to_string()];
    if let Some(p) = checkpoints {
        args.push("--checkpoints".into());
        args.push(p.display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = app.cli(&args);
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn last_seq(conn: &mut DbConn) -> i64 {
    audit_log::table
        .select(diesel::dsl::max(audit_log::seq))
        .first::<Option<i64>>(conn)
        .unwrap()
        .unwrap_or(0)
}

fn entries_from(conn: &mut DbConn, seq: i64) -> Vec<Entry> {
    audit_log::table
        .filter(audit_log::seq.ge(seq))
        .order(audit_log::seq.asc())
        .select(Entry::as_select())
        .load(conn)
        .unwrap()
}

fn hash_of(conn: &mut DbConn, seq: i64) -> String {
    if seq == 0 {
        return GENESIS.into();
    }
    audit_log::table
        .find(seq)
        .select(audit_log::hash)
        .first(conn)
        .unwrap()
}

/// The attacker moves the head, with raw SQL.
fn set_head(conn: &mut DbConn, seq: i64, hash: &str) {
    diesel::sql_query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind::<BigInt, _>(seq)
        .bind::<Text, _>(hash)
        .execute(conn)
        .unwrap();
}

/// The attacker deletes every entry after `keep` and moves the head back to match.
fn truncate_to(conn: &mut DbConn, keep: i64) {
    diesel::sql_query("DELETE FROM audit_log WHERE seq > $1")
        .bind::<BigInt, _>(keep)
        .execute(conn)
        .unwrap();
    let hash = hash_of(conn, keep);
    set_head(conn, keep, &hash);
}

/// The attacker changes entry `seq`'s detail, then recomputes its hash and every later one
/// with `hash` (plain SHA-256, or HMAC with a guessed key) and moves the head to match.
fn rewrite_from(conn: &mut DbConn, seq: i64, hash: impl Fn(&Entry) -> String) {
    let mut prev = hash_of(conn, seq - 1);
    let mut entries = entries_from(conn, seq);
    entries[0].detail = "nothing to see here".into();
    for mut e in entries {
        e.prev_hash = prev;
        e.hash = hash(&e);
        diesel::sql_query(
            "UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
        )
        .bind::<Text, _>(&e.detail)
        .bind::<Text, _>(&e.prev_hash)
        .bind::<Text, _>(&e.hash)
        .bind::<BigInt, _>(e.seq)
        .execute(conn)
        .unwrap();
        prev = e.hash;
    }
    let last = last_seq(conn);
    set_head(conn, last, &prev);
}

fn guessed_key() -> EntryMac {
    use hmac::Mac;
    <EntryMac as Mac>::new_from_slice(&rand::random::<[u8; 32]>()).unwrap()
}

/// Make `n` more audit entries through the real app (each API read is audited).
async fn activity(app: &TestApp, n: usize) {
    let peer = app.a.user(throughcare::platform::access::Role::Peer);
    for _ in 0..n {
        let r = app
            .get_bearer(
                &format!("/api/v1/participants/{}", app.a.participant_id),
                &peer.token,
            )
            .await;
        assert_eq!(r.status(), 200);
    }
}

fn write_checkpoints(dir: &std::path::Path, cps: &[Checkpoint]) -> std::path::PathBuf {
    let path = dir.join("checkpoints.log");
    for cp in cps {
        audit_key::append_checkpoint(&path, cp).unwrap();
    }
    path
}

#[tokio::test]
async fn a_correct_chain_verifies_with_its_key_and_checkpoints() {
    let app = spawn_app().await;
    let mut conn = app.state.db.conn().unwrap();
    let first = Checkpoint::take(&mut conn, &key(&app)).unwrap();
    drop(conn);
    activity(&app, 3).await;
    let out = app.cli(&["audit", "checkpoint"]);
    assert!(out.status.success(), "{out:?}");
    let line = String::from_utf8(out.stdout).unwrap();
    let second = Checkpoint::parse(line.trim(), 2).unwrap();
    assert!(second.seq > first.seq);
    assert!(second.signature_ok(&key(&app)));
    assert_eq!(verify_with(&app, &[first.clone(), second.clone()]), None);
    let dir = tempfile::tempdir().unwrap();
    let file = write_checkpoints(dir.path(), &[first, second]);
    let (ok, out) = cli_verify(&app, Some(&file));
    assert!(ok, "{out}");
    assert!(out.contains("audit chain intact"), "{out}");
    assert!(out.contains("2 checkpoints"), "{out}");
}

#[tokio::test]
async fn the_key_is_a_0600_file_in_the_data_dir_and_never_in_the_database() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    let path = app.config.data_dir.join("audit.key");
    assert_eq!(app.config.audit_key_path(), path);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    let secret = text
        .lines()
        .find_map(|l| l.strip_prefix("key = "))
        .expect("key line")
        .to_string();
    assert_eq!(secret.len(), 64);
    assert!(
        text.contains("keyed_from = 1"),
        "a fresh chain is keyed from its first entry: {text}"
    );
    let mut conn = app.state.db.conn().unwrap();
    let (check, from): (Option<String>, Option<i64>) = audit_head::table
        .select((audit_head::key_check, audit_head::keyed_from))
        .first(&mut conn)
        .unwrap();
    assert_eq!(check.as_deref(), Some(key(&app).check()));
    assert_ne!(check.as_deref(), Some(secret.as_str()));
    assert_eq!(from, Some(1));
    let first = &entries_from(&mut conn, 1)[0];
    assert_eq!(first.action, audit_key::KEYED_ACTION.code());
    let leaks: i64 = audit_log::table
        .filter(audit_log::detail.like(format!("%{}%", &secret[..16])))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(leaks, 0);
}

#[tokio::test]
async fn changing_one_entry_is_caught() {
    let app = spawn_app().await;
    let mut conn = app.state.db.conn().unwrap();
    diesel::sql_query("UPDATE audit_log SET actor_label = $1 WHERE seq = $2")
        .bind::<Text, _>("someone else")
        .bind::<BigInt, _>(5)
        .execute(&mut conn)
        .unwrap();
    assert_eq!(verify(&app), Some(Fault::Changed { seq: 5 }));
    let (ok, out) = cli_verify(&app, None);
    assert!(!ok);
    assert!(out.contains("entry 5 was changed"), "{out}");
}

#[tokio::test]
async fn deleting_one_entry_is_caught() {
    let app = spawn_app().await;
    let mut conn = app.state.db.conn().unwrap();
    diesel::sql_query("DELETE FROM audit_log WHERE seq = $1")
        .bind::<BigInt, _>(6)
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        verify(&app),
        Some(Fault::Missing {
            expected: 6,
            found: 7
        })
    );
}

#[tokio::test]
async fn rewriting_an_entry_and_rehashing_the_rest_with_sha256_is_caught() {
    let app = spawn_app().await;
    let mut conn = app.state.db.conn().unwrap();
    rewrite_from(&mut conn, 4, audit::entry_hash);
    assert_eq!(
        verify(&app),
        Some(Fault::Unkeyed {
            seq: 4,
            keyed_from: 1
        })
    );
    let (ok, out) = cli_verify(&app, None);
    assert!(!ok);
    assert!(out.contains("entry 4 was changed"), "{out}");
}

#[tokio::test]
async fn rewriting_an_entry_and_rehashing_the_rest_with_a_guessed_key_is_caught() {
    use hmac::Mac;
    // What the attacker can try: a random key, and whatever the database holds about the key
    // (its key check, as bytes and as text). One fresh app per guess.
    for guess in 0..3 {
        let app = spawn_app().await;
        let check = key_check_in_db(&app);
        let mac = match guess {
            0 => guessed_key(),
            1 => <EntryMac as Mac>::new_from_slice(&hex::decode(&check).unwrap()).unwrap(),
            _ => <EntryMac as Mac>::new_from_slice(check.as_bytes()).unwrap(),
        };
        let mut conn = app.state.db.conn().unwrap();
        rewrite_from(&mut conn, 4, |e| audit::keyed_entry_hash(e, &mac));
        assert_eq!(
            verify(&app),
            Some(Fault::Changed { seq: 4 }),
            "guess {guess}"
        );
    }
}

#[tokio::test]
async fn passing_a_rewritten_chain_off_as_never_keyed_is_caught_and_refused() {
    let app = spawn_app().await;
    let mut conn = app.state.db.conn().unwrap();
    // Rewrite everything as plain SHA-256 and make the database say "not keyed".
    rewrite_from(&mut conn, 1, audit::entry_hash);
    diesel::sql_query("UPDATE audit_head SET key_check = NULL, keyed_from = NULL WHERE id = 1")
        .execute(&mut conn)
        .unwrap();
    assert!(matches!(verify(&app), Some(Fault::NotKeyed { .. })));
    // Nor can the app be started on it: that would key the forged chain from its end.
    let e = Db::open(&app.config).unwrap().migrate().unwrap_err();
    assert!(
        e.to_string()
            .contains("says the chain is keyed from entry 1"),
        "{e:#}"
    );
    // Saying "keyed from after the end" instead is caught too.
    let last = last_seq(&mut conn);
    let check = key(&app).check().to_string();
    diesel::sql_query("UPDATE audit_head SET key_check = $1, keyed_from = $2 WHERE id = 1")
        .bind::<Text, _>(&check)
        .bind::<BigInt, _>(last + 1)
        .execute(&mut conn)
        .unwrap();
    assert!(matches!(
        verify(&app),
        Some(Fault::KeyedFrom { file: Some(1), .. })
    ));
    // Even with a key file that does not record where keying began (a copy made before the
    // first start), the database's word is not enough: the chain ends before its keyed part.
    let path = app.config.audit_key_path();
    let text = std::fs::read_to_string(&path).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("keyed_from"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, without).unwrap();
    assert_eq!(
        verify(&app),
        Some(Fault::KeyedPartMissing {
            keyed_from: last + 1,
            last
        })
    );
}

#[tokio::test]
async fn cutting_off_the_tail_and_moving_the_head_back_is_caught_by_a_checkpoint() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let mut conn = app.state.db.conn().unwrap();
    let before = Checkpoint::take(&mut conn, &key(&app)).unwrap();
    let file = write_checkpoints(dir.path(), std::slice::from_ref(&before));
    let last = last_seq(&mut conn);
    assert_eq!(before.seq, last);
    truncate_to(&mut conn, last - 3);
    // The key alone cannot tell a consistent shorter chain from a younger one.
    assert_eq!(verify(&app), None);
    assert_eq!(
        verify_with(&app, std::slice::from_ref(&before)),
        Some(Fault::CheckpointAhead {
            line: 0,
            seq: last,
            at: throughcare::platform::time::canonical(before.at),
            last: last - 3
        })
    );
    let (ok, out) = cli_verify(&app, Some(&file));
    assert!(!ok, "{out}");
    assert!(out.contains("checkpoint on line 1"), "{out}");
    assert!(out.contains(&file.display().to_string()), "{out}");
    // New entries written by the app over the cut do not hide it: the checkpoint's entry now
    // has another hash.
    drop(conn);
    activity(&app, 5).await;
    assert_eq!(verify(&app), None);
    assert!(matches!(
        verify_with(&app, std::slice::from_ref(&before)),
        Some(Fault::CheckpointDiffers { line: 0, seq, .. }) if seq == last
    ));
    let (ok, out) = cli_verify(&app, Some(&file));
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "entry {last} is not the entry the checkpoint on line 1"
        )),
        "{out}"
    );
}

#[tokio::test]
async fn cutting_off_the_whole_keyed_part_is_caught_without_checkpoints() {
    let app = spawn_app().await;
    let mut conn = app.state.db.conn().unwrap();
    truncate_to(&mut conn, 0);
    assert_eq!(
        verify(&app),
        Some(Fault::KeyedPartMissing {
            keyed_from: 1,
            last: 0
        })
    );
}

#[tokio::test]
async fn a_checkpoint_with_a_wrong_signature_is_reported() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let mut conn = app.state.db.conn().unwrap();
    let good = Checkpoint::take(&mut conn, &key(&app)).unwrap();
    let forged = Checkpoint {
        seq: good.seq - 2,
        hash: hash_of(&mut conn, good.seq - 2),
        ..good.clone()
    };
    let file = write_checkpoints(dir.path(), &[good, forged]);
    let (ok, out) = cli_verify(&app, Some(&file));
    assert!(!ok, "{out}");
    assert!(
        out.contains("checkpoint on line 2") && out.contains("wrong signature"),
        "{out}"
    );
    // A line that does not parse is an error naming it, not skipped.
    std::fs::write(&file, "throughcare-audit-checkpoint v1 seq=x\n").unwrap();
    let (ok, out) = cli_verify(&app, Some(&file));
    assert!(!ok, "{out}");
    assert!(out.contains("line 1: seq"), "{out}");
}

#[tokio::test]
async fn a_wrong_key_file_is_reported_and_refused() {
    let app = spawn_app().await;
    let path = app.config.audit_key_path();
    let saved = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let other = Key::load_or_create(&path).unwrap();
    assert_ne!(other.check(), key_check_in_db(&app));
    let (ok, out) = cli_verify(&app, None);
    assert!(!ok);
    assert!(out.contains("wrong audit key"), "{out}");
    // An instance with another key refuses to start (and writes nothing).
    let out = app.cli(&["migrate"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("is not the key this audit chain is keyed with"),
        "{err}"
    );
    // No key file at all: verify says where it looked, and does not make one.
    std::fs::remove_file(&path).unwrap();
    let (ok, out) = cli_verify(&app, None);
    assert!(!ok);
    assert!(out.contains(&path.display().to_string()), "{out}");
    assert!(!path.exists());
    std::fs::write(&path, saved).unwrap();
    let (ok, out) = cli_verify(&app, None);
    assert!(ok, "{out}");
}

fn key_check_in_db(app: &TestApp) -> String {
    let mut conn = app.state.db.conn().unwrap();
    audit_head::table
        .select(audit_head::key_check)
        .first::<Option<String>>(&mut conn)
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn the_key_file_can_be_configured_and_instances_must_share_it() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("keys").join("throughcare-audit.key");
    let s = shared.clone();
    let app = spawn_app_with(move |c| c.audit_key_file = Some(s)).await;
    assert!(shared.exists());
    assert!(!app.config.data_dir.join("audit.key").exists());
    assert_eq!(verify(&app), None);
    // A second instance on the same database, with THROUGHCARE_AUDIT_KEY_FILE naming the file.
    let other_dir = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_throughcare"));
    match &app.config.database_url {
        // PostgreSQL: the same database, from another data directory (no audit.key there).
        Some(u) => cmd
            .arg("--data-dir")
            .arg(other_dir.path())
            .env("DATABASE_URL", u),
        // SQLite: the database lives in the data directory (which holds no audit.key).
        None => cmd
            .arg("--data-dir")
            .arg(&app.config.data_dir)
            .env_remove("DATABASE_URL"),
    };
    let out = cmd
        .env("THROUGHCARE_AUDIT_KEY_FILE", &shared)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

#[tokio::test]
async fn serve_writes_a_signed_checkpoint_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("checkpoints.log");
    let f = file.clone();
    let app = spawn_app_with(move |c| c.audit_checkpoint_file = Some(f)).await;
    // spawn_app runs `web::serve` in a task; its first step writes the checkpoint.
    for _ in 0..100 {
        if file.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let cps = audit_key::read_checkpoints(&file).unwrap();
    assert_eq!(cps.len(), 1, "one line at start");
    assert!(cps[0].signature_ok(&key(&app)));
    let mut conn = app.state.db.conn().unwrap();
    assert_eq!(cps[0].seq, last_seq(&mut conn));
    assert_eq!(verify_with(&app, &cps), None);
}

/// A database from before keying: its entries keep their SHA-256 hashes, the chain is keyed from
/// the next entry on, and the key file records where.
#[tokio::test]
async fn an_unkeyed_chain_is_keyed_from_its_next_entry_and_its_legacy_entries_still_verify() {
    let (config, _dir) = fresh_config();
    let db = Db::open(&config).unwrap();
    let mut conn = db.conn().unwrap();
    throughcare::platform::db::migrate(&mut conn).unwrap();
    // Three entries as the previous version wrote them.
    let mut prev = GENESIS.to_string();
    for seq in 1..=3 {
        let mut e = Entry {
            seq,
            at: throughcare::platform::time::now(),
            actor_user_id: None,
            actor_org_id: None,
            actor_label: "cli:old".into(),
            action: "org.add".into(),
            record_type: "organisation".into(),
            record_id: Some(seq),
            participant_id: None,
            client_addr: "local".into(),
            detail: String::new(),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        e.hash = audit::entry_hash(&e);
        diesel::insert_into(audit_log::table)
            .values((
                audit_log::seq.eq(e.seq),
                audit_log::at.eq(e.at),
                audit_log::actor_label.eq(&e.actor_label),
                audit_log::action.eq(&e.action),
                audit_log::record_type.eq(&e.record_type),
                audit_log::record_id.eq(e.record_id),
                audit_log::client_addr.eq(&e.client_addr),
                audit_log::detail.eq(&e.detail),
                audit_log::prev_hash.eq(&e.prev_hash),
                audit_log::hash.eq(&e.hash),
            ))
            .execute(&mut conn)
            .unwrap();
        prev = e.hash;
    }
    set_head(&mut conn, 3, &prev);
    drop(conn);
    db.migrate().unwrap();
    let key = Key::load(&config.audit_key_path()).unwrap();
    assert_eq!(key.keyed_from(), Some(4));
    let mut conn = db.conn().unwrap();
    assert_eq!(
        entries_from(&mut conn, 4)[0].action,
        audit_key::KEYED_ACTION.code()
    );
    assert_eq!(audit::verify(&mut conn, &key, &[]).unwrap().fault, None);
    // A second start changes nothing.
    db.migrate().unwrap();
    assert_eq!(last_seq(&mut conn), 4);
    // Rewriting the keyed entry as if it were legacy is caught.
    rewrite_from(&mut conn, 4, audit::entry_hash);
    assert_eq!(
        audit::verify(&mut conn, &key, &[]).unwrap().fault,
        Some(Fault::Unkeyed {
            seq: 4,
            keyed_from: 4
        })
    );
}
