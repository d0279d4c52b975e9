//! Self-service terminals (kiosk mode, issue 4): the portal's own flows on a device at the
//! authority, in the kiosk frame of `amtsweg_frontend::components`.
//!
//! How a device becomes a terminal: a tenant admin registers it under
//! `/workspace/intake/settings` and gets its address `/kiosk/{tenant}/{secret}` once (only the
//! secret's hash is stored). Opening that address on the device sets the kiosk cookie (the
//! tenant, the terminal and the secret, HttpOnly) and shows the terminal's start page. With the
//! cookie every portal page renders in the kiosk frame, and a sign-in becomes a kiosk session
//! that ends on the server after `kiosk_idle_ttl` without a request. Revoking the terminal stops
//! both the address and the cookie. The cookie alone never grants anything: it only chooses the
//! frame and, verified against the terminal table, the short session.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, web};
use amtsweg_domain::TenantId;
use amtsweg_frontend::model::{KioskLayout, KioskStart};
use amtsweg_frontend::pages_portal as pages;
use amtsweg_intake::appointments;
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::intake as repo;
use amtsweg_store::sessions;
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address};
use crate::pages::{end_session, html, redirect_with_flash, signed_out};
use crate::security::token_hash;

/// The cookie that makes a browser a terminal: `{tenant}.{terminal}.{secret}`.
pub const KIOSK_COOKIE: &str = "amtsweg_kiosk";

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `/kiosk/signed-out` before `/kiosk/{tenant}/{token}` would not clash (one segment against
    // two), but the fixed routes go first anyway.
    cfg.service(timeout_page)
        .service(still_here)
        .service(start_page)
        .service(enter_terminal);
}

/// The kiosk frame's values for a page rendered now.
pub fn layout(state: &AppState) -> KioskLayout {
    let idle = state.settings.kiosk_idle_ttl;
    let idle_seconds = u32::try_from(idle.num_seconds()).unwrap_or(u32::MAX);
    KioskLayout {
        idle_seconds,
        // Configured limits start at 60 s (config validation), so the warning gets its 30 s.
        warn_seconds: (idle_seconds / 2).min(30),
        ends_at: appointments::local(state.clock.now() + idle)
            .format("%H:%M")
            .to_string(),
    }
}

