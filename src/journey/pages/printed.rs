//! Printed pages for facilities where devices are not allowed: the plan with its checklist,
//! and a blank encounter form.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use super::participants::{self, Participant};
use super::record::{Codes, codes};
use crate::consent::rules::Category;
use crate::journey::rules::{CompetencyArea, EncounterMode, EncounterOutcome, LifeDomain};
use crate::journey::store::{self, *};
use crate::platform::access::{self, Need};
use crate::platform::audit::Event;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{Page, PageId};
use crate::platform::web::layout::Chrome;

#[derive(Template, WebTemplate)]
#[template(path = "journey/plan_print.html")]
pub(super) struct PlanPrint {
    chrome: Chrome,
    p: Participant,
    goals: Vec<Goal>,
    checklist: Vec<ChecklistRow>,
    printed_on: NaiveDate,
}

pub(super) async fn print_plan(page: Page, PageId(id): PageId) -> Result<Response, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let a = actor.clone();
    let (p, goals, checklist) = state
        .db
        .read(move |tx| {
            let g = access::participant(
                tx,
                &a,
                id,
                Need::Read(Category::Plan),
                Event::new("plan.print", "goal", None).with_participant(id),
            )?;
            let current = store::current_episode(tx.conn(), &g)?;
            let checklist = match current {
                Some(e) => store::checklist(tx.conn(), &g, Some(e.id))?,
                None => vec![],
            };
            Ok((
                participants::get(tx.conn(), &g)?,
                store::goals(tx.conn(), &g)?,
                checklist,
            ))
        })
        .await?;
    Ok(PlanPrint {
        chrome: Chrome::new(
            &actor,
            format!("Plan: {}", p.display_name()),
            "/participants",
            &csrf,
            state.config.demo,
        ),
        p,
        goals,
        checklist,
        printed_on: actor.zone.today(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/encounter_form.html")]
pub(super) struct BlankEncounterForm {
    chrome: Chrome,
    modes: Codes,
    outcomes: Codes,
    topics: Codes,
    life_domains: Codes,
}

pub(super) async fn blank_encounter_form(page: Page) -> impl IntoResponse {
    let (state, actor, csrf) = page.into_parts();
    BlankEncounterForm {
        chrome: Chrome::new(
            &actor,
            "Blank encounter form",
            "/caseload",
            &csrf,
            state.config.demo,
        ),
        modes: codes::<EncounterMode>(),
        outcomes: codes::<EncounterOutcome>(),
        topics: codes::<CompetencyArea>(),
        life_domains: codes::<LifeDomain>(),
    }
}
