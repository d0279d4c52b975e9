//! Configuration: defaults, then an optional TOML file (`AMTSWEG_CONFIG` or `--config`), then the
//! environment. Unknown keys are refused; secrets never print; everything is checked before start.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Format version of this file.
    pub version: u32,
    pub listen: String,
    pub data_dir: PathBuf,
    /// `postgres://…` or `sqlite://…`; empty means the embedded default under `data_dir`.
    pub database_url: String,
    /// The schema owner's URL for migrations on PostgreSQL; defaults to `database_url`.
    pub migration_database_url: String,
    pub redis_url: String,
    /// Prefix of this platform's keys in Redis.
    pub redis_namespace: String,
    pub public_url: String,
    /// `kid:secret,kid:secret`: the first signs, all verify.
    pub jwt_keys: Secret,
    /// `smtp://`, `smtp+starttls://` or `smtps://` relay URL, possibly with credentials (hence
    /// secret); empty writes mails as files under `data_dir/mail`.
    pub smtp_url: Secret,
    /// Master keys of the biometric envelope encryption: `id:base64-of-32-bytes,…`, the current
    /// key first (older ones only unwrap). Empty on a plain-HTTP local run uses a fixed
    /// development key; with secure cookies the biometric endpoints then answer 503.
    pub master_keys: Secret,
    pub mail_from: String,
    /// `pretty` or `json`.
    pub log_format: String,
    pub http_workers: usize,
    pub db_max_connections: u32,
    pub secure_cookies: bool,
    pub trusted_proxies: Vec<String>,
    pub password_memory_kib: u32,
    pub password_iterations: u32,
    /// Create demo accounts when the database has none (the embedded default does).
    pub demo: bool,
    /// Allow a PostgreSQL role that bypasses row-level security. Only for local experiments.
    pub allow_rls_bypass: bool,
    /// Apply migrations at start (the embedded default does; production runs `amtsweg migrate`).
    pub migrate_on_start: bool,
    /// Import the tenant catalog when the database has no tenants.
    pub import_catalog_on_start: bool,
    /// The object store directory (e-file documents, evidence, notices); empty means
    /// `data_dir/objects`.
    pub object_dir: PathBuf,
    /// Enqueue the scheduled jobs (deadline sweep hourly, retention listing daily). Every instance may
    /// run the scheduler: a period's job is enqueued once however many do.
    pub schedule_jobs: bool,
    /// Inactivity limit of a sign-in at a self-service terminal (kiosk mode), in seconds: the
    /// session ends on the server this long after its last request.
    pub kiosk_idle_seconds: u32,
    /// Text recognition of scanned mail without a text layer: `auto` (the `tesseract` program when
    /// it is on `PATH`; Debian: `apt install tesseract-ocr tesseract-ocr-deu`), `off`, or the
    /// path of the `tesseract` program.
    pub ocr: String,
    /// The operator's contact data on the legal notice, privacy notice and accessibility statement.
    pub legal: LegalConfig,
}

/// `[legal]`: who runs this installation. Set only in the file (it is several lines of text).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LegalConfig {
    /// Name of the operating body; empty shows "not configured" on the legal pages.
    pub operator: String,
    /// Postal address, one entry per line.
    pub address: Vec<String>,
    pub email: String,
    pub phone: String,
    /// The data-protection officer's address.
    pub privacy_email: String,
    /// Told (without the content) when an accessibility report arrives; defaults to `email`.
    pub feedback_email: String,
}

/// A string that never appears in debug output or logs.
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "<unset>"
        } else {
            "<redacted>"
        })
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            version: 1,
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            migration_database_url: String::new(),
            redis_url: String::new(),
            redis_namespace: "amtsweg".into(),
            public_url: String::new(),
            jwt_keys: Secret::default(),
            smtp_url: Secret::default(),
            master_keys: Secret::default(),
            mail_from: "Amtsweg <no-reply@amtsweg.nrw.de>".into(),
            log_format: "pretty".into(),
            http_workers: 2,
            db_max_connections: 10,
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            password_memory_kib: 19 * 1024,
            password_iterations: 2,
            demo: false,
            allow_rls_bypass: false,
            migrate_on_start: false,
            import_catalog_on_start: true,
            legal: LegalConfig::default(),
            object_dir: PathBuf::new(),
            schedule_jobs: true,
            kiosk_idle_seconds: 180,
            ocr: "auto".into(),
        }
    }
}

