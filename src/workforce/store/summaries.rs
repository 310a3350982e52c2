//! Lists of peers with a summary of each one's progress and alerts, for the workforce overview.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde::Serialize;

use super::*;
use crate::platform::db::DbConn;
use crate::platform::error::AppResult;
use crate::platform::schema::users;
use crate::workforce::schema::*;

/// A peer (or supervisor) in a workforce list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PeerSummary {
    pub id: i64,
    pub name: String,
    #[schema(value_type = crate::platform::access::Role)]
    pub role: String,
    pub supervisor_id: Option<i64>,
    /// Best overall progress over their pathways (0..=1), if any pathway.
    pub overall: Option<f64>,
    /// Supervision hours received this calendar month.
    pub supervision_hours_this_month: f64,
    pub alerts: Vec<AlertView>,
    pub certified: bool,
}

impl PeerSummary {
    pub fn percent(&self) -> i64 {
        self.overall
            .map(|o| (o * 100.0).floor() as i64)
            .unwrap_or(0)
    }
}

/// The rows of `$table` (read as `$row`) of the peers `ids`, by peer: 500 peers a query.
macro_rules! by_peer {
    ($conn:expr, $ids:expr, $table:ident, $row:ty) => {{
        let mut by: HashMap<i64, Vec<$row>> = HashMap::new();
        for chunk in $ids.chunks(500) {
            for r in $table::table
                .filter($table::peer_id.eq_any(chunk))
                .select(<$row>::as_select())
                .load($conn)?
            {
                by.entry(r.peer_id).or_default().push(r);
            }
        }
        by
    }};
}

/// A peer's rows from a `by_peer!` map (none when they have none).
fn of_peer<T>(by: &HashMap<i64, Vec<T>>, peer: i64) -> &[T] {
    by.get(&peer).map_or(&[], Vec::as_slice)
}

/// Summaries of the peers of `org_id`, or only those supervised by `supervisor` when given.
pub fn peer_summaries(
    conn: &mut DbConn,
    org_id: i64,
    supervisor: Option<i64>,
    today: NaiveDate,
) -> AppResult<Vec<PeerSummary>> {
    let mut q = users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::role.eq_any(["peer", "supervisor"]))
        .filter(users::disabled_at.is_null())
        .into_boxed();
    if let Some(s) = supervisor {
        q = q.filter(users::supervisor_id.eq(s));
    }
    let people: Vec<(i64, String, String, Option<i64>)> = q
        .order(users::name)
        .select((users::id, users::name, users::role, users::supervisor_id))
        .load(conn)?;
    let ids: Vec<i64> = people.iter().map(|p| p.0).collect();
    let standards = standards_of(conn, org_id)?;
    let pathways = by_peer!(conn, &ids, peer_pathways, Pathway);
    let training = by_peer!(conn, &ids, training_records, TrainingRecord);
    let work = by_peer!(conn, &ids, work_hours, WorkHours);
    let sup = by_peer!(conn, &ids, supervision_sessions, SupervisionSession);
    let ex = by_peer!(conn, &ids, exemption_processes, Exemption);
    let cons = by_peer!(conn, &ids, ethics_consultations, Consultation);
    let month_start = today.with_day(1).unwrap_or(today);
    Ok(people
        .into_iter()
        .map(|(id, name, role, supervisor_id)| {
            let views = pathway_views(
                of_peer(&pathways, id),
                &standards,
                of_peer(&training, id),
                of_peer(&work, id),
                (of_peer(&sup, id), of_peer(&cons, id)),
                of_peer(&ex, id),
                today,
            );
            let month: f64 = of_peer(&sup, id)
                .iter()
                .filter(|s| s.held_on >= month_start && s.held_on <= today)
                .map(|s| s.hours)
                .sum();
            PeerSummary {
                id,
                name,
                role,
                supervisor_id,
                overall: views.iter().map(|v| v.overall).reduce(f64::max),
                supervision_hours_this_month: month,
                alerts: views.iter().flat_map(|v| v.alerts.clone()).collect(),
                certified: views.iter().any(|v| v.pathway.certified_on.is_some()),
            }
        })
        .collect())
}
