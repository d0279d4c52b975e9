//! Tenant vocabulary: what kind of authority a tenant is, where it sits, which keys identify it and
//! how it moves through onboarding.
//!
//! Pure types only. The catalog of NRW authorities (data, loading, validation, the
//! responsible-authority lookup) lives in the `amtsweg-tenants` crate.
//!
//! Keys are parsed once at the edge ("parse, don't validate"): an [`Ags`], a [`Kreisschluessel`] or a
//! [`Slug`] exists only in valid form. None of them identifies a tenant: a city can host several
//! authorities (its ABH, its naturalization authority, a ZAB), so tenants are keyed on
//! [`crate::TenantId`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why a tenant key or enum value could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenantParseError {
    #[error("slug {0:?}: use 1 to 63 lowercase ASCII letters, digits and single inner hyphens")]
    Slug(String),
    #[error("AGS {0:?}: expected 8 digits starting with 05 (North Rhine-Westphalia)")]
    Ags(String),
    #[error("Kreisschlüssel {0:?}: expected 5 digits starting with 05 (North Rhine-Westphalia)")]
    Kreisschluessel(String),
    #[error("unknown {what} {value:?}; expected one of: {expected}")]
    UnknownVariant {
        what: &'static str,
        value: String,
        expected: &'static str,
    },
}

/// Generates `as_str`, `Display` and `FromStr` for a fieldless enum, using the same snake_case
/// names as serde.
macro_rules! string_enum {
    ($name:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case name used in files, URLs and serde.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = TenantParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(TenantParseError::UnknownVariant {
                        what: $what,
                        value: s.to_owned(),
                        expected: concat!($($text, " "),+),
                    }),
                }
            }
        }
    };
}

/// The role an authority plays in foreigners' and naturalization law in NRW (§ 1 ZustAVO NRW).
///
/// A municipality that runs both an ABH and a naturalization authority is catalogued as two
/// tenants (see `docs/tenant-catalog.md`): the two offices have their own staff, Fachverfahren,
/// EfA onboarding and lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantKind {
    /// The state ministry (oberste Ausländerbehörde / the ministry that watches the rollout).
    Ministry,
    /// A Bezirksregierung (obere Ausländerbehörde).
    Bezirksregierung,
    /// A Zentrale Ausländerbehörde.
    Zab,
    /// A lower foreigners' authority (untere Ausländerbehörde).
    Abh,
    /// A naturalization authority.
    Einbuergerungsbehoerde,
}

string_enum!(TenantKind, "tenant kind", {
    Ministry => "ministry",
    Bezirksregierung => "bezirksregierung",
    Zab => "zab",
    Abh => "abh",
    Einbuergerungsbehoerde => "einbuergerungsbehoerde",
});

impl TenantKind {
    /// German label for display.
    pub const fn label_de(self) -> &'static str {
        match self {
            TenantKind::Ministry => "Ministerium",
            TenantKind::Bezirksregierung => "Bezirksregierung",
            TenantKind::Zab => "Zentrale Ausländerbehörde",
            TenantKind::Abh => "Ausländerbehörde",
            TenantKind::Einbuergerungsbehoerde => "Einbürgerungsbehörde",
        }
    }
}

/// The public body that carries an authority, which decides which territory it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// The Land itself (ministry, Bezirksregierungen).
    Land,
    /// A kreisfreie Stadt: serves its own territory.
    KreisfreieStadt,
    /// A Kreis (or the StädteRegion Aachen): serves its municipalities without an authority of
    /// their own.
    Kreis,
    /// A Große kreisangehörige Stadt: serves its own territory inside its Kreis.
    GrosseKreisangehoerigeStadt,
}

string_enum!(Carrier, "carrier", {
    Land => "land",
    KreisfreieStadt => "kreisfreie_stadt",
    Kreis => "kreis",
    GrosseKreisangehoerigeStadt => "grosse_kreisangehoerige_stadt",
});

/// The five Regierungsbezirke of NRW.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regierungsbezirk {
    Duesseldorf,
    Koeln,
    Muenster,
    Detmold,
    Arnsberg,
}

string_enum!(Regierungsbezirk, "Regierungsbezirk", {
    Duesseldorf => "duesseldorf",
    Koeln => "koeln",
    Muenster => "muenster",
    Detmold => "detmold",
    Arnsberg => "arnsberg",
});

