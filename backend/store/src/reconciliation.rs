//! AZR reconciliation runs, their extracts, results and the clerks' decisions (tenant-owned, reached
//! through [`TenantTx`] only), and the ministry's aggregate (a platform table holding counts only).
//!
//! A run's results are replaced as a whole by [`replace_results`], so a job that is run again after a
//! crash never leaves duplicates behind.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::Expr, sea_query::OnConflict,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{StoreError, TenantTx};

pub use entities::{
    aggregate::Model as Aggregate, decision::Model as Decision, difference::Model as Difference,
    extract::Model as Extract, pair::Model as Pair, record::Model as RecordRow, run::Model as Run,
};

/// The job kind in `job_queue`; the payload is `{"run_id": "…"}`.
pub const JOB_KIND: &str = "reconciliation";

/// Wakes the local job workers when a run is queued; other instances find it on their next poll.
pub fn job_wakeup() -> &'static tokio::sync::Notify {
    static WAKEUP: std::sync::OnceLock<tokio::sync::Notify> = std::sync::OnceLock::new();
    WAKEUP.get_or_init(tokio::sync::Notify::new)
}

/// The Redis channel on which a new job is announced, so that the workers of every instance
/// wake up at once rather than on their next poll. The message carries nothing.
pub fn wakeup_channel(namespace: &str) -> String {
    format!("{namespace}:jobs:wakeup")
}

pub mod state {
    pub const QUEUED: &str = "queued";
    pub const RUNNING: &str = "running";
    pub const DONE: &str = "done";
    pub const FAILED: &str = "failed";
}

pub mod decision_state {
    pub const OPEN: &str = "open";
    pub const ACCEPTED: &str = "accepted";
    pub const OTHER_SIDE: &str = "other_side";
    pub const ENTERED: &str = "entered";
    pub const RESEARCH: &str = "research";
    pub const ALL: [&str; 5] = [OPEN, ACCEPTED, OTHER_SIDE, ENTERED, RESEARCH];
}

pub mod entities {
    macro_rules! boilerplate {
        () => {
            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}

            impl ActiveModelBehavior for ActiveModel {}
        };
    }

    pub mod run {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "reconciliation_runs")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub tenant_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: Uuid,
            pub state: String,
            pub stage: String,
            pub progress: f64,
            pub azr_source: String,
            pub job_id: Option<Uuid>,
            pub previous_run_id: Option<Uuid>,
            pub started_by: Uuid,
            pub records_local: i64,
            pub records_azr: i64,
            pub rows_rejected: i64,
            pub links: i64,
            pub differences: i64,
            pub count_identical: i64,
            pub count_different: i64,
            pub count_only_local: i64,
            pub count_only_azr: i64,
            pub count_duplicate: i64,
            pub count_ambiguous: i64,
            pub incongruence_rate: Option<f64>,
            pub summary: Option<String>,
            pub error: Option<String>,
            pub created_at: ChronoDateTimeUtc,
            pub started_at: Option<ChronoDateTimeUtc>,
            pub finished_at: Option<ChronoDateTimeUtc>,
        }
        boilerplate!();
    }

    pub mod extract {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "reconciliation_extracts")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub tenant_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub run_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub side: String,
            pub file_name: String,
            pub content: Vec<u8>,
            pub size_bytes: i64,
            pub sha256: String,
            pub created_at: ChronoDateTimeUtc,
        }
        boilerplate!();
    }

    pub mod record {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "reconciliation_records")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub tenant_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub run_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub side: String,
            #[sea_orm(primary_key, auto_increment = false)]
            pub record_id: String,
            pub class: String,
            pub explanation: String,
            /// JSON array of the 14 columns in spec order.
            pub data: String,
        }
        boilerplate!();
    }

    pub mod pair {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "reconciliation_pairs")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub tenant_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: Uuid,
            pub run_id: Uuid,
            pub local_record_id: String,
            pub azr_record_id: String,
            pub class: String,
            pub weight: f64,
            pub probability: f64,
            pub explanation: String,
            pub difference_count: i32,
        }
        boilerplate!();
    }

    pub mod difference {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "reconciliation_differences")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub tenant_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: Uuid,
            pub run_id: Uuid,
            pub pair_id: Uuid,
            pub seq: i32,
            pub class: String,
            pub local_record_id: String,
            pub azr_record_id: String,
            pub field: String,
            pub kind: String,
            pub local_value: String,
            pub azr_value: String,
            pub proposed_side: String,
            pub reason: String,
            /// Relative to the previous run: new, changed, unchanged, decided.
            pub change_status: String,
            pub decision_state: String,
        }
        boilerplate!();
    }

    pub mod decision {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "reconciliation_decisions")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub tenant_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: Uuid,
            pub run_id: Uuid,
            pub difference_id: Uuid,
            /// accept, other_side, value, research.
            pub kind: String,
            pub decided_side: Option<String>,
            pub value: Option<String>,
            pub note: String,
            pub decided_by: Uuid,
            pub decided_at: ChronoDateTimeUtc,
        }
        boilerplate!();
    }

    pub mod aggregate {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "reconciliation_aggregates")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub run_id: Uuid,
            pub tenant_id: Uuid,
            pub finished_at: ChronoDateTimeUtc,
            pub records_local: i64,
            pub records_azr: i64,
            pub links: i64,
            pub differences: i64,
            pub count_identical: i64,
            pub count_different: i64,
            pub count_only_local: i64,
            pub count_only_azr: i64,
            pub count_duplicate: i64,
            pub count_ambiguous: i64,
            pub incongruence_rate: f64,
        }
        boilerplate!();
    }
}

