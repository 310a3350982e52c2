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
use super::db::{DbConn, Tx};
use super::error::{AppError, AppResult, Denial};
use super::schema::participants;
use super::time;
use crate::consent::rules::{
    self, Basis, Category, Purpose, RecipientClass, RequestContext, Requester,
};
use crate::consent::store as consent_store;
use chrono::NaiveDateTime;

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

/// Why a grant was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantBasis {
    OwnOrganisation,
    /// Consented disclosure to a partner: the consents it rests on.
    Consent(Vec<i64>),
    /// Medical emergency (42 CFR 2.51).
    Emergency(i64),
}

/// Proof that the policy let `actor` act on one participant. Only this module makes them.
#[derive(Debug)]
pub struct ParticipantGrant {
    participant_id: i64,
    org_id: i64,
    need: Need,
    visible: Vec<Category>,
    basis: GrantBasis,
}

impl ParticipantGrant {
    pub fn participant_id(&self) -> i64 {
        self.participant_id
    }
    /// The participant's organisation (the tenant key for rows written under this grant).
    pub fn org_id(&self) -> i64 {
        self.org_id
    }
    pub fn need(&self) -> Need {
        self.need
    }
    /// May the holder see this category of information?
    pub fn sees(&self, c: Category) -> bool {
        self.visible.contains(&c)
    }
    /// The categories the holder may see.
    pub fn visible(&self) -> &[Category] {
        &self.visible
    }
    /// Is this a disclosure outside the program (consent or emergency)? Pages then carry the
    /// redisclosure notice and show no forms.
    pub fn is_disclosure(&self) -> bool {
        self.basis != GrantBasis::OwnOrganisation
    }
    pub fn basis(&self) -> &GrantBasis {
        &self.basis
    }
}

/// Which participants a list may show to the caller.
#[derive(Debug, Clone)]
pub struct ListScope {
    /// Only participants of this organisation. Private: only this module makes a scope.
    org_id: i64,
}

impl ListScope {
    /// The organisation whose participants the list may show.
    pub fn org_id(&self) -> i64 {
        self.org_id
    }
}

/// Program staff of the participant's own organisation see and change the whole record.
pub fn is_own_staff(actor_org: i64, role: Role, participant_org: i64) -> bool {
    actor_org == participant_org && role.is_program_staff()
}

fn rule_role(r: Role) -> rules::Role {
    match r {
        Role::Admin => rules::Role::Admin,
        Role::Supervisor => rules::Role::Supervisor,
        Role::Peer => rules::Role::Peer,
        Role::Team => rules::Role::Team,
        Role::Auditor => rules::Role::Auditor,
    }
}

/// The recipient class of a partner organisation.
pub fn class_of(kind: OrgKind) -> Option<RecipientClass> {
    match kind {
        OrgKind::Provider => None,
        OrgKind::JailHealth => Some(RecipientClass::JailHealth),
        OrgKind::Probation => Some(RecipientClass::Probation),
        OrgKind::Parole => Some(RecipientClass::Parole),
        OrgKind::Court => Some(RecipientClass::Court),
        OrgKind::TreatmentProvider => Some(RecipientClass::TreatmentProvider),
        OrgKind::MedicalProvider => Some(RecipientClass::MedicalProvider),
    }
}

/// The purposes for which staff of this kind of organisation receive information: a consent
/// helps them only when its purpose is one of these (see docs/decisions/0005).
pub fn purposes_of(kind: OrgKind) -> &'static [Purpose] {
    match kind {
        OrgKind::Probation | OrgKind::Parole | OrgKind::Court => {
            &[Purpose::MonitoringProgress, Purpose::CareCoordination]
        }
        OrgKind::JailHealth | OrgKind::TreatmentProvider | OrgKind::MedicalProvider => {
            &[Purpose::Treatment, Purpose::CareCoordination]
        }
        OrgKind::Provider => &[Purpose::CareCoordination, Purpose::Treatment],
    }
}

