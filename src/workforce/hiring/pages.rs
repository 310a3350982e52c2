//! Hiring pages: the pipeline (openings, applicants, the forms to add them; admins), one
//! applicant with their steps and the forms that move them on, and the pipeline report with
//! its charts (admins and supervisors). Each handler reads the request, calls one operation and
//! renders.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::ops::{
    self, AdvanceInput, Applicant, ApplicantInput, HiringReport, LeaveInput, OpeningInput,
};
use super::rules::{DropReason, Outcome, Step};
use super::store::Opening;
use crate::platform::error::{AppError, FieldError};
use crate::platform::fields;
use crate::platform::i18n::Tr;
use crate::platform::web::PageRoute;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, FormFields, Page, PageId, QueryFields};
use crate::platform::web::layout::Chrome;
use crate::reports::charts;
use crate::workforce::codes::JobKind;

/// The navigation entry the hiring pages belong to.
const WORKFORCE: &str = "/workforce";

pub fn routes() -> Vec<PageRoute> {
    let r = PageRoute::general;
    vec![
        r("/workforce/hiring", &["GET"], get(index)),
        r("/workforce/hiring/openings", &["POST"], post(add_opening)),
        r(
            "/workforce/hiring/applicants",
            &["POST"],
            post(add_applicant),
        ),
        r(
            "/workforce/hiring/applicants/{id}",
            &["GET"],
            get(applicant),
        ),
        r(
            "/workforce/hiring/applicants/{id}/advance",
            &["POST"],
            post(advance),
        ),
        r(
            "/workforce/hiring/applicants/{id}/leave",
            &["POST"],
            post(leave),
        ),
        r("/workforce/hiring/report", &["GET"], get(report)),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "workforce/hiring/index.html")]
struct IndexPage {
    chrome: Chrome,
    openings: Vec<Opening>,
    applicants: Vec<Applicant>,
    jobs: &'static [JobKind],
    today: String,
    errors: Vec<FieldError>,
}

impl IndexPage {
    fn opening_title(&self, id: &i64) -> String {
        self.openings
            .iter()
            .find(|o| o.id == *id)
            .map(|o| o.title.clone())
            .unwrap_or_default()
    }
}

async fn render_index(s: &Page, errors: Vec<FieldError>) -> Result<IndexPage, PageError> {
    let (openings, applicants) = s
        .read(|tx, a| Ok((ops::openings(tx, a)?, ops::applicants(tx, a)?)))
        .await?;
    let mut chrome = s.chrome("", WORKFORCE);
    chrome.title = chrome.tr.t("hire-title");
    Ok(IndexPage {
        chrome,
        openings,
        applicants,
        jobs: JobKind::ALL,
        today: s.actor.zone.today().to_string(),
        errors,
    })
}

async fn index(s: Page) -> Result<impl IntoResponse, PageError> {
    render_index(&s, vec![]).await
}

/// Where a form goes once done; its errors show on the page again (`None`); anything else
/// is the error page.
fn after<T>(
    done: Result<T, AppError>,
    to: impl FnOnce(T) -> String,
) -> Result<Result<Response, Vec<FieldError>>, PageError> {
    match done {
        Ok(v) => Ok(Ok(Redirect::to(&to(v)).into_response())),
        Err(AppError::Invalid(errs)) => Ok(Err(errs)),
        Err(e) => Err(e.into()),
    }
}

async fn add_opening(s: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    let input = OpeningInput {
        kind: form.get("kind").into(),
        title: form.get("title").into(),
        lived_experience_criteria: form.get("lived_experience_criteria").into(),
        other_criteria: form.get("other_criteria").into(),
        opened_on: form.get("opened_on").into(),
    };
    let done = s
        .write(move |tx, a| ops::add_opening(tx, a, || Ok(input)))
        .await;
    match after(done, |_| "/workforce/hiring".into())? {
        Ok(r) => Ok(r),
        Err(errs) => Ok(render_index(&s, errs).await?.into_response()),
    }
}