use entities::{aggregate, decision, difference, extract, pair, record, run};

/// Rows per INSERT statement when results are stored.
pub const BATCH: usize = 500;

#[derive(Debug, Clone)]
pub struct NewRun {
    pub id: Uuid,
    /// `upload` (both extracts uploaded) or `adapter` (the AZR side is fetched by the job).
    pub azr_source: String,
    pub previous_run_id: Option<Uuid>,
    pub started_by: Uuid,
}

pub async fn create_run(tx: &TenantTx, new: NewRun, now: DateTime<Utc>) -> Result<Run, StoreError> {
    let model = run::Model {
        tenant_id: tx.tenant_id().0,
        id: new.id,
        state: state::QUEUED.into(),
        stage: String::new(),
        progress: 0.0,
        azr_source: new.azr_source,
        job_id: None,
        previous_run_id: new.previous_run_id,
        started_by: new.started_by,
        records_local: 0,
        records_azr: 0,
        rows_rejected: 0,
        links: 0,
        differences: 0,
        count_identical: 0,
        count_different: 0,
        count_only_local: 0,
        count_only_azr: 0,
        count_duplicate: 0,
        count_ambiguous: 0,
        incongruence_rate: None,
        summary: None,
        error: None,
        created_at: now,
        started_at: None,
        finished_at: None,
    };
    run::Entity::insert(run::ActiveModel::from(model.clone()))
        .exec_without_returning(tx.conn())
        .await?;
    Ok(model)
}

pub async fn set_job(tx: &TenantTx, run_id: Uuid, job_id: Uuid) -> Result<(), StoreError> {
    update_run(tx, run_id, |m| m.job_id = Set(Some(job_id))).await
}

