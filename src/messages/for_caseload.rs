//! What the caseload needs to know of a person's messages (decision 0053: "not heard from"):
//! when staff messages went out and when the person wrote in, from an instant on. The caseload
//! (`journey::caseload::engagement`) counts the staff messages unanswered in a row with the pure
//! `journey::rules::unanswered`; this module only reads this capability's own table for it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rules::{Kind, Status};
use super::schema::messages;
use crate::platform::db::DbConn;
use crate::platform::error::AppResult;

/// For these people, each staff message sent (when it was sent, `false`) and each message the
/// person sent in (when it came, `true`) from `earliest` on, as (participant, when, in).
pub fn exchanges_since(
    conn: &mut DbConn,
    ids: &[i64],
    earliest: NaiveDateTime,
) -> AppResult<Vec<(i64, NaiveDateTime, bool)>> {
    let rows: Vec<(i64, String, NaiveDateTime, Option<NaiveDateTime>)> = messages::table
        .filter(messages::participant_id.eq_any(ids))
        .filter(
            messages::direction.eq("in").or(messages::direction
                .eq("out")
                .and(messages::kind.eq(Kind::Staff.as_str()))
                .and(messages::status.eq(Status::Sent.as_str()))),
        )
        .filter(
            messages::created_at
                .ge(earliest)
                .or(messages::sent_at.ge(earliest)),
        )
        .select((
            messages::participant_id,
            messages::direction,
            messages::created_at,
            messages::sent_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(pid, direction, created, sent)| {
            let inbound = direction == "in";
            let at = if inbound { Some(created) } else { sent };
            at.filter(|a| *a >= earliest).map(|a| (pid, a, inbound))
        })
        .collect())
}
