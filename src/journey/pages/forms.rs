//! The record's forms: each parses its fields, runs one operation of `journey::ops` and shows
//! the record again, with the problems named beside their fields when the input is refused.

use axum::Extension;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::record::render;
use crate::journey::ops;
use crate::journey::store::*;
use crate::participants::amendments::AmendmentInput;
use crate::participants::extract::ParticipantPath;
use crate::platform::access::{self, Actor, Need};
use crate::platform::audit::{Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, FieldError};
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, FormFields, PageId, PageIdPair, PageUser};
use crate::platform::web::{AppState, CsrfToken};

/// A form posted about one participant, as every form handler of the record starts from it: the
/// signed-in user, the page's CSRF token, the path's ids (`PageId`, or `PageIdPair` for a goal
/// or a referral of the participant) and the fields (the CSRF token checked).
pub(super) struct PostedForm<Id = PageId> {
    state: AppState,
    actor: Actor,
    csrf: String,
    pub(super) id: Id,
    pub(super) form: FormFields,
}

impl<Id> FromRequest<AppState> for PostedForm<Id>
where
    Id: FromRequestParts<AppState, Rejection = PageError> + Send,
{
    type Rejection = Response;

    /// The extractors in the order the handlers named them before: token, user, path, form.
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Extension(CsrfToken(csrf)) = Extension::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let PageUser(actor) = PageUser::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let id = Id::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let CsrfForm(form) = CsrfForm::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            state: state.clone(),
            actor,
            csrf,
            id,
            form,
        })
    }
}

