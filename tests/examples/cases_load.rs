//! Load driver of the case-processing benchmark (issue 5). `bench/cases/run.sh` seeds a tenant
//! (`amtsweg seed cases`), starts the server on that database and runs this; method and results
//! are in docs/benchmarks.md.
//!
//! The seeded staff sign in over the API (password and TOTP, read from the database with the
//! superuser URL), one client each, clerks and a team lead. Every client then asks, in turn, for
//! the request kinds a clerk's day consists of: the worklists (mine, the team's basket, my
//! overdue cases), the case view (routing folder) of a random case, the person search and the
//! e-file search with realistic queries (a common and a rare family name, a file number, words of
//! the files), and the e-file listing of a random person.
//!
//! Phases:
//! 1. closed loop: every client sends its next request when the last was answered: the maximum;
//! 2. open loop at `BENCH_RATE` requests/s spread over the clients: latency counts from the moment
//!    a request was due, so a slow answer cannot hide the requests queued behind it.
//!
//! Settings (environment): `BENCH_BASE`, `BENCH_ADMIN_URL` (superuser, the server's database),
//! `BENCH_TENANT` (slug), `BENCH_PASSWORD` (the seeded staff's), `BENCH_CLIENTS` (10),
//! `BENCH_SECONDS` (30 per phase), `BENCH_RATE` (40), `BENCH_SERVER_PID`, `BENCH_CLK_TCK` (100).

mod load;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use load::{Meter, Probe, Recorder, env_or, expect_status, print_table, record};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::json;
use uuid::Uuid;

struct Settings {
    base: String,
    admin_url: String,
    tenant: String,
    password: String,
    clients: usize,
    seconds: u64,
    rate: f64,
    probe: Probe,
}

impl Settings {
    fn from_env() -> Result<Self> {
        let admin_url = std::env::var("BENCH_ADMIN_URL").context("BENCH_ADMIN_URL")?;
        let database = url::Url::parse(&admin_url)?
            .path()
            .trim_start_matches('/')
            .to_owned();
        Ok(Self {
            base: std::env::var("BENCH_BASE").context("BENCH_BASE")?,
            admin_url,
            tenant: std::env::var("BENCH_TENANT").context("BENCH_TENANT")?,
            password: std::env::var("BENCH_PASSWORD").context("BENCH_PASSWORD")?,
            clients: env_or("BENCH_CLIENTS", 10)?,
            seconds: env_or("BENCH_SECONDS", 30)?,
            rate: env_or("BENCH_RATE", 40.0)?,
            probe: Probe {
                server_pid: std::env::var("BENCH_SERVER_PID")
                    .ok()
                    .and_then(|p| p.parse().ok()),
                database,
                clk_tck: env_or("BENCH_CLK_TCK", 100.0)?,
            },
        })
    }
}

/// The request kinds, in the order a client sends them (the case view three times as often as
/// each other kind: it is what clerks open most).
const MIX: [&str; 10] = [
    "worklist: mine (page)",
    "case view (page)",
    "worklist: team basket (page)",
    "case view (page)",
    "e-file of a person (API)",
    "person search (page)",
    "case view (page)",
    "e-file search (page)",
    "worklist: my overdue (API)",
    "person search by file number (page)",
];

/// Person search: common and rare family names, a given and a family name together.
const PERSON_QUERIES: [&str; 5] = ["Yılmaz", "Kaya", "Marenko", "Salović", "Olena Nowak"];
/// E-file search: frequent words, a phrase, a common and a rare family name.
const DOCUMENT_QUERIES: [&str; 6] = [
    "Wohnraum",
    "Verpflichtungserklärung",
    "Sicherheitsabfrage Erkenntnisse",
    "Kaya",
    "Marenko",
    "Arbeitsvertrag Rückfrage",
];

/// Ids and file numbers drawn from the seeded data.
struct Sample {
    cases: Vec<Uuid>,
    persons: Vec<Uuid>,
    file_numbers: Vec<String>,
}

struct Client {
    http: reqwest::Client,
    token: String,
}

