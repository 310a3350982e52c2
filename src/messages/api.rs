//! `/api/v1/participants/{id}/messages…` (the participant's thread and opt-in),
//! `/api/v1/messages/sms/inbound` (the SMS provider's webhook: replies, STOP) and
//! `/api/v1/jobs/runs` (the scheduled jobs' runs, for admins). Every handler calls one operation,
//! which asks the access policy first; the webhook is checked by its signature instead.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ops::{self, Message, Optin, OptinInput, SendInput, Thread};
use super::{jobs, sms};
use crate::participants::extract::RecordCall;
use crate::platform::i18n::escape;
use crate::platform::jobs::JobRun;
use crate::platform::web::AppState;
use crate::platform::web::error::{ApiError, Problem};
use crate::platform::web::extract::{Api, JsonBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_thread, send))
        .routes(routes!(record_optin, end_optin))
        .routes(routes!(inbound_sms))
        .routes(routes!(job_runs))
}

/// The participant's messages: their opt-in (channel, address, language, whether texts may name
/// the programme), the earlier opt-ins, and the thread (reminders, staff messages, replies,
/// keywords). Message content is Part 2 information read as encounter notes: a partner sees it
/// only under a consent naming encounter notes.
#[utoipa::path(get, path = "/api/v1/participants/{id}/messages", tag = "messages", params(("id" = i64, Path)),
    responses((status = 200, body = Thread), (status = 404, body = Problem)))]
async fn get_thread(call: RecordCall) -> Result<Json<Thread>, ApiError> {
    call.read(ops::thread).await
}

/// Write to the participant on their channel (queued for the next delivery run). Refused while
/// they have no opt-in in force, and when the text names the programme or a treatment they have
/// not agreed texts may name.
#[utoipa::path(post, path = "/api/v1/participants/{id}/messages", tag = "messages", params(("id" = i64, Path)), request_body = SendInput,
    responses((status = 201, body = Message), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn send(call: RecordCall, body: JsonBody) -> Result<(StatusCode, Json<Message>), ApiError> {
    call.create(move |tx, a, id| ops::send(tx, a, id, || body.parse()))
        .await
}

/// Record the participant's opt-in to reminders and messages. The one in force, if any, ends
/// (kept, as `replaced`).
#[utoipa::path(post, path = "/api/v1/participants/{id}/messages/optin", tag = "messages", params(("id" = i64, Path)), request_body = OptinInput,
    responses((status = 201, body = Optin), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_optin(
    call: RecordCall,
    body: JsonBody,
) -> Result<(StatusCode, Json<Optin>), ApiError> {
    call.create(move |tx, a, id| ops::record_optin(tx, a, id, || body.parse()))
        .await
}

/// End the participant's opt-in at their word to staff; messages waiting are cancelled.
/// Answers how many opt-ins ended (0 or 1).
#[utoipa::path(delete, path = "/api/v1/participants/{id}/messages/optin", tag = "messages", params(("id" = i64, Path)),
    responses((status = 200, body = usize, content_type = "application/json"), (status = 404, body = Problem)))]
async fn end_optin(call: RecordCall) -> Result<Json<usize>, ApiError> {
    call.write(ops::end_optin).await
}

/// The SMS provider's webhook (Twilio's inbound message request: form fields `From`, `Body`,
/// `MessageSid`, signed in `X-Twilio-Signature`). A STOP ends every message at once; START
/// and HELP are answered; anything else lands in the participant's thread. Answers TwiML.
#[utoipa::path(post, path = "/api/v1/messages/sms/inbound", tag = "messages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "TwiML", content_type = "text/xml", body = String),
        (status = 403, description = "The signature is missing or wrong", body = Problem)))]
async fn inbound_sms(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let params: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let given = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let signed = match (
        &state.config.sms_auth_token,
        sms::webhook_url(&state.config),
    ) {
        (Some(token), Some(url)) => sms::verify(token, &url, &params, given),
        _ => false,
    };
    if !signed {
        return Err(crate::platform::error::AppError::Forbidden.into());
    }
    let field = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (from, text, sid) = (field("From"), field("Body"), field("MessageSid"));
    let answer = state
        .db
        .write(move |tx| ops::receive_sms(tx, &from, &text, &sid))
        .await?;
    let twiml = match answer {
        Some(a) => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{}</Message></Response>",
            escape(&a)
        ),
        None => "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>".to_string(),
    };
    Ok(([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], twiml).into_response())
}

/// The latest runs of the scheduled jobs on every instance (job, instance, started, finished,
/// items, error), newest first. Admins only.
#[utoipa::path(get, path = "/api/v1/jobs/runs", tag = "messages",
    responses((status = 200, body = Vec<JobRun>), (status = 403, body = Problem)))]
async fn job_runs(api: Api) -> Result<Json<Vec<JobRun>>, ApiError> {
    Ok(Json(api.read(jobs::runs).await?))
}
