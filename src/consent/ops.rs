//! Consent use cases. Each one asks the access policy, calls the store and appends the audit
//! entry, so the API (`api.rs`) and the pages (`pages.rs`) only parse the request, call one of
//! these and render the answer: what a caller may do with consents is decided here, once.

use crate::platform::i18n::Language;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::emergency::{self, EmergencyRecord, Reach};
use super::rules;
pub use super::store::Alert;
use super::store::{
    self, ClassNamingConsent, ConsentInput, ConsentView, Disclosure, RevocationInput,
};
use crate::organisations::store::{self as orgs, Organisation};
use crate::participants::store::{self as participants, Participant};
use crate::platform::access::{self, Actor, Need, ParticipantGrant};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::{Db, DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::time;
use crate::platform::web::extract::parse;

/// The participant's consents to disclose (program staff who may write the record).
pub fn list(tx: &mut Tx, a: &Actor, participant_id: i64) -> AppResult<Vec<ConsentView>> {
    let g = consent_grant(tx, a, participant_id, Action::ConsentRead, None)?;
    store::list(tx.conn(), &g)
}

/// The policy's grant to write the participant's record (who may handle their consents),
/// audited as `action` on a consent.
fn consent_grant(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
    action: Action,
    consent_id: Option<i64>,
) -> AppResult<ParticipantGrant> {
    access::participant(
        tx,
        a,
        participant_id,
        Need::Write,
        Event::new(action, "consent", consent_id),
    )
}

/// What the consent form shows: the participant, their consents, and the organisations a
/// consent may name (every one but the programme's own).
pub fn consent_form(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
) -> AppResult<(Participant, Vec<ConsentView>, Vec<Organisation>)> {
    let g = consent_grant(tx, a, participant_id, Action::ConsentRead, None)?;
    let others = orgs::organisations(tx.conn())?
        .into_iter()
        .filter(|o| o.id != g.org_id())
        .collect();
    Ok((
        participants::get(tx.conn(), &g)?,
        store::list(tx.conn(), &g)?,
        others,
    ))
}

/// A consent as printed for the participant: the participant, the consent, the programme's
/// name and its notice text (audited as a print).
pub fn consent_document(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
    consent_id: i64,
) -> AppResult<(Participant, ConsentView, String, String)> {
    let g = consent_grant(
        tx,
        a,
        participant_id,
        Action::ConsentPrint,
        Some(consent_id),
    )?;
    let c = store::list(tx.conn(), &g)?
        .into_iter()
        .find(|c| c.id == consent_id)
        .ok_or(AppError::NotFound)?;
    let program = programme_name(tx, &g)?;
    Ok((
        participants::get(tx.conn(), &g)?,
        c,
        program,
        store::notice(tx.conn(), g.org_id())?,
    ))
}

/// The name of the programme holding the participant's record, as a printed form names it.
fn programme_name(tx: &mut Tx, g: &ParticipantGrant) -> AppResult<String> {
    Ok(orgs::organisations(tx.conn())?
        .into_iter()
        .find(|o| o.id == g.org_id())
        .map(|o| o.name)
        .unwrap_or_default())
}

/// What a blank consent form (to fill in and sign on paper, then record) prints for one
/// participant: the participant, the programme's name and its notice. Audited as a print.
pub fn blank_consent_form(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
) -> AppResult<(Participant, String, String)> {
    let g = consent_grant(tx, a, participant_id, Action::ConsentPrintBlank, None)?;
    let program = programme_name(tx, &g)?;
    Ok((
        participants::get(tx.conn(), &g)?,
        program,
        store::notice(tx.conn(), g.org_id())?,
    ))
}

/// Record a consent to disclose (42 CFR 2.31, or 2.35 for criminal justice). The policy answers
/// first and only then is `input` parsed, so a caller without access learns nothing from the
/// validation messages. Every missing 42 CFR 2.31 element is named.
pub fn create(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
    input: impl FnOnce() -> AppResult<ConsentInput>,
) -> AppResult<ConsentView> {
    let g = consent_grant(tx, a, participant_id, Action::ConsentCreate, None)?;
    let input = input()?;
    validate_and_store(tx, &g, a, &input)
}

fn validate_and_store(
    tx: &mut Tx,
    g: &ParticipantGrant,
    actor: &Actor,
    input: &ConsentInput,
) -> AppResult<ConsentView> {
    let now = time::now();
    let (draft, mut errs) =
        store::draft_from(input, g.participant_id(), g.org_id(), actor.user_id, now);
    match rules::validate(draft, now) {
        Ok(v) if errs.is_empty() => {
            if v.kind == rules::ConsentKind::CriminalJustice {
                let named = store::check_criminal_justice_recipients(tx.conn(), &v.recipients)?;
                if !named.is_empty() {
                    return Err(AppError::Invalid(named));
                }
            }
            store::create(tx, g, &v, actor.user_id)
        }
        Ok(_) => Err(AppError::Invalid(errs)),
        Err(missing) => {
            errs.extend(
                missing
                    .into_iter()
                    .map(|m| FieldError::said(m.field, m.said)),
            );
            Err(AppError::Invalid(errs))
        }
    }
}

/// Revoke a consent: the policy checks the caller may write the participant's record. With
/// `of_participant`, the consent must also belong to that participant (the page's address names
/// both), or it is not found.
pub fn revoke(
    tx: &mut Tx,
    a: &Actor,
    consent_id: i64,
    of_participant: Option<i64>,
    input: &RevocationInput,
) -> AppResult<ConsentView> {
    let participant = store::participant_of(tx.conn(), consent_id)?.ok_or(AppError::NotFound)?;
    if of_participant.is_some_and(|p| p != participant) {
        return Err(AppError::NotFound);
    }
    let g = consent_grant(tx, a, participant, Action::ConsentRevoke, Some(consent_id))?;
    store::revoke(tx, &g, consent_id, input, a.user_id)
}

/// From when the accounting of disclosures runs: `since` (a date or date-time), or the last
/// `years` (1 to 3); 42 CFR 2.24 gives the participant the past 3 years, the default and the
/// limit.
pub fn accounting_since(since: &str, years: &str) -> AppResult<NaiveDateTime> {
    let now = time::now();
    let floor = now - Duration::days(3 * 365 + 1);
    if let Some(d) = parse::opt_datetime("since", since).map_err(|e| AppError::Invalid(vec![e]))? {
        return Ok(d.max(floor));
    }
    let years = parse::opt_i64("years", years, 1, 3)
        .map_err(|e| AppError::Invalid(vec![e]))?
        .unwrap_or(3);
    Ok(now - Duration::days(years * 365 + 1).min(Duration::days(3 * 365 + 1)))
}

/// The accounting of disclosures since `since`: each disclosure with the recipient
/// organisation's name (program staff and auditors of the participant's organisation).
pub fn accounting(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
    since: NaiveDateTime,
) -> AppResult<Vec<(Disclosure, String)>> {
    access::accounting(tx, a, participant_id)?;
    store::accounting(tx.conn(), participant_id, since)
}

/// The accounting as printed for the participant: their name, then the lines.
pub fn accounting_for_participant(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
    since: NaiveDateTime,
) -> AppResult<Accounting> {
    let lines = accounting(tx, a, participant_id, since)?;
    let (name, language) = participant_name(tx.conn(), participant_id)?;
    Ok((name, language, lines))
}

/// A participant's accounting as printed for them: their name, the language of their documents
/// and each disclosure with the organisation it went to.
pub type Accounting = (String, Language, Vec<(Disclosure, String)>);

/// The participant's name and the language of their documents (their preferred language).
fn participant_name(conn: &mut DbConn, id: i64) -> AppResult<(String, Language)> {
    use crate::platform::schema::participants as p;
    let (f, l, language): (String, String, Option<String>) = p::table
        .find(id)
        .select((p::first_name, p::last_name, p::language))
        .first(conn)?;
    Ok((
        format!("{f} {l}"),
        Language::of_recorded(language.as_deref()),
    ))
}

// An emergency access just opened (no doc comment: it would change the API document).
#[derive(Serialize, utoipa::ToSchema)]
pub struct EmergencyGranted {
    pub id: i64,
    pub participant_id: i64,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub expires_at: NaiveDateTime,
}

/// Open a record without consent for a medical emergency (42 CFR 2.51: disclosure "to medical
/// personnel ... to the extent necessary to meet a bona fide medical emergency in which the
/// patient's prior written consent cannot be obtained"). The reason and the password are
/// checked in that order, before anything about the participant is looked up; then the policy
/// decides (`access::emergency`: medical personnel only, within the programme's narrowing) and
/// every refusal is the same not-found. The access is recorded, audited, and alerts the
/// participant's programme.
pub async fn open_emergency(
    db: &Db,
    a: &Actor,
    participant_id: i64,
    reason: &str,
    password: &str,
) -> AppResult<EmergencyGranted> {
    let reason = reason.trim().to_string();
    if reason.chars().count() < 10 {
        return Err(AppError::keyed("reason", "error-describe-emergency", &[]));
    }
    let (user_id, password) = (a.user_id, password.to_string());
    db.run(move |c| crate::platform::auth::reauthenticate(c, user_id, &password))
        .await?;
    let a = a.clone();
    db.write(move |tx| {
        let org = access::emergency(tx, &a, participant_id)?;
        let (eid, expires) = emergency::open(
            tx,
            participant_id,
            org,
            a.user_id,
            a.org_id,
            &format!("{} ({})", a.name, a.email),
            &reason,
        )?;
        audit::append(
            tx,
            &a.who(),
            Event::new(Action::EmergencyOpen, "emergency_access", Some(eid))
                .with_participant(participant_id)
                .detail(reason.clone()),
        )?;
        Ok(EmergencyGranted {
            id: eid,
            participant_id,
            expires_at: expires,
        })
    })
    .await
}

/// Emergency accesses to the programme's participants in the last 30 days (admins, supervisors
/// and auditors of the programme).
pub fn emergencies(tx: &mut Tx, a: &Actor) -> AppResult<Vec<EmergencyRecord>> {
    let org = access::oversee_emergencies(a)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::EmergencyList, "emergency_access", None),
    )?;
    emergency::of_programme(tx.conn(), org, 30)
}

