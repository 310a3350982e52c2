//! The outcomes funders now ask for (issue 17 item 7), per release in the period: screened for
//! Medicaid before release, a warm handoff held before release, naloxone at release, MOUD
//! continuity after release (within 30 days, for at least 75% of the first 90 days, at 180
//! days), overdoses within 14 days and 12 months, re-arrest and reincarceration at 6 and 12
//! months. Each is a share of the releases old enough to have it (a release 10 days ago has no
//! 30-day MOUD answer yet), and the data dictionary gives each definition.
//!
//! The queries read each fact of the period's releases (one query a fact, over the same
//! filter); [`outcomes`] decides, purely, so a test holds it to hand-computed answers.
//!
//! Reference lines: Massachusetts jails' MOUD continuity after release, Evans et al., "Jail-based
//! medication for opioid use disorder and post-release outcomes", reported in NEJM: 60.2%
//! within 30 days, 50.4% for at least 75% of the first 90 days, 57.5% at 180 days (issue 17).

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Integer, Nullable, Text, Timestamp};

use super::shaping::{pct, pctf};
use super::{Chart, Filter, ep_from};
use crate::platform::db::DbConn;
use crate::platform::error::AppResult;
use crate::platform::i18n::Tr;
use crate::reports::charts;

/// Massachusetts jails' MOUD continuity (NEJM), in percent: within 30 days of release, for at
/// least 75% of the first 90 days, at 180 days.
pub const MOUD_REFERENCE: [f64; 3] = [60.2, 50.4, 57.5];

/// 75% of 90 days, rounded up: 68 days on MOUD.
pub const MOUD_90_DAY_MINIMUM: i64 = 68;

/// The newest MOUD record of the person (reentry's `reentry_moud`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoudFacts {
    /// none, in_custody, continued_at_release, started_after_release
    pub status: String,
    pub first_dose_on: Option<NaiveDate>,
    pub stopped_on: Option<NaiveDate>,
    pub naloxone_at_release: i32,
}

impl MoudFacts {
    /// The days on MOUD after a release on `released_on`: from the first post-release dose
    /// (the release day when continued at release) to the stop, if any (inclusive). `None`:
    /// not on MOUD after release (none, or only in custody with nothing recorded since).
    pub fn on_moud(&self, released_on: NaiveDate) -> Option<(NaiveDate, Option<NaiveDate>)> {
        let start = match self.status.as_str() {
            "continued_at_release" => self.first_dose_on.unwrap_or(released_on),
            "started_after_release" => self.first_dose_on?,
            _ => return None,
        };
        Some((start.max(released_on), self.stopped_on))
    }
}

/// A completed follow-up: its point (`day30`…`day365`), re-arrested, reincarcerated.
pub type FollowUpAnswer = (String, Option<bool>, Option<bool>);

/// One release in the period and what followed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleaseCase {
    pub released_at: NaiveDateTime,
    /// The episode's start (the booking).
    pub booked_on: NaiveDate,
    /// Every screening of the person.
    pub screenings: Vec<NaiveDateTime>,
    /// Every warm handoff of the person held.
    pub handoffs_held: Vec<NaiveDateTime>,
    pub moud: Option<MoudFacts>,
    /// Overdoses of the person: (date, fatal).
    pub overdoses: Vec<(NaiveDate, bool)>,
    /// The episode's completed follow-ups: (point, re-arrested, reincarcerated).
    pub followups: Vec<FollowUpAnswer>,
}

/// One figure: of `eligible` releases, `count` had it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    pub code: &'static str,
    pub eligible: i64,
    pub count: i64,
}

