//! State kept on write: lines a capability derives from its records and keeps current in the
//! same transaction as every write of those records, so that a read of them is one indexed
//! query instead of a computation over everything (decision 0038). Today one: the caseload's
//! lines (`journey::caseload::kept`).
//!
//! Like the router in `web/mod.rs`, this is a place where the platform names a capability: it
//! lists what is kept, and `db::write_tx` runs it before every commit, so no writer has to
//! remember to.

use super::db::{DbConn, Tx};
use super::error::AppResult;

/// Bring every kept line up to date with what this transaction wrote. Run by `db::write_tx`
/// just before it commits.
pub fn before_commit(tx: &mut Tx) -> AppResult<()> {
    crate::journey::caseload::kept::keep_noted(tx)
}

/// Compute the lines that are missing (data from before a line was kept, a restore). Run after
/// the migrations. Returns how many lines were computed.
pub fn catch_up(conn: &mut DbConn) -> AppResult<u64> {
    crate::journey::caseload::kept::catch_up(conn)
}
