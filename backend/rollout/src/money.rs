//! Exact money: integer euro cents.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

use serde::{Deserialize, Serialize};

/// An amount in euro cents. Arithmetic saturates instead of wrapping; amounts in this domain stay
/// far below `i64::MAX` cents.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

/// VAT in Germany, in basis points (19 %).
pub const VAT_BASIS_POINTS: i64 = 1_900;

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn cents(cents: i64) -> Self {
        Money(cents)
    }

    pub const fn euros(euros: i64) -> Self {
        Money(euros * 100)
    }

    pub const fn as_cents(self) -> i64 {
        self.0
    }

    /// `self` plus `basis_points` / 10,000 of it, rounded half away from zero to the cent.
    pub fn plus_rate(self, basis_points: i64) -> Money {
        Money(self.0.saturating_add(Self::share(self.0, basis_points)))
    }

    /// The gross amount for a net amount at German VAT.
    pub fn with_vat(self) -> Money {
        self.plus_rate(VAT_BASIS_POINTS)
    }

    fn share(cents: i64, basis_points: i64) -> i64 {
        let product = i128::from(cents) * i128::from(basis_points);
        let half = if product >= 0 { 5_000 } else { -5_000 };
        i64::try_from((product + half) / 10_000).unwrap_or(i64::MAX)
    }

    /// Splits `self` into `parts` shares that differ by at most one cent and add up exactly.
    pub fn split(self, parts: usize) -> Vec<Money> {
        if parts == 0 {
            return Vec::new();
        }
        let n = i64::try_from(parts).unwrap_or(i64::MAX);
        let base = self.0 / n;
        let remainder = usize::try_from(self.0 % n).unwrap_or(0);
        (0..parts)
            .map(|i| Money(base + i64::from(i < remainder)))
            .collect()
    }

    /// Plain decimal with a dot, for CSV and JSON consumers: `-1234.05`.
    pub fn to_plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// German notation: `1.234,56 €`.
    pub fn to_german(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped},{:02} €", abs % 100)
    }

    /// Parses `1234`, `1234.5`, `1234,56` or `1.234,56` (German grouping) into cents.
    pub fn parse(text: &str) -> Option<Money> {
        let text = text.trim().trim_end_matches('€').trim();
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let normalized = if text.contains(',') {
            text.replace('.', "").replace(',', ".")
        } else {
            text.to_owned()
        };
        let (whole, fraction) = normalized.split_once('.').unwrap_or((&normalized, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || fraction.len() > 2
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let euros: i64 = whole.parse().ok()?;
        let cents: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().ok()? * 10,
            _ => fraction.parse().ok()?,
        };
        let total = euros.checked_mul(100)?.checked_add(cents)?;
        Some(Money(if negative { -total } else { total }))
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_german())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_on_the_einbuergerung_connection_is_exact() {
        assert_eq!(Money::euros(1_800).with_vat(), Money::euros(2_142));
        assert_eq!(Money::cents(1).with_vat(), Money::cents(1));
        assert_eq!(Money::cents(3).with_vat(), Money::cents(4));
    }

    #[test]
    fn a_split_adds_up_to_the_whole() {
        let parts = Money::euros(50_000_000).split(81);
        assert_eq!(parts.len(), 81);
        assert_eq!(
            parts.iter().copied().sum::<Money>(),
            Money::euros(50_000_000)
        );
        let max = parts.iter().max().copied().unwrap_or_default();
        let min = parts.iter().min().copied().unwrap_or_default();
        assert!(max.0 - min.0 <= 1);
    }

    #[test]
    fn formats_and_parses() {
        assert_eq!(Money::cents(12_345_678).to_german(), "123.456,78 €");
        assert_eq!(Money::cents(-5).to_plain(), "-0.05");
        assert_eq!(Money::parse("1.234,56"), Some(Money::cents(123_456)));
        assert_eq!(Money::parse("1234.5"), Some(Money::cents(123_450)));
        assert_eq!(Money::parse("12,345"), None);
        assert_eq!(Money::parse("abc"), None);
        assert_eq!(Money::parse("-3"), Some(Money::euros(-3)));
    }
}
