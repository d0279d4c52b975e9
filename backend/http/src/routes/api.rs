//! The JSON API under `/api/v1`. Authorization is by extractor ([`Identity`]) plus an explicit
//! permission check; tenant data is read through the caller's tenant transaction only, so another
//! tenant's object is simply not found (404).

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use amtsweg_domain::{Permission, Role, TenantId};
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::{PLATFORM_CHAIN, sessions, tenants, users};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::flows::{self, PasswordOk};
use crate::identity::{Identity, client_address};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(token_route)
        .service(refresh_route)
        .service(sign_out_route)
        .service(sign_out_everywhere)
        .service(me_route)
        .service(own_tenant)
        .service(list_users)
        .service(get_user)
        .service(disable_user)
        .service(set_role)
        .service(create_invitation)
        .service(list_invitations)
        .service(list_audit)
        .service(verify_audit)
        .service(list_tenants)
        .service(get_tenant)
        .service(crate::openapi::openapi_json);
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
    /// The current TOTP code or a recovery code; required for staff.
    #[serde(default)]
    pub code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
}

fn token_response(state: &AppState, (access, refresh): (String, String)) -> HttpResponse {
    HttpResponse::Ok().json(TokenResponse {
        access_token: access,
        refresh_token: refresh,
        token_type: "Bearer",
        expires_in: state.settings.access_ttl.num_seconds(),
    })
}

/// Sign in for API clients: password and second factor in one call.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401), (status = 403), (status = 429)))]
#[post("/api/v1/auth/token")]
async fn token_route(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req, &state.settings.trusted_proxies);
    match flows::staff_password(&state, &body.email, &body.password, &address).await? {
        PasswordOk::NeedsEnrolment { .. } => Err(AppError::MfaEnrolmentRequired),
        PasswordOk::NeedsTotp { tenant, user, .. } => {
            let code = body
                .code
                .as_deref()
                .ok_or_else(|| AppError::field("code", "error-required"))?;
            let session = flows::staff_second_factor(&state, tenant, user, code, &address).await?;
            Ok(token_response(&state, session))
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Exchanges a refresh token for a new pair; the old refresh token stops working.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401)))]
#[post("/api/v1/auth/refresh")]
async fn refresh_route(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    let (_, access, refresh) =
        crate::identity::refresh(&state, &body.refresh_token, state.clock.now()).await?;
    Ok(token_response(&state, (access, refresh)))
}

