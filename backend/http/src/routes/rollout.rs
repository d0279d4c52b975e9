//! The rollout API: onboarding (operator and tenant admin), EfA subscriptions and costs, devices,
//! the PIK-Chassis device API, registrations and their biometric data, and the ministry's
//! aggregate overview.
//!
//! Tenant data is reached through the caller's own tenant transaction. The operator's tenant
//! routes name a tenant in the path, because onboarding and offboarding are the operator's work on
//! a tenant; no other role reaches them (404). Kits authenticate with a per-device credential
//! (`Authorization: Device <tenant>.<credential>.<secret>`), which binds them to their tenant.

use std::sync::OnceLock;

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use amtsweg_domain::tenant::LifecycleState;
use amtsweg_domain::{Permission, Role, TenantId};
use amtsweg_rollout::checklist::{self, ChecklistItem};
use amtsweg_rollout::crypto::{self, MasterKeys, SecretKey};
use amtsweg_rollout::device::{DeviceKind, DeviceState};
use amtsweg_rollout::rules::{
    CostKind, CostStatus, EfaService, FundingSource, Payer, SubscriptionStatus, rule,
};
use amtsweg_rollout::{ozg, pik};
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::cases as cases_store;
use amtsweg_store::rollout as store;
use amtsweg_store::{StoreError, TenantTx, tenants};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address};
use crate::security::{random_token, token_hash};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(invite_first_admin)
        .service(set_lifecycle)
        .service(export_tenant)
        .service(offboard_tenant)
        .service(get_checklist)
        .service(put_checklist_item)
        .service(list_subscriptions)
        .service(put_subscription)
        .service(list_costs)
        .service(add_cost)
        .service(list_devices)
        .service(create_device)
        .service(set_device_state)
        .service(issue_credential)
        .service(add_survey)
        .service(list_registrations)
        .service(read_biometrics)
        .service(list_match_reviews)
        .service(decide_match)
        .service(undo_match)
        .service(device_registration)
        .service(device_heartbeat)
        .service(device_rotate)
        .service(ministry_overview)
        .service(open_sina_survey)
        .service(sina_survey_answers)
        .service(approve_sina)
        .service(list_sina_surveys)
        .service(answer_sina_survey);
}

/// How long a device credential lives before the kit must rotate it.
pub const CREDENTIAL_TTL_DAYS: i64 = 90;

// ---------------------------------------------------------------------------------------------
// Master keys

/// A fixed key for local runs over plain HTTP only (never with secure cookies, i.e. production).
const DEVELOPMENT_MASTER_KEY: &str = "dev:ZGV2ZWxvcG1lbnQtb25seS1rZXktLW5ldmVyLXByb2Q=";

static DEVELOPMENT_KEYS: OnceLock<Option<MasterKeys>> = OnceLock::new();

/// The configured master keys (`master_keys` in the configuration file or
/// `AMTSWEG_MASTER_KEYS`); without them the development key on plain HTTP, else 503.
fn master_keys(state: &AppState) -> Result<&MasterKeys, AppError> {
    if let Some(keys) = &state.settings.master_keys {
        return Ok(keys);
    }
    if !state.settings.secure_cookies
        && let Some(keys) = DEVELOPMENT_KEYS
            .get_or_init(|| MasterKeys::parse(DEVELOPMENT_MASTER_KEY).ok())
            .as_ref()
    {
        return Ok(keys);
    }
    Err(AppError::Unavailable(
        "no master key configured for biometric data".into(),
    ))
}

/// The tenant's current data key, created (and wrapped) on first use.
async fn current_data_key(
    state: &AppState,
    tx: &TenantTx,
    now: DateTime<Utc>,
) -> Result<(i32, SecretKey), AppError> {
    let masters = master_keys(state)?;
    let tenant = tx.tenant_id().0;
    let unwrap = |key: &store::DataKey| {
        masters
            .unwrap_key(
                &key.master_key_id,
                &key.wrapped_key,
                &crypto::key_context(tenant, key.version),
            )
            .map_err(|err| AppError::internal(err.to_string()))
    };
    if let Some(key) = store::current_data_key(tx).await? {
        return Ok((key.version, unwrap(&key)?));
    }
    let secret = SecretKey::random();
    let (master_id, wrapped) = masters
        .wrap(&secret, &crypto::key_context(tenant, 1))
        .map_err(|err| AppError::internal(err.to_string()))?;
    let first = store::DataKey {
        version: 1,
        master_key_id: master_id,
        wrapped_key: wrapped,
    };
    if store::insert_data_key(tx, &first, now).await? {
        return Ok((1, secret));
    }
    // The tenant's first registrations arrived at once and another one stored its key first.
    let key = store::current_data_key(tx)
        .await?
        .ok_or(AppError::Conflict("data-key-exists"))?;
    Ok((key.version, unwrap(&key)?))
}

async fn data_key_version(
    state: &AppState,
    tx: &TenantTx,
    version: i32,
) -> Result<SecretKey, AppError> {
    let masters = master_keys(state)?;
    let key = store::data_key_version(tx, version).await?;
    masters
        .unwrap_key(
            &key.master_key_id,
            &key.wrapped_key,
            &crypto::key_context(tx.tenant_id().0, version),
        )
        .map_err(|err| AppError::internal(err.to_string()))
}

fn blob_context(tenant: TenantId, registration: Uuid, what: &str) -> String {
    format!("pik:{}:{registration}:{what}", tenant.0)
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn parse_id(text: &str) -> Result<Uuid, AppError> {
    text.parse().map_err(|_| AppError::NotFound)
}

fn today(state: &AppState) -> NaiveDate {
    state.clock.now().date_naive()
}

/// Operators only; everyone else learns nothing about the tenant (404).
fn require_operator(identity: &Identity) -> Result<(), AppError> {
    identity
        .require(Permission::ManageTenants)
        .map_err(|_| AppError::NotFound)
}

async fn lifecycle_of(state: &AppState, tenant: Uuid) -> Result<LifecycleState, AppError> {
    let row = tenants::get(state.db.connection(), tenant).await?;
    row.lifecycle
        .parse()
        .map_err(|_| AppError::internal("stored lifecycle is unknown"))
}

/// Moves a tenant's lifecycle by the domain's rules and audits it in both chains.
pub async fn move_lifecycle(
    state: &AppState,
    actor: &str,
    tenant: Uuid,
    to: LifecycleState,
    address: &str,
) -> Result<LifecycleState, AppError> {
    let from = lifecycle_of(state, tenant).await?;
    from.transition_to(to)
        .map_err(|_| AppError::Conflict("lifecycle-transition"))?;
    let now = state.clock.now();
    let tx = state.db.tenant(TenantId(tenant)).await?;
    tenants::set_lifecycle(tx.conn(), tenant, to.as_str(), now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(actor, "tenant.lifecycle")
            .object("tenant", tenant)
            .source(address)
            .details(json!({ "from": from.as_str(), "to": to.as_str() })),
    )
    .await?;
    tx.commit().await?;
    crate::flows::audit_platform(
        state,
        NewEntry::new(actor, "tenant.lifecycle")
            .object("tenant", tenant)
            .source(address)
            .details(json!({ "from": from.as_str(), "to": to.as_str() })),
    )
    .await?;
    Ok(to)
}

// ---------------------------------------------------------------------------------------------
// Operator: onboarding and offboarding

#[derive(Debug, Deserialize, ToSchema)]
pub struct FirstAdminRequest {
    pub email: String,
    /// Language of the mail (`de` or `en`); German by default.
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LifecycleView {
    pub tenant_id: Uuid,
    pub lifecycle: String,
}

/// Invites a catalogued tenant's first admin by mail; the tenant moves to `invited`.
#[utoipa::path(post, path = "/api/v1/rollout/tenants/{id}/invite", tag = "rollout",
    params(("id" = Uuid, Path)), request_body = FirstAdminRequest,
    responses((status = 201, body = LifecycleView), (status = 404), (status = 409), (status = 422)))]
#[post("/api/v1/rollout/tenants/{id}/invite")]
async fn invite_first_admin(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    body: web::Json<FirstAdminRequest>,
) -> Result<HttpResponse, AppError> {
    require_operator(&identity)?;
    let tenant = parse_id(&id)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let language = body
        .language
        .as_deref()
        .and_then(amtsweg_frontend::i18n::Lang::parse)
        .unwrap_or_default();
    let lifecycle =
        invite_first_admin_flow(&state, &identity, tenant, &body.email, language, &address).await?;
    Ok(HttpResponse::Created().json(LifecycleView {
        tenant_id: tenant,
        lifecycle: lifecycle.as_str().to_owned(),
    }))
}

/// Invites a tenant's first admin on the operator's behalf and moves a catalogued tenant to
/// `invited`. Shared by the API and the operator's page.
pub async fn invite_first_admin_flow(
    state: &AppState,
    identity: &Identity,
    tenant: Uuid,
    email: &str,
    language: amtsweg_frontend::i18n::Lang,
    address: &str,
) -> Result<LifecycleState, AppError> {
    require_operator(identity)?;
    let from = lifecycle_of(state, tenant).await?;
    if !matches!(from, LifecycleState::Catalogued | LifecycleState::Invited) {
        return Err(AppError::Conflict("lifecycle-transition"));
    }
    // The invitation belongs to the tenant; the operator acts on its behalf, and the audit entry
    // in the tenant's chain names the operator.
    let on_behalf = Identity {
        tenant_id: Some(TenantId(tenant)),
        ..identity.clone()
    };
    crate::flows::invite(
        state,
        &on_behalf,
        email,
        Role::TenantAdmin.as_str(),
        language,
        address,
    )
    .await?;
    if from == LifecycleState::Catalogued {
        move_lifecycle(
            state,
            &identity.actor(),
            tenant,
            LifecycleState::Invited,
            address,
        )
        .await
    } else {
        Ok(from)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LifecycleRequest {
    /// The next state: `onboarding`, `live`, `suspended`, `catalogued` (withdraw).
    pub to: String,
}

/// Moves a tenant along its lifecycle. `live` needs a complete onboarding checklist;
/// `offboarded` only through the offboarding route.
#[utoipa::path(post, path = "/api/v1/rollout/tenants/{id}/lifecycle", tag = "rollout",
    params(("id" = Uuid, Path)), request_body = LifecycleRequest,
    responses((status = 200, body = LifecycleView), (status = 404), (status = 409), (status = 422)))]
