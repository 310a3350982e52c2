//! The database: one connection type over SQLite (default) and PostgreSQL, a pool, embedded
//! per-backend migrations, and write transactions. Backend-specific SQL lives here and only here
//! (plus the two migration folders).

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::config::Config;
use super::error::{AppError, AppResult};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection to either backend. Queries written with Diesel's DSL or `sql_query` with
/// `$1` placeholders run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(diesel::SqliteConnection),
    Pg(diesel::PgConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn for_target(target: &str) -> Backend {
        if target.starts_with("postgres://") || target.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Set on every SQLite connection. The busy timeout comes first so the others wait for locks.
/// (WAL mode is a property of the file and is set once, in `Db::open`.) `PRAGMA synchronous`
/// follows, from the configuration (`sqlite_synchronous`, decision 0018).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 15000; PRAGMA foreign_keys = ON;";
/// Each pooled SQLite connection's page cache (`PRAGMA cache_size`; negative means KiB): 2 MiB,
/// SQLite's default, rather than 8, so that eight connections cannot hold 64 MiB of pages the
/// operating system's file cache already has (benchmark run 6: peak RSS 215 MB on SQLite against
/// 106 MB on PostgreSQL at 100,000 participants). A bulk job raises its own
/// ([`with_bulk_settings`]).
const SQLITE_CACHE_SIZE: i32 = -2000;

/// Opens connections of the configured backend (chosen by URL scheme, so a failure names the
/// real cause rather than "no backend matched").
#[derive(Debug)]
pub struct Manager {
    target: String,
    backend: Backend,
    synchronous: super::config::SqliteSynchronous,
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        use diesel::r2d2::Error as E;
        match self.backend {
            Backend::Sqlite => {
                let mut c = diesel::SqliteConnection::establish(&self.target)
                    .map_err(E::ConnectionError)?;
                c.batch_execute(SQLITE_PRAGMAS).map_err(E::QueryError)?;
                c.batch_execute(&format!(
                    "PRAGMA synchronous = {};",
                    self.synchronous.as_str()
                ))
                .map_err(E::QueryError)?;
                c.batch_execute(&format!("PRAGMA cache_size = {SQLITE_CACHE_SIZE};"))
                    .map_err(E::QueryError)?;
                Ok(DbConn::Sqlite(c))
            }
            Backend::Postgres => Ok(DbConn::Pg(
                diesel::PgConnection::establish(&self.target).map_err(E::ConnectionError)?,
            )),
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// The pool, shared by every request.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    pub backend: Backend,
    /// Programme reports kept per data version (decision 0010).
    pub reports: std::sync::Arc<super::report_cache::ReportCache>,
    /// The audit chain's key file (decision 0014), opened by `migrate`.
    audit_key_file: std::path::PathBuf,
    /// The one writer of what reads record (decision 0041).
    recorder: std::sync::Arc<super::recorder::Recorder>,
}

impl Db {
    /// Open the configured database (creating the data directory for SQLite).
    pub fn open(config: &Config) -> anyhow::Result<Db> {
        let target = config.database_target();
        let backend = Backend::for_target(&target);
        if backend == Backend::Sqlite {
            std::fs::create_dir_all(&config.data_dir).map_err(|e| {
                anyhow::anyhow!(
                    "cannot create data directory {}: {e}",
                    config.data_dir.display()
                )
            })?;
        }
        if backend == Backend::Sqlite {
            let mut c = diesel::SqliteConnection::establish(&target)
                .map_err(|e| anyhow::anyhow!("cannot open the database {target}: {e}"))?;
            c.batch_execute("PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL;")?;
        }
        let pool = r2d2::Pool::builder()
            .max_size(config.db_pool_size.max(1))
            .connection_timeout(Duration::from_secs(15))
            .min_idle(Some(1))
            .build(Manager {
                target,
                backend,
                synchronous: config.sqlite_synchronous,
            })
            .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
        Ok(Db {
            recorder: std::sync::Arc::new(super::recorder::Recorder::start(pool.clone())),
            pool,
            backend,
            reports: std::sync::Arc::default(),
            audit_key_file: config.audit_key_path(),
        })
    }

    /// A connection for command-line work (blocking).
    pub fn conn(&self) -> AppResult<r2d2::PooledConnection<Manager>> {
        Ok(self.pool.get()?)
    }

    /// Run blocking database work off the async runtime.
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Run blocking work inside one write transaction.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx) -> AppResult<T> + Send + 'static,
    {
        let result = self.run(move |conn| write_tx(conn, f)).await;
        self.after(result).await
    }

    /// Run blocking work that only *reads* (and audits what it read): the reads run in a
    /// read transaction that does not hold the write lock, and the audit entries and disclosure
    /// records it produced are then written by the one recorder (decision 0041), together with
    /// those of every other read waiting at that moment, in one short write transaction. If
    /// they cannot be written, the request fails and nothing read is returned.
    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx) -> AppResult<T> + Send + 'static,
    {
        let result = match self.run(move |conn| read_only_tx(conn, f)).await {
            Ok((value, records)) => self.recorder.record(records).await.map(|()| value),
            Err(e) => Err(e),
        };
        self.after(result).await
    }

    /// A refused access: the request's own work was rolled back (or never written); the
    /// refusal itself is recorded, and the caller sees "not found".
    async fn after<T: Send + 'static>(&self, result: AppResult<T>) -> AppResult<T> {
        if let Err(AppError::Denied(d)) = result {
            let recorded = self
                .run(move |conn| {
                    write_tx(conn, |tx| {
                        super::audit::append(
                            tx,
                            &d.who,
                            super::audit::Event::new(
                                super::audit::Action::ParticipantDenied,
                                "participant",
                                Some(d.participant_id),
                            )
                            // Filed under the participant, so their programme's log shows
                            // who tried (another tenant probing ids is what a privacy
                            // officer must see).
                            .with_participant(d.participant_id)
                            .detail(format!("attempted {}", d.action)),
                        )
                    })
                })
                .await;
            if let Err(e) = recorded {
                tracing::error!(error = %e, "could not audit a denied access");
            }
            return Err(AppError::NotFound);
        }
        result
    }

    /// Apply pending migrations, then let SQLite refresh planner statistics it finds stale
    /// (`PRAGMA optimize` is cheap when nothing changed). Then open the audit chain's key
    /// (creating it on first start) and key the chain with it, or refuse when the chain is keyed
    /// with another (decision 0014). Last, compute any kept line that is missing (`kept`).
    pub fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let mut conn = self.conn().map_err(|e| anyhow::anyhow!("{e}"))?;
        let applied = migrate(&mut conn)?;
        if self.backend == Backend::Sqlite {
            conn.batch_execute("PRAGMA optimize")?;
        }
        super::audit_key::open_chain(&mut conn, &self.audit_key_file)?;
        super::kept::catch_up(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(applied)
    }
}

