//! Loading and validating the catalog files under `tenants/catalog/`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use amtsweg_domain::TenantId;
use amtsweg_domain::tenant::{
    Ags, Carrier, Kreisschluessel, LifecycleState, Regierungsbezirk, Slug, TenantKind, Vendor,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::municipalities::{DataError, Municipalities, MunicipalityKind, normalize_name};
use crate::record::{Contact, TenantRecord};

/// The catalog files compiled into the binary, as (file name, content).
/// Kept in file-name order, the order [`Catalog::load_dir`] reads a directory in, so both give the
/// same catalog.
pub const EMBEDDED_FILES: &[(&str, &str)] = &[
    ("abh.toml", include_str!("../catalog/abh.toml")),
    (
        "bezirksregierungen.toml",
        include_str!("../catalog/bezirksregierungen.toml"),
    ),
    (
        "einbuergerungsbehoerden.toml",
        include_str!("../catalog/einbuergerungsbehoerden.toml"),
    ),
    ("ministry.toml", include_str!("../catalog/ministry.toml")),
    ("zab.toml", include_str!("../catalog/zab.toml")),
];

/// The counts the NRW catalog must have. Changing one is a reviewed code change, on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectedCounts {
    pub ministry: usize,
    pub bezirksregierungen: usize,
    pub zab: usize,
    /// Candidates for the 81 lower ABH: 22 kreisfreie Städte + 31 Kreise + 35 GkSt.
    pub abh_candidates: usize,
    pub pilots: usize,
}

impl ExpectedCounts {
    pub const NRW: ExpectedCounts = ExpectedCounts {
        ministry: 1,
        bezirksregierungen: 5,
        zab: 5,
        abh_candidates: 88,
        pilots: 6,
    };
}

/// One problem found in the catalog: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogIssue {
    /// The catalog file, or `*` for a problem of the catalog as a whole.
    pub file: String,
    /// The tenant's slug, `#n` (1-based position in the file) if it has no valid slug, or `*`.
    pub tenant: String,
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for CatalogIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: tenant {}: field {}: {}",
            self.file, self.tenant, self.field, self.message
        )
    }
}

fn list_issues(issues: &[CatalogIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("  - {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why the catalog could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot read catalog directory {path}: {source}")]
    ReadDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read catalog file {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("catalog directory {0} holds no .toml file")]
    NoFiles(PathBuf),
    #[error("{file}: not a catalog file: {message}")]
    Syntax { file: String, message: String },
    #[error("the catalog has {} problem(s):\n{}", .0.len(), list_issues(.0))]
    Invalid(Vec<CatalogIssue>),
    #[error("reference data: {0}")]
    Data(#[from] DataError),
}

/// The validated tenant catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    tenants: Vec<TenantRecord>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    tenant: Vec<RawTenant>,
}

/// A tenant as written: strings, so every bad value becomes a field-level issue, not a parse error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawTenant {
    id: String,
    slug: String,
    name: String,
    kind: String,
    carrier: String,
    regierungsbezirk: String,
    ags: String,
    kreisschluessel: String,
    abh_kennung: String,
    behoerdenkennzahl: String,
    vendor: String,
    contact_email: String,
    contact_phone: String,
    contact_website: String,
    lifecycle_state: String,
    pilot: bool,
    delegated_to: String,
    source: String,
    confirmed: Option<bool>,
    notes: String,
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Collects issues for one tenant of one file.
struct Checker<'a> {
    file: &'a str,
    tenant: String,
    issues: &'a mut Vec<CatalogIssue>,
}

impl Checker<'_> {
    fn issue(&mut self, field: &'static str, message: impl Into<String>) {
        self.issues.push(CatalogIssue {
            file: self.file.to_owned(),
            tenant: self.tenant.clone(),
            field,
            message: message.into(),
        });
    }

    fn required<T, E: fmt::Display>(
        &mut self,
        field: &'static str,
        raw: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        if raw.trim().is_empty() {
            self.issue(field, "missing");
            return None;
        }
        self.parsed(field, raw, parse)
    }

    fn optional<T, E: fmt::Display>(
        &mut self,
        field: &'static str,
        raw: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        if raw.trim().is_empty() {
            None
        } else {
            self.parsed(field, raw, parse)
        }
    }

    fn parsed<T, E: fmt::Display>(
        &mut self,
        field: &'static str,
        raw: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match parse(raw.trim()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.issue(field, e.to_string());
                None
            }
        }
    }
}

