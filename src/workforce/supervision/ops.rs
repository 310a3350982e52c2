//! Supervision use cases (decision 0051): sign a session, amend it, read it with its history;
//! record, amend and read competency reviews; log and read ethics consultations. Each asks the
//! access policy (`access::staff`, `access::staff_signature`), which writes the audit entry,
//! then calls the store. Re-exported by `workforce::ops`, so the API and pages call them there.

use serde::Serialize;

use crate::platform::access::{self, Actor, Intent, StaffGrant};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult};
use crate::workforce::store::{
    self, Consultation, ConsultationInput, Review, ReviewAmendment, ReviewAmendmentInput,
    ReviewInput, SupervisionAmendment, SupervisionAmendmentInput, SupervisionSession,
};
use crate::workforce::supervision::rules::SignOff;

fn grant(
    tx: &mut Tx,
    a: &Actor,
    peer: i64,
    intent: Intent,
    action: Action,
    entity: &str,
    id: Option<i64>,
) -> AppResult<StaffGrant> {
    access::staff(tx, a, peer, intent, Event::new(action, entity, id))
}

fn session_of(tx: &mut Tx, id: i64) -> AppResult<SupervisionSession> {
    store::supervision_session(tx.conn(), id)?.ok_or(AppError::NotFound)
}

/// The peer a supervision session is with (not found: 404). Names no more than the id, so it
/// asks no policy; what may be done with the session is asked next.
pub fn supervision_session_peer(tx: &mut Tx, id: i64) -> AppResult<i64> {
    Ok(session_of(tx, id)?.peer_id)
}

/// A session with the competencies discussed, where its sign-off stands and its amendments
/// (each keeping the prior value).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SupervisionDetail {
    pub session: SupervisionSession,
    /// The SAMHSA competency areas discussed (the one list; `supervision_competencies`).
    #[schema(value_type = Vec<crate::workforce::codes::Competency>)]
    pub competencies: Vec<String>,
    pub sign_off: SignOff,
    pub amendments: Vec<SupervisionAmendment>,
}

fn detail(tx: &mut Tx, s: SupervisionSession) -> AppResult<SupervisionDetail> {
    Ok(SupervisionDetail {
        competencies: store::competencies_of(tx.conn(), s.id)?,
        sign_off: s.sign_off(),
        amendments: store::supervision_amendments_of(tx.conn(), s.id)?,
        session: s,
    })
}

