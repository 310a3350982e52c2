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
    let mut pathways: HashMap<i64, Vec<Pathway>> = HashMap::new();
    let mut training: HashMap<i64, Vec<TrainingRecord>> = HashMap::new();
    let mut work: HashMap<i64, Vec<WorkHours>> = HashMap::new();
    let mut sup: HashMap<i64, Vec<SupervisionSession>> = HashMap::new();
    let mut ex: HashMap<i64, Vec<Exemption>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for p in peer_pathways::table
            .filter(peer_pathways::peer_id.eq_any(chunk))
            .select(Pathway::as_select())
            .load(conn)?
        {
            pathways.entry(p.peer_id).or_default().push(p);
        }
        for t in training_records::table
            .filter(training_records::peer_id.eq_any(chunk))
            .select(TrainingRecord::as_select())
            .load(conn)?
        {
            training.entry(t.peer_id).or_default().push(t);
        }
        for w in work_hours::table
            .filter(work_hours::peer_id.eq_any(chunk))
            .select(WorkHours::as_select())
            .load(conn)?
        {
            work.entry(w.peer_id).or_default().push(w);
        }
        for s in supervision_sessions::table
            .filter(supervision_sessions::peer_id.eq_any(chunk))
            .select(SupervisionSession::as_select())
            .load(conn)?
        {
            sup.entry(s.peer_id).or_default().push(s);
        }
        for e in exemption_processes::table
            .filter(exemption_processes::peer_id.eq_any(chunk))
            .select(Exemption::as_select())
            .load(conn)?
        {
            ex.entry(e.peer_id).or_default().push(e);
        }
    }
    let month_start = today.with_day(1).unwrap_or(today);
    Ok(people
        .into_iter()
        .map(|(id, name, role, supervisor_id)| {
            let views = pathway_views(
                pathways.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                &standards,
                training.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                work.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                sup.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                ex.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                today,
            );
            let month: f64 = sup
                .get(&id)
                .map(|v| {
                    v.iter()
                        .filter(|s| s.held_on >= month_start && s.held_on <= today)
                        .map(|s| s.hours)
                        .sum()
                })
                .unwrap_or(0.0);
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
