//! Hiring people with lived experience: the pipeline's steps, the moves allowed between them, and
//! the pipeline report as a pure function over the applicants' dated step events.
//!
//! The steps follow the hiring sequence of seed 002 (BJA, the sample Peer Recovery Specialist job
//! description: lived experience of recovery and of the justice system is a qualification) and
//! seed 003 (NY peer integration toolkit: screen against the job description, interview, a
//! conditional offer, then the background check, where a criminal record needs an exemption,
//! and clearance into the facilities the peer will work in). Hiring starts the certification
//! pathway.
//!
//! Pure: no I/O; the events are arguments.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::platform::vocabulary::vocabulary;

vocabulary! {
    /// The steps of the hiring pipeline, in order.
    pub enum Step {
        Application = "application" => "Application",
        Screening = "screening" => "Screening against the job description",
        Interview = "interview" => "Interview",
        Offer = "offer" => "Conditional offer",
        BackgroundCheck = "background_check" => "Background check",
        FacilityClearance = "facility_clearance" => "Facility clearance",
        Hired = "hired" => "Hired (certification pathway started)",
    }
}

vocabulary! {
    /// How an applicant left a step.
    pub enum Outcome {
        Advanced = "advanced" => "Advanced",
        Withdrew = "withdrew" => "Withdrew",
        NotSelected = "not_selected" => "Not selected",
    }
}

vocabulary! {
    /// Why an applicant left the pipeline (withdrew or was not selected).
    pub enum DropReason {
        DidNotMeetCriteria = "did_not_meet_criteria" => "Did not meet the job description's criteria",
        NoResponse = "no_response" => "No response",
        FoundOtherWork = "found_other_work" => "Found other work",
        PayOrHours = "pay_or_hours" => "Pay or hours",
        Transportation = "transportation" => "Transportation",
        HealthOrFamily = "health_or_family" => "Own health, recovery or family",
        AnotherCandidate = "another_candidate" => "Another candidate chosen",
        DeclinedOffer = "declined_offer" => "Declined the offer",
        BackgroundCheck = "background_check" => "Background check not passed",
        ExemptionDenied = "exemption_denied" => "Criminal-record exemption denied",
        ExemptionTooSlow = "exemption_too_slow" => "Exemption took too long",
        FacilityClearanceDenied = "facility_clearance_denied" => "Facility clearance denied",
        Other = "other" => "Other",
    }
}

impl Step {
    /// Its place in the pipeline (0 for the application).
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The steps an applicant who passes this one may enter next. A job without work inside
    /// facilities goes from the background check straight to hiring.
    pub fn next(self) -> &'static [Step] {
        match self {
            Step::Application => &[Step::Screening],
            Step::Screening => &[Step::Interview],
            Step::Interview => &[Step::Offer],
            Step::Offer => &[Step::BackgroundCheck],
            Step::BackgroundCheck => &[Step::FacilityClearance, Step::Hired],
            Step::FacilityClearance => &[Step::Hired],
            Step::Hired => &[],
        }
    }

    /// Hired is where the pipeline ends: no time is spent in it and no one leaves it.
    pub fn is_final(self) -> bool {
        self == Step::Hired
    }

    /// The steps the criminal-record barriers report looks at.
    pub const BARRIER_STEPS: [Step; 2] = [Step::BackgroundCheck, Step::FacilityClearance];
}

/// One step change of an applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Entered the step.
    Entered,
    /// Left the step, with how and (unless advanced) why.
    Left(Outcome, Option<DropReason>),
}

/// A step change of an applicant on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepEvent {
    pub applicant_id: i64,
    pub step: Step,
    pub on: NaiveDate,
    pub change: Change,
}

/// Where an applicant stands after their events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// In this step since this date.
    In(Step, NaiveDate),
    /// Left the pipeline at this step.
    Left(Step, Outcome, NaiveDate),
    /// Hired on this date.
    Hired(NaiveDate),
    /// No events (never applied).
    None,
}

/// The order a step change happened in on one date: a step is entered before it is left, and
/// left before the next is entered.
fn order_key(e: &StepEvent) -> (NaiveDate, usize, u8) {
    let k = match e.change {
        Change::Entered => 0,
        Change::Left(..) => 1,
    };
    (e.on, e.step.index(), k)
}