async fn add_applicant(s: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    let opening = fields::opt_id("opening_id", form.get("opening_id"))
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let input = ApplicantInput {
        opening_id: opening.unwrap_or(0),
        name: form.get("name").into(),
        contact: form.get("contact").into(),
        lived_experience: form.get("lived_experience").into(),
        applied_on: form.get("applied_on").into(),
    };
    let done = s
        .write(move |tx, a| ops::add_applicant(tx, a, || Ok(input)))
        .await;
    match after(done, |a| format!("/workforce/hiring/applicants/{}", a.id))? {
        Ok(r) => Ok(r),
        Err(errs) => Ok(render_index(&s, errs).await?.into_response()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "workforce/hiring/applicant.html")]
struct ApplicantPage {
    chrome: Chrome,
    a: Applicant,
    next: &'static [Step],
    in_step: bool,
    outcomes: [Outcome; 2],
    reasons: &'static [DropReason],
    today: String,
    errors: Vec<FieldError>,
}

async fn render_applicant(
    s: &Page,
    id: i64,
    errors: Vec<FieldError>,
) -> Result<ApplicantPage, PageError> {
    let a = s.read(move |tx, a| ops::applicant(tx, a, id)).await?;
    let mut chrome = s.chrome("", WORKFORCE);
    chrome.title = a.name.clone();
    let in_step = a.status == "in_step";
    Ok(ApplicantPage {
        chrome,
        next: match (in_step, a.step) {
            (true, Some(st)) => st.next(),
            _ => &[],
        },
        in_step,
        a,
        outcomes: [Outcome::Withdrew, Outcome::NotSelected],
        reasons: DropReason::ALL,
        today: s.actor.zone.today().to_string(),
        errors,
    })
}

async fn applicant(s: Page, PageId(id): PageId) -> Result<impl IntoResponse, PageError> {
    render_applicant(&s, id, vec![]).await
}

fn opt_id(form: &FormFields, name: &str) -> Result<Option<i64>, PageError> {
    Ok(fields::opt_id(name, form.get(name)).map_err(|e| AppError::Invalid(vec![e]))?)
}

async fn advance(
    s: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = AdvanceInput {
        to: form.get("to").into(),
        on: form.get("on").into(),
        note: form.get("note").into(),
        exemption_id: opt_id(&form, "exemption_id")?,
        clearance_id: opt_id(&form, "clearance_id")?,
        user_id: opt_id(&form, "user_id")?,
        standard_id: opt_id(&form, "standard_id")?,
    };
    let done = s
        .write(move |tx, a| ops::advance(tx, a, id, || Ok(input)))
        .await;
    match after(done, |_| format!("/workforce/hiring/applicants/{id}"))? {
        Ok(r) => Ok(r),
        Err(errs) => Ok(render_applicant(&s, id, errs).await?.into_response()),
    }
}

async fn leave(
    s: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = LeaveInput {
        outcome: form.get("outcome").into(),
        reason: form.get("reason").into(),
        on: form.get("on").into(),
        note: form.get("note").into(),
        exemption_id: opt_id(&form, "exemption_id")?,
        clearance_id: opt_id(&form, "clearance_id")?,
    };
    let done = s
        .write(move |tx, a| ops::leave(tx, a, id, || Ok(input)))
        .await;
    match after(done, |_| format!("/workforce/hiring/applicants/{id}"))? {
        Ok(r) => Ok(r),
        Err(errs) => Ok(render_applicant(&s, id, errs).await?.into_response()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "workforce/hiring/report.html")]
struct ReportPage {
    chrome: Chrome,
    r: HiringReport,
    funnel: String,
    reasons_chart: String,
}

/// A figure that may be missing, as the page shows it.
fn or_dash(v: &Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{x}"))
}

impl ReportPage {
    fn num(&self, v: &Option<f64>) -> String {
        or_dash(v)
    }
    fn percent(&self, v: &Option<f64>) -> String {
        v.map_or_else(|| "–".into(), |x| format!("{:.1}%", x * 100.0))
    }
}

/// The funnel (how many entered each step, hired last) and the drop-outs by reason, as bars.
fn report_charts(r: &HiringReport, tr: Tr) -> (String, String) {
    let mut funnel: Vec<(String, f64)> = r
        .figures
        .steps
        .iter()
        .map(|s| (tr.code("hire-step", s.step.as_str()), s.entered as f64))
        .collect();
    funnel.push((
        tr.code("hire-step", Step::Hired.as_str()),
        r.figures.hired as f64,
    ));
    let reasons: Vec<(String, f64)> = r
        .figures
        .dropped_by_reason
        .iter()
        .map(|c| (tr.code("hire-reason", c.reason.as_str()), c.count as f64))
        .collect();
    (
        charts::bar_chart(&tr.t("hire-chart-funnel"), &funnel, None),
        charts::bar_chart(&tr.t("hire-chart-reasons"), &reasons, None),
    )
}

async fn report(s: Page, QueryFields(q): QueryFields) -> Result<impl IntoResponse, PageError> {
    let opening =
        fields::opt_id("opening", q.get("opening")).map_err(|e| AppError::Invalid(vec![e]))?;
    let r = s.read(move |tx, a| ops::report(tx, a, opening)).await?;
    let mut chrome = s.chrome("", WORKFORCE);
    chrome.title = chrome.tr.t("hire-report-title");
    let (funnel, reasons_chart) = report_charts(&r, chrome.tr);
    Ok(ReportPage {
        chrome,
        r,
        funnel,
        reasons_chart,
    })
}

#[cfg(test)]
mod tests {
    use super::super::rules::{DropReason, Outcome, Step};
    use crate::platform::i18n::sources;

    /// The hiring pages show coded values by their message: every code has one in every
    /// language, and the English one is the vocabulary's own label.
    #[test]
    fn every_code_the_hiring_pages_show_has_its_message() {
        let mut codes = Vec::new();
        codes.extend(sources::codes_of::<Step>("hire-step"));
        codes.extend(sources::codes_of::<Outcome>("hire-outcome"));
        codes.extend(sources::codes_of::<DropReason>("hire-reason"));
        sources::assert_labelled(&codes);
    }
}
