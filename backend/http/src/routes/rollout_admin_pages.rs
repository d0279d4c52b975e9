//! Rollout administration pages: the authority's device registry, EfA services, costs with
//! budgets and use of funds, SINA answers; the ministry's hardware overview and SINA rounds.
//!
//! Every change goes through the same flow as the JSON API (`routes::rollout::*_flow`), so the
//! rules, the audit entries and the errors are the same. Forms post; a valid change answers
//! with Post-Redirect-Get, an invalid one with the form again (422) and the errors next to
//! each field.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use amtsweg_domain::Permission;
use amtsweg_frontend::i18n::{Lang, has_key};
use amtsweg_frontend::model::{Area, FieldErrors, PageContext};
use amtsweg_frontend::pages_rollout_admin::{
    self as pages, CostForm, CostRow, CostsPage, DecidedMatchRow, DeviceForm, DeviceRow,
    DevicesPage, Expiry, FundRow, HardwarePage, HardwareRow, MatchCandidate, MatchReviewRow,
    MinistrySinaAnswer, MinistrySinaList, MinistrySinaRound, ServiceForm, ServiceRow, ServicesPage,
    SinaAnswerForm, SinaAnswerPage, SinaRound,
};
use amtsweg_rollout::Money;
use amtsweg_rollout::budget::{self, ForecastSubscription, LedgerItem};
use amtsweg_rollout::device::{DeviceKind, DeviceState, Health};
use amtsweg_rollout::rules::{CostKind, EfaService, Payer, rule};
use amtsweg_store::rollout as store;
use amtsweg_store::tenants;
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address, verify_csrf};
use crate::pages::{format_time, invalid, ok, redirect_with_flash, staff_context};
use crate::routes::rollout::{
    self, CostView, DeviceRequest, SinaAnswerRequest, SinaApprovalRequest, SinaSurveyRequest,
    SubscriptionRequest,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(devices_page)
        .service(devices_submit)
        .service(device_state_submit)
        .service(services_page)
        .service(services_submit)
        .service(costs_page)
        .service(costs_submit)
        .service(sina_list)
        .service(sina_answer_page)
        .service(sina_answer_submit)
        .service(matches_page)
        .service(match_submit)
        .service(match_undo_submit)
        .service(ministry_hardware)
        .service(ministry_sina_list)
        .service(ministry_sina_open)
        .service(ministry_sina_round)
        .service(ministry_sina_approve);
}

/// The message keys of the rollout API's validation errors live in `rollout_admin.ftl` under a
/// `rollout-` prefix, so they cannot collide with another area's keys of the same name.
fn page_errors(lang: Lang, errors: BTreeMap<String, String>) -> FieldErrors {
    errors
        .into_iter()
        .map(|(field, key)| {
            let prefixed = format!("rollout-{key}");
            let key = if !has_key(lang, &key) && has_key(lang, &prefixed) {
                prefixed
            } else {
                key
            };
            (field, key)
        })
        .collect()
}

/// An optional date field: empty is `None`, anything else must be `YYYY-MM-DD`.
fn date_field(
    errors: &mut FieldErrors,
    name: &str,
    text: &str,
    required: bool,
) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            errors.insert(name.to_owned(), "error-required".to_owned());
        }
        return None;
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    if day.is_none() {
        errors.insert(name.to_owned(), "rollout-error-date-invalid".to_owned());
    }
    day
}

fn today(state: &AppState) -> NaiveDate {
    state.clock.now().date_naive()
}

fn expiry(day: Option<NaiveDate>, today: NaiveDate) -> Expiry {
    match day {
        None => Expiry::None,
        Some(d) if d < today => Expiry::Expired,
        Some(d) if d <= today + chrono::Duration::days(30) => Expiry::Soon,
        Some(_) => Expiry::Valid,
    }
}

// ---------------------------------------------------------------------------------------------
// Devices