/// The live terminal named by the request's kiosk cookie, with its tenant.
pub async fn terminal(
    state: &AppState,
    req: &HttpRequest,
) -> Result<Option<(TenantId, repo::KioskTerminal)>, AppError> {
    let Some(cookie) = req.cookie(KIOSK_COOKIE) else {
        return Ok(None);
    };
    let mut parts = cookie.value().splitn(3, '.');
    let (Some(tenant), Some(id), Some(secret)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    let (Ok(tenant), Ok(id)) = (Uuid::parse_str(tenant), Uuid::parse_str(id)) else {
        return Ok(None);
    };
    live_terminal(state, TenantId(tenant), secret)
        .await
        .map(|found| found.filter(|t| t.id == id).map(|t| (TenantId(tenant), t)))
}

async fn live_terminal(
    state: &AppState,
    tenant: TenantId,
    secret: &str,
) -> Result<Option<repo::KioskTerminal>, AppError> {
    // An unknown tenant id is no terminal (and no error page that tells tenants apart).
    if amtsweg_store::tenants::get(state.db.connection(), tenant.0)
        .await
        .is_err()
    {
        return Ok(None);
    }
    let tx = state.db.tenant(tenant).await?;
    let found = repo::live_terminal(&tx, &token_hash(secret)).await?;
    tx.commit().await?;
    Ok(found)
}

/// The terminal's address: makes this browser the terminal and signs out whoever was signed in.
#[get("/kiosk/{tenant}/{token}")]
async fn enter_terminal(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, AppError> {
    let (tenant, secret) = path.into_inner();
    let tenant = TenantId(tenant);
    let terminal = live_terminal(&state, tenant, &secret)
        .await?
        .ok_or(AppError::NotFound)?;
    end_session(&state, &req, false).await?;
    let now = state.clock.now();
    let tx = state.db.tenant(tenant).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new("terminal:kiosk", "kiosk.terminal.opened")
            .object("kiosk_terminal", terminal.id)
            .source(client_address(&req, &state.settings.trusted_proxies)),
    )
    .await?;
    tx.commit().await?;
    let cookie = Cookie::build(
        KIOSK_COOKIE,
        format!("{}.{}.{secret}", tenant.0, terminal.id),
    )
    .path("/")
    .http_only(true)
    .secure(state.settings.secure_cookies)
    .same_site(SameSite::Lax)
    .max_age(CookieDuration::days(365))
    .finish();
    let mut response = signed_out(
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/kiosk"))
            .finish(),
    );
    let _ = response.add_cookie(&cookie);
    Ok(response)
}

/// The terminal's start page: sign in or register, or (signed in) a new application or one's
/// applications.
#[get("/kiosk")]
async fn start_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Option<Identity>,
) -> Result<HttpResponse, AppError> {
    let Some((tenant, _)) = terminal(&state, &req).await? else {
        if req.cookie(KIOSK_COOKIE).is_none() {
            return Err(AppError::NotFound);
        }
        return Ok(out_of_service(&state, &req, identity.as_ref()).await);
    };
    let signed_in = identity
        .as_ref()
        .is_some_and(|i| i.role == amtsweg_domain::Role::Applicant);
    let mut ctx =
        super::portal_intake::portal_ctx(&state, &req, identity.as_ref().filter(|_| signed_in))
            .await;
    // Outside the kiosk frame nothing here makes sense; the cookie was just verified.
    ctx.kiosk = Some(layout(&state));
    let authority = amtsweg_store::tenants::get(state.db.connection(), tenant.0)
        .await?
        .name;
    let view = KioskStart {
        authority,
        signed_in,
    };
    Ok(html(&req, StatusCode::OK, pages::kiosk_start(&ctx, &view)))
}

/// A device whose kiosk cookie no longer verifies (its terminal was taken out of service, or the
/// cookie was never right): the normal portal frame with a notice, `410 Gone`, and the cookie
/// removed, so the device stops asking. The same for every such cookie, so it tells nothing.
async fn out_of_service(
    state: &AppState,
    req: &HttpRequest,
    identity: Option<&Identity>,
) -> HttpResponse {
    let mut ctx = super::portal_intake::portal_ctx(state, req, identity).await;
    // The frame follows the cookie's presence (`context_from_request`); this device is none.
    ctx.kiosk = None;
    let mut response = html(req, StatusCode::GONE, pages::kiosk_out_of_service(&ctx));
    let mut removal = Cookie::build(KIOSK_COOKIE, "").path("/").finish();
    removal.make_removal();
    let _ = response.add_cookie(&removal);
    response
}

/// What a terminal's page asks when the person is still at work without having sent anything (or
/// answered the warning): nothing but the request itself, which starts the session's inactivity
/// limit again (`identity`). Only for a terminal, and it says nothing about the session.
#[get("/kiosk/still-here")]
async fn still_here(req: HttpRequest) -> Result<HttpResponse, AppError> {
    if req.cookie(KIOSK_COOKIE).is_none() {
        return Err(AppError::NotFound);
    }
    Ok(HttpResponse::NoContent()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

/// Where a terminal's page goes by itself after the inactivity limit: ends the session (it has
/// usually ended on the server already) and returns to the start for the next person. Only a
/// session with an inactivity limit is ended here, so a link to this address cannot sign anyone
/// out of the normal portal.
#[get("/kiosk/signed-out")]
async fn timeout_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Option<Identity>,
) -> Result<HttpResponse, AppError> {
    if req.cookie(KIOSK_COOKIE).is_none() {
        return Err(AppError::NotFound);
    }
    if let Some(sid) = identity.and_then(|i| i.session_id) {
        sessions::revoke_idle_limited(state.db.connection(), sid, state.clock.now()).await?;
    }
    Ok(signed_out(redirect_with_flash(
        "/kiosk",
        "info",
        "kiosk-flash-timed-out",
    )))
}
