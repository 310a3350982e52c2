//! Programme start-up readiness: the organisation's stage of change in adopting peers (New York
//! toolkit), COSSUP's "5 Ps", a default start-up checklist, stage progress, and two sample job
//! descriptions.
//!
//! Pure: no I/O. The checklist is a template a programme copies and edits.

use crate::platform::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// Stage of change of the organisation adopting peer support (in order).
    pub enum OrgStage {
        /// Making the case for peers.
        Precontemplation = "precontemplation" => "Precontemplation: the case for peers",
        /// Understanding the role, billing and values.
        Contemplation = "contemplation" => "Contemplation: understanding the role",
        /// Readiness assessment, budget, job descriptions, certification criteria.
        Preparation = "preparation" => "Preparation: getting ready",
        /// Hiring, legal issues, onboarding, training.
        Action = "action" => "Action: hiring and launch",
        /// Supervision, wellness, evaluation, sustainability.
        Maintenance = "maintenance" => "Maintenance: sustaining the programme",
    }
}

vocabulary! {
    /// COSSUP's "5 Ps" for integrating peer recovery support.
    pub enum FiveP {
        /// Promote a recovery orientation.
        PromoteRecoveryOrientation = "promote_recovery_orientation" => "Promote a recovery orientation",
        /// Prepare to integrate peers.
        PrepareToIntegrate = "prepare_to_integrate" => "Prepare to integrate peers",
        /// Plan supports for peers.
        PlanSupports = "plan_supports" => "Plan supports",
        /// Produce peer-supportive policies.
        ProducePolicies = "produce_policies" => "Produce peer-supportive policies",
        /// Provide supervision.
        ProvideSupervision = "provide_supervision" => "Provide supervision",
    }
}

vocabulary! {
    /// Status of one checklist item.
    pub enum ItemStatus {
        /// Not started.
        NotStarted = "not_started" => "Not started",
        /// In progress (not done).
        InProgress = "in_progress" => "In progress",
        /// Done.
        Done = "done" => "Done",
        /// Does not apply to this programme: excluded from totals.
        NotApplicable = "not_applicable" => "Not applicable",
    }
}

/// One item of the start-up checklist template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessItemTemplate {
    /// Stable snake_case key.
    pub key: String,
    /// Short title.
    pub title: String,
    /// Stage of change it belongs to.
    pub stage: OrgStage,
    /// The "P" it serves.
    pub five_p: FiveP,
    /// What doing it involves.
    pub description: String,
}

