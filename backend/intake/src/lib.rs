//! Online services as data: the statewide service catalog, form definitions with conditional
//! fields, server-side validation with one message key per field, step splitting, the non-binding
//! quick check and fee calculation with exemptions (AufenthV §§ 44 ff.).
//!
//! Invariant: pure. No HTTP, no SQL, no clock (the caller passes today's date). The definitions
//! are data files under `backend/intake/services/`, compiled in with [`Catalog::embedded`] or read
//! with [`Catalog::load_dir`]; a tenant adds only hints, contact data and opening hours.

pub mod appointments;
pub mod settings;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The portal languages every text must exist in.
pub const LANGUAGES: [&str; 5] = ["de", "en", "ar", "uk", "tr"];

/// Form values as submitted: field key → text. Stored as a JSON object.
pub type FormData = BTreeMap<String, String>;

/// Field key → message key (e.g. `intake-error-required`), rendered next to the field.
pub type FieldErrors = BTreeMap<String, String>;

/// A text in every portal language (`de`, `en`, `ar`, `uk`, `tr`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    /// The text in `lang`, German if missing.
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("de"))
            .map(String::as_str)
            .unwrap_or("")
    }

    fn missing(&self) -> Vec<&'static str> {
        LANGUAGES
            .iter()
            .copied()
            .filter(|l| self.0.get(*l).is_none_or(|t| t.trim().is_empty()))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    Text,
    /// `YYYY-MM-DD`.
    Date,
    Select,
    /// `yes` or `no`.
    YesNo,
    /// A whole number.
    Number,
    Email,
    /// Five digits.
    PostalCode,
    /// Letters and digits, 6–12 characters (German and foreign passports).
    DocumentNumber,
    /// Multi-line text.
    TextArea,
}

/// When a date must lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateRule {
    Past,
    Future,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: Text,
}

/// Show a field only when another field has one of the values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    pub equals: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDef {
    pub key: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    pub label: Text,
    #[serde(default)]
    pub hint: Option<Text>,
    #[serde(default)]
    pub options: Vec<Choice>,
    #[serde(default)]
    pub show_if: Option<Condition>,
    #[serde(default)]
    pub max_len: Option<usize>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub date: Option<DateRule>,
    /// The HTML `autocomplete` token, if any.
    #[serde(default)]
    pub autocomplete: Option<String>,
}

