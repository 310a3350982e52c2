//! Restoring a backup into an empty data directory or database, and verifying one by restoring
//! it into a temporary place; both check integrity, migrations, counts and the audit chain.

use super::*;

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

pub(super) fn restore_into(
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
pub(super) fn prepare_key_for_verify(live: &Path, temp: &Path) -> anyhow::Result<()> {
    match std::fs::read(live) {
        Ok(k) => write_private(temp, &k),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => bail!("cannot read the audit key file {}: {e}", live.display()),
    }
}

pub(super) fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
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

pub(super) fn refuse_non_empty_sqlite(config: &Config) -> anyhow::Result<()> {
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

pub(super) fn refuse_non_empty_postgres(config: &Config) -> anyhow::Result<()> {
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

pub(super) fn sibling(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

pub(super) fn put_in_place(
    config: &Config,
    x: &Extracted,
    backend: Backend,
) -> anyhow::Result<String> {
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
pub(super) fn check(config: &Config, expected: &Counts, key_file: &Path) -> anyhow::Result<Report> {
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
pub(super) fn migrations(conn: &mut DbConn) -> anyhow::Result<(Vec<String>, usize)> {
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
