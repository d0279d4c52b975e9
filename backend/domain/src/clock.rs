//! Time is injected so that deadlines, token expiry and retention rules can be tested.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// The time zone of every NRW authority: deadlines, opening hours and every time shown to a person
/// are wall-clock times in Germany (CET/CEST).
pub const TIME_ZONE: Tz = chrono_tz::Europe::Berlin;

/// A point in time as the authority's clock shows it.
pub fn local(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&TIME_ZONE)
}

/// The authority's calendar date at `at`.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    local(at).date_naive()
}

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock; the only place that reads the system time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until told to move; for tests.
#[derive(Debug)]
pub struct FixedClock(std::sync::Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(std::sync::Mutex::new(at))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut guard = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
