//! `/api/v1/participants/{id}/...`: episodes, custody events, checklist, encounters, BARC-10,
//! stages, goals, referrals, follow-ups; and `/api/v1/caseload`. Every handler calls one
//! operation of `ops.rs`, which asks the access policy first (which audits the access) and only
//! then parses the body.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::caseload::{self, CaseloadRow};
use super::ops;
use super::store::*;
use crate::participants::amendments::{Amendment, AmendmentInput, RecordAmendmentInput};
use crate::participants::extract::RecordCall;
use crate::platform::error::AppError;
use crate::platform::time;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{ApiUser, IdPair, JsonBody, QueryFields, parse};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_episodes, open_episode))
        .routes(routes!(discharge_episode))
        .routes(routes!(list_custody_events, record_custody_event))
        .routes(routes!(get_checklist, update_checklist))
        .routes(routes!(mark_checklist_not_applicable))
        .routes(routes!(list_encounters, record_encounter))
        .routes(routes!(list_barc10, record_barc10))
        .routes(routes!(list_stages, record_stage))
        .routes(routes!(list_goals, add_goal))
        .routes(routes!(update_goal))
        .routes(routes!(list_referrals, add_referral))
        .routes(routes!(change_referral_status))
        .routes(routes!(list_followups, record_followup))
        .routes(routes!(list_overdoses, record_overdose))
        .routes(routes!(list_appointments, add_appointment))
        .routes(routes!(record_appointment_outcome))
        .routes(routes!(amend_followup))
        .routes(routes!(list_amendments, amend_record))
        .routes(routes!(get_caseload))
}

/// Enrolment episodes, newest first.
#[utoipa::path(get, path = "/api/v1/participants/{id}/episodes", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Episode>), (status = 404, body = Problem)))]
async fn list_episodes(call: RecordCall) -> Result<Json<Vec<Episode>>, ApiError> {
    call.read(ops::episodes).await
}

