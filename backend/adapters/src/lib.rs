//! Adapters to the world outside: each a trait, a real implementation, and where the real thing cannot
//! run here a simulator that behaves like it, failures included.

pub mod azr;
pub mod epaybl;
pub mod mail;
pub mod object_store;
pub mod ocr;
pub mod scan;