async fn sign_in(settings: &Settings, email: &str, secret: &str) -> Result<Client> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or_default();
    let code = amtsweg_http::security::totp::code_at(secret, now)
        .map_err(|err| anyhow::anyhow!("{err}"))?;
    let response = http
        .post(format!("{}/api/v1/auth/token", settings.base))
        .json(&json!({ "email": email, "password": settings.password, "code": code }))
        .send()
        .await?;
    let body: serde_json::Value = expect_status(response, 200, "sign-in")
        .await?
        .json()
        .await?;
    let token = body["access_token"]
        .as_str()
        .context("no access token")?
        .to_owned();
    Ok(Client { http, token })
}

async fn strings(db: &sea_orm::DatabaseConnection, sql: &str, tenant: &str) -> Result<Vec<String>> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            vec![tenant.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get_by_index::<String>(0)?))
        .collect()
}

/// The staff to sign in (clerks first, every tenth client a team lead) and a sample of the data.
async fn prepare(settings: &Settings) -> Result<(Vec<Client>, Sample)> {
    let db = Database::connect(settings.admin_url.as_str()).await?;
    let tenant_of = "(SELECT id FROM tenants WHERE slug = $1)";
    let clerks = strings(
        &db,
        &format!(
            "SELECT email || ' ' || totp_secret FROM users WHERE tenant_id = {tenant_of} \
             AND email LIKE 'bench-clerk-%' ORDER BY email"
        ),
        &settings.tenant,
    )
    .await?;
    let approvers = strings(
        &db,
        &format!(
            "SELECT email || ' ' || totp_secret FROM users WHERE tenant_id = {tenant_of} \
             AND email LIKE 'bench-approver-%' ORDER BY email"
        ),
        &settings.tenant,
    )
    .await?;
    if clerks.is_empty() || approvers.is_empty() {
        bail!(
            "tenant {} has no seeded staff: run `amtsweg seed cases` first",
            settings.tenant
        );
    }
    let mut clients = Vec::new();
    for index in 0..settings.clients {
        let account = if index % 10 == 9 {
            &approvers[(index / 10) % approvers.len()]
        } else {
            &clerks[index % clerks.len()]
        };
        let (email, secret) = account.split_once(' ').context("account")?;
        clients.push(sign_in(settings, email, secret).await?);
    }
    let ids = |table: &str| {
        format!(
            "SELECT id::text FROM {table} WHERE tenant_id = {tenant_of} ORDER BY random() LIMIT 2000"
        )
    };
    let parse = |v: Vec<String>| -> Vec<Uuid> { v.iter().filter_map(|s| s.parse().ok()).collect() };
    let sample = Sample {
        cases: parse(strings(&db, &ids("cases"), &settings.tenant).await?),
        persons: parse(strings(&db, &ids("persons"), &settings.tenant).await?),
        file_numbers: strings(
            &db,
            &format!(
                "SELECT file_number FROM persons WHERE tenant_id = {tenant_of} ORDER BY random() LIMIT 2000"
            ),
            &settings.tenant,
        )
        .await?,
    };
    db.close().await?;
    if sample.cases.is_empty() || sample.persons.is_empty() || sample.file_numbers.is_empty() {
        bail!("tenant {} has no seeded cases", settings.tenant);
    }
    Ok((clients, sample))
}

/// A cheap spread of `n` over `len` (no random generator needed: the sequence numbers differ).
fn pick<T>(items: &[T], n: usize) -> &T {
    &items[(n.wrapping_mul(2_654_435_761)) % items.len()]
}

