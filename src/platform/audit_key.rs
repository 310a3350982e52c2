//! The audit chain's secret key and signed checkpoints (decision 0014).
//!
//! The key lives in a file outside the database (`audit_key_file`, default `audit.key` in the
//! data directory, mode 0600), so someone who can write to the database but cannot read the
//! server's files cannot recompute entry hashes after changing an entry. From it three values are
//! derived, each with its own label so that none can stand in for another: the key of the entry
//! HMACs, the key of checkpoint signatures, and a *key check* stored in `audit_head` so that an
//! instance with another key refuses to start rather than write a chain nobody can verify.
//!
//! Entries written before the first start with a key keep their plain SHA-256 hashes. The seq
//! from which entries are keyed is recorded in the key file (`keyed_from`), outside the
//! database, so a writer cannot pass rewritten entries off as "from before the key"; the
//! database holds a copy, trusted only when the entry at that seq is a valid keyed
//! `audit.keyed` entry.
//!
//! A checkpoint is one signed line naming the chain's head (seq and hash) at a time. Kept where the
//! database's writer cannot reach, checkpoints catch what the key alone cannot: entries cut off
//! the end with the head moved back to match.
//!
//! 45 CFR 164.312(b) (HIPAA audit controls) and 164.312(c)(1) (integrity: protect information
//! from improper alteration) and 42 CFR 2.16 (security of Part 2 records) are what this serves.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use super::audit::{self, Entry, Event, Who};
use super::db::{Db, DbConn, Tx, is_postgres, write_tx};
use super::error::{AppError, AppResult};
use super::schema::audit_log;
use super::time;

/// The HMAC-SHA256 state of one key, ready to be cloned for each message.
pub type EntryMac = Hmac<Sha256>;

/// The action of the entry that starts the keyed part of a chain.
pub const KEYED_ACTION: super::audit::Action = super::audit::Action::AuditKeyed;

const LABEL_ENTRY: &[u8] = b"throughcare audit entry v1";
const LABEL_CHECKPOINT: &[u8] = b"throughcare audit checkpoint v1";
const LABEL_CHECK: &[u8] = b"throughcare audit key check v1";
const CHECKPOINT_TAG: &str = "throughcare-audit-checkpoint";

/// The audit key, as read from its file.
#[derive(Clone)]
pub struct Key {
    path: PathBuf,
    master: [u8; 32],
    entry: EntryMac,
    checkpoint: EntryMac,
    check: String,
    keyed_from: Option<i64>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("path", &self.path)
            .field("check", &self.short_check())
            .field("keyed_from", &self.keyed_from)
            .finish_non_exhaustive()
    }
}

fn mac(key: &[u8]) -> EntryMac {
    // HMAC takes keys of any length; this cannot fail.
    <EntryMac as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC key length"))
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut m = mac(master);
    m.update(label);
    m.finalize().into_bytes().into()
}

impl Key {
    fn from_master(path: &Path, master: [u8; 32], keyed_from: Option<i64>) -> Key {
        Key {
            path: path.to_path_buf(),
            entry: mac(&derive(&master, LABEL_ENTRY)),
            checkpoint: mac(&derive(&master, LABEL_CHECKPOINT)),
            check: hex::encode(derive(&master, LABEL_CHECK)),
            master,
            keyed_from,
        }
    }