/// The default start-up checklist (20 items across the five stages, in stage order).
pub fn default_checklist() -> Vec<ReadinessItemTemplate> {
    use FiveP::*;
    use OrgStage::*;
    let items: [(&str, &str, OrgStage, FiveP, &str); 20] = [
        (
            "leadership_buy_in",
            "Secure leadership buy-in",
            Precontemplation,
            PromoteRecoveryOrientation,
            "Agency and facility leaders agree to pilot peer support and name a champion with authority to clear obstacles.",
        ),
        (
            "case_for_peers",
            "Make the case for peers",
            Precontemplation,
            PromoteRecoveryOrientation,
            "Gather the evidence on peer support at reentry and local figures (releases, overdose deaths after release, recidivism) to show the need.",
        ),
        (
            "understand_peer_role",
            "Understand the peer role",
            Contemplation,
            PrepareToIntegrate,
            "Staff learn what peers do and do not do: lived experience, mutuality and advocacy, not clinical or custodial work.",
        ),
        (
            "understand_billing_funding",
            "Understand billing and funding options",
            Contemplation,
            PlanSupports,
            "Review Medicaid billing for peer services, federal grants (COSSUP, SOR, SAMHSA) and local funds, with their reporting duties.",
        ),
        (
            "align_values",
            "Align organisational values",
            Contemplation,
            PromoteRecoveryOrientation,
            "Adopt recovery-oriented, person-first language and confront stigma toward people with substance use and justice histories.",
        ),
        (
            "readiness_assessment",
            "Complete a readiness assessment",
            Preparation,
            PrepareToIntegrate,
            "Assess culture, policies and capacity for integrating peers; agree an action plan from the gaps found.",
        ),
        (
            "budget",
            "Build the budget",
            Preparation,
            PlanSupports,
            "Cost salaries at a living wage, supervision, training, certification fees, travel between facilities, phones and wellness supports.",
        ),
        (
            "facility_mou",
            "Facility MOU and access policy",
            Preparation,
            ProducePolicies,
            "Sign agreements with each jail and prison covering peer access, clearance, visit scheduling, space and information sharing.",
        ),
        (
            "role_definitions",
            "Role definitions and job descriptions",
            Preparation,
            ProducePolicies,
            "Write job descriptions for peer specialists and their supervisor, distinct from case manager and counsellor roles.",
        ),
        (
            "certification_criteria",
            "Set certification criteria",
            Preparation,
            ProducePolicies,
            "Choose the credential peers must hold or earn (and by when), and how training and supervised hours will be tracked.",
        ),
        (
            "recruit_peer_supervisor",
            "Identify a peer supervisor",
            Preparation,
            ProvideSupervision,
            "Recruit or designate a supervisor with peer experience and training in peer supervision before peers start.",
        ),
        (
            "hire_lived_experience",
            "Hire people with lived experience",
            Action,
            PrepareToIntegrate,
            "Recruit peers with lived experience of recovery and, where possible, of incarceration; involve peers on the hiring panel.",
        ),
        (
            "legal_background_policy",
            "Legal issues and background-check policy",
            Action,
            ProducePolicies,
            "Replace blanket exclusions with individual review of criminal history; support exemption and facility clearance requests; settle confidentiality (42 CFR Part 2) and mandated-reporting rules.",
        ),
        (
            "onboarding",
            "Onboard peers",
            Action,
            PrepareToIntegrate,
            "Orientation to the agency, facilities, security rules, documentation and the referral network.",
        ),
        (
            "train_correctional_staff",
            "Train correctional and partner staff on the peer role",
            Action,
            PrepareToIntegrate,
            "Brief officers, medical and reentry staff on what peers do, why they have lived experience and how to work with them.",
        ),
        (
            "data_collection_plan",
            "Data collection plan",
            Action,
            ProducePolicies,
            "Decide what is recorded (encounters, GPRA, outcomes), consent and sharing rules, and who reviews the data.",
        ),
        (
            "supervision_structure",
            "Supervision structure",
            Maintenance,
            ProvideSupervision,
            "Regular individual and group supervision with a peer supervisor; hours logged toward certification.",
        ),
        (
            "wellness_supports",
            "Wellness supports for peers",
            Maintenance,
            PlanSupports,
            "Self-care plans, manageable caseloads, time off after critical incidents and support for peers' own recovery.",
        ),
        (
            "evaluation",
            "Evaluate the programme",
            Maintenance,
            PlanSupports,
            "Review follow-up rates, outcomes and facility access regularly and act on the findings.",
        ),
        (
            "funding_sustainability",
            "Funding and sustainability",
            Maintenance,
            PlanSupports,
            "Plan for the end of grant funding: billing, contracts, budget line items and a career ladder for peers.",
        ),
    ];
    items
        .into_iter()
        .map(
            |(key, title, stage, five_p, description)| ReadinessItemTemplate {
                key: key.into(),
                title: title.into(),
                stage,
                five_p,
                description: description.into(),
            },
        )
        .collect()
}

/// Per stage (all five, in order): `(stage, done, total)`, where `total` excludes
/// `NotApplicable` items and `done` counts `Done` items.
pub fn stage_progress(items: &[(OrgStage, ItemStatus)]) -> Vec<(OrgStage, usize, usize)> {
    OrgStage::ALL
        .iter()
        .map(|&stage| {
            let here = items
                .iter()
                .filter(|(s, st)| *s == stage && *st != ItemStatus::NotApplicable);
            let total = here.clone().count();
            let done = here.filter(|(_, st)| *st == ItemStatus::Done).count();
            (stage, done, total)
        })
        .collect()
}

/// The earliest stage with an applicable item not done. When every stage is complete the
/// organisation is sustaining the programme: `Maintenance`.
pub fn current_stage(items: &[(OrgStage, ItemStatus)]) -> OrgStage {
    stage_progress(items)
        .into_iter()
        .find(|&(_, done, total)| done < total)
        .map_or(OrgStage::Maintenance, |(stage, _, _)| stage)
}

/// Sample job description: peer recovery specialist in a justice-involved setting.
pub const PEER_RECOVERY_SPECIALIST_JD: &str = "\
# Peer Recovery Specialist (Reentry)

## Summary
Uses lived experience of recovery from substance use (and, where possible, of the justice system)
to support people before and after release from jail or prison. Builds trusting, mutual
relationships; helps people plan their own recovery and reentry; links them to treatment, housing,
benefits and community; and stays with them through the first months home.

## Duties
In jail and prison:
- Meet people in custody who ask for peer support; share your recovery story where it helps.
- Help plan for release: recovery goals, medication for opioid use disorder continuity, naloxone,
  ID, insurance, housing and the first 72 hours.
- Follow facility security rules and the access agreement; record visits and refusals.
In the community:
- Meet people at the gate or on release day; go with them to first appointments.
- Support recovery planning, mutual-aid connection and problem-solving; respond to crises and refer.
- Advocate with probation and parole, treatment providers and landlords, with the person's consent.
Across settings:
- Keep brief, respectful, confidential records; complete GPRA interviews on schedule.
- Take part in team meetings, training and supervision.

## Qualifications
- Lived experience of recovery from substance use, with willingness to share it. Lived experience
  of incarceration is preferred.
