//! GPRA interviews (stored as the interview's JSON, with timepoint and date as columns) and the
//! GPRA follow-up tracker: who is due, in the window, overdue or missed, and the live follow-up
//! rate against the 80% target (only interviews inside the window count; rules in `gpra.rs`).

use std::collections::{HashMap, HashSet};

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
    #[schema(value_type = crate::reports::gpra::Timepoint)]
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
        Err(v) => v,
    };
    if i.interview_on > today {
        errs.push(FieldError::keyed(
            "interview_on",
            "error-in-the-future",
            &[],
        ));
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
    #[schema(value_type = crate::reports::gpra::FollowUpKind)]
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

impl RateView {
    /// The rate as a percentage with one decimal (`81.3%`), or `–` while no one is due.
    pub fn percent(&self) -> String {
        self.rate
            .map(|r| format!("{:.1}%", r * 100.0))
            .unwrap_or_else(|| "–".into())
    }
}

/// Count of people per follow-up status.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    #[schema(value_type = crate::reports::gpra::FollowUpKind)]
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
///
/// Memory: the interviews are held as 16-byte keys sorted by person, and each person's episodes
/// arrive as one row folded into counts as it is read (`for_each_row!`), so no per-person record
/// of the whole programme is ever held: holding them took about 20 MB per 100,000 people, which
/// at 1,000,000 took the server over its 200 MB goal (bench/results/HISTORY.md, run 7b).
/// The tables the GPRA tracker reads (its report data version is theirs, decision 0056).
pub const TRACKER_READS: &[&str] = &["participants", "gpra_interviews", "episodes"];

pub fn tracker(conn: &mut DbConn, scope: ReportScope, today: NaiveDate) -> AppResult<Tracker> {
    use crate::platform::schema::participants;
    let merged: HashSet<i64> = participants::table
        .filter(participants::org_id.eq(scope.org_id()))
        .filter(participants::merged_into_id.is_not_null())
        .select(participants::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let mut interviews: Vec<InterviewKey> = Vec::new();
    crate::for_each_row!(
        &mut *conn,
        gpra_interviews::table
            .filter(gpra_interviews::org_id.eq(scope.org_id()))
            .select((
                gpra_interviews::participant_id,
                gpra_interviews::timepoint,
                gpra_interviews::interview_on,
            )),
        (i64, String, NaiveDate),
        |row| {
            let (participant_id, timepoint, on) = row;
            if let Some(timepoint) = Timepoint::parse(&timepoint)
                && !merged.contains(&participant_id)
            {
                interviews.push(InterviewKey {
                    participant_id,
                    on,
                    timepoint,
                    seen: false,
                });
            }
        }
    );
    interviews.sort_unstable_by_key(|i| (i.participant_id, i.on, i.timepoint));
    let mut fold = TrackerFold::new(today);
    let mut theirs: Vec<(Timepoint, NaiveDate)> = Vec::new();
    crate::for_each_row!(
        &mut *conn,
        diesel::sql_query(
            "SELECT ep.participant_id AS id, MIN(ep.started_on) AS first_start, \
             MAX(CASE WHEN ep.ended_on IS NULL THEN 1 ELSE 0 END) AS open, \
             MAX(ep.ended_on) AS last_end \
             FROM episodes ep WHERE ep.org_id = $1 GROUP BY ep.participant_id",
        )
        .bind::<BigInt, _>(scope.org_id()),
        EpisodeSpan,
        |span| {
            if merged.contains(&span.id) {
                continue;
            }
            let start = interviews.partition_point(|i| i.participant_id < span.id);
            let end = start + interviews[start..].partition_point(|i| i.participant_id == span.id);
            theirs.clear();
            for iv in &mut interviews[start..end] {
                iv.seen = true;
                theirs.push((iv.timepoint, iv.on));
            }
            fold.person(
                &PersonInput {
                    id: span.id,
                    name: String::new(),
                    first_start: span.first_start,
                    discharged_on: if span.open == 0 { span.last_end } else { None },
                },
                &theirs,
            );
        }
    );
    // People interviewed without an episode in the programme.
    for group in interviews.chunk_by(|a, b| a.participant_id == b.participant_id) {
        if group[0].seen {
            continue;
        }
        theirs.clear();
        theirs.extend(group.iter().map(|i| (i.timepoint, i.on)));
        fold.person(
            &PersonInput {
                id: group[0].participant_id,
                name: String::new(),
                first_start: None,
                discharged_on: None,
            },
            &theirs,
        );
    }
    drop(interviews);
    let mut t = fold.finish();
    name_rows(conn, scope, &mut t)?;
    Ok(t)
}

/// One GPRA interview as the tracker holds it (16 bytes).
#[derive(Debug, Clone, Copy)]
struct InterviewKey {
    participant_id: i64,
    on: NaiveDate,
    timepoint: Timepoint,
    /// Its person had an episode (counted with the episodes).
    seen: bool,
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
    let mut fold = TrackerFold::new(today);
    for p in people {
        fold.person(p, interviews.get(&p.id).map_or(&[][..], Vec::as_slice));
    }
    fold.finish()
}

/// The tracker built one person at a time: counts, the follow-up tally and the three lists, each
/// list kept to its first `LIST_LIMIT` rows as it grows.
#[derive(Debug)]
pub struct TrackerFold {
    today: NaiveDate,
    people: u64,
    intake_interviews: u64,
    six_month_interviews: u64,
    discharge_interviews: u64,
    discharged_without_interview: u64,
    tally: gpra::FollowUpTally,
    due_soon: Vec<TrackerRow>,
    in_window: Vec<TrackerRow>,
    missed: Vec<TrackerRow>,
}

impl TrackerFold {
    /// An empty tracker for `today`.
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            people: 0,
            intake_interviews: 0,
            six_month_interviews: 0,
            discharge_interviews: 0,
            discharged_without_interview: 0,
            tally: gpra::FollowUpTally::default(),
            due_soon: Vec::new(),
            in_window: Vec::new(),
            missed: Vec::new(),
        }
    }

    /// Count one person with their interviews (in any order). The 6-month interview that
    /// decides is the earliest inside the window, else the earliest.
    pub fn person(&mut self, p: &PersonInput, interviews: &[(Timepoint, NaiveDate)]) {
        let today = self.today;
        let of = |tp: Timepoint| {
            interviews
                .iter()
                .filter(move |(t, _)| *t == tp)
                .map(|(_, d)| *d)
        };
        let intake_iv = of(Timepoint::Intake).min();
        let Some(intake) = intake_iv.or(p.first_start) else {
            return;
        };
        self.people += 1;
        self.intake_interviews += u64::from(intake_iv.is_some());
        self.six_month_interviews += of(Timepoint::SixMonth).count() as u64;
        let has_dis = of(Timepoint::Discharge).next().is_some();
        self.discharge_interviews += u64::from(has_dis);
        if p.discharged_on.is_some() && !has_dis {
            self.discharged_without_interview += 1;
        }
        let w = gpra::six_month_window(intake);
        let interview = of(Timepoint::SixMonth)
            .filter(|d| w.contains(*d))
            .min()
            .or_else(|| of(Timepoint::SixMonth).min());
        let status = gpra::six_month_status(intake, interview, p.discharged_on, today);
        self.tally.add(status);
        let row = |overdue: bool, days: Option<i64>| TrackerRow {
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
                self.due_soon.push(row(false, Some(opens_in_days)));
                if self.due_soon.len() >= 4 * LIST_LIMIT {
                    keep_first(&mut self.due_soon, soonest);
                }
            }
            FollowUpStatus::InWindow {
                days_left,
                past_due,
            } => {
                self.in_window.push(row(past_due, Some(days_left)));
                if self.in_window.len() >= 4 * LIST_LIMIT {
                    keep_first(&mut self.in_window, soonest);
                }
            }
            FollowUpStatus::Missed if (today - w.closes).num_days() <= 90 => {
                self.missed.push(row(false, None));
                if self.missed.len() >= 4 * LIST_LIMIT {
                    keep_first(&mut self.missed, latest_closed);
                }
            }
            _ => {}
        }
    }

    /// The tracker of everyone counted.
    pub fn finish(mut self) -> Tracker {
        keep_first(&mut self.due_soon, soonest);
        keep_first(&mut self.in_window, soonest);
        keep_first(&mut self.missed, latest_closed);
        let r = self.tally.rate();
        let statuses = gpra::FollowUpKind::ALL
            .iter()
            .map(|k| StatusCount {
                status: k.as_str().into(),
                label: k.label().into(),
                count: self.tally.count(*k),
            })
            .collect();
        Tracker {
            today: self.today,
            people: self.people,
            intake_interviews: self.intake_interviews,
            six_month_interviews: self.six_month_interviews,
            discharge_interviews: self.discharge_interviews,
            discharged_without_interview: self.discharged_without_interview,
            rate: RateView {
                numerator: r.numerator,
                denominator: r.denominator,
                pending: r.pending,
                not_applicable: r.not_applicable,
                rate: r.rate,
                target: gpra::TARGET,
                meets_target: r.meets_target,
            },
            statuses,
            due_soon: self.due_soon,
            in_window: self.in_window,
            missed: self.missed,
        }
    }
}

