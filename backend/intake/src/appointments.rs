//! Appointment slots from opening hours, in the authorities' local time (Europe/Berlin).
//!
//! Opening hours are wall-clock times at the counter: "Monday 08:00–12:00" means 08:00 in Germany
//! in winter (07:00 UTC) and in summer (06:00 UTC). Slots are therefore laid out in local time and
//! only then converted to UTC for storage. On the spring switch the hour 02:00–03:00 does not
//! exist (such slots are skipped); on the autumn switch 02:00–03:00 happens twice (the first one
//! is offered, so a start is never ambiguous).

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::FieldErrors;

pub use amtsweg_domain::clock::{TIME_ZONE, local, local_date};

/// Bounds for a slot's length in minutes.
pub const SLOT_MINUTES: std::ops::RangeInclusive<u32> = 5..=240;

/// One weekday's opening hours of a resource (a counter, a biometrics station, an interpreter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningHours<R> {
    pub resource: R,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u32,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub slot_minutes: u32,
}

/// A bookable slot, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot<R> {
    pub resource: R,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A local wall-clock time on `date` in UTC; `None` inside the spring gap.
pub fn to_utc(date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    match TIME_ZONE.from_local_datetime(&date.and_time(time)) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        // The autumn hour that happens twice: its first occurrence.
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// The UTC bounds `[start, end)` of a local calendar day (23 or 25 hours long on a switch day).
pub fn day_bounds(date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start_of = |d: NaiveDate| {
        // Midnight always exists in Europe/Berlin (the switches happen at 02:00/03:00).
        to_utc(d, NaiveTime::MIN)
            .unwrap_or_else(|| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)))
    };
    let next = date.succ_opt().unwrap_or(date);
    (start_of(date), start_of(next))
}

/// The free slots of `days` local calendar days from `now`'s date on, earliest first. A slot is
/// free when it starts after `now` and no booking of its resource starts at the same instant.
pub fn free_slots<R: Copy + PartialEq>(
    hours: &[OpeningHours<R>],
    booked: &[(R, DateTime<Utc>)],
    now: DateTime<Utc>,
    days: u32,
) -> Vec<Slot<R>> {
    let first = local_date(now);
    let mut out = Vec::new();
    for date in first.iter_days().take(days as usize) {
        let weekday = date.weekday().number_from_monday();
        for h in hours.iter().filter(|h| h.weekday == weekday) {
            let step = Duration::minutes(i64::from(h.slot_minutes.max(*SLOT_MINUTES.start())));
            let mut start = h.opens;
            loop {
                let (end, wrapped) = start.overflowing_add_signed(step);
                if wrapped != 0 || end > h.closes {
                    break;
                }
                if let Some(starts_at) = to_utc(date, start) {
                    let taken = booked
                        .iter()
                        .any(|(r, s)| *r == h.resource && *s == starts_at);
                    if starts_at > now && !taken {
                        // The slot lasts its length in real time, also across a switch.
                        out.push(Slot {
                            resource: h.resource,
                            starts_at,
                            ends_at: starts_at + step,
                        });
                    }
                }
                start = end;
            }
        }
    }
    out.sort_by_key(|s| s.starts_at);
    out
}

