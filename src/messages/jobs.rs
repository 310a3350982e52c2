//! The messages' scheduled jobs (issue 18 item 6; decision 0050), run by every instance on its
//! timer and recorded in `job_runs`:
//!
//! - `reminders.plan`: for each participant whose opt-in is in force, the court dates,
//!   follow-ups and appointments (supervision, medication doses, peer visits) due a reminder
//!   today (in their organisation's day and sending hours) are queued in their language. The reminder's key is unique, so two instances planning at once queue
//!   each reminder once, and a run that missed one (an instance down) is made up by the next;
//! - `messages.deliver`: queued outgoing messages are claimed with a lease (`FOR UPDATE SKIP
//!   LOCKED` on PostgreSQL, so two instances claim different ones), sent, and marked sent by
//!   the instance holding them. A message is sent once; only an instance that stops between
//!   sending and marking leaves it to be sent again when its lease ends.
//!
//! Also the admins' list of runs.

use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::email::Smtp;
use super::rules::{self, Channel, Kind, Source, Status};
use super::sms::{SmsProvider, Twilio};
use super::store::{self, MessageRow, NewMessage};
use crate::journey::rules::AppointmentKind;
use crate::journey::upcoming::{self, EventKind};
use crate::platform::access::{self, Actor};
use crate::platform::audit::{self, Action, Event, Who};
use crate::platform::config::Config;
use crate::platform::db::{Db, Tx};
use crate::platform::error::AppResult;
use crate::platform::i18n::Language;
use crate::platform::jobs::{self, JobRun};
use crate::platform::schema::organisations;
use crate::platform::time;

/// Where messages go out: the SMS provider and the SMTP relay the configuration names.
#[derive(Clone)]
pub struct Outbound {
    pub sms: Option<Twilio>,
    pub smtp: Option<Smtp>,
}

impl Outbound {
    pub fn from_config(c: &Config) -> Outbound {
        Outbound {
            sms: Twilio::from_config(c),
            smtp: Smtp::from_config(c),
        }
    }
}

/// How many messages one claim takes: small, so a lease is short and instances share the work.
const BATCH: i64 = 10;

/// How many messages one delivery run tries at most (the next run goes on).
const MAX_PER_RUN: usize = 500;

fn job_who(instance: &str) -> Who {
    Who {
        user_id: None,
        org_id: None,
        label: format!("job:{instance}"),
        client_addr: "local".into(),
    }
}

/// One tick of this instance: plan the reminders due, then deliver what is queued. Tests call
/// it directly; `start` calls it on a timer.
pub async fn tick(db: &Db, out: &Outbound, instance: &str, now: NaiveDateTime) -> Vec<JobRun> {
    let inst = instance.to_string();
    let d = db.clone();
    let planned = jobs::recorded(db, "reminders.plan", instance, move || async move {
        d.write(move |tx| plan(tx, &inst, now)).await
    })
    .await;
    let delivered = jobs::recorded(db, "messages.deliver", instance, || {
        deliver(db, out, instance, now)
    })
    .await;
    vec![planned, delivered]
}

/// Start this instance's timer (`jobs_every_seconds`; 0: none).
pub fn start(db: Db, config: &Config) {
    if config.jobs_every_seconds == 0 {
        return;
    }
    let out = Outbound::from_config(config);
    let instance = jobs::instance_name(config);
    tracing::info!(%instance, every = config.jobs_every_seconds, "scheduled jobs");
    jobs::every(Duration::from_secs(config.jobs_every_seconds), move || {
        let (db, out, instance) = (db.clone(), out.clone(), instance.clone());
        async move {
            tick(&db, &out, &instance, time::now()).await;
        }
    });
}

/// Queue the reminders due now; answers how many were queued.
fn plan(tx: &mut Tx, instance: &str, now: NaiveDateTime) -> AppResult<(i32, String)> {
    let optins = store::active_optins(tx.conn())?;
    let mut by_org: HashMap<i64, Vec<store::OptinRow>> = HashMap::new();
    for o in optins {
        by_org.entry(o.org_id).or_default().push(o);
    }
    let mut queued = 0;
    let who = job_who(instance);
    for (org_id, optins) in by_org {
        let zone = time::zone_of(tx.conn(), org_id)?;
        if !rules::in_sending_hours(zone.wall_clock(now)) {
            continue;
        }
        let today = zone.date_of(now);
        let programme: String = organisations::table
            .find(org_id)
            .select(organisations::name)
            .first(tx.conn())?;
        let of: HashMap<i64, &store::OptinRow> =
            optins.iter().map(|o| (o.participant_id, o)).collect();
        let ids: Vec<i64> = of.keys().copied().collect();
        let last = today + chrono::Days::new(rules::LEAD_DAYS as u64);
        for e in upcoming::dated_events(tx.conn(), &ids, today, last)? {
            if !rules::due_on(e.on, today) {
                continue;
            }
            let Some(o) = of.get(&e.participant_id) else {
                continue;
            };
            let source = match e.kind {
                EventKind::CourtDate => Source::CourtDate,
                EventKind::FollowUp => Source::FollowUp,
                EventKind::Appointment(AppointmentKind::Supervision) => Source::Supervision,
                EventKind::Appointment(AppointmentKind::MoudDose) => Source::MedicationDose,
                EventKind::Appointment(AppointmentKind::PeerVisit) => Source::PeerVisit,
            };
            let lang = Language::parse(&o.language).unwrap_or_default();
            let named = o.names_programme.then_some(programme.as_str());
            let m = NewMessage {
                org_id,
                participant_id: e.participant_id,
                direction: "out",
                channel: Channel::parse(&o.channel).unwrap_or(Channel::Sms),
                kind: Kind::Reminder,
                body: rules::reminder_text(source, e.on, e.at, lang, named),
                address: o.address.clone(),
                status: Status::Queued,
                reminder_key: Some(rules::reminder_key(source, e.id, e.on)),
                author_id: None,
                provider_id: None,
            };
            if store::queue_reminder(tx, &m, now)? {
                queued += 1;
                audit::append(
                    tx,
                    &who,
                    Event::new(Action::MessageRemind, "message", None)
                        .with_participant(e.participant_id)
                        .detail(source.as_str()),
                )?;
            }
        }
    }
    Ok((queued, String::new()))
}

