//! Recovery measures over time: BARC-10 recovery capital and stage of change records.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::parse::{code, collect, date, done, text};
use crate::assessments::barc10::Barc10Answers;
use crate::assessments::stages::StageOfChange;
use crate::journey::rules::label_of;
use crate::journey::schema::{barc10_assessments, stage_records};
use crate::platform::access::ParticipantGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::time;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = barc10_assessments)]
pub struct Barc10Row {
    pub id: i64,
    pub taken_on: NaiveDate,
    /// Comma-separated answers 1..6, in item order.
    pub answers: String,
    pub total: i32,
}

impl Barc10Row {
    pub fn at_or_above_cutoff(&self) -> bool {
        self.total >= i32::from(crate::assessments::barc10::CUTOFF)
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Barc10Input {
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub taken_on: String,
    /// Ten integers, each 1 (strongly disagree) to 6 (strongly agree), in item order.
    pub answers: Vec<i64>,
}

/// The API's answer to a new BARC-10.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Barc10Result {
    pub id: i64,
    pub taken_on: NaiveDate,
    pub total: i32,
    /// Total of 47 or more (predicted sustained remission in the validation study).
    pub at_or_above_cutoff: bool,
}

pub fn parse_barc10(i: &Barc10Input, today: NaiveDate) -> AppResult<(NaiveDate, Barc10Answers)> {
    let mut errs = Vec::new();
    let taken_on = collect(date("taken_on", &i.taken_on), &mut errs);
    if taken_on.is_some_and(|d| d > today) {
        errs.push(FieldError::keyed("taken_on", "error-in-the-future", &[]));
    }
    let answers = match Barc10Answers::parse(&i.answers) {
        Ok(a) => Some(a),
        Err(e) => {
            errs.push(match &e {
                crate::assessments::barc10::Barc10Error::WrongCount { got } => FieldError::keyed(
                    e.field(),
                    "error-barc-answer-count",
                    &[
                        (
                            "expected",
                            crate::assessments::barc10::ITEM_COUNT.to_string(),
                        ),
                        ("got", got.to_string()),
                    ],
                ),
                crate::assessments::barc10::Barc10Error::OutOfRange { value, .. } => {
                    FieldError::keyed(
                        e.field(),
                        "error-barc-answer-out-of-range",
                        &[
                            ("value", value.to_string()),
                            ("min", crate::assessments::barc10::SCALE_MIN.to_string()),
                            ("max", crate::assessments::barc10::SCALE_MAX.to_string()),
                        ],
                    )
                }
            });
            None
        }
    };
    done(taken_on.zip(answers), errs)
}

pub fn record_barc10(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    actor_id: i64,
    taken_on: NaiveDate,
    a: &Barc10Answers,
) -> AppResult<Barc10Result> {
    let id = new_id();
    let total = i32::from(a.total());
    let answers = a
        .answers()
        .iter()
        .map(std::string::ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    diesel::insert_into(barc10_assessments::table)
        .values((
            barc10_assessments::id.eq(id),
            barc10_assessments::org_id.eq(grant.org_id()),
            barc10_assessments::participant_id.eq(grant.participant_id()),
            barc10_assessments::taken_on.eq(taken_on),
            barc10_assessments::answers.eq(answers),
            barc10_assessments::total.eq(total),
            barc10_assessments::created_by.eq(Some(actor_id)),
            barc10_assessments::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(Barc10Result {
        id,
        taken_on,
        total,
        at_or_above_cutoff: a.at_or_above_cutoff(),
    })
}

pub fn barc10(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<Barc10Row>> {
    Ok(barc10_assessments::table
        .filter(barc10_assessments::participant_id.eq(grant.participant_id()))
        .filter(barc10_assessments::org_id.eq(grant.org_id()))
        .order((barc10_assessments::taken_on, barc10_assessments::created_at))
        .select(Barc10Row::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = stage_records)]
pub struct StageRow {
    pub id: i64,
    /// precontemplation, contemplation, preparation, action, maintenance
    #[schema(value_type = crate::assessments::stages::StageOfChange)]
    pub stage: String,
    pub recorded_on: NaiveDate,
    pub note: String,
}

impl StageRow {
    pub fn label(&self) -> &'static str {
        label_of::<StageOfChange>(&self.stage)
    }
    pub fn suggestions(&self) -> &'static [&'static str] {
        StageOfChange::parse(&self.stage)
            .map(|s| s.suggestions())
            .unwrap_or(&[])
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    /// precontemplation, contemplation, preparation, action, maintenance
    #[schema(value_type = crate::assessments::stages::StageOfChange)]
    pub stage: String,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub recorded_on: String,
    #[serde(default)]
    pub note: String,
}

pub fn record_stage(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    actor_id: i64,
    i: &StageInput,
) -> AppResult<StageRow> {
    let mut errs = Vec::new();
    let stage = collect(
        code("stage", &i.stage, StageOfChange::ALL, StageOfChange::as_str),
        &mut errs,
    );
    let on = collect(date("recorded_on", &i.recorded_on), &mut errs);
    let note = text("note", &i.note, false, 1000, &mut errs);
    let (stage, on) = done(stage.zip(on), errs)?;
    let row = StageRow {
        id: new_id(),
        stage: stage.as_str().into(),
        recorded_on: on,
        note,
    };
    diesel::insert_into(stage_records::table)
        .values((
            stage_records::id.eq(row.id),
            stage_records::org_id.eq(grant.org_id()),
            stage_records::participant_id.eq(grant.participant_id()),
            stage_records::stage.eq(&row.stage),
            stage_records::recorded_on.eq(row.recorded_on),
            stage_records::note.eq(&row.note),
            stage_records::created_by.eq(Some(actor_id)),
            stage_records::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(row)
}

pub fn stages(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<StageRow>> {
    Ok(stage_records::table
        .filter(stage_records::participant_id.eq(grant.participant_id()))
        .filter(stage_records::org_id.eq(grant.org_id()))
        .order((
            stage_records::recorded_on.desc(),
            stage_records::created_at.desc(),
        ))
        .select(StageRow::as_select())
        .load(conn)?)
}
