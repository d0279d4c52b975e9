//! Scan intake (issue 4): staff upload scanned paper mail (one document, or a batch PDF split at
//! separator sheets), each document gets its SHA-256, its bytes in the object store and a scan
//! record kept as evidence (TR-RESISCAN: who, when, device, pages, batch hash and page range, the
//! quality check and its result); staff assign it to an online application or to a person's e-file
//! (`documents.source = 'scan'`). The text layer is taken at upload; pages without one are read by
//! the OCR job (`scan_ocr`, backend/jobs) when an OCR engine is configured.
//!
//! Every change and every read of a scan (record, list, bytes) is audited; the checks are the same
//! for page and API, and nothing is stored before every check passed.

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use amtsweg_adapters::object_store::{ObjectStore, sha256_hex, uuid_like};
use amtsweg_adapters::scan::{self, Quality, ScannedPdf};
use amtsweg_cases::fileplan;
use amtsweg_domain::{Permission, TenantId};
use amtsweg_frontend::model::{Area, FieldErrors};
use amtsweg_frontend::pages_scans::{self as pages, ScanDetailView, ScanRowView, ScansView};
use amtsweg_store::TenantTx;
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::cases as efile;
use amtsweg_store::intake as repo;
use amtsweg_store::jobs;
use amtsweg_store::scans::{self as store, Assignment, NewScan, OCR_JOB_KIND, text_state};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{fmt_time, sanitize_file_name, size_text, sniff, staff};
use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address, verify_csrf};
use crate::pages::{html, redirect_with_flash, staff_context};

/// One scanned document (a single upload): the evidence limit.
pub const MAX_SCAN_BYTES: usize = super::MAX_UPLOAD_BYTES;
/// A batch PDF holds many documents.
pub const MAX_BATCH_BYTES: usize = 50 * 1024 * 1024;
const DEVICE_MAX_CHARS: usize = 100;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `separator-sheet` before `{id}`.
    cfg.service(scans_page)
        .service(upload_submit)
        .service(separator_sheet)
        .service(scan_page)
        .service(scan_content)
        .service(assign_submit)
        .service(api_upload)
        .service(api_list)
        .service(api_scan)
        .service(api_content)
        .service(api_assign);
}

// ---------------------------------------------------------------------------------------------
// Upload: read, check, split, store

/// The fields of the upload form, read with limits.
struct ScanUpload {
    csrf: String,
    device: String,
    mode: String,
    file_name: String,
    bytes: Vec<u8>,
    too_large: bool,
}

