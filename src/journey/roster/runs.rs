//! Running an import: the options, the stream cut into transactions of
//! [`super::ROWS_PER_TRANSACTION`] rows, and why an import stopped.

use std::io::Read;

use chrono::NaiveDate;
use serde::Serialize;

use super::applying::import_batch;
use super::matching::KnownPeople;
use super::participants;
use super::reading::{BATCH, Parsed, ReadStop, RosterReader, RosterRow, RowError};
use crate::journey::roster_runs::{self, ImportRun, RowToStore, Source, Totals};
use crate::platform::access::Actor;
use crate::platform::db::{Db, write_tx};
use crate::platform::error::{AppError, AppResult};

/// A row that looks like someone known but was not matched with certainty.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LikelyMatch {
    pub row: usize,
    pub booking_number: String,
    pub name: String,
    pub date_of_birth: NaiveDate,
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

/// What one batch of rows did.
#[derive(Debug, Clone, Default)]
pub(super) struct BatchReport {
    pub(super) matched: usize,
    /// Matched people whose release dates changed.
    pub(super) updated: usize,
    pub(super) unchanged: usize,
    pub(super) created: usize,
    /// Booking numbers added to people matched by name and date of birth.
    pub(super) numbers_added: usize,
    pub(super) likely_matches: Vec<LikelyMatch>,
    pub(super) unmatched: Vec<Unmatched>,
}

/// How the import may act.
pub struct Options {
    pub org_id: i64,
    pub facility_id: i64,
    pub create_unmatched: bool,
    /// How much memory the import may use for speed.
    pub memory: ImportMemory,
}

/// The memory an import uses for speed (decisions 0012 and 0023).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMemory {
    /// The command line, alone on the machine: a 64 MiB SQLite page cache and up to 200,000
    /// people held by date of birth.
    CommandLine,
    /// A server upload, next to everyone else's requests: a 16 MiB page cache and up to 50,000
    /// people held, so a large roster adds tens of megabytes to the server, not hundreds.
    Server,
}

impl ImportMemory {
    pub(super) fn cache_mib(self) -> u32 {
        match self {
            ImportMemory::CommandLine => 64,
            ImportMemory::Server => 16,
        }
    }
    pub(super) fn people_held(self) -> usize {
        match self {
            ImportMemory::CommandLine => 200_000,
            ImportMemory::Server => 50_000,
        }
    }
}

/// Why an import stopped before the end of the file.
#[derive(Debug)]
pub enum ImportStop {
    /// The header is missing a column: nothing was imported and no run recorded.
    BadHeader(RowError),
    /// The bytes stopped coming after run `run` had started: its whole transactions are kept,
    /// the rows after the last one are not imported, and the run is marked `too_large` (the
    /// upload passed its limit) or `failed` (the client went away).
    Cut {
        run: i64,
        too_large: bool,
        error: std::io::Error,
    },
    /// The database failed (the run is marked `failed` where that can still be written).
    App(AppError),
}

impl From<AppError> for ImportStop {
    fn from(e: AppError) -> Self {
        ImportStop::App(e)
    }
}

/// The I/O error kind an upload's reader gives when the body passed its limit.
pub const TOO_LARGE: std::io::ErrorKind = std::io::ErrorKind::FileTooLarge;

/// Import a roster as it is read: the run is recorded (and audited) first, then every
/// [`ROWS_PER_TRANSACTION`] rows (good and bad together) are matched, written and counted in one
/// transaction with their rows to check; `progress` is told how many rows are done. Memory holds
/// one transaction's rows, never the file.
pub fn import_stream(
    db: &Db,
    actor: &Actor,
    opts: &Options,
    source: Source,
    input: impl Read,
    progress: &dyn Fn(usize),
) -> Result<ImportRun, ImportStop> {
    let reader = match RosterReader::new(input, actor.zone.today()) {
        Ok(r) => r,
        Err(ReadStop::BadHeader(e)) => return Err(ImportStop::BadHeader(e)),
        Err(ReadStop::Read(error)) => {
            // Nothing arrived beyond part of the header: record the attempt all the same.
            let run = roster_runs::start(db, actor, opts, source)?;
            let too_large = error.kind() == TOO_LARGE;
            roster_runs::finish(db, actor, run, &Totals::default(), stopped(too_large))?;
            return Err(ImportStop::Cut {
                run,
                too_large,
                error,
            });
        }
    };
    let run = roster_runs::start(db, actor, opts, source)?;
    let mut totals = Totals::default();
    let outcome = import_rows(db, actor, opts, run, reader, &mut totals, progress);
    match outcome {
        Ok(None) => {
            let summary = roster_runs::finish(db, actor, run, &totals, "finished")?;
            Ok(summary)
        }
        Ok(Some(error)) => {
            let too_large = error.kind() == TOO_LARGE;
            roster_runs::finish(db, actor, run, &totals, stopped(too_large))?;
            Err(ImportStop::Cut {
                run,
                too_large,
                error,
            })
        }
        Err(e) => {
            if let Err(also) = roster_runs::finish(db, actor, run, &totals, "failed") {
                tracing::error!(error = %also, "could not mark a failed roster import");
            }
            Err(ImportStop::App(e))
        }
    }
}

