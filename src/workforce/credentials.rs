//! Peer credential standards as data, a peer's progress toward one, the projected completion date,
//! and renewal alerts (expiry and continuing education).
//!
//! States differ, so a standard is a value ([`CredentialStandard`]), not code; two editable
//! templates ship. Pure: no I/O, no clock (callers pass `today`).

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Declares a field-less enum with serde snake_case codes, `ALL`, `as_str`, `parse` and `label`.
macro_rules! labeled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable snake_case code (identical to the serde representation).
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a code produced by [`Self::as_str`]; `None` for anything else.
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Human-readable label for screens and reports.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

/// A certification standard. All hour figures are hours; zero or negative means "not required".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialStandard {
    /// Credential name.
    pub name: String,
    /// Issuing body.
    pub issuer: String,
    /// Training hours required per domain; hours in one domain never count toward another.
    /// Domains are matched case-insensitively, ignoring surrounding and repeated whitespace.
    pub training_hours_by_domain: Vec<(String, f64)>,
    /// Supervised (paid or volunteer) peer work experience.
    pub supervised_work_hours: f64,
    /// Hours of direct supervision received.
    pub supervision_hours: f64,
    /// A passed exam is required.
    pub exam_required: bool,
    /// A signed code of ethics / attestation is required.
    pub ethics_attestation_required: bool,
    /// A background check is required (it should allow an exemption / individual review path).
    pub background_check_required: bool,
    /// Formal education required, e.g. "High school diploma or equivalent".
    pub formal_education: Option<String>,
    /// Application fee in US dollars, if any.
    pub fees_usd: Option<f64>,
    /// Years between renewals; 0 means the credential does not expire.
    pub renewal_years: u32,
    /// Continuing-education hours per renewal period.
    pub ce_hours: f64,
    /// Of which in ethics.
    pub ce_ethics_hours: f64,
}

/// IC&RC Peer Recovery (PR) credential: 46 training hours (10 advocacy, 10 mentoring/education,
/// 10 recovery/wellness support, 16 ethical responsibility), 500 hours of experience, 25 hours of
/// supervision, exam, signed code of ethics, high-school diploma or equivalent, renewal every 2
/// years with 20 CE hours (6 in ethics). Fees and background checks are set by each member board.
pub fn ic_and_rc_peer_recovery() -> CredentialStandard {
    CredentialStandard {
        name: "Peer Recovery (PR)".into(),
        issuer: "IC&RC".into(),
        training_hours_by_domain: vec![
            ("Advocacy".into(), 10.0),
            ("Mentoring and education".into(), 10.0),
            ("Recovery and wellness support".into(), 10.0),
            ("Ethical responsibility".into(), 16.0),
        ],
        supervised_work_hours: 500.0,
        supervision_hours: 25.0,
        exam_required: true,
        ethics_attestation_required: true,
        background_check_required: false,
        formal_education: Some("High school diploma or equivalent".into()),
        fees_usd: None,
        renewal_years: 2,
        ce_hours: 20.0,
        ce_ethics_hours: 6.0,
    }
}

/// An illustrative state credential aligned with SAMHSA's National Model Standards for Peer Support
/// Certification (2023): 60 training hours across domains grouped from SAMHSA's 12 core
/// competencies, 120 hours of supervised work, 20 hours of supervision, exam, ethics attestation,
/// background check (with an exemption path for people with criminal histories), high-school
/// diploma or equivalent, no fee, renewal every 2 years with 20 CE hours (6 in ethics).
/// **These figures are illustrative; edit them to match the state's rules.**
pub fn samhsa_national_model_state() -> CredentialStandard {
    CredentialStandard {
        name: "Certified Peer Recovery Specialist (model)".into(),
        issuer: "State certification board (SAMHSA National Model Standards)".into(),
        training_hours_by_domain: vec![
            ("Engagement and support".into(), 8.0),
            ("Sharing lived experience".into(), 6.0),
            ("Personalized support and recovery planning".into(), 8.0),
            ("Linking to resources, health and wellness".into(), 8.0),
            ("Crisis support".into(), 6.0),
            ("Communication, collaboration and teamwork".into(), 6.0),
            ("Leadership and advocacy".into(), 4.0),
            ("Growth and development".into(), 4.0),
            ("Ethics and boundaries".into(), 10.0),
        ],
        supervised_work_hours: 120.0,
        supervision_hours: 20.0,
        exam_required: true,
        ethics_attestation_required: true,
        background_check_required: true,
        formal_education: Some("High school diploma or equivalent".into()),
        fees_usd: None,
        renewal_years: 2,
        ce_hours: 20.0,
        ce_ethics_hours: 6.0,
    }
}