/// Apply pending migrations on one connection. On PostgreSQL an advisory lock keeps several
/// instances starting at once from racing.
pub fn migrate(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        DbConn::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("migrations: {e}"))?,
        DbConn::Pg(c) => {
            c.batch_execute("SELECT pg_advisory_lock(724300117)")?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| {
                    v.iter()
                        .map(std::string::ToString::to_string)
                        .collect::<Vec<_>>()
                })
                .map_err(|e| anyhow::anyhow!("migrations: {e}"));
            c.batch_execute("SELECT pg_advisory_unlock(724300117)")?;
            return result;
        }
    };
    Ok(applied
        .iter()
        .map(std::string::ToString::to_string)
        .collect())
}

/// SQLite allows one writer at a time. Writers of this process queue here, in order, before
/// `BEGIN IMMEDIATE`: left to SQLite's busy handler they would poll with growing sleeps, and under
/// steady load an unlucky request lost the race again and again (p95 of 2.4 to 3.8 s on reports
/// whose p50 was 27 ms, at 100,000 participants). Other processes (a CLI import beside the
/// server) still meet the busy timeout. Waiting longer than that timeout is an error, as it is
/// for SQLite.
static SQLITE_WRITERS: parking_lot::Mutex<()> = parking_lot::const_mutex(());
const SQLITE_WRITER_WAIT: Duration = Duration::from_secs(15);

/// Run `f` in a transaction that holds the write lock from its first statement (SQLite's
/// `BEGIN IMMEDIATE`, after this process's queue of writers; PostgreSQL takes row locks as it
/// goes). Commits on `Ok`, rolls back on `Err` or panic. Do not nest.
pub fn write_tx<T>(conn: &mut DbConn, f: impl FnOnce(&mut Tx) -> AppResult<T>) -> AppResult<T> {
    write_tx_in_turn(conn, true, f)
}

