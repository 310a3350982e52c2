//! The synthetic data generator behind `throughcare demo`. Every person in it is invented
//! (names are drawn from common-name lists and combined at random). Each capability adds its own
//! records here, in realistic proportions and timing. `small` is instant; `state` is the
//! benchmark scale and shows a progress bar.

mod names;

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::cli::{DemoArgs, Scale};
use crate::organisations::store::{self as orgs, FacilityKind, NewFacility, NewStaff, SettingTerm};
use crate::participants::matching::normalize_name;
use crate::platform::access::{OrgKind, Role};
use crate::platform::audit::{self, Action, Event, Who};
use crate::platform::auth;
use crate::platform::config::Config;
use crate::platform::db::{Db, DbConn, Tx, write_tx};
use crate::platform::error::AppResult;
use crate::platform::ids::new_id;
use crate::platform::schema::{deployment_settings, participants, users};
use crate::platform::time;
use crate::platform::web::pages::{DEMO_PASSWORD, DEMO_ROLES};

/// How much to generate.
#[derive(Debug, Clone)]
pub struct Plan {
    pub scale_name: &'static str,
    pub providers: usize,
    pub partners: usize,
    pub facilities: usize,
    pub staff: usize,
    pub participants: usize,
    pub encounters_per_person: f64,
    pub progress: bool,
}

impl Plan {
    pub fn for_scale(scale: Scale, participants: Option<usize>) -> Plan {
        match scale {
            Scale::Small => Plan {
                scale_name: "small",
                providers: 2,
                partners: 3,
                facilities: 8,
                staff: 30,
                participants: participants.unwrap_or(240),
                encounters_per_person: 12.0,
                progress: false,
            },
            Scale::State => Plan {
                scale_name: "state",
                providers: 6,
                partners: 6,
                facilities: 80,
                // 800 staff for 100,000 participants; other sizes keep the same ratio, so a
                // peer's caseload stays the size it is at state scale (a deployment ten times
                // larger has ten times the peers, not caseloads ten times as long).
                staff: participants.map_or(800, staff_for),
                participants: participants.unwrap_or(100_000),
                encounters_per_person: 20.0,
                progress: true,
            },
        }
    }
}

/// Staff of a state-scale demo of `participants` people: 8 per 1,000 (800 at 100,000), and
/// never fewer than 40.
pub fn staff_for(participants: usize) -> usize {
    (participants * 8).div_ceil(1000).max(40)
}

/// The lines printed when the demo starts.
pub fn banner() -> String {
    let mut s = String::from("Demo sign-ins (password: throughcare-demo):\n");
    for r in DEMO_ROLES {
        s.push_str(&format!("  {r:<10} {r}@demo.throughcare.example\n"));
    }
    s
}