async fn read_scan_upload(mut payload: Multipart) -> Result<ScanUpload, AppError> {
    let mut upload = ScanUpload {
        csrf: String::new(),
        device: String::new(),
        mode: String::new(),
        file_name: String::new(),
        bytes: Vec::new(),
        too_large: false,
    };
    let mut fields = 0;
    while let Some(item) = payload.next().await {
        let mut field = item.map_err(|_| AppError::field("file", "scan-error-file-empty"))?;
        fields += 1;
        if fields > 10 {
            return Err(AppError::field("file", "scan-error-file-empty"));
        }
        let name = field.name().unwrap_or("").to_owned();
        let filename = field
            .content_disposition()
            .and_then(|cd| cd.get_filename().map(str::to_owned));
        let limit = if name == "file" {
            MAX_BATCH_BYTES
        } else {
            1024
        };
        let mut buf = Vec::new();
        let mut over = false;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| AppError::field("file", "scan-error-file-empty"))?;
            if buf.len() + chunk.len() > limit {
                over = true;
                // Keep draining without storing, so the client gets an answer.
                continue;
            }
            buf.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&buf).into_owned();
        match name.as_str() {
            "csrf" => upload.csrf = text(),
            "device" if over => upload.device = "x".repeat(DEVICE_MAX_CHARS + 1),
            "device" => upload.device = text(),
            "mode" => upload.mode = text(),
            "file" => {
                upload.file_name = filename.unwrap_or_default();
                upload.too_large = over;
                upload.bytes = buf;
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// A file name that tries to name a path (`../x.pdf`, `C:\x.pdf`, control characters) is refused
/// rather than quietly cleaned: a scanner never sends one.
fn path_trick(name: &str) -> bool {
    name.contains(['/', '\\'])
        || name.contains("..")
        || name.chars().any(char::is_control)
        || name.contains(':')
}

/// One document cut from an upload, checked, not yet stored.
struct Piece {
    first_page: u32,
    last_page: u32,
    bytes: Vec<u8>,
    content_type: &'static str,
    quality: Quality,
    /// The text layer of its pages.
    text: String,
    /// Some page has no text layer (OCR would read it).
    needs_ocr: bool,
}

struct CheckedUpload {
    batch_sha256: String,
    batch_pages: u32,
    file_name: String,
    pieces: Vec<Piece>,
}

/// Every check of an upload; the error is a field error (`device`, `mode`, `file`).
fn check_upload(upload: ScanUpload) -> Result<CheckedUpload, AppError> {
    let mut errors = FieldErrors::new();
    let device = upload.device.trim();
    if device.is_empty() {
        errors.insert("device".into(), "scan-error-device-required".into());
    } else if device.chars().count() > DEVICE_MAX_CHARS || device.chars().any(char::is_control) {
        errors.insert("device".into(), "scan-error-device-invalid".into());
    }
    let batch = match upload.mode.as_str() {
        "single" => false,
        "batch" => true,
        _ => {
            errors.insert("mode".into(), "scan-error-mode".into());
            false
        }
    };
    let limit = if batch {
        MAX_BATCH_BYTES
    } else {
        MAX_SCAN_BYTES
    };
    let file_error = if upload.too_large || upload.bytes.len() > limit {
        Some(if batch {
            "scan-error-batch-size"
        } else {
            "scan-error-file-size"
        })
    } else if upload.bytes.is_empty() {
        Some("scan-error-file-empty")
    } else if path_trick(&upload.file_name) {
        Some("scan-error-file-name")
    } else {
        match sniff(&upload.bytes) {
            None => Some("scan-error-file-type"),
            Some(ct) if batch && ct != "application/pdf" => Some("scan-error-batch-pdf"),
            Some(_) => None,
        }
    };
    if let Some(key) = file_error {
        errors.insert("file".into(), key.into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let content_type = sniff(&upload.bytes).unwrap_or("application/pdf");
    let batch_sha256 = sha256_hex(&upload.bytes);
    let file_name = sanitize_file_name(&upload.file_name, content_type);
    if content_type != "application/pdf" {
        if scan::image_header(&upload.bytes).is_none() {
            return Err(AppError::field("file", "scan-error-unreadable"));
        }
        let quality = scan::check_image(&upload.bytes);
        return Ok(CheckedUpload {
            batch_sha256,
            batch_pages: 1,
            file_name,
            pieces: vec![Piece {
                first_page: 1,
                last_page: 1,
                bytes: upload.bytes,
                content_type,
                quality,
                text: String::new(),
                needs_ocr: true,
            }],
        });
    }
    let pdf = ScannedPdf::read(&upload.bytes)
        .map_err(|_| AppError::field("file", "scan-error-unreadable"))?;
    let page_count = pdf.page_count();
    let ranges = if batch {
        let separators: Vec<u32> = pdf
            .pages
            .iter()
            .filter(|p| scan::is_separator_text(&p.text) || p.corner_marks)
            .map(|p| p.number)
            .collect();
        scan::split_ranges(page_count, &separators)
    } else {
        vec![(1, page_count)]
    };
    if ranges.is_empty() {
        return Err(AppError::field("file", "scan-error-batch-empty"));
    }
    let mut pieces = Vec::new();
    for (first, last) in ranges {
        let pages = &pdf.pages[(first - 1) as usize..last as usize];
        let bytes = if (first, last) == (1, page_count) {
            upload.bytes.clone()
        } else {
            pdf.extract(first, last)
                .map_err(|_| AppError::field("file", "scan-error-unreadable"))?
        };
        pieces.push(Piece {
            first_page: first,
            last_page: last,
            bytes,
            content_type,
            quality: scan::check_pages(pages),
            text: pages
                .iter()
                .map(|p| p.text.trim())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
            // A blank page has nothing to read.
            needs_ocr: pages.iter().any(|p| !p.has_text_layer() && !p.blank),
        });
    }
    Ok(CheckedUpload {
        batch_sha256,
        batch_pages: page_count,
        file_name,
        pieces,
    })
}

/// Checks, splits and stores an upload: one scan record per document, audited, OCR queued where
/// needed. Returns the new records in page order.
async fn store_upload(
    state: &AppState,
    identity: &Identity,
    tenant: TenantId,
    upload: ScanUpload,
    address: &str,
) -> Result<Vec<store::ScanRecord>, AppError> {
    let device = upload.device.trim().to_owned();
    // PDF parsing and splitting is CPU work: off the request threads.
    let checked = web::block(move || check_upload(upload))
        .await
        .map_err(|_| AppError::internal("scan check aborted"))??;
    let ocr_available = state.ocr.available();
    let tx = state.db.tenant(tenant).await?;
    let now = state.clock.now();
    let batch_id = Uuid::now_v7();
    let count = checked.pieces.len();
    let mut records = Vec::new();
    let mut queued = false;
    for piece in checked.pieces {
        let id = Uuid::now_v7();
        let object_key = format!("scans/{id}");
        let sha256 = state
            .objects
            .put(
                uuid_like::Tenant(tenant.0.as_u128()),
                &object_key,
                &piece.bytes,
            )
            .await
            .map_err(|e| AppError::internal(e.to_string()))?;
        let text = if !piece.needs_ocr {
            text_state::TEXT_LAYER
        } else if ocr_available {
            text_state::OCR_QUEUED
        } else {
            text_state::NO_OCR
        };
        let file_name = if count == 1 {
            checked.file_name.clone()
        } else {
            let (stem, ext) = checked
                .file_name
                .rsplit_once('.')
                .unwrap_or((checked.file_name.as_str(), "pdf"));
            format!("{stem}-{}-{}.{ext}", piece.first_page, piece.last_page)
        };
        let record = store::add(
            &tx,
            NewScan {
                id,
                batch_id,
                batch_sha256: checked.batch_sha256.clone(),
                batch_pages: i32::try_from(checked.batch_pages).unwrap_or(i32::MAX),
                first_page: i32::try_from(piece.first_page).unwrap_or(i32::MAX),
                last_page: i32::try_from(piece.last_page).unwrap_or(i32::MAX),
                page_count: i32::try_from(piece.last_page - piece.first_page + 1)
                    .unwrap_or(i32::MAX),
                device: device.clone(),
                scanned_by: identity.user_id.0,
                object_key,
                sha256: sha256.clone(),
                content_type: piece.content_type.to_owned(),
                file_name,
                size_bytes: i64::try_from(piece.bytes.len()).unwrap_or(i64::MAX),
                quality_passed: piece.quality.passed,
                quality: serde_json::to_string(&piece.quality.findings)
                    .map_err(|e| AppError::internal(e.to_string()))?,
                text_state: text.to_owned(),
                extracted_text: piece.text,
            },
            now,
        )
        .await?;
        if text == text_state::OCR_QUEUED {
            jobs::enqueue(
                tx.conn(),
                Some(tenant.0),
                OCR_JOB_KIND,
                json!({ "scan_id": id }),
                now,
            )
            .await?;
            queued = true;
        }
        audit::append(
            &tx,
            now,
            NewEntry::new(identity.actor(), "scan.created")
                .object("scan", id)
                .source(address)
                .details(json!({
                    "batch": batch_id,
                    "batch_sha256": checked.batch_sha256,
                    "pages": [piece.first_page, piece.last_page],
                    "sha256": sha256,
                    "quality_passed": piece.quality.passed,
                    "text": text,
                })),
        )
        .await?;
        records.push(record);
    }
    tx.commit().await?;
    if queued {
        amtsweg_store::reconciliation::job_wakeup().notify_one();
    }
    Ok(records)
}

// ---------------------------------------------------------------------------------------------
// Assignment

/// Where a scan goes: an online application (by its reference) or a person's e-file (by file
/// number, with title and file-plan position).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AssignRequest {
    /// `application` or `person`.
    #[serde(default)]
    pub target: String,
    /// The application's reference (target `application`).
    #[serde(default)]
    pub application_reference: String,
    /// The person's file number (target `person`).
    #[serde(default)]
    pub person_file_number: String,
    /// The document title in the e-file (target `person`).
    #[serde(default)]
    pub title: String,
    /// A position of the tenant's file plan (target `person`).
    #[serde(default)]
    pub plan_position: String,
}

async fn assign(
    state: &AppState,
    identity: &Identity,
    tenant: TenantId,
    id: Uuid,
    input: &AssignRequest,
    address: &str,
) -> Result<store::ScanRecord, AppError> {
    identity.require(Permission::ReadPersonalData)?;
    let tx = state.db.tenant(tenant).await?;
    let scan = store::get_scan(&tx, id).await?;
    if scan.assigned_at.is_some() {
        return Err(AppError::Conflict("scan_already_assigned"));
    }
    let now = state.clock.now();
    let (to, details) = match input.target.as_str() {
        "application" => {
            let reference = input.application_reference.trim();
            if reference.is_empty() {
                return Err(AppError::field(
                    "application_reference",
                    "scan-error-application-required",
                ));
            }
            let app_id = store::application_by_reference(&tx, reference)
                .await?
                .ok_or_else(|| {
                    AppError::field("application_reference", "scan-error-application-unknown")
                })?;
            let app = repo::application(&tx, app_id).await?;
            repo::add_evidence(
                &tx,
                Uuid::now_v7(),
                repo::NewEvidence {
                    applicant_id: Some(app.applicant_id),
                    draft_id: None,
                    application_id: Some(app_id),
                    message_id: None,
                    evidence_key: "scan".into(),
                    object_key: scan.object_key.clone(),
                    sha256: scan.sha256.clone(),
                    content_type: scan.content_type.clone(),
                    file_name: scan.file_name.clone(),
                    size_bytes: scan.size_bytes,
                    source: "scan".into(),
                },
                now,
            )
            .await?;
            (
                Assignment::Application(app_id),
                json!({ "application": app_id }),
            )
        }
        "person" => {
            let mut errors = FieldErrors::new();
            let number = input.person_file_number.trim();
            let title = input.title.trim();
            let position = input.plan_position.trim();
            if number.is_empty() {
                errors.insert(
                    "person_file_number".into(),
                    "scan-error-person-required".into(),
                );
            }
            if title.is_empty()
                || title.chars().count() > 200
                || title.chars().any(char::is_control)
            {
                errors.insert("title".into(), "scan-error-title".into());
            }
            let plan: Vec<fileplan::TenantPosition> = efile::tenant_plan(&tx)
                .await?
                .into_iter()
                .map(|r| fileplan::TenantPosition {
                    position: r.position,
                    title: r.title,
                    reference_position: r.reference_position,
                })
                .collect();
            let reference = fileplan::reference_for(&plan, position);
            if reference.is_none() {
                errors.insert("plan_position".into(), "scan-error-plan-position".into());
            }
            let person = if number.is_empty() {
                None
            } else {
                let found = store::person_by_file_number(&tx, number).await?;
                if found.is_none() {
                    errors.insert(
                        "person_file_number".into(),
                        "scan-error-person-unknown".into(),
                    );
                }
                found
            };
            let (Some(person), Some(reference), true) = (person, reference, errors.is_empty())
            else {
                return Err(AppError::Validation(errors));
            };
            let document = efile::add_document(
                &tx,
                efile::NewDocument {
                    id: Uuid::now_v7(),
                    person_id: person,
                    case_id: None,
                    title: title.to_owned(),
                    media_type: scan.content_type.clone(),
                    source: "scan".into(),
                    plan_position: position.to_owned(),
                    reference_position: reference,
                    body_text: scan.extracted_text.clone(),
                    object_key: scan.object_key.clone(),
                    sha256: scan.sha256.clone(),
                    size_bytes: scan.size_bytes,
                    created_by: identity.user_id.to_string(),
                },
                now,
            )
            .await?;
            audit::append(
                &tx,
                now,
                NewEntry::new(identity.actor(), "document.create")
                    .object("document", document.id)
                    .source(address)
                    .details(json!({ "sha256": scan.sha256, "source": "scan", "scan": id })),
            )
            .await?;
            (
                Assignment::Person {
                    person,
                    document: document.id,
                },
                json!({ "person": person, "document": document.id }),
            )
        }
        _ => return Err(AppError::field("target", "scan-error-target")),
    };
    store::assign(&tx, id, to, identity.user_id.0, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "scan.assigned")
            .object("scan", id)
            .source(address)
            .details(details),
    )
    .await?;
    let updated = store::get_scan(&tx, id).await?;
    tx.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------------
// Reads (audited)

async fn read_scan(
    state: &AppState,
    tx: &TenantTx,
    identity: &Identity,
    id: Uuid,
    address: &str,
) -> Result<store::ScanRecord, AppError> {
    let scan = store::get_scan(tx, id).await?;
    audit::append(
        tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "scan.read")
            .object("scan", id)
            .source(address),
    )
    .await?;
    Ok(scan)
}

async fn list_scans(
    state: &AppState,
    tx: &TenantTx,
    identity: &Identity,
    assigned: bool,
    address: &str,
) -> Result<(store::Counts, Vec<store::ScanRecord>), AppError> {
    let counts = store::counts(tx).await?;
    let rows = store::list(tx, assigned, 200).await?;
    audit::append(
        tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "scan.list")
            .object("scan", "*")
            .source(address)
            .details(json!({ "assigned": assigned, "results": rows.len() })),
    )
    .await?;
    Ok((counts, rows))
}

/// The bytes of a scan, checked against the hash kept in its record; the read is audited.
async fn scan_bytes(
    state: &AppState,
    identity: &Identity,
    tenant: TenantId,
    id: Uuid,
    address: &str,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ReadPersonalData)?;
    let tx = state.db.tenant(tenant).await?;
    let scan = store::get_scan(&tx, id).await?;
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "scan.content.read")
            .object("scan", id)
            .source(address),
    )
    .await?;
    tx.commit().await?;
    let bytes = state
        .objects
        .get(uuid_like::Tenant(tenant.0.as_u128()), &scan.object_key)
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    if sha256_hex(&bytes) != scan.sha256 {
        return Err(AppError::internal("scan hash mismatch"));
    }
    Ok(HttpResponse::Ok()
        .content_type(scan.content_type.clone())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}\"",
                scan.file_name.replace('"', "_")
            ),
        ))
        .insert_header(("X-Content-SHA256", scan.sha256))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}

