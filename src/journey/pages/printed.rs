//! Printed pages: the plan with its checklist and the release handout (naloxone, MOUD), given to
//! the participant in their language (decision 0043; `?lang=en|es` to print the other), and a
//! blank encounter form for facilities where devices are not allowed.

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
use crate::platform::i18n::{Language, Tr};
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{Page, PageId, QueryFields};
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

pub(super) async fn print_plan(
    page: Page,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
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
    let tr = Tr::new(Language::asked_or(q.get("lang"), p.document_language()));
    Ok(PlanPrint {
        chrome: Chrome::new(
            &actor,
            tr.t1("plan-page-title", "name", p.display_name()),
            "/participants",
            &csrf,
            state.config.demo,
        )
        .in_language(tr.lang),
        p,
        goals,
        checklist,
        printed_on: actor.zone.today(),
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
pub(super) async fn release_handout(
    page: Page,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let a = actor.clone();
    let p = state
        .db
        .read(move |tx| {
            let g = access::participant(
                tx,
                &a,
                id,
                Need::Read(Category::Plan),
                Event::new("release_handout.print", "participant", None).with_participant(id),
            )?;
            participants::get(tx.conn(), &g)
        })
        .await?;
    let tr = Tr::new(Language::asked_or(q.get("lang"), p.document_language()));
    Ok(ReleaseHandout {
        chrome: Chrome::new(
            &actor,
            tr.t("release-title"),
            "/participants",
            &csrf,
            state.config.demo,
        )
        .in_language(tr.lang),
        p,
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

#[cfg(test)]
mod tests {
    use crate::journey::rules::{ChecklistItemKind, GoalDomain, GoalStatus};
    use crate::platform::i18n::{Language, Tr, code_key, sources};

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
        for lang in Language::ALL {
            let messages = sources::messages(lang.code());
            for (key, _) in &codes {
                assert!(messages.contains_key(key), "{key} missing in {lang}");
            }
        }
        let en = Tr::new(Language::En);
        for (key, label) in &codes {
            assert_eq!(&en.t(key), label, "{key}");
        }
    }
}
