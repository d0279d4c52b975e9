//! Which authority serves a municipality.
//!
//! Rule (§ 1 ZustAVO NRW): a kreisfreie Stadt or a Große kreisangehörige Stadt that runs its own
//! authority serves its own territory; every other municipality is served by its Kreis (the city of
//! Aachen by the StädteRegion Aachen). A city candidate that has handed the task to its Kreis
//! (`delegated_to`) is skipped in favour of the Kreis. The same rule is applied to
//! naturalization authorities.

use std::collections::HashMap;
use std::fmt;

use amtsweg_domain::tenant::{Ags, Carrier, Kreisschluessel, TenantKind};

use crate::catalog::{Catalog, CatalogError};
use crate::municipalities::{DataError, Municipalities, Municipality, PostalCode};
use crate::record::TenantRecord;

/// What the applicant or the clerk typed to find a municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MunicipalityQuery {
    Ags(Ags),
    /// A municipality name, with or without its title (`"Dormagen"`, `"Dormagen, Stadt"`).
    Name(String),
    /// A postal code; it can belong to several municipalities.
    PostalCode(PostalCode),
}

impl MunicipalityQuery {
    /// Reads free input: 8 digits are an AGS, 5 digits a postal code, anything else a name.
    pub fn parse(input: &str) -> Result<Self, LookupError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(LookupError::EmptyQuery);
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return match s.len() {
                8 => Ags::parse(s)
                    .map(MunicipalityQuery::Ags)
                    .map_err(|_| LookupError::NotInNrw(s.to_owned())),
                5 => PostalCode::parse(s)
                    .map(MunicipalityQuery::PostalCode)
                    .map_err(|_| LookupError::EmptyQuery),
                _ => Err(LookupError::NotFound(MunicipalityQuery::Name(s.to_owned()))),
            };
        }
        Ok(MunicipalityQuery::Name(s.to_owned()))
    }
}

impl fmt::Display for MunicipalityQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MunicipalityQuery::Ags(a) => write!(f, "AGS {a}"),
            MunicipalityQuery::Name(n) => write!(f, "name {n:?}"),
            MunicipalityQuery::PostalCode(p) => write!(f, "postal code {p}"),
        }
    }
}

/// Why a lookup found nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("no NRW municipality matches the {0}")]
    NotFound(MunicipalityQuery),
    #[error("{0} is not the AGS of an NRW municipality")]
    NotInNrw(String),
    #[error("the query is empty")]
    EmptyQuery,
}

/// Why the lookup tables could not be built.
#[derive(Debug, thiserror::Error)]
pub enum JurisdictionError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("reference data: {0}")]
    Data(#[from] DataError),
    #[error("no {kind} serves {name} ({ags})")]
    Uncovered {
        kind: TenantKind,
        ags: Ags,
        name: String,
    },
    #[error("{name} ({ags}) would be served by several of kind {kind}: {slugs}")]
    Ambiguous {
        kind: TenantKind,
        ags: Ags,
        name: String,
        slugs: String,
    },
}

/// The authorities that serve one municipality.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Responsibility<'a> {
    pub municipality: &'a Municipality,
    pub abh: &'a TenantRecord,
    pub einbuergerungsbehoerde: &'a TenantRecord,
}

/// The catalog and the municipality data, with every municipality's authorities resolved up front.
#[derive(Debug, Clone)]
pub struct Jurisdiction {
    catalog: Catalog,
    municipalities: Municipalities,
    /// AGS → (index of the ABH, index of the naturalization authority) in `catalog.tenants()`.
    served_by: HashMap<Ags, (usize, usize)>,
}

impl Jurisdiction {
    /// The embedded catalog and municipality data.
    pub fn embedded() -> Result<Self, JurisdictionError> {
        let municipalities = Municipalities::embedded()?;
        let catalog = Catalog::from_sources(crate::catalog::EMBEDDED_FILES, &municipalities)?;
        Self::new(catalog, municipalities)
    }