/// A claimed message and how it goes.
struct Claimed {
    row: MessageRow,
    language: Language,
}

/// Send what is queued, a small batch at a time (so a claim's lease is short and other instances
/// share the work), until nothing is left or the run has done `MAX_PER_RUN`; answers how many
/// were sent and what did not go.
async fn deliver(
    db: &Db,
    out: &Outbound,
    instance: &str,
    now: NaiveDateTime,
) -> AppResult<(i32, String)> {
    let mut sent = 0;
    let mut tried = 0;
    let mut errors: Vec<String> = vec![];
    while tried < MAX_PER_RUN {
        let claimed = claim(db, instance, now).await?;
        if claimed.is_empty() {
            break;
        }
        for c in claimed {
            tried += 1;
            match send_one(db, out, instance, c).await? {
                Ok(()) => sent += 1,
                Err(e) => errors.push(e),
            }
        }
    }
    Ok((sent, errors.join("; ")))
}

/// Claim a batch; a claimed message whose participant has no opt-in in force on its channel
/// (a STOP since it was queued) is cancelled, never sent.
async fn claim(db: &Db, instance: &str, now: NaiveDateTime) -> AppResult<Vec<Claimed>> {
    let inst = instance.to_string();
    let until = now + chrono::TimeDelta::seconds(rules::LEASE_SECONDS);
    db.write(move |tx| {
        let rows = store::claim(tx, &inst, now, until, BATCH)?;
        let mut keep = vec![];
        for row in rows {
            match store::current_optin(tx.conn(), row.participant_id)? {
                Some(o) if o.channel == row.channel => keep.push(Claimed {
                    language: Language::parse(&o.language).unwrap_or_default(),
                    row,
                }),
                _ => store::cancel(tx, row.id)?,
            }
        }
        Ok(keep)
    })
    .await
}

/// Send one claimed message and mark it; `Err` inside says why it did not go.
async fn send_one(
    db: &Db,
    out: &Outbound,
    instance: &str,
    c: Claimed,
) -> AppResult<Result<(), String>> {
    let outcome: Result<Option<String>, String> = match Channel::parse(&c.row.channel) {
        Some(Channel::Sms) => match &out.sms {
            Some(p) => p.send(&c.row.address, &c.row.body).await.map(Some),
            None => Err("no SMS provider is configured".into()),
        },
        Some(Channel::Email) => match &out.smtp {
            Some(s) => s
                .send(
                    &c.row.address,
                    &rules::reminder_subject(c.language, None),
                    &c.row.body,
                    c.language.code(),
                )
                .await
                .map(|_| None),
            None => Err("no SMTP relay is configured".into()),
        },
        None => Err(format!("unknown channel {}", c.row.channel)),
    };
    let result = outcome
        .as_ref()
        .map(|_| ())
        .map_err(|e| format!("message {}: {e}", c.row.id));
    let ok = result.is_ok();
    let give_up = c.row.attempts >= rules::MAX_ATTEMPTS;
    let (id, pid, inst) = (c.row.id, c.row.participant_id, instance.to_string());
    let marked = db
        .write(move |tx| {
            let marked = store::mark(tx, id, &inst, outcome, give_up, time::now())?;
            if marked && ok {
                audit::append(
                    tx,
                    &job_who(&inst),
                    Event::new(Action::MessageDeliver, "message", Some(id)).with_participant(pid),
                )?;
            }
            Ok(marked)
        })
        .await?;
    Ok(match (marked, result) {
        (true, r) => r,
        // Another instance took it over (this one outlived its lease): not counted here.
        (false, Ok(())) => Err(format!("message {id}: sent after its lease ended")),
        (false, Err(e)) => Err(e),
    })
}

/// The latest job runs of every instance, for admins.
pub fn runs(tx: &mut Tx, a: &Actor) -> AppResult<Vec<JobRun>> {
    access::job_runs(a)?;
    let runs = jobs::runs(tx.conn(), 200)?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::JobRunsRead, "job_run", None),
    )?;
    Ok(runs)
}
