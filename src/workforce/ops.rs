//! Workforce use cases. Each asks the access policy, calls the store and appends the audit
//! entry, so the API (`api.rs`), the pages (`pages/`) and the home page only call one of these
//! and render the answer: what a caller may do with staff records is decided here, once
//! (decision 0031).
//!
//! Where the API parses the request body only after the policy has answered (so that a caller
//! without access learns nothing from validation messages), the operation takes the parser as a
//! closure, `input: impl FnOnce() -> AppResult<I>`, and calls it once the policy has let the
//! caller in; a page, whose form is already read, passes `|| Ok(input)`.

use chrono::NaiveDate;

use super::codes::JobKind;
use super::figures::{FacilityAccessRow, VisitMonth};
use super::store::{
    self, BarriersReport, Clearance, ClearanceEventInput, ClearanceInput, Exemption,
    ExemptionInput, Pathway, PathwayInput, PeerRecord, ReadinessItem, ReadinessItemInput, Sanction,
    SanctionInput, Standard, StandardInput, SupervisionInput, SupervisionSession, TrainingInput,
    TrainingRecord, Visit, VisitInput, WorkHours, WorkHoursInput,
};
use crate::platform::access::{self, Actor, Intent, StaffGrant};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::report_cache::Freshness;

pub use super::store::PeerSummary;
pub use super::supervision::ops::*;

// ---------------------------------------------------------------- peers

/// The peers in the caller's scope with their pathway progress (audited as one read).
pub fn peer_list(tx: &mut Tx, a: &Actor) -> AppResult<Vec<PeerSummary>> {
    let scope = access::peer_list(a)?;
    let mut list = store::peer_summaries(
        tx.conn(),
        scope.org_id(),
        scope.supervisor(),
        a.zone.today(),
    )?;
    if let Some(me) = scope.only() {
        list.retain(|p| p.id == me);
    }
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::WorkforceList, "user", None).detail(format!("{} shown", list.len())),
    )?;
    Ok(list)
}

/// What the workforce overview shows the caller.
pub enum Overview {
    /// A peer has no overview: theirs is their own record (this user id).
    OwnRecord(i64),
    /// Admins and supervisors: the peers in their scope and the programme's credential
    /// standards; whether they may define standards and see the reports.
    Programme {
        peers: Vec<PeerSummary>,
        standards: Vec<Standard>,
        may_edit: bool,
        may_report: bool,
    },
}

/// The workforce overview (the peer list audited as in [`peer_list`]).
pub fn overview(tx: &mut Tx, a: &Actor) -> AppResult<Overview> {
    if let Some(me) = access::peer_list(a)?.only() {
        return Ok(Overview::OwnRecord(me));
    }
    Ok(Overview::Programme {
        peers: peer_list(tx, a)?,
        standards: standards(tx, a)?,
        may_edit: may_edit_org_records(a),
        may_report: access::workforce_reports(a).is_ok(),
    })
}

/// Ask the policy for one peer's records, audited as `action`.
fn grant(
    tx: &mut Tx,
    a: &Actor,
    peer: i64,
    intent: Intent,
    action: Action,
) -> AppResult<StaffGrant> {
    access::staff(tx, a, peer, intent, Event::new(action, "user", Some(peer)))
}

/// One peer's workforce record: pathways with progress, training, hours, supervision,
/// barriers, clearances and visits (audited as a view).
pub fn peer_record(tx: &mut Tx, a: &Actor, peer: i64) -> AppResult<PeerRecord> {
    let g = grant(tx, a, peer, Intent::Read, Action::WorkforceView)?;
    store::peer_record(tx.conn(), &g, a.zone.today())
}

/// What the peer's page shows: the record, the standards a pathway may follow, the facilities
/// a clearance may name, and whether the caller may write to the record.
pub struct PeerView {
    pub record: PeerRecord,
    pub standards: Vec<Standard>,
    pub facilities: Vec<(i64, String)>,
    pub can_write: bool,
    /// Whether the caller may record the peer's facility visits (the peer themself may).
    pub can_record_visits: bool,
    /// The day the record's progress and alerts were computed for.
    pub today: NaiveDate,
}

