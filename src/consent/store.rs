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
use crate::journey::schema::org_settings;
use crate::platform::access::ParticipantGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::schema::{organisations, users};
use crate::platform::time;

/// The default redisclosure notice (42 CFR 2.32, short form).
pub const DEFAULT_NOTICE: &str =
    "42 CFR part 2 prohibits unauthorized disclosure of these records.";

/// The organisation's redisclosure notice (configurable).
pub fn notice(conn: &mut DbConn, org_id: i64) -> AppResult<String> {
    let configured: Option<String> = org_settings::table
        .find((org_id, "redisclosure_notice"))
        .select(org_settings::value)
        .first(conn)
        .optional()?;
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
    match r.kind.as_str() {
        "organisation" => r
            .recipient_org_id
            .map(|org_id| Recipient::Organisation { org_id }),
        "person" => r
            .recipient_org_id
            .zip(r.recipient_user_id)
            .map(|(org_id, user_id)| Recipient::Person { org_id, user_id }),
        "class" => r
            .recipient_class
            .as_deref()
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

// ---------------------------------------------------------------------------------------------
// Consents as entered and shown
// ---------------------------------------------------------------------------------------------

/// A recipient as entered: an organisation (by id), a person there, or a class.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientInput {
    /// organisation, person, class
    #[schema(value_type = RecipientKind)]
    pub kind: String,
    #[serde(default)]
    pub org_id: Option<i64>,
    #[serde(default)]
    pub user_id: Option<i64>,
    /// probation, parole, court, treatment_provider, jail_health, medical_provider
    #[serde(default)]
    #[schema(value_type = Option<crate::consent::rules::RecipientClass>)]
    pub class: Option<String>,
}

/// The consent form (API body; the HTML form is read into the same shape).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// standard (42 CFR 2.31) or criminal_justice (2.35)
    #[serde(default)]
    #[schema(value_type = Option<crate::consent::rules::ConsentKind>)]
    pub kind: Option<String>,
    /// participation, assessments, plan, referrals, release_plan, encounter_notes
    #[serde(default)]
    #[schema(value_type = Vec<crate::consent::rules::Category>)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub recipients: Vec<RecipientInput>,
    /// treatment, care_coordination, monitoring_progress, payment, research, other
    #[serde(default)]
    #[schema(value_type = Option<crate::consent::rules::Purpose>)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub purpose_text: Option<String>,
    /// Last day the consent is in force (YYYY-MM-DD) ...
    #[serde(default)]
    #[schema(format = Date)]
    pub expires_on: Option<String>,
    /// ... or the event that ends it.
    #[serde(default)]
    pub expires_on_event: Option<String>,
    /// The participant was told of the right to revoke in writing, and its limits.
    #[serde(default)]
    pub right_to_revoke_acknowledged: bool,
    /// on_screen or paper_attested
    #[serde(default)]
    #[schema(value_type = Option<SignatureKind>)]
    pub signature_kind: Option<String>,
    /// On screen: the name typed by the signer.
    #[serde(default)]
    pub signer_name: Option<String>,
    /// Paper: the date on the signed form (YYYY-MM-DD) and the stored scan's reference.
    #[serde(default)]
    #[schema(format = Date)]
    pub signed_on: Option<String>,
    #[serde(default)]
    pub scan_ref: Option<String>,
    #[serde(default)]
    pub signer_is_representative: bool,
    #[serde(default)]
    pub representative_authority: Option<String>,
    /// Criminal-justice consents: the disposition or release condition that requires participation.
    #[serde(default)]
    pub cj_condition_of_release: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub cj_final_disposition_on: Option<String>,
    /// Criminal-justice consents: irrevocable until this date (YYYY-MM-DD), at the latest final disposition.
    #[serde(default)]
    #[schema(format = Date)]
    pub irrevocable_until: Option<String>,
}

