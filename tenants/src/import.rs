//! What importing the catalog into the platform would do: a pure diff, so the import can be
//! repeated safely and print what it added, changed and left alone.
//!
//! Tenants are matched on their id. The lifecycle state belongs to the platform once a tenant
//! exists: a re-import never moves a live tenant back to `catalogued`, so that field is not
//! compared. Tenants the platform has but the catalog no longer lists are reported, never deleted:
//! offboarding is a lifecycle decision, not a data edit.

use std::collections::HashMap;
use std::fmt;

use amtsweg_domain::TenantId;
use amtsweg_domain::tenant::Slug;

use crate::record::TenantRecord;

/// One field that differs between the platform and the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    /// The platform's value (`""` when unset).
    pub before: String,
    /// The catalog's value (`""` when unset).
    pub after: String,
}

/// A tenant whose catalog entry differs from the platform's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantChange {
    pub id: TenantId,
    pub slug: Slug,
    pub changes: Vec<FieldChange>,
    /// The record to store: the catalog's fields with the platform's lifecycle state.
    pub updated: TenantRecord,
}

/// A catalog entry that cannot be applied as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportConflict {
    /// The catalog gives a slug to one tenant that the platform already uses for another.
    SlugTaken {
        slug: Slug,
        platform_tenant: TenantId,
        catalog_tenant: TenantId,
    },
}

impl fmt::Display for ImportConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportConflict::SlugTaken {
                slug,
                platform_tenant,
                catalog_tenant,
            } => write!(
                f,
                "slug {slug} of catalog tenant {catalog_tenant} is already used by tenant {platform_tenant}"
            ),
        }
    }
}

/// The outcome of comparing the platform's tenants with the catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// In the catalog, not on the platform: to insert as they are.
    pub added: Vec<TenantRecord>,
    /// On both, with different catalog fields.
    pub changed: Vec<TenantChange>,
    /// On both, identical in every catalog field.
    pub unchanged: Vec<TenantId>,
    /// On the platform, not in the catalog: left alone and reported.
    pub not_in_catalog: Vec<TenantId>,
    /// Entries that must be fixed before the plan is applied.
    pub conflicts: Vec<ImportConflict>,
}

impl ImportPlan {
    /// Whether applying the plan would write nothing.
    pub fn is_noop(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty()
    }

    /// Whether the plan may be applied.
    pub fn is_applicable(&self) -> bool {
        self.conflicts.is_empty()
    }
}