/// What the consent rules let this actor see of one participant now, with the basis of each.
pub fn visible_to(
    conn: &mut DbConn,
    actor: &Actor,
    participant_id: i64,
    participant_org: i64,
    at: NaiveDateTime,
) -> AppResult<(Vec<Category>, GrantBasis, Purpose)> {
    if actor.org_id == participant_org && actor.role.is_program_staff() {
        return Ok((
            Category::ALL.to_vec(),
            GrantBasis::OwnOrganisation,
            Purpose::Treatment,
        ));
    }
    if actor.role == Role::Auditor {
        return Ok((vec![], GrantBasis::Consent(vec![]), Purpose::Other));
    }
    let (consents, emergencies) =
        consent_store::load_for_policy(conn, participant_id, actor.user_id)?;
    let requester = Requester {
        user_id: actor.user_id,
        org_id: actor.org_id,
        role: rule_role(actor.role),
        class: class_of(actor.org_kind),
    };
    let mut visible = Vec::new();
    let mut consent_ids = Vec::new();
    let mut emergency = None;
    let mut purpose_used = purposes_of(actor.org_kind)[0];
    for purpose in purposes_of(actor.org_kind) {
        let ctx = RequestContext {
            requester: requester.clone(),
            participant_id,
            participant_org_id: participant_org,
            purpose: *purpose,
            at,
        };
        for (c, b) in rules::visible_categories(&ctx, &consents, &emergencies) {
            if !visible.contains(&c) {
                visible.push(c);
                purpose_used = *purpose;
            }
            match b {
                Basis::Consent { consent_id } if !consent_ids.contains(&consent_id) => {
                    consent_ids.push(consent_id);
                }
                Basis::Emergency { access_id } => emergency = Some(access_id),
                _ => {}
            }
        }
    }
    let basis = match (emergency, consent_ids.is_empty()) {
        (Some(e), true) => GrantBasis::Emergency(e),
        _ => GrantBasis::Consent(consent_ids),
    };
    Ok((visible, basis, purpose_used))
}

/// Ask the policy for access to participant `id`, and record the access in the audit chain as
/// `event` (inside the caller's transaction). Partners see only what an active consent (or an
/// emergency access) allows, and every such access is also written to the accounting of
/// disclosures. Refusals answer "not found" and are audited by `Db::write`.
pub fn participant(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    need: Need,
    event: Event,
) -> AppResult<ParticipantGrant> {
    let owner: Option<i64> = participants::table
        .find(id)
        .select(participants::org_id)
        .first(tx.conn())
        .optional()?;
    let deny = |action: String| {
        AppError::Denied(Box::new(Denial {
            who: actor.who(),
            participant_id: id,
            action,
        }))
    };
    let Some(org_id) = owner else {
        return Err(deny(event.action));
    };
    let own_staff = is_own_staff(actor.org_id, actor.role, org_id);
    if need == Need::Write {
        if !own_staff {
            return Err(deny(event.action));
        }
        audit::append(tx, &actor.who(), event.with_participant(id))?;
        return Ok(ParticipantGrant {
            participant_id: id,
            org_id,
            need,
            visible: Category::ALL.to_vec(),
            basis: GrantBasis::OwnOrganisation,
        });
    }
    let (visible, basis, purpose) = visible_to(tx.conn(), actor, id, org_id, time::now())?;
    let disclosed: Vec<Category> = match need {
        Need::Read(c) if visible.contains(&c) => vec![c],
        Need::Encounters if visible.contains(&Category::Participation) => visible
            .iter()
            .copied()
            .filter(|c| matches!(c, Category::Participation | Category::EncounterNotes))
            .collect(),
        Need::Overview => visible.clone(),
        _ => vec![],
    };
    if disclosed.is_empty() {
        return Err(deny(event.action));
    }
    let grant = ParticipantGrant {
        participant_id: id,
        org_id,
        need,
        visible,
        basis,
    };
    if grant.is_disclosure() {
        let (consent_id, emergency_id) = match &grant.basis {
            GrantBasis::Consent(ids) => (ids.first().copied(), None),
            GrantBasis::Emergency(e) => (None, Some(*e)),
            GrantBasis::OwnOrganisation => (None, None),
        };
        let action = if event.action.ends_with(".print") {
            "print"
        } else if event.action.ends_with(".export") {
            "export"
        } else {
            "view"
        };
        consent_store::record_disclosure(
            tx,
            org_id,
            id,
            consent_id,
            emergency_id,
            actor.user_id,
            actor.org_id,
            &format!("{} ({})", actor.name, actor.email),
            &disclosed,
            action,
            purpose,
        )?;
    }
    let detail = if grant.is_disclosure() {
        format!(
            "disclosed: {}",
            disclosed
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        )
    } else {
        event.detail.clone()
    };
    audit::append(tx, &actor.who(), event.with_participant(id).detail(detail))?;
    Ok(grant)
}

