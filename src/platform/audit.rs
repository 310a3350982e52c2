//! The audit chain: an append-only log of every read and write of participant data, every
//! sign-in and every admin action. Each entry stores the hash of the previous one, and
//! `audit_head` holds the hash of the last, so `verify` finds the first entry that was changed,
//! inserted or deleted. Appending requires a transaction (`Tx`); the entries are made at its
//! commit (a read's by the recorder, right after it; decision 0041), where the head row is
//! locked (`FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers),
//! so entries from several app instances form one chain and the head is held only briefly.
//!
//! Entry hashes are HMAC-SHA256 with a key held outside the database (`audit_key`, decision
//! 0014), so someone who can only write to the database cannot recompute them after a change;
//! entries from before the chain was keyed keep their plain SHA-256 hashes. Signed checkpoints
//! of the head, kept elsewhere, catch entries cut off the end.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use hmac::Mac;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::audit_key::{self, Checkpoint, EntryMac, Key};
use super::db::{DbConn, Tx};
use super::error::{AppError, AppResult};
use super::schema::{audit_head, audit_log, organisations, participants};
use super::time;

pub use super::audit_action::Action;

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
    pub action: Action,
    pub record_type: String,
    pub record_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub detail: String,
}

impl Event {
    pub fn new(action: Action, record_type: &str, record_id: Option<i64>) -> Event {
        Event {
            action,
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
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub struct Entry {
    pub seq: i64,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
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

/// Feed an entry's fields and the previous hash, unit-separated, to a hash.
fn hash_input(e: &Entry, mut feed: impl FnMut(&[u8])) {
    let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
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
        feed(part.as_bytes());
        feed(&[0x1f]);
    }
}

/// The hash of an entry from before the chain was keyed: plain SHA-256 over its fields and the
/// previous hash. Anyone can recompute it, so it only shows accidental damage.
pub fn entry_hash(e: &Entry) -> String {
    let mut h = Sha256::new();
    hash_input(e, |b| h.update(b));
    hex::encode(h.finalize())
}

/// The hash of a keyed entry: HMAC-SHA256 with the audit key over the same input. Nobody
/// without the key can compute it.
pub fn keyed_entry_hash(e: &Entry, mac: &EntryMac) -> String {
    let mut m = mac.clone();
    hash_input(e, |b| m.update(b));
    hex::encode(m.finalize().into_bytes())
}

/// What one entry for many people says of them: how many, and a SHA-256 of their ids in
/// ascending order, one a line (`people=500 digest=…`). Anyone holding a list of ids (a roster
/// file matched again, a database backup) can check it against the entry; the chain keeps the
/// entry itself from being altered.
pub fn people_digest(ids: &[i64]) -> String {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut h = Sha256::new();
    for id in &sorted {
        h.update(id.to_string().as_bytes());
        h.update(b"\n");
    }
    format!(
        "people={} digest={}",
        sorted.len(),
        hex::encode(h.finalize())
    )
}

/// Append one entry to the chain, as part of the caller's transaction: made at its commit (the
/// last work of a write transaction, so the chain's head is held only for that moment), or right
/// after a read transaction by the one recorder (`recorder`). Either way the request does not
/// succeed unless the entry is written.
pub fn append(tx: &mut Tx, who: &Who, event: Event) -> AppResult<()> {
    append_many(tx, who, vec![event])
}

/// Append several entries (one lock of the head, one multi-row insert), as [`append`] does.
pub fn append_many(tx: &mut Tx, who: &Who, events: Vec<Event>) -> AppResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let who = who.clone();
    tx.at_commit(move |tx| append_now(tx, &who, events).map(|_| ()))
}

/// Append one entry now, in the middle of the caller's write transaction, and return its
/// sequence number: for keying the chain (`audit_key`), which must know the number at once.
pub(crate) fn append_at_once(tx: &mut Tx, who: &Who, event: Event) -> AppResult<i64> {
    append_now(tx, who, vec![event])
}

fn append_now(tx: &mut Tx, who: &Who, events: Vec<Event>) -> AppResult<i64> {
    let conn = tx.conn();
    let head = audit_key::head(conn, true)?;
    if events.is_empty() {
        return Ok(head.seq);
    }
    // Fail closed: an entry nobody can verify is not written (decision 0014).
    let mac = match &head.key_check {
        Some(check) => audit_key::loaded_mac(check).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "the audit chain is keyed with a key this process has not loaded (key check \
                 {}): start it with the same audit key file as the other instances",
                audit_key::short(check)
            ))
        })?,
        None => {
            return Err(AppError::internal(anyhow::anyhow!(
                "the audit chain has no key: open the database with Db::migrate (every command \
                 does), which keys it"
            )));
        }
    };
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
            action: event.action.code().to_string(),
            record_type: event.record_type,
            record_id: event.record_id,
            participant_id: event.participant_id,
            client_addr: who.client_addr.clone(),
            detail: event.detail,
            prev_hash: prev,
            hash: String::new(),
        };
        entry.hash = keyed_entry_hash(&entry, &mac);
        prev = entry.hash.clone();
        entries.push(entry);
    }
    for chunk in entries.chunks(500) {
        crate::on_backend!(&mut *conn, c => diesel::insert_into(audit_log::table).values(chunk).execute(c))?;
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
    /// The entry's hash is a plain SHA-256 where the chain is keyed: someone without the key
    /// rewrote it (and, to hide that, the entries after it).
    Unkeyed { seq: i64, keyed_from: i64 },
    /// The entry does not follow the one before it: something was inserted or deleted there.
    Broken { seq: i64 },
    /// Entries are missing: `expected` was deleted (the next present entry is `found`).
    Missing { expected: i64, found: i64 },
    /// The chain ends at `last`, but the head says `head`: entries were deleted from the end,
    /// or appended without going through the chain.
    Tail { last: i64, head: i64 },
    /// The chain is keyed with another key than the one given (or its key check was changed).
    WrongKey {
        key_file: String,
        key: String,
        chain: String,
    },
    /// The database holds no key check: the chain was never keyed, or the key check was erased.
    NotKeyed { key_file: String },
    /// The key file and the database disagree about where the keyed chain starts.
    KeyedFrom {
        key_file: String,
        file: Option<i64>,
        db: Option<i64>,
    },
    /// The chain ends at `last`, before the entry `keyed_from` that starts its keyed part.
    KeyedPartMissing { keyed_from: i64, last: i64 },
    /// A checkpoint's signature is not the key's: the line was altered or signed with another key.
    CheckpointSignature { line: usize, seq: i64, at: String },
    /// The chain is shorter than a checkpoint says it was.
    CheckpointAhead {
        line: usize,
        seq: i64,
        at: String,
        last: i64,
    },
    /// The entry a checkpoint names has another hash than the checkpoint recorded.
    CheckpointDiffers { line: usize, seq: i64, at: String },
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Changed { seq } => {
                write!(f, "entry {seq} was changed: its hash no longer matches")
            }
            Fault::Unkeyed { seq, keyed_from } => write!(
                f,
                "entry {seq} was changed: it has a plain SHA-256 hash, but entries from \
                 {keyed_from} on are keyed, so it was rewritten by someone without the key"
            ),
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
            Fault::WrongKey {
                key_file,
                key,
                chain,
            } => write!(
                f,
                "wrong audit key: the key in {key_file} (key check {key}) is not the key this \
                 chain is keyed with (key check {chain}); every instance must use the same key \
                 file, or the key check in audit_head was changed"
            ),
            Fault::NotKeyed { key_file } => write!(
                f,
                "the chain is not keyed (audit_head holds no key check), though the key in \
                 {key_file} exists: start the server once to key it, or the key check was erased"
            ),
            Fault::KeyedFrom { key_file, file, db } => {
                let show = |v: &Option<i64>| v.map_or("nothing".to_string(), |v| v.to_string());
                write!(
                    f,
                    "the key file {key_file} says the chain is keyed from entry {}, the database \
                     says {}: the database was changed",
                    show(file),
                    show(db)
                )
            }
            Fault::KeyedPartMissing { keyed_from, last } => write!(
                f,
                "entries from {keyed_from} on are missing (deleted): the chain is keyed from \
                 entry {keyed_from} but ends at {last}"
            ),
            Fault::CheckpointSignature { line, seq, at } => write!(
                f,
                "checkpoint on line {line} (entry {seq}, {at}Z) has a wrong signature: the line \
                 was altered, or signed with another key"
            ),
            Fault::CheckpointAhead {
                line,
                seq,
                at,
                last,
            } => write!(
                f,
                "the chain ends at entry {last}, but the checkpoint on line {line} recorded entry \
                 {seq} at {at}Z: entries were deleted from the end (the chain was rolled back)"
            ),
            Fault::CheckpointDiffers { line, seq, at } => write!(
                f,
                "entry {seq} is not the entry the checkpoint on line {line} ({at}Z) recorded: \
                 the chain was rewritten or rolled back since"
            ),
        }
    }
}