async fn devices_view(
    state: &AppState,
    identity: &Identity,
    form: DeviceForm,
    errors: FieldErrors,
) -> Result<DevicesPage, AppError> {
    identity.require(Permission::WorkCases)?;
    let tx = identity.tenant_tx(state).await?;
    let devices = store::devices(&tx).await?;
    tx.commit().await?;
    let now = state.clock.now();
    let today = now.date_naive();
    Ok(DevicesPage {
        devices: devices
            .into_iter()
            .map(|d| {
                let next_states = d
                    .state
                    .parse::<DeviceState>()
                    .map(|s| {
                        s.allowed_transitions()
                            .iter()
                            .map(|n| n.as_str().to_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                let certificate_expiry = expiry(d.certificate_expires_on, today);
                let smartcard_expiry = expiry(d.smartcard_expires_on, today);
                let v = rollout::device_view(d, now);
                DeviceRow {
                    id: v.id.to_string(),
                    kind: v.kind,
                    serial: v.serial,
                    state: v.state,
                    health: v.health,
                    software_version: v.software_version,
                    last_heartbeat: v.last_heartbeat_at.map(format_time),
                    certificate_expires_on: v.certificate_expires_on.map(|d| d.to_string()),
                    certificate_expiry,
                    smartcard_expires_on: v.smartcard_expires_on.map(|d| d.to_string()),
                    smartcard_expiry,
                    cost_cents: v.cost_cents,
                    payer: v.payer,
                    next_states,
                }
            })
            .collect(),
        can_edit: identity.role.has(Permission::ManageUsers),
        form,
        errors,
    })
}

#[get("/workspace/rollout/devices")]
async fn devices_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let view = devices_view(&state, &identity, DeviceForm::default(), FieldErrors::new()).await?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    Ok(ok(&req, pages::devices_page(&ctx, &view)))
}

#[derive(Debug, Deserialize)]
struct DeviceFormData {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    serial: String,
    #[serde(default)]
    certificate_expires_on: String,
    #[serde(default)]
    smartcard_expires_on: String,
    #[serde(default)]
    cost: String,
    #[serde(default)]
    payer: String,
}

#[post("/workspace/rollout/devices")]
async fn devices_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<DeviceFormData>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    identity.require(Permission::ManageUsers)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let mut errors = FieldErrors::new();
    // Checked here too, so that every error of the form shows at once.
    if form.kind.parse::<DeviceKind>().is_err() {
        errors.insert("kind".into(), "rollout-error-kind-invalid".into());
    }
    if form.serial.trim().is_empty() {
        errors.insert("serial".into(), "error-required".into());
    }
    let certificate = date_field(
        &mut errors,
        "certificate_expires_on",
        &form.certificate_expires_on,
        false,
    );
    let smartcard = date_field(
        &mut errors,
        "smartcard_expires_on",
        &form.smartcard_expires_on,
        false,
    );
    let cost = if form.cost.trim().is_empty() {
        Some(Money::ZERO)
    } else {
        Money::parse(&form.cost)
    };
    if cost.is_none() {
        errors.insert("cost".into(), "rollout-error-amount-invalid".into());
    }
    let mut result = Err(AppError::Validation(BTreeMap::new()));
    if errors.is_empty() {
        let body = DeviceRequest {
            kind: form.kind.clone(),
            serial: form.serial.clone(),
            certificate_expires_on: certificate,
            smartcard_expires_on: smartcard,
            cost_cents: cost.unwrap_or_default().as_cents(),
            payer: (!form.payer.is_empty()).then(|| form.payer.clone()),
        };
        let address = client_address(&req, &state.settings.trusted_proxies);
        result = rollout::create_device_flow(&state, &identity, &body, &address).await;
    }
    match result {
        Ok(_) => Ok(redirect_with_flash(
            "/workspace/rollout/devices",
            "success",
            "rollout-flash-device-added",
        )),
        Err(AppError::Validation(more)) => {
            errors.extend(page_errors(ctx.lang, more));
            show_device_form(&state, &req, &identity, &ctx, &form, errors).await
        }
        Err(AppError::Conflict("device-serial-taken")) => {
            errors.insert("serial".into(), "rollout-error-serial-taken".into());
            show_device_form(&state, &req, &identity, &ctx, &form, errors).await
        }
        Err(other) => Err(other),
    }
}

async fn show_device_form(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    ctx: &PageContext,
    form: &DeviceFormData,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let values = DeviceForm {
        kind: form.kind.clone(),
        serial: form.serial.clone(),
        certificate_expires_on: form.certificate_expires_on.clone(),
        smartcard_expires_on: form.smartcard_expires_on.clone(),
        cost: form.cost.clone(),
        payer: form.payer.clone(),
    };
    let view = devices_view(state, identity, values, errors).await?;
    Ok(invalid(req, pages::devices_page(ctx, &view)))
}

#[derive(Debug, Deserialize)]
struct DeviceStateForm {
    csrf: String,
    #[serde(default)]
    state: String,
}

#[post("/workspace/rollout/devices/{id}/state")]
async fn device_state_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    form: web::Form<DeviceStateForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let to = "/workspace/rollout/devices";
    match rollout::device_state_flow(&state, &identity, id, &form.state, &address).await {
        Ok(_) => Ok(redirect_with_flash(
            to,
            "success",
            "rollout-flash-device-moved",
        )),
        // The machine refuses the move (or the state is unknown): say so on the page.
        Err(AppError::Conflict(_) | AppError::Validation(_)) => Ok(redirect_with_flash(
            to,
            "error",
            "rollout-flash-device-refused",
        )),
        Err(other) => Err(other),
    }
}

