//! The caseload kept on write (decision 0038): one line per participant, recomputed in the same
//! transaction as every write that changes what it is computed from.
//!
//! Triggers on the participant, episode, custody event, checklist, plan step, follow-up and
//! encounter tables note which participants a transaction touched (`caseload_stale`); just
//! before the transaction commits, [`keep_noted`] (run by `platform::kept`) recomputes their
//! lines and clears the note. The line holds only what writes change: the open episode, the
//! window's targets (met, or their deadlines), the earliest open task and follow-up, and since
//! when the person has been quiet with the failed attempts since (decision 0053). What the
//! clock alone changes (inside the window or not, at risk yet, overdue yet) is decided when the
//! caseload is read, from these stored dates ([`super::ranked`]).

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable};

use super::Line;
use crate::journey::rules::{ContactTargets, Engagement, RiskWindow};
use crate::journey::schema::{caseload_lines as cl, custody_events, episodes};
use crate::journey::store::{self, Episode};
use crate::participants::merge::sql_id_list;
use crate::platform::db::{DbConn, Tx, write_tx};
use crate::platform::error::AppResult;
use crate::platform::schema::participants;

/// Participants recomputed per round of queries.
const CHUNK: usize = 500;

#[derive(QueryableByName)]
struct Noted {
    #[diesel(sql_type = BigInt)]
    participant_id: i64,
}

#[derive(QueryableByName)]
struct Earliest {
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = Nullable<Date>)]
    due: Option<NaiveDate>,
}

/// Recompute the lines of the participants this transaction touched, and clear its notes. Each
/// transaction sees only its own notes (the others' are uncommitted, or already cleared), so
/// concurrent writers never wait on each other here.
pub fn keep_noted(tx: &mut Tx) -> AppResult<()> {
    let noted: Vec<Noted> =
        diesel::sql_query("DELETE FROM caseload_stale RETURNING participant_id").load(tx.conn())?;
    if noted.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<i64> = noted.into_iter().map(|n| n.participant_id).collect();
    ids.sort_unstable();
    ids.dedup();
    keep(tx, &ids)
}

/// Note every participant of an organisation (its contact targets changed, so every window's
/// deadlines move): their lines are recomputed before the transaction commits.
pub fn note_organisation(tx: &mut Tx, org_id: i64) -> AppResult<()> {
    diesel::sql_query(format!(
        "INSERT INTO caseload_stale (participant_id) SELECT id FROM participants WHERE org_id = {org_id}"
    ))
    .execute(tx.conn())?;
    Ok(())
}

/// Fill the lines that are missing (data written before lines were kept, or by a restore) and
/// recompute any noted outside the application, in transactions of a few thousand people.
/// Run after the migrations, so every start leaves the caseload complete. Returns how many lines
/// it computed.
pub fn catch_up(conn: &mut DbConn) -> AppResult<u64> {
    let mut done = 0u64;
    loop {
        let n = write_tx(conn, |tx| {
            let missing: Vec<i64> = participants::table
                .left_join(cl::table.on(cl::participant_id.eq(participants::id)))
                .filter(cl::participant_id.is_null())
                .filter(participants::merged_into_id.is_null())
                .select(participants::id)
                .order(participants::id)
                .limit(5_000)
                .load(tx.conn())?;
            keep(tx, &missing)?;
            Ok(missing.len())
        })?;
        done += n as u64;
        if n == 0 {
            break;
        }
        tracing::info!(lines = done, "caseload lines computed for existing records");
    }
    // Notes committed outside a transaction of the application (a restore, a hand-made change):
    // the first write transaction would otherwise take them all on.
    write_tx(conn, keep_noted)?;
    Ok(done)
}

type Person = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<Episode>,
);