impl FieldDef {
    /// Whether the field applies given the values so far.
    pub fn visible(&self, data: &FormData) -> bool {
        match &self.show_if {
            None => true,
            Some(cond) => data
                .get(&cond.field)
                .is_some_and(|v| cond.equals.iter().any(|e| e == v)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDef {
    pub key: String,
    pub title: Text,
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceDef {
    pub key: String,
    pub label: Text,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub show_if: Option<Condition>,
}

/// One rule of the non-binding quick check (naturalization).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRule {
    pub field: String,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub equals: Option<Vec<String>>,
    /// What to tell the applicant when the rule is not met.
    pub advice: Text,
}

/// Which fee code applies, possibly chosen by a field's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRule {
    pub code: String,
    #[serde(default)]
    pub by_field: Option<String>,
    #[serde(default)]
    pub by_value: BTreeMap<String, String>,
}

/// Which kind of authority receives the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthorityKind {
    Abh,
    Einbuergerung,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDef {
    pub key: String,
    pub version: u32,
    pub authority: AuthorityKind,
    pub title: Text,
    pub summary: Text,
    pub steps: Vec<StepDef>,
    #[serde(default)]
    pub evidence: Vec<EvidenceDef>,
    pub fee: FeeRule,
    #[serde(default)]
    pub quick_check: Vec<CheckRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeDef {
    pub code: String,
    pub cents: i64,
    pub legal: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exemption {
    pub key: String,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub equals: Vec<String>,
    #[serde(default)]
    pub age_below: Option<u32>,
    #[serde(default)]
    pub age_field: Option<String>,
    /// What remains to pay, in percent.
    pub percent: i64,
    pub applies_to: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct FeeFile {
    #[serde(default)]
    fee: Vec<FeeDef>,
    #[serde(default)]
    exemption: Vec<Exemption>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct FieldFile {
    #[serde(default)]
    field: Vec<FieldDef>,
}

/// The computed fee of one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fee {
    pub code: String,
    pub legal: String,
    pub base_cents: i64,
    pub cents: i64,
    /// The exemption applied, if any (the one leaving the least to pay).
    pub exemption: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{0}")]
    Invalid(String),
    #[error("reading {0}: {1}")]
    Io(String, std::io::Error),
}

/// The statewide catalog: shared fields, services and the fee catalogue.
#[derive(Debug, Clone)]
pub struct Catalog {
    fields: BTreeMap<String, FieldDef>,
    services: Vec<ServiceDef>,
    fees: BTreeMap<String, FeeDef>,
    exemptions: Vec<Exemption>,
}

/// The data files compiled into the binary: (name, content).
pub const EMBEDDED_FILES: &[(&str, &str)] = &[
    ("fields.toml", include_str!("../services/fields.toml")),
    ("fees.toml", include_str!("../services/fees.toml")),
    (
        "residence-extension.toml",
        include_str!("../services/residence-extension.toml"),
    ),
    (
        "settlement-permit.toml",
        include_str!("../services/settlement-permit.toml"),
    ),
    (
        "naturalization.toml",
        include_str!("../services/naturalization.toml"),
    ),
    (
        "declaration-of-commitment.toml",
        include_str!("../services/declaration-of-commitment.toml"),
    ),
    (
        "fiktionsbescheinigung.toml",
        include_str!("../services/fiktionsbescheinigung.toml"),
    ),
];

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, CatalogError> {
    toml::from_str(text).map_err(|err| CatalogError::Parse {
        file: name.to_owned(),
        message: err.to_string(),
    })
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn embedded() -> Result<Self, CatalogError> {
        Self::from_sources(EMBEDDED_FILES)
    }

    /// Reads every `*.toml` of a directory (`fields.toml`, `fees.toml`, one file per service).
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Self, CatalogError> {
        let dir = dir.as_ref();
        let mut files = Vec::new();
        let entries = std::fs::read_dir(dir)
            .map_err(|err| CatalogError::Io(dir.display().to_string(), err))?;
        for entry in entries {
            let entry = entry.map_err(|err| CatalogError::Io(dir.display().to_string(), err))?;
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|err| CatalogError::Io(path.display().to_string(), err))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                files.push((name, text));
            }
        }
        files.sort();
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        Self::from_sources(&refs)
    }

    pub fn from_sources(files: &[(&str, &str)]) -> Result<Self, CatalogError> {
        let mut fields = BTreeMap::new();
        let mut services = Vec::new();
        let mut fee_file = FeeFile::default();
        for (name, text) in files {
            match *name {
                "fields.toml" => {
                    let file: FieldFile = parse(name, text)?;
                    for field in file.field {
                        if fields.insert(field.key.clone(), field).is_some() {
                            return Err(CatalogError::Invalid(format!(
                                "{name}: a field key appears twice"
                            )));
                        }
                    }
                }
                "fees.toml" => fee_file = parse(name, text)?,
                _ => services.push(parse::<ServiceDef>(name, text)?),
            }
        }
        services.sort_by(|a, b| a.key.cmp(&b.key));
        let catalog = Catalog {
            fields,
            services,
            fees: fee_file
                .fee
                .into_iter()
                .map(|f| (f.code.clone(), f))
                .collect(),
            exemptions: fee_file.exemption,
        };
        catalog.check()?;
        Ok(catalog)
    }

    /// Every reference resolves and every text exists in every language.
    fn check(&self) -> Result<(), CatalogError> {
        let mut problems = Vec::new();
        let mut text = |what: String, t: &Text| {
            let missing = t.missing();
            if !missing.is_empty() {
                problems.push(format!("{what}: missing {missing:?}"));
            }
        };
        for f in self.fields.values() {
            text(format!("field {} label", f.key), &f.label);
            if let Some(h) = &f.hint {
                text(format!("field {} hint", f.key), h);
            }
            for o in &f.options {
                text(format!("field {} option {}", f.key, o.value), &o.label);
            }
        }
        for s in &self.services {
            text(format!("service {} title", s.key), &s.title);
            text(format!("service {} summary", s.key), &s.summary);
            for step in &s.steps {
                text(format!("service {} step {}", s.key, step.key), &step.title);
            }
            for e in &s.evidence {
                text(format!("service {} evidence {}", s.key, e.key), &e.label);
            }
            for c in &s.quick_check {
                text(format!("service {} check {}", s.key, c.field), &c.advice);
            }
        }
        for s in &self.services {
            for step in &s.steps {
                for key in &step.fields {
                    match self.fields.get(key) {
                        None => problems.push(format!("service {}: unknown field {key}", s.key)),
                        Some(f) => {
                            if let Some(c) = &f.show_if
                                && !s.steps.iter().any(|st| st.fields.contains(&c.field))
                            {
                                problems.push(format!(
                                    "service {}: {key} depends on {} which the form lacks",
                                    s.key, c.field
                                ));
                            }
                        }
                    }
                }
            }
            let mut codes = vec![s.fee.code.clone()];
            codes.extend(s.fee.by_value.values().cloned());
            for code in codes {
                if !self.fees.contains_key(&code) {
                    problems.push(format!("service {}: unknown fee {code}", s.key));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(CatalogError::Invalid(problems.join("; ")))
        }
    }

    pub fn services(&self) -> &[ServiceDef] {
        &self.services
    }

    pub fn service(&self, key: &str) -> Option<&ServiceDef> {
        self.services.iter().find(|s| s.key == key)
    }

    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.fields.get(key)
    }

    pub fn fee_def(&self, code: &str) -> Option<&FeeDef> {
        self.fees.get(code)
    }

    /// The fields of one step, in order.
    pub fn step_fields<'a>(&'a self, service: &'a ServiceDef, step: usize) -> Vec<&'a FieldDef> {
        service
            .steps
            .get(step)
            .map(|s| s.fields.iter().filter_map(|k| self.fields.get(k)).collect())
            .unwrap_or_default()
    }

    /// Every field of the service, in step order.
    pub fn all_fields<'a>(&'a self, service: &'a ServiceDef) -> Vec<&'a FieldDef> {
        (0..service.steps.len())
            .flat_map(|i| self.step_fields(service, i))
            .collect()
    }

    /// Validates one step. Hidden fields are not validated (and are dropped by [`Self::clean`]).
    pub fn validate_step(
        &self,
        service: &ServiceDef,
        step: usize,
        data: &FormData,
        today: NaiveDate,
    ) -> FieldErrors {
        let mut errors = FieldErrors::new();
        for field in self.step_fields(service, step) {
            if !field.visible(data) {
                continue;
            }
            let value = data.get(&field.key).map(|v| v.trim()).unwrap_or("");
            if let Err(key) = validate_value(field, value, today) {
                errors.insert(field.key.clone(), key.to_owned());
            }
        }
        errors
    }

    /// Validates the whole form; the first step with errors and the errors.
    pub fn validate_all(
        &self,
        service: &ServiceDef,
        data: &FormData,
        today: NaiveDate,
    ) -> Result<(), (usize, FieldErrors)> {
        for step in 0..service.steps.len() {
            let errors = self.validate_step(service, step, data, today);
            if !errors.is_empty() {
                return Err((step, errors));
            }
        }
        Ok(())
    }

    /// Keeps only the service's visible fields, trimmed; unknown keys are dropped.
    pub fn clean(&self, service: &ServiceDef, data: &FormData) -> FormData {
        let mut out = FormData::new();
        for field in self.all_fields(service) {
            if let Some(v) = data.get(&field.key) {
                out.insert(field.key.clone(), v.trim().to_owned());
            }
        }
        let hidden: Vec<String> = self
            .all_fields(service)
            .into_iter()
            .filter(|f| !f.visible(&out))
            .map(|f| f.key.clone())
            .collect();
        for key in hidden {
            out.remove(&key);
        }
        out
    }

    /// The evidence the application needs given its values.
    pub fn evidence<'a>(
        &'a self,
        service: &'a ServiceDef,
        data: &FormData,
    ) -> Vec<&'a EvidenceDef> {
        service
            .evidence
            .iter()
            .filter(|e| match &e.show_if {
                None => true,
                Some(c) => data
                    .get(&c.field)
                    .is_some_and(|v| c.equals.iter().any(|x| x == v)),
            })
            .collect()
    }

    /// The advice of every quick-check rule not met (empty: no obstacle found; never binding).
    pub fn quick_check<'a>(&'a self, service: &'a ServiceDef, data: &FormData) -> Vec<&'a Text> {
        service
            .quick_check
            .iter()
            .filter(|rule| {
                let value = data.get(&rule.field).map(|v| v.trim()).unwrap_or("");
                let min_ok = rule
                    .min
                    .is_none_or(|min| value.parse::<i64>().is_ok_and(|n| n >= min));
                let eq_ok = rule
                    .equals
                    .as_ref()
                    .is_none_or(|vals| vals.iter().any(|v| v == value));
                !(min_ok && eq_ok)
            })
            .map(|rule| &rule.advice)
            .collect()
    }

    /// The fee of an application: the service's fee code (possibly chosen by a field), reduced
    /// by the exemption that leaves the least to pay. Integer cents, rounded down to whole cents.
    pub fn fee(&self, service: &ServiceDef, data: &FormData, today: NaiveDate) -> Option<Fee> {
        let code = service
            .fee
            .by_field
            .as_ref()
            .and_then(|f| data.get(f))
            .and_then(|v| service.fee.by_value.get(v))
            .unwrap_or(&service.fee.code);
        let def = self.fees.get(code)?;
        let mut best: Option<&Exemption> = None;
        for ex in &self.exemptions {
            if !ex.applies_to.iter().any(|c| c == code) {
                continue;
            }
            let field_ok = ex
                .field
                .as_ref()
                .is_none_or(|f| data.get(f).is_some_and(|v| ex.equals.contains(v)));
            let age_ok = match (ex.age_below, &ex.age_field) {
                (Some(limit), Some(field)) => data
                    .get(field)
                    .and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok())
                    .is_some_and(|born| age_on(born, today) < limit),
                (Some(_), None) => false,
                _ => true,
            };
            if field_ok && age_ok && best.is_none_or(|b| ex.percent < b.percent) {
                best = Some(ex);
            }
        }
        let cents = match best {
            Some(ex) => def.cents * ex.percent.clamp(0, 100) / 100,
            None => def.cents,
        };
        Some(Fee {
            code: def.code.clone(),
            legal: def.legal.clone(),
            base_cents: def.cents,
            cents,
            exemption: best.map(|e| e.key.clone()),
        })
    }
}

/// Full years between `born` and `today`.
pub fn age_on(born: NaiveDate, today: NaiveDate) -> u32 {
    let mut years = today.year() - born.year();
    if (today.month(), today.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// Checks one value; the error is a message key from `portal.ftl`.
pub fn validate_value(field: &FieldDef, value: &str, today: NaiveDate) -> Result<(), &'static str> {
    if value.is_empty() {
        return if field.required {
            Err("intake-error-required")
        } else {
            Ok(())
        };
    }
    let max_len = field.max_len.unwrap_or(match field.kind {
        FieldKind::TextArea => 2000,
        _ => 200,
    });
    if value.chars().count() > max_len {
        return Err("intake-error-too-long");
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err("intake-error-characters");
    }
    match field.kind {
        FieldKind::Text | FieldKind::TextArea => Ok(()),
        FieldKind::Email => {
            let ok = value
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !value.contains(' '));
            if ok {
                Ok(())
            } else {
                Err("intake-error-email")
            }
        }
        FieldKind::Date => {
            let date =
                NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| "intake-error-date")?;
            match field.date {
                Some(DateRule::Past) if date >= today => Err("intake-error-date-past"),
                Some(DateRule::Future) if date <= today => Err("intake-error-date-future"),
                _ if date.year() < 1900 => Err("intake-error-date"),
                _ => Ok(()),
            }
        }
        FieldKind::Select => {
            if field.options.iter().any(|o| o.value == value) {
                Ok(())
            } else {
                Err("intake-error-option")
            }
        }
        FieldKind::YesNo => match value {
            "yes" | "no" => Ok(()),
            _ => Err("intake-error-option"),
        },
        FieldKind::Number => {
            let n: i64 = value.parse().map_err(|_| "intake-error-number")?;
            if field.min.is_some_and(|m| n < m) || field.max.is_some_and(|m| n > m) {
                Err("intake-error-range")
            } else {
                Ok(())
            }
        }
        FieldKind::PostalCode => {
            if value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err("intake-error-postal-code")
            }
        }
        FieldKind::DocumentNumber => {
            let ok = (6..=12).contains(&value.len())
                && value
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if ok {
                Ok(())
            } else {
                Err("intake-error-document-number")
            }
        }
    }
}

/// Every message key validation can produce (the locale test checks each exists).
pub const ERROR_KEYS: &[&str] = &[
    "intake-error-required",
    "intake-error-too-long",
    "intake-error-characters",
    "intake-error-email",
    "intake-error-date",
    "intake-error-date-past",
    "intake-error-date-future",
    "intake-error-option",
    "intake-error-number",
    "intake-error-range",
    "intake-error-postal-code",
    "intake-error-document-number",
];

/// Formats cents as `93,00 €` (German) or `€93.00` style is left to the page; this is the plain
/// decimal `93.00`.
pub fn cents_decimal(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

#[cfg(test)]
mod tests;
