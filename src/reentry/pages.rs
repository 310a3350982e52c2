//! Reentry pages: the participant's reentry page (where they stand: screening due or overdue,
//! the pre-release window, the warm handoff; the screenings, handoffs and MOUD records, with a
//! form for each), the reentry care plan printed for the participant in their language (the
//! minimum elements of CMS SMD #23-003), and the admin's reentry settings (the programme's
//! template and window, its rules in words, the earlier choices). Each handler calls one
//! operation of `ops.rs`.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{NaiveDate, NaiveDateTime};

use super::ops::{self, CarePlan, ProgrammeInput, ReentryRecord};
use super::rules::{
    Conditions, Deliverer, HandoffMethod, HealthCondition, MedicaidStatus, MoudStatus,
    ProgrammeRules, Template as ProgrammeTemplate, YOUTH_WINDOW_DAYS,
};
use super::store::{HandoffInput, MoudInput, Programme, ScreeningInput};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::i18n::{Language, Tr};
use crate::platform::time;
use crate::platform::web::PageRoute;
use crate::platform::web::error::{PageError, saved_or_again};
use crate::platform::web::extract::{CsrfForm, FormFields, Page, PageId, QueryFields};
use crate::platform::web::layout::Chrome;

pub fn routes() -> Vec<PageRoute> {
    let p = PageRoute::participant;
    vec![
        p("/participants/{id}/reentry", &["GET"], get(reentry_page)),
        p(
            "/participants/{id}/reentry/screenings",
            &["POST"],
            axum::routing::post(post_screening),
        ),
        p(
            "/participants/{id}/reentry/handoffs",
            &["POST"],
            axum::routing::post(post_handoff),
        ),
        p(
            "/participants/{id}/reentry/moud",
            &["POST"],
            axum::routing::post(post_moud),
        ),
        p(
            "/participants/{id}/reentry/plan/print",
            &["GET"],
            get(plan_print),
        ),
        PageRoute::general(
            "/admin/reentry",
            &["GET", "POST"],
            get(settings_page).post(post_settings),
        ),
    ]
}

