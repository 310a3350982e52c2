//! The home page's lists of a caseload: the peer's most urgent lines, the supervisor's missed
//! targets, the people not heard from (decision 0053) and those reentry asks someone to act on
//! (issue 17 item 2). Every list is chosen from one read of the kept lines, ranked once
//! ([`ranked::judged`]): a list is the lines of that read that pass its test, in the read's
//! order, so each is what its own ranked read would return. Before, each list ranked the whole
//! caseload again and read its rows' counts again (the peer's home page was the slowest page).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;

use super::ranked::{self, Judged};
use super::{CaseloadPage, CaseloadRow, Filter, default_peers, urgency_counts};
use crate::journey::rules::Urgency;
use crate::platform::access::{self, Actor};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::AppResult;

/// Whose home page the lists are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeFor {
    /// A peer's: their most urgent lines, reentry's to act on, not heard from.
    Peer,
    /// A supervisor's or an administrator's: the team's missed targets, reentry's overdue, not
    /// heard from.
    Team,
}

/// A home page's lists of the caseload, each most urgent first.
#[derive(Debug, Clone)]
pub struct HomeLists {
    /// The first [`FIRST_LINES`] lines of the caseload that need attention (every band but
    /// routine), and how the whole caseload divides by urgency; empty on the team's home.
    pub first: CaseloadPage,
    /// At most [`ESCALATIONS_SHOWN`] windows with a contact target missed (the team's home,
    /// for whoever is told of them: `access::escalation_scope`).
    pub escalations: Vec<CaseloadRow>,
    /// How many windows have a target missed in all.
    pub escalations_total: usize,
    /// At most [`NOT_HEARD_FROM_SHOWN`] people not heard from.
    pub not_heard_from: Vec<CaseloadRow>,
    /// How many people are not heard from in all.
    pub not_heard_from_total: usize,
    /// What reentry asks someone to act on: due or overdue on the peer's home, overdue only on
    /// the team's.
    pub reentry: Vec<CaseloadRow>,
}

/// How many of the caseload's first lines the peer's home page considers: most urgent first, so
/// they hold the first that need attention.
pub const FIRST_LINES: u32 = 15;

/// How many people the home page's "not heard from" list shows.
pub const NOT_HEARD_FROM_SHOWN: usize = 30;

/// How many missed contact targets the supervisor's home page lists (the heading says how many
/// there are; the team's caseload ranks them all first). A team of 76 peers at 100,000
/// participants had 632, a page of 94 KB.
pub const ESCALATIONS_SHOWN: usize = 50;

/// How many lines the home page's reentry list considers. Candidates are the lines in custody
/// and those released in the last 14 days; reentry decides which of them need action.
const REENTRY_CANDIDATES: usize = 200;

/// The home page's lists of the actor's caseload (a supervisor's: the team's and their own) at
/// `now`. Programme staff only: anyone else gets empty lists. Each list shown is audited with how
/// many it named.
pub fn home_lists(
    tx: &mut Tx,
    actor: &Actor,
    whose: HomeFor,
    now: NaiveDateTime,
) -> AppResult<HomeLists> {
    let mut lists = HomeLists {
        first: CaseloadPage {
            rows: vec![],
            total: 0,
            page: 1,
            per_page: FIRST_LINES,
            by_urgency: vec![],
        },
        escalations: vec![],
        escalations_total: 0,
        not_heard_from: vec![],
        not_heard_from_total: 0,
        reentry: vec![],
    };
    let Some(scope) = access::list_scope(actor) else {
        return Ok(lists);
    };
    let peers = default_peers(tx, actor)?;
    let unfiltered = Filter::default();
    let which = ranked::Which::lines(scope.org_id(), &peers, &unfiltered);
    let escalate = whose == HomeFor::Team && access::escalation_scope(actor).is_some();
    let takes = ranked::Takes {
        first: match whose {
            HomeFor::Peer => FIRST_LINES as usize,
            HomeFor::Team => 0,
        },
        missed: if escalate { ESCALATIONS_SHOWN } else { 0 },
        disengaged: NOT_HEARD_FROM_SHOWN,
        reentry: REENTRY_CANDIDATES,
    };
    let judgement = ranked::judged(tx, &which, now, &takes)?;

    // Each person's row once, whichever lists name them; reentry's flags for all of them at
    // once (shown on the first lines and reentry's own list only).
    let mut seen = HashSet::new();
    let chosen = [
        &judgement.first,
        &judgement.missed,
        &judgement.disengaged,
        &judgement.reentry,
    ]
    .into_iter()
    .flatten()
    .filter(|j| seen.insert(j.participant_id()));
    let mut rows = judgement.rows(tx, chosen, now)?;
    crate::reentry::caseload::annotate(tx, &scope, &mut rows, now)?;
    let by_id: HashMap<i64, CaseloadRow> =
        rows.into_iter().map(|r| (r.participant_id, r)).collect();
    let pick = |list: &[Judged], flags: bool| -> Vec<CaseloadRow> {
        list.iter()
            .filter_map(|j| by_id.get(&j.participant_id()).cloned())
            .map(|mut r| {
                if !flags {
                    r.reentry = None;
                }
                r
            })
            .collect()
    };

    if whose == HomeFor::Peer {
        let bands = match judgement.bands.clone() {
            Some(b) => b,
            None => ranked::bands(tx, &which, now)?,
        };
        lists.first.total = bands.iter().map(|(_, n)| n).sum();
        lists.first.rows = pick(&judgement.first, true)
            .into_iter()
            .filter(|r| r.urgency != Urgency::Routine.as_str())
            .collect();
        lists.first.by_urgency = urgency_counts(bands);
        audit::append(
            tx,
            &actor.who(),
            Event::new(Action::CaseloadView, "caseload", None).detail(format!(
                "{} shown of {} (home page)",
                lists.first.rows.len(),
                lists.first.total,
            )),
        )?;
    }
    lists.escalations = pick(&judgement.missed, false);
    lists.escalations_total = if escalate { judgement.missed_total } else { 0 };
    record_shown(
        tx,
        actor,
        Action::CaseloadEscalations,
        lists.escalations.len(),
    )?;
    lists.not_heard_from = pick(&judgement.disengaged, false);
    lists.not_heard_from_total = judgement.disengaged_total;
    record_shown(
        tx,
        actor,
        Action::CaseloadNotHeardFrom,
        lists.not_heard_from.len(),
    )?;
    let late_only = whose == HomeFor::Team;
    lists.reentry = pick(&judgement.reentry, true);
    lists.reentry.retain(|r| {
        r.reentry
            .as_ref()
            .is_some_and(|f| if late_only { f.late } else { f.needs_action })
    });
    record_shown(tx, actor, Action::CaseloadReentry, lists.reentry.len())?;
    Ok(lists)
}

/// Audit a list of the home page as shown, with how many it named (not when it named nobody:
/// nothing was disclosed).
fn record_shown(tx: &mut Tx, actor: &Actor, action: Action, shown: usize) -> AppResult<()> {
    if shown == 0 {
        return Ok(());
    }
    let event = Event::new(action, "caseload", None).detail(format!("{shown} shown"));
    audit::append(tx, &actor.who(), event)
}
