//! Browser pages: rendered on the server by `amtsweg-frontend`, forms posted and answered with
//! Post-Redirect-Get, so every page works without JavaScript. Validation errors re-render the form
//! with each message next to its field.

use std::collections::BTreeMap;

use actix_web::cookie::Cookie;
use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, post, web};
use amtsweg_domain::{Permission, Role, TenantId};
use amtsweg_frontend::i18n::Lang;
use amtsweg_frontend::model::*;
use amtsweg_frontend::pages;
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::{sessions, tenants, users};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::flows::{self, PasswordOk};
use crate::identity::{self, Identity, MFA_COOKIE, client_address, verify_csrf};
use crate::security::TokenKind;

const LANG_COOKIE: &str = "amtsweg_lang";
const FLASH_COOKIE: &str = "amtsweg_flash";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home_page)
        .service(stylesheet_route)
        .service(kiosk_script_route)
        .service(sign_in_form)
        .service(sign_in_submit)
        .service(totp_form)
        .service(totp_submit)
        .service(mfa_setup_form)
        .service(mfa_setup_submit)
        .service(sign_out_submit)
        .service(workspace_page)
        .service(users_page)
        .service(invite_submit)
        .service(role_submit)
        .service(disable_submit)
        .service(workspace_audit)
        .service(workspace_audit_verify)
        .service(operator_audit)
        .service(operator_audit_verify)
        .service(invitation_form)
        .service(invitation_submit)
        .service(operator_tenants)
        .service(operator_tenant)
        .service(api_docs)
        .service(portal_home)
        .service(portal_register_form)
        .service(portal_register_submit)
        .service(portal_confirm)
        .service(portal_sign_in_form)
        .service(portal_sign_in_submit)
        .service(portal_account)
        .service(portal_sign_out);
}

pub fn area_for_path(path: &str) -> Area {
    if path.starts_with("/portal") {
        Area::Portal
    } else if path.starts_with("/workspace") || path.starts_with("/mfa") {
        Area::Workspace
    } else if path.starts_with("/operator") {
        Area::Operator
    } else if path.starts_with("/ministry") {
        Area::Ministry
    } else {
        Area::Public
    }
}

fn query_lang(req: &HttpRequest) -> Option<Lang> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(key, _)| key == "lang")
        .and_then(|(_, value)| Lang::parse(&value))
}

/// The language, CSRF token, flash message and path every page needs. No database access.
pub fn context_from_request(req: &HttpRequest, area: Area) -> PageContext {
    let portal = matches!(area, Area::Portal | Area::Public);
    let cookie_lang = query_lang(req)
        .map(|lang| lang.code().to_owned())
        .or_else(|| req.cookie(LANG_COOKIE).map(|c| c.value().to_owned()));
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = Lang::negotiate(cookie_lang.as_deref(), accept, portal);
    let flash = req.cookie(FLASH_COOKIE).and_then(|c| {
        let (kind, key) = c.value().split_once(':')?;
        let kind = match kind {
            "success" => FlashKind::Success,
            "error" => FlashKind::Error,
            _ => FlashKind::Info,
        };
        Some(Flash {
            kind,
            key: key.to_owned(),
        })
    });
    let path = strip_lang_param(req);
    let kiosk = if portal && req.cookie(crate::routes::kiosk::KIOSK_COOKIE).is_some() {
        req.app_data::<web::Data<AppState>>()
            .map(|state| crate::routes::kiosk::layout(state))
    } else {
        None
    };
    PageContext {
        lang,
        csrf: identity::csrf_token(req).0,
        path,
        user: None,
        flash,
        area,
        kiosk,
    }
}

fn strip_lang_param(req: &HttpRequest) -> String {
    let kept: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(key, _)| key != "lang")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        req.path().to_owned()
    } else {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .finish();
        format!("{}?{}", req.path(), query)
    }
}

