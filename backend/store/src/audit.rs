//! The append-only, hash-chained audit log.

use amtsweg_domain::audit::{
    AuditContent, ChainBreak, GENESIS_HASH, StoredEntry, entry_hash, verify_chain,
};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entities::{audit_entry, audit_head};
use crate::{StoreError, TenantTx};

/// What happened; the hash chain adds sequence number, time and hashes.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub source: String,
    pub details: String,
}

impl NewEntry {
    pub fn new(actor: impl Into<String>, action: impl Into<String>) -> Self {
        Self {
            actor: actor.into(),
            action: action.into(),
            object_type: String::new(),
            object_id: String::new(),
            source: String::new(),
            details: "{}".into(),
        }
    }

    pub fn object(mut self, object_type: impl Into<String>, object_id: impl ToString) -> Self {
        self.object_type = object_type.into();
        self.object_id = object_id.to_string();
        self
    }

    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details.to_string();
        self
    }
}

/// Appends one entry inside the caller's transaction, so the entry commits with the change it records.
///
/// The chain head row is locked (`FOR UPDATE`) so concurrent writers of one tenant serialize here and
/// the sequence has no gaps.
pub async fn append(tx: &TenantTx, at: DateTime<Utc>, entry: NewEntry) -> Result<i64, StoreError> {
    append_many(tx, at, vec![entry])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// Appends entries in the given order, chained one after the other, with the head locked once and
/// one insert for all of them (group commit of submissions). Returns their sequence numbers.
pub async fn append_many(
    tx: &TenantTx,
    at: DateTime<Utc>,
    entries: Vec<NewEntry>,
) -> Result<Vec<i64>, StoreError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let tenant = tx.tenant_id().0;
    let head = match locked_head(tx).await? {
        Some(head) => head,
        None => {
            // The tenant's first entry: create the head (a concurrent first writer may win).
            audit_head::Entity::insert(audit_head::ActiveModel {
                tenant_id: Set(tenant),
                last_seq: Set(0),
                last_hash: Set(GENESIS_HASH.to_owned()),
            })
            .on_conflict(
                OnConflict::column(audit_head::Column::TenantId)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(tx.conn())
            .await?;
            locked_head(tx).await?.ok_or(StoreError::NotFound)?
        }
    };
    // Microsecond precision: what both backends store exactly, so the hash verifies after a round trip.
    let at = DateTime::<Utc>::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at);
    let (mut seq, mut last_hash) = (head.last_seq, head.last_hash);
    let mut rows = Vec::with_capacity(entries.len());
    let mut seqs = Vec::with_capacity(entries.len());
    for entry in entries {
        seq += 1;
        let content = AuditContent {
            seq,
            at,
            actor: entry.actor,
            action: entry.action,
            object_type: entry.object_type,
            object_id: entry.object_id,
            source: entry.source,
            details: entry.details,
        };
        let hash = entry_hash(&last_hash, &content);
        rows.push(audit_entry::ActiveModel {
            tenant_id: Set(tenant),
            seq: Set(content.seq),
            at: Set(content.at),
            actor: Set(content.actor),
            action: Set(content.action),
            object_type: Set(content.object_type),
            object_id: Set(content.object_id),
            source: Set(content.source),
            details: Set(content.details),
            prev_hash: Set(std::mem::replace(&mut last_hash, hash.clone())),
            hash: Set(hash),
        });
        seqs.push(seq);
    }
    audit_entry::Entity::insert_many(rows)
        .exec_without_returning(tx.conn())
        .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastSeq, Expr::value(seq))
        .col_expr(audit_head::Column::LastHash, Expr::value(last_hash))
        .filter(audit_head::Column::TenantId.eq(tenant))
        .exec(tx.conn())
        .await?;
    Ok(seqs)
}

/// The tenant's chain head, locked until the transaction ends.
async fn locked_head(tx: &TenantTx) -> Result<Option<audit_head::Model>, StoreError> {
    Ok(audit_head::Entity::find_by_id(tx.tenant_id().0)
        .lock_exclusive()
        .one(tx.conn())
        .await?)
}

/// A page of the log, newest first.
pub async fn list(
    tx: &TenantTx,
    action: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<audit_entry::Model>, u64), StoreError> {
    let mut query =
        audit_entry::Entity::find().filter(audit_entry::Column::TenantId.eq(tx.tenant_id().0));
    if let Some(action) = action {
        query = query.filter(audit_entry::Column::Action.eq(action));
    }
    let total = query.clone().count(tx.conn()).await?;
    let rows = query
        .order_by_desc(audit_entry::Column::Seq)
        .limit(limit)
        .offset(offset)
        .all(tx.conn())
        .await?;
    Ok((rows, total))
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Verification {
    pub entries: usize,
    pub head_seq: Option<i64>,
    pub breaks: Vec<ChainBreak>,
}

/// Re-computes the whole chain of the transaction's tenant.
pub async fn verify(tx: &TenantTx) -> Result<Verification, StoreError> {
    let tenant = tx.tenant_id().0;
    let head = audit_head::Entity::find_by_id(tenant)
        .one(tx.conn())
        .await?;
    let rows = audit_entry::Entity::find()
        .filter(audit_entry::Column::TenantId.eq(tenant))
        .order_by_asc(audit_entry::Column::Seq)
        .all(tx.conn())
        .await?;
    let entries: Vec<StoredEntry> = rows
        .into_iter()
        .map(|row| StoredEntry {
            content: AuditContent {
                seq: row.seq,
                at: row.at,
                actor: row.actor,
                action: row.action,
                object_type: row.object_type,
                object_id: row.object_id,
                source: row.source,
                details: row.details,
            },
            prev_hash: row.prev_hash,
            hash: row.hash,
        })
        .collect();
    let head_seq = head.map(|head| head.last_seq);
    Ok(Verification {
        entries: entries.len(),
        head_seq,
        breaks: verify_chain(&entries, head_seq),
    })
}
