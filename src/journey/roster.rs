//! Roster import: a facility's list of people in custody, as CSV with the header
//! `booking_number,last_name,first_name,date_of_birth,booking_date,expected_release_date,release_date`
//! (dates `YYYY-MM-DD`; the last two may be empty; extra columns are ignored).
//!
//! Rows are matched to participants by booking number, then by exactly the same name and date of
//! birth. Matched
//! people get their release dates updated (which re-plans their checklist or starts their window).
//! People who only *look like* someone known (different case or accents, a transposed day and
//! month) are listed for a person to confirm; nobody is merged or created silently. Unmatched
//! people are created only when asked. Running the same file twice changes nothing. Bad rows are
//! reported (row, column, reason) and the good rows still import. Each batch of rows is one
//! transaction, so an interrupted import leaves whole batches or nothing.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::rules::{CustodyEventKind, ReleaseDateCertainty};
use super::schema::{custody_events, participant_identifiers};
use super::store::{self, CustodyEventInput};
use crate::participants::matching::{self, PersonKey};
use crate::participants::store::{self as participants};
use crate::platform::access::{self, Actor};
use crate::platform::audit::{self, Event};
use crate::platform::db::{Db, Tx, write_tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::schema::participants as participants_t;
use crate::platform::time;

pub const HEADER: [&str; 7] = [
    "booking_number",
    "last_name",
    "first_name",
    "date_of_birth",
    "booking_date",
    "expected_release_date",
    "release_date",
];

/// Rows per transaction.
pub const BATCH: usize = 500;

/// One good row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub booking_number: String,
    pub last_name: String,
    pub first_name: String,
    pub date_of_birth: NaiveDate,
    pub booking_date: NaiveDate,
    pub expected_release_date: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub reason: String,
}

/// Parse a roster. A bad header fails the whole file (row 1); a bad row is reported and skipped.
pub fn parse(
    input: impl Read,
    today: NaiveDate,
) -> Result<(Vec<RosterRow>, Vec<RowError>), RowError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = rdr
        .headers()
        .map_err(|e| RowError {
            row: 1,
            column: "header".into(),
            reason: format!("cannot read the header: {e}"),
        })?
        .clone();
    let mut index = HashMap::new();
    for want in HEADER {
        match headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(want))
        {
            Some(i) => {
                index.insert(want, i);
            }
            None => {
                return Err(RowError {
                    row: 1,
                    column: want.into(),
                    reason: format!(
                        "the header has no column {want:?} (expected {})",
                        HEADER.join(",")
                    ),
                });
            }
        }
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let line = n + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    row: line,
                    column: "row".into(),
                    reason: format!("unreadable: {e}"),
                });
                continue;
            }
        };
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        let get = |c: &str| rec.get(index[c]).unwrap_or("").to_string();
        let mut row_errors = Vec::new();
        let mut required = |c: &str, max: usize| {
            let v = get(c);
            if v.is_empty() {
                row_errors.push(RowError {
                    row: line,
                    column: c.into(),
                    reason: "is empty".into(),
                });
            } else if v.chars().count() > max {
                row_errors.push(RowError {
                    row: line,
                    column: c.into(),
                    reason: format!("is longer than {max} characters"),
                });
            }
            v
        };
        let booking_number = required("booking_number", 60);
        let last_name = required("last_name", 100);
        let first_name = required("first_name", 100);
        let mut date = |c: &str, optional: bool| -> Option<NaiveDate> {
            let v = get(c);
            if v.is_empty() {
                if !optional {
                    row_errors.push(RowError {
                        row: line,
                        column: c.into(),
                        reason: "is empty".into(),
                    });
                }
                return None;
            }
            match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    row_errors.push(RowError {
                        row: line,
                        column: c.into(),
                        reason: format!("{v:?} is not a date (YYYY-MM-DD)"),
                    });
                    None
                }
            }
        };
        let dob = date("date_of_birth", false);
        let booking = date("booking_date", false);
        let expected = date("expected_release_date", true);
        let release = date("release_date", true);
        if let Some(d) = dob
            && d > today
        {
            row_errors.push(RowError {
                row: line,
                column: "date_of_birth".into(),
                reason: "is in the future".into(),
            });
        }
        if let (Some(b), Some(r)) = (booking, release)
            && r < b
        {
            row_errors.push(RowError {
                row: line,
                column: "release_date".into(),
                reason: "is before the booking date".into(),
            });
        }
        if let Some(r) = release
            && r > today
        {
            row_errors.push(RowError {
                row: line,
                column: "release_date".into(),
                reason: "is in the future (use expected_release_date)".into(),
            });
        }
        match (dob, booking) {
            (Some(date_of_birth), Some(booking_date)) if row_errors.is_empty() => {
                rows.push(RosterRow {
                    line,
                    booking_number,
                    last_name,
                    first_name,
                    date_of_birth,
                    booking_date,
                    expected_release_date: expected,
                    release_date: release,
                })
            }
            _ => errors.extend(row_errors),
        }
    }
    Ok((rows, errors))
}