/// Context with the signed-in user's badge (name, role, tenant) for staff pages.
pub(crate) async fn staff_context(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    area: Area,
) -> Result<PageContext, AppError> {
    let mut ctx = context_from_request(req, area);
    let (display_name, tenant_name) = match identity.tenant_id {
        Some(tenant) => {
            let tx = state.db.tenant(tenant).await?;
            let user = users::get(&tx, identity.user_id.0).await?;
            let tenant_row = tenants::get(tx.conn(), tenant.0).await?;
            tx.commit().await?;
            (user.display_name, Some(tenant_row.name))
        }
        None => {
            let applicant =
                amtsweg_store::applicants::get(state.db.connection(), identity.user_id.0).await?;
            (applicant.display_name, None)
        }
    };
    ctx.user = Some(UserBadge {
        display_name,
        role: identity.role.as_str().to_owned(),
        tenant_name,
        can_manage_users: identity.role.has(Permission::ManageUsers),
        can_view_audit: identity.role.has(Permission::ViewAuditLog),
        is_operator: identity.role.has(Permission::ManageTenants),
        is_ministry: identity.role.has(Permission::ViewMinistryAggregates),
    });
    Ok(ctx)
}

/// An HTML response that also remembers a language chosen with `?lang=` and consumes the flash.
pub(crate) fn html(
    req: &HttpRequest,
    status: actix_web::http::StatusCode,
    body: String,
) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response.content_type("text/html; charset=utf-8");
    if let Some(lang) = query_lang(req) {
        response.cookie(
            Cookie::build(LANG_COOKIE, lang.code().to_owned())
                .path("/")
                .same_site(actix_web::cookie::SameSite::Lax)
                .max_age(actix_web::cookie::time::Duration::days(365))
                .finish(),
        );
    }
    if req.cookie(FLASH_COOKIE).is_some() {
        response.cookie(identity::removal_cookie(FLASH_COOKIE));
    }
    response.body(body)
}

pub(crate) fn ok(req: &HttpRequest, body: String) -> HttpResponse {
    html(req, actix_web::http::StatusCode::OK, body)
}

pub(crate) fn invalid(req: &HttpRequest, body: String) -> HttpResponse {
    html(req, actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, body)
}

pub(crate) fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_owned()))
        .finish()
}

pub(crate) fn redirect_with_flash(to: &str, kind: &str, key: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_owned()))
        .cookie(
            Cookie::build(FLASH_COOKIE, format!("{kind}:{key}"))
                .path("/")
                .http_only(true)
                .finish(),
        )
        .finish()
}

/// Field errors of a validation failure, or the error itself.
fn field_errors(err: AppError) -> Result<FieldErrors, AppError> {
    match err {
        AppError::Validation(errors) => Ok(errors),
        other => Err(other),
    }
}

fn landing_for(role: Role) -> &'static str {
    match role {
        Role::PlatformOperator => "/operator/tenants",
        Role::MinistryAnalyst => "/ministry",
        Role::Applicant => "/portal/account",
        _ => "/workspace",
    }
}

pub(crate) fn with_session(
    mut response: HttpResponse,
    state: &AppState,
    (access, refresh): (String, String),
) -> HttpResponse {
    let secure = state.settings.secure_cookies;
    let _ = response.add_cookie(&identity::cookie(
        identity::ACCESS_COOKIE,
        access,
        state.settings.access_ttl.num_seconds(),
        secure,
    ));
    let _ = response.add_cookie(&identity::cookie(
        identity::REFRESH_COOKIE,
        refresh,
        state.settings.refresh_ttl.num_seconds(),
        secure,
    ));
    let _ = response.add_cookie(&identity::removal_cookie(MFA_COOKIE));
    response
}

#[get("/")]
async fn home_page(req: HttpRequest) -> HttpResponse {
    ok(&req, pages::home(&context_from_request(&req, Area::Public)))
}

#[get("/static/app.css")]
async fn stylesheet_route() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(amtsweg_frontend::stylesheet())
}

