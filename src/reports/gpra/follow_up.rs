//! The GPRA interview timepoints and the 6-month follow-up: its due date and window (30 days before
//! to 60 days after the due date, both ends inclusive), each client's follow-up status, and the
//! programme's follow-up rate against the 80% target.

use crate::platform::vocabulary::vocabulary;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

vocabulary! {
    /// A GPRA interview timepoint.
    pub enum Timepoint {
        /// Baseline interview at programme entry.
        Intake = "intake" => "Intake",
        /// Follow-up six calendar months after intake (see [`six_month_window`]).
        SixMonth = "six_month" => "6-month follow-up",
        /// Interview at discharge from the programme.
        Discharge = "discharge" => "Discharge",
    }
}

/// Days before the due date on which the 6-month window opens.
pub const WINDOW_OPENS_DAYS_BEFORE: u64 = 30;
/// Days after the due date on which the 6-month window closes (inclusive).
pub const WINDOW_CLOSES_DAYS_AFTER: u64 = 60;
/// SAMHSA's follow-up rate target (80%).
pub const TARGET: f64 = 0.80;

/// Due date of the 6-month follow-up: intake plus six calendar months, clamped to the end of the
/// month (31 August → 28/29 February). Saturates at `NaiveDate::MAX` for dates beyond chrono's range.
pub fn six_month_due(intake: NaiveDate) -> NaiveDate {
    intake
        .checked_add_months(Months::new(6))
        .unwrap_or(NaiveDate::MAX)
}

/// The 6-month follow-up window; `opens..=closes` both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// First valid interview day: `due - 30 days`.
    pub opens: NaiveDate,
    /// The due date: `intake + 6 months`.
    pub due: NaiveDate,
    /// Last valid interview day: `due + 60 days` (inclusive).
    pub closes: NaiveDate,
}

impl Window {
    /// Whether `day` lies in `opens..=closes`.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.opens <= day && day <= self.closes
    }
}

/// The 6-month follow-up window for a client whose intake was on `intake`.
pub fn six_month_window(intake: NaiveDate) -> Window {
    let due = six_month_due(intake);
    Window {
        opens: due
            .checked_sub_days(Days::new(WINDOW_OPENS_DAYS_BEFORE))
            .unwrap_or(NaiveDate::MIN),
        due,
        closes: due
            .checked_add_days(Days::new(WINDOW_CLOSES_DAYS_AFTER))
            .unwrap_or(NaiveDate::MAX),
    }
}

/// Where one client stands on the 6-month follow-up.
///
/// Instead of a separate "Overdue" state, an open window carries `past_due`: a client past the due
/// date but inside the window can still be interviewed validly, so the state is the same ("do it
/// now") and only the urgency differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FollowUpStatus {
    /// The window has not opened yet (`today < opens`); opens in `opens_in_days` (≥ 1).
    NotYetDue {
        /// Days until the window opens.
        opens_in_days: i64,
    },
    /// The window is open (`opens <= today <= closes`) and no interview is recorded.
    InWindow {
        /// Days after today still inside the window (`closes - today`); 0 on the last valid day.
        days_left: i64,
        /// `today > due`: still valid, but late.
        past_due: bool,
    },
    /// The window closed (`today > closes`) without an interview.
    Missed,
    /// The interview date lies in the window: counts toward the rate.
    CompletedInWindow,
    /// An interview was recorded outside the window: does not count toward the rate.
    CompletedOutOfWindow,
    /// Discharged before the window opened and never interviewed: excluded from the rate.
    NotApplicable,
}

vocabulary! {
    /// The variant of a [`FollowUpStatus`] without its data, for filters and counts.
    pub enum FollowUpKind {
        /// See [`FollowUpStatus::NotYetDue`].
        NotYetDue = "not_yet_due" => "Not yet due",
        /// See [`FollowUpStatus::InWindow`].
        InWindow = "in_window" => "Window open",
        /// See [`FollowUpStatus::Missed`].
        Missed = "missed" => "Missed",
        /// See [`FollowUpStatus::CompletedInWindow`].
        CompletedInWindow = "completed_in_window" => "Completed in window",
        /// See [`FollowUpStatus::CompletedOutOfWindow`].
        CompletedOutOfWindow = "completed_out_of_window" => "Completed out of window",
        /// See [`FollowUpStatus::NotApplicable`].
        NotApplicable = "not_applicable" => "Not applicable (discharged early)",
    }
}

