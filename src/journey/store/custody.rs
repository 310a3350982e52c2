//! Custody and supervision events (booking, transfer, release, violation...) and what they
//! change in the episode, the checklist and the follow-up schedule.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::checklist::{checklist, plan_checklist, replan_checklist_at_release};
use super::episodes::{check_facility, current_episode};
use super::followups::{ReleaseFlagCode, schedule_followups};
use super::parse::{code, collect, date, done, text};
use crate::journey::rules::{self, CustodyEventKind, ReleaseDateCertainty, label_of};
use crate::journey::schema::{custody_events, episodes};
use crate::platform::access::ParticipantGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::fields;
use crate::platform::ids::new_id;
use crate::platform::time;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = custody_events)]
pub struct CustodyEvent {
    pub id: i64,
    pub episode_id: Option<i64>,
    /// booking, transfer, court_date, expected_release, release, supervision_start, supervision_end
    #[schema(value_type = crate::journey::rules::CustodyEventKind)]
    pub kind: String,
    pub occurred_on: NaiveDate,
    #[schema(value_type = Option<crate::journey::rules::ReleaseDateCertainty>)]
    pub certainty: Option<String>,
    pub facility_id: Option<i64>,
    pub office: Option<String>,
    pub detail: String,
}

impl CustodyEvent {
    pub fn kind_label(&self) -> &'static str {
        label_of::<CustodyEventKind>(&self.kind)
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustodyEventInput {
    /// booking, transfer, court_date, expected_release, release, supervision_start, supervision_end
    #[schema(value_type = crate::journey::rules::CustodyEventKind)]
    pub kind: String,
    /// YYYY-MM-DD: the date of the event (for expected_release, the expected date).
    #[schema(format = Date)]
    pub occurred_on: String,
    /// HH:MM, for releases (default: now when today, else 09:00): a wall-clock time without an
    /// offset, on the clock of the participant's organisation (its time zone, decision 0040);
    /// the release is stored as the UTC instant it means.
    #[serde(default)]
    #[schema(pattern = r"^\d{2}:\d{2}$", example = "09:30")]
    pub at_time: Option<String>,
    /// For expected_release: unknown, estimated, confirmed.
    #[serde(default)]
    #[schema(value_type = Option<crate::journey::rules::ReleaseDateCertainty>)]
    pub certainty: Option<String>,
    #[serde(default)]
    pub facility_id: Option<i64>,
    /// Supervising office (probation or parole).
    #[serde(default)]
    pub office: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
}

/// What recording an event did, for the page and the API.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CustodyEventOutcome {
    pub event: CustodyEvent,
    /// Flags raised by a release: no_plan (unannounced), early, checklist_incomplete.
    #[schema(value_type = Vec<ReleaseFlagCode>)]
    pub flags: Vec<String>,
}

