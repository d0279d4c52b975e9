//! Wiring: configuration → database, Redis, keys → HTTP server and workers; and graceful shutdown.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use amtsweg_domain::TenantId;
use amtsweg_domain::clock::SystemClock;
use amtsweg_frontend::model::LegalContact;
use amtsweg_http::security::{JwtKeys, PasswordParams};
use amtsweg_http::{AppState, Settings};
use amtsweg_store::{Database, PLATFORM_CHAIN};
use anyhow::{Context, bail};
use base64::Engine;
use rand::RngCore;
use tracing_subscriber::EnvFilter;

use crate::config::{Config, parse_jwt_keys};

pub fn init_tracing(config: &Config) {
    let filter = EnvFilter::try_from_env("AMTSWEG_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // Logs never carry personal data: handlers log identifiers and outcomes only.
    let _ = if config.log_format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    prepare_data_dir(config)?;
    let db = Database::connect(&config.migration_database_url, 2)
        .await
        .context("connecting for migrations")?;
    db.migrate().await.context("applying migrations")?;
    tracing::info!("migrations applied");
    Ok(())
}

fn prepare_data_dir(config: &Config) -> anyhow::Result<()> {
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data directory {}", config.data_dir.display()))?;
    }
    Ok(())
}

/// Connects as the runtime role and refuses one that would bypass row-level security.
pub async fn connect_runtime(config: &Config) -> anyhow::Result<Database> {
    let db = Database::connect(&config.database_url, config.db_max_connections)
        .await
        .context("connecting to the database")?;
    if let Some(role) = db.runtime_role().await?
        && !role.is_safe_runtime_role()
    {
        if !config.allow_rls_bypass {
            bail!(
                "the database role `{}` is a superuser, has BYPASSRLS or owns the tables, so row-level \
                 security would not protect tenants. Connect as the application role (see \
                 infra/postgres/roles.sql) or set AMTSWEG_ALLOW_RLS_BYPASS=1 for a local experiment.",
                role.role
            );
        }
        tracing::warn!(role = %role.role, "the database role bypasses row-level security (allow_rls_bypass is set)");
    }
    Ok(db)
}

fn jwt_keys(config: &Config) -> anyhow::Result<JwtKeys> {
    if config.jwt_keys.0.is_empty() && !config.is_sqlite() {
        bail!("AMTSWEG_JWT_KEYS is required with PostgreSQL (format kid:secret[,kid:secret])");
    }
    let keys = if config.jwt_keys.0.is_empty() {
        // The embedded default keeps a generated key in its data directory, so sessions survive restarts.
        let path = config.data_dir.join("jwt.key");
        let secret = match std::fs::read_to_string(&path) {
            Ok(secret) => secret.trim().to_owned(),
            Err(_) => {
                let mut bytes = [0u8; 48];
                rand::thread_rng().fill_bytes(&mut bytes);
                let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
                std::fs::write(&path, &secret)
                    .with_context(|| format!("writing {}", path.display()))?;
                secret
            }
        };
        vec![("local".to_owned(), secret)]
    } else {
        parse_jwt_keys(&config.jwt_keys.0)?
    };
    JwtKeys::new(&keys).map_err(|err| anyhow::anyhow!("{err}"))
}

