//! Participant use cases: list, search, enrol, view, correct identity, merge and undo, reassign. Each
//! asks the access policy, calls the store and appends the audit entry, so the API (`api.rs`) and
//! the pages (`pages.rs`) only parse the request, call one of these and render the answer.
//!
//! Where the request body is parsed after the policy has answered (so that a caller without
//! access learns nothing from validation messages), the operation takes the parser as a closure
//! and calls it once the policy has let the caller in.

use serde::Serialize;

use super::amendments::{self, Amendment, RecordType};
use super::merge::{self, Merge};
use super::search::Sought;
use super::store::{
    self, Enrolment, Identifier, IdentityCorrection, IdentityOutcome, ListQuery, Listed,
    NewParticipant, Participant,
};
use crate::platform::access::{self, Actor, Need, SearchFor};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult};

/// The participants the caller may see, by last name (merged duplicates hidden); nobody for a
/// caller whose role lists no participants.
pub fn list(tx: &mut Tx, a: &Actor, query: &ListQuery) -> AppResult<Vec<Participant>> {
    let Some(scope) = access::list_scope(a) else {
        return Ok(vec![]);
    };
    let list = store::list(tx.conn(), &scope, query)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::ParticipantList, "participant", None)
            .detail(format!("{} shown", list.len())),
    )?;
    Ok(list)
}

/// Find people by name, date of birth or identifier among those the caller may see: their
/// organisation's participants for program staff; for a partner, only those a consent (or an
/// emergency access) covers now, each shown recorded as a disclosure. The audit entry says what
/// kind of search it was and how many were found, never what was typed (it may be a name).
///
/// `purpose` says why ([`SearchFor`]): to open the record, to read the accounting of
/// disclosures, or in a medical emergency, where only a name and a date of birth together find
/// anyone and each person shown is audited against their record, so their programme sees who
/// looked for them.
pub fn search(
    tx: &mut Tx,
    a: &Actor,
    purpose: SearchFor,
    sought: &Sought,
    limit: i64,
) -> AppResult<Vec<Listed>> {
    if purpose == SearchFor::Emergency && !matches!(sought, Sought::NameAndDateOfBirth(..)) {
        return Err(AppError::keyed("name", "error-emergency-search", &[]));
    }
    let mut found = match access::search_scope(tx, a, purpose)? {
        None => vec![],
        Some(scope) => {
            let found = store::search(tx.conn(), &scope, sought, limit)?;
            let seen: Vec<(i64, i64)> = found
                .iter()
                .map(|f| (f.participant.id, f.participant.org_id))
                .collect();
            let shown = access::shown_in_search(tx, a, &scope, &seen)?;
            let mut found: Vec<Listed> = found
                .into_iter()
                .filter(|f| shown.contains(&f.participant.id))
                .collect();
            if scope.is_disclosure() {
                for f in &mut found {
                    // Who the person is, as a partner's view of the record shows it.
                    f.participant.phone = None;
                    f.participant.email = None;
                    f.participant.assigned_peer_id = None;
                }
            }
            found
        }
    };
    found.truncate(usize::try_from(limit).unwrap_or(0));
    let said = match purpose {
        SearchFor::Record => "",
        SearchFor::Accounting => "for an accounting, ",
        SearchFor::Emergency => "in an emergency, ",
    };
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::ParticipantSearch, "participant", None).detail(format!(
            "{said}by {}: {} found",
            sought.kind(),
            found.len()
        )),
    )?;
    if purpose == SearchFor::Emergency {
        let shown = found
            .iter()
            .map(|f| {
                let id = f.participant.id;
                Event::new(Action::ParticipantFoundInEmergency, "participant", Some(id))
                    .with_participant(id)
            })
            .collect();
        audit::append_many(tx, &a.who(), shown)?;
    }
    Ok(found)
}

/// Enrol a new participant in the caller's organisation, or, when they look like someone
/// already enrolled and the caller has not confirmed otherwise, create nothing and return the
/// candidates.
pub fn enrol(
    tx: &mut Tx,
    a: &Actor,
    new: &NewParticipant,
    confirmed_not_duplicate: bool,
) -> AppResult<Enrolment> {
    access::create_participant(a)?;
    let scope = access::list_scope(a).ok_or(AppError::Forbidden)?;
    let out = store::enrol(tx, &scope, new, confirmed_not_duplicate)?;
    match &out {
        Enrolment::Created(p) => audit::append(
            tx,
            &a.who(),
            Event::new(Action::ParticipantCreate, "participant", Some(p.id)).with_participant(p.id),
        )?,
        Enrolment::LikelyDuplicates(c) => audit::append(
            tx,
            &a.who(),
            Event::new(Action::ParticipantDuplicatesShown, "participant", None)
                .detail(format!("{} candidates", c.len())),
        )?,
    }
    Ok(out)
}

