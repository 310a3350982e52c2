//! The participant's appointments page: what they have to keep (with their supervising officer,
//! for a medication dose, with their peer), a form to make one, and one to write what became of
//! each. Each is reminded by message the day before and on the day when the participant opted
//! in. Each handler calls one operation.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

use crate::journey::ops::{self, AppointmentBook};
use crate::journey::rules::{AppointmentKind, AppointmentOutcome};
use crate::journey::store::{Appointment, AppointmentInput, AppointmentOutcomeInput};
use crate::platform::error::{AppResult, FieldError};
use crate::platform::web::error::{PageError, saved_or_again};
use crate::platform::web::extract::{CsrfForm, FormFields, Page, PageId, PageIdPair, QueryFields};
use crate::platform::web::layout::Chrome;

#[derive(Template, WebTemplate)]
#[template(path = "journey/appointments.html")]
pub(super) struct AppointmentsPage {
    chrome: Chrome,
    b: AppointmentBook,
    errors: Vec<FieldError>,
    posted: HashMap<String, String>,
    /// The appointment whose outcome form was refused, to show its errors beside it.
    refused: Option<i64>,
    saved: Option<&'static str>,
}

impl AppointmentsPage {
    /// An error of the form to make an appointment.
    fn error_for(&self, field: &str) -> Option<String> {
        if self.refused.is_some() {
            return None;
        }
        FieldError::for_field(&self.errors, field, &self.chrome.tr)
    }
    /// An error of the outcome form of appointment `a`.
    fn outcome_error(&self, a: &Appointment) -> Option<String> {
        if self.refused != Some(a.id) {
            return None;
        }
        let tr = &self.chrome.tr;
        FieldError::for_field(&self.errors, "outcome", tr)
            .or_else(|| FieldError::for_field(&self.errors, "note", tr))
    }
    fn value(&self, field: &str) -> &str {
        self.posted.get(field).map_or("", String::as_str)
    }
    fn kind(&self, a: &Appointment) -> &'static str {
        a.kind().map_or("", |k| k.label_in(self.chrome.tr.lang))
    }
    fn outcome(&self, a: &Appointment) -> &'static str {
        a.outcome().map_or("", |o| o.label_in(self.chrome.tr.lang))
    }
    fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        let lang = self.chrome.tr.lang;
        AppointmentKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_in(lang)))
            .collect()
    }
    /// The outcomes an open appointment can take now: kept or missed from its day, cancelled
    /// at any time.
    fn outcomes_for(&self, a: &Appointment) -> Vec<(&'static str, &'static str)> {
        let lang = self.chrome.tr.lang;
        AppointmentOutcome::ALL
            .iter()
            .filter(|o| **o == AppointmentOutcome::Cancelled || a.scheduled_on <= self.b.today)
            .map(|o| (o.as_str(), o.label_in(lang)))
            .collect()
    }
    fn day(&self, a: &Appointment) -> String {
        self.chrome.tr.date(&a.scheduled_on)
    }
    fn is_today(&self, a: &Appointment) -> bool {
        a.scheduled_on == self.b.today
    }
    fn open(&self) -> Vec<&Appointment> {
        self.b
            .appointments
            .iter()
            .filter(|a| a.outcome.is_none())
            .collect()
    }
    fn past(&self) -> Vec<&Appointment> {
        self.b
            .appointments
            .iter()
            .filter(|a| a.outcome.is_some())
            .collect()
    }
}

async fn render(
    page: &Page,
    id: i64,
    errors: Vec<FieldError>,
    posted: Option<&FormFields>,
    refused: Option<i64>,
    saved: Option<&'static str>,
) -> Result<AppointmentsPage, PageError> {
    let b = page
        .read(move |tx, a| ops::appointment_book(tx, a, id))
        .await?;
    let mut chrome = page.chrome("", "/participants");
    chrome.title = chrome.tr.t1("appointments-title", "name", &b.name);
    Ok(AppointmentsPage {
        chrome,
        b,
        errors,
        posted: posted.map(FormFields::map).unwrap_or_default(),
        refused,
        saved,
    })
}

pub(super) async fn appointments_page(
    page: Page,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let saved = q.one_of("saved", &["appointment", "outcome"]);
    Ok(render(&page, id, vec![], None, None, saved)
        .await?
        .into_response())
}

async fn after_write<T>(
    page: &Page,
    id: i64,
    form: &FormFields,
    refused: Option<i64>,
    saved: &'static str,
    result: AppResult<T>,
) -> Result<Response, PageError> {
    let to = format!("/participants/{id}/appointments?saved={saved}#saved");
    saved_or_again(result, &to, |errors| {
        render(page, id, errors, Some(form), refused, None)
    })
    .await
}

pub(super) async fn add_appointment(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = AppointmentInput {
        kind: form.get("kind").into(),
        scheduled_on: form.get("scheduled_on").into(),
        starts_at: form.get("starts_at").into(),
        place: form.get("place").into(),
        note: form.get("note").into(),
    };
    let result = page
        .write(move |tx, a| ops::add_appointment(tx, a, id, || Ok(input)))
        .await;
    after_write(&page, id, &form, None, "appointment", result).await
}

pub(super) async fn appointment_outcome(
    page: Page,
    PageIdPair(id, appointment_id): PageIdPair,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = AppointmentOutcomeInput {
        outcome: form.get("outcome").into(),
        note: form.get("outcome_note").into(),
    };
    let result = page
        .write(move |tx, a| {
            ops::record_appointment_outcome(tx, a, id, appointment_id, || Ok(input))
        })
        .await;
    after_write(&page, id, &form, Some(appointment_id), "outcome", result).await
}