// ---------------------------------------------------------------------------------------------
// EfA services

async fn services_view(
    state: &AppState,
    identity: &Identity,
    form: ServiceForm,
    errors: FieldErrors,
) -> Result<ServicesPage, AppError> {
    identity.require(Permission::ManageUsers)?;
    let tx = identity.tenant_tx(state).await?;
    let subs = store::subscriptions(&tx).await?;
    let costs = store::costs(&tx).await?;
    tx.commit().await?;
    let on = today(state);
    let services = EfaService::ALL
        .iter()
        .map(|service| {
            let r = rule(*service);
            let connection_cents = costs
                .iter()
                .filter(|c| {
                    c.kind == CostKind::Connection.as_str()
                        && c.service.as_deref() == Some(service.as_str())
                })
                .map(|c| c.amount_cents)
                .reduce(|a, b| a + b);
            match subs.iter().find(|s| s.service == service.as_str()) {
                Some(sub) => {
                    let funding = r.funding(sub.committed_on, on);
                    ServiceRow {
                        service: service.as_str().to_owned(),
                        taken_up: r.taken_up,
                        status: sub.status.clone(),
                        committed_on: sub.committed_on.map(|d| d.to_string()),
                        connected_on: sub.connected_on.map(|d| d.to_string()),
                        deadline: r.deadline().map(|d| d.to_string()),
                        met_deadline: sub.committed_on.is_some_and(|d| r.met_deadline(d)),
                        payer: funding.payer.as_str().to_owned(),
                        funding_source: funding.source.as_str().to_owned(),
                        state_pays_until: (funding.payer == Payer::State)
                            .then(|| r.state_pays_until_date().map(|d| d.to_string()))
                            .flatten(),
                        connection_cents,
                    }
                }
                None => ServiceRow {
                    service: service.as_str().to_owned(),
                    taken_up: r.taken_up,
                    status: if r.taken_up {
                        "not_committed".into()
                    } else {
                        "vendor_solution".into()
                    },
                    deadline: r.deadline().map(|d| d.to_string()),
                    connection_cents,
                    ..ServiceRow::default()
                },
            }
        })
        .collect();
    Ok(ServicesPage {
        services,
        form,
        errors,
    })
}

#[get("/workspace/rollout/services")]
async fn services_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let view = services_view(
        &state,
        &identity,
        ServiceForm::default(),
        FieldErrors::new(),
    )
    .await?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    Ok(ok(&req, pages::services_page(&ctx, &view)))
}

#[derive(Debug, Deserialize)]
struct ServiceFormData {
    csrf: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    committed_on: String,
    #[serde(default)]
    connected_on: String,
}

#[post("/workspace/rollout/services")]
async fn services_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<ServiceFormData>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    identity.require(Permission::ManageUsers)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let mut errors = FieldErrors::new();
    if form.service.parse::<EfaService>().is_err() {
        errors.insert("service".into(), "rollout-error-service-invalid".into());
    }
    let committed_on = date_field(&mut errors, "committed_on", &form.committed_on, false);
    let connected_on = date_field(&mut errors, "connected_on", &form.connected_on, false);
    let mut result = Err(AppError::Validation(BTreeMap::new()));
    if errors.is_empty() {
        let body = SubscriptionRequest {
            status: form.status.clone(),
            committed_on,
            connected_on,
        };
        let address = client_address(&req, &state.settings.trusted_proxies);
        result =
            rollout::save_subscription(&state, &identity, &form.service, &body, &address).await;
    }
    match result {
        Ok(_) => Ok(redirect_with_flash(
            "/workspace/rollout/services",
            "success",
            "rollout-flash-service-saved",
        )),
        Err(AppError::Validation(more)) => {
            errors.extend(page_errors(ctx.lang, more));
            let values = ServiceForm {
                service: form.service.clone(),
                status: form.status.clone(),
                committed_on: form.committed_on.clone(),
                connected_on: form.connected_on.clone(),
            };
            let view = services_view(&state, &identity, values, errors).await?;
            Ok(invalid(&req, pages::services_page(&ctx, &view)))
        }
        Err(other) => Err(other),
    }
}

