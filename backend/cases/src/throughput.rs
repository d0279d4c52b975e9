//! Throughput time per step and per process, measured from the routing history.
//!
//! A case enters a step when the history records a move into it (the opening, or any transition
//! whose target differs from its origin) and leaves it at the next such move. Staying actions
//! (take, ask, reply, comment, reminders) do not end a stay. A step the case is still in, and the
//! end step, have no leaving time and are not measured. The case's throughput time runs from its
//! opening to its decision.
//!
//! Figures are the number of measured stays, the median and the 90th percentile (nearest rank).
//! [`MIN_GROUP`] is the smallest group whose figures leave the authority: a smaller group could
//! point at a single case and its clerk.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Groups with fewer measurements are not shown outside the authority.
pub const MIN_GROUP: u64 = 5;

/// One entry of a case's routing history, in the order of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryStep<'a> {
    pub at: DateTime<Utc>,
    pub from_step: Option<&'a str>,
    pub to_step: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub measured: u64,
    pub median_seconds: i64,
    pub p90_seconds: i64,
}

impl Figures {
    /// Figures of a set of durations; `None` for an empty set.
    pub fn of(durations: &mut [i64]) -> Option<Self> {
        if durations.is_empty() {
            return None;
        }
        durations.sort_unstable();
        let rank = |p: usize| {
            // Nearest rank: the smallest value with at least p % of the values at or below it.
            let n = durations.len();
            let index = (p * n).div_ceil(100).clamp(1, n) - 1;
            durations[index]
        };
        Some(Figures {
            measured: durations.len() as u64,
            median_seconds: rank(50),
            p90_seconds: rank(90),
        })
    }

    /// Whether the group is large enough to be shown outside the authority.
    pub fn publishable(&self) -> bool {
        self.measured >= MIN_GROUP
    }
}

/// The durations of every completed stay of one case, as (step, seconds).
pub fn stays(history: &[HistoryStep<'_>]) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    let mut current: Option<(&str, DateTime<Utc>)> = None;
    for entry in history {
        let Some(to) = entry.to_step else { continue };
        let moves = entry.from_step != Some(to);
        if !moves {
            continue;
        }
        if let Some((step, since)) = current {
            out.push((step.to_owned(), (entry.at - since).num_seconds().max(0)));
        }
        current = Some((to, entry.at));
    }
    out
}

/// Collects stays and case durations of a process and turns them into figures.
#[derive(Debug, Default)]
pub struct Collector {
    steps: BTreeMap<(String, String), Vec<i64>>,
    cases: BTreeMap<String, Vec<i64>>,
}

/// The figures of one process: the whole case (`step` empty) and each step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub process: String,
    /// Empty for the whole case.
    pub step: String,
    pub figures: Figures,
}

impl Collector {
    pub fn add_case(
        &mut self,
        process: &str,
        history: &[HistoryStep<'_>],
        opened: DateTime<Utc>,
        decided: Option<DateTime<Utc>>,
    ) {
        for (step, seconds) in stays(history) {
            self.steps
                .entry((process.to_owned(), step))
                .or_default()
                .push(seconds);
        }
        if let Some(decided) = decided {
            self.cases
                .entry(process.to_owned())
                .or_default()
                .push((decided - opened).num_seconds().max(0));
        }
    }

    pub fn rows(mut self) -> Vec<Row> {
        let mut out = Vec::new();
        for (process, durations) in &mut self.cases {
            if let Some(figures) = Figures::of(durations) {
                out.push(Row {
                    process: process.clone(),
                    step: String::new(),
                    figures,
                });
            }
        }
        for ((process, step), durations) in &mut self.steps {
            if let Some(figures) = Figures::of(durations) {
                out.push(Row {
                    process: process.clone(),
                    step: step.clone(),
                    figures,
                });
            }
        }
        out.sort_by(|a, b| (&a.process, &a.step).cmp(&(&b.process, &b.step)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::hours(hours)
    }

    #[test]
    fn a_stay_runs_from_entering_a_step_to_leaving_it() {
        let history = [
            HistoryStep {
                at: at(0),
                from_step: None,
                to_step: Some("check"),
            },
            HistoryStep {
                at: at(2),
                from_step: Some("check"),
                to_step: Some("check"),
            }, // take
            HistoryStep {
                at: at(5),
                from_step: Some("check"),
                to_step: Some("ba"),
            },
            HistoryStep {
                at: at(29),
                from_step: Some("ba"),
                to_step: Some("approve"),
            },
            HistoryStep {
                at: at(30),
                from_step: Some("approve"),
                to_step: Some("check"),
            }, // return
            HistoryStep {
                at: at(33),
                from_step: Some("check"),
                to_step: Some("approve"),
            },
            HistoryStep {
                at: at(34),
                from_step: Some("approve"),
                to_step: Some("done"),
            },
        ];
        let got = stays(&history);
        let hours: Vec<(&str, i64)> = got
            .iter()
            .map(|(s, secs)| (s.as_str(), secs / 3600))
            .collect();
        assert_eq!(
            hours,
            vec![
                ("check", 5),
                ("ba", 24),
                ("approve", 1),
                ("check", 3),
                ("approve", 1)
            ]
        );
        // Still in a step: nothing measured for it yet.
        assert_eq!(stays(&history[..3]).len(), 1);
    }

    #[test]
    fn median_and_p90_use_the_nearest_rank() {
        let mut ten: Vec<i64> = (1..=10).rev().collect();
        let f = Figures::of(&mut ten).unwrap();
        assert_eq!((f.measured, f.median_seconds, f.p90_seconds), (10, 5, 9));
        let f = Figures::of(&mut [7]).unwrap();
        assert_eq!((f.median_seconds, f.p90_seconds), (7, 7));
        assert!(!f.publishable());
        assert!(Figures::of(&mut []).is_none());
    }

    #[test]
    fn the_collector_reports_cases_and_steps_per_process() {
        let mut c = Collector::default();
        for i in 0..3 {
            let history = [
                HistoryStep {
                    at: at(0),
                    from_step: None,
                    to_step: Some("check"),
                },
                HistoryStep {
                    at: at(i + 1),
                    from_step: Some("check"),
                    to_step: Some("done"),
                },
            ];
            c.add_case("p", &history, at(0), Some(at(i + 1)));
        }
        c.add_case(
            "p",
            &[HistoryStep {
                at: at(0),
                from_step: None,
                to_step: Some("check"),
            }],
            at(0),
            None,
        );
        let rows = c.rows();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].step.as_str(), rows[0].figures.measured), ("", 3));
        assert_eq!(
            (rows[1].step.as_str(), rows[1].figures.median_seconds),
            ("check", 2 * 3600)
        );
    }
}
