//! Consent pages: the consent form (refusing a consent that lacks any required element, naming
//! it), revocation, the participant-facing consent and revocation documents and the accounting
//! of disclosures (printable, English and Spanish), and emergency access.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDateTime;

use super::emergency::{EmergencyRecord, Reach};
use super::ops;
use super::rules::{Category, Purpose, RecipientClass};
use super::store::{self, ConsentInput, ConsentView, Disclosure, RecipientInput, RevocationInput};
use crate::organisations::store::Organisation;
use crate::participants::ops as participant_ops;
use crate::participants::search::{MatchedOn, Sought};
use crate::participants::store::{Listed, Participant};
use crate::platform::access::{self, SearchFor};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::i18n::{Language, Tr};
use crate::platform::web::PageRoute;
use crate::platform::web::error::{PageError, refused_input, request_language, saved_or_again};
use crate::platform::web::extract::{CsrfForm, FormFields, Page, PageId, PageIdPair, QueryFields};
use crate::platform::web::layout::Chrome;

pub fn routes() -> Vec<PageRoute> {
    let p = PageRoute::participant;
    vec![
        p(
            "/participants/{id}/consents",
            &["GET", "POST"],
            get(consents_page).post(create),
        ),
        p(
            "/participants/{id}/consents/blank",
            &["GET"],
            get(blank_form),
        ),
        p(
            "/participants/{id}/consents/{consent_id}/revoke",
            &["POST"],
            post(revoke),
        ),
        p(
            "/participants/{id}/consents/{consent_id}/document",
            &["GET"],
            get(document),
        ),
        p(
            "/participants/{id}/consents/{consent_id}/revocation",
            &["GET"],
            get(revocation_document),
        ),
        p(
            "/participants/{id}/disclosures",
            &["GET"],
            get(disclosures_page),
        ),
        PageRoute::general(
            "/emergency",
            &["GET", "POST"],
            get(emergency_page).post(emergency_post),
        ),
        PageRoute::general("/emergency/{id}/end", &["POST"], post(emergency_end_post)),
        PageRoute::general("/disclosures", &["GET"], get(accounting_finder)),
        PageRoute::general("/consents/to-correct", &["GET"], get(to_correct_page)),
        PageRoute::general("/emergency/reach", &["POST"], post(emergency_reach_post)),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "consent/consents.html")]
struct ConsentsPage {
    chrome: Chrome,
    p: Participant,
    consents: Vec<ConsentView>,
    errors: Vec<FieldError>,
    organisations: Vec<Organisation>,
    categories: Vec<(&'static str, &'static str, &'static str)>,
    classes: Vec<(&'static str, &'static str)>,
    purposes: Vec<(&'static str, &'static str)>,
    today: String,
}

impl ConsentsPage {
    /// A recipient in words, a class of them in the page's language ("any Probation" is
    /// "cualquier libertad a prueba"); an organisation or a person is named as stored.
    fn recipient_in(&self, r: &str) -> String {
        let tr = self.chrome.tr;
        let class = r
            .strip_prefix("any ")
            .and_then(|l| RecipientClass::ALL.iter().find(|c| c.label() == l));
        match class {
            Some(c) if tr.es() => tr.t1("cp-any-class", "class", c.label_es().to_lowercase()),
            _ => r.to_string(),
        }
    }

