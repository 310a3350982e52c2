//! Backups that restore: the data backup plan, disaster recovery plan and their testing that the
//! HIPAA Security Rule's contingency plan asks for (45 CFR 164.308(a)(7)(ii)(A), (B) and (D)).
//!
//! `backup` makes a consistent copy while the server runs and writes go on: SQLite's
//! `VACUUM INTO` on a connection of its own (a read transaction: in WAL mode writers are not
//! blocked, and the copy is one snapshot), or `pg_dump --format=custom` inside an exported
//! snapshot on PostgreSQL (the counts recorded in the file come from the same snapshot).
//! `restore` puts a backup into an empty place and checks it; `verify` restores into a
//! temporary place (a temp directory, or a `tc_verify_<random>` database on the same server,
//! dropped afterwards) and runs the same checks.
//!
//! The file format (version 1), so that a backup says what it is:
//!
//! ```text
//! throughcare-backup 1\n
//! {"backend":"sqlite","created_at":"…","app_version":"…","encrypted":false}\n   (always clear)
//! body: raw, or an age file (scrypt passphrase recipient) whose plaintext is the body
//! body = {"database_bytes":…,"database_sha256":"…","audit_key_bytes":…,"counts":{…}}\n
//!        the database (a SQLite file, or pg_dump's custom format) then the audit key file
//! ```
//!
//! The audit key file travels only inside encrypted backups (decision 0018): a plain backup
//! carrying it would hand whoever reads the backup the key that makes the chain
//! tamper-evident. For plain backups the key is copied alongside by the operator (README).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use age::secrecy::SecretString;
use anyhow::{Context, anyhow, bail};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
use diesel_migrations::MigrationHarness;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::config::Config;
use super::db::{self, Backend, Db, DbConn};

/// The first line of every backup file.
pub const MAGIC: &str = "throughcare-backup 1";

/// The clear header: what the file is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    /// `sqlite` or `postgres`.
    pub backend: String,
    pub created_at: String,
    pub app_version: String,
    pub encrypted: bool,
}

/// What the body holds (inside the encryption when there is one).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Contents {
    pub database_bytes: u64,
    pub database_sha256: String,
    pub audit_key_bytes: u64,
    pub counts: Counts,
}

/// Figures read from the copy itself when it was made (the same snapshot as the copy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub participants: i64,
    pub audit_entries: i64,
    pub last_migration: Option<String>,
}

/// What `backup` made.
#[derive(Debug, Clone)]
pub struct Made {
    pub bytes: u64,
    pub counts: Counts,
    pub encrypted: bool,
    pub audit_key_included: bool,
}

/// Where the audit key file is (`audit_key_file`, by default `audit.key` in the data directory).
pub fn audit_key_path(config: &Config) -> PathBuf {
    config.audit_key_path()
}

/// Check the audit chain of a restored database with the restored place's key file: the one
/// place restore and verify call the chain's verification.
fn audit_check(conn: &mut DbConn, key_file: &Path) -> anyhow::Result<AuditOutcome> {
    let key = super::audit_key::Key::load(key_file)
        .map_err(|e| anyhow!("audit key {}: {e}", key_file.display()))?;
    let v = super::audit::verify(conn, &key, &[]).map_err(|e| anyhow!("audit verify: {e}"))?;
    Ok(AuditOutcome {
        entries: v.entries,
        fault: v.fault.map(|f| f.to_string()),
    })
}

// ---------------------------------------------------------------------------------------------
// backup

