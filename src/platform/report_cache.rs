//! Programme reports computed once per data version (decisions 0010 and 0056).
//!
//! A programme report (the dashboard, the GPRA tracker, the facility access report) aggregates
//! a year of an organisation's records: hundreds of milliseconds at state scale. Its answer only
//! changes when those records change, so it is kept in memory under its key (report, filter,
//! date) together with the organisation's *report data version* of the tables it reads: each
//! table has a counter per organisation in `report_table_versions`, which database triggers
//! bump, in the writing transaction, on every insert, update and delete of the tables the
//! reports read ([`VERSIONED_TABLES`]); a report's version is the sum of the counters of the
//! tables it names (decision 0056), so recording an encounter does not recompute the GPRA
//! tracker, which reads none. A report made of parts (the dashboard) also keeps each part under
//! the sum of its own tables ([`ReportCache::part`]), so a write recomputes only the parts that
//! read what it changed. Nothing in the
//! application has to remember to invalidate anything, and several app instances over one
//! PostgreSQL database each see every other's writes: each request reads the current version
//! (one index range of about twenty rows) and recomputes if it moved.
//!
//! Correctness: the version is read *before* the report is computed, so a report is always at
//! least as new as the version it is filed under. Counters only grow, so their sums only grow:
//! a sum names one state of the tables it covers as a single counter did. A write that lands between the two reads makes
//! the entry look older than it is, which only costs a recompute; it can never file old figures
//! under a newer version.
//!
//! Concurrent requests for the same key and version share one computation (`OnceCell`), so a
//! burst of dashboard requests after a write costs one aggregate run, not one per request.
//!
//! The cache holds derived figures only. Every request still passes the access policy and
//! appends its audit entry before anything is returned; the callers do that, not this module.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::prelude::*;
use parking_lot::Mutex;
use tokio::sync::OnceCell;

use super::db::{Db, DbConn};
use super::error::{AppError, AppResult};

/// The tables whose writes bump an organisation's report data version of that table (the
/// triggers of migration `2026-11-29-000200_report_versions`, which name the table since
/// `2026-12-03-000000_report_versions_by_table`; `facilities` bumps every organisation).
pub const VERSIONED_TABLES: &[&str] = &[
    "participants",
    "participant_identifiers",
    "episodes",
    "custody_events",
    "checklist_items",
    "encounters",
    "barc10_assessments",
    "referrals",
    "referral_events",
    "followups",
    "merges",
    "gpra_interviews",
    "consents",
    "facility_clearances",
    "clearance_events",
    "facility_visits",
    "overdoses",
    "reentry_screenings",
    "reentry_handoffs",
    "reentry_moud",
    "facilities",
];

/// Entries kept at most; the least recently used goes first.
const CAPACITY: usize = 1024;

type Value = Arc<dyn Any + Send + Sync>;

struct Entry {
    version: i64,
    cell: Arc<OnceCell<Value>>,
    used: u64,
}

/// What the cache did for one request (for the response header and the tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Served from memory: no write since it was computed.
    Cached,
    /// Computed for this request (or by a concurrent one it waited for).
    Computed,
}

impl Freshness {
    pub fn as_str(self) -> &'static str {
        match self {
            Freshness::Cached => "hit",
            Freshness::Computed => "miss",
        }
    }

    /// `X-Report-Cache: hit` when the report came from memory, `miss` when it was computed.
    pub fn header(self) -> [(axum::http::header::HeaderName, &'static str); 1] {
        [(
            axum::http::header::HeaderName::from_static("x-report-cache"),
            self.as_str(),
        )]
    }
}

#[derive(Default)]
pub struct ReportCache {
    entries: Mutex<HashMap<String, Entry>>,
    clock: AtomicU64,
}

impl std::fmt::Debug for ReportCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportCache")
            .field("entries", &self.entries.lock().len())
            .finish()
    }
}

#[derive(diesel::QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    source: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    version: i64,
}

/// An organisation's report data versions, one per table (0 before the table's first write).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Versions(HashMap<String, i64>);

impl Versions {
    /// The version of what reads `tables`: the sum of their counters.
    pub fn of(&self, tables: &[&str]) -> i64 {
        tables
            .iter()
            .map(|t| self.0.get(*t).copied().unwrap_or(0))
            .sum()
    }

    /// The version of everything the reports read.
    pub fn all(&self) -> i64 {
        self.0.values().sum()
    }
}

/// The organisation's current report data versions, table by table.
pub fn versions(conn: &mut DbConn, org_id: i64) -> AppResult<Versions> {
    let rows: Vec<VersionRow> =
        diesel::sql_query("SELECT source, version FROM report_table_versions WHERE org_id = $1")
            .bind::<diesel::sql_types::BigInt, _>(org_id)
            .load(conn)?;
    Ok(Versions(
        rows.into_iter().map(|r| (r.source, r.version)).collect(),
    ))
}

