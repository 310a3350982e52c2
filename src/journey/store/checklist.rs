//! The release-readiness checklist: planned from the organisation's template, moved when the
//! expected release moves, updated item by item.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::episodes::{check_facility, current_episode};
use super::parse::{code, collect, done, opt_date, text};
use super::programme::checklist_template;
use crate::journey::rules::{
    self, ChecklistItemKind, ChecklistTemplate, CustodyEventKind, ReleaseDateCertainty, label_of,
};
use crate::journey::schema::{checklist_items, custody_events};
use crate::participants::amendments::{self, RecordType, Value};
use crate::platform::access::{Actor, ParticipantGrant};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::FieldError;
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::time;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = checklist_items)]
pub struct ChecklistRow {
    pub id: i64,
    pub episode_id: i64,
    /// identity_documents, health_insurance, moud_continuity, naloxone, first_night_housing,
    /// transport_from_gate, community_provider_appointment, peer_meeting; first_contact (what an
    /// open peer meeting becomes at release)
    #[schema(value_type = crate::journey::rules::ChecklistItemKind)]
    pub kind: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub note: String,
    /// The day the due date was (last) planned; null for items planned before it was kept.
    pub planned_on: Option<NaiveDate>,
    /// Whether the item had its minimum lead time when planned: only such an item is ever
    /// counted as overdue.
    pub achievable: bool,
    /// Why the item does not apply to this person, once marked not applicable (never open work).
    pub not_applicable_reason: Option<String>,
    /// Who marked it not applicable.
    pub not_applicable_by: Option<i64>,
    /// When it was marked not applicable.
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub not_applicable_at: Option<NaiveDateTime>,
}

impl ChecklistRow {
    pub fn label(&self) -> &'static str {
        label_of::<ChecklistItemKind>(&self.kind)
    }
    pub fn description(&self) -> &'static str {
        ChecklistItemKind::parse(&self.kind)
            .map(|k| k.description())
            .unwrap_or("")
    }
    /// Open, past its due date on `today` (the organisation's date), and achievable when
    /// planned ([`rules::ChecklistItem::is_overdue`]).
    pub fn overdue_on(&self, today: &NaiveDate) -> bool {
        self.rule_item().is_some_and(|i| i.is_overdue(*today))
    }
    /// Marked not applicable.
    pub const fn not_applicable(&self) -> bool {
        self.not_applicable_reason.is_some()
    }
    /// The row as the rules see it (`None` for a kind no longer known).
    pub fn rule_item(&self) -> Option<rules::ChecklistItem> {
        ChecklistItemKind::parse(&self.kind).map(|kind| rules::ChecklistItem {
            kind,
            due_on: self.due_on,
            done_on: self.done_on,
            planned_on: self.planned_on,
            not_applicable: self.not_applicable_reason.is_some(),
        })
    }
}

/// The columns of a new item planned on `today`.
fn new_item(
    org_id: i64,
    participant_id: i64,
    episode_id: i64,
    item: &rules::ChecklistItem,
) -> NewItem {
    (
        checklist_items::id.eq(new_id()),
        checklist_items::org_id.eq(org_id),
        checklist_items::participant_id.eq(participant_id),
        checklist_items::episode_id.eq(episode_id),
        checklist_items::kind.eq(item.kind.as_str()),
        checklist_items::due_on.eq(item.due_on),
        checklist_items::note.eq(""),
        checklist_items::planned_on.eq(item.planned_on),
        checklist_items::achievable.eq(item.is_achievable()),
    )
}

type NewItem = (
    diesel::dsl::Eq<checklist_items::id, i64>,
    diesel::dsl::Eq<checklist_items::org_id, i64>,
    diesel::dsl::Eq<checklist_items::participant_id, i64>,
    diesel::dsl::Eq<checklist_items::episode_id, i64>,
    diesel::dsl::Eq<checklist_items::kind, &'static str>,
    diesel::dsl::Eq<checklist_items::due_on, NaiveDate>,
    diesel::dsl::Eq<checklist_items::note, &'static str>,
    diesel::dsl::Eq<checklist_items::planned_on, Option<NaiveDate>>,
    diesel::dsl::Eq<checklist_items::achievable, bool>,
);

/// Plan the checklist for an expected release date, or re-plan it when the date moves: open
/// items get new due dates, done items stay done (`rules::replan`).
pub fn plan_checklist(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    episode_id: i64,
    expected: NaiveDate,
) -> AppResult<()> {
    let template = checklist_template(tx.conn(), grant.org_id())?;
    let existing = checklist(tx.conn(), grant, Some(episode_id))?;
    let today = time::zone_of(tx.conn(), grant.org_id())?.today();
    if existing.is_empty() {
        let rows: Vec<NewItem> = rules::plan(&template, expected, today)
            .iter()
            .map(|item| new_item(grant.org_id(), grant.participant_id(), episode_id, item))
            .collect();
        crate::on_backend!(tx.conn(), c => diesel::insert_into(checklist_items::table).values(&rows).execute(c))?;
        return Ok(());
    }
    let moved = moved_due_dates(&existing, &template, expected, today);
    write_moved(tx.conn(), &moved, today)
}

