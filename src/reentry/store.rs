//! Reentry's tables: each organisation's programme (template and window, a row a change), the
//! eligibility screenings recorded in custody, the warm handoffs and the MOUD records (a row
//! each, never replaced).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::rules::{
    Criterion, Eligibility, HealthCondition, MedicaidStatus, ProgrammeRules, ScreeningResult,
    Template,
};
use super::schema::{reentry_handoffs, reentry_moud, reentry_programmes, reentry_screenings};
use crate::platform::access::ParticipantGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::schema::users;

/// An organisation's reentry programme as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Programme {
    /// The template the rules come from.
    pub template: Template,
    /// The pre-release window for adults, in days before the expected release (1..=90).
    pub window_days: u16,
    /// When it was chosen (absent: never chosen, the federal minimum by default).
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub set_at: Option<NaiveDateTime>,
    /// Who chose it.
    pub set_by: Option<i64>,
}

impl Programme {
    /// The rules that apply: the template's, with this window.
    pub fn rules(&self) -> ProgrammeRules {
        let t = ProgrammeRules::of(self.template);
        t.with_window_days(self.window_days).unwrap_or(t)
    }

    fn default_for_new() -> Programme {
        let r = ProgrammeRules::default_rules();
        Programme {
            template: r.template,
            window_days: r.window_days,
            set_at: None,
            set_by: None,
        }
    }
}

type ProgrammeRow = (String, i32, Option<i64>, NaiveDateTime);

fn programme_of(row: ProgrammeRow) -> Programme {
    let (template, days, set_by, set_at) = row;
    let template = Template::parse(&template).unwrap_or(Template::FederalMinimum);
    Programme {
        template,
        window_days: u16::try_from(days).unwrap_or(ProgrammeRules::of(template).window_days),
        set_at: Some(set_at),
        set_by,
    }
}

/// The organisation's programme: its newest choice, or the federal minimum.
pub fn programme(conn: &mut DbConn, org_id: i64) -> AppResult<Programme> {
    let row: Option<ProgrammeRow> = programme_choices(org_id).first(conn).optional()?;
    Ok(row.map_or_else(Programme::default_for_new, programme_of))
}

/// Every choice the organisation made, newest first.
pub fn programme_history(conn: &mut DbConn, org_id: i64) -> AppResult<Vec<Programme>> {
    let rows: Vec<ProgrammeRow> = programme_choices(org_id).load(conn)?;
    Ok(rows.into_iter().map(programme_of).collect())
}

/// The query of the organisation's programme choices, newest first.
#[diesel::dsl::auto_type(no_type_alias)]
fn programme_choices(org_id: i64) -> _ {
    reentry_programmes::table
        .filter(reentry_programmes::org_id.eq(org_id))
        .order((
            reentry_programmes::set_at.desc(),
            reentry_programmes::id.desc(),
        ))
        .select((
            reentry_programmes::template,
            reentry_programmes::window_days,
            reentry_programmes::set_by,
            reentry_programmes::set_at,
        ))
}

/// Record a new choice (the earlier ones stay).
pub fn set_programme(
    tx: &mut Tx,
    org_id: i64,
    user_id: i64,
    rules: &ProgrammeRules,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(reentry_programmes::table)
        .values((
            reentry_programmes::id.eq(new_id()),
            reentry_programmes::org_id.eq(org_id),
            reentry_programmes::template.eq(rules.template.as_str()),
            reentry_programmes::window_days.eq(i32::from(rules.window_days)),
            reentry_programmes::set_by.eq(Some(user_id)),
            reentry_programmes::set_at.eq(now),
        ))
        .execute(tx.conn())?;
    Ok(())
}