/// Open (or build) the demo database for these arguments.
pub fn prepare(config: &Config, args: &DemoArgs) -> anyhow::Result<Db> {
    let plan = Plan::for_scale(args.scale, args.participants);
    let marker = format!("{}:{}", plan.scale_name, plan.participants);
    if config.database_url.is_none() {
        let file = std::path::PathBuf::from(config.database_target());
        if args.fresh && file.exists() {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
    let db = Db::open(config)?;
    db.migrate()?;
    let mut conn = db.conn()?;
    let existing: Option<String> = deployment_settings::table
        .find("demo")
        .select(deployment_settings::value)
        .first(&mut conn)
        .optional()?;
    match existing {
        Some(m) if m == marker => {
            println!("Using the existing demo database ({marker}).");
            return Ok(db);
        }
        Some(m) => anyhow::bail!(
            "this database already holds demo data of another scale ({m}); run with --fresh to rebuild it"
        ),
        None => {
            let orgs_present: i64 = crate::platform::schema::organisations::table
                .count()
                .get_result(&mut conn)?;
            if orgs_present > 0 {
                anyhow::bail!(
                    "this database holds real data; the demo needs an empty database (use another --data-dir)"
                );
            }
        }
    }
    let started = Instant::now();
    generate(&mut conn, &plan)?;
    crate::platform::db::analyze(&mut conn)?;
    write_tx(&mut conn, |tx| {
        diesel::insert_into(deployment_settings::table)
            .values((
                deployment_settings::key.eq("demo"),
                deployment_settings::value.eq(&marker),
            ))
            .execute(tx.conn())?;
        Ok(())
    })?;
    println!(
        "Built the {} demo in {:.1} s.",
        plan.scale_name,
        started.elapsed().as_secs_f64()
    );
    Ok(db)
}

struct OrgInfo {
    id: i64,
    kind: OrgKind,
}

/// The demo's organisations are in the United States: the first of each kind (the demo's
/// sign-ins) on Central time, the others across the continent (decision 0040).
fn demo_zone(i: usize) -> time::Zone {
    const ZONES: [&str; 4] = [
        "America/Chicago",
        "America/New_York",
        "America/Denver",
        "America/Los_Angeles",
    ];
    time::Zone::from_stored(Some(ZONES[i % ZONES.len()]))
}

/// Generate a whole demo deployment.
pub fn generate(conn: &mut DbConn, plan: &Plan) -> AppResult<()> {
    let mut rng = StdRng::seed_from_u64(20261123);
    let who = Who::command_line();
    let today = time::today();
    let hash = auth::hash_password(DEMO_PASSWORD)?;

    // Organisations: the first provider holds the demo sign-ins; partners are a jail's
    // behavioural-health unit, a probation department and a treatment provider, then more.
    let provider_names = names::PROVIDERS;
    let partner_names = names::PARTNERS;
    let mut providers = Vec::new();
    let mut partners = Vec::new();
    write_tx(conn, |tx| {
        for i in 0..plan.providers {
            let (slug, name) = provider_names[i % provider_names.len()];
            let slug = if i < provider_names.len() {
                slug.to_string()
            } else {
                format!("{slug}-{i}")
            };
            let o = orgs::add_organisation(tx, &who, &slug, name, OrgKind::Provider)?;
            orgs::set_time_zone(tx, &who, o.id, demo_zone(i))?;
            providers.push(OrgInfo {
                id: o.id,
                kind: OrgKind::Provider,
            });
        }
        for i in 0..plan.partners {
            let (slug, name, kind) = partner_names[i % partner_names.len()];
            let slug = if i < partner_names.len() {
                slug.to_string()
            } else {
                format!("{slug}-{i}")
            };
            let o = orgs::add_organisation(tx, &who, &slug, name, kind)?;
            orgs::set_time_zone(tx, &who, o.id, demo_zone(i))?;
            partners.push(OrgInfo { id: o.id, kind });
        }
        Ok(())
    })?;

    // Facilities, spread over the four settings, owned by the providers.
    let mut facility_ids = Vec::new();
    write_tx(conn, |tx| {
        for i in 0..plan.facilities {
            let (kind, setting) = match i % 8 {
                0..=2 => (
                    FacilityKind::Jail,
                    if i % 3 == 0 {
                        SettingTerm::Medium
                    } else {
                        SettingTerm::Short
                    },
                ),
                3 | 4 => (FacilityKind::Prison, SettingTerm::Long),
                5 => (
                    FacilityKind::CommunityCorrectionsOffice,
                    SettingTerm::Community,
                ),
                6 => (FacilityKind::ReentryCentre, SettingTerm::Community),
                _ => (FacilityKind::TreatmentCourt, SettingTerm::Community),
            };
            let county = names::COUNTIES[i % names::COUNTIES.len()];
            let round = i / names::COUNTIES.len();
            let base = match kind {
                FacilityKind::Jail => format!("{county} County Jail"),
                FacilityKind::Prison => format!("{county} Correctional Facility"),
                FacilityKind::CommunityCorrectionsOffice => {
                    format!("{county} Community Corrections Office")
                }
                FacilityKind::ReentryCentre => format!("{county} Reentry Centre"),
                FacilityKind::TreatmentCourt => format!("{county} Treatment Court"),
            };
            let name = if round == 0 {
                base
            } else {
                format!("{base} {}", round + 1)
            };
            let owner = providers[i % providers.len()].id;
            let f = orgs::add_facility(
                tx,
                &who,
                owner,
                &NewFacility {
                    name,
                    kind,
                    setting,
                },
            )?;
            facility_ids.push(f.id);
        }
        Ok(())
    })?;

    // Staff: the five demo sign-ins first, then supervisors and peers per provider, and partner
    // staff. Every demo account shares one password hash (the password is public anyway).
    let mut peers_by_org: Vec<Vec<i64>> = vec![Vec::new(); providers.len()];
    write_tx(conn, |tx| {
        let demo_org = providers[0].id;
        let probation = partners
            .iter()
            .find(|p| p.kind == OrgKind::Probation)
            .map(|p| p.id)
            .unwrap_or(partners[0].id);
        let mut demo_supervisor = None;
        for role in DEMO_ROLES {
            let r = Role::parse(role).unwrap_or(Role::Peer);
            let org = if r == Role::Team { probation } else { demo_org };
            let mut s = NewStaff {
                email: format!("{role}@demo.throughcare.example"),
                name: names::demo_name(r).into(),
                role: r,
                supervisor_id: None,
            };
            if r == Role::Peer {
                s.supervisor_id = demo_supervisor;
            }
            let staff = orgs::add_staff_with_hash(tx, &who, org, &s, &hash)?;
            match r {
                Role::Supervisor => demo_supervisor = Some(staff.id),
                Role::Peer => peers_by_org[0].push(staff.id),
                _ => {}
            }
        }
        let mut made = DEMO_ROLES.len();
        let mut n = 0usize;
        while made < plan.staff {
            let pi = n % providers.len();
            let is_partner = n % 7 == 6;
            let (org, role) = if is_partner {
                (partners[n % partners.len()].id, Role::Team)
            } else if n.is_multiple_of(9) {
                (providers[pi].id, Role::Supervisor)
            } else {
                (providers[pi].id, Role::Peer)
            };
            let (first, last) = names::person(&mut rng);
            let supervisor_id = if role == Role::Peer && pi == 0 {
                demo_supervisor
            } else {
                None
            };
            let s = NewStaff {
                email: format!(
                    "{}.{}.{}@staff.demo.throughcare.example",
                    first.to_lowercase(),
                    last.to_lowercase().replace(['\'', ' '], ""),
                    n
                ),
                name: format!("{first} {last}"),
                role,
                supervisor_id,
            };
            let staff = orgs::add_staff_with_hash(tx, &who, org, &s, &hash)?;
            if role == Role::Peer {
                peers_by_org[pi].push(staff.id);
            }
            made += 1;
            n += 1;
        }
        Ok(())
    })?;

    // Participants, in batches, spread over providers in proportion to their peers.
    let bar = if plan.progress {
        let b = ProgressBar::new(plan.participants as u64);
        b.set_style(
            ProgressStyle::with_template("{msg:>14} [{bar:40}] {pos}/{len} ({eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.set_message("participants");
        b
    } else {
        ProgressBar::hidden()
    };
    let batch = 2000;
    let mut done = 0;
    while done < plan.participants {
        let n = batch.min(plan.participants - done);
        write_tx(conn, |tx| {
            insert_participants(tx, &mut rng, &providers, &peers_by_org, n, today)
        })?;
        done += n;
        bar.set_position(done as u64);
    }
    // Journeys: episodes, events, checklists, encounters, assessments, plans, referrals,
    // follow-ups. About 20 encounters per person (2,000,000 at the state scale).
    crate::journey::demo::generate(
        conn,
        &mut rng,
        time::now(),
        plan.encounters_per_person,
        &bar,
    )?;
    bar.finish_and_clear();
    // Reentry: each provider's programme, screenings, warm handoffs and MOUD records.
    crate::reentry::demo::generate(conn, &mut rng, time::now())?;
    crate::reports::demo::generate(conn, &mut rng, time::now())?;

    crate::workforce::demo::generate(conn, &mut rng, today)?;
    // Hiring: each provider's pipeline of applicants with lived experience.
    crate::workforce::hiring::demo::generate(conn, &mut rng, today)?;
    // Consents held by the partner organisations, in every state.
    crate::consent::demo::generate(conn, &mut rng, time::now())?;
    // Billing: payers, coverage, grants, the billing provider (after the workforce, whose
    // credentials decide which lines are billed).
    crate::billing::demo::generate(conn, &mut rng, time::now())?;
    // Messages: a few of the demo peer's participants opted in, with reminders and replies.
    crate::messages::demo::generate(conn, time::now())?;
    // Appointments coming up for the demo peer's participants, each reminded.
    crate::journey::demo::appointments::generate(conn, time::now())?;
    write_tx(conn, |tx| {
        audit::append(
            tx,
            &who,
            Event::new(Action::DemoGenerate, "deployment", None).detail(format!(
                "{} scale: {} participants, {} staff, {} facilities",
                plan.scale_name, plan.participants, plan.staff, plan.facilities
            )),
        )?;
        Ok(())
    })?;
    Ok(())
}

type ParticipantRow = (
    diesel::dsl::Eq<participants::id, i64>,
    diesel::dsl::Eq<participants::org_id, i64>,
    diesel::dsl::Eq<participants::first_name, String>,
    diesel::dsl::Eq<participants::last_name, String>,
    diesel::dsl::Eq<participants::search_first_name, String>,
    diesel::dsl::Eq<participants::search_last_name, String>,
    diesel::dsl::Eq<participants::preferred_name, Option<String>>,
    diesel::dsl::Eq<participants::date_of_birth, NaiveDate>,
    diesel::dsl::Eq<participants::assigned_peer_id, Option<i64>>,
    diesel::dsl::Eq<participants::created_at, chrono::NaiveDateTime>,
    diesel::dsl::Eq<participants::updated_at, chrono::NaiveDateTime>,
);

fn insert_participants(
    tx: &mut Tx,
    rng: &mut StdRng,
    providers: &[OrgInfo],
    peers_by_org: &[Vec<i64>],
    n: usize,
    today: NaiveDate,
) -> AppResult<()> {
    let mut rows: Vec<ParticipantRow> = Vec::with_capacity(n);
    for _ in 0..n {
        // The demo organisation gets a bigger share, so its sign-ins see a busy program.
        let pi = if rng.gen_bool(0.3) {
            0
        } else {
            rng.gen_range(0..providers.len())
        };
        let peers = &peers_by_org[pi];
        let peer = if peers.is_empty() || rng.gen_bool(0.04) {
            None
        } else {
            Some(peers[rng.gen_range(0..peers.len())])
        };
        let (first, last) = names::person(rng);
        let preferred = rng
            .gen_bool(0.12)
            .then(|| names::nickname(rng, first).to_string());
        let age_days = rng.gen_range(18 * 365..64 * 365);
        let dob = today - Duration::days(age_days);
        let created = time::now()
            - Duration::days(rng.gen_range(0..720))
            - Duration::minutes(rng.gen_range(0..1440));
        rows.push((
            participants::id.eq(new_id()),
            participants::org_id.eq(providers[pi].id),
            participants::first_name.eq(first.to_string()),
            participants::last_name.eq(last.to_string()),
            participants::search_first_name.eq(normalize_name(first)),
            participants::search_last_name.eq(normalize_name(last)),
            participants::preferred_name.eq(preferred),
            participants::date_of_birth.eq(dob),
            participants::assigned_peer_id.eq(peer),
            participants::created_at.eq(created),
            participants::updated_at.eq(created),
        ));
    }
    for chunk in rows.chunks(500) {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(participants::table).values(chunk).execute(c))?;
    }
    Ok(())
}

/// Number of staff accounts (for tests and the banner).
pub fn staff_count(conn: &mut DbConn) -> AppResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_scale_staff_follow_the_participants() {
        assert_eq!(Plan::for_scale(Scale::State, None).staff, 800);
        assert_eq!(Plan::for_scale(Scale::State, Some(100_000)).staff, 800);
        assert_eq!(Plan::for_scale(Scale::State, Some(10_000)).staff, 80);
        assert_eq!(Plan::for_scale(Scale::State, Some(1_000_000)).staff, 8_000);
        assert_eq!(Plan::for_scale(Scale::State, Some(2_000)).staff, 40);
        assert_eq!(Plan::for_scale(Scale::Small, Some(2_000)).staff, 30);
    }
}