/// Make a backup of the configured database into `out` (which must not exist). With a
/// passphrase the body is encrypted (age, scrypt recipient) and carries the audit key file.
pub fn backup(
    config: &Config,
    out: &Path,
    passphrase: Option<&SecretString>,
) -> anyhow::Result<Made> {
    if out.exists() {
        bail!("FILE: {} already exists; choose a new name", out.display());
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        bail!("FILE: the directory {} does not exist", parent.display());
    }
    let work = tempfile::Builder::new()
        .prefix(".throughcare-backup-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot make a working directory in {}", parent.display()))?;
    let raw = work.path().join("database");
    let backend = Backend::for_target(&config.database_target());
    let counts = match backend {
        Backend::Sqlite => copy_sqlite(config, &raw)?,
        Backend::Postgres => dump_postgres(config, &raw)?,
    };
    let key = match passphrase {
        Some(_) => {
            let path = audit_key_path(config);
            match std::fs::read(&path) {
                Ok(k) => Some(k),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => bail!("cannot read the audit key file {}: {e}", path.display()),
            }
        }
        None => None,
    };
    let (database_bytes, database_sha256) = hash_file(&raw)?;
    let header = Header {
        backend: backend_name(backend).into(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        app_version: env!("CARGO_PKG_VERSION").into(),
        encrypted: passphrase.is_some(),
    };
    let contents = Contents {
        database_bytes,
        database_sha256,
        audit_key_bytes: key.as_ref().map_or(0, |k| k.len() as u64),
        counts: counts.clone(),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".throughcare-backup-")
        .suffix(".partial")
        .tempfile_in(&parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    {
        let mut w = BufWriter::new(file.as_file_mut());
        writeln!(w, "{MAGIC}")?;
        writeln!(w, "{}", serde_json::to_string(&header)?)?;
        match passphrase {
            Some(p) => {
                let enc = age::Encryptor::with_user_passphrase(p.clone());
                let mut aw = enc.wrap_output(&mut w)?;
                write_body(&mut aw, &contents, &raw, key.as_deref())?;
                aw.finish()?;
            }
            None => write_body(&mut w, &contents, &raw, None)?,
        }
        w.flush()?;
    }
    file.as_file().sync_all()?;
    let bytes = file.as_file().metadata()?.len();
    file.persist_noclobber(out)
        .map_err(|e| anyhow!("cannot create {}: {}", out.display(), e.error))?;
    if let Ok(d) = File::open(&parent) {
        let _ = d.sync_all();
    }
    Ok(Made {
        bytes,
        counts,
        encrypted: passphrase.is_some(),
        audit_key_included: key.is_some(),
    })
}

fn write_body(
    w: &mut impl Write,
    c: &Contents,
    raw: &Path,
    key: Option<&[u8]>,
) -> anyhow::Result<()> {
    writeln!(w, "{}", serde_json::to_string(c)?)?;
    let bar = bytes_bar(c.database_bytes, "writing the backup");
    let mut src = bar.wrap_read(File::open(raw)?);
    std::io::copy(&mut src, w)?;
    bar.finish_and_clear();
    if let Some(k) = key {
        w.write_all(k)?;
    }
    Ok(())
}

/// SQLite: `VACUUM INTO` on a connection of its own (one read transaction: a consistent snapshot
/// that does not block the server's writers in WAL mode), then the counts from the copy.
fn copy_sqlite(config: &Config, raw: &Path) -> anyhow::Result<Counts> {
    let live = PathBuf::from(config.database_target());
    if !live.is_file() {
        bail!("no database at {}: nothing to back up", live.display());
    }
    let spinner = spinner("copying the SQLite database (VACUUM INTO)");
    let mut c = diesel::SqliteConnection::establish(&live.to_string_lossy())
        .map_err(|e| anyhow!("cannot open {}: {e}", live.display()))?;
    c.batch_execute("PRAGMA busy_timeout = 15000;")?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(raw.to_string_lossy().into_owned())
        .execute(&mut c)
        .map_err(|e| anyhow!("VACUUM INTO failed: {e}"))?;
    drop(c);
    spinner.finish_and_clear();
    let mut copy = diesel::SqliteConnection::establish(&raw.to_string_lossy())
        .map_err(|e| anyhow!("cannot open the copy: {e}"))?;
    // One self-contained file, whatever the journal mode of the original.
    copy.batch_execute("PRAGMA journal_mode = DELETE;")?;
    let counts = read_counts(&mut DbConn::Sqlite(copy))?;
    Ok(counts)
}

/// PostgreSQL: `pg_dump --format=custom` of an exported snapshot, whose counts are read in the
/// same transaction.
fn dump_postgres(config: &Config, raw: &Path) -> anyhow::Result<Counts> {
    let url = PgUrl::parse(config.database_url.as_deref().unwrap_or_default())?;
    let pg_dump = find_pg_tool("pg_dump")?;
    let mut c = diesel::PgConnection::establish(&url.full)
        .map_err(|e| anyhow!("cannot connect to {}: {e}", url.redacted()))?;
    c.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
    #[derive(QueryableByName)]
    struct Snap {
        #[diesel(sql_type = Text)]
        id: String,
    }
    let snap: Snap = diesel::sql_query("SELECT pg_export_snapshot() AS id").get_result(&mut c)?;
    let mut conn = DbConn::Pg(c);
    let counts = read_counts(&mut conn)?;
    let mut cmd = Command::new(&pg_dump);
    cmd.arg("--format=custom")
        .arg(format!("--snapshot={}", snap.id))
        .arg("--no-password")
        .arg("--file")
        .arg(raw)
        .arg("--dbname")
        .arg(&url.without_password);
    url.apply_password(&mut cmd);
    run_pg_tool(cmd, "pg_dump", Some(raw))?;
    conn.batch_execute("COMMIT")?;
    Ok(counts)
}

fn read_counts(conn: &mut DbConn) -> anyhow::Result<Counts> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    #[derive(QueryableByName)]
    struct V {
        #[diesel(sql_type = Nullable<Text>)]
        v: Option<String>,
    }
    let participants: N =
        diesel::sql_query("SELECT count(*) AS n FROM participants").get_result(conn)?;
    let audit: N = diesel::sql_query("SELECT count(*) AS n FROM audit_log").get_result(conn)?;
    let last: V = diesel::sql_query("SELECT max(version) AS v FROM __diesel_schema_migrations")
        .get_result(conn)?;
    Ok(Counts {
        participants: participants.n,
        audit_entries: audit.n,
        last_migration: last.v,
    })
}

