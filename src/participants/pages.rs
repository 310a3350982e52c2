//! Participant pages: the list and the search for a person, enrolment (with likely duplicates shown for a person to
//! decide), merging and undoing merges, reassignment. The participant's own page, which shows the
//! whole journey, lives in `journey::pages`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::ops;
use super::search::Sought;
use super::store::{
    self, Candidate, Enrolment, IDENTIFIER_KINDS, IdentifierInput, ListQuery, Listed,
    NewParticipant, Participant, ParticipantInput,
};
use crate::organisations::store::{self as orgs, Facility};
use crate::platform::access::{self, Actor, SearchFor};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields::Fields;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{
    CsrfForm, FormFields, Page, PageId, PageIdPair, PageUser, QueryFields, parse,
};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, PageRoute};

pub fn routes() -> Vec<PageRoute> {
    vec![
        PageRoute {
            path: "/participants",
            methods: &["GET", "POST"],
            participant_scoped: false,
            handler: get(list_page).post(create),
        },
        PageRoute {
            path: "/participants/new",
            methods: &["GET"],
            participant_scoped: false,
            handler: get(new_page),
        },
        PageRoute {
            path: "/participants/{id}/merge",
            methods: &["GET", "POST"],
            participant_scoped: true,
            handler: get(merge_page).post(merge_into),
        },
        PageRoute {
            path: "/participants/{id}/merges/{merge_id}/undo",
            methods: &["POST"],
            participant_scoped: true,
            handler: post(undo_merge),
        },
        PageRoute {
            path: "/participants/{id}/assign",
            methods: &["POST"],
            participant_scoped: true,
            handler: post(assign),
        },
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "participants/list.html")]
struct ListPage {
    chrome: Chrome,
    participants: Vec<Participant>,
    name: String,
    mine: bool,
    can_create: bool,
    /// What was typed into the search box.
    q: String,
    /// The search's answer, when there was a search.
    found: Option<Vec<Listed>>,
    errors: Vec<FieldError>,
}

impl ListPage {
    fn error_for(&self, field: &str) -> Option<String> {
        FieldError::for_field(&self.errors, field, &self.chrome.tr)
    }
}

/// The participants page: the search box (`q`: a name, date of birth or identifier) and its
/// results, or the list by name.
async fn list_page(
    page: Page,
    QueryFields(q): QueryFields,
) -> Result<impl IntoResponse, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let mine = q.get("mine") == "1";
    let limit = parse::opt_i64("limit", q.get("limit"), 1, 500)
        .map_err(|e| AppError::Invalid(vec![e]))?
        .unwrap_or(200);
    // A search that cannot be read is shown again beside the box, with the reason.
    let mut fields = Fields::new();
    let sought = fields.take_opt(q.opt("q").map(|t| Sought::parse("q", &t)).transpose());
    let errors = fields.into_errors();
    let a = actor.clone();
    let (participants, found) = match sought {
        Some(sought) => {
            let found = state
                .db
                .read(move |tx| ops::search(tx, &a, SearchFor::Record, &sought, 50))
                .await?;
            (vec![], Some(found))
        }
        None => {
            let query = ListQuery {
                name: q.opt("name"),
                peer_id: mine.then_some(actor.user_id),
                limit,
                offset: 0,
            };
            (
                state.db.read(move |tx| ops::list(tx, &a, &query)).await?,
                None,
            )
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        ListPage {
            chrome: titled(
                Chrome::new(&actor, "", "/participants", &csrf, state.config.demo),
                "participants-title",
            ),
            participants,
            name: q.get("name").to_string(),
            mine,
            can_create: access::create_participant(&actor).is_ok(),
            q: q.get("q").to_string(),
            found,
            errors,
        },
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "participants/new.html")]
struct NewPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: ParticipantInput,
    booking_number: String,
    booking_facility: String,
    state_id: String,
    supervision_case: String,
    peers: Vec<(i64, String)>,
    facilities: Vec<Facility>,
    duplicates: Vec<Candidate>,
}