/// Training hours completed in one domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingEntry {
    /// Domain name, matched against the standard's domains.
    pub domain: String,
    /// Hours (non-finite or negative hours are ignored).
    pub hours: f64,
    /// Date completed.
    pub on: NaiveDate,
}

/// Hours logged on a date (supervised work or supervision).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HoursEntry {
    /// Date.
    pub on: NaiveDate,
    /// Hours (non-finite or negative hours are ignored).
    pub hours: f64,
}

/// Continuing-education hours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CeEntry {
    /// Date completed.
    pub on: NaiveDate,
    /// Hours (non-finite or negative hours are ignored).
    pub hours: f64,
    /// Counts toward the ethics CE requirement (and toward the total).
    pub ethics: bool,
}

/// What a peer has done so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PeerProgress {
    /// Training by domain; entries in a domain the standard does not list count nowhere.
    pub training: Vec<TrainingEntry>,
    /// Supervised work experience.
    pub supervised_work_hours: Vec<HoursEntry>,
    /// Supervision received.
    pub supervision_hours: Vec<HoursEntry>,
    /// Exam passed.
    pub exam_passed_on: Option<NaiveDate>,
    /// Code of ethics signed.
    pub ethics_signed_on: Option<NaiveDate>,
    /// Background check cleared (or exemption granted).
    pub background_check_cleared_on: Option<NaiveDate>,
    /// Formal education requirement met.
    pub education_met: bool,
    /// Fees paid (or waived).
    pub fees_paid: bool,
    /// Start of the current certification period: initial certification or last renewal.
    pub certified_on: Option<NaiveDate>,
    /// Continuing education.
    pub ce: Vec<CeEntry>,
}

labeled_enum! {
    /// Kind of a certification requirement.
    pub enum RequirementKind {
        /// Training hours in one domain.
        Training => ("training", "Training"),
        /// Supervised work experience hours.
        SupervisedWork => ("supervised_work", "Supervised work experience"),
        /// Supervision hours received.
        Supervision => ("supervision", "Supervision"),
        /// Exam.
        Exam => ("exam", "Exam"),
        /// Signed code of ethics.
        EthicsAttestation => ("ethics_attestation", "Code of ethics signed"),
        /// Background check.
        BackgroundCheck => ("background_check", "Background check"),
        /// Formal education.
        Education => ("education", "Formal education"),
        /// Fees.
        Fees => ("fees", "Fees"),
    }
}

impl RequirementKind {
    /// Whether the requirement is measured in hours (otherwise a one-off step: 0 or 1).
    pub const fn is_hours(self) -> bool {
        matches!(
            self,
            RequirementKind::Training
                | RequirementKind::SupervisedWork
                | RequirementKind::Supervision
        )
    }
}

/// Progress on one requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementProgress {
    /// Stable key: `training.<domain_slug>`, or the kind code (`supervised_work`, `exam`, …).
    pub key: String,
    /// Human-readable label.
    pub label: String,
    /// Kind.
    pub kind: RequirementKind,
    /// Required amount: hours, or 1 for a one-off step.
    pub required: f64,
    /// Done so far (may exceed `required`; the excess counts nowhere else).
    pub done: f64,
    /// `done / required` clamped to 0..=1.
    pub fraction: f64,
}

struct Req {
    progress: RequirementProgress,
    entries: Vec<(NaiveDate, f64)>,
}

fn clean(h: f64) -> f64 {
    if h.is_finite() && h > 0.0 { h } else { 0.0 }
}

