//! Languages, negotiation and message lookup.
//!
//! Messages live in `frontend/locales/<lang>/main.ftl` (Project Fluent) and are compiled into the
//! binary. German is the fallback for a message missing in another language; a key missing
//! everywhere renders as the key itself, so a gap is visible but never a panic.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "de",
        // Unicode isolation marks around arguments would end up in mail subjects and
        // attribute values; the pages isolate bidirectional text with `dir` instead.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the platform speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    De,
    En,
    Ar,
    Uk,
    Tr,
}

impl Lang {
    /// Every language, in the order the language switch offers them.
    pub const ALL: [Lang; 5] = [Lang::De, Lang::En, Lang::Ar, Lang::Uk, Lang::Tr];
    /// The languages of the staff areas (workspace, operator, ministry).
    pub const STAFF: [Lang; 2] = [Lang::De, Lang::En];

    /// The BCP 47 code, as used in `lang=""`, cookies and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Uk => "uk",
            Lang::Tr => "tr",
        }
    }

    /// The writing direction for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::De => "Deutsch",
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::Uk => "Українська",
            Lang::Tr => "Türkçe",
        }
    }

    /// Parses a language tag such as `de`, `en-GB` or `AR`; only the primary subtag counts.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            "ar" => Some(Lang::Ar),
            "uk" => Some(Lang::Uk),
            "tr" => Some(Lang::Tr),
            _ => None,
        }
    }

    /// Whether the language is offered in the staff areas.
    pub fn is_staff(self) -> bool {
        matches!(self, Lang::De | Lang::En)
    }

    /// Chooses the language for a request.
    ///
    /// The `lang` cookie (the user's explicit choice) wins over the `Accept-Language` header,
    /// whose quality values are respected. The staff areas (`portal == false`) speak only German
    /// and English; a choice outside that set is skipped. Without a usable choice: German.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>, portal: bool) -> Lang {
        let allowed = |lang: Lang| portal || lang.is_staff();
        if let Some(lang) = cookie.and_then(Lang::parse).filter(|l| allowed(*l)) {
            return lang;
        }
        let Some(header) = accept_language else {
            return Lang::default();
        };
        let mut ranges: Vec<(u16, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(index, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                if tag.is_empty() {
                    return None;
                }
                let mut quality = 1000;
                for param in parts {
                    if let Some((name, value)) = param.split_once('=')
                        && name.trim().eq_ignore_ascii_case("q")
                    {
                        quality = parse_quality(value.trim())?;
                    }
                }
                (quality > 0).then_some((quality, index, tag))
            })
            .collect();
        // Highest quality first; equal qualities keep the order the client sent.
        ranges.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges
            .into_iter()
            .filter_map(|(_, _, tag)| Lang::parse(tag))
            .find(|l| allowed(*l))
            .unwrap_or_default()
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::De => langid!("de"),
            Lang::En => langid!("en"),
            Lang::Ar => langid!("ar"),
            Lang::Uk => langid!("uk"),
            Lang::Tr => langid!("tr"),
        }
    }
}

/// A quality value (`0` to `1` with up to three decimals) in thousandths; `None` if malformed.
fn parse_quality(value: &str) -> Option<u16> {
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int: u16 = match int {
        "0" => 0,
        "1" => 1,
        _ => return None,
    };
    let mut thousandths = 0u16;
    for (i, digit) in frac.bytes().enumerate() {
        thousandths += u16::from(digit - b'0') * [100, 10, 1][i];
    }
    let q = int * 1000 + thousandths;
    (q <= 1000).then_some(q)
}

/// Every key looked up while the tests run, so a test can check that each one exists in every
/// language.
#[cfg(test)]
pub(crate) static USED_KEYS: std::sync::Mutex<std::collections::BTreeSet<String>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

#[cfg(test)]
fn record(key: &str) {
    if let Ok(mut keys) = USED_KEYS.lock() {
        keys.insert(key.to_owned());
    }
}

#[cfg(not(test))]
fn record(_key: &str) {}

/// The message `key` in `lang`; German if the language lacks it; the key itself if all do.
pub fn t(lang: Lang, key: &str) -> String {
    record(key);
    LOCALES
        .try_lookup(&lang.langid(), key)
        .unwrap_or_else(|| key.to_owned())
}

/// A whole number without leading zero becomes a Fluent number (so plural rules apply); anything
/// else, including identifiers such as an AGS `05111000`, stays a string.
fn fluent_value(value: &str) -> FluentValue<'_> {
    let numeric = !value.is_empty()
        && value.len() <= 15
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value == "0" || !value.starts_with('0'));
    if numeric {
        FluentValue::try_number(value)
    } else {
        FluentValue::from(value)
    }
}

/// Like [`t`], with Fluent arguments (`{ $name }` in the message).
pub fn t_args(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    record(key);
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(name, value)| (Cow::Owned((*name).to_owned()), fluent_value(value)))
        .collect();
    LOCALES
        .try_lookup_with_args(&lang.langid(), key, &map)
        .unwrap_or_else(|| key.to_owned())
}

/// The text of a mail (subject or body): the same files and rules as the pages.
pub fn mail_text(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    t_args(lang, key, args)
}

/// Every argument name a message may use. A message referring to another name fails
/// [`has_key`], so a typo in a locale file is caught by the tests.
pub const KNOWN_ARGS: &[&str] = &[
    "authority",
    "batch",
    "count",
    "days",
    "finding",
    "first",
    "link",
    "min",
    "model",
    "month",
    "name",
    "page",
    "rate",
    "reference",
    "role",
    "seconds",
    "shown",
    "since",
    "single",
    "status",
    "step",
    "total",
    "value",
    "version",
];

/// Whether `key` exists in the given language itself (no fallback) and formats without error
/// when given the [`KNOWN_ARGS`]; used by tests and checks.
pub fn has_key(lang: Lang, key: &str) -> bool {
    let args: HashMap<&str, FluentValue> = KNOWN_ARGS
        .iter()
        .map(|name| (*name, FluentValue::from("1")))
        .collect();
    LOCALES
        .lookup_single_language(&lang.langid(), key, Some(&args))
        .is_ok()
}
