//! The one error type of the application. Stores and rules return it; the web layer turns it
//! into a problem document (API) or an error page (HTML). Internal errors are logged with their
//! cause and shown to users only as "something went wrong" with a reference.

use std::fmt;

/// A problem with one named input field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field, as named in the form or JSON body (`answers[3]`, `date_of_birth`).
    pub field: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Every problem in one line, each naming its field: "field: message; …".
    pub fn list(errors: &[FieldError]) -> String {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A refused attempt on a participant's record, to be audited.
#[derive(Debug)]
pub struct Denial {
    pub who: crate::platform::audit::Who,
    pub participant_id: i64,
    pub action: String,
}

#[derive(Debug)]
pub enum AppError {
    /// The record does not exist *or the caller may not know that it does*.
    NotFound,
    /// The access policy refused: answers exactly like `NotFound`, and `Db::write` records the
    /// attempt in the audit chain after rolling back whatever the request had begun.
    Denied(Box<Denial>),
    /// No valid session or token.
    Unauthenticated,
    /// Signed in, but the role may not do this (never used for other organisations' records).
    Forbidden,
    /// Input failed to parse; each problem names its field.
    Invalid(Vec<FieldError>),
    /// The body as a whole was unusable (malformed JSON, wrong content type).
    BadRequest { field: String, message: String },
    /// The body was larger than allowed.
    TooLarge { limit: usize },
    /// Allowed for the role, but a step must come first: confirm the password again, or set up
    /// two-step sign-in. The message says which.
    StepRequired(String),
    /// Conflicts with stored state (duplicate e-mail, revoked consent...).
    Conflict(String),
    /// Too many attempts; try again later.
    Throttled(String),
    /// Anything else: logged, never shown.
    Internal(anyhow::Error),
}

impl AppError {
    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(e.into())
    }
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }
}

/// For a write that may break a unique key: the conflict as a refused `field` ("an account with
/// this e-mail exists"), any other error as it is.
pub fn taken(
    field: &'static str,
    message: &'static str,
) -> impl FnOnce(diesel::result::Error) -> AppError {
    move |e| match AppError::from(e) {
        AppError::Conflict(_) => AppError::invalid(field, message),
        other => other,
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::NotFound | AppError::Denied(_) => write!(f, "not found"),
            AppError::Unauthenticated => write!(f, "sign-in required"),
            AppError::Forbidden => write!(f, "not allowed for your role"),
            AppError::Invalid(errs) => write!(f, "{}", FieldError::list(errs)),
            AppError::BadRequest { field, message } => write!(f, "{field}: {message}"),
            AppError::TooLarge { limit } => write!(f, "body: larger than {limit} bytes"),
            AppError::StepRequired(m) => write!(f, "{m}"),
            AppError::Conflict(m) => write!(f, "{m}"),
            AppError::Throttled(m) => write!(f, "{m}"),
            AppError::Internal(e) => write!(f, "internal error: {e:#}"),
        }
    }
}

impl std::error::Error for AppError {}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                info,
            ) => AppError::Conflict(format!(
                "already exists ({})",
                info.constraint_name().unwrap_or("unique")
            )),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        AppError::Internal(e.into())
    }
}

pub type AppResult<T> = Result<T, AppError>;