// ---------------------------------------------------------------------------------------------
// Costs, budgets, use of funds

fn ledger_item(c: &store::Cost) -> Option<LedgerItem> {
    Some(LedgerItem {
        service: c.service.as_deref().and_then(|s| s.parse().ok()),
        kind: c.kind.parse().ok()?,
        status: c.status.parse().ok()?,
        amount: Money::cents(c.amount_cents),
        payer: c.payer.parse().ok()?,
        source: c.funding_source.parse().ok()?,
        period_start: c.period_start,
        period_end: c.period_end,
    })
}

async fn costs_view(
    state: &AppState,
    identity: &Identity,
    form: CostForm,
    errors: FieldErrors,
) -> Result<CostsPage, AppError> {
    identity.require(Permission::ManageUsers)?;
    let tenant = identity.tenant()?;
    let all_tenants = tenants::list(state.db.connection()).await?;
    crate::routes::rollout_console::ensure_allocations(state, &all_tenants).await?;
    let allocations = store::allocations(state.db.connection()).await?;
    let funds = store::funds(state.db.connection()).await?;
    let tx = identity.tenant_tx(state).await?;
    let costs = store::costs(&tx).await?;
    let devices = store::devices(&tx).await?;
    let subs = store::subscriptions(&tx).await?;
    tx.commit().await?;
    let device_label = |id: Uuid| {
        devices
            .iter()
            .find(|d| d.id == id)
            .map(|d| format!("{} {}", d.kind, d.serial))
    };
    let items: Vec<LedgerItem> = costs.iter().filter_map(ledger_item).collect();
    let fund_rows = funds
        .iter()
        .filter_map(|f| {
            let source = f.id.parse().ok()?;
            let used = budget::fund_use(Money::ZERO, source, &items);
            Some(FundRow {
                fund: f.id.clone(),
                allocated_cents: allocations
                    .iter()
                    .find(|(t, fund, _)| *t == tenant.0 && *fund == f.id)
                    .map(|(_, _, cents)| *cents),
                usable_until: f.usable_until.map(|d| d.to_string()),
                committed_cents: used.committed.as_cents(),
                spent_cents: used.spent.as_cents(),
            })
        })
        .collect();
    let subscriptions: Vec<ForecastSubscription> = subs
        .iter()
        .filter_map(|s| {
            Some(ForecastSubscription {
                service: s.service.parse().ok()?,
                committed_on: s.committed_on,
            })
        })
        .collect();
    let forecast = budget::forecast(&items, &subscriptions);
    let years: std::collections::BTreeSet<i32> = forecast.keys().map(|(y, _)| *y).collect();
    let authority = tenants::get(state.db.connection(), tenant.0).await?.name;
    Ok(CostsPage {
        as_of: today(state).to_string(),
        authority,
        items: costs
            .iter()
            .map(|c| CostRow {
                service: c.service.clone(),
                device: c.device_id.and_then(device_label),
                kind: c.kind.clone(),
                status: c.status.clone(),
                amount_cents: c.amount_cents,
                payer: c.payer.clone(),
                funding_source: c.funding_source.clone(),
                period_start: c.period_start.to_string(),
                period_end: c.period_end.to_string(),
                document_ref: c.document_ref.clone(),
            })
            .collect(),
        funds: fund_rows,
        forecast: years
            .into_iter()
            .map(|y| {
                let get = |p: Payer| forecast.get(&(y, p)).copied().unwrap_or_default();
                (
                    y,
                    get(Payer::State).as_cents(),
                    get(Payer::Municipality).as_cents(),
                )
            })
            .collect(),
        devices: devices
            .iter()
            .map(|d| (d.id.to_string(), format!("{} {}", d.kind, d.serial)))
            .collect(),
        form,
        errors,
    })
}

#[get("/workspace/rollout/costs")]
async fn costs_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let form = CostForm {
        status: "committed".into(),
        ..CostForm::default()
    };
    let view = costs_view(&state, &identity, form, FieldErrors::new()).await?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    Ok(ok(&req, pages::costs_page(&ctx, &view)))
}

#[derive(Debug, Deserialize)]
struct CostFormData {
    csrf: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    device_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    funding_source: String,
    #[serde(default)]
    period_start: String,
    #[serde(default)]
    period_end: String,
    #[serde(default)]
    document_ref: String,
}

