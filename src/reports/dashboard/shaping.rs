//! Shaping the dashboard's figures into charts and headlines: pure functions of the rows
//! the queries return.

use super::*;

// ---------------------------------------------------------------------------------------------
// Shaping (pure)
// ---------------------------------------------------------------------------------------------

/// "66.7" for 2/3, "–" when there is no denominator.
pub fn pct(n: i64, d: i64) -> String {
    stats::share(n.max(0) as u64, d.max(0) as u64)
        .map(|s| format!("{:.1}", s * 100.0))
        .unwrap_or_else(|| "–".into())
}

pub(super) fn pctf(n: i64, d: i64) -> f64 {
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

pub(super) fn month_end(m: NaiveDate, to: NaiveDate) -> NaiveDate {
    let next = m
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(NaiveDate::MAX);
    (next - Duration::days(1)).min(to)
}

/// A setting's short name (`Short-term`, without its examples) in `tr`'s language.
pub(super) fn setting_label(code: &str, tr: Tr) -> String {
    Setting::parse(code)
        .map(|s| tr.code("rpt-setting", s.as_str()))
        .unwrap_or_else(|| code.to_string())
}

/// Enrolments per month and the active caseload at each month's end, by setting.
pub fn enrolment_chart(f: &Filter, c: &EnrolmentCounts, tr: Tr) -> Chart {
    let settings: Vec<&str> = Setting::ALL
        .iter()
        .map(crate::journey::rules::Setting::as_str)
        .collect();
    let ms = months(f.from, f.to);
    let mut rows = Vec::new();
    let mut active_series: Vec<Vec<f64>> = vec![Vec::new(); settings.len()];
    let mut enrol_series: Vec<Vec<f64>> = vec![Vec::new(); settings.len()];
    for m in &ms {
        let end = month_end(*m, f.to);
        let mut row = vec![m.format("%Y-%m").to_string()];
        for (i, s) in settings.iter().enumerate() {
            // This setting's people in `rows` on the days from `from` to the month's end.
            let count = |rows: &[(NaiveDate, String, i64)], from: NaiveDate| -> i64 {
                rows.iter()
                    .filter(|(d, k, _)| k == s && *d >= from && *d <= end)
                    .map(|x| x.2)
                    .sum()
            };
            let started_in_month = count(&c.started, *m);
            let base: i64 = c.base.iter().filter(|(k, _)| k == s).map(|x| x.1).sum();
            let active = base + count(&c.started, NaiveDate::MIN) - count(&c.ended, NaiveDate::MIN);
            row.push(started_in_month.to_string());
            row.push(active.to_string());
            enrol_series[i].push(started_in_month as f64);
            active_series[i].push(active as f64);
        }
        rows.push(row);
    }
    let mut columns = vec![tr.t("rpt-month")];
    for s in &settings {
        columns.push(tr.t1("rpt-enrolled-in", "setting", setting_label(s, tr)));
        columns.push(tr.t1("rpt-active-in", "setting", setting_label(s, tr)));
    }
    let labels: Vec<String> = ms.iter().map(|m| m.format("%Y-%m").to_string()).collect();
    let named = |v: Vec<Vec<f64>>| -> Vec<(String, Vec<f64>)> {
        settings
            .iter()
            .map(|s| setting_label(s, tr))
            .zip(v)
            .collect()
    };
    Chart {
        name: "enrolments".into(),
        title: tr.t("rpt-enrolments-title"),
        note: tr.t("rpt-enrolments-note"),
        columns,
        rows,
        svgs: vec![
            charts::multi_line_chart(
                &tr.t("rpt-enrolments-per-month"),
                &labels,
                &named(enrol_series),
            ),
            charts::multi_line_chart(&tr.t("rpt-active-caseload"), &labels, &named(active_series)),
        ],
    }
}

/// The Monday of `d`'s week.
pub fn week_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

pub(super) fn within(r: &ReleaseRow, limit: Duration) -> bool {
    r.first_contact.is_some_and(|c| c - r.released_at <= limit)
}

/// Releases per week and the share with a completed contact within 24 hours and 14 days.
pub fn release_chart(rel: &[ReleaseRow], tr: Tr) -> Chart {
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
        title: tr.t("rpt-releases-title"),
        note: tr.t("rpt-releases-note"),
        columns: vec![
            tr.t("rpt-week-of"),
            tr.t("rpt-releases"),
            tr.t("rpt-contacted-24h"),
            tr.t("rpt-pct-24h"),
            tr.t("rpt-contacted-14d"),
            tr.t("rpt-pct-14d"),
        ],
        rows,
        svgs: vec![
            charts::multi_line_chart(
                &tr.t("rpt-releases-per-week"),
                &labels,
                &[(tr.t("rpt-releases"), counts)],
            ),
            charts::multi_line_chart(
                &tr.t("rpt-share-contacted"),
                &labels,
                &[(tr.t("rpt-within-24h"), s24), (tr.t("rpt-within-14d"), s14)],
            ),
        ],
    }
}