#[post("/api/v1/rollout/tenants/{id}/lifecycle")]
async fn set_lifecycle(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    body: web::Json<LifecycleRequest>,
) -> Result<HttpResponse, AppError> {
    require_operator(&identity)?;
    let tenant = parse_id(&id)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let lifecycle = change_lifecycle(&state, &identity, tenant, &body.to, &address).await?;
    Ok(HttpResponse::Ok().json(LifecycleView {
        tenant_id: tenant,
        lifecycle: lifecycle.as_str().to_owned(),
    }))
}

/// The operator moves a tenant's lifecycle; `live` needs a complete checklist. Shared by the API
/// and the operator's page.
pub async fn change_lifecycle(
    state: &AppState,
    identity: &Identity,
    tenant: Uuid,
    to: &str,
    address: &str,
) -> Result<LifecycleState, AppError> {
    require_operator(identity)?;
    let to: LifecycleState = to
        .parse()
        .map_err(|_| AppError::field("to", "error-lifecycle-invalid"))?;
    if to == LifecycleState::Offboarded {
        return Err(AppError::Conflict("offboard-through-export"));
    }
    if to == LifecycleState::Live
        && lifecycle_of(state, tenant).await? == LifecycleState::Onboarding
    {
        let tx = state.db.tenant(TenantId(tenant)).await?;
        let done = sync_checklist(&tx, state.clock.now()).await?;
        tx.commit().await?;
        if !checklist::ready_to_go_live(&done) {
            return Err(AppError::Conflict("checklist-incomplete"));
        }
    }
    move_lifecycle(state, &identity.actor(), tenant, to, address).await
}

/// The export format's first line.
pub const EXPORT_FORMAT: &str = "amtsweg-tenant-export";

/// The tenant's data as JSON lines and the SHA-256 of the text.
async fn build_export(state: &AppState, tenant: Uuid) -> Result<(String, String), AppError> {
    let row = tenants::get(state.db.connection(), tenant).await?;
    let tx = state.db.tenant(TenantId(tenant)).await?;
    let lines = store::export_lines(&tx).await?;
    tx.commit().await?;
    let mut text = json!({
        "format": EXPORT_FORMAT,
        "version": 1,
        "tenant_id": tenant,
        "slug": row.slug,
        "name": row.name,
        "rows": lines.len(),
    })
    .to_string();
    text.push('\n');
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    let digest = hex::encode(Sha256::digest(text.as_bytes()));
    Ok((text, digest))
}

/// Exports every row of a suspended tenant as JSON lines (format in `docs/rollout.md`). The
/// response header `X-Export-Sha256` is what the offboarding call must confirm.
#[utoipa::path(get, path = "/api/v1/rollout/tenants/{id}/export", tag = "rollout",
    params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/x-ndjson"), (status = 404), (status = 409)))]
#[get("/api/v1/rollout/tenants/{id}/export")]
async fn export_tenant(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    require_operator(&identity)?;
    let tenant = parse_id(&id)?;
    if lifecycle_of(&state, tenant).await? != LifecycleState::Suspended {
        return Err(AppError::Conflict("suspend-before-export"));
    }
    let (text, digest) = build_export(&state, tenant).await?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let now = state.clock.now();
    let tx = state.db.tenant(TenantId(tenant)).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "tenant.exported")
            .object("tenant", tenant)
            .source(address)
            .details(json!({ "sha256": digest, "bytes": text.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .insert_header(("X-Export-Sha256", digest))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"tenant-{tenant}.jsonl\""),
        ))
        .body(text))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OffboardRequest {
    /// The `X-Export-Sha256` of the export the operator kept.
    pub export_sha256: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OffboardView {
    pub tenant_id: Uuid,
    pub lifecycle: String,
    pub rows_deleted: u64,
}

/// Deletes a suspended tenant's data after the operator confirms the export by its digest.
#[utoipa::path(post, path = "/api/v1/rollout/tenants/{id}/offboard", tag = "rollout",
    params(("id" = Uuid, Path)), request_body = OffboardRequest,
    responses((status = 200, body = OffboardView), (status = 404), (status = 409)))]
#[post("/api/v1/rollout/tenants/{id}/offboard")]
async fn offboard_tenant(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    body: web::Json<OffboardRequest>,
) -> Result<HttpResponse, AppError> {
    require_operator(&identity)?;
    let tenant = parse_id(&id)?;
    if lifecycle_of(&state, tenant).await? != LifecycleState::Suspended {
        return Err(AppError::Conflict("suspend-before-export"));
    }
    let (_, digest) = build_export(&state, tenant).await?;
    if digest != body.export_sha256.trim() {
        return Err(AppError::Conflict("export-digest-mismatch"));
    }
    let address = client_address(&req, &state.settings.trusted_proxies);
    let now = state.clock.now();
    let tx = state.db.tenant(TenantId(tenant)).await?;
    let deleted = store::delete_tenant_data(&tx).await?;
    let total: u64 = deleted.iter().map(|(_, n)| n).sum();
    tenants::set_lifecycle(tx.conn(), tenant, LifecycleState::Offboarded.as_str(), now).await?;
    let details = json!({
        "export_sha256": digest,
        "rows_deleted": total,
        "tables": deleted.iter().map(|(t, n)| json!({ "table": t, "rows": n })).collect::<Vec<_>>(),
    });
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "tenant.offboarded")
            .object("tenant", tenant)
            .source(address.clone())
            .details(details.clone()),
    )
    .await?;
    tx.commit().await?;
    crate::flows::audit_platform(
        &state,
        NewEntry::new(identity.actor(), "tenant.offboarded")
            .object("tenant", tenant)
            .source(address)
            .details(details),
    )
    .await?;
    Ok(HttpResponse::Ok().json(OffboardView {
        tenant_id: tenant,
        lifecycle: LifecycleState::Offboarded.as_str().to_owned(),
        rows_deleted: total,
    }))
}

// ---------------------------------------------------------------------------------------------
// Tenant admin: checklist

#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistItemView {
    pub item: String,
    pub done: bool,
    /// Derived by the platform from data (cannot be ticked by hand).
    pub derived: bool,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistView {
    pub lifecycle: String,
    pub done: usize,
    pub total: usize,
    pub items: Vec<ChecklistItemView>,
}

/// Stores the derived items and returns the done items.
pub async fn sync_checklist(
    tx: &TenantTx,
    now: DateTime<Utc>,
) -> Result<Vec<ChecklistItem>, AppError> {
    let (admins, enrolled) = store::admins_with_mfa(tx).await?;
    let mfa = admins > 0 && admins == enrolled;
    let rows = store::checklist(tx).await?;
    let stored = rows
        .iter()
        .find(|r| r.item == ChecklistItem::AdminsWithMfa.as_str())
        .map(|r| r.done);
    if stored != Some(mfa) {
        store::set_checklist_item(
            tx,
            ChecklistItem::AdminsWithMfa.as_str(),
            mfa,
            "",
            None,
            now,
        )
        .await?;
    }
    let mut done: Vec<ChecklistItem> = rows
        .iter()
        .filter(|r| r.done)
        .filter_map(|r| r.item.parse().ok())
        .filter(|item: &ChecklistItem| !item.is_derived())
        .collect();
    if mfa {
        done.push(ChecklistItem::AdminsWithMfa);
    }
    Ok(done)
}

pub async fn checklist_view(state: &AppState, tx: &TenantTx) -> Result<ChecklistView, AppError> {
    let done = sync_checklist(tx, state.clock.now()).await?;
    let rows = store::checklist(tx).await?;
    let lifecycle = tenants::get(tx.conn(), tx.tenant_id().0).await?.lifecycle;
    let (count, total) = checklist::progress(&done);
    Ok(ChecklistView {
        lifecycle,
        done: count,
        total,
        items: ChecklistItem::ALL
            .iter()
            .map(|item| ChecklistItemView {
                item: item.as_str().to_owned(),
                done: done.contains(item),
                derived: item.is_derived(),
                note: rows
                    .iter()
                    .find(|r| r.item == item.as_str())
                    .map(|r| r.note.clone())
                    .unwrap_or_default(),
            })
            .collect(),
    })
}

/// The onboarding checklist of the caller's authority.
#[utoipa::path(get, path = "/api/v1/rollout/checklist", tag = "rollout",
    responses((status = 200, body = ChecklistView), (status = 403)))]
#[get("/api/v1/rollout/checklist")]
async fn get_checklist(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    let tx = identity.tenant_tx(&state).await?;
    let view = checklist_view(&state, &tx).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChecklistItemRequest {
    pub done: bool,
    #[serde(default)]
    pub note: String,
}

/// Ticks or unticks an item. The first change moves an invited tenant to `onboarding`.
pub async fn update_checklist_item(
    state: &AppState,
    identity: &Identity,
    item: &str,
    done: bool,
    note: &str,
    address: &str,
) -> Result<ChecklistView, AppError> {
    identity.require(Permission::ManageUsers)?;
    let item: ChecklistItem = item.parse().map_err(|_| AppError::NotFound)?;
    if item.is_derived() {
        return Err(AppError::Conflict("checklist-item-derived"));
    }
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::field("note", "error-too-long"));
    }
    let tenant = identity.tenant()?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    store::set_checklist_item(
        &tx,
        item.as_str(),
        done,
        note,
        Some(identity.user_id.0),
        now,
    )
    .await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "onboarding.checklist")
            .object("checklist_item", item.as_str())
            .source(address)
            .details(json!({ "done": done })),
    )
    .await?;
    tx.commit().await?;
    if lifecycle_of(state, tenant.0).await? == LifecycleState::Invited {
        move_lifecycle(
            state,
            &identity.actor(),
            tenant.0,
            LifecycleState::Onboarding,
            address,
        )
        .await?;
    }
    let tx = identity.tenant_tx(state).await?;
    let view = checklist_view(state, &tx).await?;
    tx.commit().await?;
    Ok(view)
}

