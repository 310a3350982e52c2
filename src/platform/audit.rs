//! The audit chain: an append-only log of every read and write of participant data, every
//! sign-in and every admin action. Each entry stores the hash of the previous one, and
//! `audit_head` holds the hash of the last, so `verify` finds the first entry that was changed,
//! inserted or deleted. Appending requires a write transaction (`Tx`): the head row is locked
//! (`FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers), so
//! entries from several app instances form one chain.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::db::{DbConn, Tx, is_postgres};
use super::error::AppResult;
use super::schema::{audit_head, audit_log};
use super::time;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it, as recorded.
#[derive(Debug, Clone)]
pub struct Who {
    pub user_id: Option<i64>,
    pub org_id: Option<i64>,
    pub label: String,
    pub client_addr: String,
}

impl Who {
    /// Someone at the command line of the server (an operator).
    pub fn command_line() -> Who {
        let user = std::env::var("USER").unwrap_or_else(|_| "operator".into());
        Who {
            user_id: None,
            org_id: None,
            label: format!("cli:{user}"),
            client_addr: "local".into(),
        }
    }
}

/// What happened.
#[derive(Debug, Clone)]
pub struct Event {
    pub action: String,
    pub record_type: String,
    pub record_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub detail: String,
}

impl Event {
    pub fn new(action: &str, record_type: &str, record_id: Option<i64>) -> Event {
        Event {
            action: action.into(),
            record_type: record_type.into(),
            record_id,
            participant_id: None,
            detail: String::new(),
        }
    }
    pub fn with_participant(mut self, id: i64) -> Event {
        self.participant_id = Some(id);
        self
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Event {
        self.detail = detail.into();
        self
    }
}

/// One stored entry.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = audit_log)]
pub struct Entry {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_user_id: Option<i64>,
    pub actor_org_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub client_addr: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: SHA-256 over its fields and the previous hash, unit-separated.
pub fn entry_hash(e: &Entry) -> String {
    let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let mut h = Sha256::new();
    for part in [
        e.seq.to_string(),
        e.prev_hash.clone(),
        time::canonical(e.at),
        opt(e.actor_user_id),
        opt(e.actor_org_id),
        e.actor_label.clone(),
        e.action.clone(),
        e.record_type.clone(),
        opt(e.record_id),
        opt(e.participant_id),
        e.client_addr.clone(),
        e.detail.clone(),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

#[derive(QueryableByName)]
struct Head {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    hash: String,
}

/// Append one entry to the chain, inside the caller's transaction. Returns its sequence number.
pub fn append(tx: &mut Tx, who: &Who, event: Event) -> AppResult<i64> {
    append_many(tx, who, vec![event])
}

/// Append entries now, or (in a read transaction) right after it. Returns the last sequence
/// number when appended now, 0 when deferred.
fn append_or_defer(tx: &mut Tx, who: &Who, events: Vec<Event>) -> AppResult<Option<i64>> {
    if tx.is_reading() {
        let who = who.clone();
        tx.defer(move |tx| append_now(tx, &who, events).map(|_| ()))?;
        return Ok(None);
    }
    append_now(tx, who, events).map(Some)
}

/// Append several entries (one lock of the head, one multi-row insert), inside the caller's
/// transaction. Returns the sequence number of the last.
pub fn append_many(tx: &mut Tx, who: &Who, events: Vec<Event>) -> AppResult<i64> {
    Ok(append_or_defer(tx, who, events)?.unwrap_or(0))
}

fn append_now(tx: &mut Tx, who: &Who, events: Vec<Event>) -> AppResult<i64> {
    let conn = tx.conn();
    let sql = if is_postgres(conn) {
        "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
    } else {
        "SELECT seq, hash FROM audit_head WHERE id = 1"
    };
    let head: Head = diesel::sql_query(sql).get_result(conn)?;
    if events.is_empty() {
        return Ok(head.seq);
    }
    let at = time::now();
    let mut prev = head.hash;
    let mut seq = head.seq;
    let mut entries = Vec::with_capacity(events.len());
    for event in events {
        seq += 1;
        let mut entry = Entry {
            seq,
            at,
            actor_user_id: who.user_id,
            actor_org_id: who.org_id,
            actor_label: who.label.clone(),
            action: event.action,
            record_type: event.record_type,
            record_id: event.record_id,
            participant_id: event.participant_id,
            client_addr: who.client_addr.clone(),
            detail: event.detail,
            prev_hash: prev,
            hash: String::new(),
        };
        entry.hash = entry_hash(&entry);
        prev = entry.hash.clone();
        entries.push(entry);
    }
    for chunk in entries.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|entry| {
                (
                    audit_log::seq.eq(entry.seq),
                    audit_log::at.eq(entry.at),
                    audit_log::actor_user_id.eq(entry.actor_user_id),
                    audit_log::actor_org_id.eq(entry.actor_org_id),
                    audit_log::actor_label.eq(&entry.actor_label),
                    audit_log::action.eq(&entry.action),
                    audit_log::record_type.eq(&entry.record_type),
                    audit_log::record_id.eq(entry.record_id),
                    audit_log::participant_id.eq(entry.participant_id),
                    audit_log::client_addr.eq(&entry.client_addr),
                    audit_log::detail.eq(&entry.detail),
                    audit_log::prev_hash.eq(&entry.prev_hash),
                    audit_log::hash.eq(&entry.hash),
                )
            })
            .collect();
        crate::on_backend!(&mut *conn, c => diesel::insert_into(audit_log::table).values(&rows).execute(c))?;
    }
    diesel::update(audit_head::table.find(1))
        .set((audit_head::seq.eq(seq), audit_head::hash.eq(&prev)))
        .execute(conn)?;
    Ok(seq)
}

/// The first thing wrong with the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The entry's content no longer matches its hash.
    Changed { seq: i64 },
    /// The entry does not follow the one before it: something was inserted or deleted there.
    Broken { seq: i64 },
    /// Entries are missing: `expected` was deleted (the next present entry is `found`).
    Missing { expected: i64, found: i64 },
    /// The chain ends at `last`, but the head says `head`: entries were deleted from the end,
    /// or appended without going through the chain.
    Tail { last: i64, head: i64 },
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Changed { seq } => {
                write!(f, "entry {seq} was changed: its hash no longer matches")
            }
            Fault::Broken { seq } => write!(
                f,
                "entry {seq} does not follow entry {}: an entry was inserted or deleted before it",
                seq - 1
            ),
            Fault::Missing { expected, found } => write!(
                f,
                "entry {expected} is missing (deleted); the chain jumps to entry {found}"
            ),
            Fault::Tail { last, head } => {
                if head > last {
                    write!(
                        f,
                        "entry {} is missing (deleted): the chain ends at {last} but the head records {head}",
                        last + 1
                    )
                } else {
                    write!(
                        f,
                        "entry {} was inserted after the last recorded entry {head}",
                        head + 1
                    )
                }
            }
        }
    }
}

