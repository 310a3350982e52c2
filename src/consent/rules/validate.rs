//! Validation of a consent form ([`validate`]): turns a [`ConsentDraft`] into a [`ValidConsent`] or
//! names every missing or wrong 42 CFR 2.31 / 2.35 element at once ([`MissingElement`]).

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::{Category, Consent, ConsentKind, Expiry, Purpose, Recipient};

/// How the consent was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signature {
    /// Electronic signature on screen.
    OnScreen {
        signed_at: NaiveDateTime,
        signer_name: String,
    },
    /// Signed on paper; a staff member attests it and the scan is stored.
    /// The consent takes effect from 00:00 UTC of `signed_on`.
    PaperAttested {
        signed_on: NaiveDate,
        attested_by_user_id: i64,
        scan_ref: String,
    },
}

impl Signature {
    /// The instant the consent takes effect.
    pub fn effective_at(&self) -> NaiveDateTime {
        match self {
            Signature::OnScreen { signed_at, .. } => *signed_at,
            Signature::PaperAttested { signed_on, .. } => signed_on.and_time(NaiveTime::MIN),
        }
    }
}

/// The consent form as submitted (HTML form or JSON API); nothing is trusted yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentDraft {
    pub participant_id: Option<i64>,
    pub program_org_id: Option<i64>,
    pub kind: Option<ConsentKind>,
    pub categories: Vec<Category>,
    pub recipients: Vec<Recipient>,
    pub purpose: Option<Purpose>,
    /// Required when the purpose is `Other`; kept otherwise.
    pub purpose_text: Option<String>,
    pub expiry: Option<Expiry>,
    pub signature: Option<Signature>,
    pub right_to_revoke_acknowledged: bool,
    pub signer_is_representative: bool,
    pub representative_authority: Option<String>,
    pub irrevocable_until: Option<NaiveDateTime>,
    /// §2.35: the disposition or condition of release that makes participation a condition.
    pub cj_condition_of_release: Option<String>,
    pub cj_final_disposition_on: Option<NaiveDate>,
}

/// Stable field names used in [`MissingElement::field`] (the HTML form and JSON API names).
pub mod fields {
    pub const PARTICIPANT_ID: &str = "participant_id";
    pub const PROGRAM_ORG_ID: &str = "program_org_id";
    pub const KIND: &str = "kind";
    pub const CATEGORIES: &str = "categories";
    pub const RECIPIENTS: &str = "recipients";
    pub const PURPOSE: &str = "purpose";
    pub const PURPOSE_TEXT: &str = "purpose_text";
    pub const EXPIRY: &str = "expiry";
    pub const SIGNATURE: &str = "signature";
    pub const RIGHT_TO_REVOKE_ACKNOWLEDGED: &str = "right_to_revoke_acknowledged";
    pub const REPRESENTATIVE_AUTHORITY: &str = "representative_authority";
    pub const IRREVOCABLE_UNTIL: &str = "irrevocable_until";
    pub const CJ_CONDITION_OF_RELEASE: &str = "cj_condition_of_release";
    pub const CJ_FINAL_DISPOSITION_ON: &str = "cj_final_disposition_on";

    /// Every field of the consent form (each name [`super::validate`] reports is one of these).
    pub const ALL: [&str; 14] = [
        PARTICIPANT_ID,
        PROGRAM_ORG_ID,
        KIND,
        CATEGORIES,
        RECIPIENTS,
        PURPOSE,
        PURPOSE_TEXT,
        EXPIRY,
        SIGNATURE,
        RIGHT_TO_REVOKE_ACKNOWLEDGED,
        REPRESENTATIVE_AUTHORITY,
        IRREVOCABLE_UNTIL,
        CJ_CONDITION_OF_RELEASE,
        CJ_FINAL_DISPOSITION_ON,
    ];
}

/// One missing or invalid element of the consent form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingElement {
    /// Stable snake_case field name (see [`fields`]).
    pub field: &'static str,
    /// English message for the person filling the form.
    pub message: String,
    /// The same words as a message of the interface's languages.
    #[serde(skip)]
    pub said: crate::platform::error::Said,
}