/// Order of the due-soon and in-window lists: fewest days first.
fn soonest(r: &TrackerRow) -> (Option<i64>, i64) {
    (r.days, r.participant_id)
}

/// Order of the missed list: most recently closed first.
fn latest_closed(r: &TrackerRow) -> (std::cmp::Reverse<NaiveDate>, i64) {
    (std::cmp::Reverse(r.closes), r.participant_id)
}

/// Sort a list by `key` and keep its first `LIST_LIMIT` rows.
fn keep_first<K: Ord>(rows: &mut Vec<TrackerRow>, key: fn(&TrackerRow) -> K) {
    rows.sort_unstable_by_key(key);
    rows.truncate(LIST_LIMIT);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::test_dates::date as d;

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

    #[test]
    fn the_deciding_six_month_interview_does_not_depend_on_order() {
        let today = d("2026-11-23");
        let p = PersonInput {
            id: 7,
            name: String::new(),
            first_start: Some(d("2026-01-10")),
            discharged_on: None,
        };
        // The window of a 10 January intake: 10 June to 9 September.
        let early = (Timepoint::SixMonth, d("2026-03-01"));
        let inside = (Timepoint::SixMonth, d("2026-07-15"));
        for ivs in [vec![early, inside], vec![inside, early]] {
            let mut f = TrackerFold::new(today);
            f.person(&p, &ivs);
            let t = f.finish();
            assert_eq!((t.rate.numerator, t.rate.denominator), (1, 1), "{ivs:?}");
            assert_eq!(t.six_month_interviews, 2);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// The fold keeps each list to its first rows as it grows; what it returns must be what
        /// sorting everyone at the end gives, whatever the order people arrive in.
        #[test]
        fn the_fold_keeps_the_lists_that_sorting_everyone_gives(
            drawn in proptest::collection::vec(
                (
                    // Bands that fill each list past the point where the fold prunes it.
                    proptest::prop_oneof![1 => 0i64..420, 2 => 122i64..152, 2 => 155i64..240, 2 => 250i64..330],
                    proptest::option::weighted(0.2, 150i64..300),
                    proptest::option::weighted(0.1, 0i64..400),
                ),
                4600..5600,
            )
        ) {
            let today = d("2026-11-23");
            let people: Vec<PersonInput> = drawn
                .iter()
                .enumerate()
                .map(|(i, (ago, _, dis))| {
                    let start = today - chrono::Duration::days(*ago);
                    PersonInput {
                        id: i as i64 + 1,
                        name: String::new(),
                        first_start: Some(start),
                        discharged_on: dis
                            .map(|x| start + chrono::Duration::days(x))
                            .filter(|x| *x <= today),
                    }
                })
                .collect();
            let mut ivs: HashMap<i64, Vec<(Timepoint, NaiveDate)>> = HashMap::new();
            for (p, (_, six, _)) in people.iter().zip(&drawn) {
                if let (Some(six), Some(start)) = (six, p.first_start) {
                    let on = start + chrono::Duration::days(*six);
                    if on <= today {
                        ivs.insert(p.id, vec![(Timepoint::SixMonth, on)]);
                    }
                }
            }
            // The reference: every person's status, every list sorted whole, then cut.
            let (mut due, mut open, mut missed) = (Vec::new(), Vec::new(), Vec::new());
            let mut kinds: HashMap<&str, u64> = HashMap::new();
            for p in &people {
                let start = p.first_start.unwrap();
                let w = gpra::six_month_window(start);
                let six = ivs.get(&p.id).map(|v| v[0].1);
                let st = gpra::six_month_status(start, six, p.discharged_on, today);
                *kinds.entry(st.as_str()).or_default() += 1;
                match st {
                    FollowUpStatus::NotYetDue { opens_in_days } if opens_in_days <= 30 => {
                        due.push((opens_in_days, p.id));
                    }
                    FollowUpStatus::InWindow { days_left, .. } => open.push((days_left, p.id)),
                    FollowUpStatus::Missed if (today - w.closes).num_days() <= 90 => {
                        missed.push((std::cmp::Reverse(w.closes), p.id));
                    }
                    _ => {}
                }
            }
            due.sort_unstable();
            open.sort_unstable();
            missed.sort();
            let ids = |v: &[TrackerRow]| v.iter().map(|r| r.participant_id).collect::<Vec<_>>();
            let first = |v: Vec<i64>| v.into_iter().take(LIST_LIMIT).collect::<Vec<_>>();
            let t = shape_tracker(&people, &ivs, today);
            for list in [&due, &open] {
                proptest::prop_assert!(list.len() >= 4 * LIST_LIMIT, "{} rows", list.len());
            }
            proptest::prop_assert!(missed.len() >= 4 * LIST_LIMIT, "{} missed", missed.len());
            proptest::prop_assert_eq!(ids(&t.due_soon), first(due.iter().map(|x| x.1).collect()));
            proptest::prop_assert_eq!(ids(&t.in_window), first(open.iter().map(|x| x.1).collect()));
            proptest::prop_assert_eq!(ids(&t.missed), first(missed.iter().map(|x| x.1).collect()));
            for c in &t.statuses {
                proptest::prop_assert_eq!(c.count, kinds.get(c.status.as_str()).copied().unwrap_or(0));
            }
            proptest::prop_assert_eq!(t.people, people.len() as u64);
            let mut reversed = people.clone();
            reversed.reverse();
            let r = shape_tracker(&reversed, &ivs, today);
            proptest::prop_assert_eq!(
                serde_json::to_string(&r).unwrap(),
                serde_json::to_string(&t).unwrap()
            );
        }
    }
}
