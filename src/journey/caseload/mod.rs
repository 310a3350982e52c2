//! The caseload: "my people", most urgent first. In the 14-day window with a contact target at
//! risk, then in the window, not heard from (decision 0053), release within 7 days, overdue tasks
//! and follow-ups, then the rest.
//! Supervisors see their team; anyone on the program's staff can pick one peer.
//!
//! Each participant's line is kept on write ([`kept`], decision 0038) and a caseload is one
//! indexed read of those lines, ranked by stored keys ([`ranked`]); [`reference`] computes the
//! same from the records themselves, and the tests hold the two equal.

pub mod engagement;
pub mod home;
pub mod kept;
mod ranked;
pub mod reference;

pub use home::{HomeFor, HomeLists, home_lists};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::rules::{Setting, TargetState};
use super::store;
use crate::platform::access::{self, Actor, Role};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::i18n::Tr;
use crate::platform::schema::users;
use crate::platform::web::extract::{FormFields, parse};

/// Lines per page of the caseload unless the caller asks for another size.
pub const PER_PAGE: u32 = 50;
/// The most lines one page may hold.
pub const MAX_PER_PAGE: u32 = 500;

/// One participant's caseload line, as stored: written by [`kept`], read by [`ranked`].
#[derive(Clone, QueryableByName)]
#[diesel(table_name = crate::journey::schema::caseload_lines)]
struct Line {
    participant_id: i64,
    org_id: i64,
    peer_id: Option<i64>,
    name: String,
    setting: Option<String>,
    facility_id: Option<i64>,
    expected_release_on: Option<NaiveDate>,
    released_at: Option<NaiveDateTime>,
    window_ends_at: Option<NaiveDateTime>,
    first_contact_due: Option<NaiveDateTime>,
    contacts_due: Option<NaiveDateTime>,
    contacts_done: i64,
    at_risk_from: Option<NaiveDateTime>,
    tasks_due_from: Option<NaiveDate>,
    followups_due_from: Option<NaiveDate>,
    unplanned_release: bool,
    quiet_since: Option<NaiveDateTime>,
    failed_attempts: i64,
    unanswered_messages: i64,
    missed_appointments: i64,
}

/// Caseload filters, and which page of the result (1-based) of how many lines.
#[derive(Debug, Clone)]
pub struct Filter {
    pub peer: Option<i64>,
    pub setting: Option<Setting>,
    pub facility: Option<i64>,
    pub page: u32,
    pub per_page: u32,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            peer: None,
            setting: None,
            facility: None,
            page: 1,
            per_page: PER_PAGE,
        }
    }
}

impl Filter {
    /// The filter (not the page) as a query string, `peer=…&setting=…`, for links to other
    /// pages of the same caseload. Built from parsed ids and codes, so nothing needs escaping.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = self.peer {
            parts.push(format!("peer={p}"));
        }
        if let Some(st) = self.setting {
            parts.push(format!("setting={}", st.as_str()));
        }
        if let Some(fa) = self.facility {
            parts.push(format!("facility={fa}"));
        }
        parts.join("&")
    }

    pub fn parse(q: &FormFields) -> AppResult<Filter> {
        let mut errs: Vec<FieldError> = Vec::new();
        let peer = parse::opt_id("peer", q.get("peer"))
            .map_err(|e| errs.push(e))
            .ok()
            .flatten();
        let facility = parse::opt_id("facility", q.get("facility"))
            .map_err(|e| errs.push(e))
            .ok()
            .flatten();
        let setting = match q.opt("setting") {
            None => None,
            Some(s) => store::code("setting", &s, Setting::ALL, Setting::as_str)
                .map_err(|e| errs.push(e))
                .ok(),
        };
        let page = parse::opt_i64("page", q.get("page"), 1, 100_000)
            .map_err(|e| errs.push(e))
            .ok()
            .flatten()
            .map_or(1, |n| n as u32);
        let per_page = parse::opt_i64("per_page", q.get("per_page"), 1, MAX_PER_PAGE.into())
            .map_err(|e| errs.push(e))
            .ok()
            .flatten()
            .map_or(PER_PAGE, |n| n as u32);
        if errs.is_empty() {
            Ok(Filter {
                peer,
                setting,
                facility,
                page,
                per_page,
            })
        } else {
            Err(AppError::Invalid(errs))
        }
    }
}