impl Regierungsbezirk {
    /// The three-digit official code (the first three digits of every AGS in the district).
    pub const fn code(self) -> &'static str {
        match self {
            Regierungsbezirk::Duesseldorf => "051",
            Regierungsbezirk::Koeln => "053",
            Regierungsbezirk::Muenster => "055",
            Regierungsbezirk::Detmold => "057",
            Regierungsbezirk::Arnsberg => "059",
        }
    }

    /// The German name, as Destatis writes it.
    pub const fn name_de(self) -> &'static str {
        match self {
            Regierungsbezirk::Duesseldorf => "Düsseldorf",
            Regierungsbezirk::Koeln => "Köln",
            Regierungsbezirk::Muenster => "Münster",
            Regierungsbezirk::Detmold => "Detmold",
            Regierungsbezirk::Arnsberg => "Arnsberg",
        }
    }

    /// The district for a three-digit code such as `"055"`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|rb| rb.code() == code)
    }

    /// The district for a German name such as `"Münster"`.
    pub fn from_name_de(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|rb| rb.name_de() == name)
    }
}

/// Which case-management product (Fachverfahren) an authority runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    /// ADVIS by Kommunix GmbH.
    Advis,
    /// OK.VISA by AKDB.
    OkVisa,
    /// Another product (named in the tenant's notes).
    Other,
    /// No source says.
    Unknown,
}

string_enum!(Vendor, "vendor", {
    Advis => "advis",
    OkVisa => "ok_visa",
    Other => "other",
    Unknown => "unknown",
});

/// Where a tenant stands in onboarding. The state is owned by the platform, not by the catalog:
/// re-importing the catalog never moves a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleState {
    /// Known from the catalog; nobody has been contacted.
    Catalogued,
    /// The authority has been invited.
    Invited,
    /// Accounts, configuration and interfaces are being set up.
    Onboarding,
    /// Working on the platform.
    Live,
    /// Temporarily blocked (security incident, unpaid costs); data kept.
    Suspended,
    /// Left the platform. It may be catalogued again to return under the same identity.
    Offboarded,
}

string_enum!(LifecycleState, "lifecycle state", {
    Catalogued => "catalogued",
    Invited => "invited",
    Onboarding => "onboarding",
    Live => "live",
    Suspended => "suspended",
    Offboarded => "offboarded",
});

/// A lifecycle move that the rules do not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a tenant cannot move from {from} to {to}")]
pub struct TransitionError {
    pub from: LifecycleState,
    pub to: LifecycleState,
}

impl LifecycleState {
    /// The states reachable in one step from `self`.
    pub const fn allowed_transitions(self) -> &'static [LifecycleState] {
        use LifecycleState::*;
        match self {
            Catalogued => &[Invited],
            // An invitation can be withdrawn.
            Invited => &[Onboarding, Catalogued],
            // Onboarding can be abandoned.
            Onboarding => &[Live, Catalogued],
            Live => &[Suspended, Offboarded],
            Suspended => &[Live, Offboarded],
            // A returning authority starts again from the catalog under its old identity.
            Offboarded => &[Catalogued],
        }
    }

    /// Whether `self` may move to `next` in one step.
    pub fn can_transition_to(self, next: LifecycleState) -> bool {
        self.allowed_transitions().contains(&next)
    }

    /// The new state, or why the move is refused.
    pub fn transition_to(self, next: LifecycleState) -> Result<LifecycleState, TransitionError> {
        if self.can_transition_to(next) {
            Ok(next)
        } else {
            Err(TransitionError {
                from: self,
                to: next,
            })
        }
    }

    /// Whether the tenant's users can work on the platform.
    pub const fn is_active(self) -> bool {
        matches!(self, LifecycleState::Live)
    }
}

