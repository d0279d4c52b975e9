//! Scan records (issue 4, scan intake): one row per scanned document with who scanned it, when, on
//! which device, its pages and hash, the batch it came from and the quality check. The record never
//! changes after creation (the database refuses it, see migration 0011) except its assignment, set
//! once, and the text extracted later by the OCR job.

use chrono::{DateTime, Utc};
use sea_orm::QueryResult;
use serde::Serialize;
use uuid::Uuid;

use crate::cases::{all, exec, get, one, tid};
use crate::{StoreError, TenantTx};

/// How the searchable text of a scan came about.
pub mod text_state {
    /// The PDF's own text layer.
    pub const TEXT_LAYER: &str = "text_layer";
    /// Waiting for the OCR job.
    pub const OCR_QUEUED: &str = "ocr_queued";
    pub const OCR_DONE: &str = "ocr_done";
    pub const OCR_FAILED: &str = "ocr_failed";
    /// No OCR engine is configured: the scan has no text.
    pub const NO_OCR: &str = "no_ocr";
}

/// The job kind of text recognition; the payload is `{"scan_id": "…"}`.
pub const OCR_JOB_KIND: &str = "scan_ocr";

#[derive(Debug, Clone, Serialize)]
pub struct ScanRecord {
    pub id: Uuid,
    pub batch_id: Uuid,
    pub batch_sha256: String,
    pub batch_pages: i32,
    pub first_page: i32,
    pub last_page: i32,
    pub page_count: i32,
    pub device: String,
    pub scanned_by: Uuid,
    pub scanned_at: DateTime<Utc>,
    pub object_key: String,
    pub sha256: String,
    pub content_type: String,
    pub file_name: String,
    pub size_bytes: i64,
    pub quality_passed: bool,
    /// JSON list of the quality check's findings.
    pub quality: String,
    pub text_state: String,
    pub extracted_text: String,
    pub assigned_at: Option<DateTime<Utc>>,
    pub assigned_by: Option<Uuid>,
    pub assigned_application_id: Option<Uuid>,
    pub assigned_person_id: Option<Uuid>,
    pub assigned_document_id: Option<Uuid>,
}

const COLUMNS: &str = "id, batch_id, batch_sha256, batch_pages, first_page, last_page, page_count, device, \
    scanned_by, scanned_at, object_key, sha256, content_type, file_name, size_bytes, quality_passed, quality, \
    text_state, extracted_text, assigned_at, assigned_by, assigned_application_id, assigned_person_id, \
    assigned_document_id";

fn record_from(r: &QueryResult) -> Result<ScanRecord, StoreError> {
    Ok(ScanRecord {
        id: get(r, "id")?,
        batch_id: get(r, "batch_id")?,
        batch_sha256: get(r, "batch_sha256")?,
        batch_pages: get(r, "batch_pages")?,
        first_page: get(r, "first_page")?,
        last_page: get(r, "last_page")?,
        page_count: get(r, "page_count")?,
        device: get(r, "device")?,
        scanned_by: get(r, "scanned_by")?,
        scanned_at: get(r, "scanned_at")?,
        object_key: get(r, "object_key")?,
        sha256: get(r, "sha256")?,
        content_type: get(r, "content_type")?,
        file_name: get(r, "file_name")?,
        size_bytes: get(r, "size_bytes")?,
        quality_passed: get(r, "quality_passed")?,
        quality: get(r, "quality")?,
        text_state: get(r, "text_state")?,
        extracted_text: get(r, "extracted_text")?,
        assigned_at: get(r, "assigned_at")?,
        assigned_by: get(r, "assigned_by")?,
        assigned_application_id: get(r, "assigned_application_id")?,
        assigned_person_id: get(r, "assigned_person_id")?,
        assigned_document_id: get(r, "assigned_document_id")?,
    })
}

#[derive(Debug, Clone)]
pub struct NewScan {
    pub id: Uuid,
    pub batch_id: Uuid,
    pub batch_sha256: String,
    pub batch_pages: i32,
    pub first_page: i32,
    pub last_page: i32,
    pub page_count: i32,
    pub device: String,
    pub scanned_by: Uuid,
    pub object_key: String,
    pub sha256: String,
    pub content_type: String,
    pub file_name: String,
    pub size_bytes: i64,
    pub quality_passed: bool,
    pub quality: String,
    pub text_state: String,
    pub extracted_text: String,
}

pub async fn add(tx: &TenantTx, s: NewScan, now: DateTime<Utc>) -> Result<ScanRecord, StoreError> {
    exec(
        tx,
        "INSERT INTO scan_records (tenant_id, id, batch_id, batch_sha256, batch_pages, first_page, last_page, \
         page_count, device, scanned_by, scanned_at, object_key, sha256, content_type, file_name, size_bytes, \
         quality_passed, quality, text_state, extracted_text) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
        vec![
            tid(tx),
            s.id.into(),
            s.batch_id.into(),
            s.batch_sha256.into(),
            s.batch_pages.into(),
            s.first_page.into(),
            s.last_page.into(),
            s.page_count.into(),
            s.device.into(),
            s.scanned_by.into(),
            now.into(),
            s.object_key.into(),
            s.sha256.into(),
            s.content_type.into(),
            s.file_name.into(),
            s.size_bytes.into(),
            s.quality_passed.into(),
            s.quality.into(),
            s.text_state.into(),
            s.extracted_text.into(),
        ],
    )
    .await?;
    get_scan(tx, s.id).await
}