/// Recompute the lines of these participants (a merged-away participant has none).
pub fn keep(tx: &mut Tx, ids: &[i64]) -> AppResult<()> {
    let mut targets: HashMap<i64, ContactTargets> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        if matches!(tx.conn(), DbConn::Pg(_)) {
            // Two transactions keeping the same person's line take turns (in id order, so they
            // cannot deadlock on each other), and the second then reads what the first
            // committed. (SQLite has one writer at a time.)
            diesel::sql_query(format!(
                "SELECT id FROM participants WHERE id IN ({}) ORDER BY id FOR UPDATE",
                sql_id_list(chunk)
            ))
            .execute(tx.conn())?;
        }
        diesel::delete(cl::table.filter(cl::participant_id.eq_any(chunk))).execute(tx.conn())?;
        let people: Vec<Person> = participants::table
            .left_join(
                episodes::table.on(episodes::participant_id
                    .eq(participants::id)
                    .and(episodes::ended_on.is_null())),
            )
            .filter(participants::id.eq_any(chunk))
            .filter(participants::merged_into_id.is_null())
            .select((
                participants::id,
                participants::org_id,
                participants::first_name,
                participants::last_name,
                participants::preferred_name,
                participants::assigned_peer_id,
                Option::<Episode>::as_select(),
            ))
            .load(tx.conn())?;
        if people.is_empty() {
            continue;
        }
        for org in people.iter().map(|p| p.1) {
            if let std::collections::hash_map::Entry::Vacant(e) = targets.entry(org) {
                e.insert(store::contact_targets(tx.conn(), org)?);
            }
        }
        let windows: HashMap<i64, RiskWindow> = people
            .iter()
            .filter_map(|p| {
                let released = p.6.as_ref()?.released_at?;
                let t = targets.get(&p.1).copied().unwrap_or_default();
                Some((p.0, RiskWindow::new(released, t)))
            })
            .collect();
        let mut contacts: HashMap<i64, Vec<NaiveDateTime>> = HashMap::new();
        let mut unplanned: HashSet<i64> = HashSet::new();
        if !windows.is_empty() {
            let released: Vec<i64> = windows.keys().copied().collect();
            let since = windows.values().map(RiskWindow::released_at).min();
            let until = windows.values().map(RiskWindow::ends_at).max();
            if let (Some(since), Some(until)) = (since, until) {
                for (pid, at) in store::completed_contacts_since(tx.conn(), &released, since)? {
                    if at <= until {
                        contacts.entry(pid).or_default().push(at);
                    }
                }
            }
            unplanned = custody_events::table
                .filter(custody_events::participant_id.eq_any(&released))
                .filter(custody_events::kind.eq("release"))
                .filter(custody_events::detail.like("%no_plan%"))
                .select(custody_events::participant_id)
                .load::<i64>(tx.conn())?
                .into_iter()
                .collect();
        }
        let reachable: Vec<(i64, NaiveDateTime)> = people
            .iter()
            .filter_map(|p| Some((p.0, super::engagement::reachable_since(p.6.as_ref())?)))
            .collect();
        let engaged = super::engagement::engagements(tx, &reachable)?;
        let list = sql_id_list(&people.iter().map(|p| p.0).collect::<Vec<_>>());
        let earliest = |tx: &mut Tx, sql: String| -> AppResult<HashMap<i64, NaiveDate>> {
            let rows: Vec<Earliest> = diesel::sql_query(sql).load(tx.conn())?;
            Ok(rows
                .into_iter()
                .filter_map(|r| Some((r.pid, r.due?)))
                .collect())
        };
        // The same items, with the same bounds, as the caseload's overdue counts
        // (`super::counts`): open checklist items of the open episode, open plan steps, open
        // follow-ups, each due on a plausible date.
        let checklist = earliest(
            tx,
            format!(
                "SELECT c.participant_id AS pid, MIN(c.due_on) AS due FROM checklist_items c \
                 JOIN episodes e ON e.id = c.episode_id AND e.ended_on IS NULL \
                 WHERE c.participant_id IN ({list}) AND c.done_on IS NULL AND c.not_applicable_reason IS NULL AND c.achievable = TRUE AND c.due_on >= '1900-01-01' \
                 GROUP BY c.participant_id"
            ),
        )?;
        let steps = earliest(
            tx,
            format!(
                "SELECT s.participant_id AS pid, MIN(s.due_on) AS due FROM goal_steps s \
                 WHERE s.participant_id IN ({list}) AND s.done_on IS NULL AND s.due_on >= '1900-01-01' \
                 GROUP BY s.participant_id"
            ),
        )?;
        let followups = earliest(
            tx,
            format!(
                "SELECT f.participant_id AS pid, MIN(f.due_on) AS due FROM followups f \
                 WHERE f.participant_id IN ({list}) AND f.completed_on IS NULL AND f.due_on >= '1900-01-01' \
                 GROUP BY f.participant_id"
            ),
        )?;

        let lines: Vec<Line> = people
            .into_iter()
            .map(|(pid, org, first, last, preferred, peer, episode)| {
                let marks = windows
                    .get(&pid)
                    .map(|w| w.marks(contacts.get(&pid).map(Vec::as_slice).unwrap_or(&[])));
                let tasks = [checklist.get(&pid), steps.get(&pid)]
                    .into_iter()
                    .flatten()
                    .min()
                    .copied();
                Line {
                    participant_id: pid,
                    org_id: org,
                    peer_id: peer,
                    name: match preferred {
                        Some(p) => format!("{p} {last}"),
                        None => format!("{first} {last}"),
                    },
                    setting: episode.as_ref().map(|e| e.setting.clone()),
                    facility_id: episode.as_ref().and_then(|e| e.facility_id),
                    expected_release_on: episode.as_ref().and_then(|e| e.expected_release_on),
                    released_at: marks.map(|m| m.released_at),
                    window_ends_at: marks.map(|m| m.ends_at),
                    first_contact_due: marks.and_then(|m| m.first_contact_due),
                    contacts_due: marks.and_then(|m| m.contacts_due),
                    contacts_done: marks.map_or(0, |m| i64::from(m.completed_in_window)),
                    at_risk_from: marks.and_then(|m| m.at_risk_from()),
                    tasks_due_from: tasks,
                    followups_due_from: followups.get(&pid).copied(),
                    unplanned_release: unplanned.contains(&pid),
                    quiet_since: engaged.get(&pid).and_then(Engagement::quiet_since),
                    failed_attempts: engaged
                        .get(&pid)
                        .map_or(0, |e| i64::from(e.failed_attempts)),
                    unanswered_messages: engaged
                        .get(&pid)
                        .map_or(0, |e| i64::from(e.unanswered_messages)),
                    missed_appointments: engaged
                        .get(&pid)
                        .map_or(0, |e| i64::from(e.missed_appointments)),
                }
            })
            .collect();
        insert_lines(tx.conn(), &lines)?;
    }
    Ok(())
}