/// Every funder outcome, in the order the dashboard shows them.
pub fn outcomes(cases: &[ReleaseCase], today: NaiveDate) -> Vec<Measure> {
    let mut m: Vec<Measure> = MEASURES
        .iter()
        .map(|code| Measure {
            code,
            eligible: 0,
            count: 0,
        })
        .collect();
    let mut add = |code: &str, eligible: bool, yes: bool| {
        if let Some(x) = m.iter_mut().find(|x| x.code == code)
            && eligible
        {
            x.eligible += 1;
            x.count += i64::from(yes);
        }
    };
    for c in cases {
        let released_on = c.released_at.date();
        let after = |days: i64| today >= released_on + Duration::days(days);
        let booked_at = c.booked_on.and_hms_opt(0, 0, 0).unwrap_or(c.released_at);
        let before_release = |t: &NaiveDateTime| *t >= booked_at && *t <= c.released_at;
        add(
            "screened_before_release",
            true,
            c.screenings.iter().any(before_release),
        );
        add(
            "handoff_before_release",
            true,
            c.handoffs_held.iter().any(before_release),
        );
        add(
            "naloxone_at_release",
            true,
            c.moud.as_ref().is_some_and(|m| m.naloxone_at_release > 0),
        );
        let on = c.moud.as_ref().and_then(|m| m.on_moud(released_on));
        let day = |n: i64| released_on + Duration::days(n);
        add(
            "moud_within_30_days",
            after(30),
            on.is_some_and(|(start, _)| start <= day(30)),
        );
        let covered_90 = on.map_or(0, |(start, stop)| {
            let end = stop.map_or(day(89), |s| s.min(day(89)));
            ((end - start).num_days() + 1).max(0)
        });
        add(
            "moud_75_of_90_days",
            after(90),
            covered_90 >= MOUD_90_DAY_MINIMUM,
        );
        add(
            "moud_at_180_days",
            after(180),
            on.is_some_and(|(start, stop)| start <= day(180) && stop.is_none_or(|s| s >= day(180))),
        );
        for (code, fatal, days) in [
            ("overdose_14_days", false, 14),
            ("fatal_overdose_14_days", true, 14),
            ("overdose_12_months", false, 365),
            ("fatal_overdose_12_months", true, 365),
        ] {
            let hit = c
                .overdoses
                .iter()
                .any(|(d, f)| *d >= released_on && *d <= day(days) && (!fatal || *f));
            add(code, after(days), hit);
        }
        for (point, months) in [("day180", 6), ("day365", 12)] {
            let rank = |p: &str| match p {
                "day30" => 1,
                "day90" => 2,
                "day180" => 3,
                "day365" => 4,
                _ => 5,
            };
            let reached = c.followups.iter().any(|(p, _, _)| p == point);
            let upto = c
                .followups
                .iter()
                .filter(|(p, _, _)| rank(p) <= rank(point));
            let (mut arrested, mut jailed) = (false, false);
            for (_, a, j) in upto {
                arrested |= a.unwrap_or(false);
                jailed |= j.unwrap_or(false);
            }
            let (a_code, j_code) = if months == 6 {
                ("rearrest_6_months", "reincarceration_6_months")
            } else {
                ("rearrest_12_months", "reincarceration_12_months")
            };
            add(a_code, reached, arrested);
            add(j_code, reached, jailed);
        }
    }
    m
}

/// The measures' codes, in page order (each has `rpt-funder-<code>` in every language).
pub const MEASURES: &[&str] = &[
    "screened_before_release",
    "handoff_before_release",
    "naloxone_at_release",
    "moud_within_30_days",
    "moud_75_of_90_days",
    "moud_at_180_days",
    "overdose_14_days",
    "fatal_overdose_14_days",
    "overdose_12_months",
    "fatal_overdose_12_months",
    "rearrest_6_months",
    "reincarceration_6_months",
    "rearrest_12_months",
    "reincarceration_12_months",
];

