//! Load driver of the portal benchmark (issue 4). `bench/portal/run.sh` starts the release server
//! on a fresh PostgreSQL database and runs this; method and results are in docs/benchmarks.md.
//!
//! Phases:
//! 1. prepare: applicants register and sign in, each fills one draft over HTTP (three form steps,
//!    two evidence uploads); the drafts are then copied in SQL, so that the measured phases do
//!    nothing but submit;
//! 2. closed loop: every client submits as fast as it is answered: the maximum rate;
//! 3. pages alone at a fixed rate (service list, a form step, an application's status page);
//! 4. the submission at half the maximum rate together with the pages.
//!
//! Phases 3 and 4 are open loop: a request's latency counts from the moment it was due, so a slow
//! answer cannot hide the requests queued behind it. Everything goes to loopback and each phase
//! stops after its time.
//!
//! Settings (environment): `BENCH_BASE`, `BENCH_ADMIN_URL` (superuser, the server's database),
//! `BENCH_CLIENTS` (10), `BENCH_SECONDS` (20), `BENCH_PAGE_RATE` (requests/s per page, 10),
//! `BENCH_PLACES` (postal codes, one authority each, `33602`), `BENCH_DRAFTS` (per client, 1500),
//! `BENCH_SERVER_PID` (for CPU seconds), `BENCH_CLK_TCK` (100).

mod load;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use load::{Meter, Probe, Recorder, env_or, expect_status, print_table, record};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use serde_json::json;
use tokio::sync::Mutex;
use uuid::Uuid;

const PASSWORD: &str = "ein sehr langes passwort";
const SERVICE: &str = "fiktionsbescheinigung";

