//! Rollout browser pages: the ministry console (`/ministry`, its exports and printable view) and
//! the tenant admin's onboarding workspace (`/workspace/rollout`). Forms post and answer with
//! Post-Redirect-Get, like every other page.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use amtsweg_domain::Permission;
use amtsweg_frontend::model::{
    Area, OperatorRolloutTenant, RolloutChecklistItem, RolloutDevice, RolloutWorkspace,
};
use amtsweg_frontend::pages_rollout;
use amtsweg_store::rollout as store;
use amtsweg_store::tenants;
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address, verify_csrf};
use crate::pages::{
    context_from_request, format_time, invalid, ok, redirect_with_flash, staff_context,
};
use crate::routes::{rollout, rollout_console};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(ministry_page)
        .service(ministry_print)
        .service(ministry_csv)
        .service(ministry_xlsx)
        .service(workspace_rollout)
        .service(workspace_checklist_submit)
        .service(operator_rollout)
        .service(operator_rollout_tenant)
        .service(operator_invite_submit)
        .service(operator_lifecycle_submit);
}

/// The ministry console. Aggregates only.
#[get("/ministry")]
async fn ministry_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let ctx = staff_context(&state, &req, &identity, Area::Ministry).await?;
    let console = rollout_console::overview(&state).await?;
    Ok(ok(
        &req,
        pages_rollout::ministry_console(&ctx, &console, false),
    ))
}

/// The printable report (the style sheet's print rules drop the page frame).
#[get("/ministry/print")]
async fn ministry_print(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let ctx = staff_context(&state, &req, &identity, Area::Ministry).await?;
    let console = rollout_console::overview(&state).await?;
    Ok(ok(
        &req,
        pages_rollout::ministry_console(&ctx, &console, true),
    ))
}

#[derive(Debug, Deserialize)]
struct ExportQuery {
    #[serde(default)]
    table: Option<String>,
}

/// One table of the console as CSV (`?table=services|funds|forecast|hardware|regions|missed_deadlines|tenants`).
#[get("/ministry/export.csv")]
async fn ministry_csv(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let console = rollout_console::overview(&state).await?;
    let name = query.table.as_deref().unwrap_or("tenants");
    let table = rollout_console::tables(&console)
        .into_iter()
        .find(|t| t.title == name)
        .ok_or(AppError::NotFound)?;
    let text =
        amtsweg_rollout::export::csv(&table).map_err(|err| AppError::internal(err.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"rollout-{name}-{}.csv\"",
                console.as_of
            ),
        ))
        .body(text))
}

/// Every table of the console as one workbook.
#[get("/ministry/export.xlsx")]
async fn ministry_xlsx(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let console = rollout_console::overview(&state).await?;
    let bytes = amtsweg_rollout::export::xlsx(&rollout_console::tables(&console))
        .map_err(|err| AppError::internal(err.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"rollout-{}.xlsx\"", console.as_of),
        ))
        .body(bytes))
}

/// The authority's onboarding checklist, EfA services and device health.
#[get("/workspace/rollout")]
async fn workspace_rollout(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(&state).await?;
    let checklist = rollout::checklist_view(&state, &tx).await?;
    let subs = store::subscriptions(&tx).await?;
    let devices = store::devices(&tx).await?;
    let waiting = store::unprocessed_registrations(&tx, 10_000).await?.len();
    tx.commit().await?;
    let view = RolloutWorkspace {
        lifecycle: checklist.lifecycle,
        done: checklist.done,
        total: checklist.total,
        checklist: checklist
            .items
            .into_iter()
            .map(|i| RolloutChecklistItem {
                item: i.item,
                done: i.done,
                derived: i.derived,
                note: i.note,
            })
            .collect(),
        services: subs
            .into_iter()
            .map(|s| {
                (
                    s.service,
                    s.status,
                    s.payer,
                    s.committed_on.map(|d| d.to_string()),
                )
            })
            .collect(),
        devices: devices
            .into_iter()
            .map(|d| {
                let v = rollout::device_view(d, now);
                RolloutDevice {
                    kind: v.kind,
                    serial: v.serial,
                    state: v.state,
                    health: v.health,
                    software_version: v.software_version,
                    last_heartbeat: v.last_heartbeat_at.map(format_time),
                    certificate_expires_on: v.certificate_expires_on.map(|d| d.to_string()),
                }
            })
            .collect(),
        can_edit: identity.role.has(Permission::ManageUsers),
        unprocessed_registrations: waiting,
    };
    Ok(ok(&req, pages_rollout::rollout_workspace(&ctx, &view)))
}

#[derive(Debug, Deserialize)]
struct ChecklistForm {
    csrf: String,
    item: String,
    done: String,
    #[serde(default)]
    note: String,
}

