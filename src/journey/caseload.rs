//! The caseload: "my people", most urgent first. In the 14-day window with a contact target at
//! risk, then in the window, release within 7 days, overdue tasks and follow-ups, then the rest.
//! Supervisors see their team; anyone on the program's staff can pick one peer.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date};
use serde::Serialize;

use super::rules::{self, Setting, TargetState, Urgency, UrgencyInput};
use super::schema::episodes;
use super::store::{self, Episode};
use crate::participants::merge::sql_id_list;
use crate::platform::access::{self, Actor, Role};
use crate::platform::audit::{self, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::schema::{facilities, participants, users};
use crate::platform::web::extract::{FormFields, parse};

/// Lines per page of the caseload unless the caller asks for another size.
pub const PER_PAGE: u32 = 50;
/// The most lines one page may hold.
pub const MAX_PER_PAGE: u32 = 500;

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
}

impl CaseloadRow {
    pub fn urgency_label(&self) -> &'static str {
        urgency_label(&self.urgency)
    }
    pub fn badge(&self) -> &'static str {
        match self.urgency.as_str() {
            "window_at_risk" => "bad",
            "in_window" | "release_soon" => "warn",
            "overdue" => "warn",
            _ => "",
        }
    }
    pub fn first_contact_missed(&self) -> bool {
        self.first_contact.as_deref() == Some("missed")
    }
    pub fn contacts_missed(&self) -> bool {
        self.contacts.as_deref() == Some("missed")
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn state_code(t: &TargetState) -> &'static str {
    match t {
        TargetState::Met => "met",
        TargetState::Pending { .. } => "pending",
        TargetState::Missed { .. } => "missed",
    }
}

/// The peers whose caseloads the actor sees by default.
fn default_peers(tx: &mut Tx, actor: &Actor) -> AppResult<Vec<i64>> {
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

/// The page of the caseload the actor asked for, most urgent first. The whole caseload is
/// ranked (urgency needs every line's window and counts), and one page of it is returned.
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
    let rows = compute(tx, scope.org_id(), &peers, filter, now)?;
    page.total = rows.len();
    page.by_urgency = Urgency::ALL
        .iter()
        .map(|u| UrgencyCount {
            urgency: u.as_str(),
            label: urgency_label(u.as_str()),
            count: rows.iter().filter(|r| r.urgency == u.as_str()).count(),
        })
        .collect();
    let skip = (page.page as usize - 1).saturating_mul(page.per_page as usize);
    page.rows = rows
        .into_iter()
        .skip(skip)
        .take(page.per_page as usize)
        .collect();
    audit::append(
        tx,
        &actor.who(),
        Event::new("caseload.view", "caseload", None).detail(format!(
            "{} shown of {} (page {})",
            page.rows.len(),
            page.total,
            page.page
        )),
    )?;
    Ok(page)
}

fn urgency_label(code: &str) -> &'static str {
    match code {
        "window_at_risk" => "Window: target at risk",
        "in_window" => "In 14-day window",
        "release_soon" => "Release within 7 days",
        "overdue" => "Overdue work",
        _ => "Routine",
    }
}

type Line = (
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<Episode>,
    Option<String>,
);