// ---------------------------------------------------------------------------------------------
// Pages

fn row_view(s: &store::ScanRecord) -> ScanRowView {
    ScanRowView {
        href: format!("/workspace/intake/scans/{}", s.id),
        file_name: s.file_name.clone(),
        scanned_at: fmt_time(s.scanned_at),
        device: s.device.clone(),
        pages: s.page_count,
        batch_range: (s.batch_pages > 1)
            .then(|| format!("{}–{} / {}", s.first_page, s.last_page, s.batch_pages)),
        quality_passed: s.quality_passed,
        text_state: s.text_state.clone(),
    }
}

#[derive(Debug, Default)]
struct UploadValues {
    device: String,
    mode: String,
}

async fn render_scans(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    tenant: TenantId,
    status: StatusCode,
    values: UploadValues,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let ctx = staff_context(state, req, identity, Area::Workspace).await?;
    let address = client_address(req, &state.settings.trusted_proxies);
    let tx = state.db.tenant(tenant).await?;
    let (counts, inbox) = list_scans(state, &tx, identity, false, &address).await?;
    let assigned = store::list(&tx, true, 50).await?;
    tx.commit().await?;
    let view = ScansView {
        upload_action: "/workspace/intake/scans".into(),
        separator_href: "/workspace/intake/scans/separator-sheet".into(),
        device: values.device,
        batch: values.mode != "single",
        max_single_mb: (MAX_SCAN_BYTES / (1024 * 1024)) as u64,
        max_batch_mb: (MAX_BATCH_BYTES / (1024 * 1024)) as u64,
        ocr: state.ocr.available(),
        unassigned: counts.unassigned,
        quality_failed: counts.quality_failed,
        ocr_queued: counts.ocr_queued,
        inbox: inbox.iter().map(row_view).collect(),
        assigned: assigned.iter().map(row_view).collect(),
        errors,
    };
    Ok(html(req, status, pages::scans(&ctx, &view)))
}

