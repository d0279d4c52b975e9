//! The statewide trend of the reconciliation with the AZR, from the counts every authority
//! publishes per run (never records): per month, each reporting authority's last run of that
//! month, weighted by the records it holds, so a large authority counts for what it is.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};
use uuid::Uuid;

/// One finished run's published counts.
#[derive(Debug, Clone, Copy)]
pub struct RunCounts {
    pub tenant: Uuid,
    pub finished_at: DateTime<Utc>,
    pub records: i64,
    /// Share of records that are not identical in both registers, 0–1.
    pub rate: f64,
}

/// The statewide figure of one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRate {
    pub year: i32,
    pub month: u32,
    /// Authorities with a run in that month.
    pub tenants: usize,
    pub records: i64,
    /// Incongruent records per 1,000, weighted by records.
    pub permille: i64,
}

/// The months with at least one run, oldest first.
pub fn monthly(runs: &[RunCounts]) -> Vec<MonthRate> {
    let mut last: BTreeMap<((i32, u32), Uuid), RunCounts> = BTreeMap::new();
    for run in runs {
        let key = (
            (run.finished_at.year(), run.finished_at.month()),
            run.tenant,
        );
        let later = last
            .get(&key)
            .is_none_or(|seen| seen.finished_at <= run.finished_at);
        if later {
            last.insert(key, *run);
        }
    }
    let mut months: BTreeMap<(i32, u32), (usize, i64, f64)> = BTreeMap::new();
    for ((month, _), run) in last {
        let records = run.records.max(0);
        let entry = months.entry(month).or_default();
        entry.0 += 1;
        entry.1 += records;
        entry.2 += run.rate.clamp(0.0, 1.0) * records as f64;
    }
    months
        .into_iter()
        .map(
            |((year, month), (tenants, records, incongruent))| MonthRate {
                year,
                month,
                tenants,
                records,
                permille: if records > 0 {
                    (incongruent * 1000.0 / records as f64).round() as i64
                } else {
                    0
                },
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;

    use super::*;

    fn run(tenant: u128, month: u32, day: u32, records: i64, rate: f64) -> RunCounts {
        RunCounts {
            tenant: Uuid::from_u128(tenant),
            finished_at: Utc.with_ymd_and_hms(2026, month, day, 12, 0, 0).unwrap(),
            records,
            rate,
        }
    }

    #[test]
    fn a_month_weighs_each_authoritys_last_run_by_its_records() {
        let months = monthly(&[
            run(1, 3, 20, 1_000, 0.50),
            run(1, 3, 2, 1_000, 0.90),
            run(2, 3, 5, 9_000, 0.10),
            run(2, 4, 5, 9_000, 0.08),
        ]);
        assert_eq!(
            months,
            vec![
                MonthRate {
                    year: 2026,
                    month: 3,
                    tenants: 2,
                    records: 10_000,
                    // (0.5 * 1,000 + 0.1 * 9,000) / 10,000 = 0.14; the earlier run of tenant 1 is
                    // replaced by its later one.
                    permille: 140,
                },
                MonthRate {
                    year: 2026,
                    month: 4,
                    tenants: 1,
                    records: 9_000,
                    permille: 80,
                },
            ]
        );
    }

    #[test]
    fn no_runs_no_months_and_empty_registers_do_not_divide_by_zero() {
        assert!(monthly(&[]).is_empty());
        assert_eq!(monthly(&[run(1, 1, 1, 0, 0.3)])[0].permille, 0);
    }
}
