//! Field safety alerts by e-mail (issue 18 item 1): the scheduled job `field.alerts` e-mails an
//! overdue check-out to the peer's supervisor (their programme's admins when they have none),
//! an escalated one to the programme's admins (the backup), and a call for help to both at
//! once, each in the recipient's language, with where the peer checked in. The home page shows
//! the same alerts; the e-mail reaches someone who is not looking at it.
//!
//! Safe with several instances (decision 0050): each (visit, level, recipient) owed an e-mail is
//! a row of `field_alert_notices` under a unique key, inserted by the job before it sends; the
//! instance whose insert made the row sends it, any other finds it there and sends nothing.
//! An instance that stops between the insert and the send loses that one e-mail (the row says
//! it was never sent); the home page still shows the alert. Without an SMTP relay configured the
//! job claims nothing, so alerts of visits still open go out once one is.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::rules::{self, EscalateAfter, VisitState};
use super::schema::{field_alert_notices, field_visits};
use super::store::{self, VisitRow};
use crate::messages::email::Smtp;
use crate::platform::access::Role;
use crate::platform::audit::{self, Action, Event, Who};
use crate::platform::db::{Db, Tx};
use crate::platform::error::AppResult;
use crate::platform::i18n::{Language, Tr};
use crate::platform::ids::new_id;
use crate::platform::jobs::{self, JobRun};
use crate::platform::schema::users;
use crate::platform::time::{self, Zone};

/// The job's name in the job runs.
pub const JOB: &str = "field.alerts";

/// Who an alert is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// The peer's supervisor: an overdue check-out, a call for help.
    Supervisor,
    /// The programme's admins: an escalated check-out, a call for help.
    Backup,
}

impl Level {
    const fn code(self) -> &'static str {
        match self {
            Level::Supervisor => "supervisor",
            Level::Backup => "backup",
        }
    }
}

/// The levels a visit in `state` owes an e-mail to.
fn levels(state: VisitState) -> Vec<Level> {
    let mut out = vec![];
    if state.alerts_supervisor() {
        out.push(Level::Supervisor);
    }
    if state.alerts_backup() {
        out.push(Level::Backup);
    }
    out
}

/// One e-mail this instance claimed and must send.
struct Owed {
    notice_id: i64,
    org_id: i64,
    visit: VisitRow,
    state: VisitState,
    peer_name: String,
    email: String,
    lang: Language,
    zone: Zone,
}

/// One run: claim what is owed now, send it, record each outcome.
pub async fn tick(db: &Db, smtp: Option<&Smtp>, instance: &str, now: NaiveDateTime) -> JobRun {
    jobs::recorded(db, JOB, instance, || run(db, smtp, instance, now)).await
}

async fn run(
    db: &Db,
    smtp: Option<&Smtp>,
    instance: &str,
    now: NaiveDateTime,
) -> AppResult<(i32, String)> {
    let Some(smtp) = smtp else {
        return Ok((0, String::new()));
    };
    let inst = instance.to_string();
    let owed = db.write(move |tx| claim(tx, &inst, now)).await?;
    let mut sent = 0;
    let mut errors = vec![];
    for o in owed {
        let (subject, body) = words(&o);
        let outcome = smtp.send(&o.email, &subject, &body, o.lang.code()).await;
        let (sent_at, error) = match outcome {
            Ok(_) => {
                sent += 1;
                (Some(time::now()), String::new())
            }
            Err(e) => {
                errors.push(e.clone());
                (None, e)
            }
        };
        let who = Who {
            user_id: None,
            org_id: Some(o.org_id),
            label: format!("job:{instance}"),
            client_addr: "local".into(),
        };
        let (id, visit_id) = (o.notice_id, o.visit.id);
        db.write(move |tx| {
            diesel::update(field_alert_notices::table.find(id))
                .set((
                    field_alert_notices::sent_at.eq(sent_at),
                    field_alert_notices::error.eq(&error),
                ))
                .execute(tx.conn())?;
            audit::append(
                tx,
                &who,
                Event::new(Action::FieldVisitAlertSent, "field_visit", Some(visit_id)).detail(
                    if error.is_empty() {
                        format!("notice {id} e-mailed")
                    } else {
                        format!("notice {id} not sent: {error}")
                    },
                ),
            )
        })
        .await?;
    }
    Ok((sent, errors.join("; ")))
}