/// The path of request `n` of a kind.
fn path_of(kind: &str, n: usize, sample: &Sample) -> String {
    match kind {
        "worklist: mine (page)" => "/workspace/cases?scope=mine".into(),
        "worklist: team basket (page)" => "/workspace/cases?scope=team".into(),
        "worklist: my overdue (API)" => "/api/v1/cases?scope=mine&overdue=true".into(),
        "case view (page)" => format!("/workspace/cases/{}", pick(&sample.cases, n)),
        "e-file of a person (API)" => {
            format!("/api/v1/documents?person_id={}", pick(&sample.persons, n))
        }
        "person search (page)" => format!(
            "/workspace/persons?q={}",
            urlencode(PERSON_QUERIES[n % PERSON_QUERIES.len()])
        ),
        "person search by file number (page)" => format!(
            "/workspace/persons?q={}",
            urlencode(pick(&sample.file_numbers, n).as_str())
        ),
        _ => format!(
            "/workspace/documents?q={}",
            urlencode(DOCUMENT_QUERIES[n % DOCUMENT_QUERIES.len()])
        ),
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn get(settings: &Settings, client: &Client, path: &str) -> Result<(), String> {
    let response = client
        .http
        .get(format!("{}{path}", settings.base))
        .bearer_auth(&client.token)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status().as_u16() != 200 {
        return Err(format!("{path}: status {}", response.status()));
    }
    response.bytes().await.map_err(|e| e.to_string())?;
    Ok(())
}

/// Every client sends its next request as soon as the last is answered, until the time is up.
async fn closed_loop(settings: &Arc<Settings>, clients: &[Arc<Client>], sample: &Arc<Sample>) {
    let recorder = Recorder::default();
    let deadline = Instant::now() + Duration::from_secs(settings.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (index, client) in clients.iter().enumerate() {
        let (settings, client, sample, recorder) = (
            settings.clone(),
            client.clone(),
            sample.clone(),
            recorder.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut n = index * 7919;
            while Instant::now() < deadline {
                let kind = MIX[n % MIX.len()];
                let path = path_of(kind, n, &sample);
                let sent = Instant::now();
                let outcome = get(&settings, &client, &path).await;
                record(&recorder, kind, outcome.map(|()| sent.elapsed()));
                n += 1;
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let seconds = started.elapsed().as_secs_f64();
    print_table(
        &format!("closed loop, {} clients", clients.len()),
        &recorder,
        seconds,
    );
}

/// Requests due at fixed intervals, whether or not earlier ones were answered.
async fn open_loop(settings: &Arc<Settings>, clients: &[Arc<Client>], sample: &Arc<Sample>) {
    let recorder = Recorder::default();
    let length = Duration::from_secs(settings.seconds);
    let count = (settings.rate * length.as_secs_f64()) as usize;
    let start = tokio::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..count {
        let due_at = start + Duration::from_secs_f64(n as f64 / settings.rate);
        tokio::time::sleep_until(due_at).await;
        let (settings, client, sample, recorder) = (
            settings.clone(),
            clients[n % clients.len()].clone(),
            sample.clone(),
            recorder.clone(),
        );
        tasks.spawn(async move {
            let kind = MIX[n % MIX.len()];
            let path = path_of(kind, n, &sample);
            let outcome = get(&settings, &client, &path).await;
            record(&recorder, kind, outcome.map(|()| due_at.elapsed()));
        });
    }
    let drained = tokio::time::timeout(Duration::from_secs(30), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        println!("open loop: requests still open 30 s after the last was due were abandoned");
    }
    print_table(
        &format!("open loop, {:.0} requests/s", settings.rate),
        &recorder,
        length.as_secs_f64(),
    );
}

#[tokio::main]
async fn main() -> Result<()> {
    let settings = Arc::new(Settings::from_env()?);
    if settings.clients == 0 {
        bail!("BENCH_CLIENTS must be at least 1");
    }
    let meter = Meter::start(&settings.probe);
    let (clients, sample) = prepare(&settings).await?;
    let clients: Vec<Arc<Client>> = clients.into_iter().map(Arc::new).collect();
    let sample = Arc::new(sample);
    println!(
        "prepared {} signed-in staff, {} cases and {} persons to pick from",
        clients.len(),
        sample.cases.len(),
        sample.persons.len()
    );
    meter.report(&settings.probe, "prepare", None);

    let meter = Meter::start(&settings.probe);
    closed_loop(&settings, &clients, &sample).await;
    meter.report(&settings.probe, "closed loop", None);

    let meter = Meter::start(&settings.probe);
    open_loop(&settings, &clients, &sample).await;
    let requests = (settings.rate * settings.seconds as f64) as usize;
    meter.report(&settings.probe, "open loop", Some(("request", requests)));
    Ok(())
}
