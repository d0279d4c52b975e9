//! The applicant portal's intake (issue 4): find a service and the responsible authority, fill the
//! form in steps with drafts, upload evidence, pay through the ePayBL-shaped adapter (and its
//! simulator under `/sim/epaybl/…`), submit with an idempotency key, follow the application,
//! exchange messages, book appointments; and the staff intake inbox. Pages and JSON API.
//!
//! Applicants belong to no tenant. Their drafts and applications live in the responsible
//! tenant's tables; `portal_links` (identifiers only) says which tenants to open, and every query
//! is additionally filtered by the applicant's id, so another applicant's objects are not found.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use amtsweg_adapters::epaybl::{CallbackFields, Outcome, PaymentRequest, Provider};
use amtsweg_adapters::object_store::{ObjectStore, uuid_like};
use amtsweg_domain::{Permission, Role, TenantId};
use amtsweg_frontend::i18n::{Lang, mail_text};
use amtsweg_frontend::model::*;
use amtsweg_frontend::pages_portal as pages;
use amtsweg_intake::{AuthorityKind, Catalog, FormData, ServiceDef, appointments, cents_decimal};
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::intake::{self as repo, CallbackEffect, payment_state};
use amtsweg_store::{StoreError, TenantTx, outbox};
use amtsweg_tenants::{Jurisdiction, MunicipalityQuery};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

mod admin;
mod batch;
mod scans;

use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address, verify_csrf};
use crate::pages::{context_from_request, html, redirect, redirect_with_flash, staff_context};
use crate::security::random_token;

/// Upload limits: per file, per draft.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_UPLOADS_PER_DRAFT: usize = 20;
/// The most an upload request (one file and the form's small fields) may carry. A larger body is
/// refused with 413 before it is read: by its `Content-Length` at once, and while streaming when
/// it comes without one. A file just over [`MAX_UPLOAD_BYTES`] still fits, so that case gets the
/// error next to the file field.
pub const MAX_UPLOAD_REQUEST_BYTES: usize = MAX_UPLOAD_BYTES + 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Environment: catalog, jurisdiction, object store, payment provider

static CATALOG: LazyLock<Result<Catalog, String>> =
    LazyLock::new(|| Catalog::embedded().map_err(|e| e.to_string()));
static JURISDICTION: LazyLock<Result<Jurisdiction, String>> =
    LazyLock::new(|| Jurisdiction::embedded().map_err(|e| e.to_string()));

pub fn catalog() -> Result<&'static Catalog, AppError> {
    CATALOG.as_ref().map_err(|e| AppError::internal(e.clone()))
}

fn jurisdiction() -> Result<&'static Jurisdiction, AppError> {
    JURISDICTION
        .as_ref()
        .map_err(|e| AppError::internal(e.clone()))
}

/// What the intake needs beyond the database: the payment provider. Part of [`AppState`]
/// (`state.intake`), so every application (tests run several in one process) has its own. Evidence
/// goes to the platform's object store (`state.objects`), the same store as the e-file, so a case
/// takes the evidence over by its key.
pub struct IntakeEnv {
    pub provider: Provider,
    /// Whether `/sim/epaybl/…` answers (only without a configured provider).
    pub simulator: bool,
    /// Whether this application's database holds the current catalog definitions.
    catalog_synced: AtomicBool,
    /// The per-tenant group commit of submissions (ADR 0005).
    submissions: batch::Batcher,
}

impl IntakeEnv {
    /// The binary's wiring: the ePayBL secret from
    /// `AMTSWEG_EPAYBL_SECRET` or `<data_dir>/epaybl.key` (created on first start, so callbacks
    /// signed before a restart still verify).
    pub fn from_data_dir(data_dir: &Path) -> Result<Self, AppError> {
        let secret = match std::env::var("AMTSWEG_EPAYBL_SECRET") {
            Ok(s) if s.len() >= 32 => s.into_bytes(),
            _ => {
                let path = data_dir.join("epaybl.key");
                match std::fs::read(&path) {
                    Ok(bytes) if bytes.len() >= 32 => bytes,
                    _ => {
                        let token = random_token().into_bytes();
                        std::fs::write(&path, &token)
                            .map_err(|e| AppError::internal(format!("writing epaybl.key: {e}")))?;
                        token
                    }
                }
            }
        };
        Self::new(&secret)
    }

    /// For an [`AppState`] built without the binary (in-process tests): a secret that lives as long
    /// as the process.
    pub fn ephemeral() -> Result<Self, AppError> {
        Self::new(random_token().as_bytes())
    }

    fn new(secret: &[u8]) -> Result<Self, AppError> {
        // The real provider's payment page, if configured; otherwise the built-in simulator.
        let pay_url = std::env::var("AMTSWEG_EPAYBL_PAY_URL").unwrap_or_default();
        let simulator = pay_url.is_empty();
        let provider = Provider::new(
            if simulator {
                "/sim/epaybl/pay"
            } else {
                pay_url.as_str()
            },
            secret,
        )
        .map_err(|e| AppError::internal(e.to_string()))?;
        Ok(Self {
            provider,
            simulator,
            catalog_synced: AtomicBool::new(false),
            submissions: batch::Batcher::default(),
        })
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // First: `/workspace/intake/settings`, `/day` and `/scans` must not be taken for
    // `/workspace/intake/{id}`.
    admin::configure(cfg);
    scans::configure(cfg);
    cfg.service(services_page)
        .service(service_page)
        .service(start_submit)
        .service(step_page)
        .service(step_submit)
        .service(review_page)
        .service(upload_submit)
        .service(evidence_delete)
        .service(pay_submit)
        .service(payment_return)
        .service(submit_application)
        .service(applications_page)
        .service(application_page)
        .service(receipt_download)
        .service(reply_submit)
        .service(book_submit)
        .service(cancel_submit)
        .service(sim_pay_page)
        .service(sim_pay_submit)
        .service(inbox_page)
        .service(intake_detail_page)
        .service(evidence_download)
        .service(staff_message_submit)
        .service(pickup_submit)
        .service(api_services)
        .service(api_inbox)
        .service(api_application)
        .service(api_set_state)
        .service(api_service_settings)
        .service(api_reconciliation)
        .service(api_add_resource)
        .service(api_callback)
        .service(api_portal_applications)
        .service(api_portal_submit)
        .service(api_portal_slots)
        .service(api_portal_book);
}

// ---------------------------------------------------------------------------------------------
// Small helpers (the same shapes as in `pages.rs`)

pub(crate) fn applicant(identity: &Identity) -> Result<Uuid, AppError> {
    if identity.role != Role::Applicant {
        return Err(AppError::Forbidden);
    }
    identity.require(Permission::SubmitApplications)?;
    Ok(identity.user_id.0)
}

pub(crate) async fn portal_ctx(
    state: &AppState,
    req: &HttpRequest,
    identity: Option<&Identity>,
) -> PageContext {
    let mut ctx = context_from_request(req, Area::Portal);
    if let Some(identity) = identity
        && let Ok(a) =
            amtsweg_store::applicants::get(state.db.connection(), identity.user_id.0).await
    {
        ctx.user = Some(UserBadge {
            display_name: a.display_name,
            role: identity.role.as_str().to_owned(),
            tenant_name: None,
            can_manage_users: false,
            can_view_audit: false,
            is_operator: false,
            is_ministry: false,
        });
    }
    ctx
}

/// Opens a tenant transaction for an applicant, only for a tenant that holds something of theirs.
pub(crate) async fn applicant_tx(
    state: &AppState,
    applicant: Uuid,
    tenant: Uuid,
) -> Result<TenantTx, AppError> {
    let linked = repo::applicant_tenants(state.db.connection(), applicant).await?;
    if !linked.contains(&tenant) {
        return Err(AppError::NotFound);
    }
    Ok(state.db.tenant(TenantId(tenant)).await?)
}

fn service_def(key: &str) -> Result<&'static ServiceDef, AppError> {
    catalog()?.service(key).ok_or(AppError::NotFound)
}

fn tenant_name(tenant: Uuid) -> String {
    jurisdiction()
        .ok()
        .and_then(|j| j.catalog().by_id(TenantId(tenant)).map(|t| t.name.clone()))
        .unwrap_or_default()
}

/// Today at the authority (Europe/Berlin).
fn today(state: &AppState) -> NaiveDate {
    appointments::local_date(state.clock.now())
}

/// A time as the authority's clock shows it (CET or CEST).
fn fmt_time(at: DateTime<Utc>) -> String {
    appointments::local(at)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

fn card(service: &ServiceDef, lang: Lang) -> Result<ServiceCard, AppError> {
    let catalog = catalog()?;
    let fee = catalog
        .fee_def(&service.fee.code)
        .map(|f| {
            // The lowest fee the service can cost before exemptions.
            let mut cents = f.cents;
            for code in service.fee.by_value.values() {
                if let Some(d) = catalog.fee_def(code) {
                    cents = cents.min(d.cents);
                }
            }
            cents
        })
        .unwrap_or(0);
    Ok(ServiceCard {
        key: service.key.clone(),
        title: service.title.get(lang.code()).to_owned(),
        summary: service.summary.get(lang.code()).to_owned(),
        fee: cents_decimal(fee),
    })
}

/// Keeps the catalog table in step with the data files (once per application start).
async fn sync_catalog(state: &AppState) -> Result<(), AppError> {
    let env = &state.intake;
    if env.catalog_synced.load(Ordering::Relaxed) {
        return Ok(());
    }
    let now = state.clock.now();
    for s in catalog()?.services() {
        let definition = serde_json::to_string(s).map_err(|e| AppError::internal(e.to_string()))?;
        let authority = match s.authority {
            AuthorityKind::Abh => "abh",
            AuthorityKind::Einbuergerung => "einbuergerung",
        };
        repo::upsert_service(
            state.db.connection(),
            &s.key,
            i32::try_from(s.version).unwrap_or(i32::MAX),
            authority,
            &s.fee.code,
            &definition,
            now,
        )
        .await?;
    }
    env.catalog_synced.store(true, Ordering::Relaxed);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Finding a service and the responsible authority

#[get("/portal/services")]
async fn services_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Option<Identity>,
) -> Result<HttpResponse, AppError> {
    sync_catalog(&state).await?;
    let ctx = portal_ctx(&state, &req, identity.as_ref()).await;
    let cards = catalog()?
        .services()
        .iter()
        .map(|s| card(s, ctx.lang))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(html(
        &req,
        StatusCode::OK,
        pages::service_list(&ctx, &cards),
    ))
}

#[derive(Debug, Deserialize)]
struct PlaceQuery {
    #[serde(default)]
    place: Option<String>,
}

/// The candidate authorities for a place and a service.
fn authorities_for(
    service: &ServiceDef,
    place: &str,
) -> Result<Vec<AuthorityChoice>, &'static str> {
    let j = jurisdiction().map_err(|_| "intake-error-place-not-found")?;
    let query = MunicipalityQuery::parse(place).map_err(|_| "intake-error-place-not-found")?;
    let found = match service.authority {
        AuthorityKind::Abh => j.responsible_abh(query),
        AuthorityKind::Einbuergerung => j.responsible_einbuergerungsbehoerde(query),
    }
    .map_err(|_| "intake-error-place-not-found")?;
    Ok(found
        .into_iter()
        .map(|t| AuthorityChoice {
            tenant_id: t.id.0.to_string(),
            name: t.name.clone(),
        })
        .collect())
}