#[utoipa::path(put, path = "/api/v1/rollout/checklist/{item}", tag = "rollout",
    params(("item" = String, Path)), request_body = ChecklistItemRequest,
    responses((status = 200, body = ChecklistView), (status = 403), (status = 404), (status = 409)))]
#[put("/api/v1/rollout/checklist/{item}")]
async fn put_checklist_item(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    item: web::Path<String>,
    body: web::Json<ChecklistItemRequest>,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req, &state.settings.trusted_proxies);
    let view =
        update_checklist_item(&state, &identity, &item, body.done, &body.note, &address).await?;
    Ok(HttpResponse::Ok().json(view))
}

// ---------------------------------------------------------------------------------------------
// Subscriptions and costs

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    pub service: String,
    pub status: String,
    pub committed_on: Option<NaiveDate>,
    pub connected_on: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub met_deadline: bool,
    pub payer: String,
    pub funding_source: String,
    pub state_pays_until: Option<NaiveDate>,
}

fn subscription_view(sub: &store::Subscription, on: NaiveDate) -> SubscriptionView {
    let service: Option<EfaService> = sub.service.parse().ok();
    let service_rule = service.map(rule);
    let funding = service_rule.map(|r| r.funding(sub.committed_on, on));
    SubscriptionView {
        service: sub.service.clone(),
        status: sub.status.clone(),
        committed_on: sub.committed_on,
        connected_on: sub.connected_on,
        deadline: service_rule.and_then(|r| r.deadline()),
        met_deadline: match (service_rule, sub.committed_on) {
            (Some(r), Some(day)) => r.met_deadline(day),
            _ => false,
        },
        payer: sub.payer.clone(),
        funding_source: funding
            .map(|f| f.source.as_str().to_owned())
            .unwrap_or_default(),
        state_pays_until: match (service_rule, funding) {
            (Some(r), Some(f)) if f.payer == Payer::State => r.state_pays_until_date(),
            _ => None,
        },
    }
}

/// The EfA services of the caller's authority, with payer and fund by the NRW rules.
#[utoipa::path(get, path = "/api/v1/rollout/subscriptions", tag = "rollout",
    responses((status = 200, body = [SubscriptionView]), (status = 403)))]
#[get("/api/v1/rollout/subscriptions")]
async fn list_subscriptions(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    let tx = identity.tenant_tx(&state).await?;
    let subs = store::subscriptions(&tx).await?;
    tx.commit().await?;
    let on = today(&state);
    Ok(HttpResponse::Ok().json(
        subs.iter()
            .map(|s| subscription_view(s, on))
            .collect::<Vec<_>>(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubscriptionRequest {
    /// `not_committed`, `committed`, `connected` or `vendor_solution`.
    pub status: String,
    pub committed_on: Option<NaiveDate>,
    pub connected_on: Option<NaiveDate>,
}

/// Records a subscription. A commitment books the service's connection cost (if the rules name
/// one) into the ledger once, with payer and fund by the rules.
pub async fn save_subscription(
    state: &AppState,
    identity: &Identity,
    service: &str,
    body: &SubscriptionRequest,
    address: &str,
) -> Result<SubscriptionView, AppError> {
    identity.require(Permission::ManageUsers)?;
    let service: EfaService = service.parse().map_err(|_| AppError::NotFound)?;
    let status: SubscriptionStatus = body
        .status
        .parse()
        .map_err(|_| AppError::field("status", "error-status-invalid"))?;
    let service_rule = rule(service);
    let committed = matches!(
        status,
        SubscriptionStatus::Committed | SubscriptionStatus::Connected
    );
    if committed && body.committed_on.is_none() {
        return Err(AppError::field("committed_on", "error-required"));
    }
    if committed && !service_rule.taken_up {
        return Err(AppError::field("status", "error-service-not-taken-up"));
    }
    if status == SubscriptionStatus::Connected && body.connected_on.is_none() {
        return Err(AppError::field("connected_on", "error-required"));
    }
    if let (Some(c), Some(k)) = (body.committed_on, body.connected_on)
        && k < c
    {
        return Err(AppError::field("connected_on", "error-date-invalid"));
    }
    let on = body.committed_on.unwrap_or_else(|| today(state));
    let funding = service_rule.funding(body.committed_on, on);
    let sub = store::Subscription {
        tenant_id: identity.tenant()?.0,
        service: service.as_str().to_owned(),
        status: status.as_str().to_owned(),
        committed_on: if committed { body.committed_on } else { None },
        connected_on: body.connected_on,
        payer: funding.payer.as_str().to_owned(),
    };
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    store::upsert_subscription(&tx, &sub, now).await?;
    let mut connection_booked = None;
    if committed
        && let Some(committed_on) = sub.committed_on
        && let Some((amount, funding)) = service_rule.connection_cost(committed_on)
    {
        let already = store::costs(&tx).await?.iter().any(|c| {
            c.kind == CostKind::Connection.as_str()
                && c.service.as_deref() == Some(service.as_str())
        });
        if !already {
            let cost = store::Cost {
                id: Uuid::now_v7(),
                service: Some(service.as_str().to_owned()),
                device_id: None,
                kind: CostKind::Connection.as_str().to_owned(),
                status: CostStatus::Committed.as_str().to_owned(),
                amount_cents: amount.as_cents(),
                payer: funding.payer.as_str().to_owned(),
                funding_source: funding.source.as_str().to_owned(),
                period_start: committed_on,
                period_end: committed_on,
                document_ref: format!("EfA {} connection", service.as_str()),
            };
            store::add_cost(&tx, &cost, now).await?;
            connection_booked = Some(amount.as_cents());
        }
    }
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "efa.subscription")
            .object("efa_service", service.as_str())
            .source(address)
            .details(json!({
                "status": status.as_str(),
                "committed_on": sub.committed_on,
                "payer": sub.payer,
                "connection_cost_cents": connection_booked,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(subscription_view(&sub, on))
}

#[utoipa::path(put, path = "/api/v1/rollout/subscriptions/{service}", tag = "rollout",
    params(("service" = String, Path)), request_body = SubscriptionRequest,
    responses((status = 200, body = SubscriptionView), (status = 403), (status = 404), (status = 422)))]
#[put("/api/v1/rollout/subscriptions/{service}")]
async fn put_subscription(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    service: web::Path<String>,
    body: web::Json<SubscriptionRequest>,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req, &state.settings.trusted_proxies);
    let view = save_subscription(&state, &identity, &service, &body, &address).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CostView {
    #[serde(default)]
    pub id: Option<Uuid>,
    pub service: Option<String>,
    pub device_id: Option<Uuid>,
    /// `connection`, `operation` or `procurement`.
    pub kind: String,
    /// `committed` or `spent`.
    pub status: String,
    pub amount_cents: i64,
    /// `federal_lump_sum`, `state_budget` or `municipal_budget`; the payer follows from it.
    pub funding_source: String,
    #[serde(default)]
    pub payer: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Invoice number, contract or other supporting document.
    pub document_ref: String,
}

/// The cost ledger of the caller's authority.
#[utoipa::path(get, path = "/api/v1/rollout/costs", tag = "rollout",
    responses((status = 200, body = [CostView]), (status = 403)))]
#[get("/api/v1/rollout/costs")]
async fn list_costs(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    let tx = identity.tenant_tx(&state).await?;
    let costs = store::costs(&tx).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(
        costs
            .into_iter()
            .map(|c| CostView {
                id: Some(c.id),
                service: c.service,
                device_id: c.device_id,
                kind: c.kind,
                status: c.status,
                amount_cents: c.amount_cents,
                funding_source: c.funding_source,
                payer: Some(c.payer),
                period_start: c.period_start,
                period_end: c.period_end,
                document_ref: c.document_ref,
            })
            .collect::<Vec<_>>(),
    ))
}

/// Books a cost. The lump sum takes only periods that start by 31 Dec 2025.
#[utoipa::path(post, path = "/api/v1/rollout/costs", tag = "rollout", request_body = CostView,
    responses((status = 201, body = CostView), (status = 403), (status = 422)))]
#[post("/api/v1/rollout/costs")]
async fn add_cost(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<CostView>,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req, &state.settings.trusted_proxies);
    let view = add_cost_flow(&state, &identity, &body, &address).await?;
    Ok(HttpResponse::Created().json(view))
}

/// Books a cost after checking it; shared by the API and the cost page.
pub async fn add_cost_flow(
    state: &AppState,
    identity: &Identity,
    body: &CostView,
    address: &str,
) -> Result<CostView, AppError> {
    identity.require(Permission::ManageUsers)?;
    let mut errors = std::collections::BTreeMap::new();
    let kind = body.kind.parse::<CostKind>().ok();
    if kind.is_none() {
        errors.insert("kind".to_owned(), "error-kind-invalid".to_owned());
    }
    if body.status.parse::<CostStatus>().is_err() {
        errors.insert("status".to_owned(), "error-status-invalid".to_owned());
    }
    let source = body.funding_source.parse::<FundingSource>().ok();
    match source {
        None => {
            errors.insert("funding_source".to_owned(), "error-fund-invalid".to_owned());
        }
        Some(FundingSource::FederalLumpSum)
            if !amtsweg_rollout::budget::lump_sum_usable(body.period_start) =>
        {
            errors.insert(
                "funding_source".to_owned(),
                "error-lump-sum-expired".to_owned(),
            );
        }
        _ => {}
    }
    if body.amount_cents <= 0 {
        errors.insert("amount_cents".to_owned(), "error-amount-invalid".to_owned());
    }
    if body.period_end < body.period_start {
        errors.insert("period_end".to_owned(), "error-date-invalid".to_owned());
    }
    if let Some(service) = &body.service
        && service.parse::<EfaService>().is_err()
    {
        errors.insert("service".to_owned(), "error-service-invalid".to_owned());
    }
    if body.document_ref.trim().is_empty() || body.document_ref.chars().count() > 200 {
        errors.insert("document_ref".to_owned(), "error-required".to_owned());
    }
    let Some(source) = source else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    if let Some(device) = body.device_id {
        store::device_get(&tx, device)
            .await
            .map_err(|_| AppError::field("device_id", "error-device-unknown"))?;
    }
    let cost = store::Cost {
        id: Uuid::now_v7(),
        service: body.service.clone(),
        device_id: body.device_id,
        kind: body.kind.clone(),
        status: body.status.clone(),
        amount_cents: body.amount_cents,
        payer: source.payer().as_str().to_owned(),
        funding_source: source.as_str().to_owned(),
        period_start: body.period_start,
        period_end: body.period_end,
        document_ref: body.document_ref.trim().to_owned(),
    };
    store::add_cost(&tx, &cost, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "cost.booked")
            .object("cost", cost.id)
            .source(address)
            .details(json!({ "amount_cents": cost.amount_cents, "fund": cost.funding_source })),
    )
    .await?;
    tx.commit().await?;
    Ok(CostView {
        id: Some(cost.id),
        service: cost.service,
        device_id: cost.device_id,
        kind: cost.kind,
        status: cost.status,
        amount_cents: cost.amount_cents,
        funding_source: cost.funding_source,
        payer: Some(cost.payer),
        period_start: cost.period_start,
        period_end: cost.period_end,
        document_ref: cost.document_ref,
    })
}

