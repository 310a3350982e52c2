//! Recording a consent and its revocation, the alerts of consents about to expire, the
//! accounting of disclosures (42 CFR 2.24), and the checks of criminal-justice recipients.

use super::*;

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
    rules::can_revoke(&to_rule(&row, &[]), now).map_err(|e| AppError::said("consent", e.said()))?;
    let method = input
        .method
        .clone()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| "in_writing".into());
    if !RevocationMethod::CODES.contains(&method.as_str()) {
        return Err(AppError::keyed(
            "method",
            "error-not-one-of",
            &[
                ("value", format!("{method:?}")),
                ("allowed", RevocationMethod::CODES.join(", ")),
            ],
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
            errs.push(FieldError::keyed(
                format!("recipients[{i}]"),
                "error-cj-recipient",
                &[],
            ));
        }
        if let Recipient::Person { user_id, .. } = r {
            let member: i64 = users::table
                .filter(users::id.eq(*user_id))
                .filter(users::org_id.eq(org_id))
                .count()
                .get_result(conn)?;
            if member == 0 {
                errs.push(FieldError::keyed(
                    format!("recipients[{i}]"),
                    "error-not-on-staff",
                    &[],
                ));
            }
        }
    }
    Ok(errs)
}