impl fmt::Display for MissingElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A consent form that has every required element; becomes a [`Consent`] once it has an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidConsent {
    pub participant_id: i64,
    pub program_org_id: i64,
    pub kind: ConsentKind,
    /// Deduplicated, in [`Category::ALL`] order.
    pub categories: Vec<Category>,
    /// Deduplicated, in form order.
    pub recipients: Vec<Recipient>,
    pub purpose: Purpose,
    /// Trimmed; `None` when blank.
    pub purpose_text: Option<String>,
    pub expiry: Expiry,
    pub signature: Signature,
    /// [`Signature::effective_at`].
    pub signed_at: NaiveDateTime,
    pub signer_is_representative: bool,
    /// Trimmed; present exactly when `signer_is_representative`.
    pub representative_authority: Option<String>,
    /// Always `None` for standard consents.
    pub irrevocable_until: Option<NaiveDateTime>,
    /// Trimmed; present for criminal-justice consents.
    pub cj_condition_of_release: Option<String>,
    pub cj_final_disposition_on: Option<NaiveDate>,
}

impl ValidConsent {
    /// The stored consent, not revoked.
    pub fn to_consent(&self, id: i64) -> Consent {
        Consent {
            id,
            participant_id: self.participant_id,
            program_org_id: self.program_org_id,
            kind: self.kind,
            categories: self.categories.clone(),
            recipients: self.recipients.clone(),
            purpose: self.purpose,
            signed_at: self.signed_at,
            expiry: self.expiry.clone(),
            irrevocable_until: self.irrevocable_until,
            revoked_at: None,
        }
    }
}