const ENV_KEYS: &[(&str, &str)] = &[
    ("AMTSWEG_LISTEN", "listen"),
    ("AMTSWEG_DATA_DIR", "data_dir"),
    ("DATABASE_URL", "database_url"),
    ("AMTSWEG_DATABASE_URL", "database_url"),
    ("AMTSWEG_MIGRATION_DATABASE_URL", "migration_database_url"),
    ("REDIS_URL", "redis_url"),
    ("AMTSWEG_REDIS_URL", "redis_url"),
    ("AMTSWEG_REDIS_NAMESPACE", "redis_namespace"),
    ("AMTSWEG_MASTER_KEYS", "master_keys"),
    ("AMTSWEG_PUBLIC_URL", "public_url"),
    ("AMTSWEG_JWT_KEYS", "jwt_keys"),
    ("AMTSWEG_SMTP_URL", "smtp_url"),
    ("AMTSWEG_MAIL_FROM", "mail_from"),
    ("AMTSWEG_LOG_FORMAT", "log_format"),
    ("AMTSWEG_HTTP_WORKERS", "http_workers"),
    ("AMTSWEG_DB_MAX_CONNECTIONS", "db_max_connections"),
    ("AMTSWEG_SECURE_COOKIES", "secure_cookies"),
    ("AMTSWEG_TRUSTED_PROXIES", "trusted_proxies"),
    ("AMTSWEG_PASSWORD_MEMORY_KIB", "password_memory_kib"),
    ("AMTSWEG_PASSWORD_ITERATIONS", "password_iterations"),
    ("AMTSWEG_KIOSK_IDLE_SECONDS", "kiosk_idle_seconds"),
    ("AMTSWEG_DEMO", "demo"),
    ("AMTSWEG_ALLOW_RLS_BYPASS", "allow_rls_bypass"),
    ("AMTSWEG_MIGRATE_ON_START", "migrate_on_start"),
    ("AMTSWEG_IMPORT_CATALOG_ON_START", "import_catalog_on_start"),
    ("AMTSWEG_OBJECT_DIR", "object_dir"),
    ("AMTSWEG_SCHEDULE_JOBS", "schedule_jobs"),
    ("AMTSWEG_OCR", "ocr"),
];

impl Config {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut table = toml::Table::new();
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("AMTSWEG_CONFIG").map(PathBuf::from));
        if let Some(path) = &file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            table = text
                .parse()
                .with_context(|| format!("parsing {}", path.display()))?;
        }
        for (env, key) in ENV_KEYS {
            if let Ok(value) = std::env::var(env) {
                table.insert((*key).to_owned(), env_value(key, &value));
            }
        }
        let mut config: Config = toml::Value::Table(table)
            .try_into()
            .context("invalid configuration (unknown key or wrong type)")?;
        config.fill_defaults();
        config.validate()?;
        Ok(config)
    }

    fn fill_defaults(&mut self) {
        if self.database_url.is_empty() {
            self.database_url = format!("sqlite://{}/amtsweg.db?mode=rwc", self.data_dir.display());
            self.demo = true;
            self.migrate_on_start = true;
        }
        if self.migration_database_url.is_empty() {
            self.migration_database_url = self.database_url.clone();
        }
        if self.public_url.is_empty() {
            self.public_url = format!("http://{}", self.listen);
        }
    }

    /// The object store directory: `object_dir`, or `data_dir/objects` when it is not set.
    pub fn objects_path(&self) -> PathBuf {
        if self.object_dir.as_os_str().is_empty() {
            self.data_dir.join("objects")
        } else {
            self.object_dir.clone()
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        if self.version != 1 {
            bail!(
                "configuration version {} is not supported (expected 1)",
                self.version
            );
        }
        self.listen
            .parse::<std::net::SocketAddr>()
            .with_context(|| format!("listen address `{}`", self.listen))?;
        if !(self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://")
            || self.is_sqlite())
        {
            bail!("database_url must start with postgres:// or sqlite://");
        }
        if !self.redis_url.is_empty() && !self.redis_url.starts_with("redis://") {
            bail!("redis_url must start with redis://");
        }
        if !matches!(self.log_format.as_str(), "pretty" | "json") {
            bail!("log_format must be `pretty` or `json`");
        }
        if self.db_max_connections == 0 || self.http_workers == 0 {
            bail!("db_max_connections and http_workers must be at least 1");
        }
        if self.password_memory_kib < 8 || self.password_iterations == 0 {
            bail!("password hashing parameters are too weak");
        }
        if !(60..=3600).contains(&self.kiosk_idle_seconds) {
            bail!(
                "kiosk_idle_seconds must be between 60 and 3600 (the warning before it takes 30)"
            );
        }
        url::Url::parse(&self.public_url)
            .with_context(|| format!("public_url `{}`", self.public_url))?;
        if !self.jwt_keys.0.is_empty() {
            parse_jwt_keys(&self.jwt_keys.0)?;
        }
        if !self.master_keys.0.is_empty() {
            // The error names the format only, never a key.
            amtsweg_rollout::crypto::MasterKeys::parse(&self.master_keys.0)
                .map_err(|err| anyhow::anyhow!("master_keys: {err}"))?;
        }
        if let amtsweg_adapters::ocr::OcrSetting::Program(path) =
            amtsweg_adapters::ocr::OcrSetting::parse(&self.ocr)
            && !path.is_file()
        {
            bail!(
                "ocr: `{}` is not a program (use `auto`, `off` or the path of tesseract)",
                path.display()
            );
        }
        Ok(())
    }
}