#[get("/static/kiosk.js")]
async fn kiosk_script_route() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(amtsweg_frontend::kiosk_script())
}

#[derive(Debug, Deserialize)]
struct SignInInput {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

#[get("/sign-in")]
async fn sign_in_form(req: HttpRequest) -> HttpResponse {
    let ctx = context_from_request(&req, Area::Workspace);
    ok(&req, pages::sign_in(&ctx, &SignInForm::default()))
}

#[post("/sign-in")]
async fn sign_in_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<SignInInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let ctx = context_from_request(&req, Area::Workspace);
    let mut errors = BTreeMap::new();
    if form.email.trim().is_empty() {
        errors.insert("email".to_owned(), "error-required".to_owned());
    }
    if form.password.is_empty() {
        errors.insert("password".to_owned(), "error-required".to_owned());
    }
    if !errors.is_empty() {
        let view = SignInForm {
            email: form.email.clone(),
            errors,
            general: None,
        };
        return Ok(invalid(&req, pages::sign_in(&ctx, &view)));
    }
    let address = client_address(&req, &state.settings.trusted_proxies);
    match flows::staff_password(&state, &form.email, &form.password, &address).await {
        Ok(outcome) => {
            let token = flows::pending_token(&state, &outcome, state.clock.now())?;
            let target = match outcome {
                PasswordOk::NeedsTotp { .. } => "/sign-in/totp",
                PasswordOk::NeedsEnrolment { .. } => "/mfa/setup",
            };
            let mut response = redirect(target);
            let _ = response.add_cookie(&identity::cookie(
                MFA_COOKIE,
                token,
                state.settings.mfa_ttl.num_seconds(),
                state.settings.secure_cookies,
            ));
            Ok(response)
        }
        Err(err @ (AppError::Credentials | AppError::Throttled { .. })) => {
            let general = if matches!(err, AppError::Credentials) {
                "error-credentials"
            } else {
                "error-throttled"
            };
            let view = SignInForm {
                email: form.email.clone(),
                errors: BTreeMap::new(),
                general: Some(general.into()),
            };
            let status = err_status(&err);
            Ok(html(&req, status, pages::sign_in(&ctx, &view)))
        }
        Err(other) => Err(other),
    }
}

fn err_status(err: &AppError) -> actix_web::http::StatusCode {
    actix_web::ResponseError::status_code(err)
}

/// The half-finished sign-in carried by the MFA cookie.
fn pending(
    state: &AppState,
    req: &HttpRequest,
    kind: TokenKind,
) -> Result<(TenantId, Uuid), AppError> {
    let cookie = req.cookie(MFA_COOKIE).ok_or(AppError::Unauthenticated)?;
    let claims = state
        .keys
        .verify(cookie.value(), kind, state.clock.now())
        .ok_or(AppError::Unauthenticated)?;
    Ok((
        claims.tenant_id().ok_or(AppError::Unauthenticated)?,
        claims.sub,
    ))
}

#[derive(Debug, Deserialize)]
struct CodeInput {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

#[get("/sign-in/totp")]
async fn totp_form(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    pending(&state, &req, TokenKind::MfaPending)?;
    let ctx = context_from_request(&req, Area::Workspace);
    Ok(ok(&req, pages::totp_challenge(&ctx, &TotpForm::default())))
}

#[post("/sign-in/totp")]
async fn totp_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<CodeInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let (tenant, user) = pending(&state, &req, TokenKind::MfaPending)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    match flows::staff_second_factor(&state, tenant, user, form.code.trim(), &address).await {
        Ok(session) => {
            let role = session_role(&state, session.0.as_str())?;
            Ok(with_session(redirect(landing_for(role)), &state, session))
        }
        Err(err @ AppError::Throttled { .. }) => {
            let ctx = context_from_request(&req, Area::Workspace);
            let errors = BTreeMap::from([("code".to_owned(), "error-throttled".to_owned())]);
            Ok(html(
                &req,
                err_status(&err),
                pages::totp_challenge(&ctx, &TotpForm { errors }),
            ))
        }
        Err(err) => {
            let errors = field_errors(err)?;
            let ctx = context_from_request(&req, Area::Workspace);
            Ok(invalid(
                &req,
                pages::totp_challenge(&ctx, &TotpForm { errors }),
            ))
        }
    }
}