/// The result of checking the whole chain.
#[derive(Debug, Clone)]
pub struct Verification {
    pub entries: i64,
    pub fault: Option<Fault>,
}

/// Walk the chain in order, recomputing every hash.
pub fn verify(conn: &mut DbConn) -> AppResult<Verification> {
    let (head_seq, head_hash): (i64, String) = audit_head::table
        .find(1)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    let mut expected_seq = 1_i64;
    let mut prev = GENESIS.to_string();
    let mut checked = 0_i64;
    loop {
        let batch: Vec<Entry> = audit_log::table
            .filter(audit_log::seq.ge(expected_seq))
            .order(audit_log::seq.asc())
            .limit(5000)
            .select(Entry::as_select())
            .load(conn)?;
        if batch.is_empty() {
            break;
        }
        for e in batch {
            let fault = if e.seq != expected_seq {
                Some(Fault::Missing {
                    expected: expected_seq,
                    found: e.seq,
                })
            } else if e.prev_hash != prev {
                Some(Fault::Broken { seq: e.seq })
            } else if entry_hash(&e) != e.hash {
                Some(Fault::Changed { seq: e.seq })
            } else {
                None
            };
            if fault.is_some() {
                return Ok(Verification {
                    entries: checked,
                    fault,
                });
            }
            checked += 1;
            prev = e.hash;
            expected_seq += 1;
        }
    }
    let last = expected_seq - 1;
    let fault = (last != head_seq || prev != head_hash).then_some(Fault::Tail {
        last,
        head: head_seq,
    });
    Ok(Verification {
        entries: checked,
        fault,
    })
}