#[post("/workspace/rollout/costs")]
async fn costs_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<CostFormData>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    identity.require(Permission::ManageUsers)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let mut errors = FieldErrors::new();
    // Checked here too, so that every error of the form shows at once.
    if form.kind.parse::<CostKind>().is_err() {
        errors.insert("kind".into(), "rollout-error-kind-invalid".into());
    }
    if form
        .funding_source
        .parse::<amtsweg_rollout::rules::FundingSource>()
        .is_err()
    {
        errors.insert("funding_source".into(), "rollout-error-fund-invalid".into());
    }
    if form.document_ref.trim().is_empty() {
        errors.insert("document_ref".into(), "error-required".into());
    }
    let start = date_field(&mut errors, "period_start", &form.period_start, true);
    let end = date_field(&mut errors, "period_end", &form.period_end, true);
    let amount = Money::parse(&form.amount);
    if amount.is_none() {
        errors.insert("amount".into(), "rollout-error-amount-invalid".into());
    }
    let device_id = if form.device_id.is_empty() {
        None
    } else {
        let parsed = form.device_id.parse::<Uuid>().ok();
        if parsed.is_none() {
            errors.insert("device_id".into(), "rollout-error-device-unknown".into());
        }
        parsed
    };
    let mut result = Err(AppError::Validation(BTreeMap::new()));
    if errors.is_empty()
        && let (Some(start), Some(end), Some(amount)) = (start, end, amount)
    {
        let body = CostView {
            id: None,
            service: (!form.service.is_empty()).then(|| form.service.clone()),
            device_id,
            kind: form.kind.clone(),
            status: form.status.clone(),
            amount_cents: amount.as_cents(),
            funding_source: form.funding_source.clone(),
            payer: None,
            period_start: start,
            period_end: end,
            document_ref: form.document_ref.clone(),
        };
        let address = client_address(&req, &state.settings.trusted_proxies);
        result = rollout::add_cost_flow(&state, &identity, &body, &address).await;
    }
    match result {
        Ok(_) => Ok(redirect_with_flash(
            "/workspace/rollout/costs",
            "success",
            "rollout-flash-cost-booked",
        )),
        Err(AppError::Validation(more)) => {
            errors.extend(page_errors(ctx.lang, more));
            // The API names the amount in cents; the form in euros.
            if let Some(key) = errors.remove("amount_cents") {
                errors.insert("amount".into(), key);
            }
            let values = CostForm {
                service: form.service.clone(),
                device_id: form.device_id.clone(),
                kind: form.kind.clone(),
                status: form.status.clone(),
                amount: form.amount.clone(),
                funding_source: form.funding_source.clone(),
                period_start: form.period_start.clone(),
                period_end: form.period_end.clone(),
                document_ref: form.document_ref.clone(),
            };
            let view = costs_view(&state, &identity, values, errors).await?;
            Ok(invalid(&req, pages::costs_page(&ctx, &view)))
        }
        Err(other) => Err(other),
    }
}

// ---------------------------------------------------------------------------------------------
// SINA: the authority's side

fn round(view: &rollout::SinaSurveyView) -> SinaRound {
    SinaRound {
        id: view.id.to_string(),
        title: view.title.clone(),
        closes_on: view.closes_on.to_string(),
        open: view.open,
        requested: view.requested,
        approved: view.approved,
    }
}

#[get("/workspace/rollout/sina")]
async fn sina_list(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let rounds: Vec<SinaRound> = rollout::own_sina_surveys(&state, &identity)
        .await?
        .iter()
        .map(round)
        .collect();
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    Ok(ok(&req, pages::sina_list_page(&ctx, &rounds)))
}

async fn own_round(state: &AppState, identity: &Identity, id: &str) -> Result<SinaRound, AppError> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    rollout::own_sina_surveys(state, identity)
        .await?
        .iter()
        .find(|s| s.id == id)
        .map(round)
        .ok_or(AppError::NotFound)
}

#[get("/workspace/rollout/sina/{id}")]
async fn sina_answer_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let round = own_round(&state, &identity, &id).await?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let form = SinaAnswerForm {
        requested: round.requested.map(|r| r.to_string()).unwrap_or_default(),
        justification: String::new(),
    };
    let page = SinaAnswerPage {
        round,
        form,
        errors: FieldErrors::new(),
    };
    Ok(ok(&req, pages::sina_answer_page(&ctx, &page)))
}

#[derive(Debug, Deserialize)]
struct SinaAnswerFormData {
    csrf: String,
    #[serde(default)]
    requested: String,
    #[serde(default)]
    justification: String,
}