fn session_role(state: &AppState, access: &str) -> Result<Role, AppError> {
    state
        .keys
        .verify(access, TokenKind::Access, state.clock.now())
        .map(|claims| claims.role)
        .ok_or_else(|| AppError::internal("fresh access token does not verify"))
}

#[get("/mfa/setup")]
async fn mfa_setup_form(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (tenant, user) = pending(&state, &req, TokenKind::MfaEnrol)?;
    let (secret, qr_svg) = flows::begin_enrolment(&state, tenant, user).await?;
    let ctx = context_from_request(&req, Area::Workspace);
    Ok(ok(
        &req,
        pages::mfa_setup(
            &ctx,
            &MfaSetup {
                qr_svg,
                secret_base32: group(&secret),
                errors: BTreeMap::new(),
            },
        ),
    ))
}

fn group(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[post("/mfa/setup")]
async fn mfa_setup_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<CodeInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let (tenant, user) = pending(&state, &req, TokenKind::MfaEnrol)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    match flows::finish_enrolment(&state, tenant, user, form.code.trim(), &address).await {
        Ok((codes, session)) => {
            let mut ctx = context_from_request(&req, Area::Workspace);
            ctx.flash = Some(Flash {
                kind: FlashKind::Success,
                key: "flash-mfa-enabled".into(),
            });
            let response = ok(&req, pages::recovery_codes(&ctx, &codes));
            Ok(with_session(response, &state, session))
        }
        Err(err) => {
            let errors = field_errors(err)?;
            let (secret, qr_svg) = flows::begin_enrolment(&state, tenant, user).await?;
            let ctx = context_from_request(&req, Area::Workspace);
            Ok(invalid(
                &req,
                pages::mfa_setup(
                    &ctx,
                    &MfaSetup {
                        qr_svg,
                        secret_base32: group(&secret),
                        errors,
                    },
                ),
            ))
        }
    }
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    everywhere: Option<String>,
}

#[post("/sign-out")]
async fn sign_out_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    end_session(&state, &req, form.everywhere.is_some()).await?;
    Ok(signed_out(redirect_with_flash(
        "/sign-in",
        "success",
        "flash-signed-out",
    )))
}

pub(crate) async fn end_session(
    state: &AppState,
    req: &HttpRequest,
    everywhere: bool,
) -> Result<(), AppError> {
    let identity = req.extensions().get::<Identity>().cloned();
    if let Some(identity) = identity {
        let now = state.clock.now();
        if everywhere {
            sessions::revoke_all(state.db.connection(), identity.user_id.0, now).await?;
        } else if let Some(sid) = identity.session_id {
            sessions::revoke(state.db.connection(), sid, now).await?;
        }
    }
    Ok(())
}

pub(crate) fn signed_out(mut response: HttpResponse) -> HttpResponse {
    for name in [
        identity::ACCESS_COOKIE,
        identity::REFRESH_COOKIE,
        MFA_COOKIE,
    ] {
        let _ = response.add_cookie(&identity::removal_cookie(name));
    }
    response
}

fn require_tenant_staff(identity: &Identity) -> Result<TenantId, AppError> {
    if !identity.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    identity.tenant()
}

#[get("/workspace")]
async fn workspace_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let tenant = require_tenant_staff(&identity)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let tx = state.db.tenant(tenant).await?;
    let row = tenants::get(tx.conn(), tenant.0).await?;
    let user_count = users::count(&tx).await?;
    tx.commit().await?;
    let home = WorkspaceHome {
        tenant_name: row.name,
        tenant_kind: row.kind,
        regierungsbezirk: row.regierungsbezirk,
        lifecycle: row.lifecycle,
        user_count,
    };
    Ok(ok(&req, pages::workspace_home(&ctx, &home)))
}