impl NewPage {
    fn error_for(&self, field: &str) -> Option<String> {
        FieldError::for_field(&self.errors, field, &self.chrome.tr)
    }
    fn assigned(&self) -> String {
        self.form
            .assigned_peer_id
            .map(|i| i.to_string())
            .unwrap_or_default()
    }
}

async fn new_form(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    errors: Vec<FieldError>,
    form: ParticipantInput,
    raw: Option<&FormFields>,
    duplicates: Vec<Candidate>,
) -> Result<NewPage, PageError> {
    let org = access::create_participant(actor)?;
    let (peers, facilities) = state
        .db
        .run(move |c| Ok((store::assignable_peers(c, org)?, orgs::facilities(c)?)))
        .await?;
    let get = |k: &str| raw.map(|f| f.get(k).to_string()).unwrap_or_default();
    Ok(NewPage {
        chrome: titled(
            Chrome::new(actor, "", "/participants", csrf, state.config.demo),
            "enrol-title",
        ),
        errors,
        booking_number: get("booking_number"),
        booking_facility: get("booking_facility"),
        state_id: get("state_id"),
        supervision_case: get("supervision_case"),
        form,
        peers,
        facilities,
        duplicates,
    })
}

async fn new_page(page: Page) -> Result<impl IntoResponse, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let input = ParticipantInput {
        assigned_peer_id: access::proposed_peer(&actor),
        ..Default::default()
    };
    new_form(&state, &actor, &csrf, vec![], input, None, vec![]).await
}

/// Read the enrolment form into the API's input shape (one parser for both).
fn form_input(form: &FormFields, errs: &mut Vec<FieldError>) -> ParticipantInput {
    let assigned_peer_id = parse::opt_id("assigned_peer_id", form.get("assigned_peer_id"))
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let booking_facility = parse::opt_id("booking_facility", form.get("booking_facility"))
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let mut identifiers = Vec::new();
    for (kind, _) in IDENTIFIER_KINDS {
        if let Some(v) = form.opt(kind) {
            identifiers.push(IdentifierInput {
                kind: kind.to_string(),
                value: v,
                facility_id: if *kind == "booking_number" {
                    booking_facility
                } else {
                    None
                },
            });
        }
    }
    ParticipantInput {
        first_name: form.get("first_name").into(),
        last_name: form.get("last_name").into(),
        preferred_name: form.opt("preferred_name"),
        date_of_birth: form.get("date_of_birth").into(),
        assigned_peer_id,
        pronouns: form.opt("pronouns"),
        language: form.opt("language"),
        phone: form.opt("phone"),
        email: form.opt("email"),
        identifiers,
        confirm_not_duplicate: form.get("confirm_not_duplicate") == "1",
    }
}

async fn create(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    let (state, actor, csrf) = page.into_parts();
    // The policy answers before the form is read.
    access::create_participant(&actor)?;
    let mut errs = Vec::new();
    let input = form_input(&form, &mut errs);
    let parsed = NewParticipant::parse(&input, actor.zone.today());
    let new = match parsed {
        Ok(new) if errs.is_empty() => new,
        Ok(_) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                new_form(&state, &actor, &csrf, errs, input, Some(&form), vec![]).await?,
            )
                .into_response());
        }
        Err(mut more) => {
            errs.append(&mut more);
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                new_form(&state, &actor, &csrf, errs, input, Some(&form), vec![]).await?,
            )
                .into_response());
        }
    };
    let confirmed = input.confirm_not_duplicate;
    let a = actor.clone();
    let outcome = state
        .db
        .write(move |tx| ops::enrol(tx, &a, &new, confirmed))
        .await?;
    match outcome {
        Enrolment::Created(p) => {
            Ok(Redirect::to(&format!("/participants/{}", p.id)).into_response())
        }
        Enrolment::LikelyDuplicates(dups) => Ok((
            StatusCode::CONFLICT,
            new_form(&state, &actor, &csrf, vec![], input, Some(&form), dups).await?,
        )
            .into_response()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "participants/merge.html")]
struct MergePage {
    chrome: Chrome,
    kept: Participant,
    q: String,
    found: Option<Vec<Listed>>,
    error: Option<String>,
}