impl<Id: ParticipantPath> PostedForm<Id> {
    /// Run the form's write (an operation of `ops.rs`, given the participant's id) and go back to
    /// the record at `anchor`; on bad input, show the record again with the problems named, and
    /// a refusal to replace what is recorded (a conflict) as a problem of the field `kind`.
    pub(super) async fn submit<T, F>(
        self,
        anchor: &str,
        kind: &str,
        write: F,
    ) -> Result<Response, PageError>
    where
        F: FnOnce(&mut Tx, &Actor, i64) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let id = self.id.participant_id();
        let actor = self.actor.clone();
        let result = self.state.db.write(move |tx| write(tx, &actor, id)).await;
        match result {
            // Back to the record, which says what was saved and focuses that (decision 0042).
            Ok(_) => Ok(
                Redirect::to(&format!("/participants/{id}?saved={anchor}#saved")).into_response(),
            ),
            Err(AppError::Invalid(errs)) => {
                self.show_again(StatusCode::UNPROCESSABLE_ENTITY, errs)
                    .await
            }
            // Refused because it would replace what is recorded: say so on the record.
            Err(AppError::Conflict(m)) => {
                self.show_again(StatusCode::CONFLICT, vec![FieldError::said(kind, m)])
                    .await
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Bad input caught before the write: show the record with the problems, but only to
    /// someone who may write it (the policy is asked first, as for every write).
    pub(super) async fn invalid(self, errs: Vec<FieldError>) -> Result<Response, PageError> {
        let id = self.id.participant_id();
        let actor = self.actor.clone();
        self.state
            .db
            .write(move |tx| {
                access::participant(
                    tx,
                    &actor,
                    id,
                    Need::Write,
                    Event::new(Action::FormInvalid, "participant", Some(id)),
                )
                .map(|_| ())
            })
            .await?;
        self.show_again(StatusCode::UNPROCESSABLE_ENTITY, errs)
            .await
    }

    /// The record page as the poster sees it, with `errs` beside their fields.
    pub(super) async fn page(
        &self,
        errs: Vec<FieldError>,
    ) -> Result<super::record::ParticipantPage, PageError> {
        let id = self.id.participant_id();
        render(&self.state, &self.actor, &self.csrf, id, errs).await
    }

    async fn show_again(
        &self,
        status: StatusCode,
        errs: Vec<FieldError>,
    ) -> Result<Response, PageError> {
        Ok((status, self.page(errs).await?).into_response())
    }

    /// The signed-in user who posted the form.
    pub(super) fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Where the application's state is (the database).
    pub(super) fn state(&self) -> &AppState {
        &self.state
    }
}

/// `v` (as typed) is not a number of minutes.
pub(super) fn not_minutes(field: &str, v: &str) -> FieldError {
    FieldError::keyed(field, "error-not-minutes", &[("value", format!("{v:?}"))])
}

pub(super) fn opt(form: &FormFields, k: &str) -> Option<String> {
    form.opt(k)
}

pub(super) fn opt_id(form: &FormFields, k: &str) -> Result<Option<i64>, AppError> {
    crate::platform::web::extract::parse::opt_id(k, form.get(k))
        .map_err(|e| AppError::Invalid(vec![e]))
}

pub(super) async fn open_episode(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let input = EpisodeInput {
        setting: form.get("setting").into(),
        facility_id: opt_id(form, "facility_id")?,
        started_on: form.get("started_on").into(),
        services_consent_on: form.get("services_consent_on").into(),
        expected_release_on: opt(form, "expected_release_on"),
        release_certainty: opt(form, "release_certainty"),
        supervision_office: opt(form, "supervision_office"),
    };
    post.submit("episodes", "episode", move |tx, a, id| {
        ops::open_episode(tx, a, id, || Ok(input))
    })
    .await
}

pub(super) async fn discharge(post: PostedForm) -> Result<Response, PageError> {
    let input = DischargeInput {
        reason: post.form.get("reason").into(),
        ended_on: post.form.get("ended_on").into(),
    };
    post.submit("episodes", "episode", move |tx, a, id| {
        ops::discharge(tx, a, id, || Ok(input))
    })
    .await
}

pub(super) async fn custody_event(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let input = CustodyEventInput {
        kind: form.get("kind").into(),
        occurred_on: form.get("occurred_on").into(),
        at_time: opt(form, "at_time"),
        certainty: opt(form, "certainty"),
        facility_id: opt_id(form, "facility_id")?,
        office: opt(form, "office"),
        detail: opt(form, "detail"),
    };
    post.submit("release", "custody_event", move |tx, a, id| {
        ops::record_custody_event(tx, a, id, || Ok(input))
    })
    .await
}

pub(super) async fn checklist(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let input = ChecklistUpdate {
        kind: form.get("kind").into(),
        done_on: opt(form, "done_on"),
        note: opt(form, "note"),
        reason: opt(form, "reason"),
    };
    post.submit("checklist", "checklist", move |tx, a, id| {
        ops::update_checklist(tx, a, id, || Ok(input))
    })
    .await
}

pub(super) async fn checklist_not_applicable(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let input = ChecklistNotApplicable {
        kind: form.get("kind").into(),
        reason: form.get("reason").into(),
    };
    post.submit("checklist", "checklist_not_applicable", move |tx, a, id| {
        ops::mark_checklist_not_applicable(tx, a, id, || Ok(input))
    })
    .await
}

pub(super) async fn encounter(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let minutes = form.get("duration_minutes");
    let Ok(duration_minutes) = minutes.trim().parse::<i64>() else {
        let problem = not_minutes("duration_minutes", minutes);
        return post.invalid(vec![problem]).await;
    };
    let input = EncounterInput {
        kind: if form.get("kind").is_empty() {
            "individual".into()
        } else {
            form.get("kind").into()
        },
        mode: form.get("mode").into(),
        outcome: form.get("outcome").into(),
        service: form.get("service").into(),
        occurred_at: form.get("occurred_at").into(),
        duration_minutes,
        topics: form.all("topics").into_iter().map(str::to_string).collect(),
        life_domains: form
            .all("life_domains")
            .into_iter()
            .map(str::to_string)
            .collect(),
        note: form.get("note").into(),
        also_participant_ids: vec![],
    };
    post.submit("encounters", "encounter", move |tx, a, id| {
        ops::record_encounter(tx, a, id, || Ok(input))
    })
    .await
}

pub(super) async fn barc10(post: PostedForm) -> Result<Response, PageError> {
    let mut answers = Vec::new();
    let mut errs = Vec::new();
    for i in 0..10 {
        let raw = post.form.get(&format!("a{i}"));
        match raw.trim().parse::<i64>() {
            Ok(v) => answers.push(v),
            Err(_) => errs.push(FieldError::keyed(
                format!("answers[{i}]"),
                "error-statement-needs-answer",
                &[("n", (i + 1).to_string())],
            )),
        }
    }
    if !errs.is_empty() {
        return post.invalid(errs).await;
    }
    let input = Barc10Input {
        taken_on: post.form.get("taken_on").into(),
        answers,
    };
    post.submit("barc10", "barc10", move |tx, a, id| {
        ops::record_barc10(tx, a, id, || Ok(input))
    })
    .await
}

pub(super) async fn stage(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let input = StageInput {
        stage: form.get("stage").into(),
        recorded_on: form.get("recorded_on").into(),
        note: form.get("note").into(),
    };
    post.submit("stage", "stage", move |tx, a, id| {
        ops::record_stage(tx, a, id, || Ok(input))
    })
    .await
}

pub(super) async fn goal(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let steps = form
        .all("step")
        .into_iter()
        .filter(|d| !d.trim().is_empty())
        .map(|d| StepInput {
            description: d.into(),
            owner: form.get("owner").into(),
            due_on: None,
        })
        .collect();
    let input = GoalInput {
        domain: form.get("domain").into(),
        statement: form.get("statement").into(),
        owner: form.get("owner").into(),
        due_on: opt(form, "due_on"),
        steps,
    };
    post.submit("plan", "goal", move |tx, a, id| {
        ops::add_goal(tx, a, id, || Ok(input))
    })
    .await
}

pub(super) async fn goal_update(post: PostedForm<PageIdPair>) -> Result<Response, PageError> {
    let PageIdPair(_, goal_id) = post.id;
    let input = GoalUpdate {
        status: opt(&post.form, "status"),
        step_done_id: opt_id(&post.form, "step_done_id")?,
        done_on: None,
        reason: opt(&post.form, "reason"),
    };
    post.submit("plan", "goal", move |tx, a, id| {
        ops::update_goal(tx, a, id, goal_id, || Ok(input))
    })
    .await
}

pub(super) async fn referral(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let input = ReferralInput {
        referral_type: form.get("referral_type").into(),
        provider_name: form.get("provider_name").into(),
        provider_contact: form.get("provider_contact").into(),
        referred_on: form.get("referred_on").into(),
    };
    post.submit("referrals", "referral", move |tx, a, id| {
        ops::add_referral(tx, a, id, || Ok(input))
    })
    .await
}

pub(super) async fn referral_status(post: PostedForm<PageIdPair>) -> Result<Response, PageError> {
    let PageIdPair(_, referral_id) = post.id;
    let input = ReferralStatusInput {
        status: post.form.get("status").into(),
        reason: opt(&post.form, "reason"),
        occurred_on: opt(&post.form, "occurred_on"),
    };
    post.submit("referrals", "referral", move |tx, a, id| {
        ops::change_referral_status(tx, a, id, referral_id, || Ok(input))
    })
    .await
}

/// A yes/no answer: `yes`, `no`, or anything else for not answered.
pub(super) fn tri(form: &FormFields, k: &str) -> Option<bool> {
    match form.get(k) {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

pub(super) async fn followup(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let barc = form.get("barc10_total").trim();
    let barc10_total = if barc.is_empty() {
        None
    } else if let Ok(v) = barc.parse::<i64>() {
        Some(v)
    } else {
        let problem = FieldError::keyed("barc10_total", "error-is-not-a-number", &[]);
        return post.invalid(vec![problem]).await;
    };
    let input = FollowUpInput {
        point: form.get("point").into(),
        completed_on: form.get("completed_on").into(),
        rearrested: tri(form, "rearrested"),
        reincarcerated: tri(form, "reincarcerated"),
        overdose: opt(form, "overdose"),
        in_treatment: tri(form, "in_treatment"),
        housing: opt(form, "housing"),
        employed: tri(form, "employed"),
        insured: tri(form, "insured"),
        barc10_total,
        note: form.get("note").into(),
    };
    post.submit("followups", "followup", move |tx, a, id| {
        ops::record_followup(tx, a, id, || Ok(input))
    })
    .await
}

/// Record an overdose from the page.
pub(super) async fn overdose(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let input = crate::journey::store::OverdoseInput {
        occurred_on: form.get("occurred_on").into(),
        fatal: form.get("fatal") == "true",
        source: form.get("source").into(),
        note: form.get("note").into(),
    };
    post.submit("followups", "overdose", move |tx, a, id| {
        ops::record_overdose(tx, a, id, || Ok(input))
    })
    .await
}

/// Amend a recorded follow-up from the page: every answer of the form, and a required reason.
pub(super) async fn followup_amend(post: PostedForm) -> Result<Response, PageError> {
    let form = &post.form;
    let point = form.get("point").to_string();
    let mut changes = serde_json::Map::new();
    for k in [
        "completed_on",
        "rearrested",
        "reincarcerated",
        "overdose",
        "in_treatment",
        "housing",
        "employed",
        "insured",
        "barc10_total",
        "note",
    ] {
        changes.insert(k.into(), serde_json::Value::String(form.get(k).into()));
    }
    let input = AmendmentInput {
        reason: form.get("reason").into(),
        changes,
    };
    post.submit("followups", "followup", move |tx, a, id| {
        ops::amend_followup(tx, a, id, &point, || Ok(input))
    })
    .await
}