impl fmt::Display for ImportPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for t in &self.added {
            writeln!(f, "added     {} ({}) {}", t.slug, t.id, t.name)?;
        }
        for c in &self.changed {
            writeln!(f, "changed   {} ({})", c.slug, c.id)?;
            for fc in &c.changes {
                writeln!(
                    f,
                    "          {}: {:?} -> {:?}",
                    fc.field, fc.before, fc.after
                )?;
            }
        }
        for id in &self.not_in_catalog {
            writeln!(f, "kept      {id} (not in the catalog)")?;
        }
        for c in &self.conflicts {
            writeln!(f, "conflict  {c}")?;
        }
        write!(
            f,
            "{} added, {} changed, {} unchanged, {} not in the catalog, {} conflicts",
            self.added.len(),
            self.changed.len(),
            self.unchanged.len(),
            self.not_in_catalog.len(),
            self.conflicts.len()
        )
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The catalog fields of a record as text, in a fixed order. `lifecycle_state` is left out on
/// purpose (see the module documentation).
fn catalog_fields(t: &TenantRecord) -> [(&'static str, String); 18] {
    [
        ("slug", t.slug.to_string()),
        ("name", t.name.clone()),
        ("kind", t.kind.to_string()),
        ("carrier", t.carrier.to_string()),
        ("regierungsbezirk", opt(&t.regierungsbezirk)),
        ("ags", opt(&t.ags)),
        ("kreisschluessel", opt(&t.kreisschluessel)),
        ("abh_kennung", opt(&t.abh_kennung)),
        ("behoerdenkennzahl", opt(&t.behoerdenkennzahl)),
        ("vendor", t.vendor.to_string()),
        ("contact_email", opt(&t.contact.email)),
        ("contact_phone", opt(&t.contact.phone)),
        ("contact_website", opt(&t.contact.website)),
        ("pilot", t.pilot.to_string()),
        ("delegated_to", opt(&t.delegated_to)),
        ("source", t.source.clone()),
        ("confirmed", t.confirmed.to_string()),
        ("notes", opt(&t.notes)),
    ]
}

/// Compares the platform's tenants with the catalog. Pure: the caller applies the plan.
pub fn plan_import(existing: &[TenantRecord], catalog: &[TenantRecord]) -> ImportPlan {
    let by_id: HashMap<TenantId, &TenantRecord> = existing.iter().map(|t| (t.id, t)).collect();
    let by_slug: HashMap<&Slug, TenantId> = existing.iter().map(|t| (&t.slug, t.id)).collect();
    let mut plan = ImportPlan::default();

    for entry in catalog {
        if let Some(&holder) = by_slug.get(&entry.slug)
            && holder != entry.id
        {
            plan.conflicts.push(ImportConflict::SlugTaken {
                slug: entry.slug.clone(),
                platform_tenant: holder,
                catalog_tenant: entry.id,
            });
            continue;
        }
        match by_id.get(&entry.id) {
            None => plan.added.push(entry.clone()),
            Some(current) => {
                let changes: Vec<FieldChange> = catalog_fields(current)
                    .into_iter()
                    .zip(catalog_fields(entry))
                    .filter(|((_, before), (_, after))| before != after)
                    .map(|((field, before), (_, after))| FieldChange {
                        field,
                        before,
                        after,
                    })
                    .collect();
                if changes.is_empty() {
                    plan.unchanged.push(entry.id);
                } else {
                    let mut updated = entry.clone();
                    updated.lifecycle_state = current.lifecycle_state;
                    plan.changed.push(TenantChange {
                        id: entry.id,
                        slug: entry.slug.clone(),
                        changes,
                        updated,
                    });
                }
            }
        }
    }

    let in_catalog: std::collections::HashSet<TenantId> = catalog.iter().map(|t| t.id).collect();
    plan.not_in_catalog = existing
        .iter()
        .map(|t| t.id)
        .filter(|id| !in_catalog.contains(id))
        .collect();
    plan
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use amtsweg_domain::tenant::{LifecycleState, Vendor};

    use super::*;
    use crate::catalog::Catalog;

    fn catalog() -> Vec<TenantRecord> {
        Catalog::embedded().unwrap().into_tenants()
    }

    #[test]
    fn first_import_adds_everything() {
        let c = catalog();
        let plan = plan_import(&[], &c);
        assert_eq!(plan.added.len(), c.len());
        assert!(plan.changed.is_empty() && plan.unchanged.is_empty());
        assert!(plan.is_applicable() && !plan.is_noop());
    }

    #[test]
    fn importing_the_same_catalog_twice_changes_nothing() {
        let c = catalog();
        // First import: the platform stores what was added.
        let stored = plan_import(&[], &c).added;
        // Second import of the same catalog.
        let plan = plan_import(&stored, &c);
        assert!(plan.added.is_empty(), "{plan}");
        assert!(plan.changed.is_empty(), "{plan}");
        assert_eq!(plan.unchanged.len(), c.len());
        assert!(plan.not_in_catalog.is_empty() && plan.conflicts.is_empty());
        assert!(plan.is_noop());
    }

    #[test]
    fn a_correction_is_reported_field_by_field_and_keeps_the_lifecycle() {
        let c = catalog();
        let mut stored = c.clone();
        let i = stored
            .iter()
            .position(|t| t.slug.as_str() == "abh-hamm")
            .unwrap();
        stored[i].lifecycle_state = LifecycleState::Live;
        let mut corrected = c.clone();
        corrected[i].vendor = Vendor::Advis;
        corrected[i].behoerdenkennzahl = Some("123456".into());
        corrected[i].confirmed = true;

        let plan = plan_import(&stored, &corrected);
        assert_eq!(plan.unchanged.len(), c.len() - 1);
        assert_eq!(plan.changed.len(), 1);
        let change = &plan.changed[0];
        assert_eq!(change.slug.as_str(), "abh-hamm");
        let fields: Vec<(&str, &str, &str)> = change
            .changes
            .iter()
            .map(|f| (f.field, f.before.as_str(), f.after.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("behoerdenkennzahl", "", "123456"),
                ("vendor", "unknown", "advis"),
                ("confirmed", "false", "true"),
            ]
        );
        // The catalog says "catalogued"; the platform's "live" wins.
        assert_eq!(change.updated.lifecycle_state, LifecycleState::Live);
        let text = plan.to_string();
        assert!(text.contains("vendor: \"unknown\" -> \"advis\""), "{text}");
        assert!(text.contains("0 added, 1 changed"), "{text}");
    }

    #[test]
    fn lifecycle_alone_is_not_a_change() {
        let c = catalog();
        let mut stored = c.clone();
        for t in &mut stored {
            t.lifecycle_state = LifecycleState::Onboarding;
        }
        assert!(plan_import(&stored, &c).is_noop());
    }

    #[test]
    fn tenants_missing_from_the_catalog_are_kept_and_slug_clashes_reported() {
        let c = catalog();
        let mut stored = c.clone();
        let removed = stored.len() - 1;
        let mut catalog_now = c.clone();
        let gone = catalog_now.remove(removed);
        let plan = plan_import(&stored, &catalog_now);
        assert_eq!(plan.not_in_catalog, [gone.id]);

        // A new catalog entry that reuses a slug the platform gave to another tenant.
        let mut newcomer = gone.clone();
        newcomer.id = TenantId(uuid::Uuid::new_v4());
        stored.truncate(removed + 1);
        let plan = plan_import(&stored, &[newcomer.clone()]);
        assert_eq!(
            plan.conflicts,
            [ImportConflict::SlugTaken {
                slug: gone.slug.clone(),
                platform_tenant: gone.id,
                catalog_tenant: newcomer.id,
            }]
        );
        assert!(plan.added.is_empty() && !plan.is_applicable());
    }
}
