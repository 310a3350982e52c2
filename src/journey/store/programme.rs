//! Programme settings read by the journey (per organisation): the release-checklist template
//! the contact targets of the high-risk window and the disengagement thresholds.

use serde::de::DeserializeOwned;

use crate::journey::rules::{ChecklistTemplate, ContactTargets, DisengagementRule};
use crate::platform::db::DbConn;
use crate::platform::error::AppResult;
use crate::platform::org_settings;

/// The organisation's setting `key`, or its default when it is not configured (or no longer
/// reads as one).
fn setting<T: DeserializeOwned + Default>(
    conn: &mut DbConn,
    org_id: i64,
    key: &str,
) -> AppResult<T> {
    Ok(org_settings::get(conn, org_id, key)?
        .and_then(|r| serde_json::from_str(&r).ok())
        .unwrap_or_default())
}

/// The organisation's release-checklist template (defaults unless configured).
pub fn checklist_template(conn: &mut DbConn, org_id: i64) -> AppResult<ChecklistTemplate> {
    setting(conn, org_id, "checklist_template")
}

/// The organisation's contact targets for the high-risk window (defaults unless configured).
pub fn contact_targets(conn: &mut DbConn, org_id: i64) -> AppResult<ContactTargets> {
    setting(conn, org_id, "contact_targets")
}

/// The organisation's disengagement thresholds (defaults unless configured; decision 0053).
pub fn disengagement_rule(conn: &mut DbConn, org_id: i64) -> AppResult<DisengagementRule> {
    setting(conn, org_id, "disengagement")
}