/// An eligibility screening in custody.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = reentry_screenings)]
pub struct Screening {
    pub id: i64,
    pub participant_id: i64,
    /// When the screening was recorded.
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub screened_at: NaiveDateTime,
    /// The staff member who screened.
    pub screened_by: Option<i64>,
    #[schema(value_type = MedicaidStatus)]
    pub medicaid_status: String,
    /// When the Medicaid application was made (for `application_pending`).
    pub medicaid_applied_on: Option<NaiveDate>,
    /// Qualifying health conditions found: codes, space-separated.
    #[schema(example = "substance_use_disorder mental_illness")]
    pub conditions: String,
    pub former_foster_youth: bool,
    /// Age at the expected release (or at screening when none is set), from the date of birth.
    pub age_at_release: Option<i32>,
    /// The template whose rules decided.
    #[schema(value_type = Template)]
    pub template: String,
    /// The window those rules gave (days before the expected release).
    pub window_days: i32,
    #[schema(value_type = ScreeningResult)]
    pub result: String,
    /// The criteria met: codes (`reentry::rules::Criterion`), space-separated.
    #[schema(example = "medicaid health_condition")]
    pub criteria_met: String,
    /// An eligible juvenile under CAA 2023 §5121.
    pub youth: bool,
}

impl Screening {
    /// The stored result.
    pub fn result(&self) -> Option<ScreeningResult> {
        ScreeningResult::parse(&self.result)
    }

    /// The stored criteria, known codes only.
    pub fn criteria(&self) -> Vec<Criterion> {
        self.criteria_met
            .split_whitespace()
            .filter_map(Criterion::parse)
            .collect()
    }
}

/// A screening as the API and the form send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningInput {
    /// active, suspended, application_pending, none
    #[schema(value_type = MedicaidStatus)]
    pub medicaid_status: String,
    /// YYYY-MM-DD: when the Medicaid application was made (required when pending).
    #[schema(format = Date)]
    pub medicaid_applied_on: Option<String>,
    /// Qualifying health conditions found.
    #[serde(default)]
    #[schema(value_type = Vec<HealthCondition>)]
    pub conditions: Vec<String>,
    /// In foster care at 18 (CAA 2023 §5121 covers former foster youth to 26).
    #[serde(default)]
    pub former_foster_youth: bool,
}

/// A screening parsed and decided, ready to store.
#[derive(Debug, Clone)]
pub struct NewScreening {
    pub medicaid_status: MedicaidStatus,
    pub medicaid_applied_on: Option<NaiveDate>,
    pub conditions: Vec<HealthCondition>,
    pub former_foster_youth: bool,
    pub age_at_release: Option<u32>,
    pub rules: ProgrammeRules,
    pub eligibility: Eligibility,
}

fn codes<T: Copy>(v: &[T], code: fn(T) -> &'static str) -> String {
    v.iter().map(|c| code(*c)).collect::<Vec<_>>().join(" ")
}

/// The participant's screenings, newest first.
pub fn screenings(conn: &mut DbConn, g: &ParticipantGrant) -> AppResult<Vec<Screening>> {
    Ok(reentry_screenings::table
        .filter(reentry_screenings::participant_id.eq(g.participant_id()))
        .filter(reentry_screenings::org_id.eq(g.org_id()))
        .order((
            reentry_screenings::screened_at.desc(),
            reentry_screenings::id.desc(),
        ))
        .select(Screening::as_select())
        .load(conn)?)
}

/// Store a screening.
pub fn record_screening(
    tx: &mut Tx,
    g: &ParticipantGrant,
    user_id: i64,
    s: &NewScreening,
    now: NaiveDateTime,
) -> AppResult<Screening> {
    let id = new_id();
    let age = s
        .age_at_release
        .map(|a| i32::try_from(a).unwrap_or(i32::MAX));
    diesel::insert_into(reentry_screenings::table)
        .values((
            reentry_screenings::id.eq(id),
            reentry_screenings::org_id.eq(g.org_id()),
            reentry_screenings::participant_id.eq(g.participant_id()),
            reentry_screenings::screened_at.eq(now),
            reentry_screenings::screened_by.eq(Some(user_id)),
            reentry_screenings::medicaid_status.eq(s.medicaid_status.as_str()),
            reentry_screenings::medicaid_applied_on.eq(s.medicaid_applied_on),
            reentry_screenings::conditions.eq(codes(&s.conditions, HealthCondition::as_str)),
            reentry_screenings::former_foster_youth.eq(s.former_foster_youth),
            reentry_screenings::age_at_release.eq(age),
            reentry_screenings::template.eq(s.rules.template.as_str()),
            reentry_screenings::window_days
                .eq(i32::from(s.rules.window_days_for(s.eligibility.youth))),
            reentry_screenings::result.eq(s.eligibility.result.as_str()),
            reentry_screenings::criteria_met
                .eq(codes(&s.eligibility.criteria_met, Criterion::as_str)),
            reentry_screenings::youth.eq(s.eligibility.youth),
            reentry_screenings::created_at.eq(now),
        ))
        .execute(tx.conn())?;
    reentry_screenings::table
        .find(id)
        .select(Screening::as_select())
        .first(tx.conn())
        .map_err(AppError::from)
}