fn non_blank(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Validates a consent form at `now`, reporting every missing or invalid element at once.
///
/// §2.31 elements: participant, discloser (program), categories (non-empty), recipients
/// (non-empty), purpose (with text when `Other`), expiry (a date not before today, or an event
/// description for an event that has not occurred), right to revoke acknowledged, signature (not in
/// the future; signer name or paper scan reference), representative authority when a
/// representative signs. Standard consents: no `irrevocable_until`, and not the criminal-justice
/// purpose `MonitoringProgress` (use a §2.35 consent).
///
/// §2.35 (criminal justice): recipients only Court / Probation / Parole classes or organisations;
/// purpose `MonitoringProgress`; the condition of release stated; no encounter notes;
/// `irrevocable_until` (if any) on or before the final disposition date (if given) and on or
/// before the expiry date (inclusive days, as for expiry).
pub fn validate(
    draft: ConsentDraft,
    now: NaiveDateTime,
) -> Result<ValidConsent, Vec<MissingElement>> {
    let mut errs: Vec<MissingElement> = Vec::new();
    let mut err = |field: &'static str, key: &'static str, args: &[(&'static str, String)]| {
        let said = crate::platform::error::Said::new(key, args);
        errs.push(MissingElement {
            field,
            message: said.english(),
            said,
        });
    };
    let today = now.date();

    if draft.participant_id.is_none() {
        err(
            fields::PARTICIPANT_ID,
            "error-consent-name-the-participant-whose-records-are",
            &[],
        );
    }
    if draft.program_org_id.is_none() {
        err(
            fields::PROGRAM_ORG_ID,
            "error-consent-name-the-program-that-discloses-the",
            &[],
        );
    }
    if draft.kind.is_none() {
        err(
            fields::KIND,
            "error-consent-choose-a-standard-consent-or-a",
            &[],
        );
    }
    let is_cj = draft.kind == Some(ConsentKind::CriminalJustice);

    // Categories.
    let mut categories: Vec<Category> = Category::ALL
        .iter()
        .copied()
        .filter(|c| draft.categories.contains(c))
        .collect();
    if categories.is_empty() {
        err(
            fields::CATEGORIES,
            "error-consent-choose-at-least-one-kind-of",
            &[],
        );
    }
    if is_cj && categories.contains(&Category::EncounterNotes) {
        err(
            fields::CATEGORIES,
            "error-consent-a-criminal-justice-consent-is-limited",
            &[],
        );
        categories.retain(|c| *c != Category::EncounterNotes);
    }

    // Recipients.
    let mut recipients: Vec<Recipient> = Vec::new();
    for r in &draft.recipients {
        if !recipients.contains(r) {
            recipients.push(r.clone());
        }
    }
    if recipients.is_empty() {
        err(
            fields::RECIPIENTS,
            "error-consent-name-at-least-one-recipient-a",
            &[],
        );
    }
    if is_cj {
        // 42 CFR 2.35(a): the recipients are "those persons within the criminal justice system
        // who have made participation in the program a condition": one named agency (or a
        // person there), never a class. Whether a named organisation is a court, probation or
        // parole agency is checked by the store, which knows organisation kinds.
        for r in &recipients {
            match r {
                Recipient::Organisation { .. } | Recipient::Person { .. } => {}
                Recipient::Class { class } => err(
                    fields::RECIPIENTS,
                    "error-consent-cj-not-a-class",
                    &[("class", class.as_str().to_string())],
                ),
            }
        }
    }

    // Purpose.
    let purpose_text = non_blank(&draft.purpose_text);
    match draft.purpose {
        None => err(
            fields::PURPOSE,
            "error-consent-state-the-purpose-of-the-disclosure",
            &[],
        ),
        Some(p) => {
            if p == Purpose::Other && purpose_text.is_none() {
                err(
                    fields::PURPOSE_TEXT,
                    "error-consent-describe-the-purpose-of-the-disclosure",
                    &[],
                );
            }
            if is_cj && p != Purpose::MonitoringProgress {
                err(
                    fields::PURPOSE,
                    "error-consent-the-purpose-of-a-criminal-justice",
                    &[],
                );
            }
            if draft.kind == Some(ConsentKind::Standard) && p == Purpose::MonitoringProgress {
                err(
                    fields::PURPOSE,
                    "error-consent-monitoring-progress-for-a-court-probation",
                    &[],
                );
            }
        }
    }

    // Expiry.
    match &draft.expiry {
        None => err(
            fields::EXPIRY,
            "error-consent-state-when-the-consent-ends-a",
            &[],
        ),
        Some(Expiry::OnDate(d)) if *d < today => {
            err(fields::EXPIRY, "error-consent-the-end-date-is-in-the", &[]);
        }
        Some(Expiry::OnDate(_)) => {}
        Some(Expiry::OnEvent {
            description,
            occurred_at,
        }) => {
            if description.trim().is_empty() {
                err(
                    fields::EXPIRY,
                    "error-consent-describe-the-event-that-ends-the",
                    &[],
                );
            }
            if occurred_at.is_some() {
                err(
                    fields::EXPIRY,
                    "error-consent-the-event-that-ends-the-consent",
                    &[],
                );
            }
        }
    }

    if !draft.right_to_revoke_acknowledged {
        err(
            fields::RIGHT_TO_REVOKE_ACKNOWLEDGED,
            "error-consent-the-participant-must-be-told-of",
            &[],
        );
    }

    // Signature.
    match &draft.signature {
        None => err(
            fields::SIGNATURE,
            "error-consent-the-consent-must-be-signed-and",
            &[],
        ),
        Some(Signature::OnScreen {
            signed_at,
            signer_name,
        }) => {
            if signer_name.trim().is_empty() {
                err(
                    fields::SIGNATURE,
                    "error-consent-enter-the-name-of-the-person",
                    &[],
                );
            }
            if *signed_at > now {
                err(
                    fields::SIGNATURE,
                    "error-consent-the-signature-time-is-in-the",
                    &[],
                );
            }
        }
        Some(Signature::PaperAttested {
            signed_on,
            scan_ref,
            ..
        }) => {
            if scan_ref.trim().is_empty() {
                err(
                    fields::SIGNATURE,
                    "error-consent-attach-the-scan-of-the-signed",
                    &[],
                );
            }
            if *signed_on > today {
                err(
                    fields::SIGNATURE,
                    "error-consent-the-signature-date-is-in-the",
                    &[],
                );
            }
        }
    }

    let representative_authority = non_blank(&draft.representative_authority);
    if draft.signer_is_representative && representative_authority.is_none() {
        err(
            fields::REPRESENTATIVE_AUTHORITY,
            "error-consent-state-the-representatives-authority-to-sign",
            &[],
        );
    }

    // Criminal-justice elements and irrevocability.
    let cj_condition = non_blank(&draft.cj_condition_of_release);
    if is_cj && cj_condition.is_none() {
        err(
            fields::CJ_CONDITION_OF_RELEASE,
            "error-consent-state-the-disposition-or-condition-of",
            &[],
        );
    }
    if let Some(until) = draft.irrevocable_until {
        if draft.kind == Some(ConsentKind::Standard) {
            err(
                fields::IRREVOCABLE_UNTIL,
                "error-consent-only-a-criminal-justice-consent-can",
                &[],
            );
        }
        if is_cj {
            if let Some(fd) = draft.cj_final_disposition_on
                && until.date() > fd
            {
                err(
                    fields::IRREVOCABLE_UNTIL,
                    "error-consent-the-consent-cannot-be-irrevocable-beyond",
                    &[],
                );
            }
            if let Some(Expiry::OnDate(last)) = draft.expiry
                && until.date() > last
            {
                err(
                    fields::IRREVOCABLE_UNTIL,
                    "error-consent-the-consent-cannot-be-irrevocable-beyond-2",
                    &[],
                );
            }
        }
    }

    // Each `None` below has been reported, so `errs` is non-empty whenever one is missing.
    match (
        draft.participant_id,
        draft.program_org_id,
        draft.kind,
        draft.purpose,
        draft.expiry,
        draft.signature,
    ) {
        (
            Some(participant_id),
            Some(program_org_id),
            Some(kind),
            Some(purpose),
            Some(expiry),
            Some(signature),
        ) if errs.is_empty() => {
            let signed_at = signature.effective_at();
            Ok(ValidConsent {
                participant_id,
                program_org_id,
                kind,
                categories,
                recipients,
                purpose,
                purpose_text,
                expiry,
                signature,
                signed_at,
                signer_is_representative: draft.signer_is_representative,
                representative_authority: representative_authority
                    .filter(|_| draft.signer_is_representative),
                irrevocable_until: draft.irrevocable_until,
                cj_condition_of_release: cj_condition.filter(|_| is_cj),
                cj_final_disposition_on: draft.cj_final_disposition_on,
            })
        }
        _ => Err(errs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::rules::fixtures::*;
    use crate::consent::rules::*;
    use chrono::Duration;

    // --- validation -------------------------------------------------------------------------

    fn now() -> NaiveDateTime {
        dt(2025, 1, 15, 10, 0, 0)
    }

    fn good_draft() -> ConsentDraft {
        ConsentDraft {
            participant_id: Some(PARTICIPANT),
            program_org_id: Some(PROGRAM),
            kind: Some(ConsentKind::Standard),
            categories: vec![Category::Plan, Category::Participation, Category::Plan],
            recipients: vec![
                Recipient::Organisation { org_id: CLINIC },
                Recipient::Organisation { org_id: CLINIC },
            ],
            purpose: Some(Purpose::Treatment),
            purpose_text: Some("  ".into()),
            expiry: Some(Expiry::OnDate(d(2025, 12, 31))),
            signature: Some(Signature::OnScreen {
                signed_at: dt(2025, 1, 15, 9, 55, 0),
                signer_name: "Ana Pérez".into(),
            }),
            right_to_revoke_acknowledged: true,
            signer_is_representative: false,
            representative_authority: Some("ignored".into()),
            irrevocable_until: None,
            cj_condition_of_release: None,
            cj_final_disposition_on: None,
        }
    }

    fn cj_draft() -> ConsentDraft {
        ConsentDraft {
            kind: Some(ConsentKind::CriminalJustice),
            categories: vec![Category::Participation, Category::Plan],
            recipients: vec![Recipient::Organisation {
                org_id: PROBATION_ORG,
            }],
            purpose: Some(Purpose::MonitoringProgress),
            irrevocable_until: Some(dt(2025, 6, 30, 12, 0, 0)),
            cj_condition_of_release: Some("Probation condition 7: engage in peer support".into()),
            cj_final_disposition_on: Some(d(2025, 6, 30)),
            ..good_draft()
        }
    }

    fn fields_of(errs: &[MissingElement]) -> Vec<&'static str> {
        errs.iter().map(|e| e.field).collect()
    }

    #[test]
    fn valid_standard_draft_becomes_a_consent() {
        let v = validate(good_draft(), now()).unwrap();
        assert_eq!(v.categories, vec![Category::Participation, Category::Plan]);
        assert_eq!(v.recipients.len(), 1);
        assert_eq!(v.purpose_text, None);
        assert_eq!(v.representative_authority, None);
        assert_eq!(v.signed_at, dt(2025, 1, 15, 9, 55, 0));
        let c = v.to_consent(12);
        assert_eq!(c.id, 12);
        assert!(c.is_active_at(now()));
        assert_eq!(c.revoked_at, None);
    }

    #[test]
    fn empty_draft_reports_every_missing_element_at_once() {
        let errs = validate(ConsentDraft::default(), now()).unwrap_err();
        assert_eq!(
            fields_of(&errs),
            vec![
                "participant_id",
                "program_org_id",
                "kind",
                "categories",
                "recipients",
                "purpose",
                "expiry",
                "right_to_revoke_acknowledged",
                "signature",
            ]
        );
        assert!(errs.iter().all(|e| !e.message.is_empty()));
        let rep = ConsentDraft {
            signer_is_representative: true,
            representative_authority: Some(" ".into()),
            ..ConsentDraft::default()
        };
        assert!(
            fields_of(&validate(rep, now()).unwrap_err()).contains(&"representative_authority")
        );
    }

    #[test]
    fn expiry_must_be_today_or_later_or_a_pending_event() {
        let with = |e: Expiry| ConsentDraft {
            expiry: Some(e),
            ..good_draft()
        };
        assert!(validate(with(Expiry::OnDate(d(2025, 1, 15))), now()).is_ok());
        assert_eq!(
            fields_of(&validate(with(Expiry::OnDate(d(2025, 1, 14))), now()).unwrap_err()),
            vec!["expiry"]
        );
        let pending = Expiry::OnEvent {
            description: "discharge from the program".into(),
            occurred_at: None,
        };
        assert!(validate(with(pending), now()).is_ok());
        let blank_and_past = Expiry::OnEvent {
            description: " ".into(),
            occurred_at: Some(dt(2025, 1, 1, 0, 0, 0)),
        };
        assert_eq!(
            fields_of(&validate(with(blank_and_past), now()).unwrap_err()),
            vec!["expiry", "expiry"]
        );
    }

    #[test]
    fn signature_purpose_and_representative_rules() {
        let future = ConsentDraft {
            signature: Some(Signature::OnScreen {
                signed_at: now() + Duration::minutes(1),
                signer_name: String::new(),
            }),
            purpose: Some(Purpose::Other),
            signer_is_representative: true,
            representative_authority: None,
            ..good_draft()
        };
        assert_eq!(
            fields_of(&validate(future, now()).unwrap_err()),
            vec![
                "purpose_text",
                "signature",
                "signature",
                "representative_authority"
            ]
        );
        let paper = ConsentDraft {
            signature: Some(Signature::PaperAttested {
                signed_on: d(2025, 1, 14),
                attested_by_user_id: 3,
                scan_ref: "scan-0042".into(),
            }),
            purpose: Some(Purpose::Other),
            purpose_text: Some(" housing application ".into()),
            signer_is_representative: true,
            representative_authority: Some("legal guardian".into()),
            ..good_draft()
        };
        let v = validate(paper, now()).unwrap();
        assert_eq!(v.signed_at, dt(2025, 1, 14, 0, 0, 0));
        assert_eq!(v.purpose_text.as_deref(), Some("housing application"));
        assert_eq!(
            v.representative_authority.as_deref(),
            Some("legal guardian")
        );
        let bad_paper = ConsentDraft {
            signature: Some(Signature::PaperAttested {
                signed_on: d(2025, 1, 16),
                attested_by_user_id: 3,
                scan_ref: String::new(),
            }),
            ..good_draft()
        };
        assert_eq!(
            fields_of(&validate(bad_paper, now()).unwrap_err()),
            vec!["signature", "signature"]
        );
    }

    #[test]
    fn standard_consent_cannot_be_irrevocable_or_for_monitoring() {
        let d1 = ConsentDraft {
            irrevocable_until: Some(dt(2025, 2, 1, 0, 0, 0)),
            purpose: Some(Purpose::MonitoringProgress),
            ..good_draft()
        };
        assert_eq!(
            fields_of(&validate(d1, now()).unwrap_err()),
            vec!["purpose", "irrevocable_until"]
        );
    }

    #[test]
    fn valid_criminal_justice_draft() {
        let v = validate(cj_draft(), now()).unwrap();
        assert_eq!(v.kind, ConsentKind::CriminalJustice);
        assert_eq!(v.irrevocable_until, Some(dt(2025, 6, 30, 12, 0, 0)));
        assert!(v.cj_condition_of_release.is_some());
        let c = v.to_consent(3);
        assert!(can_revoke(&c, now()).is_err());
        assert!(can_revoke(&c, dt(2025, 6, 30, 12, 0, 0)).is_ok());
    }

    #[test]
    fn criminal_justice_draft_rules_are_all_reported() {
        let bad = ConsentDraft {
            categories: vec![Category::Plan, Category::EncounterNotes],
            recipients: vec![
                Recipient::Class {
                    class: RecipientClass::TreatmentProvider,
                },
                Recipient::Person {
                    org_id: PROBATION_ORG,
                    user_id: 20,
                },
                Recipient::Class {
                    class: RecipientClass::Court,
                },
            ],
            purpose: Some(Purpose::Treatment),
            cj_condition_of_release: Some("  ".into()),
            irrevocable_until: Some(dt(2025, 7, 1, 0, 0, 0)),
            expiry: Some(Expiry::OnDate(d(2025, 6, 15))),
            ..cj_draft()
        };
        let errs = validate(bad, now()).unwrap_err();
        assert_eq!(
            fields_of(&errs),
            vec![
                "categories",
                "recipients",
                "recipients",
                "purpose",
                "cj_condition_of_release",
                "irrevocable_until",
                "irrevocable_until",
            ]
        );
        assert!(errs[1].message.contains("any treatment provider"));
        assert!(errs[2].message.contains("any court"));
    }

    #[test]
    fn irrevocable_until_may_reach_the_end_of_the_final_disposition_day() {
        let ok = ConsentDraft {
            irrevocable_until: Some(dt(2025, 6, 30, 23, 59, 59)),
            ..cj_draft()
        };
        assert!(validate(ok, now()).is_ok());
        let event_expiry = ConsentDraft {
            expiry: Some(Expiry::OnEvent {
                description: "final disposition".into(),
                occurred_at: None,
            }),
            cj_final_disposition_on: None,
            ..cj_draft()
        };
        assert!(validate(event_expiry, now()).is_ok());
    }

    #[test]
    fn missing_element_display_names_the_field() {
        let e = MissingElement {
            field: fields::SIGNATURE,
            message: "x".into(),
            said: crate::platform::error::Said::new("error-required", &[]),
        };
        assert_eq!(e.to_string(), "signature: x");
        assert!(fields::ALL.contains(&"cj_final_disposition_on"));
    }
}