#[get("/workspace/intake/scans")]
async fn scans_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ReadPersonalData)?;
    render_scans(
        &state,
        &req,
        &identity,
        tenant,
        StatusCode::OK,
        UploadValues::default(),
        FieldErrors::new(),
    )
    .await
}

#[post("/workspace/intake/scans")]
async fn upload_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ReadPersonalData)?;
    let upload = read_scan_upload(payload).await?;
    verify_csrf(&req, &upload.csrf)?;
    let values = UploadValues {
        device: upload.device.clone(),
        mode: upload.mode.clone(),
    };
    let address = client_address(&req, &state.settings.trusted_proxies);
    match store_upload(&state, &identity, tenant, upload, &address).await {
        Ok(records) if records.len() == 1 => Ok(redirect_with_flash(
            &format!("/workspace/intake/scans/{}", records[0].id),
            "success",
            "scan-flash-stored",
        )),
        Ok(_) => Ok(redirect_with_flash(
            "/workspace/intake/scans",
            "success",
            "scan-flash-batch-stored",
        )),
        Err(AppError::Validation(errors)) => {
            render_scans(
                &state,
                &req,
                &identity,
                tenant,
                StatusCode::UNPROCESSABLE_ENTITY,
                values,
                errors,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

/// The printable separator sheet (no personal data; any staff member may print it).
#[get("/workspace/intake/scans/separator-sheet")]
async fn separator_sheet(identity: Identity) -> Result<HttpResponse, AppError> {
    staff(&identity)?;
    let pdf = scan::separator_sheet().map_err(|e| AppError::internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"trennblatt.pdf\"",
        ))
        .body(pdf))
}

#[allow(clippy::too_many_arguments)]
async fn render_scan(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    tenant: TenantId,
    id: Uuid,
    status: StatusCode,
    values: AssignRequest,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let ctx = staff_context(state, req, identity, Area::Workspace).await?;
    let address = client_address(req, &state.settings.trusted_proxies);
    let tx = state.db.tenant(tenant).await?;
    let scan = read_scan(state, &tx, identity, id, &address).await?;
    let application = match scan.assigned_application_id {
        Some(a) => Some(repo::application(&tx, a).await?.reference),
        None => None,
    };
    let person = match scan.assigned_person_id {
        Some(p) => Some(efile::person(&tx, p).await?.file_number),
        None => None,
    };
    let plan = efile::tenant_plan(&tx).await?;
    tx.commit().await?;
    let positions = if plan.is_empty() {
        fileplan::reference_plan()
            .into_iter()
            .map(|p| (p.position, p.title))
            .collect()
    } else {
        plan.into_iter().map(|p| (p.position, p.title)).collect()
    };
    let findings: Vec<scan::Finding> = serde_json::from_str(&scan.quality).unwrap_or_default();
    let view = ScanDetailView {
        row: row_view(&scan),
        sha256: scan.sha256.clone(),
        batch_sha256: scan.batch_sha256.clone(),
        content_type: scan.content_type.clone(),
        size: size_text(scan.size_bytes),
        findings: findings
            .iter()
            .map(|f| {
                (
                    f.code.clone(),
                    f.severity == scan::Severity::Fail,
                    f.page,
                    f.value,
                )
            })
            .collect(),
        text: scan.extracted_text.clone(),
        content_href: format!("/workspace/intake/scans/{id}/content"),
        assign_action: format!("/workspace/intake/scans/{id}/assign"),
        assigned_at: scan.assigned_at.map(fmt_time),
        assigned_application: application,
        assigned_application_href: scan
            .assigned_application_id
            .map(|a| format!("/workspace/intake/{a}")),
        assigned_person: person,
        assigned_document_href: scan
            .assigned_document_id
            .map(|d| format!("/workspace/documents/{d}")),
        positions,
        target: values.target,
        application_reference: values.application_reference,
        person_file_number: values.person_file_number,
        title: values.title,
        plan_position: values.plan_position,
        errors,
    };
    Ok(html(req, status, pages::scan_detail(&ctx, &view)))
}

#[get("/workspace/intake/scans/{id}")]
async fn scan_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ReadPersonalData)?;
    render_scan(
        &state,
        &req,
        &identity,
        tenant,
        *id,
        StatusCode::OK,
        AssignRequest::default(),
        FieldErrors::new(),
    )
    .await
}

