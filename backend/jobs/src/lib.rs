//! The job runner: claims durable jobs from `job_queue` and runs them: `reconciliation` (the
//! per-tenant AZR Datenabgleich), `scan_ocr` (text recognition of scanned mail, [`scan_ocr`]) and
//! the scheduled case jobs of [`scheduled`] (deadline sweep,
//! retention listing), which [`scheduled::run_scheduler`] enqueues.
//!
//! Invariants:
//! - a worker claims only kinds it can run, with a lease that it renews with every progress report;
//!   a worker that dies loses its lease and another worker claims the job again;
//! - handlers are idempotent: a run's results are replaced as a whole in one tenant transaction, and
//!   a run already finished is only completed, never recomputed;
//! - all work on tenant data runs in a `TenantTx` of the job's tenant; the payload holds the run id only;
//! - at most one running job per tenant (the queue's claim), so tenants share the workers fairly;
//! - errors stored on the run or logged carry no personal data.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use amtsweg_adapters::azr::{AzrError, AzrRegister, AzrSimulator, ExtractRequest, SimulatorConfig};
use amtsweg_domain::TenantId;
use amtsweg_http::AppState;
use amtsweg_reconcile::incremental::{Decision as EngineDecision, Status, compare_runs};
use amtsweg_reconcile::{
    Class, Config, DiffKey, Difference as EngineDifference, Field, Kind, Outcome, Progress, Side,
    read_extract,
};
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::reconciliation::{
    self as recon, Aggregate, Decision, Difference, JOB_KIND, Pair, RecordRow, Results, Run,
    RunCounts,
};
use amtsweg_store::{jobs, tenants};
use tokio::sync::Notify;
use uuid::Uuid;

pub mod reminders;
pub mod scan_ocr;
pub mod scheduled;

/// How long a claimed job stays ours without a heartbeat.
pub const LEASE_SECS: i64 = 60;
/// Progress is reported (heartbeat, run row, Redis) at most every this share of the run.
const PROGRESS_STEP: f64 = 0.02;

#[derive(Debug, thiserror::Error)]
enum JobError {
    /// Another worker took the job over (our lease expired): drop the work silently.
    #[error("lease lost")]
    LeaseLost,
    #[error("AZR: {0}")]
    Azr(#[from] AzrError),
    /// A message without personal data.
    #[error("{0}")]
    Failed(String),
}

impl From<amtsweg_store::StoreError> for JobError {
    fn from(err: amtsweg_store::StoreError) -> Self {
        // Database errors may quote values; the run shows a generic message, the log the kind only.
        tracing::warn!(kind = store_error_kind(&err), "job store error");
        JobError::Failed("database error".into())
    }
}

fn store_error_kind(err: &amtsweg_store::StoreError) -> &'static str {
    match err {
        amtsweg_store::StoreError::NotFound => "not_found",
        amtsweg_store::StoreError::Conflict(_) => "conflict",
        amtsweg_store::StoreError::Corrupt(_) => "corrupt",
        amtsweg_store::StoreError::Db(_) => "db",
    }
}

fn worker_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| format!("jobs-{}", Uuid::now_v7()))
}

/// The AZR adapter of this process: the simulator, configured from the environment.
fn default_azr() -> &'static AzrSimulator {
    static AZR: OnceLock<AzrSimulator> = OnceLock::new();
    AZR.get_or_init(|| AzrSimulator::new(SimulatorConfig::from_env()))
}

