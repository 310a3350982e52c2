//! Synthetic journeys for the demo: people at every stage (in jail with a release date coming,
//! in prison, released today and in their 14-day window, some released without warning, in the
//! community under supervision, discharged), with encounters, BARC-10s, stages, plans,
//! referrals with realistic outcomes, and follow-ups. Proportions are invented but plausible.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use indicatif::ProgressBar;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::rules::{
    self, ChecklistItemKind, CompetencyArea, EncounterService, FollowUpPoint, GoalDomain,
    ReferralStatus, ReferralType,
};
use super::schema::{
    barc10_assessments, checklist_items, custody_events, encounters, episodes, followups,
    goal_steps, goals, participant_identifiers, referral_events, referrals, stage_records,
};
use crate::assessments::stages::StageOfChange;
use crate::on_backend;
use crate::platform::db::{DbConn, write_tx};
use crate::platform::error::AppResult;
use crate::platform::ids::new_id;
use crate::platform::schema::{facilities, participants, users};

pub mod appointments;
mod batch;
use batch::Batch;

/// Setting, start, expected release, release time, and discharge of a synthetic episode.
type Shape = (
    &'static str,
    NaiveDate,
    Option<NaiveDate>,
    Option<NaiveDateTime>,
    Option<(NaiveDate, &'static str)>,
);

/// The journey stages a synthetic person can be at today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// In jail or prison, expected release in `days` (None: unknown).
    InCustody { release_in: Option<i64> },
    /// Released `days_ago` days ago (0..=14 is the window).
    Released { days_ago: i64, unannounced: bool },
    /// Enrolled from probation or parole `days_ago` days ago.
    Community { days_ago: i64 },
    /// Discharged `days_ago` days ago.
    Discharged { days_ago: i64 },
}

fn pick_phase(rng: &mut StdRng) -> Phase {
    let r: f64 = rng.r#gen();
    if r < 0.30 {
        let release_in = if rng.gen_bool(0.2) {
            None
        } else {
            Some(rng.gen_range(-3..120))
        };
        Phase::InCustody { release_in }
    } else if r < 0.36 {
        Phase::InCustody {
            release_in: Some(rng.gen_range(120..1500)),
        }
    } else if r < 0.40 {
        Phase::Released {
            days_ago: rng.gen_range(0..=14),
            unannounced: rng.gen_bool(0.2),
        }
    } else if r < 0.68 {
        Phase::Released {
            days_ago: rng.gen_range(15..700),
            unannounced: rng.gen_bool(0.15),
        }
    } else if r < 0.85 {
        Phase::Community {
            days_ago: rng.gen_range(1..600),
        }
    } else {
        Phase::Discharged {
            days_ago: rng.gen_range(1..500),
        }
    }
}

struct Person {
    id: i64,
    org_id: i64,
    peer: Option<i64>,
}