/// Where a contact target of the high-risk window stands (for the API's schema).
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetCode {
    Met,
    Pending,
    Missed,
}

/// One line of the caseload.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseloadRow {
    pub participant_id: i64,
    pub name: String,
    pub peer_id: Option<i64>,
    pub peer_name: Option<String>,
    /// short_term, medium_term, long_term, community (of the open episode)
    #[schema(value_type = Option<crate::journey::rules::Setting>)]
    pub setting: Option<String>,
    pub facility_name: Option<String>,
    pub expected_release_on: Option<NaiveDate>,
    pub days_to_release: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub released_at: Option<NaiveDateTime>,
    /// Day 0..14 of the high-risk window, when in it.
    pub window_day: Option<u32>,
    /// Hours to the next contact deadline in the window.
    pub hours_to_next_deadline: Option<i64>,
    /// met, pending, missed (first contact within 24 hours)
    #[schema(value_type = Option<TargetCode>)]
    pub first_contact: Option<String>,
    /// met, pending, missed (at least 3 completed contacts in 14 days)
    #[schema(value_type = Option<TargetCode>)]
    pub contacts: Option<String>,
    pub contacts_done: Option<u32>,
    pub at_risk: bool,
    /// window_at_risk, in_window, release_soon, overdue, routine
    #[schema(value_type = crate::journey::rules::Urgency)]
    pub urgency: String,
    pub overdue_tasks: u32,
    pub due_followups: u32,
    pub overdue_followups: u32,
    /// Release recorded with no plan before it.
    pub unannounced_release: bool,
    /// The booking: the start of the open custody episode, while in custody.
    pub booked_on: Option<NaiveDate>,
    /// Reentry's flags (screen due, window opens, handoff due), when it has something to say
    /// (`reentry::caseload`).
    pub reentry: Option<crate::reentry::caseload::ReentryFlags>,
    /// Not heard from (decision 0053): since when, and why. Never for someone in custody.
    pub disengagement: Option<crate::journey::rules::DisengagementSignal>,
}

impl CaseloadRow {
    pub fn urgency_label(&self) -> &'static str {
        urgency_label(&self.urgency)
    }
    pub fn badge(&self) -> &'static str {
        match self.urgency.as_str() {
            "window_at_risk" => "bad",
            "in_window" | "disengaged" | "release_soon" => "warn",
            "overdue" => "warn",
            _ => "",
        }
    }
    /// The expected release in words, in `tr`'s language: "release today", "release in 3
    /// days", "release tomorrow", or, once the date has passed with no release recorded,
    /// "expected 2 days ago, release not recorded" (a negative count of days means nothing to
    /// a peer). The home page and the caseload say it alike.
    pub fn release_words(&self, tr: impl AsRef<Tr>) -> Option<String> {
        let tr = tr.as_ref();
        self.days_to_release.map(|d| {
            if d >= 0 {
                tr.tn("home-release-ahead", "days", d)
            } else {
                tr.tn("home-release-late", "days", -d)
            }
        })
    }
    /// Why the person is "not heard from", one phrase per reason, in `tr`'s language ("No
    /// completed contact for 9 days", "3 attempts in a row without contact"); empty when they
    /// are not.
    pub fn disengagement_words(&self, tr: impl AsRef<Tr>) -> Vec<String> {
        use crate::journey::rules::DisengagementReason as R;
        let tr = tr.as_ref();
        let Some(s) = &self.disengagement else {
            return vec![];
        };
        s.reasons
            .iter()
            .map(|r| match r {
                R::NoContact => tr.tn("disengaged-no-contact", "days", s.days_without_contact),
                R::FailedAttempts => {
                    tr.tn("disengaged-attempts", "count", i64::from(s.failed_attempts))
                }
                R::UnansweredMessages => tr.tn(
                    "disengaged-messages",
                    "count",
                    i64::from(s.unanswered_messages),
                ),
                R::MissedAppointments => tr.tn(
                    "disengaged-appointments",
                    "count",
                    i64::from(s.missed_appointments),
                ),
            })
            .collect()
    }
    pub fn first_contact_missed(&self) -> bool {
        self.first_contact.as_deref() == Some("missed")
    }
    pub fn contacts_missed(&self) -> bool {
        self.contacts.as_deref() == Some("missed")
    }
}

