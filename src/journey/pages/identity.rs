//! Identity correction from the record page, and the likely duplicates it brings up.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::forms::{PostedForm, opt_id};
use super::participants;
use crate::platform::access::{self, Need};
use crate::platform::audit::{Action, Event};
use crate::platform::error::{AppError, FieldError};
use crate::platform::web::error::PageError;
use crate::platform::web::extract::PageId;

/// Correct identity from the page: the record's fields (unchanged ones are skipped), stored
/// identifiers, one identifier to add, and a reason. Likely duplicates of the corrected identity
/// are shown on the record.
pub(super) async fn identity(post: PostedForm) -> Result<Response, PageError> {
    let PageId(id) = post.id;
    let form = &post.form;
    let mut changes = serde_json::Map::new();
    for k in [
        "first_name",
        "last_name",
        "preferred_name",
        "date_of_birth",
        "pronouns",
        "language",
        "phone",
        "email",
    ] {
        if form.all(k).is_empty() {
            continue;
        }
        changes.insert(k.into(), serde_json::Value::String(form.get(k).into()));
    }
    let mut corrections = Vec::new();
    for (i, raw) in form.all("identifier_id").into_iter().enumerate() {
        let Ok(ident) = raw.trim().parse::<i64>() else {
            let problem =
                FieldError::keyed(format!("identifiers[{i}].id"), "error-is-not-an-id", &[]);
            return post.invalid(vec![problem]).await;
        };
        corrections.push(participants::IdentifierCorrection {
            id: ident,
            value: form.get(&format!("identifier_{ident}")).into(),
        });
    }
    let mut add = Vec::new();
    if !form.get("add_value").trim().is_empty() {
        add.push(participants::IdentifierInput {
            kind: form.get("add_kind").into(),
            value: form.get("add_value").into(),
            facility_id: opt_id(form, "add_facility_id")?,
        });
    }
    let input = participants::IdentityCorrection {
        reason: form.get("reason").into(),
        changes,
        identifiers: corrections,
        add_identifiers: add,
    };
    let actor = post.actor().clone();
    let result = post
        .state()
        .db
        .write(move |tx| {
            let g = access::participant(
                tx,
                &actor,
                id,
                Need::Write,
                Event::new(Action::ParticipantIdentity, "participant", Some(id)),
            )?;
            let scope = access::list_scope(&actor).ok_or(AppError::Forbidden)?;
            participants::correct_identity(tx, &g, &actor, &scope, &input)
        })
        .await;
    match result {
        Ok(out) if out.likely_duplicates.is_empty() => {
            Ok(Redirect::to(&format!("/participants/{id}?saved=identity#saved")).into_response())
        }
        Ok(out) => {
            let page = post.page(vec![]).await?;
            Ok(page.with_duplicates(out.likely_duplicates).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, post.page(errs).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
