//! The coded values of reentry. Their labels on pages are messages `{prefix}-{code}` in
//! `locales/<language>/reentry.ftl`.

use crate::platform::vocabulary::vocabulary;

vocabulary! {
    /// A shipped template of reentry programme rules (see `programme`): a state's Section 1115
    /// reentry demonstration, or the federal minimum that applies everywhere.
    pub enum Template {
        FederalMinimum = "federal_minimum" => "Federal minimum (CAA 2023 §5121; SMD #23-003 minimum services)",
        California = "california" => "California (CalAIM Justice-Involved Reentry Initiative)",
        Washington = "washington" => "Washington (Medicaid Transformation Project reentry)",
        Montana = "montana" => "Montana (HEART reentry)",
        NewHampshire = "new_hampshire" => "New Hampshire (reentry demonstration)",
    }
}

vocabulary! {
    /// A person's Medicaid status as screened in custody. Many states suspend rather than end
    /// Medicaid during incarceration (42 U.S.C. 1396a(a)(84)(A), as amended by the SUPPORT Act
    /// for youth), so "suspended" is coverage waiting to be lifted.
    pub enum MedicaidStatus {
        Active = "active" => "Enrolled (active)",
        Suspended = "suspended" => "Enrolled, suspended during incarceration",
        ApplicationPending = "application_pending" => "Application pending",
        None = "none" => "Not enrolled, no application",
    }
}

impl MedicaidStatus {
    /// Whether the person is enrolled (active or suspended), so pre-release services can be
    /// billed once the demonstration's conditions are met.
    pub const fn is_enrolled(self) -> bool {
        matches!(self, Self::Active | Self::Suspended)
    }
}

vocabulary! {
    /// A health condition some demonstrations require for pre-release services (SMD #23-003
    /// lets a state limit eligibility to people with specified conditions).
    pub enum HealthCondition {
        SubstanceUseDisorder = "substance_use_disorder" => "Substance use disorder",
        MentalIllness = "mental_illness" => "Mental illness",
        ChronicCondition = "chronic_condition" => "Chronic or significant clinical condition",
        Pregnancy = "pregnancy" => "Pregnant or postpartum",
        IntellectualDisability = "intellectual_disability" => "Intellectual or developmental disability",
        TraumaticBrainInjury = "traumatic_brain_injury" => "Traumatic brain injury",
        Hiv = "hiv" => "HIV/AIDS",
    }
}

vocabulary! {
    /// A service covered before release.
    pub enum PreReleaseService {
        /// SMD #23-003 minimum: case management to assess and address physical and behavioural
        /// health needs and health-related social needs.
        CaseManagement = "case_management" => "Reentry case management",
        /// SMD #23-003 minimum: medication for substance use disorder (all types), with
        /// counselling as clinically appropriate.
        Moud = "moud" => "Medication for substance use disorder",
        /// SMD #23-003 minimum: a 30-day supply of all prescription medicines at release.
        ReleaseMedication = "release_medication" => "30-day supply of medicines at release",
        /// CAA 2023 §5121: screening and diagnostic services for eligible juveniles.
        Screening = "screening" => "Screening and diagnostic services",
        ClinicalConsultation = "clinical_consultation" => "Physical and behavioural health consultation",
        LabRadiology = "lab_radiology" => "Laboratory and radiology",
        MedicalEquipment = "medical_equipment" => "Durable medical equipment at release",
        CommunityHealthWorker = "community_health_worker" => "Community health worker services",
        PeerSupport = "peer_support" => "Peer support services",
    }
}

vocabulary! {
    /// Who may deliver a covered service.
    pub enum Deliverer {
        Peer = "peer" => "Peer with lived experience",
        CommunityHealthWorker = "community_health_worker" => "Community health worker",
        Clinician = "clinician" => "Clinician or licensed case manager",
    }
}

vocabulary! {
    /// What a screening decided.
    pub enum ScreeningResult {
        /// Enrolled and every criterion met: pre-release services may start when the window opens.
        Eligible = "eligible" => "Eligible",
        /// Criteria met but not enrolled: eligible once the Medicaid application is granted.
        PendingMedicaid = "pending_medicaid" => "Eligible once Medicaid is granted",
        NotEligible = "not_eligible" => "Not eligible",
    }
}

vocabulary! {
    /// A criterion a screening found met.
    pub enum Criterion {
        Medicaid = "medicaid" => "Enrolled in Medicaid (active or suspended)",
        HealthCondition = "health_condition" => "A qualifying health condition",
        AnyoneInCustody = "anyone_in_custody" => "No condition required by the programme",
        Youth = "youth" => "Under 21 at release (CAA 2023 §5121)",
        FormerFosterYouth = "former_foster_youth" => "Former foster youth under 26 at release (CAA 2023 §5121)",
    }
}

vocabulary! {
    /// How a warm handoff was made to the post-release provider.
    pub enum HandoffMethod {
        InPerson = "in_person" => "In person",
        Video = "video" => "Video call",
        Phone = "phone" => "Telephone",
        Written = "written" => "Written referral and record transfer",
    }
}

vocabulary! {
    /// Medication for opioid use disorder around release.
    pub enum MoudStatus {
        None = "none" => "None",
        InCustody = "in_custody" => "Receiving in custody",
        ContinuedAtRelease = "continued_at_release" => "Continued at release",
        StartedAfterRelease = "started_after_release" => "Started after release",
    }
}

vocabulary! {
    /// Where a person's eligibility screening stands (see `timing::ScreeningState`).
    pub enum ScreeningStatus {
        Done = "done" => "Screened",
        Due = "due" => "Screen due",
        Overdue = "overdue" => "Screen overdue",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::vocabulary::assert_vocabulary;

    #[test]
    fn vocabularies_are_consistent() {
        assert_vocabulary(Template::parse);
        assert_vocabulary(MedicaidStatus::parse);
        assert_vocabulary(HealthCondition::parse);
        assert_vocabulary(PreReleaseService::parse);
        assert_vocabulary(Deliverer::parse);
        assert_vocabulary(ScreeningResult::parse);
        assert_vocabulary(Criterion::parse);
        assert_vocabulary(HandoffMethod::parse);
        assert_vocabulary(MoudStatus::parse);
        assert_vocabulary(ScreeningStatus::parse);
    }

    #[test]
    fn enrolled_is_active_or_suspended() {
        assert!(MedicaidStatus::Active.is_enrolled());
        assert!(MedicaidStatus::Suspended.is_enrolled());
        assert!(!MedicaidStatus::ApplicationPending.is_enrolled());
        assert!(!MedicaidStatus::None.is_enrolled());
    }
}