impl FollowUpStatus {
    /// The variant without data.
    pub const fn kind(self) -> FollowUpKind {
        match self {
            FollowUpStatus::NotYetDue { .. } => FollowUpKind::NotYetDue,
            FollowUpStatus::InWindow { .. } => FollowUpKind::InWindow,
            FollowUpStatus::Missed => FollowUpKind::Missed,
            FollowUpStatus::CompletedInWindow => FollowUpKind::CompletedInWindow,
            FollowUpStatus::CompletedOutOfWindow => FollowUpKind::CompletedOutOfWindow,
            FollowUpStatus::NotApplicable => FollowUpKind::NotApplicable,
        }
    }

    /// Code of the variant (see [`FollowUpKind::as_str`]).
    pub const fn as_str(self) -> &'static str {
        self.kind().as_str()
    }

    /// Label of the variant (see [`FollowUpKind::label`]).
    pub const fn label(self) -> &'static str {
        self.kind().label()
    }
}

/// Status of one client's 6-month follow-up on `today`.
///
/// Rules, in order:
/// 1. An interview date decides alone: in the window → `CompletedInWindow`, else
///    `CompletedOutOfWindow`. Pass the in-window interview when there are several.
/// 2. No interview, discharged on or before `today` and before the window opened → `NotApplicable`.
///    (A discharge interview held inside the window may be passed as `interview_on`. Funders that
///    require follow-up after discharge: pass `discharged_on = None`.)
/// 3. Otherwise by `today`: before `opens` → `NotYetDue`; in the window → `InWindow`; after → `Missed`.
pub fn six_month_status(
    intake: NaiveDate,
    interview_on: Option<NaiveDate>,
    discharged_on: Option<NaiveDate>,
    today: NaiveDate,
) -> FollowUpStatus {
    let w = six_month_window(intake);
    if let Some(day) = interview_on {
        return if w.contains(day) {
            FollowUpStatus::CompletedInWindow
        } else {
            FollowUpStatus::CompletedOutOfWindow
        };
    }
    if let Some(d) = discharged_on
        && d < w.opens
        && d <= today
    {
        return FollowUpStatus::NotApplicable;
    }
    if today < w.opens {
        FollowUpStatus::NotYetDue {
            opens_in_days: (w.opens - today).num_days(),
        }
    } else if today <= w.closes {
        FollowUpStatus::InWindow {
            days_left: (w.closes - today).num_days(),
            past_due: today > w.due,
        }
    } else {
        FollowUpStatus::Missed
    }
}

/// A programme's 6-month follow-up rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FollowUpRate {
    /// Interviews completed inside the window.
    pub numerator: u64,
    /// Completed in window + completed out of window + missed (everyone whose outcome is settled).
    pub denominator: u64,
    /// Not yet due or window still open without an interview: excluded from the denominator.
    pub pending: u64,
    /// Discharged before the window opened: excluded.
    pub not_applicable: u64,
    /// `numerator / denominator`; `None` when the denominator is zero.
    pub rate: Option<f64>,
    /// `rate >= TARGET`; `None` when there is no rate.
    pub meets_target: Option<bool>,
}

/// Follow-up rate over clients' statuses. Only interviews inside the window count; clients whose
/// window is still open (or not yet open) are left out until they complete or the window closes.
pub fn follow_up_rate(statuses: &[FollowUpStatus]) -> FollowUpRate {
    let mut tally = FollowUpTally::default();
    for s in statuses {
        tally.add(*s);
    }
    tally.rate()
}

/// People counted per follow-up outcome, one at a time, so that a programme's rate is computed
/// without holding every person's status at once (`reports::store::tracker` at 1,000,000 people).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowUpTally {
    counts: [u64; 6],
}

impl FollowUpTally {
    const fn slot(kind: FollowUpKind) -> usize {
        match kind {
            FollowUpKind::NotYetDue => 0,
            FollowUpKind::InWindow => 1,
            FollowUpKind::Missed => 2,
            FollowUpKind::CompletedInWindow => 3,
            FollowUpKind::CompletedOutOfWindow => 4,
            FollowUpKind::NotApplicable => 5,
        }
    }

    /// Count one person's status.
    pub fn add(&mut self, status: FollowUpStatus) {
        self.counts[Self::slot(status.kind())] += 1;
    }

    /// People counted with this outcome.
    pub const fn count(&self, kind: FollowUpKind) -> u64 {
        self.counts[Self::slot(kind)]
    }

