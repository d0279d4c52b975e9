//! Who is asking. The session middleware turns cookies or a Bearer token into an [`Identity`] in the
//! request extensions, refreshing an expired access token from its refresh cookie on the way; the
//! extractor hands it to handlers. A handler that takes `Identity` cannot run for anonymous callers,
//! and the tenant it works on comes only from here, never from the request.

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, web};
use amtsweg_domain::{Permission, Role, TenantId, UserId};
use amtsweg_store::{TenantTx, sessions};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::security::{Claims, TokenKind, random_token, token_hash};

pub const ACCESS_COOKIE: &str = "amtsweg_access";
pub const REFRESH_COOKIE: &str = "amtsweg_refresh";
pub const MFA_COOKIE: &str = "amtsweg_mfa";
pub const CSRF_COOKIE: &str = "amtsweg_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone)]
pub struct Identity {
    pub user_id: UserId,
    pub tenant_id: Option<TenantId>,
    pub role: Role,
    pub session_id: Option<Uuid>,
    /// True when the caller authenticated with a cookie (and so needs CSRF protection).
    pub via_cookie: bool,
}

impl Identity {
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.role.has(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The caller's own tenant; staff of a tenant only.
    pub fn tenant(&self) -> Result<TenantId, AppError> {
        self.tenant_id.ok_or(AppError::Forbidden)
    }

    /// A transaction scoped to the caller's tenant.
    pub async fn tenant_tx(&self, state: &AppState) -> Result<TenantTx, AppError> {
        Ok(state.db.tenant(self.tenant()?).await?)
    }

    pub fn actor(&self) -> String {
        format!("{}:{}", self.role.as_str(), self.user_id)
    }
}

impl FromRequest for Identity {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let extensions = req.extensions();
        if extensions.get::<CsrfRejected>().is_some() {
            return ready(Err(AppError::Csrf));
        }
        ready(
            extensions
                .get::<Identity>()
                .cloned()
                .ok_or(AppError::Unauthenticated),
        )
    }
}

/// Marks a cookie-authenticated API request that changes state without the CSRF header.
#[derive(Debug, Clone, Copy)]
struct CsrfRejected;

/// The CSRF token of this browser, for rendering into forms.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl FromRequest for CsrfToken {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(csrf_token(req)))
    }
}

pub fn csrf_token(req: &HttpRequest) -> CsrfToken {
    req.extensions()
        .get::<CsrfToken>()
        .cloned()
        .or_else(|| {
            req.cookie(CSRF_COOKIE)
                .map(|c| CsrfToken(c.value().to_owned()))
        })
        .unwrap_or_else(|| CsrfToken(String::new()))
}

/// Double-submit check for forms: the posted field must equal the browser's CSRF cookie.
pub fn verify_csrf(req: &HttpRequest, submitted: &str) -> Result<(), AppError> {
    match req.cookie(CSRF_COOKIE) {
        Some(cookie) if !submitted.is_empty() && constant_time_eq(cookie.value(), submitted) => {
            Ok(())
        }
        _ => Err(AppError::Csrf),
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The client address as seen by the app: the peer, or the first proxy hop when the operator
/// configured trusted proxies (`X-Forwarded-For` is never trusted from anyone else).
pub fn client_address(req: &HttpRequest, trusted_proxies: &[String]) -> String {
    let peer = req
        .peer_addr()
        .map(|addr| addr.ip().to_string())
        .unwrap_or_default();
    if trusted_proxies.iter().any(|proxy| proxy == &peer)
        && let Some(forwarded) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next()
    {
        return first.trim().to_owned();
    }
    peer
}

pub fn cookie(name: &str, value: String, max_age_secs: i64, secure: bool) -> Cookie<'static> {
    Cookie::build(name.to_owned(), value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::seconds(max_age_secs))
        .finish()
}

pub fn removal_cookie(name: &str) -> Cookie<'static> {
    let mut cookie = Cookie::build(name.to_owned(), "").path("/").finish();
    cookie.make_removal();
    cookie
}

/// Issues a full session: a refresh session row and an access token. Returns (access, refresh).
pub async fn issue_session(
    state: &AppState,
    user_id: Uuid,
    tenant_id: Option<Uuid>,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
    issue_session_with(state, user_id, tenant_id, role, now, None).await
}

/// Like [`issue_session`]; with `idle_timeout` the session ends that long after its last request
/// (kiosk sign-ins), checked on the server with every request.
pub async fn issue_session_with(
    state: &AppState,
    user_id: Uuid,
    tenant_id: Option<Uuid>,
    role: Role,
    now: DateTime<Utc>,
    idle_timeout: Option<chrono::Duration>,
) -> Result<(String, String), AppError> {
    let secret = random_token();
    let session = sessions::create(
        state.db.connection(),
        user_id,
        tenant_id,
        token_hash(&secret),
        now,
        now + state.settings.refresh_ttl,
        idle_timeout.map(|idle| i32::try_from(idle.num_seconds()).unwrap_or(i32::MAX)),
    )
    .await?;
    let refresh = format!("{}.{}", session.id, secret);
    let access = access_token(state, user_id, tenant_id, role, session.id, now)?;
    Ok((access, refresh))
}

pub fn access_token(
    state: &AppState,
    user_id: Uuid,
    tenant_id: Option<Uuid>,
    role: Role,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    state.keys.sign(&Claims {
        sub: user_id,
        tid: tenant_id,
        role,
        sid: Some(session_id),
        typ: TokenKind::Access,
        iat: now.timestamp(),
        exp: (now + state.settings.access_ttl).timestamp(),
    })
}

