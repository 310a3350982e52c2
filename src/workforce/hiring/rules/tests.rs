use super::*;
use crate::platform::vocabulary::assert_vocabularies;
use proptest::prelude::*;

fn d(day: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(day)
}

fn entered(id: i64, step: Step, day: i64) -> StepEvent {
    StepEvent {
        applicant_id: id,
        step,
        on: d(day),
        change: Change::Entered,
    }
}

/// Apply to the pipeline on `day`.
fn apply(id: i64, day: i64) -> Vec<StepEvent> {
    vec![entered(id, Step::Application, day)]
}

fn moved(ev: &mut Vec<StepEvent>, to: Step, day: i64) {
    let id = ev[0].applicant_id;
    let more = advance(id, standing(ev), to, d(day)).unwrap();
    ev.extend(more);
}

fn dropped(ev: &mut Vec<StepEvent>, o: Outcome, r: DropReason, day: i64) {
    let id = ev[0].applicant_id;
    let e = leave(id, standing(ev), o, Some(r), d(day)).unwrap();
    ev.push(e);
}

#[test]
fn codes_round_trip() {
    assert_vocabularies! { Step, Outcome, DropReason }
}

#[test]
fn steps_follow_in_order_and_a_job_without_facility_work_skips_the_clearance() {
    let mut ev = apply(1, 0);
    assert_eq!(standing(&ev), Standing::In(Step::Application, d(0)));
    // Not the next step: refused.
    assert_eq!(
        advance(1, standing(&ev), Step::Interview, d(1)),
        Err(Refusal::NotNext)
    );
    // Before the step was entered: refused.
    assert_eq!(
        advance(1, standing(&ev), Step::Screening, d(-1)),
        Err(Refusal::BeforeEntered)
    );
    moved(&mut ev, Step::Screening, 2);
    moved(&mut ev, Step::Interview, 2);
    moved(&mut ev, Step::Offer, 5);
    moved(&mut ev, Step::BackgroundCheck, 6);
    assert_eq!(standing(&ev), Standing::In(Step::BackgroundCheck, d(6)));
    moved(&mut ev, Step::Hired, 20);
    assert_eq!(standing(&ev), Standing::Hired(d(20)));
    // Hired is the end: nothing moves from it.
    assert_eq!(
        advance(1, standing(&ev), Step::FacilityClearance, d(21)),
        Err(Refusal::NotInAStep)
    );
    assert_eq!(
        leave(
            1,
            standing(&ev),
            Outcome::Withdrew,
            Some(DropReason::Other),
            d(21)
        ),
        Err(Refusal::NotInAStep)
    );
}

#[test]
fn leaving_needs_a_reason_and_ends_the_pipeline() {
    let mut ev = apply(1, 0);
    assert_eq!(
        leave(1, standing(&ev), Outcome::Withdrew, None, d(1)),
        Err(Refusal::Reason)
    );
    assert_eq!(
        leave(
            1,
            standing(&ev),
            Outcome::Advanced,
            Some(DropReason::Other),
            d(1)
        ),
        Err(Refusal::Reason)
    );
    dropped(
        &mut ev,
        Outcome::NotSelected,
        DropReason::DidNotMeetCriteria,
        3,
    );
    assert_eq!(
        standing(&ev),
        Standing::Left(Step::Application, Outcome::NotSelected, d(3))
    );
    assert_eq!(
        advance(1, standing(&ev), Step::Screening, d(4)),
        Err(Refusal::NotInAStep)
    );
}

/// Four applicants, figures by hand:
/// - 1: applied day 0, screening day 2, interview day 5, offer day 9, background check day 10,
///   clearance day 24, hired day 30;
/// - 2: applied day 0, screening day 4, withdrew (found other work) day 6;
/// - 3: applied day 1, screening day 3, interview day 4, offer day 6, background check day 8,
///   not selected (exemption denied) day 38;
/// - 4: applied day 2, still in application.
///
/// Application: entered 4, advanced 3 (2, 4, 2 days), still 1; median 2, mean 8/3 = 2.7.
/// Screening: entered 3, advanced 2 (3, 1 days), dropped 1 (2 days): median 2, mean 2.0.
/// Background check: entered 2, advanced 1 (14 days), dropped 1 (30 days): median 22, mean 22.
/// Conversion 1/4 = 0.25; days to hire 30.
#[test]
fn the_report_counts_by_hand() {
    let mut a = apply(1, 0);
    moved(&mut a, Step::Screening, 2);
    moved(&mut a, Step::Interview, 5);
    moved(&mut a, Step::Offer, 9);
    moved(&mut a, Step::BackgroundCheck, 10);
    moved(&mut a, Step::FacilityClearance, 24);
    moved(&mut a, Step::Hired, 30);
    let mut b = apply(2, 0);
    moved(&mut b, Step::Screening, 4);
    dropped(&mut b, Outcome::Withdrew, DropReason::FoundOtherWork, 6);
    let mut c = apply(3, 1);
    moved(&mut c, Step::Screening, 3);
    moved(&mut c, Step::Interview, 4);
    moved(&mut c, Step::Offer, 6);
    moved(&mut c, Step::BackgroundCheck, 8);
    dropped(
        &mut c,
        Outcome::NotSelected,
        DropReason::ExemptionDenied,
        38,
    );
    let e = apply(4, 2);
    let all: Vec<StepEvent> = [a, b, c, e].concat();
    let r = pipeline(&all);
    assert_eq!(
        (r.applicants, r.hired, r.dropped, r.in_progress),
        (4, 1, 2, 1)
    );
    assert_eq!(r.conversion, Some(0.25));
    assert_eq!(r.median_days_to_hire, Some(30.0));
    let app = &r.steps[0];
    assert_eq!(
        (app.entered, app.advanced, app.dropped, app.still_in),
        (4, 3, 0, 1)
    );
    assert_eq!((app.median_days, app.mean_days), (Some(2.0), Some(2.7)));
    let scr = &r.steps[1];
    assert_eq!(
        (scr.entered, scr.advanced, scr.withdrew, scr.still_in),
        (3, 2, 1, 0)
    );
    assert_eq!((scr.median_days, scr.mean_days), (Some(2.0), Some(2.0)));
    assert_eq!(scr.advance_rate, Some(0.667));
    let bg = &r.steps[4];
    assert_eq!(bg.step, Step::BackgroundCheck);
    assert_eq!((bg.entered, bg.advanced, bg.not_selected), (2, 1, 1));
    assert_eq!((bg.median_days, bg.mean_days), (Some(22.0), Some(22.0)));
    assert_eq!(
        bg.dropped_by_reason,
        vec![DropReasonCount {
            reason: DropReason::ExemptionDenied,
            count: 1
        }]
    );
    assert_eq!(r.steps.len(), 6, "every step but hired");
    assert_eq!(r.dropped_by_reason.len(), 2);
}