/// Record a custody or supervision event, and apply it to the open episode: an expected release
/// date (re)plans the checklist; a release starts the high-risk window and schedules follow-ups.
pub fn record_custody_event(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    actor_id: i64,
    input: &CustodyEventInput,
    now: NaiveDateTime,
) -> AppResult<CustodyEventOutcome> {
    // The programme's clock: the day it is there, and a release's time on its wall (0040).
    let zone = time::zone_of(tx.conn(), grant.org_id())?;
    let local_now = zone.wall_clock(now);
    let mut errs = Vec::new();
    let kind = collect(
        code(
            "kind",
            &input.kind,
            CustodyEventKind::ALL,
            CustodyEventKind::as_str,
        ),
        &mut errs,
    );
    let on = collect(date("occurred_on", &input.occurred_on), &mut errs);
    let certainty = match input.certainty.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => collect(
            code(
                "certainty",
                c,
                ReleaseDateCertainty::ALL,
                ReleaseDateCertainty::as_str,
            ),
            &mut errs,
        ),
    };
    let at_time = collect(
        fields::opt_time_of_day("at_time", input.at_time.as_deref().unwrap_or("")),
        &mut errs,
    )
    .flatten();
    let detail = text(
        "detail",
        input.detail.as_deref().unwrap_or(""),
        false,
        500,
        &mut errs,
    );
    let office = input
        .office
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let (kind, on) = done(kind.zip(on), errs)?;
    if kind == CustodyEventKind::Release && on > local_now.date() {
        return Err(AppError::keyed(
            "occurred_on",
            "error-release-in-future",
            &[],
        ));
    }
    check_facility(tx.conn(), "facility_id", input.facility_id)?;
    let episode = current_episode(tx.conn(), grant)?;
    let certainty = (kind == CustodyEventKind::ExpectedRelease)
        .then(|| certainty.unwrap_or(ReleaseDateCertainty::Estimated));
    let mut flags = Vec::new();
    // Not enrolled: only the fact is kept (a roster's dates, say), and carried into the next
    // episode when the person enrols.
    if let Some(episode) = &episode {
        match kind {
            CustodyEventKind::ExpectedRelease => {
                diesel::update(episodes::table.find(episode.id))
                    .set((
                        episodes::expected_release_on.eq(Some(on)),
                        episodes::release_certainty.eq(certainty.map(|c| c.as_str())),
                    ))
                    .execute(tx.conn())?;
                plan_checklist(tx, grant, episode.id, on)?;
            }
            CustodyEventKind::Release => {
                let time_of_day = at_time.unwrap_or_else(|| {
                    if on == local_now.date() {
                        local_now.time()
                    } else {
                        NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()
                    }
                });
                let released_at = zone
                    .from_local("at_time", on.and_time(time_of_day))
                    .map_err(|e| AppError::Invalid(vec![e]))?;
                let items = checklist(tx.conn(), grant, Some(episode.id))?;
                // Done or not applicable: either way, no longer open work.
                let done_count = items
                    .iter()
                    .filter(|i| i.done_on.is_some() || i.not_applicable())
                    .count();
                let expected = episode.expected_release_on;
                for f in rules::release_flags(
                    if items.is_empty() { None } else { expected },
                    done_count,
                    items.len(),
                    on,
                ) {
                    flags.push(f.as_str().to_string());
                }
                diesel::update(episodes::table.find(episode.id))
                    .set(episodes::released_at.eq(Some(released_at)))
                    .execute(tx.conn())?;
                schedule_followups(tx, grant, episode.id, on)?;
                // What is still open is re-planned around the release (early or unannounced
                // included): the meeting at the gate becomes a first contact the day after.
                replan_checklist_at_release(tx, grant, episode.id, on, local_now.date())?;
            }
            CustodyEventKind::Transfer => {
                diesel::update(episodes::table.find(episode.id))
                    .set(episodes::facility_id.eq(input.facility_id))
                    .execute(tx.conn())?;
            }
            CustodyEventKind::SupervisionStart => {
                diesel::update(episodes::table.find(episode.id))
                    .set(episodes::supervision_office.eq(&office))
                    .execute(tx.conn())?;
            }
            _ => {}
        }
    }
    let detail = if flags.is_empty() {
        detail
    } else {
        format!("{detail} [flags: {}]", flags.join(", "))
            .trim()
            .to_string()
    };
    let event = insert_event(
        tx,
        grant,
        episode.map(|e| e.id),
        kind,
        on,
        certainty,
        input.facility_id,
        office,
        detail,
        actor_id,
    )?;
    Ok(CustodyEventOutcome { event, flags })
}

#[allow(clippy::too_many_arguments)]
pub(super) fn insert_event(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    episode_id: Option<i64>,
    kind: CustodyEventKind,
    on: NaiveDate,
    certainty: Option<ReleaseDateCertainty>,
    facility_id: Option<i64>,
    office: Option<String>,
    detail: String,
    actor_id: i64,
) -> AppResult<CustodyEvent> {
    let e = CustodyEvent {
        id: new_id(),
        episode_id,
        kind: kind.as_str().into(),
        occurred_on: on,
        certainty: certainty.map(|c| c.as_str().to_string()),
        facility_id,
        office,
        detail,
    };
    diesel::insert_into(custody_events::table)
        .values((
            custody_events::id.eq(e.id),
            custody_events::org_id.eq(grant.org_id()),
            custody_events::participant_id.eq(grant.participant_id()),
            custody_events::episode_id.eq(e.episode_id),
            custody_events::kind.eq(&e.kind),
            custody_events::occurred_on.eq(e.occurred_on),
            custody_events::certainty.eq(&e.certainty),
            custody_events::facility_id.eq(e.facility_id),
            custody_events::office.eq(&e.office),
            custody_events::detail.eq(&e.detail),
            custody_events::created_by.eq(Some(actor_id)),
            custody_events::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(e)
}

pub fn custody_events(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<CustodyEvent>> {
    Ok(custody_events::table
        .filter(custody_events::participant_id.eq(grant.participant_id()))
        .filter(custody_events::org_id.eq(grant.org_id()))
        .order((
            custody_events::occurred_on.desc(),
            custody_events::created_at.desc(),
        ))
        .select(CustodyEvent::as_select())
        .load(conn)?)
}
