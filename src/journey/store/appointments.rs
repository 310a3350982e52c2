//! Appointments a participant has to keep (issue 18 item 4): with their supervising officer, for
//! a medication dose, or with their peer. The messages capability reminds them the day before
//! and on the day (`journey::upcoming`). Never replaced: a new day is a cancellation and a new
//! appointment, and an outcome (kept, missed, cancelled) is written once, with who and when.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::parse::{code, collect, text};
use crate::journey::rules::{AppointmentKind, AppointmentOutcome};
use crate::journey::schema::appointments;
use crate::platform::access::ParticipantGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields;
use crate::platform::ids::new_id;

/// An appointment on record.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = appointments)]
pub struct Appointment {
    pub id: i64,
    pub participant_id: i64,
    #[schema(value_type = AppointmentKind)]
    pub kind: String,
    pub scheduled_on: NaiveDate,
    /// The local time of day, `HH:MM`, or empty when only the day is known.
    pub starts_at: String,
    pub place: String,
    pub note: String,
    pub recorded_by: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub recorded_at: NaiveDateTime,
    /// Absent while the appointment is still ahead or not yet marked.
    #[schema(value_type = Option<AppointmentOutcome>)]
    pub outcome: Option<String>,
    pub outcome_note: String,
    pub outcome_by: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub outcome_at: Option<NaiveDateTime>,
}

impl Appointment {
    pub fn kind(&self) -> Option<AppointmentKind> {
        AppointmentKind::parse(&self.kind)
    }
    pub fn outcome(&self) -> Option<AppointmentOutcome> {
        self.outcome.as_deref().and_then(AppointmentOutcome::parse)
    }
}

/// An appointment as the API and the page send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentInput {
    #[schema(value_type = AppointmentKind)]
    pub kind: String,
    /// YYYY-MM-DD, today or later (on the programme's clock).
    pub scheduled_on: String,
    /// HH:MM (24 hours), local time; may be empty.
    #[serde(default)]
    pub starts_at: String,
    /// Where (at most 200 characters). Never put in a reminder.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub note: String,
}

/// A parsed appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppointment {
    pub kind: AppointmentKind,
    pub scheduled_on: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub place: String,
    pub note: String,
}

impl NewAppointment {
    /// Parse at the edge: every wrong field named at once. An appointment is made for today or
    /// a later day: one already past is recorded as a contact, not an appointment.
    pub fn parse(input: &AppointmentInput, today: NaiveDate) -> AppResult<NewAppointment> {
        let mut errs: Vec<FieldError> = Vec::new();
        let kind = collect(
            code(
                "kind",
                &input.kind,
                AppointmentKind::ALL,
                |k: &AppointmentKind| k.as_str(),
            ),
            &mut errs,
        );
        let scheduled_on = collect(fields::date("scheduled_on", &input.scheduled_on), &mut errs);
        if scheduled_on.is_some_and(|d| d < today) {
            errs.push(FieldError::keyed("scheduled_on", "error-in-the-past", &[]));
        }
        let starts_at = collect(
            fields::opt_time_of_day("starts_at", &input.starts_at),
            &mut errs,
        );
        let place = text("place", &input.place, false, 200, &mut errs);
        let note = text("note", &input.note, false, 2000, &mut errs);
        match (kind, scheduled_on, starts_at) {
            (Some(kind), Some(scheduled_on), Some(starts_at)) if errs.is_empty() => {
                Ok(NewAppointment {
                    kind,
                    scheduled_on,
                    starts_at,
                    place,
                    note,
                })
            }
            _ => Err(AppError::Invalid(errs)),
        }
    }
}

/// What became of an appointment, as the API and the page send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentOutcomeInput {
    #[schema(value_type = AppointmentOutcome)]
    pub outcome: String,
    #[serde(default)]
    pub note: String,
}

/// A parsed outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppointmentOutcome {
    pub outcome: AppointmentOutcome,
    pub note: String,
}

impl NewAppointmentOutcome {
    pub fn parse(input: &AppointmentOutcomeInput) -> AppResult<NewAppointmentOutcome> {
        let mut errs: Vec<FieldError> = Vec::new();
        let outcome = collect(
            code(
                "outcome",
                &input.outcome,
                AppointmentOutcome::ALL,
                |o: &AppointmentOutcome| o.as_str(),
            ),
            &mut errs,
        );
        let note = text("note", &input.note, false, 2000, &mut errs);
        match outcome {
            Some(outcome) if errs.is_empty() => Ok(NewAppointmentOutcome { outcome, note }),
            _ => Err(AppError::Invalid(errs)),
        }
    }
}

/// The participant's appointments: those still open first (soonest first), then the others
/// (newest first).
pub fn appointments(conn: &mut DbConn, g: &ParticipantGrant) -> AppResult<Vec<Appointment>> {
    let mut all: Vec<Appointment> = appointments::table
        .filter(appointments::participant_id.eq(g.participant_id()))
        .select(Appointment::as_select())
        .load(conn)?;
    all.sort_by(|a, b| {
        let open = |x: &Appointment| x.outcome.is_none();
        open(b).cmp(&open(a)).then_with(|| {
            let key = |x: &Appointment| (x.scheduled_on, x.starts_at.clone(), x.id);
            if open(a) {
                key(a).cmp(&key(b))
            } else {
                key(b).cmp(&key(a))
            }
        })
    });
    Ok(all)
}

