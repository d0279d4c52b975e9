//! The test harness: a throwaway database per test cloned from a migrated template, the real
//! application on a free port (in-process or as the real binary), a real SMTP server, HTTP clients.
//!
//! PostgreSQL and Redis are required: a test that cannot reach them fails with a clear message.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use amtsweg::config::{Config, Secret};
use amtsweg::startup::Application;
use amtsweg_domain::{Role, TenantId};
use amtsweg_http::AppState;
use amtsweg_http::security::{self, totp};
use amtsweg_store::{Database, tenants, users};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use tokio::sync::OnceCell;
use uuid::Uuid;

pub const OWNER_ROLE: &str = "amtsweg_owner";
pub const APP_ROLE: &str = amtsweg_migrations::APP_ROLE;
pub const TEST_JWT_KEYS: &str = "test:0123456789abcdef0123456789abcdef0123";

pub fn required_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the suite with `bash scripts/test.sh`, which starts PostgreSQL and Redis and sets it")
    })
}

pub fn admin_url() -> String {
    required_env("AMTSWEG_TEST_DATABASE_URL")
}

pub fn redis_url() -> String {
    required_env("AMTSWEG_TEST_REDIS_URL")
}

pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `postgres://user@host:port/dbname` with the user and database replaced.
pub fn url_for(user: &str, database: &str) -> String {
    let mut url = url::Url::parse(&admin_url())
        .unwrap_or_else(|err| panic!("AMTSWEG_TEST_DATABASE_URL: {err}"));
    let _ = url.set_username(user);
    let _ = url.set_password(None);
    url.set_path(&format!("/{database}"));
    url.to_string()
}

async fn exec(db: &Database, sql: &str) -> Result<(), sea_orm::DbErr> {
    db.connection().execute_unprepared(sql).await.map(|_| ())
}

fn template_name() -> String {
    let mut hasher = DefaultHasher::new();
    for dir in ["migrations/src/sql", "tenants/catalog"] {
        let mut entries: Vec<_> = std::fs::read_dir(workspace_dir().join(dir))
            .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for path in entries {
            std::fs::read(&path).unwrap_or_default().hash(&mut hasher);
        }
    }
    format!("amtsweg_tpl_{:016x}", hasher.finish())
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// The migrated template with the catalog imported, created once per cluster and schema version.
pub async fn template() -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = template_name();
            let admin = Database::connect(&admin_url(), 1)
                .await
                .unwrap_or_else(|err| panic!("PostgreSQL is not reachable at AMTSWEG_TEST_DATABASE_URL: {err}"));
            // Serialize template creation across test processes.
            exec(&admin, "SELECT pg_advisory_lock(774411)").await.unwrap_or_else(|err| panic!("advisory lock: {err}"));
            let exists = admin
                .connection()
                .query_one_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT 1 AS one FROM pg_database WHERE datname = $1",
                    [name.clone().into()],
                ))
                .await
                .unwrap_or_else(|err| panic!("{err}"))
                .is_some();
            if !exists {
                for (role, options) in [(OWNER_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS"), (APP_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE")] {
                    let sql = format!(
                        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} {options}; END IF; END $$"
                    );
                    exec(&admin, &sql).await.unwrap_or_else(|err| panic!("creating role {role}: {err}"));
                }
                let building = format!("{name}_building");
                let _ = exec(&admin, &format!("DROP DATABASE IF EXISTS \"{building}\"")).await;
                exec(&admin, &format!("CREATE DATABASE \"{building}\" OWNER {OWNER_ROLE}"))
                    .await
                    .unwrap_or_else(|err| panic!("creating template: {err}"));
                {
                    let owner = Database::connect(&url_for(OWNER_ROLE, &building), 2).await.unwrap_or_else(|err| panic!("{err}"));
                    owner.migrate().await.unwrap_or_else(|err| panic!("migrations: {err}"));
                    amtsweg::catalog::import(&owner, None, false).await.unwrap_or_else(|err| panic!("catalog import: {err:#}"));
                    owner.close().await;
                }
                exec(&admin, &format!("ALTER DATABASE \"{building}\" RENAME TO \"{name}\""))
                    .await
                    .unwrap_or_else(|err| panic!("renaming template: {err}"));
            }
            exec(&admin, "SELECT pg_advisory_unlock(774411)").await.unwrap_or_else(|err| panic!("{err}"));
            admin.close().await;
            name
        })
        .await
        .clone()
}

