//! Mail goes out through an outbox table and a worker, so a slow or absent SMTP server never stalls a
//! request and no mail is lost when the process dies.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::mail;

pub use mail::Model as OutgoingMail;

#[derive(Debug, Clone)]
pub struct NewMail {
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
}

pub async fn enqueue(
    conn: &impl ConnectionTrait,
    new: NewMail,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    mail::Entity::insert(mail::ActiveModel {
        id: Set(id),
        recipient: Set(new.recipient),
        subject: Set(new.subject),
        body_text: Set(new.body_text),
        body_html: Set(new.body_html),
        created_at: Set(now),
        sent_at: Set(None),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(id)
}

/// [`enqueue`] for many mails, in one statement.
pub async fn enqueue_many(
    conn: &impl ConnectionTrait,
    mails: Vec<NewMail>,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, StoreError> {
    if mails.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids = Vec::with_capacity(mails.len());
    let rows = mails.into_iter().map(|new| {
        let id = Uuid::now_v7();
        ids.push(id);
        mail::ActiveModel {
            id: Set(id),
            recipient: Set(new.recipient),
            subject: Set(new.subject),
            body_text: Set(new.body_text),
            body_html: Set(new.body_html),
            created_at: Set(now),
            sent_at: Set(None),
        }
    });
    mail::Entity::insert_many(rows.collect::<Vec<_>>())
        .exec_without_returning(conn)
        .await?;
    Ok(ids)
}

/// The oldest unsent mails, locked for this worker where the backend can (`SKIP LOCKED` on PostgreSQL).
pub async fn next_batch(
    conn: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<OutgoingMail>, StoreError> {
    Ok(mail::Entity::find()
        .filter(mail::Column::SentAt.is_null())
        .order_by_asc(mail::Column::CreatedAt)
        .limit(limit)
        .lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        )
        .all(conn)
        .await?)
}

pub async fn mark_sent(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    mail::Entity::update(mail::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        sent_at: Set(Some(now)),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// [`mark_sent`] for many mails, in one statement.
pub async fn mark_all_sent(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    mail::Entity::update_many()
        .col_expr(mail::Column::SentAt, sea_orm::sea_query::Expr::value(now))
        .filter(mail::Column::Id.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn pending_count(conn: &impl ConnectionTrait) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(mail::Entity::find()
        .filter(mail::Column::SentAt.is_null())
        .count(conn)
        .await?)
}
