//! Configuration of a run. Every field has a default, so an empty TOML or JSON document is a
//! valid configuration; unknown keys are refused so a typo does not silently do nothing.

use crate::error::Error;
use crate::record::Field;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who is presumed right when a compared field differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The authority's own register (Ausländerdatei A).
    Local,
    /// The federal register.
    Azr,
    /// The side whose record was changed last (`updated_at`); the AZR on a tie.
    Recent,
}

/// Engine configuration.
///
/// ```toml
/// link_probability = 0.9        # posterior needed to accept a pair as a link
/// ambiguity_margin = 4.0        # bits a winner must lead a rival by
/// reference_date = "2026-11-01" # "today" for plausibility checks
/// [ownership]
/// residence_status = "local"
/// municipality_code = "recent"
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Posterior match probability (0..1) from which a candidate pair may be linked.
    pub link_probability: f64,
    /// Minimum match weight (bits) of a link regardless of the posterior. The posterior is
    /// relative to the blocked candidates, where matches are common, so on its own it would
    /// accept pairs whose evidence is weak; this floor keeps the evidence itself strong.
    pub min_link_weight: f64,
    /// A pair is only decided when its match weight leads every rival by this many bits
    /// (a factor of 2^margin in likelihood); otherwise its records are `ambiguous`.
    pub ambiguity_margin: f64,
    /// Match weight (bits) from which two records on the *same* side are taken as one person
    /// (a duplicate), given the strict identity checks also pass.
    pub duplicate_weight: f64,
    /// Blocks with more records than this are skipped for that key (other keys still apply);
    /// bounds the quadratic cost of very common keys.
    pub max_block_size: usize,
    /// EM iterations for the m-probabilities.
    pub em_iterations: usize,
    /// Candidate pairs sampled for EM, and random pairs sampled for the u-probabilities.
    pub em_sample: usize,
    /// Worker threads; 0 = all available cores.
    pub threads: usize,
    /// Seed for the samples, so runs are reproducible.
    pub seed: u64,
    /// "Today" (`YYYY-MM-DD`) for plausibility checks (a birth date in the future, an expired
    /// permit). Empty: the latest `updated_at` found in either extract, so runs stay
    /// reproducible and the library never reads the clock.
    pub reference_date: String,
    /// Per-field ownership: which side is presumed right when values differ. Fields not named
    /// here use [`Config::default_ownership`].
    pub ownership: BTreeMap<Field, Owner>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            link_probability: 0.9,
            min_link_weight: 12.0,
            ambiguity_margin: 4.0,
            duplicate_weight: 20.0,
            max_block_size: 100,
            em_iterations: 12,
            em_sample: 200_000,
            threads: 0,
            seed: 0x5eed_a2b0,
            reference_date: String::new(),
            ownership: Config::default_ownership(),
        }
    }
}

impl Config {
    /// The default ownership policy:
    /// * identity data (names, birth data, sex, nationality) and the AZR number: the AZR,
    ///   which assigns the number and keeps the spelling under German law;
    /// * residence status and permit validity: the ABH, which grants and records titles;
    /// * municipality: the more recently updated side, since moves reach either side first.
    pub fn default_ownership() -> BTreeMap<Field, Owner> {
        let mut m = BTreeMap::new();
        for f in [
            Field::AzrNumber,
            Field::FamilyName,
            Field::GivenNames,
            Field::BirthName,
            Field::DateOfBirth,
            Field::PlaceOfBirth,
            Field::CountryOfBirth,
            Field::Sex,
            Field::Nationality,
        ] {
            m.insert(f, Owner::Azr);
        }
        m.insert(Field::ResidenceStatus, Owner::Local);
        m.insert(Field::PermitValidUntil, Owner::Local);
        m.insert(Field::MunicipalityCode, Owner::Recent);
        m
    }

    pub fn owner(&self, field: Field) -> Owner {
        self.ownership
            .get(&field)
            .copied()
            .or_else(|| Config::default_ownership().get(&field).copied())
            .unwrap_or(Owner::Azr)
    }

    /// Parses a JSON configuration.
    pub fn from_json(text: &str) -> Result<Config, Error> {
        let c: Config = serde_json::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// Checks ranges; call after deserializing from any format (e.g. TOML).
    pub fn validate(&self) -> Result<(), Error> {
        if !(0.0..1.0).contains(&self.link_probability) || self.link_probability <= 0.0 {
            return Err(Error::Config("link_probability must be in (0, 1)".into()));
        }
        if self.ambiguity_margin < 0.0 {
            return Err(Error::Config("ambiguity_margin must be >= 0".into()));
        }
        if self.max_block_size < 2 {
            return Err(Error::Config("max_block_size must be >= 2".into()));
        }
        if !self.reference_date.is_empty()
            && !crate::norm::Date::parse(&self.reference_date).is_some_and(|d| d.is_full())
        {
            return Err(Error::Config("reference_date must be YYYY-MM-DD".into()));
        }
        Ok(())
    }

    pub(crate) fn thread_count(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_json_is_the_default_and_unknown_keys_are_refused() {
        assert_eq!(Config::from_json("{}").unwrap(), Config::default());
        assert!(Config::from_json(r#"{"link_probabilty": 0.5}"#).is_err());
        let c = Config::from_json(r#"{"ownership": {"family_name": "local"}}"#).unwrap();
        assert_eq!(c.owner(Field::FamilyName), Owner::Local);
        assert_eq!(c.owner(Field::ResidenceStatus), Owner::Local);
        assert_eq!(c.owner(Field::AzrNumber), Owner::Azr);
        assert!(Config::from_json(r#"{"reference_date": "heute"}"#).is_err());
    }
}
