//! The NRW authority catalog as reviewed data, and the responsible-authority lookup.
//!
//! - [`Catalog`]: the tenants of the platform (ministry, Bezirksregierungen, ZAB, ABH candidates,
//!   naturalization authorities), read from the TOML files under `tenants/catalog/` and validated
//!   against the Destatis municipality extract.
//! - [`plan_import`]: a pure diff between the tenants the platform already has and the catalog, so
//!   an import can be repeated and report what it added, changed and left alone.
//! - [`Jurisdiction`]: which ABH and which naturalization authority serve a municipality, found by
//!   AGS, name or postal code.
//!
//! No database, no network: the caller persists what [`plan_import`] proposes.

mod catalog;
mod import;
mod jurisdiction;
mod municipalities;
mod record;

pub use catalog::{Catalog, CatalogError, CatalogIssue, EMBEDDED_FILES, ExpectedCounts};
pub use import::{FieldChange, ImportConflict, ImportPlan, TenantChange, plan_import};
pub use jurisdiction::{
    Jurisdiction, JurisdictionError, LookupError, MunicipalityQuery, Responsibility,
};
pub use municipalities::{
    DataError, KreisInfo, Municipalities, Municipality, MunicipalityKind, PostalCode,
    PostalCodeError,
};
pub use record::{Contact, TenantRecord};

pub use amtsweg_domain::TenantId;
pub use amtsweg_domain::tenant::{
    Ags, Carrier, Kreisschluessel, LifecycleState, Regierungsbezirk, Slug, TenantKind, Vendor,
};

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Serialize, Deserialize)]
    struct W<T> {
        v: T,
    }

    fn ser<T: Serialize>(v: T) -> String {
        toml::to_string(&W { v }).unwrap()
    }

    /// The files, serde and Display/FromStr use one spelling for every enum value.
    #[test]
    fn serde_names_match_display() {
        for k in TenantKind::ALL {
            assert_eq!(ser(k), format!("v = \"{k}\"\n"));
        }
        for c in Carrier::ALL {
            assert_eq!(ser(c), format!("v = \"{c}\"\n"));
        }
        for rb in Regierungsbezirk::ALL {
            assert_eq!(ser(rb), format!("v = \"{rb}\"\n"));
        }
        for v in Vendor::ALL {
            assert_eq!(ser(v), format!("v = \"{v}\"\n"));
        }
        for s in LifecycleState::ALL {
            assert_eq!(ser(s), format!("v = \"{s}\"\n"));
        }
        let bad: Result<W<Ags>, _> = toml::from_str("v = \"06162004\"");
        assert!(bad.is_err(), "an invalid AGS must not deserialize");
    }

    #[test]
    fn records_round_trip_through_serde() {
        let catalog = Catalog::embedded().unwrap();
        for t in catalog.tenants().iter().take(10) {
            let text = toml::to_string(t).unwrap();
            let back: TenantRecord = toml::from_str(&text).unwrap();
            assert_eq!(&back, t);
        }
    }
}