pub async fn get_scan(tx: &TenantTx, id: Uuid) -> Result<ScanRecord, StoreError> {
    let row = one(
        tx,
        &format!("SELECT {COLUMNS} FROM scan_records WHERE tenant_id = $1 AND id = $2"),
        vec![tid(tx), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    record_from(&row)
}

/// The inbox (unassigned scans) or the assigned ones, newest first.
pub async fn list(
    tx: &TenantTx,
    assigned: bool,
    limit: u64,
) -> Result<Vec<ScanRecord>, StoreError> {
    let filter = if assigned {
        "assigned_at IS NOT NULL"
    } else {
        "assigned_at IS NULL"
    };
    let rows = all(
        tx,
        &format!(
            "SELECT {COLUMNS} FROM scan_records WHERE tenant_id = $1 AND {filter} \
             ORDER BY scanned_at DESC, first_page LIMIT $2"
        ),
        vec![tid(tx), i64::try_from(limit.min(500)).unwrap_or(100).into()],
    )
    .await?;
    rows.iter().map(record_from).collect()
}

/// Counts for the inbox: unassigned, unassigned with a failed quality check, waiting for OCR.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub unassigned: i64,
    pub quality_failed: i64,
    pub ocr_queued: i64,
}

pub async fn counts(tx: &TenantTx) -> Result<Counts, StoreError> {
    let row = one(
        tx,
        "SELECT \
           COALESCE(SUM(CASE WHEN assigned_at IS NULL THEN 1 ELSE 0 END), 0) AS unassigned, \
           COALESCE(SUM(CASE WHEN assigned_at IS NULL AND NOT quality_passed THEN 1 ELSE 0 END), 0) AS quality_failed, \
           COALESCE(SUM(CASE WHEN text_state = $2 THEN 1 ELSE 0 END), 0) AS ocr_queued \
         FROM scan_records WHERE tenant_id = $1",
        vec![tid(tx), text_state::OCR_QUEUED.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(Counts {
        unassigned: get(&row, "unassigned")?,
        quality_failed: get(&row, "quality_failed")?,
        ocr_queued: get(&row, "ocr_queued")?,
    })
}

/// Where a scan went.
#[derive(Debug, Clone, Copy)]
pub enum Assignment {
    Application(Uuid),
    /// A person of the e-file and the document it became.
    Person {
        person: Uuid,
        document: Uuid,
    },
}

/// Assigns an unassigned scan; `Conflict` when it is assigned already (a scan is assigned once).
pub async fn assign(
    tx: &TenantTx,
    id: Uuid,
    to: Assignment,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (application, person, document): (Option<Uuid>, Option<Uuid>, Option<Uuid>) = match to {
        Assignment::Application(a) => (Some(a), None, None),
        Assignment::Person { person, document } => (None, Some(person), Some(document)),
    };
    let changed = exec(
        tx,
        "UPDATE scan_records SET assigned_at = $3, assigned_by = $4, assigned_application_id = $5, \
         assigned_person_id = $6, assigned_document_id = $7 \
         WHERE tenant_id = $1 AND id = $2 AND assigned_at IS NULL",
        vec![
            tid(tx),
            id.into(),
            now.into(),
            by.into(),
            application.into(),
            person.into(),
            document.into(),
        ],
    )
    .await?;
    if changed == 0 {
        return Err(StoreError::Conflict("scan_already_assigned"));
    }
    Ok(())
}

/// Stores the text recognised by the OCR job (and carries it into the e-file document the scan
/// became, so the full-text search finds it there too).
pub async fn set_text(
    tx: &TenantTx,
    id: Uuid,
    state: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE scan_records SET text_state = $3, extracted_text = $4 WHERE tenant_id = $1 AND id = $2",
        vec![tid(tx), id.into(), state.into(), text.into()],
    )
    .await?;
    exec(
        tx,
        "UPDATE documents SET body_text = $3, updated_at = $4 WHERE tenant_id = $1 AND id = \
         (SELECT assigned_document_id FROM scan_records WHERE tenant_id = $1 AND id = $2)",
        vec![tid(tx), id.into(), text.into(), now.into()],
    )
    .await?;
    Ok(())
}

/// The application with this reference (what a clerk reads off a letter).
pub async fn application_by_reference(
    tx: &TenantTx,
    reference: &str,
) -> Result<Option<Uuid>, StoreError> {
    one(
        tx,
        "SELECT id FROM applications WHERE tenant_id = $1 AND reference = $2",
        vec![tid(tx), reference.into()],
    )
    .await?
    .map(|r| get(&r, "id"))
    .transpose()
}

/// The person with this file number.
pub async fn person_by_file_number(
    tx: &TenantTx,
    file_number: &str,
) -> Result<Option<Uuid>, StoreError> {
    one(
        tx,
        "SELECT id FROM persons WHERE tenant_id = $1 AND file_number = $2",
        vec![tid(tx), file_number.into()],
    )
    .await?
    .map(|r| get(&r, "id"))
    .transpose()
}
