//! Staff data: a peer's workforce records (credential pathway, training, hours, supervision,
//! barriers, clearances, visits) by role within the organisation, and the peer lists.

use super::*;

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

/// The pure decision on recording a staff member's facility visits. A peer records their own
/// (they were at the gate: a visit refused at the door is theirs to report, the same day, without
/// waiting for a supervisor); everyone else as for [`staff_record`] writes.
pub fn visit_record(
    actor: &Actor,
    target_user_org_id: i64,
    target_user_id: i64,
    target_supervisor_id: Option<i64>,
) -> AppResult<()> {
    if actor.role == Role::Peer
        && actor.org_id == target_user_org_id
        && actor.user_id == target_user_id
    {
        return Ok(());
    }
    staff_record(
        actor,
        target_user_org_id,
        target_user_id,
        target_supervisor_id,
        Intent::Write,
    )
}

/// Which party signs a supervision session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    Supervisor,
    Peer,
}

/// The pure decision on signing a supervision session (decision 0051): the supervisor who held
/// it signs as supervisor, the peer it was with signs as peer, nobody else signs (not an admin,
/// not another supervisor: a signature says "I was there and this is what happened"). Someone
/// else who may read the peer's records is refused (403); anyone else learns nothing (404).
pub fn supervision_signature(
    actor: &Actor,
    session_org_id: i64,
    session_supervisor_id: i64,
    session_peer_id: i64,
    peer_supervisor_id: Option<i64>,
) -> AppResult<Signer> {
    if actor.org_id != session_org_id {
        return Err(AppError::NotFound);
    }
    match actor.role {
        Role::Team | Role::Auditor => Err(AppError::Forbidden),
        _ if actor.user_id == session_supervisor_id => Ok(Signer::Supervisor),
        _ if actor.user_id == session_peer_id => Ok(Signer::Peer),
        _ => staff_record(
            actor,
            session_org_id,
            session_peer_id,
            peer_supervisor_id,
            Intent::Read,
        )
        .and(Err(AppError::Forbidden)),
    }
}

/// Ask the policy whether the caller signs the session of `peer_id` held by `supervisor_id`,
/// and as whom; audited as `event` (a refusal as `workforce.denied`).
pub fn staff_signature(
    tx: &mut Tx,
    actor: &Actor,
    peer_id: i64,
    supervisor_id: i64,
    event: Event,
) -> AppResult<(StaffGrant, Signer)> {
    let mut signer = None;
    let g = staff_by(tx, actor, peer_id, Intent::Write, event, |org, sup| {
        supervision_signature(actor, org, supervisor_id, peer_id, sup).map(|s| {
            signer = Some(s);
        })
    })?;
    signer.map(|s| (g, s)).ok_or(AppError::NotFound)
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
    staff_by(tx, actor, user_id, intent, event, |org, sup| {
        staff_record(actor, org, user_id, sup, intent)
    })
}

/// Ask the policy to record staff member `user_id`'s facility visits ([`visit_record`]),
/// audited as `event`; the grant is a write grant to their visits.
pub fn staff_visits(
    tx: &mut Tx,
    actor: &Actor,
    user_id: i64,
    event: Event,
) -> AppResult<StaffGrant> {
    staff_by(tx, actor, user_id, Intent::Write, event, |org, sup| {
        visit_record(actor, org, user_id, sup)
    })
}

fn staff_by(
    tx: &mut Tx,
    actor: &Actor,
    user_id: i64,
    intent: Intent,
    event: Event,
    decide: impl FnOnce(i64, Option<i64>) -> AppResult<()>,
) -> AppResult<StaffGrant> {
    use crate::platform::schema::users;
    let target: Option<(i64, Option<i64>)> = users::table
        .find(user_id)
        .select((users::org_id, users::supervisor_id))
        .first(tx.conn())
        .optional()?;
    let decision = match target {
        Some((org, sup)) => decide(org, sup).map(|()| org),
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
                Event::new(Action::WorkforceDenied, "user", Some(user_id))
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
    admin_or_supervisor(actor)
}

// ---- Hiring ----
//
// The programme's hiring records (job openings, applicants, their steps) are staff data about
// people who are not yet staff. An applicant's own account of their lived experience (of
// recovery, of the justice system) is sensitive: only the programme's admins keep and read the
// records. Supervisors read the pipeline report, which is aggregated and names no one. Peers,
// partners (team members) and auditors have no hiring role (403); another organisation's
// applicant is "not found" (the store filters by the organisation returned here).

/// May this actor keep and read the programme's hiring records? Admins; returns the
/// organisation.
pub fn hiring_records(actor: &Actor) -> AppResult<i64> {
    match actor.role {
        Role::Admin => Ok(actor.org_id),
        _ => Err(AppError::Forbidden),
    }
}

/// May this actor read the hiring pipeline report (no names)? Admins and supervisors.
pub fn hiring_report(actor: &Actor) -> AppResult<i64> {
    admin_or_supervisor(actor)
}

// ---- Field safety ----
//
// A peer's field visits (where, with whom, until when, safety notes about a place) are the
// programme's own staff data (issue 18 item 1). A peer checks in, out and calls for help on
// their own visits; a supervisor watches their team's; an admin is the backup who watches the
// whole programme. Partners (team members of other organisations) and auditors never read them.

/// Whose field visits an actor watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldWatch {
    /// Their own only (a peer).
    Own,
    /// Their own and their team's (a supervisor: staff whose `supervisor_id` is them).
    Team,
    /// The whole programme's (an admin: the backup when an alert escalates).
    Programme,
}

/// A field-safety scope: only this module makes one.
#[derive(Debug, Clone, Copy)]
pub struct FieldScope {
    org_id: i64,
    user_id: i64,
    watch: FieldWatch,
}

impl FieldScope {
    pub fn org_id(&self) -> i64 {
        self.org_id
    }
    /// The staff member acting.
    pub fn user_id(&self) -> i64 {
        self.user_id
    }
    pub fn watch(&self) -> FieldWatch {
        self.watch
    }
}

/// May this actor use field safety, and whose visits do they watch? Programme staff only (403
/// for team members and auditors).
pub fn field_safety(actor: &Actor) -> AppResult<FieldScope> {
    let watch = match actor.role {
        Role::Peer => FieldWatch::Own,
        Role::Supervisor => FieldWatch::Team,
        Role::Admin => FieldWatch::Programme,
        Role::Team | Role::Auditor => return Err(AppError::Forbidden),
    };
    Ok(FieldScope {
        org_id: actor.org_id,
        user_id: actor.user_id,
        watch,
    })
}

// ---- Scheduled jobs ----
//
// The runs of the scheduled jobs (decision 0050) say which job ran on which instance, when, how
// many items it did and why it failed; they name no participant. Admins watch them.

/// May this actor read the job runs? Admins only.
pub fn job_runs(actor: &Actor) -> AppResult<()> {
    match actor.role {
        Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}