fn parse_v4(s: &str) -> Result<TenantId, String> {
    let id = Uuid::parse_str(s).map_err(|e| format!("not a UUID: {e}"))?;
    if id.get_version_num() != 4 {
        return Err(format!(
            "{id} is a version {} UUID; write a random v4 UUID once",
            id.get_version_num()
        ));
    }
    Ok(TenantId(id))
}

/// Field checks of one tenant; `None` if any field is invalid (the issues say which).
fn check_tenant(
    raw: &RawTenant,
    checker: &mut Checker<'_>,
    data: &Municipalities,
) -> Option<TenantRecord> {
    let before = checker.issues.len();
    let id = checker.required("id", &raw.id, parse_v4);
    let slug = checker.required("slug", &raw.slug, Slug::parse);
    let name = non_empty(&raw.name);
    if name.is_none() {
        checker.issue("name", "missing");
    }
    let kind = checker.required("kind", &raw.kind, str::parse::<TenantKind>);
    let carrier = checker.required("carrier", &raw.carrier, str::parse::<Carrier>);
    let regierungsbezirk = checker.optional(
        "regierungsbezirk",
        &raw.regierungsbezirk,
        str::parse::<Regierungsbezirk>,
    );
    let ags = checker.optional("ags", &raw.ags, Ags::parse);
    let kreisschluessel = checker.optional(
        "kreisschluessel",
        &raw.kreisschluessel,
        Kreisschluessel::parse,
    );
    let vendor = checker.required("vendor", &raw.vendor, str::parse::<Vendor>);
    let lifecycle_state = checker.required(
        "lifecycle_state",
        &raw.lifecycle_state,
        str::parse::<LifecycleState>,
    );
    let delegated_to = checker.optional("delegated_to", &raw.delegated_to, Slug::parse);
    let source = non_empty(&raw.source);
    if source.is_none() {
        checker.issue("source", "missing: say where the entry comes from");
    }
    if raw.confirmed.is_none() {
        checker.issue("confirmed", "missing: true or false");
    }
    if let Some(url) = non_empty(&raw.contact_website)
        && !url.starts_with("https://")
        && !url.starts_with("http://")
    {
        checker.issue("contact_website", format!("{url:?} is not an http(s) URL"));
    }
    if let Some(mail) = non_empty(&raw.contact_email)
        && !mail.contains('@')
    {
        checker.issue(
            "contact_email",
            format!("{mail:?} is not an e-mail address"),
        );
    }

    let (Some(id), Some(slug), Some(name), Some(kind), Some(carrier)) =
        (id, slug, name, kind, carrier)
    else {
        return None;
    };
    let (Some(vendor), Some(lifecycle_state), Some(source), Some(confirmed)) =
        (vendor, lifecycle_state, source, raw.confirmed)
    else {
        return None;
    };
    if checker.issues.len() > before {
        return None;
    }
    let record = TenantRecord {
        id,
        slug,
        name,
        kind,
        carrier,
        regierungsbezirk,
        ags,
        kreisschluessel,
        abh_kennung: non_empty(&raw.abh_kennung),
        behoerdenkennzahl: non_empty(&raw.behoerdenkennzahl),
        vendor,
        contact: Contact {
            email: non_empty(&raw.contact_email),
            phone: non_empty(&raw.contact_phone),
            website: non_empty(&raw.contact_website),
        },
        lifecycle_state,
        pilot: raw.pilot,
        delegated_to,
        source,
        confirmed,
        notes: non_empty(&raw.notes),
    };
    check_territory(&record, checker, data);
    (checker.issues.len() == before).then_some(record)
}

