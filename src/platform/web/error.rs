//! How errors look on the wire: RFC 9457 problem documents for the API, a plain page for HTML.
//! Internal errors are logged with a reference and never shown (no stack traces, no SQL).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::i18n::{Language, Tr};

tokio::task_local! {
    /// The language of the request being answered: the browser's (`Accept-Language`), or the
    /// signed-in user's once they are known. Error pages are written in it.
    static PAGE_LANGUAGE: std::cell::Cell<Language>;
}

/// Runs `answer` (a request's handling) with `lang` as the language of its error pages.
pub async fn in_language<F: std::future::Future>(lang: Language, answer: F) -> F::Output {
    PAGE_LANGUAGE
        .scope(std::cell::Cell::new(lang), answer)
        .await
}

/// The signed-in user's interface language, known after the request began: its error pages
/// follow it from here on.
pub fn now_in_language(lang: Language) {
    let _ = PAGE_LANGUAGE.try_with(|l| l.set(lang));
}

/// The language of the request being answered (English outside a request).
pub fn request_language() -> Language {
    page_language()
}

fn page_language() -> Language {
    PAGE_LANGUAGE
        .try_with(std::cell::Cell::get)
        .unwrap_or_default()
}

/// The title of an error page and, where it is not the error's own words (a field's problem,
/// a conflict), its detail, in `tr`'s language.
fn page_words(e: &AppError, p: &Problem, tr: Tr) -> (String, String) {
    let (title, detail) = match e {
        AppError::NotFound | AppError::Denied(_) => {
            ("error-not-found", Some("error-not-found-detail"))
        }
        AppError::Unauthenticated => ("error-sign-in-needed", None),
        AppError::Forbidden => ("error-forbidden", Some("error-forbidden-detail")),
        AppError::Invalid(_) => ("error-invalid", Some("error-invalid-detail")),
        AppError::BadRequest { .. } => ("error-bad-request", None),
        AppError::TooLarge { limit } => {
            return (
                tr.t("error-too-large"),
                tr.t1("error-too-large-detail", "limit", limit),
            );
        }
        AppError::StepRequired(m) => return (tr.t("error-step-required"), m.shown(&tr)),
        AppError::Conflict(m) => return (tr.t("error-conflict"), m.shown(&tr)),
        AppError::Throttled(m) => return (tr.t("error-throttled"), m.shown(&tr)),
        AppError::Internal(_) => {
            let reference = p
                .detail
                .split("reference ")
                .nth(1)
                .map(|r| r.trim_end_matches(").").to_string())
                .unwrap_or_default();
            return (
                tr.t("error-internal"),
                tr.t1("error-internal-detail", "reference", reference),
            );
        }
    };
    (
        tr.t(title),
        detail.map_or_else(|| p.detail.clone(), |d| tr.t(d)),
    )
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// One entry per bad field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::NotFound | AppError::Denied(_) => StatusCode::NOT_FOUND,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::StepRequired(_) => StatusCode::FORBIDDEN,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
        AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Log an internal error and return the reference shown to the user.
fn log_internal(e: &AppError) -> Option<String> {
    if let AppError::Internal(cause) = e {
        let reference = format!("{:08x}", rand::random::<u32>());
        tracing::error!(reference = %reference, error = %format!("{cause:#}"), "internal error");
        Some(reference)
    } else {
        None
    }
}

pub fn problem(e: &AppError) -> Problem {
    let status = status_of(e);
    let reference = log_internal(e);
    let (title, detail, errors) = match e {
        AppError::NotFound | AppError::Denied(_) => {
            ("Not found", "No such record.".to_string(), vec![])
        }
        AppError::Unauthenticated => (
            "Sign-in required",
            "Send a valid session cookie or an Authorization: Bearer token.".into(),
            vec![],
        ),
        AppError::Forbidden => ("Not allowed", "Your role may not do this.".into(), vec![]),
        AppError::Invalid(errs) => ("Invalid input", e.to_string(), errs.clone()),
        AppError::BadRequest { field, message } => (
            "Bad request",
            e.to_string(),
            vec![FieldError::new(field.clone(), message.clone())],
        ),
        AppError::TooLarge { .. } => (
            "Body too large",
            e.to_string(),
            vec![FieldError::new("body", e.to_string())],
        ),
        AppError::StepRequired(m) => ("A step is needed first", m.english(), vec![]),
        AppError::Conflict(m) => ("Conflict", m.english(), vec![]),
        AppError::Throttled(m) => ("Too many attempts", m.english(), vec![]),
        AppError::Internal(_) => (
            "Something went wrong",
            format!(
                "The server could not complete the request (reference {}).",
                reference.unwrap_or_default()
            ),
            vec![],
        ),
    };
    Problem {
        kind: "about:blank".into(),
        title: title.into(),
        status: status.as_u16(),
        detail,
        errors,
    }
}

/// Error type of JSON API handlers.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, p) = (status_of(&self.0), problem(&self.0));
        let body = serde_json::to_string(&p).unwrap_or_else(|_| "{}".into());
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

/// Error type of HTML page handlers.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.0, AppError::Unauthenticated) {
            return Redirect::to("/sign-in").into_response();
        }
        let (status, p) = (status_of(&self.0), problem(&self.0));
        let tr = Tr::new(page_language());
        let (title, detail) = page_words(&self.0, &p, tr);
        // A body too large is said in the detail; its one "error" repeats it in English.
        let errors = if matches!(self.0, AppError::TooLarge { .. }) {
            &[][..]
        } else {
            &p.errors[..]
        };
        let items: String = errors
            .iter()
            .map(|e| {
                format!(
                    "<li><strong>{}</strong>: {}</li>",
                    html_escape(&e.label(&tr)),
                    html_escape(&e.shown(&tr))
                )
            })
            .collect();
        let body = format!(
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} · Throughcare</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>\
             <body><main id=\"main\" class=\"error-page\"><h1>{title}</h1><p>{detail}</p><ul>{items}</ul>\
             <p><a href=\"/\">{back}</a></p></main></body></html>",
            lang = tr.lang,
            title = html_escape(&title),
            detail = html_escape(&detail),
            back = html_escape(&tr.t("error-back")),
        );
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response()
    }
}

