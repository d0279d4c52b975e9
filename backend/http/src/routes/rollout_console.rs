//! The ministry console's figures, computed from live data on every request.
//!
//! Reads the tenant catalog (a platform table) and the rollout administration tables through the
//! aggregate transaction; never persons, registrations or any other personal data. The figures
//! feed the JSON API, the pages, the SVG charts and the CSV/XLSX exports alike.

use std::collections::{BTreeMap, BTreeSet};

use amtsweg_frontend::model::{
    ConsoleForecast, ConsoleFund, ConsoleHardware, ConsoleMaturity, ConsoleMissed,
    ConsoleReconciliation, ConsoleRegion, ConsoleService, ConsoleTenant, MinistryConsole,
};
use amtsweg_rollout::budget::{self, ForecastSubscription, LedgerItem};
use amtsweg_rollout::checklist::ChecklistItem;
use amtsweg_rollout::device::{DeviceKind, DeviceState, Health, health};
use amtsweg_rollout::export::Table;
use amtsweg_rollout::rules::{
    CostStatus, EfaService, FundingSource, Payer, SubscriptionStatus, rule,
};
use amtsweg_rollout::{Money, incongruence, ozg};
use amtsweg_store::rollout as store;
use amtsweg_store::tenants;
use chrono::Datelike;
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;

/// The kind of authority that can use a service.
fn eligible_kind(service: EfaService) -> &'static str {
    match service {
        EfaService::Einbuergerung => "einbuergerungsbehoerde",
        EfaService::Aufenthalt | EfaService::Verpflichtungserklaerung => "abh",
    }
}

/// Splits the federal lump sum equally across the ABH of the catalog where no allocation is
/// stored yet. [gap] The real per-ABH split is not public; the ministry overwrites it as data.
pub(crate) async fn ensure_allocations(
    state: &AppState,
    all: &[tenants::Tenant],
) -> Result<(), AppError> {
    let conn = state.db.connection();
    let existing = store::allocations(conn).await?;
    if existing
        .iter()
        .any(|(_, fund, _)| fund == FundingSource::FederalLumpSum.as_str())
    {
        return Ok(());
    }
    let funds = store::funds(conn).await?;
    let Some(lump) = funds
        .iter()
        .find(|f| f.id == FundingSource::FederalLumpSum.as_str())
    else {
        return Ok(());
    };
    let abh: Vec<&tenants::Tenant> = all.iter().filter(|t| t.kind == "abh").collect();
    let shares = Money::cents(lump.total_cents).split(abh.len());
    for (tenant, share) in abh.iter().zip(shares) {
        store::set_allocation(
            conn,
            tenant.id,
            FundingSource::FederalLumpSum.as_str(),
            share.as_cents(),
            "equal split across the catalog's ABH (placeholder until the ministry sets the key)",
        )
        .await?;
    }
    Ok(())
}