/// Generate journeys for every participant in the database.
pub fn generate(
    conn: &mut DbConn,
    rng: &mut StdRng,
    now: NaiveDateTime,
    encounters_per_person: f64,
    bar: &ProgressBar,
) -> AppResult<()> {
    let today = now.date();
    let people: Vec<Person> = participants::table
        .select((
            participants::id,
            participants::org_id,
            participants::assigned_peer_id,
        ))
        .order(participants::id)
        .load::<(i64, i64, Option<i64>)>(conn)?
        .into_iter()
        .map(|(id, org_id, peer)| Person { id, org_id, peer })
        .collect();
    let facs: Vec<(i64, String)> = facilities::table
        .select((facilities::id, facilities::setting))
        .load(conn)?;
    let custody_facs: Vec<i64> = facs
        .iter()
        .filter(|(_, s)| s != "community")
        .map(|(i, _)| *i)
        .collect();
    let demo_peer: Option<i64> = users::table
        .filter(users::email.eq("peer@demo.throughcare.example"))
        .select(users::id)
        .first(conn)
        .optional()?;
    let mut scripted = 0;
    bar.set_length(people.len() as u64);
    bar.set_position(0);
    bar.set_message("journeys");
    for chunk in people.chunks(1000) {
        let mut b = Batch::default();
        for p in chunk {
            // The demo peer's first people show every state the caseload must make visible.
            let phase = if p.peer.is_some() && p.peer == demo_peer && scripted < 6 {
                scripted += 1;
                match scripted {
                    1 => Phase::Released {
                        days_ago: 0,
                        unannounced: true,
                    },
                    2 => Phase::Released {
                        days_ago: 2,
                        unannounced: false,
                    },
                    3 => Phase::Released {
                        days_ago: 6,
                        unannounced: false,
                    },
                    4 => Phase::InCustody {
                        release_in: Some(3),
                    },
                    5 => Phase::InCustody {
                        release_in: Some(20),
                    },
                    _ => Phase::InCustody { release_in: None },
                }
            } else {
                pick_phase(rng)
            };
            person(
                &mut b,
                rng,
                p,
                phase,
                &custody_facs,
                now,
                today,
                encounters_per_person,
                scripted,
            );
        }
        write_tx(conn, |tx| b.insert(tx.conn()))?;
        bar.inc(chunk.len() as u64);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn person(
    b: &mut Batch,
    rng: &mut StdRng,
    p: &Person,
    phase: Phase,
    custody_facs: &[i64],
    now: NaiveDateTime,
    today: NaiveDate,
    per_person: f64,
    scripted: usize,
) {
    let facility = custody_facs
        .get(rng.gen_range(0..custody_facs.len().max(1)))
        .copied();
    let (setting, start, expected, released, ended): Shape = match phase {
        Phase::InCustody { release_in } => {
            let long = release_in.is_some_and(|d| d > 365);
            let setting = if long {
                "long_term"
            } else if release_in.is_some_and(|d| d > 60) {
                "medium_term"
            } else {
                "short_term"
            };
            // Half of those with no release date yet were booked in the last three days (a
            // reentry screening is due within 72 hours of booking); the rest earlier.
            let start = if release_in.is_none() && rng.gen_bool(0.5) {
                today - Duration::days(rng.gen_range(0..3))
            } else {
                today - Duration::days(rng.gen_range(3..if long { 1500 } else { 200 }))
            };
            (
                setting,
                start,
                release_in.map(|d| today + Duration::days(d)),
                None,
                None,
            )
        }
        Phase::Released {
            days_ago,
            unannounced,
        } => {
            let rel_day = today - Duration::days(days_ago);
            let hour = if days_ago == 0 {
                (now.time()
                    .format("%H")
                    .to_string()
                    .parse::<u32>()
                    .unwrap_or(12))
                .saturating_sub(3)
            } else {
                rng.gen_range(6..20)
            };
            let released = rel_day.and_time(
                NaiveTime::from_hms_opt(hour, rng.gen_range(0..60), 0).unwrap_or_default(),
            );
            let start = rel_day - Duration::days(rng.gen_range(5..240));
            let expected = if unannounced {
                None
            } else {
                Some(rel_day + Duration::days(rng.gen_range(-2..5)))
            };
            let ended = (days_ago > 365 && rng.gen_bool(0.4)).then(|| {
                (
                    rel_day + Duration::days(rng.gen_range(200..days_ago.max(201))),
                    if rng.gen_bool(0.6) {
                        "completed"
                    } else {
                        "lost_contact"
                    },
                )
            });
            (
                "short_term",
                start,
                expected,
                Some(released),
                ended.filter(|(d, _)| *d <= today),
            )
        }
        Phase::Community { days_ago } => (
            "community",
            today - Duration::days(days_ago),
            None,
            None,
            None,
        ),
        Phase::Discharged { days_ago } => {
            let end = today - Duration::days(days_ago);
            let reasons = [
                "completed",
                "completed",
                "lost_contact",
                "reincarcerated",
                "moved",
                "withdrew",
                "transferred",
                "deceased",
            ];
            (
                "community",
                end - Duration::days(rng.gen_range(30..400)),
                None,
                None,
                Some((end, reasons[rng.gen_range(0..reasons.len())])),
            )
        }
    };
    let episode_id = new_id();
    let fac = if setting == "community" {
        None
    } else {
        facility
    };
    b.episodes.push((
        episodes::id.eq(episode_id),
        episodes::org_id.eq(p.org_id),
        episodes::participant_id.eq(p.id),
        episodes::setting.eq(setting.to_string()),
        episodes::facility_id.eq(fac),
        episodes::started_on.eq(start),
        episodes::ended_on.eq(ended.map(|e| e.0)),
        episodes::discharge_reason.eq(ended.map(|e| e.1.to_string())),
        episodes::services_consent_on.eq(start),
        episodes::expected_release_on.eq(expected),
        episodes::release_certainty.eq(expected.map(|_| {
            if rng.gen_bool(0.5) {
                "confirmed"
            } else {
                "estimated"
            }
            .to_string()
        })),
        episodes::released_at.eq(released),
        episodes::supervision_office
            .eq((setting == "community").then(|| "Lakeview Probation, North Office".to_string())),
        episodes::created_at
            .eq(start.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default())),
    ));
    if let Some(f) = fac {
        b.idents.push((
            participant_identifiers::id.eq(new_id()),
            participant_identifiers::org_id.eq(p.org_id),
            participant_identifiers::participant_id.eq(p.id),
            participant_identifiers::kind.eq("booking_number".to_string()),
            participant_identifiers::value.eq(format!("BK{:08}", p.id % 100_000_000)),
            participant_identifiers::facility_id.eq(Some(f)),
            participant_identifiers::created_at.eq(now),
            participant_identifiers::typed_value.eq(format!("BK{:08}", p.id % 100_000_000)),
        ));
        b.event(p, episode_id, "booking", start, Some(f), "");
    }
    // Checklist from the expected (or actual) release date.
    if let Some(exp) = expected {
        b.event(p, episode_id, "expected_release", exp, fac, "");
        // Planned on the day the episode started, as the app plans it; an open item of a
        // released person re-planned around the release. Whether an item is done follows the
        // template's own date, so the random stream (and the rest of the demo) is the same
        // however items are fitted.
        let template = rules::ChecklistTemplate::default();
        let planned = rules::plan(&template, exp, start.min(today));
        let mut items = Vec::with_capacity(planned.len());
        for item in planned {
            let template_due = template.due_on(item.kind, exp).unwrap_or(item.due_on);
            let done = if released.is_some() {
                rng.gen_bool(0.8)
            } else {
                template_due < today && rng.gen_bool(0.6)
            };
            let done_on = done.then_some(item.due_on.min(today));
            items.push(rules::ChecklistItem { done_on, ..item });
        }
        if let Some(r) = released {
            let on = r.date();
            items = rules::replan_at_release(&items, on, on);
        }
        for item in items {
            b.checklist.push((
                checklist_items::id.eq(new_id()),
                checklist_items::org_id.eq(p.org_id),
                checklist_items::participant_id.eq(p.id),
                checklist_items::episode_id.eq(episode_id),
                checklist_items::kind.eq(item.kind.as_str().to_string()),
                checklist_items::due_on.eq(item.due_on),
                checklist_items::done_on.eq(item.done_on),
                checklist_items::note.eq(String::new()),
                checklist_items::planned_on.eq(item.planned_on),
                checklist_items::achievable.eq(item.is_achievable()),
            ));
        }
        let _ = ChecklistItemKind::ALL;
    }
    let anchor = released
        .map(|r| r.date())
        .or((setting == "community").then_some(start));
    if let Some(r) = released {
        b.event(
            p,
            episode_id,
            "release",
            r.date(),
            fac,
            if expected.is_none() {
                "[flags: no_plan]"
            } else {
                ""
            },
        );
    }
    if let Some(a) = anchor {
        for (point, due) in rules::followup_schedule(a) {
            let done = due < today - Duration::days(3) && rng.gen_bool(0.72);
            let od: f64 = rng.r#gen();
            b.followups.push((
                followups::id.eq(new_id()),
                followups::org_id.eq(p.org_id),
                followups::participant_id.eq(p.id),
                followups::episode_id.eq(episode_id),
                followups::point.eq(point.as_str().to_string()),
                followups::due_on.eq(due),
                followups::completed_on
                    .eq(done.then(|| due + Duration::days(rng.gen_range(-5..10)))),
                followups::rearrested.eq(done.then(|| {
                    rng.gen_bool(if point == FollowUpPoint::Day365 {
                        0.25
                    } else {
                        0.1
                    })
                })),
                followups::reincarcerated.eq(done.then(|| rng.gen_bool(0.08))),
                followups::overdose.eq(done.then(|| {
                    if od < 0.05 {
                        "non_fatal"
                    } else if od < 0.055 {
                        "fatal"
                    } else {
                        "none"
                    }
                    .to_string()
                })),
                followups::in_treatment.eq(done.then(|| rng.gen_bool(0.55))),
                followups::housing.eq(done.then(|| {
                    ["stable", "stable", "temporary", "shelter", "street"][rng.gen_range(0..5)]
                        .to_string()
                })),
                followups::employed.eq(done.then(|| rng.gen_bool(0.35))),
                followups::insured.eq(done.then(|| rng.gen_bool(0.7))),
                followups::barc10_total.eq(done.then(|| rng.gen_range(20..58))),
                followups::note.eq(String::new()),
            ));
        }
    }
    // Encounters, denser around release; in the window, contacts as a peer would manage them.
    let first = start.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    let span = (now - first).num_minutes().max(60);
    let mut n = (per_person * rng.gen_range(0.3..1.7)).round() as i64;
    if let Some(r) = released {
        let days_since = (now - r).num_days();
        if days_since <= 14 {
            // Window states: on track, first contact missed, or nothing yet.
            let plan = if scripted == 3 {
                2
            } else if scripted == 2 {
                0
            } else {
                rng.gen_range(0..4)
            };
            for k in 0..plan {
                let at = r + Duration::hours(if k == 0 && rng.gen_bool(0.7) {
                    rng.gen_range(1..20)
                } else {
                    rng.gen_range(30..(days_since.max(2) * 24))
                });
                if at < now {
                    b.encounter(p, at, "in_community", "completed", rng);
                }
            }
        } else {
            for _ in 0..rng.gen_range(1..5) {
                let at = r + Duration::hours(rng.gen_range(1..(14 * 24)));
                b.encounter(
                    p,
                    at,
                    if rng.gen_bool(0.5) {
                        "in_community"
                    } else {
                        "phone"
                    },
                    "completed",
                    rng,
                );
            }
        }
        n = n.max(2);
    }
    let window_start = released.map(|r| r - Duration::days(1));
    for _ in 0..n {
        let at = first + Duration::minutes(rng.gen_range(0..span));
        if window_start.is_some_and(|w| at > w && at < now)
            && released.is_some_and(|r| (now - r).num_days() <= 14)
        {
            continue;
        }
        let mode = if released.is_some_and(|r| at > r) || setting == "community" {
            ["in_community", "phone", "video", "text"][rng.gen_range(0..4)]
        } else {
            "in_facility"
        };
        let outcome = if rng.gen_bool(0.85) {
            "completed"
        } else {
            "attempted"
        };
        b.encounter(p, at, mode, outcome, rng);
    }
    recent_contacts(b, p, released, setting, ended.is_some(), first, now);
    // Assessments and stages.
    let k = rng.gen_range(1..5);
    let mut total = rng.gen_range(18..45);
    for i in 0..k {
        let on = start + Duration::days(i * rng.gen_range(30..90));
        if on > today {
            break;
        }
        total = (total + rng.gen_range(-3..9)).clamp(10, 60);
        let mut answers = [1i32; 10];
        let mut left = total - 10;
        while left > 0 {
            let j = rng.gen_range(0..10);
            if answers[j] < 6 {
                answers[j] += 1;
                left -= 1;
            }
        }
        b.barc.push((
            barc10_assessments::id.eq(new_id()),
            barc10_assessments::org_id.eq(p.org_id),
            barc10_assessments::participant_id.eq(p.id),
            barc10_assessments::taken_on.eq(on),
            barc10_assessments::answers.eq(answers
                .iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")),
            barc10_assessments::total.eq(total),
            barc10_assessments::created_by.eq(p.peer),
            barc10_assessments::created_at
                .eq(on.and_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap_or_default())),
        ));
    }
    let stage = StageOfChange::ALL[rng.gen_range(0..StageOfChange::ALL.len())];
    b.stages.push((
        stage_records::id.eq(new_id()),
        stage_records::org_id.eq(p.org_id),
        stage_records::participant_id.eq(p.id),
        stage_records::stage.eq(stage.as_str().to_string()),
        stage_records::recorded_on.eq(start.min(today)),
        stage_records::note.eq(String::new()),
        stage_records::created_by.eq(p.peer),
        stage_records::created_at.eq(now),
    ));
    // Plan.
    const WORDS: &[(&str, &str)] = &[
        ("housing", "Have my own place where my kids can visit"),
        ("identity_documents", "Get my ID back before I get out"),
        (
            "substance_use",
            "Stay on my medication and keep going to meetings",
        ),
        (
            "employment_education",
            "Find work at the warehouse my cousin told me about",
        ),
        (
            "income_benefits_insurance",
            "Get my Medicaid turned back on",
        ),
        ("family_social_support", "Call my mom every Sunday"),
        (
            "legal_obligations",
            "Make every court date and pay down my fines",
        ),
        ("transportation", "Get a bus pass for the first month"),
        ("mental_health", "Keep seeing a counselor"),
        ("physical_health", "Get my blood pressure checked"),
    ];
    for _ in 0..rng.gen_range(0..4) {
        let (domain, text) = WORDS[rng.gen_range(0..WORDS.len())];
        let _ = GoalDomain::parse(domain);
        let gid = new_id();
        let statuses = [
            "not_started",
            "in_progress",
            "in_progress",
            "done",
            "dropped",
        ];
        b.goals.push((
            goals::id.eq(gid),
            goals::org_id.eq(p.org_id),
            goals::participant_id.eq(p.id),
            goals::domain.eq(domain.to_string()),
            goals::statement.eq(text.to_string()),
            goals::owner.eq("participant".to_string()),
            goals::due_on.eq(Some(today + Duration::days(rng.gen_range(-30..120)))),
            goals::status.eq(statuses[rng.gen_range(0..statuses.len())].to_string()),
            goals::created_by.eq(p.peer),
            goals::created_at.eq(now),
        ));
        b.steps.push((
            goal_steps::id.eq(new_id()),
            goal_steps::org_id.eq(p.org_id),
            goal_steps::participant_id.eq(p.id),
            goal_steps::goal_id.eq(gid),
            goal_steps::description.eq("Call and make the appointment".to_string()),
            goal_steps::owner.eq("peer".to_string()),
            goal_steps::due_on.eq(Some(today + Duration::days(rng.gen_range(-20..40)))),
            goal_steps::done_on.eq(rng
                .gen_bool(0.5)
                .then_some(today - Duration::days(rng.gen_range(0..20)))),
        ));
    }
    // Referrals with closed-loop outcomes.
    if anchor.is_some() || rng.gen_bool(0.3) {
        for _ in 0..rng.gen_range(0..4) {
            let t = ReferralType::ALL[rng.gen_range(0..ReferralType::ALL.len())];
            let on = anchor.unwrap_or(start) + Duration::days(rng.gen_range(-10..30));
            if on > today {
                continue;
            }
            let rid = new_id();
            let r: f64 = rng.r#gen();
            let status = if r < 0.45 {
                ReferralStatus::Attended
            } else if r < 0.6 {
                ReferralStatus::Pending
            } else if r < 0.68 {
                ReferralStatus::Scheduled
            } else if r < 0.75 {
                ReferralStatus::CouldNotContact
            } else if r < 0.82 {
                ReferralStatus::NoCapacity
            } else if r < 0.88 {
                ReferralStatus::NotEligible
            } else if r < 0.94 {
                ReferralStatus::NoLongerInterested
            } else {
                ReferralStatus::NeedsClientAction
            };
            let linked = (status == ReferralStatus::Attended)
                .then(|| on + Duration::days(rng.gen_range(1..40)));
            b.referrals.push((
                referrals::id.eq(rid),
                referrals::org_id.eq(p.org_id),
                referrals::participant_id.eq(p.id),
                referrals::referral_type.eq(t.as_str().to_string()),
                referrals::provider_name.eq([
                    "Riverside Treatment Center",
                    "Mercy Community Health Clinic",
                    "Second Chance Housing",
                    "Lakeview Workforce Center",
                    "County Benefits Office",
                    "All Recovery Community Hub",
                ][rng.gen_range(0..6)]
                .to_string()),
                referrals::provider_contact.eq("555-0100".to_string()),
                referrals::status.eq(status.as_str().to_string()),
                referrals::referred_on.eq(on),
                referrals::linked_on.eq(linked.filter(|d| *d <= today)),
                referrals::created_by.eq(p.peer),
                referrals::created_at.eq(now),
            ));
            b.ref_event(p, rid, "pending", None, on);
            if status != ReferralStatus::Pending {
                b.ref_event(
                    p,
                    rid,
                    status.as_str(),
                    status
                        .requires_reason()
                        .then(|| "recorded in demo".to_string()),
                    linked.unwrap_or(on + Duration::days(7)).min(today),
                );
            }
        }
    }
    let _ = CompetencyArea::ALL;
}

/// Contacts of the last days for people in the community, as a programme keeps them: most heard
/// from within the week, one in ten with three attempts in a row that failed, one in ten quiet
/// (decision 0053: they are "not heard from" on their peer's home page). Drawn from the person's
/// id, not the demo's generator, so the rest of the demo stays as it was.
fn recent_contacts(
    b: &mut Batch,
    p: &Person,
    released: Option<NaiveDateTime>,
    setting: &str,
    discharged: bool,
    first: NaiveDateTime,
    now: NaiveDateTime,
) {
    let since = released.or_else(|| (setting == "community").then_some(first));
    if discharged || since.is_none_or(|s| (now - s).num_days() <= 14) {
        return;
    }
    let mut own = StdRng::seed_from_u64(p.id.unsigned_abs());
    match p.id.rem_euclid(10) {
        0 => {
            for hours in [70, 46, 22] {
                b.encounter(
                    p,
                    now - Duration::hours(hours),
                    "phone",
                    "attempted",
                    &mut own,
                );
            }
        }
        1 => {}
        _ => {
            let at = now - Duration::hours(own.gen_range(2..(6 * 24)));
            b.encounter(p, at, "phone", "completed", &mut own);
        }
    }
}