// ---------------------------------------------------------------------------------------------
// reading a backup

/// Read the clear header of a backup file.
pub fn read_header(file: &Path) -> anyhow::Result<Header> {
    let mut r = BufReader::new(
        File::open(file).map_err(|e| anyhow!("FILE: cannot open {}: {e}", file.display()))?,
    );
    header_of(&mut r, file)
}

fn header_of(r: &mut impl BufRead, file: &Path) -> anyhow::Result<Header> {
    let magic = read_line(r, 64).ok();
    if magic.as_deref() != Some(MAGIC) {
        bail!(
            "FILE: {} is not a Throughcare backup (it does not start with {MAGIC:?})",
            file.display()
        );
    }
    let line = read_line(r, 4096).context("FILE: the backup's header is damaged")?;
    serde_json::from_str(&line).map_err(|e| anyhow!("FILE: the backup's header is damaged: {e}"))
}

/// A line without its `\n`, at most `max` bytes.
fn read_line(r: &mut impl BufRead, max: u64) -> anyhow::Result<String> {
    let mut buf = Vec::new();
    r.take(max).read_until(b'\n', &mut buf)?;
    if buf.pop() != Some(b'\n') {
        bail!("a line of the backup is missing or too long");
    }
    Ok(String::from_utf8(buf)?)
}

/// The database and audit key taken out of a backup, checked against its recorded checksum.
struct Extracted {
    contents: Contents,
    database: PathBuf,
    audit_key: Option<Vec<u8>>,
}

/// Where a passphrase comes from, asked only when the file is encrypted.
pub type Passphrase<'a> = &'a dyn Fn() -> anyhow::Result<SecretString>;

fn extract(file: &Path, passphrase: Passphrase, dir: &Path) -> anyhow::Result<Extracted> {
    let mut r = BufReader::new(
        File::open(file).map_err(|e| anyhow!("FILE: cannot open {}: {e}", file.display()))?,
    );
    let header = header_of(&mut r, file)?;
    let database = dir.join("database");
    let (contents, audit_key) = if header.encrypted {
        let pass = passphrase()?;
        let dec = age::Decryptor::new_buffered(r)
            .map_err(|e| anyhow!("FILE: the encrypted part of the backup is damaged: {e}"))?;
        let identity = age::scrypt::Identity::new(pass);
        let body = dec
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .map_err(|e| match e {
                age::DecryptError::NoMatchingKeys | age::DecryptError::DecryptionFailed => {
                    anyhow!("the passphrase does not decrypt this backup")
                }
                other => anyhow!("cannot decrypt the backup: {other}"),
            })?;
        read_body(&mut BufReader::new(body), &database)?
    } else {
        read_body(&mut r, &database)?
    };
    Ok(Extracted {
        contents,
        database,
        audit_key,
    })
}