/// Ends this session.
#[utoipa::path(post, path = "/api/v1/auth/sign-out", tag = "auth", responses((status = 204), (status = 401)))]
#[post("/api/v1/auth/sign-out")]
async fn sign_out_route(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    if let Some(sid) = identity.session_id {
        sessions::revoke(state.db.connection(), sid, state.clock.now()).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Ends every session of the caller, on every device.
#[utoipa::path(post, path = "/api/v1/auth/sign-out-everywhere", tag = "auth", responses((status = 200), (status = 401)))]
#[post("/api/v1/auth/sign-out-everywhere")]
async fn sign_out_everywhere(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let revoked = sessions::revoke_all(state.db.connection(), identity.user_id.0, now).await?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let chain = identity.tenant_id.unwrap_or(PLATFORM_CHAIN);
    let tx = state.db.tenant(chain).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "sign_out.everywhere")
            .object("user", identity.user_id)
            .source(address),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(json!({ "revoked_sessions": revoked })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user_id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub role: String,
    pub permissions: Vec<String>,
}

/// Who the caller is and what they may do.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = Me), (status = 401)))]
#[get("/api/v1/me")]
async fn me_route(identity: Identity) -> HttpResponse {
    HttpResponse::Ok().json(Me {
        user_id: identity.user_id.0,
        tenant_id: identity.tenant_id.map(|t| t.0),
        role: identity.role.as_str().to_owned(),
        permissions: Permission::ALL
            .into_iter()
            .filter(|p| identity.role.has(*p))
            .map(|p| p.as_str().to_owned())
            .collect(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub regierungsbezirk: Option<String>,
    pub ags: Option<String>,
    pub kreisschluessel: Option<String>,
    pub abh_kennung: Option<String>,
    pub behoerdenkennzahl: Option<String>,
    pub vendor: String,
    pub lifecycle: String,
    pub pilot: bool,
    pub confirmed: bool,
    pub source: Option<String>,
}

impl From<tenants::Tenant> for TenantView {
    fn from(t: tenants::Tenant) -> Self {
        Self {
            id: t.id,
            slug: t.slug,
            name: t.name,
            kind: t.kind,
            regierungsbezirk: t.regierungsbezirk,
            ags: t.ags,
            kreisschluessel: t.kreisschluessel,
            abh_kennung: t.abh_kennung,
            behoerdenkennzahl: t.behoerdenkennzahl,
            vendor: t.vendor,
            lifecycle: t.lifecycle,
            pilot: t.pilot,
            confirmed: t.confirmed,
            source: t.source,
        }
    }
}

/// The caller's own authority.
#[utoipa::path(get, path = "/api/v1/tenant", tag = "tenants", responses((status = 200, body = TenantView), (status = 401), (status = 403)))]
#[get("/api/v1/tenant")]
async fn own_tenant(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let tenant = identity.tenant()?;
    Ok(HttpResponse::Ok().json(TenantView::from(
        tenants::get(state.db.connection(), tenant.0).await?,
    )))
}

/// The whole catalog (platform operators).
#[utoipa::path(get, path = "/api/v1/tenants", tag = "tenants", responses((status = 200, body = [TenantView]), (status = 403)))]
#[get("/api/v1/tenants")]
async fn list_tenants(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageTenants)?;
    let rows: Vec<TenantView> = tenants::list(state.db.connection())
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(rows))
}

#[utoipa::path(get, path = "/api/v1/tenants/{id}", tag = "tenants", params(("id" = Uuid, Path)),
    responses((status = 200, body = TenantView), (status = 403), (status = 404)))]
#[get("/api/v1/tenants/{id}")]
async fn get_tenant(
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::ManageTenants)
        .map_err(|_| AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(TenantView::from(
        tenants::get(state.db.connection(), *id).await?,
    )))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub status: String,
    pub mfa_enabled: bool,
}

impl From<users::User> for UserView {
    fn from(u: users::User) -> Self {
        Self {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role,
            status: u.status,
            mfa_enabled: u.totp_enabled_at.is_some(),
        }
    }
}

/// Staff of the caller's authority. Reading them is audited.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", responses((status = 200, body = [UserView]), (status = 403)))]
#[get("/api/v1/users")]
async fn list_users(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    let tx = identity.tenant_tx(&state).await?;
    let rows: Vec<UserView> = users::list(&tx)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    let address = client_address(&req, &state.settings.trusted_proxies);
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "user.list")
            .object("user", "*")
            .source(address),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(rows))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)),
    responses((status = 200, body = UserView), (status = 403), (status = 404)))]
#[get("/api/v1/users/{id}")]
async fn get_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::ManageUsers)
        .map_err(|_| AppError::NotFound)?;
    let tx = identity.tenant_tx(&state).await?;
    let user = users::get(&tx, *id).await?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "user.read")
            .object("user", user.id)
            .source(address),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}

/// Disables an account and ends its sessions.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "users", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
#[post("/api/v1/users/{id}/disable")]
async fn disable_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::ManageUsers)
        .map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    disable(&state, &identity, *id, &address).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Gives a colleague another staff role. Their sessions end, so the new role applies at once rather
