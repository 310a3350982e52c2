//! Roster import: matching, idempotence, bad rows, likely matches, interrupted imports.

use chrono::Duration;
use diesel::prelude::*;
use throughcare::platform::schema::participants;
use throughcare::platform::time;

use crate::helpers::{TestApp, spawn_app};

const HEADER: &str = "booking_number,last_name,first_name,date_of_birth,booking_date,expected_release_date,release_date";

fn d(days: i64) -> String {
    (time::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn facility(app: &TestApp) -> String {
    let admin = app.a.user(throughcare::platform::access::Role::Admin);
    app.jail(&admin.token, "Lakeview County Jail").await;
    "Lakeview County Jail".into()
}

fn import(app: &TestApp, file: &std::path::Path, fac: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "import",
        "roster",
        file.to_str().unwrap(),
        "--org",
        "org-a",
        "--facility",
        fac,
    ];
    args.extend_from_slice(extra);
    let out = app.cli(&args);
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// A roster of `n` people, booked three days ago, each born on a different day (after the 12th,
/// so no day and month can be read the other way round; the first is `Last0,First0,1920-01-13`):
/// nobody looks like anyone else, so every row creates someone.
fn strangers(booking_prefix: &str, n: usize) -> String {
    let mut text = String::from(HEADER);
    text.push('\n');
    for i in 0..n {
        text.push_str(&format!(
            "{booking_prefix}{i},Last{i},First{i},{}-{:02}-{},{},,\n",
            1920 + i / 192,
            1 + (i / 16) % 12,
            13 + i % 16,
            d(-3)
        ));
    }
    text
}

fn count(app: &TestApp) -> i64 {
    let mut conn = app.state.db.conn().unwrap();
    participants::table.count().get_result(&mut conn).unwrap()
}

fn audit_len(app: &TestApp) -> i64 {
    use throughcare::platform::schema::audit_log;
    let mut conn = app.state.db.conn().unwrap();
    audit_log::table.count().get_result(&mut conn).unwrap()
}

#[tokio::test]
async fn importing_the_same_roster_twice_changes_nothing_the_second_time() {
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    std::fs::write(
        &file,
        format!("{HEADER},housing_unit\nBK-1,Okafor,Dana,1985-02-03,{b},{e},,B2\nBK-2,Nguyen,Lee,1979-11-30,{b},,,C1\n", b = d(-10), e = d(20)),
    )
    .unwrap();
    let before = count(&app);
    let (code, out) = import(&app, &file, &fac, &["--create-unmatched"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 created"), "{out}");
    assert_eq!(count(&app), before + 2);
    let audit_after_first = audit_len(&app);
    let (code, out) = import(&app, &file, &fac, &["--create-unmatched"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("2 matched (0 updated, 2 unchanged), 0 created"),
        "{out}"
    );
    assert_eq!(count(&app), before + 2);
    // Only the reads of the second run (and the run itself) were audited; no data changed.
    let mut conn = app.state.db.conn().unwrap();
    use throughcare::platform::schema::audit_log;
    let writes: i64 = audit_log::table
        .filter(audit_log::seq.gt(audit_after_first))
        .filter(audit_log::action.ne("roster.match"))
        .filter(audit_log::action.ne("roster_import.start"))
        .filter(audit_log::action.ne("roster_import.finish"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(writes, 0);
    // A changed date is an update, which re-plans.
    std::fs::write(
        &file,
        format!(
            "{HEADER}\nBK-1,Okafor,Dana,1985-02-03,{b},{e},\n",
            b = d(-10),
            e = d(25)
        ),
    )
    .unwrap();
    let (_, out) = import(&app, &file, &fac, &[]);
    assert!(out.contains("1 matched (1 updated, 0 unchanged)"), "{out}");
}

#[tokio::test]
async fn bad_rows_are_reported_and_good_rows_still_import() {
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}\nBK-10,Good,Row,1990-01-01,{b},,\nBK-11,,Nameless,1990-01-01,{b},,\nBK-12,Bad,Date,1990-13-45,{b},,\nBK-13,Late,Release,1990-01-01,{b},,{future}\nBK-14,Also,Good,1991-02-02,{b},{e},\n",
            b = d(-5),
            e = d(30),
            future = d(3)
        ),
    )
    .unwrap();
    let (code, out) = import(&app, &file, &fac, &["--create-unmatched"]);
    assert_eq!(code, 3, "bad rows give exit code 3: {out}");
    assert!(out.contains("2 created"), "{out}");
    assert!(
        out.contains("bad row 3: column last_name: is empty"),
        "{out}"
    );
    assert!(
        out.contains("bad row 4: column date_of_birth: \"1990-13-45\" is not a date"),
        "{out}"
    );
    assert!(out.contains("bad row 5: column release_date"), "{out}");
    // A file without the expected header is refused as a whole, naming the column.
    std::fs::write(&file, "booking,last,first\nX,Y,Z\n").unwrap();
    let (code, out) = import(&app, &file, &fac, &[]);
    assert_ne!(code, 0);
    assert!(out.contains("row 1, column booking_number"), "{out}");
}

#[tokio::test]
async fn near_matches_are_offered_not_created() {
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let peer = app.a.user(throughcare::platform::access::Role::Peer);
    let r = app.post_bearer("/api/v1/participants", &peer.token, serde_json::json!({"first_name": "José", "last_name": "Peña", "date_of_birth": "1990-03-04"})).await;
    assert_eq!(r.status(), 201);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    std::fs::write(
        &file,
        format!("{HEADER}\nBK-20,PENA,JOSE,1990-03-04,{b},,\nBK-21,Peña,José,1990-04-03,{b},,\nBK-22,Pena,Jose,1990-03-04,{b},,\n", b = d(-1)),
    )
    .unwrap();
    let before = count(&app);
    let (code, out) = import(&app, &file, &fac, &["--create-unmatched"]);
    assert_eq!(code, 0, "{out}");
    // Only case or accents differ, or day and month are transposed: each is offered for a person
    // to check, and nothing is matched or created silently.
    assert!(out.contains("0 matched"), "{out}");
    assert!(
        out.contains("check row 2: JOSE PENA looks like José Peña (1990-03-04"),
        "case and accents: {out}"
    );
    assert!(
        out.contains("check row 3: José Peña looks like José Peña (1990-03-04"),
        "transposed: {out}"
    );
    assert!(out.contains("transposed_dob"), "{out}");
    assert!(
        out.contains("check row 4: Jose Pena looks like José Peña"),
        "accents: {out}"
    );
    assert_eq!(count(&app), before, "nothing created silently");
}

#[tokio::test]
async fn an_interrupted_import_leaves_only_whole_batches() {
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.csv");
    let n = 19_000;
    let text = strangers("BKX", n);
    std::fs::write(&file, text).unwrap();
    let before = count(&app);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_throughcare"));
    cmd.arg("--data-dir").arg(&app.config.data_dir).args([
        "import",
        "roster",
        file.to_str().unwrap(),
        "--org",
        "org-a",
        "--facility",
        &fac,
        "--create-unmatched",
    ]);
    match &app.config.database_url {
        Some(u) => cmd.env("DATABASE_URL", u),
        None => cmd.env_remove("DATABASE_URL"),
    };
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are in, then kill it without warning.
    let mut created = 0;
    for _ in 0..600 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        created = count(&app) - before;
        if created > 0 {
            break;
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    let created = (count(&app) - before).max(created);
    assert!(created > 0, "the import started");
    if status.success() {
        assert_eq!(created, n as i64, "finished before the kill");
    } else {
        assert_eq!(
            created % throughcare::journey::roster::ROWS_PER_TRANSACTION as i64,
            0,
            "{created} participants: not whole batches"
        );
    }
    // Every created participant has its booking number: no half-written rows.
    let mut conn = app.state.db.conn().unwrap();
    use throughcare::journey::schema::participant_identifiers;
    let with_ids: i64 = participant_identifiers::table
        .filter(participant_identifiers::value.like("BKX%"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(with_ids, count(&app) - before);
    let out = app.cli(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "the audit chain survives the kill: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A roster that moves the expected release of people who are enrolled writes the same record
/// as recording the new date by hand: the event, the episode's date and certainty, and the
/// checklist re-planned (open items move, done items stay). The roster does it for the whole
/// batch at once; two rows for one person leave the later date, and both events.
#[tokio::test]
async fn a_roster_moves_enrolled_peoples_release_dates_as_recording_them_by_hand_does() {
    use serde_json::{Value, json};
    use throughcare::platform::access::Role;
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let t = app.a.user(Role::Admin).token.clone();
    let ok = |r: reqwest::Response| async move {
        let s = r.status().as_u16();
        let body = r.text().await.unwrap();
        assert!(s == 200 || s == 201, "{s} {body}");
        serde_json::from_str::<Value>(&body).unwrap_or(Value::Null)
    };
    let mut people = vec![];
    for last in ["Byhand", "Byroster"] {
        let p = ok(app
            .post_bearer(
                "/api/v1/participants",
                &t,
                json!({"first_name": "Jo", "last_name": last, "date_of_birth": "1988-04-04"}),
            )
            .await)
        .await;
        let id = p["id"].as_i64().unwrap();
        let base = format!("/api/v1/participants/{id}");
        ok(app.post_bearer(&format!("{base}/episodes"), &t, json!({"setting": "short_term", "started_on": d(-30), "services_consent_on": d(-30)})).await).await;
        ok(app
            .post_bearer(
                &format!("{base}/custody-events"),
                &t,
                json!({"kind": "expected_release", "occurred_on": d(40), "certainty": "confirmed"}),
            )
            .await)
        .await;
        // One item done before the date moves.
        ok(app
            .post_bearer(
                &format!("{base}/checklist"),
                &t,
                json!({"kind": "naloxone", "done_on": d(-1)}),
            )
            .await)
        .await;
        people.push(id);
    }
    let (by_hand, by_roster) = (people[0], people[1]);
    ok(app
        .post_bearer(
            &format!("/api/v1/participants/{by_hand}/custody-events"),
            &t,
            json!({"kind": "expected_release", "occurred_on": d(12)}),
        )
        .await)
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}\nBK-9,Byroster,Jo,1988-04-04,{b},{first},\nBK-9,Byroster,Jo,1988-04-04,{b},{e},\n",
            b = d(-30),
            first = d(30),
            e = d(12)
        ),
    )
    .unwrap();
    let (code, out) = import(&app, &file, &fac, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 matched (2 updated, 0 unchanged)"), "{out}");
    let get = |path: String| {
        let app = &app;
        let t = t.clone();
        async move { ok(app.get_bearer(&path, &t).await).await }
    };
    let checklist = |v: Value| -> Vec<(String, String, String)> {
        let mut out: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["kind"].as_str().unwrap().to_string(),
                    i["due_on"].as_str().unwrap().to_string(),
                    i["done_on"].to_string(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let hand = checklist(get(format!("/api/v1/participants/{by_hand}/checklist")).await);
    let roster = checklist(get(format!("/api/v1/participants/{by_roster}/checklist")).await);
    assert_eq!(hand.len(), 8, "{hand:?}");
    assert_eq!(hand, roster, "the same re-planned checklist");
    assert!(
        roster
            .iter()
            .any(|(k, _, done)| k == "naloxone" && done != "null"),
        "the done item stays done"
    );
    for id in [by_hand, by_roster] {
        let eps = get(format!("/api/v1/participants/{id}/episodes")).await;
        let open = eps
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["ended_on"].is_null())
            .unwrap();
        assert_eq!(open["expected_release_on"], d(12), "{open}");
        assert_eq!(open["release_certainty"], "estimated", "{open}");
    }
    let events = get(format!("/api/v1/participants/{by_roster}/custody-events")).await;
    let expected: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "expected_release")
        .map(|e| e["occurred_on"].as_str().unwrap())
        .collect();
    for want in [d(40), d(30), d(12)] {
        assert!(expected.contains(&want.as_str()), "{want} in {expected:?}");
    }
}

#[tokio::test]
async fn someone_a_long_roster_names_twice_is_created_once() {
    // The people of the organisation are read once per date of birth for the whole import and
    // the people it creates are added as it goes: the same person a few thousand rows later, in
    // another transaction, with another booking number, is matched, not created again.
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.csv");
    let n = 2 * throughcare::journey::roster::ROWS_PER_TRANSACTION + 100;
    let mut text = strangers("BKL", n);
    text.push_str(&format!("BKL-AGAIN,Last0,First0,1920-01-13,{},,\n", d(-3)));
    std::fs::write(&file, text).unwrap();
    let before = count(&app);
    let (code, out) = import(&app, &file, &fac, &["--create-unmatched"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("{n} created")), "{out}");
    assert!(out.contains("1 matched"), "{out}");
    assert_eq!(count(&app) - before, n as i64);
}

/// The import records one audit entry per batch and kind, not one per person (issue 19 item 2,
/// decision 0045): `roster.create` and `roster.match` name the run, how many people and a
/// SHA-256 of their ids in ascending order, one a line; the chain still verifies.
#[tokio::test]
async fn a_batch_is_audited_once_with_how_many_people_and_a_digest_of_their_ids() {
    use sha2::{Digest, Sha256};
    use throughcare::platform::schema::audit_log;
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    std::fs::write(&file, strangers("BD-", 30)).unwrap();
    let before = audit_len(&app);
    let (code, out) = import(&app, &file, &fac, &["--create-unmatched"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("30 created"), "{out}");
    let mut conn = app.state.db.conn().unwrap();
    let mut ids: Vec<i64> = participants::table
        .filter(participants::last_name.like("Last%"))
        .select(participants::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(ids.len(), 30);
    ids.sort_unstable();
    let mut h = Sha256::new();
    for id in &ids {
        h.update(format!("{id}\n").as_bytes());
    }
    let want = format!("people=30 digest={}", hex::encode(h.finalize()));
    let entries: Vec<(String, String, Option<i64>, Option<i64>)> = audit_log::table
        .filter(audit_log::seq.gt(before))
        .filter(audit_log::action.like("roster.%"))
        .select((
            audit_log::action,
            audit_log::record_type,
            audit_log::participant_id,
            audit_log::record_id,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(entries.len(), 1, "one entry for the batch: {entries:?}");
    let (action, record_type, participant, run) = &entries[0];
    assert_eq!(
        (action.as_str(), record_type.as_str(), *participant),
        ("roster.create", "roster_import_run", None)
    );
    assert!(run.is_some());
    let detail: String = audit_log::table
        .filter(audit_log::seq.gt(before))
        .filter(audit_log::action.eq("roster.create"))
        .select(audit_log::detail)
        .first(&mut conn)
        .unwrap();
    assert_eq!(detail, want);
    // The same file again: all 30 matched, one `roster.match` entry with the same digest.
    let before = audit_len(&app);
    let (code, out) = import(&app, &file, &fac, &["--create-unmatched"]);
    assert_eq!(code, 0, "{out}");
    let matched: Vec<String> = audit_log::table
        .filter(audit_log::seq.gt(before))
        .filter(audit_log::action.eq("roster.match"))
        .select(audit_log::detail)
        .load(&mut conn)
        .unwrap();
    assert_eq!(matched, vec![want]);
    let out = app.cli(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The people a roster creates have their caseload lines written with them, not computed from
/// the rows just written (decision 0061): each line is what the caseload computes afresh from the
/// records (a booking, an expected release, a release, an accented name), and nothing is left
/// noted for later.
#[tokio::test]
async fn the_caseload_lines_of_people_a_roster_creates_are_those_computed_afresh() {
    use throughcare::journey::caseload::kept;
    use throughcare::journey::schema::caseload_lines as cl;
    use throughcare::platform::db::write_tx;
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new.csv");
    let mut text = strangers("BKC", 40);
    text.push_str(&format!(
        "BKC-E,Peña,José,1981-07-19,{},{},\nBKC-R,Núñez,María,1979-03-23,{},,{}\n",
        d(-10),
        d(5),
        d(-12),
        d(-1)
    ));
    std::fs::write(&file, text).unwrap();
    let (code, out) = import(&app, &file, &fac, &["--create-unmatched"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("42 created"), "{out}");
    let mut conn = app.state.db.conn().unwrap();
    let lines = |conn: &mut throughcare::platform::db::DbConn| -> Vec<String> {
        throughcare::on_backend!(conn, c => cl::table
            .order(cl::participant_id)
            .select((cl::participant_id, cl::org_id, cl::peer_id, cl::name, cl::setting, cl::facility_id, cl::expected_release_on, cl::released_at, cl::window_ends_at, cl::contacts_done, ((cl::first_contact_due, cl::contacts_due, cl::at_risk_from, cl::tasks_due_from, cl::followups_due_from, cl::unplanned_release), (cl::quiet_since, cl::failed_attempts, cl::unanswered_messages, cl::missed_appointments))))
            .load::<(i64, i64, Option<i64>, String, Option<String>, Option<i64>, Option<chrono::NaiveDate>, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>, i64, ((Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>, bool), (Option<chrono::NaiveDateTime>, i64, i64, i64)))>(c))
        .unwrap()
        .into_iter()
        .map(|l| format!("{l:?}"))
        .collect()
    };
    let stored = lines(&mut conn);
    assert!(
        stored.iter().any(|l| l.contains("\"José Peña\"")),
        "{stored:?}"
    );
    let noted: i64 = throughcare::on_backend!(&mut *conn, c => diesel::sql_query(
        "SELECT COUNT(*) AS n FROM caseload_stale"
    )
    .get_result::<Noted>(c))
    .unwrap()
    .n;
    assert_eq!(noted, 0, "nothing is left noted to recompute");
    let ids: Vec<i64> = throughcare::on_backend!(&mut *conn, c => participants::table
        .select(participants::id)
        .load::<i64>(c))
    .unwrap();
    assert!(ids.len() >= 42);
    write_tx(&mut conn, |tx| kept::keep(tx, &ids)).unwrap();
    assert_eq!(
        lines(&mut conn),
        stored,
        "the lines written with the people are the lines computed afresh"
    );
}

#[derive(diesel::QueryableByName)]
struct Noted {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