fn read_body(r: &mut impl BufRead, database: &Path) -> anyhow::Result<(Contents, Option<Vec<u8>>)> {
    let damaged = |what: &str| anyhow!("the backup is damaged: {what}");
    let line =
        read_line(r, 64 * 1024).map_err(|_| damaged("its table of contents is unreadable"))?;
    let contents: Contents = serde_json::from_str(&line)
        .map_err(|e| damaged(&format!("its table of contents is unreadable ({e})")))?;
    let bar = bytes_bar(contents.database_bytes, "reading the backup");
    let mut out = BufWriter::new(File::create(database)?);
    let mut hasher = Sha256::new();
    let mut left = contents.database_bytes;
    let mut buf = vec![0u8; 256 * 1024];
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = r
            .read(&mut buf[..want])
            .map_err(|e| damaged(&format!("reading the database failed ({e})")))?;
        if n == 0 {
            return Err(damaged("it ends before the database does (truncated)"));
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        left -= n as u64;
        bar.inc(n as u64);
    }
    bar.finish_and_clear();
    out.flush()?;
    out.get_ref().sync_all()?;
    if hex::encode(hasher.finalize()) != contents.database_sha256 {
        return Err(damaged(
            "the database's SHA-256 differs from the one recorded when it was made",
        ));
    }
    let key = if contents.audit_key_bytes > 0 {
        let mut k = vec![0u8; usize::try_from(contents.audit_key_bytes)?];
        r.read_exact(&mut k)
            .map_err(|e| damaged(&format!("the audit key is cut short ({e})")))?;
        Some(k)
    } else {
        None
    };
    let mut extra = [0u8; 1];
    match r.read(&mut extra) {
        Ok(0) => {}
        Ok(_) => return Err(damaged("there are bytes after its end")),
        Err(e) => return Err(damaged(&format!("its end is unreadable ({e})"))),
    }
    Ok((contents, key))
}

// ---------------------------------------------------------------------------------------------
// restore and verify

/// The checks of a restored database.
#[derive(Debug, Clone)]
pub struct Report {
    pub backend: Backend,
    /// Where it was restored (a path, or a database URL without its password).
    pub place: String,
    /// `PRAGMA integrity_check` / `foreign_key_check` findings on SQLite; on PostgreSQL the
    /// tables that could not be read. Empty is good.
    pub integrity_problems: Vec<String>,
    pub tables: usize,
    pub rows: i64,
    pub migrations_pending: Vec<String>,
    pub migrations_applied: usize,
    pub counts: Counts,
    /// What the backup recorded when it was made.
    pub expected: Counts,
    pub last_audit_at: Option<chrono::NaiveDateTime>,
    pub audit: AuditOutcome,
    pub audit_key_restored: Option<PathBuf>,
}

/// `audit verify` on the restored database.
#[derive(Debug, Clone)]
pub struct AuditOutcome {
    pub entries: i64,
    pub fault: Option<String>,
}

impl Report {
    /// Why the restored copy is not good; empty when it is.
    pub fn failures(&self) -> Vec<String> {
        let mut f = Vec::new();
        if !self.integrity_problems.is_empty() {
            f.push("integrity check failed".to_string());
        }
        if !self.migrations_pending.is_empty() {
            f.push(format!(
                "{} migrations not applied (run `throughcare migrate`)",
                self.migrations_pending.len()
            ));
        }
        if self.counts.participants != self.expected.participants
            || self.counts.audit_entries != self.expected.audit_entries
        {
            f.push("counts differ from those recorded in the backup".to_string());
        }
        if self.audit.fault.is_some() {
            f.push("audit chain broken".to_string());
        }
        f
    }

    pub fn ok(&self) -> bool {
        self.failures().is_empty()
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "restored into: {}", self.place)?;
        match (self.backend, self.integrity_problems.is_empty()) {
            (Backend::Sqlite, true) => writeln!(
                f,
                "integrity: ok (PRAGMA integrity_check, PRAGMA foreign_key_check; {} tables, {} rows)",
                self.tables, self.rows
            )?,
            (Backend::Postgres, true) => writeln!(
                f,
                "integrity: ok (every row of {} tables read: {} rows)",
                self.tables, self.rows
            )?,
            (_, false) => {
                writeln!(f, "integrity: FAILED")?;
                for p in self.integrity_problems.iter().take(20) {
                    writeln!(f, "  {p}")?;
                }
            }
        }
        if self.migrations_pending.is_empty() {
            writeln!(f, "migrations: all {} applied", self.migrations_applied)?;
        } else {
            writeln!(
                f,
                "migrations: {} pending: {}",
                self.migrations_pending.len(),
                self.migrations_pending.join(", ")
            )?;
        }
        writeln!(
            f,
            "participants: {} (the backup recorded {})",
            self.counts.participants, self.expected.participants
        )?;
        write!(
            f,
            "audit entries: {} (the backup recorded {})",
            self.counts.audit_entries, self.expected.audit_entries
        )?;
        match self.last_audit_at {
            Some(at) => writeln!(f, "; the last at {at} UTC")?,
            None => writeln!(f)?,
        }
        if let Some(k) = &self.audit_key_restored {
            writeln!(f, "audit key file: restored to {}", k.display())?;
        }
        match &self.audit.fault {
            None => writeln!(
                f,
                "audit chain intact: {} entries verified",
                self.audit.entries
            )?,
            Some(fault) => writeln!(
                f,
                "audit chain BROKEN after {} good entries: {fault}",
                self.audit.entries
            )?,
        }
        let failures = self.failures();
        if failures.is_empty() {
            write!(f, "verdict: GOOD")
        } else {
            write!(f, "verdict: FAILED ({})", failures.join("; "))
        }
    }
}

