#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn data(pairs: &[(&str, &str)]) -> FormData {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn the_embedded_catalog_loads_and_is_complete() {
    let catalog = Catalog::embedded().unwrap();
    let keys: Vec<&str> = catalog.services().iter().map(|s| s.key.as_str()).collect();
    for key in [
        "residence-extension",
        "settlement-permit",
        "naturalization",
        "declaration-of-commitment",
        "fiktionsbescheinigung",
    ] {
        assert!(keys.contains(&key), "{key} missing");
    }
    let dir = Catalog::load_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/services")).unwrap();
    assert_eq!(dir.services().len(), catalog.services().len());
}

#[test]
fn a_missing_translation_is_refused() {
    let fields = r#"
[[field]]
key = "x"
kind = "text"
label = { de = "X", en = "X" }
"#;
    let err = Catalog::from_sources(&[("fields.toml", fields)]).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn required_and_typed_fields_are_checked_per_step() {
    let catalog = Catalog::embedded().unwrap();
    let service = catalog.service("residence-extension").unwrap();
    let errors = catalog.validate_step(
        service,
        0,
        &data(&[
            ("family_name", "Ahmadi"),
            ("date_of_birth", "23.04.1990"),
            ("passport_number", "p 123"),
        ]),
        today(),
    );
    assert_eq!(errors.get("given_names").unwrap(), "intake-error-required");
    assert_eq!(errors.get("date_of_birth").unwrap(), "intake-error-date");
    assert_eq!(
        errors.get("passport_number").unwrap(),
        "intake-error-document-number"
    );
    assert!(!errors.contains_key("phone"), "optional");
    assert!(!errors.contains_key("family_name"));
    let future_birth = catalog.validate_step(
        service,
        0,
        &data(&[("date_of_birth", "2030-01-01")]),
        today(),
    );
    assert_eq!(
        future_birth.get("date_of_birth").unwrap(),
        "intake-error-date-past"
    );
}

#[test]
fn conditional_fields_count_only_when_shown() {
    let catalog = Catalog::embedded().unwrap();
    let service = catalog.service("residence-extension").unwrap();
    let base = [
        ("permit_expiry", "2027-01-31"),
        ("duration", "long"),
        ("protection_status", "none"),
    ];
    let mut family = data(&base);
    family.insert("purpose".into(), "family".into());
    family.insert("employer".into(), "ACME".into());
    assert!(
        catalog
            .validate_step(service, 2, &family, today())
            .is_empty()
    );
    assert!(!catalog.clean(service, &family).contains_key("employer"));
    let mut work = data(&base);
    work.insert("purpose".into(), "employment".into());
    assert_eq!(
        catalog
            .validate_step(service, 2, &work, today())
            .get("employer")
            .unwrap(),
        "intake-error-required"
    );
    assert_eq!(catalog.evidence(service, &work).len(), 3);
    assert_eq!(catalog.evidence(service, &family).len(), 2);
    let mut bad = work.clone();
    bad.insert("purpose".into(), "smuggling".into());
    assert_eq!(
        catalog
            .validate_step(service, 2, &bad, today())
            .get("purpose")
            .unwrap(),
        "intake-error-option"
    );
}

#[test]
fn fees_follow_the_catalogue_and_exemptions() {
    let catalog = Catalog::embedded().unwrap();
    let ext = catalog.service("residence-extension").unwrap();
    let adult = [
        ("date_of_birth", "1990-04-23"),
        ("protection_status", "none"),
    ];
    let mut d = data(&adult);
    d.insert("duration".into(), "short".into());
    assert_eq!(catalog.fee(ext, &d, today()).unwrap().cents, 9600);
    d.insert("duration".into(), "long".into());
    assert_eq!(catalog.fee(ext, &d, today()).unwrap().cents, 9300);
    d.insert("protection_status".into(), "recognised-refugee".into());
    let fee = catalog.fee(ext, &d, today()).unwrap();
    assert_eq!(
        (fee.cents, fee.exemption.as_deref()),
        (0, Some("protection"))
    );
    let minor = data(&[
        ("date_of_birth", "2010-12-01"),
        ("protection_status", "none"),
        ("duration", "long"),
    ]);
    let fee = catalog.fee(ext, &minor, today()).unwrap();
    assert_eq!((fee.cents, fee.exemption.as_deref()), (4650, Some("minor")));
    let ne = catalog.service("settlement-permit").unwrap();
    let hq = data(&[
        ("category", "highly-qualified"),
        ("date_of_birth", "1980-01-01"),
    ]);
    assert_eq!(catalog.fee(ne, &hq, today()).unwrap().cents, 14700);
    let ve = catalog.service("declaration-of-commitment").unwrap();
    assert_eq!(
        catalog.fee(ve, &FormData::new(), today()).unwrap().cents,
        2900
    );
    let fb = catalog.service("fiktionsbescheinigung").unwrap();
    assert_eq!(
        catalog.fee(fb, &FormData::new(), today()).unwrap().cents,
        1300
    );
}

#[test]
fn the_quick_check_names_missing_requirements() {
    let catalog = Catalog::embedded().unwrap();
    let nat = catalog.service("naturalization").unwrap();
    let good = data(&[
        ("years_resident", "6"),
        ("german_level", "B1"),
        ("livelihood", "yes"),
        ("convictions", "no"),
    ]);
    assert!(catalog.quick_check(nat, &good).is_empty());
    let mut short = good.clone();
    short.insert("years_resident".into(), "3".into());
    short.insert("german_level".into(), "A2".into());
    assert_eq!(catalog.quick_check(nat, &short).len(), 2);
}

#[test]
fn ages_and_amounts() {
    let born = NaiveDate::from_ymd_opt(2008, 11, 29).unwrap();
    assert_eq!(age_on(born, today()), 17);
    assert_eq!(
        age_on(born, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()),
        18
    );
    assert_eq!(cents_decimal(9300), "93.00");
    assert_eq!(cents_decimal(4650), "46.50");
}
