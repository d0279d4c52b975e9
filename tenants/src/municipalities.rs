//! The NRW municipality and postal-code reference data (see `tenants/data/README.md`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use amtsweg_domain::tenant::{Ags, Kreisschluessel, Regierungsbezirk};
use serde::{Deserialize, Serialize};

const MUNICIPALITIES_FILE: &str = "nrw-municipalities.csv";
const POSTAL_CODES_FILE: &str = "nrw-postal-codes.csv";
const MUNICIPALITIES_CSV: &str = include_str!("../data/nrw-municipalities.csv");
const POSTAL_CODES_CSV: &str = include_str!("../data/nrw-postal-codes.csv");

/// A row of the reference data could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, record {record}: {message}")]
pub struct DataError {
    pub file: &'static str,
    /// 1-based record number, header excluded.
    pub record: usize,
    pub message: String,
}

/// A German five-digit postal code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode(String);

/// Why a postal code could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("postal code {0:?}: expected 5 digits")]
pub struct PostalCodeError(pub String);

impl PostalCode {
    pub fn parse(s: &str) -> Result<Self, PostalCodeError> {
        if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(PostalCodeError(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PostalCode {
    type Err = PostalCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for PostalCode {
    type Error = PostalCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PostalCode> for String {
    fn from(p: PostalCode) -> String {
        p.0
    }
}

/// Kind of municipality as Destatis records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MunicipalityKind {
    KreisfreieStadt,
    Stadt,
    Gemeinde,
}

/// One NRW municipality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Municipality {
    pub ags: Ags,
    /// Destatis name, e.g. `"Dormagen, Stadt"`.
    pub name: String,
    /// The name without the title after the comma, e.g. `"Dormagen"`.
    pub short_name: String,
    pub kind: MunicipalityKind,
    pub kreisschluessel: Kreisschluessel,
    pub regierungsbezirk: Regierungsbezirk,
    pub population: u32,
    pub main_postal_code: PostalCode,
}

/// A Kreis or kreisfreie Stadt as seen from the municipality data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KreisInfo {
    pub kreisschluessel: Kreisschluessel,
    /// Destatis name, e.g. `"Borken"`, `"Rhein-Kreis Neuss"`, `"Essen, Stadt"`.
    pub name: String,
    pub regierungsbezirk: Regierungsbezirk,
    pub kreisfrei: bool,
}

impl KreisInfo {
    /// The name without the title after the comma.
    pub fn short_name(&self) -> &str {
        short_name(&self.name)
    }
}

/// All municipalities, their Kreise and the postal codes, indexed for lookup.
#[derive(Debug, Clone)]
pub struct Municipalities {
    list: Vec<Municipality>,
    by_ags: HashMap<Ags, usize>,
    by_postal_code: BTreeMap<PostalCode, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    kreise: BTreeMap<Kreisschluessel, KreisInfo>,
}

#[derive(Deserialize)]
struct RawMunicipality {
    ags: String,
    name: String,
    kind: String,
    kreis_code: String,
    kreis_name: String,
    regierungsbezirk: String,
    population: u32,
    main_postal_code: String,
}

#[derive(Deserialize)]
struct RawPostalCode {
    postal_code: String,
    ags: String,
}

fn short_name(name: &str) -> &str {
    name.split(',').next().unwrap_or(name).trim()
}

/// Lowercase, single spaces, no leading municipality title: the form names are compared in.
pub(crate) fn normalize_name(s: &str) -> String {
    let lower = s.trim().to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut joined = words.join(" ");
    for prefix in ["stadt ", "gemeinde "] {
        if let Some(rest) = joined.strip_prefix(prefix) {
            joined = rest.to_owned();
        }
    }
    joined
}

impl Municipalities {
    /// The data shipped in `tenants/data/`.
    pub fn embedded() -> Result<Self, DataError> {
        Self::from_csv(MUNICIPALITIES_CSV, POSTAL_CODES_CSV)
    }

    /// Parses the two CSV files (same headers as the shipped ones).
    pub fn from_csv(municipalities_csv: &str, postal_codes_csv: &str) -> Result<Self, DataError> {
        let err = |file, record, message: String| DataError {
            file,
            record,
            message,
        };
        let mut list = Vec::new();
        let mut by_ags = HashMap::new();
        let mut kreise: BTreeMap<Kreisschluessel, KreisInfo> = BTreeMap::new();
        let mut reader = csv::Reader::from_reader(municipalities_csv.as_bytes());
        for (i, row) in reader.deserialize::<RawMunicipality>().enumerate() {
            let record = i + 1;
            let e = |m: String| err(MUNICIPALITIES_FILE, record, m);
            let raw = row.map_err(|x| e(x.to_string()))?;
            let ags = Ags::parse(&raw.ags).map_err(|x| e(x.to_string()))?;
            let kreisschluessel =
                Kreisschluessel::parse(&raw.kreis_code).map_err(|x| e(x.to_string()))?;
            if !kreisschluessel.contains(&ags) {
                return Err(e(format!(
                    "AGS {ags} does not lie in Kreis {kreisschluessel}"
                )));
            }
            let regierungsbezirk = Regierungsbezirk::from_name_de(&raw.regierungsbezirk)
                .ok_or_else(|| {
                    e(format!(
                        "unknown Regierungsbezirk {:?}",
                        raw.regierungsbezirk
                    ))
                })?;
            if ags.regierungsbezirk() != Some(regierungsbezirk) {
                return Err(e(format!(
                    "AGS {ags} does not lie in Regierungsbezirk {}",
                    regierungsbezirk.name_de()
                )));
            }
            let kind = match raw.kind.as_str() {
                "kreisfreie Stadt" => MunicipalityKind::KreisfreieStadt,
                "Stadt" => MunicipalityKind::Stadt,
                "Gemeinde" => MunicipalityKind::Gemeinde,
                other => return Err(e(format!("unknown municipality kind {other:?}"))),
            };
            let kreisfrei = kind == MunicipalityKind::KreisfreieStadt;
            if kreisfrei && ags.as_str() != format!("{kreisschluessel}000") {
                return Err(e(format!(
                    "kreisfreie Stadt {ags} must have AGS {kreisschluessel}000"
                )));
            }
            let main_postal_code =
                PostalCode::parse(&raw.main_postal_code).map_err(|x| e(x.to_string()))?;
            let info = kreise
                .entry(kreisschluessel.clone())
                .or_insert_with(|| KreisInfo {
                    kreisschluessel: kreisschluessel.clone(),
                    name: raw.kreis_name.clone(),
                    regierungsbezirk,
                    kreisfrei,
                });
            if info.kreisfrei != kreisfrei || info.name != raw.kreis_name {
                return Err(e(format!(
                    "Kreis {kreisschluessel} is described inconsistently"
                )));
            }
            if by_ags.insert(ags.clone(), list.len()).is_some() {
                return Err(e(format!("AGS {ags} appears twice")));
            }
            list.push(Municipality {
                short_name: short_name(&raw.name).to_owned(),
                ags,
                name: raw.name,
                kind,
                kreisschluessel,
                regierungsbezirk,
                population: raw.population,
                main_postal_code,
            });
        }

        let mut by_postal_code: BTreeMap<PostalCode, Vec<usize>> = BTreeMap::new();
        let mut reader = csv::Reader::from_reader(postal_codes_csv.as_bytes());
        for (i, row) in reader.deserialize::<RawPostalCode>().enumerate() {
            let record = i + 1;
            let e = |m: String| err(POSTAL_CODES_FILE, record, m);
            let raw = row.map_err(|x| e(x.to_string()))?;
            let code = PostalCode::parse(&raw.postal_code).map_err(|x| e(x.to_string()))?;
            let ags = Ags::parse(&raw.ags).map_err(|x| e(x.to_string()))?;
            let idx = *by_ags
                .get(&ags)
                .ok_or_else(|| e(format!("AGS {ags} is not a known municipality")))?;
            let entry = by_postal_code.entry(code).or_default();
            if !entry.contains(&idx) {
                entry.push(idx);
            }
        }

        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (idx, m) in list.iter().enumerate() {
            let mut keys = vec![normalize_name(&m.name), normalize_name(&m.short_name)];
            // "Langenfeld (Rheinland)" is also found as "Langenfeld".
            if let Some((base, _)) = m.short_name.split_once(" (") {
                keys.push(normalize_name(base));
            }
            keys.sort();
            keys.dedup();
            for k in keys {
                by_name.entry(k).or_default().push(idx);
            }
        }

        Ok(Self {
            list,
            by_ags,
            by_postal_code,
            by_name,
            kreise,
        })
    }

    /// Every municipality, in file order.
    pub fn all(&self) -> &[Municipality] {
        &self.list
    }

    pub fn get(&self, ags: &Ags) -> Option<&Municipality> {
        self.by_ags.get(ags).and_then(|i| self.list.get(*i))
    }

    /// The municipalities a postal code belongs to (empty if unknown).
    pub fn by_postal_code(&self, code: &PostalCode) -> Vec<&Municipality> {
        self.resolve(self.by_postal_code.get(code))
    }

    /// The municipalities with this name: case-insensitive, with or without the title
    /// (`"Dormagen"`, `"Dormagen, Stadt"`, `"Stadt Dormagen"`).
    pub fn by_name(&self, name: &str) -> Vec<&Municipality> {
        self.resolve(self.by_name.get(&normalize_name(name)))
    }

    pub fn kreis(&self, kreisschluessel: &Kreisschluessel) -> Option<&KreisInfo> {
        self.kreise.get(kreisschluessel)
    }

    /// Every Kreis and kreisfreie Stadt.
    pub fn kreise(&self) -> impl Iterator<Item = &KreisInfo> {
        self.kreise.values()
    }

    /// Every postal code with its municipalities.
    pub fn postal_codes(&self) -> impl Iterator<Item = (&PostalCode, Vec<&Municipality>)> {
        self.by_postal_code
            .iter()
            .map(|(code, idx)| (code, self.resolve(Some(idx))))
    }

    fn resolve(&self, idx: Option<&Vec<usize>>) -> Vec<&Municipality> {
        idx.map(|v| v.iter().filter_map(|i| self.list.get(*i)).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_is_complete() {
        let m = Municipalities::embedded().unwrap();
        assert_eq!(m.all().len(), 396);
        assert_eq!(m.kreise().count(), 53);
        assert_eq!(m.kreise().filter(|k| k.kreisfrei).count(), 22);
        assert_eq!(m.postal_codes().count(), 865);
        let aachen = m.get(&Ags::parse("05334002").unwrap()).unwrap();
        assert_eq!(aachen.short_name, "Aachen");
        assert_eq!(aachen.kind, MunicipalityKind::Stadt);
    }

    #[test]
    fn names_are_found_with_or_without_title() {
        let m = Municipalities::embedded().unwrap();
        for q in [
            "Dormagen",
            "dormagen, stadt",
            "Stadt  Dormagen",
            " DORMAGEN ",
        ] {
            let hits = m.by_name(q);
            assert_eq!(hits.len(), 1, "{q}");
            assert_eq!(hits[0].ags.as_str(), "05162004");
        }
        assert_eq!(m.by_name("Langenfeld").len(), 1);
        assert!(m.by_name("Berlin").is_empty());
    }

    #[test]
    fn broken_rows_are_reported_with_their_record() {
        let bad = "ags,name,kind,kreis_code,kreis_name,regierungsbezirk,population,main_postal_code,longitude,latitude\n\
                   05111000,\"Düsseldorf, Stadt\",kreisfreie Stadt,05111,\"Düsseldorf, Stadt\",Düsseldorf,1,40213,0,0\n\
                   05112000,\"Duisburg, Stadt\",kreisfreie Stadt,05111,\"Duisburg, Stadt\",Düsseldorf,1,47051,0,0\n";
        let e = Municipalities::from_csv(bad, "postal_code,ags,place\n").unwrap_err();
        assert_eq!(e.record, 2);
        assert_eq!(e.file, MUNICIPALITIES_FILE);
    }
}
