//! The journey's closed vocabularies: settings, custody events, encounters and the life domains
//! they touch, goals, referrals (and which referral moves need a reason), discharge reasons; the
//! SAMHSA core competency areas are the workforce's list (`workforce::codes`), re-exported for
//! encounter topics; [`label_of`], how a stored code is shown.

use crate::platform::vocabulary::{Vocabulary, vocabulary};

vocabulary! {
    /// Where on the justice continuum a participant is served (seed 002's continuum).
    pub enum Setting: &self {
        /// Jails and pretrial detention; release dates unknown or sudden.
        ShortTerm = "short_term" => "Short-term (jail, pretrial)",
        /// Jail sentences and short prison terms, up to about a year.
        MediumTerm = "medium_term" => "Medium-term (jail sentence, short prison term)",
        /// Prisons; years.
        LongTerm = "long_term" => "Long-term (prison)",
        /// Probation, parole, treatment courts, reentry centres.
        Community = "community" => "Community corrections (probation, parole, treatment court, reentry)",
    }
}

impl Setting {
    /// Whether the participant is in custody in this setting (everything but community).
    pub const fn is_custody(&self) -> bool {
        !matches!(self, Self::Community)
    }
}

vocabulary! {
    /// Why a participant's enrolment ended.
    pub enum DischargeReason: &self {
        Completed = "completed" => "Completed",
        LostContact = "lost_contact" => "Lost contact",
        /// The participant may re-enrol in a custody setting.
        Reincarcerated = "reincarcerated" => "Re-incarcerated",
        Moved = "moved" => "Moved away",
        Withdrew = "withdrew" => "Withdrew",
        Deceased = "deceased" => "Deceased",
        Transferred = "transferred" => "Transferred to another program",
    }
}

vocabulary! {
    /// A dated event in a participant's custody or supervision history.
    pub enum CustodyEventKind: &self {
        Booking = "booking" => "Booking",
        Transfer = "transfer" => "Transfer between facilities",
        CourtDate = "court_date" => "Court date",
        ExpectedRelease = "expected_release" => "Expected release date set or changed",
        Release = "release" => "Release",
        SupervisionStart = "supervision_start" => "Supervision started (probation or parole)",
        SupervisionEnd = "supervision_end" => "Supervision ended",
    }
}

vocabulary! {
    /// How sure the program is of an expected release date.
    pub enum ReleaseDateCertainty: &self {
        Unknown = "unknown" => "Unknown",
        Estimated = "estimated" => "Estimated",
        Confirmed = "confirmed" => "Confirmed",
    }
}

vocabulary! {
    /// Where or how an encounter took place.
    pub enum EncounterMode: &self {
        InFacility = "in_facility" => "In facility",
        InCommunity = "in_community" => "In the community",
        Phone = "phone" => "Phone",
        Video = "video" => "Video",
        Text = "text" => "Text message",
    }
}

vocabulary! {
    /// Whether an encounter was one-to-one or in a group.
    pub enum EncounterKind: &self {
        Individual = "individual" => "Individual",
        Group = "group" => "Group",
    }
}

vocabulary! {
    /// Whether contact was actually made.
    pub enum EncounterOutcome: &self {
        /// The peer tried but did not reach the participant.
        Attempted = "attempted" => "Attempted (no contact made)",
        /// Contact was made.
        Completed = "completed" => "Completed",
    }
}

vocabulary! {
    /// The service an encounter delivered. Besides peer support, the pre-release services that
    /// a Medicaid reentry demonstration must cover at a minimum (CMS letter SMD #23-003, April
    /// 2023): case management, medication for substance use disorder (here: for opioid use
    /// disorder, MOUD), and a 30-day supply of prescribed medication given at release. Recorded
    /// once, as an encounter, so a pre-release service is never entered twice.
    pub enum EncounterService: &self {
        /// Peer recovery support (every encounter recorded before services were named).
        PeerSupport = "peer_support" => "Peer support",
        /// Assessing and arranging for health and social needs, before and after release.
        CaseManagement = "case_management" => "Case management",
        /// Medication for opioid use disorder given, continued or arranged.
        Moud = "moud" => "Medication for opioid use disorder (MOUD)",
        /// Prescribed medication supplied at release.
        MedicationSupply = "medication_supply" => "Medication supply at release",
    }
}

vocabulary! {
    /// How the programme learned of an overdose (issue 17 item 7: funders count overdoses
    /// within 14 days and 12 months of release, so each is dated and its source kept).
    pub enum OverdoseSource: &self {
        /// The person told their peer or the programme.
        SelfReport = "self_report" => "The person",
        /// Family or friends.
        Family = "family" => "Family or friends",
        /// A hospital, emergency department or emergency medical services.
        Hospital = "hospital" => "Hospital or EMS",
        /// The medical examiner or coroner (a death).
        MedicalExaminer = "medical_examiner" => "Medical examiner",
        /// Probation, parole or another partner.
        Partner = "partner" => "A partner organisation",
        Other = "other" => "Other",
    }
}

