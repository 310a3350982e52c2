//! The one writer of what reads record (decision 0041). A read of participant data runs in a read
//! transaction that writes nothing; what it must record (its audit entries, the disclosures it
//! made) is handed here, and this one thread writes the records of every read waiting at that
//! moment in ONE write transaction: one lock of the audit chain's head, one commit (one WAL flush
//! on PostgreSQL), however many reads came in together. Before, each read took the head's row
//! lock and flushed in turn, so a burst of reads queued behind one another's flushes and behind
//! any write that held the head (the facility access report's p95 went to 697 ms after a write
//! burst, benchmark run 8).
//!
//! The guarantees stay what they were:
//! - a read does not answer until its records are committed: [`Recorder::record`] waits for its
//!   batch's commit, and fails when its records could not be written;
//! - one read's failure does not lose another's records: each read's work runs inside its own
//!   savepoint, rolled back alone;
//! - the chain is the chain: the entries are appended by `audit::append_now` in the same
//!   transaction, after the head is locked, exactly as a write appends its own.
//!
//! Several app instances over one PostgreSQL database each have their recorder; they meet on the
//! head's row lock once per batch instead of once per read.

use std::panic::AssertUnwindSafe;

use diesel::connection::SimpleConnection;
use tokio::sync::{mpsc, oneshot};

use super::db::{Deferred, Manager, write_tx_in_turn};
use super::error::{AppError, AppResult};

/// At most this many reads' records in one transaction (a burst larger than this is written in
/// several, one after another).
const BATCH: usize = 256;

/// One read's records, and where to say whether they were written.
struct Job {
    work: Vec<Deferred>,
    done: oneshot::Sender<AppResult<()>>,
}

/// The handle every request shares; the thread stops when the last handle is dropped.
pub struct Recorder {
    jobs: mpsc::UnboundedSender<Job>,
}

impl Recorder {
    /// Start the writer's thread over `pool` (it takes a connection per batch, not for good).
    pub fn start(pool: r2d2::Pool<Manager>) -> Recorder {
        let (jobs, queue) = mpsc::unbounded_channel();
        let started = std::thread::Builder::new()
            .name("throughcare-recorder".into())
            .spawn(move || run(&pool, queue));
        if let Err(e) = started {
            // Without its thread every `record` fails (the queue is closed): reads refuse to
            // answer rather than go unrecorded.
            tracing::error!(error = %e, "could not start the recorder's thread");
        }
        Recorder { jobs }
    }

    /// Write `work` (one read's deferred records) and wait until it is committed.
    pub async fn record(&self, work: Vec<Deferred>) -> AppResult<()> {
        if work.is_empty() {
            return Ok(());
        }
        let (done, answer) = oneshot::channel();
        self.jobs.send(Job { work, done }).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> AppError {
    AppError::internal(anyhow::anyhow!(
        "the recorder could not write what was read (see the log): nothing read is returned"
    ))
}

fn run(pool: &r2d2::Pool<Manager>, mut queue: mpsc::UnboundedReceiver<Job>) {
    while let Some(first) = queue.blocking_recv() {
        let mut jobs = vec![first];
        while jobs.len() < BATCH {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        // A panic in one batch fails that batch's reads (their answers are dropped), not the
        // reads after it.
        if std::panic::catch_unwind(AssertUnwindSafe(|| write_batch(pool, jobs))).is_err() {
            tracing::error!("the recorder's batch panicked; its reads were refused");
        }
    }
}

/// Write the jobs in one transaction, each in its own savepoint; tell each how it went once the
/// transaction has committed (or failed).
fn write_batch(pool: &r2d2::Pool<Manager>, jobs: Vec<Job>) {
    let mut conn = match pool.get() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "the recorder could not get a connection");
            return; // the answers are dropped: each read fails
        }
    };
    let mut outcomes = Vec::with_capacity(jobs.len());
    let committed = write_tx_in_turn(&mut conn, false, |tx| {
        for job in jobs {
            tx.conn().batch_execute("SAVEPOINT recorded")?;
            let mut result = Ok(());
            for d in job.work {
                result = d(tx);
                if result.is_err() {
                    break;
                }
            }
            // Anything a record asked to make at commit is this read's too: made inside its
            // savepoint.
            if result.is_ok() {
                result = tx.run_at_commit();
            }
            match &result {
                Ok(()) => tx.conn().batch_execute("RELEASE SAVEPOINT recorded")?,
                Err(e) => {
                    tracing::error!(error = %e, "a read's records could not be written");
                    tx.discard_at_commit();
                    tx.conn().batch_execute(
                        "ROLLBACK TO SAVEPOINT recorded; RELEASE SAVEPOINT recorded",
                    )?;
                }
            }
            outcomes.push((job.done, result));
        }
        Ok(())
    });
    match committed {
        Ok(()) => {
            for (done, result) in outcomes {
                let _ = done.send(result);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "the recorder's transaction failed; its reads were refused");
            // Dropping the answers fails every read of the batch.
        }
    }
}
