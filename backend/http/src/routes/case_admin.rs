//! Case administration over the JSON API, and the flows its pages share (`case_admin_pages`):
//! a tenant adopting statewide model processes (as they are, or as a variant with its own clocks
//! and roles), the offer of a newer model version to a variant (accept or keep its own), the
//! state publishing a model version, the tenant's own file plan with its mapping onto the
//! reference plan, and throughput time per step and per process, for the authority itself and,
//! as aggregates of large enough groups, for the ministry's comparison.
//!
//! Every change is audited in the tenant's chain (the publication of a model in the platform's);
//! a running case keeps the version it started with, because versions are only ever added.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use amtsweg_cases::fileplan::{self, TenantPosition};
use amtsweg_cases::process::{
    self, ProcessDef, ProcessError, StepChanges, VariantChanges, VariantError,
};
use amtsweg_cases::throughput::{self, Collector, HistoryStep};
use amtsweg_domain::{Permission, Role, TenantId};
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::cases::{self as store, PlanRow, ThroughputRow};
use amtsweg_store::rollout::AggregateTx;
use amtsweg_store::sea_orm::ConnectionTrait;
use amtsweg_store::{TenantTx, tenants};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_adoptions)
        .service(adopt_process)
        .service(edit_variant)
        .service(decide_update)
        .service(publish_model)
        .service(get_file_plan)
        .service(put_file_plan)
        .service(own_throughput)
        .service(ministry_throughput);
}

fn internal(err: impl ToString) -> AppError {
    AppError::internal(err.to_string())
}

async fn audit_tenant(
    tx: &TenantTx,
    state: &AppState,
    identity: &Identity,
    req: &HttpRequest,
    action: &str,
    object: (&str, &str),
    details: serde_json::Value,
) -> Result<(), AppError> {
    audit::append(
        tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), action)
            .object(object.0, object.1)
            .source(client_address(req, &state.settings.trusted_proxies))
            .details(details),
    )
    .await?;
    Ok(())
}

fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn to_u32(v: i32) -> u32 {
    u32::try_from(v).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Model processes: the state's current versions

/// The current version of every statewide model: the version shipped with the platform, or a
/// newer one the state has published since.
pub async fn current_models(conn: &impl ConnectionTrait) -> Result<Vec<ProcessDef>, AppError> {
    let mut models = process::models().map_err(internal)?;
    for (id, version, text) in store::latest_models(conn).await? {
        if let Some(model) = models.iter_mut().find(|m| m.id == id)
            && to_u32(version) > model.version
        {
            *model = ProcessDef::from_toml(&text).map_err(internal)?;
        }
    }
    Ok(models)
}

/// A stored version of a statewide model: published, or the version shipped with the platform.
async fn model_version(
    tx: &TenantTx,
    id: &str,
    version: i32,
) -> Result<Option<ProcessDef>, AppError> {
    match store::model_definition(tx, id, version).await {
        Ok(text) => Ok(Some(ProcessDef::from_toml(&text).map_err(internal)?)),
        Err(amtsweg_store::StoreError::NotFound) => {
            Ok(process::model(id).filter(|m| to_i32(m.version) == version))
        }
        Err(other) => Err(other.into()),
    }
}

/// The definition a new case of `process_id` starts on: the tenant's variant when it adopted one,
/// else the current model; with the kind stored on the case (`variant` | `model`).
pub async fn process_for_new_case(
    tx: &TenantTx,
    process_id: &str,
) -> Result<(ProcessDef, &'static str), AppError> {
    if let Some(own) = store::tenant_process(tx, process_id).await?
        && own.kind == "variant"
    {
        return Ok((
            ProcessDef::from_toml(&own.definition).map_err(internal)?,
            "variant",
        ));
    }
    current_models(tx.conn())
        .await?
        .into_iter()
        .find(|m| m.id == process_id)
        .map(|m| (m, "model"))
        .ok_or_else(|| AppError::field("process_id", "error-unknown-process"))
}

/// The processes a tenant opens cases on, by id: its variants, else the current models.
pub async fn tenant_catalog(tx: &TenantTx) -> Result<Vec<ProcessDef>, AppError> {
    let own = store::tenant_processes(tx).await?;
    let mut out = Vec::new();
    for model in current_models(tx.conn()).await? {
        match own.iter().find(|p| p.id == model.id && p.kind == "variant") {
            Some(variant) => {
                out.push(ProcessDef::from_toml(&variant.definition).map_err(internal)?)
            }
            None => out.push(model),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Adoption by a tenant

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepValues {
    pub step: String,
    /// work | approval | waiting | end (fixed by the model)
    pub kind: String,
    /// clerk | approver | tenant_admin
    pub role: String,
    pub deadline_days: Option<u32>,
    pub remind_after_days: Option<u32>,
    pub escalate_after_days: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdoptedView {
    /// model | variant
    pub kind: String,
    /// The tenant's version of the process (a case stays on the version it started with).
    pub version: i32,
    /// The model version it is based on.
    pub model_version: i32,
    /// The model version whose update the tenant declined.
    pub kept_model_version: Option<i32>,
    pub adopted_at: DateTime<Utc>,
    pub deadline_days: Option<u32>,
    pub steps: Vec<StepValues>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepChangeView {
    pub step: String,
    /// added | removed | changed
    pub change: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferedUpdateView {
    pub model_version: u32,
    pub changes: Vec<StepChangeView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepTitle {
    pub step: String,
    pub title: String,
    pub title_en: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdoptionView {
    pub model_id: String,
    pub model_version: u32,
    pub model_name: String,
    pub model_name_en: Option<String>,
    /// The step titles of the model, for the step ids below.
    pub step_titles: Vec<StepTitle>,
    /// None: the tenant has not adopted the model (cases open on the model as it is).
    pub adopted: Option<AdoptedView>,
    /// A newer model version offered to the tenant's variant.
    pub offered_update: Option<OfferedUpdateView>,
}

fn adopted_view(p: &store::TenantProcess, def: &ProcessDef) -> AdoptedView {
    let values = process::variant_values(def);
    AdoptedView {
        kind: p.kind.clone(),
        version: p.version,
        model_version: p.model_version,
        kept_model_version: p.kept_model_version,
        adopted_at: p.adopted_at,
        deadline_days: values.deadline_days,
        steps: values
            .steps
            .into_iter()
            .zip(&def.steps)
            .map(|(s, step)| StepValues {
                kind: format!("{:?}", step.kind).to_lowercase(),
                step: s.step,
                role: s.role,
                deadline_days: s.deadline_days,
                remind_after_days: s.remind_after_days,
                escalate_after_days: s.escalate_after_days,
            })
            .collect(),
    }
}

/// Every statewide model with the tenant's adoption and an offered update.
pub async fn adoptions(tx: &TenantTx) -> Result<Vec<AdoptionView>, AppError> {
    let own = store::tenant_processes(tx).await?;
    let mut out = Vec::new();
    for model in current_models(tx.conn()).await? {
        let mine = own.iter().find(|p| p.id == model.id);
        let (adopted, offered_update) = match mine {
            None => (None, None),
            Some(p) => {
                let def = ProcessDef::from_toml(&p.definition).map_err(internal)?;
                let offer = (p.kind == "variant")
                    .then(|| {
                        process::offered_update_unless_kept(
                            &def,
                            &model,
                            p.kept_model_version.map(to_u32),
                        )
                    })
                    .flatten()
                    .map(|m| OfferedUpdateView {
                        model_version: m.version,
                        changes: process::diff(&def, m)
                            .into_iter()
                            .map(|c| StepChangeView {
                                step: c.step,
                                change: c.change.to_owned(),
                            })
                            .collect(),
                    });
                (Some(adopted_view(p, &def)), offer)
            }
        };
        out.push(AdoptionView {
            model_id: model.id.clone(),
            model_version: model.version,
            model_name: model.name.clone(),
            model_name_en: model.name_en.clone(),
            step_titles: model
                .steps
                .iter()
                .map(|s| StepTitle {
                    step: s.id.clone(),
                    title: s.title.clone(),
                    title_en: s.title_en.clone(),
                })
                .collect(),
            adopted,
            offered_update,
        });
    }
    Ok(out)
}

async fn find_adoption(tx: &TenantTx, id: &str) -> Result<AdoptionView, AppError> {
    adoptions(tx)
        .await?
        .into_iter()
        .find(|a| a.model_id == id)
        .ok_or(AppError::NotFound)
}

/// The statewide models and the tenant's adoptions, with offered updates.
#[utoipa::path(get, path = "/api/v1/tenant-processes", tag = "cases",
    responses((status = 200, body = [AdoptionView]), (status = 403)))]
#[get("/api/v1/tenant-processes")]
pub async fn list_adoptions(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    let tx = identity.tenant_tx(&state).await?;
    let list = adoptions(&tx).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AdoptRequest {
    pub model_id: String,
    /// model (as it is) | variant (the tenant's own clocks and roles, linked to the model)
    pub kind: String,
}

/// Adopts a model as it is or as a variant; a new version of the tenant's process.
pub async fn adopt_flow(
    state: &AppState,
    identity: &Identity,
    req: &HttpRequest,
    body: &AdoptRequest,
) -> Result<AdoptionView, AppError> {
    identity.require(Permission::ManageUsers)?;
    if !matches!(body.kind.as_str(), "model" | "variant") {
        return Err(AppError::field("kind", "cases-error-adoption-kind"));
    }
    let tx = identity.tenant_tx(state).await?;
    let model = current_models(tx.conn())
        .await?
        .into_iter()
        .find(|m| m.id == body.model_id)
        .ok_or_else(|| AppError::field("model_id", "error-unknown-process"))?;
    let previous = store::tenant_process(&tx, &model.id).await?;
    let version = previous.as_ref().map_or(1, |p| p.version + 1);
    let mut def = process::derive_variant(&model, &model.id);
    def.version = to_u32(version);
    let now = state.clock.now();
    store::add_tenant_process(
        &tx,
        &store::TenantProcess {
            id: model.id.clone(),
            version,
            model_id: model.id.clone(),
            model_version: to_i32(model.version),
            kind: body.kind.clone(),
            definition: def.to_toml(),
            adopted_at: now,
            adopted_by: Some(identity.user_id.0),
            kept_model_version: None,
        },
    )
    .await?;
    audit_tenant(
        &tx,
        state,
        identity,
        req,
        "process.adopt",
        ("process", &model.id),
        json!({ "kind": body.kind, "version": version, "model_version": model.version }),
    )
    .await?;
    let view = find_adoption(&tx, &model.id).await?;
    tx.commit().await?;
    Ok(view)
}

/// Adopts a statewide model: as it is, or as a variant linked to the model.
#[utoipa::path(post, path = "/api/v1/tenant-processes", tag = "cases", request_body = AdoptRequest,
    responses((status = 201, body = AdoptionView), (status = 403), (status = 422)))]
#[post("/api/v1/tenant-processes")]
pub async fn adopt_process(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<AdoptRequest>,
) -> Result<HttpResponse, AppError> {
    let view = adopt_flow(&state, &identity, &req, &body).await?;
    Ok(HttpResponse::Created().json(view))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StepInput {
    pub step: String,
    pub role: String,
    #[serde(default)]
    pub deadline_days: Option<u32>,
    #[serde(default)]
    pub remind_after_days: Option<u32>,
    #[serde(default)]
    pub escalate_after_days: Option<u32>,
}

/// The new values of a variant; steps not listed keep theirs.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct VariantRequest {
    #[serde(default)]
    pub deadline_days: Option<u32>,
    #[serde(default)]
    pub steps: Vec<StepInput>,
}

/// The longest clock a variant may set: ten years.
const MAX_DAYS: u32 = 3650;

/// A validation error of a variant as the field it concerns: `<step>.<field>`, or `deadline_days`.
fn variant_error(err: VariantError) -> AppError {
    match err {
        VariantError::UnknownStep(_) => AppError::field("steps", "cases-error-unknown-step"),
        VariantError::Invalid(err) => {
            let (field, key) = match &err {
                ProcessError::ApprovalRole { .. } => ("role", "cases-error-approval-role"),
                ProcessError::UnknownRole { .. } => ("role", "cases-error-unknown-role"),
                ProcessError::WaitingStep { .. } => {
                    ("deadline_days", "cases-error-waiting-deadline")
                }
                ProcessError::ClockOrder { .. } => ("remind_after_days", "cases-error-clock-order"),
                _ => return AppError::field("process", "cases-error-process-invalid"),
            };
            match err.step() {
                Some(step) => AppError::field(&format!("{step}.{field}"), key),
                None => AppError::field("process", "cases-error-process-invalid"),
            }
        }
    }
}

/// Saves the tenant's changes to its variant as the variant's next version.
pub async fn edit_variant_flow(
    state: &AppState,
    identity: &Identity,
    req: &HttpRequest,
    id: &str,
    body: &VariantRequest,
) -> Result<AdoptionView, AppError> {
    identity.require(Permission::ManageUsers)?;
    let mut errors = BTreeMap::new();
    if body.deadline_days.is_some_and(|d| d > MAX_DAYS) {
        errors.insert("deadline_days".to_owned(), "cases-error-days".to_owned());
    }
    for s in &body.steps {
        for (field, value) in [
            ("deadline_days", s.deadline_days),
            ("remind_after_days", s.remind_after_days),
            ("escalate_after_days", s.escalate_after_days),
        ] {
            if value.is_some_and(|d| d > MAX_DAYS) {
                errors.insert(format!("{}.{field}", s.step), "cases-error-days".to_owned());
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let tx = identity.tenant_tx(state).await?;
    let current = store::tenant_process(&tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.kind != "variant" {
        return Err(AppError::Conflict("not_a_variant"));
    }
    let def = ProcessDef::from_toml(&current.definition).map_err(internal)?;
    let changes = VariantChanges {
        deadline_days: body.deadline_days,
        steps: body
            .steps
            .iter()
            .map(|s| StepChanges {
                step: s.step.clone(),
                role: s.role.clone(),
                deadline_days: s.deadline_days,
                remind_after_days: s.remind_after_days,
                escalate_after_days: s.escalate_after_days,
            })
            .collect(),
    };
    let next = process::apply_changes(&def, &changes).map_err(variant_error)?;
    let version = current.version + 1;
    store::add_tenant_process(
        &tx,
        &store::TenantProcess {
            version,
            definition: next.to_toml(),
            adopted_at: state.clock.now(),
            adopted_by: Some(identity.user_id.0),
            ..current.clone()
        },
    )
    .await?;
    audit_tenant(
        &tx,
        state,
        identity,
        req,
        "process.variant.edit",
        ("process", id),
        json!({ "version": version, "changed_steps": process::diff(&def, &next).len() }),
    )
    .await?;
    let view = find_adoption(&tx, id).await?;
    tx.commit().await?;
    Ok(view)
}

/// Changes the clocks and roles of the tenant's variant (a new variant version).
#[utoipa::path(put, path = "/api/v1/tenant-processes/{id}", tag = "cases", request_body = VariantRequest,
    params(("id" = String, Path, description = "the model id the variant derives from")),
    responses((status = 200, body = AdoptionView), (status = 403), (status = 404), (status = 409), (status = 422)))]
#[put("/api/v1/tenant-processes/{id}")]
pub async fn edit_variant(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    body: web::Json<VariantRequest>,
) -> Result<HttpResponse, AppError> {
    let view = edit_variant_flow(&state, &identity, &req, &id, &body).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateDecision {
    /// accept (the new model version becomes the variant's next version, with the values the
    /// tenant had changed carried over) | keep (the variant stays as it is; this model version is
    /// not offered again)
    pub decision: String,
}

/// Accepts or declines the model update offered to the tenant's variant.
pub async fn decide_update_flow(
    state: &AppState,
    identity: &Identity,
    req: &HttpRequest,
    id: &str,
    decision: &str,
) -> Result<AdoptionView, AppError> {
    identity.require(Permission::ManageUsers)?;
    if !matches!(decision, "accept" | "keep") {
        return Err(AppError::field("decision", "cases-error-update-decision"));
    }
    let tx = identity.tenant_tx(state).await?;
    let current = store::tenant_process(&tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let model = current_models(tx.conn())
        .await?
        .into_iter()
        .find(|m| m.id == current.model_id)
        .ok_or(AppError::NotFound)?;
    let def = ProcessDef::from_toml(&current.definition).map_err(internal)?;
    let offered =
        process::offered_update_unless_kept(&def, &model, current.kept_model_version.map(to_u32))
            .filter(|_| current.kind == "variant")
            .ok_or(AppError::Conflict("no_update_offered"))?;
    let version = if decision == "accept" {
        let mut next = match model_version(&tx, &current.model_id, current.model_version).await? {
            Some(base) => process::accept_update_keeping_own(&def, &base, offered),
            None => process::accept_update(&def, offered),
        };
        next.version = to_u32(current.version + 1);
        store::add_tenant_process(
            &tx,
            &store::TenantProcess {
                version: current.version + 1,
                model_version: to_i32(offered.version),
                definition: next.to_toml(),
                adopted_at: state.clock.now(),
                adopted_by: Some(identity.user_id.0),
                kept_model_version: None,
                ..current.clone()
            },
        )
        .await?;
        current.version + 1
    } else {
        store::keep_own_variant(&tx, id, current.version, to_i32(offered.version)).await?;
        current.version
    };
    audit_tenant(
        &tx,
        state,
        identity,
        req,
        if decision == "accept" {
            "process.update.accept"
        } else {
            "process.update.keep"
        },
        ("process", id),
        json!({ "version": version, "model_version": offered.version }),
    )
    .await?;
    let view = find_adoption(&tx, id).await?;
    tx.commit().await?;
    Ok(view)
}

/// Accepts the offered model update into the variant, or keeps the variant as it is.
#[utoipa::path(post, path = "/api/v1/tenant-processes/{id}/update", tag = "cases", request_body = UpdateDecision,
    params(("id" = String, Path, description = "the model id the variant derives from")),
    responses((status = 200, body = AdoptionView), (status = 403), (status = 404), (status = 409), (status = 422)))]
#[post("/api/v1/tenant-processes/{id}/update")]
pub async fn decide_update(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    body: web::Json<UpdateDecision>,
) -> Result<HttpResponse, AppError> {
    let view = decide_update_flow(&state, &identity, &req, &id, &body.decision).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishModelRequest {
    /// The model definition as TOML (the format of `backend/cases/processes/*.toml`).
    pub definition: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedModelView {
    pub id: String,
    pub version: u32,
}

/// The state publishes a new version of a statewide model: validated like every definition, a
/// version above the current one. Variants are offered it; running cases keep their version.
/// Shared by the API and the ministry's page.
pub async fn publish_model_flow(
    state: &AppState,
    identity: &Identity,
    address: &str,
    definition: &str,
) -> Result<PublishedModelView, AppError> {
    if !matches!(
        identity.role,
        Role::MinistryAnalyst | Role::PlatformOperator
    ) {
        return Err(AppError::Forbidden);
    }
    let def = ProcessDef::from_toml(definition)
        .map_err(|_| AppError::field("definition", "cases-error-process-invalid"))?;
    if def.model.is_some() {
        return Err(AppError::field("definition", "cases-error-process-invalid"));
    }
    let conn = state.db.connection();
    let current = current_models(conn)
        .await?
        .into_iter()
        .find(|m| m.id == def.id)
        .ok_or_else(|| AppError::field("definition", "error-unknown-process"))?;
    if def.version <= current.version {
        return Err(AppError::field("definition", "cases-error-model-version"));
    }
    let now = state.clock.now();
    // The version a variant was derived from must stay readable for the diff: the shipped
    // version is stored too when the state publishes its first successor.
    store::publish_model_version(
        conn,
        &current.id,
        to_i32(current.version),
        &current.name,
        &current.to_toml(),
        now,
    )
    .await?;
    if !store::publish_model_version(
        conn,
        &def.id,
        to_i32(def.version),
        &def.name,
        &def.to_toml(),
        now,
    )
    .await?
    {
        return Err(AppError::field("definition", "cases-error-model-version"));
    }
    crate::flows::audit_platform(
        state,
        NewEntry::new(identity.actor(), "process_model.publish")
            .object("process_model", &def.id)
            .source(address)
            .details(json!({ "version": def.version })),
    )
    .await?;
    Ok(PublishedModelView {
        id: def.id,
        version: def.version,
    })
}

/// The state publishes a new version of a statewide model: validated like every definition, a
/// version above the current one. Variants are offered it; running cases keep their version.
#[utoipa::path(post, path = "/api/v1/ministry/process-models", tag = "ministry", request_body = PublishModelRequest,
    responses((status = 201, body = PublishedModelView), (status = 403), (status = 422)))]
#[post("/api/v1/ministry/process-models")]
pub async fn publish_model(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<PublishModelRequest>,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req, &state.settings.trusted_proxies);
    let view = publish_model_flow(&state, &identity, &address, &body.definition).await?;
    Ok(HttpResponse::Created().json(view))
}

// ---------------------------------------------------------------------------------------------
// File plan

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferencePositionView {
    pub position: String,
    pub parent: Option<String>,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlanPosition {
    pub position: String,
    pub title: String,
    /// The reference-plan position it maps to; empty or absent: not mapped yet.
    #[serde(default)]
    pub reference_position: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MappingReportView {
    pub complete: bool,
    /// Own positions without a mapping.
    pub unmapped: Vec<String>,
    /// Own positions mapped to a position the reference plan does not have.
    pub unknown_targets: Vec<String>,
    /// Reference positions no own position maps to (documents arriving there could not be filed).
    pub uncovered: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FilePlanView {
    /// true: the tenant files under the statewide reference plan itself (preferred).
    pub uses_reference: bool,
    pub positions: Vec<PlanPosition>,
    pub report: MappingReportView,
    pub reference: Vec<ReferencePositionView>,
}

pub async fn file_plan(tx: &TenantTx) -> Result<FilePlanView, AppError> {
    let rows = store::tenant_plan(tx).await?;
    let plan: Vec<TenantPosition> = rows
        .iter()
        .map(|r| TenantPosition {
            position: r.position.clone(),
            title: r.title.clone(),
            reference_position: r.reference_position.clone(),
        })
        .collect();
    let report = fileplan::check_mapping(&plan);
    Ok(FilePlanView {
        uses_reference: rows.is_empty(),
        positions: rows
            .into_iter()
            .map(|r| PlanPosition {
                position: r.position,
                title: r.title,
                reference_position: r.reference_position,
            })
            .collect(),
        report: MappingReportView {
            complete: report.is_complete(),
            unmapped: report.unmapped,
            unknown_targets: report.unknown_targets,
            uncovered: report.uncovered,
        },
        reference: fileplan::reference_plan()
            .into_iter()
            .map(|p| ReferencePositionView {
                position: p.position,
                parent: p.parent,
                title: p.title,
            })
            .collect(),
    })
}

/// Checks one own position; errors under `<prefix>position`, `<prefix>title`,
/// `<prefix>reference_position`.
pub fn check_position(p: &PlanPosition, prefix: &str, errors: &mut BTreeMap<String, String>) {
    let position = p.position.trim();
    if position.is_empty()
        || position.chars().count() > 20
        || !position
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/'))
    {
        errors.insert(
            format!("{prefix}position"),
            "cases-error-plan-position".into(),
        );
    }
    let title = p.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        errors.insert(format!("{prefix}title"), "error-required".into());
    }
    if let Some(r) = p.reference_position.as_deref().map(str::trim)
        && !r.is_empty()
        && !fileplan::is_reference_position(r)
    {
        errors.insert(
            format!("{prefix}reference_position"),
            "cases-error-plan-reference".into(),
        );
    }
}

/// Replaces the tenant's own plan (an empty list: use the reference plan); returns the new plan
/// with its mapping check.
pub async fn set_plan_flow(
    state: &AppState,
    identity: &Identity,
    req: &HttpRequest,
    positions: &[PlanPosition],
) -> Result<FilePlanView, AppError> {
    identity.require(Permission::ManageUsers)?;
    let mut errors = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for (i, p) in positions.iter().enumerate() {
        let prefix = format!("positions.{i}.");
        check_position(p, &prefix, &mut errors);
        if !seen.insert(p.position.trim().to_owned()) {
            errors.insert(
                format!("{prefix}position"),
                "cases-error-plan-duplicate".into(),
            );
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let rows: Vec<PlanRow> = positions
        .iter()
        .map(|p| PlanRow {
            position: p.position.trim().to_owned(),
            title: p.title.trim().to_owned(),
            reference_position: p
                .reference_position
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned),
        })
        .collect();
    let tx = identity.tenant_tx(state).await?;
    store::set_tenant_plan(&tx, &rows).await?;
    let view = file_plan(&tx).await?;
    audit_tenant(
        &tx,
        state,
        identity,
        req,
        "file_plan.update",
        ("file_plan", "*"),
        json!({
            "positions": rows.len(),
            "unmapped": view.report.unmapped.len(),
            "uncovered": view.report.uncovered.len(),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(view)
}

/// The tenant's file plan (or the reference plan it uses) with the check of its mapping.
#[utoipa::path(get, path = "/api/v1/file-plan", tag = "cases",
    responses((status = 200, body = FilePlanView), (status = 403)))]
#[get("/api/v1/file-plan")]
pub async fn get_file_plan(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let tx = identity.tenant_tx(&state).await?;
    let view = file_plan(&tx).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FilePlanRequest {
    /// The tenant's own positions with their mapping; empty: use the reference plan.
    pub positions: Vec<PlanPosition>,
}

/// Replaces the tenant's own file plan and its mapping onto the reference plan.
#[utoipa::path(put, path = "/api/v1/file-plan", tag = "cases", request_body = FilePlanRequest,
    responses((status = 200, body = FilePlanView), (status = 403), (status = 422)))]
#[put("/api/v1/file-plan")]
pub async fn put_file_plan(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<FilePlanRequest>,
) -> Result<HttpResponse, AppError> {
    let view = set_plan_flow(&state, &identity, &req, &body.positions).await?;
    Ok(HttpResponse::Ok().json(view))
}

// ---------------------------------------------------------------------------------------------
// Throughput

/// How far back the daily figures reach: cases opened in the last year.
const THROUGHPUT_WINDOW_DAYS: i64 = 365;
/// Cases per read of the throughput job.
const THROUGHPUT_CHUNK: u64 = 2000;

/// Recomputes the tenant's throughput figures from the routing history (the daily
/// `case_throughput` job). The figures are counts and durations only, derived from data the
/// tenant holds; they are replaced, not appended, so the job is idempotent.
pub async fn refresh_throughput(state: &AppState, tenant: TenantId) -> Result<usize, AppError> {
    let now = state.clock.now();
    let since = now - Duration::days(THROUGHPUT_WINDOW_DAYS);
    let tx = state.db.tenant(tenant).await?;
    let processes = store::case_processes(&tx).await?;
    tx.commit().await?;
    let mut written = 0;
    // One process at a time, its cases in chunks: memory holds one chunk's history and one
    // process's durations, whatever the size of the authority.
    for process in processes {
        let tx = state.db.tenant(tenant).await?;
        let mut collector = Collector::default();
        let mut after = None;
        loop {
            let (entries, end) =
                store::throughput_chunk(&tx, &process, since, after, THROUGHPUT_CHUNK).await?;
            for case in entries.chunk_by(|a, b| a.case_id == b.case_id) {
                let Some(first) = case.first() else { continue };
                let history: Vec<HistoryStep<'_>> = case
                    .iter()
                    .map(|e| HistoryStep {
                        at: e.at,
                        from_step: e.from_step.as_deref(),
                        to_step: e.to_step.as_deref(),
                    })
                    .collect();
                collector.add_case(&process, &history, first.opened_at, first.closed_at);
            }
            match end {
                Some(end) => after = Some(end),
                None => break,
            }
        }
        let rows: Vec<ThroughputRow> = collector
            .rows()
            .into_iter()
            .map(|r| ThroughputRow {
                process_id: r.process,
                step: r.step,
                measured: i64::try_from(r.figures.measured).unwrap_or(i64::MAX),
                median_seconds: r.figures.median_seconds,
                p90_seconds: r.figures.p90_seconds,
                computed_at: now,
            })
            .collect();
        store::replace_process_throughput(&tx, &process, &rows).await?;
        tx.commit().await?;
        written += rows.len();
    }
    let tx = state.db.tenant(tenant).await?;
    store::drop_throughput_before(&tx, now).await?;
    tx.commit().await?;
    Ok(written)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FiguresView {
    pub measured: i64,
    pub median_seconds: i64,
    pub p90_seconds: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepThroughput {
    pub step: String,
    pub title: String,
    pub figures: FiguresView,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessThroughput {
    pub process_id: String,
    pub name: String,
    /// Opening to decision.
    pub case: Option<FiguresView>,
    pub steps: Vec<StepThroughput>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnThroughputView {
    /// When the daily job computed the figures; None before its first run.
    pub computed_at: Option<DateTime<Utc>>,
    pub processes: Vec<ProcessThroughput>,
}

fn figures_view(r: &ThroughputRow) -> FiguresView {
    FiguresView {
        measured: r.measured,
        median_seconds: r.median_seconds,
        p90_seconds: r.p90_seconds,
    }
}

/// Groups rows by process in the order of the models, steps in the order of the model's graph.
fn by_process<'a>(
    models: &'a [ProcessDef],
    lang: &str,
    rows: &[&ThroughputRow],
) -> Vec<ProcessThroughput> {
    models
        .iter()
        .filter_map(|m: &'a ProcessDef| {
            let mine: Vec<&&ThroughputRow> = rows.iter().filter(|r| r.process_id == m.id).collect();
            if mine.is_empty() {
                return None;
            }
            let case = mine
                .iter()
                .find(|r| r.step.is_empty())
                .map(|r| figures_view(r));
            let steps = m
                .steps
                .iter()
                .filter_map(|s| {
                    mine.iter()
                        .find(|r| r.step == s.id)
                        .map(|r| StepThroughput {
                            step: s.id.clone(),
                            title: match (lang, &s.title_en) {
                                ("de", _) | (_, None) => s.title.clone(),
                                (_, Some(en)) => en.clone(),
                            },
                            figures: figures_view(r),
                        })
                })
                .collect();
            Some(ProcessThroughput {
                process_id: m.id.clone(),
                name: m.name_in(lang).to_owned(),
                case,
                steps,
            })
        })
        .collect()
}

/// The tenant's own figures (all groups: they stay inside the authority).
pub async fn own_throughput_view(
    state: &AppState,
    identity: &Identity,
    lang: &str,
) -> Result<OwnThroughputView, AppError> {
    identity.require(Permission::WorkCases)?;
    let tx = identity.tenant_tx(state).await?;
    let rows = store::throughput(&tx).await?;
    let models = tenant_catalog(&tx).await?;
    tx.commit().await?;
    let refs: Vec<&ThroughputRow> = rows.iter().collect();
    Ok(OwnThroughputView {
        computed_at: rows.iter().map(|r| r.computed_at).max(),
        processes: by_process(&models, lang, &refs),
    })
}

/// Throughput time per process and step in the caller's authority (median, 90th percentile,
/// number of measured stays), as computed by the daily job.
#[utoipa::path(get, path = "/api/v1/throughput", tag = "cases",
    responses((status = 200, body = OwnThroughputView), (status = 403)))]
#[get("/api/v1/throughput")]
pub async fn own_throughput(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(own_throughput_view(&state, &identity, "de").await?))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthorityThroughput {
    /// The authority's name (authorities are not persons).
    pub authority: String,
    pub processes: Vec<ProcessThroughput>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MinistryThroughputView {
    /// Groups with fewer measurements are left out.
    pub min_group: u64,
    /// Groups left out for being smaller than `min_group` (a count, nothing else).
    pub suppressed_groups: usize,
    pub authorities: Vec<AuthorityThroughput>,
}

/// The ministry's comparison: every authority's figures per model process and step, read through
/// the read-only aggregate transaction; groups under [`throughput::MIN_GROUP`] are left out.
pub async fn ministry_throughput_view(
    state: &AppState,
    identity: &Identity,
    lang: &str,
) -> Result<MinistryThroughputView, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let conn = state.db.connection();
    let agg = AggregateTx::begin(&state.db).await?;
    let rows = store::all_throughput(&agg).await?;
    agg.finish().await?;
    let models = current_models(conn).await?;
    let names: BTreeMap<uuid::Uuid, String> = tenants::list(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let min = i64::try_from(throughput::MIN_GROUP).unwrap_or(i64::MAX);
    let suppressed_groups = rows.iter().filter(|(_, r)| r.measured < min).count();
    let mut per_tenant: BTreeMap<&str, Vec<&ThroughputRow>> = BTreeMap::new();
    for (tenant, row) in &rows {
        if row.measured < min {
            continue;
        }
        if let Some(name) = names.get(tenant) {
            per_tenant.entry(name.as_str()).or_default().push(row);
        }
    }
    Ok(MinistryThroughputView {
        min_group: throughput::MIN_GROUP,
        suppressed_groups,
        authorities: per_tenant
            .into_iter()
            .map(|(name, rows)| AuthorityThroughput {
                authority: name.to_owned(),
                processes: by_process(&models, lang, &rows),
            })
            .filter(|a| !a.processes.is_empty())
            .collect(),
    })
}

/// The statewide comparison of throughput per model process and step across authorities:
/// aggregates only, groups under the minimum size left out.
#[utoipa::path(get, path = "/api/v1/ministry/throughput", tag = "ministry",
    responses((status = 200, body = MinistryThroughputView), (status = 403)))]
#[get("/api/v1/ministry/throughput")]
pub async fn ministry_throughput(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ministry_throughput_view(&state, &identity, "de").await?))
}
