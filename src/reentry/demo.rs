//! Synthetic reentry records for the demo, after the journeys: the demo organisation on the
//! California template and the other providers on Washington, Montana, New Hampshire and the
//! federal minimum; for people in custody, about 60% screened (every result, some Medicaid
//! applications pending) and the rest not (screening overdue past 72 hours); for people
//! released, warm handoffs held before release, held late, and missing (overdue); MOUD records
//! of every status with first doses, some stops, and naloxone kits at release. Each screening
//! is decided under its organisation's rules (`rules::decide`). Batched inserts.
//!
//! Reads the journey's episodes (the demo's custody and releases) directly, like the reports'
//! demo: a generator, not a use case (tests/architecture.rs lists it).

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::rules::{
    self, HandoffMethod, HealthCondition, MedicaidStatus, MoudStatus, ProgrammeRules,
    ScreeningAnswers, Template,
};
use super::schema::{reentry_handoffs, reentry_moud, reentry_programmes, reentry_screenings};
use crate::journey::schema::episodes;
use crate::on_backend;
use crate::platform::db::{DbConn, write_tx};
use crate::platform::error::AppResult;
use crate::platform::ids::new_id;
use crate::platform::schema::{organisations, participants, users};
use crate::platform::time::{self, Zone};

/// Rows a batch: within the bind-parameter limits of both backends (16 columns a screening).
const BATCH: usize = 500;

/// The templates of the providers after the demo organisation's California, in turn.
const OTHERS: [Template; 4] = [
    Template::Washington,
    Template::Montana,
    Template::NewHampshire,
    Template::FederalMinimum,
];

/// An open episode as the demo reads it.
struct Stay {
    participant_id: i64,
    org_id: i64,
    started_on: NaiveDate,
    expected: Option<NaiveDate>,
    released_at: Option<NaiveDateTime>,
    born: NaiveDate,
    peer: Option<i64>,
}

#[derive(Default)]
struct Rows {
    screenings: Vec<Screening>,
    handoffs: Vec<Handoff>,
    moud: Vec<Moud>,
}

struct Screening {
    org_id: i64,
    participant_id: i64,
    at: NaiveDateTime,
    by: Option<i64>,
    medicaid: MedicaidStatus,
    applied_on: Option<NaiveDate>,
    conditions: Vec<HealthCondition>,
    foster: bool,
    age: Option<u32>,
    rules: ProgrammeRules,
    eligibility: rules::Eligibility,
}

