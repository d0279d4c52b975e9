//! `amtsweg`: one binary for the platform. `amtsweg serve` runs the web server and its workers;
//! the other subcommands are the operator's tools.

use amtsweg::{
    catalog, config, demo, pik_simulate, reconcile_cmd, seed_cases, seed_rollout, startup,
};

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "amtsweg",
    version,
    about = "Amtsweg: digital migration administration for North Rhine-Westphalia"
)]
struct Cli {
    /// Configuration file (TOML); also `AMTSWEG_CONFIG`. Environment variables override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server and the background workers. Without DATABASE_URL it starts the embedded
    /// default: SQLite under ./data, migrations applied, catalog imported, demo accounts created.
    Serve,
    /// Apply database migrations (as the schema owner: AMTSWEG_MIGRATION_DATABASE_URL).
    Migrate,
    /// The tenant catalog.
    Tenants {
        #[command(subcommand)]
        command: TenantsCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Reconcile a local register extract with an AZR extract (no database or server needed).
    Reconcile(reconcile_cmd::ReconcileArgs),
    /// Generate a synthetic pair of register extracts with ground truth, for tests and benchmarks.
    GenerateRegisters(reconcile_cmd::GenerateArgs),
    /// Print the OpenAPI document of the JSON API.
    Openapi,
    /// PIK-Chassis tools.
    Pik {
        #[command(subcommand)]
        command: PikCommand,
    },
    /// Demo helpers for the embedded default.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Synthetic data for benchmarks.
    Seed {
        #[command(subcommand)]
        command: SeedCommand,
    },
}

#[derive(Subcommand)]
enum SeedCommand {
    /// Persons, cases with history and e-file records for one tenant (PostgreSQL).
    Cases(seed_cases::SeedCasesArgs),
    /// Subscriptions, ledgers, devices, surveys and reconciliation counts for every ABH and
    /// Einbürgerungsbehörde of the catalog (the ministry console's benchmark).
    Rollout(seed_rollout::SeedRolloutArgs),
}

#[derive(Subcommand)]
enum TenantsCommand {
    /// Import the catalog (idempotent): prints what it added, changed and left alone.
    Import {
        /// A directory of catalog TOML files; default: the catalog built into the binary.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Show the plan without changing anything.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute a tenant's hash chain and report changed, deleted or cut-off entries.
    Verify {
        /// Tenant slug, or `platform` for the operator's chain.
        #[arg(long)]
        tenant: String,
    },
}

#[derive(Subcommand)]
enum PikCommand {
    /// Behave like a registration kit: registrations with retries, duplicates, bad records and
    /// lost connections, and heartbeats; prints a JSON report (needs no database).
    Simulate(pik_simulate::SimulateArgs),
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Print the current TOTP code of a demo account (embedded default only).
    Totp { email: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Reconcile(args) => reconcile_cmd::run(args).map(|()| ExitCode::SUCCESS),
        Command::GenerateRegisters(args) => {
            reconcile_cmd::generate(args).map(|()| ExitCode::SUCCESS)
        }
        Command::Openapi => {
            println!("{}", amtsweg_http::openapi::document_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Pik {
            command: PikCommand::Simulate(args),
        } => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(anyhow::Error::from)
            .and_then(|runtime| runtime.block_on(pik_simulate::command(args)))
            .map(|()| ExitCode::SUCCESS),
        command => run_async(cli.config, command),
    };
    result.unwrap_or_else(|err| {
        eprintln!("error: {err:#}");
        ExitCode::FAILURE
    })
}

fn run_async(config: Option<PathBuf>, command: Command) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let config = config::Config::load(config.as_deref())?;
        startup::init_tracing(&config);
        match command {
            Command::Serve => startup::serve(config).await.map(|()| ExitCode::SUCCESS),
            Command::Migrate => startup::migrate(&config).await.map(|()| ExitCode::SUCCESS),
            Command::Tenants {
                command: TenantsCommand::Import { dir, dry_run },
            } => catalog::import_command(&config, dir.as_deref(), dry_run)
                .await
                .map(|()| ExitCode::SUCCESS),
            Command::Audit {
                command: AuditCommand::Verify { tenant },
            } => startup::audit_verify(&config, &tenant).await,
            Command::Demo {
                command: DemoCommand::Totp { email },
            } => demo::print_totp(&config, &email)
                .await
                .map(|()| ExitCode::SUCCESS),
            Command::Seed {
                command: SeedCommand::Cases(args),
            } => seed_cases::run(&config, &args)
                .await
                .map(|()| ExitCode::SUCCESS),
            Command::Seed {
                command: SeedCommand::Rollout(args),
            } => seed_rollout::run(&config, &args)
                .await
                .map(|()| ExitCode::SUCCESS),
            Command::Reconcile(_)
            | Command::GenerateRegisters(_)
            | Command::Openapi
            | Command::Pik { .. } => Ok(ExitCode::SUCCESS),
        }
    })
}