/// Restore `file` into the configured place, which must be empty, then check it. A key file
/// carried by the backup is written to the audit key path, unless a different one is there.
pub fn restore(config: &Config, file: &Path, passphrase: Passphrase) -> anyhow::Result<Report> {
    restore_into(config, file, passphrase, None)
}

fn restore_into(
    config: &Config,
    file: &Path,
    passphrase: Passphrase,
    temp_key: Option<&Path>,
) -> anyhow::Result<Report> {
    let header = read_header(file)?;
    let backend = Backend::for_target(&config.database_target());
    if header.backend != backend_name(backend) {
        bail!(
            "FILE: this is a {} backup, but the configured database is {} ({})",
            header.backend,
            backend_name(backend),
            match backend {
                Backend::Sqlite => "set DATABASE_URL to restore into PostgreSQL",
                Backend::Postgres => "unset DATABASE_URL to restore into a SQLite data directory",
            }
        );
    }
    // A verify keys its temporary place itself (never the live key file's path, which the
    // configuration may name explicitly).
    let key_path = temp_key.map_or_else(|| audit_key_path(config), Path::to_path_buf);
    match backend {
        Backend::Sqlite => {
            refuse_non_empty_sqlite(config)?;
            std::fs::create_dir_all(&config.data_dir).with_context(|| {
                format!(
                    "cannot create the data directory {}",
                    config.data_dir.display()
                )
            })?;
        }
        Backend::Postgres => refuse_non_empty_postgres(config)?,
    }
    let work = tempfile::Builder::new()
        .prefix(".throughcare-restore-")
        .tempdir_in(match backend {
            Backend::Sqlite => config.data_dir.clone(),
            Backend::Postgres => std::env::temp_dir(),
        })?;
    let x = extract(file, passphrase, work.path())?;
    if let Some(k) = &x.audit_key
        && temp_key.is_none()
    {
        match std::fs::read(&key_path) {
            Ok(existing) if existing != *k => bail!(
                "the audit key file {} exists and differs from the key in the backup; \
                 move it away to restore",
                key_path.display()
            ),
            _ => {}
        }
    }
    let place = put_in_place(config, &x, backend)?;
    let restored_key = match &x.audit_key {
        Some(k) => {
            write_private(&key_path, k)?;
            Some(key_path.clone())
        }
        None => None,
    };
    let mut report = check(config, &x.contents.counts, &key_path)?;
    report.place = place;
    report.audit_key_restored = restored_key;
    Ok(report)
}