/// The result of checking the whole chain.
#[derive(Debug, Clone)]
pub struct Verification {
    pub entries: i64,
    pub fault: Option<Fault>,
}

impl Verification {
    fn fault(entries: i64, fault: Fault) -> AppResult<Verification> {
        Ok(Verification {
            entries,
            fault: Some(fault),
        })
    }
}

/// Walk the chain in order, recomputing every hash: plain SHA-256 before the seq the chain is
/// keyed from, HMAC-SHA256 with `key` from it on. Every checkpoint must carry the key's
/// signature, and name an entry that exists with exactly the hash it recorded.
pub fn verify(conn: &mut DbConn, key: &Key, checkpoints: &[Checkpoint]) -> AppResult<Verification> {
    let head = audit_key::head(conn, false)?;
    let key_file = key.path().display().to_string();
    match &head.key_check {
        None => return Verification::fault(0, Fault::NotKeyed { key_file }),
        Some(c) if c != key.check() => {
            return Verification::fault(
                0,
                Fault::WrongKey {
                    key_file,
                    key: audit_key::short(key.check()).into(),
                    chain: audit_key::short(c).into(),
                },
            );
        }
        Some(_) => {}
    }
    // The key file's record wins; the database's copy is used only when the key file has none,
    // and is then checked by the walk: the entry there must exist and carry a keyed hash.
    let keyed_from = match (key.keyed_from(), head.keyed_from) {
        (Some(f), Some(d)) if f == d => f,
        (None, Some(d)) => d,
        (file, db) => {
            return Verification::fault(0, Fault::KeyedFrom { key_file, file, db });
        }
    };
    for cp in checkpoints {
        if !cp.signature_ok(key) {
            return Verification::fault(
                0,
                Fault::CheckpointSignature {
                    line: cp.line,
                    seq: cp.seq,
                    at: time::canonical(cp.at),
                },
            );
        }
    }
    let differs = |cp: &Checkpoint| Fault::CheckpointDiffers {
        line: cp.line,
        seq: cp.seq,
        at: time::canonical(cp.at),
    };
    if let Some(cp) = checkpoints
        .iter()
        .find(|cp| cp.seq == 0 && cp.hash != GENESIS)
    {
        return Verification::fault(0, differs(cp));
    }
    let mut by_seq: std::collections::HashMap<i64, Vec<&Checkpoint>> =
        std::collections::HashMap::default();
    for cp in checkpoints {
        by_seq.entry(cp.seq).or_default().push(cp);
    }
    let mac = key.entry_mac();
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
            } else if e.seq < keyed_from {
                (entry_hash(&e) != e.hash).then_some(Fault::Changed { seq: e.seq })
            } else if keyed_entry_hash(&e, mac) != e.hash {
                Some(if entry_hash(&e) == e.hash {
                    Fault::Unkeyed {
                        seq: e.seq,
                        keyed_from,
                    }
                } else {
                    Fault::Changed { seq: e.seq }
                })
            } else {
                by_seq
                    .get(&e.seq)
                    .and_then(|cps| cps.iter().find(|cp| cp.hash != e.hash))
                    .map(|cp| differs(cp))
            };
            if let Some(fault) = fault {
                return Verification::fault(checked, fault);
            }
            checked += 1;
            prev = e.hash;
            expected_seq += 1;
        }
    }
    let last = expected_seq - 1;
    if last != head.seq || prev != head.hash {
        return Verification::fault(
            checked,
            Fault::Tail {
                last,
                head: head.seq,
            },
        );
    }
    // Keying always writes an entry at `keyed_from`, so a chain that ends before it was cut (or
    // rewritten as if it had never been keyed).
    if last < keyed_from {
        return Verification::fault(checked, Fault::KeyedPartMissing { keyed_from, last });
    }
    if let Some(cp) = checkpoints
        .iter()
        .filter(|cp| cp.seq > last)
        .max_by_key(|cp| cp.seq)
    {
        return Verification::fault(
            checked,
            Fault::CheckpointAhead {
                line: cp.line,
                seq: cp.seq,
                at: time::canonical(cp.at),
                last,
            },
        );
    }
    Ok(Verification {
        entries: checked,
        fault: None,
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
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Entries of one organisation's staff, and every entry about its participants whoever made
/// it (a partner's view, an emergency opening, an export, another organisation's denied
/// attempts), newest first. An organisation with no participants of its own (a partner) sees
/// only its own staff's entries.
pub fn list(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<Entry>> {
    let ours = participants::table
        .filter(participants::org_id.eq(f.org_id))
        .select(participants::id.nullable());
    let mut q = audit_log::table
        .filter(
            audit_log::actor_org_id
                .eq(f.org_id)
                .or(audit_log::participant_id.eq_any(ours)),
        )
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

/// An entry as the log shows it: with the name of the actor's organisation, since entries
/// about the programme's participants may come from other organisations.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Line {
    #[serde(flatten)]
    pub entry: Entry,
    /// The actor's organisation (none for the command line or an unknown account).
    pub actor_organisation: Option<String>,
}

/// [`list`], with each actor's organisation named.
pub fn lines(conn: &mut DbConn, f: &Filter) -> AppResult<Vec<Line>> {
    let entries = list(conn, f)?;
    let mut ids: Vec<i64> = entries.iter().filter_map(|e| e.actor_org_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: std::collections::HashMap<i64, String> = organisations::table
        .filter(organisations::id.eq_any(&ids))
        .select((organisations::id, organisations::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(entries
        .into_iter()
        .map(|entry| Line {
            actor_organisation: entry.actor_org_id.and_then(|o| names.get(&o).cloned()),
            entry,
        })
        .collect())
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

    fn mac(byte: u8) -> EntryMac {
        <EntryMac as Mac>::new_from_slice(&[byte; 32]).unwrap()
    }

    #[test]
    fn every_field_is_covered_by_the_keyed_hash() {
        let base = keyed_entry_hash(&sample(), &mac(1));
        for (i, m) in mutations().iter().enumerate() {
            let mut e = sample();
            m(&mut e);
            assert_ne!(
                keyed_entry_hash(&e, &mac(1)),
                base,
                "mutation {i} not detected"
            );
        }
    }

    #[test]
    fn the_keyed_hash_needs_the_key() {
        let e = sample();
        let keyed = keyed_entry_hash(&e, &mac(1));
        assert_eq!(keyed, keyed_entry_hash(&e, &mac(1)), "deterministic");
        assert_ne!(
            keyed,
            keyed_entry_hash(&e, &mac(2)),
            "another key, another hash"
        );
        assert_ne!(keyed, entry_hash(&e), "not the plain SHA-256");
        assert_eq!(keyed.len(), 64);
    }

    type Mutation = Box<dyn Fn(&mut Entry)>;

    fn mutations() -> Vec<Mutation> {
        vec![
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
        ]
    }

    #[test]
    fn every_field_is_covered_by_the_hash() {
        let base = entry_hash(&sample());
        for (i, m) in mutations().iter().enumerate() {
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
        assert_ne!(keyed_entry_hash(&a, &mac(1)), keyed_entry_hash(&b, &mac(1)));
    }
}