fn norm(domain: &str) -> String {
    domain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn slug(domain: &str) -> String {
    let mut s = String::new();
    for c in norm(domain).chars() {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    s.trim_matches('_').to_string()
}

fn req(
    key: String,
    label: String,
    kind: RequirementKind,
    required: f64,
    entries: Vec<(NaiveDate, f64)>,
) -> Req {
    let done = entries.iter().map(|e| e.1).sum();
    step(key, label, kind, required, done, entries)
}

fn step(
    key: String,
    label: String,
    kind: RequirementKind,
    required: f64,
    done: f64,
    entries: Vec<(NaiveDate, f64)>,
) -> Req {
    Req {
        progress: RequirementProgress {
            key,
            label,
            kind,
            required,
            done,
            fraction: (done / required).clamp(0.0, 1.0),
        },
        entries,
    }
}

fn requirements(std: &CredentialStandard, input: &PeerProgress) -> Vec<Req> {
    let mut out = Vec::new();
    // Merge duplicate domains (their requirements add up).
    let mut domains: Vec<(String, String, f64)> = Vec::new();
    for (name, hours) in &std.training_hours_by_domain {
        let (n, h) = (norm(name), clean(*hours));
        match domains.iter_mut().find(|d| d.0 == n) {
            Some(d) => d.2 += h,
            None => domains.push((n, name.trim().to_string(), h)),
        }
    }
    for (n, name, required) in domains {
        if required > 0.0 {
            let entries = input
                .training
                .iter()
                .filter(|t| norm(&t.domain) == n)
                .map(|t| (t.on, clean(t.hours)))
                .collect();
            out.push(req(
                format!("training.{}", slug(&name)),
                format!("Training: {name}"),
                RequirementKind::Training,
                required,
                entries,
            ));
        }
    }
    for (kind, required, list) in [
        (
            RequirementKind::SupervisedWork,
            std.supervised_work_hours,
            &input.supervised_work_hours,
        ),
        (
            RequirementKind::Supervision,
            std.supervision_hours,
            &input.supervision_hours,
        ),
    ] {
        let required = clean(required);
        if required > 0.0 {
            let entries = list.iter().map(|e| (e.on, clean(e.hours))).collect();
            out.push(req(
                kind.as_str().into(),
                kind.label().into(),
                kind,
                required,
                entries,
            ));
        }
    }
    let fee_required = std.fees_usd.is_some_and(|f| clean(f) > 0.0);
    let steps = [
        (
            RequirementKind::Exam,
            std.exam_required,
            input.exam_passed_on.is_some(),
            None,
        ),
        (
            RequirementKind::EthicsAttestation,
            std.ethics_attestation_required,
            input.ethics_signed_on.is_some(),
            None,
        ),
        (
            RequirementKind::BackgroundCheck,
            std.background_check_required,
            input.background_check_cleared_on.is_some(),
            None,
        ),
        (
            RequirementKind::Education,
            std.formal_education.is_some(),
            input.education_met,
            std.formal_education.as_deref(),
        ),
        (RequirementKind::Fees, fee_required, input.fees_paid, None),
    ];
    for (kind, required, met, detail) in steps {
        if required {
            let label = match detail {
                Some(d) => format!("{}: {d}", kind.label()),
                None => kind.label().to_string(),
            };
            let done = if met { 1.0 } else { 0.0 };
            out.push(step(
                kind.as_str().into(),
                label,
                kind,
                1.0,
                done,
                Vec::new(),
            ));
        }
    }
    out
}

/// Progress on every requirement of `std` (requirements with nothing required are omitted).
/// Training domains come first, in the standard's order, then hours, then one-off steps.
pub fn progress(std: &CredentialStandard, input: &PeerProgress) -> Vec<RequirementProgress> {
    requirements(std, input)
        .into_iter()
        .map(|r| r.progress)
        .collect()
}

/// Overall progress: the unweighted mean of the requirements' fractions (each requirement is one
/// step of the path, so an exam weighs as much as a block of hours). 1.0 when nothing is required.
pub fn overall_fraction(items: &[RequirementProgress]) -> f64 {
    if items.is_empty() {
        return 1.0;
    }
    (items.iter().map(|i| i.fraction).sum::<f64>() / items.len() as f64).clamp(0.0, 1.0)
}

/// Days of history used for the pace in [`expected_completion`].
pub const PACE_WINDOW_DAYS: i64 = 90;

/// Projected date on which the hour-based requirements will all be met, at the current pace.
///
/// - Already certified (`certified_on`): that date.
/// - For each unmet hour requirement: pace = hours logged in the last 90 days up to `today`
///   (or since its first record, if that is more recent), per day; projected date =
///   `today + ceil(remaining / pace)`. Returns the latest of these, or `today` if none remain.
/// - `None` when some hour requirement remains and its pace is zero (or the date is out of range).
/// - One-off steps (exam, attestation, background check, education, fees) are not projected;
///   [`progress`] lists them.
pub fn expected_completion(
    std: &CredentialStandard,
    input: &PeerProgress,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if let Some(c) = input.certified_on {
        return Some(c);
    }
    let mut latest = today;
    for r in requirements(std, input) {
        let p = &r.progress;
        let remaining = p.required - p.done;
        if !p.kind.is_hours() || remaining <= 0.0 {
            continue;
        }
        let first = r
            .entries
            .iter()
            .filter(|e| e.0 <= today && e.1 > 0.0)
            .map(|e| e.0)
            .min()?;
        let window = ((today - first).num_days() + 1).min(PACE_WINDOW_DAYS);
        let start = today - chrono::Duration::days(window - 1);
        let recent: f64 = r
            .entries
            .iter()
            .filter(|e| start <= e.0 && e.0 <= today)
            .map(|e| e.1)
            .sum();
        if recent <= 0.0 {
            return None;
        }
        let days = (remaining / (recent / window as f64)).ceil();
        if !(days.is_finite() && days < 1.0e7) {
            return None;
        }
        latest = latest.max(today.checked_add_days(Days::new(days as u64))?);
    }
    Some(latest)
}

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

labeled_enum! {
    /// The variant of a [`CredentialAlert`] without its data.
    pub enum AlertKind {
        /// See [`CredentialAlert::ExpiresIn`].
        ExpiresIn => ("expires_in", "Credential expiring"),
        /// See [`CredentialAlert::Expired`].
        Expired => ("expired", "Credential expired"),
        /// See [`CredentialAlert::CeBehind`].
        CeBehind => ("ce_behind", "Continuing education behind"),
        /// See [`CredentialAlert::CeEthicsBehind`].
        CeEthicsBehind => ("ce_ethics_behind", "Ethics continuing education behind"),
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
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn snake(name: &str) -> String {
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    macro_rules! check_enum {
        ($t:ty) => {
            for v in <$t>::ALL {
                assert_eq!(<$t>::parse(v.as_str()), Some(*v));
                assert_eq!(v.as_str(), snake(&format!("{v:?}")));
                assert!(!v.label().is_empty());
            }
            assert_eq!(<$t>::parse("nonsense"), None);
        };
    }

    #[test]
    fn enum_codes_round_trip_and_are_snake_case() {
        check_enum!(RequirementKind);
        check_enum!(AlertKind);
    }

    #[test]
    fn templates_match_published_figures() {
        let ic = ic_and_rc_peer_recovery();
        let hours: f64 = ic.training_hours_by_domain.iter().map(|d| d.1).sum();
        assert_eq!(hours, 46.0);
        assert_eq!(
            ic.training_hours_by_domain[3],
            ("Ethical responsibility".into(), 16.0)
        );
        assert_eq!(
            (ic.supervised_work_hours, ic.supervision_hours),
            (500.0, 25.0)
        );
        assert_eq!(
            (ic.renewal_years, ic.ce_hours, ic.ce_ethics_hours),
            (2, 20.0, 6.0)
        );
        let sm = samhsa_national_model_state();
        let hours: f64 = sm.training_hours_by_domain.iter().map(|d| d.1).sum();
        assert_eq!(hours, 60.0);
        assert_eq!(sm.supervised_work_hours, 120.0);
        assert!(sm.background_check_required && sm.exam_required);
        assert_eq!(progress(&sm, &PeerProgress::default()).len(), 9 + 2 + 4);
    }

    fn te(domain: &str, hours: f64, on: NaiveDate) -> TrainingEntry {
        TrainingEntry {
            domain: domain.into(),
            hours,
            on,
        }
    }

    #[test]
    fn progress_no_spill_and_keys() {
        let std = ic_and_rc_peer_recovery();
        let input = PeerProgress {
            training: vec![
                te("advocacy", 25.0, d(2024, 1, 1)),
                te("  Ethical   Responsibility ", 8.0, d(2024, 1, 2)),
                te("Underwater basket weaving", 40.0, d(2024, 1, 3)),
                te("Advocacy", f64::NAN, d(2024, 1, 3)),
                te("Advocacy", -5.0, d(2024, 1, 3)),
            ],
            exam_passed_on: Some(d(2024, 2, 1)),
            ..Default::default()
        };
        let p = progress(&std, &input);
        let get = |k: &str| p.iter().find(|r| r.key == k).unwrap().clone();
        assert_eq!(get("training.advocacy").done, 25.0);
        assert_eq!(get("training.advocacy").fraction, 1.0);
        assert_eq!(get("training.mentoring_and_education").fraction, 0.0);
        assert_eq!(get("training.ethical_responsibility").fraction, 0.5);
        assert_eq!(get("exam").fraction, 1.0);
        assert_eq!(get("ethics_attestation").fraction, 0.0);
        assert!(
            p.iter()
                .all(|r| r.key != "background_check" && r.key != "fees")
        );
        assert_eq!(
            get("education").label,
            "Formal education: High school diploma or equivalent"
        );
        let overall = overall_fraction(&p);
        assert!((overall - 2.5 / 9.0).abs() < 1e-12, "{overall}");
        assert_eq!(overall_fraction(&[]), 1.0);
    }

    #[test]
    fn completion_projection() {
        let mut std = ic_and_rc_peer_recovery();
        std.training_hours_by_domain.clear();
        std.supervision_hours = 0.0;
        std.supervised_work_hours = 100.0;
        let today = d(2024, 6, 30);
        let mut input = PeerProgress::default();
        assert_eq!(expected_completion(&std, &input, today), None);
        // 10 days ago started, 20 hours logged → 2 h/day, 80 remaining → 40 days.
        input.supervised_work_hours = vec![
            HoursEntry {
                on: d(2024, 6, 21),
                hours: 10.0,
            },
            HoursEntry {
                on: d(2024, 6, 30),
                hours: 10.0,
            },
        ];
        assert_eq!(
            expected_completion(&std, &input, today),
            Some(d(2024, 8, 9))
        );
        // Old history only: 90-day window empty → no pace.
        input.supervised_work_hours = vec![HoursEntry {
            on: d(2023, 1, 1),
            hours: 20.0,
        }];
        assert_eq!(expected_completion(&std, &input, today), None);
        // Long history: pace over 90 days: 45 h in window → 0.5 h/day; 35 remaining → 70 days.
        input.supervised_work_hours.push(HoursEntry {
            on: d(2024, 5, 1),
            hours: 45.0,
        });
        assert_eq!(
            expected_completion(&std, &input, today),
            Some(d(2024, 9, 8))
        );
        input.supervised_work_hours.push(HoursEntry {
            on: d(2024, 5, 2),
            hours: 40.0,
        });
        assert_eq!(expected_completion(&std, &input, today), Some(today));
        input.certified_on = Some(d(2024, 1, 5));
        assert_eq!(
            expected_completion(&std, &input, today),
            Some(d(2024, 1, 5))
        );
    }

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

    fn date() -> impl Strategy<Value = NaiveDate> {
        (0i64..3000).prop_map(|o| d(2020, 1, 1) + chrono::Duration::days(o))
    }

    fn hours() -> impl Strategy<Value = f64> {
        prop_oneof![8 => 0.0f64..40.0, 1 => Just(-3.0), 1 => Just(f64::NAN)]
    }

    fn domains() -> Vec<String> {
        let mut v: Vec<String> = ic_and_rc_peer_recovery()
            .training_hours_by_domain
            .into_iter()
            .map(|d| d.0)
            .collect();
        v.push("Unlisted".into());
        v
    }

    fn peer() -> impl Strategy<Value = PeerProgress> {
        let training = proptest::collection::vec(
            (proptest::sample::select(domains()), hours(), date())
                .prop_map(|(domain, hours, on)| TrainingEntry { domain, hours, on }),
            0..12,
        );
        let entries = || {
            proptest::collection::vec(
                (date(), hours()).prop_map(|(on, hours)| HoursEntry { on, hours }),
                0..8,
            )
        };
        (
            training,
            entries(),
            entries(),
            proptest::option::of(date()),
            proptest::option::of(date()),
            any::<bool>(),
        )
            .prop_map(|(training, sw, sv, exam, ethics, edu)| PeerProgress {
                training,
                supervised_work_hours: sw,
                supervision_hours: sv,
                exam_passed_on: exam,
                ethics_signed_on: ethics,
                education_met: edu,
                ..Default::default()
            })
    }

    fn standard() -> impl Strategy<Value = CredentialStandard> {
        prop_oneof![
            Just(ic_and_rc_peer_recovery()),
            Just(samhsa_national_model_state())
        ]
    }

    proptest! {
        #[test]
        fn fractions_in_unit_interval(std in standard(), p in peer()) {
            let items = progress(&std, &p);
            for r in &items {
                prop_assert!((0.0..=1.0).contains(&r.fraction), "{:?}", r);
                prop_assert!(r.done >= 0.0);
            }
            let o = overall_fraction(&items);
            prop_assert!((0.0..=1.0).contains(&o));
        }

        #[test]
        fn adding_hours_never_lowers_progress(
            std in standard(),
            p in peer(),
            which in 0usize..3,
            domain in proptest::sample::select(domains()),
            h in 0.0f64..50.0,
            on in date(),
            pos in any::<proptest::sample::Index>(),
        ) {
            let before = progress(&std, &p);
            let mut q = p.clone();
            match which {
                0 => {
                    let i = pos.index(q.training.len() + 1);
                    q.training.insert(i, TrainingEntry { domain, hours: h, on });
                }
                1 => {
                    let i = pos.index(q.supervised_work_hours.len() + 1);
                    q.supervised_work_hours.insert(i, HoursEntry { on, hours: h });
                }
                _ => {
                    let i = pos.index(q.supervision_hours.len() + 1);
                    q.supervision_hours.insert(i, HoursEntry { on, hours: h });
                }
            }
            let after = progress(&std, &q);
            prop_assert_eq!(before.len(), after.len());
            for (b, a) in before.iter().zip(&after) {
                prop_assert_eq!(&b.key, &a.key);
                prop_assert!(a.done >= b.done && a.fraction >= b.fraction, "{:?} -> {:?}", b, a);
            }
            prop_assert!(overall_fraction(&after) >= overall_fraction(&before));
        }

        #[test]
        fn expiry_alerts_fire_at_configured_days(
            start in date(),
            years in 1u32..5,
            thresholds in proptest::collection::vec(1u32..400, 0..4),
            before in -10i64..500,
        ) {
            let mut std = ic_and_rc_peer_recovery();
            std.renewal_years = years;
            std.ce_hours = 0.0;
            std.ce_ethics_hours = 0.0;
            let input = PeerProgress { certified_on: Some(start), ..Default::default() };
            let end = expiry(start, &std);
            let today = end - chrono::Duration::days(before);
            let got = alerts(&std, &input, today, &thresholds);
            let expected = if before <= 0 {
                vec![CredentialAlert::Expired { expired_on: end }]
            } else {
                match thresholds.iter().copied().filter(|&t| i64::from(t) >= before).min() {
                    Some(threshold) => vec![CredentialAlert::ExpiresIn { expires_on: end, days: before, threshold }],
                    None => vec![],
                }
            };
            prop_assert_eq!(got, expected);
        }

        #[test]
        fn completion_not_before_today(std in standard(), p in peer(), today in date()) {
            if let Some(c) = expected_completion(&std, &p, today) {
                prop_assert!(c >= today);
            }
        }
    }
}
