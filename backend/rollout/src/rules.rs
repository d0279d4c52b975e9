//! EfA services and the NRW cost rules, as data.
//!
//! Source: the NRW report to the Landtag (Vorlage 18/3107) and d-NRW's page on the EfA service
//! "Einbürgerung" (see `shared/domain/reference.md` § 5.4): the state pays installation and operating
//! costs until 31 Dec 2026 for authorities that committed by the deadline of the service; later
//! joiners pay from their own budget; the connection to "Einbürgerung" costs EUR 1,800 plus VAT.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::text_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EfaService {
    Einbuergerung,
    Aufenthalt,
    Verpflichtungserklaerung,
}

text_enum!(EfaService, {
    Einbuergerung => "einbuergerung",
    Aufenthalt => "aufenthalt",
    Verpflichtungserklaerung => "verpflichtungserklaerung",
});

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// Not (yet) joined.
    NotCommitted,
    /// The authority declared it will reuse the service.
    Committed,
    /// The connection is live.
    Connected,
    /// The service is not used; the authority uses its vendor's own solution.
    VendorSolution,
}

text_enum!(SubscriptionStatus, {
    NotCommitted => "not_committed",
    Committed => "committed",
    Connected => "connected",
    VendorSolution => "vendor_solution",
});

/// Who bears a cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// The Land NRW.
    State,
    /// The authority's municipality or Kreis.
    Municipality,
}

text_enum!(Payer, { State => "state", Municipality => "municipality" });

/// Which budget a cost is paid from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    /// The federal lump sum passed on to the ABH (EUR 50 million, usable until 31 Dec 2025).
    FederalLumpSum,
    /// The state's own budget: Einzelplan 08, Titelgruppe 75 (EUR 9 million).
    StateBudget,
    /// The municipality's own budget.
    MunicipalBudget,
}

text_enum!(FundingSource, {
    FederalLumpSum => "federal_lump_sum",
    StateBudget => "state_budget",
    MunicipalBudget => "municipal_budget",
});

impl FundingSource {
    /// Who pays out of this fund: the lump sum was paid to the ABH, so they spend it.
    pub const fn payer(self) -> Payer {
        match self {
            FundingSource::StateBudget => Payer::State,
            FundingSource::FederalLumpSum | FundingSource::MunicipalBudget => Payer::Municipality,
        }
    }
}

/// What a ledger item is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    /// One-off connection to an EfA service.
    Connection,
    /// Operation for a period.
    Operation,
    /// Procurement of hardware or software.
    Procurement,
}

text_enum!(CostKind, {
    Connection => "connection",
    Operation => "operation",
    Procurement => "procurement",
});

/// Whether money is only bound or already paid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostStatus {
    Committed,
    Spent,
}

text_enum!(CostStatus, { Committed => "committed", Spent => "spent" });

/// The rule of one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceRule {
    pub service: EfaService,
    /// Whether NRW takes up this EfA service at all.
    pub taken_up: bool,
    /// Authorities that committed on or before this day get state funding.
    pub commitment_deadline: Option<(i32, u32, u32)>,
    /// The last day the state pays for them.
    pub state_pays_until: Option<(i32, u32, u32)>,
    /// One-off connection cost per authority, net; `None` where no figure is public.
    pub connection_net: Option<Money>,
}

/// The rules, as data.
pub const RULES: &[ServiceRule] = &[
    ServiceRule {
        service: EfaService::Einbuergerung,
        taken_up: true,
        commitment_deadline: Some((2024, 9, 1)),
        state_pays_until: Some((2026, 12, 31)),
        connection_net: Some(Money::euros(1_800)),
    },
    ServiceRule {
        service: EfaService::Aufenthalt,
        taken_up: true,
        commitment_deadline: Some((2024, 11, 15)),
        state_pays_until: Some((2026, 12, 31)),
        // [gap] no public figure for the Aufenthalt connection.
        connection_net: None,
    },
    ServiceRule {
        service: EfaService::Verpflichtungserklaerung,
        taken_up: false,
        commitment_deadline: None,
        state_pays_until: None,
        connection_net: None,
    },
];

