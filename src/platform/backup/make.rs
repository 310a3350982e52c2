//! Making a backup: a consistent copy of the live database (SQLite's online backup API,
//! or pg_dump in custom format), its counts and digest in a header, optionally encrypted.

use super::*;

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

pub(super) fn write_body(
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
pub(super) fn copy_sqlite(config: &Config, raw: &Path) -> anyhow::Result<Counts> {
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
pub(super) fn dump_postgres(config: &Config, raw: &Path) -> anyhow::Result<Counts> {
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

pub(super) fn read_counts(conn: &mut DbConn) -> anyhow::Result<Counts> {
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
