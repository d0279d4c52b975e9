//! Incremental runs: compare a run with the previous one so that decided work is not asked
//! again. A difference is identified by its pair and field ([`DiffKey`]); record ids are
//! stable keys in both registers, so the identity survives re-extraction.

use crate::norm::norm_eq;
use crate::outcome::{Class, DiffKey, Outcome};
use crate::record::Side;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// A clerk's decision on a difference, with the values it was made on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub key: DiffKey,
    pub local_value: String,
    pub azr_value: String,
    pub decided_side: Side,
    pub note: String,
}

/// Status of a current difference relative to the previous run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not reported before.
    New,
    /// Reported before, but a value changed since (or since the decision): look again.
    Changed,
    /// Reported before with the same values and not yet decided.
    Unchanged,
    /// Decided with exactly these values: not asked again.
    Decided,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
            Status::Decided => "decided",
        }
    }
}

/// Counts of a comparison between two runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeCounts {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub decided: u64,
    /// Differences of the previous run that are gone (corrected, or the pair unlinked).
    pub resolved: u64,
    pub links_added: u64,
    pub links_removed: u64,
    pub class_changes: u64,
}

/// The comparison of a run with the previous one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Changes {
    /// One status per difference of the current outcome, in its order.
    pub statuses: Vec<Status>,
    /// Differences of the previous run no longer reported.
    pub resolved: Vec<DiffKey>,
    pub links_added: Vec<(String, String)>,
    pub links_removed: Vec<(String, String)>,
    /// Records whose class changed: (side, record id, previous class or none, current class).
    pub class_changes: Vec<(Side, String, Option<Class>, Class)>,
    pub counts: ChangeCounts,
}

/// Marks every difference of `current` as new, changed, unchanged or decided.
pub fn compare_runs(previous: &Outcome, decisions: &[Decision], current: &Outcome) -> Changes {
    let prev: FxHashMap<DiffKey, (&str, &str)> = previous
        .differences
        .iter()
        .map(|d| (d.key(), (d.local_value.as_str(), d.azr_value.as_str())))
        .collect();
    let decided: FxHashMap<&DiffKey, &Decision> = decisions.iter().map(|d| (&d.key, d)).collect();
    let mut c = Changes::default();
    let mut current_keys = FxHashSet::default();
    for d in &current.differences {
        let key = d.key();
        let same = |l: &str, a: &str| norm_eq(l, &d.local_value) && norm_eq(a, &d.azr_value);
        let status = if let Some(dec) = decided.get(&key) {
            if same(&dec.local_value, &dec.azr_value) {
                Status::Decided
            } else {
                Status::Changed
            }
        } else if let Some((l, a)) = prev.get(&key) {
            if same(l, a) {
                Status::Unchanged
            } else {
                Status::Changed
            }
        } else {
            Status::New
        };
        match status {
            Status::New => c.counts.new += 1,
            Status::Changed => c.counts.changed += 1,
            Status::Unchanged => c.counts.unchanged += 1,
            Status::Decided => c.counts.decided += 1,
        }
        c.statuses.push(status);
        current_keys.insert(key);
    }
    for d in &previous.differences {
        let k = d.key();
        if !current_keys.contains(&k) {
            c.resolved.push(k);
        }
    }
    let pl: FxHashSet<(&str, &str)> = previous
        .links
        .iter()
        .map(|l| (l.local_record_id.as_str(), l.azr_record_id.as_str()))
        .collect();
    let cl: FxHashSet<(&str, &str)> = current
        .links
        .iter()
        .map(|l| (l.local_record_id.as_str(), l.azr_record_id.as_str()))
        .collect();
    for l in &current.links {
        let k = (l.local_record_id.as_str(), l.azr_record_id.as_str());
        if !pl.contains(&k) {
            c.links_added.push((k.0.to_string(), k.1.to_string()));
        }
    }
    for l in &previous.links {
        let k = (l.local_record_id.as_str(), l.azr_record_id.as_str());
        if !cl.contains(&k) {
            c.links_removed.push((k.0.to_string(), k.1.to_string()));
        }
    }
    let pc: FxHashMap<(Side, &str), Class> = previous
        .classes
        .iter()
        .map(|e| ((e.side, e.record_id.as_str()), e.class))
        .collect();
    for e in &current.classes {
        let before = pc.get(&(e.side, e.record_id.as_str())).copied();
        if before != Some(e.class) {
            c.class_changes
                .push((e.side, e.record_id.clone(), before, e.class));
        }
    }
    c.counts.resolved = c.resolved.len() as u64;
    c.counts.links_added = c.links_added.len() as u64;
    c.counts.links_removed = c.links_removed.len() as u64;
    c.counts.class_changes = c.class_changes.len() as u64;
    c
}
