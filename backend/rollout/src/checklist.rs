//! The onboarding checklist a tenant admin works through before the tenant goes live.

use serde::{Deserialize, Serialize};

use crate::text_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistItem {
    /// Every admin signs in with a second factor. Checked by the platform, not ticked by hand.
    AdminsWithMfa,
    UsersAndRoles,
    ServicesActivated,
    /// The file plan adopts the reference structure one to one, or is mapped onto it.
    FilePlan,
    HardwareReceived,
    /// The case-management vendor (Fachverfahren) and its interface.
    VendorInterface,
    DataProtectionContact,
}

text_enum!(ChecklistItem, {
    AdminsWithMfa => "admins_with_mfa",
    UsersAndRoles => "users_and_roles",
    ServicesActivated => "services_activated",
    FilePlan => "file_plan",
    HardwareReceived => "hardware_received",
    VendorInterface => "vendor_interface",
    DataProtectionContact => "data_protection_contact",
});

impl ChecklistItem {
    /// Items the platform derives from data instead of trusting a tick.
    pub const fn is_derived(self) -> bool {
        matches!(self, ChecklistItem::AdminsWithMfa)
    }
}

/// Progress: (done, total).
pub fn progress(done: &[ChecklistItem]) -> (usize, usize) {
    let total = ChecklistItem::ALL.len();
    let count = ChecklistItem::ALL
        .iter()
        .filter(|item| done.contains(item))
        .count();
    (count, total)
}

/// The items still open, in checklist order.
pub fn missing(done: &[ChecklistItem]) -> Vec<ChecklistItem> {
    ChecklistItem::ALL
        .iter()
        .copied()
        .filter(|item| !done.contains(item))
        .collect()
}

/// A tenant may go live when every item is done.
pub fn ready_to_go_live(done: &[ChecklistItem]) -> bool {
    missing(done).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_needs_every_item() {
        let mut done = vec![ChecklistItem::AdminsWithMfa, ChecklistItem::FilePlan];
        assert_eq!(progress(&done), (2, 7));
        assert!(!ready_to_go_live(&done));
        done = ChecklistItem::ALL.to_vec();
        assert!(ready_to_go_live(&done));
        assert!(missing(&done).is_empty());
    }
}
