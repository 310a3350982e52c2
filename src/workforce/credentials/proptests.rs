//! Property tests of the credential rules over random standards and peers: fractions stay in the
//! unit interval, more hours never lower progress, expiry alerts fire on the configured days, and a
//! projected completion is never before today.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::reports::test_dates::ymd as d;

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
