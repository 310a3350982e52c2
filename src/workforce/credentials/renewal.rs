//! Renewal of a credential: its expiry date and the alerts raised before it (expiry at the configured
//! days, continuing education falling behind).

use crate::platform::vocabulary::vocabulary;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::progress::clean;
use super::{CeEntry, CredentialStandard, PeerProgress};

/// Default alert thresholds, in days before expiry.
pub const DEFAULT_ALERT_DAYS: [u32; 3] = [90, 60, 30];

/// CE is "behind" when the shortfall against the pro-rated expectation exceeds this share of the
/// period's requirement (10%: 2 of 20 hours).
pub const CE_BEHIND_TOLERANCE: f64 = 0.10;

/// The day the credential lapses (no longer valid from that day on): `certified_on` plus
/// `renewal_years`, end-of-month clamped. `NaiveDate::MAX` when `renewal_years == 0` (no expiry).
pub fn expiry(certified_on: NaiveDate, std: &CredentialStandard) -> NaiveDate {
    if std.renewal_years == 0 {
        return NaiveDate::MAX;
    }
    certified_on
        .checked_add_months(Months::new(std.renewal_years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

/// A renewal alert.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CredentialAlert {
    /// Lapses in `days` (≥ 1); `threshold` is the tightest configured threshold crossed
    /// (the smallest with `days <= threshold`).
    ExpiresIn {
        /// Lapse date.
        expires_on: NaiveDate,
        /// Days from today.
        days: i64,
        /// Threshold crossed.
        threshold: u32,
    },
    /// Lapsed on `expired_on` (on or before today).
    Expired {
        /// Lapse date.
        expired_on: NaiveDate,
    },
    /// CE hours this period are behind the pro-rated expectation.
    CeBehind {
        /// Hours required for the period.
        needed: f64,
        /// Hours done this period (up to today).
        done: f64,
        /// `needed × elapsed / period`.
        expected_by_now: f64,
    },
    /// Ethics CE hours are behind the pro-rated expectation.
    CeEthicsBehind {
        /// Ethics hours required for the period.
        needed: f64,
        /// Ethics hours done this period.
        done: f64,
        /// Pro-rated expectation.
        expected_by_now: f64,
    },
}

vocabulary! {
    /// The variant of a [`CredentialAlert`] without its data.
    pub enum AlertKind {
        /// See [`CredentialAlert::ExpiresIn`].
        ExpiresIn = "expires_in" => "Credential expiring",
        /// See [`CredentialAlert::Expired`].
        Expired = "expired" => "Credential expired",
        /// See [`CredentialAlert::CeBehind`].
        CeBehind = "ce_behind" => "Continuing education behind",
        /// See [`CredentialAlert::CeEthicsBehind`].
        CeEthicsBehind = "ce_ethics_behind" => "Ethics continuing education behind",
    }
}

impl CredentialAlert {
    /// The variant without data.
    pub const fn kind(self) -> AlertKind {
        match self {
            CredentialAlert::ExpiresIn { .. } => AlertKind::ExpiresIn,
            CredentialAlert::Expired { .. } => AlertKind::Expired,
            CredentialAlert::CeBehind { .. } => AlertKind::CeBehind,
            CredentialAlert::CeEthicsBehind { .. } => AlertKind::CeEthicsBehind,
        }
    }

    /// Code of the variant.
    pub const fn as_str(self) -> &'static str {
        self.kind().as_str()
    }

    /// Label of the variant.
    pub const fn label(self) -> &'static str {
        self.kind().label()
    }
}