/// Keys and carrier agree with each other, with the kind, and with the municipality data.
fn check_territory(t: &TenantRecord, c: &mut Checker<'_>, data: &Municipalities) {
    let land_kind = matches!(t.kind, TenantKind::Ministry | TenantKind::Bezirksregierung);
    if land_kind != (t.carrier == Carrier::Land) {
        c.issue(
            "carrier",
            format!("a {} cannot be carried by {}", t.kind, t.carrier),
        );
        return;
    }
    if t.pilot && t.kind != TenantKind::Abh {
        c.issue("pilot", "only an ABH can be a pilot");
    }
    if t.delegated_to.is_some()
        && !(matches!(t.kind, TenantKind::Abh | TenantKind::Einbuergerungsbehoerde)
            && t.carrier == Carrier::GrosseKreisangehoerigeStadt)
    {
        c.issue(
            "delegated_to",
            "only a Große kreisangehörige Stadt can delegate its task (to its Kreis)",
        );
    }
    if t.kind == TenantKind::Ministry && t.regierungsbezirk.is_some() {
        c.issue(
            "regierungsbezirk",
            "the ministry belongs to no Regierungsbezirk",
        );
    }
    if t.kind == TenantKind::Bezirksregierung && t.regierungsbezirk.is_none() {
        c.issue("regierungsbezirk", "missing");
    }
    if t.carrier == Carrier::Land {
        if t.ags.is_some() {
            c.issue("ags", "a Land authority has no AGS");
        }
        if t.kreisschluessel.is_some() {
            c.issue("kreisschluessel", "a Land authority has no Kreisschlüssel");
        }
        return;
    }

    let Some(rb) = t.regierungsbezirk else {
        c.issue("regierungsbezirk", "missing");
        return;
    };
    let Some(ks) = &t.kreisschluessel else {
        c.issue("kreisschluessel", "missing");
        return;
    };
    let Some(kreis) = data.kreis(ks) else {
        c.issue(
            "kreisschluessel",
            format!("{ks} is no Kreis or kreisfreie Stadt in the municipality data"),
        );
        return;
    };
    if kreis.regierungsbezirk != rb {
        c.issue(
            "regierungsbezirk",
            format!(
                "{ks} lies in Regierungsbezirk {}, not {}",
                kreis.regierungsbezirk.name_de(),
                rb.name_de()
            ),
        );
    }
    let lower_name = normalize_name(&t.name);
    match t.carrier {
        Carrier::Kreis => {
            if let Some(ags) = &t.ags {
                c.issue(
                    "ags",
                    format!("a Kreis authority has no AGS of its own (found {ags})"),
                );
            }
            if kreis.kreisfrei {
                c.issue(
                    "kreisschluessel",
                    format!("{ks} is a kreisfreie Stadt, not a Kreis"),
                );
            }
            if !lower_name.contains(&normalize_name(kreis.short_name())) {
                c.issue(
                    "name",
                    format!("does not name the Kreis {:?} of {ks}", kreis.name),
                );
            }
        }
        Carrier::KreisfreieStadt | Carrier::GrosseKreisangehoerigeStadt => {
            let Some(ags) = &t.ags else {
                c.issue(
                    "ags",
                    "missing: a city-carried authority needs its city's AGS",
                );
                return;
            };
            if !ks.contains(ags) {
                c.issue(
                    "kreisschluessel",
                    format!(
                        "{ks} does not match AGS {ags} (expected {})",
                        ags.kreisschluessel()
                    ),
                );
            }
            let Some(m) = data.get(ags) else {
                c.issue(
                    "ags",
                    format!("{ags} is no municipality in the municipality data"),
                );
                return;
            };
            let kreisfrei = m.kind == MunicipalityKind::KreisfreieStadt;
            if (t.carrier == Carrier::KreisfreieStadt) != kreisfrei {
                c.issue(
                    "carrier",
                    format!(
                        "{} ({ags}) is {}a kreisfreie Stadt",
                        m.name,
                        if kreisfrei { "" } else { "not " }
                    ),
                );
            }
            if t.carrier == Carrier::GrosseKreisangehoerigeStadt
                && m.kind != MunicipalityKind::Stadt
            {
                c.issue("carrier", format!("{} ({ags}) is not a Stadt", m.name));
            }
            if !lower_name.contains(&normalize_name(&m.short_name)) {
                c.issue(
                    "name",
                    format!("does not name the municipality {:?} of {ags}", m.name),
                );
            }
        }
        Carrier::Land => {}
    }
}

/// The territory key that must be unique per kind.
fn territory_key(t: &TenantRecord) -> Option<String> {
    match t.carrier {
        Carrier::Land => t.regierungsbezirk.map(|rb| format!("rb {}", rb.code())),
        Carrier::Kreis => t.kreisschluessel.as_ref().map(|k| format!("Kreis {k}")),
        Carrier::KreisfreieStadt | Carrier::GrosseKreisangehoerigeStadt => {
            t.ags.as_ref().map(|a| format!("AGS {a}"))
        }
    }
}

