//! `amtsweg seed rollout`: gives every ABH and Einbürgerungsbehörde of the catalog the
//! rollout data of a realistic state at the end of 2026, for the ministry console's benchmark.
//!
//! Per authority: its EfA subscriptions (most committed before the deadline, some after, a few
//! not at all; the Verpflichtungserklärung as the vendor's own solution), a cost ledger that
//! follows the cost rules (connection, monthly operation from the connection on, procurement of
//! each device, costs committed for 2027), its devices (PIK-Chassis kits at 59 of the 81 ABH,
//! SINA workstations, terminals, pickup boxes) in every state of their life, quarterly
//! digitalization surveys since 2023, the onboarding checklist, and monthly reconciliation
//! aggregates since 2025 whose incongruence rate falls from about 10 % as records are mended.
//! Counts only and synthetic serials: no person's data. Works on both backends through the store,
//! so row-level security applies; a second run refuses instead of doubling the data.

use amtsweg_domain::TenantId;
use amtsweg_rollout::rules::{CostKind, CostStatus, EfaService, FundingSource, Payer, rule};
use amtsweg_store::Database;
use amtsweg_store::reconciliation::{Aggregate, put_aggregate};
use amtsweg_store::rollout as store;
use anyhow::{Context, bail};
use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct SeedRolloutArgs {
    /// Seed of the synthetic data; the same seed gives the same figures.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// What was written, for the operator and the benchmark's record.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub tenants: usize,
    pub rows: usize,
}

const CHECKLIST: &[&str] = &[
    "admins_with_mfa",
    "users_and_roles",
    "services_activated",
    "file_plan",
    "hardware_received",
    "vendor_interface",
    "data_protection_contact",
];
const VENDORS: &[&str] = &["advis", "ab-data", "OK.VISA", "Komm.ONE", "eigene Lösung"];
/// The last month with data: the state of the rollout the console shows.
const UNTIL: (i32, u32) = (2026, 11);
/// ABH that take PIK-Chassis kits, of 81 (the report's figure).
const PIK_ABH: usize = 59;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn month_end(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(first)
}

fn at_noon(on: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&on.and_hms_opt(12, 0, 0).unwrap_or_default())
}

/// Seeds every eligible tenant; refuses when the rollout data of the catalog is already seeded.
pub async fn run(config: &Config, args: &SeedRolloutArgs) -> anyhow::Result<()> {
    let db = Database::connect(&config.database_url, 2).await?;
    let seeded = seed(&db, args.seed, Utc::now()).await?;
    println!(
        "seeded {} rows of rollout data for {} authorities",
        seeded.rows, seeded.tenants
    );
    Ok(())
}

pub async fn seed(db: &Database, seed: u64, now: DateTime<Utc>) -> anyhow::Result<Seeded> {
    let mut rng = StdRng::seed_from_u64(seed);
    let all = amtsweg_store::tenants::list(db.connection()).await?;
    let mut seeded = Seeded::default();
    let mut abh = 0usize;
    for tenant in &all {
        let services: &[EfaService] = match tenant.kind.as_str() {
            "abh" => &[EfaService::Aufenthalt, EfaService::Verpflichtungserklaerung],
            "einbuergerungsbehoerde" => &[EfaService::Einbuergerung],
            _ => continue,
        };
        let tx = db.tenant(TenantId(tenant.id)).await?;
        if store::devices(&tx)
            .await?
            .iter()
            .any(|d| d.serial.starts_with("SEED-"))
        {
            bail!(
                "`{}` already holds seeded rollout data; seed a fresh database",
                tenant.slug
            );
        }
        let mut rows = 0usize;
        for &service in services {
            rows += seed_service(&tx, &mut rng, tenant.id, service, now).await?;
        }
        let pik = tenant.kind == "abh" && abh < PIK_ABH;
        abh += usize::from(tenant.kind == "abh");
        rows += seed_devices(&tx, &mut rng, seeded.tenants, pik, now).await?;
        rows += seed_surveys(&tx, &mut rng, services[0], now).await?;
        let done = rng.gen_range(3..=CHECKLIST.len());
        for (i, item) in CHECKLIST.iter().enumerate() {
            store::set_checklist_item(&tx, item, i < done, "", None, now).await?;
            rows += 1;
        }
        tx.commit().await?;
        if tenant.kind == "abh" {
            rows += seed_reconciliation(db, &mut rng, tenant.id).await?;
        }
        seeded.tenants += 1;
        seeded.rows += rows;
    }
    Ok(seeded)
}

