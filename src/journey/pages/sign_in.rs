//! Printed sign-in sheets for group sessions in facilities where devices are not allowed: a
//! session's sheet (facility, date, time, peer, a signature line for each attendee, blank lines
//! for walk-ins), and a blank sheet for a facility before the session (the people enrolled
//! there). Printed like the plan and the blank encounter form (`printed.rs`).

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

use crate::journey::ops;
use crate::journey::store::Enrolled;
use crate::platform::audit::Action;
use crate::platform::error::AppError;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{Page, PageId, QueryFields, parse};
use crate::platform::web::layout::Chrome;

/// Blank lines left for people who walk in.
const WALK_IN_LINES: usize = 8;

#[derive(Template, WebTemplate)]
#[template(path = "journey/sign_in_sheet.html")]
pub(super) struct SignInSheet {
    chrome: Chrome,
    facility: String,
    /// The session's date and time, or blank on a sheet printed before it.
    date: String,
    time: String,
    peer: String,
    names: Vec<String>,
    walk_ins: Vec<usize>,
    /// The session the sheet is for (a link back), if it is recorded.
    group_id: Option<i64>,
}

/// `/groups/{id}/sign-in`: the sheet of a recorded session, its attendees listed.
pub(super) async fn session_sheet(page: Page, PageId(id): PageId) -> Result<Response, PageError> {
    let (line, attendees) = page
        .caller
        .read(move |tx, a| ops::group_session(tx, a, id, Action::GroupSessionPrint))
        .await?;
    Ok(SignInSheet {
        chrome: super::groups::titled(&page, "sheet-title", "/groups"),
        facility: line.facility,
        date: page
            .caller
            .actor
            .zone
            .wall_clock(line.session.occurred_at)
            .format("%Y-%m-%d")
            .to_string(),
        time: page
            .caller
            .actor
            .zone
            .wall_clock(line.session.occurred_at)
            .format("%H:%M")
            .to_string(),
        peer: line.led_by,
        names: attendees.into_iter().map(|a| a.name).collect(),
        walk_ins: (1..=WALK_IN_LINES).collect(),
        group_id: Some(id),
    }
    .into_response())
}

/// `/groups/sign-in?facility_id=…`: a blank sheet for a facility, before the session: the people
/// enrolled there, each with a signature line.
pub(super) async fn blank_sheet(
    page: Page,
    QueryFields(query): QueryFields,
) -> Result<Response, PageError> {
    let facility_id = parse::opt_id("facility_id", query.get("facility_id"))
        .map_err(|e| AppError::Invalid(vec![e]))?
        .ok_or_else(|| AppError::keyed("facility_id", "error-choose-facility", &[]))?;
    let (facility, enrolled) = page
        .caller
        .read(move |tx, a| {
            ops::attendance_list(tx, a, facility_id, Action::GroupSessionSignInSheet)
        })
        .await?;
    Ok(SignInSheet {
        chrome: super::groups::titled(&page, "sheet-title", "/groups"),
        facility,
        date: String::new(),
        time: String::new(),
        peer: page.caller.actor.name.clone(),
        names: enrolled.iter().map(Enrolled::display_name).collect(),
        walk_ins: (1..=WALK_IN_LINES).collect(),
        group_id: None,
    }
    .into_response())
}
