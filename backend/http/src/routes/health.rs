//! Liveness, readiness and metrics.

use actix_web::{HttpResponse, get, web};
use redis::AsyncCommands;
use serde_json::json;

use crate::AppState;
use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz).service(readyz).service(metrics);
}

/// Alive: the process answers.
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Ready: the database (and Redis, when configured) answer.
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let database = state.db.ping().await.is_ok();
    let redis = match &state.redis {
        Some(conn) => {
            let mut conn = conn.clone();
            Some(conn.ping::<String>().await.is_ok())
        }
        None => None,
    };
    let ready = database && redis.unwrap_or(true);
    let body = json!({
        "status": if ready { "ready" } else { "unavailable" },
        "database": database,
        "redis": redis.map_or("not configured", |ok| if ok { "ok" } else { "down" }),
    });
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

#[get("/metrics")]
async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let (size, idle) = state.db.pool_status();
    let idle = i64::try_from(idle).unwrap_or(i64::MAX);
    state
        .metrics
        .db_pool
        .with_label_values(&["in_use"])
        .set(i64::from(size) - idle);
    state.metrics.db_pool.with_label_values(&["idle"]).set(idle);
    state
        .metrics
        .db_pool
        .with_label_values(&["max"])
        .set(i64::from(state.db.max_connections()));
    let conn = state.db.connection();
    for job_state in [
        amtsweg_store::jobs::state::QUEUED,
        amtsweg_store::jobs::state::RUNNING,
        amtsweg_store::jobs::state::FAILED,
    ] {
        let count = amtsweg_store::jobs::count_in_state(conn, job_state).await?;
        state
            .metrics
            .jobs_queued
            .with_label_values(&[job_state])
            .set(i64::try_from(count).unwrap_or(i64::MAX));
    }
    let pending = amtsweg_store::outbox::pending_count(conn).await?;
    state
        .metrics
        .mail_pending
        .with_label_values(&["pending"])
        .set(i64::try_from(pending).unwrap_or(i64::MAX));
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render()?))
}