/// Merging a duplicate into this record: find the duplicate (`q`: a name, date of birth or
/// identifier) and choose them, so no record number is typed.
async fn merge_page(
    page: Page,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let (sought, error) = match q.opt("q").map(|t| Sought::parse("q", &t)) {
        None => (None, None),
        Some(Ok(s)) => (Some(s), None),
        Some(Err(e)) => (
            None,
            Some(e.shown(&crate::platform::i18n::Tr::new(
                crate::platform::web::error::request_language(),
            ))),
        ),
    };
    let (kept, found) = page
        .read(move |tx, a| ops::duplicate_candidates(tx, a, id, sought.as_ref()))
        .await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut chrome = page.chrome("", "/participants");
    chrome.title = chrome
        .tr
        .t1("merge-page-title", "name", kept.display_name());
    let merge = MergePage {
        chrome,
        kept,
        q: q.get("q").to_string(),
        found,
        error,
    };
    Ok((status, merge).into_response())
}

async fn merge_into(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let dup = parse::opt_id("duplicate_id", form.get("duplicate_id"))
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let reason = form.get("reason").to_string();
    back_to_record(&state, id, move |tx| {
        ops::merge(tx, &actor, id, || {
            let dup =
                dup.ok_or_else(|| AppError::keyed("duplicate_id", "error-choose-duplicate", &[]))?;
            Ok((dup, reason))
        })
    })
    .await
}

async fn undo_merge(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    PageIdPair(id, merge_id): PageIdPair,
    CsrfForm(_form): CsrfForm,
) -> Result<Response, PageError> {
    back_to_record(&state, id, move |tx| {
        ops::undo_merge(tx, &actor, id, merge_id)
    })
    .await
}

async fn assign(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let peer =
        parse::opt_id("peer_id", form.get("peer_id")).map_err(|e| AppError::Invalid(vec![e]))?;
    back_to_record(&state, id, move |tx| {
        ops::assign(tx, &actor, id, || Ok(peer))
    })
    .await
}

/// A page's frame, its title the message `title` in the page's language.
fn titled(mut chrome: Chrome, title: &str) -> Chrome {
    chrome.title = chrome.tr.t(title);
    chrome
}

/// Run one write about the participant `id`, then show their record again.
async fn back_to_record<T, F>(state: &AppState, id: i64, write: F) -> Result<Response, PageError>
where
    T: Send + 'static,
    F: FnOnce(&mut Tx) -> AppResult<T> + Send + 'static,
{
    state.db.write(write).await?;
    Ok(Redirect::to(&format!("/participants/{id}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::super::matching::MatchReason;
    use super::super::search::MatchedOn;
    use crate::platform::i18n::{Language, Tr, code_key, sources};

    /// What a search matched on and why a record looks like a duplicate are shown by their
    /// messages (keys held in data): each has one in every language, the English one the label
    /// the API's documentation and the command line use.
    #[test]
    fn every_match_and_reason_has_its_message() {
        let mut keys: Vec<(String, &'static str)> = [
            MatchedOn::Name,
            MatchedOn::DateOfBirth,
            MatchedOn::BookingNumber,
            MatchedOn::StateId,
            MatchedOn::SupervisionCase,
        ]
        .iter()
        .map(|m| (code_key("matched-on", m.code()), m.label()))
        .collect();
        keys.extend(
            [
                MatchReason::SameIdentifier {
                    kind: "state_id".into(),
                },
                MatchReason::SameNameAndDob,
                MatchReason::SimilarNameSameDob,
                MatchReason::TransposedDob,
                MatchReason::NameSwapped,
            ]
            .iter()
            .map(|r| (code_key("match-reason", r.as_str()), r.label())),
        );
        for lang in Language::ALL {
            let messages = sources::messages(lang.code());
            for (key, _) in &keys {
                assert!(messages.contains_key(key), "{key} missing in {lang}");
            }
        }
        let en = Tr::new(Language::En);
        for (key, label) in &keys {
            assert_eq!(&en.t(key), label, "{key}");
        }
    }
}