/// A point in time as staff and applicants read it: the authority's wall clock (CET/CEST).
pub(crate) fn format_time(at: chrono::DateTime<chrono::Utc>) -> String {
    amtsweg_domain::clock::local(at)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

async fn users_view(
    state: &AppState,
    identity: &Identity,
    form: InviteForm,
    address: &str,
) -> Result<UsersPage, AppError> {
    let tx = identity.tenant_tx(state).await?;
    let list = users::list(&tx).await?;
    let invitations = users::list_invitations(&tx).await?;
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "user.list")
            .object("user", "*")
            .source(address),
    )
    .await?;
    tx.commit().await?;
    Ok(UsersPage {
        users: list
            .into_iter()
            .map(|u| UserRow {
                id: u.id.to_string(),
                display_name: u.display_name,
                email: u.email,
                role: u.role,
                status: u.status,
                mfa_enabled: u.totp_enabled_at.is_some(),
            })
            .collect(),
        invitations: invitations
            .into_iter()
            .map(|i| InvitationRow {
                email: i.email,
                role: i.role,
                created_at: format_time(i.created_at),
                expires_at: format_time(i.expires_at),
                accepted: i.accepted_at.is_some(),
            })
            .collect(),
        form,
        assignable_roles: Role::TENANT_STAFF
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
    })
}

#[get("/workspace/users")]
async fn users_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let view = users_view(
        &state,
        &identity,
        InviteForm {
            role: Role::Clerk.as_str().into(),
            ..Default::default()
        },
        &address,
    )
    .await?;
    Ok(ok(&req, pages::users(&ctx, &view)))
}

#[derive(Debug, Deserialize)]
struct InviteInput {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    csrf: String,
}

#[post("/workspace/users/invite")]
async fn invite_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<InviteInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    identity.require(Permission::ManageUsers)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let result = flows::invite(
        &state,
        &identity,
        &form.email,
        &form.role,
        ctx.lang,
        &address,
    )
    .await;
    match result {
        Ok(_) => Ok(redirect_with_flash(
            "/workspace/users",
            "success",
            "flash-invited",
        )),
        Err(err) => {
            let errors = field_errors(err)?;
            let form = InviteForm {
                email: form.email.clone(),
                role: form.role.clone(),
                errors,
            };
            let view = users_view(&state, &identity, form, &address).await?;
            Ok(invalid(&req, pages::users(&ctx, &view)))
        }
    }
}

#[post("/workspace/users/{id}/disable")]
async fn disable_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    identity.require(Permission::ManageUsers)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    crate::routes::api::disable(&state, &identity, *id, &address).await?;
    Ok(redirect_with_flash(
        "/workspace/users",
        "success",
        "flash-user-disabled",
    ))
}

#[derive(Debug, Deserialize)]
struct RoleInput {
    #[serde(default)]
    role: String,
    #[serde(default)]
    csrf: String,
}

#[post("/workspace/users/{id}/role")]
async fn role_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    form: web::Form<RoleInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    identity.require(Permission::ManageUsers)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    crate::routes::api::change_role(&state, &identity, *id, &form.role, &address).await?;
    Ok(redirect_with_flash(
        "/workspace/users",
        "success",
        "flash-role-changed",
    ))
}

#[derive(Debug, Deserialize)]
struct AuditQuery {
    action: Option<String>,
    page: Option<u64>,
}