fn date((y, m, d): (i32, u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

pub fn rule(service: EfaService) -> ServiceRule {
    RULES
        .iter()
        .copied()
        .find(|rule| rule.service == service)
        .unwrap_or(ServiceRule {
            service,
            taken_up: false,
            commitment_deadline: None,
            state_pays_until: None,
            connection_net: None,
        })
}

impl ServiceRule {
    pub fn deadline(&self) -> Option<NaiveDate> {
        self.commitment_deadline.and_then(date)
    }

    pub fn state_pays_until_date(&self) -> Option<NaiveDate> {
        self.state_pays_until.and_then(date)
    }

    /// Whether an authority that committed on `committed_on` met the deadline.
    pub fn met_deadline(&self, committed_on: NaiveDate) -> bool {
        self.deadline()
            .is_some_and(|deadline| committed_on <= deadline)
    }

    /// The payer and fund of this service's costs incurred on `on`, for an authority that committed
    /// on `committed_on` (`None`: not committed).
    pub fn funding(&self, committed_on: Option<NaiveDate>, on: NaiveDate) -> Funding {
        if !self.taken_up {
            // Vendors' own solutions, paid by the ABH from the lump sum while it is usable.
            let lump_sum_until = NaiveDate::from_ymd_opt(2025, 12, 31);
            let source = if lump_sum_until.is_some_and(|until| on <= until) {
                FundingSource::FederalLumpSum
            } else {
                FundingSource::MunicipalBudget
            };
            return Funding {
                payer: Payer::Municipality,
                source,
            };
        }
        let state = committed_on.is_some_and(|day| self.met_deadline(day))
            && self
                .state_pays_until_date()
                .is_some_and(|until| on <= until);
        if state {
            Funding {
                payer: Payer::State,
                source: FundingSource::StateBudget,
            }
        } else {
            Funding {
                payer: Payer::Municipality,
                source: FundingSource::MunicipalBudget,
            }
        }
    }

    /// The connection cost, gross, with its payer, for an authority committing on `committed_on`.
    pub fn connection_cost(&self, committed_on: NaiveDate) -> Option<(Money, Funding)> {
        let net = self.connection_net?;
        Some((
            net.with_vat(),
            self.funding(Some(committed_on), committed_on),
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funding {
    pub payer: Payer,
    pub source: FundingSource,
}

/// The calendar year of a day, as used for budgets and forecasts.
pub fn year(day: NaiveDate) -> i32 {
    day.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn committing_by_the_deadline_means_the_state_pays_until_2026() {
        let rule = rule(EfaService::Einbuergerung);
        let on_time = Some(day(2024, 9, 1));
        assert_eq!(rule.funding(on_time, day(2025, 6, 1)).payer, Payer::State);
        assert_eq!(rule.funding(on_time, day(2026, 12, 31)).payer, Payer::State);
        assert_eq!(
            rule.funding(on_time, day(2027, 1, 1)).payer,
            Payer::Municipality
        );
        let late = Some(day(2024, 9, 2));
        assert_eq!(
            rule.funding(late, day(2025, 6, 1)).payer,
            Payer::Municipality
        );
        assert_eq!(
            rule.funding(None, day(2025, 6, 1)).payer,
            Payer::Municipality
        );
    }

    #[test]
    fn aufenthalt_has_its_own_deadline() {
        let rule = rule(EfaService::Aufenthalt);
        assert!(rule.met_deadline(day(2024, 11, 15)));
        assert!(!rule.met_deadline(day(2024, 11, 16)));
        assert_eq!(
            rule.funding(Some(day(2024, 10, 1)), day(2025, 1, 1)).source,
            FundingSource::StateBudget
        );
    }

    #[test]
    fn the_einbuergerung_connection_costs_1800_plus_vat() {
        let rule = rule(EfaService::Einbuergerung);
        let (amount, funding) = rule
            .connection_cost(day(2024, 8, 1))
            .unwrap_or_default_pair();
        assert_eq!(amount, Money::euros(2_142));
        assert_eq!(funding.payer, Payer::State);
        let (_, late) = rule
            .connection_cost(day(2024, 12, 1))
            .unwrap_or_default_pair();
        assert_eq!(late.source, FundingSource::MunicipalBudget);
    }

    #[test]
    fn verpflichtungserklaerung_is_a_vendor_solution_from_the_lump_sum() {
        let rule = rule(EfaService::Verpflichtungserklaerung);
        assert!(!rule.taken_up);
        let funding = rule.funding(Some(day(2024, 1, 1)), day(2025, 3, 1));
        assert_eq!(funding.source, FundingSource::FederalLumpSum);
        assert_eq!(funding.payer, Payer::Municipality);
        assert_eq!(
            rule.funding(None, day(2026, 1, 1)).source,
            FundingSource::MunicipalBudget
        );
    }

    trait OrDefault {
        fn unwrap_or_default_pair(self) -> (Money, Funding);
    }

    impl OrDefault for Option<(Money, Funding)> {
        fn unwrap_or_default_pair(self) -> (Money, Funding) {
            self.unwrap_or((
                Money::ZERO,
                Funding {
                    payer: Payer::Municipality,
                    source: FundingSource::MunicipalBudget,
                },
            ))
        }
    }
}