struct Settings {
    base: String,
    admin_url: String,
    clients: usize,
    seconds: u64,
    page_rate: f64,
    places: Vec<String>,
    drafts: usize,
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
            clients: env_or("BENCH_CLIENTS", 10)?,
            seconds: env_or("BENCH_SECONDS", 20)?,
            page_rate: env_or("BENCH_PAGE_RATE", 10.0)?,
            places: env_or("BENCH_PLACES", "33602".to_owned())?
                .split([' ', ','])
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            drafts: env_or("BENCH_DRAFTS", 1500)?,
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

/// A signed-in applicant with its drafts at one authority.
struct Applicant {
    http: reqwest::Client,
    csrf: String,
    tenant: Uuid,
    template: Uuid,
    drafts: Mutex<Vec<Uuid>>,
    /// The status page of the applicant's first application, for the page phases.
    status_page: std::sync::OnceLock<String>,
}

fn csrf_from(html: &str) -> Result<String> {
    input_value(html, "csrf")
}

/// The value of the first `<input … name="{name}" … value="…">` in a page.
fn input_value(html: &str, name: &str) -> Result<String> {
    let at = html
        .find(&format!("name=\"{name}\""))
        .with_context(|| format!("no input {name} in the page"))?;
    let tag_start = html[..at].rfind('<').unwrap_or(0);
    let tag_end = at + html[at..].find('>').unwrap_or(0);
    let tag = &html[tag_start..tag_end];
    let value = tag
        .find("value=\"")
        .with_context(|| format!("input {name} has no value"))?;
    let rest = &tag[value + 7..];
    Ok(rest[..rest.find('"').unwrap_or(0)].to_owned())
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn register(
    settings: &Settings,
    index: usize,
    run: &str,
) -> Result<(reqwest::Client, String, String)> {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = http
        .get(format!("{}/portal/register?lang=de", settings.base))
        .send()
        .await?
        .text()
        .await?;
    let csrf = csrf_from(&page)?;
    let email = format!("bench-{run}-{index}@example.org");
    let registered = http
        .post(format!("{}/portal/register", settings.base))
        .form(&[
            ("email", email.as_str()),
            ("display_name", "Lasttest"),
            ("password", PASSWORD),
            ("language", "de"),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await?;
    expect_status(registered, 200, "registration").await?;
    Ok((http, csrf, email))
}

/// Signs in and fills one draft completely (the fee is waived for recognised refugees, so the
/// draft needs no payment); returns the applicant with that draft as its template.
async fn fill_template(
    settings: &Settings,
    http: reqwest::Client,
    csrf: String,
    email: &str,
    place: &str,
) -> Result<Applicant> {
    let base = &settings.base;
    let signed_in = http
        .post(format!("{base}/portal/sign-in"))
        .form(&[("email", email), ("password", PASSWORD), ("csrf", &csrf)])
        .send()
        .await?;
    expect_status(signed_in, 303, "sign-in").await?;
    let page = http
        .get(format!("{base}/portal/services/{SERVICE}?place={place}"))
        .send()
        .await?;
    let page = expect_status(page, 200, "service page")
        .await?
        .text()
        .await?;
    let tenant = input_value(&page, "tenant")?;
    let started = http
        .post(format!("{base}/portal/services/{SERVICE}/start"))
        .form(&[("tenant", tenant.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await?;
    let started = expect_status(started, 303, "start").await?;
    let draft_path = location(&started).trim_end_matches("/steps/0").to_owned();
    let steps: [&[(&str, &str)]; 3] = [
        &[
            ("family_name", "Haddad"),
            ("given_names", "Omar"),
            ("date_of_birth", "1985-02-01"),
            ("nationality", "irakisch"),
            ("passport_number", "A7654321"),
        ],
        &[
            ("street", "Niederwall 1"),
            ("postal_code", "33602"),
            ("municipality", "Bielefeld"),
        ],
        &[
            ("permit_expiry", "2027-03-31"),
            ("protection_status", "recognised-refugee"),
            ("reason", "Nachweis"),
        ],
    ];
    for (step, fields) in steps.iter().enumerate() {
        let mut form = fields.to_vec();
        form.push(("csrf", &csrf));
        form.push(("intent", "next"));
        let posted = http
            .post(format!("{base}{draft_path}/steps/{step}"))
            .form(&form)
            .send()
            .await?;
        expect_status(posted, 303, "form step").await?;
    }
    for kind in ["passport", "photo"] {
        let boundary = "----amtswegbenchboundary";
        let mut body = Vec::new();
        for (field, value) in [("csrf", csrf.as_str()), ("evidence_key", kind)] {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{kind}.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(format!("%PDF-1.4\n% {kind}\n%%EOF\n").as_bytes());
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let uploaded = http
            .post(format!("{base}{draft_path}/evidence"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await?;
        expect_status(uploaded, 303, "evidence upload").await?;
    }
    let template = draft_path
        .rsplit('/')
        .next()
        .and_then(|id| Uuid::parse_str(id).ok())
        .with_context(|| format!("no draft id in {draft_path}"))?;
    Ok(Applicant {
        http,
        csrf,
        tenant: Uuid::parse_str(&tenant)?,
        template,
        drafts: Mutex::new(Vec::new()),
        status_page: std::sync::OnceLock::new(),
    })
}

async fn sql(db: &DatabaseConnection, sql: &str) -> Result<u64> {
    Ok(db.execute_unprepared(sql).await?.rows_affected())
}

/// Copies every template draft `copies` times with its evidence records (new object keys: the
/// submission reads the records, not the files) and hands the copies to their applicants.
async fn copy_drafts(
    db: &DatabaseConnection,
    applicants: &[Arc<Applicant>],
    copies: usize,
) -> Result<()> {
    let templates = applicants
        .iter()
        .map(|a| format!("'{}'", a.template))
        .collect::<Vec<_>>()
        .join(",");
    sql(
        db,
        &format!(
            "INSERT INTO intake_drafts (tenant_id, id, applicant_id, service_key, form_data, step, language, created_at, updated_at) \
             SELECT d.tenant_id, gen_random_uuid(), d.applicant_id, d.service_key, d.form_data, d.step, d.language, now(), now() \
             FROM intake_drafts d CROSS JOIN generate_series(1, {copies}) WHERE d.id IN ({templates})"
        ),
    )
    .await?;
    sql(
        db,
        &format!(
            "INSERT INTO evidence_documents (tenant_id, id, applicant_id, draft_id, evidence_key, object_key, sha256, content_type, file_name, size_bytes, source, created_at) \
             SELECT e.tenant_id, gen_random_uuid(), e.applicant_id, n.id, e.evidence_key, e.object_key || '.' || n.id, e.sha256, e.content_type, e.file_name, e.size_bytes, e.source, now() \
             FROM evidence_documents e JOIN intake_drafts n ON n.tenant_id = e.tenant_id AND n.applicant_id = e.applicant_id AND n.id <> e.draft_id \
             WHERE e.draft_id IN ({templates})"
        ),
    )
    .await?;
    sql(db, "ANALYZE intake_drafts").await?;
    sql(db, "ANALYZE evidence_documents").await?;
    for applicant in applicants {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT id FROM intake_drafts WHERE tenant_id = $1 AND applicant_id = \
                 (SELECT applicant_id FROM intake_drafts WHERE tenant_id = $1 AND id = $2) AND id <> $2",
                [applicant.tenant.into(), applicant.template.into()],
            ))
            .await?;
        let mut drafts = applicant.drafts.lock().await;
        for row in rows {
            drafts.push(row.try_get_by_index::<Uuid>(0)?);
        }
    }
    Ok(())
}

/// Submits the applicant's next draft; returns the new application's path.
async fn submit(settings: &Settings, applicant: &Applicant) -> Result<String, String> {
    let draft = applicant
        .drafts
        .lock()
        .await
        .pop()
        .ok_or("out of prepared drafts")?;
    let response = applicant
        .http
        .post(format!("{}/api/v1/portal/applications", settings.base))
        .header("x-csrf-token", &applicant.csrf)
        .json(&json!({
            "tenant_id": applicant.tenant,
            "draft_id": draft,
            "idempotency_key": Uuid::now_v7().to_string(),
        }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status().as_u16() != 201 {
        return Err(format!("status {}", response.status()));
    }
    let body: serde_json::Value = response.json().await.map_err(|e| e.to_string())?;
    let page = format!(
        "/portal/applications/{}/{}",
        applicant.tenant,
        body["id"].as_str().unwrap_or_default()
    );
    let _ = applicant.status_page.set(page.clone());
    Ok(page)
}

async fn get_page(http: &reqwest::Client, url: String) -> Result<(), String> {
    let response = http.get(url).send().await.map_err(|e| e.to_string())?;
    if response.status().as_u16() != 200 {
        return Err(format!("status {}", response.status()));
    }
    response.bytes().await.map_err(|e| e.to_string())?;
    Ok(())
}

/// Every client submits its drafts one after the other until the time is up.
async fn closed_loop(settings: &Arc<Settings>, applicants: &[Arc<Applicant>]) -> (f64, usize) {
    let recorder = Recorder::default();
    let deadline = Instant::now() + Duration::from_secs(settings.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for applicant in applicants {
        let (settings, applicant, recorder) =
            (settings.clone(), applicant.clone(), recorder.clone());
        tasks.push(tokio::spawn(async move {
            let mut submitted = 0;
            while Instant::now() < deadline {
                let sent = Instant::now();
                let outcome = submit(&settings, &applicant).await;
                if outcome.is_ok() {
                    submitted += 1;
                }
                let stop = matches!(&outcome, Err(e) if e == "out of prepared drafts");
                record(
                    &recorder,
                    "POST /api/v1/portal/applications",
                    outcome.map(|_| sent.elapsed()),
                );
                if stop {
                    break;
                }
            }
            submitted
        }));
    }
    let mut submitted = 0;
    for task in tasks {
        submitted += task.await.unwrap_or_default();
    }
    let seconds = started.elapsed().as_secs_f64();
    print_table("closed loop", &recorder, seconds);
    (submitted as f64 / seconds, submitted)
}

/// Requests due at fixed intervals, whether or not earlier ones were answered.
async fn open_loop(
    settings: &Arc<Settings>,
    applicants: &[Arc<Applicant>],
    submit_rate: f64,
    phase: &str,
) -> usize {
    let recorder = Recorder::default();
    let length = Duration::from_secs(settings.seconds);
    let start = tokio::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let mut due: Vec<(Duration, &'static str)> = Vec::new();
    let mut schedule = |rate: f64, label: &'static str| {
        if rate > 0.0 {
            let count = (rate * length.as_secs_f64()) as u64;
            due.extend((0..count).map(|i| (Duration::from_secs_f64(i as f64 / rate), label)));
        }
    };
    schedule(submit_rate, "POST /api/v1/portal/applications");
    schedule(settings.page_rate, "GET /portal/services");
    schedule(settings.page_rate, "GET form step");
    schedule(settings.page_rate, "GET application status");
    due.sort();
    let mut submissions = 0;
    for (n, (at, label)) in due.into_iter().enumerate() {
        tokio::time::sleep_until(start + at).await;
        let applicant = applicants[n % applicants.len()].clone();
        let (settings, recorder) = (settings.clone(), recorder.clone());
        let due_at = start + at;
        if label.starts_with("POST") {
            submissions += 1;
        }
        tasks.spawn(async move {
            let outcome = match label {
                "POST /api/v1/portal/applications" => {
                    submit(&settings, &applicant).await.map(|_| ())
                }
                "GET /portal/services" => {
                    get_page(
                        &applicant.http,
                        format!("{}/portal/services", settings.base),
                    )
                    .await
                }
                "GET form step" => {
                    get_page(
                        &applicant.http,
                        format!(
                            "{}/portal/drafts/{}/{}/steps/1",
                            settings.base, applicant.tenant, applicant.template
                        ),
                    )
                    .await
                }
                _ => match applicant.status_page.get() {
                    Some(path) => {
                        get_page(&applicant.http, format!("{}{path}", settings.base)).await
                    }
                    None => Err("no application to show".into()),
                },
            };
            record(&recorder, label, outcome.map(|()| due_at.elapsed()));
        });
    }
    let drained = tokio::time::timeout(Duration::from_secs(30), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        println!("{phase}: requests still open 30 s after the last was due were abandoned");
    }
    print_table(phase, &recorder, length.as_secs_f64());
    submissions
}

#[tokio::main]
async fn main() -> Result<()> {
    let settings = Arc::new(Settings::from_env()?);
    if settings.places.is_empty() {
        bail!("BENCH_PLACES names no place");
    }
    let db = Database::connect(settings.admin_url.as_str()).await?;
    let run = Uuid::now_v7().simple().to_string()[20..].to_owned();

    let meter = Meter::start(&settings.probe);
    let mut registered = Vec::new();
    for index in 0..settings.clients {
        registered.push(register(&settings, index, &run).await?);
    }
    sql(
        &db,
        &format!(
            "UPDATE applicant_accounts SET email_confirmed_at = now(), confirm_token_hash = NULL \
             WHERE email LIKE 'bench-{run}-%'"
        ),
    )
    .await?;
    let mut applicants = Vec::new();
    for (index, (http, csrf, email)) in registered.into_iter().enumerate() {
        let place = &settings.places[index % settings.places.len()];
        applicants.push(Arc::new(
            fill_template(&settings, http, csrf, &email, place).await?,
        ));
    }
    copy_drafts(&db, &applicants, settings.drafts).await?;
    let tenants: std::collections::BTreeSet<Uuid> = applicants.iter().map(|a| a.tenant).collect();
    println!(
        "prepared {} applicants at {} authorities with {} drafts each",
        applicants.len(),
        tenants.len(),
        settings.drafts
    );
    meter.report(&settings.probe, "prepare", None);

    let meter = Meter::start(&settings.probe);
    let (max_rate, submitted) = closed_loop(&settings, &applicants).await;
    println!(
        "maximum: {max_rate:.1} submissions/s with {} clients",
        settings.clients
    );
    meter.report(
        &settings.probe,
        "closed loop",
        Some(("submission", submitted)),
    );

    let meter = Meter::start(&settings.probe);
    open_loop(&settings, &applicants, 0.0, "pages alone").await;
    meter.report(&settings.probe, "pages alone", None);

    let meter = Meter::start(&settings.probe);
    let half = max_rate / 2.0;
    let sent = open_loop(
        &settings,
        &applicants,
        half,
        &format!("submissions at {half:.1}/s with pages"),
    )
    .await;
    meter.report(
        &settings.probe,
        "half rate with pages",
        Some(("submission", sent)),
    );
    db.close().await?;
    Ok(())
}