/// A fresh database for one test.
pub struct TestDb {
    pub name: String,
}

impl TestDb {
    pub async fn new() -> Self {
        let template = template().await;
        let name = format!("t_{}", Uuid::now_v7().simple());
        let admin = Database::connect(&admin_url(), 1)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let mut attempt = 0;
        loop {
            match exec(
                &admin,
                &format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" OWNER {OWNER_ROLE}"),
            )
            .await
            {
                Ok(()) => break,
                // Another test may be cloning the template at this very moment.
                Err(err) if attempt < 50 && err.to_string().contains("being accessed") => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => panic!("creating test database: {err}"),
            }
        }
        admin.close().await;
        Self { name }
    }

    pub fn app_url(&self) -> String {
        url_for(APP_ROLE, &self.name)
    }

    pub fn owner_url(&self) -> String {
        url_for(OWNER_ROLE, &self.name)
    }

    pub fn admin_url(&self) -> String {
        let mut url = url::Url::parse(&admin_url()).unwrap_or_else(|err| panic!("{err}"));
        url.set_path(&format!("/{}", self.name));
        url.to_string()
    }

    /// A superuser connection to this test's database (bypasses row-level security: for tampering).
    pub async fn admin(&self) -> Database {
        Database::connect(&self.admin_url(), 1)
            .await
            .unwrap_or_else(|err| panic!("{err}"))
    }
}

/// Configuration for an application on the test database.
pub fn test_config(db: &TestDb, data_dir: &Path) -> Config {
    Config {
        listen: "127.0.0.1:0".into(),
        data_dir: data_dir.to_path_buf(),
        database_url: db.app_url(),
        migration_database_url: db.owner_url(),
        redis_url: redis_url(),
        redis_namespace: db.name.clone(),
        public_url: "http://127.0.0.1".into(),
        jwt_keys: Secret(TEST_JWT_KEYS.into()),
        http_workers: 1,
        db_max_connections: 5,
        password_memory_kib: 256,
        password_iterations: 1,
        demo: false,
        migrate_on_start: false,
        import_catalog_on_start: false,
        legal: amtsweg::config::LegalConfig {
            operator: "Testbetrieb Amtsweg".into(),
            address: vec!["Musterstraße 1".into(), "40213 Düsseldorf".into()],
            email: "kontakt@amtsweg.test".into(),
            privacy_email: "datenschutz@amtsweg.test".into(),
            feedback_email: "barrierefreiheit@amtsweg.test".into(),
            ..Default::default()
        },
        // Tests run the scheduler themselves (tests/e2e/cases.rs), so background jobs never race them.
        schedule_jobs: false,
        ..Config::default()
    }
}

pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    pub state: actix_web::web::Data<AppState>,
    pub smtp: Option<SmtpSink>,
    _data: TempDir,
}