    /// Read the key file; it must exist. Errors name the file and the field.
    pub fn load(path: &Path) -> anyhow::Result<Key> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!(
                "audit key file {}: {e} (set audit_key_file / THROUGHCARE_AUDIT_KEY_FILE, or \
                 use the data directory that holds audit.key)",
                path.display()
            )
        })?;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                file = %path.display(),
                "the audit key file is readable by other users; it should be mode 0600"
            );
        }
        let bad = |field: &str, msg: String| {
            anyhow::anyhow!("audit key file {}: {field}: {msg}", path.display())
        };
        let mut master = None;
        let mut keyed_from = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((name, value)) = line.split_once('=') else {
                return Err(bad(
                    &format!("line {}", n + 1),
                    "expected `name = value`".into(),
                ));
            };
            let value = value.trim();
            match name.trim() {
                "key" => {
                    let bytes = hex::decode(value)
                        .ok()
                        .and_then(|b| <[u8; 32]>::try_from(b).ok())
                        .ok_or_else(|| {
                            bad("key", "must be 64 hexadecimal digits (32 bytes)".into())
                        })?;
                    master = Some(bytes);
                }
                "keyed_from" => {
                    let v: i64 =
                        value.parse().ok().filter(|v| *v >= 1).ok_or_else(|| {
                            bad("keyed_from", "must be a whole number from 1".into())
                        })?;
                    keyed_from = Some(v);
                }
                other => return Err(bad(other, "unknown setting".into())),
            }
        }
        let master = master.ok_or_else(|| bad("key", "missing".into()))?;
        Ok(Key::from_master(path, master, keyed_from))
    }

    /// Read the key file, creating it (mode 0600, a new random key) if it does not exist.
    /// Creation is atomic: the file appears complete or not at all, and of two processes
    /// creating it at once, both end up with the one that won.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Key> {
        if path.exists() {
            return Key::load(path);
        }
        let dir = parent_dir(path);
        std::fs::create_dir_all(&dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create directory {} for the audit key: {e}",
                dir.display()
            )
        })?;
        let mut master = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut master);
        let tmp = write_temp(path, &key_file_text(&master, None))?;
        let linked = std::fs::hard_link(&tmp, path);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => {
                tracing::info!(file = %path.display(), "created a new audit chain key");
                Key::load(path)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Key::load(path),
            Err(e) => Err(anyhow::anyhow!(
                "cannot create the audit key file {}: {e}",
                path.display()
            )),
        }
    }

    /// Write `keyed_from` into the key file (atomically; the key itself is unchanged).
    fn record_keyed_from(&mut self, seq: i64) -> anyhow::Result<()> {
        let tmp = write_temp(&self.path, &key_file_text(&self.master, Some(seq)))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            anyhow::anyhow!(
                "cannot record keyed_from = {seq} in the audit key file {}: {e}",
                self.path.display()
            )
        })?;
        self.keyed_from = Some(seq);
        Ok(())
    }

    /// The file the key was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The seq from which the chain is keyed, as the key file records it.
    pub fn keyed_from(&self) -> Option<i64> {
        self.keyed_from
    }

    /// The key check: a keyed fingerprint of the key (reveals nothing of it), stored in
    /// `audit_head`.
    pub fn check(&self) -> &str {
        &self.check
    }

    fn short_check(&self) -> &str {
        short(&self.check)
    }

    /// The HMAC state for entry hashes.
    pub fn entry_mac(&self) -> &EntryMac {
        &self.entry
    }

    /// The signature of a checkpoint's fields.
    fn sign(&self, seq: i64, hash: &str, at: NaiveDateTime) -> EntryMac {
        let mut m = self.checkpoint.clone();
        m.update(checkpoint_message(seq, hash, at).as_bytes());
        m
    }
}

/// The first 12 hex digits of a key check, enough to tell keys apart in a message.
pub fn short(check: &str) -> &str {
    check.get(..12).unwrap_or(check)
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn key_file_text(master: &[u8; 32], keyed_from: Option<i64>) -> String {
    let mut s = String::from(
        "# Throughcare audit chain key (docs/decisions/0014). Keep it secret, outside the\n\
         # database, and identical on every instance that uses the same database. Without it\n\
         # the audit chain cannot be verified: back it up separately from the database.\n",
    );
    s.push_str(&format!("key = {}\n", hex::encode(master)));
    if let Some(seq) = keyed_from {
        s.push_str("# Entries from this seq on are keyed; earlier ones are plain SHA-256.\n");
        s.push_str(&format!("keyed_from = {seq}\n"));
    }
    s
}

/// Write `text` to a new temporary file (mode 0600) beside `path`, synced; returns its path.
fn write_temp(path: &Path, text: &str) -> anyhow::Result<PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "audit.key".into());
    let tmp = parent_dir(path).join(format!(".{name}.{:016x}.tmp", rand::random::<u64>()));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| anyhow::anyhow!("cannot write the audit key file {}: {e}", tmp.display()))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            anyhow::anyhow!("cannot write the audit key file {}: {e}", tmp.display())
        })?;
    Ok(tmp)
}