/// Buckets of whole days from release to first contact.
pub const CONTACT_DAY_EDGES: [i64; 6] = [1, 2, 3, 7, 14, 30];
/// The buckets' names (message keys).
pub const CONTACT_DAY_KEYS: [&str; 7] = [
    "rpt-days-same-day",
    "rpt-days-1",
    "rpt-days-2",
    "rpt-days-3-6",
    "rpt-days-7-13",
    "rpt-days-14-29",
    "rpt-days-30-plus",
];

/// Distribution of whole days from release to first completed contact.
pub fn first_contact_chart(rel: &[ReleaseRow], tr: Tr) -> Chart {
    let days: Vec<i64> = rel
        .iter()
        .filter_map(|r| r.first_contact.map(|c| (c - r.released_at).num_days()))
        .collect();
    let h = stats::histogram(&days, &CONTACT_DAY_EDGES);
    let none = rel.iter().filter(|r| r.first_contact.is_none()).count();
    let mut rows: Vec<Vec<String>> = CONTACT_DAY_KEYS
        .iter()
        .zip(h.iter())
        .map(|(l, n)| vec![tr.t(l), n.to_string()])
        .collect();
    rows.push(vec![tr.t("rpt-no-contact-yet"), none.to_string()]);
    let median = stats::median(&mut days.clone())
        .map(|m| tr.t1("rpt-median-days", "days", m))
        .unwrap_or_default();
    let bars: Vec<(String, f64)> = rows
        .iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap_or(0.0)))
        .collect();
    Chart {
        name: "first_contact_days".into(),
        title: tr.t("rpt-first-contact-title"),
        note: format!("{} {median}", tr.t("rpt-first-contact-note")),
        columns: vec![tr.t("rpt-days-to-first-contact"), tr.t("rpt-releases")],
        rows,
        svgs: vec![charts::bar_chart(
            &tr.t("rpt-first-contact-title"),
            &bars,
            None,
        )],
    }
}

pub(super) fn referral_label(code: &str, tr: Tr) -> String {
    ReferralType::parse(code)
        .map(|t| tr.code("rpt-referral", t.as_str()))
        .unwrap_or_else(|| code.to_string())
}