/// `(code, label)` of each value of a vocabulary, its label the message `{prefix}-{code}`.
type Codes = Vec<(&'static str, String)>;

fn codes(tr: Tr, prefix: &str, all: impl IntoIterator<Item = &'static str>) -> Codes {
    all.into_iter().map(|c| (c, tr.code(prefix, c))).collect()
}

/// The messages' prefixes of the coded values shown in code (each has a test that every code
/// has one; the templates name `reentry-result`, `reentry-criterion`, `reentry-screening-status`
/// and `reentry-handoff-status` themselves).
const TEMPLATE: &str = "reentry-template";
const MEDICAID: &str = "reentry-medicaid";
const CONDITION: &str = "reentry-condition";
const METHOD: &str = "reentry-method";
const MOUD: &str = "reentry-moud";
const SERVICE: &str = "reentry-service";
const DELIVERER: &str = "reentry-deliverer";

/// Space-separated codes in words, comma-separated.
fn words(tr: Tr, prefix: &str, codes: &str) -> String {
    codes
        .split_whitespace()
        .map(|c| tr.code(prefix, c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The window as the page says it: opens on a day, or open with days left to the expected
/// release.
pub enum WindowView {
    Opens(NaiveDate),
    Open { since: NaiveDate, days_left: i64 },
}

#[derive(Template, WebTemplate)]
#[template(path = "reentry/participant.html")]
struct ReentryPage {
    chrome: Chrome,
    r: ReentryRecord,
    name: String,
    window: Option<WindowView>,
    errors: Vec<FieldError>,
    /// What the refused form sent, to show it again.
    posted: HashMap<String, String>,
    posted_conditions: Vec<String>,
    /// The form just saved (`screening`, `handoff`, `moud`).
    saved: Option<&'static str>,
    today: NaiveDate,
    medicaid: Codes,
    conditions: Codes,
    methods: Codes,
    moud_statuses: Codes,
}

impl ReentryPage {
    fn error_for(&self, field: &str) -> Option<String> {
        FieldError::for_field(&self.errors, field, &self.chrome.tr)
    }
    /// The first error among fields starting with `prefix` (`conditions[2]`).
    fn error_among(&self, prefix: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field.starts_with(prefix))
            .map(|e| e.shown(&self.chrome.tr))
    }
    fn value(&self, field: &str) -> &str {
        self.posted.get(field).map_or("", String::as_str)
    }
    fn chosen(&self, field: &str, code: &str) -> bool {
        self.value(field) == code
    }
    fn checked(&self, code: &str) -> bool {
        self.posted_conditions.iter().any(|c| c == code)
    }
    fn at(&self, t: &NaiveDateTime) -> String {
        self.r.zone.show_in(*t, self.chrome.tr)
    }
    fn at_opt(&self, t: &Option<NaiveDateTime>) -> String {
        t.map(|t| self.at(&t)).unwrap_or_default()
    }
    fn staff_name(&self, id: &Option<i64>) -> String {
        id.and_then(|i| self.r.staff.iter().find(|(s, _)| *s == i))
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }
    fn words(&self, prefix: &str, codes: &str) -> String {
        words(self.chrome.tr, prefix, codes)
    }
    fn code(&self, prefix: &str, code: &str) -> String {
        self.chrome.tr.code(prefix, code)
    }
    fn code_opt(&self, prefix: &str, code: &Option<String>) -> String {
        code.as_deref()
            .map(|c| self.chrome.tr.code(prefix, c))
            .unwrap_or_default()
    }
    fn date_opt(&self, d: &Option<NaiveDate>) -> String {
        d.map(|d| self.chrome.tr.date(&d)).unwrap_or_default()
    }
    /// A status's badge class: done and held are fine, due is a warning, overdue is bad.
    fn badge(&self, status: &str) -> &'static str {
        match status {
            "done" | "held" => "ok",
            "due" | "held_late" => "warn",
            _ => "bad",
        }
    }
}

fn window_of(r: &ReentryRecord, today: NaiveDate) -> Option<WindowView> {
    let s = &r.status;
    if !s.in_custody {
        return None;
    }
    let opens = s.window_opens_on?;
    Some(if s.in_window {
        WindowView::Open {
            since: opens,
            days_left: s
                .expected_release_on
                .map_or(0, |d| (d - today).num_days().max(0)),
        }
    } else {
        WindowView::Opens(opens)
    })
}

async fn render(
    page: &Page,
    id: i64,
    errors: Vec<FieldError>,
    posted: Option<&FormFields>,
    saved: Option<&'static str>,
) -> Result<ReentryPage, PageError> {
    let r = page
        .read(move |tx, a| ops::reentry_record(tx, a, id))
        .await?;
    let mut chrome = page.chrome("", "/participants");
    let tr = chrome.tr;
    let name = r.record.participant.display_name();
    chrome.title = tr.t1("reentry-page-title", "name", &name);
    let today = r.zone.today();
    Ok(ReentryPage {
        window: window_of(&r, today),
        name,
        errors,
        posted: posted.map(FormFields::map).unwrap_or_default(),
        posted_conditions: posted
            .map(|f| {
                f.all("conditions")
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        saved,
        today,
        medicaid: codes(tr, MEDICAID, MedicaidStatus::ALL.iter().map(|c| c.as_str())),
        conditions: codes(
            tr,
            CONDITION,
            HealthCondition::ALL.iter().map(|c| c.as_str()),
        ),
        methods: codes(tr, METHOD, HandoffMethod::ALL.iter().map(|c| c.as_str())),
        moud_statuses: codes(tr, MOUD, MoudStatus::ALL.iter().map(|c| c.as_str())),
        chrome,
        r,
    })
}

async fn reentry_page(
    page: Page,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let saved = q.one_of("saved", &["screening", "handoff", "moud"]);
    Ok(render(&page, id, vec![], None, saved)
        .await?
        .into_response())
}

/// Back to the reentry page saying what was saved, or the page again with what was wrong
/// beside its field.
async fn after_write<T>(
    page: &Page,
    id: i64,
    form: &FormFields,
    saved: &'static str,
    result: AppResult<T>,
) -> Result<Response, PageError> {
    let to = format!("/participants/{id}/reentry?saved={saved}#saved");
    saved_or_again(result, &to, |errors| {
        render(page, id, errors, Some(form), None)
    })
    .await
}

async fn post_screening(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = ScreeningInput {
        medicaid_status: form.get("medicaid_status").into(),
        medicaid_applied_on: form.opt("medicaid_applied_on"),
        conditions: form
            .all("conditions")
            .into_iter()
            .map(str::to_string)
            .collect(),
        former_foster_youth: form.get("former_foster_youth") == "1",
    };
    let result = page
        .write(move |tx, a| ops::record_screening(tx, a, id, || Ok(input)))
        .await;
    after_write(&page, id, &form, "screening", result).await
}

async fn post_handoff(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = HandoffInput {
        to_provider: form.get("to_provider").into(),
        to_organisation: form.get("to_organisation").into(),
        method: form.opt("method"),
        scheduled_at: form.opt("scheduled_at"),
        held_at: form.opt("held_at"),
    };
    let result = page
        .write(move |tx, a| ops::record_handoff(tx, a, id, || Ok(input)))
        .await;
    after_write(&page, id, &form, "handoff", result).await
}

async fn post_moud(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let kits = form.get("naloxone_at_release").trim().to_string();
    let naloxone = if kits.is_empty() {
        Ok(None)
    } else {
        kits.parse::<i64>().map(Some).map_err(|_| {
            AppError::Invalid(vec![crate::platform::fields::not_a_number(
                "naloxone_at_release",
                &kits,
            )])
        })
    };
    let input = MoudInput {
        status: form.get("status").into(),
        first_dose_on: form.opt("first_dose_on"),
        stopped_on: form.opt("stopped_on"),
        naloxone_at_release: None,
    };
    // The policy is asked before the input is parsed (ops), so a number that is not one is
    // refused there too.
    let result = page
        .write(move |tx, a| {
            ops::record_moud(tx, a, id, || {
                Ok(MoudInput {
                    naloxone_at_release: naloxone?,
                    ..input
                })
            })
        })
        .await;
    after_write(&page, id, &form, "moud", result).await
}

#[derive(Template, WebTemplate)]
#[template(path = "reentry/plan_print.html")]
struct PlanPrint {
    chrome: Chrome,
    c: CarePlan,
    name: String,
    printed_on: NaiveDate,
    zone: time::Zone,
}

impl PlanPrint {
    fn words(&self, prefix: &str, codes: &str) -> String {
        words(self.chrome.tr, prefix, codes)
    }
    fn at(&self, t: &NaiveDateTime) -> String {
        self.zone.show_in(*t, self.chrome.tr)
    }
    /// The warm handoffs still to come or held: the appointments made.
    fn appointments(&self) -> Vec<&super::store::Handoff> {
        self.c.handoffs.iter().collect()
    }
}

/// The reentry care plan, printed for the participant in their language (`?lang=en|es` for
/// the other).
async fn plan_print(
    page: Page,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let c = page.read(move |tx, a| ops::care_plan(tx, a, id)).await?;
    let p = &c.record.participant;
    let tr = Tr::new(Language::asked_or(q.get("lang"), p.document_language()));
    let name = p.display_name();
    let zone = page.actor.zone;
    Ok(PlanPrint {
        chrome: page
            .chrome(
                tr.t1("reentry-plan-page-title", "name", &name),
                "/participants",
            )
            .in_language(tr.lang),
        printed_on: zone.today(),
        zone,
        name,
        c,
    }
    .into_response())
}

/// A covered service and who may deliver it, in words.
pub struct ServiceLine {
    pub service: String,
    pub by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reentry/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    current: Programme,
    history: Vec<Programme>,
    staff: Vec<(i64, String)>,
    templates: Codes,
    /// The current rules in words.
    conditions: Vec<String>,
    services: Vec<ServiceLine>,
    youth_window: u16,
    errors: Vec<FieldError>,
    posted: HashMap<String, String>,
    saved: bool,
    zone: time::Zone,
}

impl SettingsPage {
    fn error_for(&self, field: &str) -> Option<String> {
        FieldError::for_field(&self.errors, field, &self.chrome.tr)
    }
    fn chosen(&self, code: &str) -> bool {
        match self.posted.get("template") {
            Some(t) => t == code,
            None => self.current.template.as_str() == code,
        }
    }
    fn window_value(&self) -> String {
        self.posted
            .get("window_days")
            .cloned()
            .unwrap_or_else(|| self.current.window_days.to_string())
    }
    fn staff_name(&self, id: &Option<i64>) -> String {
        id.and_then(|i| self.staff.iter().find(|(s, _)| *s == i))
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }
    fn template_name(&self, t: &ProgrammeTemplate) -> String {
        self.chrome.tr.code(TEMPLATE, t.as_str())
    }
    fn at(&self, t: &Option<NaiveDateTime>) -> String {
        t.map(|t| self.zone.show_in(t, self.chrome.tr))
            .unwrap_or_default()
    }
}

async fn settings_render(
    page: &Page,
    errors: Vec<FieldError>,
    posted: Option<&FormFields>,
    saved: bool,
) -> Result<SettingsPage, PageError> {
    let s = page.read(ops::programme_settings).await?;
    let chrome = {
        let c = page.chrome("", "/admin");
        let title = c.tr.t("reentry-settings-title");
        Chrome { title, ..c }
    };
    let tr = chrome.tr;
    let rules = s.current.rules();
    let conditions = match rules.conditions {
        Conditions::NoneRequired => vec![],
        Conditions::OneOf(list) => list
            .iter()
            .map(|c| tr.code(CONDITION, c.as_str()))
            .collect(),
    };
    let services = service_lines(tr, &rules);
    Ok(SettingsPage {
        chrome,
        current: s.current,
        history: s.history,
        staff: s.staff,
        templates: codes(
            tr,
            TEMPLATE,
            ProgrammeTemplate::ALL.iter().map(|c| c.as_str()),
        ),
        conditions,
        services,
        youth_window: YOUTH_WINDOW_DAYS,
        errors,
        posted: posted.map(FormFields::map).unwrap_or_default(),
        saved,
        zone: page.actor.zone,
    })
}

fn service_lines(tr: Tr, rules: &ProgrammeRules) -> Vec<ServiceLine> {
    rules
        .services
        .iter()
        .map(|c| ServiceLine {
            service: tr.code(SERVICE, c.service.as_str()),
            by: c
                .by
                .iter()
                .map(|d: &Deliverer| tr.code(DELIVERER, d.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

async fn settings_page(page: Page, QueryFields(q): QueryFields) -> Result<Response, PageError> {
    let saved = q.get("saved") == "1";
    Ok(settings_render(&page, vec![], None, saved)
        .await?
        .into_response())
}

async fn post_settings(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    let days = form.get("window_days").trim().to_string();
    let window_days = if days.is_empty() {
        Ok(None)
    } else {
        days.parse::<i64>().map(Some).map_err(|_| {
            AppError::Invalid(vec![crate::platform::fields::not_a_number(
                "window_days",
                &days,
            )])
        })
    };
    let template = form.get("template").to_string();
    let result = page
        .write(move |tx, a| {
            ops::set_programme(tx, a, || {
                Ok(ProgrammeInput {
                    template,
                    window_days: window_days?,
                })
            })
        })
        .await;
    saved_or_again(result, "/admin/reentry?saved=1#saved", |errors| {
        settings_render(&page, errors, Some(&form), false)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::i18n::sources::{assert_labelled, codes_of};
    use crate::platform::web::untranslated::untranslated_in;
    use crate::reentry::rules::{Criterion, PreReleaseService, ScreeningResult, ScreeningStatus};

    const RESULT: &str = "reentry-result";
    const CRITERION: &str = "reentry-criterion";
    const SCREENING_STATUS: &str = "reentry-screening-status";
    const HANDOFF_STATUS: &str = "reentry-handoff-status";

    /// Every coded value the reentry pages show has its message in every language, the English
    /// one the vocabulary's own label (so the API and the pages agree).
    #[test]
    fn every_reentry_code_has_its_message() {
        let mut all = codes_of::<ProgrammeTemplate>(TEMPLATE);
        all.extend(codes_of::<MedicaidStatus>(MEDICAID));
        all.extend(codes_of::<ScreeningResult>(RESULT));
        all.extend(codes_of::<HealthCondition>(CONDITION));
        all.extend(codes_of::<Criterion>(CRITERION));
        all.extend(codes_of::<HandoffMethod>(METHOD));
        all.extend(codes_of::<MoudStatus>(MOUD));
        all.extend(codes_of::<PreReleaseService>(SERVICE));
        all.extend(codes_of::<Deliverer>(DELIVERER));
        all.extend(codes_of::<ScreeningStatus>(SCREENING_STATUS));
        assert_labelled(&all);
        let handoff: Vec<(String, &str)> = [
            ("held", "Held"),
            ("held_late", "Held late"),
            ("due", "Due"),
            ("overdue", "Overdue"),
        ]
        .iter()
        .map(|(c, l)| (crate::platform::i18n::code_key(HANDOFF_STATUS, c), *l))
        .collect();
        assert_labelled(&handoff);
    }

    /// The reentry pages leave no word untranslated (decision 0043).
    #[test]
    fn the_reentry_pages_leave_no_word_untranslated() {
        let found = untranslated_in(&[
            "reentry/participant.html",
            "reentry/plan_print.html",
            "reentry/settings.html",
        ]);
        assert!(found.is_empty(), "untranslated:\n{}", found.join("\n"));
    }
}
