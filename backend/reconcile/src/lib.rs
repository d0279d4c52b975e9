//! AZR reconciliation (Datenabgleich Ausländerdatei A ↔ AZR).
//!
//! A pure library: it reads the two extracts (`local.csv`, `azr.csv`, format fixed by
//! `shared/specs/reconciliation.md`), links the records of the same person, reports for every
//! linked pair which compared fields differ, of which kind, and which side is presumably
//! right, classifies every record, and writes the result files. No I/O besides the files it
//! is given, no clock, no threads beyond the CPU work it parallelizes.
//!
//! Entry points: [`run_files`] for files, [`reconcile`] for records in memory,
//! [`incremental::compare_runs`] for a later run, [`synth`] for generated test data.

// Tests may unwrap: a panic is how a test fails.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod candidates;
mod compare;
pub mod config;
mod engine;
pub mod error;
pub mod eval;
mod features;
pub mod gazetteer;
pub mod incremental;
pub mod norm;
pub mod outcome;
mod par;
pub mod read;
pub mod record;
pub mod synth;
pub mod write;

#[cfg(test)]
mod tests;

pub use config::{Config, Owner};
pub use engine::{Progress, reconcile};
pub use error::Error;
pub use outcome::{Class, ClassEntry, DiffKey, Difference, Kind, Link, Outcome, Summary};
pub use read::{ExtractReader, Rejected, Row, read_extract, read_extract_file};
pub use record::{Field, Record, Side};
pub use write::{read_outcome_dir, run_files, run_files_incremental, write_outcome};
