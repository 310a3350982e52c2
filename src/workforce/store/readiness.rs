//! The organisation's start-up readiness checklist and its peer job descriptions.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::parse::*;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::time;
use crate::workforce::codes::{JobKind, label_of};
use crate::workforce::readiness::{self, ItemStatus, OrgStage};
use crate::workforce::schema::*;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = readiness_items)]
pub struct ReadinessItem {
    pub id: i64,
    pub org_id: i64,
    pub item_key: String,
    pub title: String,
    /// precontemplation, contemplation, preparation, action, maintenance
    #[schema(value_type = crate::workforce::readiness::OrgStage)]
    pub stage: String,
    /// promote_recovery_orientation, prepare_to_integrate, plan_supports, produce_policies,
    /// provide_supervision
    #[schema(value_type = crate::workforce::readiness::FiveP)]
    pub five_p: String,
    pub description: String,
    pub owner: String,
    /// not_started, in_progress, done, not_applicable
    #[schema(value_type = crate::workforce::readiness::ItemStatus)]
    pub status: String,
    pub due_on: Option<NaiveDate>,
    pub notes: String,
    pub position: i32,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub updated_at: NaiveDateTime,
}

impl ReadinessItem {
    pub fn five_p_label(&self) -> &'static str {
        label_of::<readiness::FiveP>(&self.five_p)
    }
}

/// Rows for the default checklist of one organisation (for the demo's batched insert too).
pub fn default_readiness_rows(org_id: i64) -> Vec<ReadinessItem> {
    let now = time::now();
    readiness::default_checklist()
        .into_iter()
        .enumerate()
        .map(|(i, t)| ReadinessItem {
            id: new_id(),
            org_id,
            item_key: t.key,
            title: t.title,
            stage: t.stage.as_str().into(),
            five_p: t.five_p.as_str().into(),
            description: t.description,
            owner: String::new(),
            status: ItemStatus::NotStarted.as_str().into(),
            due_on: None,
            notes: String::new(),
            position: i as i32,
            updated_at: now,
        })
        .collect()
}

pub fn insert_readiness_rows(conn: &mut DbConn, rows: &[ReadinessItem]) -> AppResult<()> {
    for r in rows {
        diesel::insert_into(readiness_items::table)
            .values((
                readiness_items::id.eq(r.id),
                readiness_items::org_id.eq(r.org_id),
                readiness_items::item_key.eq(&r.item_key),
                readiness_items::title.eq(&r.title),
                readiness_items::stage.eq(&r.stage),
                readiness_items::five_p.eq(&r.five_p),
                readiness_items::description.eq(&r.description),
                readiness_items::owner.eq(&r.owner),
                readiness_items::status.eq(&r.status),
                readiness_items::due_on.eq(r.due_on),
                readiness_items::notes.eq(&r.notes),
                readiness_items::position.eq(r.position),
                readiness_items::updated_at.eq(r.updated_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The organisation's checklist, created from the default template on first use.
pub fn readiness_checklist(tx: &mut Tx, org_id: i64) -> AppResult<Vec<ReadinessItem>> {
    let n: i64 = readiness_items::table
        .filter(readiness_items::org_id.eq(org_id))
        .count()
        .get_result(tx.conn())?;
    if n == 0 {
        insert_readiness_rows(tx.conn(), &default_readiness_rows(org_id))?;
    }
    Ok(readiness_items::table
        .filter(readiness_items::org_id.eq(org_id))
        .order((readiness_items::position, readiness_items::id))
        .select(ReadinessItem::as_select())
        .load(tx.conn())?)
}

/// Progress per stage: `(stage code, stage label, done, total)`, and the current stage.
pub fn readiness_progress(
    items: &[ReadinessItem],
) -> (Vec<(String, String, usize, usize)>, String) {
    let pairs: Vec<(OrgStage, ItemStatus)> = items
        .iter()
        .filter_map(|i| Some((OrgStage::parse(&i.stage)?, ItemStatus::parse(&i.status)?)))
        .collect();
    let per = readiness::stage_progress(&pairs)
        .into_iter()
        .map(|(s, d, t)| (s.as_str().to_string(), s.label().to_string(), d, t))
        .collect();
    (per, readiness::current_stage(&pairs).label().to_string())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadinessItemInput {
    #[serde(default)]
    pub owner: String,
    /// not_started, in_progress, done, not_applicable
    #[schema(value_type = crate::workforce::readiness::ItemStatus)]
    pub status: String,
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub notes: String,
}

pub fn readiness_item(conn: &mut DbConn, id: i64) -> AppResult<Option<ReadinessItem>> {
    Ok(readiness_items::table
        .find(id)
        .select(ReadinessItem::as_select())
        .first(conn)
        .optional()?)
}

pub fn update_readiness_item(
    tx: &mut Tx,
    id: i64,
    input: &ReadinessItemInput,
) -> AppResult<ReadinessItem> {
    let mut errs = Vec::new();
    let owner = text("owner", &input.owner, 200, false, &mut errs);
    let status = code::<ItemStatus>("status", &input.status, &mut errs);
    let due = opt_date("due_on", &input.due_on, &mut errs);
    let notes = text("notes", &input.notes, 2000, false, &mut errs);
    done(errs)?;
    diesel::update(readiness_items::table.find(id))
        .set((
            readiness_items::owner.eq(owner),
            readiness_items::status.eq(status
                .map(super::readiness::ItemStatus::as_str)
                .unwrap_or("not_started")),
            readiness_items::due_on.eq(due),
            readiness_items::notes.eq(notes),
            readiness_items::updated_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    readiness_item(tx.conn(), id)?.ok_or(AppError::NotFound)
}

/// The organisation's job description of `kind` (its edited text, or the sample).
pub fn job_description(conn: &mut DbConn, org_id: i64, kind: JobKind) -> AppResult<String> {
    let stored: Option<String> = job_descriptions::table
        .filter(job_descriptions::org_id.eq(org_id))
        .filter(job_descriptions::kind.eq(kind.as_str()))
        .select(job_descriptions::body)
        .first(conn)
        .optional()?;
    Ok(stored.unwrap_or_else(|| {
        match kind {
            JobKind::PeerRecoverySpecialist => readiness::PEER_RECOVERY_SPECIALIST_JD,
            JobKind::PeerSupervisor => readiness::PEER_SUPERVISOR_JD,
        }
        .to_string()
    }))
}

pub fn save_job_description(tx: &mut Tx, org_id: i64, kind: JobKind, body: &str) -> AppResult<()> {
    let body = body.trim();
    if body.is_empty() || body.len() > 20_000 {
        return Err(AppError::keyed(
            "body",
            "error-required-at-most",
            &[("max", "20,000".into())],
        ));
    }
    let n = diesel::update(
        job_descriptions::table
            .filter(job_descriptions::org_id.eq(org_id))
            .filter(job_descriptions::kind.eq(kind.as_str())),
    )
    .set((
        job_descriptions::body.eq(body),
        job_descriptions::updated_at.eq(time::now()),
    ))
    .execute(tx.conn())?;
    if n == 0 {
        diesel::insert_into(job_descriptions::table)
            .values((
                job_descriptions::id.eq(new_id()),
                job_descriptions::org_id.eq(org_id),
                job_descriptions::kind.eq(kind.as_str()),
                job_descriptions::body.eq(body),
                job_descriptions::updated_at.eq(time::now()),
            ))
            .execute(tx.conn())?;
    }
    Ok(())
}