/// Parse the form into a draft; vocabulary and date problems are reported with the missing
/// elements, all at once.
pub fn draft_from(
    input: &ConsentInput,
    participant_id: i64,
    program_org_id: i64,
    actor_id: i64,
    now: NaiveDateTime,
) -> (ConsentDraft, Vec<FieldError>) {
    let mut errs = Vec::new();
    let date = |field: &str, v: &Option<String>, errs: &mut Vec<FieldError>| -> Option<NaiveDate> {
        let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errs.push(FieldError::new(
                    field,
                    format!("{v:?} is not a date (YYYY-MM-DD)"),
                ));
                None
            }
        }
    };
    let kind = match input.kind.as_deref().unwrap_or("standard") {
        "" | "standard" => Some(ConsentKind::Standard),
        "criminal_justice" => Some(ConsentKind::CriminalJustice),
        other => {
            errs.push(FieldError::new(
                "kind",
                format!("unknown kind {other:?}; use standard or criminal_justice"),
            ));
            None
        }
    };
    let mut categories = Vec::new();
    for (i, c) in input.categories.iter().enumerate() {
        match Category::parse(c) {
            Some(c) => categories.push(c),
            None => errs.push(FieldError::new(
                format!("categories[{i}]"),
                format!("unknown category {c:?}"),
            )),
        }
    }
    let mut recipients = Vec::new();
    for (i, r) in input.recipients.iter().enumerate() {
        let rec = match r.kind.as_str() {
            "organisation" => r.org_id.map(|org_id| Recipient::Organisation { org_id }),
            "person" => r
                .org_id
                .zip(r.user_id)
                .map(|(org_id, user_id)| Recipient::Person { org_id, user_id }),
            "class" => r
                .class
                .as_deref()
                .and_then(RecipientClass::parse)
                .map(|class| Recipient::Class { class }),
            _ => None,
        };
        match rec {
            Some(r) => recipients.push(r),
            None => errs.push(FieldError::new(format!("recipients[{i}]"), "name an organisation (org_id), a person there (org_id and user_id) or a class (probation, parole, court, treatment_provider, jail_health, medical_provider)")),
        }
    }
    let purpose = match input.purpose.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(p) => match Purpose::parse(p) {
            Some(p) => Some(p),
            None => {
                errs.push(FieldError::new("purpose", format!("unknown purpose {p:?}")));
                None
            }
        },
    };
    let expiry = match (
        date("expires_on", &input.expires_on, &mut errs),
        input
            .expires_on_event
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    ) {
        (Some(d), _) => Some(Expiry::OnDate(d)),
        (None, Some(e)) => Some(Expiry::OnEvent {
            description: e.to_string(),
            occurred_at: None,
        }),
        _ => None,
    };
    let signature = match input.signature_kind.as_deref().unwrap_or("") {
        "on_screen" => input
            .signer_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|n| Signature::OnScreen {
                signed_at: now,
                signer_name: n.to_string(),
            }),
        "paper_attested" => {
            date("signed_on", &input.signed_on, &mut errs).map(|d| Signature::PaperAttested {
                signed_on: d,
                attested_by_user_id: actor_id,
                scan_ref: input.scan_ref.clone().unwrap_or_default(),
            })
        }
        "" => None,
        other => {
            errs.push(FieldError::new(
                "signature_kind",
                format!("unknown signature kind {other:?}; use on_screen or paper_attested"),
            ));
            None
        }
    };
    let cj_final = date(
        "cj_final_disposition_on",
        &input.cj_final_disposition_on,
        &mut errs,
    );
    let irrevocable = date("irrevocable_until", &input.irrevocable_until, &mut errs)
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default());
    let draft = ConsentDraft {
        participant_id: Some(participant_id),
        program_org_id: Some(program_org_id),
        kind,
        categories,
        recipients,
        purpose,
        purpose_text: input.purpose_text.clone(),
        expiry,
        signature,
        right_to_revoke_acknowledged: input.right_to_revoke_acknowledged,
        signer_is_representative: input.signer_is_representative,
        representative_authority: input.representative_authority.clone(),
        irrevocable_until: irrevocable,
        cj_condition_of_release: input.cj_condition_of_release.clone(),
        cj_final_disposition_on: cj_final,
    };
    (draft, errs)
}

/// Where a consent stands, as [`ConsentView::state`] says it (for the API's schema).
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    Active,
    Expired,
    Revoked,
    NotYetSigned,
}

/// How a consent was signed: typed on screen, or a paper form attested by staff.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignatureKind {
    OnScreen,
    PaperAttested,
}

/// How the participant revoked a consent.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevocationMethod {
    InWriting,
    VerballyThenInWriting,
    ByRepresentative,
}

impl RevocationMethod {
    pub const CODES: &'static [&'static str] = &[
        "in_writing",
        "verbally_then_in_writing",
        "by_representative",
    ];
}

/// What a consent's recipient is: one organisation, one person in it, or a class of recipient.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    Organisation,
    Person,
    Class,
}

