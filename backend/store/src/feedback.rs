//! Reports sent through the accessibility statement. They may name the sender (a reply address),
//! so reading them is audited in the platform chain by the caller, like other personal data.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::accessibility_feedback as feedback;

pub use feedback::Model as Feedback;

#[derive(Debug, Clone)]
pub struct NewFeedback {
    pub message: String,
    pub page: Option<String>,
    pub contact: Option<String>,
    pub lang: String,
}

pub async fn record(
    conn: &impl ConnectionTrait,
    new: NewFeedback,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    feedback::Entity::insert(feedback::ActiveModel {
        id: Set(id),
        received_at: Set(now),
        message: Set(new.message),
        page: Set(new.page),
        contact: Set(new.contact),
        lang: Set(new.lang),
        handled_at: Set(None),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(id)
}

/// Open reports first (oldest first: they have waited longest), then the most recently handled.
pub async fn list(conn: &impl ConnectionTrait, limit: u64) -> Result<Vec<Feedback>, StoreError> {
    let mut open = feedback::Entity::find()
        .filter(feedback::Column::HandledAt.is_null())
        .order_by_asc(feedback::Column::ReceivedAt)
        .limit(limit)
        .all(conn)
        .await?;
    let room = limit.saturating_sub(open.len() as u64);
    if room > 0 {
        open.extend(
            feedback::Entity::find()
                .filter(feedback::Column::HandledAt.is_not_null())
                .order_by_desc(feedback::Column::HandledAt)
                .limit(room)
                .all(conn)
                .await?,
        );
    }
    Ok(open)
}

pub async fn open_count(conn: &impl ConnectionTrait) -> Result<u64, StoreError> {
    Ok(feedback::Entity::find()
        .filter(feedback::Column::HandledAt.is_null())
        .count(conn)
        .await?)
}

/// Marks a report handled; false when there is no such open report.
pub async fn mark_handled(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let result = feedback::Entity::update_many()
        .col_expr(
            feedback::Column::HandledAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(feedback::Column::Id.eq(id))
        .filter(feedback::Column::HandledAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}