/// One peer's record with what its forms offer (audited as a view, like [`peer_record`]).
pub fn peer_view(tx: &mut Tx, a: &Actor, peer: i64) -> AppResult<PeerView> {
    let g = grant(tx, a, peer, Intent::Read, Action::WorkforceView)?;
    let today = a.zone.today();
    let record = store::peer_record(tx.conn(), &g, today)?;
    let can_write =
        access::staff_record(a, a.org_id, peer, record.supervisor_id, Intent::Write).is_ok();
    let can_record_visits = access::visit_record(a, a.org_id, peer, record.supervisor_id).is_ok();
    Ok(PeerView {
        can_record_visits,
        standards: store::standards_of(tx.conn(), g.org_id())?,
        facilities: store::facility_choices(tx.conn())?,
        record,
        can_write,
        today,
    })
}

/// Declares the operations that add to (or replace in) a peer's record: each asks the policy
/// to write to the peer's records, audited as its action, reads its input only then, and
/// calls the store function of the same name for today.
macro_rules! peer_writes {
    ($(
        $(#[$doc:meta])*
        $name:ident($input:ty) -> $out:ty = $action:expr;
    )+) => {$(
        $(#[$doc])*
        pub fn $name(
            tx: &mut Tx,
            a: &Actor,
            peer: i64,
            input: impl FnOnce() -> AppResult<$input>,
        ) -> AppResult<$out> {
            let g = grant(tx, a, peer, Intent::Write, $action)?;
            store::$name(tx, &g, &input()?, a.zone.today())
        }
    )+};
}

peer_writes! {
    /// Create or replace the peer's pathway toward a credential.
    save_pathway(PathwayInput) -> Pathway = Action::WorkforcePathwaySave;
    /// Record a training course of the peer.
    add_training(TrainingInput) -> TrainingRecord = Action::WorkforceTrainingAdd;
    /// Record supervised work experience hours of the peer.
    add_work_hours(WorkHoursInput) -> WorkHours = Action::WorkforceWorkHoursAdd;
    /// Open a background exemption process for the peer.
    add_exemption(ExemptionInput) -> Exemption = Action::WorkforceExemptionAdd;
    /// Record a court fine, fee or restitution of the peer.
    add_sanction(SanctionInput) -> Sanction = Action::WorkforceSanctionAdd;
    /// Request clearance for the peer at a facility.
    add_clearance(ClearanceInput) -> Clearance = Action::WorkforceClearanceAdd;
}

/// Record a scheduled facility visit of the peer and its outcome (a refusal at the door among
/// them). The peer may record their own ([`access::visit_record`]).
pub fn add_visit(
    tx: &mut Tx,
    a: &Actor,
    peer: i64,
    input: impl FnOnce() -> AppResult<VisitInput>,
) -> AppResult<Visit> {
    let g = access::staff_visits(
        tx,
        a,
        peer,
        Event::new(Action::WorkforceVisitAdd, "user", Some(peer)),
    )?;
    store::add_visit(tx, &g, &input()?, a.zone.today())
}

/// Log a supervision session with the peer; the caller is the supervisor.
pub fn add_supervision(
    tx: &mut Tx,
    a: &Actor,
    peer: i64,
    input: impl FnOnce() -> AppResult<SupervisionInput>,
) -> AppResult<SupervisionSession> {
    let g = grant(tx, a, peer, Intent::Write, Action::WorkforceSupervisionAdd)?;
    store::add_supervision(tx, &g, a.user_id, &input()?, a.zone.today())
}

/// The peer an exemption process belongs to (not found: 404). Names no more than the id, so
/// it asks no policy; what may be done with the peer's records is asked of it next.
pub fn exemption_peer(tx: &mut Tx, id: i64) -> AppResult<i64> {
    store::exemption(tx.conn(), id)?
        .map(|e| e.peer_id)
        .ok_or(AppError::NotFound)
}

/// Update an exemption process (documents requested or sent, decision).
pub fn update_exemption(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<ExemptionInput>,
) -> AppResult<Exemption> {
    let peer = exemption_peer(tx, id)?;
    let g = grant(tx, a, peer, Intent::Write, Action::WorkforceExemptionUpdate)?;
    store::update_exemption(tx, &g, id, &input()?, a.zone.today())
}

/// The peer a clearance belongs to (not found: 404); see [`exemption_peer`].
pub fn clearance_peer(tx: &mut Tx, id: i64) -> AppResult<i64> {
    store::clearance(tx.conn(), id)?
        .map(|c| c.peer_id)
        .ok_or(AppError::NotFound)
}

/// Record a status change of a clearance.
pub fn add_clearance_event(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<ClearanceEventInput>,
) -> AppResult<Clearance> {
    let peer = clearance_peer(tx, id)?;
    let g = grant(tx, a, peer, Intent::Write, Action::WorkforceClearanceUpdate)?;
    store::add_clearance_event(tx, &g, id, &input()?, a.zone.today())
}

// ---------------------------------------------------------------- credential standards

/// May the caller change the programme's own workforce records (standards, readiness, job
/// descriptions)? The policy's answer for a write, asked of the caller's organisation.
pub fn may_edit_org_records(a: &Actor) -> bool {
    access::workforce_org_record(a, a.org_id, Intent::Write).is_ok()
}

/// The credential standards of the caller's organisation.
pub fn standards(tx: &mut Tx, a: &Actor) -> AppResult<Vec<Standard>> {
    let org = access::workforce(a)?;
    store::standards_of(tx.conn(), org)
}

/// One credential standard, if the caller may `intent` it (another organisation's: 404).
pub fn standard(tx: &mut Tx, a: &Actor, id: i64, intent: Intent) -> AppResult<Standard> {
    let s = store::standard(tx.conn(), id)?.ok_or(AppError::NotFound)?;
    access::workforce_org_record(a, s.org_id, intent)?;
    Ok(s)
}

/// Define a credential standard in the caller's organisation (admins).
pub fn create_standard(
    tx: &mut Tx,
    a: &Actor,
    input: impl FnOnce() -> AppResult<StandardInput>,
) -> AppResult<Standard> {
    access::workforce_org_record(a, a.org_id, Intent::Write)?;
    let rule = input()?.parse().map_err(AppError::Invalid)?;
    let s = store::create_standard(tx, a.org_id, &rule)?;
    standard_changed(tx, a, Action::CredentialStandardCreate, s, &rule.name)
}

/// Replace a credential standard's requirements (admins of its organisation).
pub fn update_standard(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<StandardInput>,
) -> AppResult<Standard> {
    standard(tx, a, id, Intent::Write)?;
    let rule = input()?.parse().map_err(AppError::Invalid)?;
    let s = store::update_standard(tx, id, &rule)?;
    standard_changed(tx, a, Action::CredentialStandardUpdate, s, &rule.name)
}

/// Audit a change of the credential standard `s` (named `name`) as `action`, and answer it.
fn standard_changed(
    tx: &mut Tx,
    a: &Actor,
    action: Action,
    s: Standard,
    name: &str,
) -> AppResult<Standard> {
    let event = Event::new(action, "credential_standard", Some(s.id)).detail(name);
    audit::append(tx, &a.who(), event)?;
    Ok(s)
}

// ---------------------------------------------------------------- reports

/// The certification barriers report of the caller's programme and the deployment
/// (de-identified; admins and supervisors; audited as a report view).
pub fn barriers_report(tx: &mut Tx, a: &Actor) -> AppResult<BarriersReport> {
    let org = access::workforce_reports(a)?;
    let r = store::barriers_report(tx.conn(), org, a.zone.today())?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::WorkforceReportBarriers, "report", None),
    )?;
    Ok(r)
}