/// Restore `file` into a temporary place, check it, and throw the place away.
pub fn verify(config: &Config, file: &Path, passphrase: Passphrase) -> anyhow::Result<Report> {
    let header = read_header(file)?;
    let live_key = audit_key_path(config);
    match header.backend.as_str() {
        "sqlite" => {
            let dir = tempfile::Builder::new()
                .prefix("throughcare-verify-")
                .tempdir()?;
            let mut vc = config.clone();
            vc.data_dir = dir.path().to_path_buf();
            vc.database_url = None;
            let temp_key = dir.path().join("audit.key");
            prepare_key_for_verify(&live_key, &temp_key)?;
            let mut report = restore_into(&vc, file, passphrase, Some(&temp_key))?;
            report.place = format!("{} (a temporary directory, removed)", report.place);
            Ok(report)
        }
        "postgres" => {
            let Some(live) = config.database_url.as_deref() else {
                bail!(
                    "FILE: this is a PostgreSQL backup; set DATABASE_URL to a server on which a \
                     temporary database can be created to verify it"
                );
            };
            let url = PgUrl::parse(live)?;
            let name = format!("tc_verify_{:016x}", rand::random::<u64>());
            let mut admin = diesel::PgConnection::establish(&url.full)
                .map_err(|e| anyhow!("cannot connect to {}: {e}", url.redacted()))?;
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .map_err(|e| anyhow!("cannot create the temporary database {name}: {e}"))?;
            let dir = tempfile::Builder::new()
                .prefix("throughcare-verify-")
                .tempdir()?;
            let mut vc = config.clone();
            vc.data_dir = dir.path().to_path_buf();
            vc.database_url = Some(url.with_database(&name));
            let temp_key = dir.path().join("audit.key");
            let result = prepare_key_for_verify(&live_key, &temp_key)
                .and_then(|()| restore_into(&vc, file, passphrase, Some(&temp_key)));
            let dropped = admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .map_err(|e| anyhow!("could not drop the temporary database {name}: {e}"));
            let mut report = result?;
            dropped?;
            report.place = format!("temporary database {name} (dropped)");
            Ok(report)
        }
        other => bail!("FILE: unknown backend {other:?} in the backup's header"),
    }
}

