//! Applicant accounts: platform-wide, because an applicant is nobody's tenant-owned record until they
//! apply to an authority.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::applicant_account;

pub use applicant_account::Model as Applicant;

#[derive(Debug, Clone)]
pub struct NewApplicant {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub language: String,
    pub confirm_token_hash: String,
}

pub async fn create(
    conn: &impl ConnectionTrait,
    new: NewApplicant,
    now: DateTime<Utc>,
) -> Result<Applicant, StoreError> {
    let model = applicant_account::Model {
        id: Uuid::now_v7(),
        email: new.email,
        display_name: new.display_name,
        password_hash: new.password_hash,
        language: new.language,
        email_confirmed_at: None,
        confirm_token_hash: Some(new.confirm_token_hash),
        created_at: now,
    };
    applicant_account::Entity::insert(applicant_account::ActiveModel::from(model.clone()))
        .exec_without_returning(conn)
        .await
        .map_err(|err| StoreError::from_insert(err, "email_taken"))?;
    Ok(model)
}

pub async fn by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<Applicant>, StoreError> {
    Ok(applicant_account::Entity::find()
        .filter(applicant_account::Column::Email.eq(email))
        .one(conn)
        .await?)
}

pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<Applicant, StoreError> {
    applicant_account::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Many accounts by id, in one statement (missing ones are left out).
pub async fn get_many(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<Applicant>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(applicant_account::Entity::find()
        .filter(applicant_account::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// Confirms the address behind a confirmation link; the token works once.
pub async fn confirm(
    conn: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Applicant, StoreError> {
    let applicant = applicant_account::Entity::find()
        .filter(applicant_account::Column::ConfirmTokenHash.eq(token_hash))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    applicant_account::Entity::update_many()
        .col_expr(
            applicant_account::Column::EmailConfirmedAt,
            Expr::value(now),
        )
        .col_expr(
            applicant_account::Column::ConfirmTokenHash,
            Expr::value(Option::<String>::None),
        )
        .filter(applicant_account::Column::Id.eq(applicant.id))
        .exec(conn)
        .await?;
    Ok(applicant)
}

pub async fn set_language(
    conn: &impl ConnectionTrait,
    id: Uuid,
    language: &str,
) -> Result<(), StoreError> {
    applicant_account::Entity::update(applicant_account::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        language: Set(language.to_owned()),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok(())
}