/// Where an applicant stands after `events` (theirs, in any order).
pub fn standing(events: &[StepEvent]) -> Standing {
    let last = events.iter().max_by_key(|e| order_key(e));
    match last {
        None => Standing::None,
        Some(e) => match e.change {
            Change::Entered if e.step.is_final() => Standing::Hired(e.on),
            Change::Entered => Standing::In(e.step, e.on),
            Change::Left(Outcome::Advanced, _) => Standing::In(e.step, e.on),
            Change::Left(o, _) => Standing::Left(e.step, o, e.on),
        },
    }
}

/// Why a step change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The applicant is not in a step (left, or hired).
    NotInAStep,
    /// The step asked for does not follow the current one.
    NotNext,
    /// Before the date the applicant entered the current step.
    BeforeEntered,
    /// Leaving without advancing needs a reason; advancing takes none.
    Reason,
}

impl Refusal {
    /// The message key (locales/*/hiring.ftl).
    pub fn key(self) -> &'static str {
        match self {
            Refusal::NotInAStep => "hire-error-not-in-a-step",
            Refusal::NotNext => "hire-error-not-next",
            Refusal::BeforeEntered => "hire-error-before-entered",
            Refusal::Reason => "hire-error-reason",
        }
    }
}

/// The events that move an applicant who stands at `now` into step `to` on `on`: leaving the
/// current step advanced, then entering the next.
pub fn advance(
    applicant_id: i64,
    now: Standing,
    to: Step,
    on: NaiveDate,
) -> Result<[StepEvent; 2], Refusal> {
    let Standing::In(step, since) = now else {
        return Err(Refusal::NotInAStep);
    };
    if !step.next().contains(&to) {
        return Err(Refusal::NotNext);
    }
    if on < since {
        return Err(Refusal::BeforeEntered);
    }
    let ev = |step, change| StepEvent {
        applicant_id,
        step,
        on,
        change,
    };
    Ok([
        ev(step, Change::Left(Outcome::Advanced, None)),
        ev(to, Change::Entered),
    ])
}

/// The event of an applicant who stands at `now` leaving the pipeline on `on`: withdrew or not
/// selected, with a reason.
pub fn leave(
    applicant_id: i64,
    now: Standing,
    outcome: Outcome,
    reason: Option<DropReason>,
    on: NaiveDate,
) -> Result<StepEvent, Refusal> {
    let Standing::In(step, since) = now else {
        return Err(Refusal::NotInAStep);
    };
    if outcome == Outcome::Advanced || reason.is_none() {
        return Err(Refusal::Reason);
    }
    if on < since {
        return Err(Refusal::BeforeEntered);
    }
    Ok(StepEvent {
        applicant_id,
        step,
        on,
        change: Change::Left(outcome, reason),
    })
}

/// How many left for one reason.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DropReasonCount {
    pub reason: DropReason,
    pub count: usize,
}

/// The figures of one step.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StepFigures {
    pub step: Step,
    /// Applicants who entered the step.
    pub entered: usize,
    /// Left it for the next step.
    pub advanced: usize,
    /// Left the pipeline here (withdrew or not selected).
    pub dropped: usize,
    pub withdrew: usize,
    pub not_selected: usize,
    /// Still in the step on the report's date: `entered = advanced + dropped + still_in`.
    pub still_in: usize,
    /// Days from entering to leaving the step (advanced or dropped; those still in it are not
    /// counted): the median and the mean, to one decimal.
    pub median_days: Option<f64>,
    pub mean_days: Option<f64>,
    /// Of those who left the step, the share who advanced (to one thousandth).
    pub advance_rate: Option<f64>,
    /// Drop-outs here by reason, most first (then in the vocabulary's order).
    pub dropped_by_reason: Vec<DropReasonCount>,
}

/// The hiring pipeline report.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PipelineFigures {
    /// Applicants with an application.
    pub applicants: usize,
    pub hired: usize,
    /// Left the pipeline, at any step.
    pub dropped: usize,
    /// Still in some step.
    pub in_progress: usize,
    /// Hired over applicants (to one thousandth).
    pub conversion: Option<f64>,
    /// Days from application to hiring, of those hired: median and mean, to one decimal.
    pub median_days_to_hire: Option<f64>,
    pub mean_days_to_hire: Option<f64>,
    /// Every step but the last (hired), in order.
    pub steps: Vec<StepFigures>,
    /// Drop-outs at every step by reason, most first.
    pub dropped_by_reason: Vec<DropReasonCount>,
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// Median of whole days, to one decimal (the mean of the two middle values for an even count).
pub fn median(days: &[i64]) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    let mut d = days.to_vec();
    d.sort_unstable();
    let n = d.len();
    let m = if n % 2 == 1 {
        d[n / 2] as f64
    } else {
        (d[n / 2 - 1] + d[n / 2]) as f64 / 2.0
    };
    Some(round(m, 1))
}

