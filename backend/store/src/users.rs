//! Staff accounts of one authority, their second factor and their invitations.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveValue::{Set, Unchanged},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::entities::{invitation, login_directory, recovery_code, user};
use crate::{StoreError, TenantTx};

pub use invitation::Model as Invitation;
pub use user::Model as User;

pub mod status {
    pub const ACTIVE: &str = "active";
    pub const DISABLED: &str = "disabled";
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: Option<String>,
}

/// Creates a staff account and its sign-in directory entry in one transaction.
pub async fn create(tx: &TenantTx, new: NewUser, now: DateTime<Utc>) -> Result<User, StoreError> {
    let tenant = tx.tenant_id().0;
    login_directory::Entity::insert(login_directory::ActiveModel {
        email: Set(new.email.clone()),
        tenant_id: Set(Some(tenant)),
        user_id: Set(new.id),
    })
    .exec_without_returning(tx.conn())
    .await
    .map_err(|err| StoreError::from_insert(err, "email_taken"))?;
    let model = user::Model {
        tenant_id: tenant,
        id: new.id,
        email: new.email,
        display_name: new.display_name,
        role: new.role,
        status: status::ACTIVE.to_owned(),
        password_hash: new.password_hash,
        totp_secret: None,
        totp_enabled_at: None,
        totp_last_step: None,
        created_at: now,
        updated_at: now,
    };
    user::Entity::insert(user::ActiveModel::from(model.clone()))
        .exec_without_returning(tx.conn())
        .await
        .map_err(|err| StoreError::from_insert(err, "email_taken"))?;
    Ok(model)
}

pub async fn get(tx: &TenantTx, id: Uuid) -> Result<User, StoreError> {
    user::Entity::find_by_id((tx.tenant_id().0, id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(tx: &TenantTx) -> Result<Vec<User>, StoreError> {
    Ok(user::Entity::find()
        .filter(user::Column::TenantId.eq(tx.tenant_id().0))
        .order_by_asc(user::Column::DisplayName)
        .all(tx.conn())
        .await?)
}

pub async fn count(tx: &TenantTx) -> Result<u64, StoreError> {
    Ok(user::Entity::find()
        .filter(user::Column::TenantId.eq(tx.tenant_id().0))
        .count(tx.conn())
        .await?)
}

/// Where an e-mail address signs in: the one lookup that crosses tenants, on a platform table.
pub async fn directory_lookup(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<login_directory::Model>, StoreError> {
    Ok(login_directory::Entity::find_by_id(email.to_owned())
        .one(conn)
        .await?)
}

pub async fn set_status(
    tx: &TenantTx,
    id: Uuid,
    status: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    update(tx, id, now, |model| model.status = Set(status.to_owned())).await
}

pub async fn set_role(
    tx: &TenantTx,
    id: Uuid,
    role: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    update(tx, id, now, |model| model.role = Set(role.to_owned())).await
}

pub async fn set_password(
    tx: &TenantTx,
    id: Uuid,
    hash: String,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    update(tx, id, now, |model| model.password_hash = Set(Some(hash))).await
}

/// Stores a TOTP secret that is not yet confirmed; sign-in ignores it until [`enable_totp`].
pub async fn set_pending_totp(
    tx: &TenantTx,
    id: Uuid,
    secret: String,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    update(tx, id, now, |model| {
        model.totp_secret = Set(Some(secret));
        model.totp_enabled_at = Set(None);
    })
    .await
}

/// Confirms the second factor and replaces the recovery codes.
pub async fn enable_totp(
    tx: &TenantTx,
    id: Uuid,
    recovery_code_hashes: Vec<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    update(tx, id, now, |model| model.totp_enabled_at = Set(Some(now))).await?;
    let tenant = tx.tenant_id().0;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::TenantId.eq(tenant))
        .filter(recovery_code::Column::UserId.eq(id))
        .exec(tx.conn())
        .await?;
    for code_hash in recovery_code_hashes {
        recovery_code::Entity::insert(recovery_code::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(Uuid::now_v7()),
            user_id: Set(id),
            code_hash: Set(code_hash),
            used_at: Set(None),
        })
        .exec_without_returning(tx.conn())
        .await?;
    }
    Ok(())
}

/// Records that the TOTP code of `step` was used; false when this or a later step was used before,
/// so a code observed by someone else cannot be replayed.
pub async fn consume_totp_step(
    tx: &TenantTx,
    user_id: Uuid,
    step: i64,
) -> Result<bool, StoreError> {
    let result = user::Entity::update_many()
        .col_expr(
            user::Column::TotpLastStep,
            sea_orm::sea_query::Expr::value(step),
        )
        .filter(user::Column::TenantId.eq(tx.tenant_id().0))
        .filter(user::Column::Id.eq(user_id))
        .filter(
            user::Column::TotpLastStep
                .is_null()
                .or(user::Column::TotpLastStep.lt(step)),
        )
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// Uses up a recovery code; true when the code was valid and unused.
pub async fn consume_recovery_code(
    tx: &TenantTx,
    user_id: Uuid,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let result = recovery_code::Entity::update_many()
        .col_expr(
            recovery_code::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(recovery_code::Column::TenantId.eq(tx.tenant_id().0))
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::CodeHash.eq(code_hash))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

async fn update(
    tx: &TenantTx,
    id: Uuid,
    now: DateTime<Utc>,
    change: impl FnOnce(&mut user::ActiveModel),
) -> Result<(), StoreError> {
    let mut model = user::ActiveModel {
        tenant_id: Unchanged(tx.tenant_id().0),
        id: Unchanged(id),
        updated_at: Set(now),
        ..Default::default()
    };
    change(&mut model);
    let result = user::Entity::update_many()
        .set(model)
        .filter(user::Column::TenantId.eq(tx.tenant_id().0))
        .filter(user::Column::Id.eq(id))
        .exec(tx.conn())
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub email: String,
    pub role: String,
    pub token_hash: String,
    pub invited_by: Uuid,
    pub expires_at: DateTime<Utc>,
}

pub async fn invite(
    tx: &TenantTx,
    new: NewInvitation,
    now: DateTime<Utc>,
) -> Result<Invitation, StoreError> {
    let model = invitation::Model {
        tenant_id: tx.tenant_id().0,
        id: Uuid::now_v7(),
        email: new.email,
        role: new.role,
        token_hash: new.token_hash,
        invited_by: new.invited_by,
        created_at: now,
        expires_at: new.expires_at,
        accepted_at: None,
    };
    invitation::Entity::insert(invitation::ActiveModel::from(model.clone()))
        .exec_without_returning(tx.conn())
        .await?;
    Ok(model)
}

pub async fn invitation_by_token(
    tx: &TenantTx,
    token_hash: &str,
) -> Result<Invitation, StoreError> {
    invitation::Entity::find()
        .filter(invitation::Column::TenantId.eq(tx.tenant_id().0))
        .filter(invitation::Column::TokenHash.eq(token_hash))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list_invitations(tx: &TenantTx) -> Result<Vec<Invitation>, StoreError> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::TenantId.eq(tx.tenant_id().0))
        .order_by_desc(invitation::Column::CreatedAt)
        .all(tx.conn())
        .await?)
}

pub async fn mark_invitation_accepted(
    tx: &TenantTx,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let result = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::AcceptedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invitation::Column::TenantId.eq(tx.tenant_id().0))
        .filter(invitation::Column::Id.eq(id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .exec(tx.conn())
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::Conflict("invitation_used"));
    }
    Ok(())
}
