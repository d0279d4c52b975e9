//! Appointment reminders (issue 4): an hourly durable job, enqueued by the scheduler of
//! [`crate::scheduled`], that mails every applicant whose appointment starts within the next day.
//!
//! Invariants: the job's `dedupe_key` (`appointment_reminders:<hour>`) makes enqueuing idempotent
//! across instances and restarts; the handler is idempotent per appointment (it is marked reminded
//! in the transaction that enqueues the mail), so a job resumed after a lost lease never mails
//! twice; a tenant that fails does not stop the others, and the job is retried.

use amtsweg_domain::TenantId;
use amtsweg_http::AppState;
use amtsweg_http::routes::portal_intake::send_appointment_reminders;
use amtsweg_store::{jobs, tenants};
use chrono::{DateTime, Utc};

use crate::{JobError, LEASE_SECS};

pub const KIND: &str = "appointment_reminders";

/// The hour `now` falls into.
pub fn dedupe_key(now: DateTime<Utc>) -> String {
    format!("{KIND}:{}", now.format("%Y-%m-%dT%H"))
}

/// Enqueues this hour's reminder job unless it exists; `true` when this call enqueued it.
pub async fn schedule(state: &AppState) -> anyhow::Result<bool> {
    let now = state.clock.now();
    Ok(jobs::enqueue_unique(
        state.db.connection(),
        None,
        KIND,
        serde_json::json!({}),
        &dedupe_key(now),
        now,
    )
    .await?)
}

/// Sends the due reminders of every tenant, renewing the lease as it goes.
pub(crate) async fn run(state: &AppState, job: &jobs::Job, worker: &str) -> Result<(), JobError> {
    let all = tenants::list(state.db.connection()).await?;
    let mut failed = 0;
    let mut last_beat = state.clock.now();
    for (done, tenant) in all.iter().enumerate() {
        if let Err(err) = send_appointment_reminders(state, TenantId(tenant.id)).await {
            tracing::warn!(
                code = err.code(),
                "appointment reminders of a tenant failed"
            );
            failed += 1;
        }
        let at = state.clock.now();
        if at - last_beat >= chrono::Duration::seconds(LEASE_SECS / 4) {
            let alive = jobs::heartbeat(
                state.db.connection(),
                job.id,
                worker,
                (done + 1) as f64 / all.len().max(1) as f64,
                at,
                chrono::Duration::seconds(LEASE_SECS),
            )
            .await?;
            if !alive {
                return Err(JobError::LeaseLost);
            }
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