pub(super) fn state_code(t: &TargetState) -> &'static str {
    match t {
        TargetState::Met => "met",
        TargetState::Pending { .. } => "pending",
        TargetState::Missed { .. } => "missed",
    }
}

/// The peers whose caseloads the actor sees by default.
pub fn default_peers(tx: &mut Tx, actor: &Actor) -> AppResult<Vec<i64>> {
    Ok(match actor.role {
        Role::Peer => vec![actor.user_id],
        Role::Supervisor => {
            let mut team: Vec<i64> = users::table
                .filter(users::supervisor_id.eq(actor.user_id))
                .filter(users::org_id.eq(actor.org_id))
                .select(users::id)
                .load(tx.conn())?;
            team.push(actor.user_id);
            team
        }
        _ => users::table
            .filter(users::org_id.eq(actor.org_id))
            .filter(users::role.eq_any(["peer", "supervisor"]))
            .select(users::id)
            .load(tx.conn())?,
    })
}

/// Peers offered by the caseload's peer filter before it narrows to the actor's team.
pub const PEER_CHOICES: usize = 100;

/// The peer filter's choices: every peer and supervisor of the organisation when there are up
/// to [`PEER_CHOICES`]; in a larger organisation the actor's team (a peer's colleagues under the
/// same supervisor, a supervisor's own team, an admin's first [`PEER_CHOICES`] by name; a team
/// larger than that, its first [`PEER_CHOICES`] by name), always with the actor and the peer
/// chosen now. A thousand names in one drop-down is no help to anyone, and it made
/// the page 87 KB. Returns the choices and how many peers the organisation has.
pub fn peer_choices(
    tx: &mut Tx,
    actor: &Actor,
    all: Vec<(i64, String)>,
    chosen: Option<i64>,
) -> AppResult<(Vec<(i64, String)>, usize)> {
    let total = all.len();
    if total <= PEER_CHOICES {
        return Ok((all, total));
    }
    let lead = match actor.role {
        Role::Supervisor => Some(actor.user_id),
        Role::Peer => users::table
            .find(actor.user_id)
            .select(users::supervisor_id)
            .first::<Option<i64>>(tx.conn())
            .optional()?
            .flatten(),
        _ => None,
    };
    let team: std::collections::HashSet<i64> = match lead {
        Some(lead) => users::table
            .filter(users::org_id.eq(actor.org_id))
            .filter(users::supervisor_id.eq(lead))
            .select(users::id)
            .load::<i64>(tx.conn())?
            .into_iter()
            .chain([lead, actor.user_id])
            .collect(),
        None => all.iter().take(PEER_CHOICES).map(|(id, _)| *id).collect(),
    };
    // A team can be large too (one supervisor for every peer of a programme): at most
    // PEER_CHOICES of it, first by name, and always the actor and the chosen peer.
    let mut kept = 0;
    let shown = all
        .into_iter()
        .filter(|(id, _)| {
            let always = *id == actor.user_id || Some(*id) == chosen;
            let offer = team.contains(id) && kept < PEER_CHOICES;
            kept += usize::from(offer && !always);
            always || offer
        })
        .collect();
    Ok((shown, total))
}

/// How many people of the caseload are in one urgency band.
#[derive(Debug, Clone, Serialize)]
pub struct UrgencyCount {
    pub urgency: &'static str,
    pub label: &'static str,
    pub count: usize,
}

/// One page of the caseload, with the size of the whole and how it divides by urgency.
#[derive(Debug, Clone)]
pub struct CaseloadPage {
    pub rows: Vec<CaseloadRow>,
    /// People on the whole caseload (every page).
    pub total: usize,
    pub page: u32,
    pub per_page: u32,
    pub by_urgency: Vec<UrgencyCount>,
}

