//! Participant data: who may see or change one participant's record (own staff by role; another
//! organisation only through a consent that names it and covers the purpose, 42 CFR 2.31; medical
//! personnel in an emergency, 42 CFR 2.51), the grants that prove it, and the lists and batches
//! of participants a caller may see.

use super::*;

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

pub(super) fn rule_role(r: Role) -> rules::Role {
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
    let deny = |action: Action| {
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
        let action = if event.action.is_printing() {
            "print"
        } else {
            "view"
        };
        record_disclosure(
            tx,
            actor,
            org_id,
            id,
            &grant.basis,
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
/// import): one query, and one audit entry for all of them, `event` with how many were granted
/// and a digest of their ids ([`audit::people_digest`]; decision 0045). Ids the actor may not
/// reach are left out of the result.
pub fn participants_batch(
    tx: &mut Tx,
    actor: &Actor,
    ids: &[i64],
    event: Event,
) -> AppResult<std::collections::HashMap<i64, ParticipantGrant>> {
    let owners: Vec<(i64, i64)> = participants::table
        .filter(participants::id.eq_any(ids))
        .select((participants::id, participants::org_id))
        .load(tx.conn())?;
    let mut grants = std::collections::HashMap::new();
    for (id, org_id) in owners {
        if is_own_staff(actor.org_id, actor.role, org_id) {
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
    if !grants.is_empty() {
        let granted: Vec<i64> = grants.keys().copied().collect();
        let detail = if event.detail.is_empty() {
            audit::people_digest(&granted)
        } else {
            format!("{} {}", event.detail, audit::people_digest(&granted))
        };
        audit::append(tx, &actor.who(), event.detail(detail))?;
    }
    Ok(grants)
}

/// Why someone is searching for a person: the answer decides whom the search may find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchFor {
    /// To open their record: program staff, their organisation's participants; a partner (a
    /// team member, or staff of another organisation), only participants a consent or an
    /// emergency access names them for, each checked again before it is shown
    /// ([`shown_in_search`]); auditors, nobody.
    Record,
    /// To read their accounting of disclosures: program staff and auditors, their
    /// organisation's participants (as [`accounting`] allows).
    Accounting,
    /// To open their record in a medical emergency (42 CFR 2.51): medical personnel, the
    /// participants of the programmes that let their organisation reach them ([`emergency`]),
    /// found only by name and date of birth together.
    Emergency,
}

/// Whom a search for a person may find for the caller ([`SearchFor`]). Only this module makes
/// one.
#[derive(Debug, Clone)]
pub struct SearchScope {
    within: Within,
}

#[derive(Debug, Clone)]
enum Within {
    Organisation(i64),
    Organisations(Vec<i64>),
    Named(Vec<i64>),
}

/// The participants a search may find.
#[derive(Debug, Clone, Copy)]
pub enum Searched<'a> {
    /// One organisation's.
    Organisation(i64),
    /// These organisations' (medical personnel in an emergency).
    Organisations(&'a [i64]),
    /// Only these participants (a partner's, whom consents and emergency accesses name).
    Named(&'a [i64]),
}

impl SearchScope {
    /// The participants this search may find.
    pub fn searched(&self) -> Searched<'_> {
        match &self.within {
            Within::Organisation(org) => Searched::Organisation(*org),
            Within::Organisations(orgs) => Searched::Organisations(orgs),
            Within::Named(ids) => Searched::Named(ids),
        }
    }
    /// Is what the search shows a disclosure outside the program?
    pub fn is_disclosure(&self) -> bool {
        !matches!(self.within, Within::Organisation(_))
    }
}

/// The scope of a search for a person `for` a purpose; `None`: this actor may search for nobody
/// (an emergency search by someone who is not medical personnel is refused).
pub fn search_scope(
    tx: &mut Tx,
    actor: &Actor,
    purpose: SearchFor,
) -> AppResult<Option<SearchScope>> {
    let own = |org| {
        Ok(Some(SearchScope {
            within: Within::Organisation(org),
        }))
    };
    match purpose {
        SearchFor::Record => {
            if let Some(scope) = list_scope(actor) {
                return own(scope.org_id());
            }
            if actor.role == Role::Auditor {
                return Ok(None);
            }
            let named = consent_store::candidates_for(
                tx.conn(),
                actor.user_id,
                actor.org_id,
                class_of(actor.org_kind),
            )?;
            Ok(Some(SearchScope {
                within: Within::Named(named),
            }))
        }
        SearchFor::Accounting => {
            if actor.role.is_program_staff() || actor.role == Role::Auditor {
                own(actor.org_id)
            } else {
                Ok(None)
            }
        }
        SearchFor::Emergency => {
            if !is_medical_personnel(actor) {
                return Err(AppError::Forbidden);
            }
            let others: Vec<i64> = crate::platform::schema::organisations::table
                .filter(crate::platform::schema::organisations::id.ne(actor.org_id))
                .select(crate::platform::schema::organisations::id)
                .load(tx.conn())?;
            let mut reached = Vec::new();
            for org in others {
                if crate::consent::emergency::reach_allows(tx.conn(), org, actor.org_id)? {
                    reached.push(org);
                }
            }
            Ok(Some(SearchScope {
                within: Within::Organisations(reached),
            }))
        }
    }
}

/// Of the participants a search found (id, organisation), those the caller may be shown. For a
/// partner each is asked of the consent rules now, as the shared list asks them, and showing
/// one is a disclosure of participation, recorded in their accounting. Medical personnel's
/// emergency search shows what it found (the emergency access, once opened, is the disclosure;
/// the search is audited against each person shown).
pub fn shown_in_search(
    tx: &mut Tx,
    actor: &Actor,
    scope: &SearchScope,
    found: &[(i64, i64)],
) -> AppResult<Vec<i64>> {
    if !matches!(scope.within, Within::Named(_)) {
        return Ok(found.iter().map(|(id, _)| *id).collect());
    }
    let now = time::now();
    let mut out = Vec::new();
    for &(id, org) in found {
        if is_own_staff(actor.org_id, actor.role, org) {
            continue;
        }
        if listed_participation(tx, actor, id, org, now)?.is_some() {
            out.push(id);
        }
    }
    Ok(out)
}

/// What a partner may see of one participant of another organisation, when listing them shows
/// their participation: the consented categories (or an emergency access, which shows
/// participation with whatever else it covers). The listing is recorded as a disclosure of
/// participation. `None`: the participant is not to be listed.
fn listed_participation(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    org: i64,
    now: NaiveDateTime,
) -> AppResult<Option<Vec<Category>>> {
    let (visible, basis, purpose) = visible_to(tx.conn(), actor, id, org, now)?;
    if visible.is_empty()
        || (!visible.contains(&Category::Participation)
            && !matches!(basis, GrantBasis::Emergency(_)))
    {
        return Ok(None);
    }
    record_disclosure(
        tx,
        actor,
        org,
        id,
        &basis,
        &[Category::Participation],
        "list",
        purpose,
    )?;
    Ok(Some(visible))
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
        if let Some(visible) = listed_participation(tx, actor, id, org, now)? {
            out.push((id, visible));
        }
    }
    audit::append(
        tx,
        &actor.who(),
        Event::new(Action::ParticipantSharedList, "participant", None)
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
                Event::new(Action::DisclosuresRead, "participant", Some(id)).with_participant(id),
            )?;
            Ok(org)
        }
        _ => Err(AppError::Denied(Box::new(Denial {
            who: actor.who(),
            participant_id: id,
            action: Action::DisclosuresRead,
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
            action: Action::EmergencyOpen,
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

/// Whose missed contact targets this actor is told of (the home page's escalations): a
/// supervisor's or an administrator's, over their programme. A peer sees their own people on
/// their caseload instead; nobody outside the programme sees either.
pub fn escalation_scope(actor: &Actor) -> Option<ListScope> {
    matches!(actor.role, Role::Supervisor | Role::Admin).then_some(ListScope {
        org_id: actor.org_id,
    })
}

/// Does this actor's caseload reach past their own participants, so that the caseload page
/// offers to choose whose caseload to show? Everyone but a peer: a peer's caseload is their own.
pub fn chooses_caseload_peer(actor: &Actor) -> bool {
    actor.role != Role::Peer
}

/// Whom a new participant's enrolment form proposes as their peer: a peer enrolling someone is
/// proposed as theirs; anyone else chooses.
pub fn proposed_peer(actor: &Actor) -> Option<i64> {
    (actor.role == Role::Peer).then_some(actor.user_id)
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

/// Record a disclosure of the participant's `categories` to `actor` (their account,
/// organisation and "name (e-mail)"), on the consent or emergency access of `basis`.
#[allow(clippy::too_many_arguments)]
fn record_disclosure(
    tx: &mut Tx,
    actor: &Actor,
    program_org_id: i64,
    participant_id: i64,
    basis: &GrantBasis,
    categories: &[Category],
    action: &str,
    purpose: Purpose,
) -> AppResult<()> {
    let (consent_id, emergency_id) = match basis {
        GrantBasis::Consent(ids) => (ids.first().copied(), None),
        GrantBasis::Emergency(e) => (None, Some(*e)),
        GrantBasis::OwnOrganisation => (None, None),
    };
    consent_store::record_disclosure(
        tx,
        program_org_id,
        participant_id,
        consent_id,
        emergency_id,
        actor.user_id,
        actor.org_id,
        &format!("{} ({})", actor.name, actor.email),
        categories,
        action,
        purpose,
    )
}
