//! Scoring an outcome against ground truth: precision, recall and F1 of links and of field
//! differences, accuracy of kinds, proposals and classes. Used by the tests and the benchmark.

use crate::error::Error;
use crate::outcome::{Class, Kind, Outcome};
use crate::record::{Field, Side};
use crate::synth::{Truth, TruthDiff};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Metrics {
    pub links_true: usize,
    pub links_found: usize,
    pub link_precision: f64,
    pub link_recall: f64,
    pub link_f1: f64,
    pub diffs_true: usize,
    pub diffs_found: usize,
    pub diff_precision: f64,
    pub diff_recall: f64,
    pub diff_f1: f64,
    /// Share of correctly found differences whose kind is right.
    pub kind_accuracy: f64,
    /// Share of correctly found differences with a known right side that propose it.
    pub proposal_accuracy: f64,
    pub class_accuracy: f64,
    /// True class → found class → count, for the records whose class is wrong.
    pub class_confusion: Vec<(String, String, usize)>,
}

fn prf(tp: usize, found: usize, truth: usize) -> (f64, f64, f64) {
    let p = if found == 0 {
        1.0
    } else {
        tp as f64 / found as f64
    };
    let r = if truth == 0 {
        1.0
    } else {
        tp as f64 / truth as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// Scores `outcome` against `truth`. Records the truth marks `ambiguous` (undecidable by
/// design) are left out of the link and difference scores: no answer is right for them.
pub fn evaluate(outcome: &Outcome, truth: &Truth) -> Metrics {
    let amb: HashSet<(Side, &str)> = truth
        .classes
        .iter()
        .filter(|c| c.2 == Class::Ambiguous)
        .map(|c| (c.0, c.1.as_str()))
        .collect();
    let keep =
        |l: &str, a: &str| !amb.contains(&(Side::Local, l)) && !amb.contains(&(Side::Azr, a));
    let true_links: HashSet<(&str, &str)> = truth
        .links
        .iter()
        .map(|(l, a)| (l.as_str(), a.as_str()))
        .filter(|(l, a)| keep(l, a))
        .collect();
    let found_links: HashSet<(&str, &str)> = outcome
        .links
        .iter()
        .map(|l| (l.local_record_id.as_str(), l.azr_record_id.as_str()))
        .filter(|(l, a)| keep(l, a))
        .collect();
    let tp = found_links.intersection(&true_links).count();
    let (lp, lr, lf) = prf(tp, found_links.len(), true_links.len());

    let true_diffs: HashMap<(&str, &str, Field), &TruthDiff> = truth
        .diffs
        .iter()
        .filter(|d| keep(&d.local_record_id, &d.azr_record_id))
        .map(|d| {
            (
                (
                    d.local_record_id.as_str(),
                    d.azr_record_id.as_str(),
                    d.field,
                ),
                d,
            )
        })
        .collect();
    let mut found = 0;
    let mut dtp = 0;
    let (mut kind_ok, mut prop_known, mut prop_ok) = (0usize, 0usize, 0usize);
    for d in &outcome.differences {
        if !keep(&d.local_record_id, &d.azr_record_id) {
            continue;
        }
        found += 1;
        if let Some(t) = true_diffs.get(&(
            d.local_record_id.as_str(),
            d.azr_record_id.as_str(),
            d.field,
        )) {
            dtp += 1;
            if t.kind == d.kind {
                kind_ok += 1;
            }
            if let Some(side) = t.correct_side {
                prop_known += 1;
                if side == d.proposed_side {
                    prop_ok += 1;
                }
            }
        }
    }
    let (dp, dr, df) = prf(dtp, found, true_diffs.len());
    let found_class: HashMap<(Side, &str), Class> = outcome
        .classes
        .iter()
        .map(|c| ((c.side, c.record_id.as_str()), c.class))
        .collect();
    let mut ok = 0;
    let mut confusion: HashMap<(Class, Option<Class>), usize> = HashMap::new();
    for (side, id, class) in &truth.classes {
        let f = found_class.get(&(*side, id.as_str())).copied();
        if f == Some(*class) {
            ok += 1;
        } else {
            *confusion.entry((*class, f)).or_default() += 1;
        }
    }
    let mut class_confusion: Vec<(String, String, usize)> = confusion
        .into_iter()
        .map(|((t, f), n)| {
            (
                t.name().to_string(),
                f.map_or("missing", Class::name).to_string(),
                n,
            )
        })
        .collect();
    class_confusion.sort();
    Metrics {
        links_true: true_links.len(),
        links_found: found_links.len(),
        link_precision: lp,
        link_recall: lr,
        link_f1: lf,
        diffs_true: true_diffs.len(),
        diffs_found: found,
        diff_precision: dp,
        diff_recall: dr,
        diff_f1: df,
        kind_accuracy: if dtp == 0 {
            1.0
        } else {
            kind_ok as f64 / dtp as f64
        },
        proposal_accuracy: if prop_known == 0 {
            1.0
        } else {
            prop_ok as f64 / prop_known as f64
        },
        class_accuracy: ok as f64 / truth.classes.len().max(1) as f64,
        class_confusion,
    }
}

fn read_rows(path: &Path) -> Result<Vec<csv::StringRecord>, Error> {
    let f = std::fs::File::open(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut r = csv::Reader::from_reader(std::io::BufReader::new(f));
    r.records()
        .map(|x| {
            x.map_err(|source| Error::Csv {
                file: path.display().to_string(),
                source,
            })
        })
        .collect()
}

impl Truth {
    /// Reads the truth files written by [`crate::synth::Dataset::write_dir`].
    pub fn read_dir(dir: &Path) -> Result<Truth, Error> {
        let mut t = Truth::default();
        for r in read_rows(&dir.join("truth_links.csv"))? {
            t.links
                .push((r.get(0).unwrap_or("").into(), r.get(1).unwrap_or("").into()));
        }
        for r in read_rows(&dir.join("truth_diffs.csv"))? {
            let (Some(field), Some(kind)) = (
                Field::from_name(r.get(2).unwrap_or("")),
                Kind::from_name(r.get(3).unwrap_or("")),
            ) else {
                continue;
            };
            t.diffs.push(TruthDiff {
                local_record_id: r.get(0).unwrap_or("").into(),
                azr_record_id: r.get(1).unwrap_or("").into(),
                field,
                kind,
                correct_side: Side::from_name(r.get(4).unwrap_or("")),
            });
        }
        for r in read_rows(&dir.join("truth_classes.csv"))? {
            let (Some(side), Some(class)) = (
                Side::from_name(r.get(0).unwrap_or("")),
                Class::from_name(r.get(2).unwrap_or("")),
            ) else {
                continue;
            };
            t.classes.push((side, r.get(1).unwrap_or("").into(), class));
        }
        Ok(t)
    }
}
