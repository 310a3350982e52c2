//! Consent pages: the consent form (refusing a consent that lacks any required element, naming
//! it), revocation, the participant-facing consent and revocation documents and the accounting
//! of disclosures (printable, English and Spanish), and emergency access.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDateTime;

use super::emergency::{EmergencyRecord, Reach};
use super::ops;
use super::rules::{Category, Purpose, RecipientClass};
use super::store::{self, ConsentInput, ConsentView, Disclosure, RecipientInput, RevocationInput};
use crate::organisations::store::Organisation;
use crate::participants::store::Participant;
use crate::platform::access::{self, Actor};
use crate::platform::error::{AppError, FieldError};
use crate::platform::time;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{
    CsrfForm, FormFields, PageId, PageIdPair, PageUser, QueryFields,
};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, CsrfToken, PageRoute};

pub fn routes() -> Vec<PageRoute> {
    let p = |path: &'static str, methods: &'static [&'static str], handler| PageRoute {
        path,
        methods,
        participant_scoped: true,
        handler,
    };
    vec![
        p(
            "/participants/{id}/consents",
            &["GET", "POST"],
            get(consents_page).post(create),
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
        PageRoute {
            path: "/emergency",
            methods: &["GET", "POST"],
            participant_scoped: false,
            handler: get(emergency_page).post(emergency_post),
        },
        PageRoute {
            path: "/emergency/{id}/end",
            methods: &["POST"],
            participant_scoped: false,
            handler: post(emergency_end_post),
        },
        PageRoute {
            path: "/consents/to-correct",
            methods: &["GET"],
            participant_scoped: false,
            handler: get(to_correct_page),
        },
        PageRoute {
            path: "/emergency/reach",
            methods: &["POST"],
            participant_scoped: false,
            handler: post(emergency_reach_post),
        },
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
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

async fn render(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    id: i64,
    errors: Vec<FieldError>,
) -> Result<ConsentsPage, PageError> {
    let a = actor.clone();
    let (p, consents, organisations) = state
        .db
        .read(move |tx| ops::consent_form(tx, &a, id))
        .await?;
    Ok(ConsentsPage {
        chrome: Chrome::new(
            actor,
            format!("Consents: {}", p.display_name()),
            "/participants",
            csrf,
            state.config.demo,
        ),
        p,
        consents,
        errors,
        organisations,
        categories: Category::ALL
            .iter()
            .map(|c| (c.as_str(), c.label(), c.description()))
            .collect(),
        classes: RecipientClass::ALL
            .iter()
            .map(|c| (c.as_str(), c.label()))
            .collect(),
        purposes: Purpose::ALL
            .iter()
            .map(|p| (p.as_str(), p.label()))
            .collect(),
        today: time::today().format("%Y-%m-%d").to_string(),
    })
}

async fn consents_page(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    Ok(render(&s, &a, &c.0, id, vec![]).await?.into_response())
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
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = form_input(&form);
    let actor = a.clone();
    let result =
        s.db.write(move |tx| ops::create(tx, &actor, id, || Ok(input)))
            .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/participants/{id}/consents")).into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&s, &a, &c.0, id, errs).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn revoke(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageIdPair(id, consent_id): PageIdPair,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = RevocationInput {
        method: form.opt("method"),
        note: form.opt("note"),
    };
    let actor = a.clone();
    let result =
        s.db.write(move |tx| ops::revoke(tx, &actor, consent_id, Some(id), &input))
            .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/participants/{id}/consents")).into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&s, &a, &c.0, id, errs).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

fn spanish(q: &FormFields) -> bool {
    q.get("lang") == "es"
}

#[derive(Template, WebTemplate)]
#[template(path = "consent/document.html")]
struct DocumentPage {
    chrome: Chrome,
    p: Participant,
    c: ConsentView,
    program: String,
    es: bool,
    revocation: bool,
    notice: String,
}

async fn doc(
    s: AppState,
    csrf: String,
    a: Actor,
    id: i64,
    consent_id: i64,
    es: bool,
    revocation: bool,
) -> Result<Response, PageError> {
    let actor = a.clone();
    let (p, c, program, notice) =
        s.db.read(move |tx| ops::consent_document(tx, &actor, id, consent_id))
            .await?;
    let title = match (revocation, es) {
        (false, false) => "Consent to share information",
        (false, true) => "Consentimiento para compartir información",
        (true, false) => "Revoking my consent",
        (true, true) => "Revocación de mi consentimiento",
    };
    Ok(DocumentPage {
        chrome: Chrome::new(&a, title, "/participants", &csrf, s.config.demo),
        p,
        c,
        program,
        es,
        revocation,
        notice,
    }
    .into_response())
}

async fn document(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageIdPair(id, consent_id): PageIdPair,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    doc(s, c.0, a, id, consent_id, spanish(&q), false).await
}

async fn revocation_document(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageIdPair(id, consent_id): PageIdPair,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    doc(s, c.0, a, id, consent_id, spanish(&q), true).await
}

#[derive(Template, WebTemplate)]
#[template(path = "consent/disclosures.html")]
struct DisclosuresPage {
    chrome: Chrome,
    p_id: i64,
    name: String,
    rows: Vec<(Disclosure, String)>,
    es: bool,
    since: NaiveDateTime,
    printed_on: String,
}

impl DisclosuresPage {
    fn spanish(&self) -> bool {
        self.es
    }
}

async fn disclosures_page(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let since = ops::accounting_since(q.get("since"), q.get("years"))?;
    let es = spanish(&q);
    let actor = a.clone();
    let (name, rows) =
        s.db.read(move |tx| ops::accounting_for_participant(tx, &actor, id, since))
            .await?;
    let title = if es {
        "Registro de divulgaciones"
    } else {
        "Accounting of disclosures"
    };
    Ok(DisclosuresPage {
        chrome: Chrome::new(&a, title, "/participants", &c.0, s.config.demo),
        p_id: id,
        name,
        rows,
        es,
        since,
        printed_on: time::today().format("%Y-%m-%d").to_string(),
    }
    .into_response())
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
}

async fn emergency_render(
    s: &AppState,
    a: &Actor,
    csrf: &str,
    error: Option<String>,
    notice: Option<String>,
) -> Result<EmergencyPage, PageError> {
    let medical = access::is_medical_personnel(a);
    let oversees = access::oversee_emergencies(a).is_ok();
    let sets_reach = access::emergency_policy(a).is_ok();
    let accesses = if oversees {
        let actor = a.clone();
        s.db.read(move |tx| ops::emergencies(tx, &actor)).await?
    } else {
        vec![]
    };
    let reach = if sets_reach {
        let actor = a.clone();
        Some(s.db.run(move |c| ops::emergency_reach(c, &actor)).await?)
    } else {
        None
    };
    Ok(EmergencyPage {
        chrome: Chrome::new(a, "Emergency access", "/emergency", csrf, s.config.demo),
        error,
        notice,
        medical,
        oversees,

        accesses,
        reach,
    })
}

async fn emergency_page(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
) -> Result<Response, PageError> {
    Ok(emergency_render(&s, &a, &c.0, None, None)
        .await?
        .into_response())
}

async fn emergency_post(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let reason = form.get("reason").to_string();
    let password = form.get("password").to_string();
    let result = match form.get("participant").trim().parse::<i64>() {
        Ok(id) => ops::open_emergency(&s.db, &a, id, &reason, &password)
            .await
            .map(|_| id),
        Err(_) => Err(AppError::invalid("participant", "enter the record number")),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/participants/{id}")).into_response()),
        // Every field named, "field: message; …" (the error's own wording).
        Err(e @ AppError::Invalid(_)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            emergency_render(&s, &a, &c.0, Some(e.to_string()), None).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn emergency_end_post(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let reason = form.get("reason").to_string();
    let actor = a.clone();
    match s
        .db
        .write(move |tx| ops::end_emergency(tx, &actor, id, &reason))
        .await
    {
        Ok(r) => Ok(emergency_render(
            &s,
            &a,
            &c.0,
            None,
            Some(format!(
                "Emergency access {} by {} ended.",
                r.id, r.opened_by
            )),
        )
        .await?
        .into_response()),
        Err(AppError::Conflict(m)) => Ok((
            StatusCode::CONFLICT,
            emergency_render(&s, &a, &c.0, Some(m), None).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn emergency_reach_post(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    // The policy answers before the form is read.
    access::emergency_policy(&a)?;
    let listed_only = form.get("listed_only") == "yes";
    let mut ids = Vec::new();
    for v in form.all("organisation") {
        match v.trim().parse::<i64>() {
            Ok(id) => ids.push(id),
            Err(_) => {
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    emergency_render(
                        &s,
                        &a,
                        &c.0,
                        Some("organisation: choose from the list".into()),
                        None,
                    )
                    .await?,
                )
                    .into_response());
            }
        }
    }
    let actor = a.clone();
    match s
        .db
        .write(move |tx| ops::set_emergency_reach(tx, &actor, listed_only, &ids))
        .await
    {
        Ok(_) => Ok(emergency_render(&s, &a, &c.0, None, Some("Saved.".into()))
            .await?
            .into_response()),
        // Every field named, "field: message; …" (the error's own wording).
        Err(e @ AppError::Invalid(_)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            emergency_render(&s, &a, &c.0, Some(e.to_string()), None).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "consent/to_correct.html")]
struct ToCorrectPage {
    chrome: Chrome,
    consents: Vec<store::ClassNamingConsent>,
}

/// The programme's criminal-justice consents that name a class of recipients (42 CFR 2.35
/// needs one named agency): they disclose nothing until a consent naming the agency is
/// recorded.
async fn to_correct_page(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
) -> Result<Response, PageError> {
    let actor = a.clone();
    let consents =
        s.db.read(move |tx| ops::consents_to_correct(tx, &actor))
            .await?;
    Ok(ToCorrectPage {
        chrome: Chrome::new(
            &a,
            "Consents to correct",
            "/consents/to-correct",
            &c.0,
            s.config.demo,
        ),
        consents,
    }
    .into_response())
}