// ------------------------------------------------------------------------------------------
// The keys this process has loaded, by key check. `audit::append` looks up the key of the chain
// it appends to by the check in `audit_head` (one process may serve several databases: the
// tests do).

static LOADED: RwLock<Vec<(String, EntryMac)>> = RwLock::new(Vec::new());

fn register(key: &Key) {
    let mut loaded = LOADED
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !loaded.iter().any(|(c, _)| *c == key.check) {
        loaded.push((key.check.clone(), key.entry.clone()));
    }
}

/// The entry HMAC of a loaded key, by its key check.
pub(crate) fn loaded_mac(check: &str) -> Option<EntryMac> {
    let loaded = LOADED
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    loaded
        .iter()
        .find(|(c, _)| c == check)
        .map(|(_, m)| m.clone())
}

// ------------------------------------------------------------------------------------------
// Binding a key to a chain.

#[derive(QueryableByName)]
pub(crate) struct KeyedHead {
    #[diesel(sql_type = BigInt)]
    pub seq: i64,
    #[diesel(sql_type = Text)]
    pub hash: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub key_check: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub keyed_from: Option<i64>,
}

/// The chain's head, locked for update when `lock` (PostgreSQL; SQLite's write transaction
/// already holds the lock).
pub(crate) fn head(conn: &mut DbConn, lock: bool) -> AppResult<KeyedHead> {
    let sql = if lock && is_postgres(conn) {
        "SELECT seq, hash, key_check, keyed_from FROM audit_head WHERE id = 1 FOR UPDATE"
    } else {
        "SELECT seq, hash, key_check, keyed_from FROM audit_head WHERE id = 1"
    };
    Ok(diesel::sql_query(sql).get_result(conn)?)
}

enum Bound {
    /// The chain was already keyed with this key, from the seq the key file records.
    Already,
    /// The chain has just been keyed from this seq (recorded in the key file before commit).
    Now(i64),
    /// The chain is keyed with this key from this seq, which the key file does not record yet.
    Adopt(i64),
}

fn refuse(msg: String) -> AppError {
    AppError::internal(anyhow::anyhow!(msg))
}

/// Load (or create) the key at `path`, and make sure the chain is keyed with it: on the first
/// start with a key, key the chain from the next entry (an `audit.keyed` entry, written with the
/// key) and record that seq in the key file; afterwards, refuse to go on when the chain is keyed
/// with another key or from another seq than the key file says. Called by `Db::migrate`, so
/// every command that opens the database for work does it.
pub fn open_chain(conn: &mut DbConn, path: &Path) -> anyhow::Result<Key> {
    let mut key = Key::load_or_create(path)?;
    register(&key);
    let bound = write_tx(conn, |tx| bind(tx, &mut key)).map_err(|e| match e {
        AppError::Internal(e) => e,
        other => anyhow::anyhow!("{other}"),
    })?;
    match bound {
        Bound::Already => {}
        Bound::Now(seq) => {
            tracing::info!(keyed_from = seq, file = %path.display(), "audit chain keyed");
        }
        Bound::Adopt(seq) => {
            if let Err(e) = key.record_keyed_from(seq) {
                tracing::warn!(
                    error = %e,
                    "the audit key file does not record where the keyed chain starts; add \
                     `keyed_from = {seq}` to it, or copy the key file of the first instance"
                );
            }
        }
    }
    Ok(key)
}

