//! Opt-ins, the thread and its outbox. Every function takes ids the caller was granted (`ops.rs`
//! asks the policy first) or, for the scheduler and the provider's webhook, works across
//! organisations on the rows it names.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::rules::{Channel, Kind, Status};
use super::schema::{message_optins, messages};
use crate::platform::db::{DbConn, Tx, is_postgres};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;

/// An opt-in as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = message_optins)]
pub struct OptinRow {
    pub id: i64,
    pub org_id: i64,
    pub participant_id: i64,
    pub channel: String,
    pub address: String,
    pub language: String,
    pub names_programme: bool,
    pub opted_in_at: NaiveDateTime,
    pub recorded_by: Option<i64>,
    pub ended_at: Option<NaiveDateTime>,
    pub ended_how: Option<String>,
}

/// A message as stored.
#[derive(Debug, Clone, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = messages)]
pub struct MessageRow {
    pub id: i64,
    pub org_id: i64,
    pub participant_id: i64,
    pub direction: String,
    pub channel: String,
    pub kind: String,
    pub body: String,
    pub address: String,
    pub status: String,
    pub reminder_key: Option<String>,
    pub author_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<NaiveDateTime>,
    pub sent_at: Option<NaiveDateTime>,
    pub provider_id: Option<String>,
    pub error: String,
}

/// An opt-in, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOptin {
    pub channel: Channel,
    /// E.164 for SMS, the address for e-mail.
    pub address: String,
    /// `en` or `es`.
    pub language: String,
    pub names_programme: bool,
}

/// A message to store, parsed.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub org_id: i64,
    pub participant_id: i64,
    /// `out` or `in`.
    pub direction: &'static str,
    pub channel: Channel,
    pub kind: Kind,
    pub body: String,
    pub address: String,
    pub status: Status,
    pub reminder_key: Option<String>,
    pub author_id: Option<i64>,
    pub provider_id: Option<String>,
}

