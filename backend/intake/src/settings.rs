//! A tenant's own settings on top of the statewide catalog: whether it offers a service online,
//! its hints, contact data and opening-hours text, and its appointment resources. Checked here so
//! the admin page and the API refuse the same input with the same message keys.

use crate::FieldErrors;

/// Longest own hint on a service.
pub const MAX_HINTS: usize = 2000;
/// Longest contact block and opening-hours text.
pub const MAX_SHORT_TEXT: usize = 500;
/// Longest resource name.
pub const MAX_NAME: usize = 100;

/// The kinds of appointment resources.
pub const RESOURCE_KINDS: [&str; 3] = ["counter", "biometrics", "interpreter"];

/// Checked service settings; empty texts become `None` (the statewide text alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTexts {
    pub hints: Option<String>,
    pub contact: Option<String>,
    pub opening_hours: Option<String>,
}

/// A text the tenant writes: trimmed, bounded, without control characters other than line breaks.
fn text(key: &str, value: Option<&str>, max: usize, errors: &mut FieldErrors) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.insert(key.into(), "intake-error-too-long".into());
        return None;
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errors.insert(key.into(), "intake-error-characters".into());
        return None;
    }
    Some(value.replace("\r\n", "\n"))
}

/// Checks a service's own texts; errors keyed `hints`, `contact`, `opening_hours`.
pub fn service_texts(
    hints: Option<&str>,
    contact: Option<&str>,
    opening_hours: Option<&str>,
) -> Result<ServiceTexts, FieldErrors> {
    let mut errors = FieldErrors::new();
    let texts = ServiceTexts {
        hints: text("hints", hints, MAX_HINTS, &mut errors),
        contact: text("contact", contact, MAX_SHORT_TEXT, &mut errors),
        opening_hours: text("opening_hours", opening_hours, MAX_SHORT_TEXT, &mut errors),
    };
    if errors.is_empty() {
        Ok(texts)
    } else {
        Err(errors)
    }
}

/// A checked appointment resource (without its hours, see [`crate::appointments::parse_hours`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceInput {
    pub kind: String,
    pub name: String,
    /// Interpreter languages as ISO 639-1 codes, comma-separated (`ar,fa`).
    pub languages: String,
}

/// Checks a resource's kind, name and languages into `errors` (keys `kind`, `name`, `languages`).
pub fn resource(
    kind: &str,
    name: &str,
    languages: &str,
    errors: &mut FieldErrors,
) -> Option<ResourceInput> {
    let kind = kind.trim();
    if !RESOURCE_KINDS.contains(&kind) {
        errors.insert("kind".into(), "intake-error-option".into());
    }
    let name = match text("name", Some(name), MAX_NAME, errors) {
        Some(n) => Some(n),
        None => {
            errors
                .entry("name".into())
                .or_insert_with(|| "intake-error-required".into());
            None
        }
    };
    let codes: Vec<String> = languages
        .split(',')
        .map(|l| l.trim().to_ascii_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    if codes
        .iter()
        .any(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_lowercase()))
    {
        errors.insert("languages".into(), "intake-error-languages".into());
    } else if kind == "interpreter" && codes.is_empty() {
        errors.insert("languages".into(), "intake-error-required".into());
    }
    if errors.is_empty() {
        Some(ResourceInput {
            kind: kind.into(),
            name: name?,
            languages: codes.join(","),
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_texts_are_trimmed_bounded_and_clean() {
        let ok = service_texts(Some("  Bitte Pass mitbringen. "), Some(""), None);
        assert_eq!(
            ok,
            Ok(ServiceTexts {
                hints: Some("Bitte Pass mitbringen.".into()),
                contact: None,
                opening_hours: None,
            })
        );
        let errors = service_texts(
            Some(&"x".repeat(MAX_HINTS + 1)),
            Some("a\u{7}b"),
            Some("Mo 8–12"),
        )
        .err()
        .unwrap_or_default();
        assert_eq!(
            errors.get("hints").map(String::as_str),
            Some("intake-error-too-long")
        );
        assert_eq!(
            errors.get("contact").map(String::as_str),
            Some("intake-error-characters")
        );
        assert!(!errors.contains_key("opening_hours"));
    }

    #[test]
    fn resources_need_a_kind_a_name_and_interpreters_a_language() {
        let mut errors = FieldErrors::new();
        assert!(resource("desk", " ", "", &mut errors).is_none());
        assert_eq!(
            errors.get("kind").map(String::as_str),
            Some("intake-error-option")
        );
        assert_eq!(
            errors.get("name").map(String::as_str),
            Some("intake-error-required")
        );
        let mut errors = FieldErrors::new();
        assert!(resource("interpreter", "Dolmetscherin", "", &mut errors).is_none());
        assert_eq!(
            errors.get("languages").map(String::as_str),
            Some("intake-error-required")
        );
        let mut errors = FieldErrors::new();
        assert!(resource("interpreter", "Dolmetscherin", "arabic", &mut errors).is_none());
        assert_eq!(
            errors.get("languages").map(String::as_str),
            Some("intake-error-languages")
        );
        let mut errors = FieldErrors::new();
        let ok = resource("interpreter", "Dolmetscherin", "AR, fa", &mut errors);
        assert_eq!(ok.map(|r| r.languages), Some("ar,fa".into()));
    }
}
