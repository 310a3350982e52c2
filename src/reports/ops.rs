//! Reporting use cases: the programme dashboard and GPRA tracker (from the report cache,
//! audited as report views), one participant's GPRA interviews, and the audit entry of every
//! export. Each asks the access policy and appends the audit entry, so the API (`api.rs`) and the
//! pages (`pages.rs`) only parse the request, call one of these and render the answer.

use chrono::NaiveDate;

use super::dashboard::{self, Dashboard, Filter};
use super::gpra::GpraInterview;
use super::store::{self, GpraRecord, Tracker};
use crate::consent::rules::Category;
use crate::platform::access::{self, Actor, Need, ParticipantGrant};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::{Db, Tx};
use crate::platform::error::AppResult;
use crate::platform::i18n::Tr;
use crate::platform::report_cache::Freshness;

/// What reading a participant's GPRA interviews needs: their assessments.
const READ_GPRA: Need = Need::Read(Category::Assessments);

/// The dashboard for the caller's programme (audited as a report view). The figures come from
/// the report cache when nothing they read has been written since (decision 0010).
/// Its words are in `tr`'s language: the pages', or English for the API and CSV.
pub async fn load_dashboard(
    db: &Db,
    actor: &Actor,
    f: Filter,
    tr: Tr,
) -> AppResult<(Dashboard, Freshness)> {
    let who = actor.who();
    let detail = dashboard_detail(&f);
    let today = actor.zone.today();
    let key = format!("dashboard|{f:?}|{today}|{}", tr.lang);
    // Each part is kept under the tables it reads, in every language (decision 0056).
    let parts_key = format!("{}|dashboard-part|{f:?}|{today}", f.org_id);
    let cache = db.reports.clone();
    let (d, fresh) = db
        .reports
        .get_or_compute(
            db,
            f.org_id,
            &dashboard::reads_whole(&f),
            key,
            move |c, versions| {
                let parts = dashboard::Parts::kept(&cache, versions, parts_key);
                dashboard::dashboard_of(c, &f, tr, &parts)
            },
        )
        .await?;
    db.read(move |tx| {
        audit::append(
            tx,
            &who,
            Event::new(Action::ReportsDashboard, "report", None).detail(detail),
        )
    })
    .await?;
    Ok(((*d).clone(), fresh))
}

/// The programme's GPRA tracker (audited as a report view; cached per data version and day).
pub async fn load_tracker(db: &Db, actor: &Actor) -> AppResult<(Tracker, Freshness)> {
    let scope = access::reports(actor)?;
    let who = actor.who();
    let today = actor.zone.today();
    let (t, fresh) = db
        .reports
        .get_or_compute(
            db,
            scope.org_id(),
            store::TRACKER_READS,
            format!("gpra|{today}"),
            move |c, _| store::tracker(c, scope, today),
        )
        .await?;
    db.read(move |tx| audit::append(tx, &who, Event::new(Action::ReportsGpra, "report", None)))
        .await?;
    Ok(((*t).clone(), fresh))
}

/// The policy's grant to `need` one participant's GPRA interviews, audited as `action`.
fn gpra_grant(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
    need: Need,
    action: Action,
) -> AppResult<ParticipantGrant> {
    access::participant(
        tx,
        a,
        participant_id,
        need,
        Event::new(action, "gpra", None),
    )
}

/// One participant's GPRA interviews, oldest first (those who may read the participant's
/// assessments).
pub fn gpra_interviews(tx: &mut Tx, a: &Actor, participant_id: i64) -> AppResult<Vec<GpraRecord>> {
    let g = gpra_grant(tx, a, participant_id, READ_GPRA, Action::GpraRead)?;
    store::interviews(tx.conn(), &g)
}

/// One participant's GPRA interviews and the start of their first episode (the intake date
/// when there is no intake interview), as their GPRA page shows them; audited as
/// [`gpra_interviews`].
pub fn participant_gpra(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
) -> AppResult<(Vec<GpraRecord>, Option<NaiveDate>)> {
    let g = gpra_grant(tx, a, participant_id, READ_GPRA, Action::GpraRead)?;
    Ok((
        store::interviews(tx.conn(), &g)?,
        store::first_episode_start(tx.conn(), &g)?,
    ))
}

/// Record a GPRA interview; `input` is parsed once the policy has let the caller in.
pub fn record_gpra(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
    input: impl FnOnce() -> AppResult<GpraInterview>,
) -> AppResult<GpraRecord> {
    let g = gpra_grant(tx, a, participant_id, Need::Write, Action::GpraWrite)?;
    let input = input()?;
    store::validate(&input, a.zone.today())?;
    store::record(tx, &g, Some(a.user_id), &input)
}

/// Record an export in the audit log (what, how many rows) before its first byte is sent.
pub async fn record_export(
    db: &Db,
    actor: &Actor,
    action: Action,
    detail: String,
) -> AppResult<()> {
    let who = actor.who();
    db.read(move |tx| {
        audit::append(tx, &who, Event::new(action, "export", None).detail(detail))?;
        Ok(())
    })
    .await
}

/// What a dashboard view records of its filter: "2025-12-01 to 2026-11-30", then each filter
/// set ("; facility 12; setting community; peer 7"), none for "all".
fn dashboard_detail(f: &Filter) -> String {
    let mut detail = format!("{} to {}", f.from, f.to);
    if let Some(id) = f.facility_id {
        detail.push_str(&format!("; facility {id}"));
    }
    if let Some(s) = &f.setting {
        detail.push_str(&format!("; setting {s}"));
    }
    if let Some(id) = f.peer_id {
        detail.push_str(&format!("; peer {id}"));
    }
    detail
}

#[cfg(test)]
mod tests {
    use super::{Filter, dashboard_detail};
    use crate::reports::test_dates::date as d;

    #[test]
    fn a_dashboard_view_records_only_the_filters_set() {
        let mut f = Filter {
            org_id: 1,
            facility_id: None,
            setting: None,
            peer_id: None,
            from: d("2025-12-01"),
            to: d("2026-11-30"),
        };
        assert_eq!(dashboard_detail(&f), "2025-12-01 to 2026-11-30");
        f.facility_id = Some(12);
        f.setting = Some("community".into());
        f.peer_id = Some(7);
        assert_eq!(
            dashboard_detail(&f),
            "2025-12-01 to 2026-11-30; facility 12; setting community; peer 7"
        );
    }
}
