//! Refresh sessions: stored hashed, revocable one by one or all at once ("sign out everywhere").

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::auth_session;

pub use auth_session::Model as Session;

pub async fn create(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    tenant_id: Option<Uuid>,
    token_hash: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Session, StoreError> {
    let model = auth_session::Model {
        id: Uuid::now_v7(),
        user_id,
        tenant_id,
        token_hash,
        created_at: now,
        expires_at,
        last_used_at: now,
        revoked_at: None,
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

pub async fn is_live(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(auth_session::Entity::find_by_id(id)
        .filter(auth_session::Column::RevokedAt.is_null())
        .filter(auth_session::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?
        .is_some())
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
