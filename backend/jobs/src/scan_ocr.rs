//! Text recognition of scanned mail (issue 4): one durable job per scan whose pages lack a text
//! layer, enqueued with the scan record. The job reads the stored bytes (hash checked), lets the
//! configured [`TextRecognizer`](amtsweg_adapters::ocr::TextRecognizer) read every page without a
//! text layer, and stores the text on the scan record and on the e-file document the scan became,
//! so the full-text search finds the document by a word on the page.
//!
//! Invariants: idempotent (a scan no longer `ocr_queued` is only completed, so a job resumed after
//! a crash or a lost lease never runs twice to a different end); the payload holds the scan id
//! only; logs and job errors carry no page text; after the last attempt the scan says `ocr_failed`.

use amtsweg_adapters::object_store::{ObjectStore, sha256_hex, uuid_like};
use amtsweg_adapters::scan::ScannedPdf;
use amtsweg_domain::TenantId;
use amtsweg_http::AppState;
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::jobs;
use amtsweg_store::scans::{self, text_state};
use uuid::Uuid;

use crate::{JobError, LEASE_SECS};

pub use amtsweg_store::scans::OCR_JOB_KIND as KIND;

fn scan_id(job: &jobs::Job) -> Option<Uuid> {
    serde_json::from_str::<serde_json::Value>(&job.payload)
        .ok()?
        .get("scan_id")?
        .as_str()?
        .parse()
        .ok()
}

pub(crate) async fn run(state: &AppState, job: &jobs::Job, worker: &str) -> Result<(), JobError> {
    let (Some(tenant), Some(id)) = (job.tenant_id, scan_id(job)) else {
        return Err(JobError::Failed(
            "scan_ocr job without tenant or scan".into(),
        ));
    };
    let tenant = TenantId(tenant);
    match recognize(state, job, worker, tenant, id).await {
        Ok(()) => Ok(()),
        Err(JobError::LeaseLost) => Err(JobError::LeaseLost),
        Err(err) => {
            if job.attempts >= job.max_attempts {
                let tx = state.db.tenant(tenant).await?;
                scans::set_text(&tx, id, text_state::OCR_FAILED, "", state.clock.now()).await?;
                audit::append(
                    &tx,
                    state.clock.now(),
                    NewEntry::new("system:ocr", "scan.text.failed").object("scan", id),
                )
                .await?;
                tx.commit().await?;
            }
            Err(err)
        }
    }
}

async fn recognize(
    state: &AppState,
    job: &jobs::Job,
    worker: &str,
    tenant: TenantId,
    id: Uuid,
) -> Result<(), JobError> {
    let tx = state.db.tenant(tenant).await?;
    let scan = scans::get_scan(&tx, id).await?;
    tx.commit().await?;
    if scan.text_state != text_state::OCR_QUEUED {
        return Ok(());
    }
    if !state.ocr.available() {
        return Err(JobError::Failed("no OCR engine is configured".into()));
    }
    let bytes = state
        .objects
        .get(uuid_like::Tenant(tenant.0.as_u128()), &scan.object_key)
        .await
        .map_err(|e| JobError::Failed(format!("object store: {e}")))?;
    if sha256_hex(&bytes) != scan.sha256 {
        return Err(JobError::Failed("scan hash mismatch".into()));
    }
    let mut texts = Vec::new();
    if scan.content_type == "application/pdf" {
        // Parsing is CPU work: off the async workers.
        let pdf = tokio::task::spawn_blocking(move || ScannedPdf::read(&bytes))
            .await
            .map_err(|_| JobError::Failed("PDF reader aborted".into()))?
            .map_err(|e| JobError::Failed(e.to_string()))?;
        let total = pdf.pages.len().max(1);
        for (done, page) in pdf.pages.iter().enumerate() {
            if page.has_text_layer() {
                texts.push(page.text.trim().to_owned());
            } else {
                for image in pdf.page_images(page.number) {
                    texts.push(read(state, &image).await?);
                }
            }
            beat(state, job, worker, (done + 1) as f64 / total as f64).await?;
        }
    } else {
        texts.push(read(state, &bytes).await?);
    }
    let text = texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let now = state.clock.now();
    let tx = state.db.tenant(tenant).await?;
    scans::set_text(&tx, id, text_state::OCR_DONE, &text, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new("system:ocr", "scan.text.recognized")
            .object("scan", id)
            .details(
                serde_json::json!({ "engine": state.ocr.name(), "chars": text.chars().count() }),
            ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn read(state: &AppState, image: &[u8]) -> Result<String, JobError> {
    state
        .ocr
        .recognize(image)
        .await
        .map_err(|e| JobError::Failed(e.to_string()))
}

async fn beat(
    state: &AppState,
    job: &jobs::Job,
    worker: &str,
    progress: f64,
) -> Result<(), JobError> {
    let alive = jobs::heartbeat(
        state.db.connection(),
        job.id,
        worker,
        progress,
        state.clock.now(),
        chrono::Duration::seconds(LEASE_SECS),
    )
    .await?;
    if alive {
        Ok(())
    } else {
        Err(JobError::LeaseLost)
    }
}
