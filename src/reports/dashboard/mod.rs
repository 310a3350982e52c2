//! The programme dashboard: aggregate queries (GROUP BY in SQL, index-friendly, over
//! `&mut DbConn` with a [`Filter`]) and the pure shaping of their results into [`Chart`]s: the
//! numbers as a table (for the page, the JSON API and CSV) and hand-written SVG.
//!
//! Every query binds the same parameters in the same order (`$1` organisation, `$2` facility,
//! `$3` setting, `$4` peer, `$5` from, `$6` to), each first used in that order (SQLite numbers
//! named parameters by first appearance).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text, Timestamp};
use serde::Serialize;

use super::charts;
use super::stats;
use crate::journey::rules::{DischargeReason, FollowUpPoint, ReferralType, Setting};
use crate::platform::db::DbConn;
use crate::platform::error::AppResult;
use crate::platform::i18n::Tr;
use crate::platform::report_cache::{ReportCache, Versions};

pub mod outcomes;
mod shaping;

pub use shaping::*;

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
    "funder_outcomes",
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
    let completed = "f.completed_on IS NOT NULL AND f.completed_on >= $5 AND f.completed_on <= $6";
    counts_by_code(conn, f, &fu_from(f), "f.overdose", completed)
}

fn discharge_rows(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<KeyCount>> {
    let ended = "ep.ended_on >= $5 AND ep.ended_on <= $6";
    counts_by_code(conn, f, &ep_from(f), "ep.discharge_reason", ended)
}

/// The rows of `from` (a `FROM … WHERE` clause over the filter) that also meet `when`, counted
/// by the code in `column` (`not_recorded` where it is empty).
fn counts_by_code(
    conn: &mut DbConn,
    f: &Filter,
    from: &str,
    column: &str,
    when: &str,
) -> AppResult<Vec<KeyCount>> {
    let code = format!("COALESCE({column}, 'not_recorded')");
    Ok(dated!(
        format!("SELECT {code} AS key, COUNT(*) AS n {from} AND {when} GROUP BY {code}"),
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

/// The tables each part of the dashboard reads (before the filter's joins, see [`reads`]).
const EPISODE_PARTS: &[&str] = &["episodes"];
const RELEASE_PART: &[&str] = &["episodes", "encounters"];
const LINKAGE_PART: &[&str] = &["referrals"];
const BARC_PART: &[&str] = &["barc10_assessments"];
const FOLLOW_UP_PARTS: &[&str] = &["followups"];
const OUTCOMES_PART: &[&str] = &[
    "episodes",
    "reentry_screenings",
    "reentry_handoffs",
    "reentry_moud",
    "overdoses",
    "followups",
];

/// The tables a part over `tables` reads under the filter `f`: its own, the participants when
/// a peer is asked for and the episodes when a facility or setting is (each query joins them
/// only then).
pub fn reads(f: &Filter, tables: &[&'static str]) -> Vec<&'static str> {
    let mut all = tables.to_vec();
    if f.peer_id.is_some() {
        all.push("participants");
    }
    if f.facility_id.is_some() || f.setting.is_some() {
        all.push("episodes");
    }
    all.sort_unstable();
    all.dedup();
    all
}

/// Every table the whole dashboard reads under the filter `f`.
pub fn reads_whole(f: &Filter) -> Vec<&'static str> {
    let parts = [
        EPISODE_PARTS,
        RELEASE_PART,
        LINKAGE_PART,
        BARC_PART,
        FOLLOW_UP_PARTS,
        OUTCOMES_PART,
    ];
    reads(f, &parts.concat())
}

/// Where the dashboard's parts come from: computed on the spot, or kept by the report cache,
/// each under the versions of the tables it reads, so that a write recomputes only the parts
/// that read what it changed (decision 0056).
pub struct Parts<'a> {
    kept: Option<(&'a ReportCache, &'a Versions, String)>,
}

impl<'a> Parts<'a> {
    /// Every part computed now.
    pub fn computed() -> Self {
        Parts { kept: None }
    }

    /// Parts kept in `cache` under `key` (which names the organisation, filter and day).
    pub fn kept(cache: &'a ReportCache, versions: &'a Versions, key: String) -> Self {
        Parts {
            kept: Some((cache, versions, key)),
        }
    }

    fn get<T: Send + Sync + 'static>(
        &self,
        conn: &mut DbConn,
        f: &Filter,
        name: &str,
        tables: &[&'static str],
        compute: impl FnOnce(&mut DbConn) -> AppResult<T>,
    ) -> AppResult<Arc<T>> {
        match &self.kept {
            None => Ok(Arc::new(compute(conn)?)),
            Some((cache, versions, key)) => cache.part(
                format!("{key}|{name}"),
                versions.of(&reads(f, tables)),
                || compute(conn),
            ),
        }
    }
}

/// Follow-up completion, re-arrest and re-incarceration, and overdoses by code.
type FollowUpCounts = (
    Vec<(String, i64, i64, i64)>,
    Vec<(String, i64, i64, i64)>,
    Vec<(String, i64)>,
);

/// Build the whole dashboard for `f`, its words in `tr`'s language (the API's and the CSV's are
/// English), every part computed now.
pub fn dashboard(conn: &mut DbConn, f: &Filter, tr: Tr) -> AppResult<Dashboard> {
    dashboard_of(conn, f, tr, &Parts::computed())
}

/// Build the whole dashboard for `f` from `parts`: the figures of each part, then the charts.
pub fn dashboard_of(
    conn: &mut DbConn,
    f: &Filter,
    tr: Tr,
    parts: &Parts<'_>,
) -> AppResult<Dashboard> {
    let episodes = parts.get(conn, f, "episodes", EPISODE_PARTS, |c| {
        let dis: Vec<(String, i64)> = discharge_rows(c, f)?
            .into_iter()
            .map(|r| (r.key, r.n))
            .collect();
        Ok((enrolment_counts(c, f)?, dis))
    })?;
    let (enrol, dis) = (&episodes.0, &episodes.1);
    let rel = parts.get(conn, f, "releases", RELEASE_PART, |c| releases(c, f))?;
    let links = parts.get(conn, f, "linkage", LINKAGE_PART, |c| linkage_counts(c, f))?;
    let pairs = parts.get(conn, f, "barc10", BARC_PART, |c| barc_pairs(c, f))?;
    let follow_ups = parts.get(conn, f, "followups", FOLLOW_UP_PARTS, |c| {
        let fu: Vec<(String, i64, i64, i64)> = followup_rows(c, f)?
            .into_iter()
            .map(|r| (r.key, r.n, r.a, r.b))
            .collect();
        let rec: Vec<(String, i64, i64, i64)> = recidivism_rows(c, f)?
            .into_iter()
            .map(|r| (r.key, r.n, r.a, r.b))
            .collect();
        let od: Vec<(String, i64)> = overdose_rows(c, f)?
            .into_iter()
            .map(|r| (r.key, r.n))
            .collect();
        Ok::<FollowUpCounts, _>((fu, rec, od))
    })?;
    let (fu, rec, od) = (&follow_ups.0, &follow_ups.1, &follow_ups.2);
    let measures = parts.get(conn, f, "outcomes", OUTCOMES_PART, |c| {
        let today = crate::platform::time::zone_of(c, f.org_id)?.today();
        Ok(outcomes::outcomes(&outcomes::release_cases(c, f)?, today))
    })?;
    let charts = vec![
        enrolment_chart(f, enrol, tr),
        release_chart(&rel, tr),
        first_contact_chart(&rel, tr),
        linkage_chart(&links, tr),
        barc_chart(&pairs, tr),
        followup_chart(fu, tr),
        recidivism_chart(rec, tr),
        overdose_chart(od, tr),
        discharge_chart(dis, tr),
        outcomes::funder_chart(&measures, tr),
    ];
    Ok(Dashboard {
        filter: f.clone(),
        headline: headline(enrol, &rel, &links, fu, tr),
        charts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::test_dates::date as d;

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
        let ch = enrolment_chart(&f, &c, Tr::default());
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
        let ch = first_contact_chart(&rel, Tr::default());
        assert_eq!(ch.rows[0][1], "1");
        assert_eq!(ch.rows[3][1], "1", "3 days 23 hours is 3–6 days");
        assert_eq!(ch.rows[7], ["No contact yet", "1"]);
        let w = release_chart(&rel, Tr::default());
        assert_eq!(w.rows[0][1..], ["3", "1", "33.3", "2", "66.7"]);
    }
}