/// A subscription and the ledger that follows from it under the cost rules.
async fn seed_service(
    tx: &amtsweg_store::TenantTx,
    rng: &mut StdRng,
    tenant: Uuid,
    service: EfaService,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let rule = rule(service);
    let mut rows = 1;
    if !rule.taken_up {
        store::upsert_subscription(
            tx,
            &store::Subscription {
                tenant_id: tenant,
                service: service.to_string(),
                status: "vendor_solution".into(),
                committed_on: None,
                connected_on: None,
                payer: Payer::Municipality.to_string(),
            },
            now,
        )
        .await?;
        // The vendor's module, paid monthly from the lump sum while it lasts.
        for first in months(day(2024, 1, 1)) {
            rows += ledger(
                tx,
                service,
                CostKind::Operation,
                first,
                45_000,
                rng,
                &rule,
                None,
            )
            .await?;
        }
        return Ok(rows);
    }
    let deadline = rule.deadline().unwrap_or(day(2024, 9, 1));
    let roll = rng.gen_range(0..100);
    let committed_on = match roll {
        0..=74 => Some(deadline - chrono::Duration::days(rng.gen_range(1..200))),
        75..=93 => Some(deadline + chrono::Duration::days(rng.gen_range(1..400))),
        _ => None,
    };
    // Some connections are still being set up.
    let waiting = rng.gen_bool(0.12);
    let connected_on = committed_on
        .map(|on| on + chrono::Duration::days(rng.gen_range(60..420)))
        .filter(|on| !waiting && *on <= day(UNTIL.0, UNTIL.1, 28));
    let status = match (committed_on, connected_on) {
        (None, _) => "not_committed",
        (Some(_), None) => "committed",
        (Some(_), Some(_)) => "connected",
    };
    let payer = committed_on
        .map(|on| rule.funding(Some(on), on).payer)
        .unwrap_or(Payer::Municipality);
    store::upsert_subscription(
        tx,
        &store::Subscription {
            tenant_id: tenant,
            service: service.to_string(),
            status: status.into(),
            committed_on,
            connected_on,
            payer: payer.to_string(),
        },
        now,
    )
    .await?;
    let Some(committed_on) = committed_on else {
        return Ok(rows);
    };
    if let Some((money, _)) = rule.connection_cost(committed_on) {
        let first = day(committed_on.year(), committed_on.month(), 1);
        rows += ledger(
            tx,
            service,
            CostKind::Connection,
            first,
            money.0,
            rng,
            &rule,
            Some(committed_on),
        )
        .await?;
    }
    if let Some(connected_on) = connected_on {
        let first = day(connected_on.year(), connected_on.month(), 1);
        for month in months(first) {
            let cents = rng.gen_range(18_000..32_000);
            rows += ledger(
                tx,
                service,
                CostKind::Operation,
                month,
                cents,
                rng,
                &rule,
                Some(committed_on),
            )
            .await?;
        }
        // Operation in 2027, committed: what the forecast reads.
        rows += ledger(
            tx,
            service,
            CostKind::Operation,
            day(2027, 1, 1),
            rng.gen_range(250_000..380_000),
            rng,
            &rule,
            Some(committed_on),
        )
        .await?;
    }
    Ok(rows)
}