#[post("/workspace/rollout/sina/{id}")]
async fn sina_answer_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    form: web::Form<SinaAnswerFormData>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let round = own_round(&state, &identity, &id).await?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let mut errors = FieldErrors::new();
    let requested = form.requested.trim().parse::<i32>().ok();
    if requested.is_none() {
        errors.insert("requested".into(), "rollout-error-amount-invalid".into());
    }
    let mut result = Err(AppError::Validation(BTreeMap::new()));
    if let (Some(requested), Ok(survey)) = (requested, round.id.parse::<Uuid>()) {
        let body = SinaAnswerRequest {
            requested,
            justification: form.justification.clone(),
        };
        let address = client_address(&req, &state.settings.trusted_proxies);
        result = rollout::answer_sina_flow(&state, &identity, survey, &body, &address).await;
    }
    match result {
        Ok(_) => Ok(redirect_with_flash(
            "/workspace/rollout/sina",
            "success",
            "rollout-flash-sina-answered",
        )),
        Err(AppError::Validation(more)) => {
            errors.extend(page_errors(ctx.lang, more));
            let page = SinaAnswerPage {
                round,
                form: SinaAnswerForm {
                    requested: form.requested.clone(),
                    justification: form.justification.clone(),
                },
                errors,
            };
            Ok(invalid(&req, pages::sina_answer_page(&ctx, &page)))
        }
        Err(AppError::Conflict("survey-closed")) => Ok(redirect_with_flash(
            "/workspace/rollout/sina",
            "error",
            "rollout-error-survey-closed",
        )),
        Err(other) => Err(other),
    }
}

// ---------------------------------------------------------------------------------------------
// Registrations waiting for a clerk

#[get("/workspace/rollout/matches")]
async fn matches_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req, &state.settings.trusted_proxies);
    let reviews = rollout::match_reviews_view(&state, &identity, &address).await?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let rows: Vec<MatchReviewRow> = reviews
        .into_iter()
        .map(|r| MatchReviewRow {
            registration_id: r.registration_id.to_string(),
            received_at: format_time(r.received_at),
            family_name: r.family_name,
            given_names: r.given_names,
            birth_date: r.birth_date,
            nationality: r.nationality,
            candidates: r
                .proposals
                .into_iter()
                .map(|c| MatchCandidate {
                    person_id: c.person_id.to_string(),
                    file_number: c.file_number,
                    family_name: c.family_name,
                    given_names: c.given_names,
                    birth_date: c.birth_date.unwrap_or_default(),
                    nationality: c.nationality.unwrap_or_default(),
                    score: c.score,
                    sure: c.sure,
                })
                .collect(),
        })
        .collect();
    let decided: Vec<DecidedMatchRow> = rollout::undoable_matches_view(&state, &identity, &address)
        .await?
        .into_iter()
        .map(|d| DecidedMatchRow {
            registration_id: d.registration_id.to_string(),
            decided_at: format_time(d.decided_at),
            person: format!("{}, {}", d.family_name, d.given_names),
            file_number: d.file_number,
            person_created: d.person_created,
        })
        .collect();
    Ok(ok(&req, pages::matches_page(&ctx, &rows, &decided)))
}

#[derive(Debug, Deserialize)]
struct MatchForm {
    csrf: String,
    #[serde(default)]
    person_id: String,
}

#[post("/workspace/rollout/matches/{id}")]
async fn match_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    form: web::Form<MatchForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let registration: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let person_id = match form.person_id.as_str() {
        "new" => None,
        text => Some(
            text.parse::<Uuid>()
                .map_err(|_| AppError::field("person_id", "error-person-not-proposed")),
        ),
    }
    .transpose();
    let address = client_address(&req, &state.settings.trusted_proxies);
    let to = "/workspace/rollout/matches";
    let result = match person_id {
        Ok(person_id) => {
            let body = rollout::MatchDecisionRequest { person_id };
            rollout::decide_match_flow(&state, &identity, registration, &body, &address).await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => Ok(redirect_with_flash(
            to,
            "success",
            "rollout-flash-match-decided",
        )),
        Err(AppError::Validation(_)) => Ok(redirect_with_flash(
            to,
            "error",
            "rollout-error-person-not-proposed",
        )),
        Err(AppError::Conflict("match-decided")) => Ok(redirect_with_flash(
            to,
            "error",
            "rollout-error-match-decided",
        )),
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: String,
}

#[post("/workspace/rollout/matches/{id}/undo")]
async fn match_undo_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let registration: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let to = "/workspace/rollout/matches";
    match rollout::undo_match_flow(&state, &identity, registration, &address).await {
        Ok(_) => Ok(redirect_with_flash(
            to,
            "success",
            "rollout-flash-match-undone",
        )),
        Err(AppError::Conflict("match-moved-on" | "match-not-decided")) => Ok(redirect_with_flash(
            to,
            "error",
            "rollout-error-match-moved-on",
        )),
        Err(other) => Err(other),
    }
}