async fn audit_page(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    query: &AuditQuery,
    area: Area,
    base_path: &str,
    chain_intact: Option<bool>,
) -> Result<HttpResponse, AppError> {
    let chain = crate::routes::api::audit_chain(identity)?;
    let ctx = staff_context(state, req, identity, area).await?;
    let page = query.page.unwrap_or(1).max(1);
    let action = query.action.as_deref().filter(|a| !a.is_empty());
    let size = crate::routes::api::AUDIT_PAGE_SIZE;
    let tx = state.db.tenant(chain).await?;
    let (rows, total) = audit::list(&tx, action, size, (page - 1) * size).await?;
    tx.commit().await?;
    let view = AuditPage {
        entries: rows
            .into_iter()
            .map(|r| AuditRow {
                seq: r.seq,
                at: format_time(r.at),
                actor: r.actor,
                action: r.action,
                object: if r.object_type.is_empty() {
                    String::new()
                } else {
                    format!("{} {}", r.object_type, r.object_id)
                },
                source: r.source,
            })
            .collect(),
        page,
        page_count: total.div_ceil(size).max(1),
        total,
        action_filter: action.map(str::to_owned),
        chain_intact,
        base_path: base_path.to_owned(),
    };
    Ok(ok(req, pages::audit_log(&ctx, &view)))
}

#[get("/workspace/audit")]
async fn workspace_audit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    require_tenant_staff(&identity)?;
    audit_page(
        &state,
        &req,
        &identity,
        &query,
        Area::Workspace,
        "/workspace/audit",
        None,
    )
    .await
}

#[get("/operator/audit")]
async fn operator_audit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageTenants)?;
    audit_page(
        &state,
        &req,
        &identity,
        &query,
        Area::Operator,
        "/operator/audit",
        None,
    )
    .await
}

async fn verify_and_show(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    area: Area,
    base: &str,
) -> Result<HttpResponse, AppError> {
    let chain = crate::routes::api::audit_chain(identity)?;
    let tx = state.db.tenant(chain).await?;
    let verification = audit::verify(&tx).await?;
    tx.commit().await?;
    let query = AuditQuery {
        action: None,
        page: None,
    };
    audit_page(
        state,
        req,
        identity,
        &query,
        area,
        base,
        Some(verification.breaks.is_empty()),
    )
    .await
}

#[post("/workspace/audit/verify")]
async fn workspace_audit_verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    require_tenant_staff(&identity)?;
    verify_and_show(&state, &req, &identity, Area::Workspace, "/workspace/audit").await
}

#[post("/operator/audit/verify")]
async fn operator_audit_verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    identity.require(Permission::ManageTenants)?;
    verify_and_show(&state, &req, &identity, Area::Operator, "/operator/audit").await
}

#[get("/invitation/{token}")]
async fn invitation_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ctx = context_from_request(&req, Area::Workspace);
    let (invitation, tenant_name) = flows::open_invitation(&state, &token).await?;
    let view = AcceptInvitation {
        token: token.into_inner(),
        tenant_name,
        email: invitation.email,
        role: invitation.role,
        display_name: String::new(),
        errors: BTreeMap::new(),
    };
    Ok(ok(&req, pages::accept_invitation(&ctx, &view)))
}

#[derive(Debug, Deserialize)]
struct AcceptInput {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
    #[serde(default)]
    csrf: String,
}

#[post("/invitation/{token}")]
async fn invitation_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<AcceptInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    match flows::accept_invitation(
        &state,
        &token,
        &form.display_name,
        &form.password,
        &form.password_confirm,
        &address,
    )
    .await
    {
        Ok(_) => Ok(redirect_with_flash(
            "/sign-in",
            "success",
            "flash-invitation-accepted",
        )),
        Err(err) => {
            let errors = field_errors(err)?;
            let (invitation, tenant_name) = flows::open_invitation(&state, &token).await?;
            let ctx = context_from_request(&req, Area::Workspace);
            let view = AcceptInvitation {
                token: token.into_inner(),
                tenant_name,
                email: invitation.email,
                role: invitation.role,
                display_name: form.display_name.clone(),
                errors,
            };
            Ok(invalid(&req, pages::accept_invitation(&ctx, &view)))
        }
    }
}

