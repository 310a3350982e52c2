//! The programme dashboard: aggregate queries (GROUP BY in SQL, index-friendly, over
//! `&mut DbConn` with a [`Filter`]) and the pure shaping of their results into [`Chart`]s: the
//! numbers as a table (for the page, the JSON API and CSV) and hand-written SVG.
//!
//! Every query binds the same parameters in the same order (`$1` organisation, `$2` facility,
//! `$3` setting, `$4` peer, `$5` from, `$6` to), each first used in that order (SQLite numbers
//! named parameters by first appearance).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text, Timestamp};
use serde::Serialize;

use super::charts;
use super::stats;
use crate::journey::rules::{DischargeReason, FollowUpPoint, ReferralType, Setting};
use crate::platform::db::DbConn;
use crate::platform::error::AppResult;

/// What the dashboard shows: one organisation, optionally one facility, setting or peer, and a
/// period (`from..=to`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Filter {
    #[serde(skip)]
    pub org_id: i64,
    pub facility_id: Option<i64>,
    /// short_term, medium_term, long_term, community
    #[schema(value_type = Option<crate::journey::rules::Setting>)]
    pub setting: Option<String>,
    /// The assigned peer (user id).
    pub peer_id: Option<i64>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One chart: its numbers as a table (every cell a string, as shown), and its SVG drawings.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Chart {
    /// Stable name, used in `?chart=` for CSV.
    pub name: String,
    pub title: String,
    /// What the numbers mean.
    pub note: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    #[serde(skip)]
    pub svgs: Vec<String>,
}

impl Chart {
    /// The table as CSV.
    pub fn csv(&self) -> AppResult<String> {
        let mut w = crate::platform::csv_safe::Writer::from_writer(Vec::new());
        w.write_record(&self.columns)
            .map_err(crate::platform::error::AppError::internal)?;
        for r in &self.rows {
            w.write_record(r)
                .map_err(crate::platform::error::AppError::internal)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| crate::platform::error::AppError::internal(anyhow::anyhow!("{e}")))?;
        String::from_utf8(bytes).map_err(crate::platform::error::AppError::internal)
    }
}

/// The chart names, in page order.
pub const CHARTS: &[&str] = &[
    "enrolments",
    "releases",
    "first_contact_days",
    "linkage",
    "barc10",
    "followups",
    "recidivism",
    "overdose",
    "discharges",
];

/// One headline figure.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Figure {
    pub label: String,
    pub value: String,
}

/// The whole dashboard.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub filter: Filter,
    /// Headline figures.
    pub headline: Vec<Figure>,
    pub charts: Vec<Chart>,
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

#[derive(QueryableByName, Debug)]
struct KeyCount {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName, Debug)]
struct DayKeyCount {
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// One release and the first completed contact at or after it.
#[derive(QueryableByName, Debug, Clone)]
pub struct ReleaseRow {
    #[diesel(sql_type = Timestamp)]
    pub released_at: NaiveDateTime,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub first_contact: Option<NaiveDateTime>,
}

#[derive(QueryableByName, Debug)]
struct LinkRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    linked: Option<NaiveDate>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName, Debug)]
struct KeyTwo {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = BigInt)]
    a: i64,
    #[diesel(sql_type = BigInt)]
    b: i64,
}

// Each query names every parameter `$1`..`$4` in order even when the filter leaves it unused
// (`$4 IS NULL`): SQLite numbers parameters by first use, so the binds stay in one order. A
// table is joined only when a filter needs it: joining every row to its participant to test a
// peer filter that is not set made each aggregate read the participants table at random (at
// 100,000 participants, 200 ms against 10 ms without the join).

/// `$4`: the peer filter, on the participant `p` (joined only when the filter is set).
fn peer_cond(f: &Filter) -> &'static str {
    if f.peer_id.is_some() {
        "p.assigned_peer_id = $4"
    } else {
        "$4 IS NULL"
    }
}

/// Episodes (`ep`, with their participant `p` when the peer filter needs it), narrowed by
/// `$1`..`$4`.
fn ep_from(f: &Filter) -> String {
    format!(
        "FROM episodes ep {} WHERE ep.org_id = $1 AND ($2 IS NULL OR ep.facility_id = $2) \
         AND ($3 IS NULL OR ep.setting = $3) AND {}",
        if f.peer_id.is_some() {
            "JOIN participants p ON p.id = ep.participant_id"
        } else {
            ""
        },
        peer_cond(f)
    )
}

