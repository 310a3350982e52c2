//! Public, de-identified aggregate tables: counts per period with small cells suppressed
//! (decision 0200), ready to publish.

use super::*;

// ---------------------------------------------------------------------------------------------
// Public, de-identified aggregate tables
// ---------------------------------------------------------------------------------------------

/// The public tables: `(name, title)`.
pub const PUBLIC_TABLES: &[(&str, &str)] = &[
    (
        "releases_by_month_setting",
        "People released, by month and setting",
    ),
    (
        "linkage_by_referral_type",
        "People referred, by referral type and outcome",
    ),
];

#[derive(QueryableByName)]
pub(super) struct ReleasePerson {
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = Text)]
    setting: String,
    #[diesel(sql_type = Timestamp)]
    at: NaiveDateTime,
}

#[derive(QueryableByName)]
pub(super) struct ReferralPerson {
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Date)]
    referred: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    linked: Option<NaiveDate>,
}

/// The stored rows a public table counts, for one span of dates.
pub(super) enum PublicRows {
    Releases(Vec<ReleasePerson>),
    Referrals(Vec<ReferralPerson>),
}

pub(super) fn public_rows(
    conn: &mut DbConn,
    scope: ReportScope,
    name: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<PublicRows> {
    match name {
        "releases_by_month_setting" => Ok(PublicRows::Releases(
            diesel::sql_query(
                "SELECT ep.participant_id AS pid, ep.setting AS setting, ep.released_at AS at \
                 FROM episodes ep WHERE ep.org_id = $1 AND ep.released_at >= $2 \
                 AND ep.released_at < $3",
            )
            .bind::<BigInt, _>(scope.org_id())
            .bind::<Timestamp, _>(from.and_hms_opt(0, 0, 0).unwrap_or_default())
            .bind::<Timestamp, _>(
                (to + chrono::Duration::days(1))
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or_default(),
            )
            .load(conn)?,
        )),
        "linkage_by_referral_type" => Ok(PublicRows::Referrals(
            diesel::sql_query(
                "SELECT r.participant_id AS pid, r.referral_type AS kind, \
                 r.referred_on AS referred, r.linked_on AS linked FROM referrals r \
                 WHERE r.org_id = $1 AND r.referred_on >= $2 AND r.referred_on <= $3",
            )
            .bind::<BigInt, _>(scope.org_id())
            .bind::<Date, _>(from)
            .bind::<Date, _>(to)
            .load(conn)?,
        )),
        _ => Err(AppError::NotFound),
    }
}

/// The counts (people, not records) of the rows dated `from..=to`, before suppression.
pub(super) fn public_table(rows: &PublicRows, from: NaiveDate, to: NaiveDate) -> AppResult<Table> {
    let bad = |e: suppression::TableError| AppError::internal(anyhow::anyhow!("{e}"));
    match rows {
        PublicRows::Releases(rows) => {
            let months: Vec<String> = super::super::dashboard::months(from, to)
                .iter()
                .map(|m| m.format("%Y-%m").to_string())
                .collect();
            let settings: Vec<&str> = Setting::ALL
                .iter()
                .map(crate::journey::rules::Setting::as_str)
                .collect();
            let mut people: BTreeMap<(String, &str), HashSet<i64>> = BTreeMap::new();
            for r in rows.iter().filter(|r| (from..=to).contains(&r.at.date())) {
                people
                    .entry((r.at.format("%Y-%m").to_string(), r.setting.as_str()))
                    .or_default()
                    .insert(r.pid);
            }
            let cells = months
                .iter()
                .map(|m| {
                    settings
                        .iter()
                        .map(|s| people.get(&(m.clone(), *s)).map_or(0, |p| p.len() as u64))
                        .collect()
                })
                .collect();
            Table::new(
                months,
                settings
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect(),
                cells,
            )
            .map_err(bad)
        }
        PublicRows::Referrals(rows) => {
            let outcomes = ["linked_within_30_days", "linked_later", "not_linked"];
            let types: Vec<&str> = ReferralType::ALL
                .iter()
                .map(crate::journey::rules::ReferralType::as_str)
                .collect();
            let mut people: BTreeMap<(&str, usize), HashSet<i64>> = BTreeMap::new();
            for r in rows.iter().filter(|r| (from..=to).contains(&r.referred)) {
                let o = match r.linked {
                    Some(l) if (l - r.referred).num_days() <= 30 => 0,
                    Some(_) => 1,
                    None => 2,
                };
                people
                    .entry((r.kind.as_str(), o))
                    .or_default()
                    .insert(r.pid);
            }
            let cells = types
                .iter()
                .map(|t| {
                    (0..outcomes.len())
                        .map(|o| people.get(&(*t, o)).map_or(0, |p| p.len() as u64))
                        .collect()
                })
                .collect();
            Table::new(
                types.iter().map(std::string::ToString::to_string).collect(),
                outcomes
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect(),
                cells,
            )
            .map_err(bad)
        }
    }
}

/// A public table for a fixed `period`, fit to publish: the whole family of its year (the year,
/// its quarters, its months; [`Period::family`]) is counted and suppressed together by
/// [`suppression::suppress_nested`], so that no table of the family can be subtracted from
/// another (decision 0015). The caller checks that the period has ended.
pub fn public_for_period(
    conn: &mut DbConn,
    scope: ReportScope,
    name: &str,
    period: Period,
) -> AppResult<SuppressedTable> {
    let year = Period::Year(period.year());
    let rows = public_rows(conn, scope, name, year.from(), year.to())?;
    let tables = Period::family(period.year())
        .into_iter()
        .map(|p| public_table(&rows, p.from(), p.to()))
        .collect::<AppResult<Vec<Table>>>()?;
    let mut safe = suppression::suppress_nested(&tables, &Period::family_nesting())
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    Ok(safe.swap_remove(period.family_index()))
}

/// A suppressed table as CSV: a header row, one row per row label with its total, and a totals
/// row. Hidden figures show as `*`.
pub fn suppressed_csv(row_head: &str, t: &SuppressedTable) -> AppResult<Vec<u8>> {
    let mut header = vec![row_head.to_string()];
    header.extend(t.cols.iter().cloned());
    header.push("total".into());
    let mut rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .zip(&t.cells)
        .zip(&t.row_totals)
        .map(|((label, cells), total)| {
            let mut r = vec![label.clone()];
            r.extend(cells.iter().map(|c| c.label()));
            r.push(total.label());
            r
        })
        .collect();
    let mut last = vec!["total".to_string()];
    last.extend(t.col_totals.iter().map(|c| c.label()));
    last.push(t.grand_total.label());
    rows.push(last);
    csv_chunk(Some(&header), &rows)
}
