//! Rollout rules, pure: which EfA services an authority joined and who pays for them, budgets and
//! forecasts, the device state machine, the onboarding checklist, OZG maturity, the envelope
//! encryption of biometric data, PIK-Chassis registration checks, and table exports.
//!
//! Invariant: no I/O, no SQL, no HTTP. Money is [`money::Money`], integer cents; never floating point.

pub mod budget;
pub mod checklist;
pub mod crypto;
pub mod device;
pub mod export;
pub mod incongruence;
pub mod money;
pub mod ozg;
pub mod pik;
pub mod rules;

pub use money::Money;

/// Generates `ALL`, `as_str`, `Display` and `FromStr` for a fieldless enum with snake_case names.
macro_rules! text_enum {
    ($name:ident, { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::UnknownValue {
                        what: stringify!($name),
                        value: s.to_owned(),
                    }),
                }
            }
        }
    };
}
pub(crate) use text_enum;

/// A stored or submitted value that names no known variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
}
