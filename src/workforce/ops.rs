//! Workforce use cases. Each asks the access policy, calls the store and appends the audit
//! entry, so the API (`api.rs`), the pages (`pages.rs`) and the home page only call one of these
//! and render the answer. (The workforce handlers are being moved here one by one;
//! `tests/architecture.rs` lists those left.)

use super::store::{self, PeerSummary};
use crate::platform::access::{self, Actor};
use crate::platform::audit::{self, Event};
use crate::platform::db::Tx;
use crate::platform::error::AppResult;
use crate::platform::time;

/// The peers in the caller's scope with their pathway progress (audited as one read).
pub fn peer_list(tx: &mut Tx, a: &Actor) -> AppResult<Vec<PeerSummary>> {
    let scope = access::peer_list(a)?;
    let mut list =
        store::peer_summaries(tx.conn(), scope.org_id(), scope.supervisor(), time::today())?;
    if let Some(me) = scope.only() {
        list.retain(|p| p.id == me);
    }
    audit::append(
        tx,
        &a.who(),
        Event::new("workforce.list", "user", None).detail(format!("{} shown", list.len())),
    )?;
    Ok(list)
}