/// What a partner did with disclosed records.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureAction {
    View,
    Print,
    Export,
    List,
}

/// A consent as shown on pages, in the API and on printed forms.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConsentView {
    pub id: i64,
    pub participant_id: i64,
    /// standard, criminal_justice
    #[schema(value_type = crate::consent::rules::ConsentKind)]
    pub kind: String,
    #[schema(value_type = Vec<crate::consent::rules::Category>)]
    pub categories: Vec<String>,
    /// Recipients in words ("Lakeview County Probation Department", "any probation office").
    pub recipients: Vec<String>,
    #[schema(value_type = crate::consent::rules::Purpose)]
    pub purpose: String,
    pub purpose_text: Option<String>,
    pub expires_on: Option<NaiveDate>,
    pub expires_on_event: Option<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub irrevocable_until: Option<NaiveDateTime>,
    pub cj_condition_of_release: Option<String>,
    pub cj_final_disposition_on: Option<NaiveDate>,
    #[schema(value_type = SignatureKind)]
    pub signature_kind: String,
    /// Paper consents: the staff member who attests the signature.
    pub attested_by: Option<i64>,
    pub signer_name: Option<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub signed_at: NaiveDateTime,
    pub scan_ref: Option<String>,
    pub signer_is_representative: bool,
    pub representative_authority: Option<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub revoked_at: Option<NaiveDateTime>,
    #[schema(value_type = Option<RevocationMethod>)]
    pub revocation_method: Option<String>,
    pub revocation_note: Option<String>,
    /// active, expired, revoked, not_yet_signed
    #[schema(value_type = ConsentState)]
    pub state: String,
}

impl ConsentView {
    pub fn category_labels(&self, spanish: bool) -> Vec<&'static str> {
        self.categories
            .iter()
            .filter_map(|c| Category::parse(c))
            .map(|c| if spanish { c.label_es() } else { c.label() })
            .collect()
    }
    pub fn category_descriptions(&self, spanish: bool) -> Vec<(&'static str, &'static str)> {
        self.categories
            .iter()
            .filter_map(|c| Category::parse(c))
            .map(|c| {
                if spanish {
                    (c.label_es(), c.description_es())
                } else {
                    (c.label(), c.description())
                }
            })
            .collect()
    }
    pub fn purpose_label(&self, spanish: bool) -> &'static str {
        Purpose::parse(&self.purpose)
            .map(|p| if spanish { p.label_es() } else { p.label() })
            .unwrap_or("")
    }
    pub fn is_active(&self) -> bool {
        self.state == "active"
    }
    /// One line: what, to whom, until when.
    pub fn summary(&self) -> String {
        let until = match (&self.expires_on, &self.expires_on_event) {
            (Some(d), _) => format!("until {d}"),
            (None, Some(e)) => format!("until {e}"),
            _ => String::new(),
        };
        format!(
            "Consent {} signed {}: {} shared with {} for {} {}",
            self.id,
            self.signed_at.format("%Y-%m-%d"),
            self.category_labels(false).join(", "),
            self.recipients.join("; "),
            self.purpose_label(false).to_lowercase(),
            until
        )
        .trim()
        .to_string()
    }
}

