//! The caseload computed from scratch: the reference the kept lines are tested against.
//!
//! Before lines were kept on write (decision 0038) this was how every caseload request was
//! answered: read every participant of the caseload with their open episode, then their
//! contacts, open tasks and follow-ups, assess each at `now` and sort. It stays, unchanged in
//! what it computes, as the model of what the caseload must show.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date};

use super::{CaseloadRow, Filter, state_code};
use crate::journey::rules::{self, Setting, TargetState, Urgency, UrgencyInput};
use crate::journey::schema::episodes;
use crate::journey::store::{self, Episode};
use crate::participants::merge::sql_id_list;
use crate::platform::db::Tx;
use crate::platform::error::AppResult;
use crate::platform::schema::{facilities, participants, users};

/// Within a band: is there a pending deadline, which; is there an expected release, which.
type Tiebreak = (bool, Option<NaiveDateTime>, bool, Option<NaiveDate>);

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
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

/// The whole caseload of `peers` in the organisation, ranked, computed from the records
/// themselves: every participant's open episode, contacts, tasks and follow-ups read and
/// assessed at `now`. The caseload served to users reads the kept lines instead
/// ([`super::for_actor`]); this is the model they are checked against (the property test
/// `caseload_kept_on_write_matches_the_reference` in `tests/it/journey.rs`).
pub fn compute(
    tx: &mut Tx,
    org_id: i64,
    peers: &[i64],
    filter: &Filter,
    now: NaiveDateTime,
) -> AppResult<Vec<CaseloadRow>> {
    if peers.is_empty() {
        return Ok(vec![]);
    }
    // The programme's day: its "today" turns at its midnight (decision 0040).
    let today = crate::platform::time::zone_of(tx.conn(), org_id)?.date_of(now);
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

    // Engagement of everyone the programme can reach in the community (decision 0053).
    let rule = store::disengagement_rule(tx.conn(), org_id)?;
    let reachable: Vec<(i64, NaiveDateTime)> = lines
        .iter()
        .filter_map(|l| Some((l.0, super::engagement::reachable_since(l.6.as_ref())?)))
        .collect();
    let engaged = super::engagement::engagements(tx, &reachable)?;

    let mut out: Vec<(Urgency, Tiebreak, CaseloadRow)> = Vec::with_capacity(lines.len());
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
        let disengagement = engaged
            .get(&pid)
            .and_then(|e| rules::disengagement(e, &rule, now));
        let urgency = rules::urgency(&UrgencyInput {
            window: status,
            days_to_expected_release: days_to_release,
            overdue_tasks,
            overdue_followups: overdue_f,
            disengaged: disengagement.is_some(),
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
            booked_on: episode
                .as_ref()
                .filter(|e| {
                    e.released_at.is_none()
                        && Setting::parse(&e.setting).is_some_and(|s| s.is_custody())
                })
                .map(|e| e.started_on),
            reentry: None,
            disengagement,
        };
        // Within a band: the nearest pending deadline of the window first, else the nearest
        // expected release; those with neither last; then by name and id.
        let deadline = status.and_then(|s| {
            [s.first_contact, s.contacts]
                .iter()
                .filter_map(|t| match t {
                    TargetState::Pending { due } => Some(*due),
                    _ => None,
                })
                .min()
        });
        let release = row.days_to_release.and(row.expected_release_on);
        out.push((
            urgency,
            (deadline.is_none(), deadline, release.is_none(), release),
            row,
        ));
    }
    out.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.name.cmp(&b.2.name))
            .then(a.2.participant_id.cmp(&b.2.participant_id))
    });
    Ok(out.into_iter().map(|(_, _, r)| r).collect())
}
