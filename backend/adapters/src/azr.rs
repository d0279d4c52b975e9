//! The Ausländerzentralregister (AZR): fetching an authority's extract for the reconciliation.
//!
//! [`AzrRegister`] is what the reconciliation job needs. The real register is reached through the
//! BVA's interfaces, which cannot run here; [`AzrSimulator`] stands in for it. It derives a
//! deterministic AZR extract from the authority's local extract with the disagreements seen in
//! practice (umlaut and transliteration spellings, typos, partial dates, changed municipality and
//! residence title, missing local AZR numbers, persons known to one register only), and it fails like
//! the real service does: timeouts, partial delivery and maintenance windows, configurable.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use amtsweg_reconcile::{Field, Record, read_extract};

/// Why the AZR could not deliver.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AzrError {
    #[error("the AZR did not answer in time")]
    Timeout,
    #[error("the AZR delivered {received} of {expected} records")]
    PartialDelivery { received: u64, expected: u64 },
    #[error("the AZR is in a maintenance window until {until}")]
    Maintenance { until: String },
    #[error("the extract request was refused: {0}")]
    Refused(String),
}

impl AzrError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        !matches!(self, AzrError::Refused(_))
    }
}

/// What the job asks the AZR for.
#[derive(Debug, Clone)]
pub struct ExtractRequest<'a> {
    /// The authority's internal id (never an AGS).
    pub tenant_id: uuid::Uuid,
    /// The authority's key at the AZR (ABH-Kennung), when known.
    pub authority_key: Option<String>,
    /// The local extract of the same run. The real register ignores it; the simulator derives its
    /// extract from it.
    pub local_extract: &'a [u8],
}

/// The federal register as the reconciliation sees it.
#[async_trait::async_trait]
pub trait AzrRegister: Send + Sync {
    /// The authority's AZR extract as CSV in the format of `shared/specs/reconciliation.md`.
    async fn fetch_extract(&self, request: &ExtractRequest<'_>) -> Result<Vec<u8>, AzrError>;
}

/// How the simulator fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Failure {
    #[default]
    None,
    Timeout,
    PartialDelivery,
    Maintenance,
}

impl Failure {
    pub fn parse(text: &str) -> Option<Failure> {
        match text.trim() {
            "" | "none" => Some(Failure::None),
            "timeout" => Some(Failure::Timeout),
            "partial" => Some(Failure::PartialDelivery),
            "maintenance" => Some(Failure::Maintenance),
            _ => None,
        }
    }
}

/// Configuration of [`AzrSimulator`].
#[derive(Debug, Clone)]
pub struct SimulatorConfig {
    /// Seed of the perturbation; the same local extract and seed give the same AZR extract.
    pub seed: u64,
    /// Share of records that get a disagreement (0.0–1.0).
    pub disagreement_rate: f64,
    /// Share of local persons unknown to the AZR (moved away, never registered).
    pub missing_rate: f64,
    /// Which failure the first `failures` calls produce.
    pub failure: Failure,
    pub failures: u32,
    /// Simulated latency of a successful call.
    pub latency: Duration,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            disagreement_rate: 0.08,
            missing_rate: 0.02,
            failure: Failure::None,
            failures: 0,
            latency: Duration::ZERO,
        }
    }
}

impl SimulatorConfig {
    /// Reads `AMTSWEG_AZR_SIM_FAILURE` (`none`, `timeout`, `partial`, `maintenance`),
    /// `AMTSWEG_AZR_SIM_FAILURES` (how many calls fail first) and `AMTSWEG_AZR_SIM_SEED`.
    pub fn from_env() -> Self {
        let mut config = SimulatorConfig::default();
        if let Some(failure) = std::env::var("AMTSWEG_AZR_SIM_FAILURE")
            .ok()
            .and_then(|v| Failure::parse(&v))
        {
            config.failure = failure;
            config.failures = 1;
        }
        if let Some(n) = std::env::var("AMTSWEG_AZR_SIM_FAILURES")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            config.failures = n;
        }
        if let Some(seed) = std::env::var("AMTSWEG_AZR_SIM_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            config.seed = seed;
        }
        config
    }
}

/// A deterministic stand-in for the AZR.
pub struct AzrSimulator {
    config: SimulatorConfig,
    calls: AtomicU32,
}

impl AzrSimulator {
    pub fn new(config: SimulatorConfig) -> Self {
        Self {
            config,
            calls: AtomicU32::new(0),
        }
    }

