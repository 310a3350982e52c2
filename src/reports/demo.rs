//! Synthetic GPRA interviews for the demo: an intake for most enrolled people (on their first
//! episode's start, or a few days after), 6-month follow-ups for about 70% in the window (some
//! late, some missed), and discharge interviews for some of the discharged. Batched inserts.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::gpra::{
    EmploymentStatus, GpraInterview, HousingType, SelfRatedHealth, Substance, SubstanceDays,
    SupportSource, Timepoint,
};
use super::schema::gpra_interviews;
use crate::journey::schema::episodes;
use crate::on_backend;
use crate::platform::db::{DbConn, write_tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::schema::participants;

type Row = (
    diesel::dsl::Eq<gpra_interviews::id, i64>,
    diesel::dsl::Eq<gpra_interviews::org_id, i64>,
    diesel::dsl::Eq<gpra_interviews::participant_id, i64>,
    diesel::dsl::Eq<gpra_interviews::timepoint, String>,
    diesel::dsl::Eq<gpra_interviews::interview_on, NaiveDate>,
    diesel::dsl::Eq<gpra_interviews::answers, String>,
    diesel::dsl::Eq<gpra_interviews::created_by, Option<i64>>,
    diesel::dsl::Eq<gpra_interviews::created_at, NaiveDateTime>,
);

fn answers(rng: &mut StdRng, tp: Timepoint, on: NaiveDate) -> GpraInterview {
    let mut i = GpraInterview::new(tp, on);
    let better = tp != Timepoint::Intake;
    let alcohol = if better {
        rng.gen_range(0..6)
    } else {
        rng.gen_range(0..16)
    };
    i.days_any_alcohol = Some(alcohol);
    i.days_alcohol_intoxication = Some(rng.gen_range(0..=alcohol));
    let drugs = if better {
        rng.gen_range(0..5)
    } else {
        rng.gen_range(0..20)
    };
    i.days_illegal_drugs = Some(drugs);
    i.days_alcohol_and_drugs = Some(rng.gen_range(0..=alcohol.min(drugs)));
    if drugs > 0 {
        let s = [
            Substance::Fentanyl,
            Substance::Methamphetamine,
            Substance::Cannabis,
        ];
        i.substance_days.push(SubstanceDays {
            substance: s[rng.gen_range(0..s.len())],
            days: rng.gen_range(1..=drugs),
        });
    }
    i.housing = Some(if tp == Timepoint::Intake && rng.gen_bool(0.6) {
        HousingType::JailPrison
    } else {
        HousingType::ALL[rng.gen_range(0..HousingType::ALL.len())]
    });
    i.employment = Some(EmploymentStatus::ALL[rng.gen_range(0..EmploymentStatus::ALL.len())]);
    i.arrests_past_30 = Some(u8::from(rng.gen_bool(0.08)));
    i.nights_in_jail_past_30 = Some(if tp == Timepoint::Intake {
        rng.gen_range(0..31)
    } else {
        0
    });
    i.on_probation = Some(rng.gen_bool(0.5));
    i.on_parole = Some(rng.gen_bool(0.2));
    i.overall_health = Some(SelfRatedHealth::ALL[rng.gen_range(0..SelfRatedHealth::ALL.len())]);
    i.overdoses_past_30 = Some(u8::from(rng.gen_bool(0.03)));
    i.days_self_help_past_30 = Some(rng.gen_range(0..12));
    i.supportive_family_friends = Some(rng.gen_bool(0.7));
    i.turns_to_when_in_trouble =
        Some(SupportSource::ALL[rng.gen_range(0..SupportSource::ALL.len())]);
    i
}

/// Add GPRA interviews for the demo's participants.
pub fn generate(conn: &mut DbConn, rng: &mut StdRng, now: NaiveDateTime) -> AppResult<()> {
    let today = now.date();
    // (participant, org, peer, first start, open?, last end)
    let people: Vec<(i64, i64, Option<i64>)> = participants::table
        .select((
            participants::id,
            participants::org_id,
            participants::assigned_peer_id,
        ))
        .order(participants::id)
        .load(conn)?;
    let eps: Vec<(i64, NaiveDate, Option<NaiveDate>)> = episodes::table
        .select((
            episodes::participant_id,
            episodes::started_on,
            episodes::ended_on,
        ))
        .load(conn)?;
    let mut by: std::collections::HashMap<i64, (NaiveDate, bool, Option<NaiveDate>)> =
        std::collections::HashMap::new();
    for (pid, start, end) in eps {
        let e = by.entry(pid).or_insert((start, false, None));
        e.0 = e.0.min(start);
        if end.is_none() {
            e.1 = true;
        }
        e.2 = e.2.max(end);
    }
    for chunk in people.chunks(2000) {
        let mut rows: Vec<Row> = Vec::new();
        for (pid, org, peer) in chunk {
            let Some((start, open, end)) = by.get(pid).copied() else {
                continue;
            };
            if !rng.gen_bool(0.9) {
                continue;
            }
            let intake = (start + Duration::days(rng.gen_range(0..5))).min(today);
            let mut push = |rng: &mut StdRng, tp: Timepoint, on: NaiveDate| -> AppResult<()> {
                let json =
                    serde_json::to_string(&answers(rng, tp, on)).map_err(AppError::internal)?;
                rows.push((
                    gpra_interviews::id.eq(new_id()),
                    gpra_interviews::org_id.eq(*org),
                    gpra_interviews::participant_id.eq(*pid),
                    gpra_interviews::timepoint.eq(tp.as_str().to_string()),
                    gpra_interviews::interview_on.eq(on),
                    gpra_interviews::answers.eq(json),
                    gpra_interviews::created_by.eq(*peer),
                    gpra_interviews::created_at.eq(on.and_hms_opt(11, 0, 0).unwrap_or(now)),
                ));
                Ok(())
            };
            push(rng, Timepoint::Intake, intake)?;
            let w = super::gpra::six_month_window(intake);
            let discharged_early = !open && end.is_some_and(|e| e < w.opens);
            if !discharged_early {
                let r: f64 = rng.r#gen();
                let on = if r < 0.70 {
                    Some(
                        w.opens
                            + Duration::days(rng.gen_range(0..=(w.closes - w.opens).num_days())),
                    )
                } else if r < 0.78 {
                    Some(w.closes + Duration::days(rng.gen_range(1..40)))
                } else {
                    None
                };
                if let Some(on) = on.filter(|d| *d <= today) {
                    push(rng, Timepoint::SixMonth, on)?;
                }
            }
            if !open
                && let Some(e) = end
                && e <= today
                && rng.gen_bool(0.4)
            {
                push(rng, Timepoint::Discharge, e)?;
            }
        }
        write_tx(conn, |tx| {
            for part in rows.chunks(400) {
                on_backend!(tx.conn(), c => diesel::insert_into(gpra_interviews::table).values(part).execute(c))?;
            }
            Ok(())
        })?;
    }
    Ok(())
}
