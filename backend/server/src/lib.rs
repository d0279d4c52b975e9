//! The `amtsweg` application: configuration, wiring, workers and the operator's commands. The binary
//! in `main.rs` only parses the command line; tests build the same application in-process.

pub mod catalog;
pub mod config;
pub mod demo;
pub mod pik_simulate;
pub mod reconcile_cmd;
pub mod seed_cases;
pub mod seed_rollout;
pub mod startup;
pub mod workers;
