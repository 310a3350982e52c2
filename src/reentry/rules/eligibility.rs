//! The eligibility decision from a screening's answers.

use chrono::{Datelike, NaiveDate};

use super::programme::{
    Conditions, FORMER_FOSTER_YOUTH_UNDER_AGE, ProgrammeRules, YOUTH_UNDER_AGE,
};
use super::vocabularies::{Criterion, HealthCondition, MedicaidStatus, ScreeningResult};

/// What a screening in custody found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningAnswers {
    /// Medicaid status at screening.
    pub medicaid: MedicaidStatus,
    /// Qualifying conditions found (any order; repeats ignored).
    pub conditions: Vec<HealthCondition>,
    /// Age at the expected release, when known (see [`age_on`]).
    pub age_at_release: Option<u32>,
    /// A former foster youth (in foster care at 18 and enrolled in Medicaid then).
    pub former_foster_youth: bool,
}

/// The decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eligibility {
    /// Eligible, eligible once Medicaid is granted, or not.
    pub result: ScreeningResult,
    /// The criteria found met, in the vocabulary's order.
    pub criteria_met: Vec<Criterion>,
    /// An eligible juvenile under CAA 2023 §5121 (the 30-day youth window applies).
    pub youth: bool,
}

/// Whether a person of `age` at release is an eligible juvenile under CAA 2023 §5121: under 21,
/// or a former foster youth under 26. An unknown age is not youth.
pub fn is_youth(age_at_release: Option<u32>, former_foster_youth: bool) -> bool {
    age_at_release.is_some_and(|a| {
        a < YOUTH_UNDER_AGE || (former_foster_youth && a < FORMER_FOSTER_YOUTH_UNDER_AGE)
    })
}

