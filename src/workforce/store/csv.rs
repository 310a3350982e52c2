//! The workforce reports written as CSV (barriers and facility access).

use super::*;
use crate::platform::error::{AppError, AppResult};
use crate::workforce::codes::DenialReason;
use crate::workforce::figures::FacilityAccessRow;

/// CSV of the barriers report: one row per figure, one column per scope.
pub fn barriers_csv(r: &BarriersReport) -> AppResult<String> {
    let mut w = crate::platform::csv_safe::Writer::from_writer(Vec::new());
    w.write_record(["figure", "programme", "deployment"])
        .map_err(AppError::internal)?;
    let opt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
    let rows: Vec<(&str, String, String)> = vec![
        (
            "peers",
            r.programme.peers.to_string(),
            r.deployment.peers.to_string(),
        ),
        (
            "exemption_processes",
            r.programme.exemption_processes.to_string(),
            r.deployment.exemption_processes.to_string(),
        ),
        (
            "open",
            r.programme.open.to_string(),
            r.deployment.open.to_string(),
        ),
        (
            "granted",
            r.programme.granted.to_string(),
            r.deployment.granted.to_string(),
        ),
        (
            "denied",
            r.programme.denied.to_string(),
            r.deployment.denied.to_string(),
        ),
        (
            "withdrawn",
            r.programme.withdrawn.to_string(),
            r.deployment.withdrawn.to_string(),
        ),
        (
            "median_days_in_process",
            opt(r.programme.median_days_in_process),
            opt(r.deployment.median_days_in_process),
        ),
        (
            "median_days_open",
            opt(r.programme.median_days_open),
            opt(r.deployment.median_days_open),
        ),
        (
            "longest_days",
            r.programme
                .longest_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            r.deployment
                .longest_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
        (
            "over_three_years",
            r.programme.over_three_years.to_string(),
            r.deployment.over_three_years.to_string(),
        ),
        (
            "peers_blocked",
            r.programme.peers_blocked.to_string(),
            r.deployment.peers_blocked.to_string(),
        ),
        (
            "blocked_by_open_exemption",
            r.programme.blocked_by_open_exemption.to_string(),
            r.deployment.blocked_by_open_exemption.to_string(),
        ),
        (
            "blocked_by_denied_exemption",
            r.programme.blocked_by_denied_exemption.to_string(),
            r.deployment.blocked_by_denied_exemption.to_string(),
        ),
        (
            "blocked_by_monetary_sanctions",
            r.programme.blocked_by_monetary_sanctions.to_string(),
            r.deployment.blocked_by_monetary_sanctions.to_string(),
        ),
        (
            "blocked_on_payment_plan",
            r.programme.blocked_on_payment_plan.to_string(),
            r.deployment.blocked_on_payment_plan.to_string(),
        ),
        (
            "outstanding_usd",
            format!("{:.2}", r.programme.outstanding_usd),
            format!("{:.2}", r.deployment.outstanding_usd),
        ),
    ];
    for (k, a, b) in rows {
        w.write_record([k, &a, &b]).map_err(AppError::internal)?;
    }
    String::from_utf8(w.into_inner().map_err(AppError::internal)?).map_err(AppError::internal)
}

/// CSV of the facility access report, one row per facility (worst first).
pub fn facility_access_csv(rows: &[FacilityAccessRow]) -> AppResult<String> {
    let mut w = crate::platform::csv_safe::Writer::from_writer(Vec::new());
    let mut head = vec![
        "facility".to_string(),
        "requests".into(),
        "granted".into(),
        "denied".into(),
        "revoked".into(),
        "denial_rate".into(),
    ];
    head.extend(
        DenialReason::ALL
            .iter()
            .map(|r| format!("denied_{}", r.as_str())),
    );
    head.extend([
        "median_days_to_clearance".into(),
        "visits_scheduled".into(),
        "visits_completed".into(),
        "refused_at_door".into(),
        "cancelled_by_facility".into(),
        "participants_without_contact".into(),
    ]);
    w.write_record(&head).map_err(AppError::internal)?;
    for r in rows {
        let mut rec = vec![
            r.facility.clone(),
            r.requests.to_string(),
            r.granted.to_string(),
            r.denied.to_string(),
            r.revoked.to_string(),
            r.denial_rate.map(|x| format!("{x:.3}")).unwrap_or_default(),
        ];
        rec.extend(r.denied_by_reason.iter().map(|c| c.count.to_string()));
        rec.extend([
            r.median_days_to_clearance
                .map(|x| format!("{x}"))
                .unwrap_or_default(),
            r.visits_scheduled.to_string(),
            r.visits_completed.to_string(),
            r.refused_at_door.to_string(),
            r.cancelled_by_facility.to_string(),
            r.participants_without_contact.to_string(),
        ]);
        w.write_record(&rec).map_err(AppError::internal)?;
    }
    String::from_utf8(w.into_inner().map_err(AppError::internal)?).map_err(AppError::internal)
}