#[get("/portal/services/{key}")]
async fn service_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Option<Identity>,
    key: web::Path<String>,
    query: web::Query<PlaceQuery>,
) -> Result<HttpResponse, AppError> {
    let service = service_def(&key)?;
    let ctx = portal_ctx(&state, &req, identity.as_ref()).await;
    let mut page = ServiceStart {
        service: card(service, ctx.lang)?,
        signed_in: identity.as_ref().is_some_and(|i| i.role == Role::Applicant),
        ..ServiceStart::default()
    };
    let mut status = StatusCode::OK;
    if let Some(place) = &query.place {
        page.place = place.chars().take(100).collect();
        if place.trim().is_empty() {
            page.place_error = Some("intake-error-place-empty".into());
            status = StatusCode::UNPROCESSABLE_ENTITY;
        } else {
            match authorities_for(service, place) {
                Ok(list) => {
                    if let [only] = list.as_slice()
                        && let Ok(tenant) = Uuid::parse_str(&only.tenant_id)
                    {
                        let tx = state.db.tenant(TenantId(tenant)).await?;
                        if let Some(setting) = repo::tenant_service(&tx, &service.key).await? {
                            page.tenant_notes =
                                [setting.hints, setting.contact, setting.opening_hours]
                                    .into_iter()
                                    .flatten()
                                    .filter(|t| !t.trim().is_empty())
                                    .collect();
                        }
                        tx.commit().await?;
                    }
                    page.authorities = list;
                }
                Err(key) => {
                    page.place_error = Some(key.into());
                    status = StatusCode::UNPROCESSABLE_ENTITY;
                }
            }
        }
    }
    Ok(html(&req, status, pages::service_start(&ctx, &page)))
}

#[derive(Debug, Deserialize)]
struct StartInput {
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    csrf: String,
}

/// Starts a draft with the chosen authority.
async fn start_draft(
    state: &AppState,
    identity: &Identity,
    service: &ServiceDef,
    tenant: Uuid,
    lang: Lang,
    address: &str,
) -> Result<repo::Draft, AppError> {
    let applicant = applicant(identity)?;
    let record = jurisdiction()?
        .catalog()
        .by_id(TenantId(tenant))
        .ok_or(AppError::NotFound)?;
    let kind_ok = match service.authority {
        AuthorityKind::Abh => record.kind == amtsweg_domain::tenant::TenantKind::Abh,
        AuthorityKind::Einbuergerung => {
            record.kind == amtsweg_domain::tenant::TenantKind::Einbuergerungsbehoerde
        }
    };
    if !kind_ok {
        return Err(AppError::NotFound);
    }
    sync_catalog(state).await?;
    let now = state.clock.now();
    let tx = state.db.tenant(TenantId(tenant)).await?;
    if let Some(setting) = repo::tenant_service(&tx, &service.key).await?
        && !setting.active
    {
        return Err(AppError::field("tenant", "intake-error-service-inactive"));
    }
    let draft = repo::create_draft(&tx, applicant, &service.key, lang.code(), now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "intake.draft.created")
            .object("draft", draft.id)
            .source(address)
            .details(json!({ "service": service.key })),
    )
    .await?;
    repo::link_applicant(tx.conn(), applicant, tenant, "draft", draft.id, now).await?;
    tx.commit().await?;
    Ok(draft)
}

#[post("/portal/services/{key}/start")]
async fn start_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    key: web::Path<String>,
    form: web::Form<StartInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let service = service_def(&key)?;
    let tenant = Uuid::parse_str(form.tenant.trim()).map_err(|_| AppError::NotFound)?;
    let ctx = context_from_request(&req, Area::Portal);
    let address = client_address(&req, &state.settings.trusted_proxies);
    let draft = start_draft(&state, &identity, service, tenant, ctx.lang, &address).await?;
    Ok(redirect(&format!(
        "/portal/drafts/{tenant}/{}/steps/0",
        draft.id
    )))
}

// ---------------------------------------------------------------------------------------------
// Form steps

fn field_views(
    catalog: &Catalog,
    service: &ServiceDef,
    step: usize,
    data: &FormData,
    lang: Lang,
) -> Vec<FormFieldView> {
    catalog
        .step_fields(service, step)
        .into_iter()
        .filter(|f| f.visible(data))
        .map(|f| FormFieldView {
            key: f.key.clone(),
            kind: serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| "text".into()),
            label: f.label.get(lang.code()).to_owned(),
            hint: f.hint.as_ref().map(|h| h.get(lang.code()).to_owned()),
            value: data.get(&f.key).cloned().unwrap_or_default(),
            required: f.required,
            options: f
                .options
                .iter()
                .map(|o| (o.value.clone(), o.label.get(lang.code()).to_owned()))
                .collect(),
            autocomplete: f.autocomplete.clone(),
        })
        .collect()
}

fn step_view(
    service: &ServiceDef,
    tenant: Uuid,
    draft: &repo::Draft,
    step: usize,
    data: &FormData,
    errors: FieldErrors,
    lang: Lang,
) -> Result<FormStepView, AppError> {
    let catalog = catalog()?;
    Ok(FormStepView {
        action: format!("/portal/drafts/{tenant}/{}/steps/{step}", draft.id),
        service_title: service.title.get(lang.code()).to_owned(),
        authority_name: tenant_name(tenant),
        step,
        step_titles: service
            .steps
            .iter()
            .map(|s| s.title.get(lang.code()).to_owned())
            .collect(),
        fields: field_views(catalog, service, step, data, lang),
        errors,
        back_href: (step > 0)
            .then(|| format!("/portal/drafts/{tenant}/{}/steps/{}", draft.id, step - 1)),
    })
}

#[get("/portal/drafts/{tenant}/{draft}/steps/{step}")]
async fn step_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid, usize)>,
) -> Result<HttpResponse, AppError> {
    let (tenant, draft_id, step) = path.into_inner();
    let applicant = applicant(&identity)?;
    let tx = applicant_tx(&state, applicant, tenant).await?;
    let draft = repo::draft(&tx, applicant, draft_id).await?;
    tx.commit().await?;
    if let Some(app) = draft.submitted_application_id {
        return Ok(redirect(&format!("/portal/applications/{tenant}/{app}")));
    }
    let service = service_def(&draft.service_key)?;
    if step >= service.steps.len() {
        return Err(AppError::NotFound);
    }
    let ctx = portal_ctx(&state, &req, Some(&identity)).await;
    let view = step_view(
        service,
        tenant,
        &draft,
        step,
        &draft.form_data,
        FieldErrors::new(),
        ctx.lang,
    )?;
    Ok(html(&req, StatusCode::OK, pages::form_step(&ctx, &view)))
}

#[post("/portal/drafts/{tenant}/{draft}/steps/{step}")]
async fn step_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid, usize)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (tenant, draft_id, step) = path.into_inner();
    let posted: BTreeMap<String, String> = form.into_inner().into_iter().collect();
    verify_csrf(&req, posted.get("csrf").map(String::as_str).unwrap_or(""))?;
    let applicant = applicant(&identity)?;
    let tx = applicant_tx(&state, applicant, tenant).await?;
    let draft = repo::draft(&tx, applicant, draft_id).await?;
    let service = service_def(&draft.service_key)?;
    if step >= service.steps.len() {
        return Err(AppError::NotFound);
    }
    let catalog = catalog()?;
    let mut data = draft.form_data.clone();
    for field in catalog.step_fields(service, step) {
        match posted.get(&field.key) {
            Some(v) if !v.trim().is_empty() => {
                data.insert(field.key.clone(), v.trim().chars().take(5000).collect());
            }
            _ => {
                data.remove(&field.key);
            }
        }
    }
    let save_only = posted.get("intent").is_some_and(|i| i == "save");
    let errors = if save_only {
        FieldErrors::new()
    } else {
        catalog.validate_step(service, step, &data, today(&state))
    };
    let next_step = if errors.is_empty() && !save_only {
        step + 1
    } else {
        step
    };
    let stored_step =
        i32::try_from(next_step.max(usize::try_from(draft.step).unwrap_or(0))).unwrap_or(0);
    let now = state.clock.now();
    repo::save_draft(&tx, applicant, draft_id, &data, stored_step, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "intake.draft.saved")
            .object("draft", draft_id)
            .source(client_address(&req, &state.settings.trusted_proxies))
            .details(json!({ "step": step, "valid": errors.is_empty() })),
    )
    .await?;
    tx.commit().await?;
    if save_only {
        return Ok(redirect_with_flash(
            "/portal/applications",
            "success",
            "intake-flash-saved",
        ));
    }
    if !errors.is_empty() {
        let ctx = portal_ctx(&state, &req, Some(&identity)).await;
        let view = step_view(service, tenant, &draft, step, &data, errors, ctx.lang)?;
        return Ok(html(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::form_step(&ctx, &view),
        ));
    }
    if next_step < service.steps.len() {
        Ok(redirect(&format!(
            "/portal/drafts/{tenant}/{draft_id}/steps/{next_step}"
        )))
    } else {
        Ok(redirect(&format!(
            "/portal/drafts/{tenant}/{draft_id}/review"
        )))
    }
}

// ---------------------------------------------------------------------------------------------
// Review, evidence, payment, submission

struct ReviewState {
    draft: repo::Draft,
    data: FormData,
    fee: amtsweg_intake::Fee,
    docs: Vec<repo::EvidenceRef>,
    payments: Vec<repo::Payment>,
}

impl ReviewState {
    fn paid(&self) -> bool {
        self.fee.cents == 0
            || self
                .payments
                .iter()
                .filter(|p| p.state == payment_state::PAID)
                .map(|p| p.amount_cents)
                .sum::<i64>()
                >= self.fee.cents
    }

    fn missing_evidence(&self, service: &ServiceDef) -> Result<bool, AppError> {
        Ok(catalog()?
            .evidence(service, &self.data)
            .iter()
            .any(|e| e.required && !self.docs.iter().any(|d| d.evidence_key == e.key)))
    }
}

async fn review_state(
    state: &AppState,
    tx: &TenantTx,
    applicant: Uuid,
    draft_id: Uuid,
) -> Result<(ReviewState, &'static ServiceDef), AppError> {
    let draft = repo::draft(tx, applicant, draft_id).await?;
    let docs = repo::draft_evidence(tx, draft_id).await?;
    let payments = repo::draft_payments(tx, draft_id).await?;
    ReviewState::assemble(today(state), draft, docs, payments)
}

impl ReviewState {
    /// The draft's cleaned data and fee (as of `today`) with its evidence and payments.
    fn assemble(
        today: NaiveDate,
        draft: repo::Draft,
        docs: Vec<repo::EvidenceRef>,
        payments: Vec<repo::Payment>,
    ) -> Result<(Self, &'static ServiceDef), AppError> {
        let service = service_def(&draft.service_key)?;
        let catalog = catalog()?;
        let data = catalog.clean(service, &draft.form_data);
        let fee = catalog
            .fee(service, &data, today)
            .ok_or_else(|| AppError::internal("fee code missing"))?;
        Ok((
            ReviewState {
                draft,
                data,
                fee,
                docs,
                payments,
            },
            service,
        ))
    }
}