/// Mean of whole days, to one decimal.
pub fn mean(days: &[i64]) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    Some(round(
        days.iter().sum::<i64>() as f64 / days.len() as f64,
        1,
    ))
}

fn by_reason(reasons: &[DropReason]) -> Vec<DropReasonCount> {
    let mut out: Vec<DropReasonCount> = DropReason::ALL
        .iter()
        .map(|r| DropReasonCount {
            reason: *r,
            count: reasons.iter().filter(|x| *x == r).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    // Stable: equal counts keep the vocabulary's order.
    out.sort_by_key(|c| std::cmp::Reverse(c.count));
    out
}

/// One applicant's stay in one step: when they entered, and how and when they left.
#[derive(Debug, Default, Clone, Copy)]
struct Stay {
    entered: Option<NaiveDate>,
    left: Option<(NaiveDate, Outcome, Option<DropReason>)>,
}

/// The pipeline report over every applicant's events (applicants without an application event
/// are not counted). Time in a step counts only stays that ended.
pub fn pipeline(events: &[StepEvent]) -> PipelineFigures {
    let mut stays: BTreeMap<i64, BTreeMap<usize, Stay>> = BTreeMap::new();
    for e in events {
        let s = stays
            .entry(e.applicant_id)
            .or_default()
            .entry(e.step.index())
            .or_default();
        match e.change {
            Change::Entered => s.entered = Some(s.entered.map_or(e.on, |d| d.min(e.on))),
            Change::Left(o, r) => s.left = Some((e.on, o, r)),
        }
    }
    stays.retain(|_, st| {
        st.get(&Step::Application.index())
            .is_some_and(|s| s.entered.is_some())
    });
    let mut steps = Vec::new();
    let mut all_reasons = Vec::new();
    for step in Step::ALL.iter().filter(|s| !s.is_final()) {
        let mut f = StepFigures {
            step: *step,
            entered: 0,
            advanced: 0,
            dropped: 0,
            withdrew: 0,
            not_selected: 0,
            still_in: 0,
            median_days: None,
            mean_days: None,
            advance_rate: None,
            dropped_by_reason: vec![],
        };
        let mut days = Vec::new();
        let mut reasons = Vec::new();
        for st in stays.values() {
            let Some(Stay {
                entered: Some(entered),
                left,
            }) = st.get(&step.index()).copied()
            else {
                continue;
            };
            f.entered += 1;
            match left {
                None => f.still_in += 1,
                Some((on, outcome, reason)) => {
                    days.push((on - entered).num_days());
                    match outcome {
                        Outcome::Advanced => f.advanced += 1,
                        Outcome::Withdrew => f.withdrew += 1,
                        Outcome::NotSelected => f.not_selected += 1,
                    }
                    if outcome != Outcome::Advanced {
                        f.dropped += 1;
                        reasons.push(reason.unwrap_or(DropReason::Other));
                    }
                }
            }
        }
        f.median_days = median(&days);
        f.mean_days = mean(&days);
        let left = f.advanced + f.dropped;
        f.advance_rate = (left > 0).then(|| round(f.advanced as f64 / left as f64, 3));
        f.dropped_by_reason = by_reason(&reasons);
        all_reasons.extend(reasons);
        steps.push(f);
    }
    let hire_days: Vec<i64> = stays
        .values()
        .filter_map(|st| {
            let applied = st.get(&Step::Application.index())?.entered?;
            let hired = st.get(&Step::Hired.index())?.entered?;
            Some((hired - applied).num_days())
        })
        .collect();
    let applicants = stays.len();
    let hired = hire_days.len();
    let dropped = all_reasons.len();
    PipelineFigures {
        applicants,
        hired,
        dropped,
        in_progress: steps.iter().map(|s| s.still_in).sum(),
        conversion: (applicants > 0).then(|| round(hired as f64 / applicants as f64, 3)),
        median_days_to_hire: median(&hire_days),
        mean_days_to_hire: mean(&hire_days),
        steps,
        dropped_by_reason: by_reason(&all_reasons),
    }
}

#[cfg(test)]
mod tests;