#[get("/workspace/intake/scans/{id}/content")]
async fn scan_content(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    scan_bytes(&state, &identity, tenant, *id, &address).await
}

#[derive(Debug, Deserialize)]
struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    input: AssignRequest,
}

#[post("/workspace/intake/scans/{id}/assign")]
async fn assign_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    form: web::Form<AssignForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let tenant = staff(&identity)?;
    let input = form.into_inner().input;
    let address = client_address(&req, &state.settings.trusted_proxies);
    match assign(&state, &identity, tenant, *id, &input, &address).await {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/workspace/intake/scans/{id}"),
            "success",
            "scan-flash-assigned",
        )),
        Err(AppError::Validation(errors)) => {
            render_scan(
                &state,
                &req,
                &identity,
                tenant,
                *id,
                StatusCode::UNPROCESSABLE_ENTITY,
                input,
                errors,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON API

/// A scan record with its quality check (TR-RESISCAN evidence).
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanEntry {
    pub id: Uuid,
    pub batch_id: Uuid,
    pub batch_sha256: String,
    pub batch_pages: i32,
    pub first_page: i32,
    pub last_page: i32,
    pub page_count: i32,
    pub device: String,
    pub scanned_by: Uuid,
    pub scanned_at: chrono::DateTime<chrono::Utc>,
    pub sha256: String,
    pub content_type: String,
    pub file_name: String,
    pub size_bytes: i64,
    pub quality_passed: bool,
    /// Findings: `code` (blank_page, low_resolution, resolution_unknown, no_text_layer, …),
    /// `severity` (fail | note), `page`, `value`.
    #[schema(value_type = Object)]
    pub quality: serde_json::Value,
    /// text_layer | ocr_queued | ocr_done | ocr_failed | no_ocr
    pub text_state: String,
    pub assigned_at: Option<chrono::DateTime<chrono::Utc>>,
    pub assigned_application_id: Option<Uuid>,
    pub assigned_person_id: Option<Uuid>,
    pub assigned_document_id: Option<Uuid>,
}

impl From<store::ScanRecord> for ScanEntry {
    fn from(s: store::ScanRecord) -> Self {
        Self {
            quality: serde_json::from_str(&s.quality).unwrap_or_else(|_| json!([])),
            id: s.id,
            batch_id: s.batch_id,
            batch_sha256: s.batch_sha256,
            batch_pages: s.batch_pages,
            first_page: s.first_page,
            last_page: s.last_page,
            page_count: s.page_count,
            device: s.device,
            scanned_by: s.scanned_by,
            scanned_at: s.scanned_at,
            sha256: s.sha256,
            content_type: s.content_type,
            file_name: s.file_name,
            size_bytes: s.size_bytes,
            quality_passed: s.quality_passed,
            text_state: s.text_state,
            assigned_at: s.assigned_at,
            assigned_application_id: s.assigned_application_id,
            assigned_person_id: s.assigned_person_id,
            assigned_document_id: s.assigned_document_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScanList {
    /// Unassigned scans.
    pub unassigned: i64,
    /// Unassigned scans whose quality check failed.
    pub quality_failed: i64,
    /// Scans waiting for OCR.
    pub ocr_queued: i64,
    pub scans: Vec<ScanEntry>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ScanListQuery {
    /// `true` lists assigned scans; default: the inbox of unassigned ones.
    #[serde(default)]
    pub assigned: bool,
}

/// The upload of `POST /api/v1/intake/scans` (described for the OpenAPI document; the handler
/// reads the parts as a stream).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ScanUploadForm {
    /// The scanner's name.
    device: String,
    /// `single` or `batch`.
    mode: String,
    /// The scan: PDF, JPEG or PNG (a batch: PDF).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Uploads scanned mail (multipart: `device`, `mode` = single | batch, `file`); a batch PDF is
/// split at separator sheets. Returns one record per document.
#[utoipa::path(post, path = "/api/v1/intake/scans", tag = "intake",
    request_body(content = ScanUploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = [ScanEntry]), (status = 422), (status = 403)))]
#[post("/api/v1/intake/scans")]
async fn api_upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ReadPersonalData)?;
    let upload = read_scan_upload(payload).await?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let records = store_upload(&state, &identity, tenant, upload, &address).await?;
    Ok(HttpResponse::Created().json(records.into_iter().map(ScanEntry::from).collect::<Vec<_>>()))
}

/// The scan inbox (unassigned) or the assigned scans, with counts. Audited.
#[utoipa::path(get, path = "/api/v1/intake/scans", tag = "intake", params(ScanListQuery),
    responses((status = 200, body = ScanList), (status = 403)))]
