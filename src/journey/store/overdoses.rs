//! Overdoses the programme learns of, each dated, fatal or not, with how it became known (issue
//! 17 item 7). Never replaced: a correction is a new record and the note says why. The funder
//! outcomes (`reports::dashboard::outcomes`) count them within 14 days and 12 months of release.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::parse::{code, collect, text};
use crate::journey::rules::OverdoseSource;
use crate::journey::schema::overdoses;
use crate::platform::access::ParticipantGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields;
use crate::platform::ids::new_id;

/// An overdose on record.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = overdoses)]
pub struct Overdose {
    pub id: i64,
    pub participant_id: i64,
    pub occurred_on: NaiveDate,
    pub fatal: bool,
    #[schema(value_type = OverdoseSource)]
    pub source: String,
    pub note: String,
    pub recorded_by: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub recorded_at: NaiveDateTime,
}

/// An overdose as the API and the record page send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverdoseInput {
    /// YYYY-MM-DD, not in the future.
    pub occurred_on: String,
    #[serde(default)]
    pub fatal: bool,
    #[schema(value_type = OverdoseSource)]
    pub source: String,
    #[serde(default)]
    pub note: String,
}

/// A parsed overdose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOverdose {
    pub occurred_on: NaiveDate,
    pub fatal: bool,
    pub source: OverdoseSource,
    pub note: String,
}

impl NewOverdose {
    /// Parse at the edge: every wrong field named at once.
    pub fn parse(input: &OverdoseInput, today: NaiveDate) -> AppResult<NewOverdose> {
        let mut errs: Vec<FieldError> = Vec::new();
        let occurred_on = collect(fields::date("occurred_on", &input.occurred_on), &mut errs);
        if occurred_on.is_some_and(|d| d > today) {
            errs.push(FieldError::keyed("occurred_on", "error-in-the-future", &[]));
        }
        let source = collect(
            code(
                "source",
                &input.source,
                OverdoseSource::ALL,
                OverdoseSource::as_str,
            ),
            &mut errs,
        );
        let note = text("note", &input.note, false, 2000, &mut errs);
        match (occurred_on, source) {
            (Some(occurred_on), Some(source)) if errs.is_empty() => Ok(NewOverdose {
                occurred_on,
                fatal: input.fatal,
                source,
                note,
            }),
            _ => Err(AppError::Invalid(errs)),
        }
    }
}

/// The participant's overdoses, newest first.
pub fn overdoses(conn: &mut DbConn, g: &ParticipantGrant) -> AppResult<Vec<Overdose>> {
    Ok(overdoses::table
        .filter(overdoses::participant_id.eq(g.participant_id()))
        .order((overdoses::occurred_on.desc(), overdoses::id.desc()))
        .select(Overdose::as_select())
        .load(conn)?)
}

/// Record an overdose.
pub fn record_overdose(
    tx: &mut Tx,
    g: &ParticipantGrant,
    by: i64,
    o: &NewOverdose,
    now: NaiveDateTime,
) -> AppResult<Overdose> {
    let id = new_id();
    diesel::insert_into(overdoses::table)
        .values((
            overdoses::id.eq(id),
            overdoses::org_id.eq(g.org_id()),
            overdoses::participant_id.eq(g.participant_id()),
            overdoses::occurred_on.eq(o.occurred_on),
            overdoses::fatal.eq(o.fatal),
            overdoses::source.eq(o.source.as_str()),
            overdoses::note.eq(&o.note),
            overdoses::recorded_by.eq(Some(by)),
            overdoses::recorded_at.eq(now),
        ))
        .execute(tx.conn())?;
    Ok(overdoses::table
        .find(id)
        .select(Overdose::as_select())
        .first(tx.conn())?)
}
