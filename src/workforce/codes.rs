//! The workforce's coded values: supervision formats and SAMHSA's 12 core competency areas,
//! clearance statuses and denial reasons, visit outcomes, exemption decisions, monetary
//! sanctions. Each has a stable snake_case code (stored and sent over the API) and a label.

use crate::platform::vocabulary::vocabulary;

vocabulary! {
    /// SAMHSA's 12 core competency areas for peer workers (tags on supervision topics).
    pub enum Competency {
        Engaging = "engaging" => "Engaging peers in collaborative relationships",
        Supporting = "supporting" => "Providing supportive services",
        SharingLivedExperience = "sharing_lived_experience" => "Sharing lived experience",
        Personalising = "personalising" => "Personalising peer support",
        RecoveryPlanning = "recovery_planning" => "Supporting recovery planning",
        LinkingToResources = "linking_to_resources" => "Linking to resources, services and supports",
        HealthAndWellness = "health_and_wellness" => "Information and skills on health, safety and wellness",
        Crisis = "crisis" => "Helping peers manage crises",
        Communication = "communication" => "Value communication",
        Collaboration = "collaboration" => "Collaboration and teamwork",
        Advocacy = "advocacy" => "Leadership and advocacy",
        Growth = "growth" => "Growth and development",
    }
}

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

    #[test]
    fn codes_round_trip() {
        assert_eq!(Competency::ALL.len(), 12);
        for c in Competency::ALL {
            assert_eq!(Competency::parse(c.as_str()), Some(*c));
        }
        for s in ClearanceStatus::ALL {
            assert_eq!(ClearanceStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(DenialReason::parse("nonsense"), None);
        assert!(VisitOutcome::choices().contains("refused_at_door"));
    }
}
