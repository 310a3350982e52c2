//! The organisation's use cases on its staff accounts, shared by the admin page and the API:
//! each asks the policy and acts in ONE transaction, so the account cannot move organisation
//! between the check and the change (decision 0031). The accounts module appends the audit
//! entries.

use super::accounts::{self, IssuedLink};
use super::store::{OrgCounts, Staff};
use crate::platform::access::{self, Actor};
use crate::platform::auth;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::AppResult;

/// The organisation's figures (participants, active and disabled staff, facilities) for its
/// admin: the home page's cards and the organisation page's line, from one count.
pub fn counts(conn: &mut DbConn, actor: &Actor) -> AppResult<OrgCounts> {
    access::administer(actor)?;
    super::store::counts(conn, actor.org_id)
}

/// The staff member `id`, if the actor may manage their account: 403 for someone who is not an
/// admin (asked first, so they learn nothing about the id), 404 for another organisation's.
fn managed(tx: &mut Tx, actor: &Actor, id: i64) -> AppResult<()> {
    access::administer(actor)?;
    let org = accounts::staff_org(tx.conn(), id)?;
    access::administer_staff(actor, org)
}

/// A new one-time set-password link; the account's sessions end now.
pub fn new_password_link(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    public_url: Option<&str>,
) -> AppResult<IssuedLink> {
    managed(tx, actor, id)?;
    accounts::new_password_link(tx, &actor.who(), id, public_url)
}

/// Disables the account: its sessions, tokens and links stop at once.
pub fn disable(tx: &mut Tx, actor: &Actor, id: i64) -> AppResult<Staff> {
    managed(tx, actor, id)?;
    accounts::disable(tx, &actor.who(), id)
}

/// Resets the account's second factor; its sessions end.
pub fn reset_mfa(tx: &mut Tx, actor: &Actor, id: i64) -> AppResult<Staff> {
    managed(tx, actor, id)?;
    accounts::reset_mfa(tx, &actor.who(), id)
}

/// Sets the actor's organisation's time zone (administrators only; audited).
pub fn set_time_zone(
    tx: &mut Tx,
    actor: &Actor,
    zone: crate::platform::time::Zone,
) -> AppResult<()> {
    access::administer(actor)?;
    super::store::set_time_zone(tx, &actor.who(), actor.org_id, zone)
}

/// Revokes an API token held by one of the organisation's staff.
pub fn revoke_token(tx: &mut Tx, actor: &Actor, id: i64) -> AppResult<()> {
    access::administer(actor)?;
    let holder = auth::token_holder(tx.conn(), id)?;
    access::administer_staff(actor, holder.map(|(_, org)| org))?;
    auth::revoke_token_by_id(tx, &actor.who(), id)
}