/// than when their access token expires; nobody changes their own role (the last admin could lock
/// the authority out).
pub async fn change_role(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    role: &str,
    address: &str,
) -> Result<(), AppError> {
    let role: Role = role
        .parse()
        .map_err(|_| AppError::field("role", "error-role-invalid"))?;
    if !Role::TENANT_STAFF.contains(&role) {
        return Err(AppError::field("role", "error-role-invalid"));
    }
    if id == identity.user_id.0 {
        return Err(AppError::Conflict("cannot-change-own-role"));
    }
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    users::set_role(&tx, id, role.as_str(), now).await?;
    sessions::revoke_all(tx.conn(), id, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "user.role_changed")
            .object("user", id)
            .source(address)
            .details(json!({ "role": role.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn disable(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    address: &str,
) -> Result<(), AppError> {
    if id == identity.user_id.0 {
        return Err(AppError::Conflict("cannot-disable-self"));
    }
    let now = state.clock.now();
    let tx = identity.tenant_tx(state).await?;
    users::set_status(&tx, id, users::status::DISABLED, now).await?;
    sessions::revoke_all(tx.conn(), id, now).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "user.disabled")
            .object("user", id)
            .source(address),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleChange {
    pub role: String,
}

#[utoipa::path(put, path = "/api/v1/users/{id}/role", tag = "users", params(("id" = Uuid, Path)), request_body = RoleChange,
    responses((status = 204), (status = 403), (status = 404), (status = 422)))]
#[put("/api/v1/users/{id}/role")]
async fn set_role(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    body: web::Json<RoleChange>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::ManageUsers)
        .map_err(|_| AppError::NotFound)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    change_role(&state, &identity, *id, &body.role, &address).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InvitationRequest {
    pub email: String,
    pub role: String,
    /// Language of the invitation mail: `de` (default) or `en`.
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub accepted: bool,
}

impl From<users::Invitation> for InvitationView {
    fn from(i: users::Invitation) -> Self {
        Self {
            id: i.id,
            email: i.email,
            role: i.role,
            expires_at: i.expires_at,
            accepted: i.accepted_at.is_some(),
        }
    }
}

/// Invites a staff member of the caller's authority by mail.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "users", request_body = InvitationRequest,
    responses((status = 201, body = InvitationView), (status = 403), (status = 422)))]
#[post("/api/v1/invitations")]
async fn create_invitation(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<InvitationRequest>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    let language = body
        .language
        .as_deref()
        .and_then(amtsweg_frontend::i18n::Lang::parse)
        .unwrap_or_default();
    let invitation = flows::invite(
        &state,
        &identity,
        &body.email,
        &body.role,
        language,
        &address,
    )
    .await?;
    Ok(HttpResponse::Created().json(InvitationView::from(invitation)))
}

#[utoipa::path(get, path = "/api/v1/invitations", tag = "users", responses((status = 200, body = [InvitationView]), (status = 403)))]
#[get("/api/v1/invitations")]
async fn list_invitations(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    let tx = identity.tenant_tx(&state).await?;
    let rows: Vec<InvitationView> = users::list_invitations(&tx)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(rows))
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    pub action: Option<String>,
    pub page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub seq: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub source: String,
    pub details: serde_json::Value,
    pub hash: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub total: u64,
    pub page: u64,
    pub entries: Vec<AuditEntryView>,
}

pub const AUDIT_PAGE_SIZE: u64 = 50;

/// The chain an identity may read: its tenant's, or the platform's for operators.
pub fn audit_chain(identity: &Identity) -> Result<TenantId, AppError> {
    identity.require(Permission::ViewAuditLog)?;
    if identity.role == Role::PlatformOperator {
        Ok(PLATFORM_CHAIN)
    } else {
        identity.tenant()
    }
}

/// The audit log of the caller's authority (operators: the platform's), newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(("action" = Option<String>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = AuditPage), (status = 403)))]
#[get("/api/v1/audit")]
async fn list_audit(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let chain = audit_chain(&identity)?;
    let page = query.page.unwrap_or(1).max(1);
    let tx = state.db.tenant(chain).await?;
    let (rows, total) = audit::list(
        &tx,
        query.action.as_deref(),
        AUDIT_PAGE_SIZE,
        (page - 1) * AUDIT_PAGE_SIZE,
    )
    .await?;
    tx.commit().await?;
    let entries = rows
        .into_iter()
        .map(|row| AuditEntryView {
            seq: row.seq,
            at: row.at,
            actor: row.actor,
            action: row.action,
            object_type: row.object_type,
            object_id: row.object_id,
            source: row.source,
            details: serde_json::from_str(&row.details).unwrap_or(serde_json::Value::Null),
            hash: row.hash,
        })
        .collect();
    Ok(HttpResponse::Ok().json(AuditPage {
        total,
        page,
        entries,
    }))
}

/// Re-computes the hash chain and reports every break.
#[utoipa::path(post, path = "/api/v1/audit/verify", tag = "audit", responses((status = 200), (status = 403)))]
#[post("/api/v1/audit/verify")]
async fn verify_audit(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let chain = audit_chain(&identity)?;
    let tx = state.db.tenant(chain).await?;
    let verification = audit::verify(&tx).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(json!({
        "intact": verification.breaks.is_empty(),
        "entries": verification.entries,
        "breaks": verification.breaks,
    })))
}