/// Linkage within 14 and 30 days of the referral, by referral type.
pub fn linkage_chart(links: &[LinkCount], tr: Tr) -> Chart {
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
        .map(crate::journey::rules::ReferralType::as_str)
        .collect();
    let mut keys: Vec<&String> = by.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
    let rows: Vec<Vec<String>> = keys
        .iter()
        .map(|k| {
            let (n, a, b) = by[*k];
            vec![
                referral_label(k, tr),
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
            (referral_label(k, tr), pctf(b, n))
        })
        .collect();
    Chart {
        name: "linkage".into(),
        title: tr.t("rpt-linkage-title"),
        note: tr.t("rpt-linkage-note"),
        columns: vec![
            tr.t("rpt-referral-type"),
            tr.t("rpt-referrals"),
            tr.t("rpt-linked-14d"),
            tr.t("rpt-pct-14d"),
            tr.t("rpt-linked-30d"),
            tr.t("rpt-pct-30d"),
        ],
        rows,
        svgs: vec![charts::bar_chart(
            &tr.t("rpt-linked-30d-pct"),
            &bars,
            Some(100.0),
        )],
    }
}

/// BARC-10 first-to-latest change over people with two or more assessments in the period.
pub fn barc_chart(pairs: &[(u8, u8, i64)], tr: Tr) -> Chart {
    let expanded: Vec<(u8, u8)> = pairs
        .iter()
        .flat_map(|(a, b, n)| std::iter::repeat_n((*a, *b), (*n).max(0) as usize))
        .collect();
    let p = stats::paired_change(&expanded);
    let f1 = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "–".into());
    let rows = vec![
        vec![tr.t("rpt-barc-people"), p.n.to_string()],
        vec![tr.t("rpt-barc-mean-first"), f1(p.mean_first)],
        vec![tr.t("rpt-barc-mean-latest"), f1(p.mean_latest)],
        vec![tr.t("rpt-barc-mean-change"), f1(p.mean_change)],
        vec![tr.t("rpt-improved"), p.improved.to_string()],
        vec![tr.t("rpt-same"), p.same.to_string()],
        vec![tr.t("rpt-worse"), p.worse.to_string()],
    ];
    let bars = vec![
        (tr.t("rpt-improved"), p.improved as f64),
        (tr.t("rpt-same"), p.same as f64),
        (tr.t("rpt-worse"), p.worse as f64),
    ];
    Chart {
        name: "barc10".into(),
        title: tr.t("rpt-barc-title"),
        note: tr.t("rpt-barc-note"),
        columns: vec![tr.t("rpt-measure"), tr.t("rpt-value")],
        rows,
        svgs: vec![charts::bar_chart(&tr.t("rpt-barc-change"), &bars, None)],
    }
}

pub(super) fn point_label(code: &str, tr: Tr) -> String {
    FollowUpPoint::parse(code)
        .map(|p| tr.code("rpt-point", p.as_str()))
        .unwrap_or_else(|| code.to_string())
}

pub(super) fn point_order(code: &str) -> usize {
    FollowUpPoint::ALL
        .iter()
        .position(|p| p.as_str() == code)
        .unwrap_or(usize::MAX)
}

/// Follow-ups due in the period: completed, and completed by the due date.
pub fn followup_chart(fu: &[(String, i64, i64, i64)], tr: Tr) -> Chart {
    let mut v: Vec<&(String, i64, i64, i64)> = fu.iter().collect();
    v.sort_by_key(|r| point_order(&r.0));
    let rows = v
        .iter()
        .map(|(k, n, a, b)| {
            vec![
                point_label(k, tr),
                n.to_string(),
                a.to_string(),
                pct(*a, *n),
                b.to_string(),
            ]
        })
        .collect();
    let bars = v
        .iter()
        .map(|(k, n, a, _)| (point_label(k, tr), pctf(*a, *n)))
        .collect::<Vec<_>>();
    Chart {
        name: "followups".into(),
        title: tr.t("rpt-followups-title"),
        note: tr.t("rpt-followups-note"),
        columns: vec![
            tr.t("rpt-follow-up"),
            tr.t("rpt-due"),
            tr.t("rpt-completed"),
            tr.t("rpt-pct-completed"),
            tr.t("rpt-completed-by-due"),
        ],
        rows,
        svgs: vec![charts::bar_chart(
            &tr.t("rpt-followups-completed-pct"),
            &bars,
            Some(100.0),
        )],
    }
}