    /// Resolves every municipality; fails if one has no ABH or no naturalization authority, or
    /// several, so that a lookup of a known municipality cannot fail later.
    pub fn new(
        catalog: Catalog,
        municipalities: Municipalities,
    ) -> Result<Self, JurisdictionError> {
        let mut served_by = HashMap::new();
        for m in municipalities.all() {
            let abh = resolve_one(&catalog, m, TenantKind::Abh)?;
            let einb = resolve_one(&catalog, m, TenantKind::Einbuergerungsbehoerde)?;
            served_by.insert(m.ags.clone(), (abh, einb));
        }
        Ok(Self {
            catalog,
            municipalities,
            served_by,
        })
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn municipalities(&self) -> &Municipalities {
        &self.municipalities
    }

    /// The municipalities matching the query, each with its ABH and naturalization authority.
    /// Several entries mean the UI must ask which municipality is meant.
    pub fn resolve(
        &self,
        query: &MunicipalityQuery,
    ) -> Result<Vec<Responsibility<'_>>, LookupError> {
        let found: Vec<&Municipality> = match query {
            MunicipalityQuery::Ags(ags) => self.municipalities.get(ags).into_iter().collect(),
            MunicipalityQuery::Name(name) => self.municipalities.by_name(name),
            MunicipalityQuery::PostalCode(code) => self.municipalities.by_postal_code(code),
        };
        let out: Vec<Responsibility<'_>> = found
            .into_iter()
            .filter_map(|m| {
                let (abh, einb) = self.served_by.get(&m.ags)?;
                Some(Responsibility {
                    municipality: m,
                    abh: self.catalog.tenants().get(*abh)?,
                    einbuergerungsbehoerde: self.catalog.tenants().get(*einb)?,
                })
            })
            .collect();
        if out.is_empty() {
            Err(LookupError::NotFound(query.clone()))
        } else {
            Ok(out)
        }
    }

    /// The candidate ABH for the query, without duplicates: one for an AGS, possibly several for
    /// a postal code or a name (one per distinct authority, in the order found).
    pub fn responsible_abh(
        &self,
        query: MunicipalityQuery,
    ) -> Result<Vec<&TenantRecord>, LookupError> {
        Ok(distinct(self.resolve(&query)?.into_iter().map(|r| r.abh)))
    }

    /// The candidate naturalization authorities for the query, without duplicates.
    pub fn responsible_einbuergerungsbehoerde(
        &self,
        query: MunicipalityQuery,
    ) -> Result<Vec<&TenantRecord>, LookupError> {
        Ok(distinct(
            self.resolve(&query)?
                .into_iter()
                .map(|r| r.einbuergerungsbehoerde),
        ))
    }
}

fn distinct<'a>(it: impl Iterator<Item = &'a TenantRecord>) -> Vec<&'a TenantRecord> {
    let mut out: Vec<&TenantRecord> = Vec::new();
    for t in it {
        if !out.iter().any(|o| o.id == t.id) {
            out.push(t);
        }
    }
    out
}