    /// How often the simulator was called.
    pub fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl AzrRegister for AzrSimulator {
    async fn fetch_extract(&self, request: &ExtractRequest<'_>) -> Result<Vec<u8>, AzrError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        let failing = call < self.config.failures;
        if failing {
            match self.config.failure {
                Failure::None => {}
                Failure::Timeout => return Err(AzrError::Timeout),
                Failure::Maintenance => {
                    return Err(AzrError::Maintenance {
                        until: "06:00".into(),
                    });
                }
                Failure::PartialDelivery => {
                    let full = simulate_extract(request.local_extract, &self.config)?;
                    let expected = full.lines().count().saturating_sub(1) as u64;
                    return Err(AzrError::PartialDelivery {
                        received: expected / 2,
                        expected,
                    });
                }
            }
        }
        if !self.config.latency.is_zero() {
            tokio::time::sleep(self.config.latency).await;
        }
        Ok(simulate_extract(request.local_extract, &self.config)?.into_bytes())
    }
}

/// SplitMix64: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// The AZR extract the simulator derives from a local extract.
pub fn simulate_extract(local_csv: &[u8], config: &SimulatorConfig) -> Result<String, AzrError> {
    let (records, _rejected) = read_extract(local_csv, "local.csv")
        .map_err(|err| AzrError::Refused(format!("local extract unreadable: {err}")))?;
    let mut rng = Rng(config.seed ^ 0x0a2b_5151);
    let mut out = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    out.write_record(&header)
        .map_err(|err| AzrError::Refused(err.to_string()))?;
    let mut next_id: u64 = 7_000_000;
    for record in &records {
        if rng.chance(config.missing_rate) {
            continue;
        }
        next_id += 1;
        let mut values: Vec<String> = record
            .values()
            .iter()
            .map(|v| v.trim().to_owned())
            .collect();
        values[Field::RecordId.index()] = format!("AZR-{next_id}");
        if values[Field::AzrNumber.index()].len() != 12 {
            values[Field::AzrNumber.index()] =
                format!("{:012}", 100_000_000_000 + rng.below(899_999_999_999));
        }
        if rng.chance(config.disagreement_rate) {
            perturb(record, &mut values, &mut rng);
        }
        out.write_record(&values)
            .map_err(|err| AzrError::Refused(err.to_string()))?;
    }
    let bytes = out
        .into_inner()
        .map_err(|err| AzrError::Refused(err.to_string()))?;
    String::from_utf8(bytes).map_err(|err| AzrError::Refused(err.to_string()))
}

fn expand_umlauts(s: &str) -> String {
    s.replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
        .replace('Ä', "Ae")
        .replace('Ö', "Oe")
        .replace('Ü', "Ue")
}

fn typo(s: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 3 {
        return format!("{s}e");
    }
    let i = 1 + rng.below(chars.len() as u64 - 2) as usize;
    let mut c = chars.clone();
    c.swap(i, i - 1);
    if c == chars {
        c.insert(i, 'h');
    }
    c.into_iter().collect()
}

/// One realistic disagreement of the kinds seen between the registers.
fn perturb(record: &Record, values: &mut [String], rng: &mut Rng) {
    let family = record.get(Field::FamilyName).trim().to_owned();
    match rng.below(6) {
        0 => {
            let expanded = expand_umlauts(&family);
            values[Field::FamilyName.index()] = if expanded != family {
                expanded
            } else {
                typo(&family, rng)
            };
        }
        1 => values[Field::GivenNames.index()] = typo(record.get(Field::GivenNames).trim(), rng),
        2 => {
            let dob = record.get(Field::DateOfBirth).trim();
            if dob.len() == 10 {
                values[Field::DateOfBirth.index()] = format!("{}-00-00", &dob[..4]);
            }
        }
        3 => {
            let code = record.get(Field::MunicipalityCode).trim();
            if code.len() == 8 {
                let last: u32 = code[6..].parse().unwrap_or(0);
                values[Field::MunicipalityCode.index()] =
                    format!("{}{:02}", &code[..6], (last + 4) % 100);
            }
        }
        4 => values[Field::ResidenceStatus.index()] = "Niederlassungserlaubnis".into(),
        _ => values[Field::PermitValidUntil.index()] = String::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn the_simulator_is_deterministic_and_fails_as_configured() {
        let data = amtsweg_reconcile::synth::generate(200, 7);
        let local = data.local_csv();
        let request = ExtractRequest {
            tenant_id: uuid::Uuid::nil(),
            authority_key: None,
            local_extract: &local,
        };
        let sim = AzrSimulator::new(SimulatorConfig {
            failure: Failure::Maintenance,
            failures: 1,
            ..SimulatorConfig::default()
        });
        assert!(matches!(
            sim.fetch_extract(&request).await,
            Err(AzrError::Maintenance { .. })
        ));
        let first = sim.fetch_extract(&request).await.unwrap();
        let second = sim.fetch_extract(&request).await.unwrap();
        assert_eq!(first, second);
        let (azr, rejected) = read_extract(&first[..], "azr.csv").unwrap();
        assert!(rejected.is_empty());
        assert!(azr.len() > 150);
        let partial = AzrSimulator::new(SimulatorConfig {
            failure: Failure::PartialDelivery,
            failures: 1,
            ..SimulatorConfig::default()
        });
        assert!(matches!(
            partial.fetch_extract(&request).await,
            Err(AzrError::PartialDelivery { .. })
        ));
    }
}