/// Checks across tenants: uniqueness, delegation targets, counts.
fn check_catalog(
    tenants: &[(String, TenantRecord)],
    expected: ExpectedCounts,
    counts: bool,
) -> Vec<CatalogIssue> {
    let mut issues = Vec::new();
    let issue = |file: &str, t: &TenantRecord, field: &'static str, message: String| CatalogIssue {
        file: file.to_owned(),
        tenant: t.slug.to_string(),
        field,
        message,
    };
    let mut ids: HashMap<TenantId, &str> = HashMap::new();
    let mut slugs: HashMap<&Slug, &str> = HashMap::new();
    let mut names: HashMap<&str, &str> = HashMap::new();
    let mut territories: HashMap<(TenantKind, String), &str> = HashMap::new();
    for (file, t) in tenants {
        if let Some(other) = ids.insert(t.id, t.slug.as_str()) {
            issues.push(issue(
                file,
                t,
                "id",
                format!("{} is also the id of {other}", t.id),
            ));
        }
        if slugs.insert(&t.slug, file).is_some() {
            issues.push(issue(file, t, "slug", "appears twice".to_owned()));
        }
        if let Some(other) = names.insert(t.name.as_str(), t.slug.as_str()) {
            issues.push(issue(file, t, "name", format!("{other} has the same name")));
        }
        if let Some(key) = territory_key(t)
            && t.kind != TenantKind::Ministry
            && let Some(other) = territories.insert((t.kind, key.clone()), t.slug.as_str())
        {
            issues.push(issue(
                file,
                t,
                if t.carrier == Carrier::Kreis {
                    "kreisschluessel"
                } else {
                    "ags"
                },
                format!("{other} is already the {} for {key}", t.kind),
            ));
        }
    }
    let by_slug: HashMap<&Slug, &TenantRecord> =
        tenants.iter().map(|(_, t)| (&t.slug, t)).collect();
    for (file, t) in tenants {
        let Some(target) = &t.delegated_to else {
            continue;
        };
        match by_slug.get(target) {
            None => issues.push(issue(
                file,
                t,
                "delegated_to",
                format!("no tenant {target}"),
            )),
            Some(k) => {
                if k.kind != t.kind
                    || k.carrier != Carrier::Kreis
                    || k.kreisschluessel != t.kreisschluessel
                {
                    issues.push(issue(
                        file,
                        t,
                        "delegated_to",
                        format!(
                            "{target} is not the {} of the Kreis this city belongs to",
                            t.kind
                        ),
                    ));
                }
            }
        }
    }
    // One ZAB per Regierungsbezirk (§ 1 ZustAVO).
    let mut zab_rb: BTreeMap<Regierungsbezirk, &str> = BTreeMap::new();
    for (file, t) in tenants.iter().filter(|(_, t)| t.kind == TenantKind::Zab) {
        if let Some(rb) = t.regierungsbezirk
            && let Some(other) = zab_rb.insert(rb, t.slug.as_str())
        {
            issues.push(issue(
                file,
                t,
                "regierungsbezirk",
                format!("{other} is already the ZAB of {}", rb.name_de()),
            ));
        }
    }

    if !counts {
        return issues;
    }
    let count = |kind: TenantKind| tenants.iter().filter(|(_, t)| t.kind == kind).count();
    let pilots = tenants.iter().filter(|(_, t)| t.pilot).count();
    for (what, field, found, want) in [
        (
            "ministry",
            "kind",
            count(TenantKind::Ministry),
            expected.ministry,
        ),
        (
            "Bezirksregierungen",
            "kind",
            count(TenantKind::Bezirksregierung),
            expected.bezirksregierungen,
        ),
        ("ZAB", "kind", count(TenantKind::Zab), expected.zab),
        (
            "ABH candidates",
            "kind",
            count(TenantKind::Abh),
            expected.abh_candidates,
        ),
        ("pilot ABH", "pilot", pilots, expected.pilots),
    ] {
        if found != want {
            issues.push(CatalogIssue {
                file: "*".to_owned(),
                tenant: "*".to_owned(),
                field,
                message: format!("expected {want} {what}, found {found}"),
            });
        }
    }
    issues
}

impl Catalog {
    /// The catalog compiled into the binary, checked against the embedded municipality data.
    pub fn embedded() -> Result<Self, CatalogError> {
        Self::from_sources(EMBEDDED_FILES, &Municipalities::embedded()?)
    }