#[derive(Debug, Deserialize)]
struct TenantFilter {
    kind: Option<String>,
    rb: Option<String>,
    q: Option<String>,
}

fn counts<'a>(values: impl Iterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut map: BTreeMap<String, usize> = BTreeMap::new();
    for value in values {
        *map.entry(value.to_owned()).or_default() += 1;
    }
    map.into_iter().collect()
}

#[get("/operator/tenants")]
async fn operator_tenants(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    filter: web::Query<TenantFilter>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageTenants)?;
    let ctx = staff_context(&state, &req, &identity, Area::Operator).await?;
    let all = tenants::list(state.db.connection()).await?;
    let kind = filter.kind.clone().filter(|k| !k.is_empty());
    let rb = filter.rb.clone().filter(|r| !r.is_empty());
    let query = filter.q.clone().unwrap_or_default();
    let needle = query.trim().to_lowercase();
    let rows: Vec<TenantRow> = all
        .iter()
        .filter(|t| kind.as_ref().is_none_or(|k| &t.kind == k))
        .filter(|t| {
            rb.as_ref()
                .is_none_or(|r| t.regierungsbezirk.as_ref() == Some(r))
        })
        .filter(|t| {
            needle.is_empty()
                || t.name.to_lowercase().contains(&needle)
                || t.slug.contains(&needle)
                || t.ags.as_deref().is_some_and(|a| a.contains(&needle))
        })
        .map(|t| TenantRow {
            id: t.id.to_string(),
            slug: t.slug.clone(),
            name: t.name.clone(),
            kind: t.kind.clone(),
            regierungsbezirk: t.regierungsbezirk.clone(),
            ags: t.ags.clone().or_else(|| t.kreisschluessel.clone()),
            lifecycle: t.lifecycle.clone(),
            pilot: t.pilot,
            confirmed: t.confirmed,
            vendor: t.vendor.clone(),
        })
        .collect();
    let view = TenantList {
        kind_counts: counts(all.iter().map(|t| t.kind.as_str())),
        rb_counts: counts(all.iter().filter_map(|t| t.regierungsbezirk.as_deref())),
        total: all.len(),
        rows,
        kind_filter: kind,
        rb_filter: rb,
        query,
    };
    Ok(ok(&req, pages::operator_tenants(&ctx, &view)))
}

#[get("/operator/tenants/{id}")]
async fn operator_tenant(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageTenants)?;
    let ctx = staff_context(&state, &req, &identity, Area::Operator).await?;
    let t = tenants::get(state.db.connection(), *id).await?;
    // The operator sees how many accounts a tenant has, never who they are.
    let tx = state.db.tenant(TenantId(t.id)).await?;
    let user_count = users::count(&tx).await?;
    tx.commit().await?;
    let view = TenantDetail {
        id: t.id.to_string(),
        slug: t.slug,
        name: t.name,
        kind: t.kind,
        regierungsbezirk: t.regierungsbezirk,
        ags: t.ags,
        kreisschluessel: t.kreisschluessel,
        abh_kennung: t.abh_kennung,
        behoerdenkennzahl: t.behoerdenkennzahl,
        vendor: t.vendor,
        contact_email: t.contact_email,
        lifecycle: t.lifecycle,
        pilot: t.pilot,
        confirmed: t.confirmed,
        source: t.source,
        user_count,
    };
    Ok(ok(&req, pages::operator_tenant_detail(&ctx, &view)))
}

#[get("/api/docs")]
async fn api_docs(req: HttpRequest) -> HttpResponse {
    let ctx = context_from_request(&req, Area::Public);
    ok(&req, pages::api_docs(&ctx, &crate::openapi::operations()))
}

#[get("/portal")]
async fn portal_home(req: HttpRequest) -> HttpResponse {
    ok(
        &req,
        pages::portal_home(&context_from_request(&req, Area::Portal)),
    )
}

