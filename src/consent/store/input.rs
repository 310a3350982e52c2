//! A consent as entered on the form or sent to the API, and its checking into a draft the
//! pure rules validate.

use super::*;

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
                errs.push(FieldError::keyed(
                    field,
                    "error-not-a-date",
                    &[("value", format!("{v:?}"))],
                ));
                None
            }
        }
    };
    let kind = match input.kind.as_deref().unwrap_or("standard") {
        "" | "standard" => Some(ConsentKind::Standard),
        "criminal_justice" => Some(ConsentKind::CriminalJustice),
        other => {
            errs.push(FieldError::keyed(
                "kind",
                "error-unknown-consent-kind",
                &[("value", format!("{other:?}"))],
            ));
            None
        }
    };
    let mut categories = Vec::new();
    for (i, c) in input.categories.iter().enumerate() {
        match Category::parse(c) {
            Some(c) => categories.push(c),
            None => errs.push(FieldError::keyed(
                format!("categories[{i}]"),
                "error-unknown-category",
                &[("value", format!("{c:?}"))],
            )),
        }
    }
    let mut recipients = Vec::new();
    for (i, r) in input.recipients.iter().enumerate() {
        match recipient(&r.kind, r.org_id, r.user_id, r.class.as_deref()) {
            Some(r) => recipients.push(r),
            None => errs.push(FieldError::keyed(
                format!("recipients[{i}]"),
                "error-name-a-recipient",
                &[],
            )),
        }
    }
    let purpose = match input.purpose.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(p) => match Purpose::parse(p) {
            Some(p) => Some(p),
            None => {
                errs.push(FieldError::keyed(
                    "purpose",
                    "error-unknown-purpose",
                    &[("value", format!("{p:?}"))],
                ));
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
            errs.push(FieldError::keyed(
                "signature_kind",
                "error-unknown-signature-kind",
                &[("value", format!("{other:?}"))],
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
