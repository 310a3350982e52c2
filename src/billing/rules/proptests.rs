//! Properties of the claim rules over generated days.

use proptest::prelude::*;

use super::claims::fixtures::{certified, enc};
use super::*;

fn rounding() -> impl Strategy<Value = Rounding> {
    prop::sample::select(Rounding::ALL.to_vec())
}

fn day() -> impl Strategy<Value = Vec<BillableEncounter>> {
    prop::collection::vec(
        (
            0u32..24,
            0u32..200,
            any::<bool>(),
            prop::option::of(1u32..15),
        ),
        0..8,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (hour, minutes, completed, group))| {
                let mut e = enc(i as i64 + 1, hour, minutes);
                e.completed = completed;
                e.group_size = group;
                e
            })
            .collect()
    })
}

fn rules() -> impl Strategy<Value = PayerRules> {
    (
        rounding(),
        prop::option::of(0u32..20),
        prop::option::of(1u32..12),
        1u32..60,
    )
        .prop_map(|(rounding, cap, group, per)| PayerRules {
            rounding,
            daily_unit_cap: cap,
            max_group_size: group,
            minutes_per_unit: per,
            ..PayerRules::default()
        })
}

proptest! {
    #[test]
    fn units_never_exceed_the_daily_cap(r in rules(), d in day()) {
        let c = claim_day(&r, &d, true, &certified());
        if let Some(cap) = r.daily_unit_cap {
            prop_assert!(c.units() <= cap);
        }
    }

    #[test]
    fn each_encounter_is_billed_or_rejected_and_no_units_are_lost(r in rules(), d in day()) {
        let c = claim_day(&r, &d, true, &certified());
        for e in &d {
            let billed: u32 = c.lines.iter().filter(|l| l.encounter_id == e.encounter_id).map(|l| l.units).sum();
            let refused: Vec<&RejectedLine> = c.rejected.iter().filter(|l| l.encounter_id == e.encounter_id).collect();
            prop_assert!(billed > 0 || !refused.is_empty(), "encounter {} vanished", e.encounter_id);
            let refused_units: u32 = refused.iter().map(|l| l.units).sum();
            prop_assert_eq!(billed + refused_units, r.units(e.minutes));
        }
    }

    #[test]
    fn whole_units_never_bill_more_minutes_than_delivered(r in rules(), d in day()) {
        let r = PayerRules { rounding: Rounding::WholeUnits, ..r };
        let c = claim_day(&r, &d, true, &certified());
        let billed: u32 = c.lines.iter().map(|l| l.units * r.minutes_per_unit).sum();
        let delivered: u32 = c.lines.iter().map(|l| l.minutes).sum();
        prop_assert!(billed <= delivered);
    }

    #[test]
    fn half_units_bill_at_most_half_a_unit_more_a_line(r in rules(), d in day()) {
        let r = PayerRules { rounding: Rounding::HalfUnit, ..r };
        let c = claim_day(&r, &d, true, &certified());
        for l in &c.lines {
            prop_assert!(2 * l.units * r.minutes_per_unit <= 2 * l.minutes + r.minutes_per_unit);
        }
    }

    #[test]
    fn order_of_encounters_changes_nothing(r in rules(), d in day(), seed in any::<u64>()) {
        let mut shuffled = d.clone();
        let n = shuffled.len();
        if n > 1 {
            for i in 0..n {
                let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % n as u64) as usize;
                shuffled.swap(i, j);
            }
        }
        prop_assert_eq!(claim_day(&r, &d, true, &certified()), claim_day(&r, &shuffled, true, &certified()));
    }

    #[test]
    fn rounding_rules_are_ordered(m in 0u32..500, per in 1u32..60) {
        let w = units(m, per, Rounding::WholeUnits);
        let h = units(m, per, Rounding::HalfUnit);
        let u = units(m, per, Rounding::RoundUp);
        prop_assert!(w <= h && h <= u && u <= w + 1);
    }
}
