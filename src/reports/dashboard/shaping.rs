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

pub(super) fn setting_label(code: &str) -> String {
    Setting::parse(code)
        .map(|s| s.label().split(" (").next().unwrap_or("").to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Enrolments per month and the active caseload at each month's end, by setting.
pub fn enrolment_chart(f: &Filter, c: &EnrolmentCounts) -> Chart {
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

pub(super) fn within(r: &ReleaseRow, limit: Duration) -> bool {
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
pub(super) const CONTACT_DAY_LABELS: [&str; 7] = [
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

pub(super) fn referral_label(code: &str) -> String {
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
        .map(crate::journey::rules::ReferralType::as_str)
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

pub(super) fn point_label(code: &str) -> String {
    FollowUpPoint::parse(code)
        .map(|p| p.label().to_string())
        .unwrap_or_else(|| code.to_string())
}

pub(super) fn point_order(code: &str) -> usize {
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

pub(super) fn simple_chart(
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

pub(super) fn headline(
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
