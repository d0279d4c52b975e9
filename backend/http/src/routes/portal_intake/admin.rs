//! A tenant's own intake settings (tenant admins): which statewide services it offers online, its
//! hints, contact and opening-hours texts, and its appointment resources with their opening hours;
//! and the staff day view per resource. Pages and JSON API share the checks of
//! [`amtsweg_intake::settings`] and [`amtsweg_intake::appointments`]; every change is audited.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use amtsweg_domain::{Permission, TenantId};
use amtsweg_frontend::model::*;
use amtsweg_intake::appointments::{self, OpeningHours};
use amtsweg_intake::settings::{self, ResourceInput, ServiceTexts};
use amtsweg_store::TenantTx;
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::intake as repo;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{CsrfInput, catalog, pages, service_def, staff};
use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address, verify_csrf};
use crate::pages::{format_time, html, redirect_with_flash, staff_context};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(settings_page)
        .service(resource_submit)
        .service(resource_deactivate)
        .service(terminal_submit)
        .service(terminal_revoke)
        .service(service_page)
        .service(service_submit)
        .service(day_page)
        .service(api_settings)
        .service(api_deactivate_resource)
        .service(api_day);
}

/// Tenant admins only.
fn admin(identity: &Identity) -> Result<TenantId, AppError> {
    let tenant = staff(identity)?;
    identity.require(Permission::ManageUsers)?;
    Ok(tenant)
}

// ---------------------------------------------------------------------------------------------
// Shared by pages and API