fn bind(tx: &mut Tx, key: &mut Key) -> AppResult<Bound> {
    let head = head(tx.conn(), true)?;
    let file = key.path.display().to_string();
    match (&head.key_check, head.keyed_from) {
        (Some(check), _) if *check != key.check => Err(refuse(format!(
            "the audit key in {file} (key check {}) is not the key this audit chain is keyed \
             with (key check {}): every instance must use the same audit key file; refusing to \
             start",
            key.short_check(),
            short(check)
        ))),
        (Some(_), Some(db_from)) => match key.keyed_from {
            Some(from) if from == db_from => Ok(Bound::Already),
            Some(from) => Err(refuse(format!(
                "the audit key file {file} says the chain is keyed from entry {from}, but the \
                 database says from entry {db_from}: the audit chain was tampered with, or the \
                 key file belongs to another database"
            ))),
            None => {
                // The database's claim is trusted only if the entry there is a keyed
                // `audit.keyed` entry, which nobody without the key can write.
                let e: Option<Entry> = audit_log::table
                    .find(db_from)
                    .select(Entry::as_select())
                    .first(tx.conn())
                    .optional()?;
                match e {
                    Some(e)
                        if e.action == KEYED_ACTION.code()
                            && audit::keyed_entry_hash(&e, &key.entry) == e.hash =>
                    {
                        Ok(Bound::Adopt(db_from))
                    }
                    _ => Err(refuse(format!(
                        "the database says the audit chain is keyed from entry {db_from}, but \
                         that entry is not a valid audit.keyed entry under the key in {file}: \
                         the audit chain was tampered with"
                    ))),
                }
            }
        },
        (Some(_), None) => Err(refuse(
            "audit_head has a key check but no keyed_from: the audit chain was tampered with"
                .into(),
        )),
        (None, _) => {
            let from = head.seq + 1;
            if let Some(recorded) = key.keyed_from
                && recorded != from
            {
                return Err(refuse(format!(
                    "the audit key file {file} says the chain is keyed from entry {recorded}, \
                     but this database's chain ({} entries) is not keyed: it was rewritten, or \
                     it is another database (a backup from before the key was first used? then \
                     move the key file aside, keeping it to verify the old chain)",
                    head.seq
                )));
            }
            diesel::sql_query("UPDATE audit_head SET key_check = $1, keyed_from = $2 WHERE id = 1")
                .bind::<Text, _>(&key.check)
                .bind::<BigInt, _>(from)
                .execute(tx.conn())?;
            let seq = audit::append_at_once(
                tx,
                &Who {
                    user_id: None,
                    org_id: None,
                    label: "system".into(),
                    client_addr: "local".into(),
                },
                Event::new(KEYED_ACTION, "audit_log", None).detail(format!(
                    "entries from {from} on are HMAC-SHA256 with the audit key (key check {})",
                    key.short_check()
                )),
            )?;
            debug_assert_eq!(seq, from);
            // Recorded outside the database before the commit: if this fails nothing is keyed;
            // if the commit fails after it, the next start keys the chain from the same seq.
            if key.keyed_from.is_none() {
                key.record_keyed_from(from).map_err(AppError::internal)?;
            }
            Ok(Bound::Now(from))
        }
    }
}

// ------------------------------------------------------------------------------------------
// Checkpoints.

/// A signed statement of the chain's head: "at `at`, entry `seq` had hash `hash`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at: NaiveDateTime,
    pub sig: String,
    /// The line of the checkpoint file it was read from (0 when not read from a file).
    pub line: usize,
}

fn checkpoint_message(seq: i64, hash: &str, at: NaiveDateTime) -> String {
    format!("v1\x1f{seq}\x1f{hash}\x1f{}", time::canonical(at))
}

impl Checkpoint {
    /// Sign the chain's head as it is now.
    pub fn take(conn: &mut DbConn, key: &Key) -> AppResult<Checkpoint> {
        let head = head(conn, false)?;
        let at = time::now();
        let sig = hex::encode(key.sign(head.seq, &head.hash, at).finalize().into_bytes());
        Ok(Checkpoint {
            seq: head.seq,
            hash: head.hash,
            at,
            sig,
            line: 0,
        })
    }

