//! A programme's reentry rules as data: the pre-release window, who is eligible, which services
//! are covered before release and who may deliver each. Five templates are shipped; an
//! organisation picks one and may adjust its window (`reentry::settings`).
//!
//! Sources, named where each rule is used:
//! - CMS State Medicaid Director letter SMD #23-003 (17 April 2023), "Opportunities to Test
//!   Transition-Related Strategies to Support Community Reentry and Improve Care Transitions
//!   for Individuals Who Are Incarcerated": Section 1115 demonstrations may cover services "for
//!   a period of up to 90 days immediately prior to the expected date of release"; the minimum
//!   covered services are case management, medication-assisted treatment for all types of
//!   substance use disorder (with counselling as clinically appropriate), and a 30-day supply of
//!   all prescription medications at release; a state may limit eligibility to people with
//!   specified health conditions.
//! - Consolidated Appropriations Act, 2023, §5121 (Social Security Act §1902(a)(84)(D), in force
//!   1 January 2025): for an eligible juvenile (under 21, or a former foster youth aged 18 to 26)
//!   after adjudication, "in the 30 days prior to the release", screening and diagnostic
//!   services and targeted case management, whatever the state's demonstration.
//! - State approvals, as summarised in the product owner's issue 17 (windows: California and
//!   Washington 90 days, New Hampshire 45, Montana 30). Where a state detail could not be
//!   checked against its approval letter and special terms and conditions, the template's doc
//!   comment says so; such details are chosen so that nobody is screened out by a rule we could
//!   not confirm, and an organisation's administrator can adjust the window.

use super::vocabularies::{Deliverer, HealthCondition, PreReleaseService, Template};

/// SMD #23-003: pre-release coverage is "for a period of up to 90 days immediately prior to the
/// expected date of release". No programme's window may be longer.
pub const MAX_WINDOW_DAYS: u16 = 90;

/// CAA 2023 §5121: screening and targeted case management "in the 30 days prior to the release"
/// of an eligible juvenile.
pub const YOUTH_WINDOW_DAYS: u16 = 30;

/// CAA 2023 §5121 (SSA §1902(nn)(2)): an eligible juvenile is under 21 …
pub const YOUTH_UNDER_AGE: u32 = 21;

/// … or a former foster youth (SSA §1902(a)(10)(A)(i)(IX)) under 26.
pub const FORMER_FOSTER_YOUTH_UNDER_AGE: u32 = 26;

/// A service covered before release and who may deliver it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Covered {
    /// The service.
    pub service: PreReleaseService,
    /// Who may deliver it (never empty).
    pub by: &'static [Deliverer],
}

/// `service`, delivered by `by`: one line of a template's table.
const fn cover(service: PreReleaseService, by: &'static [Deliverer]) -> Covered {
    Covered { service, by }
}

/// Which health conditions qualify an adult.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conditions {
    /// Everyone in custody who is (or would be) enrolled in Medicaid.
    NoneRequired,
    /// At least one of these.
    OneOf(&'static [HealthCondition]),
}

/// A programme's reentry rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgrammeRules {
    /// The template these rules come from.
    pub template: Template,
    /// The adult pre-release window, in days before the expected release (1 to
    /// [`MAX_WINDOW_DAYS`]).
    pub window_days: u16,
    /// Which conditions qualify an adult.
    pub conditions: Conditions,
    /// The services covered before release for adults, and who may deliver each.
    pub services: &'static [Covered],
}

use Deliverer::{Clinician, CommunityHealthWorker as Chw, Peer};
use HealthCondition as H;
use PreReleaseService as S;

/// SMD #23-003's minimum services, delivered by clinicians or licensed case managers.
const SMD_MINIMUM: &[Covered] = &[
    cover(S::CaseManagement, &[Clinician]),
    cover(S::Moud, &[Clinician]),
    cover(S::ReleaseMedication, &[Clinician]),
];

/// CAA 2023 §5121's services for eligible juveniles: screening and diagnostic services and
/// targeted case management.
pub const YOUTH_SERVICES: &[Covered] = &[
    cover(S::Screening, &[Clinician]),
    cover(S::CaseManagement, &[Clinician]),
];

/// The federal minimum, for an organisation in a state without an approved reentry
/// demonstration (the default). Federal law covers pre-release services only for eligible
/// juveniles (CAA 2023 §5121, 30 days); for adults no window is set by law, so the template
/// plans on the same 30 days and SMD #23-003's minimum services, with no condition required.
/// That adult window is a planning default, not a rule: an administrator adjusts it.
const FEDERAL_MINIMUM: ProgrammeRules = ProgrammeRules {
    template: Template::FederalMinimum,
    window_days: YOUTH_WINDOW_DAYS,
    conditions: Conditions::NoneRequired,
    services: SMD_MINIMUM,
};