/// A form's operation, answered: done (`Ok(Ok(value))`), or its input refused, each problem
/// naming its field (`Ok(Err(errors))`), to show on the form again with [`form_again`]. Any
/// other error is the error page.
pub fn refused_input<T>(result: AppResult<T>) -> Result<Result<T, Vec<FieldError>>, PageError> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(AppError::Invalid(errors)) => Ok(Err(errors)),
        Err(e) => Err(e.into()),
    }
}

/// A form shown again because its input was refused: 422 Unprocessable Content.
pub fn form_again(page: impl IntoResponse) -> Result<Response, PageError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// After a form's write: on to `to` (which says what was saved), or, when the input was
/// refused, the page `again` renders with each problem beside its field (422). Any other error
/// is the error page.
pub async fn saved_or_again<T, P, F>(
    result: AppResult<T>,
    to: &str,
    again: impl FnOnce(Vec<FieldError>) -> F,
) -> Result<Response, PageError>
where
    P: IntoResponse,
    F: std::future::Future<Output = Result<P, PageError>>,
{
    match refused_input(result)? {
        Ok(_) => Ok(axum::response::Redirect::to(to).into_response()),
        Err(errors) => form_again(again(errors).await?),
    }
}

pub use crate::platform::i18n::escape as html_escape;

#[cfg(test)]
mod tests {
    use super::*;

    async fn page_in(lang: Language, e: AppError) -> String {
        let body = in_language(lang, async {
            axum::body::to_bytes(PageError(e).into_response().into_body(), usize::MAX).await
        })
        .await
        .expect("the page's body");
        String::from_utf8_lossy(&body).into_owned()
    }

    #[tokio::test]
    async fn a_conflict_page_says_it_in_the_reader_s_language() {
        let conflict = || AppError::conflict("error-disable-own-account", &[]);
        let es = page_in(Language::Es, conflict()).await;
        assert!(es.contains("<h1>Conflicto</h1>"), "{es}");
        assert!(
            es.contains("no puede desactivar su propia cuenta; pídaselo a otro administrador"),
            "{es}"
        );
        assert!(!es.contains("you cannot disable"), "{es}");
        let en = page_in(Language::En, conflict()).await;
        assert!(
            en.contains("you cannot disable your own account; ask another administrator"),
            "{en}"
        );
        // The API's problem document stays English.
        assert_eq!(
            problem(&conflict()).detail,
            "you cannot disable your own account; ask another administrator"
        );
    }

    #[tokio::test]
    async fn an_invalid_input_page_names_each_field_by_its_label() {
        let e = AppError::keyed("email", "error-email-taken", &[]);
        let es = page_in(Language::Es, e).await;
        assert!(
            es.contains(
                "<strong>Correo electrónico</strong>: ya existe una cuenta con este correo electrónico"
            ),
            "{es}"
        );
        assert!(!es.contains("<strong>email</strong>"), "{es}");
        assert!(!es.contains("an account with this e-mail exists"), "{es}");
    }
}
