//! One tenant as the catalog describes it.

use amtsweg_domain::TenantId;
use amtsweg_domain::tenant::{
    Ags, Carrier, Kreisschluessel, LifecycleState, Regierungsbezirk, Slug, TenantKind, Vendor,
};
use serde::{Deserialize, Serialize};

/// Public contact details of an authority. `None` means unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
}

/// A validated catalog entry: one authority, one tenant.
///
/// `id` is the tenant's identity. AGS, Kreisschlüssel, ABH-Kennung and Behördenkennzahl are
/// attributes: one city can host several authorities (its ABH, its naturalization authority, a
/// ZAB), and EfA services even invent fictitious AGS to tell them apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRecord {
    pub id: TenantId,
    pub slug: Slug,
    /// Official German name of the authority.
    pub name: String,
    pub kind: TenantKind,
    pub carrier: Carrier,
    /// `None` only for the ministry.
    pub regierungsbezirk: Option<Regierungsbezirk>,
    /// The municipality of a city-carried authority (kreisfreie or Große kreisangehörige Stadt).
    pub ags: Option<Ags>,
    /// The Kreis (or kreisfreie Stadt) the authority belongs to; `None` for Land authorities.
    pub kreisschluessel: Option<Kreisschluessel>,
    /// ID in the XAusländer codelist `urn:de:xauslaender:codelist:abhkennung`, where known.
    pub abh_kennung: Option<String>,
    /// Behördenkennzahl as used by the EfA services, where known.
    pub behoerdenkennzahl: Option<String>,
    pub vendor: Vendor,
    pub contact: Contact,
    /// The state a newly imported tenant starts in. The platform owns the state afterwards.
    pub lifecycle_state: LifecycleState,
    /// Member of the six-ABH pilot working group.
    pub pilot: bool,
    /// A candidate that does not run the task itself: the Kreis authority that does.
    pub delegated_to: Option<Slug>,
    /// Where the entry comes from.
    pub source: String,
    /// Confirmed by an authoritative current source.
    pub confirmed: bool,
    pub notes: Option<String>,
}

impl TenantRecord {
    /// Whether this authority serves the territory of one city (not a Kreis, not the Land).
    pub fn is_city_carried(&self) -> bool {
        matches!(
            self.carrier,
            Carrier::KreisfreieStadt | Carrier::GrosseKreisangehoerigeStadt
        )
    }
}
