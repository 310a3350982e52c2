//! Small descriptive statistics for dashboards: median, percentile, histogram, share, and the
//! paired first-vs-latest change summary used for BARC-10 recovery capital scores.
//!
//! Pure: no I/O. Functions that need sorted data take `&mut [i64]` and sort it in place.

use serde::{Deserialize, Serialize};

/// Lowest possible BARC-10 total (10 items scored 1–6).
pub const BARC10_MIN_TOTAL: u8 = 10;
/// Highest possible BARC-10 total.
pub const BARC10_MAX_TOTAL: u8 = 60;

/// Median; sorts `values`. `None` when empty. Even counts average the two middle values.
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (i128::from(values[n / 2 - 1]) + i128::from(values[n / 2])) as f64 / 2.0
    })
}

/// Percentile `p` in 0..=100 with linear interpolation between closest ranks (the "inclusive"
/// method: Excel `PERCENTILE.INC`, NumPy's default); sorts `values`. `None` when empty or `p` is
/// outside 0..=100 or NaN. `percentile(v, 50.0) == median(v)`.
pub fn percentile(values: &mut [i64], p: f64) -> Option<f64> {
    if values.is_empty() || !(0.0..=100.0).contains(&p) {
        return None;
    }
    values.sort_unstable();
    let rank = p / 100.0 * (values.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let (a, b) = (values[lo] as f64, values[hi] as f64);
    Some(a + (b - a) * (rank - lo as f64))
}

/// Counts per bucket. With ascending `edges` `e0 < e1 < … < ek` the result has `k + 2` buckets:
/// `(-∞, e0)`, `[e0, e1)`, …, `[ek, +∞)`, so every value is counted exactly once and the counts
/// sum to `values.len()`. (Bucket index = number of edges `<= value`; unsorted edges still give
/// `edges.len() + 1` counts summing to `values.len()`, but their meaning is then unspecified.)
pub fn histogram(values: &[i64], edges: &[i64]) -> Vec<u64> {
    let mut out = vec![0u64; edges.len() + 1];
    for &v in values {
        out[edges.iter().filter(|&&e| e <= v).count()] += 1;
    }
    out
}

/// `n / d`; `None` when `d == 0`. Not clamped: `n > d` gives a value above 1.
pub fn share(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// Summary of paired scores (first, latest) per person; higher is better (as for BARC-10).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairedChange {
    /// Number of pairs.
    pub n: usize,
    /// Mean of first scores; `None` when `n == 0`.
    pub mean_first: Option<f64>,
    /// Mean of latest scores.
    pub mean_latest: Option<f64>,
    /// Mean of `latest - first`.
    pub mean_change: Option<f64>,
    /// Pairs with latest > first.
    pub improved: usize,
    /// Pairs with latest == first.
    pub same: usize,
    /// Pairs with latest < first.
    pub worse: usize,
}

/// Paired change over `(first, latest)` scores, e.g. BARC-10 totals (10–60). Every pair counts;
/// range checks belong to data entry.
pub fn paired_change(pairs: &[(u8, u8)]) -> PairedChange {
    let n = pairs.len();
    let (mut sf, mut sl) = (0u64, 0u64);
    let (mut improved, mut same, mut worse) = (0, 0, 0);
    for &(f, l) in pairs {
        sf += u64::from(f);
        sl += u64::from(l);
        match l.cmp(&f) {
            std::cmp::Ordering::Greater => improved += 1,
            std::cmp::Ordering::Equal => same += 1,
            std::cmp::Ordering::Less => worse += 1,
        }
    }
    let mean = |s: u64| (n > 0).then(|| s as f64 / n as f64);
    PairedChange {
        n,
        mean_first: mean(sf),
        mean_latest: mean(sl),
        mean_change: (n > 0).then(|| (sl as f64 - sf as f64) / n as f64),
        improved,
        same,
        worse,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn median_cases() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [7]), Some(7.0));
        assert_eq!(median(&mut [9, 1, 5]), Some(5.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
        assert_eq!(median(&mut [i64::MAX, i64::MAX]), Some(i64::MAX as f64));
    }

    #[test]
    fn percentile_cases() {
        let mut v = [15, 20, 35, 40, 50];
        assert_eq!(percentile(&mut v, 0.0), Some(15.0));
        assert_eq!(percentile(&mut v, 100.0), Some(50.0));
        assert_eq!(percentile(&mut v, 50.0), Some(35.0));
        assert_eq!(percentile(&mut v, 40.0), Some(29.0));
        assert_eq!(percentile(&mut v, 101.0), None);
        assert_eq!(percentile(&mut v, f64::NAN), None);
        assert_eq!(percentile(&mut [], 50.0), None);
    }

    #[test]
    fn histogram_cases() {
        let days = [0, 5, 29, 30, 89, 90, 400, -1];
        assert_eq!(histogram(&days, &[0, 30, 90, 365]), vec![1, 3, 2, 1, 1]);
        assert_eq!(histogram(&days, &[]), vec![8]);
        assert_eq!(histogram(&[], &[1, 2]), vec![0, 0, 0]);
    }

    #[test]
    fn share_cases() {
        assert_eq!(share(1, 0), None);
        assert_eq!(share(0, 4), Some(0.0));
        assert_eq!(share(3, 4), Some(0.75));
    }

    #[test]
    fn paired_change_cases() {
        let p = paired_change(&[]);
        assert_eq!((p.n, p.mean_first, p.mean_change), (0, None, None));
        let p = paired_change(&[(20, 30), (40, 40), (50, 45), (10, 60)]);
        assert_eq!(p.n, 4);
        assert_eq!(p.mean_first, Some(30.0));
        assert_eq!(p.mean_latest, Some(43.75));
        assert_eq!(p.mean_change, Some(13.75));
        assert_eq!((p.improved, p.same, p.worse), (2, 1, 1));
    }

    proptest! {
        #[test]
        fn median_matches_p50_and_is_bounded(mut v in proptest::collection::vec(-1000i64..1000, 1..50)) {
            let m = median(&mut v.clone()).unwrap();
            prop_assert_eq!(percentile(&mut v, 50.0), Some(m));
            prop_assert!(v[0] as f64 <= m && m <= v[v.len() - 1] as f64);
        }

        #[test]
        fn percentile_monotone_in_p(mut v in proptest::collection::vec(-1000i64..1000, 1..50), a in 0.0f64..=100.0, b in 0.0f64..=100.0) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(percentile(&mut v, lo).unwrap() <= percentile(&mut v, hi).unwrap() + 1e-9);
        }

        #[test]
        fn histogram_counts_everything(v in proptest::collection::vec(-100i64..100, 0..50), mut e in proptest::collection::vec(-100i64..100, 0..6)) {
            e.sort_unstable();
            e.dedup();
            let h = histogram(&v, &e);
            prop_assert_eq!(h.len(), e.len() + 1);
            prop_assert_eq!(h.iter().sum::<u64>() as usize, v.len());
        }

        #[test]
        fn paired_counts_add_up(pairs in proptest::collection::vec((10u8..=60, 10u8..=60), 0..40)) {
            let p = paired_change(&pairs);
            prop_assert_eq!(p.improved + p.same + p.worse, p.n);
            if let (Some(f), Some(l), Some(c)) = (p.mean_first, p.mean_latest, p.mean_change) {
                prop_assert!((l - f - c).abs() < 1e-9);
            }
        }
    }
}