pub(super) fn stopped(too_large: bool) -> &'static str {
    if too_large { "too_large" } else { "failed" }
}

/// Rows per transaction: [`BATCH`]es of rows are matched and written together, four to a
/// transaction. SQLite's write lock is held for one transaction (about 0.2 s at 100,000
/// participants), so other people's writes wait no longer than that.
pub const ROWS_PER_TRANSACTION: usize = 4 * BATCH;

/// The rows, [`ROWS_PER_TRANSACTION`] to a write transaction, then (on SQLite) fresh statistics
/// after a large import. `Ok(Some(e))`: the input stopped with `e` (the part read since the last transaction
/// is dropped).
pub(super) fn import_rows(
    db: &Db,
    actor: &Actor,
    opts: &Options,
    run: i64,
    mut reader: impl Iterator<Item = std::io::Result<Parsed>>,
    totals: &mut Totals,
    progress: &dyn Fn(usize),
) -> AppResult<Option<std::io::Error>> {
    let mut conn = db.conn()?;
    let mut known = KnownPeople::with_cap(opts.memory.people_held());
    let stop =
        crate::platform::db::with_bulk_settings(&mut conn, opts.memory.cache_mib(), |conn| {
            loop {
                let mut rows: Vec<RosterRow> = Vec::with_capacity(ROWS_PER_TRANSACTION);
                let mut bad: Vec<RowError> = Vec::new();
                let mut read = 0;
                let mut cut = None;
                while read < ROWS_PER_TRANSACTION {
                    match reader.next() {
                        None => break,
                        Some(Ok(Parsed::Row(r))) => rows.push(r),
                        Some(Ok(Parsed::Bad(e))) => bad.extend(e),
                        Some(Err(e)) => {
                            cut = Some(e);
                            break;
                        }
                    }
                    read += 1;
                }
                if cut.is_some() {
                    return Ok(cut);
                }
                if read == 0 {
                    return Ok(None);
                }
                let bad_rows = count_lines(&bad);
                write_tx(conn, |tx| {
                    let mut part = BatchReport::default();
                    for batch in rows.chunks(BATCH) {
                        let p = import_batch(tx, actor, opts, run, batch, &mut known)?;
                        part.matched += p.matched;
                        part.updated += p.updated;
                        part.unchanged += p.unchanged;
                        part.created += p.created;
                        part.numbers_added += p.numbers_added;
                        part.likely_matches.extend(p.likely_matches);
                        part.unmatched.extend(p.unmatched);
                    }
                    let mut to_check: Vec<RowToStore> = Vec::new();
                    to_check.extend(bad.iter().map(RowToStore::bad));
                    to_check.extend(part.likely_matches.iter().map(RowToStore::likely));
                    to_check.extend(part.unmatched.iter().map(RowToStore::unmatched));
                    // File order; a bad row's columns in the order they were found.
                    to_check.sort_by_key(|r| r.line);
                    let mut next = totals.clone();
                    next.rows_read += read as i64;
                    next.matched += part.matched as i64;
                    next.updated += part.updated as i64;
                    next.unchanged += part.unchanged as i64;
                    next.created += part.created as i64;
                    next.numbers_added += part.numbers_added as i64;
                    next.likely_matches += part.likely_matches.len() as i64;
                    next.unmatched += part.unmatched.len() as i64;
                    next.bad_rows += bad_rows as i64;
                    roster_runs::add_rows(tx, opts.org_id, run, totals.rows_to_check, &to_check)?;
                    next.rows_to_check += to_check.len() as i64;
                    roster_runs::record_totals(tx, run, &next)?;
                    *totals = next;
                    Ok(())
                })?;
                progress(totals.rows_read as usize);
            }
        })?;
    // SQLite keeps no statistics of its own: after a large import its planner is refreshed here.
    // PostgreSQL's autovacuum analyses a table once a tenth of it has changed, in the background;
    // doing it here cost a 10,000-row import half a second on the command's clock.
    if totals.rows_read >= 10_000 && matches!(*conn, crate::platform::db::DbConn::Sqlite(_)) {
        crate::platform::db::analyze_tables(
            &mut conn,
            &[
                "participants",
                "participant_identifiers",
                "custody_events",
                "episodes",
                "checklist_items",
            ],
        )?;
    }
    Ok(stop)
}

/// How many different rows the errors name.
pub(super) fn count_lines(errors: &[RowError]) -> usize {
    let mut n = 0;
    let mut last = None;
    for e in errors {
        if last != Some(e.row) {
            n += 1;
            last = Some(e.row);
        }
    }
    n
}
