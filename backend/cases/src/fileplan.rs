//! The statewide reference file plan (`data/reference-plan.toml`) and the check of a tenant's own
//! plan mapped onto it: every tenant position must map to an existing reference position, and every
//! reference position used by the model processes must be reachable from the tenant plan.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

const REFERENCE: &str = include_str!("../data/reference-plan.toml");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub position: String,
    #[serde(default)]
    pub parent: Option<String>,
    pub title: String,
}

#[derive(Debug, Deserialize)]
struct PlanFile {
    position: Vec<Position>,
}

/// The reference plan; the file ships with the binary and a test keeps it well-formed.
pub fn reference_plan() -> Vec<Position> {
    toml::from_str::<PlanFile>(REFERENCE)
        .map(|f| f.position)
        .unwrap_or_default()
}

pub fn is_reference_position(position: &str) -> bool {
    reference_plan().iter().any(|p| p.position == position)
}

/// One position of a tenant's own plan with its mapping (None: not mapped yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantPosition {
    pub position: String,
    pub title: String,
    pub reference_position: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MappingReport {
    /// Tenant positions without a mapping.
    pub unmapped: Vec<String>,
    /// Tenant positions mapped to a position the reference plan does not have.
    pub unknown_targets: Vec<String>,
    /// Reference positions no tenant position maps to (documents filed there could not be placed
    /// on import).
    pub uncovered: Vec<String>,
}

impl MappingReport {
    pub fn is_complete(&self) -> bool {
        self.unmapped.is_empty() && self.unknown_targets.is_empty() && self.uncovered.is_empty()
    }
}

/// Checks a tenant plan; an empty plan means the tenant uses the reference plan itself (complete).
pub fn check_mapping(plan: &[TenantPosition]) -> MappingReport {
    let mut report = MappingReport::default();
    if plan.is_empty() {
        return report;
    }
    let reference = reference_plan();
    let known: BTreeSet<&str> = reference.iter().map(|p| p.position.as_str()).collect();
    let mut covered = BTreeSet::new();
    for p in plan {
        match &p.reference_position {
            None => report.unmapped.push(p.position.clone()),
            Some(r) if !known.contains(r.as_str()) => {
                report.unknown_targets.push(p.position.clone())
            }
            Some(r) => {
                covered.insert(r.as_str());
            }
        }
    }
    report.uncovered = reference
        .iter()
        .filter(|p| !covered.contains(p.position.as_str()))
        .map(|p| p.position.clone())
        .collect();
    report
}

/// The tenant position to file a document under that arrives with a reference position: the first
/// tenant position mapped to it, or the reference position itself when the tenant uses the
/// reference plan.
pub fn tenant_position_for(plan: &[TenantPosition], reference_position: &str) -> Option<String> {
    if plan.is_empty() {
        return is_reference_position(reference_position).then(|| reference_position.to_owned());
    }
    plan.iter()
        .find(|p| p.reference_position.as_deref() == Some(reference_position))
        .map(|p| p.position.clone())
}

/// The reference position a tenant position maps to.
pub fn reference_for(plan: &[TenantPosition], tenant_position: &str) -> Option<String> {
    if plan.is_empty() {
        return is_reference_position(tenant_position).then(|| tenant_position.to_owned());
    }
    plan.iter()
        .find(|p| p.position == tenant_position)
        .and_then(|p| p.reference_position.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_plan_is_well_formed_and_serves_every_model() {
        let plan = reference_plan();
        assert!(plan.len() >= 10);
        let ids: BTreeSet<&str> = plan.iter().map(|p| p.position.as_str()).collect();
        assert_eq!(ids.len(), plan.len(), "positions are unique");
        for p in &plan {
            if let Some(parent) = &p.parent {
                assert!(ids.contains(parent.as_str()), "{}", p.position);
            }
        }
        for m in crate::process::models().unwrap() {
            assert!(ids.contains(m.plan_position.as_str()), "{}", m.id);
        }
    }

    #[test]
    fn mapping_gaps_are_reported() {
        assert!(check_mapping(&[]).is_complete());
        let mut plan: Vec<TenantPosition> = reference_plan()
            .into_iter()
            .map(|p| TenantPosition {
                position: format!("X-{}", p.position),
                title: p.title,
                reference_position: Some(p.position),
            })
            .collect();
        assert!(check_mapping(&plan).is_complete());
        assert_eq!(tenant_position_for(&plan, "05").as_deref(), Some("X-05"));
        assert_eq!(reference_for(&plan, "X-05").as_deref(), Some("05"));
        plan[0].reference_position = None;
        plan[1].reference_position = Some("99".into());
        let report = check_mapping(&plan);
        assert_eq!(report.unmapped, vec!["X-01".to_owned()]);
        assert_eq!(report.unknown_targets, vec!["X-01.01".to_owned()]);
        assert_eq!(report.uncovered, vec!["01".to_owned(), "01.01".to_owned()]);
        assert!(!report.is_complete());
    }
}