/// `JOIN participants p` on `{pid}` when the peer filter needs it.
fn person_join(f: &Filter, pid: &str) -> String {
    if f.peer_id.is_some() {
        format!("JOIN participants p ON p.id = {pid}")
    } else {
        String::new()
    }
}

/// A participant (whose id is `{pid}`) narrowed by `$2`..`$4`: facility and setting mean
/// "has an episode there".
fn person_scope(f: &Filter, pid: &str) -> String {
    format!(
        "(($2 IS NULL AND $3 IS NULL) OR EXISTS (SELECT 1 FROM episodes x WHERE \
         x.participant_id = {pid} AND ($2 IS NULL OR x.facility_id = $2) \
         AND ($3 IS NULL OR x.setting = $3))) AND {}",
        peer_cond(f)
    )
}

/// Follow-ups (`f`, with their episode `ep` when facility or setting is asked for and their
/// participant `p` when the peer is), narrowed by `$1`..`$4`.
fn fu_from(f: &Filter) -> String {
    let by_episode = f.facility_id.is_some() || f.setting.is_some();
    format!(
        "FROM followups f {} {} WHERE f.org_id = $1 AND {} AND {}",
        if by_episode {
            "JOIN episodes ep ON ep.id = f.episode_id"
        } else {
            ""
        },
        person_join(f, "f.participant_id"),
        if by_episode {
            "($2 IS NULL OR ep.facility_id = $2) AND ($3 IS NULL OR ep.setting = $3)"
        } else {
            "$2 IS NULL AND $3 IS NULL"
        },
        peer_cond(f)
    )
}

macro_rules! filtered {
    ($sql:expr, $f:expr) => {
        diesel::sql_query($sql)
            .bind::<BigInt, _>($f.org_id)
            .bind::<Nullable<BigInt>, _>($f.facility_id)
            .bind::<Nullable<Text>, _>($f.setting.clone())
            .bind::<Nullable<BigInt>, _>($f.peer_id)
    };
}

macro_rules! dated {
    ($sql:expr, $f:expr) => {
        filtered!($sql, $f)
            .bind::<Date, _>($f.from)
            .bind::<Date, _>($f.to)
    };
}

/// Episodes active just before `from`, by setting; then starts and ends per day in the period.
pub fn enrolment_counts(conn: &mut DbConn, f: &Filter) -> AppResult<EnrolmentCounts> {
    let ep = ep_from(f);
    let base: Vec<KeyCount> = dated!(
        format!(
            "SELECT ep.setting AS key, COUNT(*) AS n {ep} AND ep.started_on < $5 \
             AND (ep.ended_on IS NULL OR ep.ended_on >= $5) AND ep.started_on <= $6 \
             GROUP BY ep.setting"
        ),
        f
    )
    .load(conn)?;
    let started: Vec<DayKeyCount> = dated!(
        format!(
            "SELECT ep.started_on AS day, ep.setting AS key, COUNT(*) AS n {ep} \
             AND ep.started_on >= $5 AND ep.started_on <= $6 GROUP BY ep.started_on, ep.setting"
        ),
        f
    )
    .load(conn)?;
    let ended: Vec<DayKeyCount> = dated!(
        format!(
            "SELECT ep.ended_on AS day, ep.setting AS key, COUNT(*) AS n {ep} \
             AND ep.ended_on >= $5 AND ep.ended_on <= $6 GROUP BY ep.ended_on, ep.setting"
        ),
        f
    )
    .load(conn)?;
    Ok(EnrolmentCounts {
        base: base.into_iter().map(|r| (r.key, r.n)).collect(),
        started: started.into_iter().map(|r| (r.day, r.key, r.n)).collect(),
        ended: ended.into_iter().map(|r| (r.day, r.key, r.n)).collect(),
    })
}

/// Raw counts behind the enrolment chart.
pub struct EnrolmentCounts {
    pub base: Vec<(String, i64)>,
    pub started: Vec<(NaiveDate, String, i64)>,
    pub ended: Vec<(NaiveDate, String, i64)>,
}