    /// The rate over everyone counted: only interviews inside the window are in the numerator.
    pub fn rate(&self) -> FollowUpRate {
        let numerator = self.count(FollowUpKind::CompletedInWindow);
        let denominator = numerator
            + self.count(FollowUpKind::CompletedOutOfWindow)
            + self.count(FollowUpKind::Missed);
        let pending = self.count(FollowUpKind::NotYetDue) + self.count(FollowUpKind::InWindow);
        let not_applicable = self.count(FollowUpKind::NotApplicable);
        // Division is correctly rounded, so an exact 4/5 compares equal to TARGET.
        let rate = (denominator > 0).then(|| numerator as f64 / denominator as f64);
        FollowUpRate {
            numerator,
            denominator,
            pending,
            not_applicable,
            rate,
            meets_target: rate.map(|r| r >= TARGET),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::test_dates::ymd as d;
    use chrono::Datelike;
    use proptest::prelude::*;

    #[test]
    fn due_date_clamps_to_month_end() {
        assert_eq!(six_month_due(d(2024, 1, 15)), d(2024, 7, 15));
        assert_eq!(six_month_due(d(2023, 8, 31)), d(2024, 2, 29));
        assert_eq!(six_month_due(d(2022, 8, 31)), d(2023, 2, 28));
        assert_eq!(six_month_due(d(2024, 12, 31)), d(2025, 6, 30));
    }

    #[test]
    fn window_bounds() {
        let w = six_month_window(d(2024, 1, 15));
        assert_eq!(w.opens, d(2024, 6, 15));
        assert_eq!(w.due, d(2024, 7, 15));
        assert_eq!(w.closes, d(2024, 9, 13));
        assert!(w.contains(w.opens) && w.contains(w.closes));
        assert!(!w.contains(d(2024, 6, 14)) && !w.contains(d(2024, 9, 14)));
    }

    #[test]
    fn statuses_over_time() {
        let intake = d(2024, 1, 15);
        let s = |today| six_month_status(intake, None, None, today);
        assert_eq!(
            s(d(2024, 6, 14)),
            FollowUpStatus::NotYetDue { opens_in_days: 1 }
        );
        let open = |days_left, past_due| FollowUpStatus::InWindow {
            days_left,
            past_due,
        };
        assert_eq!(s(d(2024, 6, 15)), open(90, false));
        assert_eq!(s(d(2024, 7, 15)), open(60, false));
        assert_eq!(s(d(2024, 7, 16)), open(59, true));
        assert_eq!(s(d(2024, 9, 13)), open(0, true));
        assert_eq!(s(d(2024, 9, 14)), FollowUpStatus::Missed);
        let done = |on| six_month_status(intake, Some(on), None, d(2025, 1, 1));
        assert_eq!(done(d(2024, 6, 15)), FollowUpStatus::CompletedInWindow);
        assert_eq!(done(d(2024, 9, 13)), FollowUpStatus::CompletedInWindow);
        assert_eq!(done(d(2024, 6, 14)), FollowUpStatus::CompletedOutOfWindow);
        assert_eq!(done(d(2024, 9, 14)), FollowUpStatus::CompletedOutOfWindow);
    }

    #[test]
    fn discharge_before_window_is_not_applicable() {
        let intake = d(2024, 1, 15);
        let today = d(2024, 12, 1);
        assert_eq!(
            six_month_status(intake, None, Some(d(2024, 3, 1)), today),
            FollowUpStatus::NotApplicable
        );
        // Discharged inside the window: still owed a follow-up.
        assert_eq!(
            six_month_status(intake, None, Some(d(2024, 7, 1)), today),
            FollowUpStatus::Missed
        );
        // A recorded interview wins over discharge.
        assert_eq!(
            six_month_status(intake, Some(d(2024, 7, 1)), Some(d(2024, 3, 1)), today),
            FollowUpStatus::CompletedInWindow
        );
        // A future discharge date is ignored until it happens.
        assert_eq!(
            six_month_status(intake, None, Some(d(2024, 5, 1)), d(2024, 4, 1)),
            FollowUpStatus::NotYetDue { opens_in_days: 75 }
        );
    }

    #[test]
    fn rate_counts_and_target() {
        use FollowUpStatus::*;
        let r = follow_up_rate(&[]);
        assert_eq!((r.rate, r.meets_target), (None, None));
        let mut s = vec![CompletedInWindow; 4];
        s.push(Missed);
        s.push(InWindow {
            days_left: 3,
            past_due: true,
        });
        s.push(NotYetDue { opens_in_days: 9 });
        s.push(NotApplicable);
        let r = follow_up_rate(&s);
        assert_eq!(
            (r.numerator, r.denominator, r.pending, r.not_applicable),
            (4, 5, 2, 1)
        );
        assert_eq!(r.rate, Some(0.8));
        assert_eq!(r.meets_target, Some(true));
        s.push(CompletedOutOfWindow);
        let r = follow_up_rate(&s);
        assert_eq!((r.numerator, r.denominator), (4, 6));
        assert_eq!(r.meets_target, Some(false));
    }

    #[test]
    fn status_codes_and_serde_tags() {
        let s = FollowUpStatus::InWindow {
            days_left: 1,
            past_due: false,
        };
        assert_eq!(s.as_str(), "in_window");
        assert_eq!(s.kind(), FollowUpKind::InWindow);
        assert_eq!(FollowUpStatus::Missed.label(), "Missed");
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (1950i32..2150, 1u32..=12, 1u32..=31).prop_map(|(y, m, day)| {
            NaiveDate::from_ymd_opt(y, m, day)
                .or_else(|| NaiveDate::from_ymd_opt(y, m, 28))
                .unwrap()
        })
    }

    fn near(base: NaiveDate) -> impl Strategy<Value = NaiveDate> {
        (-100i64..400).prop_map(move |o| base + chrono::Duration::days(o))
    }

    fn status() -> impl Strategy<Value = FollowUpStatus> {
        prop_oneof![
            (1i64..100).prop_map(|o| FollowUpStatus::NotYetDue { opens_in_days: o }),
            (0i64..91, any::<bool>()).prop_map(|(d, p)| FollowUpStatus::InWindow {
                days_left: d,
                past_due: p
            }),
            Just(FollowUpStatus::Missed),
            Just(FollowUpStatus::CompletedInWindow),
            Just(FollowUpStatus::CompletedOutOfWindow),
            Just(FollowUpStatus::NotApplicable),
        ]
    }

    proptest! {
        #[test]
        fn window_contains_due_and_is_ordered(intake in date()) {
            let w = six_month_window(intake);
            prop_assert!(w.opens < w.due && w.due < w.closes);
            prop_assert!(w.contains(w.due));
            prop_assert_eq!((w.due - w.opens).num_days(), 30);
            prop_assert_eq!((w.closes - w.due).num_days(), 60);
            prop_assert!(w.due > intake);
            let months = (w.due.year_ce().1 as i32 - intake.year_ce().1 as i32) * 12
                + w.due.month0() as i32 - intake.month0() as i32;
            prop_assert_eq!(months, 6);
            prop_assert!(w.due.day() <= intake.day());
        }

        #[test]
        fn status_consistent_with_dates(
            (intake, interview, discharge, today) in date().prop_flat_map(|i| {
                (Just(i), proptest::option::of(near(i)), proptest::option::of(near(i)), near(i))
            })
        ) {
            let w = six_month_window(intake);
            let s = six_month_status(intake, interview, discharge, today);
            prop_assert_eq!(
                s == FollowUpStatus::CompletedInWindow,
                interview.is_some_and(|i| w.opens <= i && i <= w.closes)
            );
            prop_assert_eq!(
                s == FollowUpStatus::CompletedOutOfWindow,
                interview.is_some_and(|i| !w.contains(i))
            );
            if interview.is_none() {
                let na = discharge.is_some_and(|d| d < w.opens && d <= today);
                prop_assert_eq!(s == FollowUpStatus::NotApplicable, na);
                if !na {
                    match s {
                        FollowUpStatus::NotYetDue { opens_in_days } => {
                            prop_assert!(today < w.opens);
                            prop_assert_eq!(today + chrono::Duration::days(opens_in_days), w.opens);
                        }
                        FollowUpStatus::InWindow { days_left, past_due } => {
                            prop_assert!(w.contains(today));
                            prop_assert_eq!(today + chrono::Duration::days(days_left), w.closes);
                            prop_assert_eq!(past_due, today > w.due);
                        }
                        FollowUpStatus::Missed => prop_assert!(today > w.closes),
                        other => prop_assert!(false, "unexpected {:?}", other),
                    }
                }
            }
        }

        #[test]
        fn rate_in_unit_interval(statuses in proptest::collection::vec(status(), 0..60)) {
            let r = follow_up_rate(&statuses);
            prop_assert!(r.numerator <= r.denominator);
            let of = |k: FollowUpKind| statuses.iter().filter(|s| s.kind() == k).count() as u64;
            prop_assert_eq!(r.numerator, of(FollowUpKind::CompletedInWindow));
            prop_assert_eq!(r.not_applicable, of(FollowUpKind::NotApplicable));
            let mut tally = FollowUpTally::default();
            for s in &statuses {
                tally.add(*s);
            }
            for k in FollowUpKind::ALL {
                prop_assert_eq!(tally.count(*k), of(*k));
            }
            prop_assert_eq!(
                (r.denominator + r.pending + r.not_applicable) as usize,
                statuses.len()
            );
            if let Some(rate) = r.rate {
                prop_assert!((0.0..=1.0).contains(&rate));
                prop_assert_eq!(r.meets_target, Some(rate >= TARGET));
            } else {
                prop_assert_eq!(r.denominator, 0);
            }
        }
    }
}
