//! GPRA interviews (stored as the interview's JSON, with timepoint and date as columns) and the
//! GPRA follow-up tracker: who is due, in the window, overdue or missed, and the live follow-up
//! rate against the 80% target (only interviews inside the window count; rules in `gpra.rs`).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable};
use serde::Serialize;

use super::gpra::{self, FollowUpStatus, GpraInterview, Timepoint};
use super::schema::gpra_interviews;
use crate::platform::access::{ParticipantGrant, ReportScope};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::time;

/// One stored GPRA interview.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GpraRecord {
    pub id: i64,
    pub participant_id: i64,
    /// intake, six_month, discharge
    pub timepoint: String,
    pub interview_on: NaiveDate,
    /// The answers, by section (see `reports::gpra::GpraInterview`).
    #[schema(value_type = Object)]
    pub interview: GpraInterview,
}

/// Check an interview: the rules' own validation, and no date in the future.
pub fn validate(i: &GpraInterview, today: NaiveDate) -> AppResult<()> {
    let mut errs: Vec<FieldError> = match i.validate() {
        Ok(()) => Vec::new(),
        Err(v) => v.into_iter().map(|(f, m)| FieldError::new(f, m)).collect(),
    };
    if i.interview_on > today {
        errs.push(FieldError::new("interview_on", "is in the future"));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errs))
    }
}

/// Record an interview for the participant of `grant` (validated by the caller).
pub fn record(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    actor_id: Option<i64>,
    i: &GpraInterview,
) -> AppResult<GpraRecord> {
    let id = new_id();
    let answers = serde_json::to_string(i).map_err(AppError::internal)?;
    diesel::insert_into(gpra_interviews::table)
        .values((
            gpra_interviews::id.eq(id),
            gpra_interviews::org_id.eq(grant.org_id()),
            gpra_interviews::participant_id.eq(grant.participant_id()),
            gpra_interviews::timepoint.eq(i.timepoint.as_str()),
            gpra_interviews::interview_on.eq(i.interview_on),
            gpra_interviews::answers.eq(answers),
            gpra_interviews::created_by.eq(actor_id),
            gpra_interviews::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(GpraRecord {
        id,
        participant_id: grant.participant_id(),
        timepoint: i.timepoint.as_str().into(),
        interview_on: i.interview_on,
        interview: i.clone(),
    })
}

/// The participant's interviews, oldest first.
pub fn interviews(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<GpraRecord>> {
    let rows: Vec<(i64, String, NaiveDate, String)> = gpra_interviews::table
        .filter(gpra_interviews::participant_id.eq(grant.participant_id()))
        .filter(gpra_interviews::org_id.eq(grant.org_id()))
        .order((gpra_interviews::interview_on, gpra_interviews::id))
        .select((
            gpra_interviews::id,
            gpra_interviews::timepoint,
            gpra_interviews::interview_on,
            gpra_interviews::answers,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, timepoint, interview_on, answers)| {
            Ok(GpraRecord {
                id,
                participant_id: grant.participant_id(),
                timepoint,
                interview_on,
                interview: serde_json::from_str(&answers).map_err(AppError::internal)?,
            })
        })
        .collect()
}

/// The first episode's start: the intake date when there is no intake interview.
pub fn first_episode_start(
    conn: &mut DbConn,
    grant: &ParticipantGrant,
) -> AppResult<Option<NaiveDate>> {
    use crate::journey::schema::episodes;
    Ok(episodes::table
        .filter(episodes::participant_id.eq(grant.participant_id()))
        .select(diesel::dsl::min(episodes::started_on))
        .first::<Option<NaiveDate>>(conn)?)
}

// ---------------------------------------------------------------------------------------------
// Tracker
// ---------------------------------------------------------------------------------------------

#[derive(QueryableByName, Debug)]
struct EpisodeSpan {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Date>)]
    first_start: Option<NaiveDate>,
    #[diesel(sql_type = Integer)]
    open: i32,
    #[diesel(sql_type = Nullable<Date>)]
    last_end: Option<NaiveDate>,
}

/// One person on the tracker.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrackerRow {
    pub participant_id: i64,
    pub name: String,
    pub intake_on: NaiveDate,
    pub opens: NaiveDate,
    pub due_on: NaiveDate,
    pub closes: NaiveDate,
    /// not_yet_due, in_window, missed, completed_in_window, completed_out_of_window, not_applicable
    pub status: String,
    /// In the window past the due date (still valid, but late).
    pub overdue: bool,
    /// Days until the window opens (not yet due) or closes (in window).
    pub days: Option<i64>,
}

/// The live 6-month follow-up rate (`reports::gpra::follow_up_rate`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RateView {
    pub numerator: u64,
    pub denominator: u64,
    pub pending: u64,
    pub not_applicable: u64,
    pub rate: Option<f64>,
    pub target: f64,
    pub meets_target: Option<bool>,
}