/// Exchanges a refresh token for a new access token, rotating the refresh token.
/// Returns (claims, access, refresh).
pub async fn refresh(
    state: &AppState,
    refresh_token: &str,
    now: DateTime<Utc>,
) -> Result<(Claims, String, String), AppError> {
    let (session_id, secret) = refresh_token
        .split_once('.')
        .ok_or(AppError::Unauthenticated)?;
    let session_id: Uuid = session_id.parse().map_err(|_| AppError::Unauthenticated)?;
    let session = sessions::find_live(state.db.connection(), &token_hash(secret), now)
        .await?
        .filter(|session| session.id == session_id)
        .ok_or(AppError::Unauthenticated)?;
    let role = current_role(state, session.user_id, session.tenant_id).await?;
    let new_secret = random_token();
    sessions::rotate(
        state.db.connection(),
        session.id,
        token_hash(&new_secret),
        now,
    )
    .await?;
    let access = access_token(
        state,
        session.user_id,
        session.tenant_id,
        role,
        session.id,
        now,
    )?;
    let claims = Claims {
        sub: session.user_id,
        tid: session.tenant_id,
        role,
        sid: Some(session.id),
        typ: TokenKind::Access,
        iat: now.timestamp(),
        exp: (now + state.settings.access_ttl).timestamp(),
    };
    Ok((claims, access, format!("{}.{}", session.id, new_secret)))
}

/// The role as stored now, so a role change or a disabled account takes effect at the next refresh.
async fn current_role(
    state: &AppState,
    user_id: Uuid,
    tenant_id: Option<Uuid>,
) -> Result<Role, AppError> {
    match tenant_id {
        Some(tenant) => {
            let tx = state.db.tenant(TenantId(tenant)).await?;
            let user = amtsweg_store::users::get(&tx, user_id)
                .await
                .map_err(|_| AppError::Unauthenticated)?;
            tx.commit().await?;
            if user.status != amtsweg_store::users::status::ACTIVE {
                return Err(AppError::Unauthenticated);
            }
            user.role.parse().map_err(|_| AppError::Unauthenticated)
        }
        None => Ok(Role::Applicant),
    }
}

/// Resolves the caller for every request and keeps browser sessions alive.
pub async fn session_middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await;
    };
    let now = state.clock.now();
    let secure = state.settings.secure_cookies;
    let mut set_cookies: Vec<Cookie<'static>> = Vec::new();

    // A CSRF cookie for every browser, created on first contact.
    if req.cookie(CSRF_COOKIE).is_none() {
        let token = random_token();
        req.extensions_mut().insert(CsrfToken(token.clone()));
        let mut csrf = cookie(CSRF_COOKIE, token, 60 * 60 * 24 * 365, secure);
        csrf.set_max_age(None);
        set_cookies.push(csrf);
    }

    let bearer = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let via_cookie = bearer.is_none();
    let access = bearer.or_else(|| req.cookie(ACCESS_COOKIE).map(|c| c.value().to_owned()));

    let mut claims = access.and_then(|token| state.keys.verify(&token, TokenKind::Access, now));
    if claims.is_none()
        && via_cookie
        && let Some(refresh_cookie) = req.cookie(REFRESH_COOKIE)
    {
        match refresh(&state, refresh_cookie.value(), now).await {
            Ok((fresh, access, refresh)) => {
                set_cookies.push(cookie(
                    ACCESS_COOKIE,
                    access,
                    state.settings.access_ttl.num_seconds(),
                    secure,
                ));
                set_cookies.push(cookie(
                    REFRESH_COOKIE,
                    refresh,
                    state.settings.refresh_ttl.num_seconds(),
                    secure,
                ));
                claims = Some(fresh);
            }
            Err(_) => {
                set_cookies.push(removal_cookie(REFRESH_COOKIE));
                set_cookies.push(removal_cookie(ACCESS_COOKIE));
            }
        }
    }

    if let Some(claims) = claims {
        // A revoked session ("sign out everywhere") ends its access tokens at once.
        let live = match claims.sid {
            // A kiosk session's inactivity limit starts again with every request.
            Some(sid) => sessions::keep_alive(state.db.connection(), sid, now)
                .await
                .ok()
                .flatten()
                .is_some(),
            None => false,
        };
        if live {
            req.extensions_mut().insert(Identity {
                user_id: claims.user_id(),
                tenant_id: claims.tenant_id(),
                role: claims.role,
                session_id: claims.sid,
                via_cookie,
            });
        }
    }

    // Cookie-authenticated API calls that change state must carry the CSRF token in a header.
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method
        && via_cookie
        && req.path().starts_with("/api/")
        && req.extensions().get::<Identity>().is_some()
    {
        let header = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let cookie_value = req
            .cookie(CSRF_COOKIE)
            .map(|c| c.value().to_owned())
            .unwrap_or_default();
        if cookie_value.is_empty() || !constant_time_eq(header, &cookie_value) {
            req.extensions_mut().insert(CsrfRejected);
        }
    }

    let mut res = next.call(req).await?;
    for cookie in set_cookies {
        if res
            .response()
            .cookies()
            .any(|existing| existing.name() == cookie.name())
        {
            continue;
        }
        let _ = res.response_mut().add_cookie(&cookie);
    }
    Ok(res)
}