/// Write re-planned due dates: the date, planned on `today`, and whether it is achievable, each
/// item in one update (a roster import re-plans tens of thousands: one statement per 5,000 items,
/// its values bound as arrays on PostgreSQL and as one JSON array on SQLite, so the statement's
/// text stays the same however many it moves).
fn write_moved(conn: &mut DbConn, moved: &[Moved], today: NaiveDate) -> AppResult<()> {
    use diesel::sql_types::{Array, BigInt, Bool, Date, Text};
    for chunk in moved.chunks(5000) {
        match conn {
            DbConn::Pg(c) => {
                let ids: Vec<i64> = chunk.iter().map(|m| m.id).collect();
                let due: Vec<NaiveDate> = chunk.iter().map(|m| m.due_on).collect();
                let achievable: Vec<bool> = chunk.iter().map(|m| m.achievable).collect();
                diesel::sql_query(
                    "UPDATE checklist_items SET due_on = v.d, planned_on = $1, achievable = v.a \
                     FROM unnest($2::bigint[], $3::date[], $4::boolean[]) AS v(id, d, a) \
                     WHERE checklist_items.id = v.id",
                )
                .bind::<Date, _>(today)
                .bind::<Array<BigInt>, _>(&ids)
                .bind::<Array<Date>, _>(&due)
                .bind::<Array<Bool>, _>(&achievable)
                .execute(c)?;
            }
            DbConn::Sqlite(c) => {
                let rows: Vec<(i64, String, u8)> = chunk
                    .iter()
                    .map(|m| {
                        (
                            m.id,
                            m.due_on.format("%Y-%m-%d").to_string(),
                            u8::from(m.achievable),
                        )
                    })
                    .collect();
                let json = serde_json::to_string(&rows).map_err(|e| {
                    AppError::Internal(anyhow::anyhow!("cannot write the dates: {e}"))
                })?;
                // SQLite numbers `$N` by first appearance, so the text names them in the
                // order they are bound: `today` first.
                diesel::sql_query(
                    "UPDATE checklist_items SET due_on = v.d, planned_on = $1, achievable = v.a \
                     FROM (SELECT value ->> 0 AS id, value ->> 1 AS d, value ->> 2 AS a \
                     FROM json_each($2)) AS v WHERE checklist_items.id = v.id",
                )
                .bind::<Date, _>(today)
                .bind::<Text, _>(json)
                .execute(c)?;
            }
        }
    }
    Ok(())
}

/// One open item whose due date a re-plan moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Moved {
    pub id: i64,
    pub due_on: NaiveDate,
    pub achievable: bool,
}

/// The open items of one episode's checklist whose due date a new expected release moves, with
/// their new dates ([`rules::replan`] over the stored rows; rows of an unknown kind are left).
pub(super) fn moved_due_dates(
    existing: &[ChecklistRow],
    template: &ChecklistTemplate,
    expected: NaiveDate,
    today: NaiveDate,
) -> Vec<Moved> {
    let (rows, items): (Vec<&ChecklistRow>, Vec<rules::ChecklistItem>) = existing
        .iter()
        .filter_map(|r| r.rule_item().map(|i| (r, i)))
        .unzip();
    let replanned = rules::replan(&items, template, expected, today);
    rows.iter()
        .zip(replanned.iter())
        .filter(|(row, item)| row.done_on.is_none() && row.due_on != item.due_on)
        .map(|(row, item)| Moved {
            id: row.id,
            due_on: item.due_on,
            achievable: item.is_achievable(),
        })
        .collect()
}

/// Re-plan what is still open in one episode's checklist when the person is released on
/// `released_on` ([`rules::replan_at_release`]): an open peer meeting becomes a first contact
/// the day after, the other open items are due soon after the release. Planned items are plans,
/// not recorded values: they move without an amendment (docs/decisions/0037).
pub fn replan_checklist_at_release(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    episode_id: i64,
    released_on: NaiveDate,
    today: NaiveDate,
) -> AppResult<()> {
    let existing = checklist(tx.conn(), grant, Some(episode_id))?;
    let (rows, items): (Vec<&ChecklistRow>, Vec<rules::ChecklistItem>) = existing
        .iter()
        .filter_map(|r| r.rule_item().map(|i| (r, i)))
        .unzip();
    for (row, (before, after)) in rows.iter().zip(items.iter().zip(rules::replan_at_release(
        &items,
        released_on,
        today,
    ))) {
        if *before == after {
            continue;
        }
        diesel::update(checklist_items::table.find(row.id))
            .set((
                checklist_items::kind.eq(after.kind.as_str()),
                checklist_items::due_on.eq(after.due_on),
                checklist_items::planned_on.eq(after.planned_on),
                checklist_items::achievable.eq(after.is_achievable()),
            ))
            .execute(tx.conn())?;
    }
    Ok(())
}

