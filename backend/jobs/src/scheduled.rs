//! Scheduled case jobs (issue 5): the deadline sweep (reminders, escalation to the team lead) every
//! hour, the retention listing and the throughput figures every day, as durable jobs of the queue.
//!
//! One job per kind and period covers every tenant, each in its own tenant transaction: a tenant
//! with nothing due costs one indexed read and no write, so the embedded SQLite default (one writer)
//! does not stall its requests under 187 tenants' worth of queue writes every hour.
//!
//! Invariants:
//! - the scheduler only enqueues; a job's `dedupe_key` (`kind:period`) makes enqueuing idempotent, so
//!   several instances, restarts and a scheduler that runs late never double a period;
//! - a period missed while no instance ran is covered by the next one (the sweep fires every clock
//!   whose time has passed; the listing lists everything due up to today);
//! - the handlers are idempotent: a clock fires once (its transaction moves `next_clock_at` on), a
//!   person is listed once (one open review per person); a job whose worker died is claimed again
//!   when its lease runs out and finishes what is left; a tenant that fails does not stop the others,
//!   the job is retried afterwards.

use std::sync::Arc;
use std::time::Duration;

use amtsweg_domain::TenantId;
use amtsweg_http::AppState;
use amtsweg_http::routes::cases as case_routes;
use amtsweg_store::{jobs, tenants};
use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use crate::{JobError, LEASE_SECS};

/// Reminders and escalations of one tenant.
pub const DEADLINES_KIND: &str = "case_deadlines";
/// The retention listing (Ausländerdatei B records due for deletion) of one tenant.
pub const RETENTION_KIND: &str = "retention_listing";
/// The throughput figures per process and step of one tenant (the ministry compares them).
pub const THROUGHPUT_KIND: &str = "case_throughput";
pub const KINDS: [&str; 3] = [DEADLINES_KIND, RETENTION_KIND, THROUGHPUT_KIND];

/// How often the scheduler looks whether a new period has begun.
const TICK: Duration = Duration::from_secs(60);
/// Finished scheduled jobs are kept this long.
const KEEP_DAYS: i64 = 7;

/// The dedupe key of the period `now` falls into: the hour for the sweep, the day for the others.
pub fn dedupe_key(kind: &str, now: DateTime<Utc>) -> String {
    let period = if kind == DEADLINES_KIND {
        now.format("%Y-%m-%dT%H")
    } else {
        now.format("%Y-%m-%d")
    };
    format!("{kind}:{period}")
}

/// Enqueues the current period's jobs that do not exist yet; returns how many this call enqueued
/// (0 when another instance was first).
pub async fn schedule(state: &AppState) -> anyhow::Result<usize> {
    let now = state.clock.now();
    let conn = state.db.connection();
    let mut enqueued = 0;
    for kind in KINDS {
        let key = dedupe_key(kind, now);
        if jobs::enqueue_unique(conn, None, kind, serde_json::json!({}), &key, now).await? {
            enqueued += 1;
        }
    }
    if enqueued > 0 {
        jobs::prune_scheduled(conn, now - chrono::Duration::days(KEEP_DAYS)).await?;
    }
    Ok(enqueued)
}

/// The scheduler of `amtsweg serve`: a tick at start (so a restart catches up at once) and then
/// every minute, until `shutdown`.
pub async fn run_scheduler(state: actix_web::web::Data<AppState>, shutdown: Arc<Notify>) {
    let wakeup = amtsweg_store::reconciliation::job_wakeup();
    loop {
        let scheduled = tokio::select! {
            () = shutdown.notified() => break,
            result = schedule(&state) => result,
        };
        match scheduled {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(jobs = n, "scheduled case jobs enqueued");
                wakeup.notify_waiters();
            }
            Err(err) => tracing::warn!(error = %err, "scheduler error; retrying"),
        }
        // The portal's appointment reminders (issue 4) ride on the same tick.
        match crate::reminders::schedule(&state).await {
            Ok(true) => wakeup.notify_waiters(),
            Ok(false) => {}
            Err(err) => tracing::warn!(error = %err, "reminder scheduling failed; retrying"),
        }
        tokio::select! {
            () = shutdown.notified() => break,
            () = tokio::time::sleep(TICK) => {}
        }
    }
}

/// Runs a scheduled job of one of [`KINDS`] over every tenant.
pub(crate) async fn run(state: &AppState, job: &jobs::Job, worker: &str) -> Result<(), JobError> {
    if !KINDS.contains(&job.kind.as_str()) {
        return Err(JobError::Failed(format!("unknown job kind {}", job.kind)));
    }
    let now = state.clock.now();
    let all = tenants::list(state.db.connection()).await?;
    let mut failed = 0;
    let mut last_beat = now;
    for (done, tenant) in all.iter().enumerate() {
        let tenant = TenantId(tenant.id);
        let result = match job.kind.as_str() {
            DEADLINES_KIND => sweep(state, job, worker, tenant, now).await,
            RETENTION_KIND => case_routes::list_retention_due(state, tenant)
                .await
                .map(|_| ())
                .map_err(app_error),
            _ => amtsweg_http::routes::case_admin::refresh_throughput(state, tenant)
                .await
                .map(|_| ())
                .map_err(app_error),
        };
        match result {
            Ok(()) => {}
            Err(JobError::LeaseLost) => return Err(JobError::LeaseLost),
            Err(_) => failed += 1,
        }
        // The lease is renewed once a quarter of it has passed, not after every tenant: an idle
        // hour writes nothing but the job's own claim and completion.
        let at = state.clock.now();
        if at - last_beat >= chrono::Duration::seconds(LEASE_SECS / 4) {
            beat(
                state,
                job,
                worker,
                (done + 1) as f64 / all.len().max(1) as f64,
            )
            .await?;
            last_beat = at;
        }
    }
    if failed > 0 {
        return Err(JobError::Failed(format!(
            "{failed} tenants failed; the job is retried"
        )));
    }
    Ok(())
}

/// One tenant's deadline sweep, batch by batch, renewing the lease between batches, so a long
/// backlog (the first sweep after the migration) keeps its job and a crash loses at most one
/// uncommitted batch.
async fn sweep(
    state: &AppState,
    job: &jobs::Job,
    worker: &str,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<(), JobError> {
    loop {
        let (_, more) = case_routes::sweep_batch(state, tenant, now)
            .await
            .map_err(app_error)?;
        if !more {
            return Ok(());
        }
        beat(state, job, worker, job.progress).await?;
    }
}

async fn beat(
    state: &AppState,
    job: &jobs::Job,
    worker: &str,
    progress: f64,
) -> Result<(), JobError> {
    let alive = jobs::heartbeat(
        state.db.connection(),
        job.id,
        worker,
        progress,
        state.clock.now(),
        chrono::Duration::seconds(LEASE_SECS),
    )
    .await?;
    if alive {
        Ok(())
    } else {
        Err(JobError::LeaseLost)
    }
}

/// Errors of the case routes may quote values; the job stores a generic message.
fn app_error(err: amtsweg_http::AppError) -> JobError {
    tracing::warn!(code = err.code(), "scheduled case job failed");
    JobError::Failed("the scheduled case job failed".into())
}