    /// Is the signature that of `key`? (Compared in constant time.)
    pub fn signature_ok(&self, key: &Key) -> bool {
        hex::decode(&self.sig)
            .map(|sig| {
                key.sign(self.seq, &self.hash, self.at)
                    .verify_slice(&sig)
                    .is_ok()
            })
            .unwrap_or(false)
    }

    /// The one-line form: `throughcare-audit-checkpoint v1 seq=… hash=… at=…Z sig=…`.
    pub fn to_line(&self) -> String {
        format!(
            "{CHECKPOINT_TAG} v1 seq={} hash={} at={}Z sig={}",
            self.seq,
            self.hash,
            time::canonical(self.at),
            self.sig
        )
    }

    /// Parse one line; the error names the field.
    pub fn parse(line: &str, line_no: usize) -> Result<Checkpoint, String> {
        let mut words = line.split_whitespace();
        if words.next() != Some(CHECKPOINT_TAG) {
            return Err(format!("does not start with {CHECKPOINT_TAG}"));
        }
        if words.next() != Some("v1") {
            return Err("version: only v1 is known".into());
        }
        let (mut seq, mut hash, mut at, mut sig) = (None, None, None, None);
        for w in words {
            let (name, value) = w
                .split_once('=')
                .ok_or_else(|| format!("{w:?}: expected name=value"))?;
            let hex64 = |field: &str| -> Result<String, String> {
                if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
                    Ok(value.to_ascii_lowercase())
                } else {
                    Err(format!("{field}: must be 64 hexadecimal digits"))
                }
            };
            match name {
                "seq" => {
                    seq = Some(
                        value
                            .parse::<i64>()
                            .ok()
                            .filter(|s| *s >= 0)
                            .ok_or("seq: must be a whole number from 0")?,
                    );
                }
                "hash" => hash = Some(hex64("hash")?),
                "sig" => sig = Some(hex64("sig")?),
                "at" => {
                    at = Some(
                        NaiveDateTime::parse_from_str(
                            value.strip_suffix('Z').unwrap_or(value),
                            "%Y-%m-%dT%H:%M:%S%.f",
                        )
                        .map_err(|_| "at: must be a UTC time like 2026-11-30T12:00:00.000000Z")?,
                    );
                }
                other => return Err(format!("{other}: unknown field")),
            }
        }
        Ok(Checkpoint {
            seq: seq.ok_or("seq: missing")?,
            hash: hash.ok_or("hash: missing")?,
            at: at.ok_or("at: missing")?,
            sig: sig.ok_or("sig: missing")?,
            line: line_no,
        })
    }
}

/// Read a checkpoint file (blank lines and `#` comments are skipped). A line that does not parse
/// is an error naming the file, the line and the field: a damaged checkpoint file is not
/// silently ignored.
pub fn read_checkpoints(path: &Path) -> anyhow::Result<Vec<Checkpoint>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("checkpoint file {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push(Checkpoint::parse(line, i + 1).map_err(|e| {
            anyhow::anyhow!("checkpoint file {}: line {}: {e}", path.display(), i + 1)
        })?);
    }
    Ok(out)
}

/// Append one checkpoint line to `path` (created if missing; opened for appending only) and sync
/// it to disk.
pub fn append_checkpoint(path: &Path, cp: &Checkpoint) -> anyhow::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o640)
        .open(path)
        .map_err(|e| anyhow::anyhow!("checkpoint file {}: {e}", path.display()))?;
    f.write_all(format!("{}\n", cp.to_line()).as_bytes())
        .and_then(|()| f.sync_data())
        .map_err(|e| anyhow::anyhow!("checkpoint file {}: {e}", path.display()))
}

/// Take a checkpoint with the key at `key_file` and append it to `file`.
pub async fn write_checkpoint(db: &Db, key_file: &Path, file: &Path) -> anyhow::Result<Checkpoint> {
    let key = Key::load(key_file)?;
    let cp = db
        .run(move |conn| Checkpoint::take(conn, &key))
        .await
        .map_err(|e| anyhow::anyhow!("audit checkpoint: {e}"))?;
    append_checkpoint(file, &cp)?;
    tracing::info!(seq = cp.seq, file = %file.display(), "audit checkpoint written");
    Ok(cp)
}