/// What each measure counts, for the data dictionary (the export's "dictionary" sheet and
/// README): every figure is over the releases recorded in the period (episodes whose
/// `released_at` falls in it), counting only those old enough to have the answer.
pub const DEFINITIONS: &[(&str, &str)] = &[
    (
        "screened_before_release",
        "Releases with a Medicaid reentry eligibility screening recorded between the booking (the episode's start) and the release, of all releases. Source: CMS SMD #23-003 (screening and enrolment before release); goal within 72 hours of booking.",
    ),
    (
        "handoff_before_release",
        "Releases with a warm handoff to the post-release provider held between the booking and the release, of all releases. Source: SMD #23-003 (care management and warm handoff).",
    ),
    (
        "naloxone_at_release",
        "Releases whose newest MOUD record gives at least one naloxone kit at release, of all releases.",
    ),
    (
        "moud_within_30_days",
        "Releases at least 30 days ago whose newest MOUD record has MOUD continued at release, or a first post-release dose within 30 days. Reference: Massachusetts jails (NEJM), 60.2%.",
    ),
    (
        "moud_75_of_90_days",
        "Releases at least 90 days ago with MOUD on at least 68 of the first 90 days (from the first post-release dose to the stop date, inclusive). Reference: Massachusetts jails (NEJM), 50.4%.",
    ),
    (
        "moud_at_180_days",
        "Releases at least 180 days ago with MOUD begun by day 180 and not stopped before it. Reference: Massachusetts jails (NEJM), 57.5%.",
    ),
    (
        "overdose_14_days",
        "Releases at least 14 days ago with an overdose (fatal or not) dated within 14 days of release.",
    ),
    (
        "fatal_overdose_14_days",
        "Releases at least 14 days ago with a fatal overdose dated within 14 days of release.",
    ),
    (
        "overdose_12_months",
        "Releases at least 365 days ago with an overdose dated within 365 days of release.",
    ),
    (
        "fatal_overdose_12_months",
        "Releases at least 365 days ago with a fatal overdose dated within 365 days of release.",
    ),
    (
        "rearrest_6_months",
        "Releases whose 180-day follow-up is completed, re-arrested at that or an earlier follow-up.",
    ),
    (
        "reincarceration_6_months",
        "Releases whose 180-day follow-up is completed, reincarcerated at that or an earlier follow-up.",
    ),
    (
        "rearrest_12_months",
        "Releases whose 365-day follow-up is completed, re-arrested at that or an earlier follow-up.",
    ),
    (
        "reincarceration_12_months",
        "Releases whose 365-day follow-up is completed, reincarcerated at that or an earlier follow-up.",
    ),
];

/// The reference figure for a measure, in percent, where there is one.
pub fn reference(code: &str) -> Option<f64> {
    match code {
        "moud_within_30_days" => Some(MOUD_REFERENCE[0]),
        "moud_75_of_90_days" => Some(MOUD_REFERENCE[1]),
        "moud_at_180_days" => Some(MOUD_REFERENCE[2]),
        _ => None,
    }
}

/// The chart: a table of every measure, and the MOUD continuity drawn beside the Massachusetts
/// reference.
pub fn funder_chart(measures: &[Measure], tr: Tr) -> Chart {
    let label = |code: &str| tr.t(&format!("rpt-funder-{}", code.replace('_', "-")));
    let rows = measures
        .iter()
        .map(|m| {
            vec![
                label(m.code),
                m.eligible.to_string(),
                m.count.to_string(),
                pct(m.count, m.eligible),
                reference(m.code).map_or_else(String::new, |r| format!("{r:.1}")),
            ]
        })
        .collect();
    // One chart: MOUD continuity beside the reference (the table holds every figure; a bar of
    // each, over different denominators, would weigh the page more than it tells).
    let mut moud = Vec::new();
    for m in measures.iter().filter(|m| reference(m.code).is_some()) {
        let short = tr.t(&format!("rpt-funder-short-{}", m.code.replace('_', "-")));
        moud.push((short.clone(), pctf(m.count, m.eligible)));
        moud.push((
            format!("{short} ({})", tr.t("rpt-funder-reference")),
            reference(m.code).unwrap_or(0.0),
        ));
    }
    Chart {
        name: "funder_outcomes".into(),
        title: tr.t("rpt-funder-title"),
        note: tr.t("rpt-funder-note"),
        columns: vec![
            tr.t("rpt-funder-measure"),
            tr.t("rpt-funder-eligible"),
            tr.t("rpt-count"),
            tr.t("rpt-funder-pct"),
            tr.t("rpt-funder-reference-pct"),
        ],
        rows,
        svgs: vec![charts::bar_chart(
            &tr.t("rpt-funder-moud-title"),
            &moud,
            Some(100.0),
        )],
    }
}