/// California, CalAIM Justice-Involved Reentry Initiative (approved January 2023, going live by
/// facility from 1 October 2024): 90 days; adults qualify with mental illness, a substance use
/// disorder, a chronic or significant clinical condition, an intellectual or developmental
/// disability, a traumatic brain injury, HIV/AIDS, or pregnancy or postpartum; youth in youth
/// correctional facilities qualify without a condition (the youth rule here). Covered: the
/// minimum services, clinical consultation, laboratory and radiology, medical equipment at
/// release, and community health worker services. Who delivers case management is set by the
/// state's policy guide; we did not verify whether community health workers may, so it is listed
/// for clinicians only.
const CALIFORNIA: ProgrammeRules = ProgrammeRules {
    template: Template::California,
    window_days: 90,
    conditions: Conditions::OneOf(&[
        H::MentalIllness,
        H::SubstanceUseDisorder,
        H::ChronicCondition,
        H::IntellectualDisability,
        H::TraumaticBrainInjury,
        H::Hiv,
        H::Pregnancy,
    ]),
    services: &[
        cover(S::CaseManagement, &[Clinician]),
        cover(S::Moud, &[Clinician]),
        cover(S::ReleaseMedication, &[Clinician]),
        cover(S::ClinicalConsultation, &[Clinician]),
        cover(S::LabRadiology, &[Clinician]),
        cover(S::MedicalEquipment, &[Clinician]),
        cover(S::CommunityHealthWorker, &[Chw]),
    ],
};

/// Washington, Medicaid Transformation Project reentry amendment (approved June 2023): 90 days.
/// Washington names peers and community health workers with lived experience as deliverers of
/// pre-release services (issue 17). Not verified: whether Washington limits adults by health
/// condition; the template requires none, so that no one is screened out by a rule we could not
/// confirm.
const WASHINGTON: ProgrammeRules = ProgrammeRules {
    template: Template::Washington,
    window_days: 90,
    conditions: Conditions::NoneRequired,
    services: &[
        cover(S::CaseManagement, &[Clinician, Chw, Peer]),
        cover(S::Moud, &[Clinician]),
        cover(S::ReleaseMedication, &[Clinician]),
        cover(S::LabRadiology, &[Clinician]),
        cover(S::MedicalEquipment, &[Clinician]),
        cover(S::CommunityHealthWorker, &[Chw]),
        cover(S::PeerSupport, &[Peer]),
    ],
};

/// Montana, reentry amendment to the HEART demonstration: 30 days (issue 17). Not verified: its
/// condition criteria and any services beyond SMD #23-003's minimum; the template requires no
/// condition and lists the minimum services only.
const MONTANA: ProgrammeRules = ProgrammeRules {
    template: Template::Montana,
    window_days: 30,
    conditions: Conditions::NoneRequired,
    services: SMD_MINIMUM,
};

/// New Hampshire, reentry demonstration: 45 days (issue 17). Not verified: its condition
/// criteria and any services beyond SMD #23-003's minimum; the template requires no condition
/// and lists the minimum services only.
const NEW_HAMPSHIRE: ProgrammeRules = ProgrammeRules {
    template: Template::NewHampshire,
    window_days: 45,
    conditions: Conditions::NoneRequired,
    services: SMD_MINIMUM,
};

/// Why a window cannot be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowDaysError {
    /// Zero days: no window at all.
    Zero,
    /// More than [`MAX_WINDOW_DAYS`] (SMD #23-003).
    TooLong,
}

impl ProgrammeRules {
    /// The shipped rules of `template`.
    pub const fn of(template: Template) -> ProgrammeRules {
        match template {
            Template::FederalMinimum => FEDERAL_MINIMUM,
            Template::California => CALIFORNIA,
            Template::Washington => WASHINGTON,
            Template::Montana => MONTANA,
            Template::NewHampshire => NEW_HAMPSHIRE,
        }
    }

    /// The default for a new organisation: the federal minimum.
    pub const fn default_rules() -> ProgrammeRules {
        FEDERAL_MINIMUM
    }

    /// These rules with the adult window set to `days` (1 to [`MAX_WINDOW_DAYS`]).
    pub fn with_window_days(self, days: u16) -> Result<ProgrammeRules, WindowDaysError> {
        check_window_days(days)?;
        Ok(ProgrammeRules {
            window_days: days,
            ..self
        })
    }

    /// The window that applies to a person: for an eligible juvenile at least the 30 days of
    /// CAA 2023 §5121, whatever the state's adult window.
    pub fn window_days_for(&self, youth: bool) -> u16 {
        if youth {
            self.window_days.max(YOUTH_WINDOW_DAYS)
        } else {
            self.window_days
        }
    }

    /// The services covered before release for an adult or a youth: a youth has the adult
    /// services and, in addition, CAA 2023 §5121's screening and case management.
    pub fn services_for(&self, youth: bool) -> Vec<Covered> {
        let mut out = self.services.to_vec();
        if youth {
            for c in YOUTH_SERVICES {
                if !out.iter().any(|o| o.service == c.service) {
                    out.push(*c);
                }
            }
        }
        out
    }

