//! Workforce demo data, generated after the organisations, facilities and staff exist: each
//! provider gets both credential templates and a readiness checklist at its own stage; peers sit
//! at every stage of certification with training, supervised hours and supervision logs; some
//! wait on background exemptions (a few for over three years) or owe court fines; clearance
//! histories have denials concentrated in a few facilities; visits follow clearances.
//! Rows are inserted in batches, so the `state` scale (800 staff, 80 facilities) stays fast.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use rand::Rng;
use rand::seq::SliceRandom;

use super::codes::{Competency, DenialReason};
use super::credentials::CredentialStandard;
use super::readiness::{ItemStatus, OrgStage};
use super::schema::*;
use super::store;
use super::supervision::demo as sup_demo;
use crate::platform::audit::{self, Action, Event, Who};
use crate::platform::db::{DbConn, write_tx};
use crate::platform::error::AppResult;
use crate::platform::ids::new_id;
use crate::platform::schema::{facilities, organisations, users};
use crate::platform::time;

const CHUNK: usize = 500;

/// One status of a generated clearance: status, date, expiry, conditions, denial reason.
type HistoryStep = (
    &'static str,
    NaiveDate,
    Option<NaiveDate>,
    &'static str,
    Option<&'static str>,
);

macro_rules! insert_batched {
    ($conn:expr, $table:expr, $rows:expr) => {
        for chunk in $rows.chunks(CHUNK) {
            crate::on_backend!($conn, c => diesel::insert_into($table).values(chunk).execute(c))?;
        }
    };
}

fn half_hours(h: f64) -> f64 {
    (h * 2.0).round() / 2.0
}