/// Where a participant stands in reentry today: the programme, whether screening is due since
/// the custody episode began, the pre-release window and the warm handoff's due time.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReentryStatus {
    pub programme: Programme,
    /// In custody now: an open custody episode with no release recorded.
    pub in_custody: bool,
    /// The open custody episode's start (the booking).
    pub booked_on: Option<NaiveDate>,
    /// The latest screening.
    pub screening: Option<Screening>,
    /// done, due, overdue (in custody only): screening is due 72 hours after booking.
    #[schema(value_type = Option<super::rules::ScreeningStatus>)]
    pub screening_status: Option<String>,
    /// When screening is (or was) due, unless done.
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub screening_due_at: Option<NaiveDateTime>,
    pub expected_release_on: Option<NaiveDate>,
    /// The window that applies (the youth window of CAA 2023 §5121 when the latest screening
    /// found an eligible juvenile).
    pub window_days: u16,
    /// The first day of the pre-release window, when an expected release is set.
    pub window_opens_on: Option<NaiveDate>,
    /// In the window today (in custody only).
    pub in_window: bool,
    /// When the warm handoff is due: before the expected release, or within 24 hours of an
    /// unplanned release (no expected date, or released earlier than expected).
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub handoff_due_at: Option<NaiveDateTime>,
    /// Released without warning (no expected date, or early).
    pub unplanned_release: bool,
    /// held, held_late, due, overdue (when a handoff is due).
    #[schema(value_type = Option<String>, example = "due")]
    pub handoff_status: Option<String>,
}

/// A warm handoff to the post-release provider.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = reentry_handoffs)]
pub struct Handoff {
    pub id: i64,
    pub participant_id: i64,
    /// The care manager or peer who handed over.
    pub made_by: Option<i64>,
    /// The post-release provider (a person or service).
    pub to_provider: String,
    pub to_organisation: String,
    #[schema(value_type = Option<super::rules::HandoffMethod>)]
    pub method: Option<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub scheduled_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub held_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

/// A handoff as the API sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffInput {
    /// The post-release provider (1..=200 characters).
    pub to_provider: String,
    /// Their organisation (up to 200 characters).
    #[serde(default)]
    pub to_organisation: String,
    /// in_person, video, phone, written
    #[schema(value_type = Option<super::rules::HandoffMethod>)]
    pub method: Option<String>,
    /// When it is scheduled: RFC 3339, or a wall-clock time of the organisation's zone.
    #[schema(example = "2026-06-29T14:00")]
    pub scheduled_at: Option<String>,
    /// When it was held (not in the future).
    #[schema(example = "2026-06-29T14:30")]
    pub held_at: Option<String>,
}

/// A handoff parsed, ready to store.
#[derive(Debug, Clone)]
pub struct NewHandoff {
    pub to_provider: String,
    pub to_organisation: String,
    pub method: Option<super::rules::HandoffMethod>,
    pub scheduled_at: Option<NaiveDateTime>,
    pub held_at: Option<NaiveDateTime>,
}

/// The participant's handoffs, newest first.
pub fn handoffs(conn: &mut DbConn, g: &ParticipantGrant) -> AppResult<Vec<Handoff>> {
    Ok(reentry_handoffs::table
        .filter(reentry_handoffs::participant_id.eq(g.participant_id()))
        .filter(reentry_handoffs::org_id.eq(g.org_id()))
        .order((
            reentry_handoffs::created_at.desc(),
            reentry_handoffs::id.desc(),
        ))
        .select(Handoff::as_select())
        .load(conn)?)
}

