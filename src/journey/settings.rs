//! Per-organisation journey settings: the release-checklist due dates (days relative to the
//! expected release), the contact targets of the 14-day window and the thresholds of the
//! disengagement warning (decision 0053). Defaults apply until an administrator changes them. `GET/PUT /api/v1/settings/journey`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::rules::{
    ChecklistItemKind, ChecklistTemplate, ContactTargets, DEFAULT_ATTEMPTS_IN_A_ROW,
    DEFAULT_DAYS_WITHOUT_CONTACT, DEFAULT_MISSED_APPOINTMENTS, DEFAULT_UNANSWERED_MESSAGES,
    DisengagementRule, PLANNED_BEFORE_RELEASE,
};
use super::store;
use crate::platform::access;
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields;
use crate::platform::org_settings;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{ApiUser, JsonBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, put_settings))
}

/// The settings as the API shows and takes them.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JourneySettings {
    /// First completed contact due this many hours after release (1..=336).
    pub first_contact_hours: u32,
    /// Completed contacts required in the window (0..=60).
    pub min_contacts: u32,
    /// Days in the high-risk window (1..=60; 14 by default).
    pub window_days: u32,
    /// Checklist item kind → due offset in days from the expected release (-365..=30).
    pub checklist_offsets: BTreeMap<String, i32>,
    /// Not heard from (decision 0053): days without a completed contact, in the community,
    /// that put a person on their peer's and supervisor's "not heard from" list (0..=90; 0 turns
    /// this test off; 7 by default). Never for someone in custody.
    #[serde(default = "default_days")]
    pub disengaged_after_days: u32,
    /// Not heard from: contact attempts in a row without contact (0..=20; 0 turns this test off;
    /// 3 by default).
    #[serde(default = "default_attempts")]
    pub disengaged_after_attempts: u32,
    /// Not heard from: staff messages sent in a row without an answer (0..=20; 0 turns this test
    /// off; 3 by default).
    #[serde(default = "default_messages")]
    pub disengaged_after_messages: u32,
    /// Not heard from: appointments (supervising officer, medication dose, peer visit) missed
    /// in a row (0..=20; 0 turns this test off; 2 by default).
    #[serde(default = "default_missed")]
    pub disengaged_after_missed: u32,
}

fn default_messages() -> u32 {
    DEFAULT_UNANSWERED_MESSAGES
}

fn default_missed() -> u32 {
    DEFAULT_MISSED_APPOINTMENTS
}

fn default_days() -> u32 {
    DEFAULT_DAYS_WITHOUT_CONTACT
}

fn default_attempts() -> u32 {
    DEFAULT_ATTEMPTS_IN_A_ROW
}

fn current(tx: &mut Tx, org_id: i64) -> AppResult<JourneySettings> {
    let t = store::contact_targets(tx.conn(), org_id)?;
    let c = store::checklist_template(tx.conn(), org_id)?;
    let d = store::disengagement_rule(tx.conn(), org_id)?;
    Ok(JourneySettings {
        first_contact_hours: t.first_contact_hours,
        min_contacts: t.min_contacts,
        window_days: t.window_days,
        checklist_offsets: c
            .items
            .iter()
            .map(|(k, d)| (k.as_str().to_string(), *d))
            .collect(),
        disengaged_after_days: d.days_without_contact,
        disengaged_after_attempts: d.attempts_in_a_row,
        disengaged_after_messages: d.unanswered_messages,
        disengaged_after_missed: d.missed_appointments,
    })
}

