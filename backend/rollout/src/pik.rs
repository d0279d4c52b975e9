//! What a PIK-Chassis kit sends, checked at the edge, and the person match key.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::text_enum;

/// Fingerprints are taken from the age of 6 (reference.md § 4).
pub const FINGERPRINT_MIN_AGE: u32 = 6;
/// Upper bound of one biometric blob after base64 decoding.
pub const MAX_BLOB_BYTES: usize = 96 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Passport,
    IdentityCard,
    ResidencePermit,
    BirthCertificate,
    Other,
}

text_enum!(DocumentKind, {
    Passport => "passport",
    IdentityCard => "identity_card",
    ResidencePermit => "residence_permit",
    BirthCertificate => "birth_certificate",
    Other => "other",
});

/// A checked registration's personal part (the blobs are checked separately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub family_name: String,
    pub given_names: String,
    pub birth_date: NaiveDate,
    /// ISO 3166-1 alpha-3, or `XXA` (stateless) / `XXX` (unknown).
    pub nationality: String,
}

/// Field → message key, as in the HTTP layer's validation errors.
pub type Problems = Vec<(&'static str, &'static str)>;

/// Checks names, birth date and nationality.
pub fn check_person(
    family_name: &str,
    given_names: &str,
    birth_date: &str,
    nationality: &str,
    captured_at: DateTime<Utc>,
) -> Result<Person, Problems> {
    let mut problems = Vec::new();
    let family = family_name.trim();
    let given = given_names.trim();
    if family.is_empty() || family.chars().count() > 200 {
        problems.push(("family_name", "error-required"));
    }
    if given.chars().count() > 200 {
        problems.push(("given_names", "error-too-long"));
    }
    let birth = NaiveDate::parse_from_str(birth_date.trim(), "%Y-%m-%d").ok();
    match birth {
        Some(day) if day <= captured_at.date_naive() && day.year() >= 1900 => {}
        _ => problems.push(("birth_date", "error-date-invalid")),
    }
    let nationality = nationality.trim();
    if nationality.len() != 3 || !nationality.bytes().all(|b| b.is_ascii_uppercase()) {
        problems.push(("nationality", "error-nationality-invalid"));
    }
    match birth {
        Some(birth_date) if problems.is_empty() => Ok(Person {
            family_name: family.to_owned(),
            given_names: given.to_owned(),
            birth_date,
            nationality: nationality.to_owned(),
        }),
        _ => Err(problems),
    }
}

/// Age in whole years on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// Whether fingerprints are required for this person at capture time.
pub fn fingerprints_required(birth: NaiveDate, captured_at: DateTime<Utc>) -> bool {
    age_on(birth, captured_at.date_naive()) >= FINGERPRINT_MIN_AGE
}

/// The key under which a registration finds an existing person of its tenant: normalized names and
/// birth date. Exact on purpose: fuzzy proposals are the matching engine's work, confirmed by a clerk.
pub fn match_key(person: &Person) -> String {
    fn norm(text: &str) -> String {
        text.chars()
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                'ä' => 'a',
                'ö' => 'o',
                'ü' => 'u',
                'ß' => 's',
                other => other,
            })
            .filter(|c| c.is_alphanumeric())
            .collect()
    }
    format!(
        "{}|{}|{}",
        norm(&person.family_name),
        norm(&person.given_names),
        person.birth_date
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 5, 1, 9, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn checks_the_person() {
        let person = check_person(" Haddad ", "Amal", "2001-02-03", "SYR", now()).unwrap();
        assert_eq!(person.family_name, "Haddad");
        let problems = check_person("", "A", "2030-01-01", "sy", now()).unwrap_err();
        assert_eq!(problems.len(), 3);
    }

    #[test]
    fn fingerprints_from_six() {
        let five = NaiveDate::from_ymd_opt(2019, 5, 2).unwrap_or_default();
        let six = NaiveDate::from_ymd_opt(2019, 5, 1).unwrap_or_default();
        assert!(!fingerprints_required(five, now()));
        assert!(fingerprints_required(six, now()));
    }

    #[test]
    fn match_key_ignores_case_spacing_and_umlauts() {
        let a = check_person("Müller-Haddad", "Amal", "2001-02-03", "SYR", now()).unwrap();
        let b = check_person("muller haddad", "AMAL", "2001-02-03", "SYR", now()).unwrap();
        assert_eq!(match_key(&a), match_key(&b));
    }
}
