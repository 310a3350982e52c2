//! Roster import: a facility's list of people in custody, as CSV with the header
//! `booking_number,last_name,first_name,date_of_birth,booking_date,expected_release_date,release_date`
//! (dates `YYYY-MM-DD`; the last two may be empty; extra columns are ignored).
//!
//! Rows are matched to participants by booking number, then by exactly the same name and date of
//! birth (whose new booking number is then added to the person's record, as typed). Matched
//! people get their release dates updated (which re-plans their checklist or starts their window).
//! People who only *look like* someone known (different case or accents, a transposed day and
//! month) are listed for a person to confirm; nobody is merged or created silently. Unmatched
//! people are created only when asked. Running the same file twice changes nothing. Bad rows are
//! reported (row, column, reason) and the good rows still import.
//!
//! The file is read as a stream ([`RosterReader`]): rows are parsed as bytes arrive and every
//! [`ROWS_PER_TRANSACTION`] rows are one transaction, together with that part's rows to check and
//! the run's running totals ([`super::roster_runs`]), so memory does not grow with the file and
//! an interrupted import leaves whole transactions' rows or nothing (decision 0023).

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::roster_runs::{self, ImportRun, RowToStore, Source, Totals};
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

/// Rows matched and written together (their booking numbers, people and audit entries are read
/// and written a statement at a time).
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

/// One row of a roster, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Row(RosterRow),
    /// A bad row: one entry per bad column.
    Bad(Vec<RowError>),
}

/// Why a roster could not be read at all.
#[derive(Debug)]
pub enum ReadStop {
    /// The header is missing a column (row 1): the whole file is refused.
    BadHeader(RowError),
    /// The bytes stopped coming (the upload was cut off at its limit, or the client went away).
    Read(std::io::Error),
}

/// A roster read row by row as its bytes arrive: holds one row (and the CSV reader's buffer),
/// never the file.
pub struct RosterReader<R: Read> {
    records: csv::StringRecordsIntoIter<R>,
    index: [usize; 7],
    today: NaiveDate,
    n: usize,
}

impl<R: Read> RosterReader<R> {
    /// Read the header. A header without one of [`HEADER`]'s columns refuses the whole file.
    pub fn new(input: R, today: NaiveDate) -> Result<RosterReader<R>, ReadStop> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(input);
        let headers = match rdr.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                return Err(if e.is_io_error() {
                    ReadStop::Read(into_io(e))
                } else {
                    ReadStop::BadHeader(RowError {
                        row: 1,
                        column: "header".into(),
                        reason: format!("cannot read the header: {e}"),
                    })
                });
            }
        };
        let mut index = [0usize; 7];
        for (slot, want) in index.iter_mut().zip(HEADER) {
            match headers
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(want))
            {
                Some(i) => *slot = i,
                None => {
                    return Err(ReadStop::BadHeader(RowError {
                        row: 1,
                        column: want.into(),
                        reason: format!(
                            "the header has no column {want:?} (expected {})",
                            HEADER.join(",")
                        ),
                    }));
                }
            }
        }
        Ok(RosterReader {
            records: rdr.into_records(),
            index,
            today,
            n: 0,
        })
    }
}

impl<R: Read> Iterator for RosterReader<R> {
    /// A row or a bad row; an I/O error ends the file (the rest never arrived).
    type Item = std::io::Result<Parsed>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rec = self.records.next()?;
            let line = self.n + 2;
            self.n += 1;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    return Some(if e.is_io_error() {
                        Err(into_io(e))
                    } else {
                        Ok(Parsed::Bad(vec![RowError {
                            row: line,
                            column: "row".into(),
                            reason: format!("unreadable: {e}"),
                        }]))
                    });
                }
            };
            if rec.iter().all(str::is_empty) {
                continue;
            }
            return Some(Ok(parse_row(&rec, &self.index, line, self.today)));
        }
    }
}