// ---------------------------------------------------------------------------------------------
// The ministry: hardware overview and SINA rounds

#[get("/ministry/hardware")]
async fn ministry_hardware(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let ctx = staff_context(&state, &req, &identity, Area::Ministry).await?;
    let all = tenants::list(state.db.connection()).await?;
    let agg = store::AggregateTx::begin(&state.db).await?;
    let facts = store::device_facts(&agg).await?;
    agg.finish().await?;
    let now = state.clock.now();
    let today = now.date_naive();
    let rows = all
        .iter()
        .filter_map(|t| {
            let own: Vec<&store::DeviceFacts> =
                facts.iter().filter(|f| f.tenant_id == t.id).collect();
            if own.is_empty() {
                return None;
            }
            let mut row = HardwareRow {
                authority: t.name.clone(),
                regierungsbezirk: t
                    .regierungsbezirk
                    .as_deref()
                    .and_then(|rb| rb.parse::<amtsweg_domain::tenant::Regierungsbezirk>().ok())
                    .map(|rb| rb.name_de().to_owned())
                    .unwrap_or_default(),
                ..HardwareRow::default()
            };
            for kind in DeviceKind::ALL {
                let of_kind = own.iter().filter(|f| f.kind == kind.as_str());
                let (mut delivered, mut total) = (0, 0);
                for f in of_kind {
                    total += 1;
                    if f.state
                        .parse::<DeviceState>()
                        .is_ok_and(|s| s.is_delivered())
                    {
                        delivered += 1;
                    }
                }
                row.kinds.push((kind.as_str().to_owned(), delivered, total));
            }
            for f in &own {
                let Ok(s) = f.state.parse::<DeviceState>() else {
                    continue;
                };
                row.active += usize::from(s == DeviceState::Active);
                row.defect += usize::from(s == DeviceState::Defect);
                match amtsweg_rollout::device::health(
                    s,
                    f.last_heartbeat_at,
                    f.certificate_expires_on,
                    f.smartcard_expires_on,
                    now,
                ) {
                    Health::Critical => row.critical += 1,
                    Health::Warning => row.warning += 1,
                    Health::Ok | Health::Inactive => {}
                }
                if s == DeviceState::Returned {
                    continue;
                }
                for day in [f.certificate_expires_on, f.smartcard_expires_on] {
                    match expiry(day, today) {
                        Expiry::Soon => row.expiring_soon += 1,
                        Expiry::Expired => row.expired += 1,
                        Expiry::None | Expiry::Valid => {}
                    }
                }
            }
            Some(row)
        })
        .collect();
    let page = HardwarePage {
        as_of: today.to_string(),
        kinds: DeviceKind::ALL
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
        rows,
    };
    Ok(ok(&req, pages::ministry_hardware(&ctx, &page)))
}

fn may_act_on_surveys(identity: &Identity) -> bool {
    matches!(
        identity.role,
        amtsweg_domain::Role::MinistryAnalyst | amtsweg_domain::Role::PlatformOperator
    )
}

async fn ministry_sina_view(
    state: &AppState,
    identity: &Identity,
    title: String,
    closes_on: String,
    errors: FieldErrors,
) -> Result<MinistrySinaList, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let surveys = store::sina_surveys(state.db.connection()).await?;
    let agg = store::AggregateTx::begin(&state.db).await?;
    let answers = store::sina_answers(&agg).await?;
    agg.finish().await?;
    let today = today(state);
    Ok(MinistrySinaList {
        rounds: surveys
            .into_iter()
            .map(|s| {
                let own: Vec<_> = answers.iter().filter(|a| a.1 == s.id).collect();
                let requested = own.iter().map(|a| i64::from(a.2)).sum();
                let approved = own.iter().filter_map(|a| a.3).map(i64::from).sum();
                (
                    SinaRound {
                        id: s.id.to_string(),
                        title: s.title,
                        closes_on: s.closes_on.to_string(),
                        open: s.closed_at.is_none() && s.closes_on >= today,
                        requested: None,
                        approved: None,
                    },
                    own.len(),
                    requested,
                    approved,
                )
            })
            .collect(),
        can_open: may_act_on_surveys(identity),
        title,
        closes_on,
        errors,
    })
}

