//! Roster import runs: each import (who ran it, from which facility, how it ended, its running
//! totals) and the rows a person must check (bad rows naming the column, likely matches with
//! their candidates, people who matched nobody and were not created), stored as the import goes
//! so the answer to an upload is a summary and pages of rows, never the whole file's problems
//! at once (decision 0023). Starting and finishing a run are audited; so is every view of it,
//! since its rows name people (`access::roster_import`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::roster::{LikelyMatch, Options, RowError, Unmatched};
use super::schema::{roster_import_rows, roster_import_runs};
use crate::participants::store::Candidate;
use crate::platform::access::{self, Actor};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::{Db, Tx, write_tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::time;

/// Rows to check shown on one page (web and API).
pub const PER_PAGE: i64 = 50;

/// Where an import came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Page,
    Api,
    CommandLine,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Page => "page",
            Source::Api => "api",
            Source::CommandLine => "command_line",
        }
    }
}

/// A run's running totals.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub rows_read: i64,
    pub matched: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub created: i64,
    pub numbers_added: i64,
    pub likely_matches: i64,
    pub unmatched: i64,
    pub bad_rows: i64,
    pub rows_to_check: i64,
}

/// The summary of one roster import.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, utoipa::ToSchema)]
#[diesel(table_name = roster_import_runs)]
pub struct ImportRun {
    pub id: i64,
    pub org_id: i64,
    pub facility_id: i64,
    /// The staff member who ran it (none: the command line).
    pub started_by: Option<i64>,
    /// `page`, `api` or `command_line`.
    pub source: String,
    pub create_unmatched: bool,
    /// `running`, `finished`, `too_large` (the upload passed its limit: the rows of whole
    /// transactions before the cut were imported, none after) or `failed`.
    pub status: String,
    /// Rows read (good and bad) and imported.
    pub rows_read: i64,
    pub matched: i64,
    /// Matched people whose release dates changed.
    pub updated: i64,
    pub unchanged: i64,
    pub created: i64,
    /// Booking numbers added to people matched by name and date of birth.
    pub numbers_added: i64,
    /// Rows that look like someone known (to confirm).
    pub likely_matches: i64,
    /// Rows that matched nobody and were not created.
    pub unmatched: i64,
    /// Rows that could not be read (each names its bad columns).
    pub bad_rows: i64,
    /// Entries in the list of rows to check (a bad row has one per bad column).
    pub rows_to_check: i64,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub started_at: NaiveDateTime,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub finished_at: Option<NaiveDateTime>,
}

impl ImportRun {
    /// Pages of rows to check (at least one, perhaps empty).
    pub fn pages(&self) -> i64 {
        ((self.rows_to_check + PER_PAGE - 1) / PER_PAGE).max(1)
    }
}

/// One row to check, as stored.
#[derive(Debug, Clone)]
pub struct RowToStore {
    pub line: usize,
    kind: &'static str,
    column: Option<String>,
    reason: Option<String>,
    booking_number: Option<String>,
    name: Option<String>,
    date_of_birth: Option<NaiveDate>,
    candidates: Option<String>,
}

impl RowToStore {
    pub fn bad(e: &RowError) -> RowToStore {
        RowToStore {
            line: e.row,
            kind: "bad_row",
            column: Some(e.column.clone()),
            reason: Some(e.reason.clone()),
            booking_number: None,
            name: None,
            date_of_birth: None,
            candidates: None,
        }
    }

    pub fn likely(m: &LikelyMatch) -> RowToStore {
        RowToStore {
            line: m.row,
            kind: "likely_match",
            column: None,
            reason: None,
            booking_number: Some(m.booking_number.clone()),
            name: Some(m.name.clone()),
            date_of_birth: Some(m.date_of_birth),
            candidates: Some(serde_json::to_string(&m.candidates).unwrap_or_else(|_| "[]".into())),
        }
    }

    pub fn unmatched(u: &Unmatched) -> RowToStore {
        RowToStore {
            line: u.row,
            kind: "unmatched",
            column: None,
            reason: None,
            booking_number: Some(u.booking_number.clone()),
            name: Some(u.name.clone()),
            date_of_birth: Some(u.date_of_birth),
            candidates: None,
        }
    }
}

/// One row to check, as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RowToCheck {
    /// Its place in the run's list (0, 1, 2, ... in file order).
    pub position: i64,
    /// The line in the file (the header is line 1).
    pub row: i64,
    /// `bad_row`, `likely_match` or `unmatched`.
    pub kind: String,
    /// bad_row: the column and what is wrong with it.
    pub column: Option<String>,
    pub reason: Option<String>,
    pub booking_number: Option<String>,
    pub name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    /// likely_match: the people the row looks like.
    pub candidates: Vec<Candidate>,
}

