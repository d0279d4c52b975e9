//! `amtsweg reconcile` and `amtsweg generate-registers`: the AZR reconciliation from the
//! command line. The work is done by the `amtsweg-reconcile` crate; this module parses
//! arguments, loads the configuration, shows progress and prints a short summary.
//!
//! Wiring in `main.rs`: `mod reconcile_cmd;`, then subcommands
//! `Reconcile(reconcile_cmd::ReconcileArgs)` → `reconcile_cmd::run(args)` and
//! `GenerateRegisters(reconcile_cmd::GenerateArgs)` → `reconcile_cmd::generate(args)`.

use std::io::IsTerminal;
use std::path::PathBuf;

use amtsweg_reconcile::{Config, Progress};
use anyhow::Context;

/// Reconcile the local register (Ausländerdatei A) with the AZR extract.
#[derive(clap::Args, Debug)]
pub struct ReconcileArgs {
    /// The local register extract (`local.csv`).
    #[arg(long)]
    pub local: PathBuf,
    /// The AZR extract (`azr.csv`).
    #[arg(long)]
    pub azr: PathBuf,
    /// Output directory for links.csv, diffs.csv, classes.csv, summary.json, rejected.csv.
    #[arg(long)]
    pub out: PathBuf,
    /// Engine configuration (TOML, or JSON if the file ends in `.json`).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Output directory of a previous run: differences are marked new, changed, unchanged
    /// or decided (decisions read from its `decisions.csv`).
    #[arg(long)]
    pub previous: Option<PathBuf>,
}

/// Generate a synthetic pair of extracts with ground truth.
#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
    /// Number of persons.
    #[arg(long, default_value_t = 10_000)]
    pub persons: usize,
    /// Seed; the same seed gives the same files.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output directory for local.csv, azr.csv and the truth_*.csv files.
    #[arg(long)]
    pub out: PathBuf,
}

fn load_config(path: Option<&PathBuf>) -> anyhow::Result<Config> {
    let Some(path) = path else {
        return Ok(Config::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading configuration {}", path.display()))?;
    let config = if path.extension().is_some_and(|e| e == "json") {
        Config::from_json(&text)?
    } else {
        let c: Config = toml::from_str(&text)
            .with_context(|| format!("parsing configuration {}", path.display()))?;
        c.validate()?;
        c
    };
    Ok(config)
}

pub fn run(args: ReconcileArgs) -> anyhow::Result<()> {
    let config = load_config(args.config.as_ref())?;
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(1000)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {percent:>3}% {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let on_progress = |p: Progress| {
        bar.set_position((p.fraction * 1000.0) as u64);
        bar.set_message(p.stage);
    };
    let summary = amtsweg_reconcile::write::run_files_incremental(
        &args.local,
        &args.azr,
        &args.out,
        args.previous.as_deref(),
        &config,
        &on_progress,
    )
    .context("reconciliation failed")?;
    bar.finish_and_clear();
    println!(
        "local {} records, AZR {} records, {} rows rejected",
        summary.records_local, summary.records_azr, summary.rows_rejected
    );
    println!(
        "{} links, {} differing fields, incongruence rate {:.2} %",
        summary.links,
        summary.differences,
        summary.incongruence_rate * 100.0
    );
    for (class, count) in &summary.classes {
        println!(
            "  {class:<11} local {:>9}  azr {:>9}",
            count.local, count.azr
        );
    }
    let total_ms: u64 = summary.timings_ms.values().sum();
    println!("results in {} ({} ms)", args.out.display(), total_ms);
    Ok(())
}

pub fn generate(args: GenerateArgs) -> anyhow::Result<()> {
    let ds = amtsweg_reconcile::synth::generate(args.persons, args.seed);
    ds.write_dir(&args.out)
        .with_context(|| format!("writing {}", args.out.display()))?;
    println!(
        "wrote {} local and {} AZR records with ground truth to {}",
        ds.local.len(),
        ds.azr.len(),
        args.out.display()
    );
    Ok(())
}
