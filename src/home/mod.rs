//! The home page of each role: the first screen after sign-in.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use diesel::prelude::*;

use crate::consent::ops::{self as consent_ops, Alert};
use crate::journey::caseload::{self, CaseloadRow, HomeFor};
use crate::platform::access::{self, FirstScreen};
use crate::platform::audit::{self, Entry};
use crate::platform::error::FieldError;
use crate::platform::schema::participants as participants_t;
use crate::platform::time;
use crate::platform::web::PageRoute;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::Page;
use crate::platform::web::layout::Chrome;

pub fn routes() -> Vec<PageRoute> {
    vec![PageRoute {
        path: "/",
        methods: &["GET"],
        participant_scoped: false,
        handler: get(home),
    }]
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    role: &'static str,
    caseload: Vec<CaseloadRow>,
    /// People on the caseload who are not routine (the list shows the first 15).
    needs_you: usize,
    /// The first missed contact targets of the team, and how many there are in all.
    escalations: Vec<CaseloadRow>,
    escalations_total: usize,
    /// Not heard from (decision 0053): the peer's people, or the supervisor's team's; the
    /// first of them, and how many there are in all.
    not_heard_from: Vec<CaseloadRow>,
    not_heard_from_total: usize,
    /// Reentry work: for a peer, what to do now; for a supervisor, what is overdue on the team.
    reentry: Vec<CaseloadRow>,
    /// Field safety: the actor's open visits and the alerts of those they watch (programme
    /// staff only).
    field: Option<crate::field::ops::FieldBoard>,
    /// The default end of a check-in: two hours from now on the organisation's clock.
    field_default_end: String,
    /// A check-in refused: what was typed, shown again, and what was wrong with it.
    check_in: crate::field::ops::CheckInInput,
    check_in_errors: Vec<FieldError>,
    /// Supervision sessions awaiting the viewer's signature: (session, held on, peer, peer id).
    to_sign: Vec<(i64, chrono::NaiveDate, String, i64)>,
    team: Vec<crate::workforce::ops::TeamMember>,
    counts: Vec<(&'static str, i64)>,
    recent_audit: Vec<Entry>,
    team_workforce: Vec<crate::workforce::ops::PeerSummary>,
    shared: Vec<SharedRow>,
    alerts: Vec<Alert>,
    /// Medical personnel may open emergency access (42 CFR 2.51).
    medical: bool,
    /// Sees and may end emergency accesses to the programme's participants.
    oversees_emergencies: bool,
}

impl HomePage {
    /// What a partner may see of a participant, in the page's language.
    fn categories(&self, r: &SharedRow) -> String {
        let lang = self.chrome.tr.lang;
        r.categories
            .iter()
            .map(|c| c.label_in(lang))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A participant shared with a partner, with what the consent lets them see.
pub struct SharedRow {
    pub id: i64,
    pub name: String,
    pub date_of_birth: chrono::NaiveDate,
    pub categories: Vec<crate::consent::rules::Category>,
}

/// The participants shared with this partner (each listing is recorded as a disclosure).
pub fn shared_list(
    tx: &mut crate::platform::db::Tx,
    a: &crate::platform::access::Actor,
) -> crate::platform::error::AppResult<Vec<SharedRow>> {
    let shared = access::shared_with(tx, a)?;
    let ids: Vec<i64> = shared.iter().map(|(id, _)| *id).collect();
    let rows: Vec<(i64, String, String, Option<String>, chrono::NaiveDate)> = participants_t::table
        .filter(participants_t::id.eq_any(&ids))
        .order((participants_t::last_name, participants_t::first_name))
        .select((
            participants_t::id,
            participants_t::first_name,
            participants_t::last_name,
            participants_t::preferred_name,
            participants_t::date_of_birth,
        ))
        .load(tx.conn())?;
    Ok(rows
        .into_iter()
        .map(|(id, first, last, pref, dob)| SharedRow {
            id,
            name: format!("{} {last}", pref.unwrap_or(first)),
            date_of_birth: dob,
            categories: shared
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, c)| c.clone())
                .unwrap_or_default(),
        })
        .collect())
}

impl HomePage {
    /// Whether a refused check-in's `field` was wrong.
    fn refused(&self, field: &str) -> bool {
        self.check_in_errors.iter().any(|e| e.field == field)
    }
}

async fn home(page: Page) -> Result<Response, PageError> {
    Ok(render(page, None).await?.into_response())
}

/// The home page again after a refused check-in: what was typed, with each wrong field named
/// (422), so that nothing typed on a phone in a doorway is lost.
pub async fn with_check_in_errors(
    page: Page,
    typed: crate::field::ops::CheckInInput,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let home = render(page, Some((typed, errors))).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, home).into_response())
}

