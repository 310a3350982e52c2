//! The one error type of the application. Stores and rules return it; the web layer turns it
//! into a problem document (API) or an error page (HTML). Internal errors are logged with their
//! cause and shown to users only as "something went wrong" with a reference.

use std::fmt;

use crate::platform::i18n::{Language, Tr};

/// A problem with one named input field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field, as named in the form or JSON body (`answers[3]`, `date_of_birth`).
    pub field: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// The same words as a message of the interface's languages, for a page to show in its
    /// reader's language ([`FieldError::shown`]); the API answers in English (`message`).
    #[serde(skip)]
    #[schema(ignore)]
    pub said: Option<Said>,
}

/// Words for a user as a message of the interface's languages: its key (in
/// `locales/*/errors.ftl`) and its arguments. The API and the logs use its English
/// ([`Said::english`]); a page shows it in its reader's language ([`Said::shown`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Said {
    pub fn new(key: &'static str, args: &[(&'static str, String)]) -> Self {
        Said {
            key,
            args: args.to_vec(),
        }
    }

    /// The words in `lang`.
    pub fn in_language(&self, lang: Language) -> String {
        crate::platform::i18n::message_with(lang, self.key, &self.args)
    }

    /// The words in English (the API's problem documents, the logs).
    pub fn english(&self) -> String {
        self.in_language(Language::En)
    }

    /// The words in the language of `tr`.
    pub fn shown(&self, tr: &impl AsRef<Tr>) -> String {
        self.in_language(tr.as_ref().lang)
    }
}

/// English, as the API and the logs show it.
impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

impl FieldError {
    /// A field error in English only, whatever the reader's language (for words that are not
    /// the product's own: a JSON parser's, a file's); prefer [`FieldError::keyed`].
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
            said: None,
        }
    }

    /// A field error whose words are `said`.
    pub fn said(field: impl Into<String>, said: Said) -> Self {
        FieldError {
            field: field.into(),
            message: said.english(),
            said: Some(said),
        }
    }

    /// A field error whose words are the message `key` with `args`; `message` is its English.
    pub fn keyed(
        field: impl Into<String>,
        key: &'static str,
        args: &[(&'static str, String)],
    ) -> Self {
        FieldError::said(field, Said::new(key, args))
    }

    /// What is wrong, in the language of `tr`: the keyed message where there is one, else the
    /// English `message`.
    pub fn shown(&self, tr: &impl AsRef<Tr>) -> String {
        let tr = tr.as_ref();
        match &self.said {
            Some(s) if tr.lang != Language::En => s.in_language(tr.lang),
            _ => self.message.clone(),
        }
    }

    /// What is wrong with `field`, of the errors a form was refused with, in `tr`'s language:
    /// for the line under the field.
    pub fn for_field(errors: &[FieldError], field: &str, tr: &impl AsRef<Tr>) -> Option<String> {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.shown(tr))
    }

    /// The field as its form names it: the label `field-<name>` (brackets and `_` as `-`, an
    /// index dropped) in `tr`'s language where the messages have one, else the name as sent.
    pub fn label(&self, tr: &impl AsRef<Tr>) -> String {
        let tr = tr.as_ref();
        crate::platform::i18n::field_label(tr.lang, &self.field)
    }

    /// Every problem in one line, in `tr`'s language, each naming its field by its label:
    /// "Label: message; …" (a page's summary of a refused form).
    pub fn list_shown(errors: &[FieldError], tr: &impl AsRef<Tr>) -> String {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.label(tr), e.shown(tr)))
            .collect::<Vec<_>>()
            .join("; ")
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
    pub action: crate::platform::audit::Action,
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
    StepRequired(Said),
    /// Conflicts with stored state (duplicate e-mail, revoked consent...).
    Conflict(Said),
    /// Too many attempts; try again later.
    Throttled(Said),
    /// Anything else: logged, never shown.
    Internal(anyhow::Error),
}

impl AppError {
    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(e.into())
    }
    /// Input refused in English only; prefer [`AppError::keyed`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }
    /// Input refused: `field`, with the message `key` and its `args`.
    pub fn keyed(
        field: impl Into<String>,
        key: &'static str,
        args: &[(&'static str, String)],
    ) -> Self {
        AppError::Invalid(vec![FieldError::keyed(field, key, args)])
    }
    /// Input refused: `field`, with the words `said`.
    pub fn said(field: impl Into<String>, said: Said) -> Self {
        AppError::Invalid(vec![FieldError::said(field, said)])
    }
    /// A conflict with stored state, in the message `key` with its `args`.
    pub fn conflict(key: &'static str, args: &[(&'static str, String)]) -> Self {
        AppError::Conflict(Said::new(key, args))
    }
    /// A step that must come first, in the message `key` with its `args`.
    pub fn step_required(key: &'static str, args: &[(&'static str, String)]) -> Self {
        AppError::StepRequired(Said::new(key, args))
    }
    /// Too many attempts, in the message `key` with its `args`.
    pub fn throttled(key: &'static str, args: &[(&'static str, String)]) -> Self {
        AppError::Throttled(Said::new(key, args))
    }
}