/// Insert a notice for each (visit, level, recipient) owed an e-mail now; answer those this
/// instance's inserts made.
fn claim(tx: &mut Tx, instance: &str, now: NaiveDateTime) -> AppResult<Vec<Owed>> {
    let open: Vec<VisitRow> = field_visits::table
        .filter(field_visits::ended_at.is_null())
        .select(VisitRow::as_select())
        .load(tx.conn())?;
    let mut escalate: HashMap<i64, EscalateAfter> = HashMap::new();
    let mut zones: HashMap<i64, Zone> = HashMap::new();
    let mut owed = vec![];
    for v in open {
        let e = match escalate.get(&v.org_id) {
            Some(e) => *e,
            None => {
                let e = store::escalate_after(tx.conn(), v.org_id)?;
                escalate.insert(v.org_id, e);
                e
            }
        };
        let state = rules::state(v.expected_end_at, v.ended_at, v.help_at, now, e);
        let levels = levels(state);
        if levels.is_empty() {
            continue;
        }
        let (peer_name, supervisor): (String, Option<i64>) = users::table
            .find(v.peer_id)
            .select((users::name, users::supervisor_id))
            .first(tx.conn())?;
        let admins = active_admins(tx, v.org_id, v.peer_id)?;
        for level in levels {
            let to: Vec<(i64, String, Option<String>)> = match (level, supervisor) {
                (Level::Supervisor, Some(s)) => users::table
                    .filter(users::id.eq(s))
                    .filter(users::org_id.eq(v.org_id))
                    .filter(users::disabled_at.is_null())
                    .select((users::id, users::email, users::language))
                    .load(tx.conn())?,
                _ => admins.clone(),
            };
            for (recipient, email, language) in to {
                let notice_id = new_id();
                // ON CONFLICT is written out: Diesel's upsert is not offered over one
                // connection type for both backends (as `messages::store::queue_reminder`).
                let made = diesel::sql_query(
                    "INSERT INTO field_alert_notices \
                     (id, visit_id, level, recipient_id, claimed_by, claimed_at, error) \
                     VALUES ($1, $2, $3, $4, $5, $6, '') \
                     ON CONFLICT (visit_id, level, recipient_id) DO NOTHING",
                )
                .bind::<BigInt, _>(notice_id)
                .bind::<BigInt, _>(v.id)
                .bind::<Text, _>(level.code())
                .bind::<BigInt, _>(recipient)
                .bind::<Text, _>(instance)
                .bind::<Timestamp, _>(now)
                .execute(tx.conn())?;
                if made == 0 {
                    continue;
                }
                let zone = match zones.get(&v.org_id) {
                    Some(z) => *z,
                    None => {
                        let z = time::zone_of(tx.conn(), v.org_id)?;
                        zones.insert(v.org_id, z);
                        z
                    }
                };
                owed.push(Owed {
                    notice_id,
                    org_id: v.org_id,
                    visit: v.clone(),
                    state,
                    peer_name: peer_name.clone(),
                    email,
                    lang: language
                        .as_deref()
                        .and_then(Language::parse)
                        .unwrap_or_default(),
                    zone,
                });
            }
        }
    }
    Ok(owed)
}

/// The organisation's admins who can act (not disabled), other than the peer.
fn active_admins(
    tx: &mut Tx,
    org_id: i64,
    peer_id: i64,
) -> AppResult<Vec<(i64, String, Option<String>)>> {
    Ok(users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::disabled_at.is_null())
        .filter(users::id.ne(peer_id))
        .order(users::id)
        .select((users::id, users::email, users::language))
        .load(tx.conn())?)
}

/// The e-mail's subject and text, in the recipient's language. It names the peer and where they
/// checked in (staff writing to staff); nothing about a participant.
fn words(o: &Owed) -> (String, String) {
    let tr = Tr { lang: o.lang };
    let v = &o.visit;
    let subject = match o.state {
        VisitState::Help(_) => tr.t1("field-mail-subject-help", "name", &o.peer_name),
        _ => tr.t1("field-mail-subject-overdue", "name", &o.peer_name),
    };
    let mut lines = vec![subject.clone(), String::new()];
    lines.push(format!("{}: {}", tr.t("field-place"), v.place));
    if !v.with_whom.is_empty() {
        lines.push(format!("{}: {}", tr.t("field-with-whom"), v.with_whom));
    }
    lines.push(format!(
        "{}: {}",
        tr.t("field-expected-end"),
        o.zone.show_in(v.expected_end_at, tr)
    ));
    if let Some(h) = v.help_at {
        lines.push(tr.t1("field-asked-help-at", "time", o.zone.show_in(h, tr)));
        if !v.help_note.is_empty() {
            lines.push(v.help_note.clone());
        }
    }
    if !v.safety_note.is_empty() {
        lines.push(format!("{}: {}", tr.t("field-safety-note"), v.safety_note));
    }
    lines.push(String::new());
    lines.push(tr.t("field-mail-next"));
    (subject, lines.join("\n"))
}

/// Start this instance's timer for the job (`jobs_every_seconds`; 0: none).
pub fn start(db: Db, config: &crate::platform::config::Config) {
    if config.jobs_every_seconds == 0 {
        return;
    }
    let smtp = Smtp::from_config(config);
    let instance = jobs::instance_name(config);
    jobs::every(
        std::time::Duration::from_secs(config.jobs_every_seconds),
        move || {
            let (db, smtp, instance) = (db.clone(), smtp.clone(), instance.clone());
            async move {
                tick(&db, smtp.as_ref(), &instance, time::now()).await;
            }
        },
    );
}