/// One supervision session with its sign-off and amendments (audited as a view).
pub fn supervision_session(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<SupervisionDetail> {
    let s = session_of(tx, id)?;
    let view = Action::WorkforceSupervisionView;
    grant(
        tx,
        a,
        s.peer_id,
        Intent::Read,
        view,
        "supervision_session",
        Some(id),
    )?;
    detail(tx, s)
}

/// Sign a supervision session: its supervisor signs as supervisor, its peer as peer
/// ([`access::supervision_signature`]); each once.
pub fn sign_supervision(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<SupervisionDetail> {
    let s = session_of(tx, id)?;
    let event = Event::new(
        Action::WorkforceSupervisionSign,
        "supervision_session",
        Some(id),
    );
    let (g, signer) = access::staff_signature(tx, a, s.peer_id, s.supervisor_id, event)?;
    let s = store::sign_supervision(tx, &g, id, signer, a.user_id)?;
    detail(tx, s)
}

/// Amend a supervision session (admins, and the peer's supervisor): the prior value is kept and
/// both signatures are asked for again.
pub fn amend_supervision(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<SupervisionAmendmentInput>,
) -> AppResult<SupervisionDetail> {
    let s = session_of(tx, id)?;
    let action = Action::WorkforceSupervisionAmend;
    let g = grant(
        tx,
        a,
        s.peer_id,
        Intent::Write,
        action,
        "supervision_session",
        Some(id),
    )?;
    let s = store::amend_supervision(tx, &g, id, a.user_id, &input()?, a.zone.today())?;
    detail(tx, s)
}

/// The sessions waiting for the caller's signature (their home page). Only the caller's own:
/// the sessions they held or attended. Team members and auditors have none.
pub fn awaiting_my_signature(
    tx: &mut Tx,
    a: &Actor,
) -> AppResult<Vec<(SupervisionSession, String)>> {
    let org = access::workforce(a)?;
    let list = store::awaiting_signature(tx.conn(), org, a.user_id)?;
    if !list.is_empty() {
        let event = Event::new(
            Action::WorkforceSupervisionAwaiting,
            "user",
            Some(a.user_id),
        )
        .detail(format!("{} shown", list.len()));
        audit::append(tx, &a.who(), event)?;
    }
    Ok(list)
}

// ---------------------------------------------------------------- competency reviews

/// Record a periodic competency review of the peer (admins, and the peer's supervisor).
pub fn add_review(
    tx: &mut Tx,
    a: &Actor,
    peer: i64,
    input: impl FnOnce() -> AppResult<ReviewInput>,
) -> AppResult<Review> {
    let g = grant(
        tx,
        a,
        peer,
        Intent::Write,
        Action::WorkforceReviewAdd,
        "user",
        Some(peer),
    )?;
    store::add_review(tx, &g, a.user_id, &input()?, a.zone.today())
}

/// The peer's competency reviews, oldest first: the history (audited as a view).
pub fn reviews(tx: &mut Tx, a: &Actor, peer: i64) -> AppResult<Vec<Review>> {
    grant(
        tx,
        a,
        peer,
        Intent::Read,
        Action::WorkforceReviewList,
        "user",
        Some(peer),
    )?;
    store::reviews_of(tx.conn(), peer)
}

/// A review with its amendments.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewDetail {
    pub review: Review,
    pub amendments: Vec<ReviewAmendment>,
}

/// One review with its amendments (audited as a view).
pub fn review(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<ReviewDetail> {
    let peer = store::review_peer(tx.conn(), id)?;
    let view = Action::WorkforceReviewView;
    grant(
        tx,
        a,
        peer,
        Intent::Read,
        view,
        "competency_review",
        Some(id),
    )?;
    Ok(ReviewDetail {
        review: store::review(tx.conn(), id)?.ok_or(AppError::NotFound)?,
        amendments: store::review_amendments_of(tx.conn(), id)?,
    })
}

/// Amend a review (the prior value is kept).
pub fn amend_review(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<ReviewAmendmentInput>,
) -> AppResult<ReviewDetail> {
    let peer = store::review_peer(tx.conn(), id)?;
    let action = Action::WorkforceReviewAmend;
    let g = grant(
        tx,
        a,
        peer,
        Intent::Write,
        action,
        "competency_review",
        Some(id),
    )?;
    let r = store::amend_review(tx, &g, id, a.user_id, &input()?, a.zone.today())?;
    Ok(ReviewDetail {
        amendments: store::review_amendments_of(tx.conn(), id)?,
        review: r,
    })
}

// ---------------------------------------------------------------- ethics consultations

/// Log an ethics or boundary consultation of the peer (admins, and the peer's supervisor).
pub fn add_consultation(
    tx: &mut Tx,
    a: &Actor,
    peer: i64,
    input: impl FnOnce() -> AppResult<ConsultationInput>,
) -> AppResult<Consultation> {
    let action = Action::WorkforceConsultationAdd;
    let g = grant(tx, a, peer, Intent::Write, action, "user", Some(peer))?;
    store::add_consultation(tx, &g, a.user_id, &input()?, a.zone.today())
}

/// The peer's ethics and boundary consultations, latest first (audited as a view).
pub fn consultations(tx: &mut Tx, a: &Actor, peer: i64) -> AppResult<Vec<Consultation>> {
    let action = Action::WorkforceConsultationList;
    grant(tx, a, peer, Intent::Read, action, "user", Some(peer))?;
    store::consultations_of(tx.conn(), peer)
}