// ---------------------------------------------------------------------------------------------
// Queries: the period's releases, then each fact of them, over the same filter.
// ---------------------------------------------------------------------------------------------

#[derive(QueryableByName)]
struct ReleaseFact {
    #[diesel(sql_type = BigInt)]
    episode_id: i64,
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = Date)]
    started_on: NaiveDate,
    #[diesel(sql_type = Timestamp)]
    released_at: NaiveDateTime,
}

#[derive(QueryableByName)]
struct PersonAt {
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = Timestamp)]
    at: NaiveDateTime,
}

#[derive(QueryableByName)]
struct MoudRow {
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Date>)]
    first_dose_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Date>)]
    stopped_on: Option<NaiveDate>,
    #[diesel(sql_type = Integer)]
    naloxone_at_release: i32,
    #[diesel(sql_type = Timestamp)]
    recorded_at: NaiveDateTime,
}

#[derive(QueryableByName)]
struct OverdoseRow {
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = Date)]
    occurred_on: NaiveDate,
    #[diesel(sql_type = Bool)]
    fatal: bool,
}

#[derive(QueryableByName)]
struct FollowUpRow {
    #[diesel(sql_type = BigInt)]
    episode_id: i64,
    #[diesel(sql_type = Text)]
    point: String,
    #[diesel(sql_type = Nullable<Bool>)]
    rearrested: Option<bool>,
    #[diesel(sql_type = Nullable<Bool>)]
    reincarcerated: Option<bool>,
}

