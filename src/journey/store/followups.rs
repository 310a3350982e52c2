//! Follow-ups after release: the schedule, recorded answers (overdose, housing, re-arrest...),
//! amendments, and the release window a date falls in.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::episodes::Episode;
use super::parse::{code, collect, date, done, text};
use crate::journey::rules::{self, ContactTargets, FollowUpPoint, RiskWindow, label_of};
use crate::journey::schema::followups;
use crate::participants::amendments::{self, Amendment, AmendmentInput, RecordType, Value};
use crate::platform::access::{Actor, ParticipantGrant};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = followups)]
pub struct FollowUp {
    pub id: i64,
    pub episode_id: i64,
    /// day30, day90, day180, day365
    #[schema(value_type = crate::journey::rules::FollowUpPoint)]
    pub point: String,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub rearrested: Option<bool>,
    pub reincarcerated: Option<bool>,
    /// none, non_fatal, fatal
    #[schema(value_type = Option<OverdoseCode>)]
    pub overdose: Option<String>,
    pub in_treatment: Option<bool>,
    /// Housing status in plain words (stable, temporary, shelter, street, institution).
    pub housing: Option<String>,
    pub employed: Option<bool>,
    pub insured: Option<bool>,
    pub barc10_total: Option<i32>,
    pub note: String,
}

impl FollowUp {
    pub fn point_label(&self) -> &'static str {
        label_of::<FollowUpPoint>(&self.point)
    }
    pub fn state(&self, today: NaiveDate) -> rules::FollowUpState {
        rules::followup_state(self.due_on, self.completed_on, today)
    }
}

pub(super) fn schedule_followups(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    episode_id: i64,
    anchor: NaiveDate,
) -> AppResult<()> {
    let existing: i64 = followups::table
        .filter(followups::episode_id.eq(episode_id))
        .count()
        .get_result(tx.conn())?;
    if existing > 0 {
        // A release after a community enrolment re-anchors the open follow-ups.
        for (point, due) in rules::followup_schedule(anchor) {
            diesel::update(
                followups::table
                    .filter(followups::episode_id.eq(episode_id))
                    .filter(followups::point.eq(point.as_str()))
                    .filter(followups::completed_on.is_null()),
            )
            .set(followups::due_on.eq(due))
            .execute(tx.conn())?;
        }
        return Ok(());
    }
    for (point, due) in rules::followup_schedule(anchor) {
        diesel::insert_into(followups::table)
            .values((
                followups::id.eq(new_id()),
                followups::org_id.eq(grant.org_id()),
                followups::participant_id.eq(grant.participant_id()),
                followups::episode_id.eq(episode_id),
                followups::point.eq(point.as_str()),
                followups::due_on.eq(due),
                followups::note.eq(""),
            ))
            .execute(tx.conn())?;
    }
    Ok(())
}