/// Ask the policy for several participants at once, for writing (bulk work such as roster
/// import): one query, one audit append (`event_for(id)` for each allowed id). Ids the actor
/// may not reach are left out of the result.
pub fn participants_batch(
    tx: &mut Tx,
    actor: &Actor,
    ids: &[i64],
    event_for: impl Fn(i64) -> Event,
) -> AppResult<std::collections::HashMap<i64, ParticipantGrant>> {
    let owners: Vec<(i64, i64)> = participants::table
        .filter(participants::id.eq_any(ids))
        .select((participants::id, participants::org_id))
        .load(tx.conn())?;
    let mut grants = std::collections::HashMap::new();
    let mut events = Vec::new();
    for (id, org_id) in owners {
        if is_own_staff(actor.org_id, actor.role, org_id) {
            events.push(event_for(id).with_participant(id));
            grants.insert(
                id,
                ParticipantGrant {
                    participant_id: id,
                    org_id,
                    need: Need::Write,
                    visible: Category::ALL.to_vec(),
                    basis: GrantBasis::OwnOrganisation,
                },
            );
        }
    }
    audit::append_many(tx, &actor.who(), events)?;
    Ok(grants)
}

/// Participants shared with a partner (by consent or emergency), each with what they may see.
/// Listing them is itself a disclosure of participation, recorded for each.
pub fn shared_with(tx: &mut Tx, actor: &Actor) -> AppResult<Vec<(i64, Vec<Category>)>> {
    if actor.role == Role::Auditor {
        return Ok(vec![]);
    }
    let candidates = consent_store::candidates_for(
        tx.conn(),
        actor.user_id,
        actor.org_id,
        class_of(actor.org_kind),
    )?;
    let owners: Vec<(i64, i64)> = participants::table
        .filter(participants::id.eq_any(&candidates))
        .filter(participants::merged_into_id.is_null())
        .select((participants::id, participants::org_id))
        .load(tx.conn())?;
    let now = time::now();
    let mut out = Vec::new();
    for (id, org) in owners {
        if is_own_staff(actor.org_id, actor.role, org) {
            continue;
        }
        let (visible, basis, purpose) = visible_to(tx.conn(), actor, id, org, now)?;
        if !visible.contains(&Category::Participation) && !matches!(basis, GrantBasis::Emergency(_))
        {
            continue;
        }
        if visible.is_empty() {
            continue;
        }
        let (consent_id, emergency_id) = match &basis {
            GrantBasis::Consent(ids) => (ids.first().copied(), None),
            GrantBasis::Emergency(e) => (None, Some(*e)),
            GrantBasis::OwnOrganisation => (None, None),
        };
        consent_store::record_disclosure(
            tx,
            org,
            id,
            consent_id,
            emergency_id,
            actor.user_id,
            actor.org_id,
            &format!("{} ({})", actor.name, actor.email),
            &[Category::Participation],
            "list",
            purpose,
        )?;
        out.push((id, visible));
    }
    audit::append(
        tx,
        &actor.who(),
        Event::new("participant.shared_list", "participant", None)
            .detail(format!("{} shown", out.len())),
    )?;
    Ok(out)
}

