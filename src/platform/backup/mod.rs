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

mod make;
mod postgres;
mod read;
mod restore;

pub use make::*;
pub use postgres::*;
pub use read::*;
pub use restore::*;

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
