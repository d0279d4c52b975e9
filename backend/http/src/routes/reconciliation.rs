//! The AZR reconciliation (Datenabgleich) over the API and in the browser: start a run (upload),
//! follow it, browse and filter the results, look at a pair, decide, export the accepted
//! corrections (CSV for the case-management system, XML for the AZR), and the ministry's aggregate.
//!
//! Tenant staff need `Permission::RunReconciliation`; everything is read and written in the caller's
//! own `TenantTx`, so another tenant's run is simply not found. Reading results is a read of
//! personal data and is audited in the same transaction; so is every decision and export. The
//! ministry sees a platform table of counts and rates only.

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use amtsweg_domain::{Permission, TenantId};
use amtsweg_frontend::model::{
    Area, FieldErrors, ReconDiffRow, ReconFieldRow, ReconFilter, ReconMinistry, ReconOverview,
    ReconPairPage, ReconRunPage, ReconRunRow, ReconTenantTrend,
};
use amtsweg_frontend::pages_reconciliation as pages;
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::reconciliation::{
    self as recon, DiffFilter, Difference, JOB_KIND, NewDecision, NewRun, Run,
};
use amtsweg_store::{TenantTx, jobs, tenants};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address, verify_csrf};
use crate::pages::{format_time, html, redirect_with_flash, staff_context};

/// The largest upload (both files together).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;
/// Differences per page.
pub const PAGE_SIZE: u64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(start_run_api)
        .service(list_runs_api)
        .service(get_run_api)
        .service(list_differences_api)
        .service(get_pair_api)
        .service(decide_api)
        .service(export_csv_api)
        .service(export_xml_api)
        .service(ministry_api)
        .service(overview_page)
        .service(start_run_page)
        .service(run_page)
        .service(pair_page)
        .service(decide_page)
        .service(ministry_page);
}

/// The OpenAPI part of this module, merged into the document by `crate::openapi::document`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        start_run_api, list_runs_api, get_run_api, list_differences_api, get_pair_api, decide_api,
        export_csv_api, export_xml_api, ministry_api,
    ),
    components(schemas(
        RunView, DifferenceView, DifferencePage, PairView, DecisionRequest, DecisionView, AggregatePoint,
        TenantAggregate, UploadForm,
    )),
    tags((name = "reconciliation", description = "The AZR reconciliation (Datenabgleich) as per-tenant jobs"))
)]
pub struct ReconciliationDoc;

// ----------------------------------------------------------------------------------------------
// Views

#[derive(Debug, Serialize, ToSchema)]
pub struct RunView {
    pub id: Uuid,
    /// queued, running, done, failed.
    pub state: String,
    pub stage: String,
    /// 0.0–1.0.
    pub progress: f64,
    /// upload (both extracts uploaded) or adapter (AZR side fetched).
    pub azr_source: String,
    pub previous_run_id: Option<Uuid>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    pub records_local: i64,
    pub records_azr: i64,
    pub rows_rejected: i64,
    pub links: i64,
    pub differences: i64,
    /// Records per class (both sides).
    pub classes: BTreeMap<String, i64>,
    pub incongruence_rate: Option<f64>,
    pub error: Option<String>,
}