async fn render(
    page: Page,
    refused: Option<(crate::field::ops::CheckInInput, Vec<FieldError>)>,
) -> Result<HomePage, PageError> {
    let (check_in, check_in_errors) = refused.unwrap_or_default();
    let (state, actor, csrf) = page.into_parts();
    let mut chrome = Chrome::new(&actor, "", "/", &csrf, state.config.demo);
    chrome.title = chrome.tr.t("home-title");
    let mut page = HomePage {
        chrome,
        role: actor.role.as_str(),
        caseload: vec![],
        needs_you: 0,
        escalations: vec![],
        escalations_total: 0,
        not_heard_from: vec![],
        not_heard_from_total: 0,
        reentry: vec![],
        field: None,
        field_default_end: String::new(),
        check_in,
        check_in_errors,
        to_sign: vec![],
        team: vec![],
        counts: vec![],
        recent_audit: vec![],
        team_workforce: vec![],
        shared: vec![],
        alerts: vec![],
        medical: access::is_medical_personnel(&actor),
        oversees_emergencies: access::oversee_emergencies(&actor).is_ok(),
    };
    // Each list below is read in as few transactions as the page allows: one snapshot of the
    // programme, and one commit of the audit entries by the recorder (decision 0041) instead of
    // one per list, each a flush of the database's log.
    if actor.role.is_program_staff() {
        let a = actor.clone();
        let (board, to_sign) = state
            .db
            .read(move |tx| {
                Ok((
                    crate::field::ops::board(tx, &a, time::now())?,
                    crate::workforce::ops::awaiting_my_signature(tx, &a)?,
                ))
            })
            .await?;
        page.field = Some(board);
        page.field_default_end = actor
            .zone
            .wall_clock(time::now() + chrono::TimeDelta::hours(2))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        page.to_sign = to_sign
            .into_iter()
            .map(|(s, name)| (s.id, s.held_on, name, s.peer_id))
            .collect();
    }
    let a = actor.clone();
    match access::first_screen(&actor) {
        FirstScreen::Caseload => {
            let lists = state
                .db
                .read(move |tx| caseload::home_lists(tx, &a, HomeFor::Peer, time::now()))
                .await?;
            page.needs_you = lists
                .first
                .by_urgency
                .iter()
                .filter(|u| u.urgency != "routine")
                .map(|u| u.count)
                .sum();
            page.caseload = lists.first.rows;
            page.reentry = lists.reentry;
            page.not_heard_from = lists.not_heard_from;
            page.not_heard_from_total = lists.not_heard_from_total;
        }
        FirstScreen::Team => {
            let (alerts, lists, team_workforce, team) = state
                .db
                .read(move |tx| {
                    Ok((
                        consent_ops::recent_alerts(tx.conn(), &a)?,
                        caseload::home_lists(tx, &a, HomeFor::Team, time::now())?,
                        crate::workforce::ops::peer_list(tx, &a)?,
                        crate::workforce::ops::my_team(tx.conn(), &a)?,
                    ))
                })
                .await?;
            page.alerts = alerts;
            page.escalations = lists.escalations;
            page.escalations_total = lists.escalations_total;
            page.not_heard_from = lists.not_heard_from;
            page.not_heard_from_total = lists.not_heard_from_total;
            page.reentry = lists.reentry;
            page.team_workforce = team_workforce;
            page.team = team;
        }
        FirstScreen::Programme => {
            page.counts = state
                .db
                .run(move |c| {
                    // The same figures as the organisation page (one count, so they agree).
                    let n = crate::organisations::ops::counts(c, &a)?;
                    Ok(vec![
                        ("home-count-participants", n.participants),
                        ("home-count-active-staff", n.active_staff),
                        ("home-count-facilities", n.facilities),
                    ])
                })
                .await?;
        }
        FirstScreen::Audit => {
            let org = access::read_audit(&actor)?;
            page.alerts = state
                .db
                .run(move |c| consent_ops::recent_alerts(c, &a))
                .await?;
            page.recent_audit = state
                .db
                .run(move |c| {
                    audit::list(
                        c,
                        &audit::Filter {
                            org_id: org,
                            limit: 10,
                            ..Default::default()
                        },
                    )
                })
                .await?;
        }
        FirstScreen::Shared => {
            page.shared = state.db.read(move |tx| shared_list(tx, &a)).await?;
        }
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use crate::platform::i18n::{Language, code_key, sources};

    /// The home page shows caseload urgencies and the organisation's counts by keys held in data:
    /// each has its message in every language.
    #[test]
    fn every_urgency_and_count_has_its_message() {
        let mut keys: Vec<String> = [
            "window_at_risk",
            "in_window",
            "disengaged",
            "release_soon",
            "overdue",
            "routine",
        ]
        .iter()
        .map(|u| code_key("urgency", u))
        .collect();
        keys.extend(
            [
                "home-count-participants",
                "home-count-active-staff",
                "home-count-facilities",
            ]
            .map(String::from),
        );
        for lang in Language::ALL {
            let messages = sources::messages(lang.code());
            for k in &keys {
                assert!(messages.contains_key(k), "{k} missing in {lang}");
            }
        }
    }
}