    fn error_for(&self, field: &str) -> Option<String> {
        FieldError::for_field(&self.errors, field, &self.chrome.tr)
    }
}

async fn render(page: &Page, id: i64, errors: Vec<FieldError>) -> Result<ConsentsPage, PageError> {
    let (p, consents, organisations) = page.read(move |tx, a| ops::consent_form(tx, a, id)).await?;
    let mut chrome = page.chrome("", "/participants");
    let tr = chrome.tr;
    chrome.title = tr.t1("cp-page-title", "name", p.display_name());
    // The consent vocabularies carry their Spanish (decision 0034), which the forms use too.
    let es = tr.es();
    Ok(ConsentsPage {
        chrome,
        p,
        consents,
        errors,
        organisations,
        categories: Category::ALL
            .iter()
            .map(|c| {
                if es {
                    (c.as_str(), c.label_es(), c.description_es())
                } else {
                    (c.as_str(), c.label(), c.description())
                }
            })
            .collect(),
        classes: RecipientClass::ALL
            .iter()
            .map(|c| (c.as_str(), if es { c.label_es() } else { c.label() }))
            .collect(),
        purposes: Purpose::ALL
            .iter()
            .map(|p| (p.as_str(), if es { p.label_es() } else { p.label() }))
            .collect(),
        today: page.actor.zone.today().format("%Y-%m-%d").to_string(),
    })
}

async fn consents_page(page: Page, PageId(id): PageId) -> Result<Response, PageError> {
    Ok(render(&page, id, vec![]).await?.into_response())
}

/// Back to the consents after a change, or the form again with what was wrong.
async fn after_change<T>(
    page: &Page,
    id: i64,
    result: AppResult<T>,
) -> Result<Response, PageError> {
    let to = format!("/participants/{id}/consents");
    saved_or_again(result, &to, |errors| render(page, id, errors)).await
}

/// Read the HTML form into the API's input shape.
fn form_input(f: &FormFields) -> ConsentInput {
    let mut recipients = Vec::new();
    for org in f.all("recipient_org") {
        if let Ok(org_id) = org.parse::<i64>() {
            recipients.push(RecipientInput {
                kind: "organisation".into(),
                org_id: Some(org_id),
                ..Default::default()
            });
        }
    }
    for class in f.all("recipient_class") {
        if !class.is_empty() {
            recipients.push(RecipientInput {
                kind: "class".into(),
                class: Some(class.into()),
                ..Default::default()
            });
        }
    }
    ConsentInput {
        kind: f.opt("kind"),
        categories: f
            .all("categories")
            .into_iter()
            .map(str::to_string)
            .collect(),
        recipients,
        purpose: f.opt("purpose"),
        purpose_text: f.opt("purpose_text"),
        expires_on: f.opt("expires_on"),
        expires_on_event: f.opt("expires_on_event"),
        right_to_revoke_acknowledged: f.get("right_to_revoke_acknowledged") == "1",
        signature_kind: f.opt("signature_kind"),
        signer_name: f.opt("signer_name"),
        signed_on: f.opt("signed_on"),
        scan_ref: f.opt("scan_ref"),
        signer_is_representative: f.get("signer_is_representative") == "1",
        representative_authority: f.opt("representative_authority"),
        cj_condition_of_release: f.opt("cj_condition_of_release"),
        cj_final_disposition_on: f.opt("cj_final_disposition_on"),
        irrevocable_until: f.opt("irrevocable_until"),
    }
}

async fn create(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = form_input(&form);
    let result = page
        .write(move |tx, a| ops::create(tx, a, id, || Ok(input)))
        .await;
    after_change(&page, id, result).await
}

async fn revoke(
    page: Page,
    PageIdPair(id, consent_id): PageIdPair,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = RevocationInput {
        method: form.opt("method"),
        note: form.opt("note"),
    };
    let result = page
        .write(move |tx, a| ops::revoke(tx, a, consent_id, Some(id), &input))
        .await;
    after_change(&page, id, result).await
}

/// A document's language: `?lang=es` or `?lang=en` when asked, otherwise the participant's own
/// (their preferred language, as recorded).
fn language_for(q: &FormFields, p: &Participant) -> Language {
    Language::asked_or(q.get("lang"), p.document_language())
}

/// The programme's redisclosure notice in the document's language: the standard one (42 CFR
/// 2.32) from the messages, one the programme wrote as it wrote it.
fn notice_in(notice: String, tr: Tr) -> String {
    if notice == store::DEFAULT_NOTICE {
        tr.t("part2-notice")
    } else {
        notice
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "consent/blank.html")]
struct BlankFormPage {
    chrome: Chrome,
    p: Participant,
    program: String,
    notice: String,
    categories: &'static [Category],
    purposes: &'static [Purpose],
}

impl BlankFormPage {
    fn full_name(&self) -> String {
        format!("{} {}", self.p.first_name, self.p.last_name)
    }
}

/// A consent form to fill in by hand and sign on paper before the consent is recorded, in the
/// participant's language (or `?lang=`).
async fn blank_form(
    page: Page,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let (p, program, notice) = page
        .read(move |tx, a| ops::blank_consent_form(tx, a, id))
        .await?;
    let tr = Tr::new(language_for(&q, &p));
    Ok(BlankFormPage {
        chrome: page
            .chrome(tr.t("consent-blank-title"), "/participants")
            .in_language(tr.lang),
        p,
        program,
        notice: notice_in(notice, tr),
        categories: Category::ALL,
        purposes: Purpose::ALL,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "consent/document.html")]
struct DocumentPage {
    chrome: Chrome,
    p: Participant,
    c: ConsentView,
    program: String,
    revocation: bool,
    notice: String,
}

impl DocumentPage {
    fn full_name(&self) -> String {
        format!("{} {}", self.p.first_name, self.p.last_name)
    }
}

/// The consent (or its revocation) as the participant reads and signs it, in English or Spanish
/// (`?lang=es`).
async fn doc(
    page: Page,
    id: i64,
    consent_id: i64,
    q: &FormFields,
    revocation: bool,
) -> Result<Response, PageError> {
    let (p, c, program, notice) = page
        .read(move |tx, a| ops::consent_document(tx, a, id, consent_id))
        .await?;
    let tr = Tr::new(language_for(q, &p));
    let title = tr.t(if revocation {
        "revocation-title"
    } else {
        "consent-title"
    });
    Ok(DocumentPage {
        chrome: page.chrome(title, "/participants").in_language(tr.lang),
        p,
        c,
        program,
        revocation,
        notice: notice_in(notice, tr),
    }
    .into_response())
}

async fn document(
    page: Page,
    PageIdPair(id, consent_id): PageIdPair,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    doc(page, id, consent_id, &q, false).await
}

async fn revocation_document(
    page: Page,
    PageIdPair(id, consent_id): PageIdPair,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    doc(page, id, consent_id, &q, true).await
}

#[derive(Template, WebTemplate)]
#[template(path = "consent/disclosures.html")]
struct DisclosuresPage {
    chrome: Chrome,
    p_id: i64,
    name: String,
    rows: Vec<(Disclosure, String)>,
    since: NaiveDateTime,
    printed_on: chrono::NaiveDate,
}

async fn disclosures_page(
    page: Page,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let since = ops::accounting_since(q.get("since"), q.get("years"))?;
    let (name, theirs, rows) = page
        .read(move |tx, a| ops::accounting_for_participant(tx, a, id, since))
        .await?;
    // The participant's language, as their other documents (or `?lang=`).
    let tr = Tr::new(Language::asked_or(q.get("lang"), theirs));
    Ok(DisclosuresPage {
        chrome: page
            .chrome(tr.t("disclosures-title"), "/participants")
            .in_language(tr.lang),
        p_id: id,
        name,
        rows,
        since,
        printed_on: page.actor.zone.today(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "consent/find_accounting.html")]
struct AccountingFinder {
    chrome: Chrome,
    q: String,
    error: Option<String>,
    found: Option<Vec<Listed>>,
    /// The caller may read the audit log, so each person found also links to its entries.
    reads_audit: bool,
}

impl AccountingFinder {
    /// What a search matched on, as the page's language names it.
    fn matched_label(&self, on: &MatchedOn) -> String {
        let key = match on {
            MatchedOn::Name => "cp-matched-name",
            MatchedOn::DateOfBirth => "cp-matched-date-of-birth",
            MatchedOn::BookingNumber => "cp-matched-booking-number",
            MatchedOn::StateId => "cp-matched-state-id",
            MatchedOn::SupervisionCase => "cp-matched-supervision-case",
        };
        self.chrome.tr.t(key)
    }
}

/// Whose accounting of disclosures to read: the search for the person (`q`: a name, date of
/// birth or identifier), each found linking to their accounting (and, for those who read the
/// audit log, to its entries about them), so no record number is typed.
async fn accounting_finder(page: Page, QueryFields(q): QueryFields) -> Result<Response, PageError> {
    let text = q.get("q").to_string();
    let mut chrome = page.chrome("", "/disclosures");
    chrome.title = chrome.tr.t("cp-accounting-title");
    let mut finder = AccountingFinder {
        chrome,
        q: text.clone(),
        error: None,
        found: None,
        reads_audit: access::read_audit(&page.actor).is_ok(),
    };
    let Some(typed) = q.opt("q") else {
        return Ok(finder.into_response());
    };
    match Sought::parse("q", &typed) {
        Err(e) => {
            finder.error = Some(e.message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, finder).into_response())
        }
        Ok(sought) => {
            finder.found = Some(
                page.read(move |tx, a| {
                    participant_ops::search(tx, a, SearchFor::Accounting, &sought, 50)
                })
                .await?,
            );
            Ok(finder.into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "consent/emergency.html")]
struct EmergencyPage {
    chrome: Chrome,
    error: Option<String>,
    notice: Option<String>,
    /// The caller may open emergency access (medical personnel).
    medical: bool,
    /// The caller oversees the programme's emergency accesses (admin, supervisor, auditor).
    oversees: bool,
    accesses: Vec<EmergencyRecord>,
    reach: Option<Reach>,
    /// The search for the patient: the name and date of birth typed, and whom it found.
    find_name: String,
    find_dob: String,
    found: Option<Vec<Listed>>,
}

/// What the emergency page says above its forms.
enum Said {
    Nothing,
    /// Why the last step could not be taken.
    Error(String),
    /// What the last step did.
    Notice(String),
}

/// The patient searched for on the emergency page (`name` and `dob`), when there was a search.
#[derive(Default)]
struct Patient {
    name: String,
    dob: String,
    found: Option<Vec<Listed>>,
}

async fn emergency_render(page: &Page, said: Said) -> Result<EmergencyPage, PageError> {
    emergency_render_with(page, said, Patient::default()).await
}

async fn emergency_render_with(
    page: &Page,
    said: Said,
    patient: Patient,
) -> Result<EmergencyPage, PageError> {
    let a = &page.actor;
    let medical = access::is_medical_personnel(a);
    let oversees = access::oversee_emergencies(a).is_ok();
    let sets_reach = access::emergency_policy(a).is_ok();
    let accesses = if oversees {
        page.read(ops::emergencies).await?
    } else {
        vec![]
    };
    let reach = if sets_reach {
        let actor = a.clone();
        Some(
            page.state
                .db
                .run(move |c| ops::emergency_reach(c, &actor))
                .await?,
        )
    } else {
        None
    };
    let (error, notice) = match said {
        Said::Nothing => (None, None),
        Said::Error(e) => (Some(e), None),
        Said::Notice(n) => (None, Some(n)),
    };
    let mut chrome = page.chrome("", "/emergency");
    chrome.title = chrome.tr.t("cp-emergency-page-title");
    Ok(EmergencyPage {
        chrome,
        error,
        notice,
        medical,
        oversees,
        accesses,
        reach,
        find_name: patient.name,
        find_dob: patient.dob,
        found: patient.found,
    })
}

/// The emergency page again, with `status` and why the step could not be taken.
async fn emergency_refused(
    page: &Page,
    status: StatusCode,
    error: String,
) -> Result<Response, PageError> {
    Ok((status, emergency_render(page, Said::Error(error)).await?).into_response())
}

/// The emergency page again (422), every refused field named, "field: message; …".
async fn emergency_form_again(page: &Page, errors: &[FieldError]) -> Result<Response, PageError> {
    emergency_refused(
        page,
        StatusCode::UNPROCESSABLE_ENTITY,
        FieldError::list_shown(errors, &Tr::new(request_language())),
    )
    .await
}

/// The emergency page; with `name` and `dob`, the patient found by them, to choose from.
async fn emergency_page(page: Page, QueryFields(q): QueryFields) -> Result<Response, PageError> {
    if q.opt("name").is_none() && q.opt("dob").is_none() {
        return Ok(emergency_render(&page, Said::Nothing)
            .await?
            .into_response());
    }
    let mut patient = Patient {
        name: q.get("name").to_string(),
        dob: q.get("dob").to_string(),
        found: None,
    };
    let sought =
        match Sought::parse_name_and_date_of_birth("name", &patient.name, "dob", &patient.dob) {
            Ok(s) => s,
            Err(errors) => {
                let said = Said::Error(FieldError::list_shown(
                    &errors,
                    &Tr::new(request_language()),
                ));
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    emergency_render_with(&page, said, patient).await?,
                )
                    .into_response());
            }
        };
    let found = page
        .read(move |tx, a| participant_ops::search(tx, a, SearchFor::Emergency, &sought, 20))
        .await?;
    patient.found = Some(found);
    Ok(emergency_render_with(&page, Said::Nothing, patient)
        .await?
        .into_response())
}

async fn emergency_post(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    let reason = form.get("reason").to_string();
    let password = form.get("password").to_string();
    let result = match form.get("participant").trim().parse::<i64>() {
        Ok(id) => ops::open_emergency(&page.state.db, &page.actor, id, &reason, &password)
            .await
            .map(|_| id),
        Err(_) => Err(AppError::keyed("participant", "error-find-the-person", &[])),
    };
    match refused_input(result)? {
        Ok(id) => Ok(Redirect::to(&format!("/participants/{id}")).into_response()),
        Err(errors) => emergency_form_again(&page, &errors).await,
    }
}

async fn emergency_end_post(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let reason = form.get("reason").to_string();
    match page
        .write(move |tx, a| ops::end_emergency(tx, a, id, &reason))
        .await
    {
        Ok(r) => {
            let ended = page.chrome("", "/emergency").tr.t2(
                "cp-emergency-ended",
                "id",
                r.id,
                "by",
                &r.opened_by,
            );
            Ok(emergency_render(&page, Said::Notice(ended))
                .await?
                .into_response())
        }
        Err(AppError::Conflict(m)) => {
            let m = m.shown(&Tr::new(request_language()));
            emergency_refused(&page, StatusCode::CONFLICT, m).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn emergency_reach_post(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    // The policy answers before the form is read.
    access::emergency_policy(&page.actor)?;
    let listed_only = form.get("listed_only") == "yes";
    let Ok(ids) = form
        .all("organisation")
        .into_iter()
        .map(|v| v.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
    else {
        return emergency_refused(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            "organisation: choose from the list".into(),
        )
        .await;
    };
    let result = page
        .write(move |tx, a| ops::set_emergency_reach(tx, a, listed_only, &ids))
        .await;
    match refused_input(result)? {
        Ok(_) => Ok(emergency_render(
            &page,
            Said::Notice(page.chrome("", "/emergency").tr.t("cp-saved")),
        )
        .await?
        .into_response()),
        Err(errors) => emergency_form_again(&page, &errors).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "consent/to_correct.html")]
struct ToCorrectPage {
    chrome: Chrome,
    consents: Vec<store::ClassNamingConsent>,
}

impl ToCorrectPage {
    /// The classes a consent names, as the page's language names them ("any probation").
    fn classes(&self, c: &store::ClassNamingConsent) -> String {
        let tr = self.chrome.tr;
        c.classes
            .iter()
            .map(|code| {
                let class = match RecipientClass::parse(code) {
                    Some(k) if tr.es() => k.label_es().to_lowercase(),
                    _ => code.clone(),
                };
                tr.t1("cp-any-class", "class", class)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The programme's criminal-justice consents that name a class of recipients (42 CFR 2.35
/// needs one named agency): they disclose nothing until a consent naming the agency is
/// recorded.
async fn to_correct_page(page: Page) -> Result<Response, PageError> {
    let consents = page.read(ops::consents_to_correct).await?;
    let mut chrome = page.chrome("", "/consents/to-correct");
    chrome.title = chrome.tr.t("cp-to-correct-title");
    Ok(ToCorrectPage { chrome, consents }.into_response())
}

#[cfg(test)]
mod tests {
    use crate::platform::i18n::{Language, code_key, sources};

    /// The consents page shows a consent's state, and the accounting finder what a search
    /// matched, by their messages; the English "matched" ones are the search's own labels.
    #[test]
    fn every_consent_state_and_match_has_its_message() {
        use crate::participants::search::MatchedOn;
        use crate::platform::i18n::Tr;
        for lang in Language::ALL {
            let messages = sources::messages(lang.code());
            for state in ["active", "expired", "revoked", "not_yet_signed"] {
                let key = code_key("cp-state", state);
                assert!(messages.contains_key(&key), "{key} missing in {lang}");
            }
        }
        let en = Tr::new(Language::En);
        for (on, key) in [
            (MatchedOn::Name, "cp-matched-name"),
            (MatchedOn::DateOfBirth, "cp-matched-date-of-birth"),
            (MatchedOn::BookingNumber, "cp-matched-booking-number"),
            (MatchedOn::StateId, "cp-matched-state-id"),
            (MatchedOn::SupervisionCase, "cp-matched-supervision-case"),
        ] {
            assert_eq!(en.t(key), on.label(), "{key}");
        }
    }

    /// The accounting shows how each disclosure happened by its message, never its code.
    #[test]
    fn every_disclosure_action_has_its_message() {
        for lang in Language::ALL {
            let messages = sources::messages(lang.code());
            for action in ["view", "print", "export", "list"] {
                let key = code_key("disclosure-action", action);
                assert!(messages.contains_key(&key), "{key} missing in {lang}");
            }
        }
    }
}