/// A participant with their external identifiers.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ParticipantRecord {
    #[serde(flatten)]
    pub participant: Participant,
    pub identifiers: Vec<Identifier>,
    pub merges: Vec<Merge>,
    /// Corrections of identity and identifiers: earlier value, new value, who, when, why.
    pub amendments: Vec<Amendment>,
}

/// One participant's record. A partner reading under a consent sees who the person is, not how
/// to reach them or the programme's bookkeeping.
pub fn record(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<ParticipantRecord> {
    let grant = access::participant(
        tx,
        a,
        id,
        Need::Overview,
        Event::new(Action::ParticipantView, "participant", Some(id)),
    )?;
    let mut participant = store::get(tx.conn(), &grant)?;
    if grant.is_disclosure() {
        participant.phone = None;
        participant.email = None;
        participant.assigned_peer_id = None;
        return Ok(ParticipantRecord {
            participant,
            identifiers: vec![],
            merges: vec![],
            amendments: vec![],
        });
    }
    Ok(ParticipantRecord {
        participant,
        identifiers: store::identifiers(tx.conn(), &grant)?,
        merges: merge::merges_of(tx.conn(), &grant)?,
        amendments: amendments::history(tx.conn(), &grant)?
            .into_iter()
            .filter(|a| {
                a.record_type == RecordType::Participant.as_str()
                    || a.record_type == RecordType::Identifier.as_str()
            })
            .collect(),
    })
}

/// Correct identity after enrolment, keeping every replaced value in the history; the
/// likely-duplicate check runs again on the corrected identity.
pub fn correct_identity(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<IdentityCorrection>,
) -> AppResult<IdentityOutcome> {
    let grant = access::participant(
        tx,
        a,
        id,
        Need::Write,
        Event::new(Action::ParticipantIdentity, "participant", Some(id)),
    )?;
    let scope = access::list_scope(a).ok_or(AppError::Forbidden)?;
    let input = input()?;
    store::correct_identity(tx, &grant, a, &scope, &input)
}

/// Merge the duplicate record (`input` gives its id and the reason) into the kept one: recorded
/// and reversible. A duplicate the caller may not write is "no such participant".
pub fn merge(
    tx: &mut Tx,
    a: &Actor,
    kept_id: i64,
    input: impl FnOnce() -> AppResult<(i64, String)>,
) -> AppResult<Merge> {
    let kept = access::participant(
        tx,
        a,
        kept_id,
        Need::Write,
        Event::new(Action::ParticipantMerge, "participant", Some(kept_id)),
    )?;
    let (duplicate_id, reason) = input()?;
    let dup = access::participant(
        tx,
        a,
        duplicate_id,
        Need::Write,
        Event::new(
            Action::ParticipantMergedInto,
            "participant",
            Some(duplicate_id),
        )
        .detail(format!("into {kept_id}")),
    )
    .map_err(|_| AppError::keyed("duplicate_id", "error-no-such-participant", &[]))?;
    merge::merge(tx, &kept, &dup, &reason, a.user_id)
}

/// Who might be a duplicate of participant `kept_id`, for the merge form to offer as choices: a
/// search (audited as any search) among the people the caller may change, the kept record left
/// out. Only those who may merge into this record (its own program staff) may ask.
pub fn duplicate_candidates(
    tx: &mut Tx,
    a: &Actor,
    kept_id: i64,
    sought: Option<&Sought>,
) -> AppResult<(Participant, Option<Vec<Listed>>)> {
    let grant = access::participant(
        tx,
        a,
        kept_id,
        Need::Write,
        Event::new(Action::ParticipantMergeFind, "participant", Some(kept_id)),
    )?;
    let kept = store::get(tx.conn(), &grant)?;
    let found = match sought {
        None => None,
        Some(sought) => Some(
            search(tx, a, SearchFor::Record, sought, 50)?
                .into_iter()
                .filter(|f| f.participant.id != kept_id)
                .collect(),
        ),
    };
    Ok((kept, found))
}

/// Undo a merge: every record moved by it goes back to the duplicate.
pub fn undo_merge(tx: &mut Tx, a: &Actor, kept_id: i64, merge_id: i64) -> AppResult<Merge> {
    let kept = access::participant(
        tx,
        a,
        kept_id,
        Need::Write,
        Event::new(Action::ParticipantMergeUndo, "merge", Some(merge_id)),
    )?;
    merge::undo(tx, &kept, merge_id, a.user_id)
}

/// Reassign a participant to another peer, or to nobody (supervisors and admins).
pub fn assign(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    peer: impl FnOnce() -> AppResult<Option<i64>>,
) -> AppResult<Participant> {
    let grant = access::participant(
        tx,
        a,
        id,
        Need::Write,
        Event::new(Action::ParticipantAssign, "participant", Some(id)),
    )?;
    access::reassign(a)?;
    let peer = peer()?;
    store::assign(tx, &grant, peer)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::ParticipantAssigned, "participant", Some(id))
            .with_participant(id)
            .detail(format!("to {peer:?}")),
    )?;
    store::get(tx.conn(), &grant)
}