#[get("/api/v1/intake/scans")]
async fn api_list(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    query: web::Query<ScanListQuery>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ReadPersonalData)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let tx = state.db.tenant(tenant).await?;
    let (counts, rows) = list_scans(&state, &tx, &identity, query.assigned, &address).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(ScanList {
        unassigned: counts.unassigned,
        quality_failed: counts.quality_failed,
        ocr_queued: counts.ocr_queued,
        scans: rows.into_iter().map(ScanEntry::from).collect(),
    }))
}

/// One scan record. Audited.
#[utoipa::path(get, path = "/api/v1/intake/scans/{id}", tag = "intake", params(("id" = Uuid, Path)),
    responses((status = 200, body = ScanEntry), (status = 404)))]
#[get("/api/v1/intake/scans/{id}")]
async fn api_scan(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ReadPersonalData)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let tx = state.db.tenant(tenant).await?;
    let scan = read_scan(&state, &tx, &identity, *id, &address).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(ScanEntry::from(scan)))
}

/// The scanned document's bytes, checked against its hash. Audited.
#[utoipa::path(get, path = "/api/v1/intake/scans/{id}/content", tag = "intake", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404)))]
#[get("/api/v1/intake/scans/{id}/content")]
async fn api_content(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    scan_bytes(&state, &identity, tenant, *id, &address).await
}

/// Assigns a scan (once) to an online application or to a person's e-file.
#[utoipa::path(post, path = "/api/v1/intake/scans/{id}/assignment", tag = "intake", params(("id" = Uuid, Path)),
    request_body = AssignRequest,
    responses((status = 200, body = ScanEntry), (status = 404), (status = 409), (status = 422)))]
#[post("/api/v1/intake/scans/{id}/assignment")]
async fn api_assign(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    body: web::Json<AssignRequest>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let scan = assign(&state, &identity, tenant, *id, &body, &address).await?;
    Ok(HttpResponse::Ok().json(ScanEntry::from(scan)))
}
