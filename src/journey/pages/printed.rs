//! Printed pages: the plan with its checklist, the release handout (naloxone, MOUD), the BARC-10
//! to fill in on paper and the follow-up questions, given to the participant in their language
//! (decision 0043; `?lang=en|es` to print the other), and a blank encounter form for facilities
//! where devices are not allowed.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use super::labels::{self, Codes, codes};
use super::participants::Participant;
use super::record::read_participant;
use crate::consent::rules::Category;
use crate::journey::rules::{
    CompetencyArea, EncounterMode, EncounterOutcome, EncounterService, FollowUpPoint,
};
use crate::journey::store::{self, *};
use crate::platform::access::{Need, ParticipantGrant};
use crate::platform::audit::{Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::AppResult;
use crate::platform::i18n::{Language, Tr};
use crate::platform::web::AppState;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{Page, PageId, QueryFields};
use crate::platform::web::layout::Chrome;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// A document printed for a participant, ready for its template: its frame in the document's
/// language, the participant, what it shows, and the day it is printed.
struct Document<T> {
    chrome: Chrome,
    p: Participant,
    data: T,
    printed_on: NaiveDate,
}

/// A request to print a document for one participant: the signed-in page, the participant's
/// id from the path, and the language asked for (`?lang=en|es`, or empty).
pub(super) struct Printing {
    page: Page,
    id: i64,
    asked: String,
}

impl FromRequestParts<AppState> for Printing {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let page = Page::from_request_parts(parts, state).await?;
        let PageId(id) = PageId::from_request_parts(parts, state).await?;
        let QueryFields(q) = QueryFields::from_request_parts(parts, state)
            .await
            .map_err(|e| PageError(e.0))?;
        let asked = q.get("lang").to_string();
        Ok(Printing { page, id, asked })
    }
}