#[get("/portal/register")]
async fn portal_register_form(req: HttpRequest) -> HttpResponse {
    ok(
        &req,
        pages::portal_register(
            &context_from_request(&req, Area::Portal),
            &RegisterForm::default(),
        ),
    )
}

#[derive(Debug, Deserialize)]
struct RegisterInput {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    csrf: String,
}

#[post("/portal/register")]
async fn portal_register_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<RegisterInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let ctx = context_from_request(&req, Area::Portal);
    let language = Lang::parse(&form.language).unwrap_or(ctx.lang);
    let address = client_address(&req, &state.settings.trusted_proxies);
    match flows::register_applicant(
        &state,
        &form.email,
        &form.display_name,
        &form.password,
        language,
        &address,
    )
    .await
    {
        Ok(()) => Ok(ok(&req, pages::portal_check_mail(&ctx))),
        Err(err) => {
            let errors = field_errors(err)?;
            let view = RegisterForm {
                email: form.email.clone(),
                display_name: form.display_name.clone(),
                errors,
            };
            Ok(invalid(&req, pages::portal_register(&ctx, &view)))
        }
    }
}

#[get("/portal/confirm/{token}")]
async fn portal_confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    flows::confirm_applicant(&state, &token).await?;
    Ok(ok(
        &req,
        pages::portal_confirmed(&context_from_request(&req, Area::Portal)),
    ))
}

#[get("/portal/sign-in")]
async fn portal_sign_in_form(req: HttpRequest) -> HttpResponse {
    ok(
        &req,
        pages::portal_sign_in(
            &context_from_request(&req, Area::Portal),
            &SignInForm::default(),
        ),
    )
}

#[post("/portal/sign-in")]
async fn portal_sign_in_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<SignInInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let ctx = context_from_request(&req, Area::Portal);
    let address = client_address(&req, &state.settings.trusted_proxies);
    // At a self-service terminal the session ends after a short time without input, and the
    // person lands on the terminal's start page instead of in the full portal.
    let terminal = crate::routes::kiosk::terminal(&state, &req).await?;
    let (idle, landing) = match terminal {
        Some(_) => (Some(state.settings.kiosk_idle_ttl), "/kiosk"),
        None => (None, "/portal/account"),
    };
    match flows::applicant_sign_in(&state, &form.email, &form.password, &address, idle).await {
        Ok(session) => Ok(with_session(redirect(landing), &state, session)),
        Err(err @ (AppError::Credentials | AppError::Throttled { .. })) => {
            let general = if matches!(err, AppError::Credentials) {
                "error-credentials"
            } else {
                "error-throttled"
            };
            let view = SignInForm {
                email: form.email.clone(),
                errors: BTreeMap::new(),
                general: Some(general.into()),
            };
            Ok(html(
                &req,
                err_status(&err),
                pages::portal_sign_in(&ctx, &view),
            ))
        }
        Err(other) => Err(other),
    }
}

#[get("/portal/account")]
async fn portal_account(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    if identity.role != Role::Applicant {
        return Err(AppError::Forbidden);
    }
    let ctx = staff_context(&state, &req, &identity, Area::Portal).await?;
    let applicant =
        amtsweg_store::applicants::get(state.db.connection(), identity.user_id.0).await?;
    let view = PortalAccount {
        display_name: applicant.display_name,
        email: applicant.email,
    };
    Ok(ok(&req, pages::portal_account(&ctx, &view)))
}

#[post("/portal/sign-out")]
async fn portal_sign_out(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    end_session(&state, &req, form.everywhere.is_some()).await?;
    // A terminal goes back to its start page for the next person.
    let to = if req.cookie(crate::routes::kiosk::KIOSK_COOKIE).is_some() {
        "/kiosk"
    } else {
        "/portal"
    };
    Ok(signed_out(redirect_with_flash(
        to,
        "success",
        "flash-signed-out",
    )))
}