/// Whether a draft may be submitted: the whole form valid (else the first failing step in
/// `_step`), the required evidence there, the fee paid.
fn check_complete(
    catalog: &Catalog,
    rs: &ReviewState,
    service: &ServiceDef,
    today: NaiveDate,
) -> Result<(), AppError> {
    if let Err((step, mut errors)) = catalog.validate_all(service, &rs.data, today) {
        errors.insert("_step".into(), step.to_string());
        return Err(AppError::Validation(errors));
    }
    let mut problems = BTreeMap::new();
    if rs.missing_evidence(service)? {
        problems.insert("_evidence".to_owned(), "intake-problem-evidence".to_owned());
    }
    if !rs.paid() {
        problems.insert("_payment".to_owned(), "intake-problem-unpaid".to_owned());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(problems))
    }
}

fn review_view(
    tenant: Uuid,
    rs: &ReviewState,
    service: &ServiceDef,
    lang: Lang,
    problems: Vec<String>,
    errors: FieldErrors,
) -> Result<ReviewView, AppError> {
    let catalog = catalog()?;
    let code = lang.code();
    let base = format!("/portal/drafts/{tenant}/{}", rs.draft.id);
    let sections = service
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| ReviewSection {
            title: step.title.get(code).to_owned(),
            edit_href: format!("{base}/steps/{i}"),
            rows: catalog
                .step_fields(service, i)
                .into_iter()
                .filter(|f| f.visible(&rs.data))
                .map(|f| {
                    let raw = rs.data.get(&f.key).cloned().unwrap_or_default();
                    let shown = f
                        .options
                        .iter()
                        .find(|o| o.value == raw)
                        .map(|o| o.label.get(code).to_owned())
                        .unwrap_or(raw);
                    (f.label.get(code).to_owned(), shown)
                })
                .collect(),
        })
        .collect();
    let evidence = catalog
        .evidence(service, &rs.data)
        .into_iter()
        .map(|e| EvidenceSlotView {
            key: e.key.clone(),
            label: e.label.get(code).to_owned(),
            required: e.required,
            documents: rs
                .docs
                .iter()
                .filter(|d| d.evidence_key == e.key)
                .map(|d| {
                    (
                        d.file_name.clone(),
                        size_text(d.size_bytes),
                        format!("{base}/evidence/{}/delete", d.id),
                    )
                })
                .collect(),
        })
        .collect();
    let payment_state = rs
        .payments
        .last()
        .map(|p| format!("intake-payment-{}", p.state));
    Ok(ReviewView {
        service_title: service.title.get(code).to_owned(),
        authority_name: tenant_name(tenant),
        sections,
        quick_check: catalog
            .quick_check(service, &rs.data)
            .into_iter()
            .map(|t| t.get(code).to_owned())
            .collect(),
        evidence,
        upload_action: format!("{base}/evidence"),
        max_upload_mb: (MAX_UPLOAD_BYTES / (1024 * 1024)) as u64,
        fee: cents_decimal(rs.fee.cents),
        fee_legal: rs.fee.legal.clone(),
        exemption: rs
            .fee
            .exemption
            .as_ref()
            .map(|e| format!("intake-exemption-{e}")),
        fee_due: rs.fee.cents > 0,
        payment_state,
        paid: rs.paid(),
        pay_action: format!("{base}/pay"),
        submit_action: format!("{base}/submit"),
        idempotency_key: random_token(),
        problems,
        errors,
    })
}

#[allow(clippy::too_many_arguments)]
async fn render_review(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    tenant: Uuid,
    draft_id: Uuid,
    status: StatusCode,
    problems: Vec<String>,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let applicant = applicant(identity)?;
    let tx = applicant_tx(state, applicant, tenant).await?;
    let (rs, service) = review_state(state, &tx, applicant, draft_id).await?;
    tx.commit().await?;
    if let Some(app) = rs.draft.submitted_application_id {
        return Ok(redirect(&format!("/portal/applications/{tenant}/{app}")));
    }
    let ctx = portal_ctx(state, req, Some(identity)).await;
    let view = review_view(tenant, &rs, service, ctx.lang, problems, errors)?;
    Ok(html(req, status, pages::review(&ctx, &view)))
}

#[get("/portal/drafts/{tenant}/{draft}/review")]
async fn review_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (tenant, draft) = path.into_inner();
    render_review(
        &state,
        &req,
        &identity,
        tenant,
        draft,
        StatusCode::OK,
        Vec::new(),
        FieldErrors::new(),
    )
    .await
}

/// The content type of an upload from its first bytes; the name and the browser's claim are
/// never trusted.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// A file name safe to show and to offer for download: the last path component, letters,
/// digits, space, `.`, `-`, `_` only, at most 100 characters, with the extension of the sniffed
/// type. Objects are stored under generated keys, so a name can never become a path.
pub fn sanitize_file_name(name: &str, content_type: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = cleaned
        .rsplit_once('.')
        .map(|(s, _)| s.to_owned())
        .unwrap_or(cleaned);
    let stem: String = stem
        .trim_matches(['.', ' ', '_'])
        .chars()
        .take(90)
        .collect();
    let stem = if stem.is_empty() {
        "document".to_owned()
    } else {
        stem
    };
    let ext = match content_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    format!("{stem}.{ext}")
}

/// The fields of an upload form, read with limits.
struct Upload {
    csrf: String,
    /// A reply's text (the reply form is multipart so it can carry a document).
    body: String,
    evidence_key: String,
    file_name: String,
    bytes: Vec<u8>,
    too_large: bool,
}

async fn read_upload(req: &HttpRequest, mut payload: Multipart) -> Result<Upload, AppError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_UPLOAD_REQUEST_BYTES as u64) {
        return Err(AppError::PayloadTooLarge);
    }
    let mut received = 0usize;
    let mut upload = Upload {
        csrf: String::new(),
        body: String::new(),
        evidence_key: String::new(),
        file_name: String::new(),
        bytes: Vec::new(),
        too_large: false,
    };
    let mut fields = 0;
    while let Some(item) = payload.next().await {
        let mut field = item.map_err(|_| AppError::field("file", "intake-error-file-empty"))?;
        fields += 1;
        if fields > 10 {
            return Err(AppError::field("file", "intake-error-file-count"));
        }
        let name = field.name().unwrap_or("").to_owned();
        let filename = field
            .content_disposition()
            .and_then(|cd| cd.get_filename().map(str::to_owned));
        let limit = match name.as_str() {
            "file" => MAX_UPLOAD_BYTES,
            // 5000 characters of up to four bytes each, and then some to tell "too long".
            "body" => 24 * 1024,
            _ => 512,
        };
        let mut buf = Vec::new();
        let mut over = false;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| AppError::field("file", "intake-error-file-empty"))?;
            received += chunk.len();
            if received > MAX_UPLOAD_REQUEST_BYTES {
                return Err(AppError::PayloadTooLarge);
            }
            if buf.len() + chunk.len() > limit {
                // Within the request limit: read on without storing, so the form can show
                // the error next to the field.
                over = true;
                continue;
            }
            buf.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => upload.csrf = String::from_utf8_lossy(&buf).into_owned(),
            "body" if over => upload.body = "x".repeat(5001),
            "body" => upload.body = String::from_utf8_lossy(&buf).into_owned(),
            "evidence_key" => upload.evidence_key = String::from_utf8_lossy(&buf).into_owned(),
            "file" => {
                upload.file_name = filename.unwrap_or_default();
                upload.bytes = buf;
                upload.too_large = over;
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// Stores one evidence document for a draft after all checks; the error is a field error on
/// `file` (or `evidence_key`).
#[allow(clippy::too_many_arguments)]
async fn store_evidence(
    state: &AppState,
    identity: &Identity,
    tenant: Uuid,
    draft_id: Uuid,
    evidence_key: &str,
    file_name: &str,
    bytes: &[u8],
    too_large: bool,
    address: &str,
) -> Result<repo::EvidenceRef, AppError> {
    let applicant = applicant(identity)?;
    let tx = applicant_tx(state, applicant, tenant).await?;
    let (rs, service) = review_state(state, &tx, applicant, draft_id).await?;
    if rs.draft.submitted_application_id.is_some() {
        return Err(AppError::Conflict("already_submitted"));
    }
    let slots = catalog()?.evidence(service, &rs.data);
    if !slots.iter().any(|e| e.key == evidence_key) {
        return Err(AppError::field(
            "evidence_key",
            "intake-error-evidence-kind",
        ));
    }
    if too_large {
        return Err(AppError::field("file", "intake-error-file-size"));
    }
    if bytes.is_empty() {
        return Err(AppError::field("file", "intake-error-file-empty"));
    }
    let content_type =
        sniff(bytes).ok_or_else(|| AppError::field("file", "intake-error-file-type"))?;
    if rs.docs.len() >= MAX_UPLOADS_PER_DRAFT {
        return Err(AppError::field("file", "intake-error-file-count"));
    }
    let id = Uuid::now_v7();
    let object_key = format!("evidence/{id}");
    let sha256 = state
        .objects
        .put(uuid_like::Tenant(tenant.as_u128()), &object_key, bytes)
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    let now = state.clock.now();
    let stored = repo::add_evidence(
        &tx,
        id,
        repo::NewEvidence {
            applicant_id: Some(applicant),
            draft_id: Some(draft_id),
            application_id: None,
            message_id: None,
            evidence_key: evidence_key.to_owned(),
            object_key,
            sha256: sha256.clone(),
            content_type: content_type.to_owned(),
            file_name: sanitize_file_name(file_name, content_type),
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            source: "portal".into(),
        },
        now,
    )
    .await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "intake.evidence.uploaded")
            .object("evidence", id)
            .source(address)
            .details(json!({ "draft": draft_id, "sha256": sha256, "content_type": content_type })),
    )
    .await?;
    tx.commit().await?;
    Ok(stored)
}

#[post("/portal/drafts/{tenant}/{draft}/evidence")]
async fn upload_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid)>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let (tenant, draft) = path.into_inner();
    let upload = read_upload(&req, payload).await?;
    verify_csrf(&req, &upload.csrf)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    match store_evidence(
        &state,
        &identity,
        tenant,
        draft,
        &upload.evidence_key,
        &upload.file_name,
        &upload.bytes,
        upload.too_large,
        &address,
    )
    .await
    {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/portal/drafts/{tenant}/{draft}/review"),
            "success",
            "intake-flash-uploaded",
        )),
        Err(AppError::Validation(errors)) => {
            render_review(
                &state,
                &req,
                &identity,
                tenant,
                draft,
                StatusCode::UNPROCESSABLE_ENTITY,
                Vec::new(),
                errors,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfInput {
    #[serde(default)]
    csrf: String,
}

#[post("/portal/drafts/{tenant}/{draft}/evidence/{doc}/delete")]
async fn evidence_delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    form: web::Form<CsrfInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let (tenant, draft_id, doc) = path.into_inner();
    let applicant = applicant(&identity)?;
    let tx = applicant_tx(&state, applicant, tenant).await?;
    let draft = repo::draft(&tx, applicant, draft_id).await?;
    if draft.submitted_application_id.is_some() {
        return Err(AppError::Conflict("already_submitted"));
    }
    let removed = repo::delete_draft_evidence(&tx, draft_id, doc).await?;
    let now = state.clock.now();
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "intake.evidence.removed")
            .object("evidence", doc)
            .source(client_address(&req, &state.settings.trusted_proxies)),
    )
    .await?;
    tx.commit().await?;
    let _ = state
        .objects
        .delete(uuid_like::Tenant(tenant.as_u128()), &removed.object_key)
        .await;
    Ok(redirect_with_flash(
        &format!("/portal/drafts/{tenant}/{draft_id}/review"),
        "success",
        "intake-flash-removed",
    ))
}