impl From<Run> for RunView {
    fn from(r: Run) -> Self {
        let classes = BTreeMap::from([
            ("identical".to_owned(), r.count_identical),
            ("different".to_owned(), r.count_different),
            ("only_local".to_owned(), r.count_only_local),
            ("only_azr".to_owned(), r.count_only_azr),
            ("duplicate".to_owned(), r.count_duplicate),
            ("ambiguous".to_owned(), r.count_ambiguous),
        ]);
        Self {
            id: r.id,
            state: r.state,
            stage: r.stage,
            progress: r.progress,
            azr_source: r.azr_source,
            previous_run_id: r.previous_run_id,
            created_at: r.created_at,
            started_at: r.started_at,
            finished_at: r.finished_at,
            records_local: r.records_local,
            records_azr: r.records_azr,
            rows_rejected: r.rows_rejected,
            links: r.links,
            differences: r.differences,
            classes,
            incongruence_rate: r.incongruence_rate,
            error: r.error,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DifferenceView {
    pub id: Uuid,
    pub pair_id: Uuid,
    pub local_record_id: String,
    pub azr_record_id: String,
    pub class: String,
    pub field: String,
    /// variant or value.
    pub kind: String,
    pub local_value: String,
    pub azr_value: String,
    /// local or azr.
    pub proposed_side: String,
    pub reason: String,
    /// Against the previous run: new, changed, unchanged, decided.
    pub change_status: String,
    /// open, accepted, other_side, entered, research.
    pub decision_state: String,
}

impl From<Difference> for DifferenceView {
    fn from(d: Difference) -> Self {
        Self {
            id: d.id,
            pair_id: d.pair_id,
            local_record_id: d.local_record_id,
            azr_record_id: d.azr_record_id,
            class: d.class,
            field: d.field,
            kind: d.kind,
            local_value: d.local_value,
            azr_value: d.azr_value,
            proposed_side: d.proposed_side,
            reason: d.reason,
            change_status: d.change_status,
            decision_state: d.decision_state,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DifferencePage {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub items: Vec<DifferenceView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PairView {
    pub id: Uuid,
    pub run_id: Uuid,
    pub local_record_id: String,
    pub azr_record_id: String,
    pub class: String,
    /// Match weight in bits.
    pub weight: f64,
    pub probability: f64,
    /// Which comparisons with which weights made the link.
    pub explanation: String,
    /// Column → value, as the local register holds it.
    pub local: BTreeMap<String, String>,
    /// Column → value, as the AZR holds it.
    pub azr: BTreeMap<String, String>,
    pub differences: Vec<DifferenceView>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionRequest {
    /// accept (the proposal), other_side, value (enter the right value), research.
    pub kind: String,
    /// The right value, for kind `value`.
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    pub id: Uuid,
    pub difference_id: Uuid,
    pub kind: String,
    pub decided_side: Option<String>,
    pub value: Option<String>,
    pub decided_by: Uuid,
    pub decided_at: chrono::DateTime<chrono::Utc>,
}

/// One finished run of one authority, for the ministry: counts and the rate only.
#[derive(Debug, Serialize, ToSchema)]
pub struct AggregatePoint {
    pub finished_at: chrono::DateTime<chrono::Utc>,
    pub records_local: i64,
    pub records_azr: i64,
    pub links: i64,
    pub differences: i64,
    pub classes: BTreeMap<String, i64>,
    pub incongruence_rate: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantAggregate {
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub latest_incongruence_rate: f64,
    pub latest_finished_at: chrono::DateTime<chrono::Utc>,
    /// Oldest first.
    pub runs: Vec<AggregatePoint>,
}

/// The upload of `POST /api/v1/reconciliation/runs`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The local extract (`local.csv`), required.
    #[schema(value_type = String, format = Binary)]
    local: Vec<u8>,
    /// The AZR extract (`azr.csv`); without it the AZR adapter fetches it.
    #[schema(value_type = Option<String>, format = Binary)]
    azr: Option<Vec<u8>>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ResultQuery {
    pub class: Option<String>,
    pub field: Option<String>,
    pub kind: Option<String>,
    pub proposed_side: Option<String>,
    pub decision: Option<String>,
    pub page: Option<u64>,
    /// `off` stops the progress page from reloading itself.
    pub refresh: Option<String>,
}

impl ResultQuery {
    fn filter(&self) -> DiffFilter {
        let some = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        DiffFilter {
            class: some(&self.class),
            field: some(&self.field),
            kind: some(&self.kind),
            proposed_side: some(&self.proposed_side),
            decision_state: some(&self.decision),
        }
    }
}

// ----------------------------------------------------------------------------------------------
// Shared flows

fn require(identity: &Identity) -> Result<TenantId, AppError> {
    identity.require(Permission::RunReconciliation)?;
    identity.tenant()
}

/// One part of a multipart body.
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn header_param(header: &str, name: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// Parses `multipart/form-data` (RFC 7578) held in memory.
fn parse_multipart(content_type: &str, body: &[u8]) -> Result<Vec<Part>, AppError> {
    let bad = || AppError::field("local", "recon-error-local-required");
    if !content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return Err(bad());
    }
    let boundary = header_param(content_type, "boundary").ok_or_else(bad)?;
    let delimiter = format!("--{boundary}").into_bytes();
    let closing = [b"\r\n".as_slice(), &delimiter].concat();
    let mut parts = Vec::new();
    let mut pos = find(body, &delimiter, 0).ok_or_else(bad)? + delimiter.len();
    loop {
        if body[pos..].starts_with(b"--") {
            break;
        }
        if !body[pos..].starts_with(b"\r\n") {
            return Err(bad());
        }
        pos += 2;
        let header_end = find(body, b"\r\n\r\n", pos).ok_or_else(bad)?;
        let headers = String::from_utf8_lossy(&body[pos..header_end]).into_owned();
        let data_start = header_end + 4;
        let data_end = find(body, &closing, data_start).ok_or_else(bad)?;
        let mut part = Part {
            name: String::new(),
            filename: None,
            content_type: None,
            data: body[data_start..data_end].to_vec(),
        };
        for line in headers.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                part.name = header_param(value, "name").unwrap_or_default();
                part.filename = header_param(value, "filename");
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                part.content_type = Some(value.trim().to_ascii_lowercase());
            }
        }
        parts.push(part);
        pos = data_end + closing.len();
    }
    Ok(parts)
}

/// Reads the request body up to the upload limit.
async fn read_body(mut payload: web::Payload) -> Result<Vec<u8>, AppError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::field("local", "recon-error-local-required"))?;
        if body.len() + chunk.len() > MAX_UPLOAD_BYTES {
            return Err(AppError::field("local", "recon-error-too-large"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Whether the first 4 KiB are UTF-8. The cut may fall inside a character, so a sequence
/// left incomplete at the end of the sample is not an error.
fn starts_as_utf8(data: &[u8]) -> bool {
    match std::str::from_utf8(&data[..data.len().min(4096)]) {
        Ok(_) => true,
        Err(err) => err.error_len().is_none(),
    }
}

/// A CSV extract in the spec's format: named `.csv` (or sent as CSV), UTF-8, with the header.
fn check_csv(field: &str, part: &Part) -> Result<(), AppError> {
    let named_csv = part
        .filename
        .as_deref()
        .is_some_and(|f| f.to_ascii_lowercase().ends_with(".csv"));
    let typed_csv = part.content_type.as_deref().is_some_and(|t| {
        t.starts_with("text/csv") || t.starts_with("application/csv") || t.starts_with("text/plain")
    });
    if !(named_csv || typed_csv) || !starts_as_utf8(&part.data) {
        return Err(AppError::field(field, "recon-error-not-csv"));
    }
    amtsweg_reconcile::ExtractReader::new(&part.data[..], field)
        .map(|_| ())
        .map_err(|_| AppError::field(field, "recon-error-not-csv"))
}

struct Upload {
    local: Part,
    azr: Option<Part>,
    csrf: String,
}

fn upload_from(parts: Vec<Part>) -> Result<Upload, AppError> {
    let mut local = None;
    let mut azr = None;
    let mut csrf = String::new();
    for part in parts {
        match part.name.as_str() {
            "local" if !part.data.is_empty() => local = Some(part),
            "azr" if !part.data.is_empty() => azr = Some(part),
            "csrf" => csrf = String::from_utf8_lossy(&part.data).trim().to_owned(),
            _ => {}
        }
    }
    let local = local.ok_or_else(|| AppError::field("local", "recon-error-local-required"))?;
    check_csv("local", &local)?;
    if let Some(azr) = &azr {
        check_csv("azr", azr)?;
    }
    Ok(Upload { local, azr, csrf })
}

async fn start_run(
    state: &AppState,
    identity: &Identity,
    address: &str,
    upload: Upload,
) -> Result<Run, AppError> {
    let tenant = require(identity)?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    let previous = recon::latest_done_run(&tx).await?.map(|r| r.id);
    let run = recon::create_run(
        &tx,
        NewRun {
            id: Uuid::now_v7(),
            azr_source: if upload.azr.is_some() {
                "upload"
            } else {
                "adapter"
            }
            .into(),
            previous_run_id: previous,
            started_by: identity.user_id.0,
        },
        now,
    )
    .await?;
    let local_size = upload.local.data.len();
    recon::put_extract(&tx, run.id, "local", "local.csv", upload.local.data, now).await?;
    let azr_size = upload.azr.as_ref().map(|p| p.data.len());
    if let Some(azr) = upload.azr {
        recon::put_extract(&tx, run.id, "azr", "azr.csv", azr.data, now).await?;
    }
    let job = jobs::enqueue(
        tx.conn(),
        Some(tenant.0),
        JOB_KIND,
        json!({ "run_id": run.id }),
        now,
    )
    .await?;
    recon::set_job(&tx, run.id, job).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "reconciliation.started")
            .object("reconciliation_run", run.id)
            .source(address)
            .details(json!({
                "azr_source": run.azr_source,
                "local_bytes": local_size,
                "azr_bytes": azr_size,
                "previous_run_id": previous,
            })),
    )
    .await?;
    let run = recon::get_run(&tx, run.id).await?;
    tx.commit().await?;
    recon::job_wakeup().notify_one();
    announce_job(state).await;
    Ok(run)
}

/// Wakes the job workers of the other instances through Redis when it is configured; they
/// poll every two seconds otherwise. A failure here only delays the job.
async fn announce_job(state: &AppState) {
    let Some(redis) = &state.redis else { return };
    let mut conn = redis.clone();
    let published: redis::RedisResult<i64> = redis::cmd("PUBLISH")
        .arg(recon::wakeup_channel(&state.settings.redis_namespace))
        .arg("1")
        .query_async(&mut conn)
        .await;
    if let Err(err) = published {
        tracing::debug!(error = %err, "job wake-up not published");
    }
}

async fn read_differences(
    tx: &TenantTx,
    identity: &Identity,
    address: &str,
    run_id: Uuid,
    query: &ResultQuery,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Vec<Difference>, u64, u64), AppError> {
    let page = query.page.unwrap_or(1).max(1);
    let filter = query.filter();
    let (rows, total) =
        recon::list_differences(tx, run_id, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    audit::append(
        tx,
        now,
        NewEntry::new(identity.actor(), "reconciliation.results_read")
            .object("reconciliation_run", run_id)
            .source(address)
            .details(json!({
                "class": filter.class, "field": filter.field, "kind": filter.kind,
                "proposed_side": filter.proposed_side, "decision": filter.decision_state,
                "page": page, "rows": rows.len(),
            })),
    )
    .await?;
    Ok((rows, total, page))
}

fn record_map(data: Option<&recon::RecordRow>) -> BTreeMap<String, String> {
    let values: Vec<String> = data
        .and_then(|r| serde_json::from_str(&r.data).ok())
        .unwrap_or_default();
    amtsweg_reconcile::Field::ALL
        .iter()
        .zip(values)
        .map(|(f, v)| (f.name().to_owned(), v))
        .collect()
}

async fn read_pair(
    tx: &TenantTx,
    identity: &Identity,
    address: &str,
    pair_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PairView, AppError> {
    let pair = recon::get_pair(tx, pair_id).await?;
    let local = recon::record(tx, pair.run_id, "local", &pair.local_record_id).await?;
    let azr = recon::record(tx, pair.run_id, "azr", &pair.azr_record_id).await?;
    let differences = recon::differences_of_pair(tx, pair.id).await?;
    audit::append(
        tx,
        now,
        NewEntry::new(identity.actor(), "reconciliation.pair_read")
            .object("reconciliation_pair", pair.id)
            .source(address)
            .details(json!({ "run_id": pair.run_id })),
    )
    .await?;
    Ok(PairView {
        id: pair.id,
        run_id: pair.run_id,
        local_record_id: pair.local_record_id,
        azr_record_id: pair.azr_record_id,
        class: pair.class,
        weight: pair.weight,
        probability: pair.probability,
        explanation: pair.explanation,
        local: record_map(local.as_ref()),
        azr: record_map(azr.as_ref()),
        differences: differences.into_iter().map(Into::into).collect(),
    })
}

async fn decide(
    state: &AppState,
    identity: &Identity,
    address: &str,
    difference_id: Uuid,
    request: DecisionRequest,
) -> Result<DecisionView, AppError> {
    require(identity)?;
    let note = request.note.unwrap_or_default().trim().to_owned();
    if note.chars().count() > 1000 {
        return Err(AppError::field("note", "recon-error-too-long"));
    }
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    let diff = recon::get_difference(&tx, difference_id).await?;
    let (decided_side, value) = match request.kind.as_str() {
        "accept" => (Some(diff.proposed_side.clone()), None),
        "other_side" => (
            Some(
                if diff.proposed_side == "local" {
                    "azr"
                } else {
                    "local"
                }
                .to_owned(),
            ),
            None,
        ),
        "value" => {
            let value = request.value.unwrap_or_default().trim().to_owned();
            if value.is_empty() {
                return Err(AppError::field("value", "recon-error-value-required"));
            }
            if value.chars().count() > 500 {
                return Err(AppError::field("value", "recon-error-too-long"));
            }
            (None, Some(value))
        }
        "research" => (None, None),
        _ => return Err(AppError::field("kind", "recon-error-decision-kind")),
    };
    let decision = recon::decide(
        &tx,
        &diff,
        NewDecision {
            kind: request.kind.clone(),
            decided_side: decided_side.clone(),
            value: value.clone(),
            note,
            decided_by: identity.user_id.0,
        },
        now,
    )
    .await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "reconciliation.decided")
            .object("reconciliation_difference", diff.id)
            .source(address)
            .details(json!({
                "run_id": diff.run_id, "pair_id": diff.pair_id, "field": diff.field,
                "kind": request.kind, "decided_side": decided_side,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(DecisionView {
        id: decision.id,
        difference_id: diff.id,
        kind: decision.kind,
        decided_side: decision.decided_side,
        value: decision.value,
        decided_by: decision.decided_by,
        decided_at: decision.decided_at,
    })
}

/// An accepted correction: one register must change one field to `corrected`.
struct Correction {
    difference_id: Uuid,
    local_record_id: String,
    azr_record_id: String,
    azr_number: String,
    field: String,
    current: String,
    corrected: String,
    source: String,
    decision: String,
    decided_by: Uuid,
    decided_at: chrono::DateTime<chrono::Utc>,
}

/// The corrections one register needs: `target` is `local` (case-management system) or `azr`.
async fn corrections(
    tx: &TenantTx,
    run_id: Uuid,
    target: &str,
) -> Result<Vec<Correction>, AppError> {
    let mut out = Vec::new();
    for (decision, diff, _pair) in recon::latest_decisions(tx, run_id).await? {
        let (corrected, source) = match (decision.kind.as_str(), decision.decided_side.as_deref()) {
            ("value", _) => (decision.value.clone().unwrap_or_default(), "entered"),
            (_, Some("local")) => (diff.local_value.clone(), "local"),
            (_, Some("azr")) => (diff.azr_value.clone(), "azr"),
            _ => continue,
        };
        let current = if target == "local" {
            diff.local_value.clone()
        } else {
            diff.azr_value.clone()
        };
        if current.trim() == corrected.trim() {
            continue;
        }
        let azr_record = recon::record(tx, run_id, "azr", &diff.azr_record_id).await?;
        let azr_number = record_map(azr_record.as_ref())
            .remove("azr_number")
            .unwrap_or_default();
        out.push(Correction {
            difference_id: diff.id,
            local_record_id: diff.local_record_id,
            azr_record_id: diff.azr_record_id,
            azr_number,
            field: diff.field,
            current,
            corrected,
            source: source.into(),
            decision: decision.kind,
            decided_by: decision.decided_by,
            decided_at: decision.decided_at,
        });
    }
    Ok(out)
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// CSV for the local case-management system (columns documented in docs/reconciliation.md).
fn corrections_csv(rows: &[Correction]) -> String {
    let mut out = String::from(
        "local_record_id,azr_number,field,current_value,corrected_value,source,decision,decided_by,decided_at,difference_id\n",
    );
    for r in rows {
        let cells = [
            r.local_record_id.clone(),
            r.azr_number.clone(),
            r.field.clone(),
            r.current.clone(),
            r.corrected.clone(),
            r.source.clone(),
            r.decision.clone(),
            r.decided_by.to_string(),
            r.decided_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            r.difference_id.to_string(),
        ];
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The correction message to the AZR, in the style of XAusländer (structure in
/// docs/reconciliation.md).
fn corrections_xml(
    rows: &[Correction],
    run_id: Uuid,
    tenant: &tenants::Tenant,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let e = xml_escape;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<azr.berichtigung.0101 xmlns=\"urn:amtsweg:xauslaender-stil:azr-berichtigung:1\" version=\"1.0\">\n",
    );
    out.push_str("  <nachrichtenkopf>\n");
    out.push_str(&format!(
        "    <nachrichtenId>{}</nachrichtenId>\n",
        Uuid::now_v7()
    ));
    out.push_str(&format!(
        "    <erstellungszeitpunkt>{}</erstellungszeitpunkt>\n",
        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    ));
    out.push_str(&format!(
        "    <autor>\n      <behoerdenkennung>{}</behoerdenkennung>\n      <behoerdenname>{}</behoerdenname>\n    </autor>\n",
        e(tenant.abh_kennung.as_deref().unwrap_or_default()),
        e(&tenant.name)
    ));
    out.push_str("    <leser>\n      <behoerdenkennung>AZR</behoerdenkennung>\n      <behoerdenname>Bundesverwaltungsamt – Ausländerzentralregister</behoerdenname>\n    </leser>\n");
    out.push_str(&format!(
        "    <abgleichslauf>{run_id}</abgleichslauf>\n    <anzahlBerichtigungen>{}</anzahlBerichtigungen>\n",
        rows.len()
    ));
    out.push_str("  </nachrichtenkopf>\n");
    for (i, r) in rows.iter().enumerate() {
        out.push_str(&format!("  <berichtigung lfdNr=\"{}\">\n", i + 1));
        out.push_str(&format!(
            "    <azrNummer>{}</azrNummer>\n",
            e(&r.azr_number)
        ));
        out.push_str(&format!(
            "    <azrDatensatz>{}</azrDatensatz>\n",
            e(&r.azr_record_id)
        ));
        out.push_str(&format!(
            "    <aktenzeichen>{}</aktenzeichen>\n",
            e(&r.local_record_id)
        ));
        out.push_str(&format!("    <feld>{}</feld>\n", e(&r.field)));
        out.push_str(&format!(
            "    <bisherigerWert>{}</bisherigerWert>\n",
            e(&r.current)
        ));
        out.push_str(&format!("    <neuerWert>{}</neuerWert>\n", e(&r.corrected)));
        out.push_str(&format!(
            "    <grundlage entscheidung=\"{}\" quelle=\"{}\"/>\n",
            e(&r.decision),
            e(&r.source)
        ));
        out.push_str(&format!(
            "    <entschieden am=\"{}\" durch=\"{}\"/>\n",
            r.decided_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            r.decided_by
        ));
        out.push_str("  </berichtigung>\n");
    }
    out.push_str("</azr.berichtigung.0101>\n");
    out
}

async fn export(
    state: &AppState,
    identity: &Identity,
    address: &str,
    run_id: Uuid,
    format: &str,
) -> Result<HttpResponse, AppError> {
    let tenant = require(identity)?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    let run = recon::get_run(&tx, run_id).await?;
    let target = if format == "csv" { "local" } else { "azr" };
    let rows = corrections(&tx, run.id, target).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "reconciliation.exported")
            .object("reconciliation_run", run.id)
            .source(address)
            .details(json!({ "format": format, "corrections": rows.len() })),
    )
    .await?;
    let tenant_row = tenants::get(tx.conn(), tenant.0).await?;
    tx.commit().await?;
    let (body, content_type, name) = if format == "csv" {
        (
            corrections_csv(&rows),
            "text/csv; charset=utf-8",
            format!("berichtigungen-fachverfahren-{run_id}.csv"),
        )
    } else {
        (
            corrections_xml(&rows, run.id, &tenant_row, now),
            "application/xml; charset=utf-8",
            format!("berichtigungen-azr-{run_id}.xml"),
        )
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

pub(crate) async fn ministry_aggregates(
    state: &AppState,
) -> Result<Vec<TenantAggregate>, AppError> {
    let rows = recon::list_aggregates(state.db.connection()).await?;
    let names: BTreeMap<Uuid, String> = tenants::list(state.db.connection())
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut by_tenant: BTreeMap<Uuid, Vec<AggregatePoint>> = BTreeMap::new();
    for a in rows {
        by_tenant
            .entry(a.tenant_id)
            .or_default()
            .push(AggregatePoint {
                finished_at: a.finished_at,
                records_local: a.records_local,
                records_azr: a.records_azr,
                links: a.links,
                differences: a.differences,
                classes: BTreeMap::from([
                    ("identical".to_owned(), a.count_identical),
                    ("different".to_owned(), a.count_different),
                    ("only_local".to_owned(), a.count_only_local),
                    ("only_azr".to_owned(), a.count_only_azr),
                    ("duplicate".to_owned(), a.count_duplicate),
                    ("ambiguous".to_owned(), a.count_ambiguous),
                ]),
                incongruence_rate: a.incongruence_rate,
            });
    }
    let mut out: Vec<TenantAggregate> = by_tenant
        .into_iter()
        .filter_map(|(tenant_id, runs)| {
            let last = runs.last()?;
            Some(TenantAggregate {
                tenant_id,
                tenant_name: names.get(&tenant_id).cloned().unwrap_or_default(),
                latest_incongruence_rate: last.incongruence_rate,
                latest_finished_at: last.finished_at,
                runs,
            })
        })
        .collect();
    out.sort_by(|a, b| a.tenant_name.cmp(&b.tenant_name));
    Ok(out)
}

// ----------------------------------------------------------------------------------------------
// JSON API

/// Starts a reconciliation run: `multipart/form-data` with the file `local` (local.csv) and
/// optionally `azr` (azr.csv). Without `azr` the AZR adapter fetches the AZR side.
#[utoipa::path(post, path = "/api/v1/reconciliation/runs", tag = "reconciliation",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 202, body = RunView), (status = 403), (status = 422)))]
#[post("/api/v1/reconciliation/runs")]
async fn start_run_api(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    require(&identity)?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = read_body(payload).await?;
    let upload = upload_from(parse_multipart(&content_type, &body)?)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let run = start_run(&state, &identity, &address, upload).await?;
    Ok(HttpResponse::Accepted().json(RunView::from(run)))
}

/// The authority's runs, newest first.
#[utoipa::path(get, path = "/api/v1/reconciliation/runs", tag = "reconciliation",
    responses((status = 200, body = [RunView]), (status = 403)))]
#[get("/api/v1/reconciliation/runs")]
async fn list_runs_api(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    require(&identity)?;
    let tx = identity.tenant_tx(&state).await?;
    let runs: Vec<RunView> = recon::list_runs(&tx, 100)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(runs))
}

/// State, progress and counts of one run.
#[utoipa::path(get, path = "/api/v1/reconciliation/runs/{id}", tag = "reconciliation",
    params(("id" = Uuid, Path)), responses((status = 200, body = RunView), (status = 403), (status = 404)))]
#[get("/api/v1/reconciliation/runs/{id}")]
async fn get_run_api(
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    require(&identity).map_err(|_| AppError::NotFound)?;
    let tx = identity.tenant_tx(&state).await?;
    let run = recon::get_run(&tx, *id).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(RunView::from(run)))
}

/// The differences of a run, filtered (class, field, kind, proposed side, decision state) and
/// paginated. A read of personal data: audited.
#[utoipa::path(get, path = "/api/v1/reconciliation/runs/{id}/differences", tag = "reconciliation",
    params(("id" = Uuid, Path), ("class" = Option<String>, Query), ("field" = Option<String>, Query),
        ("kind" = Option<String>, Query), ("proposed_side" = Option<String>, Query),
        ("decision" = Option<String>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = DifferencePage), (status = 403), (status = 404)))]
#[get("/api/v1/reconciliation/runs/{id}/differences")]
async fn list_differences_api(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    query: web::Query<ResultQuery>,
) -> Result<HttpResponse, AppError> {
    require(&identity).map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let tx = identity.tenant_tx(&state).await?;
    let run = recon::get_run(&tx, *id).await?;
    let (rows, total, page) =
        read_differences(&tx, &identity, &address, run.id, &query, state.clock.now()).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(DifferencePage {
        total,
        page,
        per_page: PAGE_SIZE,
        items: rows.into_iter().map(Into::into).collect(),
    }))
}

/// A linked pair: both records, the differences and the explanation. Audited.
#[utoipa::path(get, path = "/api/v1/reconciliation/pairs/{id}", tag = "reconciliation",
    params(("id" = Uuid, Path)), responses((status = 200, body = PairView), (status = 403), (status = 404)))]
#[get("/api/v1/reconciliation/pairs/{id}")]
async fn get_pair_api(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    require(&identity).map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let tx = identity.tenant_tx(&state).await?;
    let view = read_pair(&tx, &identity, &address, *id, state.clock.now()).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Decides a difference: accept the proposal, choose the other side, enter a value, or mark it
/// for research. Audited.
#[utoipa::path(post, path = "/api/v1/reconciliation/differences/{id}/decision", tag = "reconciliation",
    params(("id" = Uuid, Path)), request_body = DecisionRequest,
    responses((status = 201, body = DecisionView), (status = 403), (status = 404), (status = 422)))]
#[post("/api/v1/reconciliation/differences/{id}/decision")]
async fn decide_api(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    body: Option<web::Json<DecisionRequest>>,
) -> Result<HttpResponse, AppError> {
    require(&identity).map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let request = body.map(web::Json::into_inner).unwrap_or(DecisionRequest {
        kind: String::new(),
        value: None,
        note: None,
    });
    let view = decide(&state, &identity, &address, *id, request).await?;
    Ok(HttpResponse::Created().json(view))
}

/// The accepted corrections for the local case-management system, as CSV. Audited.
#[utoipa::path(get, path = "/api/v1/reconciliation/runs/{id}/corrections.csv", tag = "reconciliation",
    params(("id" = Uuid, Path)), responses((status = 200, content_type = "text/csv"), (status = 403), (status = 404)))]