/// A new expected release date for a person with an open episode (one roster row).
#[derive(Debug, Clone)]
pub struct ExpectedRelease {
    pub participant_id: i64,
    pub episode_id: i64,
    pub on: NaiveDate,
    pub detail: String,
}

/// Record many new expected release dates at once: what [`record_custody_event`] does for an
/// `expected_release` of an enrolled person (the event, the episode's date with certainty
/// "estimated", the readiness checklist planned or re-planned), in a few statements per
/// thousand people rather than a dozen per person. Every person must already have passed the
/// access policy (the caller holds their grants); all belong to `org_id`.
pub fn record_expected_releases(
    tx: &mut Tx,
    org_id: i64,
    actor_id: i64,
    facility_id: Option<i64>,
    items: &[ExpectedRelease],
) -> AppResult<()> {
    use crate::platform::db::set_dates_by_id;
    if items.is_empty() {
        return Ok(());
    }
    check_facility(tx.conn(), "facility_id", facility_id)?;
    let now = time::now();
    let certainty = ReleaseDateCertainty::Estimated.as_str();
    let events: Vec<_> = items
        .iter()
        .map(|i| {
            (
                custody_events::id.eq(new_id()),
                custody_events::org_id.eq(org_id),
                custody_events::participant_id.eq(i.participant_id),
                custody_events::episode_id.eq(Some(i.episode_id)),
                custody_events::kind.eq(CustodyEventKind::ExpectedRelease.as_str()),
                custody_events::occurred_on.eq(i.on),
                custody_events::certainty.eq(Some(certainty)),
                custody_events::facility_id.eq(facility_id),
                custody_events::detail.eq(i.detail.as_str()),
                custody_events::created_by.eq(Some(actor_id)),
                custody_events::created_at.eq(now),
            )
        })
        .collect();
    for chunk in events.chunks(1000) {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(custody_events::table).values(chunk).execute(c))?;
    }
    // The same episode twice (two rows for one person): the later date is the one that holds,
    // as if they had been recorded one after the other; both events are kept.
    let mut last: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for (n, i) in items.iter().enumerate() {
        last.insert(i.episode_id, n);
    }
    let items: Vec<&ExpectedRelease> = items
        .iter()
        .enumerate()
        .filter(|(n, i)| last.get(&i.episode_id) == Some(n))
        .map(|(_, i)| i)
        .collect();
    let episode_dates: Vec<(i64, NaiveDate)> = items.iter().map(|i| (i.episode_id, i.on)).collect();
    set_dates_by_id(
        tx.conn(),
        "episodes",
        "expected_release_on",
        ", release_certainty = 'estimated'",
        &episode_dates,
    )?;
    // The checklists: every item of these people, grouped by episode (in the order `checklist`
    // gives), planned where empty and re-planned otherwise.
    let template = checklist_template(tx.conn(), org_id)?;
    let people: Vec<i64> = items.iter().map(|i| i.participant_id).collect();
    let mut by_episode: std::collections::HashMap<i64, Vec<ChecklistRow>> =
        std::collections::HashMap::new();
    for chunk in people.chunks(500) {
        let rows: Vec<ChecklistRow> = checklist_items::table
            .filter(checklist_items::participant_id.eq_any(chunk))
            .filter(checklist_items::org_id.eq(org_id))
            .order((checklist_items::due_on, checklist_items::id))
            .select(ChecklistRow::as_select())
            .load(tx.conn())?;
        for r in rows {
            by_episode.entry(r.episode_id).or_default().push(r);
        }
    }
    let today = time::zone_of(tx.conn(), org_id)?.today();
    let mut new_items: Vec<NewItem> = Vec::new();
    let mut moved: Vec<Moved> = Vec::new();
    for i in &items {
        match by_episode.get(&i.episode_id) {
            None => {
                for item in rules::plan(&template, i.on, today) {
                    new_items.push(new_item(org_id, i.participant_id, i.episode_id, &item));
                }
            }
            Some(existing) => moved.extend(moved_due_dates(existing, &template, i.on, today)),
        }
    }
    for chunk in new_items.chunks(1000) {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(checklist_items::table).values(chunk).execute(c))?;
    }
    write_moved(tx.conn(), &moved, today)
}

