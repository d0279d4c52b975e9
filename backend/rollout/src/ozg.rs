//! OZG maturity from a tenant's digitalization survey: the 0–4 model and the 2025 model (0–7).
//!
//! In both models the lowest unmet criterion decides: a level counts only when it and every level
//! below it are met (reference.md § 5.1).

use serde::{Deserialize, Serialize};

/// One survey answer per service and date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    /// Information about the service on the authority's website.
    pub information_online: bool,
    /// Help to fill the form (no online submission).
    pub form_assistant: bool,
    /// The application can be submitted online.
    pub online_application: bool,
    /// All evidence can be submitted online too.
    pub evidence_online: bool,
    /// Evidence is fetched from registers (once-only).
    pub once_only: bool,
    /// A document management system is in use.
    pub dms: bool,
    /// Incoming paper is scanned (replacing scanning).
    pub scanning: bool,
    /// Share of files kept electronically, 0–100.
    pub efile_share_pct: u8,
    /// Online applications flow into the Fachverfahren without retyping.
    pub fachverfahren_interface: bool,
    /// DeutschlandID, organisation account, payment and status monitor are connected.
    pub base_components: bool,
    /// Notice or title delivered digitally; the whole process end to end without media breaks.
    pub end_to_end: bool,
}

/// The 0–4 model (Reifegradmodell 1).
pub fn level_ozg(s: &Survey) -> u8 {
    let steps = [
        s.information_online,
        s.form_assistant,
        s.online_application && s.evidence_online,
        s.once_only,
    ];
    steps.iter().take_while(|met| **met).count() as u8
}

/// The 2025 model (Reifegradmodell 2.0, 0–7): 0–3 front end, 4–6 processing inside the
/// administration, 7 end to end.
pub fn level_2025(s: &Survey) -> u8 {
    let steps = [
        s.information_online,
        s.form_assistant,
        s.online_application && s.evidence_online,
        s.dms && s.scanning,
        s.fachverfahren_interface && s.efile_share_pct >= 90,
        s.base_components && s.once_only,
        s.end_to_end,
    ];
    steps.iter().take_while(|met| **met).count() as u8
}

/// Mean level of a set of tenants, in tenths (e.g. 23 = 2.3), without floating point.
pub fn mean_tenths(levels: &[u8]) -> Option<u32> {
    if levels.is_empty() {
        return None;
    }
    let sum: u32 = levels.iter().map(|l| u32::from(*l)).sum();
    let n = u32::try_from(levels.len()).ok()?;
    Some((sum * 10 + n / 2) / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lowest_unmet_criterion_decides() {
        let mut s = Survey {
            information_online: true,
            form_assistant: true,
            online_application: true,
            evidence_online: false,
            once_only: true,
            ..Survey::default()
        };
        assert_eq!(level_ozg(&s), 2);
        s.evidence_online = true;
        assert_eq!(level_ozg(&s), 4);
        assert_eq!(level_2025(&s), 3);
        s.dms = true;
        s.scanning = true;
        s.fachverfahren_interface = true;
        s.efile_share_pct = 95;
        assert_eq!(level_2025(&s), 5);
        s.base_components = true;
        s.end_to_end = true;
        assert_eq!(level_2025(&s), 7);
        assert_eq!(level_ozg(&Survey::default()), 0);
    }

    #[test]
    fn means_in_tenths() {
        assert_eq!(mean_tenths(&[2, 3]), Some(25));
        assert_eq!(mean_tenths(&[]), None);
    }
}