impl EncounterOutcome {
    /// Whether an encounter with this outcome counts toward the high-risk window's contact targets.
    pub const fn counts_as_contact(&self) -> bool {
        matches!(self, Self::Completed)
    }
}

vocabulary! {
    /// What was talked about in an encounter: the parts of a life that reentry touches (issue 16
    /// item 3). The encounter's topics say this; SAMHSA's competency areas stay an optional tag
    /// for supervision. Shown to participants too, so each has a Spanish label.
    pub enum LifeDomain {
        Housing = "housing" => "Housing" | "Vivienda",
        Employment = "employment" => "Employment" | "Empleo",
        Education = "education" => "Education and training" | "Educación y capacitación",
        Family = "family" => "Family and relationships" | "Familia y relaciones",
        /// Medication for opioid use disorder: starting, continuing, or keeping it at release.
        Moud = "moud" => "MOUD (medication for opioid use disorder)" | "MOUD (medicamentos para el trastorno por consumo de opioides)",
        Naloxone = "naloxone" => "Naloxone and overdose prevention" | "Naloxona y prevención de sobredosis",
        Treatment = "treatment" => "Substance use treatment" | "Tratamiento por consumo de sustancias",
        MentalHealth = "mental_health" => "Mental health" | "Salud mental",
        Health = "health" => "Physical health and medical care" | "Salud física y atención médica",
        RecoverySupport = "recovery_support" => "Recovery support (meetings, sponsor, recovery community)" | "Apoyo a la recuperación (reuniones, padrino, comunidad de recuperación)",
        Court = "court" => "Court dates and legal matters" | "Fechas de corte y asuntos legales",
        /// Probation or parole: conditions, appointments, the officer.
        Supervision = "supervision" => "Probation or parole supervision" | "Supervisión de libertad condicional o libertad bajo palabra",
        BenefitsId = "benefits_id" => "Benefits, health insurance and ID" | "Beneficios, seguro médico e identificación",
        Transportation = "transportation" => "Transportation" | "Transporte",
    }
}

vocabulary! {
    /// The life domains a recovery and reentry plan's goals fall into.
    pub enum GoalDomain: &self {
        SubstanceUse = "substance_use" => "Substance use",
        MentalHealth = "mental_health" => "Mental health",
        PhysicalHealth = "physical_health" => "Physical health and medication (incl. MOUD)",
        Housing = "housing" => "Housing",
        EmploymentEducation = "employment_education" => "Employment and education",
        IncomeBenefitsInsurance = "income_benefits_insurance" => "Income, benefits and health insurance",
        IdentityDocuments = "identity_documents" => "Identity documents",
        FamilySocialSupport = "family_social_support" => "Family and social support",
        LegalObligations = "legal_obligations" => "Legal obligations (court dates, supervision, fines and fees)",
        Transportation = "transportation" => "Transportation",
    }
}

vocabulary! {
    /// Progress of a goal or goal step.
    pub enum GoalStatus: &self {
        NotStarted = "not_started" => "Not started",
        InProgress = "in_progress" => "In progress",
        Done = "done" => "Done",
        Dropped = "dropped" => "Dropped",
    }
}

impl GoalStatus {
    /// Whether the goal still needs work (not started or in progress).
    pub const fn is_open(&self) -> bool {
        matches!(self, Self::NotStarted | Self::InProgress)
    }
}

vocabulary! {
    /// What a referral is for.
    pub enum ReferralType: &self {
        Treatment = "treatment" => "Substance use treatment",
        Moud = "moud" => "Medication for opioid use disorder (MOUD)",
        MentalHealth = "mental_health" => "Mental health",
        Housing = "housing" => "Housing",
        Employment = "employment" => "Employment",
        Benefits = "benefits" => "Benefits and health insurance",
        Medical = "medical" => "Medical care",
        RecoveryCommunity = "recovery_community" => "Recovery community",
        Legal = "legal" => "Legal help",
        Other = "other" => "Other",
    }
}

vocabulary! {
    /// Status of a closed-loop referral (after findhelp's statuses).
    pub enum ReferralStatus: &self {
        Pending = "pending" => "Pending",
        NeedsClientAction = "needs_client_action" => "Needs client action",
        Scheduled = "scheduled" => "Scheduled",
        /// The participant attended: the referral is linked.
        Attended = "attended" => "Attended",
        CouldNotContact = "could_not_contact" => "Could not contact",
        NotEligible = "not_eligible" => "Not eligible",
        NoCapacity = "no_capacity" => "No capacity",
        CouldNotGetHelp = "could_not_get_help" => "Could not get help",
        NoLongerInterested = "no_longer_interested" => "No longer interested",
        ReferredElsewhere = "referred_elsewhere" => "Referred elsewhere",
    }
}