/// For a write that may break a unique key: the conflict as a refused `field` ("an account with
/// this e-mail exists"), any other error as it is.
pub fn taken(
    field: &'static str,
    key: &'static str,
) -> impl FnOnce(diesel::result::Error) -> AppError {
    move |e| match AppError::from(e) {
        AppError::Conflict(_) => AppError::keyed(field, key, &[]),
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
            ) => AppError::conflict(
                "error-already-exists",
                &[(
                    "constraint",
                    info.constraint_name().unwrap_or("unique").to_string(),
                )],
            ),
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

#[cfg(test)]
mod field_error_tests {
    use super::*;
    use crate::platform::fields;

    #[test]
    fn a_keyed_field_error_is_english_for_the_api_and_the_reader_s_language_on_a_page() {
        let e = fields::date("date_of_birth", "31/02/1990").unwrap_err();
        assert_eq!(e.message, "\"31/02/1990\" is not a date (YYYY-MM-DD)");
        assert_eq!(e.shown(&Tr::new(Language::En)), e.message);
        assert_eq!(
            e.shown(&Tr::new(Language::Es)),
            "\"31/02/1990\" no es una fecha (AAAA-MM-DD)"
        );
        let long = fields::text("note", &"x".repeat(9), 5, false).unwrap_err();
        assert_eq!(long.message, "must be at most 5 characters");
        assert_eq!(
            long.shown(&Tr::new(Language::Es)),
            "debe tener como máximo 5 caracteres"
        );
        // Unkeyed errors stay as written, in any language.
        let plain = FieldError::new("kind", "there is no open episode");
        assert_eq!(plain.shown(&Tr::new(Language::Es)), plain.message);
    }

    #[test]
    fn a_conflict_is_english_for_the_api_and_the_reader_s_language_on_a_page() {
        let e = AppError::conflict(
            "error-last-administrator",
            &[("email", "ana@org.test".to_string())],
        );
        let AppError::Conflict(said) = &e else {
            panic!("a conflict: {e:?}");
        };
        let english = "ana@org.test is the organisation's last administrator; add another \
                       before disabling them";
        assert_eq!(e.to_string(), english);
        assert_eq!(said.english(), english);
        assert_eq!(said.shown(&Tr::new(Language::En)), english);
        assert_eq!(
            said.shown(&Tr::new(Language::Es)),
            "ana@org.test es el último administrador de la organización; agregue otro antes de \
             desactivarlo"
        );
        // Throttling and a step that must come first carry their words the same way.
        let slow = AppError::throttled("error-too-many-codes", &[("seconds", "30".into())]);
        assert_eq!(
            slow.to_string(),
            "Too many wrong codes. Try again in 30 seconds."
        );
        let AppError::Throttled(s) = slow else {
            panic!("throttled");
        };
        assert_eq!(
            s.in_language(Language::Es),
            "Demasiados códigos incorrectos. Intente de nuevo en 30 segundos."
        );
        // A duplicate key names its constraint in both.
        let AppError::Conflict(dup) = AppError::conflict(
            "error-already-exists",
            &[("constraint", "users_email".into())],
        ) else {
            panic!("a conflict");
        };
        assert_eq!(dup.english(), "already exists (users_email)");
        assert_eq!(dup.in_language(Language::Es), "ya existe (users_email)");
    }

    #[test]
    fn a_new_password_too_easy_to_guess_says_why_in_both_languages() {
        let said = crate::platform::auth::check_new_password("password1234", &[])
            .expect_err("a common password");
        assert!(
            said.english()
                .starts_with("is too common or too easy to guess ("),
            "{said}"
        );
        let es = said.in_language(Language::Es);
        assert!(
            es.starts_with("es demasiado común o fácil de adivinar ("),
            "{es}"
        );
        assert!(!es.contains("common password"), "{es}");
        let built_on_name = crate::platform::auth::check_new_password(
            "jordanalvarez1988",
            &["jordan.alvarez@org-a.test", "Jordan Alvarez"],
        )
        .expect_err("built on the name");
        assert_eq!(
            built_on_name.english(),
            "is too common or too easy to guess (it is built on your name, your e-mail or the \
             service's name); choose a longer phrase of several unrelated words"
        );
    }

    #[test]
    fn a_nested_field_is_labelled_by_its_last_part() {
        let es = Tr::new(Language::Es);
        let e = FieldError::keyed("changes.completed_on", "error-required", &[]);
        assert_eq!(e.label(&es), "Completado el");
        let unknown = FieldError::keyed("checklist_offsets.nothing", "error-required", &[]);
        assert_eq!(unknown.label(&es), "checklist_offsets.nothing");
    }

    #[test]
    fn a_field_is_shown_by_its_label_where_the_messages_have_one() {
        let es = Tr::new(Language::Es);
        let born = FieldError::keyed("date_of_birth", "error-required", &[]);
        assert_eq!(born.label(&es), "Fecha de nacimiento");
        assert_eq!(born.label(&Tr::new(Language::En)), "Date of birth");
        let answer = FieldError::keyed("answers[3]", "error-required", &[]);
        assert_eq!(answer.label(&es), "Respuestas [3]");
        let unknown = FieldError::keyed("no_such_field", "error-required", &[]);
        assert_eq!(unknown.label(&es), "no_such_field");
        // The API's problem document carries field and message only.
        let json = serde_json::to_value(&born).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"field": "date_of_birth", "message": "is required"})
        );
    }
}