/// A row that looks like someone known but was not matched with certainty.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LikelyMatch {
    pub row: usize,
    pub name: String,
    pub candidates: Vec<participants::Candidate>,
}

/// A row that matched nobody and was not created.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Unmatched {
    pub row: usize,
    pub booking_number: String,
    pub name: String,
    pub date_of_birth: NaiveDate,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub rows: usize,
    pub matched: usize,
    /// Matched people whose release dates changed.
    pub updated: usize,
    pub unchanged: usize,
    pub created: usize,
    pub likely_matches: Vec<LikelyMatch>,
    pub unmatched: Vec<Unmatched>,
    pub errors: Vec<RowError>,
}

/// How the import may act.
pub struct Options {
    pub org_id: i64,
    pub facility_id: i64,
    pub create_unmatched: bool,
}

/// Import parsed rows in batches; `progress` is told how many rows are done.
pub fn import(
    db: &Db,
    actor: &Actor,
    opts: &Options,
    rows: &[RosterRow],
    errors: Vec<RowError>,
    progress: &dyn Fn(usize),
) -> AppResult<ImportReport> {
    let mut report = ImportReport {
        rows: rows.len() + errors.len(),
        errors,
        ..Default::default()
    };
    let mut conn = db.conn()?;
    import_batches(&mut conn, actor, opts, rows, &mut report, progress)?;
    Ok(report)
}

/// The batches, one write transaction each, then fresh statistics after a large import.
fn import_batches(
    conn: &mut crate::platform::db::DbConn,
    actor: &Actor,
    opts: &Options,
    rows: &[RosterRow],
    report: &mut ImportReport,
    progress: &dyn Fn(usize),
) -> AppResult<()> {
    let mut done = 0;
    for batch in rows.chunks(BATCH) {
        let part = write_tx(conn, |tx| import_batch(tx, actor, opts, batch))?;
        report.matched += part.matched;
        report.updated += part.updated;
        report.unchanged += part.unchanged;
        report.created += part.created;
        report.likely_matches.extend(part.likely_matches);
        report.unmatched.extend(part.unmatched);
        done += batch.len();
        progress(done);
    }
    if rows.len() >= 10_000 {
        crate::platform::db::analyze_tables(
            conn,
            &[
                "participants",
                "participant_identifiers",
                "custody_events",
                "episodes",
                "checklist_items",
            ],
        )?;
    }
    Ok(())
}

struct Known {
    id: i64,
    first_name: String,
    last_name: String,
    date_of_birth: NaiveDate,
    /// Normalised once for the likely-match comparisons.
    prepared: matching::Prepared,
}