/// Enrol in a new episode (closes an open one). Records the voluntary consent to receive services.
#[utoipa::path(post, path = "/api/v1/participants/{id}/episodes", tag = "journey", params(("id" = i64, Path)), request_body = EpisodeInput,
    responses((status = 201, body = Episode), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn open_episode(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Episode>), ApiError> {
    call.create(move |tx, a, id| ops::open_episode(tx, a, id, || body.parse()))
        .await
}

/// Discharge the open episode with a reason.
#[utoipa::path(post, path = "/api/v1/participants/{id}/episodes/discharge", tag = "journey", params(("id" = i64, Path)), request_body = DischargeInput,
    responses((status = 200, body = Episode), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn discharge_episode(call: RecordCall, body: JsonBody) -> Result<Json<Episode>, ApiError> {
    call.write(move |tx, a, id| ops::discharge(tx, a, id, || body.parse()))
        .await
}

/// Custody and supervision events, newest first.
#[utoipa::path(get, path = "/api/v1/participants/{id}/custody-events", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<CustodyEvent>), (status = 404, body = Problem)))]
async fn list_custody_events(call: RecordCall) -> Result<Json<Vec<CustodyEvent>>, ApiError> {
    call.read(ops::custody_events).await
}

/// Record a booking, transfer, court date, expected release (re-plans the checklist), release
/// (starts the 14-day window, schedules follow-ups, flags an unannounced release), or the start or
/// end of probation or parole.
#[utoipa::path(post, path = "/api/v1/participants/{id}/custody-events", tag = "journey", params(("id" = i64, Path)), request_body = CustodyEventInput,
    responses((status = 201, body = CustodyEventOutcome), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_custody_event(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<CustodyEventOutcome>), ApiError> {
    call.create(move |tx, a, id| ops::record_custody_event(tx, a, id, || body.parse()))
        .await
}

/// The release-readiness checklist (all episodes).
#[utoipa::path(get, path = "/api/v1/participants/{id}/checklist", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ChecklistRow>), (status = 404, body = Problem)))]
async fn get_checklist(call: RecordCall) -> Result<Json<Vec<ChecklistRow>>, ApiError> {
    call.read(ops::checklist).await
}

/// Mark a checklist item of the open episode done (or re-open it).
#[utoipa::path(post, path = "/api/v1/participants/{id}/checklist", tag = "journey", params(("id" = i64, Path)), request_body = ChecklistUpdate,
    responses((status = 200, body = ChecklistRow), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_checklist(
    call: RecordCall,
    body: JsonBody,
) -> Result<Json<ChecklistRow>, ApiError> {
    call.write(move |tx, a, id| ops::update_checklist(tx, a, id, || body.parse()))
        .await
}

/// Mark a checklist item of the open episode not applicable, with a reason: it is then neither
/// open work nor overdue (the reason is kept with who and when).
#[utoipa::path(post, path = "/api/v1/participants/{id}/checklist/not-applicable", tag = "journey", params(("id" = i64, Path)), request_body = ChecklistNotApplicable,
    responses((status = 200, body = ChecklistRow), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn mark_checklist_not_applicable(
    call: RecordCall,
    body: JsonBody,
) -> Result<Json<ChecklistRow>, ApiError> {
    call.write(move |tx, a, id| ops::mark_checklist_not_applicable(tx, a, id, || body.parse()))
        .await
}

/// Encounters, newest first.
#[utoipa::path(get, path = "/api/v1/participants/{id}/encounters", tag = "journey", params(("id" = i64, Path), ("limit" = Option<i64>, Query)),
    responses((status = 200, body = Vec<Encounter>), (status = 404, body = Problem)))]
async fn list_encounters(
    call: RecordCall,
    QueryFields(q): QueryFields,
) -> Result<Json<Vec<Encounter>>, ApiError> {
    let limit = parse::opt_i64("limit", q.get("limit"), 1, 1000)
        .map_err(|e| AppError::Invalid(vec![e]))?
        .unwrap_or(200);
    call.read(move |tx, a, id| ops::encounters(tx, a, id, limit))
        .await
}

/// Record an encounter (for a group, list the others present in `also_participant_ids`).
#[utoipa::path(post, path = "/api/v1/participants/{id}/encounters", tag = "journey", params(("id" = i64, Path)), request_body = EncounterInput,
    responses((status = 201, body = Vec<Encounter>), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_encounter(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Vec<Encounter>>), ApiError> {
    call.create(move |tx, a, id| ops::record_encounter(tx, a, id, || body.parse()))
        .await
}

/// BARC-10 assessments, oldest first (the trend).
#[utoipa::path(get, path = "/api/v1/participants/{id}/barc10", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Barc10Row>), (status = 404, body = Problem)))]
async fn list_barc10(call: RecordCall) -> Result<Json<Vec<Barc10Row>>, ApiError> {
    call.read(ops::barc10).await
}

/// Record a BARC-10: ten answers, each 1 (strongly disagree) to 6 (strongly agree).
#[utoipa::path(post, path = "/api/v1/participants/{id}/barc10", tag = "journey", params(("id" = i64, Path)), request_body = Barc10Input,
    responses((status = 201, body = Barc10Result), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_barc10(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Barc10Result>), ApiError> {
    call.create(move |tx, a, id| ops::record_barc10(tx, a, id, || body.parse()))
        .await
}

/// Stage-of-change records, newest first.
#[utoipa::path(get, path = "/api/v1/participants/{id}/stages", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<StageRow>), (status = 404, body = Problem)))]
async fn list_stages(call: RecordCall) -> Result<Json<Vec<StageRow>>, ApiError> {
    call.read(ops::stages).await
}

/// Record the participant's stage of change (the peer's judgement, with a date).
#[utoipa::path(post, path = "/api/v1/participants/{id}/stages", tag = "journey", params(("id" = i64, Path)), request_body = StageInput,
    responses((status = 201, body = StageRow), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_stage(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<StageRow>), ApiError> {
    call.create(move |tx, a, id| ops::record_stage(tx, a, id, || body.parse()))
        .await
}

/// The recovery and reentry plan: goals with their steps.
#[utoipa::path(get, path = "/api/v1/participants/{id}/goals", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Goal>), (status = 404, body = Problem)))]
async fn list_goals(call: RecordCall) -> Result<Json<Vec<Goal>>, ApiError> {
    call.read(ops::goals).await
}

/// Add a goal (in the participant's own words) with its steps.
#[utoipa::path(post, path = "/api/v1/participants/{id}/goals", tag = "journey", params(("id" = i64, Path)), request_body = GoalInput,
    responses((status = 201, body = Goal), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_goal(call: RecordCall, body: JsonBody) -> Result<(StatusCode, Json<Goal>), ApiError> {
    call.create(move |tx, a, id| ops::add_goal(tx, a, id, || body.parse()))
        .await
}

/// Change a goal's status or mark one of its steps done.
#[utoipa::path(post, path = "/api/v1/participants/{id}/goals/{goal_id}", tag = "journey", params(("id" = i64, Path), ("goal_id" = i64, Path)), request_body = GoalUpdate,
    responses((status = 200, body = Vec<Goal>), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_goal(
    call: RecordCall<IdPair>,
    body: JsonBody,
) -> Result<Json<Vec<Goal>>, ApiError> {
    let IdPair(_, goal_id) = call.id;
    call.write(move |tx, a, id| ops::update_goal(tx, a, id, goal_id, || body.parse()))
        .await
}

/// Referrals with their status history.
#[utoipa::path(get, path = "/api/v1/participants/{id}/referrals", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Referral>), (status = 404, body = Problem)))]
async fn list_referrals(call: RecordCall) -> Result<Json<Vec<Referral>>, ApiError> {
    call.read(ops::referrals).await
}

/// Refer to a service (starts as pending).
#[utoipa::path(post, path = "/api/v1/participants/{id}/referrals", tag = "journey", params(("id" = i64, Path)), request_body = ReferralInput,
    responses((status = 201, body = Referral), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_referral(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Referral>), ApiError> {
    call.create(move |tx, a, id| ops::add_referral(tx, a, id, || body.parse()))
        .await
}

/// Move a referral to a new status (a reason is required when it did not work out). The first
/// `attended` sets the date of linkage.
#[utoipa::path(post, path = "/api/v1/participants/{id}/referrals/{referral_id}/status", tag = "journey", params(("id" = i64, Path), ("referral_id" = i64, Path)), request_body = ReferralStatusInput,
    responses((status = 200, body = Referral), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn change_referral_status(
    call: RecordCall<IdPair>,
    body: JsonBody,
) -> Result<Json<Referral>, ApiError> {
    let IdPair(_, rid) = call.id;
    call.write(move |tx, a, id| ops::change_referral_status(tx, a, id, rid, || body.parse()))
        .await
}

/// Follow-ups at 30, 90, 180 and 365 days after release (or community enrolment).
#[utoipa::path(get, path = "/api/v1/participants/{id}/followups", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<FollowUp>), (status = 404, body = Problem)))]
async fn list_followups(call: RecordCall) -> Result<Json<Vec<FollowUp>>, ApiError> {
    call.read(ops::followups).await
}

/// Record a follow-up interview. A follow-up already recorded is never replaced: a second
/// recording is refused (409) and points to the amendment route.
#[utoipa::path(post, path = "/api/v1/participants/{id}/followups", tag = "journey", params(("id" = i64, Path)), request_body = FollowUpInput,
    responses((status = 200, body = FollowUp), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn record_followup(call: RecordCall, body: JsonBody) -> Result<Json<FollowUp>, ApiError> {
    call.write(move |tx, a, id| ops::record_followup(tx, a, id, || body.parse()))
        .await
}

/// Overdoses the programme learned of, dated, newest first.
#[utoipa::path(get, path = "/api/v1/participants/{id}/overdoses", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Overdose>), (status = 404, body = Problem)))]
async fn list_overdoses(call: RecordCall) -> Result<Json<Vec<Overdose>>, ApiError> {
    call.read(ops::overdoses).await
}

/// Record an overdose: when, fatal or not, and how the programme learned of it. The funder
/// outcomes count overdoses within 14 days and 12 months of release.
#[utoipa::path(post, path = "/api/v1/participants/{id}/overdoses", tag = "journey", params(("id" = i64, Path)), request_body = OverdoseInput,
    responses((status = 201, body = Overdose), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_overdose(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Overdose>), ApiError> {
    call.create(move |tx, a, id| ops::record_overdose(tx, a, id, || body.parse()))
        .await
}

/// Appointments the participant has to keep (with their supervising officer, for a medication
/// dose, with their peer): open ones first, soonest first. Each open one is reminded the day
/// before and on the day when the participant opted in to messages.
#[utoipa::path(get, path = "/api/v1/participants/{id}/appointments", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Appointment>), (status = 404, body = Problem)))]
async fn list_appointments(call: RecordCall) -> Result<Json<Vec<Appointment>>, ApiError> {
    call.read(ops::appointments).await
}

/// Make an appointment, today or later. A new day is a new appointment (cancel the old one).
#[utoipa::path(post, path = "/api/v1/participants/{id}/appointments", tag = "journey", params(("id" = i64, Path)), request_body = AppointmentInput,
    responses((status = 201, body = Appointment), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_appointment(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Appointment>), ApiError> {
    call.create(move |tx, a, id| ops::add_appointment(tx, a, id, || body.parse()))
        .await
}

/// Write what became of an appointment: kept or missed (from its day), or cancelled. Written
/// once: a second outcome answers 409 and the first stands.
#[utoipa::path(post, path = "/api/v1/participants/{id}/appointments/{appointment_id}/outcome", tag = "journey",
    params(("id" = i64, Path), ("appointment_id" = i64, Path)), request_body = AppointmentOutcomeInput,
    responses((status = 200, body = Appointment), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn record_appointment_outcome(
    call: RecordCall<IdPair>,
    body: JsonBody,
) -> Result<Json<Appointment>, ApiError> {
    let IdPair(_, appointment_id) = call.id;
    call.write(move |tx, a, id| {
        ops::record_appointment_outcome(tx, a, id, appointment_id, || body.parse())
    })
    .await
}

/// Amend a recorded follow-up: `changes` holds the corrected answers and `reason` why; each
/// replaced answer is kept in the follow-up's `amendments` (and in
/// `GET /api/v1/participants/{id}/amendments`).
#[utoipa::path(post, path = "/api/v1/participants/{id}/followups/{point}/amendments", tag = "journey",
    params(("id" = i64, Path), ("point" = crate::journey::rules::FollowUpPoint, Path, description = "day30, day90, day180, day365")),
    request_body = AmendmentInput,
    responses((status = 200, body = AmendedFollowUp), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn amend_followup(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    axum::extract::Path((id, point)): axum::extract::Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<AmendedFollowUp>, ApiError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(
        s.db.write(move |tx| ops::amend_followup(tx, &a, id, &point, || body.parse()))
            .await?,
    ))
}

/// The history of amendments of the participant's records, oldest first: each earlier value,
/// the new one, who, when and why. For the participant's own program only (partners see the
/// consented records as they stand, not their editing history).
#[utoipa::path(get, path = "/api/v1/participants/{id}/amendments", tag = "journey", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Amendment>), (status = 404, body = Problem)))]
async fn list_amendments(call: RecordCall) -> Result<Json<Vec<Amendment>>, ApiError> {
    call.read(ops::amendments).await
}

/// Amend any recorded record of the participant (`record_type`, `record_id`): `changes` and a
/// required `reason`; every replaced value is kept in the history. Answers the history rows
/// written.
#[utoipa::path(post, path = "/api/v1/participants/{id}/amendments", tag = "journey", params(("id" = i64, Path)),
    request_body = RecordAmendmentInput,
    responses((status = 200, body = Vec<Amendment>), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn amend_record(call: RecordCall, body: JsonBody) -> Result<Json<Vec<Amendment>>, ApiError> {
    call.write(move |tx, a, id| ops::amend_record(tx, a, id, || body.parse()))
        .await
}

/// The caller's caseload (peers: their own; supervisors: their team's; `peer` to pick one),
/// most urgent first: in the 14-day window with a target at risk, in the window, not heard from
/// (decision 0053: `disengagement` says since when and why), release within 7 days, overdue work
/// and follow-ups, then the rest. Paged: `page` (from 1) of `per_page` lines (default 50,
/// at most 500); the `X-Total-Count` header holds the size of the whole caseload and `Link` the
/// next and previous pages.
#[utoipa::path(get, path = "/api/v1/caseload", tag = "journey",
    params(("peer" = Option<i64>, Query), ("setting" = Option<String>, Query), ("facility" = Option<i64>, Query),
        ("page" = Option<u32>, Query, description = "Page, from 1 (default 1)"),
        ("per_page" = Option<u32>, Query, description = "Lines per page, 1 to 500 (default 50)")),
    responses((status = 200, body = Vec<CaseloadRow>,
        headers(("X-Total-Count" = u64, description = "People on the whole caseload"),
                ("Link" = String, description = "rel=\"next\" and rel=\"prev\" pages, when there are"))),
        (status = 422, body = Problem)))]
async fn get_caseload(
    State(s): State<AppState>,
    ApiUser(a): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Response, ApiError> {
    let filter = caseload::Filter::parse(&q)?;
    let f = filter.clone();
    let page =
        s.db.read(move |tx| caseload::for_actor(tx, &a, &f, time::now()))
            .await?;
    let mut links = Vec::new();
    let link = |n: u32| {
        let filter = filter.query();
        let sep = if filter.is_empty() { "" } else { "&" };
        format!(
            "</api/v1/caseload?{filter}{sep}page={n}&per_page={}>",
            page.per_page
        )
    };
    if page.page < page.pages() {
        links.push(format!("{}; rel=\"next\"", link(page.page + 1)));
    }
    if page.page > 1 {
        links.push(format!("{}; rel=\"prev\"", link(page.page - 1)));
    }
    let mut resp = Json(page.rows).into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&page.total.to_string()) {
        h.insert("x-total-count", v);
    }
    if !links.is_empty()
        && let Ok(v) = HeaderValue::from_str(&links.join(", "))
    {
        h.insert(axum::http::header::LINK, v);
    }
    Ok(resp)
}
