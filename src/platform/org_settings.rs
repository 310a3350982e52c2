//! An organisation's settings: one text value a key (`token_lifetime_days`,
//! `checklist_template`, `redisclosure_notice`, …). Each capability reads and writes its own
//! keys through these two functions, so the table has one owner and no capability reaches into
//! another's schema for it. A changed setting replaces its value; the caller appends the audit
//! entry that says what it was set to.

use diesel::prelude::*;

use super::db::{DbConn, Tx};
use super::error::AppResult;
use super::schema::org_settings;

/// The organisation's setting `key`, if it was ever set.
pub fn get(conn: &mut DbConn, org_id: i64, key: &str) -> AppResult<Option<String>> {
    Ok(org_settings::table
        .find((org_id, key))
        .select(org_settings::value)
        .first(conn)
        .optional()?)
}

/// Set the organisation's setting `key` to `value`, in the caller's transaction.
pub fn put(tx: &mut Tx, org_id: i64, key: &str, value: &str) -> AppResult<()> {
    diesel::delete(org_settings::table.find((org_id, key))).execute(tx.conn())?;
    diesel::insert_into(org_settings::table)
        .values((
            org_settings::org_id.eq(org_id),
            org_settings::key.eq(key),
            org_settings::value.eq(value),
        ))
        .execute(tx.conn())?;
    Ok(())
}