/// Stores a service's activation and own texts (checked), audited.
pub(super) async fn save_service(
    state: &AppState,
    identity: &Identity,
    tenant: TenantId,
    key: &str,
    active: bool,
    texts: ServiceTexts,
) -> Result<(), AppError> {
    let service = service_def(key)?;
    let tx = state.db.tenant(tenant).await?;
    let now = state.clock.now();
    repo::set_tenant_service(
        &tx,
        &repo::TenantService {
            service_key: service.key.clone(),
            active,
            hints: texts.hints,
            contact: texts.contact,
            opening_hours: texts.opening_hours,
        },
        now,
    )
    .await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "intake.service.settings")
            .object("service", &service.key)
            .details(json!({ "active": active })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a checked resource with its opening hours, audited.
pub(super) async fn save_resource(
    state: &AppState,
    identity: &Identity,
    tenant: TenantId,
    resource: &ResourceInput,
    hours: &[OpeningHours<()>],
) -> Result<Uuid, AppError> {
    let tx = state.db.tenant(tenant).await?;
    let created =
        repo::add_resource(&tx, &resource.kind, &resource.name, &resource.languages).await?;
    for h in hours {
        repo::add_hours(
            &tx,
            &repo::Hours {
                resource_id: created.id,
                weekday: i32::try_from(h.weekday).unwrap_or(1),
                opens: h.opens.format("%H:%M").to_string(),
                closes: h.closes.format("%H:%M").to_string(),
                slot_minutes: i32::try_from(h.slot_minutes).unwrap_or(30),
            },
        )
        .await?;
    }
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "appointment.resource.created")
            .object("resource", created.id)
            .details(json!({ "kind": resource.kind, "weekdays": hours.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(created.id)
}

async fn deactivate(
    state: &AppState,
    identity: &Identity,
    tenant: TenantId,
    id: Uuid,
) -> Result<(), AppError> {
    let tx = state.db.tenant(tenant).await?;
    repo::deactivate_resource(&tx, id).await?;
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "appointment.resource.deactivated").object("resource", id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The tenant's settings of every statewide service (the default where it set nothing).
async fn service_settings(tx: &TenantTx) -> Result<Vec<repo::TenantService>, AppError> {
    let own = repo::tenant_services(tx).await?;
    Ok(catalog()?
        .services()
        .iter()
        .map(|s| {
            own.iter()
                .find(|o| o.service_key == s.key)
                .cloned()
                .unwrap_or(repo::TenantService {
                    service_key: s.key.clone(),
                    active: true,
                    hints: None,
                    contact: None,
                    opening_hours: None,
                })
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Pages

/// What the settings page shows beyond the stored settings: a form's input and its errors after
/// a refusal, or a new terminal's address (once).
#[derive(Default)]
struct Shown {
    values: BTreeMap<String, String>,
    errors: FieldErrors,
    new_terminal_url: Option<String>,
}

async fn render_settings(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    tenant: TenantId,
    status: StatusCode,
    shown: Shown,
) -> Result<HttpResponse, AppError> {
    let Shown {
        values,
        errors,
        new_terminal_url,
    } = shown;
    let ctx = staff_context(state, req, identity, Area::Workspace).await?;
    let tx = state.db.tenant(tenant).await?;
    let services = service_settings(&tx).await?;
    let resources = repo::resources(&tx).await?;
    let hours = repo::hours(&tx).await?;
    let terminals = repo::terminals(&tx).await?;
    tx.commit().await?;
    let code = ctx.lang.code();
    let view = IntakeSettingsView {
        services: services
            .iter()
            .map(|s| ServiceSettingRow {
                title: service_def(&s.service_key)
                    .map(|d| d.title.get(code).to_owned())
                    .unwrap_or_else(|_| s.service_key.clone()),
                active: s.active,
                has_own_texts: s.hints.is_some()
                    || s.contact.is_some()
                    || s.opening_hours.is_some(),
                href: format!("/workspace/intake/settings/services/{}", s.service_key),
            })
            .collect(),
        resources: resources
            .iter()
            .map(|r| ResourceRow {
                name: r.name.clone(),
                kind: r.kind.clone(),
                languages: r.languages.clone(),
                hours: hours
                    .iter()
                    .filter(|h| h.resource_id == r.id)
                    .map(|h| {
                        (
                            u32::try_from(h.weekday).unwrap_or(1),
                            format!("{}–{}", h.opens, h.closes),
                            u32::try_from(h.slot_minutes).unwrap_or(0),
                        )
                    })
                    .collect(),
                deactivate_action: format!(
                    "/workspace/intake/settings/resources/{}/deactivate",
                    r.id
                ),
                day_href: format!("/workspace/intake/day?resource={}", r.id),
            })
            .collect(),
        add_action: "/workspace/intake/settings/resources".into(),
        values,
        errors,
        terminals: terminals
            .iter()
            .map(|t| TerminalRow {
                name: t.name.clone(),
                created_at: format_time(t.created_at),
                active: t.revoked_at.is_none(),
                revoke_action: format!("/workspace/intake/settings/terminals/{}/revoke", t.id),
            })
            .collect(),
        terminal_action: "/workspace/intake/settings/terminals".into(),
        new_terminal_url,
    };
    Ok(html(req, status, pages::intake_settings(&ctx, &view)))
}

#[get("/workspace/intake/settings")]
async fn settings_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let tenant = admin(&identity)?;
    render_settings(
        &state,
        &req,
        &identity,
        tenant,
        StatusCode::OK,
        Shown::default(),
    )
    .await
}

/// Reads the add-resource form: kind, name, languages and per weekday `h{d}-opens`, `-closes`,
/// `-slot` (a day with all three empty is closed).
fn parse_resource_form(
    form: &BTreeMap<String, String>,
) -> Result<(ResourceInput, Vec<OpeningHours<()>>), FieldErrors> {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let mut errors = FieldErrors::new();
    let resource = settings::resource(
        field("kind"),
        field("name"),
        field("languages"),
        &mut errors,
    );
    let mut hours = Vec::new();
    for d in 1..=7u32 {
        let (opens, closes, slot) = (
            field(&format!("h{d}-opens")),
            field(&format!("h{d}-closes")),
            field(&format!("h{d}-slot")),
        );
        if [opens, closes, slot].iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let prefix = format!("h{d}");
        if let Some(h) = appointments::parse_hours(
            (),
            &prefix,
            &d.to_string(),
            opens,
            closes,
            slot,
            &mut errors,
        ) {
            hours.push(h);
        }
    }
    match resource {
        Some(r) if errors.is_empty() => Ok((r, hours)),
        _ => Err(errors),
    }
}

#[post("/workspace/intake/settings/resources")]
async fn resource_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<BTreeMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(
        &req,
        form.get("csrf").map(String::as_str).unwrap_or_default(),
    )?;
    let tenant = admin(&identity)?;
    match parse_resource_form(&form) {
        Ok((resource, hours)) => {
            save_resource(&state, &identity, tenant, &resource, &hours).await?;
            Ok(redirect_with_flash(
                "/workspace/intake/settings",
                "success",
                "intake-flash-resource-added",
            ))
        }
        Err(errors) => {
            let mut values = form.into_inner();
            values.remove("csrf");
            render_settings(
                &state,
                &req,
                &identity,
                tenant,
                StatusCode::UNPROCESSABLE_ENTITY,
                Shown {
                    values,
                    errors,
                    new_terminal_url: None,
                },
            )
            .await
        }
    }
}

#[post("/workspace/intake/settings/resources/{id}/deactivate")]
async fn resource_deactivate(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    form: web::Form<CsrfInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let tenant = admin(&identity)?;
    deactivate(&state, &identity, tenant, *id).await?;
    Ok(redirect_with_flash(
        "/workspace/intake/settings",
        "success",
        "intake-flash-resource-deactivated",
    ))
}

#[derive(Debug, Deserialize)]
struct TerminalInput {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    terminal_name: String,
}

/// Registers a self-service terminal and shows its address once (only its hash is stored, so it
/// cannot be shown again; a lost address means registering anew and revoking the old one).
#[post("/workspace/intake/settings/terminals")]
async fn terminal_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<TerminalInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let tenant = admin(&identity)?;
    let name = form.terminal_name.trim();
    let problem = if name.is_empty() {
        Some("intake-error-required")
    } else if name.chars().count() > 100 {
        Some("intake-error-too-long")
    } else if name.chars().any(char::is_control) {
        Some("intake-error-characters")
    } else {
        None
    };
    if let Some(key) = problem {
        return render_settings(
            &state,
            &req,
            &identity,
            tenant,
            StatusCode::UNPROCESSABLE_ENTITY,
            Shown {
                values: BTreeMap::from([("terminal_name".to_owned(), form.terminal_name.clone())]),
                errors: FieldErrors::from([("terminal_name".to_owned(), key.to_owned())]),
                new_terminal_url: None,
            },
        )
        .await;
    }
    let secret = crate::security::random_token();
    let now = state.clock.now();
    let tx = state.db.tenant(tenant).await?;
    let terminal =
        repo::add_terminal(&tx, name, &crate::security::token_hash(&secret), now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "kiosk.terminal.registered")
            .object("kiosk_terminal", terminal.id)
            .source(client_address(&req, &state.settings.trusted_proxies)),
    )
    .await?;
    tx.commit().await?;
    let url = format!(
        "{}/kiosk/{}/{secret}",
        state.settings.public_url.trim_end_matches('/'),
        tenant.0
    );
    render_settings(
        &state,
        &req,
        &identity,
        tenant,
        StatusCode::OK,
        Shown {
            new_terminal_url: Some(url),
            ..Shown::default()
        },
    )
    .await
}

#[post("/workspace/intake/settings/terminals/{id}/revoke")]
async fn terminal_revoke(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    form: web::Form<CsrfInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let tenant = admin(&identity)?;
    let now = state.clock.now();
    let tx = state.db.tenant(tenant).await?;
    repo::revoke_terminal(&tx, *id, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "kiosk.terminal.revoked")
            .object("kiosk_terminal", *id)
            .source(client_address(&req, &state.settings.trusted_proxies)),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/workspace/intake/settings",
        "success",
        "kiosk-flash-terminal-revoked",
    ))
}

#[get("/workspace/intake/settings/services/{key}")]
async fn service_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let tenant = admin(&identity)?;
    let service = service_def(&key)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let tx = state.db.tenant(tenant).await?;
    let own = repo::tenant_service(&tx, &service.key).await?;
    tx.commit().await?;
    let view = ServiceSettingsForm {
        title: service.title.get(ctx.lang.code()).to_owned(),
        action: format!("/workspace/intake/settings/services/{}", service.key),
        active: own.as_ref().is_none_or(|o| o.active),
        hints: own
            .as_ref()
            .and_then(|o| o.hints.clone())
            .unwrap_or_default(),
        contact: own
            .as_ref()
            .and_then(|o| o.contact.clone())
            .unwrap_or_default(),
        opening_hours: own
            .as_ref()
            .and_then(|o| o.opening_hours.clone())
            .unwrap_or_default(),
        errors: FieldErrors::new(),
    };
    Ok(html(
        &req,
        StatusCode::OK,
        pages::service_settings(&ctx, &view),
    ))
}

#[derive(Debug, Deserialize)]
struct ServiceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    active: String,
    #[serde(default)]
    hints: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    opening_hours: String,
}