/// Releases in the period with the first completed contact after each.
pub fn releases(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<ReleaseRow>> {
    let from = f.from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let to = (f.to + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    let ep = ep_from(f);
    Ok(filtered!(
        format!(
            "SELECT ep.released_at AS released_at, (SELECT MIN(e.occurred_at) FROM encounters e \
             WHERE e.participant_id = ep.participant_id AND e.outcome = 'completed' \
             AND e.occurred_at >= ep.released_at) AS first_contact {ep} \
             AND ep.released_at >= $5 AND ep.released_at < $6"
        ),
        f
    )
    .bind::<Timestamp, _>(from)
    .bind::<Timestamp, _>(to)
    .load(conn)?)
}

fn linkage_rows(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<LinkRow>> {
    Ok(dated!(
        format!(
            "SELECT r.referral_type AS key, r.referred_on AS day, r.linked_on AS linked, \
             COUNT(*) AS n FROM referrals r {} \
             WHERE r.org_id = $1 AND {} AND r.referred_on >= $5 AND r.referred_on <= $6 \
             GROUP BY r.referral_type, r.referred_on, r.linked_on",
            person_join(f, "r.participant_id"),
            person_scope(f, "r.participant_id")
        ),
        f
    )
    .load(conn)?)
}

#[derive(QueryableByName, Debug)]
struct ScoreRow {
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = Integer)]
    total: i32,
}

/// First and latest BARC-10 total of everyone assessed at least twice in the period, counted by
/// pair. The scores come ordered by participant and date and are paired here: one ordered read of
/// the organisation's index, where two window functions over the same rows cost 2.5 times as
/// much at 100,000 participants.
fn barc_pairs(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<(u8, u8, i64)>> {
    let scores: Vec<ScoreRow> = dated!(
        format!(
            "SELECT a.participant_id AS pid, a.total AS total FROM barc10_assessments a {} \
             WHERE a.org_id = $1 AND {} AND a.taken_on >= $5 AND a.taken_on <= $6 \
             ORDER BY a.participant_id, a.taken_on, a.id",
            person_join(f, "a.participant_id"),
            person_scope(f, "a.participant_id")
        ),
        f
    )
    .load(conn)?;
    Ok(pair_scores(
        scores.iter().map(|r| (r.pid, r.total.clamp(0, 255) as u8)),
    ))
}

/// Count (first, latest) pairs over scores ordered by participant then date (pure).
pub fn pair_scores(scores: impl IntoIterator<Item = (i64, u8)>) -> Vec<(u8, u8, i64)> {
    let mut counts: std::collections::BTreeMap<(u8, u8), i64> =
        std::collections::BTreeMap::default();
    let mut run: Option<(i64, u8, u8, usize)> = None;
    let mut close = |run: Option<(i64, u8, u8, usize)>| {
        if let Some((_, first, last, n)) = run
            && n >= 2
        {
            *counts.entry((first, last)).or_default() += 1;
        }
    };
    for (pid, total) in scores {
        run = match run {
            Some((p, first, _, n)) if p == pid => Some((p, first, total, n + 1)),
            other => {
                close(other);
                Some((pid, total, total, 1))
            }
        };
    }
    close(run);
    counts.into_iter().map(|((a, b), n)| (a, b, n)).collect()
}

fn followup_rows(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<KeyTwo>> {
    let fu = fu_from(f);
    Ok(dated!(
        format!(
            "SELECT f.point AS key, COUNT(*) AS n, \
             SUM(CASE WHEN f.completed_on IS NOT NULL THEN 1 ELSE 0 END) AS a, \
             SUM(CASE WHEN f.completed_on IS NOT NULL AND f.completed_on <= f.due_on THEN 1 ELSE 0 END) AS b \
             {fu} AND f.due_on >= $5 AND f.due_on <= $6 GROUP BY f.point"
        ),
        f
    )
    .load(conn)?)
}

fn recidivism_rows(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<KeyTwo>> {
    let ever = |col: &str| {
        format!(
            "SUM(CASE WHEN EXISTS (SELECT 1 FROM followups g WHERE g.episode_id = f.episode_id \
             AND g.completed_on IS NOT NULL AND g.due_on <= f.due_on AND g.{col} = TRUE) \
             THEN 1 ELSE 0 END)"
        )
    };
    let fu = fu_from(f);
    Ok(dated!(
        format!(
            "SELECT f.point AS key, COUNT(*) AS n, {} AS a, {} AS b {fu} \
             AND f.point IN ('day180', 'day365') AND f.completed_on IS NOT NULL \
             AND f.due_on >= $5 AND f.due_on <= $6 GROUP BY f.point",
            ever("rearrested"),
            ever("reincarcerated")
        ),
        f
    )
    .load(conn)?)
}

fn overdose_rows(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<KeyCount>> {
    let fu = fu_from(f);
    Ok(dated!(
        format!(
            "SELECT COALESCE(f.overdose, 'not_recorded') AS key, COUNT(*) AS n {fu} \
             AND f.completed_on IS NOT NULL AND f.completed_on >= $5 AND f.completed_on <= $6 \
             GROUP BY COALESCE(f.overdose, 'not_recorded')"
        ),
        f
    )
    .load(conn)?)
}

fn discharge_rows(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<KeyCount>> {
    let ep = ep_from(f);
    Ok(dated!(
        format!(
            "SELECT COALESCE(ep.discharge_reason, 'not_recorded') AS key, COUNT(*) AS n {ep} \
             AND ep.ended_on >= $5 AND ep.ended_on <= $6 \
             GROUP BY COALESCE(ep.discharge_reason, 'not_recorded')"
        ),
        f
    )
    .load(conn)?)
}

/// Referrals of one type made on one day and linked on another (or never): `(type, referred,
/// linked, count)`.
pub type LinkCount = (String, NaiveDate, Option<NaiveDate>, i64);

/// Referrals in the period by type with when (if) each was linked.
pub fn linkage_counts(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<LinkCount>> {
    Ok(linkage_rows(conn, f)?
        .into_iter()
        .map(|r| (r.key, r.day, r.linked, r.n))
        .collect())
}

/// Build the whole dashboard for `f` (`today` decides which releases are still too recent).
pub fn dashboard(conn: &mut DbConn, f: &Filter) -> AppResult<Dashboard> {
    let enrol = enrolment_counts(conn, f)?;
    let rel = releases(conn, f)?;
    let links = linkage_counts(conn, f)?;
    let pairs = barc_pairs(conn, f)?;
    let fu: Vec<(String, i64, i64, i64)> = followup_rows(conn, f)?
        .into_iter()
        .map(|r| (r.key, r.n, r.a, r.b))
        .collect();
    let rec: Vec<(String, i64, i64, i64)> = recidivism_rows(conn, f)?
        .into_iter()
        .map(|r| (r.key, r.n, r.a, r.b))
        .collect();
    let od: Vec<(String, i64)> = overdose_rows(conn, f)?
        .into_iter()
        .map(|r| (r.key, r.n))
        .collect();
    let dis: Vec<(String, i64)> = discharge_rows(conn, f)?
        .into_iter()
        .map(|r| (r.key, r.n))
        .collect();
    let charts = vec![
        enrolment_chart(f, &enrol),
        release_chart(&rel),
        first_contact_chart(&rel),
        linkage_chart(&links),
        barc_chart(&pairs),
        followup_chart(&fu),
        recidivism_chart(&rec),
        overdose_chart(&od),
        discharge_chart(&dis),
    ];
    Ok(Dashboard {
        filter: f.clone(),
        headline: headline(&enrol, &rel, &links, &fu),
        charts,
    })
}

// ---------------------------------------------------------------------------------------------
// Shaping (pure)
// ---------------------------------------------------------------------------------------------

/// "66.7" for 2/3, "–" when there is no denominator.
pub fn pct(n: i64, d: i64) -> String {
    stats::share(n.max(0) as u64, d.max(0) as u64)
        .map(|s| format!("{:.1}", s * 100.0))
        .unwrap_or_else(|| "–".into())
}

fn pctf(n: i64, d: i64) -> f64 {
    stats::share(n.max(0) as u64, d.max(0) as u64).unwrap_or(0.0) * 100.0
}

/// The first day of each month from `from`'s month to `to`'s month.
pub fn months(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = from.with_day(1).unwrap_or(from);
    while m <= to {
        out.push(m);
        m = m.checked_add_months(chrono::Months::new(1)).unwrap_or(to);
        if out.len() > 240 {
            break;
        }
    }
    out
}

fn month_end(m: NaiveDate, to: NaiveDate) -> NaiveDate {
    let next = m
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(NaiveDate::MAX);
    (next - Duration::days(1)).min(to)
}

fn setting_label(code: &str) -> String {
    Setting::parse(code)
        .map(|s| s.label().split(" (").next().unwrap_or("").to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Enrolments per month and the active caseload at each month's end, by setting.
pub fn enrolment_chart(f: &Filter, c: &EnrolmentCounts) -> Chart {
    let settings: Vec<&str> = Setting::ALL
        .iter()
        .map(super::super::journey::rules::Setting::as_str)
        .collect();
    let ms = months(f.from, f.to);
    let mut rows = Vec::new();
    let mut active_series: Vec<Vec<f64>> = vec![Vec::new(); settings.len()];
    let mut enrol_series: Vec<Vec<f64>> = vec![Vec::new(); settings.len()];
    for m in &ms {
        let end = month_end(*m, f.to);
        let mut row = vec![m.format("%Y-%m").to_string()];
        for (i, s) in settings.iter().enumerate() {
            let started_in_month: i64 = c
                .started
                .iter()
                .filter(|(d, k, _)| k == s && d >= m && *d <= end)
                .map(|x| x.2)
                .sum();
            let base: i64 = c.base.iter().filter(|(k, _)| k == s).map(|x| x.1).sum();
            let started_to: i64 = c
                .started
                .iter()
                .filter(|(d, k, _)| k == s && *d <= end)
                .map(|x| x.2)
                .sum();
            let ended_to: i64 = c
                .ended
                .iter()
                .filter(|(d, k, _)| k == s && *d <= end)
                .map(|x| x.2)
                .sum();
            let active = base + started_to - ended_to;
            row.push(started_in_month.to_string());
            row.push(active.to_string());
            enrol_series[i].push(started_in_month as f64);
            active_series[i].push(active as f64);
        }
        rows.push(row);
    }
    let mut columns = vec!["Month".to_string()];
    for s in &settings {
        columns.push(format!("Enrolled: {}", setting_label(s)));
        columns.push(format!("Active at month end: {}", setting_label(s)));
    }
    let labels: Vec<String> = ms.iter().map(|m| m.format("%Y-%m").to_string()).collect();
    let named = |v: Vec<Vec<f64>>| -> Vec<(String, Vec<f64>)> {
        settings.iter().map(|s| setting_label(s)).zip(v).collect()
    };
    Chart {
        name: "enrolments".into(),
        title: "Enrolments and active caseload by month and setting".into(),
        note: "Episodes started in each month, and episodes open at the end of each month.".into(),
        columns,
        rows,
        svgs: vec![
            charts::multi_line_chart("Enrolments per month", &labels, &named(enrol_series)),
            charts::multi_line_chart(
                "Active caseload at month end",
                &labels,
                &named(active_series),
            ),
        ],
    }
}

/// The Monday of `d`'s week.
pub fn week_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

fn within(r: &ReleaseRow, limit: Duration) -> bool {
    r.first_contact.is_some_and(|c| c - r.released_at <= limit)
}

/// Releases per week and the share with a completed contact within 24 hours and 14 days.
pub fn release_chart(rel: &[ReleaseRow]) -> Chart {
    let mut weeks: BTreeMap<NaiveDate, (i64, i64, i64)> = BTreeMap::new();
    for r in rel {
        let e = weeks.entry(week_of(r.released_at.date())).or_default();
        e.0 += 1;
        e.1 += i64::from(within(r, Duration::hours(24)));
        e.2 += i64::from(within(r, Duration::days(14)));
    }
    let rows: Vec<Vec<String>> = weeks
        .iter()
        .map(|(w, (n, a, b))| {
            vec![
                w.to_string(),
                n.to_string(),
                a.to_string(),
                pct(*a, *n),
                b.to_string(),
                pct(*b, *n),
            ]
        })
        .collect();
    let counts: Vec<f64> = weeks.values().map(|(n, _, _)| *n as f64).collect();
    let labels: Vec<String> = weeks
        .keys()
        .map(|w| w.format("%m-%d").to_string())
        .collect();
    let s24: Vec<f64> = weeks.values().map(|(n, a, _)| pctf(*a, *n)).collect();
    let s14: Vec<f64> = weeks.values().map(|(n, _, b)| pctf(*b, *n)).collect();
    Chart {
        name: "releases".into(),
        title: "Releases per week and first contact within 24 hours and 14 days".into(),
        note: "Weeks start on Monday. A contact is a completed encounter at or after release."
            .into(),
        columns: vec![
            "Week of".into(),
            "Releases".into(),
            "Contacted within 24 hours".into(),
            "% within 24 hours".into(),
            "Contacted within 14 days".into(),
            "% within 14 days".into(),
        ],
        rows,
        svgs: vec![
            charts::multi_line_chart("Releases per week", &labels, &[("Releases".into(), counts)]),
            charts::multi_line_chart(
                "Share contacted (%)",
                &labels,
                &[
                    ("Within 24 hours".into(), s24),
                    ("Within 14 days".into(), s14),
                ],
            ),
        ],
    }
}

/// Buckets of whole days from release to first contact.
pub const CONTACT_DAY_EDGES: [i64; 6] = [1, 2, 3, 7, 14, 30];
const CONTACT_DAY_LABELS: [&str; 7] = [
    "Same day (under 24 h)",
    "1 day",
    "2 days",
    "3–6 days",
    "7–13 days",
    "14–29 days",
    "30 days or more",
];

/// Distribution of whole days from release to first completed contact.
pub fn first_contact_chart(rel: &[ReleaseRow]) -> Chart {
    let days: Vec<i64> = rel
        .iter()
        .filter_map(|r| r.first_contact.map(|c| (c - r.released_at).num_days()))
        .collect();
    let h = stats::histogram(&days, &CONTACT_DAY_EDGES);
    let none = rel.iter().filter(|r| r.first_contact.is_none()).count();
    let mut rows: Vec<Vec<String>> = CONTACT_DAY_LABELS
        .iter()
        .zip(h.iter())
        .map(|(l, n)| vec![l.to_string(), n.to_string()])
        .collect();
    rows.push(vec!["No contact yet".into(), none.to_string()]);
    let median = stats::median(&mut days.clone())
        .map(|m| format!("Median {m} days."))
        .unwrap_or_default();
    let bars: Vec<(String, f64)> = rows
        .iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap_or(0.0)))
        .collect();
    Chart {
        name: "first_contact_days".into(),
        title: "Days from release to first contact".into(),
        note: format!(
            "Releases in the period, by whole days to the first completed contact. {median}"
        ),
        columns: vec!["Days to first contact".into(), "Releases".into()],
        rows,
        svgs: vec![charts::bar_chart(
            "Days from release to first contact",
            &bars,
            None,
        )],
    }
}

fn referral_label(code: &str) -> String {
    ReferralType::parse(code)
        .map(|t| t.label().to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Linkage within 14 and 30 days of the referral, by referral type.
pub fn linkage_chart(links: &[LinkCount]) -> Chart {
    let mut by: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for (k, day, linked, n) in links {
        let e = by.entry(k.clone()).or_default();
        e.0 += n;
        if let Some(l) = linked {
            let d = (*l - *day).num_days();
            if d <= 14 {
                e.1 += n;
            }
            if d <= 30 {
                e.2 += n;
            }
        }
    }
    let order: Vec<&str> = ReferralType::ALL
        .iter()
        .map(super::super::journey::rules::ReferralType::as_str)
        .collect();
    let mut keys: Vec<&String> = by.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
    let rows: Vec<Vec<String>> = keys
        .iter()
        .map(|k| {
            let (n, a, b) = by[*k];
            vec![
                referral_label(k),
                n.to_string(),
                a.to_string(),
                pct(a, n),
                b.to_string(),
                pct(b, n),
            ]
        })
        .collect();
    let bars: Vec<(String, f64)> = keys
        .iter()
        .map(|k| {
            let (n, _, b) = by[*k];
            (referral_label(k), pctf(b, n))
        })
        .collect();
    Chart {
        name: "linkage".into(),
        title: "Linkage within 14 and 30 days by referral type".into(),
        note: "Referrals made in the period; linked = the person started with the provider.".into(),
        columns: vec![
            "Referral type".into(),
            "Referrals".into(),
            "Linked within 14 days".into(),
            "% within 14 days".into(),
            "Linked within 30 days".into(),
            "% within 30 days".into(),
        ],
        rows,
        svgs: vec![charts::bar_chart(
            "Linked within 30 days (%)",
            &bars,
            Some(100.0),
        )],
    }
}

/// BARC-10 first-to-latest change over people with two or more assessments in the period.
pub fn barc_chart(pairs: &[(u8, u8, i64)]) -> Chart {
    let expanded: Vec<(u8, u8)> = pairs
        .iter()
        .flat_map(|(a, b, n)| std::iter::repeat_n((*a, *b), (*n).max(0) as usize))
        .collect();
    let p = stats::paired_change(&expanded);
    let f1 = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "–".into());
    let rows = vec![
        vec![
            "People with two or more assessments".into(),
            p.n.to_string(),
        ],
        vec!["Mean first total".into(), f1(p.mean_first)],
        vec!["Mean latest total".into(), f1(p.mean_latest)],
        vec!["Mean change".into(), f1(p.mean_change)],
        vec!["Improved".into(), p.improved.to_string()],
        vec!["Same".into(), p.same.to_string()],
        vec!["Worse".into(), p.worse.to_string()],
    ];
    let bars = vec![
        ("Improved".to_string(), p.improved as f64),
        ("Same".to_string(), p.same as f64),
        ("Worse".to_string(), p.worse as f64),
    ];
    Chart {
        name: "barc10".into(),
        title: "BARC-10 recovery capital: first to latest".into(),
        note: "Paired: each person's first and latest BARC-10 total (10–60) in the period.".into(),
        columns: vec!["Measure".into(), "Value".into()],
        rows,
        svgs: vec![charts::bar_chart("BARC-10 change", &bars, None)],
    }
}

fn point_label(code: &str) -> String {
    FollowUpPoint::parse(code)
        .map(|p| p.label().to_string())
        .unwrap_or_else(|| code.to_string())
}

fn point_order(code: &str) -> usize {
    FollowUpPoint::ALL
        .iter()
        .position(|p| p.as_str() == code)
        .unwrap_or(usize::MAX)
}

/// Follow-ups due in the period: completed, and completed by the due date.
pub fn followup_chart(fu: &[(String, i64, i64, i64)]) -> Chart {
    let mut v: Vec<&(String, i64, i64, i64)> = fu.iter().collect();
    v.sort_by_key(|r| point_order(&r.0));
    let rows = v
        .iter()
        .map(|(k, n, a, b)| {
            vec![
                point_label(k),
                n.to_string(),
                a.to_string(),
                pct(*a, *n),
                b.to_string(),
            ]
        })
        .collect();
    let bars = v
        .iter()
        .map(|(k, n, a, _)| (point_label(k), pctf(*a, *n)))
        .collect::<Vec<_>>();
    Chart {
        name: "followups".into(),
        title: "Follow-up completion".into(),
        note: "Follow-ups due in the period.".into(),
        columns: vec![
            "Follow-up".into(),
            "Due".into(),
            "Completed".into(),
            "% completed".into(),
            "Completed by the due date".into(),
        ],
        rows,
        svgs: vec![charts::bar_chart(
            "Follow-ups completed (%)",
            &bars,
            Some(100.0),
        )],
    }
}

/// Re-arrest and re-incarceration within 6 and 12 months of release (from follow-ups).
pub fn recidivism_chart(rec: &[(String, i64, i64, i64)]) -> Chart {
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for (code, months) in [("day180", 6), ("day365", 12)] {
        let (n, a, b) = rec
            .iter()
            .find(|r| r.0 == code)
            .map(|r| (r.1, r.2, r.3))
            .unwrap_or((0, 0, 0));
        rows.push(vec![
            format!("Within {months} months"),
            n.to_string(),
            a.to_string(),
            pct(a, n),
            b.to_string(),
            pct(b, n),
        ]);
        bars.push((format!("Re-arrest {months} mo"), pctf(a, n)));
        bars.push((format!("Re-incarc. {months} mo"), pctf(b, n)));
    }
    Chart {
        name: "recidivism".into(),
        title: "Re-arrest and re-incarceration within 6 and 12 months of release".into(),
        note: "People with a completed 180-day (365-day) follow-up due in the period; counted \
               if any completed follow-up up to that point recorded it."
            .into(),
        columns: vec![
            "Period".into(),
            "Followed up".into(),
            "Re-arrested".into(),
            "% re-arrested".into(),
            "Re-incarcerated".into(),
            "% re-incarcerated".into(),
        ],
        rows,
        svgs: vec![charts::bar_chart(
            "Re-arrest and re-incarceration (%)",
            &bars,
            Some(100.0),
        )],
    }
}

fn simple_chart(
    name: &str,
    title: &str,
    note: &str,
    head: &str,
    order: &[(&str, &str)],
    counts: &[(String, i64)],
) -> Chart {
    let map: HashMap<&str, i64> = counts.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let mut rows: Vec<Vec<String>> = order
        .iter()
        .map(|(code, label)| {
            vec![
                label.to_string(),
                map.get(code).copied().unwrap_or(0).to_string(),
            ]
        })
        .collect();
    for (k, n) in counts {
        if !order.iter().any(|(c, _)| c == k) {
            rows.push(vec![k.clone(), n.to_string()]);
        }
    }
    let bars: Vec<(String, f64)> = rows
        .iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap_or(0.0)))
        .collect();
    Chart {
        name: name.into(),
        title: title.into(),
        note: note.into(),
        columns: vec![head.into(), "Count".into()],
        rows,
        svgs: vec![charts::bar_chart(title, &bars, None)],
    }
}

/// Overdoses recorded at follow-ups completed in the period.
pub fn overdose_chart(od: &[(String, i64)]) -> Chart {
    simple_chart(
        "overdose",
        "Overdose events recorded at follow-up",
        "Follow-ups completed in the period, by the overdose answer.",
        "Overdose since the last follow-up",
        &[
            ("non_fatal", "Non-fatal overdose"),
            ("fatal", "Fatal overdose"),
            ("none", "None"),
            ("not_recorded", "Not recorded"),
        ],
        od,
    )
}

/// Episodes ended in the period by discharge reason.
pub fn discharge_chart(dis: &[(String, i64)]) -> Chart {
    let order: Vec<(&str, &str)> = DischargeReason::ALL
        .iter()
        .map(|r| (r.as_str(), r.label()))
        .collect();
    simple_chart(
        "discharges",
        "Discharge reasons",
        "Episodes that ended in the period.",
        "Reason",
        &order,
        dis,
    )
}

fn headline(
    enrol: &EnrolmentCounts,
    rel: &[ReleaseRow],
    links: &[LinkCount],
    fu: &[(String, i64, i64, i64)],
) -> Vec<Figure> {
    let enrolled: i64 = enrol.started.iter().map(|x| x.2).sum();
    let n = rel.len() as i64;
    let a = rel
        .iter()
        .filter(|r| within(r, Duration::hours(24)))
        .count() as i64;
    let b = rel.iter().filter(|r| within(r, Duration::days(14))).count() as i64;
    let refs: i64 = links.iter().map(|x| x.3).sum();
    let linked30: i64 = links
        .iter()
        .filter(|(_, d, l, _)| l.is_some_and(|l| (l - *d).num_days() <= 30))
        .map(|x| x.3)
        .sum();
    let due: i64 = fu.iter().map(|x| x.1).sum();
    let done: i64 = fu.iter().map(|x| x.2).sum();
    vec![
        ("Enrolments".into(), enrolled.to_string()),
        ("Releases".into(), n.to_string()),
        ("% contacted within 24 hours".into(), pct(a, n)),
        ("% contacted within 14 days".into(), pct(b, n)),
        ("Referrals".into(), refs.to_string()),
        ("% linked within 30 days".into(), pct(linked30, refs)),
        ("% follow-ups completed".into(), pct(done, due)),
    ]
    .into_iter()
    .map(|(label, value): (String, String)| Figure { label, value })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn scores_pair_first_with_latest_for_people_assessed_twice() {
        let scores = [
            (1, 20),
            (1, 30),
            (1, 35),
            (2, 40),
            (3, 10),
            (3, 12),
            (4, 10),
            (4, 12),
        ];
        assert_eq!(pair_scores(scores), vec![(10, 12, 2), (20, 35, 1)]);
        assert!(pair_scores([(9, 50)]).is_empty());
        assert!(pair_scores([]).is_empty());
    }

    #[test]
    fn months_and_weeks() {
        assert_eq!(
            months(d("2026-01-15"), d("2026-03-02")),
            vec![d("2026-01-01"), d("2026-02-01"), d("2026-03-01")]
        );
        assert_eq!(week_of(d("2026-11-22")), d("2026-11-16"));
        assert_eq!(week_of(d("2026-11-23")), d("2026-11-23"));
    }

    #[test]
    fn caseload_runs_from_the_base() {
        let f = Filter {
            org_id: 1,
            facility_id: None,
            setting: None,
            peer_id: None,
            from: d("2026-01-01"),
            to: d("2026-02-28"),
        };
        let c = EnrolmentCounts {
            base: vec![("short_term".into(), 3)],
            started: vec![
                (d("2026-01-10"), "short_term".into(), 2),
                (d("2026-02-03"), "short_term".into(), 1),
            ],
            ended: vec![(d("2026-01-20"), "short_term".into(), 1)],
        };
        let ch = enrolment_chart(&f, &c);
        assert_eq!(ch.rows[0][..3], ["2026-01", "2", "4"]);
        assert_eq!(ch.rows[1][..3], ["2026-02", "1", "5"]);
    }

    #[test]
    fn first_contact_buckets() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let rel = vec![
            ReleaseRow {
                released_at: t("2026-01-01 09:00"),
                first_contact: Some(t("2026-01-01 12:00")),
            },
            ReleaseRow {
                released_at: t("2026-01-01 09:00"),
                first_contact: Some(t("2026-01-05 08:00")),
            },
            ReleaseRow {
                released_at: t("2026-01-01 09:00"),
                first_contact: None,
            },
        ];
        let ch = first_contact_chart(&rel);
        assert_eq!(ch.rows[0][1], "1");
        assert_eq!(ch.rows[3][1], "1", "3 days 23 hours is 3–6 days");
        assert_eq!(ch.rows[7], ["No contact yet", "1"]);
        let w = release_chart(&rel);
        assert_eq!(w.rows[0][1..], ["3", "1", "33.3", "2", "66.7"]);
    }
}