/// Store a handoff.
pub fn record_handoff(
    tx: &mut Tx,
    g: &ParticipantGrant,
    user_id: i64,
    h: &NewHandoff,
    now: NaiveDateTime,
) -> AppResult<Handoff> {
    let id = new_id();
    diesel::insert_into(reentry_handoffs::table)
        .values((
            reentry_handoffs::id.eq(id),
            reentry_handoffs::org_id.eq(g.org_id()),
            reentry_handoffs::participant_id.eq(g.participant_id()),
            reentry_handoffs::made_by.eq(Some(user_id)),
            reentry_handoffs::to_provider.eq(&h.to_provider),
            reentry_handoffs::to_organisation.eq(&h.to_organisation),
            reentry_handoffs::method.eq(h.method.map(super::rules::HandoffMethod::as_str)),
            reentry_handoffs::scheduled_at.eq(h.scheduled_at),
            reentry_handoffs::held_at.eq(h.held_at),
            reentry_handoffs::created_at.eq(now),
        ))
        .execute(tx.conn())?;
    reentry_handoffs::table
        .find(id)
        .select(Handoff::as_select())
        .first(tx.conn())
        .map_err(AppError::from)
}

/// A record of medication for opioid use disorder around release. The newest one stands; the
/// earlier ones are kept.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = reentry_moud)]
pub struct Moud {
    pub id: i64,
    pub participant_id: i64,
    /// none, in_custody, continued_at_release, started_after_release
    #[schema(value_type = super::rules::MoudStatus)]
    pub status: String,
    /// The first dose after release.
    pub first_dose_on: Option<NaiveDate>,
    /// When the medication stopped (not before the first dose).
    pub stopped_on: Option<NaiveDate>,
    /// Naloxone kits given at release (0..=20).
    pub naloxone_at_release: i32,
    /// The staff member who recorded it.
    pub recorded_by: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub recorded_at: NaiveDateTime,
}

/// A MOUD record as the API and the form send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoudInput {
    /// none, in_custody, continued_at_release, started_after_release
    #[schema(value_type = super::rules::MoudStatus)]
    pub status: String,
    /// YYYY-MM-DD: the first dose after release (required when started after release; when
    /// continued at release, the release date if absent).
    #[schema(format = Date)]
    pub first_dose_on: Option<String>,
    /// YYYY-MM-DD: when it stopped (not before the first dose).
    #[schema(format = Date)]
    pub stopped_on: Option<String>,
    /// Naloxone kits given at release (0..=20; absent: 0).
    #[serde(default)]
    pub naloxone_at_release: Option<i64>,
}

/// A MOUD record parsed, ready to store.
#[derive(Debug, Clone)]
pub struct NewMoud {
    pub status: super::rules::MoudStatus,
    pub first_dose_on: Option<NaiveDate>,
    pub stopped_on: Option<NaiveDate>,
    pub naloxone_at_release: i32,
}

/// The participant's MOUD records, newest first.
pub fn moud_records(conn: &mut DbConn, g: &ParticipantGrant) -> AppResult<Vec<Moud>> {
    Ok(reentry_moud::table
        .filter(reentry_moud::participant_id.eq(g.participant_id()))
        .filter(reentry_moud::org_id.eq(g.org_id()))
        .order((reentry_moud::recorded_at.desc(), reentry_moud::id.desc()))
        .select(Moud::as_select())
        .load(conn)?)
}

/// Store a MOUD record (the earlier ones stay).
pub fn record_moud(
    tx: &mut Tx,
    g: &ParticipantGrant,
    user_id: i64,
    m: &NewMoud,
    now: NaiveDateTime,
) -> AppResult<Moud> {
    let id = new_id();
    diesel::insert_into(reentry_moud::table)
        .values((
            reentry_moud::id.eq(id),
            reentry_moud::org_id.eq(g.org_id()),
            reentry_moud::participant_id.eq(g.participant_id()),
            reentry_moud::status.eq(m.status.as_str()),
            reentry_moud::first_dose_on.eq(m.first_dose_on),
            reentry_moud::stopped_on.eq(m.stopped_on),
            reentry_moud::naloxone_at_release.eq(m.naloxone_at_release),
            reentry_moud::recorded_by.eq(Some(user_id)),
            reentry_moud::recorded_at.eq(now),
        ))
        .execute(tx.conn())?;
    reentry_moud::table
        .find(id)
        .select(Moud::as_select())
        .first(tx.conn())
        .map_err(AppError::from)
}

/// The names of the organisation's staff among `ids`.
pub fn staff_names(conn: &mut DbConn, org_id: i64, ids: &[i64]) -> AppResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .load(conn)?)
}