/// The organisation's report data version over every reported table.
pub fn org_version(conn: &mut DbConn, org_id: i64) -> AppResult<i64> {
    Ok(versions(conn, org_id)?.all())
}

impl ReportCache {
    /// The cell for `key` at `version`: the existing one if it was made at this version,
    /// otherwise a new, empty one that replaces it.
    fn cell(&self, key: &str, version: i64) -> (Arc<OnceCell<Value>>, bool) {
        let now = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut entries = self.entries.lock();
        if let Some(e) = entries.get_mut(key)
            && e.version == version
        {
            e.used = now;
            return (e.cell.clone(), e.cell.initialized());
        }
        if entries.len() >= CAPACITY && !entries.contains_key(key) {
            let oldest = entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                entries.remove(&k);
            }
        }
        let cell = Arc::new(OnceCell::new());
        entries.insert(
            key.to_string(),
            Entry {
                version,
                cell: cell.clone(),
                used: now,
            },
        );
        (cell, false)
    }

    /// The report under `key` for organisation `org_id`, which reads the tables `reads`: from
    /// memory if none of them has been written since it was computed, else computed by
    /// `compute` (once, however many requests ask at the same time), which is handed the
    /// versions read before it started (for [`ReportCache::part`]). `key` must name the report
    /// and every input that changes its answer (filter, period, today's date), and `reads` every
    /// table it reads (each one of [`VERSIONED_TABLES`]).
    pub async fn get_or_compute<T, F>(
        &self,
        db: &Db,
        org_id: i64,
        reads: &[&'static str],
        key: String,
        compute: F,
    ) -> AppResult<(Arc<T>, Freshness)>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&mut DbConn, &Versions) -> AppResult<T> + Send + 'static,
    {
        let versions = db.run(move |c| versions(c, org_id)).await?;
        let key = format!("{org_id}|{key}");
        let (cell, was_ready) = self.cell(&key, versions.of(reads));
        let value = cell
            .get_or_try_init(|| async {
                let v = db.run(move |c| compute(c, &versions)).await?;
                Ok::<Value, AppError>(Arc::new(v))
            })
            .await?
            .clone();
        let fresh = if was_ready {
            Freshness::Cached
        } else {
            Freshness::Computed
        };
        value.downcast::<T>().map(|v| (v, fresh)).map_err(|_| {
            AppError::internal(anyhow::anyhow!("report cache: {key} holds another type"))
        })
    }

    /// One part of a report (inside its computation, on its connection): from memory if it
    /// was computed at `version` (the sum of the versions of the tables the part reads), else
    /// computed by `compute` and kept. Two requests computing the same part at once both
    /// compute it; the whole report above them is shared, so that is rare.
    pub fn part<T, F>(&self, key: String, version: i64, compute: F) -> AppResult<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> AppResult<T>,
    {
        let (cell, was_ready) = self.cell(&key, version);
        if was_ready
            && let Some(v) = cell.get()
            && let Ok(t) = v.clone().downcast::<T>()
        {
            return Ok(t);
        }
        let v = Arc::new(compute()?);
        let _ = cell.set(v.clone() as Value);
        Ok(v)
    }

    /// How many reports are held (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.entries.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_version_replaces_the_cell_and_the_oldest_entry_goes_first() {
        let c = ReportCache::default();
        let (a, ready) = c.cell("k", 1);
        assert!(!ready);
        let (b, _) = c.cell("k", 1);
        assert!(Arc::ptr_eq(&a, &b), "same key and version share one cell");
        let (d, _) = c.cell("k", 2);
        assert!(!Arc::ptr_eq(&a, &d), "a new version gets a new cell");
        assert_eq!(c.len(), 1);
        for i in 0..CAPACITY + 10 {
            c.cell(&format!("x{i}"), 1);
        }
        assert_eq!(c.len(), CAPACITY);
        assert!(
            !c.entries.lock().contains_key("k"),
            "the least recently used entry was evicted"
        );
        assert!(c.entries.lock().contains_key(&format!("x{}", CAPACITY + 9)));
    }

    #[test]
    fn a_part_is_kept_until_its_version_moves() {
        let c = ReportCache::default();
        let mut runs = 0;
        let mut get = |version| {
            c.part("p".into(), version, || {
                runs += 1;
                Ok::<i64, AppError>(version * 10)
            })
            .unwrap()
        };
        assert_eq!(*get(1), 10);
        assert_eq!(*get(1), 10);
        assert_eq!(*get(2), 20);
        assert_eq!(runs, 2, "computed once per version");
    }

    #[test]
    fn a_reports_version_is_the_sum_of_the_tables_it_reads() {
        let v = Versions(HashMap::from([
            ("episodes".to_string(), 3),
            ("encounters".to_string(), 40),
            ("followups".to_string(), 500),
        ]));
        assert_eq!(v.of(&["episodes"]), 3);
        assert_eq!(v.of(&["episodes", "followups"]), 503);
        assert_eq!(v.of(&["referrals"]), 0, "a table never written counts 0");
        assert_eq!(v.all(), 543);
    }
}