/// May this actor read a participant's accounting of disclosures (program staff and auditors of
/// the participant's organisation)? Audited.
pub fn accounting(tx: &mut Tx, actor: &Actor, id: i64) -> AppResult<i64> {
    let owner: Option<i64> = participants::table
        .find(id)
        .select(participants::org_id)
        .first(tx.conn())
        .optional()?;
    match owner {
        Some(org)
            if org == actor.org_id
                && (actor.role.is_program_staff() || actor.role == Role::Auditor) =>
        {
            audit::append(
                tx,
                &actor.who(),
                Event::new("disclosures.read", "participant", Some(id)).with_participant(id),
            )?;
            Ok(org)
        }
        _ => Err(AppError::Denied(Box::new(Denial {
            who: actor.who(),
            participant_id: id,
            action: "disclosures.read".into(),
        }))),
    }
}

/// Is this actor medical personnel in the sense of 42 CFR 2.51(a) ("information may be
/// disclosed to medical personnel to the extent necessary to meet a bona fide medical emergency
/// in which the patient's prior informed consent cannot be obtained")? Staff of a medical kind of
/// organisation (medical provider, treatment provider, jail health), except auditors. Courts,
/// probation, parole and peer programmes never are.
pub fn is_medical_personnel(actor: &Actor) -> bool {
    actor.role != Role::Auditor && class_of(actor.org_kind).is_some_and(RecipientClass::is_medical)
}

/// May this actor open participant `id`'s record for a medical emergency? Only medical
/// personnel ([`is_medical_personnel`]) of another organisation than the participant's, and,
/// where the participant's programme lists the medical organisations that may reach its
/// participants, only those (a programme may narrow 2.51, never widen it). Returns the
/// participant's organisation; the caller records the access.
///
/// Every refusal, including an id that does not exist, is the same `Denied` (answered as "not
/// found" and audited against the participant id), so emergency access cannot be used to learn
/// which ids exist or who may reach them.
pub fn emergency(tx: &mut Tx, actor: &Actor, id: i64) -> AppResult<i64> {
    let deny = || {
        AppError::Denied(Box::new(Denial {
            who: actor.who(),
            participant_id: id,
            action: "emergency.open".into(),
        }))
    };
    let owner: Option<i64> = participants::table
        .find(id)
        .select(participants::org_id)
        .first(tx.conn())
        .optional()?;
    let Some(org) = owner else {
        return Err(deny());
    };
    if !is_medical_personnel(actor) || org == actor.org_id {
        return Err(deny());
    }
    if !crate::consent::emergency::reach_allows(tx.conn(), org, actor.org_id)? {
        return Err(deny());
    }
    Ok(org)
}

/// May this actor see and end emergency accesses to their programme's participants (admins,
/// supervisors and auditors, the privacy officer, of the participant's organisation)? Returns
/// the organisation.
pub fn oversee_emergencies(actor: &Actor) -> AppResult<i64> {
    if matches!(actor.role, Role::Admin | Role::Supervisor | Role::Auditor) {
        Ok(actor.org_id)
    } else {
        Err(AppError::Forbidden)
    }
}