// ---------------------------------------------------------------------------------------------
// Devices

#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceView {
    pub id: Uuid,
    pub kind: String,
    pub serial: String,
    pub state: String,
    pub certificate_expires_on: Option<NaiveDate>,
    pub smartcard_expires_on: Option<NaiveDate>,
    pub software_version: String,
    pub cost_cents: i64,
    pub payer: String,
    pub last_heartbeat_at: Option<DateTime<Utc>>,
    pub reported_state: String,
    /// `ok`, `warning`, `critical` or `inactive`.
    pub health: String,
}

pub fn device_view(d: store::Device, now: DateTime<Utc>) -> DeviceView {
    let health = d
        .state
        .parse::<DeviceState>()
        .map(|state| {
            amtsweg_rollout::device::health(
                state,
                d.last_heartbeat_at,
                d.certificate_expires_on,
                d.smartcard_expires_on,
                now,
            )
            .as_str()
        })
        .unwrap_or("inactive");
    DeviceView {
        id: d.id,
        kind: d.kind,
        serial: d.serial,
        state: d.state,
        certificate_expires_on: d.certificate_expires_on,
        smartcard_expires_on: d.smartcard_expires_on,
        software_version: d.software_version,
        cost_cents: d.cost_cents,
        payer: d.payer,
        last_heartbeat_at: d.last_heartbeat_at,
        reported_state: d.reported_state,
        health: health.to_owned(),
    }
}

/// The devices of the caller's authority, with their health.
#[utoipa::path(get, path = "/api/v1/rollout/devices", tag = "rollout",
    responses((status = 200, body = [DeviceView]), (status = 403)))]
#[get("/api/v1/rollout/devices")]
async fn list_devices(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let tx = identity.tenant_tx(&state).await?;
    let devices = store::devices(&tx).await?;
    tx.commit().await?;
    let now = state.clock.now();
    Ok(HttpResponse::Ok().json(
        devices
            .into_iter()
            .map(|d| device_view(d, now))
            .collect::<Vec<_>>(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeviceRequest {
    /// `pik_chassis`, `sina_workstation`, `self_service_terminal` or `pickup_box`.
    pub kind: String,
    pub serial: String,
    pub certificate_expires_on: Option<NaiveDate>,
    pub smartcard_expires_on: Option<NaiveDate>,
    #[serde(default)]
    pub cost_cents: i64,
    /// `state` or `municipality`; PIK-Chassis kits are paid by the state.
    #[serde(default)]
    pub payer: Option<String>,
}

/// Registers a requested device of the caller's authority.
#[utoipa::path(post, path = "/api/v1/rollout/devices", tag = "rollout", request_body = DeviceRequest,
    responses((status = 201, body = DeviceView), (status = 403), (status = 409), (status = 422)))]
#[post("/api/v1/rollout/devices")]
async fn create_device(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<DeviceRequest>,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req, &state.settings.trusted_proxies);
    let view = create_device_flow(&state, &identity, &body, &address).await?;
    Ok(HttpResponse::Created().json(view))
}

/// Registers a requested device; shared by the API and the device page.
pub async fn create_device_flow(
    state: &AppState,
    identity: &Identity,
    body: &DeviceRequest,
    address: &str,
) -> Result<DeviceView, AppError> {
    identity.require(Permission::ManageUsers)?;
    let kind: DeviceKind = body
        .kind
        .parse()
        .map_err(|_| AppError::field("kind", "error-kind-invalid"))?;
    let serial = body.serial.trim();
    if serial.is_empty() || serial.len() > 64 {
        return Err(AppError::field("serial", "error-required"));
    }
    if body.cost_cents < 0 {
        return Err(AppError::field("cost_cents", "error-amount-invalid"));
    }
    let payer = match body.payer.as_deref() {
        Some(text) => text
            .parse::<Payer>()
            .map_err(|_| AppError::field("payer", "error-payer-invalid"))?,
        None if kind == DeviceKind::PikChassis || kind == DeviceKind::SinaWorkstation => {
            Payer::State
        }
        None => Payer::Municipality,
    };
    let device = store::Device {
        id: Uuid::now_v7(),
        kind: kind.as_str().to_owned(),
        serial: serial.to_owned(),
        state: DeviceState::Requested.as_str().to_owned(),
        certificate_expires_on: body.certificate_expires_on,
        smartcard_expires_on: body.smartcard_expires_on,
        software_version: String::new(),
        cost_cents: body.cost_cents,
        payer: payer.as_str().to_owned(),
        last_heartbeat_at: None,
        reported_state: String::new(),
    };
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    store::create_device(&tx, &device, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "device.requested")
            .object("device", device.id)
            .source(address)
            .details(json!({ "kind": device.kind })),
    )
    .await?;
    tx.commit().await?;
    Ok(device_view(device, now))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeviceStateRequest {
    pub state: String,
}

/// Moves a device along its state machine.
#[utoipa::path(post, path = "/api/v1/rollout/devices/{id}/state", tag = "rollout",
    params(("id" = Uuid, Path)), request_body = DeviceStateRequest,
    responses((status = 200, body = DeviceView), (status = 403), (status = 404), (status = 409)))]
#[post("/api/v1/rollout/devices/{id}/state")]
async fn set_device_state(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    body: web::Json<DeviceStateRequest>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&id)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let view = device_state_flow(&state, &identity, id, &body.state, &address).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Moves a device along its state machine (`409 device-transition` otherwise); a defect or
/// returned kit loses its credentials. Shared by the API and the device page.
pub async fn device_state_flow(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    next: &str,
    address: &str,
) -> Result<DeviceView, AppError> {
    identity.require(Permission::ManageUsers)?;
    let next: DeviceState = next
        .parse()
        .map_err(|_| AppError::field("state", "error-state-invalid"))?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    let device = store::device_get(&tx, id).await?;
    let current: DeviceState = device
        .state
        .parse()
        .map_err(|_| AppError::internal("stored device state is unknown"))?;
    current
        .transition_to(next)
        .map_err(|_| AppError::Conflict("device-transition"))?;
    store::set_device_state(&tx, id, next.as_str(), now).await?;
    if matches!(next, DeviceState::Returned | DeviceState::Defect) {
        store::revoke_credentials(&tx, id, None, now).await?;
    }
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "device.state")
            .object("device", id)
            .source(address)
            .details(json!({ "from": current.as_str(), "to": next.as_str() })),
    )
    .await?;
    let device = store::device_get(&tx, id).await?;
    tx.commit().await?;
    Ok(device_view(device, now))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialView {
    /// Shown once: `<tenant>.<credential>.<secret>`, sent as `Authorization: Device …`.
    pub credential: String,
    pub expires_at: DateTime<Utc>,
}

/// A new credential; every earlier credential of the device is revoked.
async fn new_credential(
    tx: &TenantTx,
    device_id: Uuid,
    now: DateTime<Utc>,
) -> Result<CredentialView, AppError> {
    let id = Uuid::now_v7();
    let secret = random_token();
    let expires_at = now + chrono::Duration::days(CREDENTIAL_TTL_DAYS);
    store::create_credential(tx, id, device_id, &token_hash(&secret), expires_at, now).await?;
    store::revoke_credentials(tx, device_id, Some(id), now).await?;
    Ok(CredentialView {
        credential: format!("{}.{id}.{secret}", tx.tenant_id().0),
        expires_at,
    })
}

/// Issues a kit's credential (revoking the previous ones), e.g. at installation or after loss.
#[utoipa::path(post, path = "/api/v1/rollout/devices/{id}/credentials", tag = "rollout",
    params(("id" = Uuid, Path)),
    responses((status = 201, body = CredentialView), (status = 403), (status = 404), (status = 409)))]
#[post("/api/v1/rollout/devices/{id}/credentials")]
async fn issue_credential(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    let id = parse_id(&id)?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(&state).await?;
    let device = store::device_get(&tx, id).await?;
    if device.kind != DeviceKind::PikChassis.as_str() {
        return Err(AppError::Conflict("device-has-no-api"));
    }
    let view = new_credential(&tx, id, now).await?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "device.credential.issued")
            .object("device", id)
            .source(address),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(view))
}

// ---------------------------------------------------------------------------------------------
// Digitalization survey