/// Runs `AMTSWEG_JOB_WORKERS` (default 2) workers until `shutdown`. A job in flight at shutdown is
/// abandoned; its lease expires and a worker of this or another instance resumes it.
pub async fn run_workers(state: actix_web::web::Data<AppState>, shutdown: Arc<Notify>) {
    let count: usize = std::env::var("AMTSWEG_JOB_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
        .clamp(1, 16);
    let mut handles = Vec::new();
    for _ in 0..count {
        handles.push(tokio::spawn(worker_loop(state.clone(), shutdown.clone())));
    }
    for handle in handles {
        let _ = handle.await;
    }
}

async fn worker_loop(state: actix_web::web::Data<AppState>, shutdown: Arc<Notify>) {
    let wakeup = recon::job_wakeup();
    loop {
        let ran = tokio::select! {
            () = shutdown.notified() => break,
            result = run_one(&state) => result,
        };
        match ran {
            Ok(true) => continue,
            Ok(false) => {}
            Err(err) => tracing::warn!(error = %err, "job worker error; retrying later"),
        }
        tokio::select! {
            () = shutdown.notified() => break,
            () = wakeup.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
    }
}

/// Listens on the Redis wake-up channel until `shutdown` and calls `wake` for every job an
/// instance announces (the server passes [`wake_local_worker`]). Reconnects after a lost
/// connection; meanwhile the workers' two-second poll still finds every job.
pub async fn listen_for_wakeups(
    client: redis::Client,
    namespace: String,
    wake: impl Fn() + Send + 'static,
    shutdown: Arc<Notify>,
) {
    use futures_util::StreamExt;
    let channel = recon::wakeup_channel(&namespace);
    loop {
        let subscribed = async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(&channel).await?;
            redis::RedisResult::Ok(pubsub)
        };
        let pubsub = tokio::select! {
            () = shutdown.notified() => return,
            result = subscribed => result,
        };
        match pubsub {
            Ok(pubsub) => {
                let mut messages = pubsub.into_on_message();
                loop {
                    tokio::select! {
                        () = shutdown.notified() => return,
                        message = messages.next() => match message {
                            Some(_) => wake(),
                            None => break,
                        },
                    }
                }
                tracing::warn!("job wake-up subscription ended; reconnecting");
            }
            Err(err) => tracing::warn!(error = %err, "job wake-up subscription failed"),
        }
        tokio::select! {
            () = shutdown.notified() => return,
            () = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

/// Wakes one of this instance's job workers.
pub fn wake_local_worker() {
    recon::job_wakeup().notify_one();
}

/// Claims and runs one ready job; false when there was none. Tests drain the queue with it.
pub async fn run_one(state: &AppState) -> anyhow::Result<bool> {
    run_one_with(state, default_azr()).await
}

/// [`run_one`] with a given AZR adapter.
pub async fn run_one_with(state: &AppState, azr: &dyn AzrRegister) -> anyhow::Result<bool> {
    let worker = worker_id();
    let lease = chrono::Duration::seconds(LEASE_SECS);
    let Some(job) = jobs::claim_kinds(
        state.db.connection(),
        worker,
        Some(&[
            JOB_KIND,
            scheduled::DEADLINES_KIND,
            scheduled::RETENTION_KIND,
            scheduled::THROUGHPUT_KIND,
            reminders::KIND,
            scan_ocr::KIND,
        ]),
        state.clock.now(),
        lease,
    )
    .await?
    else {
        return Ok(false);
    };
    tracing::info!(job = %job.id, kind = %job.kind, attempt = job.attempts, "job claimed");
    let result = if job.kind == JOB_KIND {
        run_reconciliation(state, azr, &job, worker).await
    } else if job.kind == reminders::KIND {
        reminders::run(state, &job, worker).await
    } else if job.kind == scan_ocr::KIND {
        scan_ocr::run(state, &job, worker).await
    } else {
        scheduled::run(state, &job, worker).await
    };
    let now = state.clock.now();
    match result {
        Ok(()) => {
            jobs::complete(state.db.connection(), job.id, now).await?;
            tracing::info!(job = %job.id, "job done");
        }
        Err(JobError::LeaseLost) => {
            tracing::warn!(job = %job.id, "lease lost; another worker runs the job");
        }
        Err(err) => {
            let message = err.to_string();
            let final_failure = job.attempts >= job.max_attempts;
            jobs::fail(state.db.connection(), &job, &message, now).await?;
            if let (Some(tenant), Some(run_id)) = (job.tenant_id, run_id_of(&job)) {
                let tx = state.db.tenant(TenantId(tenant)).await?;
                recon::mark_failed(&tx, run_id, &message, final_failure, now).await?;
                tx.commit().await?;
                publish(
                    state,
                    tenant,
                    run_id,
                    if final_failure { "failed" } else { "queued" },
                    "",
                    0.0,
                )
                .await;
            }
            tracing::warn!(job = %job.id, final_failure, error = %message, "job failed");
        }
    }
    Ok(true)
}

fn run_id_of(job: &jobs::Job) -> Option<Uuid> {
    serde_json::from_str::<serde_json::Value>(&job.payload)
        .ok()?
        .get("run_id")?
        .as_str()?
        .parse()
        .ok()
}

/// The Redis channel of a run's progress events.
pub fn progress_channel(namespace: &str, tenant: Uuid, run: Uuid) -> String {
    format!("{namespace}:{tenant}:reconciliation:{run}")
}

/// Publishes a progress event when Redis is configured (ids and numbers only).
async fn publish(
    state: &AppState,
    tenant: Uuid,
    run: Uuid,
    run_state: &str,
    stage: &str,
    progress: f64,
) {
    let Some(redis) = &state.redis else { return };
    let mut conn = redis.clone();
    let channel = progress_channel(&state.settings.redis_namespace, tenant, run);
    let payload = serde_json::json!({
        "run_id": run,
        "state": run_state,
        "stage": stage,
        "progress": progress,
    })
    .to_string();
    let published: redis::RedisResult<i64> = redis::cmd("PUBLISH")
        .arg(channel)
        .arg(payload)
        .query_async(&mut conn)
        .await;
    if let Err(err) = published {
        tracing::debug!(error = %err, "progress event not published");
    }
}

/// Reports progress: renews the lease (or finds it lost), updates the run, publishes the event.
async fn report(
    state: &AppState,
    job: &jobs::Job,
    worker: &str,
    run_id: Uuid,
    stage: &str,
    progress: f64,
) -> Result<(), JobError> {
    let tenant = job.tenant_id.unwrap_or_default();
    let alive = jobs::heartbeat(
        state.db.connection(),
        job.id,
        worker,
        progress,
        state.clock.now(),
        chrono::Duration::seconds(LEASE_SECS),
    )
    .await?;
    if !alive {
        return Err(JobError::LeaseLost);
    }
    let tx = state.db.tenant(TenantId(tenant)).await?;
    recon::set_progress(&tx, run_id, stage, progress).await?;
    tx.commit().await?;
    publish(state, tenant, run_id, "running", stage, progress).await;
    Ok(())
}

/// What the blocking part computes.
struct Computed {
    results: Results,
    counts: RunCounts,
    summary_json: String,
}

async fn run_reconciliation(
    state: &AppState,
    azr: &dyn AzrRegister,
    job: &jobs::Job,
    worker: &str,
) -> Result<(), JobError> {
    let tenant = job
        .tenant_id
        .ok_or_else(|| JobError::Failed("reconciliation job without tenant".into()))?;
    let run_id = run_id_of(job).ok_or_else(|| JobError::Failed("payload without run_id".into()))?;
    let db = &state.db;

    // 1. The run and its extracts.
    let tx = db.tenant(TenantId(tenant)).await?;
    let run = recon::get_run(&tx, run_id).await?;
    if run.state == recon::state::DONE {
        // Finished before a crash stopped the job from completing: only publish and complete.
        tx.commit().await?;
        publish_aggregate(state, &run).await?;
        return Ok(());
    }
    recon::mark_running(&tx, run_id, state.clock.now()).await?;
    let local = recon::extract(&tx, run_id, "local")
        .await?
        .ok_or_else(|| JobError::Failed("local extract missing".into()))?;
    let azr_extract = recon::extract(&tx, run_id, "azr").await?;
    tx.commit().await?;
    report(state, job, worker, run_id, "start", 0.01).await?;

    // 2. The AZR side: uploaded, or fetched through the adapter (kept, so a retry does not fetch again).
    let azr_bytes = match azr_extract {
        Some(extract) => extract.content,
        None => {
            let authority_key = tenants::get(db.connection(), tenant).await?.abh_kennung;
            let bytes = azr
                .fetch_extract(&ExtractRequest {
                    tenant_id: tenant,
                    authority_key,
                    local_extract: &local.content,
                })
                .await?;
            let tx = db.tenant(TenantId(tenant)).await?;
            recon::put_extract(
                &tx,
                run_id,
                "azr",
                "azr.csv",
                bytes.clone(),
                state.clock.now(),
            )
            .await?;
            tx.commit().await?;
            bytes
        }
    };
    report(state, job, worker, run_id, "fetch", 0.05).await?;

    // 3. The previous run, for an incremental comparison.
    let previous = match run.previous_run_id {
        Some(prev) => {
            let tx = db.tenant(TenantId(tenant)).await?;
            let diffs = recon::all_differences(&tx, prev).await?;
            let decisions = recon::latest_decisions(&tx, prev).await?;
            tx.commit().await?;
            Some((diffs, decisions))
        }
        None => None,
    };

    // 4. The engine, on a blocking thread; progress comes back through a channel.
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<(&'static str, f64)>();
    let local_bytes = local.content;
    let mut computation = tokio::task::spawn_blocking(move || {
        compute(tenant, run_id, &local_bytes, &azr_bytes, previous, &sender)
    });
    let mut ticker = tokio::time::interval(Duration::from_secs((LEASE_SECS / 4).max(1) as u64));
    ticker.tick().await;
    let mut last = ("fetch", 0.05);
    let computed = loop {
        tokio::select! {
            joined = &mut computation => {
                break joined.map_err(|_| JobError::Failed("the reconciliation stopped unexpectedly".into()))??;
            }
            Some((stage, fraction)) = receiver.recv() => {
                last = (stage, 0.05 + 0.85 * fraction);
                report(state, job, worker, run_id, last.0, last.1).await?;
            }
            _ = ticker.tick() => {
                report(state, job, worker, run_id, last.0, last.1).await?;
            }
        }
    };
    report(state, job, worker, run_id, "store", 0.92).await?;

    // 5. Results replace whatever an earlier attempt stored, in one transaction with the run's state.
    let now = state.clock.now();
    let tx = db.tenant(TenantId(tenant)).await?;
    let stored = recon::get_run(&tx, run_id).await?;
    if stored.state == recon::state::DONE {
        tx.commit().await?;
        return Err(JobError::LeaseLost);
    }
    recon::replace_results(&tx, run_id, computed.results).await?;
    recon::finish_run(&tx, run_id, &computed.counts, computed.summary_json, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new("system:reconciliation", "reconciliation.completed")
            .object("reconciliation_run", run_id)
            .source("job")
            .details(serde_json::json!({
                "links": computed.counts.links,
                "differences": computed.counts.differences,
                "incongruence_rate": computed.counts.incongruence_rate,
            })),
    )
    .await?;
    // The lease is checked once more in the same transaction (job_queue is a platform table, so the
    // tenant transaction may update it): a worker that lost the job must not commit results next to
    // the new owner's, and on SQLite a second connection could not write while this one does.
    let alive = jobs::heartbeat(
        tx.conn(),
        job.id,
        worker,
        1.0,
        now,
        chrono::Duration::seconds(LEASE_SECS),
    )
    .await?;
    if !alive {
        return Err(JobError::LeaseLost);
    }
    tx.commit().await?;
    let tx = db.tenant(TenantId(tenant)).await?;
    let run = recon::get_run(&tx, run_id).await?;
    tx.commit().await?;
    publish_aggregate(state, &run).await?;
    publish(state, tenant, run_id, "done", "done", 1.0).await;
    Ok(())
}

/// Writes the ministry's aggregate of a finished run: counts and the rate, nothing else.
async fn publish_aggregate(state: &AppState, run: &Run) -> Result<(), JobError> {
    recon::put_aggregate(
        state.db.connection(),
        Aggregate {
            run_id: run.id,
            tenant_id: run.tenant_id,
            finished_at: run.finished_at.unwrap_or_else(|| state.clock.now()),
            records_local: run.records_local,
            records_azr: run.records_azr,
            links: run.links,
            differences: run.differences,
            count_identical: run.count_identical,
            count_different: run.count_different,
            count_only_local: run.count_only_local,
            count_only_azr: run.count_only_azr,
            count_duplicate: run.count_duplicate,
            count_ambiguous: run.count_ambiguous,
            incongruence_rate: run.incongruence_rate.unwrap_or_default(),
        },
    )
    .await?;
    Ok(())
}

type Previous = (Vec<Difference>, Vec<(Decision, Difference, Pair)>);

/// Reads both extracts, runs the engine and turns its outcome into rows. CPU only.
fn compute(
    tenant: Uuid,
    run_id: Uuid,
    local_csv: &[u8],
    azr_csv: &[u8],
    previous: Option<Previous>,
    progress: &tokio::sync::mpsc::UnboundedSender<(&'static str, f64)>,
) -> Result<Computed, JobError> {
    let (local, rejected_local) = read_extract(local_csv, "local.csv").map_err(read_error)?;
    let (azr, rejected_azr) = read_extract(azr_csv, "azr.csv").map_err(read_error)?;
    let mut records: Vec<RecordRow> = Vec::with_capacity(local.len() + azr.len());
    for (side, list) in [(Side::Local, &local), (Side::Azr, &azr)] {
        for record in list.iter() {
            records.push(RecordRow {
                tenant_id: tenant,
                run_id,
                side: side.name().into(),
                record_id: record.id().to_owned(),
                class: String::new(),
                explanation: String::new(),
                data: serde_json::to_string(&record.values()).unwrap_or_else(|_| "[]".into()),
            });
        }
    }
    let last = AtomicU64::new(0f64.to_bits());
    let callback = |p: Progress| {
        let previous = f64::from_bits(last.load(Ordering::Relaxed));
        if p.fraction - previous >= PROGRESS_STEP || p.fraction >= 1.0 {
            last.store(p.fraction.to_bits(), Ordering::Relaxed);
            let _ = progress.send((p.stage, p.fraction));
        }
    };
    let mut outcome: Outcome =
        amtsweg_reconcile::reconcile(local, azr, &Config::default(), &callback);
    outcome.rejected.extend(rejected_local);
    outcome.rejected.extend(rejected_azr);

    // Classes of every record.
    let mut classes: std::collections::HashMap<(Side, &str), (Class, &str)> =
        std::collections::HashMap::with_capacity(outcome.classes.len());
    for entry in &outcome.classes {
        classes.insert(
            (entry.side, entry.record_id.as_str()),
            (entry.class, entry.explanation.as_str()),
        );
    }
    for row in &mut records {
        let side = Side::from_name(&row.side).unwrap_or(Side::Local);
        if let Some((class, explanation)) = classes.get(&(side, row.record_id.as_str())) {
            row.class = class.name().into();
            row.explanation = (*explanation).to_owned();
        }
    }
    records.retain(|row| !row.class.is_empty());

    // Incremental statuses against the previous run.
    let (statuses, carried) = match &previous {
        Some((prev_diffs, prev_decisions)) => {
            let prev_outcome = Outcome {
                differences: prev_diffs.iter().filter_map(engine_difference).collect(),
                ..Outcome::default()
            };
            let decisions: Vec<EngineDecision> = prev_decisions
                .iter()
                .filter(|(d, _, _)| d.kind != "research")
                .filter_map(|(d, diff, _)| {
                    let key = engine_difference(diff)?.key();
                    Some(EngineDecision {
                        key,
                        local_value: diff.local_value.clone(),
                        azr_value: diff.azr_value.clone(),
                        decided_side: d
                            .decided_side
                            .as_deref()
                            .and_then(Side::from_name)
                            .unwrap_or(Side::Local),
                        note: d.note.clone(),
                    })
                })
                .collect();
            let changes = compare_runs(&prev_outcome, &decisions, &outcome);
            let carried: std::collections::HashMap<DiffKey, Decision> = prev_decisions
                .iter()
                .filter(|(d, _, _)| d.kind != "research")
                .filter_map(|(d, diff, _)| Some((engine_difference(diff)?.key(), d.clone())))
                .collect();
            (Some(changes.statuses), carried)
        }
        None => (None, std::collections::HashMap::new()),
    };

    // Pairs.
    let mut pairs: Vec<Pair> = Vec::with_capacity(outcome.links.len());
    let mut pair_ids: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::with_capacity(outcome.links.len());
    for link in &outcome.links {
        let class = classes
            .get(&(Side::Local, link.local_record_id.as_str()))
            .map(|(c, _)| c.name())
            .unwrap_or("different");
        pair_ids.insert(
            (link.local_record_id.as_str(), link.azr_record_id.as_str()),
            pairs.len(),
        );
        pairs.push(Pair {
            tenant_id: tenant,
            id: Uuid::now_v7(),
            run_id,
            local_record_id: link.local_record_id.clone(),
            azr_record_id: link.azr_record_id.clone(),
            class: class.into(),
            weight: finite(link.weight),
            probability: finite(link.probability),
            explanation: link.explanation.clone(),
            difference_count: 0,
        });
    }

    // Differences, and decisions carried over for those decided on the same values.
    let mut differences: Vec<Difference> = Vec::with_capacity(outcome.differences.len());
    let mut decisions: Vec<Decision> = Vec::new();
    for (seq, diff) in outcome.differences.iter().enumerate() {
        let Some(&index) =
            pair_ids.get(&(diff.local_record_id.as_str(), diff.azr_record_id.as_str()))
        else {
            continue;
        };
        let status = statuses
            .as_ref()
            .and_then(|s| s.get(seq).copied())
            .unwrap_or(Status::New);
        let id = Uuid::now_v7();
        let mut decision_state = recon::decision_state::OPEN.to_owned();
        if status == Status::Decided
            && let Some(previous) = carried.get(&diff.key())
        {
            decision_state = match previous.kind.as_str() {
                "accept" => recon::decision_state::ACCEPTED,
                "other_side" => recon::decision_state::OTHER_SIDE,
                _ => recon::decision_state::ENTERED,
            }
            .into();
            decisions.push(Decision {
                tenant_id: tenant,
                id: Uuid::now_v7(),
                run_id,
                difference_id: id,
                ..previous.clone()
            });
        }
        let pair = &mut pairs[index];
        pair.difference_count += 1;
        differences.push(Difference {
            tenant_id: tenant,
            id,
            run_id,
            pair_id: pair.id,
            seq: i32::try_from(seq).unwrap_or(i32::MAX),
            class: pair.class.clone(),
            local_record_id: diff.local_record_id.clone(),
            azr_record_id: diff.azr_record_id.clone(),
            field: diff.field.name().into(),
            kind: diff.kind.name().into(),
            local_value: diff.local_value.clone(),
            azr_value: diff.azr_value.clone(),
            proposed_side: diff.proposed_side.name().into(),
            reason: diff.reason.clone(),
            change_status: status.name().into(),
            decision_state,
        });
    }

    let summary = &outcome.summary;
    let class_total = |class: Class| {
        summary
            .classes
            .get(class.name())
            .map(|c| c.total as i64)
            .unwrap_or_default()
    };
    let counts = RunCounts {
        records_local: summary.records_local as i64,
        records_azr: summary.records_azr as i64,
        rows_rejected: outcome.rejected.len() as i64,
        links: outcome.links.len() as i64,
        differences: differences.len() as i64,
        identical: class_total(Class::Identical),
        different: class_total(Class::Different),
        only_local: class_total(Class::OnlyLocal),
        only_azr: class_total(Class::OnlyAzr),
        duplicate: class_total(Class::Duplicate),
        ambiguous: class_total(Class::Ambiguous),
        incongruence_rate: finite(summary.incongruence_rate),
    };
    // The summary holds counts, rates, weights and timings, and the rejected rows' lines and
    // reasons (the reasons name formats, never values).
    let summary_json = serde_json::json!({
        "summary": summary,
        "rejected": outcome.rejected,
    })
    .to_string();
    Ok(Computed {
        results: Results {
            records,
            pairs,
            differences,
            decisions,
        },
        counts,
        summary_json,
    })
}

/// A reading error without values from the file.
fn read_error(err: amtsweg_reconcile::Error) -> JobError {
    JobError::Failed(match err {
        amtsweg_reconcile::Error::MissingColumn { .. }
        | amtsweg_reconcile::Error::NoHeader { .. } => err.to_string(),
        _ => "an extract is not a readable CSV file".into(),
    })
}

fn finite(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

fn engine_difference(row: &Difference) -> Option<EngineDifference> {
    Some(EngineDifference {
        local_record_id: row.local_record_id.clone(),
        azr_record_id: row.azr_record_id.clone(),
        field: Field::from_name(&row.field)?,
        kind: Kind::from_name(&row.kind)?,
        local_value: row.local_value.clone(),
        azr_value: row.azr_value.clone(),
        proposed_side: Side::from_name(&row.proposed_side)?,
        reason: row.reason.clone(),
    })
}
