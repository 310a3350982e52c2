//! Fixed reporting periods for the public (suppressed) tables: a calendar month (`2026-07`), a
//! quarter (`2026-Q3`) or a year (`2026`). Pure: no I/O.
//!
//! Public tables are offered only for these periods (decision 0015): arbitrary date ranges would
//! let anyone holding two overlapping tables subtract them. Every period of a year belongs to
//! one family (the year, its four quarters, its twelve months), suppressed together by
//! `suppression::suppress_nested` so that no table of the family can be subtracted from another.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};

use crate::platform::error::FieldError;

/// Earliest and latest year accepted.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A calendar month, quarter or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// Year and month (1..=12).
    Month(i32, u32),
    /// Year and quarter (1..=4).
    Quarter(i32, u32),
    /// A calendar year.
    Year(i32),
}

impl Period {
    /// Parses `YYYY`, `YYYY-Qn` or `YYYY-MM`; errors name `field`.
    pub fn parse(field: &str, s: &str) -> Result<Period, FieldError> {
        let s = s.trim();
        let bad = || FieldError::keyed(field, "error-not-a-period", &[("value", format!("{s:?}"))]);
        let year = |y: &str| -> Result<i32, FieldError> {
            if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let y: i32 = y.parse().map_err(|_| bad())?;
            if YEARS.contains(&y) {
                Ok(y)
            } else {
                Err(bad())
            }
        };
        let p = match s.split_once('-') {
            None => Period::Year(year(s)?),
            Some((y, rest)) => {
                let y = year(y)?;
                if let Some(q) = rest.strip_prefix(['Q', 'q']) {
                    match q {
                        "1" | "2" | "3" | "4" => Period::Quarter(y, q.parse().map_err(|_| bad())?),
                        _ => return Err(bad()),
                    }
                } else {
                    if rest.len() != 2 || !rest.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(bad());
                    }
                    let m: u32 = rest.parse().map_err(|_| bad())?;
                    if !(1..=12).contains(&m) {
                        return Err(bad());
                    }
                    Period::Month(y, m)
                }
            }
        };
        Ok(p)
    }

    /// The calendar year the period belongs to.
    pub const fn year(self) -> i32 {
        match self {
            Period::Month(y, _) | Period::Quarter(y, _) | Period::Year(y) => y,
        }
    }

    /// First day.
    pub fn from(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Month(y, m) => (y, m),
            Period::Quarter(y, q) => (y, (q - 1) * 3 + 1),
            Period::Year(y) => (y, 1),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Last day (inclusive).
    pub fn to(self) -> NaiveDate {
        let months = match self {
            Period::Month(..) => 1,
            Period::Quarter(..) => 3,
            Period::Year(_) => 12,
        };
        self.from()
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether the period is over on `today` (only finished periods are published: a table of a
    /// period still running changes day by day, and two days' tables differ by one day's people).
    pub fn ended_before(self, today: NaiveDate) -> bool {
        self.to() < today
    }

    /// The periods of `year` in family order: the year, its quarters, its months.
    pub fn family(year: i32) -> Vec<Period> {
        let mut v = vec![Period::Year(year)];
        v.extend((1..=4).map(|q| Period::Quarter(year, q)));
        v.extend((1..=12).map(|m| Period::Month(year, m)));
        v
    }

    /// Position of this period in [`Period::family`] of its year.
    pub const fn family_index(self) -> usize {
        match self {
            Period::Year(_) => 0,
            Period::Quarter(_, q) => q as usize,
            Period::Month(_, m) => 4 + m as usize,
        }
    }

    /// The nesting of [`Period::family`]: the year holds the quarters, each quarter its months
    /// (`(parent, children)` by family index).
    pub fn family_nesting() -> Vec<(usize, Vec<usize>)> {
        let mut v: Vec<(usize, Vec<usize>)> = (1..=4)
            .map(|q| (q, (0..3).map(|i| 4 + (q - 1) * 3 + 1 + i).collect()))
            .collect();
        v.push((0, (1..=4).collect()));
        v
    }

    /// The last quarter that ended before `today`.
    pub fn last_quarter(today: NaiveDate) -> Period {
        let q = today.month0() / 3;
        if q == 0 {
            Period::Quarter(today.year() - 1, 4)
        } else {
            Period::Quarter(today.year(), q)
        }
    }

    /// The finished periods a picker offers, newest first: the months, quarters and years that
    /// ended before `today`, going back `years` calendar years.
    pub fn recent(today: NaiveDate, years: i32) -> Vec<Period> {
        let mut v: Vec<Period> = (0..=years)
            .flat_map(|k| Period::family(today.year() - k))
            .filter(|p| p.ended_before(today))
            .collect();
        v.sort_by(|a, b| b.to().cmp(&a.to()).then(b.from().cmp(&a.from())));
        v
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Year(y) => write!(f, "{y}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::test_dates::date as d;

    #[test]
    fn parses_each_kind_and_names_the_field() {
        let p = |s| Period::parse("period", s);
        assert_eq!(p("2026").unwrap(), Period::Year(2026));
        assert_eq!(p("2026-Q3").unwrap(), Period::Quarter(2026, 3));
        assert_eq!(p(" 2026-q4 ").unwrap(), Period::Quarter(2026, 4));
        assert_eq!(p("2026-07").unwrap(), Period::Month(2026, 7));
        for bad in [
            "",
            "26",
            "2026-13",
            "2026-00",
            "2026-Q5",
            "2026-Q0",
            "2026-7",
            "2026-01-01",
            "1999",
            "x",
            "2026-Qx",
            "+2026",
        ] {
            let e = p(bad).unwrap_err();
            assert_eq!(e.field, "period", "{bad:?}");
        }
    }

    #[test]
    fn bounds_and_round_trip() {
        assert_eq!(Period::Quarter(2026, 3).from(), d("2026-07-01"));
        assert_eq!(Period::Quarter(2026, 3).to(), d("2026-09-30"));
        assert_eq!(Period::Month(2024, 2).to(), d("2024-02-29"));
        assert_eq!(Period::Year(2026).to(), d("2026-12-31"));
        for p in Period::family(2026) {
            assert_eq!(Period::parse("period", &p.to_string()).unwrap(), p);
            assert_eq!(Period::family(2026)[p.family_index()], p);
        }
    }

    #[test]
    fn nesting_covers_the_year() {
        let fam = Period::family(2026);
        for (parent, children) in Period::family_nesting() {
            let (pf, pt) = (fam[parent].from(), fam[parent].to());
            assert_eq!(fam[children[0]].from(), pf);
            assert_eq!(fam[*children.last().unwrap()].to(), pt);
            for w in children.windows(2) {
                assert_eq!(fam[w[0]].to().succ_opt().unwrap(), fam[w[1]].from());
            }
        }
    }

    #[test]
    fn only_finished_periods_are_offered() {
        let today = d("2026-11-30");
        assert!(!Period::Month(2026, 11).ended_before(today));
        assert!(Period::Month(2026, 10).ended_before(today));
        assert!(!Period::Year(2026).ended_before(today));
        let r = Period::recent(today, 1);
        assert_eq!(r[0], Period::Month(2026, 10));
        assert!(r.iter().all(|p| p.ended_before(today)));
        assert!(r.contains(&Period::Year(2025)) && r.contains(&Period::Quarter(2026, 3)));
        assert_eq!(
            Period::last_quarter(d("2026-02-01")),
            Period::Quarter(2025, 4)
        );
        assert_eq!(Period::last_quarter(today), Period::Quarter(2026, 3));
    }
}