/// Filters for browsing the log.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub org_id: i64,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub participant_id: Option<i64>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Only entries before this sequence number (for paging backwards).
    pub before: Option<i64>,
    pub limit: i64,
}

diesel::define_sql_function! {
    /// SQL `lower` (the same name and meaning on SQLite and PostgreSQL).
    fn lower(x: Text) -> Text;
}

/// Entries of one organisation's staff (or about its participants), newest first.
pub fn list(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<Entry>> {
    let mut q = audit_log::table
        .filter(audit_log::actor_org_id.eq(f.org_id))
        .into_boxed();
    // LIKE ignores ASCII case on SQLite and not on PostgreSQL: both sides in lower case, so the
    // backends agree (labels are lower-case e-mails or `cli:` user names).
    if let Some(a) = &f.actor {
        q = q.filter(lower(audit_log::actor_label).like(format!("%{}%", a.to_lowercase())));
    }
    if let Some(a) = &f.action {
        q = q.filter(lower(audit_log::action).like(format!("{}%", a.to_lowercase())));
    }
    if let Some(p) = f.participant_id {
        q = q.filter(audit_log::participant_id.eq(p));
    }
    if let Some(t) = f.from {
        q = q.filter(audit_log::at.ge(t));
    }
    if let Some(t) = f.to {
        q = q.filter(audit_log::at.lt(t));
    }
    if let Some(b) = f.before {
        q = q.filter(audit_log::seq.lt(b));
    }
    Ok(q.order(audit_log::seq.desc())
        .limit(f.limit.clamp(1, 1000))
        .select(Entry::as_select())
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entry {
        Entry {
            seq: 1,
            at: chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
                .unwrap()
                .and_hms_micro_opt(3, 4, 5, 6)
                .unwrap(),
            actor_user_id: Some(7),
            actor_org_id: Some(8),
            actor_label: "a@b".into(),
            action: "participant.view".into(),
            record_type: "participant".into(),
            record_id: Some(9),
            participant_id: Some(9),
            client_addr: "127.0.0.1".into(),
            detail: String::new(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn every_field_is_covered_by_the_hash() {
        let base = entry_hash(&sample());
        type Mutation = Box<dyn Fn(&mut Entry)>;
        let mutations: Vec<Mutation> = vec![
            Box::new(|e| e.seq = 2),
            Box::new(|e| e.at += chrono::Duration::microseconds(1)),
            Box::new(|e| e.actor_user_id = None),
            Box::new(|e| e.actor_org_id = Some(1)),
            Box::new(|e| e.actor_label.push('x')),
            Box::new(|e| e.action.push('x')),
            Box::new(|e| e.record_type.push('x')),
            Box::new(|e| e.record_id = Some(10)),
            Box::new(|e| e.participant_id = None),
            Box::new(|e| e.client_addr.push('x')),
            Box::new(|e| e.detail.push('x')),
            Box::new(|e| e.prev_hash = "1".repeat(64)),
        ];
        for (i, m) in mutations.iter().enumerate() {
            let mut e = sample();
            m(&mut e);
            assert_ne!(entry_hash(&e), base, "mutation {i} not detected");
        }
    }

    #[test]
    fn separators_prevent_field_shifting() {
        let mut a = sample();
        a.actor_label = "ab".into();
        a.action = "c".into();
        let mut b = sample();
        b.actor_label = "a".into();
        b.action = "bc".into();
        assert_ne!(entry_hash(&a), entry_hash(&b));
    }
}