fn import_batch(
    tx: &mut Tx,
    actor: &Actor,
    opts: &Options,
    batch: &[RosterRow],
) -> AppResult<ImportReport> {
    let mut report = ImportReport::default();
    let scope = access::list_scope(actor).ok_or(AppError::Forbidden)?;
    // Everything the batch could match, in two queries.
    let numbers: Vec<String> = batch
        .iter()
        .map(|r| participants::normalised_value("booking_number", &r.booking_number))
        .collect();
    let by_number: HashMap<String, i64> = participant_identifiers::table
        .filter(participant_identifiers::org_id.eq(opts.org_id))
        .filter(participant_identifiers::kind.eq("booking_number"))
        .filter(participant_identifiers::value.eq_any(&numbers))
        .select((
            participant_identifiers::value,
            participant_identifiers::participant_id,
        ))
        .load::<(String, i64)>(tx.conn())?
        .into_iter()
        .collect();
    let dobs: Vec<NaiveDate> = batch
        .iter()
        .flat_map(|r| matching::dob_variants(r.date_of_birth))
        .collect();
    let known: Vec<Known> = participants_t::table
        .filter(participants_t::org_id.eq(opts.org_id))
        .filter(participants_t::merged_into_id.is_null())
        .filter(participants_t::date_of_birth.eq_any(&dobs))
        .select((
            participants_t::id,
            participants_t::first_name,
            participants_t::last_name,
            participants_t::date_of_birth,
        ))
        .load::<(i64, String, String, NaiveDate)>(tx.conn())?
        .into_iter()
        .map(|(id, first_name, last_name, date_of_birth)| {
            let prepared = matching::Prepared::of(&PersonKey {
                first_name: first_name.clone(),
                last_name: last_name.clone(),
                date_of_birth,
                identifiers: vec![],
            });
            Known {
                id,
                first_name,
                last_name,
                date_of_birth,
                prepared,
            }
        })
        .collect();
    let mut by_dob: HashMap<NaiveDate, Vec<&Known>> = HashMap::new();
    for k in &known {
        by_dob.entry(k.date_of_birth).or_default().push(k);
    }
    // First pass: who matches with certainty.
    let mut exact: Vec<(usize, Option<i64>)> = Vec::with_capacity(batch.len());
    for (i, row) in batch.iter().enumerate() {
        let number = participants::normalised_value("booking_number", &row.booking_number);
        let found = by_number.get(&number).copied().or_else(|| {
            by_dob
                .get(&row.date_of_birth)
                .into_iter()
                .flatten()
                // Certain only when the name is written exactly the same (ignoring surrounding
                // spaces); a difference in case or accents is offered for a person to confirm.
                .find(|k| {
                    k.date_of_birth == row.date_of_birth
                        && k.first_name.trim() == row.first_name.trim()
                        && k.last_name.trim() == row.last_name.trim()
                })
                .map(|k| k.id)
        });
        exact.push((i, found));
    }
    let ids: Vec<i64> = exact.iter().filter_map(|(_, id)| *id).collect();
    let grants = access::participants_batch(tx, actor, &ids, |id| {
        Event::new("roster.match", "participant", Some(id))
    })?;
    // Everyone matched: their open episodes, in one query.
    let mut open_episodes: HashMap<i64, store::Episode> = HashMap::new();
    for e in store::open_episodes_of(tx.conn(), &grants.keys().copied().collect::<Vec<_>>())? {
        open_episodes.entry(e.participant_id).or_insert(e);
    }
    let mut events = Vec::new();
    let mut expected: Vec<store::ExpectedRelease> = Vec::new();
    let mut to_create: Vec<&RosterRow> = Vec::new();
    for (i, found) in exact {
        let row = &batch[i];
        let name = format!("{} {}", row.first_name, row.last_name);
        match found.and_then(|pid| grants.get(&pid)) {
            Some(grant) => {
                report.matched += 1;
                let pid = grant.participant_id();
                // The common case, a new expected date for someone enrolled and still held, is
                // written with the rest of the batch's (store::record_expected_releases).
                let moved = open_episodes.get(&pid).and_then(|e| {
                    let exp = row.expected_release_date?;
                    (e.released_at.is_none()
                        && row.release_date.is_none()
                        && e.expected_release_on != Some(exp))
                    .then(|| store::ExpectedRelease {
                        participant_id: pid,
                        episode_id: e.id,
                        on: exp,
                        detail: format!("roster row {}", row.line),
                    })
                });
                if let Some(m) = moved {
                    expected.push(m);
                    report.updated += 1;
                    events.push(
                        Event::new("roster.update", "participant", Some(pid))
                            .with_participant(pid)
                            .detail(format!("row {}", row.line)),
                    );
                } else if apply_dates(tx, grant, actor, opts, row, Some(&open_episodes))? {
                    report.updated += 1;
                    let pid = grant.participant_id();
                    events.push(
                        Event::new("roster.update", "participant", Some(pid))
                            .with_participant(pid)
                            .detail(format!("row {}", row.line)),
                    );
                } else {
                    report.unchanged += 1;
                }
            }
            None => {
                let number = participants::normalised_value("booking_number", &row.booking_number);
                let key = PersonKey {
                    first_name: row.first_name.clone(),
                    last_name: row.last_name.clone(),
                    date_of_birth: row.date_of_birth,
                    identifiers: vec![("booking_number".into(), number)],
                };
                let key = matching::Prepared::of(&key);
                let candidates: Vec<participants::Candidate> =
                    matching::dob_variants(row.date_of_birth)
                        .iter()
                        .flat_map(|d| by_dob.get(d).into_iter().flatten())
                        .filter_map(|k| {
                            matching::compare_prepared(&key, &k.prepared).map(|m| {
                                participants::Candidate {
                                    id: k.id,
                                    first_name: k.first_name.clone(),
                                    last_name: k.last_name.clone(),
                                    date_of_birth: k.date_of_birth,
                                    reasons: m
                                        .reasons
                                        .iter()
                                        .map(|r| r.as_str().to_string())
                                        .collect(),
                                    score: m.score,
                                }
                            })
                        })
                        .collect();
                if !candidates.is_empty() {
                    report.likely_matches.push(LikelyMatch {
                        row: row.line,
                        name,
                        candidates,
                    });
                } else if opts.create_unmatched {
                    to_create.push(row);
                } else {
                    report.unmatched.push(Unmatched {
                        row: row.line,
                        booking_number: row.booking_number.clone(),
                        name,
                        date_of_birth: row.date_of_birth,
                    });
                }
            }
        }
    }
    store::record_expected_releases(
        tx,
        opts.org_id,
        actor.user_id,
        Some(opts.facility_id),
        &expected,
    )?;
    audit::append_many(tx, &actor.who(), events)?;
    report.created += create_people(tx, actor, scope.org_id, opts, &to_create)?;
    Ok(report)
}