#[get("/ministry/sina")]
async fn ministry_sina_list(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let view = ministry_sina_view(
        &state,
        &identity,
        String::new(),
        String::new(),
        FieldErrors::new(),
    )
    .await?;
    let ctx = staff_context(&state, &req, &identity, Area::Ministry).await?;
    Ok(ok(&req, pages::ministry_sina_list(&ctx, &view)))
}

#[derive(Debug, Deserialize)]
struct OpenSinaForm {
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    closes_on: String,
}

#[post("/ministry/sina")]
async fn ministry_sina_open(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<OpenSinaForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    identity.require(Permission::ViewMinistryAggregates)?;
    let ctx = staff_context(&state, &req, &identity, Area::Ministry).await?;
    let mut errors = FieldErrors::new();
    let closes_on = date_field(&mut errors, "closes_on", &form.closes_on, true);
    let mut result = Err(AppError::Validation(BTreeMap::new()));
    if let Some(closes_on) = closes_on {
        let body = SinaSurveyRequest {
            title: form.title.clone(),
            closes_on,
        };
        let address = client_address(&req, &state.settings.trusted_proxies);
        result = rollout::open_sina_flow(&state, &identity, &body, &address).await;
    }
    match result {
        Ok(view) => Ok(redirect_with_flash(
            &format!("/ministry/sina/{}", view.id),
            "success",
            "rollout-flash-sina-opened",
        )),
        Err(AppError::Validation(more)) => {
            errors.extend(page_errors(ctx.lang, more));
            let view = ministry_sina_view(
                &state,
                &identity,
                form.title.clone(),
                form.closes_on.clone(),
                errors,
            )
            .await?;
            Ok(invalid(&req, pages::ministry_sina_list(&ctx, &view)))
        }
        Err(other) => Err(other),
    }
}

async fn ministry_round_view(
    state: &AppState,
    identity: &Identity,
    id: &str,
    error: Option<(String, String)>,
) -> Result<MinistrySinaRound, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let (survey, answers) = rollout::sina_answers_of(state, id).await?;
    Ok(MinistrySinaRound {
        round: SinaRound {
            id: survey.id.to_string(),
            title: survey.title,
            closes_on: survey.closes_on.to_string(),
            open: survey.closed_at.is_none() && survey.closes_on >= today(state),
            requested: None,
            approved: None,
        },
        answers: answers
            .into_iter()
            .map(|a| MinistrySinaAnswer {
                tenant_id: a.tenant_id.to_string(),
                authority: a.authority,
                requested: a.requested,
                approved: a.approved,
            })
            .collect(),
        can_approve: may_act_on_surveys(identity),
        error,
    })
}

#[get("/ministry/sina/{id}")]
async fn ministry_sina_round(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let view = ministry_round_view(&state, &identity, &id, None).await?;
    let ctx = staff_context(&state, &req, &identity, Area::Ministry).await?;
    Ok(ok(&req, pages::ministry_sina_round(&ctx, &view)))
}

#[derive(Debug, Deserialize)]
struct ApproveForm {
    csrf: String,
    #[serde(default)]
    tenant_id: String,
    #[serde(default)]
    approved: String,
}

#[post("/ministry/sina/{id}/approvals")]
async fn ministry_sina_approve(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    form: web::Form<ApproveForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let survey: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let tenant: Uuid = form.tenant_id.parse().map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let result = match form.approved.trim().parse::<i32>() {
        Ok(approved) => {
            let body = SinaApprovalRequest {
                tenant_id: tenant,
                approved,
            };
            rollout::approve_sina_flow(&state, &identity, survey, &body, &address).await
        }
        Err(_) => Err(AppError::field("approved", "error-amount-invalid")),
    };
    match result {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/ministry/sina/{survey}"),
            "success",
            "rollout-flash-sina-approved",
        )),
        Err(AppError::Validation(errors)) => {
            let ctx = staff_context(&state, &req, &identity, Area::Ministry).await?;
            let key = page_errors(ctx.lang, errors)
                .into_values()
                .next()
                .unwrap_or_else(|| "rollout-error-amount-invalid".into());
            let view = ministry_round_view(&state, &identity, &id, Some((tenant.to_string(), key)))
                .await?;
            Ok(invalid(&req, pages::ministry_sina_round(&ctx, &view)))
        }
        Err(other) => Err(other),
    }
}