/// A URL- and DNS-safe tenant name: 1 to 63 of `a-z`, `0-9` and single hyphens, starting and
/// ending with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 63;

    pub fn parse(s: &str) -> Result<Self, TenantParseError> {
        let bytes = s.as_bytes();
        let ok = !bytes.is_empty()
            && bytes.len() <= Self::MAX_LEN
            && bytes
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
            && bytes.first() != Some(&b'-')
            && bytes.last() != Some(&b'-')
            && !s.contains("--");
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(TenantParseError::Slug(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The eight-digit Amtlicher Gemeindeschlüssel of an NRW municipality (`05` + RB digit + Kreis
/// digits + municipality digits). Fictitious AGS used by EfA services have the same shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ags(String);

impl Ags {
    pub fn parse(s: &str) -> Result<Self, TenantParseError> {
        if s.len() == 8 && s.starts_with("05") && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(TenantParseError::Ags(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Kreis (or kreisfreie Stadt) the municipality belongs to: the first five digits.
    pub fn kreisschluessel(&self) -> Kreisschluessel {
        Kreisschluessel(self.0[..5].to_owned())
    }

    /// The Regierungsbezirk encoded in the third digit, if it names one.
    pub fn regierungsbezirk(&self) -> Option<Regierungsbezirk> {
        Regierungsbezirk::from_code(&self.0[..3])
    }
}

/// The five-digit key of a Kreis or a kreisfreie Stadt in NRW.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Kreisschluessel(String);

impl Kreisschluessel {
    pub fn parse(s: &str) -> Result<Self, TenantParseError> {
        if s.len() == 5 && s.starts_with("05") && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(TenantParseError::Kreisschluessel(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Regierungsbezirk encoded in the third digit, if it names one.
    pub fn regierungsbezirk(&self) -> Option<Regierungsbezirk> {
        Regierungsbezirk::from_code(&self.0[..3])
    }

    /// Whether `ags` lies in this Kreis.
    pub fn contains(&self, ags: &Ags) -> bool {
        ags.as_str().starts_with(self.as_str())
    }
}

macro_rules! string_newtype {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = TenantParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = TenantParseError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

string_newtype!(Slug);
string_newtype!(Ags);
string_newtype!(Kreisschluessel);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_display_and_from_str() {
        for k in TenantKind::ALL {
            assert_eq!(k.to_string().parse::<TenantKind>(), Ok(*k));
        }
        for c in Carrier::ALL {
            assert_eq!(c.to_string().parse::<Carrier>(), Ok(*c));
        }
        for rb in Regierungsbezirk::ALL {
            assert_eq!(rb.to_string().parse::<Regierungsbezirk>(), Ok(*rb));
            assert_eq!(Regierungsbezirk::from_code(rb.code()), Some(*rb));
        }
        for v in Vendor::ALL {
            assert_eq!(v.to_string().parse::<Vendor>(), Ok(*v));
        }
        for s in LifecycleState::ALL {
            assert_eq!(s.to_string().parse::<LifecycleState>(), Ok(*s));
        }
        assert!("ABH".parse::<TenantKind>().is_err());
    }

    #[test]
    fn lifecycle_transitions() {
        use LifecycleState::*;
        assert!(Catalogued.can_transition_to(Invited));
        assert!(!Catalogued.can_transition_to(Live));
        assert!(Suspended.can_transition_to(Live));
        assert!(!Offboarded.can_transition_to(Live));
        assert_eq!(
            Live.transition_to(Catalogued),
            Err(TransitionError {
                from: Live,
                to: Catalogued
            })
        );
        // Every state can reach Live again, or is Live: no dead end in the graph.
        for s in LifecycleState::ALL {
            let mut seen = vec![*s];
            let mut i = 0;
            while i < seen.len() {
                for n in seen[i].allowed_transitions() {
                    if !seen.contains(n) {
                        seen.push(*n);
                    }
                }
                i += 1;
            }
            assert!(seen.contains(&Live), "{s} cannot reach live");
            assert!(!s.can_transition_to(*s), "{s} loops onto itself");
        }
    }

    #[test]
    fn slugs_parse() {
        for ok in ["abh-kreis-borken", "a", "zab-koeln", "abh-05162004"] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "Köln",
            "ABH",
            "a b",
            "a_b",
            &"a".repeat(64),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keys_parse_and_derive() {
        let ags = Ags::parse("05162004").unwrap();
        assert_eq!(ags.kreisschluessel().as_str(), "05162");
        assert_eq!(ags.regierungsbezirk(), Some(Regierungsbezirk::Duesseldorf));
        assert!(ags.kreisschluessel().contains(&ags));
        for bad in ["0516200", "051620044", "06162004", "0516200x", ""] {
            assert!(Ags::parse(bad).is_err(), "{bad}");
        }
        let ks = Kreisschluessel::parse("05554").unwrap();
        assert_eq!(ks.regierungsbezirk(), Some(Regierungsbezirk::Muenster));
        for bad in ["0555", "055544", "15554", "0555a"] {
            assert!(Kreisschluessel::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Kreisschluessel::parse("05654").unwrap().regierungsbezirk(),
            None
        );
    }
}