    /// Whether `who` may deliver `service` under these rules (for an adult).
    pub fn may_deliver(&self, service: PreReleaseService, who: Deliverer) -> bool {
        self.services
            .iter()
            .any(|c| c.service == service && c.by.contains(&who))
    }

    /// The services a peer may deliver under these rules.
    pub fn peer_services(&self) -> Vec<PreReleaseService> {
        self.services
            .iter()
            .filter(|c| c.by.contains(&Peer))
            .map(|c| c.service)
            .collect()
    }
}

/// Whether `days` may be a programme's window (1 to [`MAX_WINDOW_DAYS`]).
pub fn check_window_days(days: u16) -> Result<(), WindowDaysError> {
    match days {
        0 => Err(WindowDaysError::Zero),
        d if d > MAX_WINDOW_DAYS => Err(WindowDaysError::TooLong),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_shipped_windows_are_the_states() {
        let days = |t| ProgrammeRules::of(t).window_days;
        assert_eq!(days(Template::California), 90);
        assert_eq!(days(Template::Washington), 90);
        assert_eq!(days(Template::NewHampshire), 45);
        assert_eq!(days(Template::Montana), 30);
        assert_eq!(days(Template::FederalMinimum), 30);
        assert_eq!(
            ProgrammeRules::default_rules().template,
            Template::FederalMinimum
        );
    }

    #[test]
    fn every_template_covers_the_smd_minimum_and_names_a_deliverer() {
        for &t in Template::ALL {
            let r = ProgrammeRules::of(t);
            assert_eq!(r.template, t);
            assert!(check_window_days(r.window_days).is_ok());
            for s in [S::CaseManagement, S::Moud, S::ReleaseMedication] {
                assert!(r.may_deliver(s, Clinician), "{t:?} {s:?}");
            }
            for c in r.services {
                assert!(!c.by.is_empty(), "{t:?} {:?}", c.service);
            }
            if let Conditions::OneOf(list) = r.conditions {
                assert!(!list.is_empty());
            }
        }
    }

    #[test]
    fn washington_lets_peers_deliver_and_montana_does_not() {
        let wa = ProgrammeRules::of(Template::Washington);
        assert!(wa.may_deliver(S::PeerSupport, Peer));
        assert!(wa.may_deliver(S::CaseManagement, Chw));
        assert!(!wa.may_deliver(S::Moud, Peer));
        assert_eq!(wa.peer_services(), vec![S::CaseManagement, S::PeerSupport]);
        assert!(
            ProgrammeRules::of(Template::Montana)
                .peer_services()
                .is_empty()
        );
        let ca = ProgrammeRules::of(Template::California);
        assert!(ca.may_deliver(S::CommunityHealthWorker, Chw));
        assert!(!ca.may_deliver(S::CommunityHealthWorker, Peer));
    }

    #[test]
    fn youth_get_at_least_thirty_days_and_screening() {
        let mt = ProgrammeRules::of(Template::Montana);
        let nh = ProgrammeRules::of(Template::NewHampshire);
        assert_eq!(mt.window_days_for(true), 30);
        assert_eq!(nh.window_days_for(true), 45);
        let short = nh.with_window_days(10).unwrap();
        assert_eq!(short.window_days_for(false), 10);
        assert_eq!(short.window_days_for(true), 30);
        let services = mt.services_for(true);
        assert!(services.iter().any(|c| c.service == S::Screening));
        assert_eq!(
            services
                .iter()
                .filter(|c| c.service == S::CaseManagement)
                .count(),
            1
        );
        assert!(
            !mt.services_for(false)
                .iter()
                .any(|c| c.service == S::Screening)
        );
    }

    #[test]
    fn a_window_is_one_to_ninety_days() {
        let r = ProgrammeRules::default_rules();
        assert_eq!(r.with_window_days(0), Err(WindowDaysError::Zero));
        assert_eq!(r.with_window_days(91), Err(WindowDaysError::TooLong));
        assert_eq!(r.with_window_days(90).unwrap().window_days, 90);
        assert_eq!(r.with_window_days(1).unwrap().window_days, 1);
    }

    proptest! {
        #[test]
        fn adjusting_the_window_changes_only_the_window(
            t in prop::sample::select(Template::ALL),
            days in 0u16..200,
            youth in any::<bool>(),
        ) {
            let r = ProgrammeRules::of(t);
            match r.with_window_days(days) {
                Ok(a) => {
                    prop_assert!((1..=MAX_WINDOW_DAYS).contains(&days));
                    prop_assert_eq!(a.window_days, days);
                    prop_assert_eq!(a.services, r.services);
                    prop_assert_eq!(a.conditions, r.conditions);
                    let w = a.window_days_for(youth);
                    prop_assert!(w >= days);
                    prop_assert!(w <= MAX_WINDOW_DAYS);
                    prop_assert_eq!(w == days, !youth || days >= YOUTH_WINDOW_DAYS);
                }
                Err(_) => prop_assert!(days == 0 || days > MAX_WINDOW_DAYS),
            }
        }
    }
}