fn date(day: chrono::NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Every figure of the console.
pub async fn overview(state: &AppState) -> Result<MinistryConsole, AppError> {
    let now = state.clock.now();
    let today = now.date_naive();
    let all = tenants::list(state.db.connection()).await?;
    ensure_allocations(state, &all).await?;
    let funds = store::funds(state.db.connection()).await?;
    let allocations = store::allocations(state.db.connection()).await?;
    let agg = store::AggregateTx::begin(&state.db).await?;
    let subs = store::all_subscriptions(&agg).await?;
    let checklist_done = store::all_checklist_done(&agg).await?;
    let costs = store::cost_groups(&agg).await?;
    let devices = store::device_facts(&agg).await?;
    let levels = store::survey_levels(&agg).await?;
    agg.finish().await?;

    let known: BTreeSet<Uuid> = all.iter().map(|t| t.id).collect();
    // Counts per reconciliation run (a platform table), oldest first.
    let runs: Vec<incongruence::RunCounts> =
        amtsweg_store::reconciliation::list_aggregates(state.db.connection())
            .await?
            .into_iter()
            .filter(|a| known.contains(&a.tenant_id))
            .map(|a| incongruence::RunCounts {
                tenant: a.tenant_id,
                finished_at: a.finished_at,
                records: a.records_local,
                rate: a.incongruence_rate,
            })
            .collect();
    let committed = |s: &store::Subscription| s.status == "committed" || s.status == "connected";

    // Services.
    let services: Vec<ConsoleService> = EfaService::ALL
        .iter()
        .map(|service| {
            let r = rule(*service);
            let eligible: BTreeSet<Uuid> = all
                .iter()
                .filter(|t| t.kind == eligible_kind(*service))
                .map(|t| t.id)
                .collect();
            let of_service: Vec<&store::Subscription> = subs
                .iter()
                .filter(|s| s.service == service.as_str() && eligible.contains(&s.tenant_id))
                .collect();
            ConsoleService {
                service: service.as_str().to_owned(),
                eligible: eligible.len(),
                committed: of_service.iter().filter(|s| committed(s)).count(),
                committed_by_deadline: of_service
                    .iter()
                    .filter(|s| committed(s))
                    .filter(|s| s.committed_on.is_some_and(|d| r.met_deadline(d)))
                    .count(),
                connected: of_service
                    .iter()
                    .filter(|s| s.status == SubscriptionStatus::Connected.as_str())
                    .count(),
                vendor_solution: of_service
                    .iter()
                    .filter(|s| s.status == SubscriptionStatus::VendorSolution.as_str())
                    .count(),
                deadline: r.deadline().map(date),
                taken_up: r.taken_up,
            }
        })
        .collect();

    // Deadlines missed: eligible tenants without a commitment by the deadline, once it passed.
    let mut missed_deadlines = Vec::new();
    for service in EfaService::ALL {
        let r = rule(*service);
        let Some(deadline) = r.deadline() else {
            continue;
        };
        if today <= deadline {
            continue;
        }
        for tenant in all.iter().filter(|t| t.kind == eligible_kind(*service)) {
            let sub = subs
                .iter()
                .find(|s| s.tenant_id == tenant.id && s.service == service.as_str());
            let on_time = sub
                .filter(|s| committed(s))
                .and_then(|s| s.committed_on)
                .is_some_and(|d| r.met_deadline(d));
            if !on_time {
                missed_deadlines.push(ConsoleMissed {
                    tenant: tenant.name.clone(),
                    service: service.as_str().to_owned(),
                    deadline: date(deadline),
                    committed_on: sub
                        .filter(|s| committed(s))
                        .and_then(|s| s.committed_on)
                        .map(date),
                });
            }
        }
    }

    // Money.
    let items: Vec<(Uuid, LedgerItem)> = costs
        .iter()
        .filter_map(|c| {
            Some((
                c.tenant_id,
                LedgerItem {
                    service: c.service.as_deref().and_then(|s| s.parse().ok()),
                    kind: c.kind.parse().ok()?,
                    status: c.status.parse().ok()?,
                    amount: Money::cents(c.amount_cents),
                    payer: c.payer.parse().ok()?,
                    source: c.funding_source.parse().ok()?,
                    period_start: c.period_start,
                    period_end: c.period_end,
                },
            ))
        })
        .collect();
    let all_items: Vec<LedgerItem> = items.iter().map(|(_, i)| i.clone()).collect();
    let funds_view: Vec<ConsoleFund> = funds
        .iter()
        .filter_map(|f| {
            let source: FundingSource = f.id.parse().ok()?;
            let used = budget::fund_use(Money::cents(f.total_cents), source, &all_items);
            Some(ConsoleFund {
                fund: f.id.clone(),
                reference: f.budget_reference.clone(),
                usable_until: f.usable_until.map(date),
                total_cents: used.total.as_cents(),
                committed_cents: used.committed.as_cents(),
                spent_cents: used.spent.as_cents(),
                left_cents: if used.total == Money::ZERO {
                    0
                } else {
                    used.left().as_cents()
                },
            })
        })
        .collect();
    // Forecast: per tenant (operation carries forward per tenant and service), then summed.
    let mut forecast: BTreeMap<(i32, Payer), Money> = BTreeMap::new();
    for tenant in &known {
        let tenant_items: Vec<LedgerItem> = items
            .iter()
            .filter(|(t, _)| t == tenant)
            .map(|(_, i)| i.clone())
            .collect();
        if tenant_items.is_empty() {
            continue;
        }
        let tenant_subs: Vec<ForecastSubscription> = subs
            .iter()
            .filter(|s| s.tenant_id == *tenant)
            .filter_map(|s| {
                Some(ForecastSubscription {
                    service: s.service.parse().ok()?,
                    committed_on: s.committed_on,
                })
            })
            .collect();
        for (key, amount) in budget::forecast(&tenant_items, &tenant_subs) {
            *forecast.entry(key).or_default() += amount;
        }
    }
    let forecast: Vec<ConsoleForecast> = (budget::FORECAST_FROM..=budget::FORECAST_TO)
        .map(|year| ConsoleForecast {
            year,
            state_cents: forecast
                .get(&(year, Payer::State))
                .copied()
                .unwrap_or_default()
                .as_cents(),
            municipality_cents: forecast
                .get(&(year, Payer::Municipality))
                .copied()
                .unwrap_or_default()
                .as_cents(),
        })
        .collect();

    // Hardware and health.
    let hardware: Vec<ConsoleHardware> = DeviceKind::ALL
        .iter()
        .map(|kind| {
            let of_kind: Vec<(&store::DeviceFacts, Option<DeviceState>)> = devices
                .iter()
                .filter(|d| d.kind == kind.as_str())
                .map(|d| (d, d.state.parse().ok()))
                .collect();
            let delivered = |s: &Option<DeviceState>| s.is_some_and(DeviceState::is_delivered);
            ConsoleHardware {
                kind: kind.as_str().to_owned(),
                total: of_kind.len(),
                delivered: of_kind.iter().filter(|(_, s)| delivered(s)).count(),
                active: of_kind
                    .iter()
                    .filter(|(_, s)| *s == Some(DeviceState::Active))
                    .count(),
                defect: of_kind
                    .iter()
                    .filter(|(_, s)| *s == Some(DeviceState::Defect))
                    .count(),
                tenants_delivered: of_kind
                    .iter()
                    .filter(|(_, s)| delivered(s))
                    .map(|(d, _)| d.tenant_id)
                    .collect::<BTreeSet<_>>()
                    .len(),
            }
        })
        .collect();
    let pik_chassis_tenants = hardware
        .iter()
        .find(|h| h.kind == DeviceKind::PikChassis.as_str())
        .map(|h| h.tenants_delivered)
        .unwrap_or(0);
    let device_health_of = |d: &store::DeviceFacts| {
        d.state
            .parse::<DeviceState>()
            .map(|s| {
                health(
                    s,
                    d.last_heartbeat_at,
                    d.certificate_expires_on,
                    d.smartcard_expires_on,
                    now,
                )
            })
            .unwrap_or(Health::Inactive)
    };
    let device_health: Vec<(String, usize)> = Health::ALL
        .iter()
        .map(|h| {
            (
                h.as_str().to_owned(),
                devices.iter().filter(|d| device_health_of(d) == *h).count(),
            )
        })
        .collect();

    // Maturity: the latest survey per tenant and service, and the trend per year.
    let mut latest: BTreeMap<(Uuid, String), &store::SurveyLevel> = BTreeMap::new();
    for level in &levels {
        latest.insert((level.tenant_id, level.service.clone()), level);
    }
    let maturity: Vec<ConsoleMaturity> = EfaService::ALL
        .iter()
        .map(|service| {
            let current: Vec<&&store::SurveyLevel> = latest
                .iter()
                .filter(|((_, s), _)| s == service.as_str())
                .map(|(_, l)| l)
                .collect();
            let to_u8 = |v: i32| u8::try_from(v).unwrap_or(0);
            let mut by_year: BTreeMap<i32, Vec<u8>> = BTreeMap::new();
            for level in levels.iter().filter(|l| l.service == service.as_str()) {
                by_year
                    .entry(level.surveyed_on.year())
                    .or_default()
                    .push(to_u8(level.level_ozg));
            }
            ConsoleMaturity {
                service: service.as_str().to_owned(),
                tenants_surveyed: current.len(),
                mean_ozg_tenths: ozg::mean_tenths(
                    &current
                        .iter()
                        .map(|l| to_u8(l.level_ozg))
                        .collect::<Vec<_>>(),
                ),
                mean_2025_tenths: ozg::mean_tenths(
                    &current
                        .iter()
                        .map(|l| to_u8(l.level_2025))
                        .collect::<Vec<_>>(),
                ),
                trend: by_year
                    .into_iter()
                    .filter_map(|(year, v)| Some((year, ozg::mean_tenths(&v)?)))
                    .collect(),
            }
        })
        .collect();

    // Per tenant.
    let checklist_total = ChecklistItem::ALL.len();
    let tenants_view: Vec<ConsoleTenant> = all
        .iter()
        .map(|t| {
            let tenant_subs: Vec<(String, String, Option<String>, Option<String>)> = subs
                .iter()
                .filter(|s| s.tenant_id == t.id)
                .map(|s| {
                    (
                        s.service.clone(),
                        s.status.clone(),
                        s.committed_on.map(date),
                        s.connected_on.map(date),
                    )
                })
                .collect();
            let tenant_devices: Vec<&store::DeviceFacts> =
                devices.iter().filter(|d| d.tenant_id == t.id).collect();
            let newest = levels.iter().rev().find(|l| l.tenant_id == t.id);
            ConsoleTenant {
                id: t.id.to_string(),
                name: t.name.clone(),
                kind: t.kind.clone(),
                regierungsbezirk: t.regierungsbezirk.clone().unwrap_or_default(),
                lifecycle: t.lifecycle.clone(),
                checklist_done: checklist_done
                    .iter()
                    .filter(|(tenant, item)| {
                        *tenant == t.id && item.parse::<ChecklistItem>().is_ok()
                    })
                    .count(),
                checklist_total,
                services: tenant_subs,
                devices_delivered: tenant_devices
                    .iter()
                    .filter(|d| {
                        d.state
                            .parse::<DeviceState>()
                            .is_ok_and(DeviceState::is_delivered)
                    })
                    .count(),
                devices_critical: tenant_devices
                    .iter()
                    .filter(|d| device_health_of(d) == Health::Critical)
                    .count(),
                level_ozg: newest.map(|l| l.level_ozg),
                level_2025: newest.map(|l| l.level_2025),
                allocated_cents: allocations
                    .iter()
                    .filter(|(tenant, fund, _)| {
                        *tenant == t.id && fund == FundingSource::FederalLumpSum.as_str()
                    })
                    .map(|(_, _, cents)| cents)
                    .sum(),
                spent_cents: items
                    .iter()
                    .filter(|(tenant, i)| {
                        *tenant == t.id
                            && i.source == FundingSource::FederalLumpSum
                            && i.status == CostStatus::Spent
                    })
                    .map(|(_, i)| i.amount.as_cents())
                    .sum(),
                incongruent_permille: incongruence::monthly(
                    &runs
                        .iter()
                        .filter(|r| r.tenant == t.id)
                        .copied()
                        .collect::<Vec<_>>(),
                )
                .last()
                .map(|m| m.permille),
            }
        })
        .collect();

    // Regions.
    let mut regions: BTreeMap<String, ConsoleRegion> = BTreeMap::new();
    for t in &tenants_view {
        if t.regierungsbezirk.is_empty() {
            continue;
        }
        let region = regions
            .entry(t.regierungsbezirk.clone())
            .or_insert_with(|| ConsoleRegion {
                regierungsbezirk: t.regierungsbezirk.clone(),
                ..ConsoleRegion::default()
            });
        region.tenants += 1;
        region.live += usize::from(t.lifecycle == "live");
        let has = |service: EfaService| {
            t.services.iter().any(|(s, status, _, _)| {
                s == service.as_str() && (status == "committed" || status == "connected")
            })
        };
        region.einbuergerung_committed += usize::from(has(EfaService::Einbuergerung));
        region.aufenthalt_committed += usize::from(has(EfaService::Aufenthalt));
        region.devices_delivered += t.devices_delivered;
    }
    for region in regions.values_mut() {
        let region_levels: Vec<u8> = tenants_view
            .iter()
            .filter(|t| t.regierungsbezirk == region.regierungsbezirk)
            .filter_map(|t| t.level_ozg.and_then(|l| u8::try_from(l).ok()))
            .collect();
        region.mean_level_tenths = ozg::mean_tenths(&region_levels);
    }

    let mut by_lifecycle: BTreeMap<String, usize> = BTreeMap::new();
    for t in &all {
        *by_lifecycle.entry(t.lifecycle.clone()).or_default() += 1;
    }
    Ok(MinistryConsole {
        as_of: date(today),
        tenants_total: all.len(),
        by_lifecycle: by_lifecycle.into_iter().collect(),
        services,
        funds: funds_view,
        hardware,
        pik_chassis_tenants,
        device_health,
        regions: regions.into_values().collect(),
        missed_deadlines,
        forecast,
        maturity,
        reconciliation: incongruence::monthly(&runs)
            .into_iter()
            .map(|m| ConsoleReconciliation {
                month: format!("{}-{:02}", m.year, m.month),
                tenants_reporting: m.tenants,
                records: m.records,
                incongruent_permille: m.permille,
            })
            .collect(),
        tenants: tenants_view,
    })
}

fn euros(cents: i64) -> String {
    Money::cents(cents).to_plain()
}

/// The console's tables for CSV and XLSX, with stable English column names.
pub fn tables(c: &MinistryConsole) -> Vec<Table> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let tenth = |v: Option<u32>| {
        v.map(|t| format!("{}.{}", t / 10, t % 10))
            .unwrap_or_default()
    };
    vec![
        Table {
            title: "services".into(),
            headers: [
                "service",
                "eligible",
                "committed",
                "committed_by_deadline",
                "connected",
                "vendor_solution",
                "deadline",
            ]
            .map(String::from)
            .to_vec(),
            rows: c
                .services
                .iter()
                .map(|s| {
                    vec![
                        s.service.clone(),
                        s.eligible.to_string(),
                        s.committed.to_string(),
                        s.committed_by_deadline.to_string(),
                        s.connected.to_string(),
                        s.vendor_solution.to_string(),
                        opt(&s.deadline),
                    ]
                })
                .collect(),
        },
        Table {
            title: "funds".into(),
            headers: [
                "fund",
                "reference",
                "usable_until",
                "total_eur",
                "committed_eur",
                "spent_eur",
                "left_eur",
            ]
            .map(String::from)
            .to_vec(),
            rows: c
                .funds
                .iter()
                .map(|f| {
                    vec![
                        f.fund.clone(),
                        f.reference.clone(),
                        opt(&f.usable_until),
                        euros(f.total_cents),
                        euros(f.committed_cents),
                        euros(f.spent_cents),
                        euros(f.left_cents),
                    ]
                })
                .collect(),
        },
        Table {
            title: "forecast".into(),
            headers: ["year", "state_eur", "municipality_eur"]
                .map(String::from)
                .to_vec(),
            rows: c
                .forecast
                .iter()
                .map(|f| {
                    vec![
                        f.year.to_string(),
                        euros(f.state_cents),
                        euros(f.municipality_cents),
                    ]
                })
                .collect(),
        },
        Table {
            title: "hardware".into(),
            headers: [
                "kind",
                "total",
                "delivered",
                "active",
                "defect",
                "tenants_delivered",
            ]
            .map(String::from)
            .to_vec(),
            rows: c
                .hardware
                .iter()
                .map(|h| {
                    vec![
                        h.kind.clone(),
                        h.total.to_string(),
                        h.delivered.to_string(),
                        h.active.to_string(),
                        h.defect.to_string(),
                        h.tenants_delivered.to_string(),
                    ]
                })
                .collect(),
        },
        Table {
            title: "regions".into(),
            headers: [
                "regierungsbezirk",
                "tenants",
                "live",
                "einbuergerung_committed",
                "aufenthalt_committed",
                "devices_delivered",
                "mean_ozg_level",
            ]
            .map(String::from)
            .to_vec(),
            rows: c
                .regions
                .iter()
                .map(|r| {
                    vec![
                        r.regierungsbezirk.clone(),
                        r.tenants.to_string(),
                        r.live.to_string(),
                        r.einbuergerung_committed.to_string(),
                        r.aufenthalt_committed.to_string(),
                        r.devices_delivered.to_string(),
                        tenth(r.mean_level_tenths),
                    ]
                })
                .collect(),
        },
        Table {
            title: "missed_deadlines".into(),
            headers: ["authority", "service", "deadline", "committed_on"]
                .map(String::from)
                .to_vec(),
            rows: c
                .missed_deadlines
                .iter()
                .map(|m| {
                    vec![
                        m.tenant.clone(),
                        m.service.clone(),
                        m.deadline.clone(),
                        opt(&m.committed_on),
                    ]
                })
                .collect(),
        },
        Table {
            title: "tenants".into(),
            headers: [
                "authority",
                "kind",
                "regierungsbezirk",
                "lifecycle",
                "checklist_done",
                "checklist_total",
                "einbuergerung",
                "aufenthalt",
                "devices_delivered",
                "devices_critical",
                "level_ozg",
                "level_2025",
                "lump_sum_allocated_eur",
                "lump_sum_spent_eur",
                "incongruence_percent",
            ]
            .map(String::from)
            .to_vec(),
            rows: c
                .tenants
                .iter()
                .map(|t| {
                    let status = |service: &str| {
                        t.services
                            .iter()
                            .find(|(s, ..)| s == service)
                            .map(|(_, status, ..)| status.clone())
                            .unwrap_or_default()
                    };
                    vec![
                        t.name.clone(),
                        t.kind.clone(),
                        t.regierungsbezirk.clone(),
                        t.lifecycle.clone(),
                        t.checklist_done.to_string(),
                        t.checklist_total.to_string(),
                        status("einbuergerung"),
                        status("aufenthalt"),
                        t.devices_delivered.to_string(),
                        t.devices_critical.to_string(),
                        t.level_ozg.map(|l| l.to_string()).unwrap_or_default(),
                        t.level_2025.map(|l| l.to_string()).unwrap_or_default(),
                        euros(t.allocated_cents),
                        euros(t.spent_cents),
                        t.incongruent_permille.map(percent).unwrap_or_default(),
                    ]
                })
                .collect(),
        },
        Table {
            title: "reconciliation".into(),
            headers: [
                "month",
                "authorities_reporting",
                "records",
                "incongruence_percent",
            ]
            .map(String::from)
            .to_vec(),
            rows: c
                .reconciliation
                .iter()
                .map(|m| {
                    vec![
                        m.month.clone(),
                        m.tenants_reporting.to_string(),
                        m.records.to_string(),
                        percent(m.incongruent_permille),
                    ]
                })
                .collect(),
        },
    ]
}

/// Per mille as a percentage with one decimal, `102` → `10.2`.
fn percent(permille: i64) -> String {
    format!("{}.{}", permille / 10, (permille % 10).abs())
}