#[get("/api/v1/reconciliation/runs/{id}/corrections.csv")]
async fn export_csv_api(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    require(&identity).map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    export(&state, &identity, &address, *id, "csv").await
}

/// The accepted corrections for the AZR, as an XML message in the style of XAusländer. Audited.
#[utoipa::path(get, path = "/api/v1/reconciliation/runs/{id}/corrections.xml", tag = "reconciliation",
    params(("id" = Uuid, Path)), responses((status = 200, content_type = "application/xml"), (status = 403), (status = 404)))]
#[get("/api/v1/reconciliation/runs/{id}/corrections.xml")]
async fn export_xml_api(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    require(&identity).map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    export(&state, &identity, &address, *id, "xml").await
}

/// Each authority's latest incongruence rate and its trend over runs: aggregates only
/// (ministry analysts and platform operators).
#[utoipa::path(get, path = "/api/v1/ministry/reconciliation", tag = "reconciliation",
    responses((status = 200, body = [TenantAggregate]), (status = 403)))]
#[get("/api/v1/ministry/reconciliation")]
async fn ministry_api(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    Ok(HttpResponse::Ok().json(ministry_aggregates(&state).await?))
}

// ----------------------------------------------------------------------------------------------
// Pages

fn run_row(run: &Run) -> ReconRunRow {
    ReconRunRow {
        id: run.id.to_string(),
        state: run.state.clone(),
        stage: run.stage.clone(),
        percent: (run.progress * 100.0).round().clamp(0.0, 100.0) as u32,
        created_at: format_time(run.created_at),
        finished_at: run.finished_at.map(format_time),
        azr_source: run.azr_source.clone(),
        records_local: run.records_local,
        records_azr: run.records_azr,
        differences: run.differences,
        incongruence_percent: run.incongruence_rate.map(|r| format!("{:.1}", r * 100.0)),
        error: run.error.clone(),
    }
}

