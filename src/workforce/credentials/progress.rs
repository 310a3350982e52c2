//! A peer's progress toward a credential standard: the records that count (training, supervised work,
//! supervision, continuing education, one-off steps), each requirement's progress, the overall
//! fraction, and the projected completion date at the current pace.

use crate::platform::vocabulary::vocabulary;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::CredentialStandard;

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

vocabulary! {
    /// Kind of a certification requirement.
    pub enum RequirementKind {
        /// Training hours in one domain.
        Training = "training" => "Training",
        /// Supervised work experience hours.
        SupervisedWork = "supervised_work" => "Supervised work experience",
        /// Supervision hours received.
        Supervision = "supervision" => "Supervision",
        /// Exam.
        Exam = "exam" => "Exam",
        /// Signed code of ethics.
        EthicsAttestation = "ethics_attestation" => "Code of ethics signed",
        /// Background check.
        BackgroundCheck = "background_check" => "Background check",
        /// Formal education.
        Education = "education" => "Formal education",
        /// Fees.
        Fees = "fees" => "Fees",
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

pub(super) fn clean(h: f64) -> f64 {
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
    // Each training entry's domain normalised once, not once per domain of the standard.
    let trained: Vec<(String, NaiveDate, f64)> = input
        .training
        .iter()
        .map(|t| (norm(&t.domain), t.on, clean(t.hours)))
        .collect();
    for (n, name, required) in domains {
        if required > 0.0 {
            let entries = trained
                .iter()
                .filter(|t| t.0 == n)
                .map(|t| (t.1, t.2))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::test_dates::ymd as d;
    use crate::workforce::credentials::*;

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
}
