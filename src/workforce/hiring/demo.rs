//! Hiring demo data: each provider opens a Peer Recovery Specialist job (the BJA sample job
//! description's lived-experience criteria) and takes 15 to 30 applicants over the last five
//! months through the pipeline. Most leave early (no response, criteria, other work); some
//! stop at the background check (an exemption denied or too slow) or at a facility that will
//! not clear them; a few are hired as one of the programme's peers, whose pathway starts.
//! Made through the pure rules, as the operations make them.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use rand::Rng;

use super::rules::{self, DropReason, Outcome, Step};
use super::store::{self, Links, NewApplicant, NewOpening};
use crate::platform::db::{DbConn, write_tx};
use crate::platform::error::AppResult;
use crate::platform::schema::{organisations, users};
use crate::workforce::codes::JobKind;
use crate::workforce::schema::credential_standards;

const FIRST: &[&str] = &[
    "Marcus", "Tanya", "Luis", "Keisha", "Darnell", "Rosa", "Andre", "Crystal", "Miguel", "Shawna",
    "Terrence", "Ana", "Jerome", "Lakisha", "Victor", "Brenda", "Hector", "Monique", "Dwayne",
    "Yolanda", "Ramon", "Tiffany", "Curtis", "Maribel", "Reggie", "Denise", "Orlando", "Sheila",
];
const LAST: &[&str] = &[
    "Whitfield",
    "Alvarez",
    "Brooks",
    "Ortega",
    "Simmons",
    "Delgado",
    "Harris",
    "Navarro",
    "Coleman",
    "Ruiz",
    "Jenkins",
    "Castillo",
];

const LIVED: &[&str] = &[
    "In recovery from opioid use since 2019; served 3 years in state prison; now volunteers at a reentry center.",
    "Eight years in recovery from alcohol; two county jail stays; completed drug court.",
    "Long-term recovery from methamphetamine use; on parole until next year; mentors at church.",
    "Family member of someone incarcerated; own recovery from alcohol since 2021.",
];

/// One step of a demo applicant: the step, the days in it, and how they left it if they did.
type Stay = (Step, i64, Option<(Outcome, DropReason)>);

/// Why an applicant at `step` leaves, as it happens in practice.
fn reason_at(step: Step, rng: &mut impl Rng) -> (Outcome, DropReason) {
    let pick = rng.gen_range(0..3);
    match step {
        Step::Application => (
            Outcome::NotSelected,
            [
                DropReason::DidNotMeetCriteria,
                DropReason::NoResponse,
                DropReason::DidNotMeetCriteria,
            ][pick],
        ),
        Step::Screening => (
            Outcome::Withdrew,
            [
                DropReason::NoResponse,
                DropReason::FoundOtherWork,
                DropReason::Transportation,
            ][pick],
        ),
        Step::Interview => [
            (Outcome::NotSelected, DropReason::AnotherCandidate),
            (Outcome::Withdrew, DropReason::PayOrHours),
            (Outcome::Withdrew, DropReason::HealthOrFamily),
        ][pick],
        Step::Offer => [
            (Outcome::Withdrew, DropReason::DeclinedOffer),
            (Outcome::Withdrew, DropReason::FoundOtherWork),
            (Outcome::Withdrew, DropReason::PayOrHours),
        ][pick],
        Step::BackgroundCheck => [
            (Outcome::NotSelected, DropReason::ExemptionDenied),
            (Outcome::Withdrew, DropReason::ExemptionTooSlow),
            (Outcome::NotSelected, DropReason::BackgroundCheck),
        ][pick],
        Step::FacilityClearance | Step::Hired => {
            (Outcome::NotSelected, DropReason::FacilityClearanceDenied)
        }
    }
}

/// Days a step takes in the demo.
fn days_in(step: Step, rng: &mut impl Rng) -> i64 {
    match step {
        Step::Application => rng.gen_range(1..7),
        Step::Screening => rng.gen_range(2..10),
        Step::Interview => rng.gen_range(3..14),
        Step::Offer => rng.gen_range(1..5),
        Step::BackgroundCheck => rng.gen_range(10..60),
        Step::FacilityClearance | Step::Hired => rng.gen_range(7..45),
    }
}

