//! The device registry's vocabulary and state machine.
//!
//! requested → approved → ordered → delivered → installed → active; a delivered, installed or active
//! device can turn defect; a defect device is repaired (installed again) or returned; an active
//! device can be returned; a request can be withdrawn (returned) before it is ordered.

use serde::{Deserialize, Serialize};

use crate::text_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// NRW's registration kit replacing the federal PIK station.
    PikChassis,
    /// BSI-approved secure workstation for European registers.
    SinaWorkstation,
    SelfServiceTerminal,
    PickupBox,
}

text_enum!(DeviceKind, {
    PikChassis => "pik_chassis",
    SinaWorkstation => "sina_workstation",
    SelfServiceTerminal => "self_service_terminal",
    PickupBox => "pickup_box",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    Requested,
    Approved,
    Ordered,
    Delivered,
    Installed,
    Active,
    Defect,
    Returned,
}

text_enum!(DeviceState, {
    Requested => "requested",
    Approved => "approved",
    Ordered => "ordered",
    Delivered => "delivered",
    Installed => "installed",
    Active => "active",
    Defect => "defect",
    Returned => "returned",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a device cannot move from {from} to {to}")]
pub struct DeviceTransitionError {
    pub from: DeviceState,
    pub to: DeviceState,
}

impl DeviceState {
    pub const fn allowed_transitions(self) -> &'static [DeviceState] {
        use DeviceState::*;
        match self {
            Requested => &[Approved, Returned],
            Approved => &[Ordered, Returned],
            Ordered => &[Delivered],
            Delivered => &[Installed, Defect, Returned],
            Installed => &[Active, Defect],
            Active => &[Defect, Returned],
            Defect => &[Installed, Returned],
            Returned => &[],
        }
    }

    pub fn transition_to(self, next: DeviceState) -> Result<DeviceState, DeviceTransitionError> {
        if self.allowed_transitions().contains(&next) {
            Ok(next)
        } else {
            Err(DeviceTransitionError {
                from: self,
                to: next,
            })
        }
    }

    /// Whether the hardware has reached the authority (counts as "delivered" in the console).
    pub const fn is_delivered(self) -> bool {
        matches!(
            self,
            DeviceState::Delivered
                | DeviceState::Installed
                | DeviceState::Active
                | DeviceState::Defect
        )
    }

    /// Whether a kit in this state may authenticate and send registrations.
    pub const fn may_send(self) -> bool {
        matches!(self, DeviceState::Installed | DeviceState::Active)
    }
}

/// What the console says about a device's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// A heartbeat within the last hour and certificates valid for more than 30 days.
    Ok,
    /// Certificate or smartcard expires within 30 days, or no heartbeat for over an hour.
    Warning,
    /// Defect, expired certificate or smartcard, or no heartbeat for over a day.
    Critical,
    /// Not in operation (not yet installed, or returned).
    Inactive,
}

text_enum!(Health, { Ok => "ok", Warning => "warning", Critical => "critical", Inactive => "inactive" });

/// Health from state, last heartbeat and expiry dates; `now` and the dates in UTC.
pub fn health(
    state: DeviceState,
    last_heartbeat: Option<chrono::DateTime<chrono::Utc>>,
    certificate_expires: Option<chrono::NaiveDate>,
    smartcard_expires: Option<chrono::NaiveDate>,
    now: chrono::DateTime<chrono::Utc>,
) -> Health {
    if state == DeviceState::Defect {
        return Health::Critical;
    }
    if !state.may_send() {
        return Health::Inactive;
    }
    let today = now.date_naive();
    let expiries = [certificate_expires, smartcard_expires];
    if expiries.iter().flatten().any(|day| *day < today) {
        return Health::Critical;
    }
    let silent = last_heartbeat.map(|at| now - at);
    if silent.is_none_or(|gap| gap > chrono::Duration::days(1)) {
        return if state == DeviceState::Active {
            Health::Critical
        } else {
            Health::Warning
        };
    }
    let soon = today + chrono::Duration::days(30);
    if expiries.iter().flatten().any(|day| *day <= soon)
        || silent.is_some_and(|gap| gap > chrono::Duration::hours(1))
    {
        return Health::Warning;
    }
    Health::Ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn the_happy_path_and_the_defects() {
        use DeviceState::*;
        let mut state = Requested;
        for next in [
            Approved, Ordered, Delivered, Installed, Active, Defect, Installed, Active, Returned,
        ] {
            state = state.transition_to(next).unwrap_or(state);
            assert_eq!(state, next);
        }
        assert!(Ordered.transition_to(Active).is_err());
        assert!(Returned.transition_to(Requested).is_err());
        assert!(Delivered.is_delivered() && !Ordered.is_delivered());
    }

    #[test]
    fn health_looks_at_heartbeats_and_expiry() {
        let now = Utc
            .with_ymd_and_hms(2025, 3, 1, 12, 0, 0)
            .single()
            .unwrap_or_default();
        let fresh = Some(now - chrono::Duration::minutes(5));
        let far = NaiveDate::from_ymd_opt(2026, 1, 1);
        let near = NaiveDate::from_ymd_opt(2025, 3, 20);
        let past = NaiveDate::from_ymd_opt(2025, 2, 1);
        assert_eq!(
            health(DeviceState::Active, fresh, far, far, now),
            Health::Ok
        );
        assert_eq!(
            health(DeviceState::Active, fresh, near, far, now),
            Health::Warning
        );
        assert_eq!(
            health(DeviceState::Active, fresh, far, past, now),
            Health::Critical
        );
        assert_eq!(
            health(DeviceState::Active, None, far, far, now),
            Health::Critical
        );
        assert_eq!(
            health(DeviceState::Ordered, None, far, far, now),
            Health::Inactive
        );
        assert_eq!(
            health(DeviceState::Defect, fresh, far, far, now),
            Health::Critical
        );
    }
}