/// Create the people of a batch that matched no one, with their booking number and custody
/// dates, in a few multi-row statements (one row at a time cost about 15 statements each).
/// What is stored is what `participants::create` and `store::record_custody_event` store for a
/// person who is not enrolled: the participant, the booking-number identifier, and the booking,
/// expected-release and release events; each creation is audited as `roster.create`.
fn create_people(
    tx: &mut Tx,
    actor: &Actor,
    org_id: i64,
    opts: &Options,
    rows: &[&RosterRow],
) -> AppResult<usize> {
    use crate::platform::ids::new_id;
    if rows.is_empty() {
        return Ok(0);
    }
    store::check_facility(tx.conn(), "facility_id", Some(opts.facility_id))?;
    let now = time::now();
    let ids: Vec<i64> = rows.iter().map(|_| new_id()).collect();
    let people: Vec<_> = rows
        .iter()
        .zip(&ids)
        .map(|(r, id)| {
            (
                participants_t::id.eq(*id),
                participants_t::org_id.eq(org_id),
                participants_t::first_name.eq(r.first_name.clone()),
                participants_t::last_name.eq(r.last_name.clone()),
                participants_t::date_of_birth.eq(r.date_of_birth),
                participants_t::created_at.eq(now),
                participants_t::updated_at.eq(now),
            )
        })
        .collect();
    for chunk in people.chunks(1000) {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(participants_t::table).values(chunk).execute(c))?;
    }
    let identifiers: Vec<_> = rows
        .iter()
        .zip(&ids)
        .map(|(r, id)| {
            (
                participant_identifiers::id.eq(new_id()),
                participant_identifiers::org_id.eq(org_id),
                participant_identifiers::participant_id.eq(*id),
                participant_identifiers::kind.eq("booking_number"),
                participant_identifiers::value.eq(participants::normalised_value(
                    "booking_number",
                    &r.booking_number,
                )),
                participant_identifiers::facility_id.eq(Some(opts.facility_id)),
                participant_identifiers::created_at.eq(now),
            )
        })
        .collect();
    for chunk in identifiers.chunks(1000) {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(participant_identifiers::table).values(chunk).execute(c))?;
    }
    // The policy, and the audit entry for each creation, in one go.
    let line: HashMap<i64, usize> = ids
        .iter()
        .copied()
        .zip(rows.iter().map(|r| r.line))
        .collect();
    let grants = access::participants_batch(tx, actor, &ids, |id| {
        Event::new("roster.create", "participant", Some(id)).detail(format!(
            "row {}",
            line.get(&id).copied().unwrap_or_default()
        ))
    })?;
    if grants.len() != ids.len() {
        return Err(AppError::Forbidden);
    }
    let mut events = Vec::with_capacity(rows.len() * 2);
    for (r, id) in rows.iter().zip(&ids) {
        let detail = format!("roster row {}", r.line);
        let mut push = |kind: &str, on: NaiveDate, certainty: Option<&str>| {
            events.push((
                custody_events::id.eq(new_id()),
                custody_events::org_id.eq(org_id),
                custody_events::participant_id.eq(*id),
                custody_events::kind.eq(kind.to_string()),
                custody_events::occurred_on.eq(on),
                custody_events::certainty.eq(certainty.map(str::to_string)),
                custody_events::facility_id.eq(Some(opts.facility_id)),
                custody_events::detail.eq(detail.clone()),
                custody_events::created_by.eq(Some(actor.user_id)),
                custody_events::created_at.eq(now),
            ))
        };
        push(CustodyEventKind::Booking.as_str(), r.booking_date, None);
        if let Some(exp) = r.expected_release_date {
            push(
                CustodyEventKind::ExpectedRelease.as_str(),
                exp,
                Some(ReleaseDateCertainty::Estimated.as_str()),
            );
        }
        if let Some(rel) = r.release_date {
            push(CustodyEventKind::Release.as_str(), rel, None);
        }
    }
    for chunk in events.chunks(1000) {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(custody_events::table).values(chunk).execute(c))?;
    }
    Ok(rows.len())
}