fn into_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// Parse a whole roster held in memory (for tests and small files): the good rows and the bad
/// rows' errors. A bad header fails the whole file (row 1).
pub fn parse(
    input: impl Read,
    today: NaiveDate,
) -> Result<(Vec<RosterRow>, Vec<RowError>), RowError> {
    let reader = RosterReader::new(input, today).map_err(|e| match e {
        ReadStop::BadHeader(e) => e,
        ReadStop::Read(io) => RowError {
            row: 1,
            column: "header".into(),
            reason: format!("cannot read the file: {io}"),
        },
    })?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for item in reader {
        match item {
            Ok(Parsed::Row(r)) => rows.push(r),
            Ok(Parsed::Bad(e)) => errors.extend(e),
            Err(io) => errors.push(RowError {
                row: 0,
                column: "file".into(),
                reason: format!("cannot read the file: {io}"),
            }),
        }
    }
    Ok((rows, errors))
}

fn parse_row(rec: &csv::StringRecord, index: &[usize; 7], line: usize, today: NaiveDate) -> Parsed {
    let get = |c: &str| {
        let i = HEADER.iter().position(|h| *h == c).map(|p| index[p]);
        i.and_then(|i| rec.get(i)).unwrap_or("").to_string()
    };
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
            Parsed::Row(RosterRow {
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
        _ => Parsed::Bad(row_errors),
    }
}

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
struct BatchReport {
    matched: usize,
    /// Matched people whose release dates changed.
    updated: usize,
    unchanged: usize,
    created: usize,
    /// Booking numbers added to people matched by name and date of birth.
    numbers_added: usize,
    likely_matches: Vec<LikelyMatch>,
    unmatched: Vec<Unmatched>,
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
    fn cache_mib(self) -> u32 {
        match self {
            ImportMemory::CommandLine => 64,
            ImportMemory::Server => 16,
        }
    }
    fn people_held(self) -> usize {
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
    let reader = match RosterReader::new(input, time::today()) {
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

fn stopped(too_large: bool) -> &'static str {
    if too_large { "too_large" } else { "failed" }
}

/// Rows per transaction: [`BATCH`]es of rows are matched and written together, four to a
/// transaction. SQLite's write lock is held for one transaction (about 0.2 s at 100,000
/// participants), so other people's writes wait no longer than that.
pub const ROWS_PER_TRANSACTION: usize = 4 * BATCH;

/// The rows, [`ROWS_PER_TRANSACTION`] to a write transaction, then fresh statistics after a large
/// import. `Ok(Some(e))`: the input stopped with `e` (the part read since the last transaction
/// is dropped).
fn import_rows(
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
                        let p = import_batch(tx, actor, opts, batch, &mut known)?;
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
    if totals.rows_read >= 10_000 {
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
fn count_lines(errors: &[RowError]) -> usize {
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

struct Known {
    id: i64,
    first_name: String,
    last_name: String,
    date_of_birth: NaiveDate,
    /// Normalised for the likely-match comparisons, the first time one needs it.
    prepared: std::cell::OnceCell<matching::Prepared>,
}

impl Known {
    fn new(id: i64, first_name: String, last_name: String, date_of_birth: NaiveDate) -> Known {
        Known {
            id,
            first_name,
            last_name,
            date_of_birth,
            prepared: std::cell::OnceCell::new(),
        }
    }

    fn prepared(&self) -> &matching::Prepared {
        self.prepared.get_or_init(|| {
            matching::Prepared::of(&PersonKey {
                first_name: self.first_name.clone(),
                last_name: self.last_name.clone(),
                date_of_birth: self.date_of_birth,
                identifiers: vec![],
            })
        })
    }
}

/// The organisation's people by date of birth, each date read from the database once for the
/// whole import rather than once per batch: a batch's 500 rows name about 1,000 dates (with
/// transposed days and months), and reading the people born on them batch after batch fetched
/// the same rows again and again (1.9 of 10.4 s at 100,000 rows and participants). People the
/// import creates are added as it goes, so later rows are compared with them. The memory is
/// bounded: past its cap (`ImportMemory::people_held`; about 100 bytes a person, more for those
/// compared with a new row) it forgets them all and reads again.
struct KnownPeople {
    by_dob: HashMap<NaiveDate, Vec<Known>>,
    held: usize,
    cap: usize,
}

impl KnownPeople {
    fn with_cap(cap: usize) -> KnownPeople {
        KnownPeople {
            by_dob: HashMap::new(),
            held: 0,
            cap,
        }
    }

    /// Make sure everyone born on `dates` is held.
    fn load(
        &mut self,
        conn: &mut crate::platform::db::DbConn,
        org_id: i64,
        dates: &[NaiveDate],
    ) -> AppResult<()> {
        if self.held > self.cap {
            *self = KnownPeople::with_cap(self.cap);
        }
        let mut missing: Vec<NaiveDate> = dates
            .iter()
            .copied()
            .filter(|d| !self.by_dob.contains_key(d))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        for chunk in missing.chunks(BATCH) {
            let people = participants_t::table
                .filter(participants_t::org_id.eq(org_id))
                .filter(participants_t::merged_into_id.is_null())
                .filter(participants_t::date_of_birth.eq_any(chunk))
                .select((
                    participants_t::id,
                    participants_t::first_name,
                    participants_t::last_name,
                    participants_t::date_of_birth,
                ))
                .load::<(i64, String, String, NaiveDate)>(conn)?;
            for d in chunk {
                self.by_dob.entry(*d).or_default();
            }
            self.held += people.len();
            for (id, first, last, dob) in people {
                self.by_dob
                    .entry(dob)
                    .or_default()
                    .push(Known::new(id, first, last, dob));
            }
        }
        Ok(())
    }

    fn born_on(&self, d: &NaiveDate) -> &[Known] {
        self.by_dob.get(d).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Forget the people born on `d` (read again on the next [`load`](Self::load)).
    fn forget(&mut self, d: NaiveDate) {
        if let Some(gone) = self.by_dob.remove(&d) {
            self.held -= gone.len();
        }
    }

    /// Someone the import created (held only if their date of birth is: otherwise the next
    /// read of that date finds them in the database).
    fn add(&mut self, k: Known) {
        if let Some(v) = self.by_dob.get_mut(&k.date_of_birth) {
            v.push(k);
            self.held += 1;
        }
    }

    /// The person of the organisation written exactly as in `row` and born the same day.
    fn exact(&self, row: &RosterRow) -> Option<i64> {
        // Certain only when the name is written exactly the same (ignoring surrounding
        // spaces); a difference in case or accents is offered for a person to confirm.
        self.born_on(&row.date_of_birth)
            .iter()
            .find(|k| {
                k.first_name.trim() == row.first_name.trim()
                    && k.last_name.trim() == row.last_name.trim()
            })
            .map(|k| k.id)
    }
}

fn import_batch(
    tx: &mut Tx,
    actor: &Actor,
    opts: &Options,
    batch: &[RosterRow],
    known: &mut KnownPeople,
) -> AppResult<BatchReport> {
    let mut report = BatchReport::default();
    let scope = access::list_scope(actor).ok_or(AppError::Forbidden)?;
    // Everything the batch could match: booking numbers in one query, people by date of birth
    // from those held for the import (reading the dates not yet held).
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
    known.load(tx.conn(), opts.org_id, &dobs)?;
    // Someone held may have been merged into another record since they were read: check the
    // people matched by name, and read their dates again if any was.
    for _ in 0..2 {
        let by_name: Vec<i64> = batch
            .iter()
            .zip(&numbers)
            .filter(|(_, n)| !by_number.contains_key(*n))
            .filter_map(|(r, _)| known.exact(r))
            .collect();
        if by_name.is_empty() {
            break;
        }
        let live: std::collections::HashSet<i64> = participants_t::table
            .filter(participants_t::id.eq_any(&by_name))
            .filter(participants_t::merged_into_id.is_null())
            .select(participants_t::id)
            .load::<i64>(tx.conn())?
            .into_iter()
            .collect();
        let stale: Vec<NaiveDate> = batch
            .iter()
            .filter(|r| known.exact(r).is_some_and(|id| !live.contains(&id)))
            .map(|r| r.date_of_birth)
            .collect();
        if stale.is_empty() {
            break;
        }
        for d in stale {
            known.forget(d);
        }
        known.load(tx.conn(), opts.org_id, &dobs)?;
    }
    // First pass: who matches with certainty.
    let mut exact: Vec<(usize, Option<i64>)> = Vec::with_capacity(batch.len());
    for (i, (row, number)) in batch.iter().zip(&numbers).enumerate() {
        let found = by_number.get(number).copied().or_else(|| known.exact(row));
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
    let mut new_numbers: Vec<(i64, &RosterRow, &String)> = Vec::new();
    for (i, found) in exact {
        let row = &batch[i];
        let name = format!("{} {}", row.first_name, row.last_name);
        match found.and_then(|pid| grants.get(&pid)) {
            Some(grant) => {
                report.matched += 1;
                let pid = grant.participant_id();
                // Matched by name and date of birth under a booking number the person does
                // not have yet: the number is added to their record (once per person).
                if !by_number.contains_key(&numbers[i])
                    && !new_numbers
                        .iter()
                        .any(|(p, _, n)| *p == pid && **n == numbers[i])
                {
                    new_numbers.push((pid, row, &numbers[i]));
                }
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
                let key = PersonKey {
                    first_name: row.first_name.clone(),
                    last_name: row.last_name.clone(),
                    date_of_birth: row.date_of_birth,
                    identifiers: vec![("booking_number".into(), numbers[i].clone())],
                };
                let key = matching::Prepared::of(&key);
                let candidates: Vec<participants::Candidate> =
                    matching::dob_variants(row.date_of_birth)
                        .iter()
                        .flat_map(|d| known.born_on(d))
                        .filter_map(|k| {
                            matching::compare_prepared(&key, k.prepared()).map(|m| {
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
                        booking_number: row.booking_number.clone(),
                        name,
                        date_of_birth: row.date_of_birth,
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
    report.numbers_added += add_booking_numbers(tx, actor, opts, &new_numbers)?;
    audit::append_many(tx, &actor.who(), events)?;
    let created = create_people(tx, actor, scope.org_id(), opts, &to_create)?;
    report.created += created.len();
    for (id, row) in created.into_iter().zip(to_create) {
        known.add(Known::new(
            id,
            row.first_name.clone(),
            row.last_name.clone(),
            row.date_of_birth,
        ));
    }
    Ok(report)
}

/// Add the booking numbers of people matched by name and date of birth to their records (as
/// typed, normalised for matching), in multi-row statements, each kept in the record's history
/// as added from its roster row.
fn add_booking_numbers(
    tx: &mut Tx,
    actor: &Actor,
    opts: &Options,
    new_numbers: &[(i64, &RosterRow, &String)],
) -> AppResult<usize> {
    use crate::participants::amendments::{self, Added, RecordType};
    use crate::platform::ids::new_id;
    if new_numbers.is_empty() {
        return Ok(0);
    }
    let now = time::now();
    let ids: Vec<i64> = new_numbers.iter().map(|_| new_id()).collect();
    let rows: Vec<_> = new_numbers
        .iter()
        .zip(&ids)
        .map(|((pid, r, normalised), id)| {
            (
                participant_identifiers::id.eq(*id),
                participant_identifiers::org_id.eq(opts.org_id),
                participant_identifiers::participant_id.eq(*pid),
                participant_identifiers::kind.eq("booking_number"),
                participant_identifiers::value.eq((*normalised).clone()),
                participant_identifiers::typed_value.eq(r.booking_number.clone()),
                participant_identifiers::facility_id.eq(Some(opts.facility_id)),
                participant_identifiers::created_at.eq(now),
            )
        })
        .collect();
    for chunk in rows.chunks(1000) {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(participant_identifiers::table).values(chunk).execute(c))?;
    }
    let added: Vec<Added> = new_numbers
        .iter()
        .zip(&ids)
        .map(|((pid, r, _), id)| Added {
            participant_id: *pid,
            record: RecordType::Identifier,
            record_id: *id,
            field: "typed_value",
            value: r.booking_number.clone(),
            reason: format!(
                "booking number added from roster row {} (same name and date of birth)",
                r.line
            ),
        })
        .collect();
    amendments::record_additions(tx, opts.org_id, actor, &added)?;
    Ok(added.len())
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
) -> AppResult<Vec<i64>> {
    use crate::platform::ids::new_id;
    if rows.is_empty() {
        return Ok(vec![]);
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
                participant_identifiers::typed_value.eq(r.booking_number.clone()),
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
            ));
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
    Ok(ids)
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
