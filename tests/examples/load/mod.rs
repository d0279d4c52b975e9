//! What the load drivers share (`portal_load`, `cases_load`): settings from the environment,
//! latency samples and their percentiles, and the CPU and load of server and PostgreSQL around a
//! phase, read from /proc.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> Result<T> {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .map_err(|_| anyhow::anyhow!("{name}: cannot parse `{value}`")),
        Err(_) => Ok(default),
    }
}

pub async fn expect_status(
    response: reqwest::Response,
    status: u16,
    what: &str,
) -> Result<reqwest::Response> {
    if response.status().as_u16() == status {
        return Ok(response);
    }
    let got = response.status();
    let body: String = response
        .text()
        .await
        .unwrap_or_default()
        .chars()
        .take(400)
        .collect();
    bail!("{what}: expected {status}, got {got}: {body}")
}

/// Latencies of one kind of request.
#[derive(Default)]
pub struct Samples {
    ok: Vec<Duration>,
    failed: usize,
    first_failure: Option<String>,
}

pub type Recorder = Arc<std::sync::Mutex<BTreeMap<&'static str, Samples>>>;

pub fn record(recorder: &Recorder, label: &'static str, outcome: Result<Duration, String>) {
    if let Ok(mut all) = recorder.lock() {
        let samples = all.entry(label).or_default();
        match outcome {
            Ok(latency) => samples.ok.push(latency),
            Err(problem) => {
                samples.failed += 1;
                samples.first_failure.get_or_insert(problem);
            }
        }
    }
}

/// Nearest-rank percentile of sorted latencies.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// CPU seconds (user + system) of a process, from /proc.
fn cpu_seconds(pid: &str, clk_tck: f64) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            let user: f64 = fields.get(11)?.parse().ok()?;
            let system: f64 = fields.get(12)?.parse().ok()?;
            Some((user + system) / clk_tck)
        })
        .unwrap_or(0.0)
}

/// CPU seconds of the PostgreSQL backends serving `database` (their process title names it).
fn postgres_cpu_seconds(database: &str, clk_tck: f64) -> f64 {
    let marker = format!(" {database} ");
    std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.file_name().into_string().ok())
                .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
                .filter(|pid| {
                    std::fs::read(format!("/proc/{pid}/cmdline"))
                        .map(|c| {
                            let title = String::from_utf8_lossy(&c).replace('\0', " ");
                            title.starts_with("postgres: ") && title.contains(&marker)
                        })
                        .unwrap_or(false)
                })
                .map(|pid| cpu_seconds(&pid, clk_tck))
                .sum()
        })
        .unwrap_or(0.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// What is measured around a phase: the server process and the database's backends.
#[derive(Clone)]
pub struct Probe {
    pub server_pid: Option<u32>,
    pub database: String,
    pub clk_tck: f64,
}

impl Probe {
    fn server(&self) -> f64 {
        self.server_pid
            .map_or(0.0, |pid| cpu_seconds(&pid.to_string(), self.clk_tck))
    }
}

/// Resource use of a phase, measured around it.
pub struct Meter {
    started: Instant,
    load: String,
    server: f64,
    postgres: f64,
    driver: f64,
}

impl Meter {
    pub fn start(probe: &Probe) -> Self {
        Self {
            started: Instant::now(),
            load: load_average(),
            server: probe.server(),
            postgres: postgres_cpu_seconds(&probe.database, probe.clk_tck),
            driver: cpu_seconds("self", probe.clk_tck),
        }
    }

    /// Prints wall time, load average and CPU seconds; with `per = (what, n)` also the CPU per
    /// one of `n` operations.
    pub fn report(&self, probe: &Probe, phase: &str, per: Option<(&str, usize)>) {
        let wall = self.started.elapsed().as_secs_f64();
        let server = probe.server() - self.server;
        let postgres = postgres_cpu_seconds(&probe.database, probe.clk_tck) - self.postgres;
        let driver = cpu_seconds("self", probe.clk_tck) - self.driver;
        let per = match per {
            Some((what, n)) if n > 0 => format!(
                ", {:.2} ms CPU (server + PostgreSQL) per {what}",
                (server + postgres) * 1000.0 / n as f64
            ),
            _ => String::new(),
        };
        println!(
            "{phase}: wall {wall:.1} s; load average before {} / after {}; CPU s: server {server:.1}, PostgreSQL backends {postgres:.1}, driver {driver:.1}{per}",
            self.load,
            load_average()
        );
    }
}

pub fn print_table(phase: &str, recorder: &Recorder, seconds: f64) {
    let Ok(all) = recorder.lock() else { return };
    println!("\n| {phase} | requests | failed | per s | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|---|");
    for (label, samples) in all.iter() {
        let mut sorted = samples.ok.clone();
        sorted.sort();
        println!(
            "| {label} | {} | {} | {:.1} | {} | {} | {} | {} |",
            sorted.len(),
            samples.failed,
            sorted.len() as f64 / seconds,
            ms(percentile(&sorted, 50.0)),
            ms(percentile(&sorted, 95.0)),
            ms(percentile(&sorted, 99.0)),
            ms(sorted.last().copied().unwrap_or_default()),
        );
        if let Some(problem) = &samples.first_failure {
            println!("|   first failure: {problem} |||||||");
        }
    }
}