/// Check and store new settings (admins).
pub fn save(tx: &mut Tx, org_id: i64, s: &JourneySettings) -> AppResult<()> {
    let mut errs = Vec::new();
    if !(1..=336).contains(&s.first_contact_hours) {
        errs.push(fields::not_from_to("first_contact_hours", 1, 336));
    }
    if s.min_contacts > 60 {
        errs.push(fields::not_from_to("min_contacts", 0, 60));
    }
    if !(1..=60).contains(&s.window_days) {
        errs.push(fields::not_from_to("window_days", 1, 60));
    }
    if s.disengaged_after_days > 90 {
        errs.push(fields::not_from_to("disengaged_after_days", 0, 90));
    }
    if s.disengaged_after_attempts > 20 {
        errs.push(fields::not_from_to("disengaged_after_attempts", 0, 20));
    }
    if s.disengaged_after_messages > 20 {
        errs.push(fields::not_from_to("disengaged_after_messages", 0, 20));
    }
    if s.disengaged_after_missed > 20 {
        errs.push(fields::not_from_to("disengaged_after_missed", 0, 20));
    }
    // In u64: a window of billions of days is refused above, not an overflow.
    if u64::from(s.first_contact_hours) > u64::from(s.window_days) * 24 {
        errs.push(FieldError::keyed(
            "first_contact_hours",
            "error-inside-the-window",
            &[],
        ));
    }
    let mut items = Vec::new();
    for (k, d) in &s.checklist_offsets {
        match ChecklistItemKind::parse(k) {
            None => errs.push(FieldError::keyed(
                format!("checklist_offsets.{k}"),
                "error-unknown-checklist-item",
                &[],
            )),
            Some(kind) if !PLANNED_BEFORE_RELEASE.contains(&kind) => errs.push(FieldError::keyed(
                format!("checklist_offsets.{k}"),
                "error-planned-only-at-release",
                &[],
            )),
            Some(_) if !(-365..=30).contains(d) => errs.push(FieldError::keyed(
                format!("checklist_offsets.{k}"),
                "error-days-from-to",
                &[("min", "-365".into()), ("max", "30".into())],
            )),
            Some(kind) => items.push((kind, *d)),
        }
    }
    for kind in PLANNED_BEFORE_RELEASE {
        if !items.iter().any(|(k, _)| k == kind) {
            errs.push(FieldError::keyed(
                format!("checklist_offsets.{}", kind.as_str()),
                "error-required",
                &[],
            ));
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    items.sort_by_key(|(k, _)| *k);
    let targets = ContactTargets {
        first_contact_hours: s.first_contact_hours,
        min_contacts: s.min_contacts,
        window_days: s.window_days,
    };
    let template = ChecklistTemplate { items };
    // Decided when the caseload is read: no line changes with these.
    let disengagement = DisengagementRule {
        days_without_contact: s.disengaged_after_days,
        attempts_in_a_row: s.disengaged_after_attempts,
        unanswered_messages: s.disengaged_after_messages,
        missed_appointments: s.disengaged_after_missed,
    };
    if store::contact_targets(tx.conn(), org_id)? != targets {
        // Every window's deadlines move with the targets.
        super::caseload::kept::note_organisation(tx, org_id)?;
    }
    for (key, value) in [
        (
            "contact_targets",
            serde_json::to_string(&targets).map_err(AppError::internal)?,
        ),
        (
            "checklist_template",
            serde_json::to_string(&template).map_err(AppError::internal)?,
        ),
        (
            "disengagement",
            serde_json::to_string(&disengagement).map_err(AppError::internal)?,
        ),
    ] {
        org_settings::put(tx, org_id, key, &value)?;
    }
    Ok(())
}

/// Your organisation's journey settings.
#[utoipa::path(get, path = "/api/v1/settings/journey", tag = "journey", responses((status = 200, body = JourneySettings)))]
async fn get_settings(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<JourneySettings>, ApiError> {
    let org = a.org_id;
    Ok(Json(s.db.read(move |tx| current(tx, org)).await?))
}

/// Change your organisation's checklist due dates, contact targets and "not heard from"
/// thresholds (admins). Open checklists are re-planned the next time a release date moves; done
/// items never change.
#[utoipa::path(put, path = "/api/v1/settings/journey", tag = "journey", request_body = JourneySettings,
    responses((status = 200, body = JourneySettings), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_settings(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    body: JsonBody,
) -> Result<Json<JourneySettings>, ApiError> {
    access::administer(&a)?;
    let input: JourneySettings = body.parse()?;
    Ok(Json(
        s.db.write(move |tx| {
            save(tx, a.org_id, &input)?;
            audit::append(
                tx,
                &a.who(),
                Event::new(Action::SettingsJourney, "organisation", Some(a.org_id)),
            )?;
            current(tx, a.org_id)
        })
        .await?,
    ))
}