impl ReferralStatus {
    /// Whether moving to this status needs a written reason (the unsuccessful outcomes).
    pub const fn requires_reason(&self) -> bool {
        matches!(
            self,
            Self::CouldNotContact
                | Self::NotEligible
                | Self::NoCapacity
                | Self::CouldNotGetHelp
                | Self::NoLongerInterested
                | Self::ReferredElsewhere
        )
    }

    /// Whether this status means the participant was linked to the service (attended).
    pub const fn is_linkage(&self) -> bool {
        matches!(self, Self::Attended)
    }

    /// Whether the referral is still in progress (pending, needs client action, scheduled).
    pub const fn is_open(&self) -> bool {
        matches!(
            self,
            Self::Pending | Self::NeedsClientAction | Self::Scheduled
        )
    }
}

/// Checks that a referral can move to `status` with the given `reason`.
///
/// Unsuccessful statuses ([`ReferralStatus::requires_reason`]) need a reason that is not blank.
/// The error message starts with the field name `reason`.
pub fn validate_referral_transition(
    status: ReferralStatus,
    reason: Option<&str>,
) -> Result<(), String> {
    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
    if status.requires_reason() && !has_reason {
        return Err(format!(
            "reason: a reason is required when a referral is marked \"{}\"",
            status.label()
        ));
    }
    Ok(())
}

/// SAMHSA's 12 core competency areas, the topics of an encounter: the workforce's one list.
pub use crate::workforce::codes::CompetencyArea;