#[post("/workspace/intake/settings/services/{key}")]
async fn service_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    key: web::Path<String>,
    form: web::Form<ServiceForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let tenant = admin(&identity)?;
    let service = service_def(&key)?;
    let active = match form.active.as_str() {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(FieldErrors::from([(
            "active".to_owned(),
            "intake-error-option".to_owned(),
        )])),
    };
    let texts = settings::service_texts(
        Some(&form.hints),
        Some(&form.contact),
        Some(&form.opening_hours),
    );
    match (active, texts) {
        (Ok(active), Ok(texts)) => {
            save_service(&state, &identity, tenant, &service.key, active, texts).await?;
            Ok(redirect_with_flash(
                "/workspace/intake/settings",
                "success",
                "intake-flash-settings-saved",
            ))
        }
        (active, texts) => {
            let mut errors = active.err().unwrap_or_default();
            errors.extend(texts.err().unwrap_or_default());
            let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
            let view = ServiceSettingsForm {
                title: service.title.get(ctx.lang.code()).to_owned(),
                action: format!("/workspace/intake/settings/services/{}", service.key),
                active: form.active != "no",
                hints: form.hints.clone(),
                contact: form.contact.clone(),
                opening_hours: form.opening_hours.clone(),
                errors,
            };
            Ok(html(
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                pages::service_settings(&ctx, &view),
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Day view per resource

#[derive(Debug, Deserialize, IntoParams)]
pub struct DayQuery {
    /// The resource; the first active one when missing.
    #[serde(default)]
    pub resource: Option<String>,
    /// `YYYY-MM-DD`, local date; today when missing.
    #[serde(default)]
    pub date: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayEntry {
    pub appointment_id: Uuid,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    /// Local time, e.g. `08:00–08:30`.
    pub local_time: String,
    pub person: String,
    pub application_id: Option<Uuid>,
    pub reference: Option<String>,
}

/// One resource's booked appointments on one local day, with who comes (a read of personal data:
/// audited).
async fn day_entries(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    tenant: TenantId,
    resource: Uuid,
    date: NaiveDate,
) -> Result<(String, Vec<DayEntry>), AppError> {
    let tx = state.db.tenant(tenant).await?;
    let name = repo::resources(&tx)
        .await?
        .into_iter()
        .find(|r| r.id == resource)
        .map(|r| r.name)
        .ok_or(AppError::NotFound)?;
    let (from, until) = appointments::day_bounds(date);
    let mut out = Vec::new();
    for a in repo::booked_between(&tx, from, until)
        .await?
        .into_iter()
        .filter(|a| a.resource_id == resource)
    {
        let person = amtsweg_store::applicants::get(tx.conn(), a.applicant_id)
            .await
            .map(|p| p.display_name)
            .unwrap_or_default();
        let reference = match a.application_id {
            Some(id) => Some(repo::application(&tx, id).await?.reference),
            None => None,
        };
        out.push(DayEntry {
            appointment_id: a.id,
            starts_at: a.starts_at,
            ends_at: a.ends_at,
            local_time: format!(
                "{}–{}",
                appointments::local(a.starts_at).format("%H:%M"),
                appointments::local(a.ends_at).format("%H:%M")
            ),
            person,
            application_id: a.application_id,
            reference,
        });
    }
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "appointment.day.read")
            .object("resource", resource)
            .details(json!({ "date": date, "appointments": out.len() }))
            .source(client_address(req, &state.settings.trusted_proxies)),
    )
    .await?;
    tx.commit().await?;
    Ok((name, out))
}

/// Staff who read personal data may see the day.
fn day_reader(identity: &Identity) -> Result<TenantId, AppError> {
    let tenant = staff(identity)?;
    identity.require(Permission::ReadPersonalData)?;
    Ok(tenant)
}

#[get("/workspace/intake/day")]
async fn day_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    query: web::Query<DayQuery>,
) -> Result<HttpResponse, AppError> {
    let tenant = day_reader(&identity)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let tx = state.db.tenant(tenant).await?;
    let resources = repo::resources(&tx).await?;
    tx.commit().await?;
    let mut errors = FieldErrors::new();
    let date = match query.date.as_deref().map(str::trim) {
        None | Some("") => Some(appointments::local_date(state.clock.now())),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| errors.insert("date".into(), "intake-error-date".into()))
            .ok(),
    };
    let resource = match query.resource.as_deref() {
        None | Some("") => resources.first().map(|r| r.id),
        Some(r) => match Uuid::parse_str(r) {
            Ok(id) if resources.iter().any(|x| x.id == id) => Some(id),
            _ => {
                errors.insert("resource".into(), "intake-error-option".into());
                None
            }
        },
    };
    let mut view = DayView {
        resources: resources
            .iter()
            .map(|r| (r.id.to_string(), r.name.clone()))
            .collect(),
        date: date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .or_else(|| query.date.clone())
            .unwrap_or_default(),
        ..DayView::default()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    if let (Some(resource), Some(date), true) = (resource, date, errors.is_empty()) {
        let (name, entries) = day_entries(&state, &req, &identity, tenant, resource, date).await?;
        view.resource = resource.to_string();
        view.resource_name = name;
        view.rows = entries
            .into_iter()
            .map(|e| {
                (
                    e.local_time,
                    e.person,
                    e.reference.unwrap_or_default(),
                    e.application_id.map(|id| format!("/workspace/intake/{id}")),
                )
            })
            .collect();
    }
    view.errors = errors;
    Ok(html(&req, status, pages::day_view(&ctx, &view)))
}

// ---------------------------------------------------------------------------------------------
// API

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceSettingEntry {
    pub key: String,
    pub active: bool,
    pub hints: Option<String>,
    pub contact: Option<String>,
    pub opening_hours: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoursEntry {
    pub weekday: i32,
    pub opens: String,
    pub closes: String,
    pub slot_minutes: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceEntry {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub languages: String,
    pub hours: Vec<HoursEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IntakeSettings {
    pub services: Vec<ServiceSettingEntry>,
    pub resources: Vec<ResourceEntry>,
}

/// The caller's authority's settings: every statewide service with its activation and own texts,
/// and the active appointment resources with their opening hours (Europe/Berlin).
#[utoipa::path(get, path = "/api/v1/intake/settings", tag = "intake",
    responses((status = 200, body = IntakeSettings), (status = 403)))]
#[get("/api/v1/intake/settings")]
async fn api_settings(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let tenant = admin(&identity)?;
    let tx = state.db.tenant(tenant).await?;
    let services = service_settings(&tx).await?;
    let resources = repo::resources(&tx).await?;
    let hours = repo::hours(&tx).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(IntakeSettings {
        services: services
            .into_iter()
            .map(|s| ServiceSettingEntry {
                key: s.service_key,
                active: s.active,
                hints: s.hints,
                contact: s.contact,
                opening_hours: s.opening_hours,
            })
            .collect(),
        resources: resources
            .into_iter()
            .map(|r| ResourceEntry {
                hours: hours
                    .iter()
                    .filter(|h| h.resource_id == r.id)
                    .map(|h| HoursEntry {
                        weekday: h.weekday,
                        opens: h.opens.clone(),
                        closes: h.closes.clone(),
                        slot_minutes: h.slot_minutes,
                    })
                    .collect(),
                id: r.id,
                kind: r.kind,
                name: r.name,
                languages: r.languages,
            })
            .collect(),
    }))
}

/// Takes a resource out of booking; booked appointments stay.
#[utoipa::path(delete, path = "/api/v1/intake/resources/{id}", tag = "intake",
    params(("id" = Uuid, Path)), responses((status = 204), (status = 404)))]
#[actix_web::delete("/api/v1/intake/resources/{id}")]
async fn api_deactivate_resource(
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    // Another role learns nothing about which resources exist.
    let tenant = admin(&identity).map_err(|_| AppError::NotFound)?;
    deactivate(&state, &identity, tenant, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who comes when: one resource's booked appointments on one local day (a read of personal data:
/// audited).
#[utoipa::path(get, path = "/api/v1/intake/day", tag = "intake", params(DayQuery),
    responses((status = 200, body = [DayEntry]), (status = 404), (status = 422)))]
#[get("/api/v1/intake/day")]
async fn api_day(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    query: web::Query<DayQuery>,
) -> Result<HttpResponse, AppError> {
    let tenant = day_reader(&identity)?;
    let resource = query
        .resource
        .as_deref()
        .and_then(|r| Uuid::parse_str(r).ok())
        .ok_or_else(|| AppError::field("resource", "intake-error-option"))?;
    let date = match query.date.as_deref() {
        None | Some("") => appointments::local_date(state.clock.now()),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| AppError::field("date", "intake-error-date"))?,
    };
    let (_, entries) = day_entries(&state, &req, &identity, tenant, resource, date).await?;
    Ok(HttpResponse::Ok().json(entries))
}