- High school diploma or equivalent.
- Peer recovery certification, or willingness to earn it within 12 months of hire; the programme
  pays for training, exam and fees and counts supervised hours toward it.
- A prior conviction or incarceration is not a bar to employment. Criminal history is reviewed
  individually, and the programme supports facility clearance and exemption requests.

## Supervision
Reports to the Peer Supervisor: at least one hour of individual supervision every two weeks plus
group supervision, logged toward certification.

## Conditions
Travel between facilities and the community; flexible hours around release times; wellness time
and support for your own recovery.
";

/// Sample job description: supervisor of peer recovery specialists.
pub const PEER_SUPERVISOR_JD: &str = "\
# Peer Recovery Supervisor

## Summary
Leads, supports and develops a team of peer recovery specialists working in jails, prisons and the
community, and protects the peer role within partner agencies.

## Duties
- Provide regular individual and group supervision grounded in recovery values, ethics and
  boundaries; document supervision hours for certification.
- Recruit, hire and onboard peers with lived experience; sit on hiring panels.
- Coach peers on facility work, release planning, crisis response and self-care; respond to
  critical incidents and arrange debriefs.
- Negotiate facility access, clearances and exemption requests with corrections partners; track
  denials and their reasons.
- Train correctional, medical and reentry staff on the peer role.
- Review caseloads, records and GPRA follow-up rates; report outcomes to the programme lead.
- Support each peer's certification plan and continuing education.

## Qualifications
- Lived experience of recovery; lived experience of the justice system preferred.
- Current peer recovery certification and at least two years of peer support work.
- Completion of peer supervision training, or willingness to complete it within 6 months of hire.
- A prior conviction or incarceration is not a bar to employment; criminal history is reviewed
  individually.

## Supervision
Reports to the programme director; receives monthly clinical or administrative consultation and
peer-supervisor group support.
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::vocabulary::assert_vocabularies;
    use proptest::prelude::*;

    #[test]
    fn enum_codes_round_trip_and_are_snake_case() {
        assert_vocabularies! { OrgStage, FiveP, ItemStatus }
    }

    #[test]
    fn checklist_covers_stages_and_ps() {
        let c = default_checklist();
        assert!((16..=22).contains(&c.len()));
        for (i, item) in c.iter().enumerate() {
            assert!(
                c[..i].iter().all(|o| o.key != item.key),
                "duplicate {}",
                item.key
            );
            assert!(
                item.key
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '_')
            );
            assert!(!item.title.is_empty() && !item.description.is_empty());
        }
        for s in OrgStage::ALL {
            assert!(c.iter().any(|i| i.stage == *s), "no item for {s:?}");
        }
        for p in FiveP::ALL {
            assert!(c.iter().any(|i| i.five_p == *p), "no item for {p:?}");
        }
        assert!(c.windows(2).all(|w| w[0].stage <= w[1].stage));
    }

    #[test]
    fn progress_and_current_stage() {
        use ItemStatus::*;
        use OrgStage::*;
        let items = [
            (Precontemplation, Done),
            (Precontemplation, NotApplicable),
            (Contemplation, Done),
            (Contemplation, InProgress),
            (Preparation, NotStarted),
        ];
        let p = stage_progress(&items);
        assert_eq!(p[0], (Precontemplation, 1, 1));
        assert_eq!(p[1], (Contemplation, 1, 2));
        assert_eq!(p[4], (Maintenance, 0, 0));
        assert_eq!(current_stage(&items), Contemplation);
        assert_eq!(current_stage(&[]), Maintenance);
        assert_eq!(
            current_stage(&[(Action, Done), (Maintenance, InProgress)]),
            Maintenance
        );
    }

    #[test]
    fn job_descriptions_are_complete() {
        for jd in [PEER_RECOVERY_SPECIALIST_JD, PEER_SUPERVISOR_JD] {
            for needle in [
                "## Summary",
                "## Duties",
                "## Qualifications",
                "## Supervision",
                "not a bar",
            ] {
                assert!(jd.contains(needle), "missing {needle}");
            }
        }
        assert!(PEER_RECOVERY_SPECIALIST_JD.contains("within 12 months"));
        assert!(PEER_RECOVERY_SPECIALIST_JD.contains("jail"));
        assert!(PEER_RECOVERY_SPECIALIST_JD.contains("preferred"));
    }

    fn status() -> impl Strategy<Value = ItemStatus> {
        proptest::sample::select(ItemStatus::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn progress_bounds(items in proptest::collection::vec((proptest::sample::select(OrgStage::ALL.to_vec()), status()), 0..40)) {
            let p = stage_progress(&items);
            prop_assert_eq!(p.len(), 5);
            for (_, done, total) in &p {
                prop_assert!(done <= total);
            }
            let cur = current_stage(&items);
            for (stage, done, total) in &p {
                if *stage < cur {
                    prop_assert_eq!(done, total);
                }
            }
        }
    }
}
