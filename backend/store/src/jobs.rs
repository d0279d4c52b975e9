//! Durable background jobs. State lives in the database; a worker claims a job with a lease, and a job
//! whose lease ran out (its worker crashed) is claimed again, so work resumes after a restart.
//!
//! Fairness: among ready jobs, the claim prefers the tenant whose oldest ready job is oldest, but takes
//! at most one running job per tenant at a time, so one tenant's big run cannot starve the others.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::job;

pub use job::Model as Job;

pub mod state {
    pub const QUEUED: &str = "queued";
    pub const RUNNING: &str = "running";
    pub const DONE: &str = "done";
    pub const FAILED: &str = "failed";
}

pub async fn enqueue(
    conn: &impl ConnectionTrait,
    tenant_id: Option<Uuid>,
    kind: &str,
    payload: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    job::Entity::insert(job::ActiveModel {
        id: Set(id),
        tenant_id: Set(tenant_id),
        kind: Set(kind.to_owned()),
        payload: Set(payload.to_string()),
        state: Set(state::QUEUED.to_owned()),
        attempts: Set(0),
        max_attempts: Set(5),
        run_after: Set(now),
        locked_until: Set(None),
        locked_by: Set(None),
        progress: Set(0.0),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(id)
}

/// Claims the next ready job for `worker`, with a lease of `lease`.
pub async fn claim(
    conn: &impl ConnectionTrait,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<Job>, StoreError> {
    claim_kinds(conn, worker, None, now, lease).await
}

/// Like [`claim`], but only jobs of the given kinds (a worker never takes a job it cannot run).
pub async fn claim_kinds(
    conn: &impl ConnectionTrait,
    worker: &str,
    kinds: Option<&[&str]>,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<Job>, StoreError> {
    let running_tenants: Vec<Option<Uuid>> = job::Entity::find()
        .select_only()
        .column(job::Column::TenantId)
        .filter(job::Column::State.eq(state::RUNNING))
        .filter(job::Column::LockedUntil.gt(now))
        .into_tuple()
        .all(conn)
        .await?;
    let busy: Vec<Uuid> = running_tenants.into_iter().flatten().collect();
    let mut ready = job::Entity::find();
    if let Some(kinds) = kinds {
        ready = ready.filter(job::Column::Kind.is_in(kinds.iter().copied()));
    }
    let ready = ready
        .filter(
            job::Column::State
                .eq(state::QUEUED)
                .and(job::Column::RunAfter.lte(now))
                .or(job::Column::State
                    .eq(state::RUNNING)
                    .and(job::Column::LockedUntil.lte(now))),
        )
        .filter(
            job::Column::TenantId
                .is_null()
                .or(job::Column::TenantId.is_not_in(busy)),
        )
        .order_by_asc(job::Column::RunAfter)
        .order_by_asc(job::Column::CreatedAt)
        .limit(1)
        .lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        )
        .one(conn)
        .await?;
    let Some(found) = ready else { return Ok(None) };
    // The state check in the filter makes the claim safe on SQLite too, where SKIP LOCKED does not exist.
    let result = job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(state::RUNNING))
        .col_expr(job::Column::LockedUntil, Expr::value(now + lease))
        .col_expr(job::Column::LockedBy, Expr::value(worker))
        .col_expr(
            job::Column::Attempts,
            Expr::col(job::Column::Attempts).add(1),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(found.id))
        .filter(job::Column::State.eq(found.state.clone()))
        .filter(job::Column::UpdatedAt.eq(found.updated_at))
        .exec(conn)
        .await?;
    if result.rows_affected == 0 {
        return Ok(None);
    }
    Ok(job::Entity::find_by_id(found.id).one(conn).await?)
}

/// Extends the lease and records progress (0.0–1.0); false when the job is no longer ours.
pub async fn heartbeat(
    conn: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    progress: f64,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<bool, StoreError> {
    let result = job::Entity::update_many()
        .col_expr(job::Column::Progress, Expr::value(progress.clamp(0.0, 1.0)))
        .col_expr(job::Column::LockedUntil, Expr::value(now + lease))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::LockedBy.eq(worker))
        .filter(job::Column::State.eq(state::RUNNING))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn complete(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(state::DONE))
        .col_expr(job::Column::Progress, Expr::value(1.0))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Records a failure; the job is retried with exponential back-off until its attempts are used up.
pub async fn fail(
    conn: &impl ConnectionTrait,
    job: &Job,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let exhausted = job.attempts >= job.max_attempts;
    let backoff = Duration::seconds(2_i64.saturating_pow(job.attempts.clamp(0, 16) as u32));
    job::Entity::update_many()
        .col_expr(
            job::Column::State,
            Expr::value(if exhausted {
                state::FAILED
            } else {
                state::QUEUED
            }),
        )
        .col_expr(job::Column::RunAfter, Expr::value(now + backoff))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::LastError, Expr::value(error))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(job.id))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<Job, StoreError> {
    job::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn count_in_state(conn: &impl ConnectionTrait, state: &str) -> Result<u64, StoreError> {
    Ok(job::Entity::find()
        .filter(job::Column::State.eq(state))
        .count(conn)
        .await?)
}

/// Enqueues a scheduled job unless a job with the same `dedupe_key` exists (`kind:tenant:period`),
/// so several instances scheduling the same period enqueue it once. True when this call enqueued it.
pub async fn enqueue_unique(
    conn: &impl ConnectionTrait,
    tenant_id: Option<Uuid>,
    kind: &str,
    payload: serde_json::Value,
    dedupe_key: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let backend = conn.get_database_backend();
    let sql = "INSERT INTO job_queue (id, tenant_id, kind, payload, state, attempts, max_attempts, run_after, \
               progress, created_at, updated_at, dedupe_key) \
               VALUES ($1, $2, $3, $4, $5, 0, 5, $6, 0, $6, $6, $7) ON CONFLICT DO NOTHING";
    let sql = if backend == sea_orm::DbBackend::Sqlite {
        sql.replace('$', "?")
    } else {
        sql.to_owned()
    };
    let result = conn
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [
                Uuid::now_v7().into(),
                tenant_id.into(),
                kind.into(),
                payload.to_string().into(),
                state::QUEUED.into(),
                now.into(),
                dedupe_key.into(),
            ],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Removes finished scheduled jobs (those with a `dedupe_key`) last touched before `before`; the
/// queue keeps a week of them for the operator and does not grow without end.
pub async fn prune_scheduled(
    conn: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let backend = conn.get_database_backend();
    let sql =
        "DELETE FROM job_queue WHERE dedupe_key IS NOT NULL AND state = $1 AND updated_at < $2";
    let sql = if backend == sea_orm::DbBackend::Sqlite {
        sql.replace('$', "?")
    } else {
        sql.to_owned()
    };
    let result = conn
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [state::DONE.into(), before.into()],
        ))
        .await?;
    Ok(result.rows_affected())
}