#[derive(Debug, Deserialize, ToSchema)]
pub struct SurveyRequest {
    pub surveyed_on: NaiveDate,
    pub service: String,
    pub vendor: String,
    pub information_online: bool,
    pub form_assistant: bool,
    pub online_application: bool,
    pub evidence_online: bool,
    pub once_only: bool,
    pub dms: bool,
    pub scanning: bool,
    pub efile_share_pct: u8,
    pub fachverfahren_interface: bool,
    pub base_components: bool,
    pub end_to_end: bool,
    pub online_services: u16,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyView {
    pub id: Uuid,
    pub level_ozg: u8,
    pub level_2025: u8,
}

/// Records a digitalization survey answer; the OZG levels (0–4 and 2025's 0–7) are computed.
#[utoipa::path(post, path = "/api/v1/rollout/surveys", tag = "rollout", request_body = SurveyRequest,
    responses((status = 201, body = SurveyView), (status = 403), (status = 422)))]
#[post("/api/v1/rollout/surveys")]
async fn add_survey(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<SurveyRequest>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    if body.service.parse::<EfaService>().is_err() {
        return Err(AppError::field("service", "error-service-invalid"));
    }
    if body.efile_share_pct > 100 {
        return Err(AppError::field("efile_share_pct", "error-percent-invalid"));
    }
    let survey = ozg::Survey {
        information_online: body.information_online,
        form_assistant: body.form_assistant,
        online_application: body.online_application,
        evidence_online: body.evidence_online,
        once_only: body.once_only,
        dms: body.dms,
        scanning: body.scanning,
        efile_share_pct: body.efile_share_pct,
        fachverfahren_interface: body.fachverfahren_interface,
        base_components: body.base_components,
        end_to_end: body.end_to_end,
    };
    let view = SurveyView {
        id: Uuid::now_v7(),
        level_ozg: ozg::level_ozg(&survey),
        level_2025: ozg::level_2025(&survey),
    };
    let now = state.clock.now();
    let tx = identity.tenant_tx(&state).await?;
    store::add_survey(
        &tx,
        &store::DigitalizationSurvey {
            id: view.id,
            surveyed_on: body.surveyed_on,
            service: body.service.clone(),
            vendor: body.vendor.trim().chars().take(100).collect(),
            dms: body.dms,
            scanning: body.scanning,
            efile_share_pct: i32::from(body.efile_share_pct),
            online_services: i32::from(body.online_services),
            level_ozg: i32::from(view.level_ozg),
            level_2025: i32::from(view.level_2025),
        },
        now,
    )
    .await?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "survey.digitalization")
            .object("survey", view.id)
            .source(address)
            .details(json!({ "level_ozg": view.level_ozg, "level_2025": view.level_2025 })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(view))
}

// ---------------------------------------------------------------------------------------------
// Registrations (staff)

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationSummaryView {
    pub id: Uuid,
    pub device_id: Uuid,
    pub person_id: Uuid,
    pub person_created: bool,
    pub captured_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub has_photo: bool,
    pub has_fingerprints: bool,
}

/// Registrations not yet taken up by a case, oldest first (identifiers only).
#[utoipa::path(get, path = "/api/v1/rollout/registrations", tag = "rollout",
    responses((status = 200, body = [RegistrationSummaryView]), (status = 403)))]
