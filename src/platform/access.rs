//! THE access policy. Every read and write of participant data asks this module first, and
//! only this module decides: handlers and stores never compare organisations or roles
//! themselves. A decision against the caller is always "not found" for records of another
//! organisation (404, never 403), so the existence of a record is not disclosed.
//!
//! The policy hands out proofs (`ParticipantGrant`) that stores require as arguments, so code
//! that skipped the policy does not compile. Each grant also appends the audit entry for the
//! access, inside the caller's transaction.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::audit::{self, Event, Who};
use super::db::Tx;
use super::error::{AppError, AppResult, Denial};
use super::schema::participants;

/// A staff member's one role in their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Program administrator: organisation set-up, staff, facilities, reports.
    Admin,
    /// Peer supervisor: supervises peers, sees the whole program's participants.
    Supervisor,
    /// Peer recovery specialist: works a caseload.
    Peer,
    /// Partner staff (jail behavioural health, probation, clinician): sees only consented data.
    Team,
    /// Auditor / privacy officer: reads the audit log and the accounting of disclosures.
    Auditor,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Admin,
        Role::Supervisor,
        Role::Peer,
        Role::Team,
        Role::Auditor,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Peer => "peer",
            Role::Team => "team",
            Role::Auditor => "auditor",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Program administrator",
            Role::Supervisor => "Peer supervisor",
            Role::Peer => "Peer recovery specialist",
            Role::Team => "Team member (partner organisation)",
            Role::Auditor => "Auditor / privacy officer",
        }
    }
    /// Staff who deliver or run the program and so see its participants by role.
    pub fn is_program_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor | Role::Peer)
    }
}

/// What kind of organisation a tenant is: the peer program itself, or a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Runs a peer recovery support program.
    Provider,
    /// A jail's or prison's behavioural-health unit.
    JailHealth,
    Probation,
    Parole,
    Court,
    TreatmentProvider,
    MedicalProvider,
}

impl OrgKind {
    pub const ALL: &'static [OrgKind] = &[
        OrgKind::Provider,
        OrgKind::JailHealth,
        OrgKind::Probation,
        OrgKind::Parole,
        OrgKind::Court,
        OrgKind::TreatmentProvider,
        OrgKind::MedicalProvider,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Provider => "provider",
            OrgKind::JailHealth => "jail_health",
            OrgKind::Probation => "probation",
            OrgKind::Parole => "parole",
            OrgKind::Court => "court",
            OrgKind::TreatmentProvider => "treatment_provider",
            OrgKind::MedicalProvider => "medical_provider",
        }
    }
    pub fn parse(s: &str) -> Option<OrgKind> {
        OrgKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Provider => "Peer recovery program",
            OrgKind::JailHealth => "Jail behavioural health",
            OrgKind::Probation => "Probation department",
            OrgKind::Parole => "Parole office",
            OrgKind::Court => "Court",
            OrgKind::TreatmentProvider => "Treatment provider",
            OrgKind::MedicalProvider => "Medical provider",
        }
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
    pub role: Role,
    pub email: String,
    pub name: String,
    pub client_addr: String,
    pub via: Via,
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
            role: Role::Admin,
            email: who.label,
            name: "command line".into(),
            client_addr: who.client_addr,
            via: Via::CommandLine,
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

/// What the caller wants to do with a participant's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Read,
    Write,
}

/// Proof that the policy let `actor` act on one participant. Only this module makes them.
#[derive(Debug)]
pub struct ParticipantGrant {
    participant_id: i64,
    org_id: i64,
    intent: Intent,
}

impl ParticipantGrant {
    pub fn participant_id(&self) -> i64 {
        self.participant_id
    }
    /// The participant's organisation (the tenant key for rows written under this grant).
    pub fn org_id(&self) -> i64 {
        self.org_id
    }
    pub fn intent(&self) -> Intent {
        self.intent
    }
}

/// Which participants a list may show to the caller.
#[derive(Debug, Clone)]
pub struct ListScope {
    /// Only participants of this organisation.
    pub org_id: i64,
}

/// The pure decision: may this actor act on a participant of `participant_org`?
pub fn decide(actor_org: i64, role: Role, participant_org: i64, intent: Intent) -> bool {
    if actor_org != participant_org {
        return false;
    }
    match intent {
        Intent::Read | Intent::Write => role.is_program_staff(),
    }
}

