//! The only crate that knows actix-web: routes, extractors, error mapping, metrics, security headers.
//!
//! Request path: security headers → metrics → HTML error rendering → session (cookie or Bearer →
//! [`identity::Identity`], refresh, CSRF) → handler → [`amtsweg_store::TenantTx`] for tenant data.

pub mod error;
pub mod flows;
pub mod identity;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod pages;
pub mod routes;
pub mod security;
pub mod throttle;

use std::sync::Arc;

use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, dev::Server, web};
use amtsweg_domain::clock::Clock;
use amtsweg_store::Database;
use chrono::Duration;

pub use error::AppError;

/// Settings of the HTTP layer, validated by the binary before the server starts.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base of links in mails, e.g. `https://amtsweg.nrw.de`.
    pub public_url: String,
    /// Cookies marked `Secure`; off only for plain-HTTP local runs.
    pub secure_cookies: bool,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub mfa_ttl: Duration,
    pub invitation_ttl: Duration,
    /// Inactivity limit of a sign-in at a self-service terminal (kiosk mode).
    pub kiosk_idle_ttl: Duration,
    pub password: security::PasswordParams,
    pub limits: throttle::Limits,
    /// Peer addresses whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<String>,
    /// Prefix of this platform's keys in a shared Redis.
    pub redis_namespace: String,
    /// The operator's contact data for the legal pages.
    pub legal: amtsweg_frontend::model::LegalContact,
    /// Who is told (without the content) that an accessibility report arrived.
    pub feedback_recipient: Option<String>,
    /// The object store directory (e-file documents, evidence, notices).
    pub object_dir: std::path::PathBuf,
    /// Master keys of the biometric envelope encryption (from the configuration file or
    /// `AMTSWEG_MASTER_KEYS`); `None` uses the development key on plain HTTP only.
    pub master_keys: Option<amtsweg_rollout::crypto::MasterKeys>,
    /// Text recognition of scans without a text layer: `auto` (tesseract on `PATH`), `off`, or
    /// the program's path.
    pub ocr: amtsweg_adapters::ocr::OcrSetting,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            secure_cookies: false,
            access_ttl: Duration::minutes(10),
            refresh_ttl: Duration::hours(12),
            mfa_ttl: Duration::minutes(10),
            invitation_ttl: Duration::days(7),
            kiosk_idle_ttl: Duration::minutes(3),
            password: security::PasswordParams::default(),
            limits: throttle::Limits::default(),
            trusted_proxies: Vec::new(),
            redis_namespace: "amtsweg".into(),
            legal: amtsweg_frontend::model::LegalContact::default(),
            feedback_recipient: None,
            object_dir: std::path::PathBuf::from("data/objects"),
            master_keys: None,
            ocr: amtsweg_adapters::ocr::OcrSetting::Auto,
        }
    }
}

pub struct AppState {
    pub db: Database,
    pub settings: Settings,
    pub keys: security::JwtKeys,
    pub clock: Arc<dyn Clock>,
    pub throttle: throttle::Throttle,
    pub metrics: metrics::Metrics,
    pub redis: Option<redis::aio::ConnectionManager>,
    /// Wakes the local mail worker; other instances find the mail on their next poll.
    pub outbox_wakeup: Arc<tokio::sync::Notify>,
    /// Verified against when an account does not exist, so timing does not reveal registered addresses.
    pub dummy_password_hash: String,
    /// The portal intake's payment provider.
    pub intake: routes::portal_intake::IntakeEnv,
    /// The object store of the e-file and the intake evidence, under `settings.object_dir`.
    pub objects: amtsweg_adapters::object_store::LocalObjectStore,
    /// OCR of scans (issue 4), from `settings.ocr`; [`amtsweg_adapters::ocr::NoOcr`] when none.
    pub ocr: Arc<dyn amtsweg_adapters::ocr::TextRecognizer>,
}

impl AppState {
    pub async fn new(
        db: Database,
        settings: Settings,
        keys: security::JwtKeys,
        clock: Arc<dyn Clock>,
        redis: Option<redis::aio::ConnectionManager>,
    ) -> Result<Self, AppError> {
        let throttle = match &redis {
            Some(conn) => throttle::Throttle::Redis {
                conn: conn.clone(),
                namespace: settings.redis_namespace.clone(),
            },
            None => throttle::Throttle::memory(),
        };
        let dummy_password_hash =
            security::hash_password(settings.password, security::random_token()).await?;
        let objects = amtsweg_adapters::object_store::LocalObjectStore::new(&settings.object_dir);
        let ocr = settings.ocr.recognizer();
        Ok(Self {
            objects,
            ocr,
            db,
            settings,
            keys,
            clock,
            throttle,
            metrics: metrics::Metrics::new()?,
            redis,
            outbox_wakeup: Arc::new(tokio::sync::Notify::new()),
            dummy_password_hash,
            intake: routes::portal_intake::IntakeEnv::ephemeral()?,
        })
    }

    /// Replaces the default intake wiring (the binary points it at its data directory).
    pub fn with_intake(mut self, intake: routes::portal_intake::IntakeEnv) -> Self {
        self.intake = intake;
        self
    }
}

/// Registers every route; used by the server and by in-process tests.
pub fn configure(cfg: &mut web::ServiceConfig) {
    routes::configure(cfg);
}

/// Builds the HTTP server on an already bound listener (port 0 in tests).
pub fn server(
    state: web::Data<AppState>,
    listener: std::net::TcpListener,
    workers: usize,
) -> std::io::Result<Server> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::FormConfig::default().limit(64 * 1024))
            .app_data(
                web::JsonConfig::default()
                    .limit(256 * 1024)
                    .error_handler(|err, _| {
                        AppError::field("body", &format!("invalid JSON: {err}")).into()
                    }),
            )
            .configure(configure)
            .wrap(from_fn(identity::session_middleware))
            .wrap(from_fn(middleware::html_errors))
            .wrap(from_fn(middleware::metrics))
            .wrap(from_fn(middleware::security_headers))
            .wrap(tracing_actix_web::TracingLogger::default())
    })
    .workers(workers.max(1))
    .shutdown_timeout(20)
    .listen(listener)?
    .run();
    Ok(server)
}