/// Count of people per follow-up status.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    pub status: String,
    pub label: String,
    pub count: u64,
}

/// The GPRA tracker of one programme.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Tracker {
    pub today: NaiveDate,
    /// People with an intake date (intake interview, or first episode start).
    pub people: u64,
    pub intake_interviews: u64,
    pub six_month_interviews: u64,
    pub discharge_interviews: u64,
    /// Discharged (no open episode) without a discharge interview.
    pub discharged_without_interview: u64,
    pub rate: RateView,
    pub statuses: Vec<StatusCount>,
    /// Window opens within 30 days.
    pub due_soon: Vec<TrackerRow>,
    /// Window open, not yet interviewed (soonest to close first).
    pub in_window: Vec<TrackerRow>,
    /// Window closed in the last 90 days without an interview.
    pub missed: Vec<TrackerRow>,
}

/// Rows shown per list on the tracker.
pub const LIST_LIMIT: usize = 200;

/// The tracker for the programme on `today`. Everyone with an episode or an interview in the
/// programme is counted from the episodes' and interviews' own organisation indexes; names are
/// read only for the people the lists show (reading all 100,000 participants' rows to name them
/// took more than a second at state scale).
pub fn tracker(conn: &mut DbConn, scope: ReportScope, today: NaiveDate) -> AppResult<Tracker> {
    let spans: Vec<EpisodeSpan> = diesel::sql_query(
        "SELECT ep.participant_id AS id, MIN(ep.started_on) AS first_start, \
         MAX(CASE WHEN ep.ended_on IS NULL THEN 1 ELSE 0 END) AS open, \
         MAX(ep.ended_on) AS last_end \
         FROM episodes ep WHERE ep.org_id = $1 GROUP BY ep.participant_id",
    )
    .bind::<BigInt, _>(scope.org_id())
    .load(conn)?;
    let merged: std::collections::HashSet<i64> = crate::platform::schema::participants::table
        .filter(crate::platform::schema::participants::org_id.eq(scope.org_id()))
        .filter(crate::platform::schema::participants::merged_into_id.is_not_null())
        .select(crate::platform::schema::participants::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let ivs: Vec<(i64, String, NaiveDate)> = gpra_interviews::table
        .filter(gpra_interviews::org_id.eq(scope.org_id()))
        .select((
            gpra_interviews::participant_id,
            gpra_interviews::timepoint,
            gpra_interviews::interview_on,
        ))
        .load(conn)?;
    let mut by: HashMap<i64, Vec<(Timepoint, NaiveDate)>> = HashMap::new();
    for (pid, tp, on) in ivs {
        if let Some(tp) = Timepoint::parse(&tp) {
            by.entry(pid).or_default().push((tp, on));
        }
    }
    let mut people: Vec<PersonInput> = spans
        .into_iter()
        .map(|r| PersonInput {
            id: r.id,
            name: String::new(),
            first_start: r.first_start,
            discharged_on: if r.open == 0 { r.last_end } else { None },
        })
        .collect();
    let with_episode: std::collections::HashSet<i64> = people.iter().map(|p| p.id).collect();
    let mut interviewed_only: Vec<i64> = by
        .keys()
        .copied()
        .filter(|id| !with_episode.contains(id))
        .collect();
    interviewed_only.sort_unstable();
    people.extend(interviewed_only.into_iter().map(|id| PersonInput {
        id,
        name: String::new(),
        first_start: None,
        discharged_on: None,
    }));
    people.retain(|p| !merged.contains(&p.id));
    let mut t = shape_tracker(&people, &by, today);
    name_rows(conn, scope, &mut t)?;
    Ok(t)
}

/// Fill in the names of the people the tracker's lists show.
fn name_rows(conn: &mut DbConn, scope: ReportScope, t: &mut Tracker) -> AppResult<()> {
    use crate::platform::schema::participants;
    let ids: Vec<i64> = t
        .due_soon
        .iter()
        .chain(&t.in_window)
        .chain(&t.missed)
        .map(|r| r.participant_id)
        .collect();
    let mut names: HashMap<i64, String> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String, String)> = participants::table
            .filter(participants::id.eq_any(chunk))
            .filter(participants::org_id.eq(scope.org_id()))
            .select((
                participants::id,
                participants::first_name,
                participants::last_name,
            ))
            .load(conn)?;
        names.extend(
            rows.into_iter()
                .map(|(id, first, last)| (id, format!("{first} {last}"))),
        );
    }
    for r in t
        .due_soon
        .iter_mut()
        .chain(t.in_window.iter_mut())
        .chain(t.missed.iter_mut())
    {
        if let Some(n) = names.get(&r.participant_id) {
            r.name = n.clone();
        }
    }
    Ok(())
}

/// What the tracker needs to know of one person.
#[derive(Debug, Clone)]
pub struct PersonInput {
    pub id: i64,
    pub name: String,
    pub first_start: Option<NaiveDate>,
    /// The last episode's end when no episode is open.
    pub discharged_on: Option<NaiveDate>,
}