/// Ask the policy for access to participant `id`, and record the access in the audit chain as
/// `event` (inside the caller's transaction). Denials answer `NotFound` and are audited too.
pub fn participant(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    intent: Intent,
    event: Event,
) -> AppResult<ParticipantGrant> {
    let owner: Option<i64> = participants::table
        .find(id)
        .select(participants::org_id)
        .first(tx.conn())
        .optional()?;
    let allowed = owner.is_some_and(|org| decide(actor.org_id, actor.role, org, intent));
    match (owner, allowed) {
        (Some(org_id), true) => {
            audit::append(tx, &actor.who(), event.with_participant(id))?;
            Ok(ParticipantGrant {
                participant_id: id,
                org_id,
                intent,
            })
        }
        _ => Err(AppError::Denied(Box::new(Denial {
            who: actor.who(),
            participant_id: id,
            action: event.action,
        }))),
    }
}

/// Ask the policy for several participants at once (bulk work such as roster import): one
/// query, one audit append (`event_for(id)` for each allowed id). Ids the actor may not reach are
/// left out of the result (and not audited as reads).
pub fn participants_batch(
    tx: &mut Tx,
    actor: &Actor,
    ids: &[i64],
    intent: Intent,
    event_for: impl Fn(i64) -> Event,
) -> AppResult<std::collections::HashMap<i64, ParticipantGrant>> {
    let owners: Vec<(i64, i64)> = participants::table
        .filter(participants::id.eq_any(ids))
        .select((participants::id, participants::org_id))
        .load(tx.conn())?;
    let mut grants = std::collections::HashMap::new();
    let mut events = Vec::new();
    for (id, org_id) in owners {
        if decide(actor.org_id, actor.role, org_id, intent) {
            events.push(event_for(id).with_participant(id));
            grants.insert(
                id,
                ParticipantGrant {
                    participant_id: id,
                    org_id,
                    intent,
                },
            );
        }
    }
    audit::append_many(tx, &actor.who(), events)?;
    Ok(grants)
}

/// The scope of participant lists for this actor; `None` means they may list none.
pub fn list_scope(actor: &Actor) -> Option<ListScope> {
    actor.role.is_program_staff().then_some(ListScope {
        org_id: actor.org_id,
    })
}

/// May this actor enrol new participants? Returns the organisation they will belong to.
pub fn create_participant(actor: &Actor) -> AppResult<i64> {
    if actor.role.is_program_staff() {
        Ok(actor.org_id)
    } else {
        Err(AppError::Forbidden)
    }
}