fn compute(
    tx: &mut Tx,
    org_id: i64,
    peers: &[i64],
    filter: &Filter,
    now: NaiveDateTime,
) -> AppResult<Vec<CaseloadRow>> {
    if peers.is_empty() {
        return Ok(vec![]);
    }
    let today = now.date();
    let targets = store::contact_targets(tx.conn(), org_id)?;
    let mut q = participants::table
        .left_join(
            episodes::table.on(episodes::participant_id
                .eq(participants::id)
                .and(episodes::ended_on.is_null())),
        )
        .left_join(users::table.on(users::id.nullable().eq(participants::assigned_peer_id)))
        .left_join(facilities::table.on(facilities::id.nullable().eq(episodes::facility_id)))
        .filter(participants::org_id.eq(org_id))
        .filter(participants::merged_into_id.is_null())
        .filter(participants::assigned_peer_id.eq_any(peers))
        .into_boxed();
    if let Some(s) = filter.setting {
        q = q.filter(episodes::setting.eq(s.as_str()));
    }
    if let Some(f) = filter.facility {
        q = q.filter(episodes::facility_id.eq(f));
    }
    let lines: Vec<Line> = q
        .select((
            participants::id,
            participants::first_name,
            participants::last_name,
            participants::preferred_name,
            participants::assigned_peer_id,
            users::name.nullable(),
            Option::<Episode>::as_select(),
            facilities::name.nullable(),
        ))
        .load(tx.conn())?;

    // The counts are asked for the caseload's own participants (ids from the query above, in
    // chunks): driving them from the participant lets each use its participant index, where a
    // filter on the organisation invites the planner to scan every open item of the deployment.
    let ids: Vec<i64> = lines.iter().map(|l| l.0).collect();
    let count =
        |tx: &mut Tx, sql: &str, lo: NaiveDate, hi: NaiveDate| -> AppResult<HashMap<i64, u32>> {
            let mut out = HashMap::new();
            for chunk in ids.chunks(500) {
                let list = sql_id_list(chunk);
                let rows: Vec<Count> = diesel::sql_query(sql.replace("{ids}", &list))
                    .bind::<Date, _>(lo)
                    .bind::<Date, _>(hi)
                    .load(tx.conn())?;
                out.extend(rows.into_iter().map(|c| (c.pid, c.n as u32)));
            }
            Ok(out)
        };
    let ever = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(today);
    let yesterday = today - chrono::Duration::days(1);
    let overdue_checklist = count(
        tx,
        "SELECT c.participant_id AS pid, COUNT(*) AS n FROM checklist_items c \
         JOIN episodes e ON e.id = c.episode_id AND e.ended_on IS NULL \
         WHERE c.participant_id IN ({ids}) AND c.done_on IS NULL AND c.not_applicable_reason IS NULL AND c.achievable = TRUE AND c.due_on >= $1 AND c.due_on <= $2 GROUP BY c.participant_id",
        ever,
        yesterday,
    )?;
    let overdue_steps = count(
        tx,
        "SELECT s.participant_id AS pid, COUNT(*) AS n FROM goal_steps s \
         WHERE s.participant_id IN ({ids}) AND s.done_on IS NULL AND s.due_on >= $1 AND s.due_on <= $2 GROUP BY s.participant_id",
        ever,
        yesterday,
    )?;
    let followups_sql = "SELECT f.participant_id AS pid, COUNT(*) AS n FROM followups f \
         WHERE f.participant_id IN ({ids}) AND f.completed_on IS NULL AND f.due_on >= $1 AND f.due_on <= $2 GROUP BY f.participant_id";
    let due_followups = count(
        tx,
        followups_sql,
        today - chrono::Duration::days(rules::FOLLOWUP_GRACE_DAYS_AFTER),
        today + chrono::Duration::days(rules::FOLLOWUP_OPENS_DAYS_BEFORE),
    )?;
    let overdue_followups = count(
        tx,
        followups_sql,
        ever,
        today - chrono::Duration::days(rules::FOLLOWUP_GRACE_DAYS_AFTER + 1),
    )?;

    // Completed contacts of everyone currently in a window.
    let in_window: Vec<(i64, NaiveDateTime)> = lines
        .iter()
        .filter_map(|l| {
            l.6.as_ref().and_then(|e| {
                store::window_of(e, targets, now).map(|_| (l.0, e.released_at.unwrap_or(now)))
            })
        })
        .collect();
    let mut contacts: HashMap<i64, Vec<NaiveDateTime>> = HashMap::new();
    if !in_window.is_empty() {
        let ids: Vec<i64> = in_window.iter().map(|(p, _)| *p).collect();
        let since = in_window.iter().map(|(_, r)| *r).min().unwrap_or(now);
        for (pid, at) in store::completed_contacts_since(tx.conn(), &ids, since)? {
            contacts.entry(pid).or_default().push(at);
        }
    }
    let unannounced: Vec<i64> = {
        let ids: Vec<i64> = in_window.iter().map(|(p, _)| *p).collect();
        if ids.is_empty() {
            vec![]
        } else {
            crate::journey::schema::custody_events::table
                .filter(crate::journey::schema::custody_events::participant_id.eq_any(&ids))
                .filter(crate::journey::schema::custody_events::kind.eq("release"))
                .filter(crate::journey::schema::custody_events::detail.like("%no_plan%"))
                .select(crate::journey::schema::custody_events::participant_id)
                .load(tx.conn())?
        }
    };

    let mut out: Vec<(Urgency, i64, CaseloadRow)> = Vec::with_capacity(lines.len());
    for (pid, first, last, preferred, peer_id, peer_name, episode, facility_name) in lines {
        let window = episode
            .as_ref()
            .and_then(|e| store::window_of(e, targets, now));
        let status =
            window.map(|w| w.assess(contacts.get(&pid).map(Vec::as_slice).unwrap_or(&[]), now));
        let days_to_release = episode
            .as_ref()
            .filter(|e| e.released_at.is_none())
            .and_then(|e| e.expected_release_on)
            .map(|d| (d - today).num_days());
        let overdue_tasks = overdue_checklist.get(&pid).copied().unwrap_or(0)
            + overdue_steps.get(&pid).copied().unwrap_or(0);
        let overdue_f = overdue_followups.get(&pid).copied().unwrap_or(0);
        let urgency = rules::urgency(&UrgencyInput {
            window: status,
            days_to_expected_release: days_to_release,
            overdue_tasks,
            overdue_followups: overdue_f,
        });
        let row = CaseloadRow {
            participant_id: pid,
            name: match preferred {
                Some(p) => format!("{p} {last}"),
                None => format!("{first} {last}"),
            },
            peer_id,
            peer_name,
            setting: episode.as_ref().map(|e| e.setting.clone()),
            facility_name,
            expected_release_on: episode.as_ref().and_then(|e| e.expected_release_on),
            days_to_release,
            released_at: episode.as_ref().and_then(|e| e.released_at),
            window_day: window.and_then(|w| w.day_of_window(now)),
            hours_to_next_deadline: status.and_then(|s| s.hours_to_next_deadline),
            first_contact: status.map(|s| state_code(&s.first_contact).to_string()),
            contacts: status.map(|s| state_code(&s.contacts).to_string()),
            contacts_done: status.map(|s| s.completed_in_window),
            at_risk: status.is_some_and(|s| s.at_risk),
            urgency: urgency.as_str().to_string(),
            overdue_tasks,
            due_followups: due_followups.get(&pid).copied().unwrap_or(0),
            overdue_followups: overdue_f,
            unannounced_release: window.is_some() && unannounced.contains(&pid),
        };
        // Within a band: nearest deadline or release first.
        let tiebreak = row
            .hours_to_next_deadline
            .or(row.days_to_release.map(|d| d * 24))
            .unwrap_or(i64::MAX);
        out.push((urgency, tiebreak, row));
    }
    out.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.name.cmp(&b.2.name))
    });
    Ok(out.into_iter().map(|(_, _, r)| r).collect())
}

/// Participants of the supervisor's team whose contact targets were missed in the window.
pub fn escalations(tx: &mut Tx, actor: &Actor, now: NaiveDateTime) -> AppResult<Vec<CaseloadRow>> {
    if actor.role != Role::Supervisor && actor.role != Role::Admin {
        return Ok(vec![]);
    }
    let peers = default_peers(tx, actor)?;
    let rows = compute(tx, actor.org_id, &peers, &Filter::default(), now)?;
    let missed: Vec<CaseloadRow> = rows
        .into_iter()
        .filter(|r| r.first_contact_missed() || r.contacts_missed())
        .collect();
    if !missed.is_empty() {
        audit::append(
            tx,
            &actor.who(),
            Event::new("caseload.escalations", "caseload", None)
                .detail(format!("{} shown", missed.len())),
        )?;
    }
    Ok(missed)
}
