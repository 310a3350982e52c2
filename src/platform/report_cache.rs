//! Programme reports computed once per data version (decision 0010).
//!
//! A programme report (the dashboard, the GPRA tracker, the facility access report) aggregates
//! a year of an organisation's records: hundreds of milliseconds at state scale. Its answer only
//! changes when those records change, so it is kept in memory under its key (report, filter,
//! date) together with the organisation's *report data version*: a counter in
//! `report_versions` that database triggers bump, in the writing transaction, on every insert,
//! update and delete of the tables the reports read ([`VERSIONED_TABLES`]). Nothing in the
//! application has to remember to invalidate anything, and several app instances over one
//! PostgreSQL database each see every other's writes: each request reads the current version
//! (one primary-key lookup) and recomputes if it moved.
//!
//! Correctness: the version is read *before* the report is computed, so a report is always at
//! least as new as the version it is filed under. A write that lands between the two reads makes
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

/// The tables whose writes bump an organisation's report data version (the triggers of
/// migration `2026-11-29-000200_report_versions`; `facilities` bumps every organisation).
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
const CAPACITY: usize = 256;

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
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    version: i64,
}

/// The organisation's current report data version (0 before its first write).
pub fn org_version(conn: &mut DbConn, org_id: i64) -> AppResult<i64> {
    let rows: Vec<VersionRow> =
        diesel::sql_query("SELECT version FROM report_versions WHERE org_id = $1")
            .bind::<diesel::sql_types::BigInt, _>(org_id)
            .load(conn)?;
    Ok(rows.first().map(|r| r.version).unwrap_or(0))
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

    /// The report under `key` for organisation `org_id`: from memory if nothing the reports
    /// read has been written since it was computed, else computed by `compute` (once, however
    /// many requests ask at the same time). `key` must name the report and every input that
    /// changes its answer (filter, period, today's date).
    pub async fn get_or_compute<T, F>(
        &self,
        db: &Db,
        org_id: i64,
        key: String,
        compute: F,
    ) -> AppResult<(Arc<T>, Freshness)>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    {
        let version = db.run(move |c| org_version(c, org_id)).await?;
        let key = format!("{org_id}|{key}");
        let (cell, was_ready) = self.cell(&key, version);
        let value = cell
            .get_or_try_init(|| async {
                let v = db.run(compute).await?;
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
}