/// The first days of the months from `first` to the seeded state.
fn months(first: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let until = day(UNTIL.0, UNTIL.1, 1);
    std::iter::successors(Some(first), |m| m.checked_add_months(Months::new(1)))
        .take_while(move |m| *m <= until)
}

#[expect(
    clippy::too_many_arguments,
    reason = "one ledger line of a seeded ledger"
)]
async fn ledger(
    tx: &amtsweg_store::TenantTx,
    service: EfaService,
    kind: CostKind,
    first: NaiveDate,
    cents: i64,
    rng: &mut StdRng,
    rule: &amtsweg_rollout::rules::ServiceRule,
    committed_on: Option<NaiveDate>,
) -> anyhow::Result<usize> {
    let funding = rule.funding(committed_on, first);
    let period_end = if first.year() >= 2027 {
        day(2027, 12, 31)
    } else {
        month_end(first)
    };
    let status = if first > day(UNTIL.0, UNTIL.1, 1) {
        CostStatus::Committed
    } else {
        CostStatus::Spent
    };
    store::add_cost(
        tx,
        &store::Cost {
            id: Uuid::now_v7(),
            service: Some(service.to_string()),
            device_id: None,
            kind: kind.to_string(),
            status: status.to_string(),
            amount_cents: cents,
            payer: funding.payer.to_string(),
            funding_source: funding.source.to_string(),
            period_start: first,
            period_end,
            document_ref: format!(
                "SEED-RE-{}-{:05}",
                first.format("%Y%m"),
                rng.gen_range(0..100_000)
            ),
        },
        at_noon(first),
    )
    .await?;
    Ok(1)
}

/// Devices in every state of their life, each with its procurement in the ledger.
async fn seed_devices(
    tx: &amtsweg_store::TenantTx,
    rng: &mut StdRng,
    index: usize,
    pik: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let mut wanted: Vec<(&str, i64)> = Vec::new();
    if pik {
        for _ in 0..rng.gen_range(1..=3) {
            wanted.push(("pik_chassis", 2_450_000));
        }
    }
    for _ in 0..rng.gen_range(1..=6) {
        wanted.push(("sina_workstation", 380_000));
    }
    for _ in 0..rng.gen_range(0..=2) {
        wanted.push(("self_service_terminal", 1_150_000));
    }
    if rng.gen_bool(0.4) {
        wanted.push(("pickup_box", 2_900_000));
    }
    let mut rows = 0;
    for (k, (kind, cents)) in wanted.into_iter().enumerate() {
        let state = match rng.gen_range(0..100) {
            0..=4 => "requested",
            5..=9 => "approved",
            10..=17 => "ordered",
            18..=25 => "delivered",
            26..=33 => "installed",
            34..=91 => "active",
            92..=96 => "defect",
            _ => "returned",
        };
        let bought = day(2024, 1, 1) + chrono::Duration::days(rng.gen_range(0..1000));
        let expires = day(2026, 12, 1) + chrono::Duration::days(rng.gen_range(0..700));
        let id = Uuid::now_v7();
        // Procured from the lump sum while it lasted, then from the municipal budget.
        let (payer, source) = if bought <= day(2025, 12, 31) {
            (Payer::State, FundingSource::FederalLumpSum)
        } else {
            (Payer::Municipality, FundingSource::MunicipalBudget)
        };
        let heartbeat = (kind == "pik_chassis" && state == "active")
            .then(|| now - chrono::Duration::minutes(rng.gen_range(1..(60 * 24 * 10))));
        store::create_device(
            tx,
            &store::Device {
                id,
                kind: kind.into(),
                serial: format!("SEED-{index:03}-{k:02}"),
                state: state.into(),
                certificate_expires_on: Some(expires),
                smartcard_expires_on: Some(expires - chrono::Duration::days(rng.gen_range(0..120))),
                software_version: ["1.4.2", "1.4.1", "1.3.9"][rng.gen_range(0..3)].into(),
                cost_cents: cents,
                payer: payer.to_string(),
                last_heartbeat_at: heartbeat,
                reported_state: if heartbeat.is_some() { "ready" } else { "" }.into(),
            },
            now,
        )
        .await?;
        if !matches!(state, "requested" | "approved") {
            store::add_cost(
                tx,
                &store::Cost {
                    id: Uuid::now_v7(),
                    service: None,
                    device_id: Some(id),
                    kind: CostKind::Procurement.to_string(),
                    status: CostStatus::Spent.to_string(),
                    amount_cents: cents,
                    payer: payer.to_string(),
                    funding_source: source.to_string(),
                    period_start: bought,
                    period_end: bought,
                    document_ref: format!("SEED-BE-{index:03}-{k:02}"),
                },
                now,
            )
            .await?;
            rows += 1;
        }
        rows += 1;
    }
    Ok(rows)
}