/// Whole years from `born` to `on` (0 before the first birthday; `None` if `on` is before
/// `born`).
pub fn age_on(born: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < born {
        return None;
    }
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// The decision under `rules`:
/// - the clinical test: an eligible juvenile (CAA 2023 §5121 needs no condition), or a
///   condition the programme names, or any adult where the programme names none;
/// - the Medicaid test: enrolled, active or suspended (SMD #23-003 covers people who are
///   enrolled; a suspension is lifted for the covered services);
/// - both met: eligible; the clinical test met but not enrolled (an application pending, or
///   none yet): eligible once Medicaid is granted, so the application is the next step;
///   otherwise not eligible.
pub fn decide(rules: &ProgrammeRules, answers: &ScreeningAnswers) -> Eligibility {
    let youth = is_youth(answers.age_at_release, answers.former_foster_youth);
    let mut met = Vec::new();
    if answers.medicaid.is_enrolled() {
        met.push(Criterion::Medicaid);
    }
    let condition = match rules.conditions {
        Conditions::NoneRequired => {
            met.push(Criterion::AnyoneInCustody);
            true
        }
        Conditions::OneOf(list) => {
            let any = answers.conditions.iter().any(|c| list.contains(c));
            if any {
                met.push(Criterion::HealthCondition);
            }
            any
        }
    };
    if youth {
        if answers.age_at_release.is_some_and(|a| a < YOUTH_UNDER_AGE) {
            met.push(Criterion::Youth);
        } else {
            met.push(Criterion::FormerFosterYouth);
        }
    }
    met.sort();
    let clinical = condition || youth;
    let result = match (clinical, answers.medicaid.is_enrolled()) {
        (true, true) => ScreeningResult::Eligible,
        (true, false) => ScreeningResult::PendingMedicaid,
        (false, _) => ScreeningResult::NotEligible,
    };
    Eligibility {
        result,
        criteria_met: met,
        youth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reentry::rules::Template;
    use proptest::prelude::*;

    fn answers(
        medicaid: MedicaidStatus,
        conditions: &[HealthCondition],
        age: u32,
    ) -> ScreeningAnswers {
        ScreeningAnswers {
            medicaid,
            conditions: conditions.to_vec(),
            age_at_release: Some(age),
            former_foster_youth: false,
        }
    }

    #[test]
    fn california_needs_a_condition_of_an_adult() {
        let ca = ProgrammeRules::of(Template::California);
        let none = decide(&ca, &answers(MedicaidStatus::Active, &[], 40));
        assert_eq!(none.result, ScreeningResult::NotEligible);
        assert_eq!(none.criteria_met, vec![Criterion::Medicaid]);
        let sud = decide(
            &ca,
            &answers(
                MedicaidStatus::Suspended,
                &[HealthCondition::SubstanceUseDisorder],
                40,
            ),
        );
        assert_eq!(sud.result, ScreeningResult::Eligible);
        assert_eq!(
            sud.criteria_met,
            vec![Criterion::Medicaid, Criterion::HealthCondition]
        );
        assert!(!sud.youth);
    }

    #[test]
    fn not_enrolled_is_eligible_once_medicaid_is_granted() {
        let wa = ProgrammeRules::of(Template::Washington);
        for m in [MedicaidStatus::ApplicationPending, MedicaidStatus::None] {
            let d = decide(&wa, &answers(m, &[], 35));
            assert_eq!(d.result, ScreeningResult::PendingMedicaid);
            assert_eq!(d.criteria_met, vec![Criterion::AnyoneInCustody]);
        }
    }

    #[test]
    fn youth_need_no_condition() {
        let ca = ProgrammeRules::of(Template::California);
        let d = decide(&ca, &answers(MedicaidStatus::Active, &[], 19));
        assert_eq!(d.result, ScreeningResult::Eligible);
        assert!(d.youth);
        assert_eq!(d.criteria_met, vec![Criterion::Medicaid, Criterion::Youth]);
        let mut foster = answers(MedicaidStatus::Active, &[], 24);
        foster.former_foster_youth = true;
        let d = decide(&ca, &foster);
        assert!(d.youth);
        assert_eq!(
            d.criteria_met,
            vec![Criterion::Medicaid, Criterion::FormerFosterYouth]
        );
        foster.age_at_release = Some(26);
        assert_eq!(decide(&ca, &foster).result, ScreeningResult::NotEligible);
    }

    #[test]
    fn age_counts_whole_years() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(age_on(d(2005, 3, 10), d(2026, 3, 9)), Some(20));
        assert_eq!(age_on(d(2005, 3, 10), d(2026, 3, 10)), Some(21));
        assert_eq!(age_on(d(2004, 2, 29), d(2026, 2, 28)), Some(21));
        assert_eq!(age_on(d(2026, 1, 2), d(2026, 1, 1)), None);
    }

    fn any_answers() -> impl Strategy<Value = ScreeningAnswers> {
        (
            prop::sample::select(MedicaidStatus::ALL),
            prop::collection::vec(prop::sample::select(HealthCondition::ALL), 0..4),
            prop::option::of(10u32..70),
            any::<bool>(),
        )
            .prop_map(
                |(medicaid, conditions, age_at_release, former_foster_youth)| ScreeningAnswers {
                    medicaid,
                    conditions,
                    age_at_release,
                    former_foster_youth,
                },
            )
    }

    proptest! {
        #[test]
        fn the_decision_follows_its_two_tests(
            t in prop::sample::select(Template::ALL),
            a in any_answers(),
        ) {
            let rules = ProgrammeRules::of(t);
            let d = decide(&rules, &a);
            let enrolled = a.medicaid.is_enrolled();
            prop_assert_eq!(d.criteria_met.contains(&Criterion::Medicaid), enrolled);
            let clinical = d.youth
                || d.criteria_met.contains(&Criterion::HealthCondition)
                || d.criteria_met.contains(&Criterion::AnyoneInCustody);
            prop_assert_eq!(d.result == ScreeningResult::Eligible, clinical && enrolled);
            prop_assert_eq!(d.result == ScreeningResult::PendingMedicaid, clinical && !enrolled);
            // More conditions never make a person less eligible.
            let mut more = a.clone();
            more.conditions.extend_from_slice(HealthCondition::ALL);
            prop_assert!(decide(&rules, &more).result <= d.result);
            // Criteria are sorted and distinct.
            prop_assert!(d.criteria_met.windows(2).all(|w| w[0] < w[1]));
            prop_assert_eq!(d.youth, a.age_at_release.is_some_and(|x| x < 21 || (a.former_foster_youth && x < 26)));
        }
    }
}