/// `verify` checks the chain with the live instance's key, unless the backup carries its own
/// (which then replaces it in the temporary place).
fn prepare_key_for_verify(live: &Path, temp: &Path) -> anyhow::Result<()> {
    match std::fs::read(live) {
        Ok(k) => write_private(temp, &k),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => bail!("cannot read the audit key file {}: {e}", live.display()),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

fn refuse_non_empty_sqlite(config: &Config) -> anyhow::Result<()> {
    let target = PathBuf::from(config.database_target());
    for p in [target.clone(), sibling(&target, "-wal")] {
        if let Ok(m) = std::fs::metadata(&p)
            && m.len() > 0
        {
            bail!(
                "refusing to restore: {} exists and is not empty; restore into an empty data \
                 directory (--data-dir)",
                p.display()
            );
        }
    }
    Ok(())
}

fn refuse_non_empty_postgres(config: &Config) -> anyhow::Result<()> {
    let url = PgUrl::parse(config.database_url.as_deref().unwrap_or_default())?;
    let mut c = diesel::PgConnection::establish(&url.full)
        .map_err(|e| anyhow!("cannot connect to {}: {e}", url.redacted()))?;
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let n: N = diesel::sql_query(
        "SELECT count(*) AS n FROM information_schema.tables \
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    )
    .get_result(&mut c)?;
    if n.n > 0 {
        bail!(
            "refusing to restore: the database {} has {} tables; restore into an empty database",
            url.redacted(),
            n.n
        );
    }
    Ok(())
}

fn sibling(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn put_in_place(config: &Config, x: &Extracted, backend: Backend) -> anyhow::Result<String> {
    match backend {
        Backend::Sqlite => {
            let target = PathBuf::from(config.database_target());
            // Stale, empty companions of an empty database would be taken for its journal.
            for s in ["-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(sibling(&target, s));
            }
            refuse_non_empty_sqlite(config)?;
            std::fs::rename(&x.database, &target)
                .with_context(|| format!("cannot move the database to {}", target.display()))?;
            if let Ok(d) = File::open(&config.data_dir) {
                let _ = d.sync_all();
            }
            Ok(target.display().to_string())
        }
        Backend::Postgres => {
            let url = PgUrl::parse(config.database_url.as_deref().unwrap_or_default())?;
            let pg_restore = find_pg_tool("pg_restore")?;
            let mut cmd = Command::new(&pg_restore);
            cmd.arg("--no-owner")
                .arg("--no-acl")
                .arg("--exit-on-error")
                .arg("--single-transaction")
                .arg("--no-password")
                .arg("--dbname")
                .arg(&url.without_password)
                .arg(&x.database);
            url.apply_password(&mut cmd);
            run_pg_tool(cmd, "pg_restore", None)?;
            Ok(url.redacted())
        }
    }
}

/// The checks: integrity (SQLite's own checks; on PostgreSQL every row of every table read),
/// migrations, the counts against those recorded, and the audit chain.
fn check(config: &Config, expected: &Counts, key_file: &Path) -> anyhow::Result<Report> {
    let db = Db::open(config)?;
    let mut conn = db.conn().map_err(|e| anyhow!("{e}"))?;
    let conn: &mut DbConn = &mut conn;
    let spinner = spinner("checking the restored database");
    let mut problems = Vec::new();
    #[derive(QueryableByName)]
    struct S {
        #[diesel(sql_type = Text)]
        s: String,
    }
    if db.backend == Backend::Sqlite {
        let rows: Vec<S> =
            diesel::sql_query("SELECT integrity_check AS s FROM pragma_integrity_check")
                .load(conn)
                .map_err(|e| anyhow!("PRAGMA integrity_check: {e}"))?;
        if !(rows.len() == 1 && rows[0].s == "ok") {
            problems.extend(rows.into_iter().map(|r| r.s));
        }
        let fk: Vec<S> = diesel::sql_query(
            "SELECT \"table\" || ' row ' || coalesce(rowid, '?') || ' refers to a missing ' || parent AS s \
             FROM pragma_foreign_key_check",
        )
        .load(conn)
        .map_err(|e| anyhow!("PRAGMA foreign_key_check: {e}"))?;
        problems.extend(fk.into_iter().map(|r| r.s));
    }
    let tables: Vec<S> = match db.backend {
        Backend::Sqlite => diesel::sql_query(
            "SELECT name AS s FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        ),
        Backend::Postgres => diesel::sql_query(
            "SELECT table_name::text AS s FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
        ),
    }
    .load(conn)?;
    let mut rows = 0_i64;
    for t in &tables {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let quoted = format!("\"{}\"", t.s.replace('"', "\"\""));
        match diesel::sql_query(format!("SELECT count(*) AS n FROM {quoted}")).get_result::<N>(conn)
        {
            Ok(n) => rows += n.n,
            Err(e) => problems.push(format!("table {}: {e}", t.s)),
        }
    }
    let (pending, applied) = migrations(conn)?;
    let counts = read_counts(conn)?;
    #[derive(QueryableByName)]
    struct At {
        #[diesel(sql_type = Nullable<Timestamp>)]
        at: Option<chrono::NaiveDateTime>,
    }
    let last: At = diesel::sql_query("SELECT max(at) AS at FROM audit_log").get_result(conn)?;
    spinner.set_message("verifying the audit chain");
    let audit = audit_check(conn, key_file)?;
    spinner.finish_and_clear();
    Ok(Report {
        backend: db.backend,
        place: String::new(),
        integrity_problems: problems,
        tables: tables.len(),
        rows,
        migrations_pending: pending,
        migrations_applied: applied,
        counts,
        expected: expected.clone(),
        last_audit_at: last.at,
        audit,
        audit_key_restored: None,
    })
}

/// The migrations this binary knows that the database has not applied, and how many it has.
fn migrations(conn: &mut DbConn) -> anyhow::Result<(Vec<String>, usize)> {
    let pending: Vec<String> = match conn {
        DbConn::Sqlite(c) => c
            .pending_migrations(db::SQLITE_MIGRATIONS)
            .map_err(|e| anyhow!("migrations: {e}"))?
            .iter()
            .map(|m| m.name().to_string())
            .collect(),
        DbConn::Pg(c) => c
            .pending_migrations(db::POSTGRES_MIGRATIONS)
            .map_err(|e| anyhow!("migrations: {e}"))?
            .iter()
            .map(|m| m.name().to_string())
            .collect(),
    };
    let applied = match conn {
        DbConn::Sqlite(c) => c.applied_migrations(),
        DbConn::Pg(c) => c.applied_migrations(),
    }
    .map_err(|e| anyhow!("migrations: {e}"))?
    .len();
    Ok((pending, applied))
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL tools and URLs

/// A PostgreSQL tool on `PATH`, or else the newest in `/usr/lib/postgresql/*/bin` (Debian).
pub fn find_pg_tool(name: &str) -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let p = e.path().join("bin").join(name);
            p.is_file().then_some((v, p))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p).ok_or_else(|| {
        anyhow!(
            "{name} was found neither on PATH nor in /usr/lib/postgresql/*/bin; install the \
             PostgreSQL client tools (Debian: postgresql-client)"
        )
    })
}

/// Run pg_dump or pg_restore with a spinner (showing the size of `grows` as it is written);
/// its error output is part of the error.
fn run_pg_tool(mut cmd: Command, name: &str, grows: Option<&Path>) -> anyhow::Result<()> {
    let spinner = spinner(&format!("{name} running"));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| anyhow!("cannot run {name}: {e}"))?;
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if let Some(p) = grows
            && let Ok(m) = std::fs::metadata(p)
        {
            spinner.set_message(format!(
                "{name} running: {}",
                indicatif::HumanBytes(m.len())
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    spinner.finish_and_clear();
    let err = reader.join().unwrap_or_default();
    if !status.success() {
        bail!("{name} failed ({status}): {}", err.trim());
    }
    Ok(())
}

/// A PostgreSQL URL split so that the password is never printed nor put on a command line:
/// tools get the URL without it and the password in `PGPASSWORD`.
struct PgUrl {
    full: String,
    without_password: String,
    password: Option<String>,
}

impl PgUrl {
    fn parse(url: &str) -> anyhow::Result<PgUrl> {
        let Some((scheme, rest)) = url.split_once("://") else {
            bail!("DATABASE_URL: expected postgres://user:password@host:port/database");
        };
        let (authority, tail) = match rest.find(['/', '?']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let (userinfo, host) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(u) => match u.split_once(':') {
                Some((name, pw)) => (Some(name), Some(percent_decode(pw)?)),
                None => (Some(u), None),
            },
            None => (None, None),
        };
        let without_password = match user {
            Some(u) => format!("{scheme}://{u}@{host}{tail}"),
            None => format!("{scheme}://{host}{tail}"),
        };
        Ok(PgUrl {
            full: url.to_string(),
            without_password,
            password,
        })
    }

    fn redacted(&self) -> String {
        self.without_password.clone()
    }

    fn apply_password(&self, cmd: &mut Command) {
        if let Some(p) = &self.password {
            cmd.env("PGPASSWORD", p);
        }
    }

    /// The same server and credentials, another database.
    fn with_database(&self, name: &str) -> String {
        let (scheme, rest) = self
            .full
            .split_once("://")
            .unwrap_or(("postgres", &self.full));
        let (authority, tail) = match rest.find(['/', '?']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let query = tail.find('?').map(|i| &tail[i..]).unwrap_or("");
        format!("{scheme}://{authority}/{name}{query}")
    }
}

fn percent_decode(s: &str) -> anyhow::Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .ok_or_else(|| anyhow!("DATABASE_URL: a bad %-escape in the password"))?;
            out.push(
                u8::from_str_radix(hex, 16)
                    .map_err(|_| anyhow!("DATABASE_URL: a bad %-escape in the password"))?,
            );
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| anyhow!("DATABASE_URL: the password is not UTF-8"))
}

// ---------------------------------------------------------------------------------------------
// small things

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn hash_file(p: &Path) -> anyhow::Result<(u64, String)> {
    let len = std::fs::metadata(p)?.len();
    let bar = bytes_bar(len, "checksumming the copy");
    let mut r = bar.wrap_read(File::open(p)?);
    let mut h = Sha256::new();
    std::io::copy(&mut r, &mut h)?;
    bar.finish_and_clear();
    Ok((len, hex::encode(h.finalize())))
}

fn bytes_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes} ({eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

fn spinner(what: &str) -> indicatif::ProgressBar {
    let s = indicatif::ProgressBar::new_spinner();
    s.set_message(what.to_string());
    s.enable_steady_tick(Duration::from_millis(120));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_password_for_tools_and_messages() {
        let u = PgUrl::parse("postgres://tc:s%40cret@db.example:5433/throughcare?sslmode=require")
            .unwrap();
        assert_eq!(u.password.as_deref(), Some("s@cret"));
        assert_eq!(
            u.without_password,
            "postgres://tc@db.example:5433/throughcare?sslmode=require"
        );
        assert!(!u.redacted().contains("cret"));
        assert_eq!(
            u.with_database("tc_verify_1"),
            "postgres://tc:s%40cret@db.example:5433/tc_verify_1?sslmode=require"
        );
        let bare = PgUrl::parse("postgres://db.example").unwrap();
        assert_eq!(bare.password, None);
        assert_eq!(bare.with_database("x"), "postgres://db.example/x");
        assert!(PgUrl::parse("db.example").is_err());
    }

    #[test]
    fn a_file_that_is_not_a_backup_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        std::fs::write(&p, b"SQLite format 3\0rest").unwrap();
        let e = read_header(&p).unwrap_err().to_string();
        assert!(e.contains("is not a Throughcare backup"), "{e}");
    }
}