/// Keep the lines of people this transaction has just created, none enrolled, none assigned, with
/// no contact and no open work: each line is the person's name and nothing else, as [`keep`]
/// would compute it, so it is written without reading back what was just written (a roster
/// import creates tens of thousands at once). Their notes are cleared; a later write in the same
/// transaction notes them again and [`keep_noted`] recomputes them as usual.
pub fn keep_created(tx: &mut Tx, org_id: i64, people: &[(i64, String)]) -> AppResult<()> {
    for chunk in people.chunks(CHUNK) {
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(pid, name)| Line {
                participant_id: *pid,
                org_id,
                peer_id: None,
                name: name.clone(),
                setting: None,
                facility_id: None,
                expected_release_on: None,
                released_at: None,
                window_ends_at: None,
                first_contact_due: None,
                contacts_due: None,
                contacts_done: 0,
                at_risk_from: None,
                tasks_due_from: None,
                followups_due_from: None,
                unplanned_release: false,
                quiet_since: None,
                failed_attempts: 0,
                unanswered_messages: 0,
                missed_appointments: 0,
            })
            .collect();
        let ids = sql_id_list(&chunk.iter().map(|(pid, _)| *pid).collect::<Vec<_>>());
        diesel::sql_query(format!(
            "DELETE FROM caseload_stale WHERE participant_id IN ({ids})"
        ))
        .execute(tx.conn())?;
        insert_lines(tx.conn(), &lines)?;
    }
    Ok(())
}