async fn overview_view(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    errors: FieldErrors,
) -> Result<String, AppError> {
    let ctx = staff_context(state, req, identity, Area::Workspace).await?;
    let tx = identity.tenant_tx(state).await?;
    let runs = recon::list_runs(&tx, 50).await?;
    tx.commit().await?;
    Ok(pages::overview(
        &ctx,
        &ReconOverview {
            runs: runs.iter().map(run_row).collect(),
            errors,
            max_upload_mib: (MAX_UPLOAD_BYTES / (1024 * 1024)) as u64,
        },
    ))
}

#[get("/workspace/reconciliation")]
async fn overview_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    require(&identity)?;
    let body = overview_view(&state, &req, &identity, FieldErrors::new()).await?;
    Ok(html(&req, StatusCode::OK, body))
}

#[post("/workspace/reconciliation")]
async fn start_run_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    require(&identity)?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let parsed = match read_body(payload).await {
        Ok(body) => parse_multipart(&content_type, &body),
        Err(err) => Err(err),
    };
    // The CSRF token travels inside the multipart body.
    let csrf = parsed
        .as_ref()
        .ok()
        .and_then(|parts| parts.iter().find(|p| p.name == "csrf"))
        .map(|p| String::from_utf8_lossy(&p.data).trim().to_owned())
        .unwrap_or_default();
    verify_csrf(&req, &csrf)?;
    let upload = parsed.and_then(upload_from);
    let upload = match upload {
        Ok(upload) => upload,
        Err(AppError::Validation(errors)) => {
            let body = overview_view(&state, &req, &identity, errors).await?;
            return Ok(html(&req, StatusCode::UNPROCESSABLE_ENTITY, body));
        }
        Err(other) => return Err(other),
    };
    debug_assert_eq!(upload.csrf, csrf);
    let address = client_address(&req, &state.settings.trusted_proxies);
    let run = start_run(&state, &identity, &address, upload).await?;
    Ok(redirect_with_flash(
        &format!("/workspace/reconciliation/runs/{}", run.id),
        "success",
        "recon-flash-started",
    ))
}

