//! Scheduled jobs (issue 18 item 6; decision 0050): work the server does on its own every few
//! seconds (reminders planned, messages delivered), safe with several instances over one
//! database. This module knows no job: it names the instance, records each run in `job_runs`
//! (job, instance, started, finished, items, error) for admins to read, and runs a tick on a
//! timer. The jobs themselves coordinate through the rows they work on (a unique key, rows
//! claimed `FOR UPDATE SKIP LOCKED` with a lease), never through the timer.

use std::future::Future;
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::config::Config;
use super::db::{Db, DbConn};
use super::error::AppResult;
use super::ids::new_id;
use super::schema::job_runs;
use super::time;

/// This instance's name in the job runs: the configured one, else host name and process id.
pub fn instance_name(c: &Config) -> String {
    c.instance_name.clone().unwrap_or_else(|| {
        let host = std::fs::read_to_string("/etc/hostname")
            .map(|h| h.trim().to_string())
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "host".into());
        format!("{host}:{}", std::process::id())
    })
}

/// One run of a job, as stored and shown.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = job_runs)]
pub struct JobRun {
    pub id: i64,
    pub job: String,
    pub instance: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub started_at: NaiveDateTime,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub finished_at: Option<NaiveDateTime>,
    /// What the run did: reminders queued, messages sent.
    pub items: i32,
    /// Why it failed, or what did not go (empty when all went).
    pub error: String,
}

/// Run `work` as job `job` on `instance`, recording the run: a row when it starts, completed
/// when it ends with the items it reports and its error (a failed run is recorded, not
/// raised, so a tick goes on with its other jobs).
pub async fn recorded<F, Fut>(db: &Db, job: &'static str, instance: &str, work: F) -> JobRun
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = AppResult<(i32, String)>>,
{
    let id = new_id();
    let started = time::now();
    let inst = instance.to_string();
    let begun = db
        .write(move |tx| {
            diesel::insert_into(job_runs::table)
                .values((
                    job_runs::id.eq(id),
                    job_runs::job.eq(job),
                    job_runs::instance.eq(&inst),
                    job_runs::started_at.eq(started),
                    job_runs::items.eq(0),
                    job_runs::error.eq(""),
                ))
                .execute(tx.conn())?;
            Ok(())
        })
        .await;
    let (items, error) = match work().await {
        Ok(r) => r,
        Err(e) => (0, e.to_string()),
    };
    let finished = time::now();
    let error = match begun {
        Ok(()) => error,
        Err(e) => format!("{error} (the run's row: {e})"),
    };
    let e2 = error.clone();
    let done = db
        .write(move |tx| {
            diesel::update(job_runs::table.find(id))
                .set((
                    job_runs::finished_at.eq(Some(finished)),
                    job_runs::items.eq(items),
                    job_runs::error.eq(&e2),
                ))
                .execute(tx.conn())?;
            Ok(())
        })
        .await;
    if let Err(e) = done {
        tracing::error!(job, error = %e, "could not record a job run");
    }
    if !error.is_empty() {
        tracing::warn!(job, %error, "job run");
    }
    JobRun {
        id,
        job: job.to_string(),
        instance: instance.to_string(),
        started_at: started,
        finished_at: Some(finished),
        items,
        error,
    }
}

/// The latest runs, newest first.
pub fn runs(conn: &mut DbConn, limit: i64) -> AppResult<Vec<JobRun>> {
    Ok(job_runs::table
        .order((job_runs::started_at.desc(), job_runs::id.desc()))
        .limit(limit)
        .select(JobRun::as_select())
        .load(conn)?)
}

/// Run `tick` every `every` (the first after one period) until the process ends. A tick that
/// outlasts its period delays the next; ticks never overlap on one instance.
pub fn every<F, Fut>(every: Duration, mut tick: F)
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut timer = tokio::time::interval(every);
        timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        timer.tick().await;
        loop {
            timer.tick().await;
            tick().await;
        }
    });
}
