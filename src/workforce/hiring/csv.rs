//! The hiring pipeline report as CSV: one row per step, a column per drop-out reason.

use super::ops::HiringReport;
use super::rules::DropReason;
use crate::platform::error::{AppError, AppResult};

/// CSV of the pipeline report: one row per step (hired last, with its count in `entered`).
pub fn report_csv(r: &HiringReport) -> AppResult<String> {
    let mut w = crate::platform::csv_safe::Writer::from_writer(Vec::new());
    let mut head: Vec<String> = [
        "step",
        "entered",
        "advanced",
        "dropped",
        "withdrew",
        "not_selected",
        "still_in",
        "median_days",
        "mean_days",
        "advance_rate",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    head.extend(
        DropReason::ALL
            .iter()
            .map(|r| format!("dropped_{}", r.as_str())),
    );
    w.write_record(&head).map_err(AppError::internal)?;
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for s in &r.figures.steps {
        let mut row = vec![
            s.step.as_str().to_string(),
            s.entered.to_string(),
            s.advanced.to_string(),
            s.dropped.to_string(),
            s.withdrew.to_string(),
            s.not_selected.to_string(),
            s.still_in.to_string(),
            opt(s.median_days),
            opt(s.mean_days),
            opt(s.advance_rate),
        ];
        row.extend(DropReason::ALL.iter().map(|reason| {
            s.dropped_by_reason
                .iter()
                .find(|c| c.reason == *reason)
                .map_or(0, |c| c.count)
                .to_string()
        }));
        w.write_record(&row).map_err(AppError::internal)?;
    }
    let mut hired = vec![String::new(); head.len()];
    hired[0] = "hired".into();
    hired[1] = r.figures.hired.to_string();
    w.write_record(&hired).map_err(AppError::internal)?;
    String::from_utf8(w.into_inner().map_err(AppError::internal)?).map_err(AppError::internal)
}