#[post("/workspace/rollout/checklist")]
async fn workspace_checklist_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<ChecklistForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    rollout::update_checklist_item(
        &state,
        &identity,
        &form.item,
        form.done == "true",
        &form.note,
        &address,
    )
    .await?;
    Ok(redirect_with_flash(
        "/workspace/rollout",
        "success",
        "rollout-flash-saved",
    ))
}

/// Operators only; everyone else is told nothing (404), as on the API.
fn require_operator(identity: &Identity) -> Result<(), AppError> {
    identity
        .require(Permission::ManageTenants)
        .map_err(|_| AppError::NotFound)
}

async fn operator_view(
    state: &AppState,
    tenant: uuid::Uuid,
) -> Result<OperatorRolloutTenant, AppError> {
    let row = tenants::get(state.db.connection(), tenant).await?;
    let tx = state.db.tenant(amtsweg_domain::TenantId(tenant)).await?;
    let view = rollout::checklist_view(state, &tx).await?;
    tx.commit().await?;
    let lifecycle: amtsweg_domain::tenant::LifecycleState = row
        .lifecycle
        .parse()
        .map_err(|_| AppError::internal("stored lifecycle is unknown"))?;
    Ok(OperatorRolloutTenant {
        id: tenant.to_string(),
        name: row.name,
        lifecycle: row.lifecycle,
        checklist_done: view.done,
        checklist_total: view.total,
        next_states: lifecycle
            .allowed_transitions()
            .iter()
            .filter(|s| **s != amtsweg_domain::tenant::LifecycleState::Offboarded)
            .map(|s| s.as_str().to_owned())
            .collect(),
        email: String::new(),
        errors: Default::default(),
    })
}

/// Every authority with its onboarding progress.
#[get("/operator/rollout")]
async fn operator_rollout(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    require_operator(&identity)?;
    let ctx = staff_context(&state, &req, &identity, Area::Operator).await?;
    let console = rollout_console::overview(&state).await?;
    let rows: Vec<OperatorRolloutTenant> = console
        .tenants
        .into_iter()
        .filter(|t| t.kind != "ministry")
        .map(|t| OperatorRolloutTenant {
            id: t.id,
            name: t.name,
            lifecycle: t.lifecycle,
            checklist_done: t.checklist_done,
            checklist_total: t.checklist_total,
            ..OperatorRolloutTenant::default()
        })
        .collect();
    Ok(ok(&req, pages_rollout::operator_rollout_list(&ctx, &rows)))
}

#[get("/operator/rollout/{id}")]
async fn operator_rollout_tenant(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    require_operator(&identity)?;
    let tenant: uuid::Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let ctx = staff_context(&state, &req, &identity, Area::Operator).await?;
    let view = operator_view(&state, tenant).await?;
    Ok(ok(
        &req,
        pages_rollout::operator_rollout_tenant(&ctx, &view),
    ))
}

#[derive(Debug, Deserialize)]
struct InviteForm {
    csrf: String,
    email: String,
}

#[post("/operator/rollout/{id}/invite")]
async fn operator_invite_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    require_operator(&identity)?;
    let tenant: uuid::Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let lang = context_from_request(&req, Area::Operator).lang;
    match rollout::invite_first_admin_flow(&state, &identity, tenant, &form.email, lang, &address)
        .await
    {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/operator/rollout/{tenant}"),
            "success",
            "rollout-flash-invited",
        )),
        Err(AppError::Validation(errors)) => {
            let ctx = staff_context(&state, &req, &identity, Area::Operator).await?;
            let mut view = operator_view(&state, tenant).await?;
            view.email = form.email.clone();
            view.errors = errors;
            Ok(invalid(
                &req,
                pages_rollout::operator_rollout_tenant(&ctx, &view),
            ))
        }
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
struct LifecycleForm {
    csrf: String,
    to: String,
}

#[post("/operator/rollout/{id}/lifecycle")]
async fn operator_lifecycle_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    form: web::Form<LifecycleForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    require_operator(&identity)?;
    let tenant: uuid::Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let to = format!("/operator/rollout/{tenant}");
    match rollout::change_lifecycle(&state, &identity, tenant, &form.to, &address).await {
        Ok(_) => Ok(redirect_with_flash(
            &to,
            "success",
            "rollout-flash-lifecycle",
        )),
        // Refused by the rules (e.g. the checklist is not complete): say so on the page.
        Err(AppError::Conflict(_)) => Ok(redirect_with_flash(
            &to,
            "error",
            "rollout-flash-lifecycle-refused",
        )),
        Err(other) => Err(other),
    }
}
