//! The workforce overview (peers and credential standards) and the credential standard form:
//! new from a shipped template, or an existing standard to edit.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::platform::web::extract::Page;

use super::WORKFORCE;
use crate::platform::access::{self, Actor, Intent};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, FormFields, PageId, QueryFields};
use crate::platform::web::layout::Chrome;
use crate::workforce::ops::{self, Overview};
use crate::workforce::store::{
    self, DomainHours, PeerSummary, Standard, StandardInput, form_number,
};

// ---------------------------------------------------------------- overview

#[derive(Template, WebTemplate)]
#[template(path = "workforce/index.html")]
struct IndexPage {
    chrome: Chrome,
    is_admin: bool,
    can_report: bool,
    peers: Vec<PeerSummary>,
    standards: Vec<Standard>,
    templates: Vec<(&'static str, &'static str)>,
}

pub(super) async fn index(page: Page) -> Result<Response, PageError> {
    let a = page.actor.clone();
    let overview = page.state.db.write(move |tx| ops::overview(tx, &a)).await?;
    let (peers, standards, is_admin, can_report) = match overview {
        Overview::OwnRecord(me) => {
            return Ok(Redirect::to(&format!("/workforce/peers/{me}")).into_response());
        }
        Overview::Programme {
            peers,
            standards,
            may_edit,
            may_report,
        } => (peers, standards, may_edit, may_report),
    };
    Ok(IndexPage {
        chrome: {
            let mut chrome = page.chrome("", WORKFORCE);
            chrome.title = chrome.tr.t("wf-title");
            chrome
        },
        is_admin,
        can_report,
        peers,
        standards,
        templates: store::templates()
            .into_iter()
            .map(|(c, l, _)| (c, l))
            .collect(),
    }
    .into_response())
}

// ---------------------------------------------------------------- credential standards

#[derive(Template, WebTemplate)]
#[template(path = "workforce/standard.html")]
struct StandardPage {
    chrome: Chrome,
    action: String,
    heading: String,
    s: StandardInput,
    training_text: String,
    errors: Vec<FieldError>,
}

fn training_text(t: &[DomainHours]) -> String {
    t.iter()
        .map(|d| format!("{}: {}", d.domain, d.hours))
        .collect::<Vec<_>>()
        .join("\n")
}

fn standard_from_form(form: &FormFields) -> (StandardInput, Vec<FieldError>) {
    let mut errs = Vec::new();
    let mut training = Vec::new();
    for (i, line) in form.get("training").lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match line.rsplit_once(':') {
            Some((d, h)) if h.trim().parse::<f64>().is_ok() => training.push(DomainHours {
                domain: d.trim().into(),
                hours: h.trim().parse().unwrap_or(0.0),
            }),
            _ => errs.push(FieldError::keyed(
                "training",
                "error-training-line",
                &[("line", (i + 1).to_string())],
            )),
        }
    }
    let mut num = |f: &str| form_number(f, form.get(f), &mut errs).unwrap_or(0.0);
    let supervised_work_hours = num("supervised_work_hours");
    let supervision_hours = num("supervision_hours");
    let ce_hours = num("ce_hours");
    let ce_ethics_hours = num("ce_ethics_hours");
    let fees_usd = form_number("fees_usd", form.get("fees_usd"), &mut errs);
    let renewal_years = match form.get("renewal_years").trim().parse::<u32>() {
        Ok(n) => n,
        Err(_) => {
            errs.push(FieldError::keyed(
                "renewal_years",
                "error-whole-number",
                &[],
            ));
            0
        }
    };
    let input = StandardInput {
        name: form.get("name").into(),
        issuer: form.get("issuer").into(),
        training,
        supervised_work_hours,
        supervision_hours,
        exam_required: form.get("exam_required") == "1",
        ethics_attestation_required: form.get("ethics_attestation_required") == "1",
        background_check_required: form.get("background_check_required") == "1",
        formal_education: form.opt("formal_education"),
        fees_usd,
        renewal_years,
        ce_hours,
        ce_ethics_hours,
    };
    if let Err(mut more) = input.parse() {
        errs.append(&mut more);
    }
    (input, errs)
}

pub(super) async fn new_standard(
    page: Page,
    QueryFields(q): QueryFields,
) -> Result<impl IntoResponse, PageError> {
    access::workforce_org_record(&page.actor, page.actor.org_id, Intent::Write)?;
    let code = q.get("template");
    let templates = store::templates();
    let s = templates
        .iter()
        .find(|(c, _, _)| *c == code)
        .or(templates.first())
        .map(|(_, _, s)| StandardInput::from(s))
        .ok_or(AppError::NotFound)?;
    let chrome = page.chrome("", WORKFORCE);
    let heading = chrome.tr.t("wf-new-standard");
    Ok(StandardPage {
        chrome: Chrome {
            title: heading.clone(),
            ..chrome
        },
        action: "/workforce/standards".into(),
        heading,
        training_text: training_text(&s.training),
        s,
        errors: vec![],
    })
}

/// Save the standard's form through `save`, then show the standard; or the form again with
/// what was wrong (422), saving nothing.
async fn save_standard(
    page: &Page,
    form: &FormFields,
    (action, heading): (String, String),
    save: impl FnOnce(&mut Tx, &Actor, StandardInput) -> AppResult<Standard> + Send + 'static,
) -> Result<Response, PageError> {
    let (input, errs) = standard_from_form(form);
    if !errs.is_empty() {
        let page = StandardPage {
            chrome: page.chrome(heading.clone(), WORKFORCE),
            action,
            heading,
            s: input,
            training_text: form.get("training").into(),
            errors: errs,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let a = page.actor.clone();
    let s = page.state.db.write(move |tx| save(tx, &a, input)).await?;
    Ok(Redirect::to(&format!("/workforce/standards/{}", s.id)).into_response())
}

pub(super) async fn create_standard(
    page: Page,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    access::workforce_org_record(&page.actor, page.actor.org_id, Intent::Write)?;
    let heading = page.chrome("", WORKFORCE).tr.t("wf-new-standard");
    let at = ("/workforce/standards".into(), heading);
    save_standard(&page, &form, at, |tx, a, input| {
        ops::create_standard(tx, a, || Ok(input))
    })
    .await
}

pub(super) async fn edit_standard(
    page: Page,
    PageId(id): PageId,
) -> Result<impl IntoResponse, PageError> {
    let a = page.actor.clone();
    let read = move |tx: &mut Tx| ops::standard(tx, &a, id, Intent::Read);
    let s = page.state.db.read(read).await?;
    Ok(StandardPage {
        chrome: page.chrome(s.definition.name.clone(), WORKFORCE),
        action: format!("/workforce/standards/{id}"),
        heading: s.definition.name.clone(),
        training_text: training_text(&s.definition.training),
        s: s.definition,
        errors: vec![],
    })
}

pub(super) async fn update_standard(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let a = page.actor.clone();
    let read = move |tx: &mut Tx| ops::standard(tx, &a, id, Intent::Write);
    let s = page.state.db.read(read).await?;
    let at = (format!("/workforce/standards/{id}"), s.definition.name);
    save_standard(&page, &form, at, move |tx, a, input| {
        ops::update_standard(tx, a, id, || Ok(input))
    })
    .await
}