/// One page of a run's rows to check.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RowsPage {
    pub run: ImportRun,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    pub per_page: i64,
    pub rows: Vec<RowToCheck>,
}

fn run_event(action: Action, run: i64) -> Event {
    Event::new(action, "roster_import_run", Some(run))
}

/// Record a new run (`running`, nothing counted yet), audited as `roster_import.start`.
pub fn start(db: &Db, actor: &Actor, opts: &Options, source: Source) -> AppResult<i64> {
    let id = new_id();
    let mut conn = db.conn()?;
    write_tx(&mut conn, |tx| {
        diesel::insert_into(roster_import_runs::table)
            .values((
                roster_import_runs::id.eq(id),
                roster_import_runs::org_id.eq(opts.org_id),
                roster_import_runs::facility_id.eq(opts.facility_id),
                roster_import_runs::started_by
                    .eq((actor.via != access::Via::CommandLine).then_some(actor.user_id)),
                roster_import_runs::source.eq(source.as_str()),
                roster_import_runs::create_unmatched.eq(opts.create_unmatched),
                roster_import_runs::status.eq("running"),
                roster_import_runs::rows_read.eq(0i64),
                roster_import_runs::matched.eq(0i64),
                roster_import_runs::updated.eq(0i64),
                roster_import_runs::unchanged.eq(0i64),
                roster_import_runs::created.eq(0i64),
                roster_import_runs::numbers_added.eq(0i64),
                roster_import_runs::likely_matches.eq(0i64),
                roster_import_runs::unmatched.eq(0i64),
                roster_import_runs::bad_rows.eq(0i64),
                roster_import_runs::rows_to_check.eq(0i64),
                roster_import_runs::started_at.eq(time::now()),
            ))
            .execute(tx.conn())?;
        audit::append(
            tx,
            &actor.who(),
            run_event(Action::RosterImportStart, id).detail(format!(
                "facility {}, from {}{}",
                opts.facility_id,
                source.as_str(),
                if opts.create_unmatched {
                    ", creating unmatched people"
                } else {
                    ""
                }
            )),
        )?;
        Ok(id)
    })
}

/// Add a transaction's rows to check, numbered from `first_position`.
pub fn add_rows(
    tx: &mut Tx,
    org_id: i64,
    run: i64,
    first_position: i64,
    rows: &[RowToStore],
) -> AppResult<()> {
    let values: Vec<_> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                roster_import_rows::run_id.eq(run),
                roster_import_rows::position.eq(first_position + i as i64),
                roster_import_rows::org_id.eq(org_id),
                roster_import_rows::line.eq(r.line as i64),
                roster_import_rows::kind.eq(r.kind),
                roster_import_rows::column_name.eq(r.column.clone()),
                roster_import_rows::reason.eq(r.reason.clone()),
                roster_import_rows::booking_number.eq(r.booking_number.clone()),
                roster_import_rows::name.eq(r.name.clone()),
                roster_import_rows::date_of_birth.eq(r.date_of_birth),
                roster_import_rows::candidates.eq(r.candidates.clone()),
            )
        })
        .collect();
    for chunk in values.chunks(500) {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(roster_import_rows::table).values(chunk).execute(c))?;
    }
    Ok(())
}

/// Write the run's running totals (in the transaction that imported the rows they count).
pub fn record_totals(tx: &mut Tx, run: i64, t: &Totals) -> AppResult<()> {
    diesel::update(roster_import_runs::table.find(run))
        .set((
            roster_import_runs::rows_read.eq(t.rows_read),
            roster_import_runs::matched.eq(t.matched),
            roster_import_runs::updated.eq(t.updated),
            roster_import_runs::unchanged.eq(t.unchanged),
            roster_import_runs::created.eq(t.created),
            roster_import_runs::numbers_added.eq(t.numbers_added),
            roster_import_runs::likely_matches.eq(t.likely_matches),
            roster_import_runs::unmatched.eq(t.unmatched),
            roster_import_runs::bad_rows.eq(t.bad_rows),
            roster_import_runs::rows_to_check.eq(t.rows_to_check),
        ))
        .execute(tx.conn())?;
    Ok(())
}

