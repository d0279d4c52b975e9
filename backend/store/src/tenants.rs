//! The tenant catalog as stored. Tenants are a platform table: every signed-in user may read the
//! catalog entry of their own tenant; only operators list and change it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::tenant;

pub use tenant::Model as Tenant;

pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<Tenant>, StoreError> {
    Ok(tenant::Entity::find()
        .order_by_asc(tenant::Column::Regierungsbezirk)
        .order_by_asc(tenant::Column::Name)
        .all(conn)
        .await?)
}

pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<Tenant, StoreError> {
    tenant::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn by_slug(conn: &impl ConnectionTrait, slug: &str) -> Result<Tenant, StoreError> {
    tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Inserts or replaces a catalog entry; lifecycle and timestamps of an existing tenant are kept,
/// because they change through onboarding, not through the catalog.
pub async fn upsert(
    conn: &impl ConnectionTrait,
    mut row: Tenant,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match tenant::Entity::find_by_id(row.id).one(conn).await? {
        Some(existing) => {
            row.lifecycle = existing.lifecycle;
            row.created_at = existing.created_at;
            row.updated_at = now;
            let mut active: tenant::ActiveModel = tenant::ActiveModel::from(row).reset_all();
            active.id = sea_orm::ActiveValue::Unchanged(existing.id);
            tenant::Entity::update(active).exec(conn).await?;
        }
        None => {
            row.created_at = now;
            row.updated_at = now;
            let active: tenant::ActiveModel = row.into();
            tenant::Entity::insert(active)
                .exec_without_returning(conn)
                .await?;
        }
    }
    Ok(())
}

pub async fn set_lifecycle(
    conn: &impl ConnectionTrait,
    id: Uuid,
    lifecycle: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tenant::Entity::update(tenant::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        lifecycle: Set(lifecycle.to_owned()),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok(())
}
