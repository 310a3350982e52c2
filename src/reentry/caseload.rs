//! Reentry on the caseload and the home page (issue 17 item 2): each line of a caseload page
//! says "screen due" from the booking, "window opens" or "in window" from the expected release
//! and the state's window, and a warm handoff due or overdue. The flags come from
//! [`rules::standing`], the same decision the participant's reentry status shows.
//!
//! The caseload has already asked the policy (`access::list_scope`) and audited the view; these
//! reads are of the same organisation's participants, on the same page, under that scope.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use super::rules::{self, HandoffState, ScreeningState, Situation, WindowState};
use super::schema::{reentry_handoffs, reentry_screenings};
use super::store;
use crate::journey::caseload::CaseloadRow;
use crate::platform::access::ListScope;
use crate::platform::db::Tx;
use crate::platform::error::AppResult;
use crate::platform::time;

/// A caseload line's reentry flags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReentryFlags {
    /// due, overdue: the eligibility screening, due 72 hours after booking (absent when done
    /// or not in custody).
    #[schema(example = "due")]
    pub screening: Option<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub screening_due_at: Option<NaiveDateTime>,
    /// The first day of the pre-release window, while it has not opened.
    pub window_opens_on: Option<NaiveDate>,
    /// In the pre-release window now.
    pub in_window: bool,
    /// due, overdue: the warm handoff to the post-release provider (absent when held, or not
    /// due yet).
    #[schema(example = "overdue")]
    pub handoff: Option<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub handoff_due_at: Option<NaiveDateTime>,
    /// Something to do now (a screening, or a handoff in the open window or after release).
    pub needs_action: bool,
    /// A screening or a handoff overdue: the supervisor sees it.
    pub late: bool,
}

/// The caseload says "window opens" this many days ahead; further off, the participant's
/// reentry page has the date.
pub const WINDOW_OPENS_SHOWN_DAYS: i64 = 30;

/// Set the reentry flags of these caseload rows at `now`: three reads for the whole page (the
/// programme, the newest screening of each person, their first handoff held).
pub fn annotate(
    tx: &mut Tx,
    scope: &ListScope,
    rows: &mut [CaseloadRow],
    now: NaiveDateTime,
) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let org = scope.org_id();
    let ids: Vec<i64> = rows.iter().map(|r| r.participant_id).collect();
    let programme = store::programme(tx.conn(), org)?.rules();
    let zone = time::zone_of(tx.conn(), org)?;
    let mut screened: HashMap<i64, (NaiveDateTime, bool)> = HashMap::new();
    for (pid, at, youth) in reentry_screenings::table
        .filter(reentry_screenings::org_id.eq(org))
        .filter(reentry_screenings::participant_id.eq_any(&ids))
        .select((
            reentry_screenings::participant_id,
            reentry_screenings::screened_at,
            reentry_screenings::youth,
        ))
        .load::<(i64, NaiveDateTime, bool)>(tx.conn())?
    {
        let e = screened.entry(pid).or_insert((at, youth));
        if at > e.0 {
            *e = (at, youth);
        }
    }
    let mut held: HashMap<i64, NaiveDateTime> = HashMap::new();
    for (pid, at) in reentry_handoffs::table
        .filter(reentry_handoffs::org_id.eq(org))
        .filter(reentry_handoffs::participant_id.eq_any(&ids))
        .filter(reentry_handoffs::held_at.is_not_null())
        .select((reentry_handoffs::participant_id, reentry_handoffs::held_at))
        .load::<(i64, Option<NaiveDateTime>)>(tx.conn())?
    {
        if let Some(at) = at {
            let e = held.entry(pid).or_insert(at);
            *e = (*e).min(at);
        }
    }
    for row in rows.iter_mut() {
        let last = screened.get(&row.participant_id);
        let s = Situation {
            booked_on: row.booked_on,
            expected_release: row.expected_release_on,
            released_at: row.released_at,
            last_screened_at: last.map(|l| l.0),
            youth: last.is_some_and(|l| l.1),
            first_handoff_held_at: held.get(&row.participant_id).copied(),
        };
        row.reentry = flags(&s, &programme, &zone, now);
    }
    Ok(())
}

/// The flags of one person, or `None` when reentry has nothing to say about them.
fn flags(
    s: &Situation,
    programme: &rules::ProgrammeRules,
    zone: &time::Zone,
    now: NaiveDateTime,
) -> Option<ReentryFlags> {
    let st = rules::standing(s, programme, zone, now);
    let shown = rules::handoff_still_shown(s, now);
    let (handoff, handoff_due_at) = match st.handoff.filter(|_| shown) {
        Some(HandoffState::Due(t)) if matches!(st.window, Some(WindowState::Open(_)) | None) => {
            (Some("due"), Some(t))
        }
        Some(HandoffState::Overdue(t)) => (Some("overdue"), Some(t)),
        _ => (None, None),
    };
    let (screening, screening_due_at) = match st.screening {
        Some(ScreeningState::Due(t)) => (Some("due"), Some(t)),
        Some(ScreeningState::Overdue(t)) => (Some("overdue"), Some(t)),
        _ => (None, None),
    };
    let f = ReentryFlags {
        screening: screening.map(str::to_string),
        screening_due_at,
        window_opens_on: match st.window {
            Some(WindowState::Opens(d))
                if d <= zone.date_of(now) + TimeDelta::days(WINDOW_OPENS_SHOWN_DAYS) =>
            {
                Some(d)
            }
            _ => None,
        },
        in_window: matches!(st.window, Some(WindowState::Open(_))),
        handoff: handoff.map(str::to_string),
        handoff_due_at,
        needs_action: screening.is_some() || handoff.is_some(),
        late: screening == Some("overdue") || handoff == Some("overdue"),
    };
    (f != ReentryFlags::default()).then_some(f)
}