/// The English label of a stored code of the vocabulary `T` (surrounding whitespace ignored, as
/// `parse` does), or `""` for anything that is not one of its codes: how the pages show a coded
/// value of a stored row (`label_of::<GoalStatus>(&goal.status)`).
pub fn label_of<T: Vocabulary>(code: &str) -> &'static str {
    let code = code.trim();
    T::VALUES
        .iter()
        .find(|v| v.code() == code)
        .map_or("", |v| v.english())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::rules::*;
    use crate::platform::vocabulary::assert_vocabularies;
    use proptest::prelude::*;

    // --- vocabularies -------------------------------------------------------------------------

    #[test]
    fn vocabularies_are_consistent() {
        assert_vocabularies! {
            Setting, DischargeReason, CustodyEventKind, ReleaseDateCertainty, EncounterMode,
            EncounterKind, EncounterOutcome, EncounterService, LifeDomain, GoalDomain, GoalStatus, ReferralType, ReferralStatus,
            CompetencyArea, ChecklistItemKind, FollowUpPoint, FollowUpState, Urgency
        }
    }

    #[test]
    fn label_of_shows_a_stored_code_or_nothing() {
        assert_eq!(label_of::<GoalStatus>(" in_progress "), "In progress");
        assert_eq!(label_of::<GoalStatus>("unknown"), "");
    }

    #[test]
    fn vocabulary_sizes_match_the_domain() {
        assert_eq!(Setting::ALL.len(), 4);
        assert_eq!(DischargeReason::ALL.len(), 7);
        assert_eq!(CustodyEventKind::ALL.len(), 7);
        assert_eq!(GoalDomain::ALL.len(), 10);
        assert_eq!(ReferralType::ALL.len(), 10);
        assert_eq!(ReferralStatus::ALL.len(), 10);
        assert_eq!(CompetencyArea::ALL.len(), 12);
        assert_eq!(LifeDomain::ALL.len(), 14);
        assert_eq!(
            LifeDomain::Moud.label_es(),
            "MOUD (medicamentos para el trastorno por consumo de opioides)"
        );
        assert_eq!(
            LifeDomain::parse(" benefits_id "),
            Some(LifeDomain::BenefitsId)
        );
        assert_eq!(ChecklistItemKind::ALL.len(), 9);
        assert_eq!(Setting::ShortTerm.label(), "Short-term (jail, pretrial)");
        assert_eq!(
            CompetencyArea::parse("health_wellness_information"),
            Some(CompetencyArea::HealthWellnessInformation)
        );
        assert_eq!(
            GoalDomain::parse("physical_health"),
            Some(GoalDomain::PhysicalHealth)
        );
        assert!(GoalDomain::PhysicalHealth.label().contains("MOUD"));
    }

    #[test]
    fn settings_know_custody() {
        assert!(Setting::ShortTerm.is_custody());
        assert!(Setting::MediumTerm.is_custody());
        assert!(Setting::LongTerm.is_custody());
        assert!(!Setting::Community.is_custody());
    }

    #[test]
    fn only_completed_encounters_count_as_contact() {
        assert!(EncounterOutcome::Completed.counts_as_contact());
        assert!(!EncounterOutcome::Attempted.counts_as_contact());
    }

    #[test]
    fn goal_status_openness() {
        assert!(GoalStatus::NotStarted.is_open());
        assert!(GoalStatus::InProgress.is_open());
        assert!(!GoalStatus::Done.is_open());
        assert!(!GoalStatus::Dropped.is_open());
    }

    #[test]
    fn referral_statuses_needing_a_reason() {
        let needing: Vec<_> = ReferralStatus::ALL
            .iter()
            .filter(|s| s.requires_reason())
            .map(ReferralStatus::as_str)
            .collect();
        assert_eq!(
            needing,
            [
                "could_not_contact",
                "not_eligible",
                "no_capacity",
                "could_not_get_help",
                "no_longer_interested",
                "referred_elsewhere"
            ]
        );
        let linkage: Vec<_> = ReferralStatus::ALL
            .iter()
            .filter(|s| s.is_linkage())
            .collect();
        assert_eq!(linkage, [&ReferralStatus::Attended]);
        // Every status is exactly one of open, linked, or unsuccessful.
        for status in ReferralStatus::ALL {
            let kinds = [
                status.is_open(),
                status.is_linkage(),
                status.requires_reason(),
            ];
            assert_eq!(
                kinds.iter().filter(|k| **k).count(),
                1,
                "{}",
                status.as_str()
            );
        }
    }

    #[test]
    fn referral_transition_requires_a_non_blank_reason() {
        assert_eq!(
            validate_referral_transition(ReferralStatus::Scheduled, None),
            Ok(())
        );
        assert_eq!(
            validate_referral_transition(ReferralStatus::Attended, None),
            Ok(())
        );
        assert_eq!(
            validate_referral_transition(ReferralStatus::NoCapacity, Some("Waitlist of 6 weeks")),
            Ok(())
        );
        let err = validate_referral_transition(ReferralStatus::NoCapacity, None)
            .expect_err("reason required");
        assert!(err.starts_with("reason: "), "{err}");
        assert!(err.contains("No capacity"), "{err}");
        let err = validate_referral_transition(ReferralStatus::NotEligible, Some("  \t\n"))
            .expect_err("blank reason");
        assert!(err.starts_with("reason: "), "{err}");
    }

    proptest! {

        #[test]
        fn vocabulary_parse_accepts_only_codes(s in "[a-z_0-9]{0,30}") {
            if let Some(v) = ReferralStatus::parse(&s) {
                prop_assert_eq!(v.as_str(), s.as_str());
            }
            if let Some(v) = GoalDomain::parse(&s) {
                prop_assert_eq!(v.as_str(), s.as_str());
            }
            if let Some(v) = Urgency::parse(&s) {
                prop_assert_eq!(v.as_str(), s.as_str());
            }
        }

        #[test]
        fn referral_reason_rule(index in 0usize..10, reason in prop::option::of("\\PC{0,10}")) {
            let status = ReferralStatus::ALL[index];
            let blank = reason.as_deref().is_none_or(|r| r.trim().is_empty());
            let result = validate_referral_transition(status, reason.as_deref());
            prop_assert_eq!(result.is_err(), status.requires_reason() && blank);
        }

    }
}

vocabulary! {
    /// An appointment a participant has to keep, reminded by message when they opted in (issue
    /// 18 item 4). The reminder says what and when, never why: a dose is "a medication
    /// appointment", never the medicine (42 CFR 2.12(a)(1): what identifies someone as having
    /// had treatment for a substance use disorder is Part 2 information).
    pub enum AppointmentKind {
        /// With the supervising officer (probation or parole): a missed one can be a technical
        /// violation.
        Supervision = "supervision" => "Probation or parole appointment" | "Cita de libertad condicional o supervisada",
        /// A medication dose at a clinic or pharmacy (MOUD).
        MoudDose = "moud_dose" => "Medication (MOUD) dose" | "Dosis de medicamento (MOUD)",
        /// A visit with the peer.
        PeerVisit = "peer_visit" => "Visit with the peer" | "Visita con el compañero de apoyo",
    }
}

vocabulary! {
    /// What became of an appointment: written once, never replaced.
    pub enum AppointmentOutcome {
        Kept = "kept" => "Kept" | "Asistió",
        Missed = "missed" => "Missed" | "No asistió",
        /// Called off (a new day is a new appointment).
        Cancelled = "cancelled" => "Cancelled" | "Cancelada",
    }
}