/// The facility access report rows of the caller's programme for `from..=to`: computed outside
/// the write lock and kept per data version (decision 0010); the view is audited either way, by
/// the recorder with the other reads of the moment (decision 0041).
pub async fn facility_access(
    db: &Db,
    a: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(FacilityAccess, Freshness)> {
    let org = access::workforce_reports(a)?;
    let who = a.who();
    let (rows, fresh) = db
        .reports
        .get_or_compute(
            db,
            org,
            store::FACILITY_ACCESS_READS,
            format!("facility_access|{from}|{to}"),
            move |c, _| store::facility_access_report(c, org, from, to),
        )
        .await?;
    db.read(move |tx| {
        audit::append(
            tx,
            &who,
            Event::new(Action::WorkforceReportFacilityAccess, "report", None)
                .detail(format!("{from} to {to}")),
        )
    })
    .await?;
    Ok(((*rows).clone(), fresh))
}

/// The facility access report: a row per facility, and visits requested against admitted per
/// facility and month.
pub type FacilityAccess = (Vec<FacilityAccessRow>, Vec<VisitMonth>);

// ---------------------------------------------------------------- readiness and job descriptions

/// The programme's start-up checklist (created from the default on first use).
pub fn readiness(tx: &mut Tx, a: &Actor) -> AppResult<Vec<ReadinessItem>> {
    let org = access::workforce(a)?;
    store::readiness_checklist(tx, org)
}

/// Update one checklist item: owner, status, due date, notes (admins of its organisation).
pub fn update_readiness_item(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<ReadinessItemInput>,
) -> AppResult<ReadinessItem> {
    let item = store::readiness_item(tx.conn(), id)?.ok_or(AppError::NotFound)?;
    access::workforce_org_record(a, item.org_id, Intent::Write)?;
    let r = store::update_readiness_item(tx, id, &input()?)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::ReadinessUpdate, "readiness_item", Some(id)).detail(&r.status),
    )?;
    Ok(r)
}

