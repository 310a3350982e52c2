//! The record's forms: each parses its fields, runs one operation of `journey::ops` and shows
//! the record again, with the problems named beside their fields when the input is refused.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::record::render;
use crate::journey::ops;
use crate::journey::store::*;
use crate::participants::amendments::AmendmentInput;
use crate::platform::access::{self, Actor, Need};
use crate::platform::audit::Event;
use crate::platform::error::{AppError, FieldError};
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, FormFields, PageId, PageIdPair, PageUser};
use crate::platform::web::{AppState, CsrfToken};

/// Run one form's write (an operation of `ops.rs`); on bad input, show the record again with the problems named.
pub(super) async fn submit<F>(
    state: AppState,
    actor: Actor,
    csrf: String,
    id: i64,
    anchor: &str,
    kind: &str,
    f: F,
) -> Result<Response, PageError>
where
    F: FnOnce(&mut crate::platform::db::Tx, &Actor) -> Result<(), AppError> + Send + 'static,
{
    let a = actor.clone();
    let result = state.db.write(move |tx| f(tx, &a)).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/participants/{id}#{anchor}")).into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &actor, &csrf, id, errs).await?,
        )
            .into_response()),
        // Refused because it would replace what is recorded: say so on the record.
        Err(AppError::Conflict(m)) => Ok((
            StatusCode::CONFLICT,
            render(&state, &actor, &csrf, id, vec![FieldError::new(kind, m)]).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Bad input caught before the write: show the record with the problems, but only to someone
/// who may write it (the policy is asked first, as for every write).
pub(super) async fn invalid_form(
    s: &AppState,
    a: &Actor,
    csrf: &str,
    id: i64,
    errs: Vec<FieldError>,
) -> Result<Response, PageError> {
    let actor = a.clone();
    s.db.write(move |tx| {
        access::participant(
            tx,
            &actor,
            id,
            Need::Write,
            Event::new("form.invalid", "participant", Some(id)),
        )
        .map(|_| ())
    })
    .await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render(s, a, csrf, id, errs).await?,
    )
        .into_response())
}

pub(super) fn opt(form: &FormFields, k: &str) -> Option<String> {
    form.opt(k)
}

pub(super) fn opt_id(form: &FormFields, k: &str) -> Result<Option<i64>, AppError> {
    crate::platform::web::extract::parse::opt_id(k, form.get(k))
        .map_err(|e| AppError::Invalid(vec![e]))
}