pub struct AppOptions {
    pub smtp: bool,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(AppOptions { smtp: false }).await
    }

    pub async fn spawn_with(options: AppOptions) -> Self {
        Self::spawn_configured(options, |_| {}).await
    }

    /// An application whose configuration the test changes first (values outside what the
    /// configuration's validation allows included, e.g. a short kiosk limit).
    pub async fn spawn_configured(options: AppOptions, adjust: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::new().await;
        let data = TempDir::new("app");
        let mut config = test_config(&db, data.path());
        adjust(&mut config);
        let smtp = if options.smtp {
            Some(SmtpSink::start().await)
        } else {
            None
        };
        if let Some(sink) = &smtp {
            config.smtp_url = Secret(format!("smtp://127.0.0.1:{}", sink.port));
        }
        let app = Application::build(&config)
            .await
            .unwrap_or_else(|err| panic!("building the app: {err:#}"));
        let base = format!("http://{}", app.address);
        let state = app.state.clone();
        tokio::spawn(app.run_until_stopped());
        Self {
            base,
            db,
            state,
            smtp,
            _data: data,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn tenant_id(&self, slug: &str) -> TenantId {
        TenantId(
            tenants::by_slug(self.state.db.connection(), slug)
                .await
                .unwrap_or_else(|err| panic!("tenant {slug}: {err}"))
                .id,
        )
    }

    /// A staff account with an enrolled second factor.
    pub async fn staff(&self, slug: &str, role: Role) -> Staff {
        self.staff_account(slug, role, true).await
    }

    pub async fn staff_account(&self, slug: &str, role: Role, enrolled: bool) -> Staff {
        let tenant = self.tenant_id(slug).await;
        let email = format!(
            "{}.{}@{}.test",
            role.as_str().replace('_', "-"),
            &Uuid::now_v7().simple().to_string()[20..],
            slug
        );
        let password = "correct horse battery staple".to_owned();
        let hash = security::hash_password(self.state.settings.password, password.clone())
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let secret = totp::new_secret();
        let now = chrono::Utc::now();
        let tx = self
            .state
            .db
            .tenant(tenant)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let user = users::create(
            &tx,
            users::NewUser {
                id: Uuid::now_v7(),
                email: email.clone(),
                display_name: format!("Test {}", role.as_str()),
                role: role.as_str().into(),
                password_hash: Some(hash),
            },
            now,
        )
        .await
        .unwrap_or_else(|err| panic!("{err}"));
        if enrolled {
            users::set_pending_totp(&tx, user.id, secret.clone(), now)
                .await
                .unwrap_or_else(|err| panic!("{err}"));
            users::enable_totp(&tx, user.id, Vec::new(), now)
                .await
                .unwrap_or_else(|err| panic!("{err}"));
        }
        tx.commit().await.unwrap_or_else(|err| panic!("{err}"));
        Staff {
            tenant,
            id: user.id,
            email,
            password,
            secret,
            role,
            last_step: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Signs in over the API and returns the access token.
    pub async fn token(&self, staff: &Staff) -> String {
        let response = client()
            .post(self.url("/api/v1/auth/token"))
            .json(&serde_json::json!({ "email": staff.email, "password": staff.password, "code": staff.code() }))
            .send()
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(response.status(), 200, "sign-in of {} failed", staff.role);
        let body: serde_json::Value = response.json().await.unwrap_or_else(|err| panic!("{err}"));
        body["access_token"].as_str().unwrap_or_default().to_owned()
    }
}

#[derive(Debug, Clone)]
pub struct Staff {
    pub tenant: TenantId,
    pub id: Uuid,
    pub email: String,
    pub password: String,
    pub secret: String,
    pub role: Role,
    /// The last TOTP step handed out: the server accepts each step once, so a second sign-in in the
    /// same 30 seconds uses the next step (still inside the allowed drift).
    last_step: Arc<AtomicU64>,
}

impl Staff {
    pub fn code(&self) -> String {
        let now_step = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or_default() / 30;
        let previous = self.last_step.fetch_max(now_step, Ordering::SeqCst);
        let step = if previous >= now_step {
            self.last_step.fetch_add(1, Ordering::SeqCst) + 1
        } else {
            now_step
        };
        totp::code_at(&self.secret, step * 30).unwrap_or_default()
    }
}

/// An HTTP client that keeps cookies and does not follow redirects (tests look at them).
/// A JSON API call with a bearer token: the status and the body as JSON (or as a string when it
/// is not JSON).
pub async fn call(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client().request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

pub fn browser_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|err| panic!("{err}"))
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|err| panic!("{err}"))
}

/// A cookie-keeping client signed in through the real pages (password, then TOTP), with its CSRF
/// token for further forms.
pub async fn signed_in_browser(app: &TestApp, staff: &Staff) -> (reqwest::Client, String) {
    let browser = browser_client();
    let csrf = csrf_of(&browser, app).await;
    let password = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("email", staff.email.as_str()),
            ("password", staff.password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        password
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/sign-in/totp")
    );
    let code = staff.code();
    let second = browser
        .post(app.url("/sign-in/totp"))
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        second.status(),
        303,
        "second factor refused for {}",
        staff.role
    );
    (browser, csrf)
}