/// The programme's job description of `kind` (its edited text, or the sample).
pub fn job_description(tx: &mut Tx, a: &Actor, kind: JobKind) -> AppResult<String> {
    let org = access::workforce(a)?;
    store::job_description(tx.conn(), org, kind)
}

/// Save the programme's job description of `kind` (admins).
pub fn save_job_description(tx: &mut Tx, a: &Actor, kind: JobKind, body: &str) -> AppResult<()> {
    access::workforce_org_record(a, a.org_id, Intent::Write)?;
    store::save_job_description(tx, a.org_id, kind, body)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::JobDescriptionUpdate, "job_description", None).detail(kind.as_str()),
    )?;
    Ok(())
}

/// Each certified peer's credential period (peer, certified on, lapses on) in the report
/// scope's organisation, for billing's "credential valid on the date of service". The caller
/// appends the audit entry of what it makes of them.
pub fn certifications(
    tx: &mut Tx,
    scope: &access::ReportScope,
) -> AppResult<Vec<(i64, NaiveDate, Option<NaiveDate>)>> {
    store::certifications(tx.conn(), scope.org_id())
}

/// A peer of a supervisor's team, with the size of their caseload.
pub struct TeamMember {
    pub name: String,
    pub email: String,
    /// The programme's participants assigned to them.
    pub caseload: i64,
}

/// The supervisor's team: the active peers they supervise, by name, each with the number of the
/// programme's participants assigned to them. Programme staff only; anyone else's team is empty
/// (an administrator or a peer supervises nobody).
pub fn my_team(conn: &mut crate::platform::db::DbConn, a: &Actor) -> AppResult<Vec<TeamMember>> {
    use crate::platform::schema::{participants, users};
    use diesel::prelude::*;
    let scope = access::list_scope(a).ok_or(AppError::Forbidden)?;
    let peers: Vec<(i64, String, String)> = users::table
        .filter(users::supervisor_id.eq(a.user_id))
        .filter(users::org_id.eq(scope.org_id()))
        .filter(users::disabled_at.is_null())
        .order(users::name)
        .select((users::id, users::name, users::email))
        .load(conn)?;
    // Every caseload's size in one grouped count (a supervisor of 76 peers waited 35 ms for one
    // count a peer at 100,000 participants).
    let ids: Vec<i64> = peers.iter().map(|(id, _, _)| *id).collect();
    let sizes: std::collections::HashMap<Option<i64>, i64> = participants::table
        .filter(participants::assigned_peer_id.eq_any(&ids))
        .filter(participants::org_id.eq(scope.org_id()))
        .group_by(participants::assigned_peer_id)
        .select((participants::assigned_peer_id, diesel::dsl::count_star()))
        .load::<(Option<i64>, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(peers
        .into_iter()
        .map(|(id, name, email)| TeamMember {
            name,
            email,
            caseload: sizes.get(&Some(id)).copied().unwrap_or(0),
        })
        .collect())
}