/// The writers' turn on PostgreSQL: a transaction advisory lock (724300118, shared with the
/// migration `2026-12-01-070000_version_bumps_apart_from_the_audit_chain`) every write transaction takes
/// first (the report version triggers take it too, for writes made outside `write_tx`). Writers
/// therefore take their row locks (a participant's row, the kept lines', the version rows, the
/// audit chain's head at commit) one transaction at a time, and cannot deadlock on them in
/// whatever order their work takes them (the chain's head, locked by the first write of a
/// reported table, did this before decision 0041). The recorder does not take it: it writes no
/// row a writer locks except the head, which writers take last.
///
/// [`write_tx`], taking the writers' turn on PostgreSQL or not (`in_turn`: only the recorder,
/// whose transactions write audit entries and disclosures and nothing else, does not).
pub(crate) fn write_tx_in_turn<T>(
    conn: &mut DbConn,
    in_turn: bool,
    f: impl FnOnce(&mut Tx) -> AppResult<T>,
) -> AppResult<T> {
    let (begin, _turn) = match conn {
        DbConn::Sqlite(_) => (
            "BEGIN IMMEDIATE",
            Some(
                SQLITE_WRITERS
                    .try_lock_for(SQLITE_WRITER_WAIT)
                    .ok_or_else(|| {
                        AppError::internal(anyhow::anyhow!("the database stayed busy for 15 s"))
                    })?,
            ),
        ),
        DbConn::Pg(_) if in_turn => ("BEGIN; SELECT pg_advisory_xact_lock(724300118)", None),
        DbConn::Pg(_) => ("BEGIN", None),
    };
    conn.batch_execute(begin)?;
    let mut guard = TxGuard { conn, open: true };
    let mut tx = Tx {
        conn: guard.conn,
        deferred: None,
        at_commit: Vec::new(),
    };
    // What the transaction wrote, the lines kept from it follow before it commits; last, what
    // waits for the commit (the audit entries: the chain's head is locked only from here on).
    let result = f(&mut tx)
        .and_then(|v| super::kept::before_commit(&mut tx).map(|()| v))
        .and_then(|v| tx.run_at_commit().map(|()| v));
    match result {
        Ok(v) => {
            guard.open = false;
            if let Err(e) = guard.conn.batch_execute("COMMIT") {
                let _ = guard.conn.batch_execute("ROLLBACK");
                return Err(e.into());
            }
            Ok(v)
        }
        Err(e) => {
            guard.open = false;
            let _ = guard.conn.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

/// Work postponed from a read transaction to the short write transaction after it.
pub type Deferred = Box<dyn FnOnce(&mut Tx) -> AppResult<()> + Send>;

/// A connection inside a transaction. Functions that must be atomic with other writes (the
/// audit chain above all) take `&mut Tx`, so they cannot be called outside one. In a read
/// transaction (`Db::read`) their writes are deferred (`Tx::defer`) and made right after.
pub struct Tx<'a> {
    conn: &'a mut DbConn,
    deferred: Option<Vec<Deferred>>,
    at_commit: Vec<Deferred>,
}

impl Tx<'_> {
    /// The connection, for queries.
    pub fn conn(&mut self) -> &mut DbConn {
        self.conn
    }

    /// Is this a read transaction (writes deferred)?
    pub fn is_reading(&self) -> bool {
        self.deferred.is_some()
    }

    /// Do `f` now in a write transaction, or right after a read transaction.
    pub fn defer(
        &mut self,
        f: impl FnOnce(&mut Tx) -> AppResult<()> + Send + 'static,
    ) -> AppResult<()> {
        match &mut self.deferred {
            Some(list) => {
                list.push(Box::new(f));
                Ok(())
            }
            None => f(self),
        }
    }

    /// Do `f` as the last work of this write transaction, just before it commits (after the
    /// kept lines), in the order asked; in a read transaction, right after it (as `defer`).
    /// The audit chain is appended this way, so a transaction holds the chain's head (a row
    /// lock on PostgreSQL, which every other audited request needs) only for its last moment,
    /// not while it does its own work.
    pub fn at_commit(
        &mut self,
        f: impl FnOnce(&mut Tx) -> AppResult<()> + Send + 'static,
    ) -> AppResult<()> {
        match &mut self.deferred {
            Some(list) => list.push(Box::new(f)),
            None => self.at_commit.push(Box::new(f)),
        }
        Ok(())
    }

    /// Forget what waits for the commit (the recorder does, for a read whose records failed).
    pub(crate) fn discard_at_commit(&mut self) {
        self.at_commit.clear();
    }

    /// Do now what waits for the commit (the recorder does, inside each read's savepoint).
    pub(crate) fn run_at_commit(&mut self) -> AppResult<()> {
        while !self.at_commit.is_empty() {
            for d in std::mem::take(&mut self.at_commit) {
                d(self)?;
            }
        }
        Ok(())
    }
}

/// Run `f` in a read transaction (a consistent snapshot that does not block writers), then make
/// its deferred writes in one short write transaction.
pub fn read_tx<T>(conn: &mut DbConn, f: impl FnOnce(&mut Tx) -> AppResult<T>) -> AppResult<T> {
    let (value, deferred) = read_only_tx(conn, f)?;
    if !deferred.is_empty() {
        write_tx(conn, |tx| {
            for d in deferred {
                d(tx)?;
            }
            Ok(())
        })?;
    }
    Ok(value)
}

/// Run `f` in a read transaction and return what it read with the writes it deferred, for the
/// caller to make.
fn read_only_tx<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut Tx) -> AppResult<T>,
) -> AppResult<(T, Vec<Deferred>)> {
    conn.batch_execute("BEGIN")?;
    let mut guard = TxGuard { conn, open: true };
    let mut tx = Tx {
        conn: guard.conn,
        deferred: Some(Vec::new()),
        at_commit: Vec::new(),
    };
    let result = f(&mut tx);
    let deferred = tx.deferred.take().unwrap_or_default();
    guard.open = false;
    let _ = guard
        .conn
        .batch_execute(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
    Ok((result?, deferred))
}

struct TxGuard<'a> {
    conn: &'a mut DbConn,
    open: bool,
}