/// The browser's CSRF token, read from the sign-in form.
pub async fn csrf_of(browser: &reqwest::Client, app: &TestApp) -> String {
    let page = browser
        .get(app.url("/sign-in"))
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .unwrap_or_else(|err| panic!("{err}"));
    csrf_from(&page.text().await.unwrap_or_default())
}

/// The value of `<input name="csrf" value="…">` in a page.
pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf\"";
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("no csrf field in page"));
    let tag_start = html[..at].rfind('<').unwrap_or(0);
    let tag_end = at + html[at..].find('>').unwrap_or(0);
    let tag = &html[tag_start..tag_end];
    let value_at = tag
        .find("value=\"")
        .unwrap_or_else(|| panic!("csrf field has no value"));
    let rest = &tag[value_at + 7..];
    rest[..rest.find('"').unwrap_or(0)].to_owned()
}

/// A temporary directory removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("amtsweg-{prefix}-{}", Uuid::now_v7().simple()));
        std::fs::create_dir_all(&path).unwrap_or_else(|err| panic!("{err}"));
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|err| panic!("{err}"))
}

pub async fn wait_for_port(port: u16) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("nothing listens on port {port}");
}

/// A real SMTP server (Python's aiosmtpd) writing every received mail into a Maildir.
pub struct SmtpSink {
    pub port: u16,
    dir: TempDir,
    _certs: Option<TempDir>,
    _child: tokio::process::Child,
}

impl SmtpSink {
    pub async fn start() -> Self {
        Self::start_with(None).await
    }

    /// A server that requires STARTTLS before any mail, with a self-signed certificate for
    /// 127.0.0.1 (made by the `openssl` command). Returns the sink and the certificate's PEM path.
    pub async fn start_tls() -> (Self, PathBuf) {
        let certs = TempDir::new("smtp-tls");
        let cert = certs.path().join("cert.pem");
        let key = certs.path().join("key.pem");
        let status = std::process::Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
            ])
            .args(["-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"])
            .args(["-addext", "subjectAltName=IP:127.0.0.1"])
            // A leaf, not a CA: TLS libraries refuse a CA certificate as the server's own.
            .args(["-addext", "basicConstraints=critical,CA:FALSE"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap_or_else(|err| panic!("cannot run openssl (apt install openssl): {err}"));
        assert!(
            status.success(),
            "openssl could not make a test certificate"
        );
        let sink = Self::start_with(Some((cert.clone(), key, certs))).await;
        (sink, cert)
    }

    async fn start_with(tls: Option<(PathBuf, PathBuf, TempDir)>) -> Self {
        let dir = TempDir::new("smtp");
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap_or_else(|err| panic!("{err}"));
        }
        let port = free_port();
        let python = std::env::var("AMTSWEG_PYTHON").unwrap_or_else(|_| "python3".into());
        let mut command = tokio::process::Command::new(python);
        command.args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ]);
        if let Some((cert, key, _)) = &tls {
            // Without --no-requiretls the server refuses every command but EHLO/STARTTLS in plain.
            command.arg("--tlscert").arg(cert).arg("--tlskey").arg(key);
        }
        let child = command
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|err| {
                panic!("cannot start the SMTP server (pip install aiosmtpd): {err}")
            });
        wait_for_port(port).await;
        Self {
            port,
            dir,
            _certs: tls.map(|(_, _, certs)| certs),
            _child: child,
        }
    }

    /// Waits until at least `count` mails arrived and returns all of them as raw text.
    pub async fn wait_for(&self, count: usize) -> Vec<String> {
        for _ in 0..200 {
            let mails = self.mails();
            if mails.len() >= count {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {count} mail(s), received {}", self.mails().len());
    }

    /// How many mails arrived so far.
    pub fn count(&self) -> usize {
        self.mails().len()
    }

    fn mails(&self) -> Vec<String> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.dir.path().join("new"))
            .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        paths.sort();
        paths
            .into_iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect()
    }
}