pub(super) async fn open_episode(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let facility_id = opt_id(&form, "facility_id")?;
    let input = EpisodeInput {
        setting: form.get("setting").into(),
        facility_id,
        started_on: form.get("started_on").into(),
        services_consent_on: form.get("services_consent_on").into(),
        expected_release_on: opt(&form, "expected_release_on"),
        release_certainty: opt(&form, "release_certainty"),
        supervision_office: opt(&form, "supervision_office"),
    };
    submit(s, a, c.0, id, "episodes", "episode", move |tx, a| {
        ops::open_episode(tx, a, id, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) async fn discharge(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = DischargeInput {
        reason: form.get("reason").into(),
        ended_on: form.get("ended_on").into(),
    };
    submit(s, a, c.0, id, "episodes", "episode", move |tx, a| {
        ops::discharge(tx, a, id, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) async fn custody_event(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let facility_id = opt_id(&form, "facility_id")?;
    let input = CustodyEventInput {
        kind: form.get("kind").into(),
        occurred_on: form.get("occurred_on").into(),
        at_time: opt(&form, "at_time"),
        certainty: opt(&form, "certainty"),
        facility_id,
        office: opt(&form, "office"),
        detail: opt(&form, "detail"),
    };
    submit(s, a, c.0, id, "release", "custody_event", move |tx, a| {
        ops::record_custody_event(tx, a, id, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) async fn checklist(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = ChecklistUpdate {
        kind: form.get("kind").into(),
        done_on: opt(&form, "done_on"),
        note: opt(&form, "note"),
        reason: opt(&form, "reason"),
    };
    submit(s, a, c.0, id, "checklist", "checklist", move |tx, a| {
        ops::update_checklist(tx, a, id, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) async fn encounter(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let duration = form
        .get("duration_minutes")
        .trim()
        .parse::<i64>()
        .map_err(|_| {
            AppError::invalid(
                "duration_minutes",
                format!(
                    "{:?} is not a number of minutes",
                    form.get("duration_minutes")
                ),
            )
        });
    let duration = match duration {
        Ok(d) => d,
        Err(AppError::Invalid(e)) => return invalid_form(&s, &a, &c.0, id, e).await,
        Err(e) => return Err(e.into()),
    };
    let input = EncounterInput {
        kind: if form.get("kind").is_empty() {
            "individual".into()
        } else {
            form.get("kind").into()
        },
        mode: form.get("mode").into(),
        outcome: form.get("outcome").into(),
        occurred_at: form.get("occurred_at").into(),
        duration_minutes: duration,
        topics: form.all("topics").into_iter().map(str::to_string).collect(),
        note: form.get("note").into(),
        also_participant_ids: vec![],
    };
    submit(s, a, c.0, id, "encounters", "encounter", move |tx, a| {
        ops::record_encounter(tx, a, id, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) async fn barc10(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let mut answers = Vec::new();
    let mut errs = Vec::new();
    for i in 0..10 {
        let raw = form.get(&format!("a{i}"));
        match raw.trim().parse::<i64>() {
            Ok(v) => answers.push(v),
            Err(_) => errs.push(FieldError::new(
                format!("answers[{i}]"),
                format!("statement {} needs an answer from 1 to 6", i + 1),
            )),
        }
    }
    if !errs.is_empty() {
        return invalid_form(&s, &a, &c.0, id, errs).await;
    }
    let input = Barc10Input {
        taken_on: form.get("taken_on").into(),
        answers,
    };
    submit(s, a, c.0, id, "barc10", "barc10", move |tx, a| {
        ops::record_barc10(tx, a, id, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) async fn stage(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = StageInput {
        stage: form.get("stage").into(),
        recorded_on: form.get("recorded_on").into(),
        note: form.get("note").into(),
    };
    submit(s, a, c.0, id, "stage", "stage", move |tx, a| {
        ops::record_stage(tx, a, id, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) async fn goal(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
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
        due_on: opt(&form, "due_on"),
        steps,
    };
    submit(s, a, c.0, id, "plan", "goal", move |tx, a| {
        ops::add_goal(tx, a, id, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) async fn goal_update(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageIdPair(id, goal_id): PageIdPair,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let step = opt_id(&form, "step_done_id")?;
    let input = GoalUpdate {
        status: opt(&form, "status"),
        step_done_id: step,
        done_on: None,
        reason: opt(&form, "reason"),
    };
    submit(s, a, c.0, id, "plan", "goal", move |tx, a| {
        ops::update_goal(tx, a, id, goal_id, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) async fn referral(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = ReferralInput {
        referral_type: form.get("referral_type").into(),
        provider_name: form.get("provider_name").into(),
        provider_contact: form.get("provider_contact").into(),
        referred_on: form.get("referred_on").into(),
    };
    submit(s, a, c.0, id, "referrals", "referral", move |tx, a| {
        ops::add_referral(tx, a, id, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) async fn referral_status(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageIdPair(id, rid): PageIdPair,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = ReferralStatusInput {
        status: form.get("status").into(),
        reason: opt(&form, "reason"),
        occurred_on: opt(&form, "occurred_on"),
    };
    submit(s, a, c.0, id, "referrals", "referral", move |tx, a| {
        ops::change_referral_status(tx, a, id, rid, || Ok(input)).map(|_| ())
    })
    .await
}

pub(super) fn tri(form: &FormFields, k: &str) -> Option<bool> {
    match form.get(k) {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

pub(super) async fn followup(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let barc = form.get("barc10_total").trim();
    let barc10_total = if barc.is_empty() {
        None
    } else {
        match barc.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                return invalid_form(
                    &s,
                    &a,
                    &c.0,
                    id,
                    vec![FieldError::new("barc10_total", "is not a number")],
                )
                .await;
            }
        }
    };
    let input = FollowUpInput {
        point: form.get("point").into(),
        completed_on: form.get("completed_on").into(),
        rearrested: tri(&form, "rearrested"),
        reincarcerated: tri(&form, "reincarcerated"),
        overdose: opt(&form, "overdose"),
        in_treatment: tri(&form, "in_treatment"),
        housing: opt(&form, "housing"),
        employed: tri(&form, "employed"),
        insured: tri(&form, "insured"),
        barc10_total,
        note: form.get("note").into(),
    };
    submit(s, a, c.0, id, "followups", "followup", move |tx, a| {
        ops::record_followup(tx, a, id, || Ok(input)).map(|_| ())
    })
    .await
}

/// Amend a recorded follow-up from the page: every answer of the form, and a required reason.
pub(super) async fn followup_amend(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
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
    submit(s, a, c.0, id, "followups", "followup", move |tx, a| {
        ops::amend_followup(tx, a, id, &point, || Ok(input)).map(|_| ())
    })
    .await
}
