//! Merging duplicate participant records, reversibly. A merge moves every journey row of the
//! duplicate onto the kept record and remembers exactly which rows moved, so undoing it puts
//! them back. The duplicate stays (hidden from lists, pointing at the kept record); the audit log
//! is never rewritten. Nothing is ever merged without a person asking for it.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde::Serialize;

use super::schema::merges;
use crate::platform::access::ParticipantGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::schema::participants;
use crate::platform::time;

/// Ids as a comma-separated list for an SQL `IN (...)`: numbers only, so nothing to quote or
/// bind (callers pass a few hundred at a time).
pub fn sql_id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Tables whose rows belong to one participant (column `participant_id`).
pub const PARTICIPANT_TABLES: &[&str] = &[
    "participant_identifiers",
    "episodes",
    "custody_events",
    "checklist_items",
    "encounters",
    "barc10_assessments",
    "stage_records",
    "goals",
    "goal_steps",
    "referrals",
    "referral_events",
    "followups",
    "amendments",
    "reentry_screenings",
    "reentry_handoffs",
    "reentry_moud",
    "billing_coverages",
    "overdoses",
    "appointments",
];

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = merges)]
pub struct Merge {
    pub id: i64,
    pub kept_id: i64,
    pub merged_id: i64,
    pub reason: String,
    pub merged_by: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub merged_at: NaiveDateTime,
    pub undone_by: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub undone_at: Option<NaiveDateTime>,
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Merge `duplicate` into `kept`. Both grants must be write grants of the same organisation.
pub fn merge(
    tx: &mut Tx,
    kept: &ParticipantGrant,
    duplicate: &ParticipantGrant,
    reason: &str,
    actor_id: i64,
) -> AppResult<Merge> {
    if kept.participant_id() == duplicate.participant_id() {
        return Err(AppError::keyed(
            "duplicate_id",
            "error-merge-into-itself",
            &[],
        ));
    }
    if kept.org_id() != duplicate.org_id() {
        return Err(AppError::NotFound);
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.len() > 500 {
        return Err(AppError::keyed("reason", "error-merge-reason", &[]));
    }
    let already: Option<Option<i64>> = participants::table
        .find(duplicate.participant_id())
        .select(participants::merged_into_id)
        .first(tx.conn())
        .optional()?;
    if already.flatten().is_some() {
        return Err(AppError::keyed("duplicate_id", "error-already-merged", &[]));
    }
    let mut moved: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for table in PARTICIPANT_TABLES {
        let rows: Vec<IdRow> = diesel::sql_query(format!(
            "UPDATE {table} SET participant_id = $1 WHERE participant_id = $2 RETURNING id"
        ))
        .bind::<BigInt, _>(kept.participant_id())
        .bind::<BigInt, _>(duplicate.participant_id())
        .load(tx.conn())?;
        if !rows.is_empty() {
            moved.insert(table, rows.into_iter().map(|r| r.id).collect());
        }
    }
    diesel::update(participants::table.find(duplicate.participant_id()))
        .set(participants::merged_into_id.eq(Some(kept.participant_id())))
        .execute(tx.conn())?;
    let m = Merge {
        id: new_id(),
        kept_id: kept.participant_id(),
        merged_id: duplicate.participant_id(),
        reason: reason.to_string(),
        merged_by: Some(actor_id),
        merged_at: time::now(),
        undone_by: None,
        undone_at: None,
    };
    diesel::insert_into(merges::table)
        .values((
            merges::id.eq(m.id),
            merges::org_id.eq(kept.org_id()),
            merges::kept_id.eq(m.kept_id),
            merges::merged_id.eq(m.merged_id),
            merges::reason.eq(&m.reason),
            merges::moved.eq(serde_json::to_string(&moved).map_err(AppError::internal)?),
            merges::merged_by.eq(m.merged_by),
            merges::merged_at.eq(m.merged_at),
        ))
        .execute(tx.conn())?;
    Ok(m)
}

/// Undo a merge recorded on the kept participant: every moved row goes back.
pub fn undo(
    tx: &mut Tx,
    kept: &ParticipantGrant,
    merge_id: i64,
    actor_id: i64,
) -> AppResult<Merge> {
    let (m, moved): (Merge, String) = merges::table
        .find(merge_id)
        .filter(merges::kept_id.eq(kept.participant_id()))
        .select((Merge::as_select(), merges::moved))
        .first(tx.conn())
        .optional()?
        .ok_or(AppError::NotFound)?;
    if m.undone_at.is_some() {
        return Err(AppError::keyed(
            "merge_id",
            "error-merge-already-undone",
            &[],
        ));
    }
    let moved: BTreeMap<String, Vec<i64>> =
        serde_json::from_str(&moved).map_err(AppError::internal)?;
    for (table, ids) in moved {
        if !PARTICIPANT_TABLES.contains(&table.as_str()) {
            return Err(AppError::internal(anyhow::anyhow!(
                "merge {merge_id} names unknown table {table}"
            )));
        }
        for chunk in ids.chunks(500) {
            let list = sql_id_list(chunk);
            diesel::sql_query(format!(
                "UPDATE {table} SET participant_id = $1 WHERE id IN ({list})"
            ))
            .bind::<BigInt, _>(m.merged_id)
            .execute(tx.conn())?;
        }
    }
    diesel::update(participants::table.find(m.merged_id))
        .set(participants::merged_into_id.eq(None::<i64>))
        .execute(tx.conn())?;
    let now = time::now();
    diesel::update(merges::table.find(m.id))
        .set((
            merges::undone_by.eq(Some(actor_id)),
            merges::undone_at.eq(Some(now)),
        ))
        .execute(tx.conn())?;
    Ok(Merge {
        undone_by: Some(actor_id),
        undone_at: Some(now),
        ..m
    })
}

/// Merges recorded on this participant (kept side).
pub fn merges_of(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<Merge>> {
    Ok(merges::table
        .filter(merges::kept_id.eq(grant.participant_id()))
        .filter(merges::org_id.eq(grant.org_id()))
        .order(merges::merged_at.desc())
        .select(Merge::as_select())
        .load(conn)?)
}