#[get("/api/v1/rollout/registrations")]
async fn list_registrations(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let tx = identity.tenant_tx(&state).await?;
    let rows = store::unprocessed_registrations(&tx, 500).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|r| RegistrationSummaryView {
                id: r.id,
                device_id: r.device_id,
                person_id: r.person_id,
                person_created: r.person_created,
                captured_at: r.captured_at,
                received_at: r.received_at,
                has_photo: r.has_photo,
                has_fingerprints: r.has_fingerprints,
            })
            .collect::<Vec<_>>(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BiometricsView {
    pub registration_id: Uuid,
    pub person_id: Uuid,
    /// The registration's personal data as the kit sent it.
    #[schema(value_type = Object)]
    pub personal_data: serde_json::Value,
    #[schema(value_type = Object)]
    pub documents: serde_json::Value,
    /// Base64 of the photo.
    pub photo: Option<String>,
    /// Base64 of the fingerprint data.
    pub fingerprints: Option<String>,
}

/// The roles that work with biometric data: clerks and approvers, not admins.
fn may_read_biometrics(role: Role) -> bool {
    matches!(role, Role::Clerk | Role::Approver) && role.has(Permission::ReadPersonalData)
}

/// Decrypts a registration's photo and fingerprints. Clerks and approvers only; audited.
#[utoipa::path(get, path = "/api/v1/rollout/registrations/{id}/biometrics", tag = "rollout",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = BiometricsView), (status = 403), (status = 404)))]
#[get("/api/v1/rollout/registrations/{id}/biometrics")]
async fn read_biometrics(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if !may_read_biometrics(identity.role) {
        return Err(AppError::Forbidden);
    }
    let id = parse_id(&id)?;
    let tenant = identity.tenant()?;
    let tx = identity.tenant_tx(&state).await?;
    let reg = store::registration(&tx, id).await?;
    let key = data_key_version(&state, &tx, reg.key_version).await?;
    let open = |sealed: &Option<String>, what: &str| -> Result<Option<String>, AppError> {
        sealed
            .as_deref()
            .map(|s| {
                crypto::open(&key, s, &blob_context(tenant, reg.id, what))
                    .map(|bytes| B64.encode(bytes))
                    .map_err(|err| AppError::internal(err.to_string()))
            })
            .transpose()
    };
    let view = BiometricsView {
        registration_id: reg.id,
        person_id: reg.person_id,
        personal_data: serde_json::from_str(&reg.personal_data).unwrap_or_default(),
        documents: serde_json::from_str(&reg.documents).unwrap_or_default(),
        photo: open(&reg.photo_sealed, "photo")?,
        fingerprints: open(&reg.fingerprints_sealed, "fingerprints")?,
    };
    let address = client_address(&req, &state.settings.trusted_proxies);
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "pik.biometrics.read")
            .object("registration", reg.id)
            .source(address),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

// ---------------------------------------------------------------------------------------------
// The device API

/// A kit, authenticated by its credential.
struct Kit {
    tenant: TenantId,
    device_id: Uuid,
    credential_id: Uuid,
}

impl Kit {
    fn actor(&self) -> String {
        format!("device:{}", self.device_id)
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Resolves `Authorization: Device <tenant>.<credential>.<secret>` inside the named tenant's own
/// transaction; any mismatch is 401 without saying why.
async fn authenticate_kit(
    state: &AppState,
    req: &HttpRequest,
) -> Result<(Kit, TenantTx), AppError> {
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Device "))
        .ok_or(AppError::Unauthenticated)?;
    let mut parts = header.trim().splitn(3, '.');
    let (Some(tenant), Some(credential), Some(secret)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(AppError::Unauthenticated);
    };
    let tenant: Uuid = tenant.parse().map_err(|_| AppError::Unauthenticated)?;
    let credential: Uuid = credential.parse().map_err(|_| AppError::Unauthenticated)?;
    let tx = state.db.tenant(TenantId(tenant)).await?;
    let found = match store::credential(&tx, credential).await {
        Ok(found) => found,
        Err(StoreError::NotFound) => return Err(AppError::Unauthenticated),
        Err(other) => return Err(other.into()),
    };
    let now = state.clock.now();
    if !constant_time_eq(&found.secret_hash, &token_hash(secret))
        || found.revoked_at.is_some()
        || found.expires_at <= now
    {
        return Err(AppError::Unauthenticated);
    }
    let device = store::device_get(&tx, found.device_id).await?;
    let may_send = device
        .state
        .parse::<DeviceState>()
        .map(DeviceState::may_send)
        .unwrap_or(false);
    if !may_send {
        return Err(AppError::Unauthenticated);
    }
    Ok((
        Kit {
            tenant: TenantId(tenant),
            device_id: found.device_id,
            credential_id: found.id,
        },
        tx,
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DocumentSeen {
    /// `passport`, `identity_card`, `residence_permit`, `birth_certificate` or `other`.
    pub kind: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub issuing_country: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegistrationRequest {
    /// Unique per device; a repeated key returns the first result.
    pub idempotency_key: String,
    pub captured_at: DateTime<Utc>,
    pub family_name: String,
    #[serde(default)]
    pub given_names: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// ISO 3166-1 alpha-3.
    pub nationality: String,
    #[serde(default)]
    pub documents: Vec<DocumentSeen>,
    /// Base64 of the photo (required).
    pub photo: String,
    /// Base64 of the fingerprint data (required from the age of 6).
    #[serde(default)]
    pub fingerprints: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegistrationReceipt {
    pub registration_id: Uuid,
    pub person_id: Uuid,
    pub person_created: bool,
    /// True when this idempotency key was received before.
    pub duplicate: bool,
}

fn decode_blob(
    text: &str,
    field: &'static str,
    errors: &mut std::collections::BTreeMap<String, String>,
) -> Option<Vec<u8>> {
    match B64.decode(text.trim()) {
        Ok(bytes) if !bytes.is_empty() && bytes.len() <= pik::MAX_BLOB_BYTES => Some(bytes),
        _ => {
            errors.insert(field.to_owned(), "error-blob-invalid".to_owned());
            None
        }
    }
}

/// Receives one registration from a kit: finds or creates the person, seals the biometric data
/// with the tenant's data key and stores the record for case processing.
#[utoipa::path(post, path = "/api/v1/devices/registrations", tag = "devices",
    request_body = RegistrationRequest,
    responses((status = 201, body = RegistrationReceipt), (status = 200, body = RegistrationReceipt),
        (status = 401), (status = 422)))]
#[post("/api/v1/devices/registrations")]
async fn device_registration(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RegistrationRequest>,
) -> Result<HttpResponse, AppError> {
    let (kit, tx) = authenticate_kit(&state, &req).await?;
    let key = body.idempotency_key.trim();
    if key.is_empty() || key.len() > 100 {
        return Err(AppError::field("idempotency_key", "error-required"));
    }
    if let Some((id, person, created)) = store::registration_by_key(&tx, kit.device_id, key).await?
    {
        tx.commit().await?;
        return Ok(HttpResponse::Ok().json(RegistrationReceipt {
            registration_id: id,
            person_id: person,
            person_created: created,
            duplicate: true,
        }));
    }
    let now = state.clock.now();
    let mut errors = std::collections::BTreeMap::new();
    let person = match pik::check_person(
        &body.family_name,
        &body.given_names,
        &body.birth_date,
        &body.nationality,
        body.captured_at,
    ) {
        Ok(person) => Some(person),
        Err(problems) => {
            for (field, message) in problems {
                errors.insert(field.to_owned(), message.to_owned());
            }
            None
        }
    };
    if body.captured_at > now + chrono::Duration::minutes(10) {
        errors.insert("captured_at".to_owned(), "error-date-invalid".to_owned());
    }
    let photo = decode_blob(&body.photo, "photo", &mut errors);
    let fingerprints = match &body.fingerprints {
        Some(text) => decode_blob(text, "fingerprints", &mut errors),
        None => None,
    };
    if let Some(person) = &person
        && fingerprints.is_none()
        && !errors.contains_key("fingerprints")
        && pik::fingerprints_required(person.birth_date, body.captured_at)
    {
        errors.insert("fingerprints".to_owned(), "error-required".to_owned());
    }
    let mut documents = Vec::new();
    for (i, doc) in body.documents.iter().enumerate() {
        if doc.kind.parse::<pik::DocumentKind>().is_err() || doc.number.len() > 64 {
            errors.insert(
                format!("documents[{i}]"),
                "error-document-invalid".to_owned(),
            );
        }
        documents.push(json!({
            "kind": doc.kind,
            "number": doc.number.trim(),
            "issuing_country": doc.issuing_country.trim(),
        }));
    }
    let (Some(person), Some(photo), true) = (person, photo, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let (version, data_key) = current_data_key(&state, &tx, now).await?;
    let id = Uuid::now_v7();
    let seal = |bytes: &[u8], what: &str| {
        crypto::seal(&data_key, bytes, &blob_context(kit.tenant, id, what))
            .map_err(|err| AppError::internal(err.to_string()))
    };
    let photo_sealed = seal(&photo, "photo")?;
    let fingerprints_sealed = fingerprints
        .as_deref()
        .map(|bytes| seal(bytes, "fingerprints"))
        .transpose()?;
    let (person_id, person_created) = store::find_or_create_person(
        &tx,
        &store::NewPerson {
            family_name: person.family_name.clone(),
            given_names: person.given_names.clone(),
            birth_date: person.birth_date,
            nationality: person.nationality.clone(),
            match_key: pik::match_key(&person),
        },
        now,
    )
    .await?;
    let insert = store::insert_registration(
        &tx,
        &store::NewRegistration {
            id,
            device_id: kit.device_id,
            idempotency_key: key.to_owned(),
            person_id,
            person_created,
            captured_at: body.captured_at,
            personal_data: json!({
                "family_name": person.family_name,
                "given_names": person.given_names,
                "birth_date": person.birth_date,
                "nationality": person.nationality,
            })
            .to_string(),
            documents: serde_json::Value::Array(documents).to_string(),
            key_version: version,
            photo_sealed: Some(photo_sealed),
            fingerprints_sealed,
        },
        now,
    )
    .await;
    if let Err(StoreError::Conflict(_)) = insert {
        // The same key arrived twice at once; the other request stored it.
        drop(tx);
        let tx = state.db.tenant(kit.tenant).await?;
        let found = store::registration_by_key(&tx, kit.device_id, key)
            .await?
            .ok_or(AppError::Conflict("duplicate-registration"))?;
        tx.commit().await?;
        return Ok(HttpResponse::Ok().json(RegistrationReceipt {
            registration_id: found.0,
            person_id: found.1,
            person_created: found.2,
            duplicate: true,
        }));
    }
    insert?;
    let taken = take_over(&tx, id, &person, &kit.actor(), now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(kit.actor(), "pik.registration.received")
            .object("registration", id)
            .source("device-api")
            .details(json!({
                "person_id": person_id,
                "person_created": person_created,
                "credential": kit.credential_id,
                "case_id": taken,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(RegistrationReceipt {
        registration_id: id,
        person_id,
        person_created,
        duplicate: false,
    }))
}

// ---------------------------------------------------------------------------------------------
// Registrations into cases: the matching engine proposes, a clerk confirms, a case opens.

/// The statewide model process a PIK-Chassis registration opens.
pub const REGISTRATION_PROCESS: &str = "refugee-registration";

/// At most this many case persons are compared with one registration.
const MATCH_BLOCK_LIMIT: u64 = 200;

fn match_record(
    family: &str,
    given: &str,
    birth: &str,
    nationality: &str,
) -> amtsweg_reconcile::Record {
    use amtsweg_reconcile::Field;
    amtsweg_reconcile::Record::from_pairs(&[
        (Field::FamilyName, family),
        (Field::GivenNames, given),
        (Field::DateOfBirth, birth),
        (Field::Nationality, nationality),
    ])
}

/// One proposal as stored with a review.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredProposal {
    person_id: Uuid,
    score: u8,
    sure: bool,
}

/// A new case person from the registration's checked personal data.
async fn create_case_person(
    tx: &TenantTx,
    person: &pik::Person,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let created = cases_store::create_person(
        tx,
        cases_store::NewPerson {
            family_name: person.family_name.clone(),
            given_names: person.given_names.clone(),
            birth_date: Some(person.birth_date.to_string()),
            nationality: Some(person.nationality.clone()),
            match_key: crate::routes::cases::match_key(&person.family_name, &person.given_names),
            ..cases_store::NewPerson::default()
        },
        now,
    )
    .await?;
    Ok(created.id)
}

/// Opens the first-registration case of `person` and marks the registration taken over.
async fn open_registration_case(
    tx: &TenantTx,
    registration: Uuid,
    person: Uuid,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let def = amtsweg_cases::process::model(REGISTRATION_PROCESS)
        .ok_or_else(|| AppError::internal("the first-registration process is missing"))?;
    let version = i32::try_from(def.version).unwrap_or(1);
    cases_store::publish_model(tx, &def.id, version, &def.name, &def.to_toml(), now).await?;
    let (snapshot, due) =
        amtsweg_cases::routing::start(&def, now).map_err(|err| AppError::Conflict(err.code()))?;
    let case = cases_store::open_case(
        tx,
        cases_store::NewCase {
            person_id: person,
            process_id: def.id.clone(),
            process_version: version,
            process_kind: "model".into(),
            step: snapshot.step.clone(),
            state: snapshot.state.as_str().into(),
            holder_role: snapshot.holder_role.clone(),
            step_due_at: due,
            case_due_at: def
                .deadline_days
                .map(|d| now + chrono::Duration::days(i64::from(d))),
            intake_id: None,
        },
        now,
    )
    .await?;
    cases_store::append_history(
        tx,
        case.id,
        cases_store::NewHistory {
            actor: actor.to_owned(),
            action: "open".into(),
            to_step: Some(snapshot.step),
            comment: Some(format!("PIK-Chassis {registration}")),
            ..cases_store::NewHistory::default()
        },
        now,
    )
    .await?;
    store::mark_registration_processed(tx, registration, now).await?;
    Ok(case.id)
}

/// Takes a new registration over into case processing, in the receiving transaction: the
/// matching engine compares it with the tenant's case persons; without a proposal a new person
/// and its case are created at once; with proposals the registration waits for a clerk.
/// Returns the case opened, if any.
async fn take_over(
    tx: &TenantTx,
    registration: Uuid,
    person: &pik::Person,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, AppError> {
    let birth = person.birth_date.to_string();
    let key = crate::routes::cases::match_key(&person.family_name, &person.given_names);
    let family_key = key.split('|').next().unwrap_or_default();
    let mut known = Vec::new();
    for id in store::case_persons_near(tx, &birth, family_key, MATCH_BLOCK_LIMIT).await? {
        known.push(cases_store::person(tx, id).await?);
    }
    let records: Vec<_> = known
        .iter()
        .map(|p| {
            match_record(
                &p.family_name,
                &p.given_names,
                p.birth_date.as_deref().unwrap_or_default(),
                p.nationality.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    let new = match_record(
        &person.family_name,
        &person.given_names,
        &birth,
        &person.nationality,
    );
    let proposals: Vec<StoredProposal> = amtsweg_reconcile::candidates::propose(&new, &records)
        .into_iter()
        .take(5)
        .filter_map(|p| {
            known.get(p.index).map(|k| StoredProposal {
                person_id: k.id,
                score: p.score,
                sure: p.sure,
            })
        })
        .collect();
    if proposals.is_empty() {
        let person_id = create_case_person(tx, person, now).await?;
        return Ok(Some(
            open_registration_case(tx, registration, person_id, actor, now).await?,
        ));
    }
    let text =
        serde_json::to_string(&proposals).map_err(|err| AppError::internal(err.to_string()))?;
    store::insert_match_review(tx, registration, &text, now).await?;
    Ok(None)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchCandidateView {
    pub person_id: Uuid,
    pub file_number: String,
    pub family_name: String,
    pub given_names: String,
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
    /// 0–100: how much of the identifying data agrees.
    pub score: u8,
    /// The engine's own same-person rule holds.
    pub sure: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchReviewView {
    pub registration_id: Uuid,
    pub received_at: DateTime<Utc>,
    pub family_name: String,
    pub given_names: String,
    pub birth_date: String,
    pub nationality: String,
    /// Best first.
    pub proposals: Vec<MatchCandidateView>,
}

/// The registrations waiting for a clerk, with the engine's proposals; the read is audited.
pub async fn match_reviews_view(
    state: &AppState,
    identity: &Identity,
    address: &str,
) -> Result<Vec<MatchReviewView>, AppError> {
    identity.require(Permission::WorkCases)?;
    let tx = identity.tenant_tx(state).await?;
    let mut out = Vec::new();
    for review in store::open_match_reviews(&tx, 100).await? {
        let registration = store::registration(&tx, review.registration_id).await?;
        let data: serde_json::Value = serde_json::from_str(&registration.personal_data)
            .map_err(|err| AppError::internal(err.to_string()))?;
        let field = |name: &str| data[name].as_str().unwrap_or_default().to_owned();
        let stored: Vec<StoredProposal> = serde_json::from_str(&review.proposals)
            .map_err(|err| AppError::internal(err.to_string()))?;
        let mut proposals = Vec::new();
        for p in stored {
            let person = cases_store::person(&tx, p.person_id).await?;
            proposals.push(MatchCandidateView {
                person_id: person.id,
                file_number: person.file_number,
                family_name: person.family_name,
                given_names: person.given_names,
                birth_date: person.birth_date,
                nationality: person.nationality,
                score: p.score,
                sure: p.sure,
            });
        }
        out.push(MatchReviewView {
            registration_id: review.registration_id,
            received_at: review.created_at,
            family_name: field("family_name"),
            given_names: field("given_names"),
            birth_date: field("birth_date"),
            nationality: field("nationality"),
            proposals,
        });
    }
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "pik.match.reviews.read")
            .source(address)
            .details(json!({ "reviews": out.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

/// Registrations whose person a clerk must confirm (personal data: clerks, approvers, admins).
#[utoipa::path(get, path = "/api/v1/rollout/match-reviews", tag = "rollout",
    responses((status = 200, body = [MatchReviewView]), (status = 403)))]
#[get("/api/v1/rollout/match-reviews")]
async fn list_match_reviews(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req, &state.settings.trusted_proxies);
    Ok(HttpResponse::Ok().json(match_reviews_view(&state, &identity, &address).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MatchDecisionRequest {
    /// One of the proposed persons, or none: the registered person is new.
    pub person_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchDecisionView {
    pub registration_id: Uuid,
    pub person_id: Uuid,
    pub person_created: bool,
    pub case_id: Uuid,
}

/// A clerk confirms a proposed person (or a new one); the first-registration case opens.
pub async fn decide_match_flow(
    state: &AppState,
    identity: &Identity,
    registration: Uuid,
    body: &MatchDecisionRequest,
    address: &str,
) -> Result<MatchDecisionView, AppError> {
    identity.require(Permission::WorkCases)?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    let review = store::match_review(&tx, registration).await?;
    if review.state != "open" {
        return Err(AppError::Conflict("match-decided"));
    }
    let proposals: Vec<StoredProposal> = serde_json::from_str(&review.proposals)
        .map_err(|err| AppError::internal(err.to_string()))?;
    let (person_id, created, score) = match body.person_id {
        Some(chosen) => {
            let proposal = proposals
                .iter()
                .find(|p| p.person_id == chosen)
                .ok_or_else(|| AppError::field("person_id", "error-person-not-proposed"))?;
            (chosen, false, Some(proposal.score))
        }
        None => {
            let full = store::registration(&tx, registration).await?;
            let data: serde_json::Value = serde_json::from_str(&full.personal_data)
                .map_err(|err| AppError::internal(err.to_string()))?;
            let text = |name: &str| data[name].as_str().unwrap_or_default().to_owned();
            let person = pik::Person {
                family_name: text("family_name"),
                given_names: text("given_names"),
                birth_date: text("birth_date")
                    .parse()
                    .map_err(|_| AppError::internal("stored birth date is malformed"))?,
                nationality: text("nationality"),
            };
            (create_case_person(&tx, &person, now).await?, true, None)
        }
    };
    let case_id =
        open_registration_case(&tx, registration, person_id, &identity.actor(), now).await?;
    store::decide_match_review(
        &tx,
        registration,
        person_id,
        case_id,
        &identity.actor(),
        now,
    )
    .await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "pik.match.decided")
            .object("registration", registration)
            .source(address)
            .details(json!({
                "person_id": person_id,
                "person_created": created,
                "score": score,
                "case_id": case_id,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(MatchDecisionView {
        registration_id: registration,
        person_id,
        person_created: created,
        case_id,
    })
}

#[utoipa::path(post, path = "/api/v1/rollout/match-reviews/{id}", tag = "rollout",
    params(("id" = Uuid, Path)), request_body = MatchDecisionRequest,
    responses((status = 200, body = MatchDecisionView), (status = 403), (status = 404), (status = 409), (status = 422)))]
#[post("/api/v1/rollout/match-reviews/{id}")]
async fn decide_match(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    body: web::Json<MatchDecisionRequest>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&id)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    Ok(HttpResponse::Ok().json(decide_match_flow(&state, &identity, id, &body, &address).await?))
}

/// A decision the clerk can still take back (its case has not moved on), with the person it
/// named.
#[derive(Debug, Serialize)]
pub struct DecidedMatchView {
    pub registration_id: Uuid,
    pub decided_at: DateTime<Utc>,
    pub person_id: Uuid,
    pub file_number: String,
    pub family_name: String,
    pub given_names: String,
    /// The decision created the person (none of the proposals was it).
    pub person_created: bool,
}

fn proposed(proposals: &str, person: Uuid) -> Result<bool, AppError> {
    let stored: Vec<StoredProposal> =
        serde_json::from_str(proposals).map_err(|err| AppError::internal(err.to_string()))?;
    Ok(stored.iter().any(|p| p.person_id == person))
}

/// The latest decisions that can still be undone; the read of the persons is audited.
pub async fn undoable_matches_view(
    state: &AppState,
    identity: &Identity,
    address: &str,
) -> Result<Vec<DecidedMatchView>, AppError> {
    identity.require(Permission::WorkCases)?;
    let tx = identity.tenant_tx(state).await?;
    let mut out = Vec::new();
    for decided in store::undoable_matches(&tx, 20).await? {
        let person = cases_store::person(&tx, decided.person_id).await?;
        out.push(DecidedMatchView {
            registration_id: decided.registration_id,
            decided_at: decided.decided_at,
            person_id: person.id,
            file_number: person.file_number,
            family_name: person.family_name,
            given_names: person.given_names,
            person_created: !proposed(&decided.proposals, decided.person_id)?,
        });
    }
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "pik.match.decisions.read")
            .source(address)
            .details(json!({ "decisions": out.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchUndoView {
    pub registration_id: Uuid,
    /// The case that was opened by the decision and is now deleted.
    pub case_id: Uuid,
    pub person_id: Uuid,
    /// The decision had created the person and nothing else referred to it: deleted too.
    pub person_deleted: bool,
}

/// Takes a clerk's decision back while its case has not moved on (only its opening in the
/// history, no document filed): the case is deleted, a person the decision created too, and the
/// registration waits for a decision again. Audited with what was deleted.
pub async fn undo_match_flow(
    state: &AppState,
    identity: &Identity,
    registration: Uuid,
    address: &str,
) -> Result<MatchUndoView, AppError> {
    identity.require(Permission::WorkCases)?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    let undone = store::undoable_match(&tx, registration).await?;
    let person_created = !proposed(&undone.proposals, undone.person_id)?;
    let person_deleted = store::undo_match(&tx, &undone, person_created).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "pik.match.undone")
            .object("registration", registration)
            .source(address)
            .details(json!({
                "case_id": undone.case_id,
                "person_id": undone.person_id,
                "person_created": person_created,
                "person_deleted": person_deleted,
                "decided_at": undone.decided_at,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(MatchUndoView {
        registration_id: registration,
        case_id: undone.case_id,
        person_id: undone.person_id,
        person_deleted,
    })
}

/// Takes a decision back while its case has not moved on (409 `match-moved-on` after that,
/// `match-not-decided` for an open review).
#[utoipa::path(post, path = "/api/v1/rollout/match-reviews/{id}/undo", tag = "rollout",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = MatchUndoView), (status = 403), (status = 404), (status = 409)))]
#[post("/api/v1/rollout/match-reviews/{id}/undo")]
async fn undo_match(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&id)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    Ok(HttpResponse::Ok().json(undo_match_flow(&state, &identity, id, &address).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HeartbeatRequest {
    pub software_version: String,
    /// The kit's own state, e.g. `ready`, `capturing`, `degraded`.
    pub state: String,
    #[serde(default)]
    pub queued_records: u32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HeartbeatReply {
    pub received_at: DateTime<Utc>,
    /// When the credential expires; rotate before then.
    pub credential_expires_at: DateTime<Utc>,
}

/// A kit's heartbeat. Changes of software version or state are audited; repeats are not.
#[utoipa::path(post, path = "/api/v1/devices/heartbeat", tag = "devices", request_body = HeartbeatRequest,
    responses((status = 200, body = HeartbeatReply), (status = 401), (status = 422)))]
#[post("/api/v1/devices/heartbeat")]
async fn device_heartbeat(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<HeartbeatRequest>,
) -> Result<HttpResponse, AppError> {
    let (kit, tx) = authenticate_kit(&state, &req).await?;
    let version = body.software_version.trim();
    let kit_state = body.state.trim();
    if version.is_empty() || version.len() > 40 {
        return Err(AppError::field("software_version", "error-required"));
    }
    if kit_state.is_empty() || kit_state.len() > 40 {
        return Err(AppError::field("state", "error-required"));
    }
    let now = state.clock.now();
    let before = store::device_get(&tx, kit.device_id).await?;
    store::record_heartbeat(
        &tx,
        kit.device_id,
        version,
        kit_state,
        i32::try_from(body.queued_records).unwrap_or(i32::MAX),
        now,
    )
    .await?;
    if before.software_version != version || before.reported_state != kit_state {
        audit::append(
            &tx,
            now,
            NewEntry::new(kit.actor(), "device.reported")
                .object("device", kit.device_id)
                .source("device-api")
                .details(json!({ "software_version": version, "state": kit_state })),
        )
        .await?;
    }
    let credential = store::credential(&tx, kit.credential_id).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(HeartbeatReply {
        received_at: now,
        credential_expires_at: credential.expires_at,
    }))
}

/// The kit rotates its own credential: the answer holds the new one, the old one stops working.
#[utoipa::path(post, path = "/api/v1/devices/credential/rotate", tag = "devices",
    responses((status = 201, body = CredentialView), (status = 401)))]
#[post("/api/v1/devices/credential/rotate")]
async fn device_rotate(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (kit, tx) = authenticate_kit(&state, &req).await?;
    let now = state.clock.now();
    let view = new_credential(&tx, kit.device_id, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(kit.actor(), "device.credential.rotated")
            .object("device", kit.device_id)
            .source("device-api"),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(view))
}

// ---------------------------------------------------------------------------------------------
// Ministry

/// The rollout at a glance, computed from live data; aggregates and authority names only.
#[utoipa::path(get, path = "/api/v1/ministry/overview", tag = "ministry",
    responses((status = 200, description = "The console figures (MinistryConsole) as JSON", content_type = "application/json"), (status = 403)))]
#[get("/api/v1/ministry/overview")]
async fn ministry_overview(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let overview = crate::routes::rollout_console::overview(&state).await?;
    Ok(HttpResponse::Ok().json(overview))
}

// ---------------------------------------------------------------------------------------------
// SINA needs survey: the ministry opens it, tenants answer, the ministry approves allotments.

/// The ministry's analysts and the operator act on surveys.
fn require_ministry_actor(identity: &Identity) -> Result<(), AppError> {
    if matches!(
        identity.role,
        Role::MinistryAnalyst | Role::PlatformOperator
    ) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SinaSurveyRequest {
    pub title: String,
    pub closes_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SinaSurveyView {
    pub id: Uuid,
    pub title: String,
    pub closes_on: NaiveDate,
    pub open: bool,
    /// The caller's own answer (tenant staff only).
    pub requested: Option<i32>,
    pub approved: Option<i32>,
}

/// Opens a SINA needs survey for every authority.
#[utoipa::path(post, path = "/api/v1/ministry/sina-surveys", tag = "ministry", request_body = SinaSurveyRequest,
    responses((status = 201, body = SinaSurveyView), (status = 403), (status = 422)))]
#[post("/api/v1/ministry/sina-surveys")]
async fn open_sina_survey(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<SinaSurveyRequest>,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req, &state.settings.trusted_proxies);
    let view = open_sina_flow(&state, &identity, &body, &address).await?;
    Ok(HttpResponse::Created().json(view))
}

/// Opens a survey round; shared by the API and the ministry's survey page.
pub async fn open_sina_flow(
    state: &AppState,
    identity: &Identity,
    body: &SinaSurveyRequest,
    address: &str,
) -> Result<SinaSurveyView, AppError> {
    require_ministry_actor(identity)?;
    let title = body.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::field("title", "error-required"));
    }
    if body.closes_on < today(state) {
        return Err(AppError::field("closes_on", "error-date-invalid"));
    }
    let now = state.clock.now();
    let id = store::open_sina_survey(state.db.connection(), title, body.closes_on, now).await?;
    crate::flows::audit_platform(
        state,
        NewEntry::new(identity.actor(), "sina.survey.opened")
            .object("sina_survey", id)
            .source(address),
    )
    .await?;
    Ok(SinaSurveyView {
        id,
        title: title.to_owned(),
        closes_on: body.closes_on,
        open: true,
        requested: None,
        approved: None,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SinaAnswerView {
    pub tenant_id: Uuid,
    pub authority: String,
    pub requested: i32,
    pub approved: Option<i32>,
}

/// The answers to a survey: per authority the workstations requested and approved.
#[utoipa::path(get, path = "/api/v1/ministry/sina-surveys/{id}", tag = "ministry", params(("id" = Uuid, Path)),
    responses((status = 200, body = [SinaAnswerView]), (status = 403), (status = 404)))]
#[get("/api/v1/ministry/sina-surveys/{id}")]
async fn sina_survey_answers(
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let id = parse_id(&id)?;
    let (_, answers) = sina_answers_of(&state, id).await?;
    Ok(HttpResponse::Ok().json(answers))
}

/// A survey round and its answers per authority (aggregate transaction: no personal data).
pub async fn sina_answers_of(
    state: &AppState,
    id: Uuid,
) -> Result<(store::SinaSurvey, Vec<SinaAnswerView>), AppError> {
    let survey = store::sina_surveys(state.db.connection())
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)?;
    let names: std::collections::BTreeMap<Uuid, String> = tenants::list(state.db.connection())
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let agg = store::AggregateTx::begin(&state.db).await?;
    let answers = store::sina_answers(&agg).await?;
    agg.finish().await?;
    let mut answers: Vec<SinaAnswerView> = answers
        .into_iter()
        .filter(|(_, survey, _, _)| *survey == id)
        .map(|(tenant, _, requested, approved)| SinaAnswerView {
            tenant_id: tenant,
            authority: names.get(&tenant).cloned().unwrap_or_default(),
            requested,
            approved,
        })
        .collect();
    answers.sort_by(|a, b| a.authority.cmp(&b.authority));
    Ok((survey, answers))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SinaApprovalRequest {
    pub tenant_id: Uuid,
    pub approved: i32,
}

/// Approves an authority's allotment of SINA workstations (audited in its chain and the platform's).
#[utoipa::path(post, path = "/api/v1/ministry/sina-surveys/{id}/approvals", tag = "ministry",
    params(("id" = Uuid, Path)), request_body = SinaApprovalRequest,
    responses((status = 200, body = SinaAnswerView), (status = 403), (status = 404), (status = 422)))]
#[post("/api/v1/ministry/sina-surveys/{id}/approvals")]
async fn approve_sina(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    body: web::Json<SinaApprovalRequest>,
) -> Result<HttpResponse, AppError> {
    require_ministry_actor(&identity).map_err(|_| AppError::NotFound)?;
    let id = parse_id(&id)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let view = approve_sina_flow(&state, &identity, id, &body, &address).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Approves an allotment; shared by the API and the ministry's survey page.
pub async fn approve_sina_flow(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    body: &SinaApprovalRequest,
    address: &str,
) -> Result<SinaAnswerView, AppError> {
    require_ministry_actor(identity).map_err(|_| AppError::NotFound)?;
    if !(0..=50).contains(&body.approved) {
        return Err(AppError::field("approved", "error-amount-invalid"));
    }
    let tenant = tenants::get(state.db.connection(), body.tenant_id).await?;
    let now = state.clock.now();
    // The ministry's decision is written into the authority's own answer row.
    let tx = state.db.tenant(TenantId(tenant.id)).await?;
    store::approve_sina(&tx, id, body.approved, now).await?;
    let entry = NewEntry::new(identity.actor(), "sina.allotment.approved")
        .object("sina_survey", id)
        .source(address)
        .details(json!({ "tenant": tenant.id, "approved": body.approved }));
    audit::append(&tx, now, entry.clone()).await?;
    tx.commit().await?;
    crate::flows::audit_platform(state, entry).await?;
    let agg = store::AggregateTx::begin(&state.db).await?;
    let requested = store::sina_answers(&agg)
        .await?
        .into_iter()
        .find(|(t, s, _, _)| *t == tenant.id && *s == id)
        .map(|(_, _, requested, _)| requested)
        .unwrap_or_default();
    agg.finish().await?;
    Ok(SinaAnswerView {
        tenant_id: tenant.id,
        authority: tenant.name,
        requested,
        approved: Some(body.approved),
    })
}

/// The SINA surveys, with the caller's authority's answer.
#[utoipa::path(get, path = "/api/v1/rollout/sina-surveys", tag = "rollout",
    responses((status = 200, body = [SinaSurveyView]), (status = 403)))]
#[get("/api/v1/rollout/sina-surveys")]
async fn list_sina_surveys(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(own_sina_surveys(&state, &identity).await?))
}

/// Every survey round with the caller's authority's answer.
pub async fn own_sina_surveys(
    state: &AppState,
    identity: &Identity,
) -> Result<Vec<SinaSurveyView>, AppError> {
    identity.require(Permission::ManageUsers)?;
    let surveys = store::sina_surveys(state.db.connection()).await?;
    let tx = identity.tenant_tx(state).await?;
    let own = store::own_sina_answers(&tx).await?;
    tx.commit().await?;
    let today = today(state);
    Ok(surveys
        .into_iter()
        .map(|s| {
            let answer = own.iter().find(|(survey, _, _)| *survey == s.id);
            SinaSurveyView {
                id: s.id,
                title: s.title,
                closes_on: s.closes_on,
                open: s.closed_at.is_none() && s.closes_on >= today,
                requested: answer.map(|(_, r, _)| *r),
                approved: answer.and_then(|(_, _, a)| *a),
            }
        })
        .collect())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SinaAnswerRequest {
    /// Workstations the authority needs (0–50).
    pub requested: i32,
    #[serde(default)]
    pub justification: String,
}

/// Answers (or changes the answer to) an open SINA survey.
#[utoipa::path(put, path = "/api/v1/rollout/sina-surveys/{id}", tag = "rollout", params(("id" = Uuid, Path)),
    request_body = SinaAnswerRequest,
    responses((status = 200, body = SinaSurveyView), (status = 403), (status = 404), (status = 409), (status = 422)))]
#[put("/api/v1/rollout/sina-surveys/{id}")]
async fn answer_sina_survey(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    body: web::Json<SinaAnswerRequest>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&id)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let view = answer_sina_flow(&state, &identity, id, &body, &address).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Answers an open survey round; shared by the API and the tenant's survey page.
pub async fn answer_sina_flow(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    body: &SinaAnswerRequest,
    address: &str,
) -> Result<SinaSurveyView, AppError> {
    identity.require(Permission::ManageUsers)?;
    let survey = store::sina_surveys(state.db.connection())
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)?;
    if survey.closed_at.is_some() || survey.closes_on < today(state) {
        return Err(AppError::Conflict("survey-closed"));
    }
    if !(0..=50).contains(&body.requested) {
        return Err(AppError::field("requested", "error-amount-invalid"));
    }
    let justification: String = body.justification.trim().chars().take(1000).collect();
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    store::upsert_sina_answer(&tx, id, body.requested, &justification, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "sina.survey.answered")
            .object("sina_survey", id)
            .source(address)
            .details(json!({ "requested": body.requested })),
    )
    .await?;
    tx.commit().await?;
    Ok(SinaSurveyView {
        id,
        title: survey.title,
        closes_on: survey.closes_on,
        open: true,
        requested: Some(body.requested),
        approved: None,
    })
}