fn view(
    conn: &mut DbConn,
    c: &ConsentRow,
    recips: &[RecipientRow],
    now: NaiveDateTime,
) -> AppResult<ConsentView> {
    let rule = to_rule(c, recips);
    let mut names = Vec::new();
    for r in recips.iter().filter(|r| r.consent_id == c.id) {
        let name = match r.kind.as_str() {
            "organisation" => r
                .recipient_org_id
                .map(|o| {
                    organisations::table
                        .find(o)
                        .select(organisations::name)
                        .first::<String>(conn)
                        .optional()
                })
                .transpose()?
                .flatten()
                .unwrap_or_else(|| "an organisation".into()),
            "person" => {
                let person = r
                    .recipient_user_id
                    .map(|u| {
                        users::table
                            .find(u)
                            .select(users::name)
                            .first::<String>(conn)
                            .optional()
                    })
                    .transpose()?
                    .flatten();
                let org = r
                    .recipient_org_id
                    .map(|o| {
                        organisations::table
                            .find(o)
                            .select(organisations::name)
                            .first::<String>(conn)
                            .optional()
                    })
                    .transpose()?
                    .flatten();
                format!(
                    "{} at {}",
                    person.unwrap_or_else(|| "a named person".into()),
                    org.unwrap_or_default()
                )
            }
            _ => format!(
                "any {}",
                r.recipient_class
                    .as_deref()
                    .and_then(RecipientClass::parse)
                    .map(super::rules::RecipientClass::label)
                    .unwrap_or("")
            ),
        };
        names.push(name);
    }
    let state = if rule.revoked_at.is_some_and(|r| r <= now) {
        "revoked"
    } else if rule.expiry.has_lapsed(now) {
        "expired"
    } else if rule.signed_at > now {
        "not_yet_signed"
    } else {
        "active"
    };
    Ok(ConsentView {
        id: c.id,
        participant_id: c.participant_id,
        kind: c.kind.clone(),
        categories: parse_codes(&c.categories)
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
        recipients: names,
        purpose: c.purpose.clone(),
        purpose_text: c.purpose_text.clone(),
        expires_on: c.expiry_on,
        expires_on_event: c.expiry_event.clone(),
        irrevocable_until: c.irrevocable_until,
        cj_condition_of_release: c.cj_condition.clone(),
        cj_final_disposition_on: c.cj_final_disposition_on,
        signature_kind: c.signature_kind.clone(),
        attested_by: c.attested_by,
        signer_name: c.signer_name.clone(),
        signed_at: c.signed_at,
        scan_ref: c.scan_ref.clone(),
        signer_is_representative: c.signer_is_representative,
        representative_authority: c.representative_authority.clone(),
        revoked_at: c.revoked_at,
        revocation_method: c.revocation_method.clone(),
        revocation_note: c.revocation_note.clone(),
        state: state.into(),
    })
}