/// End an emergency access now (the programme's overseers, or the person who opened it). The
/// original expiry is kept; ending one that has already ended is a conflict.
pub fn end_emergency(tx: &mut Tx, a: &Actor, id: i64, reason: &str) -> AppResult<EmergencyRecord> {
    let rec = emergency::find(tx.conn(), id)?.ok_or(AppError::NotFound)?;
    access::end_emergency(a, rec.org_id, rec.opened_by_user_id)?;
    let reason = reason.trim();
    let ended = emergency::end(tx, id, a.user_id, reason)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::EmergencyEnd, "emergency_access", Some(id))
            .with_participant(rec.participant_id)
            .detail(reason.to_string()),
    )?;
    Ok(ended)
}

/// Which medical organisations may open emergency access to the caller's programme (admins).
pub fn emergency_reach(conn: &mut DbConn, a: &Actor) -> AppResult<Reach> {
    let org = access::emergency_policy(a)?;
    emergency::reach(conn, org)
}

/// Narrow emergency access to listed medical organisations (admins). A programme can narrow
/// 42 CFR 2.51, never widen it: only medical organisations can be listed.
pub fn set_emergency_reach(
    tx: &mut Tx,
    a: &Actor,
    listed_only: bool,
    ids: &[i64],
) -> AppResult<Reach> {
    let org = access::emergency_policy(a)?;
    let change = emergency::set_reach(tx, org, a.user_id, listed_only, ids)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::EmergencyReach, "organisation", Some(org)).detail(change),
    )?;
    emergency::reach(tx.conn(), org)
}

/// Criminal-justice consents (42 CFR 2.35) of the caller's programme that name a class of
/// recipients instead of one agency (program staff and auditors).
pub fn consents_to_correct(tx: &mut Tx, a: &Actor) -> AppResult<Vec<ClassNamingConsent>> {
    let org = access::consents_to_fix(a)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::ConsentToFix, "consent", None),
    )?;
    store::cj_consents_naming_a_class(tx.conn(), Some(org))
}

/// The organisation's consent alerts of the last 30 days, latest first (at most 50), for those
/// who oversee its use of consent ([`access::consent_alerts`]).
pub fn recent_alerts(conn: &mut DbConn, a: &Actor) -> AppResult<Vec<Alert>> {
    let org = access::consent_alerts(a)?;
    super::store::alerts_of(conn, org, 30)
}
