//! The workforce's coded values: SAMHSA's 12 core competency areas (the one list, also the
//! journey's encounter topics; decision 0034), supervision formats,
//! clearance statuses and denial reasons, visit outcomes, exemption decisions, monetary
//! sanctions. Each has a stable snake_case code (stored and sent over the API) and a label
//! ([`label_of`] reads the label of a stored code of any of them).

use crate::platform::vocabulary::{Vocabulary, vocabulary};

/// The English label of a stored code of the vocabulary `T` (surrounding whitespace ignored),
/// or `""` for a code it does not know: what pages show for a code read back from a row.
pub fn label_of<T: Vocabulary>(code: &str) -> &'static str {
    T::VALUES
        .iter()
        .find(|v| v.code() == code.trim())
        .map_or("", |v| v.english())
}

// Codes and labels in the words of SAMHSA, "Core Competencies for Peer Workers in Behavioral
// Health Services" (2015), with its spelling (decision 0034).
vocabulary! {
    /// SAMHSA's 12 core competency areas for peer workers; tags supervision and encounter topics.
    pub enum CompetencyArea: &self {
        Engaging = "engaging" => "Engages peers in collaborative and caring relationships",
        Supporting = "supporting" => "Provides support",
        SharingLivedExperience = "sharing_lived_experience" => "Shares lived experiences of recovery",
        Personalizing = "personalizing" => "Personalizes peer support",
        RecoveryPlanning = "recovery_planning" => "Supports recovery planning",
        LinkingToResources = "linking_to_resources" => "Links to resources, services and supports",
        HealthWellnessInformation = "health_wellness_information" => "Provides information about skills related to health, wellness and recovery",
        Crisis = "crisis" => "Helps peers to manage crises",
        Communication = "communication" => "Values communication",
        Collaboration = "collaboration" => "Supports collaboration and teamwork",
        Advocacy = "advocacy" => "Promotes leadership and advocacy",
        Growth = "growth" => "Promotes growth and development",
    }
}

/// The supervision log's name for [`CompetencyArea`].
pub use CompetencyArea as Competency;

vocabulary! {
    /// Individual or group supervision.
    pub enum SupervisionFormat {
        Individual = "individual" => "Individual",
        Group = "group" => "Group",
    }
}

vocabulary! {
    /// Where a facility clearance request stands.
    pub enum ClearanceStatus {
        Requested = "requested" => "Requested",
        Pending = "pending" => "Pending",
        Granted = "granted" => "Granted",
        Denied = "denied" => "Denied",
        Revoked = "revoked" => "Revoked",
        Expired = "expired" => "Expired",
    }
}

vocabulary! {
    /// Why a facility denied (or revoked) clearance.
    pub enum DenialReason {
        PriorIncarceration = "prior_incarceration" => "Prior incarceration",
        OpenCaseOrSupervision = "open_case_or_supervision" => "Open case or under supervision",
        Paperwork = "paperwork" => "Paperwork",
        NoReasonGiven = "no_reason_given" => "No reason given",
        Other = "other" => "Other",
    }
}

vocabulary! {
    /// What happened to a scheduled facility visit.
    pub enum VisitOutcome {
        Scheduled = "scheduled" => "Scheduled",
        Completed = "completed" => "Completed",
        CancelledByFacility = "cancelled_by_facility" => "Cancelled by the facility",
        RefusedAtDoor = "refused_at_door" => "Refused at the door",
        CancelledByPeer = "cancelled_by_peer" => "Cancelled by the peer",
    }
}

vocabulary! {
    /// The decision on a background exemption (waiver) request.
    pub enum ExemptionDecision {
        Granted = "granted" => "Granted",
        Denied = "denied" => "Denied",
        Withdrawn = "withdrawn" => "Withdrawn",
    }
}

vocabulary! {
    /// Court-ordered monetary sanctions that can block a credential.
    pub enum SanctionKind {
        Fine = "fine" => "Court fine",
        Fee = "fee" => "Court fee",
        Restitution = "restitution" => "Restitution",
        CivilLien = "civil_lien" => "Civil lien",
    }
}

vocabulary! {
    /// The two sample job descriptions.
    pub enum JobKind {
        PeerRecoverySpecialist = "peer_recovery_specialist" => "Peer Recovery Specialist",
        PeerSupervisor = "peer_supervisor" => "Peer Supervisor",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::vocabulary::assert_vocabularies;

    #[test]
    fn codes_round_trip() {
        assert_vocabularies! {
            CompetencyArea, SupervisionFormat, ClearanceStatus, DenialReason, VisitOutcome,
            ExemptionDecision, SanctionKind, JobKind
        }
        assert_eq!(Competency::ALL.len(), 12);
        assert!(VisitOutcome::choices().contains("refused_at_door"));
    }

    #[test]
    fn competency_codes_are_samhsas() {
        assert_eq!(
            CompetencyArea::parse("personalizing"),
            Some(Competency::Personalizing)
        );
        assert_eq!(
            CompetencyArea::parse("health_wellness_information"),
            Some(Competency::HealthWellnessInformation)
        );
        assert_eq!(CompetencyArea::parse("personalising"), None);
        assert_eq!(CompetencyArea::parse("health_and_wellness"), None);
        assert_eq!(
            CompetencyArea::Personalizing.label(),
            "Personalizes peer support"
        );
    }
}