/// The one tenant of `kind` serving `m`, as an index into `catalog.tenants()`.
fn resolve_one(
    catalog: &Catalog,
    m: &Municipality,
    kind: TenantKind,
) -> Result<usize, JurisdictionError> {
    let tenants = catalog.tenants();
    let city: Vec<usize> = indices(tenants, |t| {
        t.kind == kind && t.is_city_carried() && t.ags.as_ref() == Some(&m.ags)
    });
    let chosen = match city.as_slice() {
        [one] => match tenants.get(*one).and_then(|t| t.delegated_to.as_ref()) {
            // Validation guarantees the target is this Kreis's authority of the same kind.
            Some(target) => indices(tenants, |t| &t.slug == target),
            None => city,
        },
        [] => kreis_authority(tenants, kind, &m.kreisschluessel),
        _ => city,
    };
    match chosen.as_slice() {
        [one] => Ok(*one),
        [] => Err(JurisdictionError::Uncovered {
            kind,
            ags: m.ags.clone(),
            name: m.name.clone(),
        }),
        many => Err(JurisdictionError::Ambiguous {
            kind,
            ags: m.ags.clone(),
            name: m.name.clone(),
            slugs: many
                .iter()
                .filter_map(|i| tenants.get(*i).map(|t| t.slug.to_string()))
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

fn kreis_authority(tenants: &[TenantRecord], kind: TenantKind, ks: &Kreisschluessel) -> Vec<usize> {
    indices(tenants, |t| {
        t.kind == kind && t.carrier == Carrier::Kreis && t.kreisschluessel.as_ref() == Some(ks)
    })
}

fn indices(tenants: &[TenantRecord], pred: impl Fn(&TenantRecord) -> bool) -> Vec<usize> {
    tenants
        .iter()
        .enumerate()
        .filter(|(_, t)| pred(t))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::catalog::EMBEDDED_FILES;

    fn j() -> Jurisdiction {
        Jurisdiction::embedded().unwrap()
    }

    fn ags(s: &str) -> MunicipalityQuery {
        MunicipalityQuery::Ags(Ags::parse(s).unwrap())
    }

    fn slugs(v: &[&TenantRecord]) -> Vec<String> {
        v.iter().map(|t| t.slug.to_string()).collect()
    }

    #[test]
    fn every_municipality_has_exactly_one_abh_and_one_naturalization_authority() {
        let j = j();
        assert_eq!(j.municipalities().all().len(), 396);
        let mut used = HashSet::new();
        for m in j.municipalities().all() {
            let abh = j
                .responsible_abh(MunicipalityQuery::Ags(m.ags.clone()))
                .unwrap();
            assert_eq!(abh.len(), 1, "{}", m.name);
            assert_eq!(abh[0].kind, TenantKind::Abh);
            // Served by its own city or by its own Kreis, never by a neighbour.
            assert_eq!(
                abh[0].kreisschluessel.as_ref(),
                Some(&m.kreisschluessel),
                "{}",
                m.name
            );
            used.insert(abh[0].id);
            let einb = j
                .responsible_einbuergerungsbehoerde(MunicipalityQuery::Ags(m.ags.clone()))
                .unwrap();
            assert_eq!(einb.len(), 1, "{}", m.name);
            assert_eq!(einb[0].kind, TenantKind::Einbuergerungsbehoerde);
        }
        // Every candidate serves at least one municipality.
        assert_eq!(used.len(), 88);
    }

    #[test]
    fn known_examples() {
        let j = j();
        // Dormagen is a Große kreisangehörige Stadt with its own ABH.
        let r = j.responsible_abh(ags("05162004")).unwrap();
        assert_eq!(slugs(&r), ["abh-dormagen"]);
        // Its neighbour Rommerskirchen is served by the Rhein-Kreis Neuss.
        let r = j
            .responsible_abh(MunicipalityQuery::Name("Rommerskirchen".into()))
            .unwrap();
        assert_eq!(slugs(&r), ["abh-rhein-kreis-neuss"]);
        // Heek, a small municipality in Kreis Borken, is served by the (pilot) Kreis ABH.
        let r = j.responsible_abh(ags("05554024")).unwrap();
        assert_eq!(slugs(&r), ["abh-kreis-borken"]);
        assert!(r[0].pilot);
        // Bocholt, in the same Kreis, runs its own.
        let r = j
            .responsible_abh(MunicipalityQuery::Name("Bocholt".into()))
            .unwrap();
        assert_eq!(slugs(&r), ["abh-bocholt"]);
        // The city of Aachen is served by the StädteRegion Aachen.
        let r = j
            .responsible_abh(MunicipalityQuery::Name("Aachen".into()))
            .unwrap();
        assert_eq!(slugs(&r), ["abh-staedteregion-aachen"]);
        let r = j
            .responsible_einbuergerungsbehoerde(ags("05334002"))
            .unwrap();
        assert_eq!(slugs(&r), ["einb-staedteregion-aachen"]);
        // Essen: the city ABH, not the ZAB hosted by the same city.
        let r = j.responsible_abh(ags("05113000")).unwrap();
        assert_eq!(slugs(&r), ["abh-essen"]);
        let r = j
            .responsible_einbuergerungsbehoerde(ags("05162004"))
            .unwrap();
        assert_eq!(slugs(&r), ["einb-dormagen"]);
    }

    #[test]
    fn a_postal_code_spanning_two_authorities_gives_two_candidates() {
        let j = j();
        // 40472 belongs to Düsseldorf and to Ratingen (a GkSt in Kreis Mettmann).
        let q = MunicipalityQuery::PostalCode(PostalCode::parse("40472").unwrap());
        let mut r = slugs(&j.responsible_abh(q.clone()).unwrap());
        r.sort();
        assert_eq!(r, ["abh-duesseldorf", "abh-ratingen"]);
        let places: Vec<String> = j
            .resolve(&q)
            .unwrap()
            .iter()
            .map(|r| r.municipality.short_name.clone())
            .collect();
        assert_eq!(places.len(), 2, "{places:?}");
        // 52525 spans Heinsberg and Waldfeucht, both served by Kreis Heinsberg: no question to ask.
        let q = MunicipalityQuery::PostalCode(PostalCode::parse("52525").unwrap());
        assert_eq!(
            slugs(&j.responsible_abh(q.clone()).unwrap()),
            ["abh-kreis-heinsberg"]
        );
        assert_eq!(j.resolve(&q).unwrap().len(), 2);
    }

    #[test]
    fn unknown_queries_are_errors() {
        let j = j();
        let q = MunicipalityQuery::Name("Berlin".into());
        assert_eq!(j.responsible_abh(q.clone()), Err(LookupError::NotFound(q)));
        let q = MunicipalityQuery::PostalCode(PostalCode::parse("10115").unwrap());
        assert!(j.responsible_abh(q).is_err());
        assert!(j.responsible_abh(ags("05162999")).is_err());
    }

    #[test]
    fn free_input_is_classified() {
        assert_eq!(MunicipalityQuery::parse(" 05162004 "), Ok(ags("05162004")));
        assert_eq!(
            MunicipalityQuery::parse("40472"),
            Ok(MunicipalityQuery::PostalCode(
                PostalCode::parse("40472").unwrap()
            ))
        );
        assert_eq!(
            MunicipalityQuery::parse("Dormagen"),
            Ok(MunicipalityQuery::Name("Dormagen".into()))
        );
        assert_eq!(
            MunicipalityQuery::parse("11000000"),
            Err(LookupError::NotInNrw("11000000".into()))
        );
        assert_eq!(MunicipalityQuery::parse("  "), Err(LookupError::EmptyQuery));
    }

    fn with_abh_edit(edit: impl Fn(&str) -> String) -> Result<Jurisdiction, JurisdictionError> {
        let data = Municipalities::embedded().unwrap();
        let files: Vec<(&str, String)> = EMBEDDED_FILES
            .iter()
            .map(|(n, t)| {
                (
                    *n,
                    if *n == "abh.toml" {
                        edit(t)
                    } else {
                        (*t).to_owned()
                    },
                )
            })
            .collect();
        let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let catalog = Catalog::from_sources(&borrowed, &data)?;
        Jurisdiction::new(catalog, data)
    }

    #[test]
    fn a_delegating_city_is_served_by_its_kreis() {
        let j = with_abh_edit(|text| {
            let start = text.find("slug = \"abh-dormagen\"").unwrap();
            let rel = text[start..].find("delegated_to = \"\"").unwrap();
            let mut s = text.to_owned();
            s.replace_range(
                start + rel..start + rel + "delegated_to = \"\"".len(),
                "delegated_to = \"abh-rhein-kreis-neuss\"",
            );
            s
        })
        .unwrap();
        let r = j.responsible_abh(ags("05162004")).unwrap();
        assert_eq!(slugs(&r), ["abh-rhein-kreis-neuss"]);
    }

    #[test]
    fn a_kreis_without_abh_is_refused_up_front() {
        // Turn Kreis Heinsberg's ABH into a second ABH for Kreis Düren (same RB): the catalog
        // itself refuses the duplicate territory, so the lookup never sees a gap.
        let err = with_abh_edit(|text| {
            text.replacen(
                "kreisschluessel = \"05370\"",
                "kreisschluessel = \"05358\"",
                1,
            )
        })
        .unwrap_err();
        assert!(matches!(err, JurisdictionError::Catalog(_)), "{err}");
    }
}