/// The checklist of one episode (or of the open episode when `None`... of all episodes).
pub fn checklist(
    conn: &mut DbConn,
    grant: &ParticipantGrant,
    episode_id: Option<i64>,
) -> AppResult<Vec<ChecklistRow>> {
    let mut q = checklist_items::table
        .filter(checklist_items::participant_id.eq(grant.participant_id()))
        .filter(checklist_items::org_id.eq(grant.org_id()))
        .into_boxed();
    if let Some(e) = episode_id {
        q = q.filter(checklist_items::episode_id.eq(e));
    }
    Ok(q.order((checklist_items::due_on, checklist_items::id))
        .select(ChecklistRow::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistUpdate {
    /// The item's kind (e.g. naloxone).
    #[schema(value_type = crate::journey::rules::ChecklistItemKind)]
    pub kind: String,
    /// YYYY-MM-DD when it was done; empty or null to re-open it.
    #[serde(default)]
    #[schema(format = Date)]
    pub done_on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Why: required to replace a recorded note or done date (kept in the history); marking
    /// done and re-opening are kept in the history with who and when.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The checklist item a change names (field `kind`).
fn item_kind(kind: &str) -> Result<ChecklistItemKind, FieldError> {
    code(
        "kind",
        kind,
        ChecklistItemKind::ALL,
        ChecklistItemKind::as_str,
    )
}

/// The item of kind `kind` on the open episode's checklist; `missing` says why there is none.
fn open_item(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    kind: ChecklistItemKind,
    missing: &'static str,
) -> AppResult<ChecklistRow> {
    let episode = current_episode(tx.conn(), grant)?
        .ok_or_else(|| AppError::keyed("kind", "error-no-open-episode", &[]))?;
    checklist_items::table
        .filter(checklist_items::episode_id.eq(episode.id))
        .filter(checklist_items::kind.eq(kind.as_str()))
        .select(ChecklistRow::as_select())
        .first(tx.conn())
        .optional()?
        .ok_or_else(|| AppError::keyed("kind", missing, &[]))
}

/// Mark a checklist item of the open episode done (or re-open it).
pub fn update_checklist(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    by: &Actor,
    input: &ChecklistUpdate,
) -> AppResult<ChecklistRow> {
    let mut errs = Vec::new();
    let kind = collect(item_kind(&input.kind), &mut errs);
    let done_on = collect(opt_date("done_on", input.done_on.as_deref()), &mut errs);
    let note = text(
        "note",
        input.note.as_deref().unwrap_or(""),
        false,
        500,
        &mut errs,
    );
    let (kind, done_on) = done(kind.zip(done_on), errs)?;
    let row = open_item(tx, grant, kind, "error-no-checklist-yet")?;
    let note = if note.is_empty() {
        row.note.clone()
    } else {
        note
    };
    amendments::amend(
        tx,
        grant,
        by,
        RecordType::ChecklistItem,
        row.id,
        input.reason.as_deref().unwrap_or(""),
        &[
            ("done_on", Value::opt_date(done_on)),
            ("note", Value::Text(note.clone())),
        ],
    )?;
    Ok(ChecklistRow {
        done_on,
        note,
        ..row
    })
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistNotApplicable {
    /// The item's kind (e.g. transport_from_gate).
    #[schema(value_type = crate::journey::rules::ChecklistItemKind)]
    pub kind: String,
    /// Why the item does not apply to this person (required, at most 500 characters). Kept
    /// with who and when; the item is then neither open work nor overdue.
    pub reason: String,
}

/// Mark a checklist item of the open episode not applicable, with a reason. The reason is
/// written through the amendments (a changed reason keeps the earlier one), who and when on
/// the item.
pub fn mark_checklist_not_applicable(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    by: &Actor,
    input: &ChecklistNotApplicable,
) -> AppResult<ChecklistRow> {
    let mut errs = Vec::new();
    let kind = collect(item_kind(&input.kind), &mut errs);
    let reason = text("reason", &input.reason, true, 500, &mut errs);
    let kind = done(kind, errs)?;
    let row = open_item(tx, grant, kind, "error-no-such-checklist-item")?;
    if row.done_on.is_some() {
        return Err(AppError::keyed("kind", "error-item-done-reopen-first", &[]));
    }
    amendments::amend(
        tx,
        grant,
        by,
        RecordType::ChecklistItem,
        row.id,
        "",
        &[("not_applicable_reason", Value::Text(reason.clone()))],
    )?;
    let at = time::now();
    diesel::update(checklist_items::table.find(row.id))
        .set((
            checklist_items::not_applicable_by.eq(Some(by.user_id)),
            checklist_items::not_applicable_at.eq(Some(at)),
        ))
        .execute(tx.conn())?;
    Ok(ChecklistRow {
        not_applicable_reason: Some(reason),
        not_applicable_by: Some(by.user_id),
        not_applicable_at: Some(at),
        ..row
    })
}