/// Add the workforce records to a demo deployment (see the module docs).
pub fn generate(conn: &mut DbConn, rng: &mut impl Rng, today: NaiveDate) -> AppResult<()> {
    let providers: Vec<i64> = organisations::table
        .filter(organisations::kind.eq("provider"))
        .order(organisations::created_at)
        .select(organisations::id)
        .load(conn)?;
    let staff: Vec<(i64, i64, String, Option<i64>)> = users::table
        .filter(users::org_id.eq_any(&providers))
        .filter(users::role.eq_any(["peer", "supervisor"]))
        .order(users::created_at)
        .select((users::id, users::org_id, users::role, users::supervisor_id))
        .load(conn)?;
    let facility_ids: Vec<i64> = facilities::table
        .order(facilities::name)
        .select(facilities::id)
        .load(conn)?;
    if providers.is_empty() || facility_ids.is_empty() {
        return Ok(());
    }
    // A few facilities deny most requests (the pattern the access report exists to show).
    let hard: Vec<i64> = facility_ids
        .iter()
        .copied()
        .step_by((facility_ids.len() / 3).max(1))
        .take(3.max(facility_ids.len() / 20))
        .collect();

    // Credential standards and readiness checklists per provider.
    let mut standards: Vec<(i64, i64, CredentialStandard)> = Vec::new();
    write_tx(conn, |tx| {
        for (i, org) in providers.iter().enumerate() {
            for (_, _, rule) in store::templates() {
                let s = store::create_standard(tx, *org, &rule)?;
                standards.push((*org, s.id, rule));
            }
            let target = OrgStage::ALL[i % OrgStage::ALL.len()];
            let mut rows = store::default_readiness_rows(*org);
            for (n, r) in rows.iter_mut().enumerate() {
                let stage = OrgStage::parse(&r.stage).unwrap_or(OrgStage::Maintenance);
                let status = if stage < target {
                    ItemStatus::Done
                } else if stage == target {
                    [
                        ItemStatus::Done,
                        ItemStatus::InProgress,
                        ItemStatus::NotStarted,
                    ][n % 3]
                } else {
                    ItemStatus::NotStarted
                };
                r.status = status.as_str().into();
                if status != ItemStatus::NotStarted {
                    r.owner = ["Program director", "Peer supervisor", "HR lead"][n % 3].into();
                    r.due_on = Some(today + Duration::days(rng.gen_range(-60..120)));
                }
            }
            store::insert_readiness_rows(tx.conn(), &rows)?;
        }
        Ok(())
    })?;

    let now = time::now();
    let mut pathways = Vec::new();
    let mut training = Vec::new();
    let mut work = Vec::new();
    let mut sessions = Vec::new();
    let mut discussed = Vec::new();
    let mut reviews = Vec::new();
    let mut ratings = Vec::new();
    let mut consultations = Vec::new();
    let mut exemptions = Vec::new();
    let mut sanctions = Vec::new();
    let mut clearances = Vec::new();
    let mut events = Vec::new();
    let mut visits = Vec::new();
    let supervisors: Vec<(i64, i64)> = staff
        .iter()
        .filter(|s| s.2 == "supervisor")
        .map(|s| (s.0, s.1))
        .collect();

    for (peer, org, _, supervisor) in staff.iter().filter(|s| s.2 == "peer") {
        let org_standards: Vec<&(i64, i64, CredentialStandard)> =
            standards.iter().filter(|s| s.0 == *org).collect();
        let (_, std_id, rule) = if rng.gen_bool(0.7) {
            org_standards[0]
        } else {
            org_standards[org_standards.len() - 1]
        };
        // Stage of certification: 0 just started … 4 certified.
        let stage: u32 = rng.gen_range(0..5);
        let frac = |rng: &mut dyn rand::RngCore, lo: f64, hi: f64| rng.gen_range(lo..hi);
        let training_frac = match stage {
            0 => frac(rng, 0.0, 0.3),
            1 => frac(rng, 0.3, 0.9),
            _ => 1.0,
        };
        let hours_frac = match stage {
            0 | 1 => frac(rng, 0.0, 0.2),
            2 => frac(rng, 0.2, 0.9),
            _ => 1.05,
        };
        let certified_on = (stage == 4).then(|| today - Duration::days(rng.gen_range(20..720)));
        let start = today - Duration::days(rng.gen_range(120..900));
        for (domain, need) in &rule.training_hours_by_domain {
            let h = half_hours(need * training_frac);
            if h > 0.0 {
                let on = start + Duration::days(rng.gen_range(0..90));
                training.push((
                    training_records::id.eq(new_id()),
                    training_records::org_id.eq(*org),
                    training_records::peer_id.eq(*peer),
                    training_records::course.eq(format!("{domain} (core training)")),
                    training_records::domain.eq(domain.clone()),
                    training_records::hours.eq(h),
                    training_records::completed_on.eq(on.min(today)),
                    training_records::evidence.eq(format!("CERT-{}", rng.gen_range(10000..99999))),
                    training_records::continuing_education.eq(false),
                    training_records::ethics.eq(false),
                    training_records::created_at.eq(now),
                ));
            }
        }
        if let Some(c) = certified_on {
            // Continuing education since certification: some on track, some behind.
            let ce = if rng.gen_bool(0.6) { 3 } else { 1 };
            for k in 0..ce {
                let on = c + Duration::days(rng.gen_range(10..((today - c).num_days().max(11))));
                training.push((
                    training_records::id.eq(new_id()),
                    training_records::org_id.eq(*org),
                    training_records::peer_id.eq(*peer),
                    training_records::course.eq("Continuing education workshop".to_string()),
                    training_records::domain.eq("Continuing education".to_string()),
                    training_records::hours.eq(if k == 0 { 3.0 } else { 4.0 }),
                    training_records::completed_on.eq(on.min(today)),
                    training_records::evidence.eq(String::new()),
                    training_records::continuing_education.eq(true),
                    training_records::ethics.eq(k == 0),
                    training_records::created_at.eq(now),
                ));
            }
        }
        // Supervised work hours: monthly entries, the latest recent so the pace projects.
        let total_work = rule.supervised_work_hours * hours_frac;
        let months = rng.gen_range(3..10);
        for m in 0..months {
            let h = half_hours(total_work / months as f64);
            if h > 0.0 {
                work.push((
                    work_hours::id.eq(new_id()),
                    work_hours::org_id.eq(*org),
                    work_hours::peer_id.eq(*peer),
                    work_hours::worked_on.eq(today - Duration::days(m * 30 + rng.gen_range(0..7))),
                    work_hours::hours.eq(h),
                    work_hours::note.eq("Monthly timesheet".to_string()),
                    work_hours::created_at.eq(now),
                ));
            }
        }
        // Supervision sessions: about every three weeks.
        let sup_total = rule.supervision_hours * hours_frac;
        let n_sessions = ((sup_total / 1.25).ceil() as i64).clamp(1, 30);
        let sup_id = supervisor
            .or_else(|| supervisors.iter().find(|s| s.1 == *org).map(|s| s.0))
            .unwrap_or(*peer);
        for k in 0..n_sessions {
            let mut topics: Vec<&str> = Competency::ALL.iter().map(Competency::as_str).collect();
            topics.shuffle(rng);
            topics.truncate(rng.gen_range(1..4));
            let id = new_id();
            let held_on = today - Duration::days(k * 21 + rng.gen_range(0..5));
            let (sup_by, sup_at, peer_by, peer_at) =
                sup_demo::signatures(k, held_on, sup_id, *peer);
            for t in &topics {
                discussed.push((
                    supervision_competencies::session_id.eq(id),
                    supervision_competencies::org_id.eq(*org),
                    supervision_competencies::competency.eq(t.to_string()),
                ));
            }
            sessions.push((
                supervision_sessions::id.eq(id),
                supervision_sessions::org_id.eq(*org),
                supervision_sessions::supervisor_id.eq(sup_id),
                supervision_sessions::peer_id.eq(*peer),
                supervision_sessions::held_on.eq(held_on),
                supervision_sessions::format.eq(if k % 3 == 2 { "group" } else { "individual" }),
                supervision_sessions::hours.eq(if k % 3 == 2 { 1.5 } else { 1.0 }),
                supervision_sessions::minutes.eq(if k % 3 == 2 { 90 } else { 60 }),
                supervision_sessions::supervisor_signed_by.eq(sup_by),
                supervision_sessions::supervisor_signed_at.eq(sup_at),
                supervision_sessions::peer_signed_by.eq(peer_by),
                supervision_sessions::peer_signed_at.eq(peer_at),
                supervision_sessions::topics.eq(topics.join(",")),
                supervision_sessions::wellness_checkin.eq([
                    "Doing well",
                    "Tired after a hard week",
                    "Good; boundaries holding",
                ][(k % 3) as usize]
                    .to_string()),
                supervision_sessions::action_items.eq("Follow up on release plans".to_string()),
                supervision_sessions::created_at.eq(now),
            ));
        }
        // Quarterly competency reviews with rising ratings; now and then a consultation.
        for r in sup_demo::reviews(&mut *rng, today) {
            let rid = new_id();
            reviews.push((
                competency_reviews::id.eq(rid),
                competency_reviews::org_id.eq(*org),
                competency_reviews::peer_id.eq(*peer),
                competency_reviews::reviewer_id.eq(sup_id),
                competency_reviews::reviewed_on.eq(r.on),
                competency_reviews::notes.eq(String::new()),
                competency_reviews::created_at.eq(now),
            ));
            for (c, own, sup, goal) in r.ratings {
                ratings.push((
                    competency_ratings::review_id.eq(rid),
                    competency_ratings::org_id.eq(*org),
                    competency_ratings::competency.eq(c.as_str().to_string()),
                    competency_ratings::self_rating.eq(Some(own)),
                    competency_ratings::supervisor_rating.eq(Some(sup)),
                    competency_ratings::goal.eq(goal.to_string()),
                ));
            }
        }
        if rng.gen_bool(0.4) && sup_id != *peer {
            let (q, g, o) =
                sup_demo::CONSULTATIONS[rng.gen_range(0..sup_demo::CONSULTATIONS.len())];
            consultations.push((
                ethics_consultations::id.eq(new_id()),
                ethics_consultations::org_id.eq(*org),
                ethics_consultations::peer_id.eq(*peer),
                ethics_consultations::held_on.eq(today - Duration::days(rng.gen_range(3..60))),
                ethics_consultations::consulted_with_id.eq(Some(sup_id)),
                ethics_consultations::consulted_with.eq("Peer supervisor".to_string()),
                ethics_consultations::minutes.eq(30),
                ethics_consultations::question.eq(q.to_string()),
                ethics_consultations::guidance.eq(g.to_string()),
                ethics_consultations::outcome.eq(o.to_string()),
                ethics_consultations::recorded_by.eq(sup_id),
                ethics_consultations::created_at.eq(now),
            ));
        }
        let exam = (stage >= 3).then(|| today - Duration::days(rng.gen_range(30..200)));
        pathways.push((
            peer_pathways::id.eq(new_id()),
            peer_pathways::org_id.eq(*org),
            peer_pathways::peer_id.eq(*peer),
            peer_pathways::standard_id.eq(*std_id),
            peer_pathways::exam_passed_on.eq(exam.map(|e| certified_on.map_or(e, |c| e.min(c)))),
            peer_pathways::ethics_signed_on.eq((stage >= 1).then_some(start)),
            peer_pathways::background_cleared_on
                .eq((stage >= 3).then(|| start + Duration::days(30))),
            peer_pathways::education_met.eq(stage >= 1),
            peer_pathways::fees_paid.eq(stage >= 3),
            peer_pathways::certified_on.eq(certified_on),
            peer_pathways::created_at.eq(now),
            peer_pathways::updated_at.eq(now),
        ));
        // Background exemptions: a third of peers; some take years.
        if stage < 4 && rng.gen_bool(0.35) {
            let long = rng.gen_bool(0.2);
            let applied = today
                - Duration::days(if long {
                    rng.gen_range(1100..1500)
                } else {
                    rng.gen_range(20..700)
                });
            let requested = applied + Duration::days(rng.gen_range(20..120));
            let sent = requested + Duration::days(rng.gen_range(10..90));
            let decided = (!long && rng.gen_bool(0.5))
                .then(|| sent + Duration::days(rng.gen_range(30..300)))
                .filter(|d| *d <= today);
            let decision = decided.map(|_| match rng.gen_range(0..10) {
                0..=5 => "granted",
                6..=8 => "denied",
                _ => "withdrawn",
            });
            exemptions.push((
                exemption_processes::id.eq(new_id()),
                exemption_processes::org_id.eq(*org),
                exemption_processes::peer_id.eq(*peer),
                exemption_processes::applied_on.eq(applied),
                exemption_processes::documents_requested_on
                    .eq((requested <= today).then_some(requested)),
                exemption_processes::documents_sent_on.eq((sent <= today).then_some(sent)),
                exemption_processes::decided_on.eq(decided),
                exemption_processes::decision.eq(decision),
                exemption_processes::notes.eq(String::new()),
                exemption_processes::created_at.eq(now),
                exemption_processes::updated_at.eq(now),
            ));
        }
        if rng.gen_bool(0.15) {
            sanctions.push((
                monetary_sanctions::id.eq(new_id()),
                monetary_sanctions::org_id.eq(*org),
                monetary_sanctions::peer_id.eq(*peer),
                monetary_sanctions::kind
                    .eq(["fine", "fee", "restitution", "fee"][rng.gen_range(0..4)]),
                monetary_sanctions::amount_usd.eq(f64::from(rng.gen_range(2..160)) * 50.0),
                monetary_sanctions::payment_plan.eq(rng.gen_bool(0.5)),
                monetary_sanctions::blocks_credential.eq(true),
                monetary_sanctions::resolved_on.eq(rng
                    .gen_bool(0.2)
                    .then(|| today - Duration::days(rng.gen_range(1..200)))),
                monetary_sanctions::created_at.eq(now),
            ));
        }
        // Facility clearances and visits.
        let mut facs = facility_ids.clone();
        facs.shuffle(rng);
        let n_fac = rng.gen_range(1..4);
        let mut chosen: Vec<i64> = facs.into_iter().take(n_fac).collect();
        if rng.gen_bool(0.4) {
            chosen.push(hard[rng.gen_range(0..hard.len())]);
            chosen.dedup();
        }
        for fac in chosen {
            let is_hard = hard.contains(&fac);
            let cid = new_id();
            let requested = today - Duration::days(rng.gen_range(10..700));
            let mut history: Vec<HistoryStep> = vec![("requested", requested, None, "", None)];
            let decided = requested + Duration::days(rng.gen_range(5..120));
            let roll: f64 = rng.r#gen();
            if decided > today || roll < 0.06 {
                history.push(("pending", requested + Duration::days(3), None, "", None));
            } else if (is_hard && roll < 0.65) || (!is_hard && roll < 0.14) {
                let reason = match rng.gen_range(0..10) {
                    0..=4 => DenialReason::PriorIncarceration,
                    5 | 6 => DenialReason::OpenCaseOrSupervision,
                    7 => DenialReason::Paperwork,
                    8 => DenialReason::NoReasonGiven,
                    _ => DenialReason::Other,
                };
                history.push(("denied", decided, None, "", Some(reason.as_str())));
            } else {
                let expires = decided + Duration::days(365);
                let cond = if rng.gen_bool(0.3) {
                    "Escort required"
                } else {
                    ""
                };
                history.push(("granted", decided, Some(expires), cond, None));
                if rng.gen_bool(0.04) && decided + Duration::days(60) <= today {
                    history.push((
                        "revoked",
                        decided + Duration::days(60),
                        None,
                        "",
                        Some(DenialReason::NoReasonGiven.as_str()),
                    ));
                } else if expires <= today {
                    history.push(("expired", expires, None, "", None));
                } else {
                    // Visits while cleared.
                    for _ in 0..rng.gen_range(3..9) {
                        let on = decided
                            + Duration::days(
                                rng.gen_range(1..=(today - decided).num_days().max(1)),
                            );
                        let r: f64 = rng.r#gen();
                        let refuse = if is_hard { 0.25 } else { 0.05 };
                        let (outcome, why) = if r < refuse {
                            ("refused_at_door", "Not on the list at the gate")
                        } else if r < refuse + 0.08 {
                            ("cancelled_by_facility", "Lockdown")
                        } else if r < refuse + 0.13 {
                            ("cancelled_by_peer", "")
                        } else {
                            ("completed", "")
                        };
                        visits.push((
                            facility_visits::id.eq(new_id()),
                            facility_visits::org_id.eq(*org),
                            facility_visits::peer_id.eq(*peer),
                            facility_visits::facility_id.eq(fac),
                            facility_visits::scheduled_on.eq(on.min(today)),
                            facility_visits::outcome.eq(outcome),
                            facility_visits::refusal_reason.eq(why.to_string()),
                            facility_visits::created_at.eq(now),
                        ));
                    }
                }
            }
            let last = history
                .last()
                .copied()
                .unwrap_or(("requested", requested, None, "", None));
            clearances.push((
                facility_clearances::id.eq(cid),
                facility_clearances::org_id.eq(*org),
                facility_clearances::peer_id.eq(*peer),
                facility_clearances::facility_id.eq(fac),
                facility_clearances::requested_on.eq(requested),
                facility_clearances::status.eq(last.0),
                facility_clearances::status_on.eq(last.1),
                facility_clearances::expires_on.eq(last.2),
                facility_clearances::conditions.eq(last.3.to_string()),
                facility_clearances::denial_reason.eq(last.4),
                facility_clearances::created_at.eq(now),
                facility_clearances::updated_at.eq(now),
            ));
            for (status, on, expires, cond, reason) in history {
                events.push((
                    clearance_events::id.eq(new_id()),
                    clearance_events::org_id.eq(*org),
                    clearance_events::clearance_id.eq(cid),
                    clearance_events::status.eq(status),
                    clearance_events::on_date.eq(on),
                    clearance_events::expires_on.eq(expires),
                    clearance_events::conditions.eq(cond.to_string()),
                    clearance_events::denial_reason.eq(reason),
                    clearance_events::note.eq(String::new()),
                    clearance_events::created_at.eq(now),
                ));
            }
        }
    }

    let summary = format!(
        "{} pathways, {} training records, {} supervision sessions, {} exemption processes, {} clearances, {} visits",
        pathways.len(),
        training.len(),
        sessions.len(),
        exemptions.len(),
        clearances.len(),
        visits.len()
    );
    write_tx(conn, |tx| {
        insert_batched!(tx.conn(), peer_pathways::table, pathways);
        insert_batched!(tx.conn(), training_records::table, training);
        insert_batched!(tx.conn(), work_hours::table, work);
        insert_batched!(tx.conn(), supervision_sessions::table, sessions);
        insert_batched!(tx.conn(), supervision_competencies::table, discussed);
        insert_batched!(tx.conn(), competency_reviews::table, reviews);
        insert_batched!(tx.conn(), competency_ratings::table, ratings);
        insert_batched!(tx.conn(), ethics_consultations::table, consultations);
        insert_batched!(tx.conn(), exemption_processes::table, exemptions);
        insert_batched!(tx.conn(), monetary_sanctions::table, sanctions);
        insert_batched!(tx.conn(), facility_clearances::table, clearances);
        insert_batched!(tx.conn(), clearance_events::table, events);
        insert_batched!(tx.conn(), facility_visits::table, visits);
        audit::append(
            tx,
            &Who::command_line(),
            Event::new(Action::DemoWorkforce, "deployment", None).detail(summary),
        )?;
        Ok(())
    })?;
    Ok(())
}