fn record(
    tx: &mut Tx,
    grant: &access::ParticipantGrant,
    actor: &Actor,
    kind: &str,
    on: NaiveDate,
    facility_id: Option<i64>,
    detail: &str,
) -> AppResult<()> {
    store::record_custody_event(
        tx,
        grant,
        actor.user_id,
        &CustodyEventInput {
            kind: kind.into(),
            occurred_on: on.format("%Y-%m-%d").to_string(),
            facility_id,
            detail: Some(detail.into()),
            ..Default::default()
        },
        time::now(),
    )
    .map(|_| ())
}

/// Bring the person's release dates in line with the roster row; true if anything changed.
fn apply_dates(
    tx: &mut Tx,
    grant: &access::ParticipantGrant,
    actor: &Actor,
    opts: &Options,
    row: &RosterRow,
    open_episodes: Option<&HashMap<i64, store::Episode>>,
) -> AppResult<bool> {
    let open = match open_episodes {
        Some(map) => map.get(&grant.participant_id()).cloned(),
        None => store::current_episode(tx.conn(), grant)?,
    };
    let detail = format!("roster row {}", row.line);
    let mut changed = false;
    match open {
        Some(e) => {
            if let Some(exp) = row.expected_release_date
                && e.released_at.is_none()
                && e.expected_release_on != Some(exp)
            {
                record(
                    tx,
                    grant,
                    actor,
                    "expected_release",
                    exp,
                    Some(opts.facility_id),
                    &detail,
                )?;
                changed = true;
            }
            if let Some(rel) = row.release_date
                && e.released_at.is_none()
            {
                record(
                    tx,
                    grant,
                    actor,
                    "release",
                    rel,
                    Some(opts.facility_id),
                    &detail,
                )?;
                changed = true;
            }
        }
        None => {
            // Not enrolled (yet): keep the custody facts as events, once each.
            let last_expected: Option<NaiveDate> = custody_events::table
                .filter(custody_events::participant_id.eq(grant.participant_id()))
                .filter(custody_events::kind.eq("expected_release"))
                .order(custody_events::created_at.desc())
                .select(custody_events::occurred_on)
                .first(tx.conn())
                .optional()?;
            if let Some(exp) = row.expected_release_date
                && last_expected != Some(exp)
            {
                record(
                    tx,
                    grant,
                    actor,
                    "expected_release",
                    exp,
                    Some(opts.facility_id),
                    &detail,
                )?;
                changed = true;
            }
            let released: i64 = custody_events::table
                .filter(custody_events::participant_id.eq(grant.participant_id()))
                .filter(custody_events::kind.eq("release"))
                .filter(custody_events::occurred_on.ge(row.booking_date))
                .count()
                .get_result(tx.conn())?;
            if let Some(rel) = row.release_date
                && released == 0
            {
                record(
                    tx,
                    grant,
                    actor,
                    "release",
                    rel,
                    Some(opts.facility_id),
                    &detail,
                )?;
                changed = true;
            }
        }
    }
    Ok(changed)
}
