//! The result of a run: links, differences with proposals, classes, a summary. All of it is
//! serde-serializable so the platform can keep it and a later run can be compared with it.

use crate::read::Rejected;
use crate::record::{Field, Side};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Kind of a reported difference (spec).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Two spellings of the same name or place.
    Variant,
    /// Anything else.
    Value,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Variant => "variant",
            Kind::Value => "value",
        }
    }
    pub fn from_name(s: &str) -> Option<Kind> {
        match s {
            "variant" => Some(Kind::Variant),
            "value" => Some(Kind::Value),
            _ => None,
        }
    }
}

/// Class of a record (spec).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Identical,
    Different,
    OnlyLocal,
    OnlyAzr,
    Duplicate,
    Ambiguous,
}

impl Class {
    pub const ALL: [Class; 6] = [
        Class::Identical,
        Class::Different,
        Class::OnlyLocal,
        Class::OnlyAzr,
        Class::Duplicate,
        Class::Ambiguous,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Class::Identical => "identical",
            Class::Different => "different",
            Class::OnlyLocal => "only_local",
            Class::OnlyAzr => "only_azr",
            Class::Duplicate => "duplicate",
            Class::Ambiguous => "ambiguous",
        }
    }
    pub fn from_name(s: &str) -> Option<Class> {
        Class::ALL.iter().copied().find(|c| c.name() == s)
    }
}

/// A linked pair of records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub local_record_id: String,
    pub azr_record_id: String,
    /// Fellegi–Sunter match weight in bits (log2 likelihood ratio).
    pub weight: f64,
    /// Posterior match probability given the estimated share of matches among candidates.
    pub probability: f64,
    /// Which evidence, with which weights, made this link.
    pub explanation: String,
}

/// A differing compared field of a linked pair, with a proposal of which side is right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub local_record_id: String,
    pub azr_record_id: String,
    pub field: Field,
    pub kind: Kind,
    pub local_value: String,
    pub azr_value: String,
    pub proposed_side: Side,
    pub reason: String,
}

impl Difference {
    pub fn key(&self) -> DiffKey {
        DiffKey {
            local_record_id: self.local_record_id.clone(),
            azr_record_id: self.azr_record_id.clone(),
            field: self.field,
        }
    }
}

/// Stable identity of a difference across runs: the pair and the field.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DiffKey {
    pub local_record_id: String,
    pub azr_record_id: String,
    pub field: Field,
}

/// Class of one record of either file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassEntry {
    pub side: Side,
    pub record_id: String,
    pub class: Class,
    /// Why (empty for `identical`).
    pub explanation: String,
}

/// Counts of one class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassCount {
    pub local: u64,
    pub azr: u64,
    pub total: u64,
}

/// Counts of one field's differences.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldCount {
    pub variant: u64,
    pub value: u64,
    pub total: u64,
    /// Share of linked pairs in which this field differs.
    pub rate: f64,
}

/// One row of the estimated Fellegi–Sunter weight table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightRow {
    pub comparison: String,
    pub level: String,
    /// P(level | same person), estimated by EM.
    pub m: f64,
    /// P(level | different persons), estimated from random pairs.
    pub u: f64,
    /// log2(m/u).
    pub weight: f64,
}

/// The quantitative reconciliation (quantitativer Datenabgleich) and run statistics.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub records_local: u64,
    pub records_azr: u64,
    pub rows_rejected: u64,
    pub rows_rejected_local: u64,
    pub rows_rejected_azr: u64,
    pub links: u64,
    pub differences: u64,
    pub classes: BTreeMap<String, ClassCount>,
    pub fields: BTreeMap<String, FieldCount>,
    /// Share of all records (both sides) that are not `identical`: the records a clerk or
    /// the register must look at.
    pub incongruence_rate: f64,
    /// Share of linked pairs with at least one difference.
    pub differing_pair_rate: f64,
    pub candidate_pairs: u64,
    /// Pairs not scored because their block stayed larger than `max_block_size` after every
    /// refinement (see docs/reconciliation.md, Blocking).
    #[serde(default)]
    pub pairs_skipped: u64,
    /// EM estimate of the share of true matches among candidate pairs.
    pub match_share: f64,
    /// Match weight (bits) from which a pair may be linked.
    pub link_weight: f64,
    pub weights: Vec<WeightRow>,
    /// Wall time per stage in milliseconds.
    pub timings_ms: BTreeMap<String, u64>,
}

/// Everything a run produced.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub links: Vec<Link>,
    pub differences: Vec<Difference>,
    pub classes: Vec<ClassEntry>,
    pub rejected: Vec<Rejected>,
    pub summary: Summary,
}

impl Outcome {
    /// Recomputes the counting part of the summary from the rows (keeps run statistics).
    pub(crate) fn count(&mut self) {
        let s = &mut self.summary;
        s.links = self.links.len() as u64;
        s.differences = self.differences.len() as u64;
        s.rows_rejected = self.rejected.len() as u64;
        // Counted per class index first: a map lookup with a fresh key per record would
        // allocate two million strings on a large run.
        let mut per_class = [ClassCount::default(); Class::ALL.len()];
        let (mut local, mut azr, mut not_identical) = (0u64, 0u64, 0u64);
        for e in &self.classes {
            let cc = &mut per_class[e.class as usize];
            match e.side {
                Side::Local => {
                    cc.local += 1;
                    local += 1;
                }
                Side::Azr => {
                    cc.azr += 1;
                    azr += 1;
                }
            }
            cc.total += 1;
            if e.class != Class::Identical {
                not_identical += 1;
            }
        }
        s.classes = Class::ALL
            .iter()
            .map(|c| (c.name().to_string(), per_class[*c as usize]))
            .collect();
        s.records_local = local;
        s.records_azr = azr;
        let total = (local + azr).max(1) as f64;
        s.incongruence_rate = not_identical as f64 / total;
        s.fields.clear();
        for f in Field::COMPARED {
            s.fields.insert(f.name().to_string(), FieldCount::default());
        }
        let mut pairs_with_diff = std::collections::HashSet::new();
        for d in &self.differences {
            let fc = s.fields.entry(d.field.name().to_string()).or_default();
            match d.kind {
                Kind::Variant => fc.variant += 1,
                Kind::Value => fc.value += 1,
            }
            fc.total += 1;
            pairs_with_diff.insert((d.local_record_id.as_str(), d.azr_record_id.as_str()));
        }
        let links = self.links.len().max(1) as f64;
        for fc in s.fields.values_mut() {
            fc.rate = fc.total as f64 / links;
        }
        s.differing_pair_rate = pairs_with_diff.len() as f64 / links;
    }
}