pub fn followups(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<FollowUp>> {
    Ok(followups::table
        .filter(followups::participant_id.eq(grant.participant_id()))
        .filter(followups::org_id.eq(grant.org_id()))
        .order(followups::due_on)
        .select(FollowUp::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    /// day30, day90, day180, day365
    #[schema(value_type = crate::journey::rules::FollowUpPoint)]
    pub point: String,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub completed_on: String,
    #[serde(default)]
    pub rearrested: Option<bool>,
    #[serde(default)]
    pub reincarcerated: Option<bool>,
    /// none, non_fatal, fatal
    #[serde(default)]
    #[schema(value_type = Option<OverdoseCode>)]
    pub overdose: Option<String>,
    #[serde(default)]
    pub in_treatment: Option<bool>,
    #[serde(default)]
    pub housing: Option<String>,
    #[serde(default)]
    pub employed: Option<bool>,
    #[serde(default)]
    pub insured: Option<bool>,
    /// The BARC-10 total taken at this follow-up, if any (10..60).
    #[serde(default)]
    pub barc10_total: Option<i64>,
    #[serde(default)]
    pub note: String,
}

pub const OVERDOSE_CODES: &[&str] = &["none", "non_fatal", "fatal"];

/// An overdose since the last follow-up ([`OVERDOSE_CODES`], for the API's schema).
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverdoseCode {
    None,
    NonFatal,
    Fatal,
}

/// A flag raised by a release (`rules::ReleaseFlag::code`, for the API's schema).
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseFlagCode {
    NoPlan,
    Early,
    ChecklistIncomplete,
}
pub const HOUSING_CODES: &[&str] = &["stable", "temporary", "shelter", "street", "institution"];

pub fn record_followup(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    i: &FollowUpInput,
    today: NaiveDate,
) -> AppResult<FollowUp> {
    let mut errs = Vec::new();
    let point = collect(
        code("point", &i.point, FollowUpPoint::ALL, FollowUpPoint::as_str),
        &mut errs,
    );
    let completed_on = collect(date("completed_on", &i.completed_on), &mut errs);
    if completed_on.is_some_and(|d| d > today) {
        errs.push(FieldError::keyed(
            "completed_on",
            "error-in-the-future",
            &[],
        ));
    }
    let pick = |field: &str,
                v: &Option<String>,
                all: &[&str],
                errs: &mut Vec<FieldError>|
     -> Option<String> {
        let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        if all.contains(&v) {
            Some(v.to_string())
        } else {
            errs.push(crate::platform::fields::unknown_value(
                field,
                v,
                all.join(", "),
            ));
            None
        }
    };
    let overdose = pick("overdose", &i.overdose, OVERDOSE_CODES, &mut errs);
    let housing = pick("housing", &i.housing, HOUSING_CODES, &mut errs);
    if i.barc10_total.is_some_and(|t| !(10..=60).contains(&t)) {
        errs.push(crate::platform::fields::not_from_to("barc10_total", 10, 60));
    }
    let note = text("note", &i.note, false, 1000, &mut errs);
    let (point, completed_on) = done(point.zip(completed_on), errs)?;
    let row = scheduled_followup(tx.conn(), grant, point)?;
    let answered = |done: NaiveDate| {
        AppError::conflict(
            "error-followup-already-recorded",
            &[
                ("point", point.as_str().to_string()),
                ("done", done.to_string()),
                ("participant", grant.participant_id().to_string()),
            ],
        )
    };
    if let Some(done) = row.completed_on {
        return Err(answered(done));
    }
    let barc10_total = i.barc10_total.map(|t| t as i32);
    let filled = amendments::fill(
        tx,
        grant,
        RecordType::Followup,
        row.id,
        ("completed_on", Value::Date(completed_on)),
        &[
            ("rearrested", Value::opt_bool(i.rearrested)),
            ("reincarcerated", Value::opt_bool(i.reincarcerated)),
            ("overdose", Value::opt_text(overdose.clone())),
            ("in_treatment", Value::opt_bool(i.in_treatment)),
            ("housing", Value::opt_text(housing.clone())),
            ("employed", Value::opt_bool(i.employed)),
            ("insured", Value::opt_bool(i.insured)),
            ("barc10_total", Value::opt_int(i.barc10_total)),
            ("note", Value::Text(note.clone())),
        ],
    )?;
    if !filled {
        return Err(answered(completed_on));
    }
    Ok(FollowUp {
        completed_on: Some(completed_on),
        rearrested: i.rearrested,
        reincarcerated: i.reincarcerated,
        overdose,
        in_treatment: i.in_treatment,
        housing,
        employed: i.employed,
        insured: i.insured,
        barc10_total,
        note,
        ..row
    })
}

/// The follow-up scheduled for a point (of the latest episode).
pub(super) fn scheduled_followup(
    conn: &mut DbConn,
    grant: &ParticipantGrant,
    point: FollowUpPoint,
) -> AppResult<FollowUp> {
    followups::table
        .filter(followups::participant_id.eq(grant.participant_id()))
        .filter(followups::org_id.eq(grant.org_id()))
        .filter(followups::point.eq(point.as_str()))
        .order(followups::due_on.desc())
        .select(FollowUp::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::keyed("point", "error-no-followup-scheduled", &[]))
}

/// A follow-up with the history of its amendments.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AmendedFollowUp {
    #[serde(flatten)]
    pub followup: FollowUp,
    pub amendments: Vec<Amendment>,
}

/// Amend a recorded follow-up: the changed answers, with a reason; every replaced answer is
/// kept in the history. A follow-up not yet recorded is recorded, not amended.
pub fn amend_followup(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    by: &Actor,
    point: &str,
    input: &AmendmentInput,
) -> AppResult<AmendedFollowUp> {
    let point = code("point", point, FollowUpPoint::ALL, FollowUpPoint::as_str)
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let mut errs = Vec::new();
    if input.reason.trim().is_empty() {
        errs.push(FieldError::keyed(
            "reason",
            "error-amend-answers-reason",
            &[],
        ));
    }
    let changes = match amendments::parse_changes(RecordType::Followup, &input.changes) {
        Ok(c) => c,
        Err(e) => {
            errs.extend(e);
            vec![]
        }
    };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let row = scheduled_followup(tx.conn(), grant, point)?;
    if row.completed_on.is_none() {
        return Err(AppError::conflict(
            "error-followup-not-recorded",
            &[
                ("point", point.as_str().to_string()),
                ("participant", grant.participant_id().to_string()),
            ],
        ));
    }
    amendments::keep_completion_date(&changes)?;
    let written = amendments::amend(
        tx,
        grant,
        by,
        RecordType::Followup,
        row.id,
        &input.reason,
        &changes,
    )?;
    amendments::require_change(written)?;
    let followup = followups::table
        .find(row.id)
        .select(FollowUp::as_select())
        .first(tx.conn())?;
    let all = amendments::history(tx.conn(), grant)?;
    Ok(AmendedFollowUp {
        followup,
        amendments: amendments::of_record(&all, RecordType::Followup, row.id)
            .into_iter()
            .cloned()
            .collect(),
    })
}

/// The point a new follow-up form should offer: the earliest unanswered follow-up of the latest
/// episode's schedule (none when every one is answered).
pub fn next_unanswered(followups: &[FollowUp]) -> Option<&FollowUp> {
    let latest = followups
        .iter()
        .max_by_key(|f| (f.due_on, f.id))?
        .episode_id;
    followups
        .iter()
        .filter(|f| f.episode_id == latest && f.completed_on.is_none())
        .min_by_key(|f| f.due_on)
}

/// The high-risk window of an episode, if the person was released within it.
pub fn window_of(
    episode: &Episode,
    targets: ContactTargets,
    now: NaiveDateTime,
) -> Option<RiskWindow> {
    let released = episode.released_at?;
    let w = RiskWindow::new(released, targets);
    (now >= released && now <= w.ends_at()).then_some(w)
}
