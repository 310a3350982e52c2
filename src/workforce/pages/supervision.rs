//! The supervision forms of a peer's page (decision 0051): sign a session, record a competency
//! review, log an ethics consultation; and the review history's chart. Each form is read here
//! and written by one operation; `peer::form` brings the browser back to the page.

use crate::platform::access::Actor;
use crate::platform::db::Tx;
use crate::platform::error::{AppResult, FieldError};
use crate::platform::i18n::Tr;
use crate::platform::web::extract::FormFields;
use crate::reports::charts;
use crate::workforce::codes::Competency;
use crate::workforce::ops;
use crate::workforce::store::{ConsultationInput, RatingInput, Review, ReviewInput, form_number};

/// The peer a supervision session is with (not found: 404).
pub(super) fn session_peer(tx: &mut Tx, id: i64) -> AppResult<i64> {
    ops::supervision_session_peer(tx, id)
}

/// Sign the session `id` (the form has nothing but its CSRF token).
pub(super) fn sign(tx: &mut Tx, a: &Actor, id: i64, _form: &FormFields) -> AppResult<()> {
    ops::sign_supervision(tx, a, id).map(|_| ())
}

fn rating(form: &FormFields, name: &str, errs: &mut Vec<FieldError>) -> Option<i32> {
    form_number(name, form.get(name), errs).map(|n| n.round() as i32)
}

/// A competency review: per area `self_<code>`, `sup_<code>` and `goal_<code>`; an area left
/// empty is not part of the review.
pub(super) fn review(tx: &mut Tx, a: &Actor, peer: i64, form: &FormFields) -> AppResult<()> {
    let mut errs = Vec::new();
    let mut ratings = Vec::new();
    for c in Competency::ALL {
        let code = c.as_str();
        let self_rating = rating(form, &format!("self_{code}"), &mut errs);
        let supervisor_rating = rating(form, &format!("sup_{code}"), &mut errs);
        let goal = form.get(&format!("goal_{code}")).to_string();
        if self_rating.is_some() || supervisor_rating.is_some() || !goal.trim().is_empty() {
            ratings.push(RatingInput {
                competency: code.into(),
                self_rating,
                supervisor_rating,
                goal,
            });
        }
    }
    let input = ReviewInput {
        reviewed_on: form.get("reviewed_on").into(),
        notes: form.get("review_notes").into(),
        ratings,
    };
    if !errs.is_empty() {
        return Err(crate::platform::error::AppError::Invalid(errs));
    }
    ops::add_review(tx, a, peer, || Ok(input)).map(|_| ())
}

/// An ethics or boundary consultation; "with me" names the caller as the supervisor consulted.
pub(super) fn consultation(tx: &mut Tx, a: &Actor, peer: i64, form: &FormFields) -> AppResult<()> {
    let mut errs = Vec::new();
    let minutes = form_number(
        "consultation_minutes",
        form.get("consultation_minutes"),
        &mut errs,
    )
    .map_or(0, |m| m.round() as i64);
    let input = ConsultationInput {
        held_on: form.get("consulted_on").into(),
        consulted_with_id: (form.get("with_me") == "1").then_some(a.user_id),
        consulted_with: form.get("consulted_with").into(),
        minutes,
        question: form.get("question").into(),
        guidance: form.get("guidance").into(),
        outcome: form.get("outcome").into(),
    };
    if !errs.is_empty() {
        return Err(crate::platform::error::AppError::Invalid(errs));
    }
    ops::add_consultation(tx, a, peer, || Ok(input)).map(|_| ())
}

/// The review history as a chart: the mean self and supervisor rating of each review, oldest
/// first ("" with fewer than one review; the page shows the numbers as a table too).
pub(super) fn review_chart(tr: &Tr, reviews: &[Review]) -> String {
    if reviews.is_empty() {
        return String::new();
    }
    let labels: Vec<String> = reviews.iter().map(|r| r.reviewed_on.to_string()).collect();
    let series = vec![
        (
            tr.t("wf-review-supervisor-mean"),
            reviews
                .iter()
                .map(|r| r.supervisor_mean.unwrap_or(0.0))
                .collect(),
        ),
        (
            tr.t("wf-review-self-mean"),
            reviews.iter().map(|r| r.self_mean.unwrap_or(0.0)).collect(),
        ),
    ];
    charts::multi_line_chart(&tr.t("wf-review-chart-title"), &labels, &series)
}
