//! THE access policy. Every read and write of participant data asks this module first, and
//! only this module decides: handlers and stores never compare organisations or roles
//! themselves. A decision against the caller is always "not found" for records of another
//! organisation (404, never 403), so the existence of a record is not disclosed.
//!
//! The policy hands out proofs (`ParticipantGrant`) that stores require as arguments, so code
//! that skipped the policy does not compile. Each grant also appends the audit entry for the
//! access, inside the caller's transaction.

use diesel::prelude::*;

use super::audit::{self, Action, Event, Who};
use super::db::{DbConn, Tx};
use super::error::{AppError, AppResult, Denial};
use super::schema::participants;
use super::time;
use super::vocabulary::vocabulary;
use crate::consent::rules::{
    self, Basis, Category, Purpose, RecipientClass, RequestContext, Requester,
};
use crate::consent::store as consent_store;
use chrono::NaiveDateTime;

mod organisation;
mod participant;
mod reports;
mod screens;
mod staff;

pub use organisation::*;
pub use participant::*;
pub use reports::*;
pub use screens::*;
pub use staff::*;

vocabulary! {
    /// A staff member's one role in their organisation.
    pub enum Role {
        /// Program administrator: organisation set-up, staff, facilities, reports.
        Admin = "admin" => "Program administrator",
        /// Peer supervisor: supervises peers, sees the whole program's participants.
        Supervisor = "supervisor" => "Peer supervisor",
        /// Peer recovery specialist: works a caseload.
        Peer = "peer" => "Peer recovery specialist",
        /// Partner staff (jail behavioural health, probation, clinician): sees only consented data.
        Team = "team" => "Team member (partner organisation)",
        /// Auditor / privacy officer: reads the audit log and the accounting of disclosures.
        Auditor = "auditor" => "Auditor / privacy officer",
    }
}

impl Role {
    /// Every role from the least to the most privileged. Forms that add staff offer them in this
    /// order with the least privileged chosen, so a slip gives too little access, not too much.
    pub const BY_PRIVILEGE: [Role; 5] = [
        Role::Team,
        Role::Peer,
        Role::Auditor,
        Role::Supervisor,
        Role::Admin,
    ];

    /// Staff who deliver or run the program and so see its participants by role.
    pub fn is_program_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor | Role::Peer)
    }
}

vocabulary! {
    /// What kind of organisation a tenant is: the peer program itself, or a partner.
    pub enum OrgKind {
        /// Runs a peer recovery support program.
        Provider = "provider" => "Peer recovery program",
        /// A jail's or prison's behavioural-health unit.
        JailHealth = "jail_health" => "Jail behavioural health",
        Probation = "probation" => "Probation department",
        Parole = "parole" => "Parole office",
        Court = "court" => "Court",
        TreatmentProvider = "treatment_provider" => "Treatment provider",
        MedicalProvider = "medical_provider" => "Medical provider",
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
    CommandLine,
}

/// The signed-in staff member making a request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub org_id: i64,
    pub org_kind: OrgKind,
    pub org_name: String,
    /// The organisation's clock: its "today", the times its people type and read.
    pub zone: crate::platform::time::Zone,
    pub role: Role,
    pub email: String,
    pub name: String,
    pub client_addr: String,
    pub via: Via,
    /// The interface language: the one the user chose (account page), or, when they have not,
    /// the one their browser asks for (`Accept-Language`, filled in by the page extractor);
    /// `None` where there is no request (the command line), which is English.
    pub language: Option<crate::platform::i18n::Language>,
}

impl Actor {
    /// An operator at the server's command line, acting as an administrator of `org`.
    pub fn command_line(org_id: i64, org_kind: OrgKind, org_name: &str) -> Actor {
        let who = Who::command_line();
        Actor {
            user_id: 0,
            org_id,
            org_kind,
            org_name: org_name.into(),
            zone: crate::platform::time::Zone::UTC,
            role: Role::Admin,
            email: who.label,
            name: "command line".into(),
            client_addr: who.client_addr,
            via: Via::CommandLine,
            language: None,
        }
    }