/// The period's releases (`$5..$6` as instants) with every fact [`outcomes`] needs.
pub fn release_cases(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<ReleaseCase>> {
    let from = f.from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let to = (f.to + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    let ep = ep_from(f);
    let released = format!("{ep} AND ep.released_at >= $5 AND ep.released_at < $6");
    let people = format!("IN (SELECT ep.participant_id {released})");
    macro_rules! load {
        ($sql:expr) => {
            diesel::sql_query($sql)
                .bind::<BigInt, _>(f.org_id)
                .bind::<Nullable<BigInt>, _>(f.facility_id)
                .bind::<Nullable<Text>, _>(f.setting.clone())
                .bind::<Nullable<BigInt>, _>(f.peer_id)
                .bind::<Timestamp, _>(from)
                .bind::<Timestamp, _>(to)
                .load(conn)?
        };
    }
    let releases: Vec<ReleaseFact> = load!(format!(
        "SELECT ep.id AS episode_id, ep.participant_id AS pid, ep.started_on AS started_on, \
         ep.released_at AS released_at {released} ORDER BY ep.id"
    ));
    if releases.is_empty() {
        return Ok(vec![]);
    }
    // Every query binds `$1` (the organisation) first, then the subquery's `$1..$6` in order,
    // so SQLite's numbering by first use and PostgreSQL's agree.
    let screenings: Vec<PersonAt> = load!(format!(
        "SELECT s.participant_id AS pid, s.screened_at AS at FROM reentry_screenings s \
         WHERE s.org_id = $1 AND s.participant_id {people}"
    ));
    let handoffs: Vec<PersonAt> = load!(format!(
        "SELECT h.participant_id AS pid, h.held_at AS at FROM reentry_handoffs h \
         WHERE h.org_id = $1 AND h.held_at IS NOT NULL AND h.participant_id {people}"
    ));
    let moud: Vec<MoudRow> = load!(format!(
        "SELECT m.participant_id AS pid, m.id AS id, m.status AS status, \
         m.first_dose_on AS first_dose_on, m.stopped_on AS stopped_on, \
         m.naloxone_at_release AS naloxone_at_release, m.recorded_at AS recorded_at \
         FROM reentry_moud m WHERE m.org_id = $1 AND m.participant_id {people}"
    ));
    let overdoses: Vec<OverdoseRow> = load!(format!(
        "SELECT o.participant_id AS pid, o.occurred_on AS occurred_on, o.fatal AS fatal \
         FROM overdoses o WHERE o.org_id = $1 AND o.participant_id {people}"
    ));
    let followups: Vec<FollowUpRow> = load!(format!(
        "SELECT f.episode_id AS episode_id, f.point AS point, f.rearrested AS rearrested, \
         f.reincarcerated AS reincarcerated FROM followups f WHERE f.org_id = $1 \
         AND f.completed_on IS NOT NULL AND f.episode_id IN (SELECT ep.id {released})"
    ));
    let mut by_person: HashMap<i64, Vec<NaiveDateTime>> = HashMap::new();
    for s in screenings {
        by_person.entry(s.pid).or_default().push(s.at);
    }
    let mut held: HashMap<i64, Vec<NaiveDateTime>> = HashMap::new();
    for h in handoffs {
        held.entry(h.pid).or_default().push(h.at);
    }
    let mut newest: HashMap<i64, MoudRow> = HashMap::new();
    for m in moud {
        let keep = newest
            .get(&m.pid)
            .is_none_or(|n| (m.recorded_at, m.id) > (n.recorded_at, n.id));
        if keep {
            newest.insert(m.pid, m);
        }
    }
    let mut ods: HashMap<i64, Vec<(NaiveDate, bool)>> = HashMap::new();
    for o in overdoses {
        ods.entry(o.pid).or_default().push((o.occurred_on, o.fatal));
    }
    let mut fus: HashMap<i64, Vec<FollowUpAnswer>> = HashMap::new();
    for f in followups {
        fus.entry(f.episode_id)
            .or_default()
            .push((f.point, f.rearrested, f.reincarcerated));
    }
    Ok(releases
        .into_iter()
        .map(|r| ReleaseCase {
            released_at: r.released_at,
            booked_on: r.started_on,
            screenings: by_person.get(&r.pid).cloned().unwrap_or_default(),
            handoffs_held: held.get(&r.pid).cloned().unwrap_or_default(),
            // A MOUD record made before this episode began speaks of an earlier release.
            moud: newest
                .get(&r.pid)
                .filter(|m| m.recorded_at.date() >= r.started_on)
                .map(|m| MoudFacts {
                    status: m.status.clone(),
                    first_dose_on: m.first_dose_on,
                    stopped_on: m.stopped_on,
                    naloxone_at_release: m.naloxone_at_release,
                }),
            overdoses: ods.get(&r.pid).cloned().unwrap_or_default(),
            followups: fus.get(&r.episode_id).cloned().unwrap_or_default(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::test_dates::date as d;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn moud(status: &str, first: Option<&str>, stop: Option<&str>) -> Option<MoudFacts> {
        Some(MoudFacts {
            status: status.into(),
            first_dose_on: first.map(d),
            stopped_on: stop.map(d),
            naloxone_at_release: 0,
        })
    }

    fn get(m: &[Measure], code: &str) -> (i64, i64) {
        let x = m.iter().find(|x| x.code == code).unwrap();
        (x.count, x.eligible)
    }

    /// Four releases, worked by hand (today 2026-12-01):
    /// - A, released 2026-01-10, continued MOUD at release, never stopped: 30 days yes, 90
    ///   covered days yes, 180 yes. Screened 2026-01-03 (booked 2026-01-01), handoff held
    ///   2026-01-09.
    /// - B, released 2026-03-01, started 2026-03-20 (day 19), stopped 2026-05-01: 30 yes; days
    ///   covered of the first 90 (to 2026-05-29): 03-20..05-01 = 43 < 68, no; 180 no.
    /// - C, released 2026-05-01, started 2026-06-15 (day 45): 30 no; 90: 06-15..07-29 = 45,
    ///   no; 180 (2026-10-28) yes. Screened before booking only (no), handoff after release (no).
    /// - D, released 2026-11-20 (11 days ago): no answers yet for 14 days and beyond; a
    ///   non-fatal overdose 2026-11-25 is not counted until 14 days have passed.
    #[test]
    fn moud_continuity_and_handoff_figures_match_the_hand_computed_answers() {
        let cases = vec![
            ReleaseCase {
                released_at: at("2026-01-10 15:00"),
                booked_on: d("2026-01-01"),
                screenings: vec![at("2026-01-03 10:00")],
                handoffs_held: vec![at("2026-01-09 11:00")],
                moud: Some(MoudFacts {
                    naloxone_at_release: 2,
                    ..moud("continued_at_release", None, None).unwrap()
                }),
                overdoses: vec![(d("2026-01-20"), false)],
                followups: vec![
                    ("day30".into(), Some(false), Some(false)),
                    ("day180".into(), Some(true), Some(false)),
                ],
            },
            ReleaseCase {
                released_at: at("2026-03-01 09:00"),
                booked_on: d("2026-02-01"),
                screenings: vec![at("2026-02-02 09:00")],
                moud: moud(
                    "started_after_release",
                    Some("2026-03-20"),
                    Some("2026-05-01"),
                ),
                overdoses: vec![(d("2026-08-01"), true)],
                followups: vec![("day180".into(), Some(false), Some(true))],
                ..ReleaseCase::default()
            },
            ReleaseCase {
                released_at: at("2026-05-01 09:00"),
                booked_on: d("2026-04-01"),
                screenings: vec![at("2026-03-15 09:00")],
                handoffs_held: vec![at("2026-05-02 09:00")],
                moud: moud("started_after_release", Some("2026-06-15"), None),
                ..ReleaseCase::default()
            },
            ReleaseCase {
                released_at: at("2026-11-20 09:00"),
                booked_on: d("2026-11-01"),
                moud: moud("in_custody", None, None),
                overdoses: vec![(d("2026-11-25"), false)],
                ..ReleaseCase::default()
            },
        ];
        let m = outcomes(&cases, d("2026-12-01"));
        assert_eq!(get(&m, "screened_before_release"), (2, 4));
        assert_eq!(get(&m, "handoff_before_release"), (1, 4));
        assert_eq!(get(&m, "naloxone_at_release"), (1, 4));
        assert_eq!(get(&m, "moud_within_30_days"), (2, 3));
        assert_eq!(get(&m, "moud_75_of_90_days"), (1, 3));
        assert_eq!(get(&m, "moud_at_180_days"), (2, 3));
        assert_eq!(get(&m, "overdose_14_days"), (1, 3));
        assert_eq!(get(&m, "fatal_overdose_14_days"), (0, 3));
        // Twelve months have passed for none of them.
        assert_eq!(get(&m, "overdose_12_months"), (0, 0));
        assert_eq!(get(&m, "rearrest_6_months"), (1, 2));
        assert_eq!(get(&m, "reincarceration_6_months"), (1, 2));
        assert_eq!(get(&m, "rearrest_12_months"), (0, 0));
        let chart = funder_chart(&m, Tr::default());
        let row = |code: &str| {
            chart
                .rows
                .iter()
                .find(|r| {
                    r[0] == Tr::default().t(&format!("rpt-funder-{}", code.replace('_', "-")))
                })
                .unwrap()
                .clone()
        };
        assert_eq!(row("moud_within_30_days")[3], "66.7");
        assert_eq!(row("moud_within_30_days")[4], "60.2");
        assert_eq!(row("moud_75_of_90_days")[3], "33.3");
        assert_eq!(row("moud_at_180_days")[4], "57.5");
        assert_eq!(row("overdose_12_months")[3], "–");
        assert_eq!(chart.svgs.len(), 1);
    }

    #[test]
    fn every_measure_has_its_definition() {
        for code in MEASURES {
            assert!(DEFINITIONS.iter().any(|(c, _)| c == code), "{code}");
        }
        assert_eq!(DEFINITIONS.len(), MEASURES.len());
    }

    #[test]
    fn exactly_68_days_of_the_first_90_is_three_quarters() {
        let case = |stop: &str| ReleaseCase {
            released_at: at("2026-01-01 09:00"),
            booked_on: d("2025-12-01"),
            moud: moud("continued_at_release", None, Some(stop)),
            ..ReleaseCase::default()
        };
        // 2026-01-01..2026-03-09 is 68 days; one day fewer is not enough.
        let m = outcomes(&[case("2026-03-09"), case("2026-03-08")], d("2026-12-01"));
        assert_eq!(get(&m, "moud_75_of_90_days"), (1, 2));
    }
}