struct Handoff {
    org_id: i64,
    participant_id: i64,
    by: Option<i64>,
    provider: &'static str,
    organisation: &'static str,
    method: HandoffMethod,
    scheduled_at: Option<NaiveDateTime>,
    held_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

struct Moud {
    org_id: i64,
    participant_id: i64,
    status: MoudStatus,
    first_dose_on: Option<NaiveDate>,
    stopped_on: Option<NaiveDate>,
    naloxone: i32,
    by: Option<i64>,
    at: NaiveDateTime,
}

const PROVIDERS: [(&str, &str); 6] = [
    ("Dr. Amara Osei", "Eastside Community Health"),
    ("Luis Ortega, LCSW", "Riverbend Behavioral Health"),
    ("Dr. Helen Park", "Northgate Recovery Clinic"),
    ("Maya Redcloud, CHW", "County Reentry Services"),
    ("Dr. Samuel Greene", "Harbor MOUD Program"),
    ("Rosa Delgado, RN", "Valley Medicaid Managed Care"),
];

/// Generate the reentry records of every provider and its people.
pub fn generate(conn: &mut DbConn, rng: &mut StdRng, now: NaiveDateTime) -> AppResult<()> {
    let providers: Vec<i64> = organisations::table
        .filter(organisations::kind.eq("provider"))
        .order(organisations::id)
        .select(organisations::id)
        .load(conn)?;
    let admins: Vec<(i64, i64)> = users::table
        .filter(users::role.eq("admin"))
        .order(users::id)
        .select((users::org_id, users::id))
        .load(conn)?;
    let mut programmes: HashMap<i64, ProgrammeRules> = HashMap::new();
    let mut zones: HashMap<i64, Zone> = HashMap::new();
    write_tx(conn, |tx| {
        for (i, org) in providers.iter().enumerate() {
            let template = if i == 0 {
                Template::California
            } else {
                OTHERS[(i - 1) % OTHERS.len()]
            };
            let admin = admins.iter().find(|(o, _)| o == org).map(|(_, u)| *u);
            // A provider that tried another template first keeps that choice in its history.
            if i % 3 == 1 {
                insert_programme(
                    tx.conn(),
                    *org,
                    admin,
                    &ProgrammeRules::of(Template::FederalMinimum),
                    now - Duration::days(120),
                )?;
            }
            let rules = ProgrammeRules::of(template);
            insert_programme(tx.conn(), *org, admin, &rules, now - Duration::days(60))?;
            programmes.insert(*org, rules);
            zones.insert(*org, time::zone_of(tx.conn(), *org)?);
        }
        Ok(())
    })?;

    let staff: Vec<(i64, i64)> = users::table
        .filter(users::role.eq_any(["peer", "supervisor"]))
        .order(users::id)
        .select((users::org_id, users::id))
        .load(conn)?;
    let demo_peer: Option<i64> = users::table
        .filter(users::email.eq("peer@demo.throughcare.example"))
        .select(users::id)
        .first(conn)
        .optional()?;
    // Open custody episodes and open episodes released from custody.
    let stays: Vec<Stay> = episodes::table
        .inner_join(participants::table.on(participants::id.eq(episodes::participant_id)))
        .filter(episodes::ended_on.is_null())
        .filter(
            episodes::setting
                .ne("community")
                .or(episodes::released_at.is_not_null()),
        )
        .order(episodes::participant_id)
        .select((
            episodes::participant_id,
            episodes::org_id,
            episodes::started_on,
            episodes::expected_release_on,
            episodes::released_at,
            participants::date_of_birth,
            participants::assigned_peer_id,
        ))
        .load::<(
            i64,
            i64,
            NaiveDate,
            Option<NaiveDate>,
            Option<NaiveDateTime>,
            NaiveDate,
            Option<i64>,
        )>(conn)?
        .into_iter()
        .map(
            |(participant_id, org_id, started_on, expected, released_at, born, peer)| Stay {
                participant_id,
                org_id,
                started_on,
                expected,
                released_at,
                born,
                peer,
            },
        )
        .collect();

    let mut rows = Rows::default();
    let mut demo_index = 0usize;
    for stay in &stays {
        let (Some(rules), Some(zone)) = (programmes.get(&stay.org_id), zones.get(&stay.org_id))
        else {
            continue;
        };
        let by = stay.peer.or_else(|| {
            staff
                .iter()
                .find(|(o, _)| *o == stay.org_id)
                .map(|(_, u)| *u)
        });
        // The demo peer's people show each state in turn; the others are drawn.
        let scripted = (stay.peer.is_some() && stay.peer == demo_peer).then(|| {
            demo_index += 1;
            demo_index
        });
        let draw: f64 = rng.r#gen();
        let variant = scripted.map_or(draw, |n| ((n * 37) % 100) as f64 / 100.0);
        person(&mut rows, rng, stay, rules, zone, by, variant, now);
    }
    insert(conn, rows)
}

#[allow(clippy::too_many_arguments)]
fn person(
    rows: &mut Rows,
    rng: &mut StdRng,
    stay: &Stay,
    rules: &ProgrammeRules,
    zone: &Zone,
    by: Option<i64>,
    variant: f64,
    now: NaiveDateTime,
) {
    let today = zone.date_of(now);
    let booked = zone.start_of(stay.started_on);
    // Screened: about 60% of people in custody, more of those already released.
    let screened = match stay.released_at {
        None => variant < 0.6,
        Some(_) => variant < 0.8,
    };
    if screened {
        let latest = stay.released_at.unwrap_or(now);
        let hours = (latest - booked).num_hours().max(1);
        // Mostly within the 72 hours of the goal, some later.
        let after = if rng.gen_bool(0.75) {
            rng.gen_range(1..=hours.min(70))
        } else {
            rng.gen_range(1..=hours)
        };
        let at =
            (booked + Duration::hours(after) + Duration::minutes(rng.gen_range(0..60))).min(latest);
        let screened_on = zone.date_of(at);
        let medicaid = match rng.gen_range(0..10) {
            0..=3 => MedicaidStatus::Suspended,
            4 | 5 => MedicaidStatus::Active,
            6 | 7 => MedicaidStatus::ApplicationPending,
            _ => MedicaidStatus::None,
        };
        let applied_on = (medicaid == MedicaidStatus::ApplicationPending)
            .then(|| screened_on - Duration::days(rng.gen_range(0..5)));
        let mut conditions = Vec::new();
        for (c, p) in [
            (HealthCondition::SubstanceUseDisorder, 0.7),
            (HealthCondition::MentalIllness, 0.35),
            (HealthCondition::ChronicCondition, 0.2),
            (HealthCondition::Pregnancy, 0.03),
            (HealthCondition::TraumaticBrainInjury, 0.05),
            (HealthCondition::Hiv, 0.02),
        ] {
            if rng.gen_bool(p) {
                conditions.push(c);
            }
        }
        conditions.sort();
        let foster = rng.gen_bool(0.04);
        let age = rules::age_on(stay.born, stay.expected.unwrap_or(today).max(screened_on));
        let answers = ScreeningAnswers {
            medicaid,
            conditions: conditions.clone(),
            age_at_release: age,
            former_foster_youth: foster,
        };
        let eligibility = rules::decide(rules, &answers);
        rows.screenings.push(Screening {
            org_id: stay.org_id,
            participant_id: stay.participant_id,
            at,
            by,
            medicaid,
            applied_on,
            conditions,
            foster,
            age,
            rules: *rules,
            eligibility,
        });
    }

    let kits = |rng: &mut StdRng| -> i32 {
        match rng.gen_range(0..10) {
            0 | 1 => 0,
            2..=6 => 1,
            7 | 8 => 2,
            _ => 3,
        }
    };
    let (provider, organisation) = PROVIDERS[rng.gen_range(0..PROVIDERS.len())];
    let method = HandoffMethod::ALL[rng.gen_range(0..HandoffMethod::ALL.len())];
    match stay.released_at {
        None => {
            // In custody: a handoff scheduled for some of those with a release date near.
            if let Some(expected) = stay.expected
                && (expected - today).num_days() <= 30
                && rng.gen_bool(0.5)
            {
                let created = (now - Duration::days(rng.gen_range(0..5))).max(booked);
                rows.handoffs.push(Handoff {
                    org_id: stay.org_id,
                    participant_id: stay.participant_id,
                    by,
                    provider,
                    organisation,
                    method,
                    scheduled_at: Some(
                        zone.start_of(expected) - Duration::hours(rng.gen_range(12..72)),
                    ),
                    held_at: None,
                    created_at: created,
                });
            }
            if rng.gen_bool(0.35) {
                rows.moud.push(Moud {
                    org_id: stay.org_id,
                    participant_id: stay.participant_id,
                    status: MoudStatus::InCustody,
                    first_dose_on: None,
                    stopped_on: None,
                    naloxone: 0,
                    by,
                    at: (booked + Duration::hours(rng.gen_range(24..96))).min(now),
                });
            }
        }
        Some(released) => {
            let release_day = zone.date_of(released);
            // Held before release (the day before or so), held late, or missing.
            let h: f64 = rng.r#gen();
            let held = if h < 0.45 {
                Some(zone.start_of(release_day) - Duration::hours(rng.gen_range(2..96)))
            } else if h < 0.7 {
                Some(released + Duration::hours(rng.gen_range(26..120)))
            } else {
                None
            };
            if let Some(held_at) = held.filter(|t| *t <= now) {
                rows.handoffs.push(Handoff {
                    org_id: stay.org_id,
                    participant_id: stay.participant_id,
                    by,
                    provider,
                    organisation,
                    method,
                    scheduled_at: Some(held_at - Duration::minutes(rng.gen_range(0..4) * 15)),
                    held_at: Some(held_at),
                    created_at: held_at,
                });
            }
            let m: f64 = rng.r#gen();
            let days_out = (today - release_day).num_days().max(0);
            let (status, first) = if m < 0.4 {
                (MoudStatus::ContinuedAtRelease, Some(release_day))
            } else if m < 0.65 && days_out >= 1 {
                (
                    MoudStatus::StartedAfterRelease,
                    Some(release_day + Duration::days(rng.gen_range(1..=days_out.min(30)))),
                )
            } else {
                (MoudStatus::None, None)
            };
            let stopped = first
                .filter(|f| (today - *f).num_days() > 7 && rng.gen_bool(0.2))
                .map(|f| f + Duration::days(rng.gen_range(7..=(today - f).num_days())));
            rows.moud.push(Moud {
                org_id: stay.org_id,
                participant_id: stay.participant_id,
                status,
                first_dose_on: first,
                stopped_on: stopped,
                naloxone: kits(rng),
                by,
                at: released.min(now),
            });
        }
    }
}

fn insert_programme(
    conn: &mut DbConn,
    org: i64,
    by: Option<i64>,
    rules: &ProgrammeRules,
    at: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(reentry_programmes::table)
        .values((
            reentry_programmes::id.eq(new_id()),
            reentry_programmes::org_id.eq(org),
            reentry_programmes::template.eq(rules.template.as_str()),
            reentry_programmes::window_days.eq(i32::from(rules.window_days)),
            reentry_programmes::set_by.eq(by),
            reentry_programmes::set_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

fn codes<T: Copy>(v: &[T], code: fn(T) -> &'static str) -> String {
    v.iter().map(|c| code(*c)).collect::<Vec<_>>().join(" ")
}

fn insert(conn: &mut DbConn, rows: Rows) -> AppResult<()> {
    for chunk in rows.screenings.chunks(BATCH) {
        let values: Vec<_> = chunk
            .iter()
            .map(|s| {
                (
                    reentry_screenings::id.eq(new_id()),
                    reentry_screenings::org_id.eq(s.org_id),
                    reentry_screenings::participant_id.eq(s.participant_id),
                    reentry_screenings::screened_at.eq(s.at),
                    reentry_screenings::screened_by.eq(s.by),
                    reentry_screenings::medicaid_status.eq(s.medicaid.as_str()),
                    reentry_screenings::medicaid_applied_on.eq(s.applied_on),
                    reentry_screenings::conditions
                        .eq(codes(&s.conditions, HealthCondition::as_str)),
                    reentry_screenings::former_foster_youth.eq(s.foster),
                    reentry_screenings::age_at_release
                        .eq(s.age.and_then(|a| i32::try_from(a).ok())),
                    reentry_screenings::template.eq(s.rules.template.as_str()),
                    reentry_screenings::window_days
                        .eq(i32::from(s.rules.window_days_for(s.eligibility.youth))),
                    reentry_screenings::result.eq(s.eligibility.result.as_str()),
                    reentry_screenings::criteria_met
                        .eq(codes(&s.eligibility.criteria_met, rules::Criterion::as_str)),
                    reentry_screenings::youth.eq(s.eligibility.youth),
                    reentry_screenings::created_at.eq(s.at),
                )
            })
            .collect();
        write_tx(conn, |tx| {
            on_backend!(tx.conn(), c => diesel::insert_into(reentry_screenings::table).values(&values).execute(c))?;
            Ok(())
        })?;
    }
    for chunk in rows.handoffs.chunks(BATCH) {
        let values: Vec<_> = chunk
            .iter()
            .map(|h| {
                (
                    reentry_handoffs::id.eq(new_id()),
                    reentry_handoffs::org_id.eq(h.org_id),
                    reentry_handoffs::participant_id.eq(h.participant_id),
                    reentry_handoffs::made_by.eq(h.by),
                    reentry_handoffs::to_provider.eq(h.provider),
                    reentry_handoffs::to_organisation.eq(h.organisation),
                    reentry_handoffs::method.eq(Some(h.method.as_str())),
                    reentry_handoffs::scheduled_at.eq(h.scheduled_at),
                    reentry_handoffs::held_at.eq(h.held_at),
                    reentry_handoffs::created_at.eq(h.created_at),
                )
            })
            .collect();
        write_tx(conn, |tx| {
            on_backend!(tx.conn(), c => diesel::insert_into(reentry_handoffs::table).values(&values).execute(c))?;
            Ok(())
        })?;
    }
    for chunk in rows.moud.chunks(BATCH) {
        let values: Vec<_> = chunk
            .iter()
            .map(|m| {
                (
                    reentry_moud::id.eq(new_id()),
                    reentry_moud::org_id.eq(m.org_id),
                    reentry_moud::participant_id.eq(m.participant_id),
                    reentry_moud::status.eq(m.status.as_str()),
                    reentry_moud::first_dose_on.eq(m.first_dose_on),
                    reentry_moud::stopped_on.eq(m.stopped_on),
                    reentry_moud::naloxone_at_release.eq(m.naloxone),
                    reentry_moud::recorded_by.eq(m.by),
                    reentry_moud::recorded_at.eq(m.at),
                )
            })
            .collect();
        write_tx(conn, |tx| {
            on_backend!(tx.conn(), c => diesel::insert_into(reentry_moud::table).values(&values).execute(c))?;
            Ok(())
        })?;
    }
    Ok(())
}