impl Drop for TxGuard<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.batch_execute("ROLLBACK");
        }
    }
}

/// Refresh the query planner's statistics (after bulk loads: the demo, a large import). Without
/// them SQLite may prefer an organisation-wide index to a participant's own.
pub fn analyze(conn: &mut DbConn) -> AppResult<()> {
    conn.batch_execute("ANALYZE")?;
    Ok(())
}

/// Run one bulk job (a roster import) on `conn` with SQLite set for it, and put the pooled
/// settings back afterwards, whatever the job returns: a `cache_mib` page cache (64 MiB from the
/// command line; a server import uses less, to keep its memory small, decision 0023; with the pooled
/// 2 MiB, a batch that touches more pages than fit spills them to the WAL mid-transaction and
/// reads them back), and a checkpoint every 8,192 WAL pages rather than 1,000 (the same index
/// pages, written by batch after batch, are copied back to the database fewer times).
/// PostgreSQL needs nothing.
pub fn with_bulk_settings<T>(
    conn: &mut DbConn,
    cache_mib: u32,
    job: impl FnOnce(&mut DbConn) -> AppResult<T>,
) -> AppResult<T> {
    let sqlite = matches!(conn, DbConn::Sqlite(_));
    if sqlite {
        conn.batch_execute(&format!(
            "PRAGMA cache_size = -{}; PRAGMA wal_autocheckpoint = 8192;",
            cache_mib.max(2) * 1024
        ))?;
    }
    let out = job(conn);
    if sqlite {
        let reset = conn.batch_execute(&format!(
            "PRAGMA cache_size = {SQLITE_CACHE_SIZE}; PRAGMA wal_autocheckpoint = 1000;"
        ));
        // The job's own error says more than a failed reset after it.
        if out.is_ok() {
            reset?;
        }
    }
    out
}

/// Refresh the statistics of only the named tables (after a bulk change that touched only
/// them). A whole-database `ANALYZE` reads every index, the two million encounters' included,
/// which cost a 100,000-row roster import seconds for tables it never wrote. On SQLite each index
/// is sampled (`PRAGMA analysis_limit = 1000`, rows per index), as `PRAGMA optimize` does, rather
/// than read whole: the planner needs the shape of the data, not an exact count (half a second
/// of a 100,000-row import, on tables of 200,000 rows). PostgreSQL's `ANALYZE` samples already.
pub fn analyze_tables(conn: &mut DbConn, tables: &[&str]) -> AppResult<()> {
    let sqlite = matches!(conn, DbConn::Sqlite(_));
    if sqlite {
        conn.batch_execute("PRAGMA analysis_limit = 1000")?;
    }
    let analysed = analyze_each(conn, tables);
    if sqlite {
        let reset = conn.batch_execute("PRAGMA analysis_limit = 0");
        analysed?;
        reset?;
        return Ok(());
    }
    analysed
}