/// Insert lines. PostgreSQL: one constant statement with each column bound as an array
/// (`unnest`), which it parses once however many lines; a multi-row `VALUES` of 500 lines bound
/// 8,000 parameters and cost more to parse than to insert. SQLite: a multi-row insert.
fn insert_lines(conn: &mut DbConn, lines: &[Line]) -> AppResult<()> {
    use diesel::sql_types::{Array, Bool, Text, Timestamp};
    if lines.is_empty() {
        return Ok(());
    }
    match conn {
        DbConn::Pg(c) => {
            fn col<T: Clone>(lines: &[Line], f: impl Fn(&Line) -> T) -> Vec<T> {
                lines.iter().map(f).collect()
            }
            diesel::sql_query(
                "INSERT INTO caseload_lines (participant_id, org_id, peer_id, name, setting, \
                 facility_id, expected_release_on, released_at, window_ends_at, \
                 first_contact_due, contacts_due, contacts_done, at_risk_from, tasks_due_from, \
                 followups_due_from, unplanned_release, quiet_since, failed_attempts, \
                 unanswered_messages, missed_appointments) \
                 SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], \
                 $5::text[], $6::bigint[], $7::date[], $8::timestamp[], $9::timestamp[], \
                 $10::timestamp[], $11::timestamp[], $12::bigint[], $13::timestamp[], \
                 $14::date[], $15::date[], $16::boolean[], $17::timestamp[], $18::bigint[], \
                 $19::bigint[], $20::bigint[])",
            )
            .bind::<Array<BigInt>, _>(col(lines, |l| l.participant_id))
            .bind::<Array<BigInt>, _>(col(lines, |l| l.org_id))
            .bind::<Array<Nullable<BigInt>>, _>(col(lines, |l| l.peer_id))
            .bind::<Array<Text>, _>(col(lines, |l| l.name.clone()))
            .bind::<Array<Nullable<Text>>, _>(col(lines, |l| l.setting.clone()))
            .bind::<Array<Nullable<BigInt>>, _>(col(lines, |l| l.facility_id))
            .bind::<Array<Nullable<Date>>, _>(col(lines, |l| l.expected_release_on))
            .bind::<Array<Nullable<Timestamp>>, _>(col(lines, |l| l.released_at))
            .bind::<Array<Nullable<Timestamp>>, _>(col(lines, |l| l.window_ends_at))
            .bind::<Array<Nullable<Timestamp>>, _>(col(lines, |l| l.first_contact_due))
            .bind::<Array<Nullable<Timestamp>>, _>(col(lines, |l| l.contacts_due))
            .bind::<Array<BigInt>, _>(col(lines, |l| l.contacts_done))
            .bind::<Array<Nullable<Timestamp>>, _>(col(lines, |l| l.at_risk_from))
            .bind::<Array<Nullable<Date>>, _>(col(lines, |l| l.tasks_due_from))
            .bind::<Array<Nullable<Date>>, _>(col(lines, |l| l.followups_due_from))
            .bind::<Array<Bool>, _>(col(lines, |l| l.unplanned_release))
            .bind::<Array<Nullable<Timestamp>>, _>(col(lines, |l| l.quiet_since))
            .bind::<Array<BigInt>, _>(col(lines, |l| l.failed_attempts))
            .bind::<Array<BigInt>, _>(col(lines, |l| l.unanswered_messages))
            .bind::<Array<BigInt>, _>(col(lines, |l| l.missed_appointments))
            .execute(c)?;
        }
        DbConn::Sqlite(c) => {
            // Every column named with its value (`Option` fields of an `Insertable` would ask
            // for a row-at-a-time insert in a transaction of its own, which SQLite refuses
            // inside this one).
            let rows: Vec<_> = lines
                .iter()
                .map(|l| {
                    (
                        cl::participant_id.eq(l.participant_id),
                        cl::org_id.eq(l.org_id),
                        cl::peer_id.eq(l.peer_id),
                        cl::name.eq(l.name.as_str()),
                        cl::setting.eq(l.setting.as_deref()),
                        cl::facility_id.eq(l.facility_id),
                        cl::expected_release_on.eq(l.expected_release_on),
                        cl::released_at.eq(l.released_at),
                        cl::window_ends_at.eq(l.window_ends_at),
                        cl::first_contact_due.eq(l.first_contact_due),
                        cl::contacts_due.eq(l.contacts_due),
                        cl::contacts_done.eq(l.contacts_done),
                        cl::at_risk_from.eq(l.at_risk_from),
                        (
                            cl::tasks_due_from.eq(l.tasks_due_from),
                            cl::followups_due_from.eq(l.followups_due_from),
                            cl::unplanned_release.eq(l.unplanned_release),
                            cl::quiet_since.eq(l.quiet_since),
                            cl::failed_attempts.eq(l.failed_attempts),
                            cl::unanswered_messages.eq(l.unanswered_messages),
                            cl::missed_appointments.eq(l.missed_appointments),
                        ),
                    )
                })
                .collect();
            diesel::insert_into(cl::table).values(&rows).execute(c)?;
        }
    }
    Ok(())
}