/// The tracker from people and their interviews (pure).
pub fn shape_tracker(
    people: &[PersonInput],
    interviews: &HashMap<i64, Vec<(Timepoint, NaiveDate)>>,
    today: NaiveDate,
) -> Tracker {
    let mut statuses = Vec::new();
    let (mut due_soon, mut in_window, mut missed) = (Vec::new(), Vec::new(), Vec::new());
    let (mut n_people, mut n_intake, mut n_six, mut n_dis, mut dis_without) = (0, 0, 0, 0, 0);
    let empty = Vec::new();
    for p in people {
        let ivs = interviews.get(&p.id).unwrap_or(&empty);
        let of = |tp: Timepoint| ivs.iter().filter(move |(t, _)| *t == tp).map(|(_, d)| *d);
        let intake_iv = of(Timepoint::Intake).min();
        let Some(intake) = intake_iv.or(p.first_start) else {
            continue;
        };
        n_people += 1;
        n_intake += u64::from(intake_iv.is_some());
        n_six += of(Timepoint::SixMonth).count() as u64;
        let has_dis = of(Timepoint::Discharge).next().is_some();
        n_dis += u64::from(has_dis);
        if p.discharged_on.is_some() && !has_dis {
            dis_without += 1;
        }
        let w = gpra::six_month_window(intake);
        let six: Vec<NaiveDate> = of(Timepoint::SixMonth).collect();
        let interview = six
            .iter()
            .copied()
            .find(|d| w.contains(*d))
            .or_else(|| six.first().copied());
        let status = gpra::six_month_status(intake, interview, p.discharged_on, today);
        statuses.push(status);
        let row = |status: &FollowUpStatus, overdue: bool, days: Option<i64>| TrackerRow {
            participant_id: p.id,
            name: p.name.clone(),
            intake_on: intake,
            opens: w.opens,
            due_on: w.due,
            closes: w.closes,
            status: status.as_str().into(),
            overdue,
            days,
        };
        match status {
            FollowUpStatus::NotYetDue { opens_in_days } if opens_in_days <= 30 => {
                due_soon.push(row(&status, false, Some(opens_in_days)))
            }
            FollowUpStatus::InWindow {
                days_left,
                past_due,
            } => in_window.push(row(&status, past_due, Some(days_left))),
            FollowUpStatus::Missed if (today - w.closes).num_days() <= 90 => {
                missed.push(row(&status, false, None))
            }
            _ => {}
        }
    }
    due_soon.sort_by_key(|r| (r.days, r.participant_id));
    in_window.sort_by_key(|r| (r.days, r.participant_id));
    missed.sort_by_key(|r| (std::cmp::Reverse(r.closes), r.participant_id));
    due_soon.truncate(LIST_LIMIT);
    in_window.truncate(LIST_LIMIT);
    missed.truncate(LIST_LIMIT);
    let r = gpra::follow_up_rate(&statuses);
    let counts = gpra::FollowUpKind::ALL
        .iter()
        .map(|k| StatusCount {
            status: k.as_str().into(),
            label: k.label().into(),
            count: statuses.iter().filter(|s| s.kind() == *k).count() as u64,
        })
        .collect();
    Tracker {
        today,
        people: n_people,
        intake_interviews: n_intake,
        six_month_interviews: n_six,
        discharge_interviews: n_dis,
        discharged_without_interview: dis_without,
        rate: RateView {
            numerator: r.numerator,
            denominator: r.denominator,
            pending: r.pending,
            not_applicable: r.not_applicable,
            rate: r.rate,
            target: gpra::TARGET,
            meets_target: r.meets_target,
        },
        statuses: counts,
        due_soon,
        in_window,
        missed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn tracker_counts_only_in_window_interviews() {
        let p = |id, start: &str| PersonInput {
            id,
            name: format!("P{id}"),
            first_start: Some(d(start)),
            discharged_on: None,
        };
        let people = vec![
            p(1, "2026-01-10"),
            p(2, "2026-01-10"),
            p(3, "2026-01-10"),
            p(4, "2026-05-01"),
        ];
        let mut ivs = HashMap::new();
        ivs.insert(1, vec![(Timepoint::SixMonth, d("2026-07-15"))]);
        ivs.insert(2, vec![(Timepoint::SixMonth, d("2026-10-01"))]);
        let t = shape_tracker(&people, &ivs, d("2026-11-23"));
        assert_eq!(
            (t.rate.numerator, t.rate.denominator, t.rate.pending),
            (1, 3, 1)
        );
        assert_eq!(t.in_window.len(), 1);
        assert_eq!(t.in_window[0].participant_id, 4);
        assert!(t.in_window[0].overdue);
        assert_eq!(t.missed.len(), 1, "closed 76 days ago");
        assert_eq!(t.missed[0].participant_id, 3);
    }
}