#[post("/portal/drafts/{tenant}/{draft}/pay")]
async fn pay_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid)>,
    form: web::Form<CsrfInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let (tenant, draft_id) = path.into_inner();
    let applicant = applicant(&identity)?;
    let tx = applicant_tx(&state, applicant, tenant).await?;
    let (rs, _) = review_state(&state, &tx, applicant, draft_id).await?;
    if rs.paid() || rs.draft.submitted_application_id.is_some() {
        tx.commit().await?;
        return Ok(redirect(&format!(
            "/portal/drafts/{tenant}/{draft_id}/review"
        )));
    }
    let now = state.clock.now();
    let payment =
        repo::create_payment(&tx, applicant, draft_id, &rs.fee.code, rs.fee.cents, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "payment.started")
            .object("payment", payment.id)
            .details(json!({ "amount_cents": payment.amount_cents, "fee": rs.fee.code })),
    )
    .await?;
    tx.commit().await?;
    let url = state
        .intake
        .provider
        .redirect_url(&PaymentRequest {
            reference: format!("{tenant}.{}", payment.id),
            amount_cents: payment.amount_cents,
            purpose: rs.fee.code.clone(),
            return_url: format!(
                "/portal/drafts/{tenant}/{draft_id}/payment-return?payment={}",
                payment.id
            ),
        })
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(redirect(&url))
}

#[derive(Debug, Deserialize)]
struct ReturnQuery {
    payment: Uuid,
}

#[get("/portal/drafts/{tenant}/{draft}/payment-return")]
async fn payment_return(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<ReturnQuery>,
) -> Result<HttpResponse, AppError> {
    let (tenant, draft_id) = path.into_inner();
    let applicant = applicant(&identity)?;
    let tx = applicant_tx(&state, applicant, tenant).await?;
    let payment = repo::payment(&tx, query.payment).await?;
    tx.commit().await?;
    if payment.applicant_id != applicant || payment.draft_id != draft_id {
        return Err(AppError::NotFound);
    }
    let (kind, key) = match payment.state.as_str() {
        payment_state::PAID => ("success", "intake-flash-paid"),
        payment_state::DECLINED => ("error", "intake-flash-declined"),
        payment_state::ABANDONED => ("error", "intake-flash-abandoned"),
        _ => ("info", "intake-payment-pending"),
    };
    Ok(redirect_with_flash(
        &format!("/portal/drafts/{tenant}/{draft_id}/review"),
        kind,
        key,
    ))
}

/// The outcome of a submission.
pub struct Submitted {
    pub application: repo::Application,
    pub created: bool,
}

/// Submits a draft. Checks the whole form, the evidence and the payment; the idempotency key
/// makes a repeated submission return the first application and change nothing. The work is done
/// by the tenant's batcher (group commit, ADR 0005); the answer comes after its commit.
async fn submit_draft(
    state: &web::Data<AppState>,
    identity: &Identity,
    tenant: Uuid,
    draft_id: Uuid,
    idempotency_key: &str,
    address: &str,
) -> Result<Submitted, AppError> {
    let applicant = applicant(identity)?;
    let key = idempotency_key.trim();
    if key.is_empty() || key.len() > 100 {
        return Err(AppError::field("idempotency_key", "intake-error-required"));
    }
    let request = batch::Request {
        applicant,
        actor: identity.actor(),
        draft_id,
        key: key.to_owned(),
        address: address.to_owned(),
    };
    state
        .intake
        .submissions
        .submit(&state.clone().into_inner(), tenant, request)
        .await
}

#[derive(Debug, Deserialize)]
struct SubmitInput {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    idempotency_key: String,
}

#[post("/portal/drafts/{tenant}/{draft}/submit")]
async fn submit_application(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid)>,
    form: web::Form<SubmitInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let (tenant, draft) = path.into_inner();
    let address = client_address(&req, &state.settings.trusted_proxies);
    match submit_draft(
        &state,
        &identity,
        tenant,
        draft,
        &form.idempotency_key,
        &address,
    )
    .await
    {
        Ok(done) => {
            let to = format!("/portal/applications/{tenant}/{}", done.application.id);
            if done.created {
                Ok(redirect_with_flash(
                    &to,
                    "success",
                    "intake-flash-submitted",
                ))
            } else {
                Ok(redirect(&to))
            }
        }
        Err(AppError::Validation(errors)) => {
            if let Some(step) = errors.get("_step") {
                return Ok(redirect(&format!(
                    "/portal/drafts/{tenant}/{draft}/steps/{step}"
                )));
            }
            let problems = errors.into_values().collect();
            render_review(
                &state,
                &req,
                &identity,
                tenant,
                draft,
                StatusCode::UNPROCESSABLE_ENTITY,
                problems,
                FieldErrors::new(),
            )
            .await
        }
        Err(other) => Err(other),
    }
}

// ---------------------------------------------------------------------------------------------
// After submission: list, status, messages, appointments

#[get("/portal/applications")]
async fn applications_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let applicant = applicant(&identity)?;
    let ctx = portal_ctx(&state, &req, Some(&identity)).await;
    let code = ctx.lang.code();
    let mut page = PortalApplications::default();
    for tenant in repo::applicant_tenants(state.db.connection(), applicant).await? {
        let tx = state.db.tenant(TenantId(tenant)).await?;
        let drafts = repo::drafts_of(&tx, applicant).await?;
        let apps = repo::applications_of(&tx, applicant).await?;
        tx.commit().await?;
        let name = tenant_name(tenant);
        for d in drafts {
            let title = service_def(&d.service_key)
                .map(|s| s.title.get(code).to_owned())
                .unwrap_or_default();
            let service_steps = service_def(&d.service_key)
                .map(|s| s.steps.len())
                .unwrap_or(0);
            let step = usize::try_from(d.step).unwrap_or(0);
            let href = if step >= service_steps {
                format!("/portal/drafts/{tenant}/{}/review", d.id)
            } else {
                format!("/portal/drafts/{tenant}/{}/steps/{step}", d.id)
            };
            page.drafts.push(PortalListItem {
                title,
                authority_name: name.clone(),
                reference: String::new(),
                state: String::new(),
                href,
                at: fmt_time(d.updated_at),
            });
        }
        for a in apps {
            let title = service_def(&a.service_key)
                .map(|s| s.title.get(code).to_owned())
                .unwrap_or_default();
            page.applications.push(PortalListItem {
                title,
                authority_name: name.clone(),
                reference: a.reference.clone(),
                state: a.state.clone(),
                href: format!("/portal/applications/{tenant}/{}", a.id),
                at: fmt_time(a.submitted_at),
            });
        }
    }
    Ok(html(&req, StatusCode::OK, pages::applications(&ctx, &page)))
}

/// The bookable slots of the next `days` local days; opening hours are Europe/Berlin wall-clock
/// times (see [`amtsweg_intake::appointments`]).
fn free_slots(
    hours: &[repo::Hours],
    booked: &[repo::Appointment],
    now: DateTime<Utc>,
    days: u32,
) -> Vec<(Uuid, DateTime<Utc>, DateTime<Utc>)> {
    let hours: Vec<_> = hours.iter().filter_map(opening_hours).collect();
    let booked: Vec<_> = booked
        .iter()
        .map(|b| (b.resource_id, b.starts_at))
        .collect();
    appointments::free_slots(&hours, &booked, now, days)
        .into_iter()
        .map(|s| (s.resource, s.starts_at, s.ends_at))
        .collect()
}

/// Stored opening hours as the pure type; rows that do not parse offer no slots.
fn opening_hours(h: &repo::Hours) -> Option<appointments::OpeningHours<Uuid>> {
    Some(appointments::OpeningHours {
        resource: h.resource_id,
        weekday: u32::try_from(h.weekday).ok()?,
        opens: NaiveTime::parse_from_str(&h.opens, "%H:%M").ok()?,
        closes: NaiveTime::parse_from_str(&h.closes, "%H:%M").ok()?,
        slot_minutes: u32::try_from(h.slot_minutes).ok()?,
    })
}

async fn application_view(
    state: &AppState,
    tx: &TenantTx,
    tenant: Uuid,
    app: &repo::Application,
    lang: Lang,
) -> Result<ApplicationView, AppError> {
    let code = lang.code();
    let docs = repo::application_evidence(tx, app.id).await?;
    let messages = repo::messages(tx, app.id).await?;
    let sub = repo::submitted_application(tx, app.id).await?;
    let appointments = repo::appointments_of(tx, app.applicant_id).await?;
    let resources = repo::resources(tx).await?;
    let hours = repo::hours(tx).await?;
    let now = state.clock.now();
    let booked = repo::booked_between(tx, now, now + Duration::days(15)).await?;
    let base = format!("/portal/applications/{tenant}/{}", app.id);
    let resource_name = |id: Uuid| {
        resources
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    };
    Ok(ApplicationView {
        reference: app.reference.clone(),
        service_title: service_def(&app.service_key)
            .map(|s| s.title.get(code).to_owned())
            .unwrap_or_default(),
        authority_name: tenant_name(tenant),
        state: app.state.clone(),
        submitted_at: fmt_time(app.submitted_at),
        fee: cents_decimal(app.fee_cents),
        paid: cents_decimal(sub.paid_cents),
        evidence: docs.iter().map(|d| d.file_name.clone()).collect(),
        receipt_href: format!("{base}/receipt"),
        messages: messages
            .iter()
            .map(|m| MessageView {
                from_authority: m.direction == "to_applicant",
                body: m.body.clone(),
                due: m.due_at.map(|d| d.format("%Y-%m-%d").to_string()),
                at: fmt_time(m.created_at),
                attachments: docs
                    .iter()
                    .filter(|d| d.message_id == Some(m.id))
                    .map(|d| (d.file_name.clone(), None))
                    .collect(),
                document_href: m.document_id.map(|d| format!("{base}/documents/{d}")),
            })
            .collect(),
        reply_action: format!("{base}/messages"),
        appointments: appointments
            .iter()
            .map(|a| {
                (
                    format!(
                        "{} – {}",
                        fmt_time(a.starts_at),
                        resource_name(a.resource_id)
                    ),
                    a.id.to_string(),
                    format!("{base}/appointments/{}/cancel", a.id),
                )
            })
            .collect(),
        slots: free_slots(&hours, &booked, now, 14)
            .into_iter()
            .take(40)
            .map(|(r, s, _)| {
                (
                    format!("{r}|{}", s.to_rfc3339()),
                    format!("{} – {}", fmt_time(s), resource_name(r)),
                )
            })
            .collect(),
        book_action: format!("{base}/appointments"),
        pickup_location: repo::pickup_location(tx, app.id).await?,
        errors: FieldErrors::new(),
    })
}