/// End a run with `status` and its totals, audited as `roster_import.finish`.
pub fn finish(db: &Db, actor: &Actor, run: i64, t: &Totals, status: &str) -> AppResult<ImportRun> {
    let mut conn = db.conn()?;
    write_tx(&mut conn, |tx| {
        record_totals(tx, run, t)?;
        diesel::update(roster_import_runs::table.find(run))
            .set((
                roster_import_runs::status.eq(status),
                roster_import_runs::finished_at.eq(Some(time::now())),
            ))
            .execute(tx.conn())?;
        audit::append(
            tx,
            &actor.who(),
            run_event(Action::RosterImportFinish, run).detail(format!(
                "{status}: {} rows, {} matched ({} updated, {} unchanged), {} created, {} likely \
                 matches, {} unmatched, {} bad rows",
                t.rows_read,
                t.matched,
                t.updated,
                t.unchanged,
                t.created,
                t.likely_matches,
                t.unmatched,
                t.bad_rows
            )),
        )?;
        load(tx, run)?.ok_or(AppError::NotFound)
    })
}

fn load(tx: &mut Tx, run: i64) -> AppResult<Option<ImportRun>> {
    Ok(roster_import_runs::table
        .find(run)
        .select(ImportRun::as_select())
        .first(tx.conn())
        .optional()?)
}

/// The run `run` and page `page` (1-based) of its rows to check, if the policy lets `actor`
/// see them; the view is audited (`roster_import.view`, and one entry for each participant the
/// page offers as a likely match, filed under them like any other read of their record).
pub fn view(tx: &mut Tx, actor: &Actor, run: i64, page: i64) -> AppResult<RowsPage> {
    let found = load(tx, run)?.ok_or(AppError::NotFound)?;
    access::roster_import(actor, found.org_id)?;
    let pages = found.pages();
    if page < 1 || page > pages {
        return Err(AppError::keyed(
            "page",
            "error-not-a-page-of-import",
            &[("pages", pages.to_string())],
        ));
    }
    let from = (page - 1) * PER_PAGE;
    type Stored = (
        i64,
        i64,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
        Option<String>,
    );
    let stored: Vec<Stored> = roster_import_rows::table
        .filter(roster_import_rows::run_id.eq(run))
        .filter(roster_import_rows::position.ge(from))
        .filter(roster_import_rows::position.lt(from + PER_PAGE))
        .order(roster_import_rows::position)
        .select((
            roster_import_rows::position,
            roster_import_rows::line,
            roster_import_rows::kind,
            roster_import_rows::column_name,
            roster_import_rows::reason,
            roster_import_rows::booking_number,
            roster_import_rows::name,
            roster_import_rows::date_of_birth,
            roster_import_rows::candidates,
        ))
        .load(tx.conn())?;
    let rows: Vec<RowToCheck> = stored
        .into_iter()
        .map(
            |(position, line, kind, column, reason, booking_number, name, dob, candidates)| {
                RowToCheck {
                    position,
                    row: line,
                    kind,
                    column,
                    reason,
                    booking_number,
                    name,
                    date_of_birth: dob,
                    candidates: candidates
                        .and_then(|c| serde_json::from_str(&c).ok())
                        .unwrap_or_default(),
                }
            },
        )
        .collect();
    let mut shown: Vec<i64> = rows
        .iter()
        .flat_map(|r| r.candidates.iter().map(|c| c.id))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut events = vec![run_event(Action::RosterImportView, run).detail(format!("page {page}"))];
    events.extend(shown.into_iter().map(|pid| {
        Event::new(Action::RosterImportView, "participant", Some(pid))
            .with_participant(pid)
            .detail(format!("offered as a likely match by roster import {run}"))
    }));
    audit::append_many(tx, &actor.who(), events)?;
    Ok(RowsPage {
        run: found,
        page,
        pages,
        per_page: PER_PAGE,
        rows,
    })
}

/// Every row to check of a run, page by page, for the command line (which ran the import and
/// prints what it found); `each` is called in file order.
pub fn each_row(db: &Db, run: i64, each: &mut dyn FnMut(&RowToCheck)) -> AppResult<()> {
    let mut conn = db.conn()?;
    let mut page = 1;
    // The operator at the command line, as the import itself was; each page read is audited.
    let page_of = |tx: &mut Tx, page: i64| -> AppResult<Option<RowsPage>> {
        let found = load(tx, run)?.ok_or(AppError::NotFound)?;
        if (page - 1) * PER_PAGE >= found.rows_to_check {
            return Ok(None);
        }
        let operator = Actor::command_line(found.org_id, access::OrgKind::Provider, "");
        view(tx, &operator, run, page).map(Some)
    };
    loop {
        let got = crate::platform::db::read_tx(&mut conn, |tx| page_of(tx, page))?;
        match got {
            Some(p) => {
                p.rows.iter().for_each(&mut *each);
                page += 1;
            }
            None => return Ok(()),
        }
    }
}