fn diff_row(d: Difference) -> ReconDiffRow {
    ReconDiffRow {
        id: d.id.to_string(),
        pair_id: d.pair_id.to_string(),
        local_record_id: d.local_record_id,
        azr_record_id: d.azr_record_id,
        class: d.class,
        field: d.field,
        kind: d.kind,
        local_value: d.local_value,
        azr_value: d.azr_value,
        proposed_side: d.proposed_side,
        reason: d.reason,
        change_status: d.change_status,
        decision: d.decision_state,
    }
}

#[get("/workspace/reconciliation/runs/{id}")]
async fn run_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    query: web::Query<ResultQuery>,
) -> Result<HttpResponse, AppError> {
    require(&identity)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let tx = identity.tenant_tx(&state).await?;
    let run = recon::get_run(&tx, *id).await?;
    let mut page = ReconRunPage {
        run: run_row(&run),
        classes: vec![
            ("identical".into(), run.count_identical),
            ("different".into(), run.count_different),
            ("only_local".into(), run.count_only_local),
            ("only_azr".into(), run.count_only_azr),
            ("duplicate".into(), run.count_duplicate),
            ("ambiguous".into(), run.count_ambiguous),
        ],
        export_csv: format!("/api/v1/reconciliation/runs/{}/corrections.csv", run.id),
        export_xml: format!("/api/v1/reconciliation/runs/{}/corrections.xml", run.id),
        auto_refresh: query.refresh.as_deref() != Some("off"),
        ..ReconRunPage::default()
    };
    if run.state == recon::state::DONE {
        let (rows, total, current) =
            read_differences(&tx, &identity, &address, run.id, &query, state.clock.now()).await?;
        let f = query.filter();
        page.filter = ReconFilter {
            class: f.class.clone().unwrap_or_default(),
            field: f.field.clone().unwrap_or_default(),
            kind: f.kind.clone().unwrap_or_default(),
            proposed_side: f.proposed_side.clone().unwrap_or_default(),
            decision: f.decision_state.clone().unwrap_or_default(),
        };
        let pairs: Vec<(&str, &str)> = [
            ("class", page.filter.class.as_str()),
            ("field", page.filter.field.as_str()),
            ("kind", page.filter.kind.as_str()),
            ("proposed_side", page.filter.proposed_side.as_str()),
            ("decision", page.filter.decision.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        page.filter_query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        page.rows = rows.into_iter().map(diff_row).collect();
        page.total = total;
        page.page = current;
        page.page_count = total.div_ceil(PAGE_SIZE).max(1);
    }
    tx.commit().await?;
    let mut response = html(&req, StatusCode::OK, pages::run_page(&ctx, &page));
    if let Some(secs) = pages::refresh_secs(&page)
        && let Ok(value) = header::HeaderValue::from_str(&secs.to_string())
    {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("refresh"), value);
    }
    Ok(response)
}

async fn pair_view(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    pair_id: Uuid,
    errors: FieldErrors,
) -> Result<String, AppError> {
    let ctx = staff_context(state, req, identity, Area::Workspace).await?;
    let address = client_address(req, &state.settings.trusted_proxies);
    let tx = identity.tenant_tx(state).await?;
    let pair = read_pair(&tx, identity, &address, pair_id, state.clock.now()).await?;
    tx.commit().await?;
    let mut by_field: BTreeMap<String, DifferenceView> = pair
        .differences
        .into_iter()
        .map(|d| (d.field.clone(), d))
        .collect();
    let fields = amtsweg_reconcile::Field::COMPARED
        .iter()
        .map(|f| {
            let name = f.name().to_owned();
            ReconFieldRow {
                local_value: pair.local.get(&name).cloned().unwrap_or_default(),
                azr_value: pair.azr.get(&name).cloned().unwrap_or_default(),
                difference: by_field.remove(&name).map(|d| ReconDiffRow {
                    id: d.id.to_string(),
                    pair_id: d.pair_id.to_string(),
                    local_record_id: d.local_record_id,
                    azr_record_id: d.azr_record_id,
                    class: d.class,
                    field: d.field,
                    kind: d.kind,
                    local_value: d.local_value,
                    azr_value: d.azr_value,
                    proposed_side: d.proposed_side,
                    reason: d.reason,
                    change_status: d.change_status,
                    decision: d.decision_state,
                }),
                field: name,
            }
        })
        .collect();
    Ok(pages::pair_page(
        &ctx,
        &ReconPairPage {
            run_id: pair.run_id.to_string(),
            pair_id: pair.id.to_string(),
            local_record_id: pair.local_record_id,
            azr_record_id: pair.azr_record_id,
            class: pair.class,
            weight: format!("{:.1} bits", pair.weight),
            explanation: pair.explanation,
            fields,
            errors,
        },
    ))
}

#[get("/workspace/reconciliation/pairs/{id}")]
async fn pair_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    require(&identity)?;
    let body = pair_view(&state, &req, &identity, *id, FieldErrors::new()).await?;
    Ok(html(&req, StatusCode::OK, body))
}