/// May this actor reassign participants between peers (supervisors and admins)?
pub fn reassign(actor: &Actor) -> AppResult<()> {
    if matches!(actor.role, Role::Admin | Role::Supervisor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May this actor administer their organisation (staff, facilities)?
pub fn administer(actor: &Actor) -> AppResult<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May this actor read the audit log of their organisation?
pub fn read_audit(actor: &Actor) -> AppResult<i64> {
    if matches!(actor.role, Role::Admin | Role::Auditor) {
        Ok(actor.org_id)
    } else {
        Err(AppError::Forbidden)
    }
}

// ---- Workforce: staff records ----
//
// A peer's workforce records (credential pathway, training, hours, supervision, certification
// barriers, facility clearances and visits) are staff data, not participant data. Within an
// organisation: admins see and record everyone's; supervisors their team's (users whose
// `supervisor_id` is them); a peer reads only their own. Team members and auditors have no
// workforce role (403). Any other organisation's record, or a peer outside the caller's scope,
// is "not found" (404).

/// The pure decision on one staff member's workforce records.
pub fn staff_record(
    actor: &Actor,
    target_user_org_id: i64,
    target_user_id: i64,
    target_supervisor_id: Option<i64>,
    intent: Intent,
) -> AppResult<()> {
    if actor.org_id != target_user_org_id {
        return Err(AppError::NotFound);
    }
    let own = actor.user_id == target_user_id;
    let team = target_supervisor_id == Some(actor.user_id);
    match actor.role {
        Role::Admin => Ok(()),
        Role::Supervisor if team || (own && intent == Intent::Read) => Ok(()),
        Role::Peer if own && intent == Intent::Read => Ok(()),
        Role::Peer if own => Err(AppError::Forbidden),
        Role::Supervisor | Role::Peer => Err(AppError::NotFound),
        Role::Team | Role::Auditor => Err(AppError::Forbidden),
    }
}

/// Proof that the policy let the caller act on one staff member's workforce records.
#[derive(Debug)]
pub struct StaffGrant {
    user_id: i64,
    org_id: i64,
    intent: Intent,
}

impl StaffGrant {
    /// The staff member (peer) the records belong to.
    pub fn user_id(&self) -> i64 {
        self.user_id
    }
    /// Their organisation (the tenant key for rows written under this grant).
    pub fn org_id(&self) -> i64 {
        self.org_id
    }
    pub fn intent(&self) -> Intent {
        self.intent
    }
}

/// Ask the policy for access to staff member `user_id`'s workforce records, and record the
/// access in the audit chain as `event` (denials are audited too).
pub fn staff(
    tx: &mut Tx,
    actor: &Actor,
    user_id: i64,
    intent: Intent,
    event: Event,
) -> AppResult<StaffGrant> {
    use super::schema::users;
    let target: Option<(i64, Option<i64>)> = users::table
        .find(user_id)
        .select((users::org_id, users::supervisor_id))
        .first(tx.conn())
        .optional()?;
    let decision = match target {
        Some((org, sup)) => staff_record(actor, org, user_id, sup, intent).map(|()| org),
        None => Err(AppError::NotFound),
    };
    match decision {
        Ok(org_id) => {
            audit::append(tx, &actor.who(), event)?;
            Ok(StaffGrant {
                user_id,
                org_id,
                intent,
            })
        }
        Err(e) => {
            audit::append(
                tx,
                &actor.who(),
                Event::new("workforce.denied", "user", Some(user_id))
                    .detail(format!("attempted {}", event.action)),
            )?;
            Err(e)
        }
    }
}

/// May this actor use the workforce module at all? Returns their organisation. Team members
/// and auditors may not (403).
pub fn workforce(actor: &Actor) -> AppResult<i64> {
    if actor.role.is_program_staff() {
        Ok(actor.org_id)
    } else {
        Err(AppError::Forbidden)
    }
}

/// May this actor read an organisation-level workforce record (a credential standard, the
/// readiness checklist, a job description) of `record_org`? Other organisations: 404.
pub fn workforce_org_record(actor: &Actor, record_org: i64, intent: Intent) -> AppResult<()> {
    if actor.org_id != record_org {
        return Err(AppError::NotFound);
    }
    workforce(actor)?;
    match (intent, actor.role) {
        (Intent::Read, _) | (Intent::Write, Role::Admin) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// May this actor read the workforce reports (barriers, facility access) of their programme?
/// Admins and supervisors; returns the organisation.
pub fn workforce_reports(actor: &Actor) -> AppResult<i64> {
    if matches!(actor.role, Role::Admin | Role::Supervisor) {
        Ok(actor.org_id)
    } else {
        Err(AppError::Forbidden)
    }
}

// ---- Reports ----
//
// Programme reports (the dashboard, GPRA tracker, quarterly report) and data exports are for the
// programme's staff who run it: admins and supervisors, always scoped to their own organisation.
// Peers, team members and auditors may not (403). Recording one participant's GPRA interview goes
// through `participant()` like any other participant write.

/// The organisation whose figures a report or export may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportScope {
    org_id: i64,
}

impl ReportScope {
    /// Only this organisation's records.
    pub fn org_id(&self) -> i64 {
        self.org_id
    }
}

/// May this actor see the programme's reports and export its data? Admins and supervisors.
pub fn reports(actor: &Actor) -> AppResult<ReportScope> {
    if matches!(actor.role, Role::Admin | Role::Supervisor) {
        Ok(ReportScope {
            org_id: actor.org_id,
        })
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_organisations_never_allowed() {
        for role in Role::ALL {
            for intent in [Intent::Read, Intent::Write] {
                assert!(!decide(1, *role, 2, intent), "{role:?} {intent:?}");
            }
        }
    }

    #[test]
    fn own_organisation_by_role() {
        assert!(decide(1, Role::Admin, 1, Intent::Read));
        assert!(decide(1, Role::Supervisor, 1, Intent::Write));
        assert!(decide(1, Role::Peer, 1, Intent::Write));
        assert!(!decide(1, Role::Team, 1, Intent::Read));
        assert!(!decide(1, Role::Auditor, 1, Intent::Read));
    }

    fn actor(role: Role, user_id: i64, org_id: i64) -> Actor {
        Actor {
            user_id,
            org_id,
            org_kind: OrgKind::Provider,
            org_name: "A".into(),
            role,
            email: "x@a.test".into(),
            name: "X".into(),
            client_addr: "test".into(),
            via: Via::Session,
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
