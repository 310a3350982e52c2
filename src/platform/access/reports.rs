//! Programme reports and exports: the organisation's admins and supervisors, scoped to it.

use super::*;

// ---- Reports ----
//
// Programme reports (the dashboard, GPRA tracker, quarterly report) and data exports are for the
// programme's staff who run it: admins and supervisors, always scoped to their own organisation.
// Peers, team members and auditors may not (403). Recording one participant's GPRA interview goes
// through `participant()` like any other participant write.

/// The organisation whose figures a report or export may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportScope {
    org_id: i64,
}

impl ReportScope {
    /// Only this organisation's records.
    pub fn org_id(&self) -> i64 {
        self.org_id
    }
}

/// May this actor see the programme's reports and export its data? Admins and supervisors.
pub fn reports(actor: &Actor) -> AppResult<ReportScope> {
    Ok(ReportScope {
        org_id: admin_or_supervisor(actor)?,
    })
}