#[get("/portal/applications/{tenant}/{id}")]
async fn application_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (tenant, id) = path.into_inner();
    let applicant = applicant(&identity)?;
    let ctx = portal_ctx(&state, &req, Some(&identity)).await;
    let tx = applicant_tx(&state, applicant, tenant).await?;
    let app = repo::own_application(&tx, applicant, id).await?;
    let view = application_view(&state, &tx, tenant, &app, ctx.lang).await?;
    tx.commit().await?;
    Ok(html(&req, StatusCode::OK, pages::application(&ctx, &view)))
}

#[get("/portal/applications/{tenant}/{id}/receipt")]
async fn receipt_download(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, AppError> {
    use amtsweg_frontend::i18n::{t, t_args};
    let (tenant, id) = path.into_inner();
    let applicant = applicant(&identity)?;
    let lang = context_from_request(&req, Area::Portal).lang;
    let tx = applicant_tx(&state, applicant, tenant).await?;
    let app = repo::own_application(&tx, applicant, id).await?;
    let sub = repo::submitted_application(&tx, id).await?;
    tx.commit().await?;
    let code = lang.code();
    let amount = |cents: i64| t_args(lang, "intake-amount", &[("amount", cents_decimal(cents))]);
    let service = service_def(&app.service_key)?;
    let mut doc =
        amtsweg_pdf::Document::new(app.reference.clone()).right_to_left(lang.dir() == "rtl");
    doc.text(t(lang, "pdf-receipt-title"), 20.0, 0.0)
        .text(tenant_name(tenant), 12.0, 8.0)
        .text(service.title.get(code), 14.0, 16.0)
        .text(
            format!("{}: {}", t(lang, "intake-reference"), app.reference),
            12.0,
            14.0,
        )
        .text(
            format!(
                "{}: {}",
                t(lang, "intake-submitted-at"),
                fmt_time(app.submitted_at)
            ),
            12.0,
            4.0,
        )
        .text(
            format!("{}: {}", t(lang, "intake-fee-title"), amount(app.fee_cents)),
            12.0,
            4.0,
        )
        .text(
            format!("{}: {}", t(lang, "intake-paid"), amount(sub.paid_cents)),
            12.0,
            4.0,
        )
        .text(t(lang, "intake-evidence-title"), 14.0, 16.0);
    for e in &sub.evidence {
        doc.text(
            format!(
                "– {} (SHA-256 {}…)",
                e.file_name,
                &e.sha256[..16.min(e.sha256.len())]
            ),
            10.0,
            2.0,
        );
    }
    doc.text(t(lang, "pdf-receipt-note"), 10.0, 24.0);
    let pdf = doc
        .render()
        .map_err(|err| AppError::internal(err.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.pdf\"", app.reference),
        ))
        .body(pdf))
}

/// Notifies the applicant of a new message: no personal data, only a link.
async fn notify_applicant(
    state: &AppState,
    tx: &TenantTx,
    applicant: Uuid,
    tenant: Uuid,
    application: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let account = amtsweg_store::applicants::get(tx.conn(), applicant).await?;
    let lang = Lang::parse(&account.language).unwrap_or_default();
    let link = format!(
        "{}/portal/applications/{tenant}/{application}",
        state.settings.public_url.trim_end_matches('/')
    );
    outbox::enqueue(
        tx.conn(),
        outbox::NewMail {
            recipient: account.email,
            subject: mail_text(lang, "mail-intake-message-subject", &[]),
            body_text: mail_text(lang, "mail-intake-message-body", &[("link", link)]),
            body_html: None,
        },
        now,
    )
    .await?;
    Ok(())
}

/// Tells staff that a reply came in: only a link, no personal data. The staff member who last
/// wrote to the applicant gets a mail per reply. When nobody from the authority has written yet,
/// the intake team (every active account that works the intake inbox) is told instead, but only of
/// the first reply nobody has opened yet, so a chatty applicant does not flood the office: the
/// next team mail follows once someone has opened the application.
async fn notify_staff(
    state: &AppState,
    tx: &TenantTx,
    application: Uuid,
    earlier_unread_replies: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let author = repo::last_staff_author(tx, application)
        .await?
        .and_then(|author| {
            author
                .split_once(':')
                .and_then(|(_, id)| Uuid::parse_str(id).ok())
        });
    let recipients: Vec<String> = match author {
        Some(user) => match amtsweg_store::users::get(tx, user).await {
            Ok(user) if user.status == amtsweg_store::users::status::ACTIVE => vec![user.email],
            _ => Vec::new(),
        },
        None if earlier_unread_replies == 0 => amtsweg_store::users::list(tx)
            .await?
            .into_iter()
            .filter(|u| {
                u.status == amtsweg_store::users::status::ACTIVE
                    && u.role
                        .parse::<Role>()
                        .is_ok_and(|role| role.has(Permission::WorkCases))
            })
            .map(|u| u.email)
            .collect(),
        None => Vec::new(),
    };
    let (subject, body) = if author.is_some() {
        ("mail-intake-reply-subject", "mail-intake-reply-body")
    } else {
        (
            "mail-intake-team-reply-subject",
            "mail-intake-team-reply-body",
        )
    };
    let link = format!(
        "{}/workspace/intake/{application}",
        state.settings.public_url.trim_end_matches('/')
    );
    for recipient in recipients {
        outbox::enqueue(
            tx.conn(),
            outbox::NewMail {
                recipient,
                subject: mail_text(Lang::De, subject, &[]),
                body_text: mail_text(Lang::De, body, &[("link", link.clone())]),
                body_html: None,
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// How long before an appointment its reminder goes out.
pub const REMINDER_AHEAD_HOURS: i64 = 24;

/// Mails a reminder for every booked appointment of `tenant` that starts within the next
/// [`REMINDER_AHEAD_HOURS`] and has not been reminded: only a link, no personal data, in the
/// applicant's language. Idempotent: the appointment is marked in the transaction that enqueues
/// the mail. Returns how many reminders were sent.
pub async fn send_appointment_reminders(
    state: &AppState,
    tenant: TenantId,
) -> Result<usize, AppError> {
    let now = state.clock.now();
    let tx = state.db.tenant(tenant).await?;
    let due = repo::due_reminders(&tx, now, now + Duration::hours(REMINDER_AHEAD_HOURS)).await?;
    let mut sent = 0;
    for appointment in due {
        if !repo::mark_reminded(&tx, appointment.id, now).await? {
            continue;
        }
        let account = amtsweg_store::applicants::get(tx.conn(), appointment.applicant_id).await?;
        let lang = Lang::parse(&account.language).unwrap_or_default();
        let path = match appointment.application_id {
            Some(application) => format!("/portal/applications/{}/{application}", tenant.0),
            None => "/portal/applications".to_owned(),
        };
        let link = format!("{}{path}", state.settings.public_url.trim_end_matches('/'));
        outbox::enqueue(
            tx.conn(),
            outbox::NewMail {
                recipient: account.email,
                subject: mail_text(lang, "mail-intake-reminder-subject", &[]),
                body_text: mail_text(lang, "mail-intake-reminder-body", &[("link", link)]),
                body_html: None,
            },
            now,
        )
        .await?;
        audit::append(
            &tx,
            now,
            NewEntry::new("system:reminders", "appointment.reminded")
                .object("appointment", appointment.id),
        )
        .await?;
        sent += 1;
    }
    tx.commit().await?;
    if sent > 0 {
        state.outbox_wakeup.notify_one();
    }
    Ok(sent)
}

/// Most documents an application's replies can carry.
const MAX_REPLY_UPLOADS: usize = 20;

/// An applicant's reply, optionally with one document (checked like evidence: sniffed type, size,
/// count, sanitized name). Staff get the inbox marker and a mail without personal data.
#[post("/portal/applications/{tenant}/{id}/messages")]
async fn reply_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid)>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let upload = read_upload(&req, payload).await?;
    verify_csrf(&req, &upload.csrf)?;
    let (tenant, id) = path.into_inner();
    let applicant = applicant(&identity)?;
    let tx = applicant_tx(&state, applicant, tenant).await?;
    let app = repo::own_application(&tx, applicant, id).await?;
    let body = upload.body.trim();
    let mut errors = FieldErrors::new();
    if body.is_empty() {
        errors.insert("body".into(), "intake-error-required".into());
    } else if body.chars().count() > 5000 {
        errors.insert("body".into(), "intake-error-too-long".into());
    }
    let has_file = !upload.file_name.is_empty() || !upload.bytes.is_empty() || upload.too_large;
    let content_type = if !has_file {
        None
    } else if upload.too_large {
        errors.insert("file".into(), "intake-error-file-size".into());
        None
    } else if upload.bytes.is_empty() {
        errors.insert("file".into(), "intake-error-file-empty".into());
        None
    } else {
        let replies_docs = repo::application_evidence(&tx, id)
            .await?
            .iter()
            .filter(|d| d.message_id.is_some())
            .count();
        match sniff(&upload.bytes) {
            None => {
                errors.insert("file".into(), "intake-error-file-type".into());
                None
            }
            Some(_) if replies_docs >= MAX_REPLY_UPLOADS => {
                errors.insert("file".into(), "intake-error-file-count".into());
                None
            }
            Some(ct) => Some(ct),
        }
    };
    if !errors.is_empty() {
        let ctx = portal_ctx(&state, &req, Some(&identity)).await;
        let mut view = application_view(&state, &tx, tenant, &app, ctx.lang).await?;
        tx.commit().await?;
        view.errors = errors;
        return Ok(html(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::application(&ctx, &view),
        ));
    }
    let now = state.clock.now();
    let earlier_unread_replies = repo::unread_replies(&tx, id).await?;
    let message = repo::add_message(
        &tx,
        id,
        "from_applicant",
        &identity.actor(),
        body,
        None,
        now,
    )
    .await?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    if let Some(content_type) = content_type {
        let doc = Uuid::now_v7();
        let object_key = format!("evidence/{doc}");
        let sha256 = state
            .objects
            .put(
                uuid_like::Tenant(tenant.as_u128()),
                &object_key,
                &upload.bytes,
            )
            .await
            .map_err(|e| AppError::internal(e.to_string()))?;
        repo::add_evidence(
            &tx,
            doc,
            repo::NewEvidence {
                applicant_id: Some(applicant),
                draft_id: None,
                application_id: Some(id),
                message_id: Some(message.id),
                evidence_key: "reply".into(),
                object_key,
                sha256: sha256.clone(),
                content_type: content_type.to_owned(),
                file_name: sanitize_file_name(&upload.file_name, content_type),
                size_bytes: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
                source: "message".into(),
            },
            now,
        )
        .await?;
        audit::append(
            &tx,
            now,
            NewEntry::new(identity.actor(), "intake.evidence.uploaded")
                .object("evidence", doc)
                .source(&address)
                .details(json!({ "message": message.id, "sha256": sha256, "content_type": content_type })),
        )
        .await?;
    }
    if app.state == repo::state::AWAITING_APPLICANT {
        repo::set_application_state(&tx, id, repo::state::IN_PROGRESS).await?;
    }
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "intake.message.sent")
            .object("message", message.id)
            .source(&address)
            .details(json!({ "application": id, "attachment": content_type.is_some() })),
    )
    .await?;
    notify_staff(&state, &tx, id, earlier_unread_replies, now).await?;
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    Ok(redirect_with_flash(
        &format!("/portal/applications/{tenant}/{id}"),
        "success",
        "intake-flash-message-sent",
    ))
}

