//! Refresh sessions: stored hashed, revocable one by one or all at once ("sign out everywhere").

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::auth_session;

pub use auth_session::Model as Session;

/// Creates a session. With `idle_timeout_seconds` (kiosk sign-ins) it ends that long after its
/// last request (see [`keep_alive`]) instead of at `expires_at`.
pub async fn create(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    tenant_id: Option<Uuid>,
    token_hash: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    idle_timeout_seconds: Option<i32>,
) -> Result<Session, StoreError> {
    let expires_at = match idle_timeout_seconds {
        Some(idle) => now + chrono::Duration::seconds(i64::from(idle)),
        None => expires_at,
    };
    let model = auth_session::Model {
        id: Uuid::now_v7(),
        user_id,
        tenant_id,
        token_hash,
        created_at: now,
        expires_at,
        last_used_at: now,
        revoked_at: None,
        idle_timeout_seconds,
    };
    auth_session::Entity::insert(auth_session::ActiveModel::from(model.clone()))
        .exec_without_returning(conn)
        .await?;
    Ok(model)
}

/// The live session for a refresh token, if it is neither expired nor revoked.
pub async fn find_live(
    conn: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>, StoreError> {
    Ok(auth_session::Entity::find()
        .filter(auth_session::Column::TokenHash.eq(token_hash))
        .filter(auth_session::Column::RevokedAt.is_null())
        .filter(auth_session::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?)
}

async fn live(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Session>, StoreError> {
    Ok(auth_session::Entity::find_by_id(id)
        .filter(auth_session::Column::RevokedAt.is_null())
        .filter(auth_session::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?)
}

/// Whether a session is live; a session with an inactivity limit is kept alive by this request
/// (its end moves to now + the limit). Returns the live session.
pub async fn keep_alive(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Session>, StoreError> {
    let Some(session) = live(conn, id, now).await? else {
        return Ok(None);
    };
    if let Some(idle) = session.idle_timeout_seconds {
        auth_session::Entity::update_many()
            .col_expr(
                auth_session::Column::ExpiresAt,
                Expr::value(now + chrono::Duration::seconds(i64::from(idle))),
            )
            .col_expr(auth_session::Column::LastUsedAt, Expr::value(now))
            .filter(auth_session::Column::Id.eq(id))
            .exec(conn)
            .await?;
    }
    Ok(Some(session))
}

/// Replaces the refresh token of a session (rotation on every refresh).
pub async fn rotate(
    conn: &impl ConnectionTrait,
    id: Uuid,
    new_token_hash: String,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    auth_session::Entity::update(auth_session::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        token_hash: Set(new_token_hash),
        last_used_at: Set(now),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok(())
}

pub async fn revoke(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    auth_session::Entity::update_many()
        .col_expr(auth_session::Column::RevokedAt, Expr::value(now))
        .filter(auth_session::Column::Id.eq(id))
        .filter(auth_session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Revokes a session only if it has an inactivity limit (a kiosk session).
pub async fn revoke_idle_limited(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    auth_session::Entity::update_many()
        .col_expr(auth_session::Column::RevokedAt, Expr::value(now))
        .filter(auth_session::Column::Id.eq(id))
        .filter(auth_session::Column::RevokedAt.is_null())
        .filter(auth_session::Column::IdleTimeoutSeconds.is_not_null())
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn revoke_all(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let result = auth_session::Entity::update_many()
        .col_expr(auth_session::Column::RevokedAt, Expr::value(now))
        .filter(auth_session::Column::UserId.eq(user_id))
        .filter(auth_session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}