/// Record an appointment.
pub fn add_appointment(
    tx: &mut Tx,
    g: &ParticipantGrant,
    by: i64,
    a: &NewAppointment,
    now: NaiveDateTime,
) -> AppResult<Appointment> {
    let id = new_id();
    diesel::insert_into(appointments::table)
        .values((
            appointments::id.eq(id),
            appointments::org_id.eq(g.org_id()),
            appointments::participant_id.eq(g.participant_id()),
            appointments::kind.eq(a.kind.as_str()),
            appointments::scheduled_on.eq(a.scheduled_on),
            appointments::starts_at.eq(a
                .starts_at
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default()),
            appointments::place.eq(&a.place),
            appointments::note.eq(&a.note),
            appointments::recorded_by.eq(Some(by)),
            appointments::recorded_at.eq(now),
        ))
        .execute(tx.conn())?;
    Ok(appointments::table
        .find(id)
        .select(Appointment::as_select())
        .first(tx.conn())?)
}

/// Write what became of one of the participant's appointments, once: an outcome already written
/// is never replaced (409), and an appointment is kept or missed only on or after its day.
pub fn record_appointment_outcome(
    tx: &mut Tx,
    g: &ParticipantGrant,
    appointment_id: i64,
    by: i64,
    o: &NewAppointmentOutcome,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Appointment> {
    let current: Appointment = appointments::table
        .filter(appointments::id.eq(appointment_id))
        .filter(appointments::participant_id.eq(g.participant_id()))
        .select(Appointment::as_select())
        .first(tx.conn())
        .optional()?
        .ok_or(AppError::NotFound)?;
    if current.outcome.is_some() {
        return Err(AppError::conflict(
            "error-appointment-outcome-recorded",
            &[],
        ));
    }
    if o.outcome != AppointmentOutcome::Cancelled && current.scheduled_on > today {
        return Err(AppError::Invalid(vec![FieldError::keyed(
            "outcome",
            "error-appointment-not-yet",
            &[("date", current.scheduled_on.to_string())],
        )]));
    }
    // Only an appointment without an outcome changes: two people marking it at once leave the
    // first one's answer, and the second is told.
    let changed = diesel::update(
        appointments::table
            .filter(appointments::id.eq(appointment_id))
            .filter(appointments::outcome.is_null()),
    )
    .set((
        appointments::outcome.eq(Some(o.outcome.as_str())),
        appointments::outcome_note.eq(&o.note),
        appointments::outcome_by.eq(Some(by)),
        appointments::outcome_at.eq(Some(now)),
    ))
    .execute(tx.conn())?;
    if changed == 0 {
        return Err(AppError::conflict(
            "error-appointment-outcome-recorded",
            &[],
        ));
    }
    Ok(appointments::table
        .find(appointment_id)
        .select(Appointment::as_select())
        .first(tx.conn())?)
}

/// For the caseload's engagement: the appointments of these people kept or missed on or after
/// `since`'s day, as (participant, day, when the outcome was written, kept). Cancelled ones say
/// nothing about the person and are left out.
pub fn appointment_outcomes_since(
    conn: &mut DbConn,
    participant_ids: &[i64],
    since: NaiveDateTime,
) -> AppResult<Vec<(i64, NaiveDate, NaiveDateTime, bool)>> {
    let rows: Vec<(i64, NaiveDate, Option<NaiveDateTime>, Option<String>)> = appointments::table
        .filter(appointments::participant_id.eq_any(participant_ids))
        .filter(appointments::scheduled_on.ge(since.date()))
        .filter(appointments::outcome.eq_any([
            AppointmentOutcome::Kept.as_str(),
            AppointmentOutcome::Missed.as_str(),
        ]))
        .select((
            appointments::participant_id,
            appointments::scheduled_on,
            appointments::outcome_at,
            appointments::outcome,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(pid, on, at, outcome)| {
            let kept = AppointmentOutcome::parse(outcome.as_deref()?)? == AppointmentOutcome::Kept;
            Some((pid, on, at?, kept))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input(kind: &str, on: &str, at: &str) -> AppointmentInput {
        AppointmentInput {
            kind: kind.into(),
            scheduled_on: on.into(),
            starts_at: at.into(),
            ..AppointmentInput::default()
        }
    }

    #[test]
    fn an_appointment_is_today_or_later_and_names_every_wrong_field() {
        let today = d("2026-12-02");
        let ok = NewAppointment::parse(&input("moud_dose", "2026-12-02", "08:15"), today).unwrap();
        assert_eq!(ok.kind, AppointmentKind::MoudDose);
        assert_eq!(ok.starts_at, NaiveTime::from_hms_opt(8, 15, 0));
        let no_time = NewAppointment::parse(&input("supervision", "2026-12-09", ""), today);
        assert_eq!(no_time.unwrap().starts_at, None);
        let Err(AppError::Invalid(errs)) =
            NewAppointment::parse(&input("dentist", "2026-12-01", "8h"), today)
        else {
            panic!("refused")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "scheduled_on", "starts_at"]);
    }

    #[test]
    fn an_outcome_is_one_of_three() {
        let ok = NewAppointmentOutcome::parse(&AppointmentOutcomeInput {
            outcome: "missed".into(),
            note: String::new(),
        });
        assert_eq!(ok.unwrap().outcome, AppointmentOutcome::Missed);
        let bad = NewAppointmentOutcome::parse(&AppointmentOutcomeInput {
            outcome: "late".into(),
            note: String::new(),
        });
        assert!(matches!(bad, Err(AppError::Invalid(e)) if e[0].field == "outcome"));
    }
}
