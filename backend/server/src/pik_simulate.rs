//! `amtsweg pik simulate`: behaves like a PIK-Chassis kit against the device API.
//!
//! It registers synthetic refugees (never real data) with a photo and, from the age of 6,
//! fingerprint data, and it misbehaves the way kits do in the field: it resends records
//! (duplicates under the same idempotency key), registers the same person again under a new key,
//! sends bad records, loses the connection after sending (then retries with the same key), retries
//! on server errors with back-off, and sends heartbeats.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Clone, clap::Args)]
pub struct SimulateArgs {
    /// The kit's tenant (slug), for the report and the idempotency keys.
    #[arg(long)]
    pub tenant: String,
    /// How many registrations to capture.
    #[arg(long, default_value_t = 100)]
    pub count: usize,
    /// The platform, e.g. `http://127.0.0.1:8080`.
    #[arg(long)]
    pub base_url: String,
    /// The device credential `<tenant>.<credential>.<secret>` (or `AMTSWEG_DEVICE_CREDENTIAL`).
    #[arg(long, env = "AMTSWEG_DEVICE_CREDENTIAL", hide_env_values = true)]
    pub credential: String,
    /// Seed of the synthetic data; the same seed sends the same records.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Percent of records sent twice under the same idempotency key.
    #[arg(long, default_value_t = 5)]
    pub duplicate_percent: u32,
    /// Percent of records that register an already registered person again (new key).
    #[arg(long, default_value_t = 5)]
    pub same_person_percent: u32,
    /// Percent of records that are bad (the server must refuse them).
    #[arg(long, default_value_t = 3)]
    pub bad_percent: u32,
    /// Percent of requests whose connection is lost before the answer arrives.
    #[arg(long, default_value_t = 2)]
    pub lost_percent: u32,
    /// Concurrent uploads.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Send a heartbeat every this many records.
    #[arg(long, default_value_t = 50)]
    pub heartbeat_every: usize,
}

impl SimulateArgs {
    /// Defaults for in-process use (tests, benchmarks).
    pub fn new(tenant: &str, base_url: &str, credential: &str, count: usize) -> Self {
        Self {
            tenant: tenant.to_owned(),
            count,
            base_url: base_url.to_owned(),
            credential: credential.to_owned(),
            seed: 1,
            duplicate_percent: 5,
            same_person_percent: 5,
            bad_percent: 3,
            lost_percent: 2,
            concurrency: 4,
            heartbeat_every: 50,
        }
    }
}

/// What happened; the figures a test or an operator checks.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Report {
    /// Records captured (good and bad).
    pub captured: usize,
    /// Records stored for the first time (201).
    pub stored: usize,
    /// Answers that said the key was known (200): resends and retries after a lost connection.
    pub replayed: usize,
    /// Bad records refused (422), as intended.
    pub refused: usize,
    /// Good records refused, which should never happen.
    pub wrongly_refused: usize,
    /// Records given up after all retries.
    pub failed: usize,
    pub retries: usize,
    /// What made the kit retry: an HTTP status with the problem's code (`"409 duplicate-registration"`)
    /// or `"connection"` (no answer).
    pub retry_causes: BTreeMap<String, usize>,
    pub lost_connections: usize,
    pub heartbeats: usize,
    /// New persons the platform created (the rest were found).
    pub persons_created: usize,
    /// Good records with distinct idempotency keys: what the platform must hold afterwards.
    pub expected_registrations: usize,
    pub elapsed_ms: u128,
}

/// One captured record.
#[derive(Debug, Clone)]
struct Capture {
    body: Value,
    bad: bool,
    /// Send it twice under the same key.
    resend: bool,
}

const FAMILY: &[&str] = &[
    "Haddad",
    "Al-Masri",
    "Kovalenko",
    "Shevchenko",
    "Yilmaz",
    "Rahimi",
    "Ahmadi",
    "Nasser",
    "Bondarenko",
    "Tkachenko",
    "Hussein",
    "Karimi",
    "Sahin",
    "Mohammadi",
    "Melnyk",
    "Osman",
];
const GIVEN: &[&str] = &[
    "Amal", "Omar", "Olena", "Taras", "Leyla", "Farid", "Mariam", "Yusuf", "Iryna", "Dmytro",
    "Zainab", "Ali", "Nour", "Hassan", "Sofiia", "Ahmad",
];
const NATIONALITY: &[&str] = &["SYR", "AFG", "UKR", "IRQ", "TUR", "IRN", "ERI", "XXA"];

