//! Budgets, their use and forecasts per payer and year.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::rules::{CostKind, CostStatus, EfaService, FundingSource, Payer, rule};

/// The first and last year of forecasts.
pub const FORECAST_FROM: i32 = 2023;
pub const FORECAST_TO: i32 = 2027;

/// One cost as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerItem {
    pub service: Option<EfaService>,
    pub kind: CostKind,
    pub status: CostStatus,
    pub amount: Money,
    pub payer: Payer,
    pub source: FundingSource,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
}

/// A fund's figures: what it holds, what is bound, what is paid out, what is left.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundUse {
    pub total: Money,
    pub committed: Money,
    pub spent: Money,
}

impl FundUse {
    /// Left to bind: total minus committed and spent.
    pub fn left(&self) -> Money {
        self.total - self.committed - self.spent
    }
}

/// Use of one fund by a set of ledger items.
pub fn fund_use(total: Money, source: FundingSource, items: &[LedgerItem]) -> FundUse {
    let mut out = FundUse {
        total,
        ..FundUse::default()
    };
    for item in items.iter().filter(|item| item.source == source) {
        match item.status {
            CostStatus::Committed => out.committed += item.amount,
            CostStatus::Spent => out.spent += item.amount,
        }
    }
    out
}

/// Whether a cost may be booked on the lump sum: only for periods that start before it lapses.
pub fn lump_sum_usable(period_start: NaiveDate) -> bool {
    NaiveDate::from_ymd_opt(2025, 12, 31).is_some_and(|until| period_start <= until)
}

/// A subscription as the forecast needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForecastSubscription {
    pub service: EfaService,
    pub committed_on: Option<NaiveDate>,
}

/// Cost per payer and year from [`FORECAST_FROM`] to [`FORECAST_TO`].
///
/// Booked items count in the year their period starts. Operation is recurring: the latest booked
/// operation per service is carried forward, year by year, to 2027, and each future year's payer
/// follows the service rule (the state pays until 2026 for authorities that met the deadline).
pub fn forecast(
    items: &[LedgerItem],
    subscriptions: &[ForecastSubscription],
) -> BTreeMap<(i32, Payer), Money> {
    let mut out: BTreeMap<(i32, Payer), Money> = BTreeMap::new();
    for year in FORECAST_FROM..=FORECAST_TO {
        for payer in Payer::ALL {
            out.insert((year, *payer), Money::ZERO);
        }
    }
    let mut last_operation: BTreeMap<EfaService, (i32, Money)> = BTreeMap::new();
    for item in items {
        let year = item.period_start.year();
        if (FORECAST_FROM..=FORECAST_TO).contains(&year) {
            *out.entry((year, item.payer)).or_default() += item.amount;
        }
        if item.kind == CostKind::Operation
            && let Some(service) = item.service
        {
            let annual = annualize(item);
            let entry = last_operation.entry(service).or_insert((year, annual));
            if year >= entry.0 {
                *entry = (year, annual);
            }
        }
    }
    for (service, (last_year, annual)) in last_operation {
        let committed_on = subscriptions
            .iter()
            .find(|sub| sub.service == service)
            .and_then(|sub| sub.committed_on);
        for year in (last_year + 1)..=FORECAST_TO {
            let Some(mid_year) = NaiveDate::from_ymd_opt(year, 7, 1) else {
                continue;
            };
            let payer = rule(service).funding(committed_on, mid_year).payer;
            *out.entry((year, payer)).or_default() += annual;
        }
    }
    out
}

/// An operation item's cost scaled to a year (by days, in whole cents).
fn annualize(item: &LedgerItem) -> Money {
    let days = (item.period_end - item.period_start).num_days() + 1;
    if days <= 0 {
        return item.amount;
    }
    if (360..=366).contains(&days) {
        return item.amount;
    }
    Money::cents(
        i64::try_from(i128::from(item.amount.as_cents()) * 365 / i128::from(days))
            .unwrap_or(i64::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn item(
        kind: CostKind,
        status: CostStatus,
        euros: i64,
        source: FundingSource,
        start: NaiveDate,
        end: NaiveDate,
    ) -> LedgerItem {
        LedgerItem {
            service: Some(EfaService::Einbuergerung),
            kind,
            status,
            amount: Money::euros(euros),
            payer: source.payer(),
            source,
            period_start: start,
            period_end: end,
        }
    }

    #[test]
    fn fund_use_separates_committed_and_spent() {
        let items = [
            item(
                CostKind::Procurement,
                CostStatus::Spent,
                400,
                FundingSource::FederalLumpSum,
                day(2024, 3, 1),
                day(2024, 3, 1),
            ),
            item(
                CostKind::Procurement,
                CostStatus::Committed,
                100,
                FundingSource::FederalLumpSum,
                day(2025, 3, 1),
                day(2025, 3, 1),
            ),
            item(
                CostKind::Connection,
                CostStatus::Spent,
                2_142,
                FundingSource::StateBudget,
                day(2024, 8, 1),
                day(2024, 8, 1),
            ),
        ];
        let used = fund_use(Money::euros(1_000), FundingSource::FederalLumpSum, &items);
        assert_eq!(used.spent, Money::euros(400));
        assert_eq!(used.committed, Money::euros(100));
        assert_eq!(used.left(), Money::euros(500));
        assert!(lump_sum_usable(day(2025, 12, 31)) && !lump_sum_usable(day(2026, 1, 1)));
    }

    #[test]
    fn operation_is_carried_forward_and_switches_payer_in_2027() {
        let items = [item(
            CostKind::Operation,
            CostStatus::Spent,
            1_200,
            FundingSource::StateBudget,
            day(2025, 1, 1),
            day(2025, 12, 31),
        )];
        let subscriptions = [ForecastSubscription {
            service: EfaService::Einbuergerung,
            committed_on: Some(day(2024, 8, 15)),
        }];
        let out = forecast(&items, &subscriptions);
        assert_eq!(out[&(2025, Payer::State)], Money::euros(1_200));
        assert_eq!(out[&(2026, Payer::State)], Money::euros(1_200));
        assert_eq!(out[&(2027, Payer::State)], Money::ZERO);
        assert_eq!(out[&(2027, Payer::Municipality)], Money::euros(1_200));
        let late = [ForecastSubscription {
            service: EfaService::Einbuergerung,
            committed_on: Some(day(2024, 10, 1)),
        }];
        let out = forecast(&items, &late);
        assert_eq!(out[&(2026, Payer::Municipality)], Money::euros(1_200));
    }

    #[test]
    fn a_quarter_is_annualized() {
        let quarter = item(
            CostKind::Operation,
            CostStatus::Spent,
            300,
            FundingSource::StateBudget,
            day(2025, 1, 1),
            day(2025, 3, 31),
        );
        let annual = annualize(&quarter);
        assert!(
            annual > Money::euros(1_200) && annual < Money::euros(1_220),
            "{annual}"
        );
    }
}
