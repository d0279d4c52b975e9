//! Retention as data (`data/retention.toml`): which events move a person from Ausländerdatei A to B,
//! and after how many years a B record is deleted, by the reason it moved.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;

const RULES: &str = include_str!("../data/retention.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct MoveToB {
    pub event: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeleteB {
    pub reason: String,
    pub years: u32,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rules {
    pub move_to_b: Vec<MoveToB>,
    pub delete_b: Vec<DeleteB>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetentionError {
    #[error("retention rules are not valid: {0}")]
    Rules(String),
    #[error("`{0}` is not an event that moves a record to Ausländerdatei B")]
    UnknownEvent(String),
}

impl Rules {
    pub fn load() -> Result<Self, RetentionError> {
        let rules: Rules =
            toml::from_str(RULES).map_err(|err| RetentionError::Rules(err.to_string()))?;
        // Every event that moves a record to B has a deletion period.
        for m in &rules.move_to_b {
            if !rules.delete_b.iter().any(|d| d.reason == m.event) {
                return Err(RetentionError::Rules(format!(
                    "no deletion period for `{}`",
                    m.event
                )));
            }
        }
        Ok(rules)
    }

    /// Checks that an event moves a record to B; returns the legal source.
    pub fn move_event(&self, event: &str) -> Result<&MoveToB, RetentionError> {
        self.move_to_b
            .iter()
            .find(|m| m.event == event)
            .ok_or_else(|| RetentionError::UnknownEvent(event.to_owned()))
    }

    /// The day a B record that moved at `moved_at` for `reason` is due for deletion.
    pub fn deletion_due(&self, reason: &str, moved_at: DateTime<Utc>) -> Option<NaiveDate> {
        let rule = self.delete_b.iter().find(|d| d.reason == reason)?;
        add_years(moved_at.date_naive(), rule.years)
    }

    /// The first moment of moves into B that cannot be due on `today`: a record that moved at or
    /// after it is younger than the shortest deletion period. The daily listing reads only records
    /// that moved before it (an index range), and [`Rules::deletion_due`] decides each exactly.
    ///
    /// A move on day `d` is due once `d + years <= today`, that is `d < (today + 1 day) - years`;
    /// going back from 29 February to a common year lands on 1 March, so a 29 February move is
    /// kept in the range on the day [`add_years`] makes it due (28 February).
    pub fn listing_cutoff(&self, today: NaiveDate) -> Option<DateTime<Utc>> {
        let shortest = self.delete_b.iter().map(|d| d.years).min()?;
        let tomorrow = today.succ_opt()?;
        let year = tomorrow.year().checked_sub(i32::try_from(shortest).ok()?)?;
        let bound = tomorrow
            .with_year(year)
            .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))?;
        Some(bound.and_hms_opt(0, 0, 0)?.and_utc())
    }

    /// The rule's name as stored with a retention review.
    pub fn rule_name(&self, reason: &str) -> String {
        self.delete_b
            .iter()
            .find(|d| d.reason == reason)
            .map(|d| format!("B/{}/{}y", d.reason, d.years))
            .unwrap_or_else(|| format!("B/{reason}"))
    }
}

/// Adds whole years; 29 February becomes 28 February in a common year.
pub fn add_years(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    let year = date.year().checked_add(i32::try_from(years).ok()?)?;
    date.with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn periods_follow_the_reason() {
        let rules = Rules::load().unwrap();
        let moved = Utc.with_ymd_and_hms(2020, 2, 29, 12, 0, 0).unwrap();
        assert_eq!(
            rules.deletion_due("death", moved),
            NaiveDate::from_ymd_opt(2025, 2, 28)
        );
        assert_eq!(
            rules.deletion_due("naturalization", moved),
            NaiveDate::from_ymd_opt(2025, 2, 28)
        );
        assert_eq!(
            rules.deletion_due("moved_away", moved),
            NaiveDate::from_ymd_opt(2030, 2, 28)
        );
        assert_eq!(
            rules.deletion_due("handover", moved),
            NaiveDate::from_ymd_opt(2030, 2, 28)
        );
        assert!(rules.move_event("holiday").is_err());
        assert!(rules.move_event("death").is_ok());
    }

    #[test]
    fn the_listing_cutoff_keeps_exactly_the_records_that_can_be_due() {
        let rules = Rules::load().unwrap();
        let start = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        // Every "today" over three years (two 29 Februaries, their neighbours) against every move
        // within the shortest period's reach: a due record is always inside the cutoff, and for the
        // shortest period the cutoff selects nothing that is not due.
        for today_offset in (5 * 365)..(8 * 365 + 3) {
            let today = start + chrono::Duration::days(today_offset);
            let cutoff = rules.listing_cutoff(today).unwrap();
            for moved_offset in (today_offset - 5 * 366 - 3)..(today_offset - 5 * 365 + 3) {
                let moved = (start + chrono::Duration::days(moved_offset))
                    .and_hms_opt(23, 59, 59)
                    .unwrap()
                    .and_utc();
                let selected = moved < cutoff;
                for rule in &rules.delete_b {
                    let due = rules.deletion_due(&rule.reason, moved).unwrap() <= today;
                    assert!(!due || selected, "{today} {moved} {}", rule.reason);
                    if rule.years == 5 {
                        assert_eq!(due, selected, "{today} {moved} {}", rule.reason);
                    }
                }
            }
        }
    }

    #[test]
    fn deletion_is_never_before_the_move() {
        let rules = Rules::load().unwrap();
        for day in 0..2000 {
            let moved =
                Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::days(day);
            for m in &rules.move_to_b {
                let due = rules.deletion_due(&m.event, moved).unwrap();
                assert!(due > moved.date_naive() + chrono::Duration::days(365 * 5 - 2));
            }
        }
    }
}