/// The headers and the decoded text body of a single-part mail (quoted-printable or base64).
pub fn mail_text(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let (headers, body) = raw.split_once("\n\n").unwrap_or((raw.as_str(), ""));
    let body = if headers
        .to_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        use base64::Engine;
        let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        body.replace("=\n", "").replace("=3D", "=")
    };
    format!("{headers}\n\n{body}")
}

pub fn find_link(text: &str, prefix: &str) -> String {
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no link starting with {prefix} in:\n{text}"));
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The path of the `amtsweg` binary the suite tests end to end.
pub fn binary() -> PathBuf {
    let path = std::env::var_os("AMTSWEG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_dir().join("target/debug/amtsweg"));
    assert!(
        path.exists(),
        "the amtsweg binary is missing at {}: run `cargo build -p amtsweg` (scripts/test.sh does)",
        path.display()
    );
    path
}

/// The real binary serving on a free port.
pub struct BinaryInstance {
    pub base: String,
    _child: tokio::process::Child,
    pub stdout_path: PathBuf,
}

impl BinaryInstance {
    pub async fn start(env: &[(&str, String)], dir: &Path) -> Self {
        let port = free_port();
        let stdout_path = dir.join(format!("stdout-{port}.log"));
        let stdout = std::fs::File::create(&stdout_path).unwrap_or_else(|err| panic!("{err}"));
        let mut command = tokio::process::Command::new(binary());
        command
            .arg("serve")
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AMTSWEG_LISTEN", format!("127.0.0.1:{port}"))
            .env("AMTSWEG_LOG", "warn")
            .stdout(stdout)
            .stderr(Stdio::null())
            .kill_on_drop(true);
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command
            .spawn()
            .unwrap_or_else(|err| panic!("starting amtsweg: {err}"));
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..600 {
            if let Ok(response) = client().get(format!("{base}/healthz")).send().await
                && response.status() == 200
            {
                return Self {
                    base,
                    _child: child,
                    stdout_path,
                };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "amtsweg did not come up; output:\n{}",
            std::fs::read_to_string(&stdout_path).unwrap_or_default()
        );
    }

    pub fn stdout(&self) -> String {
        std::fs::read_to_string(&self.stdout_path).unwrap_or_default()
    }
}

pub fn artifacts_dir() -> PathBuf {
    let dir = std::env::var_os("AMTSWEG_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_dir().join("target/test-artifacts"));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

impl TestApp {
    /// An in-process application whose clock the test moves (deadlines, retention), without Redis
    /// and without background workers: the test runs the scheduler and drains the jobs itself.
    /// Objects go to the test's own data directory.
    pub async fn spawn_with_clock(clock: std::sync::Arc<dyn amtsweg_domain::clock::Clock>) -> Self {
        let db = TestDb::new().await;
        let data = TempDir::new("app");
        let config = test_config(&db, data.path());
        let database = Database::connect(&config.database_url, 5)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let (kid, secret) = TEST_JWT_KEYS.split_once(':').unwrap_or_default();
        let keys = security::JwtKeys::new(&[(kid.to_owned(), secret.to_owned())])
            .unwrap_or_else(|err| panic!("{err}"));
        let state = AppState::new(
            database,
            amtsweg::startup::http_settings(&config),
            keys,
            clock,
            None,
        )
        .await
        .unwrap_or_else(|err| panic!("{err}"));
        let state = state.with_intake(
            amtsweg_http::routes::portal_intake::IntakeEnv::from_data_dir(data.path())
                .unwrap_or_else(|err| panic!("{err}")),
        );
        let state = actix_web::web::Data::new(state);
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|err| panic!("{err}"));
        let base = format!(
            "http://{}",
            listener.local_addr().unwrap_or_else(|err| panic!("{err}"))
        );
        let server =
            amtsweg_http::server(state.clone(), listener, 1).unwrap_or_else(|err| panic!("{err}"));
        tokio::spawn(server);
        Self {
            base,
            db,
            state,
            smtp: None,
            _data: data,
        }
    }
}