fn env_value(key: &str, value: &str) -> toml::Value {
    match key {
        "http_workers"
        | "db_max_connections"
        | "password_memory_kib"
        | "password_iterations"
        | "kiosk_idle_seconds" => value
            .parse::<i64>()
            .map(toml::Value::Integer)
            .unwrap_or_else(|_| toml::Value::String(value.to_owned())),
        "secure_cookies"
        | "demo"
        | "allow_rls_bypass"
        | "migrate_on_start"
        | "import_catalog_on_start"
        | "schedule_jobs" => toml::Value::Boolean(matches!(value, "1" | "true" | "yes")),
        "trusted_proxies" => toml::Value::Array(
            value
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| toml::Value::String(s.trim().to_owned()))
                .collect(),
        ),
        _ => toml::Value::String(value.to_owned()),
    }
}

pub fn parse_jwt_keys(raw: &str) -> anyhow::Result<Vec<(String, String)>> {
    let mut keys = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (kid, secret) = part
            .split_once(':')
            .context("each JWT key must be kid:secret")?;
        if secret.len() < 32 {
            bail!("JWT key `{kid}` must have at least 32 characters");
        }
        keys.push((kid.to_owned(), secret.to_owned()));
    }
    if keys.is_empty() {
        bail!("no JWT key given");
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_keys_parse_in_order() {
        let keys = parse_jwt_keys(
            "new:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,old:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        )
        .unwrap();
        assert_eq!(keys[0].0, "new");
        assert_eq!(keys.len(), 2);
        assert!(parse_jwt_keys("short:abc").is_err());
        assert!(parse_jwt_keys("nocolon").is_err());
    }

    #[test]
    fn unknown_keys_are_refused() {
        let value: toml::Value = "listen = \"127.0.0.1:1\"\nlisten_adress = \"x\""
            .parse::<toml::Table>()
            .map(toml::Value::Table)
            .unwrap();
        assert!(value.try_into::<Config>().is_err());
    }

    #[test]
    fn secrets_do_not_print() {
        let config = Config {
            jwt_keys: Secret("k:supersecretsupersecretsupersecret".into()),
            ..Config::default()
        };
        assert!(!format!("{config:?}").contains("supersecret"));
    }

    #[test]
    fn master_keys_come_from_the_file_are_checked_and_do_not_print() {
        let dir = std::env::temp_dir().join(format!("amtsweg-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("amtsweg.toml");
        let key = "k2:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
        std::fs::write(&path, format!("master_keys = \"{key}\"\n")).unwrap();
        let config = Config::load(Some(&path)).unwrap();
        assert_eq!(config.master_keys.0, key);
        assert!(!format!("{config:?}").contains("MDEyMzQ1"));
        let settings = crate::startup::http_settings(&config);
        assert!(settings.master_keys.is_some());
        assert!(!format!("{settings:?}").contains("MDEyMzQ1"));
        std::fs::write(&path, "master_keys = \"k:not-base64\"\n").unwrap();
        let err = Config::load(Some(&path)).unwrap_err();
        assert!(format!("{err:#}").contains("master_keys"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