/// Re-arrest and re-incarceration within 6 and 12 months of release (from follow-ups).
pub fn recidivism_chart(rec: &[(String, i64, i64, i64)], tr: Tr) -> Chart {
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for (code, months) in [("day180", 6), ("day365", 12)] {
        let (n, a, b) = rec
            .iter()
            .find(|r| r.0 == code)
            .map(|r| (r.1, r.2, r.3))
            .unwrap_or((0, 0, 0));
        rows.push(vec![
            tr.tn("rpt-within-months", "months", months),
            n.to_string(),
            a.to_string(),
            pct(a, n),
            b.to_string(),
            pct(b, n),
        ]);
        bars.push((tr.tn("rpt-rearrest-months", "months", months), pctf(a, n)));
        bars.push((tr.tn("rpt-reincarc-months", "months", months), pctf(b, n)));
    }
    Chart {
        name: "recidivism".into(),
        title: tr.t("rpt-recidivism-title"),
        note: tr.t("rpt-recidivism-note"),
        columns: vec![
            tr.t("rpt-period"),
            tr.t("rpt-followed-up"),
            tr.t("rpt-rearrested"),
            tr.t("rpt-pct-rearrested"),
            tr.t("rpt-reincarcerated"),
            tr.t("rpt-pct-reincarcerated"),
        ],
        rows,
        svgs: vec![charts::bar_chart(
            &tr.t("rpt-recidivism-pct"),
            &bars,
            Some(100.0),
        )],
    }
}

/// A count per code: `order` gives the codes and their names (in `tr`'s language) in page
/// order; a code counted and not named follows under its code.
pub(super) fn simple_chart(
    (name, title, note, head): (&str, &str, &str, &str),
    order: &[(&str, String)],
    counts: &[(String, i64)],
    tr: Tr,
) -> Chart {
    let map: HashMap<&str, i64> = counts.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let mut rows: Vec<Vec<String>> = order
        .iter()
        .map(|(code, label)| {
            vec![
                label.clone(),
                map.get(code).copied().unwrap_or(0).to_string(),
            ]
        })
        .collect();
    for (k, n) in counts {
        if !order.iter().any(|(c, _)| c == k) {
            let label = if k == "not_recorded" {
                tr.t("rpt-not-recorded")
            } else {
                k.clone()
            };
            rows.push(vec![label, n.to_string()]);
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
        columns: vec![head.into(), tr.t("rpt-count")],
        rows,
        svgs: vec![charts::bar_chart(title, &bars, None)],
    }
}

/// Overdoses recorded at follow-ups completed in the period.
pub fn overdose_chart(od: &[(String, i64)], tr: Tr) -> Chart {
    simple_chart(
        (
            "overdose",
            &tr.t("rpt-overdose-title"),
            &tr.t("rpt-overdose-note"),
            &tr.t("rpt-overdose-head"),
        ),
        &[
            ("non_fatal", tr.t("rpt-overdose-non-fatal")),
            ("fatal", tr.t("rpt-overdose-fatal")),
            ("none", tr.t("rpt-overdose-none")),
            ("not_recorded", tr.t("rpt-not-recorded")),
        ],
        od,
        tr,
    )
}

/// Episodes ended in the period by discharge reason.
pub fn discharge_chart(dis: &[(String, i64)], tr: Tr) -> Chart {
    let order: Vec<(&str, String)> = DischargeReason::ALL
        .iter()
        .map(|r| (r.as_str(), tr.code("rpt-discharge", r.as_str())))
        .collect();
    simple_chart(
        (
            "discharges",
            &tr.t("rpt-discharges-title"),
            &tr.t("rpt-discharges-note"),
            &tr.t("rpt-reason"),
        ),
        &order,
        dis,
        tr,
    )
}

pub(super) fn headline(
    enrol: &EnrolmentCounts,
    rel: &[ReleaseRow],
    links: &[LinkCount],
    fu: &[(String, i64, i64, i64)],
    tr: Tr,
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
        (tr.t("rpt-enrolments"), enrolled.to_string()),
        (tr.t("rpt-releases"), n.to_string()),
        (tr.t("rpt-h-contacted-24h"), pct(a, n)),
        (tr.t("rpt-h-contacted-14d"), pct(b, n)),
        (tr.t("rpt-referrals"), refs.to_string()),
        (tr.t("rpt-h-linked-30d"), pct(linked30, refs)),
        (tr.t("rpt-h-followups"), pct(done, due)),
    ]
    .into_iter()
    .map(|(label, value): (String, String)| Figure { label, value })
    .collect()
}