/// May this actor end emergency access `access_org` / `opened_by`: overseers of the
/// participant's organisation, or the person who opened it. Anyone else: not found.
pub fn end_emergency(actor: &Actor, access_org: i64, opened_by: i64) -> AppResult<()> {
    let overseer = actor.org_id == access_org
        && matches!(actor.role, Role::Admin | Role::Supervisor | Role::Auditor);
    if overseer || (actor.via != Via::CommandLine && actor.user_id == opened_by) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The scope of participant lists for this actor; `None` means they may list none.
pub fn list_scope(actor: &Actor) -> Option<ListScope> {
    actor.role.is_program_staff().then_some(ListScope {
        org_id: actor.org_id,
    })
}

/// Does this actor's caseload reach past their own participants, so that the caseload page
/// offers to choose whose caseload to show? Everyone but a peer: a peer's caseload is their own.
pub fn chooses_caseload_peer(actor: &Actor) -> bool {
    actor.role != Role::Peer
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

/// May this actor see the programme's consents that need correcting (program staff and
/// auditors)? Returns the organisation.
pub fn consents_to_fix(actor: &Actor) -> AppResult<i64> {
    if actor.role.is_program_staff() || actor.role == Role::Auditor {
        Ok(actor.org_id)
    } else {
        Err(AppError::Forbidden)
    }
}

/// May this actor decide which medical organisations may reach the programme's participants
/// in an emergency? The programme's admins.
pub fn emergency_policy(actor: &Actor) -> AppResult<i64> {
    administer(actor).map(|()| actor.org_id)
}

/// May this actor administer their organisation (staff, facilities)?
pub fn administer(actor: &Actor) -> AppResult<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May this actor manage the account of a staff member of organisation `staff_org` (invite,
/// new set-password link, disable, reset the second factor, revoke their API tokens)? Only an
/// admin, and only of their own organisation: another organisation's staff member is "not
/// found", as their records are; a non-admin is refused by role first.
pub fn administer_staff(actor: &Actor, staff_org: Option<i64>) -> AppResult<()> {
    administer(actor)?;
    match staff_org {
        Some(org) if org == actor.org_id => Ok(()),
        _ => Err(AppError::NotFound),
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

// ---- Roster imports ----
//
// A roster import run and its rows to check name people (the roster's, and the participants
// they look like), so they are for the staff who may import rosters (admins and supervisors)
// of the organisation that ran the import. Other roles of that organisation: 403. Another
// organisation's run: "not found" (404). Each view is audited (`roster_import::view`).

/// May this actor import rosters (admins and supervisors)? Returns their organisation.
pub fn import_roster(actor: &Actor) -> AppResult<i64> {
    if matches!(actor.role, Role::Admin | Role::Supervisor) {
        Ok(actor.org_id)
    } else {
        Err(AppError::Forbidden)
    }
}

/// May this actor see roster import run of organisation `run_org`?
pub fn roster_import(actor: &Actor, run_org: i64) -> AppResult<()> {
    if actor.org_id != run_org {
        return Err(AppError::NotFound);
    }
    import_roster(actor).map(|_| ())
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

/// Whose workforce records a list of peers may show (see `peer_list`). Private fields: only
/// this module makes one.
#[derive(Debug, Clone, Copy)]
pub struct PeerListScope {
    org_id: i64,
    supervisor: Option<i64>,
    only: Option<i64>,
}

impl PeerListScope {
    /// The programme.
    pub fn org_id(&self) -> i64 {
        self.org_id
    }
    /// Only the staff this supervisor supervises.
    pub fn supervisor(&self) -> Option<i64> {
        self.supervisor
    }
    /// Only this one person (a peer sees their own record).
    pub fn only(&self) -> Option<i64> {
        self.only
    }
}

/// The peers whose workforce records the actor may list: an admin every peer and supervisor of
/// the programme, a supervisor the staff they supervise, a peer only themselves. Team members
/// and auditors may not (403).
pub fn peer_list(actor: &Actor) -> AppResult<PeerListScope> {
    let org_id = workforce(actor)?;
    let (supervisor, only) = match actor.role {
        Role::Admin => (None, None),
        Role::Supervisor => (Some(actor.user_id), None),
        _ => (None, Some(actor.user_id)),
    };
    Ok(PeerListScope {
        org_id,
        supervisor,
        only,
    })
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
