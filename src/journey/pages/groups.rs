//! Group sessions on the web (decision 0039): the list of the organisation's sessions, the form
//! that records one at a facility (the attendance list picked from the people enrolled there,
//! a note for the group and an optional note for each attendee), and one session's page. Each
//! runs one operation of `journey::ops`; the printed sign-in sheets are `sign_in.rs`.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Redirect, Response};

use super::labels::{self, Codes, codes};
use super::orgs::{self, Facility};
use crate::journey::ops;
use crate::journey::rules::{CompetencyArea, EncounterMode, EncounterOutcome};
use crate::journey::store::{
    Attendee, AttendeeInput, Enrolled, GroupSessionInput, GroupSessionLine,
};
use crate::platform::access;
use crate::platform::audit::Action;
use crate::platform::error::{AppError, FieldError};
use crate::platform::time;
use crate::platform::web::error::{PageError, form_again, refused_input};
use crate::platform::web::extract::{CsrfForm, FormFields, Page, PageId, QueryFields, parse};
use crate::platform::web::layout::Chrome;

/// How many sessions the list shows.
const LISTED: i64 = 50;

/// The frame of a page of the signed-in user's, its title the message `title` in their language.
pub(super) fn titled(page: &Page, title: &str, path: &str) -> Chrome {
    let mut chrome = page.chrome("", path);
    chrome.title = chrome.tr.t(title);
    chrome
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/groups.html")]
pub(super) struct GroupsPage {
    chrome: Chrome,
    sessions: Vec<GroupSessionLine>,
    facilities: Vec<Facility>,
}

pub(super) async fn groups_page(page: Page) -> Result<Response, PageError> {
    let sessions = page
        .caller
        .read(|tx, a| ops::group_sessions(tx, a, LISTED))
        .await?;
    let facilities = page.caller.run(|c, _| orgs::facilities(c)).await?;
    Ok(GroupsPage {
        chrome: titled(&page, "groups-title", "/groups"),
        sessions,
        facilities,
    }
    .into_response())
}

/// What the form shows filled in: the defaults, or what was posted and refused.
#[derive(Debug, Clone)]
pub(super) struct Posted {
    occurred_at: String,
    mode: String,
    outcome: String,
    duration_minutes: String,
    topics: Vec<String>,
    life_domains: Vec<String>,
    note: String,
    /// The ticked people, in the order posted (`attendees[n]` is the n-th).
    ticked: Vec<i64>,
    notes: HashMap<i64, String>,
}

impl Posted {
    /// An empty form, its time now on the caller's clock.
    fn fresh(zone: &time::Zone) -> Posted {
        Posted {
            occurred_at: zone
                .wall_clock(time::now())
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
            mode: "in_facility".into(),
            outcome: "completed".into(),
            duration_minutes: "60".into(),
            topics: vec![],
            life_domains: vec![],
            note: String::new(),
            ticked: vec![],
            notes: HashMap::new(),
        }
    }

    fn from_form(form: &FormFields, errs: &mut Vec<FieldError>) -> Posted {
        let mut ticked = Vec::new();
        for (n, raw) in form.all("attendee").into_iter().enumerate() {
            match raw.trim().parse::<i64>() {
                Ok(id) => ticked.push(id),
                Err(_) => errs.push(FieldError::keyed(
                    format!("attendees[{n}]"),
                    "error-not-a-participant",
                    &[("value", format!("{raw:?}"))],
                )),
            }
        }
        let notes = ticked
            .iter()
            .map(|id| (*id, form.get(&format!("note_{id}")).to_string()))
            .collect();
        let all = |k: &str| form.all(k).into_iter().map(str::to_string).collect();
        Posted {
            occurred_at: form.get("occurred_at").into(),
            mode: form.get("mode").into(),
            outcome: form.get("outcome").into(),
            duration_minutes: form.get("duration_minutes").into(),
            topics: all("topics"),
            life_domains: all("life_domains"),
            note: form.get("note").into(),
            ticked,
            notes,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/group_new.html")]
pub(super) struct NewGroupPage {
    chrome: Chrome,
    facilities: Vec<Facility>,
    /// The chosen facility, with the people enrolled there (the attendance list).
    facility_id: Option<i64>,
    facility: String,
    enrolled: Vec<Enrolled>,
    /// The name filter typed (without JavaScript, the list is filtered by the server).
    q: String,
    posted: Posted,
    errors: Vec<FieldError>,
    modes: Codes,
    outcomes: Codes,
    topics: Codes,
    life_domains: Codes,
}

impl NewGroupPage {
    fn error_for(&self, field: &str) -> Option<String> {
        FieldError::for_field(&self.errors, field, &self.chrome.tr)
    }
    /// The problem with one person's row of the attendance list, if any.
    fn row_error(&self, participant_id: &i64) -> Option<String> {
        let n = self
            .posted
            .ticked
            .iter()
            .position(|t| t == participant_id)?;
        self.error_for(&format!("attendees[{n}]"))
            .or_else(|| self.error_for(&format!("attendees[{n}].note")))
    }
    fn is_ticked(&self, participant_id: &i64) -> bool {
        self.posted.ticked.contains(participant_id)
    }
    fn note_of(&self, participant_id: &i64) -> &str {
        self.posted
            .notes
            .get(participant_id)
            .map_or("", String::as_str)
    }
    fn is_chosen(&self, facility: &i64) -> bool {
        self.facility_id == Some(*facility)
    }
    fn has(&self, list: &[String], code: &str) -> bool {
        list.iter().any(|c| c == code)
    }
    /// Whether a person is shown, under the name filter typed (a server-side filter for
    /// browsers without JavaScript; with it, the list filters as one types).
    fn shown(&self, e: &Enrolled) -> bool {
        let q = self.q.trim().to_lowercase();
        q.is_empty() || e.filter_text().contains(&q) || self.is_ticked(&e.participant_id)
    }
}

async fn new_group_form(
    page: &Page,
    facility_id: Option<i64>,
    q: String,
    posted: Posted,
    errors: Vec<FieldError>,
) -> Result<NewGroupPage, PageError> {
    let listed = match facility_id {
        Some(f) => {
            page.caller
                .read(move |tx, a| {
                    ops::attendance_list(tx, a, f, Action::GroupSessionAttendanceList)
                })
                .await
        }
        None => Err(AppError::NotFound),
    };
    // An unknown facility lists nobody (the form names the problem when it was posted).
    let (facility, enrolled) = match listed {
        Err(AppError::NotFound) => (String::new(), vec![]),
        other => other?,
    };
    let facilities = page.caller.run(|c, _| orgs::facilities(c)).await?;
    let chrome = titled(page, "group-new-title", "/groups");
    let tr = chrome.tr;
    Ok(NewGroupPage {
        chrome,
        facilities,
        facility_id,
        facility,
        enrolled,
        q,
        posted,
        errors,
        modes: codes::<EncounterMode>(tr, labels::ENCOUNTER_MODE),
        outcomes: codes::<EncounterOutcome>(tr, labels::ENCOUNTER_OUTCOME),
        topics: codes::<CompetencyArea>(tr, labels::ENCOUNTER_TOPIC),
        life_domains: labels::life_domains(tr),
    })
}

/// `/groups/new?facility_id=…&q=…`: choose the facility, then the form with its attendance list.
pub(super) async fn new_group_page(
    page: Page,
    QueryFields(query): QueryFields,
) -> Result<Response, PageError> {
    access::list_scope(&page.caller.actor).ok_or(AppError::Forbidden)?;
    let facility_id = parse::opt_id("facility_id", query.get("facility_id"))
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let q = query.get("q").to_string();
    Ok(new_group_form(
        &page,
        facility_id,
        q,
        Posted::fresh(&page.caller.actor.zone),
        vec![],
    )
    .await?
    .into_response())
}

/// `POST /groups`: record the session, then show it; refused input shows the form again with
/// every problem named and what was ticked and typed kept.
pub(super) async fn record_group(
    page: Page,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let mut errs = Vec::new();
    let facility_id = parse::opt_id("facility_id", form.get("facility_id"))
        .map_err(|e| errs.push(e))
        .unwrap_or(None);
    let posted = Posted::from_form(&form, &mut errs);
    let minutes = posted.duration_minutes.trim().parse::<i64>();
    if minutes.is_err() {
        errs.push(super::forms::not_minutes(
            "duration_minutes",
            &posted.duration_minutes,
        ));
    }
    if !errs.is_empty() {
        // The policy answers before the form's problems are shown.
        access::list_scope(&page.caller.actor).ok_or(AppError::Forbidden)?;
        return form_again(new_group_form(&page, facility_id, String::new(), posted, errs).await?);
    }
    let input = GroupSessionInput {
        facility_id,
        occurred_at: posted.occurred_at.clone(),
        mode: posted.mode.clone(),
        outcome: posted.outcome.clone(),
        duration_minutes: minutes.unwrap_or_default(),
        topics: posted.topics.clone(),
        life_domains: posted.life_domains.clone(),
        note: posted.note.clone(),
        attendees: posted
            .ticked
            .iter()
            .map(|id| AttendeeInput {
                participant_id: *id,
                note: posted.notes.get(id).cloned().unwrap_or_default(),
            })
            .collect(),
    };
    let result = page
        .caller
        .write(move |tx, a| ops::record_group_session(tx, a, || Ok(input)))
        .await;
    match refused_input(result)? {
        Ok(id) => Ok(Redirect::to(&format!("/groups/{id}")).into_response()),
        Err(errs) => {
            form_again(new_group_form(&page, facility_id, String::new(), posted, errs).await?)
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/group.html")]
pub(super) struct GroupPage {
    chrome: Chrome,
    line: GroupSessionLine,
    attendees: Vec<Attendee>,
}

impl GroupPage {
    /// The encounter every attendee shares (mode, minutes, outcome, what was talked about).
    fn shared(&self) -> Option<&crate::journey::store::Encounter> {
        self.attendees.first().map(|a| &a.encounter)
    }
    /// The life domains the group talked about, in the page's language.
    fn domains_of(&self, e: &crate::journey::store::Encounter) -> String {
        e.life_domains
            .split_whitespace()
            .map(|c| labels::life_domain(self.chrome.tr, c))
            .collect::<Vec<_>>()
            .join(", ")
    }
    /// The competency areas used, in the page's language.
    fn topics_of(&self, e: &crate::journey::store::Encounter) -> String {
        e.topic_list()
            .iter()
            .map(|c| self.chrome.tr.code(labels::ENCOUNTER_TOPIC, c))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `/groups/{id}`: one session, for the program's own staff.
pub(super) async fn group_page(page: Page, PageId(id): PageId) -> Result<Response, PageError> {
    let (line, attendees) = page
        .caller
        .read(move |tx, a| ops::group_session(tx, a, id, Action::GroupSessionRead))
        .await?;
    Ok(GroupPage {
        chrome: titled(&page, "group-title", "/groups"),
        line,
        attendees,
    }
    .into_response())
}
