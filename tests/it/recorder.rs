//! Audited reads do not queue behind a write (decision 0041): what a read records goes through
//! the one recorder, and a write appends to the audit chain only at its commit, so a write that
//! is still working holds no lock an audited read needs. On PostgreSQL a burst of reads
//! completes while another connection holds a slow write open; on SQLite (one writer per file)
//! the reads' records wait for that write, and complete when it commits. Either way every read
//! leaves its entry and `audit verify` passes after.

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use throughcare::platform::access::Role;
use throughcare::platform::audit::{self, Action, Event, Who};
use throughcare::platform::db::is_postgres;
use throughcare::platform::schema::audit_log;

use crate::helpers::spawn_app;

const READS: usize = 32;

fn views_of(app: &crate::helpers::TestApp, pid: i64) -> i64 {
    let mut conn = app.state.db.conn().unwrap();
    audit_log::table
        .filter(audit_log::action.eq("participant.view"))
        .filter(audit_log::participant_id.eq(pid))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_audited_reads_completes_while_another_connection_holds_a_slow_write() {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let token = app.a.user(Role::Peer).token.clone();
    let postgres = {
        let conn = app.state.db.conn().unwrap();
        is_postgres(&conn)
    };
    let viewed_before = views_of(&app, pid);

    // The slow write: it appends to the chain and changes the participant's row, then stays
    // open (holding its row locks and, on SQLite, the write lock) until it is told to finish.
    let (holding, held) = std::sync::mpsc::channel::<()>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let db = app.state.db.clone();
    let slow = tokio::spawn(async move {
        db.write(move |tx| {
            audit::append(
                tx,
                &Who::command_line(),
                Event::new(Action::ParticipantIdentity, "participant", Some(pid))
                    .with_participant(pid),
            )?;
            diesel::sql_query("UPDATE participants SET first_name = first_name WHERE id = $1")
                .bind::<BigInt, _>(pid)
                .execute(tx.conn())?;
            let _ = holding.send(());
            // Never forever: a test that hangs tells nobody anything.
            let _ = released.recv_timeout(Duration::from_mins(1));
            Ok(())
        })
        .await
    });
    tokio::task::spawn_blocking(move || held.recv_timeout(Duration::from_secs(30)))
        .await
        .unwrap()
        .expect("the slow write started");

    let reads = futures_util::future::join_all((0..READS).map(|_| {
        let (app_url, token) = (app.url.clone(), token.clone());
        async move {
            reqwest::Client::new()
                .get(format!("{app_url}/api/v1/participants/{pid}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    }));
    let statuses = if postgres {
        // The write is still open: the reads must not wait for it.
        let statuses = tokio::time::timeout(Duration::from_secs(30), reads).await;
        let _ = release.send(());
        statuses.expect("the audited reads completed while the slow write held its transaction")
    } else {
        // One writer per SQLite file: the reads' records are written once the write commits.
        let reads = tokio::spawn(reads);
        let _ = release.send(());
        tokio::time::timeout(Duration::from_mins(1), reads)
            .await
            .expect("the reads completed after the write")
            .unwrap()
    };
    assert_eq!(statuses, vec![200; READS]);
    slow.await.unwrap().expect("the slow write committed");

    // Every read left its entry, and the chain (with the write's entry in it) verifies.
    assert_eq!(views_of(&app, pid) - viewed_before, READS as i64);
    let out = app.cli(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "audit verify: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut conn = app.state.db.conn().unwrap();
    let touched: i64 = audit_log::table
        .filter(audit_log::action.eq(Action::ParticipantIdentity.code()))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(touched, 1, "the write's own entry is in the chain");
}

/// Reads recorded together do not share a fate: one whose records fail is refused and leaves
/// nothing, the others answer with their entries in the chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_read_whose_records_fail_is_refused_alone() {
    use throughcare::platform::error::AppError;
    let app = spawn_app().await;
    let reads = futures_util::future::join_all((0..24).map(|n: i64| {
        let db = app.state.db.clone();
        async move {
            db.read(move |tx| {
                audit::append(
                    tx,
                    &Who::command_line(),
                    Event::new(Action::AuditBrowse, "audit_log", Some(n)),
                )?;
                if n % 3 == 0 {
                    // This read's second record cannot be written.
                    tx.defer(|_| Err(AppError::NotFound))?;
                }
                Ok(n)
            })
            .await
        }
    }))
    .await;
    for (n, r) in reads.iter().enumerate() {
        assert_eq!(r.is_ok(), n % 3 != 0, "read {n}: {r:?}");
    }
    let mut conn = app.state.db.conn().unwrap();
    let mut recorded: Vec<Option<i64>> = audit_log::table
        .filter(audit_log::action.eq(Action::AuditBrowse.code()))
        .select(audit_log::record_id)
        .load(&mut conn)
        .unwrap();
    recorded.sort_unstable();
    let expected: Vec<Option<i64>> = (0..24).filter(|n| n % 3 != 0).map(Some).collect();
    assert_eq!(recorded, expected);
    let out = app.cli(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