#[derive(Debug, Deserialize)]
struct BookInput {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slot: String,
}

/// Books a slot offered by the opening hours; the database refuses a double booking.
async fn book_slot(
    state: &AppState,
    identity: &Identity,
    tenant: Uuid,
    application: Option<Uuid>,
    resource: Uuid,
    starts_at: DateTime<Utc>,
) -> Result<repo::Appointment, AppError> {
    let applicant = applicant(identity)?;
    let tx = applicant_tx(state, applicant, tenant).await?;
    if let Some(app) = application {
        repo::own_application(&tx, applicant, app).await?;
    }
    let now = state.clock.now();
    let hours = repo::hours(&tx).await?;
    let slot = free_slots(&hours, &[], now, 60)
        .into_iter()
        .find(|(r, s, _)| *r == resource && *s == starts_at)
        .ok_or_else(|| AppError::field("slot", "intake-error-option"))?;
    let appointment =
        repo::book(&tx, resource, slot.1, slot.2, applicant, application, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "appointment.booked")
            .object("appointment", appointment.id)
            .details(json!({ "resource": resource, "starts_at": starts_at })),
    )
    .await?;
    tx.commit().await?;
    Ok(appointment)
}

#[post("/portal/applications/{tenant}/{id}/appointments")]
async fn book_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid)>,
    form: web::Form<BookInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let (tenant, id) = path.into_inner();
    let back = format!("/portal/applications/{tenant}/{id}");
    let (resource, start) = form
        .slot
        .split_once('|')
        .ok_or(AppError::field("slot", "intake-error-option"))?;
    let resource =
        Uuid::parse_str(resource).map_err(|_| AppError::field("slot", "intake-error-option"))?;
    let start = DateTime::parse_from_rfc3339(start)
        .map_err(|_| AppError::field("slot", "intake-error-option"))?
        .with_timezone(&Utc);
    match book_slot(&state, &identity, tenant, Some(id), resource, start).await {
        Ok(_) => Ok(redirect_with_flash(&back, "success", "intake-flash-booked")),
        Err(AppError::Conflict("slot_taken")) => Ok(redirect_with_flash(
            &back,
            "error",
            "intake-flash-slot-taken",
        )),
        Err(other) => Err(other),
    }
}

#[post("/portal/applications/{tenant}/{id}/appointments/{appointment}/cancel")]
async fn cancel_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    form: web::Form<CsrfInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let (tenant, id, appointment) = path.into_inner();
    let applicant = applicant(&identity)?;
    let tx = applicant_tx(&state, applicant, tenant).await?;
    let now = state.clock.now();
    repo::cancel_appointment(&tx, applicant, appointment, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "appointment.cancelled").object("appointment", appointment),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/portal/applications/{tenant}/{id}"),
        "success",
        "intake-flash-cancelled",
    ))
}

// ---------------------------------------------------------------------------------------------
// Payment callbacks and the provider simulator

/// Verifies and applies a provider callback. A forged or altered callback changes nothing.
pub async fn handle_callback(
    state: &AppState,
    fields: &CallbackFields,
) -> Result<CallbackEffect, AppError> {
    let env = &state.intake;
    let callback = env
        .provider
        .verify_callback(fields)
        .map_err(|_| AppError::Forbidden)?;
    let (tenant, payment) = callback
        .reference
        .split_once('.')
        .and_then(|(t, p)| Some((Uuid::parse_str(t).ok()?, Uuid::parse_str(p).ok()?)))
        .ok_or(AppError::NotFound)?;
    let tx = state.db.tenant(TenantId(tenant)).await?;
    let current = repo::payment(&tx, payment).await?;
    if current.amount_cents != callback.amount_cents {
        return Err(AppError::Conflict("amount_mismatch"));
    }
    let now = state.clock.now();
    let effect = repo::apply_payment_callback(
        &tx,
        payment,
        &callback.event,
        callback.outcome.as_str(),
        &callback.txn,
        now,
    )
    .await?;
    audit::append(
        &tx,
        now,
        NewEntry::new("provider:epaybl", "payment.callback")
            .object("payment", payment)
            .details(
                json!({ "outcome": callback.outcome.as_str(), "effect": format!("{effect:?}") }),
            ),
    )
    .await?;
    tx.commit().await?;
    Ok(effect)
}

#[derive(Debug, Deserialize)]
struct SimRequest {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    amount_cents: i64,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    return_url: String,
    #[serde(default)]
    signature: String,
    #[serde(default)]
    action: String,
}

impl SimRequest {
    fn request(&self) -> PaymentRequest {
        PaymentRequest {
            reference: self.reference.clone(),
            amount_cents: self.amount_cents,
            purpose: self.purpose.clone(),
            return_url: self.return_url.clone(),
        }
    }
}

#[get("/sim/epaybl/pay")]
async fn sim_pay_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<SimRequest>,
) -> Result<HttpResponse, AppError> {
    let env = &state.intake;
    if !env.simulator {
        return Err(AppError::NotFound);
    }
    env.provider
        .verify_request(&query.request(), &query.signature)
        .map_err(|_| AppError::Forbidden)?;
    let ctx = context_from_request(&req, Area::Public);
    let view = SimPayView {
        amount: cents_decimal(query.amount_cents),
        purpose: query.purpose.clone(),
        hidden: vec![
            ("reference".into(), query.reference.clone()),
            ("amount_cents".into(), query.amount_cents.to_string()),
            ("purpose".into(), query.purpose.clone()),
            ("return_url".into(), query.return_url.clone()),
            ("signature".into(), query.signature.clone()),
        ],
    };
    Ok(html(&req, StatusCode::OK, pages::sim_pay(&ctx, &view)))
}

/// The simulated provider decides, sends its signed callback (twice for `double`) and sends the
/// browser back to the procedure.
#[post("/sim/epaybl/pay")]
async fn sim_pay_submit(
    state: web::Data<AppState>,
    form: web::Form<SimRequest>,
) -> Result<HttpResponse, AppError> {
    let env = &state.intake;
    if !env.simulator {
        return Err(AppError::NotFound);
    }
    env.provider
        .verify_request(&form.request(), &form.signature)
        .map_err(|_| AppError::Forbidden)?;
    let outcome = match form.action.as_str() {
        "pay" | "double" => Outcome::Paid,
        "decline" => Outcome::Declined,
        _ => Outcome::Abandoned,
    };
    let txn = format!("SIM-{}", Uuid::now_v7().simple());
    let event = format!("EV-{}", Uuid::now_v7().simple());
    let fields = env
        .provider
        .sign_callback(&form.reference, &txn, &event, outcome, form.amount_cents)
        .map_err(|e| AppError::internal(e.to_string()))?;
    handle_callback(&state, &fields).await?;
    if form.action == "double" {
        handle_callback(&state, &fields).await?;
    }
    // The return URL is covered by the verified signature, so this is no open redirect.
    Ok(redirect(&form.return_url))
}

// ---------------------------------------------------------------------------------------------
// Staff: intake inbox and application detail

fn staff(identity: &Identity) -> Result<TenantId, AppError> {
    identity.require(Permission::WorkCases)?;
    identity.tenant()
}

#[get("/workspace/intake")]
async fn inbox_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let tx = state.db.tenant(tenant).await?;
    let items = repo::inbox(&tx, None, 200).await?;
    tx.commit().await?;
    let code = ctx.lang.code();
    let rows = items
        .into_iter()
        .map(|i| InboxRowView {
            reference: i.reference,
            service_title: service_def(&i.service_key)
                .map(|s| s.title.get(code).to_owned())
                .unwrap_or(i.service_key),
            state: i.state,
            submitted_at: fmt_time(i.submitted_at),
            evidence_count: i.evidence_count,
            fee: cents_decimal(i.fee_cents),
            paid: cents_decimal(i.paid_cents),
            unread_replies: i.unread_replies,
            href: format!("/workspace/intake/{}", i.id),
        })
        .collect();
    Ok(html(
        &req,
        StatusCode::OK,
        pages::inbox(&ctx, &IntakeInbox { rows }),
    ))
}

async fn detail_view(tx: &TenantTx, id: Uuid, lang: Lang) -> Result<IntakeDetailView, AppError> {
    let app = repo::application(tx, id).await?;
    let sub = repo::submitted_application(tx, id).await?;
    let messages = repo::messages(tx, id).await?;
    let code = lang.code();
    let catalog = catalog()?;
    let service = service_def(&app.service_key)?;
    let fields = catalog
        .all_fields(service)
        .into_iter()
        .filter_map(|f| {
            let raw = app.form_data.get(&f.key)?;
            let shown = f
                .options
                .iter()
                .find(|o| &o.value == raw)
                .map(|o| o.label.get(code).to_owned())
                .unwrap_or_else(|| raw.clone());
            Some((f.label.get(code).to_owned(), shown))
        })
        .collect();
    Ok(IntakeDetailView {
        reference: app.reference.clone(),
        service_title: service.title.get(code).to_owned(),
        state: app.state.clone(),
        submitted_at: fmt_time(app.submitted_at),
        language: app.language.clone(),
        fee: cents_decimal(app.fee_cents),
        paid: cents_decimal(sub.paid_cents),
        fields,
        evidence: sub
            .evidence
            .iter()
            .map(|d| {
                (
                    d.file_name.clone(),
                    d.content_type.clone(),
                    size_text(d.size_bytes),
                    d.sha256.clone(),
                    format!("/workspace/intake/{id}/evidence/{}", d.id),
                )
            })
            .collect(),
        messages: messages
            .iter()
            .map(|m| MessageView {
                from_authority: m.direction == "to_applicant",
                body: m.body.clone(),
                due: m.due_at.map(|d| d.format("%Y-%m-%d").to_string()),
                at: fmt_time(m.created_at),
                attachments: sub
                    .evidence
                    .iter()
                    .filter(|d| d.message_id == Some(m.id))
                    .map(|d| {
                        (
                            d.file_name.clone(),
                            Some(format!("/workspace/intake/{id}/evidence/{}", d.id)),
                        )
                    })
                    .collect(),
                document_href: m.document_id.map(|d| format!("/workspace/documents/{d}")),
            })
            .collect(),
        message_action: format!("/workspace/intake/{id}/messages"),
        pickup_action: format!("/workspace/intake/{id}/pickup"),
        pickup_code: None,
        errors: FieldErrors::new(),
    })
}