/// The server's checkpoints: one at start (an error stops the start), then one a day.
pub async fn start_checkpoints(db: Db, key_file: PathBuf, file: PathBuf) -> anyhow::Result<()> {
    write_checkpoint(&db, &key_file, &file).await?;
    tokio::spawn(async move {
        let day = std::time::Duration::from_hours(24);
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + day, day);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = write_checkpoint(&db, &key_file, &file).await {
                tracing::error!(error = %e, "could not write the daily audit checkpoint");
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> Key {
        Key::from_master(Path::new("k"), [byte; 32], None)
    }

    #[test]
    fn derived_values_differ_by_label_and_by_key() {
        let a = key(1);
        let b = key(2);
        assert_ne!(a.check, b.check);
        assert_eq!(a.check.len(), 64);
        assert_ne!(a.check, hex::encode(derive(&[1; 32], LABEL_ENTRY)));
        assert_ne!(
            hex::encode(derive(&[1; 32], LABEL_ENTRY)),
            hex::encode(derive(&[1; 32], LABEL_CHECKPOINT))
        );
    }

    #[test]
    fn a_checkpoint_line_round_trips_and_its_signature_is_checked() {
        let k = key(1);
        let at = time::now();
        let hash = "ab".repeat(32);
        let cp = Checkpoint {
            seq: 42,
            sig: hex::encode(k.sign(42, &hash, at).finalize().into_bytes()),
            hash,
            at,
            line: 0,
        };
        let back = Checkpoint::parse(&cp.to_line(), 7).unwrap();
        assert_eq!(
            back,
            Checkpoint {
                line: 7,
                ..cp.clone()
            }
        );
        assert!(back.signature_ok(&k));
        assert!(!back.signature_ok(&key(2)), "another key's signature");
        for tampered in [
            Checkpoint {
                seq: 41,
                ..cp.clone()
            },
            Checkpoint {
                hash: "cd".repeat(32),
                ..cp.clone()
            },
            Checkpoint {
                at: at - chrono::Duration::seconds(1),
                ..cp.clone()
            },
        ] {
            assert!(!tampered.signature_ok(&k), "{tampered:?}");
        }
    }

    #[test]
    fn a_bad_checkpoint_line_names_its_field() {
        let ok = format!(
            "{CHECKPOINT_TAG} v1 seq=1 hash={} at=2026-11-30T01:02:03.000004Z sig={}",
            "a".repeat(64),
            "b".repeat(64)
        );
        assert!(Checkpoint::parse(&ok, 1).is_ok());
        for (line, field) in [
            (ok.replace("seq=1", "seq=x"), "seq"),
            (ok.replace("seq=1 ", ""), "seq"),
            (ok.replace(&"a".repeat(64), "a1"), "hash"),
            (ok.replace("2026-11-30T", "30/11/2026T"), "at"),
            (ok.replace(&"b".repeat(64), "zz"), "sig"),
            (ok.replace("v1", "v2"), "version"),
            (format!("{ok} extra=1"), "extra"),
        ] {
            let e = Checkpoint::parse(&line, 1).unwrap_err();
            assert!(e.starts_with(field), "{line}: {e}");
        }
    }

    #[test]
    fn the_key_file_is_created_once_mode_0600_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("audit.key");
        let a = Key::load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let b = Key::load_or_create(&path).unwrap();
        assert_eq!(a.check, b.check, "the second start reads the same key");
        let mut c = Key::load(&path).unwrap();
        assert_eq!(c.keyed_from, None);
        c.record_keyed_from(5).unwrap();
        let d = Key::load(&path).unwrap();
        assert_eq!(
            (d.check.as_str(), d.keyed_from),
            (a.check.as_str(), Some(5))
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        std::fs::write(&path, "key = 12\n").unwrap();
        let e = Key::load(&path).unwrap_err().to_string();
        assert!(e.contains("key: must be 64 hexadecimal digits"), "{e}");
        assert!(Key::load(&dir.path().join("none")).is_err());
    }
}