fn synthetic_person(
    rng: &mut StdRng,
    captured: DateTime<Utc>,
) -> (String, String, NaiveDate, String) {
    let family = FAMILY[rng.gen_range(0..FAMILY.len())];
    let given = GIVEN[rng.gen_range(0..GIVEN.len())];
    let age_days = rng.gen_range(200..(70 * 365));
    let birth = captured.date_naive() - chrono::Duration::days(age_days);
    // A serial suffix keeps synthetic persons apart, like a second given name would.
    let given = format!("{given} {}", rng.gen_range(1000..9999));
    let nationality = NATIONALITY[rng.gen_range(0..NATIONALITY.len())];
    (family.to_owned(), given, birth, nationality.to_owned())
}

fn blob(rng: &mut StdRng, min: usize, max: usize, magic: &[u8]) -> String {
    let len = rng.gen_range(min..max);
    let mut bytes = vec![0u8; len];
    rng.fill_bytes(&mut bytes);
    bytes[..magic.len()].copy_from_slice(magic);
    B64.encode(bytes)
}

fn captures(args: &SimulateArgs, now: DateTime<Utc>) -> Vec<Capture> {
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut people: Vec<(String, String, NaiveDate, String)> = Vec::new();
    let mut out = Vec::with_capacity(args.count);
    for i in 0..args.count {
        let captured = now - chrono::Duration::seconds(i64::try_from(args.count - i).unwrap_or(0));
        let again = !people.is_empty() && rng.gen_range(0..100) < args.same_person_percent;
        let person = if again {
            people[rng.gen_range(0..people.len())].clone()
        } else {
            let p = synthetic_person(&mut rng, captured);
            people.push(p.clone());
            p
        };
        let (family, given, birth, nationality) = person;
        let age_years = (captured.date_naive() - birth).num_days() / 365;
        let mut body = json!({
            "idempotency_key": format!("{}-{}-{i:06}", args.tenant, args.seed),
            "captured_at": captured,
            "family_name": family,
            "given_names": given,
            "birth_date": birth.to_string(),
            "nationality": nationality,
            "documents": [{
                "kind": if rng.gen_bool(0.5) { "passport" } else { "identity_card" },
                "number": format!("P{:08}", rng.gen_range(0..100_000_000u32)),
                "issuing_country": nationality,
            }],
            "photo": blob(&mut rng, 8_000, 16_000, &[0xFF, 0xD8, 0xFF, 0xE0]),
        });
        if age_years >= 6 {
            body["fingerprints"] = Value::String(blob(&mut rng, 2_000, 5_000, b"FMR\0"));
        }
        let bad = rng.gen_range(0..100) < args.bad_percent;
        if bad {
            match rng.gen_range(0..4) {
                0 => body["family_name"] = Value::String(String::new()),
                1 => body["birth_date"] = Value::String("2999-01-01".into()),
                2 => body["nationality"] = Value::String("syria".into()),
                _ => body["photo"] = Value::String("not base64!".into()),
            }
        }
        let resend = rng.gen_range(0..100) < args.duplicate_percent;
        out.push(Capture { body, bad, resend });
    }
    out
}

/// The outcome of one upload, after retries.
#[derive(Debug, Default)]
struct Outcome {
    stored: usize,
    replayed: usize,
    refused: usize,
    failed: usize,
    retries: usize,
    causes: BTreeMap<String, usize>,
    lost: usize,
    person_created: usize,
}

impl Outcome {
    fn add(&mut self, other: Outcome) {
        self.stored += other.stored;
        self.replayed += other.replayed;
        self.refused += other.refused;
        self.failed += other.failed;
        self.retries += other.retries;
        for (cause, n) in other.causes {
            *self.causes.entry(cause).or_default() += n;
        }
        self.lost += other.lost;
        self.person_created += other.person_created;
    }
}

async fn upload(
    client: &reqwest::Client,
    url: &str,
    auth: &str,
    body: &Value,
    lose_first: bool,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut delay = Duration::from_millis(20);
    for attempt in 0..6 {
        if attempt > 0 {
            outcome.retries += 1;
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(2));
        }
        let mut request = client.post(url).header("Authorization", auth).json(body);
        if lose_first && attempt == 0 {
            // The request goes out; the answer never arrives in time.
            request = request.timeout(Duration::from_millis(1));
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let json: Value = response.json().await.unwrap_or(Value::Null);
                match status {
                    201 => {
                        outcome.stored += 1;
                        outcome.person_created += usize::from(json["person_created"] == true);
                        return outcome;
                    }
                    200 => {
                        outcome.replayed += 1;
                        return outcome;
                    }
                    422 => {
                        outcome.refused += 1;
                        return outcome;
                    }
                    // Throttled, conflicting first write of a data key, or a server error.
                    other => {
                        let cause = match json["code"].as_str() {
                            Some(code) => format!("{other} {code}"),
                            None => other.to_string(),
                        };
                        *outcome.causes.entry(cause).or_default() += 1;
                        continue;
                    }
                }
            }
            Err(_) => {
                let lost = lose_first && attempt == 0;
                outcome.lost += usize::from(lost);
                if !lost {
                    *outcome.causes.entry("connection".to_owned()).or_default() += 1;
                }
                continue;
            }
        }
    }
    outcome.failed += 1;
    outcome
}

