//! Consent storage: consents with their recipients, revocations, emergency accesses, the
//! disclosure log (the accounting), and alerts. `platform::access` loads consents from here to
//! decide; handlers record consents and revocations through the functions below.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::rules::{
    self, Category, ConsentDraft, ConsentKind, EmergencyAccess, Expiry, Purpose, Recipient,
    RecipientClass, Signature,
};
use super::schema::{alerts, consent_recipients, consents, disclosures, emergency_accesses};
use crate::platform::access::ParticipantGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::org_settings;
use crate::platform::schema::{organisations, users};
use crate::platform::time;

mod input;
mod recording;
mod view;

pub use input::*;
pub use recording::*;
pub use view::*;

/// The default redisclosure notice (42 CFR 2.32, short form).
pub const DEFAULT_NOTICE: &str =
    "42 CFR part 2 prohibits unauthorized disclosure of these records.";

/// The organisation's redisclosure notice (configurable).
pub fn notice(conn: &mut DbConn, org_id: i64) -> AppResult<String> {
    let configured = org_settings::get(conn, org_id, "redisclosure_notice")?;
    Ok(configured.unwrap_or_else(|| DEFAULT_NOTICE.to_string()))
}

fn codes(categories: &[Category]) -> String {
    categories
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn parse_codes(s: &str) -> Vec<Category> {
    s.split_whitespace().filter_map(Category::parse).collect()
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = consents)]
struct ConsentRow {
    id: i64,
    org_id: i64,
    participant_id: i64,
    kind: String,
    categories: String,
    purpose: String,
    purpose_text: Option<String>,
    expiry_on: Option<NaiveDate>,
    expiry_event: Option<String>,
    expiry_event_at: Option<NaiveDateTime>,
    irrevocable_until: Option<NaiveDateTime>,
    cj_condition: Option<String>,
    cj_final_disposition_on: Option<NaiveDate>,
    signature_kind: String,
    signer_name: Option<String>,
    signed_at: NaiveDateTime,
    attested_by: Option<i64>,
    scan_ref: Option<String>,
    signer_is_representative: bool,
    representative_authority: Option<String>,
    revoked_at: Option<NaiveDateTime>,
    revocation_method: Option<String>,
    revocation_note: Option<String>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = consent_recipients)]
struct RecipientRow {
    consent_id: i64,
    kind: String,
    recipient_org_id: Option<i64>,
    recipient_user_id: Option<i64>,
    recipient_class: Option<String>,
}

fn recipient_of(r: &RecipientRow) -> Option<Recipient> {
    recipient(
        &r.kind,
        r.recipient_org_id,
        r.recipient_user_id,
        r.recipient_class.as_deref(),
    )
}

/// A recipient from its kind (`organisation`, `person` or `class`) and the parts that kind
/// needs; `None` when one is missing or the kind is unknown.
fn recipient(
    kind: &str,
    org_id: Option<i64>,
    user_id: Option<i64>,
    class: Option<&str>,
) -> Option<Recipient> {
    match kind {
        "organisation" => org_id.map(|org_id| Recipient::Organisation { org_id }),
        "person" => org_id
            .zip(user_id)
            .map(|(org_id, user_id)| Recipient::Person { org_id, user_id }),
        "class" => class
            .and_then(RecipientClass::parse)
            .map(|class| Recipient::Class { class }),
        _ => None,
    }
}

fn to_rule(c: &ConsentRow, recipients: &[RecipientRow]) -> rules::Consent {
    rules::Consent {
        id: c.id,
        participant_id: c.participant_id,
        program_org_id: c.org_id,
        kind: ConsentKind::parse(&c.kind).unwrap_or(ConsentKind::Standard),
        categories: parse_codes(&c.categories),
        recipients: recipients
            .iter()
            .filter(|r| r.consent_id == c.id)
            .filter_map(recipient_of)
            .collect(),
        purpose: Purpose::parse(&c.purpose).unwrap_or(Purpose::Other),
        signed_at: c.signed_at,
        expiry: match (c.expiry_on, &c.expiry_event) {
            (Some(d), _) => Expiry::OnDate(d),
            (None, Some(e)) => Expiry::OnEvent {
                description: e.clone(),
                occurred_at: c.expiry_event_at,
            },
            // A stored consent always has an expiry; treat a damaged row as already expired.
            (None, None) => Expiry::OnDate(NaiveDate::MIN),
        },
        irrevocable_until: c.irrevocable_until,
        revoked_at: c.revoked_at,
    }
}

