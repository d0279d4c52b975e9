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
};
pub use record::{Contact, TenantRecord};

pub use amtsweg_domain::TenantId;
pub use amtsweg_domain::tenant::{
    Ags, Carrier, Kreisschluessel, LifecycleState, Regierungsbezirk, Slug, TenantKind, Vendor,
};