    /// Every `*.toml` file in `dir` (not recursive, in name order), checked against the embedded
    /// municipality data. This is how a corrected catalog is imported without a new release.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Self, CatalogError> {
        let dir = dir.as_ref();
        let entries = std::fs::read_dir(dir).map_err(|source| CatalogError::ReadDir {
            path: dir.to_owned(),
            source,
        })?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| CatalogError::ReadDir {
                path: dir.to_owned(),
                source,
            })?;
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                paths.push(path);
            }
        }
        if paths.is_empty() {
            return Err(CatalogError::NoFiles(dir.to_owned()));
        }
        paths.sort();
        let mut files = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|source| CatalogError::ReadFile {
                path: path.clone(),
                source,
            })?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string());
            files.push((name, text));
        }
        let borrowed: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        Self::from_sources(&borrowed, &Municipalities::embedded()?)
    }

    /// Parses and validates catalog files given as (file name, TOML text), expecting the NRW counts.
    pub fn from_sources(
        files: &[(&str, &str)],
        municipalities: &Municipalities,
    ) -> Result<Self, CatalogError> {
        Self::from_sources_expecting(files, municipalities, ExpectedCounts::NRW)
    }

    /// As [`Catalog::from_sources`], with other expected counts.
    pub fn from_sources_expecting(
        files: &[(&str, &str)],
        municipalities: &Municipalities,
        expected: ExpectedCounts,
    ) -> Result<Self, CatalogError> {
        let mut issues = Vec::new();
        let mut tenants = Vec::new();
        for (file, text) in files {
            let parsed: RawFile = toml::from_str(text).map_err(|e| CatalogError::Syntax {
                file: (*file).to_owned(),
                message: e.to_string(),
            })?;
            for (i, raw) in parsed.tenant.iter().enumerate() {
                let tenant = match Slug::parse(raw.slug.trim()) {
                    Ok(s) => s.to_string(),
                    Err(_) => format!("#{}", i + 1),
                };
                let mut checker = Checker {
                    file,
                    tenant,
                    issues: &mut issues,
                };
                if let Some(record) = check_tenant(raw, &mut checker, municipalities) {
                    tenants.push(((*file).to_owned(), record));
                }
            }
        }
        // Counts are only meaningful once every entry parsed.
        let counts = issues.is_empty();
        issues.extend(check_catalog(&tenants, expected, counts));
        if !issues.is_empty() {
            return Err(CatalogError::Invalid(issues));
        }
        Ok(Self {
            tenants: tenants.into_iter().map(|(_, t)| t).collect(),
        })
    }

    /// Every tenant, in file order.
    pub fn tenants(&self) -> &[TenantRecord] {
        &self.tenants
    }

    pub fn into_tenants(self) -> Vec<TenantRecord> {
        self.tenants
    }

    pub fn by_slug(&self, slug: &str) -> Option<&TenantRecord> {
        self.tenants.iter().find(|t| t.slug.as_str() == slug)
    }

    pub fn by_id(&self, id: TenantId) -> Option<&TenantRecord> {
        self.tenants.iter().find(|t| t.id == id)
    }

    pub fn of_kind(&self, kind: TenantKind) -> impl Iterator<Item = &TenantRecord> {
        self.tenants.iter().filter(move |t| t.kind == kind)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn data() -> Municipalities {
        Municipalities::embedded().unwrap()
    }

    /// The embedded files with `from` replaced by `to` in `file` (the edit must apply).
    fn edited(file: &str, from: &str, to: &str) -> Vec<(&'static str, String)> {
        EMBEDDED_FILES
            .iter()
            .map(|(name, text)| {
                if *name == file {
                    assert!(text.contains(from), "{from:?} not in {file}");
                    (*name, text.replacen(from, to, 1))
                } else {
                    (*name, (*text).to_owned())
                }
            })
            .collect()
    }

    fn load(files: &[(&'static str, String)]) -> Result<Catalog, CatalogError> {
        let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        Catalog::from_sources(&borrowed, &data())
    }

    fn issues(result: Result<Catalog, CatalogError>) -> Vec<CatalogIssue> {
        match result {
            Err(CatalogError::Invalid(issues)) => issues,
            other => panic!("expected validation issues, got {other:?}"),
        }
    }

    fn has(issues: &[CatalogIssue], file: &str, tenant: &str, field: &str) -> bool {
        issues
            .iter()
            .any(|i| i.file == file && i.tenant == tenant && i.field == field)
    }

    #[test]
    fn embedded_catalog_loads_with_expected_counts() {
        let c = Catalog::embedded().unwrap();
        let n = |k| c.of_kind(k).count();
        assert_eq!(n(TenantKind::Ministry), 1);
        assert_eq!(n(TenantKind::Bezirksregierung), 5);
        assert_eq!(n(TenantKind::Zab), 5);
        assert_eq!(n(TenantKind::Abh), 88);
        assert_eq!(n(TenantKind::Einbuergerungsbehoerde), 88);
        let abh = |carrier| {
            c.of_kind(TenantKind::Abh)
                .filter(|t| t.carrier == carrier)
                .count()
        };
        assert_eq!(abh(Carrier::KreisfreieStadt), 22);
        assert_eq!(abh(Carrier::Kreis), 31);
        assert_eq!(abh(Carrier::GrosseKreisangehoerigeStadt), 35);
        assert!(
            c.tenants()
                .iter()
                .all(|t| t.lifecycle_state == LifecycleState::Catalogued)
        );
        assert!(c.tenants().iter().all(|t| t.vendor == Vendor::Unknown));
    }

    #[test]
    fn pilots_are_the_six_named_abh() {
        let c = Catalog::embedded().unwrap();
        let pilots: HashSet<&str> = c
            .tenants()
            .iter()
            .filter(|t| t.pilot)
            .map(|t| t.slug.as_str())
            .collect();
        let want: HashSet<&str> = [
            "abh-kreis-borken",
            "abh-bielefeld",
            "abh-duesseldorf",
            "abh-essen",
            "abh-hamm",
            "abh-leverkusen",
        ]
        .into();
        assert_eq!(pilots, want);
    }

    #[test]
    fn zab_are_separate_tenants_from_the_city_abh() {
        let c = Catalog::embedded().unwrap();
        let zab: HashSet<&str> = c
            .of_kind(TenantKind::Zab)
            .map(|t| t.slug.as_str())
            .collect();
        let want: HashSet<&str> = [
            "zab-bielefeld",
            "zab-essen",
            "zab-koeln",
            "zab-kreis-coesfeld",
            "zab-kreis-unna",
        ]
        .into();
        assert_eq!(zab, want);
        for city in ["essen", "koeln", "bielefeld"] {
            let z = c.by_slug(&format!("zab-{city}")).unwrap();
            let a = c.by_slug(&format!("abh-{city}")).unwrap();
            assert_ne!(z.id, a.id);
            assert_eq!(z.ags, a.ags, "same city, same AGS, different tenants");
        }
        let rbs: HashSet<_> = c
            .of_kind(TenantKind::Zab)
            .map(|t| t.regierungsbezirk)
            .collect();
        assert_eq!(rbs.len(), 5, "one ZAB per Regierungsbezirk");
    }

    #[test]
    fn keys_agree_with_the_reference_list() {
        let c = Catalog::embedded().unwrap();
        // reference.md 7.2, a sample across the three groups.
        for (slug, ags, ks) in [
            ("abh-dormagen", Some("05162004"), "05162"),
            ("abh-witten", Some("05954036"), "05954"),
            ("abh-muenster", Some("05515000"), "05515"),
            ("abh-staedteregion-aachen", None, "05334"),
            ("abh-kreis-borken", None, "05554"),
            ("abh-hochsauerlandkreis", None, "05958"),
        ] {
            let t = c.by_slug(slug).unwrap_or_else(|| panic!("{slug} missing"));
            assert_eq!(t.ags.as_ref().map(|a| a.as_str()), ags, "{slug}");
            assert_eq!(
                t.kreisschluessel.as_ref().map(|k| k.as_str()),
                Some(ks),
                "{slug}"
            );
        }
        // The city of Aachen is no candidate: the StädteRegion serves it.
        assert!(
            c.tenants()
                .iter()
                .all(|t| t.ags.as_ref().map(|a| a.as_str()) != Some("05334002"))
        );
        // Ids are v4 and unique across the whole catalog.
        let ids: HashSet<TenantId> = c.tenants().iter().map(|t| t.id).collect();
        assert_eq!(ids.len(), c.tenants().len());
        assert!(c.tenants().iter().all(|t| t.id.0.get_version_num() == 4));
    }

    #[test]
    fn load_dir_reads_the_same_catalog_as_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        // Not assert_eq: a failure would print 187 records.
        let same = Catalog::load_dir(&dir).unwrap() == Catalog::embedded().unwrap();
        assert!(
            same,
            "a file in tenants/catalog/ is missing from EMBEDDED_FILES"
        );
        let missing = Catalog::load_dir(dir.join("does-not-exist"));
        assert!(matches!(missing, Err(CatalogError::ReadDir { .. })));
    }

    #[test]
    fn bad_ags_is_reported_with_file_tenant_and_field() {
        let files = edited("abh.toml", "ags = \"05162004\"", "ags = \"5162004\"");
        let issues = issues(load(&files));
        assert!(
            has(&issues, "abh.toml", "abh-dormagen", "ags"),
            "{issues:?}"
        );
        let text = CatalogError::Invalid(issues).to_string();
        assert!(
            text.contains("abh.toml: tenant abh-dormagen: field ags"),
            "{text}"
        );
    }

    #[test]
    fn ags_must_match_kreisschluessel_and_municipality_data() {
        // Dormagen's AGS placed in Kreis Mettmann.
        let files = edited(
            "abh.toml",
            "ags = \"05162004\"\nkreisschluessel = \"05162\"",
            "ags = \"05162004\"\nkreisschluessel = \"05158\"",
        );
        assert!(has(
            &issues(load(&files)),
            "abh.toml",
            "abh-dormagen",
            "kreisschluessel"
        ));
        // An AGS that is well-formed but no municipality.
        let files = edited("abh.toml", "ags = \"05162004\"", "ags = \"05162999\"");
        assert!(has(
            &issues(load(&files)),
            "abh.toml",
            "abh-dormagen",
            "ags"
        ));
        // A kreisangehörige Stadt posing as kreisfrei.
        let files = edited(
            "abh.toml",
            "carrier = \"grosse_kreisangehoerige_stadt\"\nregierungsbezirk = \"duesseldorf\"\nags = \"05162004\"",
            "carrier = \"kreisfreie_stadt\"\nregierungsbezirk = \"duesseldorf\"\nags = \"05162004\"",
        );
        assert!(has(
            &issues(load(&files)),
            "abh.toml",
            "abh-dormagen",
            "carrier"
        ));
        // Wrong Regierungsbezirk.
        let files = edited(
            "abh.toml",
            "regierungsbezirk = \"duesseldorf\"\nags = \"05162004\"",
            "regierungsbezirk = \"koeln\"\nags = \"05162004\"",
        );
        assert!(has(
            &issues(load(&files)),
            "abh.toml",
            "abh-dormagen",
            "regierungsbezirk"
        ));
        // A name that does not fit the AGS.
        let files = edited(
            "abh.toml",
            "Stadt Dormagen – Ausländerbehörde",
            "Stadt Neuss II – Ausländerbehörde",
        );
        assert!(has(
            &issues(load(&files)),
            "abh.toml",
            "abh-dormagen",
            "name"
        ));
    }

    #[test]
    fn duplicate_ids_slugs_and_territories_are_refused() {
        let c = Catalog::embedded().unwrap();
        let dormagen = c.by_slug("abh-dormagen").unwrap().id.to_string();
        let neuss = c.by_slug("abh-neuss").unwrap().id.to_string();
        let files = edited("abh.toml", &neuss, &dormagen);
        assert!(has(&issues(load(&files)), "abh.toml", "abh-neuss", "id"));

        let files = edited(
            "abh.toml",
            "slug = \"abh-neuss\"",
            "slug = \"abh-dormagen\"",
        );
        assert!(has(
            &issues(load(&files)),
            "abh.toml",
            "abh-dormagen",
            "slug"
        ));

        // Two ABH for the same city: Neuss's entry pointed at Dormagen.
        let files = edited(
            "abh.toml",
            "name = \"Stadt Neuss – Ausländerbehörde\"\nkind = \"abh\"\ncarrier = \"grosse_kreisangehoerige_stadt\"\nregierungsbezirk = \"duesseldorf\"\nags = \"05162024\"",
            "name = \"Stadt Dormagen (Zweitstelle) – Ausländerbehörde\"\nkind = \"abh\"\ncarrier = \"grosse_kreisangehoerige_stadt\"\nregierungsbezirk = \"duesseldorf\"\nags = \"05162004\"",
        );
        let found = issues(load(&files));
        assert!(
            found
                .iter()
                .any(|i| i.field == "ags" && i.message.contains("already the abh for AGS 05162004")),
            "{found:?}"
        );
    }

    #[test]
    fn counts_are_enforced() {
        // Un-pilot one ABH: five pilots.
        let files = edited("abh.toml", "slug = \"abh-hamm\"", "slug = \"abh-hamm\"");
        assert!(load(&files).is_ok());
        let hamm_block_pilot = {
            let text = EMBEDDED_FILES
                .iter()
                .find(|(n, _)| *n == "abh.toml")
                .map(|(_, t)| *t)
                .unwrap();
            let start = text.find("slug = \"abh-hamm\"").unwrap();
            let rel = text[start..].find("pilot = true").unwrap();
            let mut s = text.to_owned();
            s.replace_range(
                start + rel..start + rel + "pilot = true".len(),
                "pilot = false",
            );
            s
        };
        let files: Vec<(&'static str, String)> = EMBEDDED_FILES
            .iter()
            .map(|(n, t)| {
                if *n == "abh.toml" {
                    (*n, hamm_block_pilot.clone())
                } else {
                    (*n, (*t).to_owned())
                }
            })
            .collect();
        let found = issues(load(&files));
        assert!(has(&found, "*", "*", "pilot"), "{found:?}");

        // Drop the ZAB file: zero ZAB.
        let files: Vec<(&'static str, String)> = EMBEDDED_FILES
            .iter()
            .filter(|(n, _)| *n != "zab.toml")
            .map(|(n, t)| (*n, (*t).to_owned()))
            .collect();
        let found = issues(load(&files));
        assert!(
            found.iter().any(|i| i.message == "expected 5 ZAB, found 0"),
            "{found:?}"
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let files = edited(
            "zab.toml",
            "vendor = \"unknown\"",
            "vendor = \"unknown\"\nvendr = \"advis\"",
        );
        assert!(
            matches!(load(&files), Err(CatalogError::Syntax { ref file, .. }) if file == "zab.toml")
        );

        let files = edited("zab.toml", "vendor = \"unknown\"", "vendor = \"okvisa\"");
        assert!(has(
            &issues(load(&files)),
            "zab.toml",
            "zab-essen",
            "vendor"
        ));

        let files = edited("ministry.toml", "confirmed = true\n", "");
        assert!(has(
            &issues(load(&files)),
            "ministry.toml",
            "mhkbd",
            "confirmed"
        ));

        let v1 = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        let c = Catalog::embedded().unwrap();
        let ministry = c.by_slug("mhkbd").unwrap().id.to_string();
        let files = edited("ministry.toml", &ministry, v1);
        assert!(has(&issues(load(&files)), "ministry.toml", "mhkbd", "id"));

        let files = edited("zab.toml", "slug = \"zab-essen\"", "slug = \"ZAB Essen\"");
        assert!(has(&issues(load(&files)), "zab.toml", "#1", "slug"));
    }

    #[test]
    fn delegation_must_point_to_the_own_kreis() {
        let files = edited(
            "abh.toml",
            "slug = \"abh-dormagen\"",
            "slug = \"abh-dormagen\"\n",
        );
        assert!(load(&files).is_ok());
        let with_target = |target: &str| {
            let text = EMBEDDED_FILES
                .iter()
                .find(|(n, _)| *n == "abh.toml")
                .map(|(_, t)| *t)
                .unwrap();
            let start = text.find("slug = \"abh-dormagen\"").unwrap();
            let rel = text[start..].find("delegated_to = \"\"").unwrap();
            let mut s = text.to_owned();
            s.replace_range(
                start + rel..start + rel + "delegated_to = \"\"".len(),
                &format!("delegated_to = \"{target}\""),
            );
            let files: Vec<(&'static str, String)> = EMBEDDED_FILES
                .iter()
                .map(|(n, t)| {
                    (
                        *n,
                        if *n == "abh.toml" {
                            s.clone()
                        } else {
                            (*t).to_owned()
                        },
                    )
                })
                .collect();
            load(&files)
        };
        assert!(with_target("abh-rhein-kreis-neuss").is_ok());
        assert!(has(
            &issues(with_target("abh-kreis-borken")),
            "abh.toml",
            "abh-dormagen",
            "delegated_to"
        ));
        assert!(has(
            &issues(with_target("abh-nowhere")),
            "abh.toml",
            "abh-dormagen",
            "delegated_to"
        ));
    }
}