impl CaseloadPage {
    /// Pages in all (at least 1).
    pub fn pages(&self) -> u32 {
        (self.total.div_ceil(self.per_page.max(1) as usize)).max(1) as u32
    }
    /// Position of the first line of this page, counting from 1 (0 when empty).
    pub fn first_shown(&self) -> usize {
        if self.rows.is_empty() {
            0
        } else {
            (self.page as usize - 1) * self.per_page as usize + 1
        }
    }
    pub fn last_shown(&self) -> usize {
        self.first_shown() + self.rows.len().saturating_sub(1)
    }
}

/// The page of the caseload the actor asked for, most urgent first: one page of the kept lines,
/// ranked at `now`, and how the whole caseload divides by urgency.
pub fn for_actor(
    tx: &mut Tx,
    actor: &Actor,
    filter: &Filter,
    now: NaiveDateTime,
) -> AppResult<CaseloadPage> {
    let mut page = CaseloadPage {
        rows: vec![],
        total: 0,
        page: filter.page.max(1),
        per_page: filter.per_page.clamp(1, MAX_PER_PAGE),
        by_urgency: vec![],
    };
    let Some(scope) = access::list_scope(actor) else {
        return Ok(page);
    };
    let peers = match filter.peer {
        Some(p) => vec![p],
        None => default_peers(tx, actor)?,
    };
    let which = ranked::Which::lines(scope.org_id(), &peers, filter);
    let bands = ranked::bands(tx, &which, now)?;
    page.total = bands.iter().map(|(_, n)| n).sum();
    page.by_urgency = urgency_counts(bands);
    let skip = (page.page - 1).saturating_mul(page.per_page);
    page.rows = ranked::ranked(tx, &which, now, Some((page.per_page, skip)))?;
    crate::reentry::caseload::annotate(tx, &scope, &mut page.rows, now)?;
    audit::append(
        tx,
        &actor.who(),
        Event::new(Action::CaseloadView, "caseload", None).detail(format!(
            "{} shown of {} (page {})",
            page.rows.len(),
            page.total,
            page.page
        )),
    )?;
    Ok(page)
}

/// How a caseload divides by urgency, as its pages show it.
fn urgency_counts(bands: Vec<(super::rules::Urgency, usize)>) -> Vec<UrgencyCount> {
    bands
        .into_iter()
        .map(|(u, count)| UrgencyCount {
            urgency: u.as_str(),
            label: urgency_label(u.as_str()),
            count,
        })
        .collect()
}

fn urgency_label(code: &str) -> &'static str {
    match code {
        "window_at_risk" => "Window: target at risk",
        "in_window" => "In 14-day window",
        "disengaged" => "Not heard from",
        "release_soon" => "Release within 7 days",
        "overdue" => "Overdue work",
        _ => "Routine",
    }
}

#[cfg(test)]
mod tests {
    use super::{CaseloadRow, Tr};

    fn row(days_to_release: Option<i64>) -> CaseloadRow {
        CaseloadRow {
            participant_id: 1,
            name: "Ana Peña".into(),
            peer_id: None,
            peer_name: None,
            setting: None,
            facility_name: None,
            expected_release_on: None,
            days_to_release,
            released_at: None,
            window_day: None,
            hours_to_next_deadline: None,
            first_contact: None,
            contacts: None,
            contacts_done: None,
            at_risk: false,
            urgency: "routine".into(),
            overdue_tasks: 0,
            due_followups: 0,
            overdue_followups: 0,
            unannounced_release: false,
            booked_on: None,
            reentry: None,
            disengagement: None,
        }
    }

    #[test]
    fn a_passed_expected_release_is_said_in_words_not_as_negative_days() {
        let words = |d| row(d).release_words(Tr::default());
        assert_eq!(words(None), None);
        assert_eq!(words(Some(0)).as_deref(), Some("release today"));
        assert_eq!(words(Some(1)).as_deref(), Some("release tomorrow"));
        assert_eq!(words(Some(9)).as_deref(), Some("release in 9 days"));
        assert_eq!(
            words(Some(-1)).as_deref(),
            Some("expected yesterday, release not recorded")
        );
        assert_eq!(
            words(Some(-4)).as_deref(),
            Some("expected 4 days ago, release not recorded")
        );
    }
}