#[get("/workspace/intake/{id}")]
async fn intake_detail_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ReadPersonalData)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let tx = state.db.tenant(tenant).await?;
    let view = detail_view(&tx, *id, ctx.lang).await?;
    // Opening the application is what clears the inbox marker for new replies.
    repo::mark_replies_read(&tx, *id, state.clock.now()).await?;
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "intake.application.read")
            .object("application", *id)
            .source(client_address(&req, &state.settings.trusted_proxies)),
    )
    .await?;
    tx.commit().await?;
    Ok(html(
        &req,
        StatusCode::OK,
        pages::intake_detail(&ctx, &view),
    ))
}

#[get("/workspace/intake/{id}/evidence/{doc}")]
async fn evidence_download(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ReadPersonalData)?;
    let (id, doc) = path.into_inner();
    let tx = state.db.tenant(tenant).await?;
    let evidence = repo::evidence_of_application(&tx, id, doc).await?;
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "intake.evidence.read")
            .object("evidence", doc)
            .source(client_address(&req, &state.settings.trusted_proxies)),
    )
    .await?;
    tx.commit().await?;
    let bytes = state
        .objects
        .get(uuid_like::Tenant(tenant.0.as_u128()), &evidence.object_key)
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    let actual = hex::encode(Sha256::digest(&bytes));
    if actual != evidence.sha256 {
        return Err(AppError::internal("evidence hash mismatch"));
    }
    Ok(HttpResponse::Ok()
        .content_type(evidence.content_type.clone())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}\"",
                evidence.file_name.replace('"', "_")
            ),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}

#[derive(Debug, Deserialize)]
struct StaffMessageInput {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    due: String,
}

#[post("/workspace/intake/{id}/messages")]
async fn staff_message_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    form: web::Form<StaffMessageInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let tenant = staff(&identity)?;
    let tx = state.db.tenant(tenant).await?;
    let app = repo::application(&tx, *id).await?;
    let body = form.body.trim();
    let mut errors = FieldErrors::new();
    if body.is_empty() {
        errors.insert("body".into(), "intake-error-required".into());
    }
    let due = match form.due.trim() {
        "" => None,
        d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(date) if date > today(&state) => Some(date),
            Ok(_) => {
                errors.insert("due".into(), "intake-error-date-future".into());
                None
            }
            Err(_) => {
                errors.insert("due".into(), "intake-error-date".into());
                None
            }
        },
    };
    if !errors.is_empty() {
        let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
        let mut view = detail_view(&tx, *id, ctx.lang).await?;
        tx.commit().await?;
        view.errors = errors;
        return Ok(html(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::intake_detail(&ctx, &view),
        ));
    }
    let now = state.clock.now();
    let message =
        repo::add_message(&tx, *id, "to_applicant", &identity.actor(), body, due, now).await?;
    if due.is_some() {
        repo::set_application_state(&tx, *id, repo::state::AWAITING_APPLICANT).await?;
    }
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "intake.message.sent")
            .object("message", message.id)
            .details(json!({ "application": *id, "due": due })),
    )
    .await?;
    notify_applicant(&state, &tx, app.applicant_id, tenant.0, *id, now).await?;
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    Ok(redirect_with_flash(
        &format!("/workspace/intake/{id}"),
        "success",
        "intake-flash-message-sent",
    ))
}

#[derive(Debug, Deserialize)]
struct PickupInput {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    location: String,
}

/// A pickup code: 8 characters without look-alikes.
fn pickup_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

#[post("/workspace/intake/{id}/pickup")]
async fn pickup_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    form: web::Form<PickupInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let tenant = staff(&identity)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let tx = state.db.tenant(tenant).await?;
    let app = repo::application(&tx, *id).await?;
    let location = form.location.trim();
    if location.is_empty() {
        let mut view = detail_view(&tx, *id, ctx.lang).await?;
        tx.commit().await?;
        view.errors
            .insert("location".into(), "intake-error-required".into());
        return Ok(html(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::intake_detail(&ctx, &view),
        ));
    }
    let now = state.clock.now();
    let code = pickup_code();
    repo::add_pickup_code(
        &tx,
        *id,
        &hex::encode(Sha256::digest(code.as_bytes())),
        location,
        now,
    )
    .await?;
    repo::set_application_state(&tx, *id, repo::state::READY_FOR_PICKUP).await?;
    // The code reaches the applicant in the portal only (never by mail).
    let account = amtsweg_store::applicants::get(tx.conn(), app.applicant_id).await?;
    let lang = Lang::parse(&account.language).unwrap_or_default();
    let text = format!(
        "{}: {code} ({location})",
        amtsweg_frontend::i18n::t(lang, "intake-pickup-title")
    );
    repo::add_message(
        &tx,
        *id,
        "to_applicant",
        &identity.actor(),
        &text,
        None,
        now,
    )
    .await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "intake.pickup.issued").object("application", *id),
    )
    .await?;
    notify_applicant(&state, &tx, app.applicant_id, tenant.0, *id, now).await?;
    let mut view = detail_view(&tx, *id, ctx.lang).await?;
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    view.pickup_code = Some(code);
    Ok(html(
        &req,
        StatusCode::OK,
        pages::intake_detail(&ctx, &view),
    ))
}

// ---------------------------------------------------------------------------------------------
// JSON API

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceSummary {
    pub key: String,
    pub version: u32,
    /// `abh` or `einbuergerung`.
    pub authority: String,
    pub title: BTreeMap<String, String>,
    /// The base fee in cents before exemptions.
    pub fee_cents: i64,
}

/// The statewide service catalog with titles in every portal language.
#[utoipa::path(get, path = "/api/v1/intake/services", tag = "intake",
    responses((status = 200, body = [ServiceSummary])))]
#[get("/api/v1/intake/services")]
async fn api_services() -> Result<HttpResponse, AppError> {
    let catalog = catalog()?;
    let list: Vec<ServiceSummary> = catalog
        .services()
        .iter()
        .map(|s| ServiceSummary {
            key: s.key.clone(),
            version: s.version,
            authority: match s.authority {
                AuthorityKind::Abh => "abh".into(),
                AuthorityKind::Einbuergerung => "einbuergerung".into(),
            },
            title: s.title.0.clone(),
            fee_cents: catalog.fee_def(&s.fee.code).map(|f| f.cents).unwrap_or(0),
        })
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ServiceSettings {
    /// Whether the authority offers the service online.
    pub active: bool,
    #[serde(default)]
    pub hints: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub opening_hours: Option<String>,
}

/// The caller's authority's activation of a statewide service, with its own hints, contact and
/// opening hours; the statewide definition stays the base.
#[utoipa::path(put, path = "/api/v1/intake/services/{key}/settings", tag = "intake",
    params(("key" = String, Path)), request_body = ServiceSettings,
    responses((status = 204), (status = 404), (status = 422)))]
#[actix_web::put("/api/v1/intake/services/{key}/settings")]
async fn api_service_settings(
    state: web::Data<AppState>,
    identity: Identity,
    key: web::Path<String>,
    body: web::Json<ServiceSettings>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ManageUsers)?;
    let texts = amtsweg_intake::settings::service_texts(
        body.hints.as_deref(),
        body.contact.as_deref(),
        body.opening_hours.as_deref(),
    )
    .map_err(AppError::Validation)?;
    admin::save_service(&state, &identity, tenant, &key, body.active, texts).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxEntry {
    pub id: Uuid,
    pub reference: String,
    pub service_key: String,
    pub state: String,
    pub evidence_count: i64,
    pub fee_cents: i64,
    pub paid_cents: i64,
    pub submitted_at: DateTime<Utc>,
    /// Applicant replies not yet opened by staff.
    pub unread_replies: i64,
}

/// The caller's tenant's intake inbox, newest first (no personal data in the list).
#[utoipa::path(get, path = "/api/v1/intake/applications", tag = "intake",
    responses((status = 200, body = [InboxEntry]), (status = 401), (status = 403)))]