#[test]
fn medians_and_means() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[5, 1, 3]), Some(3.0));
    assert_eq!(median(&[4, 1, 3, 2]), Some(2.5));
    assert_eq!(mean(&[1, 2]), Some(1.5));
    assert_eq!(mean(&[1, 1, 2]), Some(1.3));
}

/// What happens to an applicant at each step: advance after some days, leave (with a reason)
/// after some days, or stay.
#[derive(Debug, Clone)]
enum Fate {
    Advance(i64, bool),
    Leave(i64, Outcome, DropReason),
    Stay,
}

fn fate() -> impl Strategy<Value = Fate> {
    prop_oneof![
        3 => (0i64..40, any::<bool>()).prop_map(|(d, skip)| Fate::Advance(d, skip)),
        1 => (
            0i64..40,
            prop::sample::select(vec![Outcome::Withdrew, Outcome::NotSelected]),
            prop::sample::select(DropReason::ALL.to_vec())
        )
            .prop_map(|(d, o, r)| Fate::Leave(d, o, r)),
        1 => Just(Fate::Stay),
    ]
}

/// An applicant's events, made through `advance` and `leave` as the operations do.
fn history(id: i64, start: i64, fates: &[Fate]) -> Vec<StepEvent> {
    let mut ev = apply(id, start);
    let mut day = start;
    for f in fates {
        let Standing::In(step, _) = standing(&ev) else {
            break;
        };
        match f {
            Fate::Advance(n, skip) => {
                day += n;
                let next = step.next();
                let to = if *skip { next[next.len() - 1] } else { next[0] };
                ev.extend(advance(id, standing(&ev), to, d(day)).unwrap());
            }
            Fate::Leave(n, o, r) => {
                day += n;
                ev.push(leave(id, standing(&ev), *o, Some(*r), d(day)).unwrap());
            }
            Fate::Stay => break,
        }
    }
    ev
}

proptest! {
    /// Counts conserve: at each step entered = advanced + dropped + still in; those who advance
    /// from a step are those who enter the steps after it; every applicant is hired, dropped or
    /// still in one step; the reasons add up to the drop-outs; the order of the events does not
    /// matter.
    #[test]
    fn counts_conserve(
        people in prop::collection::vec((0i64..60, prop::collection::vec(fate(), 0..8)), 0..25),
        shuffle_seed in any::<u64>(),
    ) {
        let mut all: Vec<StepEvent> = people
            .iter()
            .enumerate()
            .flat_map(|(i, (start, fates))| history(i as i64, *start, fates))
            .collect();
        let r = pipeline(&all);
        prop_assert_eq!(r.applicants, people.len());
        prop_assert_eq!(r.applicants, r.hired + r.dropped + r.in_progress);
        for s in &r.steps {
            prop_assert_eq!(s.entered, s.advanced + s.dropped + s.still_in);
            prop_assert_eq!(s.dropped, s.withdrew + s.not_selected);
            prop_assert_eq!(
                s.dropped,
                s.dropped_by_reason.iter().map(|c| c.count).sum::<usize>()
            );
            if let (Some(m), Some(x)) = (s.median_days, s.mean_days) {
                prop_assert!(m >= 0.0 && x >= 0.0);
            }
        }
        // Those who advance from a step enter the next; from the background check, the
        // clearance or hiring.
        for st in [Step::Application, Step::Screening, Step::Interview, Step::Offer] {
            prop_assert_eq!(r.steps[st.index()].advanced, r.steps[st.index() + 1].entered);
        }
        let bg = &r.steps[Step::BackgroundCheck.index()];
        let fc = &r.steps[Step::FacilityClearance.index()];
        prop_assert_eq!(bg.advanced + fc.advanced, fc.entered + r.hired);
        let total: usize = r.dropped_by_reason.iter().map(|c| c.count).sum();
        prop_assert_eq!(total, r.dropped);
        // Order does not matter.
        let n = all.len();
        if n > 1 {
            let mut s = shuffle_seed;
            for i in (1..n).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                all.swap(i, (s >> 33) as usize % (i + 1));
            }
        }
        prop_assert_eq!(pipeline(&all), r);
    }
}