/// Renewal alerts for a certified peer on `today` (none when `certified_on` is unset).
///
/// - `Expired` when `today >= expiry` (then no other alert: the period is over).
/// - `ExpiresIn` when `1 <= days <= max(alert_days)`, with the tightest threshold crossed; a
///   threshold of 0 is ignored. Pass [`DEFAULT_ALERT_DAYS`] for 90/60/30.
/// - `CeBehind` / `CeEthicsBehind` when `expected_by_now - done > 10% of needed`, counting CE dated
///   from `certified_on` to `today`; not for non-expiring credentials.
pub fn alerts(
    std: &CredentialStandard,
    input: &PeerProgress,
    today: NaiveDate,
    alert_days: &[u32],
) -> Vec<CredentialAlert> {
    let Some(start) = input.certified_on else {
        return Vec::new();
    };
    let end = expiry(start, std);
    let mut out = Vec::new();
    if today >= end {
        out.push(CredentialAlert::Expired { expired_on: end });
        return out;
    }
    let days = (end - today).num_days();
    if let Some(threshold) = alert_days
        .iter()
        .copied()
        .filter(|&t| t > 0 && days <= i64::from(t))
        .min()
    {
        out.push(CredentialAlert::ExpiresIn {
            expires_on: end,
            days,
            threshold,
        });
    }
    if std.renewal_years == 0 {
        return out;
    }
    let period = (end - start).num_days().max(1) as f64;
    let elapsed = (today - start)
        .num_days()
        .clamp(0, (end - start).num_days()) as f64;
    let in_period = |e: &&CeEntry| start <= e.on && e.on <= today;
    let total: f64 = input
        .ce
        .iter()
        .filter(in_period)
        .map(|e| clean(e.hours))
        .sum();
    let ethics: f64 = input
        .ce
        .iter()
        .filter(in_period)
        .filter(|e| e.ethics)
        .map(|e| clean(e.hours))
        .sum();
    for (needed, done, ethics_alert) in [
        (clean(std.ce_hours), total, false),
        (clean(std.ce_ethics_hours), ethics, true),
    ] {
        let expected_by_now = needed * elapsed / period;
        if needed > 0.0 && expected_by_now - done > CE_BEHIND_TOLERANCE * needed {
            out.push(if ethics_alert {
                CredentialAlert::CeEthicsBehind {
                    needed,
                    done,
                    expected_by_now,
                }
            } else {
                CredentialAlert::CeBehind {
                    needed,
                    done,
                    expected_by_now,
                }
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::test_dates::ymd as d;
    use crate::workforce::credentials::*;

    #[test]
    fn expiry_dates() {
        let std = ic_and_rc_peer_recovery();
        assert_eq!(expiry(d(2024, 2, 29), &std), d(2026, 2, 28));
        let mut forever = std.clone();
        forever.renewal_years = 0;
        assert_eq!(expiry(d(2024, 1, 1), &forever), NaiveDate::MAX);
    }

    #[test]
    fn expiry_alert_thresholds() {
        let std = ic_and_rc_peer_recovery();
        let start = d(2024, 1, 1);
        let end = expiry(start, &std);
        let input = PeerProgress {
            certified_on: Some(start),
            ce: vec![CeEntry {
                on: start,
                hours: 20.0,
                ethics: true,
            }],
            ..Default::default()
        };
        let at = |days: i64| {
            alerts(
                &std,
                &input,
                end - chrono::Duration::days(days),
                &DEFAULT_ALERT_DAYS,
            )
        };
        let thr = |days| match at(days).as_slice() {
            [
                CredentialAlert::ExpiresIn {
                    threshold, days: d, ..
                },
            ] => {
                assert_eq!(*d, days);
                Some(*threshold)
            }
            [] => None,
            other => panic!("{other:?}"),
        };
        assert_eq!(thr(91), None);
        assert_eq!(thr(90), Some(90));
        assert_eq!(thr(61), Some(90));
        assert_eq!(thr(60), Some(60));
        assert_eq!(thr(31), Some(60));
        assert_eq!(thr(30), Some(30));
        assert_eq!(thr(1), Some(30));
        assert_eq!(at(0), vec![CredentialAlert::Expired { expired_on: end }]);
        assert_eq!(at(-5), vec![CredentialAlert::Expired { expired_on: end }]);
        assert!(alerts(&std, &PeerProgress::default(), end, &DEFAULT_ALERT_DAYS).is_empty());
        assert_eq!(at(0)[0].as_str(), "expired");
    }

    #[test]
    fn ce_alerts() {
        let std = ic_and_rc_peer_recovery();
        let start = d(2024, 1, 1);
        let mut input = PeerProgress {
            certified_on: Some(start),
            ..Default::default()
        };
        // ~Half way (365 of 731 days): expect ~10 h total, ~3 h ethics.
        let today = d(2024, 12, 31);
        let kinds = |input: &PeerProgress| -> Vec<AlertKind> {
            alerts(&std, input, today, &DEFAULT_ALERT_DAYS)
                .iter()
                .map(|a| a.kind())
                .collect()
        };
        assert_eq!(
            kinds(&input),
            vec![AlertKind::CeBehind, AlertKind::CeEthicsBehind]
        );
        input.ce = vec![CeEntry {
            on: d(2024, 6, 1),
            hours: 8.5,
            ethics: false,
        }];
        assert_eq!(kinds(&input), vec![AlertKind::CeEthicsBehind]);
        input.ce.push(CeEntry {
            on: d(2024, 7, 1),
            hours: 3.0,
            ethics: true,
        });
        assert!(kinds(&input).is_empty());
        // CE before the period does not count.
        input.ce = vec![CeEntry {
            on: d(2023, 6, 1),
            hours: 20.0,
            ethics: true,
        }];
        assert_eq!(
            kinds(&input),
            vec![AlertKind::CeBehind, AlertKind::CeEthicsBehind]
        );
        // Early in the period nothing is expected yet.
        assert!(alerts(&std, &input, d(2024, 1, 20), &DEFAULT_ALERT_DAYS).is_empty());
    }
}