    pub fn who(&self) -> Who {
        if self.via == Via::CommandLine {
            return Who {
                org_id: Some(self.org_id),
                ..Who::command_line()
            };
        }
        Who {
            user_id: Some(self.user_id),
            org_id: Some(self.org_id),
            label: self.email.clone(),
            client_addr: self.client_addr.clone(),
        }
    }
}

/// What the caller wants to do with a staff record (workforce).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Read,
    Write,
}

/// What the caller needs from a participant's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Change it (program staff of the participant's own organisation only).
    Write,
    /// Read one category of information.
    Read(Category),
    /// Read encounters: participation and attendance, with the notes only when they are
    /// consented by name.
    Encounters,
    /// Open the record: whatever categories the caller may see (at least one).
    Overview,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::vocabulary::assert_vocabularies;

    #[test]
    fn roles_and_organisation_kinds_are_vocabularies() {
        assert_vocabularies! { Role, OrgKind }
    }

    #[test]
    fn other_organisations_never_see_by_role() {
        for role in Role::ALL {
            assert!(!is_own_staff(1, *role, 2), "{role:?}");
        }
    }

    #[test]
    fn own_organisation_by_role() {
        assert!(is_own_staff(1, Role::Admin, 1));
        assert!(is_own_staff(1, Role::Supervisor, 1));
        assert!(is_own_staff(1, Role::Peer, 1));
        assert!(
            !is_own_staff(1, Role::Team, 1),
            "team members need consent even at home"
        );
        assert!(
            !is_own_staff(1, Role::Auditor, 1),
            "auditors read the audit log, not records"
        );
    }

    #[test]
    fn partner_purposes_follow_the_organisation_kind() {
        assert!(purposes_of(OrgKind::Probation).contains(&Purpose::MonitoringProgress));
        assert!(!purposes_of(OrgKind::TreatmentProvider).contains(&Purpose::MonitoringProgress));
        assert_eq!(class_of(OrgKind::Provider), None);
        assert_eq!(class_of(OrgKind::Parole), Some(RecipientClass::Parole));
    }

    fn actor(role: Role, user_id: i64, org_id: i64) -> Actor {
        Actor {
            user_id,
            org_id,
            org_kind: OrgKind::Provider,
            org_name: "A".into(),
            zone: crate::platform::time::Zone::UTC,
            role,
            email: "x@a.test".into(),
            name: "X".into(),
            client_addr: "test".into(),
            via: Via::Session,
            language: None,
        }
    }

    #[test]
    fn staff_records_by_role() {
        use Intent::*;
        let ok = |a: &Actor, org, user, sup, i| staff_record(a, org, user, sup, i).is_ok();
        let admin = actor(Role::Admin, 1, 10);
        let sup = actor(Role::Supervisor, 2, 10);
        let peer = actor(Role::Peer, 3, 10);
        assert!(ok(&admin, 10, 3, Some(2), Write));
        assert!(matches!(
            staff_record(&admin, 11, 3, None, Read),
            Err(AppError::NotFound)
        ));
        assert!(ok(&sup, 10, 3, Some(2), Write));
        assert!(!ok(&sup, 10, 4, Some(9), Read));
        assert!(ok(&sup, 10, 2, None, Read));
        assert!(!ok(&sup, 10, 2, None, Write));
        assert!(ok(&peer, 10, 3, Some(2), Read));
        assert!(!ok(&peer, 10, 3, Some(2), Write));
        assert!(!ok(&peer, 10, 4, Some(2), Read));
        for role in [Role::Team, Role::Auditor] {
            assert!(matches!(
                staff_record(&actor(role, 5, 10), 10, 3, Some(2), Read),
                Err(AppError::Forbidden)
            ));
        }
    }
}