/// Opening hours as entered (`HH:MM`), checked; errors keyed `{prefix}-opens`, `-closes`,
/// `-slot`, `-weekday`.
pub fn parse_hours<R>(
    resource: R,
    prefix: &str,
    weekday: &str,
    opens: &str,
    closes: &str,
    slot_minutes: &str,
    errors: &mut FieldErrors,
) -> Option<OpeningHours<R>> {
    let weekday = match weekday.trim().parse::<u32>() {
        Ok(d) if (1..=7).contains(&d) => Some(d),
        _ => {
            errors.insert(format!("{prefix}-weekday"), "intake-error-option".into());
            None
        }
    };
    let time = |key: &str, value: &str, errors: &mut FieldErrors| {
        let parsed = NaiveTime::parse_from_str(value.trim(), "%H:%M").ok();
        if parsed.is_none() {
            errors.insert(format!("{prefix}-{key}"), "intake-error-time".into());
        }
        parsed
    };
    let opens = time("opens", opens, errors);
    let closes = time("closes", closes, errors);
    if let (Some(o), Some(c)) = (opens, closes)
        && o >= c
    {
        errors.insert(
            format!("{prefix}-closes"),
            "intake-error-closes-before-opens".into(),
        );
        return None;
    }
    let slot_minutes = match slot_minutes.trim().parse::<u32>() {
        Ok(m) if SLOT_MINUTES.contains(&m) => Some(m),
        _ => {
            errors.insert(format!("{prefix}-slot"), "intake-error-slot-minutes".into());
            None
        }
    };
    Some(OpeningHours {
        resource,
        weekday: weekday?,
        opens: opens?,
        closes: closes?,
        slot_minutes: slot_minutes?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn hours(weekday: u32, opens: &str, closes: &str, slot: u32) -> OpeningHours<u8> {
        OpeningHours {
            resource: 1,
            weekday,
            opens: NaiveTime::parse_from_str(opens, "%H:%M").unwrap_or(NaiveTime::MIN),
            closes: NaiveTime::parse_from_str(closes, "%H:%M").unwrap_or(NaiveTime::MIN),
            slot_minutes: slot,
        }
    }

    #[test]
    fn slots_are_local_time_on_both_sides_of_the_spring_switch() {
        // Saturday 28 March 2026; the clocks go forward on Sunday 29 March at 02:00.
        let now = at("2026-03-28T12:00:00Z");
        let free = free_slots(
            &[
                hours(5, "08:00", "09:00", 30),
                hours(1, "08:00", "09:00", 30),
            ],
            &[],
            now,
            9,
        );
        let starts: Vec<_> = free.iter().map(|s| s.starts_at).collect();
        assert_eq!(
            starts,
            vec![
                // Monday 30 March, summer time (UTC+2): 08:00 local = 06:00 UTC.
                at("2026-03-30T06:00:00Z"),
                at("2026-03-30T06:30:00Z"),
                // Friday 3 April, still summer time.
                at("2026-04-03T06:00:00Z"),
                at("2026-04-03T06:30:00Z"),
            ]
        );
        // The Friday before the switch was winter time (UTC+1): 08:00 local = 07:00 UTC.
        let winter = free_slots(
            &[hours(5, "08:00", "09:00", 30)],
            &[],
            at("2026-03-26T00:00:00Z"),
            2,
        );
        assert_eq!(winter[0].starts_at, at("2026-03-27T07:00:00Z"));
        assert!(
            free.iter()
                .all(|s| local(s.starts_at).format("%H:%M").to_string().as_str() >= "08:00")
        );
    }

    #[test]
    fn the_missing_and_the_doubled_hour_are_handled() {
        // Sunday 29 March 2026: 02:00–03:00 does not exist; only 01:00–02:00 and 03:00–04:00 do.
        let spring = free_slots(
            &[hours(7, "01:00", "04:00", 60)],
            &[],
            at("2026-03-28T12:00:00Z"),
            2,
        );
        let local_starts: Vec<_> = spring
            .iter()
            .map(|s| local(s.starts_at).format("%H:%M").to_string())
            .collect();
        assert_eq!(local_starts, vec!["01:00", "03:00"]);
        assert!(
            spring
                .iter()
                .all(|s| s.ends_at - s.starts_at == Duration::hours(1))
        );
        // Sunday 25 October 2026: 02:00 happens twice; the slot starts at the first (00:00 UTC).
        let autumn = free_slots(
            &[hours(7, "02:00", "03:00", 60)],
            &[],
            at("2026-10-24T12:00:00Z"),
            2,
        );
        assert_eq!(autumn.len(), 1);
        assert_eq!(autumn[0].starts_at, at("2026-10-25T00:00:00Z"));
        // A local day is 23 hours in spring and 25 in autumn.
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        let (s, e) = day_bounds(d("2026-03-29"));
        assert_eq!(e - s, Duration::hours(23));
        let (s, e) = day_bounds(d("2026-10-25"));
        assert_eq!(e - s, Duration::hours(25));
        assert_eq!(s, at("2026-10-24T22:00:00Z"));
    }

    #[test]
    fn booked_and_past_slots_are_not_offered() {
        // Monday 2 February 2026, 08:10 local: the 08:00 slot has begun.
        let now = at("2026-02-02T07:10:00Z");
        let h = [hours(1, "08:00", "10:00", 30)];
        let booked = [(1u8, at("2026-02-02T08:00:00Z"))];
        let free = free_slots(&h, &booked, now, 1);
        let starts: Vec<_> = free.iter().map(|s| s.starts_at).collect();
        assert_eq!(
            starts,
            vec![at("2026-02-02T07:30:00Z"), at("2026-02-02T08:30:00Z")]
        );
    }

    #[test]
    fn hours_are_validated_with_an_error_per_field() {
        let mut errors = FieldErrors::new();
        assert!(parse_hours(1u8, "h0", "8", "9:7x", "08:00", "2", &mut errors).is_none());
        assert_eq!(
            errors.get("h0-weekday").map(String::as_str),
            Some("intake-error-option")
        );
        assert_eq!(
            errors.get("h0-opens").map(String::as_str),
            Some("intake-error-time")
        );
        assert_eq!(
            errors.get("h0-slot").map(String::as_str),
            Some("intake-error-slot-minutes")
        );
        let mut errors = FieldErrors::new();
        assert!(parse_hours(1u8, "h1", "1", "12:00", "08:00", "30", &mut errors).is_none());
        assert_eq!(
            errors.get("h1-closes").map(String::as_str),
            Some("intake-error-closes-before-opens")
        );
        let mut errors = FieldErrors::new();
        let ok = parse_hours(1u8, "h2", "3", "08:00", "12:30", "20", &mut errors);
        assert!(errors.is_empty());
        assert_eq!(ok.map(|h| (h.weekday, h.slot_minutes)), Some((3, 20)));
    }
}