/// Add a hiring pipeline to each provider of a demo deployment.
pub fn generate(conn: &mut DbConn, rng: &mut impl Rng, today: NaiveDate) -> AppResult<()> {
    let providers: Vec<i64> = organisations::table
        .filter(organisations::kind.eq("provider"))
        .order(organisations::created_at)
        .select(organisations::id)
        .load(conn)?;
    for org in providers {
        let admin: Option<i64> = users::table
            .filter(users::org_id.eq(org))
            .filter(users::role.eq("admin"))
            .order(users::created_at)
            .select(users::id)
            .first(conn)
            .optional()?;
        let Some(admin) = admin else { continue };
        let peers: Vec<i64> = users::table
            .filter(users::org_id.eq(org))
            .filter(users::role.eq("peer"))
            .order(users::created_at)
            .select(users::id)
            .limit(5)
            .load(conn)?;
        let standard: Option<i64> = credential_standards::table
            .filter(credential_standards::org_id.eq(org))
            .order(credential_standards::created_at)
            .select(credential_standards::id)
            .first(conn)
            .optional()?;
        let n = rng.gen_range(15..=30);
        let starts: Vec<i64> = (0..n).map(|_| rng.gen_range(10..150)).collect();
        let fates: Vec<Vec<Stay>> = starts
            .iter()
            .map(|_| {
                // How far each gets: most stop early, a few are hired.
                let mut path = vec![];
                let mut step = Step::Application;
                loop {
                    let stay = days_in(step, rng);
                    let leaves = rng.gen_bool(match step {
                        Step::Application => 0.3,
                        Step::Screening => 0.25,
                        Step::Interview => 0.35,
                        Step::Offer => 0.15,
                        Step::BackgroundCheck => 0.3,
                        _ => 0.25,
                    });
                    if leaves {
                        path.push((step, stay, Some(reason_at(step, rng))));
                        break;
                    }
                    path.push((step, stay, None));
                    if step.is_final() {
                        break;
                    }
                    step = step.next()[0];
                }
                path
            })
            .collect();
        let mut hired_peers = peers.into_iter();
        write_tx(conn, |tx| {
            let opening = store::add_opening(
                tx,
                org,
                &NewOpening {
                    kind: JobKind::PeerRecoverySpecialist,
                    title: "Peer Recovery Specialist (reentry)".into(),
                    lived_experience_criteria: "Lived experience of recovery from a substance use \
                        disorder and of the criminal justice system (arrest, incarceration, \
                        probation or parole), and willingness to share it to help others."
                        .into(),
                    other_criteria: "High school diploma or equivalent; willing to complete the \
                        state peer certification within 12 months; able to enter the county jail \
                        once cleared."
                        .into(),
                    opened_on: today - Duration::days(160),
                },
            )?;
            for (i, (start, path)) in starts.iter().zip(&fates).enumerate() {
                let applied_on = today - Duration::days(*start);
                let a = store::add_applicant(
                    tx,
                    org,
                    admin,
                    &NewApplicant {
                        opening_id: opening.id,
                        name: format!("{} {}", FIRST[i % FIRST.len()], LAST[i % LAST.len()]),
                        contact: format!("(555) 01{:02}-{:04}", i % 100, 1000 + i * 37),
                        lived_experience: LIVED[i % LIVED.len()].into(),
                        applied_on,
                    },
                )?;
                let mut events = vec![rules::StepEvent {
                    applicant_id: a.id,
                    step: Step::Application,
                    on: applied_on,
                    change: rules::Change::Entered,
                }];
                let mut day = applied_on;
                for (step, stay, leaves) in path {
                    if step.is_final() {
                        break;
                    }
                    day += Duration::days(*stay);
                    if day > today {
                        break;
                    }
                    let now = rules::standing(&events);
                    let made = match leaves {
                        Some((o, r)) => rules::leave(a.id, now, *o, Some(*r), day).map(|e| vec![e]),
                        None => {
                            let to = step.next()[0];
                            let hire = to.is_final();
                            let account = if hire { hired_peers.next() } else { None };
                            if hire && (account.is_none() || standard.is_none()) {
                                break;
                            }
                            if let (Some(u), Some(s)) = (account, standard) {
                                store::link_account(tx, org, a.id, u)?;
                                store::start_pathway(tx, org, u, s)?;
                            }
                            rules::advance(a.id, now, to, day).map(|e| e.to_vec())
                        }
                    };
                    let Ok(made) = made else { break };
                    store::add_events(tx, org, admin, &made, &Links::default())?;
                    events.extend(made);
                }
            }
            Ok(())
        })?;
    }
    Ok(())
}
