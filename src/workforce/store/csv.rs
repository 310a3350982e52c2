//! The workforce reports written as CSV (barriers and facility access).

use super::*;
use crate::platform::error::{AppError, AppResult};
use crate::workforce::codes::DenialReason;
use crate::workforce::figures::{BARRIER_LINES, BarrierFigures, FacilityAccessRow};

/// CSV of the barriers report: one row per figure, one column per scope.
pub fn barriers_csv(r: &BarriersReport) -> AppResult<String> {
    let mut w = crate::platform::csv_safe::Writer::from_writer(Vec::new());
    w.write_record(["figure", "programme", "deployment"])
        .map_err(AppError::internal)?;
    for line in BARRIER_LINES {
        let cell = |f: &BarrierFigures| (line.value)(f).unwrap_or_default();
        w.write_record([line.key, &cell(&r.programme), &cell(&r.deployment)])
            .map_err(AppError::internal)?;
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