pub fn http_settings(config: &Config) -> Settings {
    Settings {
        public_url: config.public_url.clone(),
        secure_cookies: config.secure_cookies,
        password: PasswordParams {
            memory_kib: config.password_memory_kib,
            iterations: config.password_iterations,
        },
        trusted_proxies: config.trusted_proxies.clone(),
        redis_namespace: config.redis_namespace.clone(),
        legal: legal_contact(&config.legal),
        feedback_recipient: non_empty(&config.legal.feedback_email)
            .or_else(|| non_empty(&config.legal.email)),
        object_dir: config.objects_path(),
        kiosk_idle_ttl: chrono::Duration::seconds(i64::from(config.kiosk_idle_seconds)),
        ocr: amtsweg_adapters::ocr::OcrSetting::parse(&config.ocr),
        // Checked by `Config::validate`; a key that fails here leaves biometrics refused.
        master_keys: amtsweg_rollout::crypto::MasterKeys::parse(&config.master_keys.0)
            .ok()
            .filter(|_| !config.master_keys.0.is_empty()),
        ..Settings::default()
    }
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn legal_contact(legal: &crate::config::LegalConfig) -> LegalContact {
    LegalContact {
        operator: legal.operator.trim().to_owned(),
        address: legal
            .address
            .iter()
            .filter_map(|line| non_empty(line))
            .collect(),
        email: non_empty(&legal.email),
        phone: non_empty(&legal.phone),
        privacy_email: non_empty(&legal.privacy_email),
    }
}

/// A built, bound, not yet running platform: the HTTP server and its workers.
pub struct Application {
    pub address: std::net::SocketAddr,
    pub state: actix_web::web::Data<AppState>,
    server: actix_web::dev::Server,
    mailer: Arc<dyn amtsweg_adapters::mail::Mailer>,
    schedule_jobs: bool,
    /// For the job wake-up subscription (a connection of its own), when Redis is configured.
    redis_client: Option<redis::Client>,
}

impl Application {
    /// Prepares everything `serve` needs; binds the configured address (port 0 picks a free one).
    pub async fn build(config: &Config) -> anyhow::Result<Self> {
        prepare_data_dir(config)?;
        if config.migrate_on_start {
            migrate(config).await?;
        }
        let db = connect_runtime(config).await?;
        if config.import_catalog_on_start
            && amtsweg_store::tenants::list(db.connection())
                .await?
                .is_empty()
        {
            let report = crate::catalog::import(&db, None, false).await?;
            println!(
                "Tenant catalog imported: {}",
                report.lines().last().unwrap_or_default()
            );
        }
        let redis_client = match config.redis_url.as_str() {
            "" => None,
            url => Some(redis::Client::open(url).context("redis_url")?),
        };
        let redis = match &redis_client {
            None => None,
            Some(client) => Some(
                redis::aio::ConnectionManager::new(client.clone())
                    .await
                    .context("connecting to Redis")?,
            ),
        };
        let state = AppState::new(
            db,
            http_settings(config),
            jwt_keys(config)?,
            Arc::new(SystemClock),
            redis,
        )
        .await
        .map_err(|err| anyhow::anyhow!("{err}"))?
        .with_intake(
            amtsweg_http::routes::portal_intake::IntakeEnv::from_data_dir(&config.data_dir)
                .map_err(|err| anyhow::anyhow!("{err}"))?,
        );
        if config.demo {
            crate::demo::seed(&state).await?;
        }
        let state = actix_web::web::Data::new(state);
        let listener = TcpListener::bind(&config.listen)
            .with_context(|| format!("binding {}", config.listen))?;
        let address = listener.local_addr()?;
        let server = amtsweg_http::server(state.clone(), listener, config.http_workers)?;
        let mailer = crate::workers::mailer(config)?;
        Ok(Self {
            address,
            state,
            server,
            mailer,
            schedule_jobs: config.schedule_jobs,
            redis_client,
        })
    }

    /// Runs until SIGINT or SIGTERM: actix stops accepting, finishes in-flight requests, then the
    /// workers stop after their current item.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let shutdown = Arc::new(tokio::sync::Notify::new());
        let mail_worker = tokio::spawn(crate::workers::mail_loop(
            self.state.clone(),
            self.mailer,
            shutdown.clone(),
        ));
        let job_workers = tokio::spawn(amtsweg_jobs::run_workers(
            self.state.clone(),
            shutdown.clone(),
        ));
        let scheduler = self.schedule_jobs.then(|| {
            tokio::spawn(amtsweg_jobs::scheduled::run_scheduler(
                self.state.clone(),
                shutdown.clone(),
            ))
        });
        let wakeups = self.redis_client.map(|client| {
            tokio::spawn(amtsweg_jobs::listen_for_wakeups(
                client,
                self.state.settings.redis_namespace.clone(),
                amtsweg_jobs::wake_local_worker,
                shutdown.clone(),
            ))
        });
        self.server.await?;
        shutdown.notify_waiters();
        let _ = mail_worker.await;
        let _ = job_workers.await;
        if let Some(scheduler) = scheduler {
            let _ = scheduler.await;
        }
        // The subscription holds no work; it need not finish anything.
        if let Some(wakeups) = wakeups {
            wakeups.abort();
        }
        tracing::info!("stopped");
        Ok(())
    }
}

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let app = Application::build(&config).await?;
    println!("Amtsweg listens on http://{}", app.address);
    tracing::info!(address = %app.address, "listening");
    app.run_until_stopped().await
}

pub async fn audit_verify(config: &Config, tenant: &str) -> anyhow::Result<ExitCode> {
    let db = Database::connect(&config.database_url, 2).await?;
    let tenant_id = if tenant == "platform" {
        PLATFORM_CHAIN
    } else {
        TenantId(
            amtsweg_store::tenants::by_slug(db.connection(), tenant)
                .await
                .with_context(|| format!("no tenant `{tenant}`"))?
                .id,
        )
    };
    let tx = db.tenant(tenant_id).await?;
    let verification = amtsweg_store::audit::verify(&tx).await?;
    tx.commit().await?;
    if verification.breaks.is_empty() {
        println!(
            "audit chain of {tenant}: intact ({} entries)",
            verification.entries
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "audit chain of {tenant}: BROKEN ({} entries checked)",
            verification.entries
        );
        for problem in &verification.breaks {
            println!("  {}", serde_json::to_string(problem)?);
        }
        Ok(ExitCode::from(2))
    }
}