async fn heartbeat(client: &reqwest::Client, base: &str, auth: &str, queued: usize) -> bool {
    client
        .post(format!("{base}/api/v1/devices/heartbeat"))
        .header("Authorization", auth)
        .json(&json!({
            "software_version": "pik-chassis-sim 1.4.2",
            "state": "ready",
            "queued_records": queued,
        }))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

/// Runs the simulation and reports what happened.
pub async fn run(args: &SimulateArgs) -> anyhow::Result<Report> {
    let started = std::time::Instant::now();
    let base = args.base_url.trim_end_matches('/').to_owned();
    let url = format!("{base}/api/v1/devices/registrations");
    let auth = format!("Device {}", args.credential.trim());
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let all = captures(args, Utc::now());
    let mut report = Report {
        captured: all.len(),
        expected_registrations: all.iter().filter(|c| !c.bad).count(),
        ..Report::default()
    };
    let mut lose_rng = StdRng::seed_from_u64(args.seed.wrapping_add(7));
    let concurrency = args.concurrency.max(1);
    let heartbeat_every = args.heartbeat_every.max(1);
    if heartbeat(&client, &base, &auth, all.len()).await {
        report.heartbeats += 1;
    }
    // Like a kit's upload queue: `concurrency` uploads in flight at all times, the next record
    // starts as soon as one is answered.
    let mut pending = all.into_iter();
    let mut in_flight = tokio::task::JoinSet::new();
    let mut done = 0usize;
    loop {
        while in_flight.len() < concurrency {
            let Some(capture) = pending.next() else {
                break;
            };
            let lose = lose_rng.gen_range(0..100) < args.lost_percent;
            let client = client.clone();
            let url = url.clone();
            let auth = auth.clone();
            in_flight.spawn(async move {
                let mut outcome = upload(&client, &url, &auth, &capture.body, lose).await;
                if capture.resend {
                    outcome.add(upload(&client, &url, &auth, &capture.body, false).await);
                }
                (capture.bad, outcome)
            });
        }
        let Some(finished) = in_flight.join_next().await else {
            break;
        };
        let (bad, outcome) = finished?;
        report.stored += outcome.stored;
        report.replayed += outcome.replayed;
        if bad {
            report.refused += outcome.refused;
        } else {
            report.wrongly_refused += outcome.refused;
        }
        report.failed += outcome.failed;
        report.retries += outcome.retries;
        for (cause, n) in outcome.causes {
            *report.retry_causes.entry(cause).or_default() += n;
        }
        report.lost_connections += outcome.lost;
        report.persons_created += outcome.person_created;
        done += 1;
        if done.is_multiple_of(heartbeat_every)
            && heartbeat(&client, &base, &auth, report.captured - done).await
        {
            report.heartbeats += 1;
        }
    }
    report.elapsed_ms = started.elapsed().as_millis();
    Ok(report)
}

/// The subcommand: runs and prints the report as JSON; fails if a good record was refused or lost.
pub async fn command(args: SimulateArgs) -> anyhow::Result<()> {
    let report = run(&args).await?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    if report.wrongly_refused > 0 || report.failed > 0 {
        anyhow::bail!(
            "{} good records refused, {} given up",
            report.wrongly_refused,
            report.failed
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_are_deterministic_and_mixed() {
        let args = SimulateArgs {
            bad_percent: 10,
            duplicate_percent: 10,
            ..SimulateArgs::new("abh-test", "http://x", "c", 500)
        };
        let now = Utc::now();
        let a = captures(&args, now);
        let b = captures(&args, now);
        assert_eq!(a.len(), 500);
        assert_eq!(
            a.iter().map(|c| &c.body).collect::<Vec<_>>(),
            b.iter().map(|c| &c.body).collect::<Vec<_>>()
        );
        assert!(a.iter().any(|c| c.bad) && a.iter().any(|c| c.resend));
        let keys: std::collections::BTreeSet<_> = a
            .iter()
            .map(|c| c.body["idempotency_key"].to_string())
            .collect();
        assert_eq!(keys.len(), 500);
    }
}