#[get("/api/v1/intake/applications")]
async fn api_inbox(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    let tx = state.db.tenant(tenant).await?;
    let items = repo::inbox(&tx, None, 500).await?;
    tx.commit().await?;
    let out: Vec<InboxEntry> = items
        .into_iter()
        .map(|i| InboxEntry {
            id: i.id,
            reference: i.reference,
            service_key: i.service_key,
            state: i.state,
            evidence_count: i.evidence_count,
            fee_cents: i.fee_cents,
            paid_cents: i.paid_cents,
            submitted_at: i.submitted_at,
            unread_replies: i.unread_replies,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceEntry {
    pub id: Uuid,
    pub evidence_key: String,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size_bytes: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDetail {
    pub id: Uuid,
    pub reference: String,
    pub service_key: String,
    pub applicant_account_id: Uuid,
    pub state: String,
    #[schema(value_type = Object)]
    pub form_data: serde_json::Value,
    pub evidence: Vec<EvidenceEntry>,
    pub fee_cents: i64,
    pub paid_cents: i64,
    pub language: String,
    pub submitted_at: DateTime<Utc>,
}

/// One application with its structured data and evidence (a read of personal data: audited).
#[utoipa::path(get, path = "/api/v1/intake/applications/{id}", tag = "intake",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ApplicationDetail), (status = 404)))]
#[get("/api/v1/intake/applications/{id}")]
async fn api_application(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ReadPersonalData)?;
    let tx = state.db.tenant(tenant).await?;
    let sub = repo::submitted_application(&tx, *id).await?;
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "intake.application.read")
            .object("application", *id)
            .source(client_address(&req, &state.settings.trusted_proxies)),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(ApplicationDetail {
        id: sub.id,
        reference: sub.reference,
        service_key: sub.service_key,
        applicant_account_id: sub.applicant_account_id,
        state: sub.state,
        form_data: sub.form_data,
        evidence: sub
            .evidence
            .into_iter()
            .map(|e| EvidenceEntry {
                id: e.id,
                evidence_key: e.evidence_key,
                file_name: e.file_name,
                content_type: e.content_type,
                sha256: e.sha256,
                size_bytes: e.size_bytes,
            })
            .collect(),
        fee_cents: sub.fee_cents,
        paid_cents: sub.paid_cents,
        language: sub.language,
        submitted_at: sub.submitted_at,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StateChange {
    /// One of `submitted`, `in_progress`, `awaiting_applicant`, `decided`, `ready_for_pickup`,
    /// `closed`.
    pub state: String,
}

/// Moves an application to another state.
#[utoipa::path(put, path = "/api/v1/intake/applications/{id}/state", tag = "intake",
    params(("id" = Uuid, Path)), request_body = StateChange,
    responses((status = 204), (status = 404), (status = 409)))]
#[actix_web::put("/api/v1/intake/applications/{id}/state")]
async fn api_set_state(
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<Uuid>,
    body: web::Json<StateChange>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    let tx = state.db.tenant(tenant).await?;
    repo::set_application_state(&tx, *id, &body.state).await?;
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "intake.application.state")
            .object("application", *id)
            .details(json!({ "state": body.state })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReconciliationEntry {
    pub application_id: Option<Uuid>,
    pub reference: Option<String>,
    pub payment_id: Option<Uuid>,
    pub fee_cents: i64,
    pub paid_cents: i64,
    /// `ok`, `unpaid`, `overpaid` or `paid_without_application`.
    pub status: String,
}

/// Payments reconciled against applications.
#[utoipa::path(get, path = "/api/v1/intake/reconciliation", tag = "intake",
    responses((status = 200, body = [ReconciliationEntry])))]
#[get("/api/v1/intake/reconciliation")]
async fn api_reconciliation(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    let tx = state.db.tenant(tenant).await?;
    let lines = repo::reconcile_payments(&tx).await?;
    tx.commit().await?;
    let out: Vec<ReconciliationEntry> = lines
        .into_iter()
        .map(|l| ReconciliationEntry {
            application_id: l.application_id,
            reference: l.reference,
            payment_id: l.payment_id,
            fee_cents: l.fee_cents,
            paid_cents: l.paid_cents,
            status: l.status,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HoursInput {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i32,
    /// `HH:MM`
    pub opens: String,
    pub closes: String,
    pub slot_minutes: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResourceInput {
    /// `counter`, `biometrics` or `interpreter`.
    pub kind: String,
    pub name: String,
    /// Languages an interpreter speaks, comma-separated.
    #[serde(default)]
    pub languages: String,
    pub hours: Vec<HoursInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceCreated {
    pub id: Uuid,
}

/// Adds an appointment resource with its opening hours.
#[utoipa::path(post, path = "/api/v1/intake/resources", tag = "intake", request_body = ResourceInput,
    responses((status = 201, body = ResourceCreated), (status = 422)))]
#[post("/api/v1/intake/resources")]
async fn api_add_resource(
    state: web::Data<AppState>,
    identity: Identity,
    body: web::Json<ResourceInput>,
) -> Result<HttpResponse, AppError> {
    let tenant = staff(&identity)?;
    identity.require(Permission::ManageUsers)?;
    let mut errors = FieldErrors::new();
    let resource =
        amtsweg_intake::settings::resource(&body.kind, &body.name, &body.languages, &mut errors);
    let hours: Vec<_> = body
        .hours
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            appointments::parse_hours(
                (),
                &format!("hours[{i}]"),
                &h.weekday.to_string(),
                &h.opens,
                &h.closes,
                &h.slot_minutes.to_string(),
                &mut errors,
            )
        })
        .collect();
    let resource = match resource {
        Some(r) if errors.is_empty() => r,
        _ => return Err(AppError::Validation(errors)),
    };
    let id = admin::save_resource(&state, &identity, tenant, &resource, &hours).await?;
    Ok(HttpResponse::Created().json(ResourceCreated { id }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackResult {
    /// `applied`, `duplicate` or `already_final`.
    pub effect: String,
}

/// The payment provider's signed callback (HMAC-SHA256). Idempotent per event id; a forged or
/// altered callback is refused with 403 and changes nothing.
#[utoipa::path(post, path = "/api/v1/payments/epaybl/callback", tag = "intake",
    responses((status = 200, body = CallbackResult), (status = 403), (status = 404), (status = 409)))]
#[post("/api/v1/payments/epaybl/callback")]
async fn api_callback(
    state: web::Data<AppState>,
    form: web::Form<CallbackFields>,
) -> Result<HttpResponse, AppError> {
    let effect = handle_callback(&state, &form).await?;
    let effect = match effect {
        CallbackEffect::Applied => "applied",
        CallbackEffect::Duplicate => "duplicate",
        CallbackEffect::AlreadyFinal => "already_final",
    };
    Ok(HttpResponse::Ok().json(CallbackResult {
        effect: effect.into(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalApplication {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub reference: String,
    pub service_key: String,
    pub state: String,
    pub submitted_at: DateTime<Utc>,
}

/// The signed-in applicant's applications across authorities.
#[utoipa::path(get, path = "/api/v1/portal/applications", tag = "portal",
    responses((status = 200, body = [PortalApplication]), (status = 403)))]
#[get("/api/v1/portal/applications")]
async fn api_portal_applications(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let applicant = applicant(&identity)?;
    let mut out = Vec::new();
    for tenant in repo::applicant_tenants(state.db.connection(), applicant).await? {
        let tx = state.db.tenant(TenantId(tenant)).await?;
        for a in repo::applications_of(&tx, applicant).await? {
            out.push(PortalApplication {
                tenant_id: tenant,
                id: a.id,
                reference: a.reference,
                service_key: a.service_key,
                state: a.state,
                submitted_at: a.submitted_at,
            });
        }
        tx.commit().await?;
    }
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PortalSubmit {
    pub tenant_id: Uuid,
    pub draft_id: Uuid,
    /// Unique per applicant: a retry with the same key returns the first application.
    pub idempotency_key: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalSubmitted {
    pub id: Uuid,
    pub reference: String,
    /// False when the key was used before: nothing new was created.
    pub created: bool,
}

/// Submits a completed draft (the same checks as the page).
#[utoipa::path(post, path = "/api/v1/portal/applications", tag = "portal", request_body = PortalSubmit,
    responses((status = 201, body = PortalSubmitted), (status = 200, body = PortalSubmitted), (status = 422)))]
#[post("/api/v1/portal/applications")]
async fn api_portal_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<PortalSubmit>,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req, &state.settings.trusted_proxies);
    let done = submit_draft(
        &state,
        &identity,
        body.tenant_id,
        body.draft_id,
        &body.idempotency_key,
        &address,
    )
    .await?;
    let out = PortalSubmitted {
        id: done.application.id,
        reference: done.application.reference,
        created: done.created,
    };
    Ok(if done.created {
        HttpResponse::Created().json(out)
    } else {
        HttpResponse::Ok().json(out)
    })
}

#[derive(Debug, Deserialize)]
struct SlotQuery {
    tenant_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Slot {
    pub resource_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Free slots of the next 14 days at an authority the applicant applied to.
#[utoipa::path(get, path = "/api/v1/portal/slots", tag = "portal",
    params(("tenant_id" = Uuid, Query)),
    responses((status = 200, body = [Slot]), (status = 404)))]
#[get("/api/v1/portal/slots")]
async fn api_portal_slots(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<SlotQuery>,
) -> Result<HttpResponse, AppError> {
    let applicant = applicant(&identity)?;
    let tx = applicant_tx(&state, applicant, query.tenant_id).await?;
    let now = state.clock.now();
    let hours = repo::hours(&tx).await?;
    let booked = repo::booked_between(&tx, now, now + Duration::days(15)).await?;
    tx.commit().await?;
    let out: Vec<Slot> = free_slots(&hours, &booked, now, 14)
        .into_iter()
        .map(|(r, s, e)| Slot {
            resource_id: r,
            starts_at: s,
            ends_at: e,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BookRequest {
    pub tenant_id: Uuid,
    pub resource_id: Uuid,
    pub starts_at: DateTime<Utc>,
    #[serde(default)]
    pub application_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Booked {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
}

/// Books a slot; 409 `slot_taken` if someone else was first (never double-booked).
#[utoipa::path(post, path = "/api/v1/portal/appointments", tag = "portal", request_body = BookRequest,
    responses((status = 201, body = Booked), (status = 409), (status = 422)))]
#[post("/api/v1/portal/appointments")]
async fn api_portal_book(
    state: web::Data<AppState>,
    identity: Identity,
    body: web::Json<BookRequest>,
) -> Result<HttpResponse, AppError> {
    let appointment = book_slot(
        &state,
        &identity,
        body.tenant_id,
        body.application_id,
        body.resource_id,
        body.starts_at,
    )
    .await?;
    Ok(HttpResponse::Created().json(Booked {
        id: appointment.id,
        starts_at: appointment.starts_at,
    }))
}

/// Maps a store conflict on the same slot for tests and callers that use the store directly.
pub fn is_slot_taken(err: &StoreError) -> bool {
    matches!(err, StoreError::Conflict("slot_taken"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn types_are_sniffed_from_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some("image/png")
        );
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b"<html>"), None);
    }

    #[test]
    fn file_names_are_sanitized() {
        assert_eq!(
            sanitize_file_name("../../etc/passwd", "application/pdf"),
            "passwd.pdf"
        );
        assert_eq!(
            sanitize_file_name("C:\\x\\..\\pass port.exe", "image/png"),
            "pass port.png"
        );
        assert_eq!(
            sanitize_file_name("جواز.pdf", "application/pdf"),
            "جواز.pdf"
        );
        assert_eq!(sanitize_file_name("....", "image/jpeg"), "document.jpg");
        assert_eq!(
            sanitize_file_name("a<script>.pdf", "application/pdf"),
            "a_script.pdf"
        );
        assert!(sanitize_file_name(&"x".repeat(500), "application/pdf").len() <= 100);
    }

    #[test]
    fn stored_hours_offer_local_slots_and_skip_booked_ones() {
        use chrono::TimeZone;
        let resource = Uuid::now_v7();
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 6, 0, 0).unwrap(); // a Monday
        let hours = vec![repo::Hours {
            resource_id: resource,
            weekday: 1,
            opens: "08:00".into(),
            closes: "10:00".into(),
            slot_minutes: 30,
        }];
        let free = free_slots(&hours, &[], now, 1);
        assert_eq!(free.len(), 4);
        // 08:00 in Düsseldorf in winter is 07:00 UTC.
        assert_eq!(
            free[0].1,
            Utc.with_ymd_and_hms(2026, 11, 30, 7, 0, 0).unwrap()
        );
        let booked = vec![repo::Appointment {
            id: Uuid::now_v7(),
            resource_id: resource,
            starts_at: free[0].1,
            ends_at: free[0].2,
            applicant_id: Uuid::now_v7(),
            application_id: None,
            state: "booked".into(),
        }];
        assert_eq!(free_slots(&hours, &booked, now, 1).len(), 3);
    }
}

/// The intake part of the OpenAPI document, merged in `openapi.rs`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        api_services, api_service_settings, api_inbox, api_application, api_set_state, api_reconciliation, api_add_resource,
        api_callback, api_portal_applications, api_portal_submit, api_portal_slots, api_portal_book,
        admin::api_settings, admin::api_deactivate_resource, admin::api_day,
        scans::api_upload, scans::api_list, scans::api_scan, scans::api_content, scans::api_assign,
    ),
    components(schemas(
        ServiceSummary, ServiceSettings, InboxEntry, EvidenceEntry, ApplicationDetail, StateChange, ReconciliationEntry,
        HoursInput, ResourceInput, ResourceCreated, CallbackResult, PortalApplication, PortalSubmit,
        PortalSubmitted, Slot, BookRequest, Booked, admin::IntakeSettings, admin::ServiceSettingEntry,
        admin::ResourceEntry, admin::HoursEntry, admin::DayEntry,
        scans::ScanEntry, scans::ScanList, scans::AssignRequest, scans::ScanUploadForm,
    )),
    tags(
        (name = "intake", description = "Service catalog, intake inbox, payments and appointments"),
        (name = "portal", description = "The signed-in applicant's applications and appointments"),
    )
)]
pub struct IntakeDoc;