async fn update_run(
    tx: &TenantTx,
    run_id: Uuid,
    change: impl FnOnce(&mut run::ActiveModel),
) -> Result<(), StoreError> {
    let mut model = run::ActiveModel {
        tenant_id: sea_orm::ActiveValue::Unchanged(tx.tenant_id().0),
        id: sea_orm::ActiveValue::Unchanged(run_id),
        ..Default::default()
    };
    change(&mut model);
    let result = run::Entity::update_many()
        .set(model)
        .filter(run::Column::TenantId.eq(tx.tenant_id().0))
        .filter(run::Column::Id.eq(run_id))
        .exec(tx.conn())
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn get_run(tx: &TenantTx, id: Uuid) -> Result<Run, StoreError> {
    run::Entity::find_by_id((tx.tenant_id().0, id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// The tenant's runs, newest first.
pub async fn list_runs(tx: &TenantTx, limit: u64) -> Result<Vec<Run>, StoreError> {
    Ok(run::Entity::find()
        .filter(run::Column::TenantId.eq(tx.tenant_id().0))
        .order_by_desc(run::Column::CreatedAt)
        .limit(limit)
        .all(tx.conn())
        .await?)
}

/// The newest finished run, the base of an incremental run.
pub async fn latest_done_run(tx: &TenantTx) -> Result<Option<Run>, StoreError> {
    Ok(run::Entity::find()
        .filter(run::Column::TenantId.eq(tx.tenant_id().0))
        .filter(run::Column::State.eq(state::DONE))
        .order_by_desc(run::Column::FinishedAt)
        .one(tx.conn())
        .await?)
}

pub async fn mark_running(
    tx: &TenantTx,
    run_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    update_run(tx, run_id, |m| {
        m.state = Set(state::RUNNING.into());
        m.started_at = Set(Some(now));
        m.error = Set(None);
        m.progress = Set(0.0);
        m.stage = Set("start".into());
    })
    .await
}

pub async fn set_progress(
    tx: &TenantTx,
    run_id: Uuid,
    stage: &str,
    progress: f64,
) -> Result<(), StoreError> {
    update_run(tx, run_id, |m| {
        m.stage = Set(stage.to_owned());
        m.progress = Set(progress.clamp(0.0, 1.0));
    })
    .await
}

/// Records a failed attempt; `final_failure` when the job will not be retried.
pub async fn mark_failed(
    tx: &TenantTx,
    run_id: Uuid,
    error: &str,
    final_failure: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    update_run(tx, run_id, |m| {
        m.error = Set(Some(error.to_owned()));
        if final_failure {
            m.state = Set(state::FAILED.into());
            m.finished_at = Set(Some(now));
        } else {
            m.state = Set(state::QUEUED.into());
        }
    })
    .await
}

/// The counts of a finished run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunCounts {
    pub records_local: i64,
    pub records_azr: i64,
    pub rows_rejected: i64,
    pub links: i64,
    pub differences: i64,
    pub identical: i64,
    pub different: i64,
    pub only_local: i64,
    pub only_azr: i64,
    pub duplicate: i64,
    pub ambiguous: i64,
    pub incongruence_rate: f64,
}

pub async fn finish_run(
    tx: &TenantTx,
    run_id: Uuid,
    counts: &RunCounts,
    summary_json: String,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let c = counts.clone();
    update_run(tx, run_id, move |m| {
        m.state = Set(state::DONE.into());
        m.stage = Set("done".into());
        m.progress = Set(1.0);
        m.records_local = Set(c.records_local);
        m.records_azr = Set(c.records_azr);
        m.rows_rejected = Set(c.rows_rejected);
        m.links = Set(c.links);
        m.differences = Set(c.differences);
        m.count_identical = Set(c.identical);
        m.count_different = Set(c.different);
        m.count_only_local = Set(c.only_local);
        m.count_only_azr = Set(c.only_azr);
        m.count_duplicate = Set(c.duplicate);
        m.count_ambiguous = Set(c.ambiguous);
        m.incongruence_rate = Set(Some(c.incongruence_rate));
        m.summary = Set(Some(summary_json));
        m.error = Set(None);
        m.finished_at = Set(Some(now));
    })
    .await
}

/// Stores an extract of a run (replacing one of the same side).
pub async fn put_extract(
    tx: &TenantTx,
    run_id: Uuid,
    side: &str,
    file_name: &str,
    content: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    extract::Entity::delete_many()
        .filter(extract::Column::TenantId.eq(tx.tenant_id().0))
        .filter(extract::Column::RunId.eq(run_id))
        .filter(extract::Column::Side.eq(side))
        .exec(tx.conn())
        .await?;
    let sha256 = hex::encode(Sha256::digest(&content));
    extract::Entity::insert(extract::ActiveModel {
        tenant_id: Set(tx.tenant_id().0),
        run_id: Set(run_id),
        side: Set(side.to_owned()),
        file_name: Set(file_name.to_owned()),
        size_bytes: Set(i64::try_from(content.len()).unwrap_or(i64::MAX)),
        content: Set(content),
        sha256: Set(sha256),
        created_at: Set(now),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

pub async fn extract(
    tx: &TenantTx,
    run_id: Uuid,
    side: &str,
) -> Result<Option<Extract>, StoreError> {
    Ok(
        extract::Entity::find_by_id((tx.tenant_id().0, run_id, side.to_owned()))
            .one(tx.conn())
            .await?,
    )
}

/// Results of one run, ready to store. Ids are assigned by the caller.
#[derive(Debug, Default)]
pub struct Results {
    pub records: Vec<RecordRow>,
    pub pairs: Vec<Pair>,
    pub differences: Vec<Difference>,
    /// Decisions carried over from the previous run for differences decided on the same values.
    pub decisions: Vec<Decision>,
}

/// Deletes whatever an earlier attempt stored for the run (decisions are kept only for finished
/// runs, which are never recomputed), then inserts `results` in batches.
pub async fn replace_results(
    tx: &TenantTx,
    run_id: Uuid,
    results: Results,
) -> Result<(), StoreError> {
    clear_results(tx, run_id).await?;
    let tenant = tx.tenant_id().0;
    for chunk in results.records.chunks(BATCH) {
        let rows = chunk.iter().cloned().map(|mut r| {
            r.tenant_id = tenant;
            record::ActiveModel::from(r)
        });
        record::Entity::insert_many(rows)
            .exec_without_returning(tx.conn())
            .await?;
    }
    for chunk in results.pairs.chunks(BATCH) {
        let rows = chunk.iter().cloned().map(|mut r| {
            r.tenant_id = tenant;
            pair::ActiveModel::from(r)
        });
        pair::Entity::insert_many(rows)
            .exec_without_returning(tx.conn())
            .await?;
    }
    for chunk in results.differences.chunks(BATCH) {
        let rows = chunk.iter().cloned().map(|mut r| {
            r.tenant_id = tenant;
            difference::ActiveModel::from(r)
        });
        difference::Entity::insert_many(rows)
            .exec_without_returning(tx.conn())
            .await?;
    }
    for chunk in results.decisions.chunks(BATCH) {
        let rows = chunk.iter().cloned().map(|mut r| {
            r.tenant_id = tenant;
            decision::ActiveModel::from(r)
        });
        decision::Entity::insert_many(rows)
            .exec_without_returning(tx.conn())
            .await?;
    }
    Ok(())
}

pub async fn clear_results(tx: &TenantTx, run_id: Uuid) -> Result<(), StoreError> {
    let tenant = tx.tenant_id().0;
    decision::Entity::delete_many()
        .filter(decision::Column::TenantId.eq(tenant))
        .filter(decision::Column::RunId.eq(run_id))
        .exec(tx.conn())
        .await?;
    difference::Entity::delete_many()
        .filter(difference::Column::TenantId.eq(tenant))
        .filter(difference::Column::RunId.eq(run_id))
        .exec(tx.conn())
        .await?;
    pair::Entity::delete_many()
        .filter(pair::Column::TenantId.eq(tenant))
        .filter(pair::Column::RunId.eq(run_id))
        .exec(tx.conn())
        .await?;
    record::Entity::delete_many()
        .filter(record::Column::TenantId.eq(tenant))
        .filter(record::Column::RunId.eq(run_id))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// Filters for browsing differences; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct DiffFilter {
    pub class: Option<String>,
    pub field: Option<String>,
    pub kind: Option<String>,
    pub proposed_side: Option<String>,
    pub decision_state: Option<String>,
}

/// A page of a run's differences (in result order) and the total matching the filter.
pub async fn list_differences(
    tx: &TenantTx,
    run_id: Uuid,
    filter: &DiffFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Difference>, u64), StoreError> {
    let mut query = difference::Entity::find()
        .filter(difference::Column::TenantId.eq(tx.tenant_id().0))
        .filter(difference::Column::RunId.eq(run_id));
    if let Some(v) = &filter.class {
        query = query.filter(difference::Column::Class.eq(v.as_str()));
    }
    if let Some(v) = &filter.field {
        query = query.filter(difference::Column::Field.eq(v.as_str()));
    }
    if let Some(v) = &filter.kind {
        query = query.filter(difference::Column::Kind.eq(v.as_str()));
    }
    if let Some(v) = &filter.proposed_side {
        query = query.filter(difference::Column::ProposedSide.eq(v.as_str()));
    }
    if let Some(v) = &filter.decision_state {
        query = query.filter(difference::Column::DecisionState.eq(v.as_str()));
    }
    let total = query.clone().count(tx.conn()).await?;
    let rows = query
        .order_by_asc(difference::Column::Seq)
        .limit(limit)
        .offset(offset)
        .all(tx.conn())
        .await?;
    Ok((rows, total))
}

/// A page of a run's records of one class (for the classes without pairs: only_local, only_azr,
/// ambiguous).
pub async fn list_records(
    tx: &TenantTx,
    run_id: Uuid,
    class: &str,
    limit: u64,
    offset: u64,
) -> Result<(Vec<RecordRow>, u64), StoreError> {
    let query = record::Entity::find()
        .filter(record::Column::TenantId.eq(tx.tenant_id().0))
        .filter(record::Column::RunId.eq(run_id))
        .filter(record::Column::Class.eq(class));
    let total = query.clone().count(tx.conn()).await?;
    let rows = query
        .order_by_asc(record::Column::Side)
        .order_by_asc(record::Column::RecordId)
        .limit(limit)
        .offset(offset)
        .all(tx.conn())
        .await?;
    Ok((rows, total))
}

pub async fn get_pair(tx: &TenantTx, id: Uuid) -> Result<Pair, StoreError> {
    pair::Entity::find_by_id((tx.tenant_id().0, id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn differences_of_pair(
    tx: &TenantTx,
    pair_id: Uuid,
) -> Result<Vec<Difference>, StoreError> {
    Ok(difference::Entity::find()
        .filter(difference::Column::TenantId.eq(tx.tenant_id().0))
        .filter(difference::Column::PairId.eq(pair_id))
        .order_by_asc(difference::Column::Seq)
        .all(tx.conn())
        .await?)
}

pub async fn record(
    tx: &TenantTx,
    run_id: Uuid,
    side: &str,
    record_id: &str,
) -> Result<Option<RecordRow>, StoreError> {
    Ok(record::Entity::find_by_id((
        tx.tenant_id().0,
        run_id,
        side.to_owned(),
        record_id.to_owned(),
    ))
    .one(tx.conn())
    .await?)
}

pub async fn get_difference(tx: &TenantTx, id: Uuid) -> Result<Difference, StoreError> {
    difference::Entity::find_by_id((tx.tenant_id().0, id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone)]
pub struct NewDecision {
    /// accept, other_side, value, research.
    pub kind: String,
    pub decided_side: Option<String>,
    pub value: Option<String>,
    pub note: String,
    pub decided_by: Uuid,
}

/// Records a decision on a difference and sets the difference's decision state.
pub async fn decide(
    tx: &TenantTx,
    diff: &Difference,
    new: NewDecision,
    now: DateTime<Utc>,
) -> Result<Decision, StoreError> {
    let state = match new.kind.as_str() {
        "accept" => decision_state::ACCEPTED,
        "other_side" => decision_state::OTHER_SIDE,
        "value" => decision_state::ENTERED,
        "research" => decision_state::RESEARCH,
        _ => return Err(StoreError::Conflict("decision-kind-invalid")),
    };
    let model = decision::Model {
        tenant_id: tx.tenant_id().0,
        id: Uuid::now_v7(),
        run_id: diff.run_id,
        difference_id: diff.id,
        kind: new.kind,
        decided_side: new.decided_side,
        value: new.value,
        note: new.note,
        decided_by: new.decided_by,
        decided_at: now,
    };
    decision::Entity::insert(decision::ActiveModel::from(model.clone()))
        .exec_without_returning(tx.conn())
        .await?;
    difference::Entity::update_many()
        .col_expr(difference::Column::DecisionState, Expr::value(state))
        .filter(difference::Column::TenantId.eq(tx.tenant_id().0))
        .filter(difference::Column::Id.eq(diff.id))
        .exec(tx.conn())
        .await?;
    Ok(model)
}

/// The latest decision on each decided difference of a run, with the difference and its pair, in
/// result order.
pub async fn latest_decisions(
    tx: &TenantTx,
    run_id: Uuid,
) -> Result<Vec<(Decision, Difference, Pair)>, StoreError> {
    let tenant = tx.tenant_id().0;
    let decisions = decision::Entity::find()
        .filter(decision::Column::TenantId.eq(tenant))
        .filter(decision::Column::RunId.eq(run_id))
        .order_by_asc(decision::Column::DecidedAt)
        .order_by_asc(decision::Column::Id)
        .all(tx.conn())
        .await?;
    let mut latest: std::collections::HashMap<Uuid, Decision> = std::collections::HashMap::new();
    for d in decisions {
        latest.insert(d.difference_id, d);
    }
    if latest.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = latest.keys().copied().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(BATCH) {
        let diffs = difference::Entity::find()
            .filter(difference::Column::TenantId.eq(tenant))
            .filter(difference::Column::Id.is_in(chunk.to_vec()))
            .all(tx.conn())
            .await?;
        for diff in diffs {
            let pair = get_pair(tx, diff.pair_id).await?;
            if let Some(decision) = latest.remove(&diff.id) {
                out.push((decision, diff, pair));
            }
        }
    }
    out.sort_by_key(|(_, diff, _)| diff.seq);
    Ok(out)
}

/// Every difference of a run (for an incremental comparison).
pub async fn all_differences(tx: &TenantTx, run_id: Uuid) -> Result<Vec<Difference>, StoreError> {
    Ok(difference::Entity::find()
        .filter(difference::Column::TenantId.eq(tx.tenant_id().0))
        .filter(difference::Column::RunId.eq(run_id))
        .order_by_asc(difference::Column::Seq)
        .all(tx.conn())
        .await?)
}

/// Row counts of a run's results: (records, pairs, differences). Used by tests and the job log.
pub async fn result_counts(tx: &TenantTx, run_id: Uuid) -> Result<(u64, u64, u64), StoreError> {
    let tenant = tx.tenant_id().0;
    let records = record::Entity::find()
        .filter(record::Column::TenantId.eq(tenant))
        .filter(record::Column::RunId.eq(run_id))
        .count(tx.conn())
        .await?;
    let pairs = pair::Entity::find()
        .filter(pair::Column::TenantId.eq(tenant))
        .filter(pair::Column::RunId.eq(run_id))
        .count(tx.conn())
        .await?;
    let diffs = difference::Entity::find()
        .filter(difference::Column::TenantId.eq(tenant))
        .filter(difference::Column::RunId.eq(run_id))
        .count(tx.conn())
        .await?;
    Ok((records, pairs, diffs))
}

/// Publishes a finished run's counts for the ministry (platform table, counts only).
pub async fn put_aggregate(conn: &impl ConnectionTrait, row: Aggregate) -> Result<(), StoreError> {
    aggregate::Entity::insert(aggregate::ActiveModel::from(row))
        .on_conflict(
            OnConflict::column(aggregate::Column::RunId)
                .update_columns([
                    aggregate::Column::FinishedAt,
                    aggregate::Column::RecordsLocal,
                    aggregate::Column::RecordsAzr,
                    aggregate::Column::Links,
                    aggregate::Column::Differences,
                    aggregate::Column::CountIdentical,
                    aggregate::Column::CountDifferent,
                    aggregate::Column::CountOnlyLocal,
                    aggregate::Column::CountOnlyAzr,
                    aggregate::Column::CountDuplicate,
                    aggregate::Column::CountAmbiguous,
                    aggregate::Column::IncongruenceRate,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Every tenant's run aggregates, oldest first.
pub async fn list_aggregates(conn: &impl ConnectionTrait) -> Result<Vec<Aggregate>, StoreError> {
    Ok(aggregate::Entity::find()
        .order_by_asc(aggregate::Column::FinishedAt)
        .all(conn)
        .await?)
}