#[derive(Debug, Deserialize)]
struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    note: String,
}

#[post("/workspace/reconciliation/differences/{id}/decision")]
async fn decide_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    require(&identity)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let form = form.into_inner();
    let request = DecisionRequest {
        kind: form.kind,
        value: Some(form.value),
        note: Some(form.note),
    };
    match decide(&state, &identity, &address, *id, request).await {
        Ok(_) => {
            let tx = identity.tenant_tx(&state).await?;
            let diff = recon::get_difference(&tx, *id).await?;
            tx.commit().await?;
            Ok(redirect_with_flash(
                &format!(
                    "/workspace/reconciliation/pairs/{}#diff-{}",
                    diff.pair_id, diff.id
                ),
                "success",
                "recon-flash-decided",
            ))
        }
        Err(AppError::Validation(errors)) => {
            let tx = identity.tenant_tx(&state).await?;
            let diff = recon::get_difference(&tx, *id).await?;
            tx.commit().await?;
            let body = pair_view(&state, &req, &identity, diff.pair_id, errors).await?;
            Ok(html(&req, StatusCode::UNPROCESSABLE_ENTITY, body))
        }
        Err(other) => Err(other),
    }
}

#[get("/ministry/reconciliation")]
async fn ministry_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let ctx = staff_context(&state, &req, &identity, Area::Ministry).await?;
    let tenants = ministry_aggregates(&state)
        .await?
        .into_iter()
        .map(|t| ReconTenantTrend {
            tenant_name: t.tenant_name,
            rates: t.runs.iter().map(|r| r.incongruence_rate * 100.0).collect(),
            latest_at: format_time(t.latest_finished_at),
        })
        .collect();
    Ok(html(
        &req,
        StatusCode::OK,
        pages::ministry_page(&ctx, &ReconMinistry { tenants }),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_character_cut_by_the_sample_is_still_utf8() {
        let mut data = vec![b'a'; 4095];
        data.extend_from_slice("ü".as_bytes());
        assert!(starts_as_utf8(&data), "ü straddles byte 4096");
        assert!(!starts_as_utf8(b"abc\xff\xfedef"));
        assert!(!starts_as_utf8(&[0x89, b'P', b'N', b'G']));
    }

    #[test]
    fn multipart_bodies_are_parsed() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"local\"; filename=\"local.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n1,2\r\n--XyZ--\r\n";
        let parts = parse_multipart("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "csrf");
        assert_eq!(parts[0].data, b"tok");
        assert_eq!(parts[1].filename.as_deref(), Some("local.csv"));
        assert_eq!(parts[1].data, b"a,b\r\n1,2");
        assert!(parse_multipart("application/json", body).is_err());
    }

    #[test]
    fn xml_and_csv_are_escaped() {
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(csv_field("x,\"y\""), "\"x,\"\"y\"\"\"");
    }
}
