//! The record of either extract, kept compact: one string buffer and offsets, so a million
//! records cost one allocation each instead of fourteen.

use serde::{Deserialize, Serialize};

/// The columns of both extracts, in the order of the spec table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    RecordId,
    AzrNumber,
    FamilyName,
    GivenNames,
    BirthName,
    DateOfBirth,
    PlaceOfBirth,
    CountryOfBirth,
    Sex,
    Nationality,
    ResidenceStatus,
    PermitValidUntil,
    MunicipalityCode,
    UpdatedAt,
}

pub const FIELD_COUNT: usize = 14;

impl Field {
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::RecordId,
        Field::AzrNumber,
        Field::FamilyName,
        Field::GivenNames,
        Field::BirthName,
        Field::DateOfBirth,
        Field::PlaceOfBirth,
        Field::CountryOfBirth,
        Field::Sex,
        Field::Nationality,
        Field::ResidenceStatus,
        Field::PermitValidUntil,
        Field::MunicipalityCode,
        Field::UpdatedAt,
    ];

    /// The 12 compared fields: all but `record_id` and `updated_at` (spec).
    pub const COMPARED: [Field; 12] = [
        Field::AzrNumber,
        Field::FamilyName,
        Field::GivenNames,
        Field::BirthName,
        Field::DateOfBirth,
        Field::PlaceOfBirth,
        Field::CountryOfBirth,
        Field::Sex,
        Field::Nationality,
        Field::ResidenceStatus,
        Field::PermitValidUntil,
        Field::MunicipalityCode,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::RecordId => "record_id",
            Field::AzrNumber => "azr_number",
            Field::FamilyName => "family_name",
            Field::GivenNames => "given_names",
            Field::BirthName => "birth_name",
            Field::DateOfBirth => "date_of_birth",
            Field::PlaceOfBirth => "place_of_birth",
            Field::CountryOfBirth => "country_of_birth",
            Field::Sex => "sex",
            Field::Nationality => "nationality",
            Field::ResidenceStatus => "residence_status",
            Field::PermitValidUntil => "permit_valid_until",
            Field::MunicipalityCode => "municipality_code",
            Field::UpdatedAt => "updated_at",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.name() == name)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Fields holding a name or place, where two spellings of the same thing are a `variant`.
    pub fn is_name_like(self) -> bool {
        matches!(
            self,
            Field::FamilyName | Field::GivenNames | Field::BirthName | Field::PlaceOfBirth
        )
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which extract a record comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Local,
    Azr,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Local => "local",
            Side::Azr => "azr",
        }
    }
    pub fn from_name(s: &str) -> Option<Side> {
        match s {
            "local" => Some(Side::Local),
            "azr" => Some(Side::Azr),
            _ => None,
        }
    }
    pub fn other(self) -> Side {
        match self {
            Side::Local => Side::Azr,
            Side::Azr => Side::Local,
        }
    }
}

impl std::fmt::Display for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One row of an extract, values exactly as read (not trimmed, not normalized), because diffs
/// must show the clerk what each register really holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    buf: Box<str>,
    ends: [u32; FIELD_COUNT],
}

impl Record {
    /// Builds a record from its values in [`Field::ALL`] order.
    pub fn new<S: AsRef<str>>(values: &[S; FIELD_COUNT]) -> Record {
        let total: usize = values.iter().map(|v| v.as_ref().len()).sum();
        let mut buf = String::with_capacity(total);
        let mut ends = [0u32; FIELD_COUNT];
        for (i, v) in values.iter().enumerate() {
            buf.push_str(v.as_ref());
            // A single row is far below 4 GiB; saturate rather than panic if it is not.
            ends[i] = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        }
        Record {
            buf: buf.into_boxed_str(),
            ends,
        }
    }

    /// Builds a record from (field, value) pairs; missing fields are empty.
    pub fn from_pairs(pairs: &[(Field, &str)]) -> Record {
        let mut values: [&str; FIELD_COUNT] = [""; FIELD_COUNT];
        for (f, v) in pairs {
            values[f.index()] = v;
        }
        Record::new(&values)
    }

    pub fn get(&self, field: Field) -> &str {
        let i = field.index();
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends[i] as usize;
        self.buf.get(start..end).unwrap_or("")
    }

    pub fn id(&self) -> &str {
        self.get(Field::RecordId)
    }

    pub fn values(&self) -> [&str; FIELD_COUNT] {
        let mut out = [""; FIELD_COUNT];
        for (i, f) in Field::ALL.iter().enumerate() {
            out[i] = self.get(*f);
        }
        out
    }

    /// The same record with one value replaced (used by the generator and tests).
    pub fn with(&self, field: Field, value: &str) -> Record {
        let mut values = self.values();
        values[field.index()] = value;
        Record::new(&values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trips_values() {
        let r = Record::from_pairs(&[
            (Field::RecordId, "AKZ-1"),
            (Field::FamilyName, "Müller"),
            (Field::UpdatedAt, "2024-01-01T00:00:00"),
        ]);
        assert_eq!(r.id(), "AKZ-1");
        assert_eq!(r.get(Field::FamilyName), "Müller");
        assert_eq!(r.get(Field::GivenNames), "");
        assert_eq!(r.get(Field::UpdatedAt), "2024-01-01T00:00:00");
        let r2 = r.with(Field::GivenNames, "Anna Maria");
        assert_eq!(r2.get(Field::GivenNames), "Anna Maria");
        assert_eq!(r2.get(Field::FamilyName), "Müller");
        for f in Field::ALL {
            assert_eq!(Field::from_name(f.name()), Some(f));
        }
    }
}