/// The participant's opt-in in force (none after a STOP), if any.
pub fn current_optin(conn: &mut DbConn, participant_id: i64) -> AppResult<Option<OptinRow>> {
    Ok(message_optins::table
        .filter(message_optins::participant_id.eq(participant_id))
        .filter(message_optins::ended_at.is_null())
        .order((
            message_optins::opted_in_at.desc(),
            message_optins::id.desc(),
        ))
        .select(OptinRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every opt-in of the participant, latest first (the history: nothing is replaced).
pub fn optins(conn: &mut DbConn, participant_id: i64) -> AppResult<Vec<OptinRow>> {
    Ok(message_optins::table
        .filter(message_optins::participant_id.eq(participant_id))
        .order((
            message_optins::opted_in_at.desc(),
            message_optins::id.desc(),
        ))
        .select(OptinRow::as_select())
        .load(conn)?)
}

/// Every opt-in in force, of every organisation (the scheduler plans reminders for these).
pub fn active_optins(conn: &mut DbConn) -> AppResult<Vec<OptinRow>> {
    Ok(message_optins::table
        .filter(message_optins::ended_at.is_null())
        .order(message_optins::id)
        .select(OptinRow::as_select())
        .load(conn)?)
}

/// The SMS opt-ins of a phone number (E.164), in force or not, latest first.
pub fn optins_of_phone(conn: &mut DbConn, phone: &str) -> AppResult<Vec<OptinRow>> {
    Ok(message_optins::table
        .filter(message_optins::channel.eq(Channel::Sms.as_str()))
        .filter(message_optins::address.eq(phone))
        .order((
            message_optins::opted_in_at.desc(),
            message_optins::id.desc(),
        ))
        .select(OptinRow::as_select())
        .load(conn)?)
}

/// Record an opt-in: the one in force (if any) ends as `replaced`, and this one starts.
pub fn record_optin(
    tx: &mut Tx,
    org_id: i64,
    participant_id: i64,
    o: &NewOptin,
    recorded_by: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<OptinRow> {
    end_optins(tx, participant_id, "replaced", now)?;
    let id = new_id();
    diesel::insert_into(message_optins::table)
        .values((
            message_optins::id.eq(id),
            message_optins::org_id.eq(org_id),
            message_optins::participant_id.eq(participant_id),
            message_optins::channel.eq(o.channel.as_str()),
            message_optins::address.eq(&o.address),
            message_optins::language.eq(&o.language),
            message_optins::names_programme.eq(o.names_programme),
            message_optins::opted_in_at.eq(now),
            message_optins::recorded_by.eq(recorded_by),
        ))
        .execute(tx.conn())?;
    message_optins::table
        .find(id)
        .select(OptinRow::as_select())
        .first(tx.conn())
        .map_err(Into::into)
}

/// End the participant's opt-ins in force (`how`: `stop`, `staff`, `replaced`); returns how many.
pub fn end_optins(
    tx: &mut Tx,
    participant_id: i64,
    how: &str,
    now: NaiveDateTime,
) -> AppResult<usize> {
    Ok(diesel::update(
        message_optins::table
            .filter(message_optins::participant_id.eq(participant_id))
            .filter(message_optins::ended_at.is_null()),
    )
    .set((
        message_optins::ended_at.eq(Some(now)),
        message_optins::ended_how.eq(Some(how)),
    ))
    .execute(tx.conn())?)
}

/// Messages waiting to go to the participant are cancelled (a STOP).
pub fn cancel_queued(tx: &mut Tx, participant_id: i64) -> AppResult<usize> {
    Ok(diesel::update(
        messages::table
            .filter(messages::participant_id.eq(participant_id))
            .filter(messages::status.eq(Status::Queued.as_str())),
    )
    .set((
        messages::status.eq(Status::Cancelled.as_str()),
        messages::claimed_by.eq(None::<String>),
        messages::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(tx.conn())?)
}

/// Store a message.
pub fn insert_message(tx: &mut Tx, m: &NewMessage, now: NaiveDateTime) -> AppResult<MessageRow> {
    let id = new_id();
    diesel::insert_into(messages::table)
        .values((
            messages::id.eq(id),
            messages::org_id.eq(m.org_id),
            messages::participant_id.eq(m.participant_id),
            messages::direction.eq(m.direction),
            messages::channel.eq(m.channel.as_str()),
            messages::kind.eq(m.kind.as_str()),
            messages::body.eq(&m.body),
            messages::address.eq(&m.address),
            messages::status.eq(m.status.as_str()),
            messages::reminder_key.eq(&m.reminder_key),
            messages::author_id.eq(m.author_id),
            messages::created_at.eq(now),
            messages::sent_at.eq((m.status != Status::Queued).then_some(now)),
            messages::provider_id.eq(&m.provider_id),
            messages::error.eq(""),
        ))
        .execute(tx.conn())?;
    message(tx.conn(), id)
}

/// Queue a reminder unless one with its key exists (planned before, by this instance or
/// another: the key is unique, so of two instances planning at once one inserts it and the
/// other inserts nothing). True when this call queued it.
pub fn queue_reminder(tx: &mut Tx, m: &NewMessage, now: NaiveDateTime) -> AppResult<bool> {
    let Some(key) = &m.reminder_key else {
        return Err(AppError::internal(anyhow::anyhow!("a reminder has a key")));
    };
    let n = diesel::sql_query(
        "INSERT INTO messages (id, org_id, participant_id, direction, channel, kind, body, \
         address, status, reminder_key, created_at, attempts, error) \
         VALUES ($1, $2, $3, 'out', $4, $5, $6, $7, 'queued', $8, $9, 0, '') \
         ON CONFLICT (reminder_key) DO NOTHING",
    )
    .bind::<BigInt, _>(new_id())
    .bind::<BigInt, _>(m.org_id)
    .bind::<BigInt, _>(m.participant_id)
    .bind::<Text, _>(m.channel.as_str())
    .bind::<Text, _>(m.kind.as_str())
    .bind::<Text, _>(&m.body)
    .bind::<Text, _>(&m.address)
    .bind::<Text, _>(key)
    .bind::<Timestamp, _>(now)
    .execute(tx.conn())?;
    Ok(n == 1)
}

/// One message.
pub fn message(conn: &mut DbConn, id: i64) -> AppResult<MessageRow> {
    messages::table
        .find(id)
        .select(MessageRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The participant's thread, oldest first.
pub fn thread(conn: &mut DbConn, participant_id: i64) -> AppResult<Vec<MessageRow>> {
    Ok(messages::table
        .filter(messages::participant_id.eq(participant_id))
        .order((messages::created_at, messages::id))
        .select(MessageRow::as_select())
        .load(conn)?)
}

/// The participant an SMS from `phone` belongs to: of those whose opt-in names the number, the
/// one most recently written to from here, else the latest opt-in.
pub fn last_written_to(conn: &mut DbConn, phone: &str) -> AppResult<Option<i64>> {
    Ok(messages::table
        .filter(messages::channel.eq(Channel::Sms.as_str()))
        .filter(messages::address.eq(phone))
        .filter(messages::direction.eq("out"))
        .order((messages::created_at.desc(), messages::id.desc()))
        .select(messages::participant_id)
        .first(conn)
        .optional()?)
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Claim up to `limit` queued outgoing messages for `instance` until `until`: those nobody
/// holds, or whose holder's lease ran out (it stopped between claiming and marking). On
/// PostgreSQL the rows are locked `FOR UPDATE SKIP LOCKED`, so another instance claiming at
/// the same moment passes over them instead of waiting and taking them too; on SQLite the
/// write transaction holds the database's one write lock (decision 0050). Each claim counts as
/// an attempt.
pub fn claim(
    tx: &mut Tx,
    instance: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> AppResult<Vec<MessageRow>> {
    let lock = if is_postgres(tx.conn()) {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let ids: Vec<i64> = diesel::sql_query(format!(
        "SELECT id FROM messages WHERE status = 'queued' AND direction = 'out' \
         AND (claimed_until IS NULL OR claimed_until < $1) \
         ORDER BY created_at, id LIMIT $2{lock}"
    ))
    .bind::<Timestamp, _>(now)
    .bind::<BigInt, _>(limit)
    .load::<Id>(tx.conn())?
    .into_iter()
    .map(|r| r.id)
    .collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    diesel::update(messages::table.filter(messages::id.eq_any(&ids)))
        .set((
            messages::claimed_by.eq(Some(instance)),
            messages::claimed_until.eq(Some(until)),
            messages::attempts.eq(messages::attempts + 1),
        ))
        .execute(tx.conn())?;
    Ok(messages::table
        .filter(messages::id.eq_any(&ids))
        .order((messages::created_at, messages::id))
        .select(MessageRow::as_select())
        .load(tx.conn())?)
}

/// Mark a claimed message sent (with the provider's id) or, after a failure, failed for good or
/// queued for another try; only while `instance` still holds it. True when marked.
pub fn mark(
    tx: &mut Tx,
    id: i64,
    instance: &str,
    outcome: Result<Option<String>, String>,
    give_up: bool,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let held = messages::table
        .filter(messages::id.eq(id))
        .filter(messages::claimed_by.eq(instance))
        .filter(messages::status.eq(Status::Queued.as_str()));
    let n = match outcome {
        Ok(provider_id) => diesel::update(held)
            .set((
                messages::status.eq(Status::Sent.as_str()),
                messages::sent_at.eq(Some(now)),
                messages::provider_id.eq(provider_id),
                messages::claimed_until.eq(None::<NaiveDateTime>),
                messages::error.eq(""),
            ))
            .execute(tx.conn())?,
        Err(e) => {
            let status = if give_up {
                Status::Failed
            } else {
                Status::Queued
            };
            diesel::update(held)
                .set((
                    messages::status.eq(status.as_str()),
                    messages::claimed_until.eq(None::<NaiveDateTime>),
                    messages::error.eq(e),
                ))
                .execute(tx.conn())?
        }
    };
    Ok(n == 1)
}

/// Cancel a claimed message whose participant has no opt-in in force any more.
pub fn cancel(tx: &mut Tx, id: i64) -> AppResult<()> {
    diesel::update(messages::table.filter(messages::id.eq(id)))
        .set((
            messages::status.eq(Status::Cancelled.as_str()),
            messages::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(tx.conn())?;
    Ok(())
}