/// The participant's consents to disclose, newest first.
pub fn list(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<ConsentView>> {
    let rows: Vec<ConsentRow> = consents::table
        .filter(consents::participant_id.eq(grant.participant_id()))
        .filter(consents::org_id.eq(grant.org_id()))
        .order(consents::signed_at.desc())
        .select(ConsentRow::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let recips: Vec<RecipientRow> = consent_recipients::table
        .filter(consent_recipients::consent_id.eq_any(&ids))
        .select(RecipientRow::as_select())
        .load(conn)?;
    let now = time::now();
    rows.iter().map(|r| view(conn, r, &recips, now)).collect()
}

/// Store a consent after `rules::validate` accepted it.
pub fn create(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    valid: &rules::ValidConsent,
    actor_id: i64,
) -> AppResult<ConsentView> {
    let id = new_id();
    let (sig_kind, signer, attested, scan) = match &valid.signature {
        Signature::OnScreen { signer_name, .. } => {
            ("on_screen", Some(signer_name.clone()), None, None)
        }
        Signature::PaperAttested {
            attested_by_user_id,
            scan_ref,
            ..
        } => (
            "paper_attested",
            None,
            Some(*attested_by_user_id),
            Some(scan_ref.clone()),
        ),
    };
    let (expiry_on, expiry_event) = match &valid.expiry {
        Expiry::OnDate(d) => (Some(*d), None),
        Expiry::OnEvent { description, .. } => (None, Some(description.clone())),
    };
    diesel::insert_into(consents::table)
        .values((
            consents::id.eq(id),
            consents::org_id.eq(grant.org_id()),
            consents::participant_id.eq(grant.participant_id()),
            consents::kind.eq(valid.kind.as_str()),
            consents::categories.eq(codes(&valid.categories)),
            consents::purpose.eq(valid.purpose.as_str()),
            consents::purpose_text.eq(&valid.purpose_text),
            consents::expiry_on.eq(expiry_on),
            consents::expiry_event.eq(expiry_event),
            consents::irrevocable_until.eq(valid.irrevocable_until),
            consents::cj_condition.eq(&valid.cj_condition_of_release),
            consents::cj_final_disposition_on.eq(valid.cj_final_disposition_on),
            consents::signature_kind.eq(sig_kind),
            consents::signer_name.eq(signer),
            consents::signed_at.eq(valid.signed_at),
            consents::attested_by.eq(attested),
            consents::scan_ref.eq(scan),
            consents::signer_is_representative.eq(valid.signer_is_representative),
            consents::representative_authority.eq(&valid.representative_authority),
            consents::created_by.eq(Some(actor_id)),
            consents::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    for r in &valid.recipients {
        let (kind, org, user, class) = match r {
            Recipient::Organisation { org_id } => ("organisation", Some(*org_id), None, None),
            Recipient::Person { org_id, user_id } => {
                ("person", Some(*org_id), Some(*user_id), None)
            }
            Recipient::Class { class } => ("class", None, None, Some(class.as_str())),
        };
        diesel::insert_into(consent_recipients::table)
            .values((
                consent_recipients::id.eq(new_id()),
                consent_recipients::consent_id.eq(id),
                consent_recipients::participant_id.eq(grant.participant_id()),
                consent_recipients::kind.eq(kind),
                consent_recipients::recipient_org_id.eq(org),
                consent_recipients::recipient_user_id.eq(user),
                consent_recipients::recipient_class.eq(class),
            ))
            .execute(tx.conn())?;
    }
    list(tx.conn(), grant)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound)
}

/// The participant a consent belongs to (for the policy), if it exists.
pub fn participant_of(conn: &mut DbConn, consent_id: i64) -> AppResult<Option<i64>> {
    Ok(consents::table
        .find(consent_id)
        .select(consents::participant_id)
        .first(conn)
        .optional()?)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevocationInput {
    /// How the participant revoked: in_writing, verbally_then_in_writing, by_representative
    #[serde(default)]
    #[schema(value_type = Option<RevocationMethod>)]
    pub method: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Revoke a consent (effective at once, for the next request). Disclosures already made stay in
/// the accounting. A criminal-justice consent cannot be revoked before its irrevocability ends.
pub fn revoke(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    consent_id: i64,
    input: &RevocationInput,
    actor_id: i64,
) -> AppResult<ConsentView> {
    let row: ConsentRow = consents::table
        .find(consent_id)
        .filter(consents::participant_id.eq(grant.participant_id()))
        .select(ConsentRow::as_select())
        .first(tx.conn())
        .optional()?
        .ok_or(AppError::NotFound)?;
    let now = time::now();
    rules::can_revoke(&to_rule(&row, &[]), now)
        .map_err(|e| AppError::Invalid(vec![FieldError::new("consent", e.to_string())]))?;
    let method = input
        .method
        .clone()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| "in_writing".into());
    if !RevocationMethod::CODES.contains(&method.as_str()) {
        return Err(AppError::invalid(
            "method",
            format!(
                "{method:?} is not one of {}",
                RevocationMethod::CODES.join(", ")
            ),
        ));
    }
    diesel::update(consents::table.find(consent_id))
        .set((
            consents::revoked_at.eq(Some(now)),
            consents::revoked_by.eq(Some(actor_id)),
            consents::revocation_method.eq(Some(method)),
            consents::revocation_note.eq(input.note.clone()),
        ))
        .execute(tx.conn())?;
    list(tx.conn(), grant)?
        .into_iter()
        .find(|c| c.id == consent_id)
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct Alert {
    pub id: i64,
    pub kind: String,
    pub participant_id: Option<i64>,
    pub detail: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

/// Recent alerts of an organisation (supervisors and auditors see them on their home).
pub fn alerts_of(conn: &mut DbConn, org_id: i64, days: i64) -> AppResult<Vec<Alert>> {
    Ok(alerts::table
        .filter(alerts::org_id.eq(org_id))
        .filter(alerts::created_at.gt(time::now() - Duration::days(days)))
        .order(alerts::created_at.desc())
        .limit(50)
        .select((
            alerts::id,
            alerts::kind,
            alerts::participant_id,
            alerts::detail,
            alerts::created_at,
        ))
        .load(conn)?)
}

/// One line of the accounting of disclosures.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct Disclosure {
    pub id: i64,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub at: NaiveDateTime,
    pub recipient_label: String,
    pub recipient_org_id: i64,
    pub categories: String,
    /// view, print, export, list
    #[schema(value_type = DisclosureAction)]
    pub action: String,
    pub purpose: String,
    pub consent_id: Option<i64>,
    pub emergency_id: Option<i64>,
}

impl Disclosure {
    pub fn category_labels(&self, spanish: bool) -> String {
        parse_codes(&self.categories)
            .iter()
            .map(|c| if spanish { c.label_es() } else { c.label() })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The accounting of disclosures since `since` (default: 3 years), newest first.
pub fn accounting(
    conn: &mut DbConn,
    participant_id: i64,
    since: NaiveDateTime,
) -> AppResult<Vec<(Disclosure, String)>> {
    let rows: Vec<Disclosure> = disclosures::table
        .filter(disclosures::participant_id.eq(participant_id))
        .filter(disclosures::at.ge(since))
        .order(disclosures::at.desc())
        .select((
            disclosures::id,
            disclosures::at,
            disclosures::recipient_label,
            disclosures::recipient_org_id,
            disclosures::categories,
            disclosures::action,
            disclosures::purpose,
            disclosures::consent_id,
            disclosures::emergency_id,
        ))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for d in rows {
        let org: String = organisations::table
            .find(d.recipient_org_id)
            .select(organisations::name)
            .first(conn)
            .optional()?
            .unwrap_or_default();
        out.push((d, org));
    }
    Ok(out)
}

/// A §2.35 criminal-justice consent that names a class of recipients ("any probation
/// department") instead of one agency: recorded before that was refused. It names nobody (see
/// `rules::Consent::names`) until the programme records a consent naming the agency.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClassNamingConsent {
    pub consent_id: i64,
    pub participant_id: i64,
    /// The programme that recorded it.
    pub org_id: i64,
    /// The classes it names (`probation`, `parole`, `court`, ...).
    #[schema(value_type = Vec<crate::consent::rules::RecipientClass>)]
    pub classes: Vec<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub signed_at: NaiveDateTime,
    pub revoked: bool,
}

/// Every §2.35 consent naming a class, of one programme (or of the deployment when `org_id` is
/// `None`, for `throughcare migrate`), oldest first.
pub fn cj_consents_naming_a_class(
    conn: &mut DbConn,
    org_id: Option<i64>,
) -> AppResult<Vec<ClassNamingConsent>> {
    let mut q = consents::table
        .inner_join(consent_recipients::table.on(consent_recipients::consent_id.eq(consents::id)))
        .filter(consents::kind.eq(ConsentKind::CriminalJustice.as_str()))
        .filter(consent_recipients::kind.eq("class"))
        .select((
            consents::id,
            consents::participant_id,
            consents::org_id,
            consent_recipients::recipient_class,
            consents::signed_at,
            consents::revoked_at,
        ))
        .order((consents::signed_at, consents::id))
        .into_boxed();
    if let Some(org) = org_id {
        q = q.filter(consents::org_id.eq(org));
    }
    type Row = (
        i64,
        i64,
        i64,
        Option<String>,
        NaiveDateTime,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = q.load(conn)?;
    let mut out: Vec<ClassNamingConsent> = Vec::new();
    for (consent_id, participant_id, org_id, class, signed_at, revoked_at) in rows {
        let class = class.unwrap_or_default();
        match out.last_mut() {
            Some(last) if last.consent_id == consent_id => last.classes.push(class),
            _ => out.push(ClassNamingConsent {
                consent_id,
                participant_id,
                org_id,
                classes: vec![class],
                signed_at,
                revoked: revoked_at.is_some(),
            }),
        }
    }
    Ok(out)
}

/// §2.35: every organisation a criminal-justice consent names (directly or through a person
/// there) must be a court, probation or parole agency. Errors name `recipients[i]`.
pub fn check_criminal_justice_recipients(
    conn: &mut DbConn,
    recipients: &[Recipient],
) -> AppResult<Vec<FieldError>> {
    let mut errs = Vec::new();
    for (i, r) in recipients.iter().enumerate() {
        let org_id = match r {
            Recipient::Organisation { org_id } | Recipient::Person { org_id, .. } => *org_id,
            Recipient::Class { .. } => continue,
        };
        let kind: Option<String> = organisations::table
            .find(org_id)
            .select(organisations::kind)
            .first(conn)
            .optional()?;
        let ok = matches!(kind.as_deref(), Some("court" | "probation" | "parole"));
        if !ok {
            errs.push(FieldError::new(
                format!("recipients[{i}]"),
                "a criminal-justice consent (42 CFR 2.35) names a court, probation or parole \
                 agency (or a person there); this organisation is not one",
            ));
        }
        if let Recipient::Person { user_id, .. } = r {
            let member: i64 = users::table
                .filter(users::id.eq(*user_id))
                .filter(users::org_id.eq(org_id))
                .count()
                .get_result(conn)?;
            if member == 0 {
                errs.push(FieldError::new(
                    format!("recipients[{i}]"),
                    "that person is not on the staff of that organisation",
                ));
            }
        }
    }
    Ok(errs)
}