/// Every document printed for a participant starts here: read under the access policy like
/// their record ([`read_participant`]: the grant for `need`, the print audited as `event` about
/// this participant), in the participant's language (their recorded one, or `?lang=en|es` as
/// `asked`; decision 0043), its title from `title` in that language.
async fn document<T, F>(
    Printing { page, id, asked }: Printing,
    need: Need,
    event: Event,
    title: fn(Tr, &Participant) -> String,
    load: F,
) -> Result<Document<T>, PageError>
where
    T: Send + 'static,
    F: FnOnce(&mut Tx, &ParticipantGrant, &Participant) -> AppResult<T> + Send + 'static,
{
    let (state, actor, csrf) = page.into_parts();
    let (p, data) =
        read_participant(&state, &actor, id, need, event.with_participant(id), load).await?;
    let tr = Tr::new(Language::asked_or(&asked, p.document_language()));
    let chrome = Chrome::new(
        &actor,
        title(tr, &p),
        "/participants",
        &csrf,
        state.config.demo,
    )
    .in_language(tr.lang);
    Ok(Document {
        chrome,
        p,
        data,
        printed_on: actor.zone.today(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/plan_print.html")]
pub(super) struct PlanPrint {
    chrome: Chrome,
    p: Participant,
    goals: Vec<Goal>,
    checklist: Vec<ChecklistRow>,
    printed_on: NaiveDate,
}

pub(super) async fn print_plan(printing: Printing) -> Result<Response, PageError> {
    let d = document(
        printing,
        Need::Read(Category::Plan),
        Event::new(Action::PlanPrint, "goal", None),
        |tr, p| tr.t1("plan-page-title", "name", p.display_name()),
        |tx, g, _| {
            let current = store::current_episode(tx.conn(), g)?;
            let checklist = match current {
                Some(e) => store::checklist(tx.conn(), g, Some(e.id))?,
                None => vec![],
            };
            Ok((store::goals(tx.conn(), g)?, checklist))
        },
    )
    .await?;
    let (goals, checklist) = d.data;
    Ok(PlanPrint {
        chrome: d.chrome,
        p: d.p,
        goals,
        checklist,
        printed_on: d.printed_on,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/release_handout.html")]
pub(super) struct ReleaseHandout {
    chrome: Chrome,
    p: Participant,
    printed_on: NaiveDate,
}

/// The handout given at release: recognising an overdose and giving naloxone, calling 911 and
/// Good Samaritan protection, and keeping medication for opioid use disorder going after
/// release. It names the participant, so reading it is a print of their plan's category.
pub(super) async fn release_handout(printing: Printing) -> Result<Response, PageError> {
    let d = document(
        printing,
        Need::Read(Category::Plan),
        Event::new(Action::ReleaseHandoutPrint, "participant", None),
        |tr, _| tr.t("release-title"),
        |_, _, _| Ok(()),
    )
    .await?;
    Ok(ReleaseHandout {
        chrome: d.chrome,
        p: d.p,
        printed_on: d.printed_on,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/barc10_print.html")]
pub(super) struct Barc10Print {
    chrome: Chrome,
    p: Participant,
    printed_on: NaiveDate,
    items: Vec<String>,
    scale: Vec<String>,
}

/// The BARC-10's ten statements and its agreement scale as a blank form the participant fills in
/// on paper, in their language. It names the participant: a print of their assessments.
pub(super) async fn barc10_print(printing: Printing) -> Result<Response, PageError> {
    let d = document(
        printing,
        Need::Read(Category::Assessments),
        Event::new(Action::Barc10Print, "barc10", None),
        |tr, p| tr.t1("barc10-print-page-title", "name", p.display_name()),
        |_, _, _| Ok(()),
    )
    .await?;
    let tr = d.chrome.tr;
    Ok(Barc10Print {
        items: labels::barc10_items(tr),
        scale: labels::barc10_scale(tr),
        chrome: d.chrome,
        p: d.p,
        printed_on: d.printed_on,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/followups_print.html")]
pub(super) struct FollowUpsPrint {
    chrome: Chrome,
    p: Participant,
    printed_on: NaiveDate,
    /// Every follow-up point, its label in the document's language (the one asked is ticked).
    points: Codes,
    /// The next follow-up not yet answered, and when it is due.
    next: Option<(String, NaiveDate)>,
    /// The housing answers, each as the participant reads it (`followups-housing-…`).
    housing: Vec<String>,
}

/// The questions of a follow-up interview (what the record's follow-up form collects: re-arrest,
/// re-incarceration, overdose, treatment, housing, work, health insurance, the BARC-10, a note)
/// as a sheet to go through with the participant on paper, in their language. It names the
/// participant and the follow-up due: a print of their assessments.
pub(super) async fn followups_print(printing: Printing) -> Result<Response, PageError> {
    let d = document(
        printing,
        Need::Read(Category::Assessments),
        Event::new(Action::FollowupPrint, "followup", None),
        |tr, p| tr.t1("followups-print-page-title", "name", p.display_name()),
        |tx, g, _| {
            let followups = store::followups(tx.conn(), g)?;
            Ok(store::next_unanswered(&followups).map(|f| (f.point.clone(), f.due_on)))
        },
    )
    .await?;
    let tr = d.chrome.tr;
    Ok(FollowUpsPrint {
        points: codes::<FollowUpPoint>(tr, labels::FOLLOWUP_POINT),
        next: d
            .data
            .map(|(point, due)| (tr.code(labels::FOLLOWUP_POINT, &point), due)),
        housing: HOUSING_CODES
            .iter()
            .map(|c| tr.code("followups-housing", c))
            .collect(),
        chrome: d.chrome,
        p: d.p,
        printed_on: d.printed_on,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/encounter_form.html")]
pub(super) struct BlankEncounterForm {
    chrome: Chrome,
    modes: Codes,
    outcomes: Codes,
    /// The services an encounter can deliver (`EncounterService`).
    services: Codes,
    topics: Codes,
    life_domains: Codes,
}

pub(super) async fn blank_encounter_form(page: Page) -> impl IntoResponse {
    let (state, actor, csrf) = page.into_parts();
    let mut chrome = Chrome::new(&actor, "", "/caseload", &csrf, state.config.demo);
    let tr = chrome.tr;
    chrome.title = tr.t("encounter-form-page-title");
    BlankEncounterForm {
        chrome,
        modes: codes::<EncounterMode>(tr, labels::ENCOUNTER_MODE),
        outcomes: codes::<EncounterOutcome>(tr, labels::ENCOUNTER_OUTCOME),
        services: codes::<EncounterService>(tr, labels::ENCOUNTER_SERVICE),
        topics: codes::<CompetencyArea>(tr, labels::ENCOUNTER_TOPIC),
        life_domains: labels::life_domains(tr),
    }
}

#[cfg(test)]
mod tests {
    use crate::journey::rules::{ChecklistItemKind, GoalDomain, GoalStatus};
    use crate::platform::i18n::{code_key, sources};

    /// The printed plan shows goal domains, goal statuses and checklist items by their message
    /// (`tr.code`): every code has one in every language, and the English one is the
    /// vocabulary's own label, so the API and the page agree.
    #[test]
    fn every_code_the_printed_plan_shows_has_its_message() {
        let mut codes: Vec<(String, &'static str)> = Vec::new();
        codes.extend(
            GoalDomain::ALL
                .iter()
                .map(|c| (code_key("goal-domain", c.as_str()), c.label())),
        );
        codes.extend(
            GoalStatus::ALL
                .iter()
                .map(|c| (code_key("goal-status", c.as_str()), c.label())),
        );
        codes.extend(
            ChecklistItemKind::ALL
                .iter()
                .map(|c| (code_key("checklist", c.as_str()), c.label())),
        );
        sources::assert_labelled(&codes);
    }
}