fn analyze_each(conn: &mut DbConn, tables: &[&str]) -> AppResult<()> {
    for t in tables {
        debug_assert!(t.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        conn.batch_execute(&format!("ANALYZE {t}"))?;
    }
    Ok(())
}

/// Set one date column of many rows, each to its own value, in a few statements rather than one
/// per row (a roster import moves thousands of due dates). PostgreSQL: `UPDATE table SET column =
/// v.d … FROM unnest($1::bigint[], $2::date[]) AS v(id, d)`, ten thousand rows a statement. SQLite: the
/// pairs as one JSON array bound to one constant statement (`… FROM (SELECT … FROM
/// json_each($1)) v`), because SQLite compiles a long `VALUES` list as a compound query and
/// preparing a thousand-row one cost more than running it (a fifth of a 100,000-row import).
/// `table`, `column` and `also` (extra `SET` assignments, e.g. `, release_certainty =
/// 'estimated'`) are written by the caller, never taken from input.
pub fn set_dates_by_id(
    conn: &mut DbConn,
    table: &'static str,
    column: &'static str,
    also: &'static str,
    values: &[(i64, chrono::NaiveDate)],
) -> AppResult<usize> {
    use diesel::sql_types::Text;
    let c = match conn {
        DbConn::Sqlite(c) => c,
        DbConn::Pg(c) => return set_dates_by_id_pg(c, table, column, also, values),
    };
    let sql = format!(
        "UPDATE {table} SET {column} = v.d{also} FROM (SELECT value ->> 0 AS id, \
         value ->> 1 AS d FROM json_each($1)) AS v WHERE {table}.id = v.id"
    );
    let mut changed = 0;
    for chunk in values.chunks(5000) {
        let pairs: Vec<(i64, String)> = chunk
            .iter()
            .map(|(id, d)| (*id, d.format("%Y-%m-%d").to_string()))
            .collect();
        let json = serde_json::to_string(&pairs)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write the dates: {e}")))?;
        changed += diesel::sql_query(sql.as_str())
            .bind::<Text, _>(json)
            .execute(c)?;
    }
    Ok(changed)
}

/// [`set_dates_by_id`] on PostgreSQL: the ids and dates as two arrays bound to one constant
/// statement, parsed and planned once a chunk however many rows it moves (a thousand-row
/// `VALUES` list of 2,000 parameters cost more to parse than to run).
fn set_dates_by_id_pg(
    c: &mut diesel::PgConnection,
    table: &'static str,
    column: &'static str,
    also: &'static str,
    values: &[(i64, chrono::NaiveDate)],
) -> AppResult<usize> {
    use diesel::sql_types::{Array, BigInt, Date};
    let sql = format!(
        "UPDATE {table} SET {column} = v.d{also} FROM unnest($1::bigint[], $2::date[]) \
         AS v(id, d) WHERE {table}.id = v.id"
    );
    let mut changed = 0;
    for chunk in values.chunks(10_000) {
        let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
        let dates: Vec<chrono::NaiveDate> = chunk.iter().map(|(_, d)| *d).collect();
        changed += diesel::sql_query(sql.as_str())
            .bind::<Array<BigInt>, _>(&ids)
            .bind::<Array<Date>, _>(&dates)
            .execute(c)?;
    }
    Ok(changed)
}

/// Is this connection PostgreSQL? (For the few places where SQL differs.)
pub fn is_postgres(conn: &DbConn) -> bool {
    matches!(conn, DbConn::Pg(_))
}

/// Run the same Diesel expression on the concrete connection of either backend, for the few
/// statements the multi-backend connection cannot express (multi-row inserts, upserts).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::platform::db::DbConn::Sqlite($c) => $body,
            $crate::platform::db::DbConn::Pg($c) => $body,
        }
    };
}

/// Run `$query` and hand each row, as type `$row`, to `$body` as it arrives, without holding the
/// whole result: SQLite steps its statement; PostgreSQL uses libpq's row-by-row mode (its
/// default buffers the whole result in the client before the first row is read). For reports
/// that fold a programme's rows into a few counts (the GPRA tracker at 1,000,000 people). The
/// connection is busy until the loop ends; `$body` may `continue` and use `?`.
#[macro_export]
macro_rules! for_each_row {
    ($conn:expr, $query:expr, $row:ty, |$r:ident| $body:block) => {
        match $conn {
            $crate::platform::db::DbConn::Sqlite(c) => {
                for $r in diesel::RunQueryDsl::load_iter::<
                    $row,
                    diesel::connection::DefaultLoadingMode,
                >($query, c)?
                {
                    let $r: $row = $r?;
                    $body
                }
            }
            $crate::platform::db::DbConn::Pg(c) => {
                for $r in diesel::RunQueryDsl::load_iter::<$row, diesel::pg::PgRowByRowLoadingMode>(
                    $query, c,
                )? {
                    let $r: $row = $r?;
                    $body
                }
            }
        }
    };
}
