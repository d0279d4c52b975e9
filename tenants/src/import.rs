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