/// Everything the policy needs to decide about one participant for one user.
pub fn load_for_policy(
    conn: &mut DbConn,
    participant_id: i64,
    user_id: i64,
) -> AppResult<(Vec<rules::Consent>, Vec<EmergencyAccess>)> {
    let rows: Vec<ConsentRow> = consents::table
        .filter(consents::participant_id.eq(participant_id))
        .select(ConsentRow::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let recips: Vec<RecipientRow> = if ids.is_empty() {
        vec![]
    } else {
        consent_recipients::table
            .filter(consent_recipients::consent_id.eq_any(&ids))
            .select(RecipientRow::as_select())
            .load(conn)?
    };
    let emergencies = emergency_accesses::table
        .filter(emergency_accesses::participant_id.eq(participant_id))
        .filter(emergency_accesses::user_id.eq(user_id))
        .select((
            emergency_accesses::id,
            emergency_accesses::participant_id,
            emergency_accesses::user_id,
            emergency_accesses::granted_at,
            emergency_accesses::expires_at,
            emergency_accesses::ended_at,
            emergency_accesses::reason,
        ))
        .load::<(
            i64,
            i64,
            i64,
            NaiveDateTime,
            NaiveDateTime,
            Option<NaiveDateTime>,
            String,
        )>(conn)?
        .into_iter()
        .map(
            // Ended early by the programme: access stops at the end (the expiry is kept).
            |(id, participant_id, user_id, granted_at, expires_at, ended_at, reason)| {
                EmergencyAccess {
                    id,
                    participant_id,
                    user_id,
                    granted_at,
                    expires_at: ended_at.map_or(expires_at, |e| e.min(expires_at)),
                    reason,
                }
            },
        )
        .collect();
    Ok((
        rows.iter().map(|c| to_rule(c, &recips)).collect(),
        emergencies,
    ))
}

/// Participants whose consents (or emergencies) might name this user: the candidates a partner's
/// list is decided over. The policy still decides each one.
pub fn candidates_for(
    conn: &mut DbConn,
    user_id: i64,
    org_id: i64,
    class: Option<RecipientClass>,
) -> AppResult<Vec<i64>> {
    let mut q = consent_recipients::table
        .filter(
            consent_recipients::recipient_org_id
                .eq(org_id)
                .or(consent_recipients::recipient_user_id.eq(user_id)),
        )
        .select(consent_recipients::participant_id)
        .into_boxed();
    if let Some(c) = class {
        q = consent_recipients::table
            .filter(
                consent_recipients::recipient_org_id
                    .eq(org_id)
                    .or(consent_recipients::recipient_user_id.eq(user_id))
                    .or(consent_recipients::recipient_class.eq(c.as_str())),
            )
            .select(consent_recipients::participant_id)
            .into_boxed();
    }
    let mut ids: Vec<i64> = q.load(conn)?;
    let em: Vec<i64> = emergency_accesses::table
        .filter(emergency_accesses::user_id.eq(user_id))
        .filter(emergency_accesses::expires_at.gt(time::now()))
        .filter(emergency_accesses::ended_at.is_null())
        .select(emergency_accesses::participant_id)
        .load(conn)?;
    ids.extend(em);
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Record a disclosure (for the accounting).
#[allow(clippy::too_many_arguments)]
pub fn record_disclosure(
    tx: &mut Tx,
    program_org_id: i64,
    participant_id: i64,
    consent_id: Option<i64>,
    emergency_id: Option<i64>,
    recipient_user_id: i64,
    recipient_org_id: i64,
    recipient_label: &str,
    categories: &[Category],
    action: &str,
    purpose: Purpose,
) -> AppResult<()> {
    let (label, cats, action, at) = (
        recipient_label.to_string(),
        codes(categories),
        action.to_string(),
        time::now(),
    );
    tx.defer(move |tx| {
        diesel::insert_into(disclosures::table)
            .values((
                disclosures::id.eq(new_id()),
                disclosures::org_id.eq(program_org_id),
                disclosures::participant_id.eq(participant_id),
                disclosures::consent_id.eq(consent_id),
                disclosures::emergency_id.eq(emergency_id),
                disclosures::recipient_user_id.eq(recipient_user_id),
                disclosures::recipient_org_id.eq(recipient_org_id),
                disclosures::recipient_label.eq(label),
                disclosures::categories.eq(cats),
                disclosures::action.eq(action),
                disclosures::purpose.eq(purpose.as_str()),
                disclosures::at.eq(at),
            ))
            .execute(tx.conn())?;
        Ok(())
    })
}
