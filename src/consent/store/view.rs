//! A consent as shown: its state, signature, revocation and recipients, read for a grant.

use super::*;

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
    /// One line in the reader's language: what, to whom, for what, until when.
    pub fn summary(&self, tr: crate::platform::i18n::Tr) -> String {
        let es = tr.es();
        let until = self
            .expires_on
            .map(|d| d.to_string())
            .or_else(|| self.expires_on_event.clone());
        let line = tr.t3(
            "consent-summary",
            "id",
            self.id,
            "signed",
            self.signed_at.format("%Y-%m-%d"),
            "what",
            tr.t3(
                "consent-summary-what",
                "categories",
                self.category_labels(es).join(", "),
                "recipients",
                self.recipients.join("; "),
                "purpose",
                self.purpose_label(es).to_lowercase(),
            ),
        );
        match until {
            Some(u) => tr.t2("consent-summary-until", "line", line, "until", u),
            None => line,
        }
    }
}

/// The name of the organisation `id`, when there is one.
fn organisation_name(conn: &mut DbConn, id: Option<i64>) -> AppResult<Option<String>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(organisations::table
        .find(id)
        .select(organisations::name)
        .first::<String>(conn)
        .optional()?)
}

pub(super) fn view(
    conn: &mut DbConn,
    c: &ConsentRow,
    recips: &[RecipientRow],
    now: NaiveDateTime,
) -> AppResult<ConsentView> {
    let rule = to_rule(c, recips);
    let mut names = Vec::new();
    for r in recips.iter().filter(|r| r.consent_id == c.id) {
        let name = match r.kind.as_str() {
            "organisation" => organisation_name(conn, r.recipient_org_id)?
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
                format!(
                    "{} at {}",
                    person.unwrap_or_else(|| "a named person".into()),
                    organisation_name(conn, r.recipient_org_id)?.unwrap_or_default()
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