/// Quarterly digitalization surveys since 2023, maturity rising over time.
async fn seed_surveys(
    tx: &amtsweg_store::TenantTx,
    rng: &mut StdRng,
    service: EfaService,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let vendor = VENDORS[rng.gen_range(0..VENDORS.len())];
    let mut share = rng.gen_range(5..40);
    let mut level = rng.gen_range(0..2);
    let mut rows = 0;
    for quarter in 0..16u32 {
        let on = day(2023 + (quarter / 4) as i32, 1 + (quarter % 4) * 3, 15);
        if on > now.date_naive() {
            break;
        }
        share = (share + rng.gen_range(0..8)).min(100);
        if rng.gen_bool(0.2) {
            level = (level + 1).min(4);
        }
        store::add_survey(
            tx,
            &store::DigitalizationSurvey {
                id: Uuid::now_v7(),
                surveyed_on: on,
                service: service.to_string(),
                vendor: vendor.into(),
                dms: share > 20,
                scanning: share > 35,
                efile_share_pct: share,
                online_services: level + i32::from(share > 50),
                level_ozg: level,
                level_2025: (level * 7 + 2) / 4,
            },
            now,
        )
        .await?;
        rows += 1;
    }
    Ok(rows)
}

/// Monthly reconciliation runs' counts since 2025 (platform table, counts only).
async fn seed_reconciliation(
    db: &Database,
    rng: &mut StdRng,
    tenant: Uuid,
) -> anyhow::Result<usize> {
    let records: i64 = rng.gen_range(8_000..120_000);
    let mut rate = rng.gen_range(0.075..0.11);
    let mut rows = 0;
    for first in months(day(2025, 1, 1)) {
        let different = (records as f64 * rate * 0.55) as i64;
        let only_local = (records as f64 * rate * 0.2) as i64;
        let only_azr = (records as f64 * rate * 0.15) as i64;
        let duplicate = (records as f64 * rate * 0.07) as i64;
        let ambiguous = (records as f64 * rate * 0.03) as i64;
        let identical = records - different - only_local - duplicate - ambiguous;
        put_aggregate(
            db.connection(),
            Aggregate {
                run_id: Uuid::now_v7(),
                tenant_id: tenant,
                finished_at: at_noon(first + chrono::Duration::days(rng.gen_range(0..25))),
                records_local: records,
                records_azr: records - only_local + only_azr,
                links: identical + different,
                differences: different * 2,
                count_identical: identical,
                count_different: different,
                count_only_local: only_local,
                count_only_azr: only_azr,
                count_duplicate: duplicate,
                count_ambiguous: ambiguous,
                incongruence_rate: rate,
            },
        )
        .await
        .with_context(|| format!("reconciliation aggregate of {first}"))?;
        // Records get mended month by month, with setbacks when new data arrives.
        rate = (rate * rng.gen_range(0.93..1.02)).clamp(0.02, 0.12);
        rows += 1;
    }
    Ok(rows)
}
